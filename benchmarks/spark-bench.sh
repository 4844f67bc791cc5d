#!/usr/bin/env bash
# jnmt translate --cpu-threads 2 vs the jnmt-spark job on local[2] vs a 2-worker standalone cluster on
# 127.0.0.1 (1 core each): the shipped model, beam 4, test2016.en repeated to N lines (default 10,000).
# Each configuration also runs on 10 lines: that wall time is the fixed cost of a job (JVM, Spark start,
# model load); the per-line cost is (wall(N) - wall(10)) / (N - 10). Outputs must be byte-identical.
# Usage: benchmarks/spark-bench.sh [N]   (results on stdout; work files under benchmarks/work/spark)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-10000}"
w="$root/benchmarks/work/spark"
rm -rf "$w"; mkdir -p "$w"
. "$root/scripts/jdk25.sh"; jnmt_find_jdk25
model="$root/models/multi30k-en-de"
src="$root/test-data/multi30k/test2016.en"
: > "$w/in.en"; while [ "$(wc -l < "$w/in.en")" -lt "$n" ]; do cat "$src" >> "$w/in.en"; done
head -n "$n" "$w/in.en" > "$w/big.en"; head -n 10 "$src" > "$w/small.en"; rm "$w/in.en"
spark="$root/tools/spark/jnmt-spark"
(cd "$root" && mvn -B -q -DskipTests -pl tools,tools/spark -am package >/dev/null)

# wall and CPU seconds (user+sys of the process tree that waited for its children) of a command
measure() { # name input cmd...
  local name="$1"; shift
  /usr/bin/time -f "%e %U %S" -o "$w/$name.time" "$@" >"$w/$name.log" 2>&1 || { cat "$w/$name.log"; exit 1; }
  read -r e u s < "$w/$name.time"
  printf '%-18s wall %8.1f s   cpu(driver/CLI process) %8.1f s\n' "$name" "$e" "$(echo "$u + $s" | bc)"
}

cluster_up() {
  local jars="$root/tools/spark/target/spark-home/jars/*"
  flags="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -XX:TypeProfileLevel=222"
  for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
      java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.util.calendar; do
    flags="$flags --add-opens=java.base/$p=ALL-UNNAMED"
  done
  export SPARK_HOME="$root/tools/spark/target/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
  port=$(( 20000 + RANDOM % 20000 ))
  "$JAVA_HOME/bin/java" -Xmx256m $flags -cp "$jars" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
    --port "$port" --webui-port $((port + 1)) > "$w/master.log" 2>&1 & pids="$!"
  until grep -q "elected leader" "$w/master.log"; do sleep 0.5; done
  for i in 1 2; do
    mkdir -p "$w/worker$i"
    "$JAVA_HOME/bin/java" -Xmx256m $flags -cp "$jars" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
      --cores 1 --memory 1200m --work-dir "$w/worker$i" --webui-port $((port + 1 + i)) "spark://127.0.0.1:$port" \
      > "$w/worker$i.log" 2>&1 & pids="$pids $!"
  done
  for i in 1 2; do until grep -q "registered with master" "$w/worker$i.log"; do sleep 0.5; done; done
}
cluster_down() { for p in $pids; do pkill -9 -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cluster_down EXIT
pids=""

echo "jnmt-spark benchmark: $n lines (test2016.en repeated), beam 4, float32, $(date -u +%FT%TZ), commit $(git -C "$root" rev-parse --short HEAD)"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for size in big small; do
  measure "cli-$size" "$root/jnmt" translate --quiet --cpu-threads 2 -m "$model" -b 4 -i "$w/$size.en" -o "$w/cli-$size.de"
  measure "local2-$size" "$spark" --master 'local[2]' translate -m "$model" --ship-model -b 4 -i "$w/$size.en" -o "$w/local2-$size" --merge
  cmp "$w/cli-$size.de" "$w/local2-$size/$size.en"
  cluster_up
  measure "cluster-$size" "$spark" --master "spark://127.0.0.1:$port" --driver-memory 768m --executor-memory 1g \
    --conf spark.executor.cores=1 --conf spark.driver.host=127.0.0.1 \
    translate -m "$model" --ship-model -b 4 -i "$w/$size.en" -o "$w/cluster-$size" --merge
  cluster_down; pids=""
  cmp "$w/cli-$size.de" "$w/cluster-$size/$size.en"
done
grep -h 'jnmt-spark translate:' "$w"/*.log
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
