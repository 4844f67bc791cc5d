#!/usr/bin/env bash
# Lexical shortlist speed (issue 14): words per CPU-second of decoding with and without the shortlist, one
# thread, in one JVM per model (dev.jnmt.bench.ShortlistBench: warm-up, then --runs interleaved rounds full /
# shortlist timed by the decoding thread's CPU time). Prints a Markdown table on stdout, rounds on stderr.
#
#   benchmarks/shortlist-bench.sh [--models "shipped big"] [--runs N] [--precisions "float32 int8"]
#                                 [--beams "1 4"] [--batches "1 32"] [--lines N] [--big-lines N]
#
#   shipped  models/multi30k-en-de with its lex.50.50.s2t.bin over the first --lines (300) of test2016.en
#   big      the random 6+6 d512 V32k model of benchmarks/e2e.sh --model big (benchmarks/work/big, generated
#            once) with the shipped lex.s2t at 50 50 (the first 8,000 ids are the shipped vocabulary), over the
#            first --big-lines (16) of test2016.en, max length 64: </s> is never chosen, every sentence decodes
#            63 tokens with and without the shortlist.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
models="shipped big"; runs=3; precisions="float32 int8"; beams="1 4"; batches="1 32"; lines=300; biglines=16
while [ $# -gt 0 ]; do
  case "$1" in
    --models) models="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --precisions) precisions="$2"; shift 2 ;;
    --beams) beams="$2"; shift 2 ;;
    --batches) batches="$2"; shift 2 ;;
    --lines) lines="$2"; shift 2 ;;
    --big-lines) biglines="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "shortlist-bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
cd "$root"
. scripts/jdk25.sh
jnmt_find_jdk25
./mvn25 -B -q -pl benchmarks -am package -DskipTests >&2
jvm=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -XX:TypeProfileLevel=222)
input="$root/test-data/multi30k/test2016.en"
for m in $models; do
  case "$m" in
    shipped) dir="$root/models/multi30k-en-de"; lex="$dir/lex.50.50.s2t.bin"; n="$lines"; maxlen=0 ;;
    big)
      dir="$root/benchmarks/work/big"; lex="$root/models/multi30k-en-de/lex.s2t"; n="$biglines"; maxlen=64
      if ! grep -aq '"never_eos":"true"' "$dir/model.safetensors" 2>/dev/null; then
        "$root/tools/train/setup.sh" >&2
        rm -rf "$dir"
        /usr/bin/python3 "$root/tools/train/random_model.py" --spm-dir "$root/models/multi30k-en-de" --out "$dir" \
          --d-model 512 --enc-layers 6 --dec-layers 6 --heads 8 --ffn 2048 --vocab 32000 --never-eos >&2
      fi ;;
    *) echo "shortlist-bench.sh: unknown model $m" >&2; exit 2 ;;
  esac
  "$JAVA_HOME/bin/java" "${jvm[@]}" -cp benchmarks/target/benchmarks.jar dev.jnmt.bench.ShortlistBench \
    "$dir" "$lex" "$input" "$n" "$maxlen" "$runs" "$precisions" "$beams" "$batches"
done
