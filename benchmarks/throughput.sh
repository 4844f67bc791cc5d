#!/usr/bin/env bash
# Batch throughput against a baseline commit: source words per CPU-second of `jnmt translate`, this tree
# ("head") against a git worktree of a baseline commit ("base", default bbf9301), both builds run
# interleaved (base, head, base, head, ... --runs times each) on one thread. Prints Markdown tables on stdout
# (per cell, then the best precision per cell); logs on stderr; raw runs in benchmarks/work/throughput-*.tsv.
#
#   benchmarks/throughput.sh [--baseline COMMIT] [--runs N] [--models "shipped big"]
#                            [--precisions "float32 int8"] [--beams "1 4"] [--batches "1 32"]
#                            [--lines N] [--big-lines N] [--threads N] [--no-empty] [--warm]
#                            [--base-java-opts "..."] [--head-java-opts "..."] [-- TRANSLATE-ARGS...]
#
# Cells: every model × precision × beam × mini-batch given (defaults: both models, float32 and int8, beam 1
# and 4, mini-batch 1 and 32 — the grid of issue 12; a full run takes about an hour on one free core, so pass
# a subset while working, e.g. --models shipped --batches 32).
#   shipped  models/multi30k-en-de over test-data/multi30k/test2016.en (1,000 lines; --lines N: the first N)
#   big      the random-weight 6+6, d_model 512, FFN 2048, vocabulary 32k model of benchmarks/e2e.sh --model big
#            (generated once under benchmarks/work/big), over the first 64 lines of test2016 (--big-lines),
#            --max-length 64: </s> is never chosen, so every sentence decodes 63 tokens in both builds.
# Precisions: float32, int16, int8, int8shift (quantized at load from the float32 checkpoint) and int8-file
# (the checkpoint written by this tree's `jnmt convert --to int8`, run with --gemm-precision int8).
#
# --base-java-opts / --head-java-opts: extra JVM options for one build (JNMT_JAVA_OPTS), e.g. an A/B of a flag
# on one commit: --baseline HEAD --base-java-opts -Dintgemm4j.width=256.
# -- TRANSLATE-ARGS: passed to every `jnmt translate` of both builds, empty runs included (e.g.
# -- --shortlist "$PWD/models/multi30k-en-de/lex.50.50.s2t.bin": an absolute path, both builds must know the option).
# Measure: words / (user + sys of the translating process − the median user + sys of the same build, model
# and precision translating an empty file). The empty runs (JVM start, model load, JIT of the loading code)
# are interleaved with the others, --runs times per build, model and precision; --no-empty skips them (then
# the figure includes start-up). Peak RSS = /usr/bin/time's maximum resident set of the process, heap
# included. Medians over the runs; ratio = head median / base median. CPU seconds rather than wall time:
# the development machine is shared, and a process that waits for a core does not accumulate CPU time.
# --warm: each cell also translates its input twice over (the lines, then the same lines again) in the same
# round, and the table gains the steady state: words / (CPU of the doubled input − CPU of the input), i.e.
# the second pass, once the JIT has compiled the kernels; the difference between that and the figure above
# is what warm-up (C1/C2 compilation, interpreted and C1 Vector API code) costs on a file of --lines lines.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
baseline=bbf9301
runs=3
models="shipped big"
precisions="float32 int8"
beams="1 4"
batches="1 32"
lines=1000
biglines=64
threads=1
empty=1
warm=0
baseopts=""
headopts=""
passed=()
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline) baseline="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    --precisions) precisions="$2"; shift 2 ;;
    --beams) beams="$2"; shift 2 ;;
    --batches) batches="$2"; shift 2 ;;
    --lines) lines="$2"; shift 2 ;;
    --big-lines) biglines="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --no-empty) empty=0; shift ;;
    --warm) warm=1; shift ;;
    --base-java-opts) baseopts="$2"; shift 2 ;;
    --head-java-opts) headopts="$2"; shift 2 ;;
    --) shift; passed=("$@"); break ;;
    -h|--help) sed -n '2,37p' "$0"; exit 0 ;;
    *) echo "throughput.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) echo "throughput.sh: --runs $runs is not a positive number" >&2; exit 2 ;; esac
for m in $models; do
  case "$m" in shipped|big) ;; *) echo "throughput.sh: --models: unknown model $m (shipped, big)" >&2; exit 2 ;; esac
done
for p in $precisions; do
  case "$p" in float32|int16|int8|int8shift|int8-file) ;;
    *) echo "throughput.sh: --precisions: unknown precision $p" >&2; exit 2 ;; esac
done
[ -x /usr/bin/time ] || { echo "throughput.sh: needs GNU time (/usr/bin/time)" >&2; exit 1; }

work="$root/benchmarks/work"
mkdir -p "$work"
commit="$(git -C "$root" rev-parse --verify --quiet "$baseline^{commit}")" \
  || { echo "throughput.sh: --baseline $baseline is not a commit of this repository" >&2; exit 2; }
