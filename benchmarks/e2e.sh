#!/usr/bin/env bash
# End-to-end translation speed: words/s and peak RSS of `./jnmt translate` over a grid of precisions, threads,
# beam sizes and mini-batch sizes, plus the PyTorch eager reference (float32 and dynamic int8) on the same
# checkpoint. Prints a Markdown table on stdout; logs on stderr.
#
#   benchmarks/e2e.sh [--model DIR|big] [--lines N] [--precisions "float32 int16 int8 int8shift"]
#                     [--threads "1 2"] [--beams "1 4"] [--batches "1 32"] [--no-peer] [--repeat N]
#                     [--max-length N] [--int8-file]
#
# --repeat N runs every cell N times in a row and reports the best words/s (and the largest peak RSS): on a
# shared, noisy machine the best run is the one that had the cores.
# --model big generates (once) the random-weight 6+6, d_model 512, FFN 2048, vocab 32k model under
# benchmarks/work/big with tools/train/random_model.py (not committed). Its </s> logit is biased to -1e4, so
# every sentence decodes exactly to the maximum length (--max-length, 64 by default for big): random weights
# would otherwise stop at random points, and engines or precisions would not do the same work.
# --int8-file also converts the model (`jnmt convert --to int8`, uncalibrated) and runs the int8 checkpoint
# with int8 and int8shift; a second table lists file sizes.
# words/s = source words / decoding time as reported by jnmt's summary line (model loading excluded); the
# PyTorch rows likewise exclude loading.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="$root/models/multi30k-en-de"
lines=1000
precisions="float32 int16 int8 int8shift"
threads="1 2"
beams="1 4"
batches="1 32"
peer=1
repeat=1
maxlen=""
int8file=0
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --lines) lines="$2"; shift 2 ;;
    --precisions) precisions="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --beams) beams="$2"; shift 2 ;;
    --batches) batches="$2"; shift 2 ;;
    --no-peer) peer=0; shift ;;
    --repeat) repeat="$2"; shift 2 ;;
    --max-length) maxlen="$2"; shift 2 ;;
    --int8-file) int8file=1; shift ;;
    *) echo "e2e.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
work="$root/benchmarks/work"
mkdir -p "$work"
# The random model and the PyTorch rows need Debian's torch, numpy and sentencepiece: installed on first use.
if [ "$model" = big ] || [ "$peer" = 1 ]; then
  "$root/tools/train/setup.sh" >&2
fi
if [ "$model" = big ]; then
  model="$work/big"
  maxlen="${maxlen:-64}"
  if ! grep -aq '"never_eos":"true"' "$model/model.safetensors" 2>/dev/null; then
    echo "e2e.sh: generating the random 6+6 d512 V32k model in $model" >&2
    rm -rf "$model"
    /usr/bin/python3 "$root/tools/train/random_model.py" --spm-dir "$root/models/multi30k-en-de" --out "$model" \
      --d-model 512 --enc-layers 6 --dec-layers 6 --heads 8 --ffn 2048 --vocab 32000 --never-eos >&2
  fi
fi
lenargs=()
[ -n "$maxlen" ] && lenargs=(--max-length "$maxlen")
input="$work/input.$lines.en"
head -n "$lines" "$root/test-data/multi30k/test2016.en" > "$input"
"$root/jnmt" --version >/dev/null  # build once, outside the timings
name="$(basename "$model")"
runs=()
for p in $precisions; do runs+=("$model:$p"); done
if [ "$int8file" = 1 ]; then
  int8dir="$work/$name.int8"
  if [ ! -f "$int8dir/model.safetensors" ] || [ "$int8dir/model.safetensors" -ot "$model/model.safetensors" ]; then
    "$root/jnmt" convert -f "$model" -t "$int8dir" --to int8 --force >&2
  fi
  runs+=("$int8dir:int8" "$int8dir:int8shift")
fi

echo "| model | engine | precision | threads | beam | batch | words/s | peak RSS MiB |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
for run in "${runs[@]}"; do
  dir="${run%:*}"; p="${run##*:}"
  label="$p"; [ "$dir" != "$model" ] && label="$p (int8 file)"
  for t in $threads; do for b in $beams; do for m in $batches; do
  err="$work/err.txt"
  : > "$work/errs.txt"
  for _ in $(seq "$repeat"); do
    /usr/bin/time -f "RSS_KB %M" "$root/jnmt" translate -m "$dir" -i "$input" -o "$work/out.txt" \
      --gemm-precision "$p" --cpu-threads "$t" -b "$b" --mini-batch "$m" "${lenargs[@]}" 2> "$err" \
      || { cat "$err" >&2; exit 1; }
    cat "$err" >> "$work/errs.txt"
  done
  wps="$(grep -oE '[0-9]+(\.[0-9]+)? words/s' "$work/errs.txt" | cut -d' ' -f1 | sort -g | tail -n1)"
  rss="$(awk '/^RSS_KB/ {if ($2 > m) m = $2} END {printf "%.0f", m/1024}' "$work/errs.txt")"
  echo "| $name | jnmt | $label | $t | $b | $m | $wps | $rss |"
done; done; done; done
if [ "$peer" = 1 ]; then
  for q in "" "--quantize-dynamic"; do for t in $threads; do for b in $beams; do for m in $batches; do
    err="$work/err.txt"
    : > "$work/errs.txt"
    for _ in $(seq "$repeat"); do
      /usr/bin/time -f "RSS_KB %M" /usr/bin/python3 "$root/tools/train/reference_decode.py" -m "$model" -i "$input" \
        -o "$work/out.py.txt" --beam "$b" --batch "$m" --threads "$t" "${lenargs[@]}" $q 2> "$err" || { cat "$err" >&2; exit 1; }
      cat "$err" >> "$work/errs.txt"
    done
    wps="$(grep -oE '[0-9]+(\.[0-9]+)? words/s' "$work/errs.txt" | cut -d' ' -f1 | sort -g | tail -n1)"
    rss="$(awk '/^RSS_KB/ {if ($2 > m) m = $2} END {printf "%.0f", m/1024}' "$work/errs.txt")"
    prec=float32; [ -n "$q" ] && prec="dynamic int8 (onednn)"
    echo "| $name | PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') eager | $prec | $t | $b | $m | $wps | $rss |"
  done; done; done; done
fi
if [ "$int8file" = 1 ]; then
  echo
  echo "| checkpoint | model.safetensors bytes | of float32 |"
  echo "|---|---:|---:|"
  f32="$(stat -c %s "$model/model.safetensors")"
  for d in "$model" "$int8dir"; do
    sz="$(stat -c %s "$d/model.safetensors")"
    echo "| $(basename "$d") | $sz | $(awk -v a="$sz" -v b="$f32" 'BEGIN {printf "%.1f%%", 100 * a / b}') |"
  done
fi
