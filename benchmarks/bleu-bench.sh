#!/usr/bin/env bash
# End-to-end speed of `jnmt bleu` (JVM start, reading two UTF-8 files, tokenizing, scoring, printing) on a
# seeded synthetic corpus of N lines (default 1,000,000; WMT-like lengths, see BleuBench), single-threaded
# JVM (-XX:ActiveProcessorCount=1: GC and JIT share the one core). Prints wall, user and sys seconds per run.
#
#   benchmarks/bleu-bench.sh [--lines N] [--runs R] [-- extra jnmt bleu flags, e.g. -m chrf]
#
# The corpus is written once to benchmarks/work/bleu-N.{hyp,ref} by BleuBench's generator (via a tiny
# Java program), so the in-memory JMH numbers and these end-to-end numbers score the same text.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lines=1000000
runs=3
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --lines) lines="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "bleu-bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
cd "$root"
. scripts/jdk25.sh
jnmt_find_jdk25
java="$JAVA_HOME/bin/java"
echo "bleu-bench: building tools and benchmarks" >&2
./mvn25 -B -q -pl benchmarks -am package -DskipTests >&2
work="$root/benchmarks/work"
mkdir -p "$work"
hyp="$work/bleu-$lines.hyp"
ref="$work/bleu-$lines.ref"
if [ ! -s "$hyp" ] || [ ! -s "$ref" ]; then
  echo "bleu-bench: writing $hyp and $ref" >&2
  "$java" -cp benchmarks/target/benchmarks.jar dev.jnmt.bench.BleuBench\$WriteCorpus "$lines" "$hyp.tmp" "$ref.tmp"
  mv "$hyp.tmp" "$hyp"
  mv "$ref.tmp" "$ref"
fi
echo "| run | wall s | user s | sys s | max RSS MB |"
echo "|---:|---:|---:|---:|---:|"
for ((r = 1; r <= runs; r++)); do
  t="$( { /usr/bin/time -f '%e %U %S %M' "$java" -XX:+UseParallelGC -XX:ActiveProcessorCount=1 -Xmn256m \
        -jar tools/target/jnmt.jar bleu "$ref" -i "$hyp" -f text --force "${extra[@]}" >"$work/bleu-bench.out"; } 2>&1 | tail -n1)"
  read -r wall user sys rss <<<"$t"
  echo "| $r | $wall | $user | $sys | $((rss / 1024)) |"
done
echo "bleu-bench: $(cat "$work/bleu-bench.out")" >&2