short="$(git -C "$root" rev-parse --short "$commit")"
basedir="$work/baseline-$short"
if [ ! -e "$basedir/.git" ]; then
  echo "throughput.sh: git worktree of $short in $basedir" >&2
  rm -rf "$basedir"
  git -C "$root" worktree prune
  git -C "$root" worktree add --detach "$basedir" "$commit" >&2
fi
headrev="$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- . ':!BENCHMARKS.md' || echo '+')"
echo "throughput.sh: building base ($short) and head ($headrev) ..." >&2
"$basedir/jnmt" --version >/dev/null
"$root/jnmt" --version >/dev/null

# Inputs and models.
shipped="$root/models/multi30k-en-de"
big="$work/big"
need_big=0
for m in $models; do [ "$m" = big ] && need_big=1; done
if [ "$need_big" = 1 ] && ! grep -aq '"never_eos":"true"' "$big/model.safetensors" 2>/dev/null; then
  "$root/tools/train/setup.sh" >&2
  echo "throughput.sh: generating the random 6+6 d512 V32k model in $big" >&2
  rm -rf "$big"
  /usr/bin/python3 "$root/tools/train/random_model.py" --spm-dir "$shipped" --out "$big" \
    --d-model 512 --enc-layers 6 --dec-layers 6 --heads 8 --ffn 2048 --vocab 32000 --never-eos >&2
fi
head -n "$lines" "$root/test-data/multi30k/test2016.en" > "$work/tp.shipped.en"
head -n "$biglines" "$root/test-data/multi30k/test2016.en" > "$work/tp.big.en"
: > "$work/tp.empty.en"
for m in shipped big; do cat "$work/tp.$m.en" "$work/tp.$m.en" > "$work/tp.$m.x2.en"; done
for p in $precisions; do
  [ "$p" = int8-file ] || continue
  for m in $models; do
    src="$shipped"; [ "$m" = big ] && src="$big"
    dst="$work/tp.$m.int8"
    if [ ! -f "$dst/model.safetensors" ] || [ "$dst/model.safetensors" -ot "$src/model.safetensors" ]; then
      "$root/jnmt" convert -f "$src" -t "$dst" --to int8 --force >&2
    fi
  done
done

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
raw="$work/throughput-$stamp.tsv"
printf 'round\tbuild\tmodel\tprecision\tbeam\tbatch\twords\tuser_s\tsys_s\tpeak_rss_kb\tcopies\n' > "$raw"

# run BUILD MODEL PRECISION BEAM BATCH INPUT ROUND [COPIES]: one translation, one line appended to $raw
# (COPIES: 2 for the doubled input of --warm).
run() {
  local build="$1" model="$2" prec="$3" beam="$4" batch="$5" input="$6" round="$7" copies="${8:-1}"
  local jnmt="$root/jnmt" opts="$headopts"
  [ "$build" = base ] && { jnmt="$basedir/jnmt"; opts="$baseopts"; }
  local dir="$shipped" gp="$prec" extra=()
  [ "$model" = big ] && { dir="$big"; extra=(--max-length 64); }
  [ "$prec" = int8-file ] && { dir="$work/tp.$model.int8"; gp=int8; }
  local err="$work/tp.err" out="$work/tp.out"
  if ! JNMT_JAVA_OPTS="$opts" /usr/bin/time -o "$work/tp.time" -f "%U %S %M" "$jnmt" translate -m "$dir" -i "$input" -o "$out" \
      --gemm-precision "$gp" --cpu-threads "$threads" -b "$beam" --mini-batch "$batch" "${extra[@]}" "${passed[@]}" 2> "$err"; then
    cat "$err" >&2
    echo "throughput.sh: $build $model $prec beam $beam batch $batch failed" >&2
    exit 1
  fi
  local words=0
  [ -s "$input" ] && words="$(wc -w < "$input")"
  read -r u s kb < "$work/tp.time"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$build" "$model" "$prec" "$beam" "$batch" \
    "$words" "$u" "$s" "$kb" "$copies" >> "$raw"
  echo "throughput.sh: round $round $build $model $prec b$beam mb$batch x$copies: ${u}u ${s}s $((kb / 1024)) MiB" >&2
}

for r in $(seq "$runs"); do
  for m in $models; do
    for p in $precisions; do
      if [ "$empty" = 1 ]; then
        for build in base head; do run "$build" "$m" "$p" 1 1 "$work/tp.empty.en" "$r"; done
      fi
      for b in $beams; do for mb in $batches; do
        for build in base head; do run "$build" "$m" "$p" "$b" "$mb" "$work/tp.$m.en" "$r"; done
        if [ "$warm" = 1 ]; then
          for build in base head; do run "$build" "$m" "$p" "$b" "$mb" "$work/tp.$m.x2.en" "$r" 2; done
        fi
      done; done
    done
  done
done

