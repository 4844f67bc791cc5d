#!/usr/bin/env bash
# JIT robustness check for the 8-bit kernels (issue 2): runs GemmBench in many JVM forks per cell and
# flags forks whose throughput is below half of the cell's best fork. A degraded fork is one where C2 compiled
# a kernel so that its vectors are boxed (allocated) on every loop iteration: 4-10x slower, and it
# depends on the profile at compile time, so it shows up in some JVMs and not others.
#
#   benchmarks/jit-check.sh [-f FORKS] [-m "M ..."] [-s "KxN ..."] [-b "int8 int8Shift ..."] [-- JVM flags]
#
# Defaults: 8 forks of int8 and int8Shift at M = 8 and 128, K x N = 512x512 and 2048x512.
# JVM flags after -- are added to each fork, e.g. `-- -XX:TypeProfileLevel=111` shows the JVM default,
# under which about half the forks at 128x2048x512 degrade (see BENCHMARKS.md, "JIT robustness").
# Prints one line per cell (the forks' ops/s) and exits 1 if any fork degraded.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/jdk25.sh
jnmt_find_jdk25

forks=8
ms="8 128"
shapes="512x512 2048x512"
benches="int8 int8Shift"
while [ $# -gt 0 ]; do
  case "$1" in
    -f) forks="$2"; shift 2 ;;
    -m) ms="$2"; shift 2 ;;
    -s) shapes="$2"; shift 2 ;;
    -b) benches="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "jit-check: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
extra=("$@")

echo "jit-check: building benchmarks/target/benchmarks.jar" >&2
./mvn25 -B -q -pl benchmarks -am package -DskipTests >&2

echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1); extra JVM flags: ${extra[*]:-none}"
degraded=0
for bench in $benches; do
  for m in $ms; do
    for shape in $shapes; do
      args=()
      # JMH's -jvmArgsAppend replaces the @Fork one, so it repeats GemmBench's flags; later flags win.
      [ ${#extra[@]} -gt 0 ] && args=(-jvmArgsAppend "-XX:+UseParallelGC -XX:TypeProfileLevel=222 ${extra[*]}")
      scores="$("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar \
        "dev.jnmt.bench.GemmBench.$bench\$" -p "m=$m" -p "shape=$shape" -f "$forks" -wi 1 -w 1s -i 2 -r 1s \
        -bm thrpt -tu s "${args[@]}" 2>&1 | awk '/^Iteration   2:/ {print $3}')"
      best="$(echo "$scores" | sort -g | tail -n1)"
      line="$(echo "$scores" | awk -v name="$bench ${m}x$shape" -v best="$best" '
        { n++; flag = ($1 < best / 2) ? "*" : ""; if (flag != "") bad++; out = out sprintf(" %.1f%s", $1, flag) }
        END { printf "%s: degraded %d of %d forks (best %.1f ops/s):%s\n", name, bad + 0, n, best, out }')"
      echo "$line"
      case "$line" in *"degraded 0 of"*) ;; *) degraded=1 ;; esac
    done
  done
done
exit "$degraded"
