#!/usr/bin/env bash
# GEMM throughput table (issue 2): builds benchmarks/target/benchmarks.jar, runs the JMH GemmBench grid
# (float32, Int16, Int8, Int8Shift × M ∈ {1,8,32,128} × six K×N shapes, one thread, one fork per cell) and
# prints a Markdown table of GOPS with Int8Shift/float32 ratios and the native intgemm reference numbers.
#
#   benchmarks/gemm-table.sh [JMH options...]
#
# Extra arguments go to JMH after the defaults, so they narrow or override them, e.g.
#   benchmarks/gemm-table.sh -p m=1,8 -p shape=512x512            # a few cells only
#   benchmarks/gemm-table.sh 'GemmBench.float32' -wi 2 -i 3         # one method, shorter
#   benchmarks/gemm-table.sh -jvmArgsAppend -Dintgemm4j.width=128  # another vector width
# GEMM_STAT=median|max|cpu reports the median iteration, the best iteration, or operations per CPU-second
# (score / cpu.util, see CpuTimeProfiler) instead of JMH's mean: useful while other jobs share the machine.
# The full grid takes about 18 minutes on the 2-core machine. The JMH JSON is kept in benchmarks/work/;
# the table goes to stdout, JMH's progress to stderr.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/jdk25.sh
jnmt_find_jdk25
java="$JAVA_HOME/bin/java"

echo "gemm-table: building benchmarks/target/benchmarks.jar" >&2
./mvn25 -B -q -pl benchmarks -am package -DskipTests >&2

mkdir -p benchmarks/work
json="benchmarks/work/gemm-$(date -u +%Y%m%dT%H%M%SZ).json"
# JMH rejects an option given twice, so each default is added only when the caller did not give it.
defaults=(-f 1 -wi 3 -w 1s -i 5 -r 1s -bm thrpt -tu s)
args=()
for ((j = 0; j < ${#defaults[@]}; j += 2)); do
  given=0
  for arg in "$@"; do
    [ "$arg" = "${defaults[j]}" ] && given=1
  done
  [ "$given" = 1 ] || args+=("${defaults[j]}" "${defaults[j + 1]}")
done
# Without a benchmark regexp from the caller (an argument naming GemmBench), run the whole class.
selection=(dev.jnmt.bench.GemmBench)
for arg in "$@"; do
  case "$arg" in
    *GemmBench*) selection=() ;;
  esac
done
"$java" --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar "${selection[@]}" \
  "${args[@]}" -prof dev.jnmt.bench.CpuTimeProfiler -rf json -rff "$json" "$@" >&2

{
  echo "Command: benchmarks/gemm-table.sh $*"
  isa="AVX2"
  grep -qw avx512f /proc/cpuinfo && isa="AVX2 + AVX-512 (float32 at 512 bits unless -Dintgemm4j.width lowers it; the 8- and 16-bit kernels at 256)"
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1) (family $(sed -n 's/^cpu family[[:space:]]*: //p' /proc/cpuinfo | head -n1) model $(sed -n 's/^model[[:space:]]*: //p' /proc/cpuinfo | head -n1)), $isa, $("$java" -version 2>&1 | head -n1)"
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); JSON: $json"
  echo
}
"$java" -cp benchmarks/target/benchmarks.jar dev.jnmt.bench.GemmTable --stat "${GEMM_STAT:-score}" "$json"