model_mb() {
  local dir="$shipped"; [ "$1" = big ] && dir="$big"
  [ "$2" = int8-file ] && dir="$work/tp.$1.int8"
  awk -v b="$(stat -c %s "$dir/model.safetensors")" 'BEGIN {printf "%.0f", b / 1048576}'
}

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
fam="$(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')"
mod="$(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')"
isa=AVX2; grep -qw avx512f /proc/cpuinfo && isa="AVX-512"
echo "<!-- benchmarks/throughput.sh, $stamp, base $short${baseopts:+ ($baseopts)}, head $headrev${headopts:+ ($headopts)}, $runs runs per cell, $threads thread(s)$([ "$warm" = 1 ] && echo ', --warm'); $cpu (family $fam model $mod, $isa), $(nproc) vCPUs; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); raw: benchmarks/work/$(basename "$raw") -->"
echo
awk -F'\t' -v empty="$empty" -v OFS='\t' '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  NR == 1 { next }
  {
    cpu = $8 + $9
    if ($7 == 0) { ekey = $2 SUBSEP $3 SUBSEP $4; e[ekey] = e[ekey] " " cpu; next }
    key = $3 SUBSEP $4 SUBSEP $5 SUBSEP $6
    if ($11 == 2) { twice[$2, key, $1] = cpu; next }
    once[$2, key, $1] = cpu; rounds[$2, key] = rounds[$2, key] " " $1
    if (!(key in seen)) { seen[key] = 1; order[++n] = key }
    runs[$2, key] = runs[$2, key] " " cpu
    words[key] = $7
    if ($10 > rss[$2, key]) rss[$2, key] = $10
  }
  END {
    for (i = 1; i <= n; i++) {
      key = order[i]; split(key, f, SUBSEP)
      for (bi = 1; bi <= 2; bi++) {
        build = bi == 1 ? "base" : "head"
        ekey = build SUBSEP f[1] SUBSEP f[2]
        e0 = (empty == 1 && (ekey in e)) ? median(e[ekey]) : 0
        m = split(runs[build, key], c, " ")
        list = ""
        for (j = 1; j <= m; j++) { net = c[j] - e0; list = list " " (net > 0 ? words[key] / net : 0) }
        wps[bi] = median(list)
        # steady state: per round, the doubled input minus the input (same build, same round)
        m = split(rounds[build, key], rr, " ")
        list = ""
        for (j = 1; j <= m; j++) {
          if ((build SUBSEP key SUBSEP rr[j]) in twice) {
            net = twice[build, key, rr[j]] - once[build, key, rr[j]]
            list = list " " (net > 0 ? words[key] / net : 0)
          }
        }
        warmwps[bi] = list == "" ? "" : median(list)
      }
      print f[1], f[2], f[3], f[4], wps[1], wps[2], rss["base", key], rss["head", key], warmwps[1], warmwps[2]
    }
  }' "$raw" > "$work/tp.summary"

if [ "$warm" = 1 ]; then
  echo "| model (MiB) | precision | beam | mini-batch | base words/CPU-s | head words/CPU-s | head/base | base peak RSS MiB | head peak RSS MiB | base warm | head warm | warm head/base |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
else
  echo "| model (MiB) | precision | beam | mini-batch | base words/CPU-s | head words/CPU-s | head/base | base peak RSS MiB | head peak RSS MiB |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
fi
while IFS=$'\t' read -r m p b mb wb wh rb rh ww1 ww2; do
  awk -v m="$m ($(model_mb "$m" "$p"))" -v p="$p" -v b="$b" -v mb="$mb" -v wb="$wb" -v wh="$wh" -v rb="$rb" -v rh="$rh" \
    -v warm="$warm" -v w1="$ww1" -v w2="$ww2" \
    'BEGIN {printf "| %s | %s | %s | %s | %.1f | %.1f | %.2f× | %.0f | %.0f |", m, p, b, mb, wb, wh, (wb > 0 ? wh / wb : 0), rb / 1024, rh / 1024
            if (warm == 1) printf " %.1f | %.1f | %.2f× |", w1, w2, (w1 > 0 ? w2 / w1 : 0)
            printf "\n"}'
done < "$work/tp.summary"
echo
echo "Best precision per cell (each build's fastest precision of those run):"
echo
echo "| model | beam | mini-batch | base best | head best | head/base |"
echo "|---|---:|---:|---|---|---:|"
cut -f1-8 "$work/tp.summary" | awk -F'\t' '
  { key = $1 " | " $3 " | " $4
    if (!(key in seen)) { seen[key] = 1; order[++n] = key }
    if ($5 > bb[key]) { bb[key] = $5; bp[key] = $2 }
    if ($6 > hb[key]) { hb[key] = $6; hp[key] = $2 } }
  END { for (i = 1; i <= n; i++) { k = order[i]
    printf "| %s | %.1f (%s) | %.1f (%s) | %.2f× |\n", k, bb[k], bp[k], hb[k], hp[k], (bb[k] > 0 ? hb[k] / bb[k] : 0) } }'
