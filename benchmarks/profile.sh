#!/usr/bin/env bash
# JFR profile of one `jnmt translate` run: where the CPU samples of the decoding thread go, by method (top
# frame outside java.* and jdk.*, i.e. the jnmt method whose inlined Vector API calls ran) and by phase (the first jnmt frame of a known phase found walking down the stack). Logs on stderr,
# Markdown on stdout; the recording stays in benchmarks/work/profile-*.jfr.
#
#   benchmarks/profile.sh [-m MODEL] [--lines N] [--precision P] [-b BEAM] [--mini-batch N] [--top N] [-- extra translate args]
#   PROFILE_INPUT=FILE translates FILE instead of the first N lines of test2016 (e.g. test2016 three times over,
#   so that the warm decoding dominates the samples).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="$root/models/multi30k-en-de"; lines=1000; prec=float32; beam=4; batch=32; top=15; extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    -m) model="$2"; shift 2 ;;
    --lines) lines="$2"; shift 2 ;;
    --precision) prec="$2"; shift 2 ;;
    -b) beam="$2"; shift 2 ;;
    --mini-batch) batch="$2"; shift 2 ;;
    --top) top="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "profile.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
. "$root/scripts/jdk25.sh"; jnmt_find_jdk25
work="$root/benchmarks/work"; mkdir -p "$work"
in="${PROFILE_INPUT:-$work/profile.$lines.en}"; [ -n "${PROFILE_INPUT:-}" ] || head -n "$lines" "$root/test-data/multi30k/test2016.en" > "$in"
jfr="$work/profile-$(basename "$model")-$prec-b$beam-mb$batch.jfr"
JNMT_JAVA_OPTS="-XX:StartFlightRecording=filename=$jfr,settings=profile ${JNMT_JAVA_OPTS:-}" \
  "$root/jnmt" translate -m "$model" -i "$in" -o "$work/profile.out" --gemm-precision "$prec" -b "$beam" \
  --mini-batch "$batch" --cpu-threads 1 "${extra[@]}" 2>&1 | grep -v '^\[' >&2
"$JAVA_HOME/bin/jfr" print --events jdk.ExecutionSample --stack-depth 64 "$jfr" | awk -v top="$top" '
  /jdk.ExecutionSample/ { if (n) flush(); n = 0; next }
  /line:/ { sub(/^[ \t]+/, ""); sub(/\(.*$/, ""); st[++n] = $0 }
  function flush(   i, f, ph) {
    total++
    for (i = 1; i <= n && st[i] ~ /^(java|jdk)\./; i++) ;
    m[i <= n ? st[i] : st[1]]++
    ph = "other"
    enc = 0
    for (i = 1; i <= n; i++) if (st[i] ~ /MarianModel\.encode|EncoderLayer/) enc = 1
    for (i = 1; i <= n && !enc; i++) {
      f = st[i]
      if (f ~ /LogitsProcessor|BeamSearch\.|GreedySearch\.|argmax|topK|Shortlist|BatchColumns/) { ph = "search (log-softmax, top-k, bookkeeping)"; break }
      if (f ~ /Attention\.attend|Attention\.transpose|KvCache/) { ph = "attention (scores, softmax, context)"; break }
      if (f ~ /FeedForward|FloatOps\.activate/) { ph = "feed-forward (fc1, activation, fc2)"; break }
      if (f ~ /LayerNorm/) { ph = "LayerNorm"; break }
      if (f ~ /SelfAttention|CrossAttention/) { ph = "attention projections (q, k, v, out)"; break }
      if (f ~ /MarianDecoderSession\.step|outputLayer/) { ph = "output layer"; break }
      if (f ~ /Embeddings|embed/) { ph = "embeddings"; break }
      if (f ~ /Tokenizer|SentencePiece/) { ph = "tokenization"; break }
      if (f ~ /MarianCheckpoint|LayerLoader|Safetensors|prepareB|Translator\.load/) { ph = "loading"; break }
    }
    if (enc) ph = "encoder (all of it)"
    p[ph]++
  }
  END {
    if (n) flush()
    printf "| phase | samples | share |\n|---|---:|---:|\n"
    for (k in p) printf "| %s | %d | %.1f%% |\n", k, p[k], 100 * p[k] / total | "sort -t\"|\" -k3 -nr"
    close("sort -t\"|\" -k3 -nr")
    printf "\n| top jnmt frame | samples | share |\n|---|---:|---:|\n"
    cmd = "sort -t\"|\" -k3 -nr | head -n " top
    for (k in m) printf "| `%s` | %d | %.1f%% |\n", k, m[k], 100 * m[k] / total | cmd
    close(cmd)
    printf "\n%d samples\n", total
  }'
