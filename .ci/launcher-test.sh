#!/usr/bin/env bash
# Tests of the ./jnmt launcher (issue 16), run by .ci/run after the Maven suite. On a copy of the
# working tree (what a fresh clone holds, no target/ folders) in a temporary directory removed at exit:
#   - three concurrent first runs all build-or-wait and translate (the build is serialised by a lock,
#     the jar that runs is installed by an atomic rename);
#   - a later run does not rebuild; a closed stdin is an error, not 146 MB of the JDK's lib/modules;
#   - no command: usage on stderr, exit 2.
# Every step is bounded by `timeout`.
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/jnmt-launcher-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() { echo "launcher-test: FAIL: $*" >&2; exit 1; }

r="$work/r"
mkdir "$r"
(cd "$src" && git ls-files -z --cached --others --exclude-standard -- ':!models' ':!test-data' \
  | tar --null -T - -cf -) | tar -xf - -C "$r"
[ ! -e "$r/tools/target" ] || fail "the copy has a tools/target"
model="$r/decoder/src/test/resources/tiny-random"

echo "launcher-test: three concurrent first runs ..." >&2
pids=()
for i in 1 2 3; do
  (echo "a dog $i" | timeout 900 "$r/jnmt" translate -m "$model" -b 1 --max-length 5 --quiet \
     >"$work/out.$i" 2>"$work/err.$i"; echo $? >"$work/rc.$i") &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
for i in 1 2 3; do
  rc="$(cat "$work/rc.$i")"
  [ "$rc" = 0 ] || { cat "$work/err.$i" >&2; fail "concurrent run $i exited $rc"; }
  [ "$(wc -l <"$work/out.$i")" = 1 ] || fail "concurrent run $i printed $(wc -l <"$work/out.$i") lines"
done
builds="$(cat "$work"/err.* | grep -c '^jnmt: building the CLI' || true)"
[ "$builds" = 1 ] || fail "expected exactly one build, saw $builds"
[ -f "$r/tools/target/jnmt-run.jar" ] || fail "no tools/target/jnmt-run.jar"
ls "$r/tools/target" | grep -q '\.tmp\.' && fail "a temporary jar was left in tools/target"

echo "launcher-test: a later run does not rebuild ..." >&2
echo "a cat" | timeout 300 "$r/jnmt" translate -m "$model" -b 1 --max-length 5 --quiet >"$work/out.4" 2>"$work/err.4" \
  || { cat "$work/err.4" >&2; fail "the fourth run failed"; }
grep -q 'building' "$work/err.4" && fail "the fourth run rebuilt the CLI"

echo "launcher-test: heap sizing with missing keys and odd numbers ..." >&2
bare="$work/bare-model"; mkdir "$bare"
cp "$model"/{config.json,model.safetensors,source.spm,target.spm,tokenizer_config.json,vocab.json} "$bare/"
# no generation_config.json, no num_beams: the launcher's heap sizing must fall back, not end the script
sed -i '/"num_beams"/d' "$bare/config.json"
echo "a cat" | timeout 300 "$r/jnmt" translate -m "$bare" --mini-batch 08 --max-length 5 --quiet >"$work/out.7" 2>"$work/err.7" \
  || { cat "$work/err.7" >&2; fail "a model without generation_config.json (or --mini-batch 08) failed"; }
[ "$(wc -l <"$work/out.7")" = 1 ] || fail "a model without generation_config.json: no translation"
grep -q 'value too great\|syntax error' "$work/err.7" && fail "the launcher's arithmetic failed: $(cat "$work/err.7")"
# the young generation scales with --cpu-threads (32 MiB for one, 64 MiB each for more, at most 8): 0 must still reach translate's own
# one-line error (not a JVM error about -Xmn0m), and a large count must not make a heap the JVM refuses
set +e
echo "a cat" | timeout 300 "$r/jnmt" translate -m "$model" --cpu-threads 0 --quiet >"$work/out.8" 2>"$work/err.8"; rc=$?
set -e
[ "$rc" = 2 ] || { cat "$work/err.8" >&2; fail "--cpu-threads 0: exit $rc, expected 2"; }
grep -q '^jnmt translate: --cpu-threads must be at least 1' "$work/err.8" || { cat "$work/err.8" >&2; fail "--cpu-threads 0: message"; }
echo "a cat" | timeout 300 "$r/jnmt" translate -m "$model" -b 1 --cpu-threads 64 --max-length 5 --quiet >"$work/out.9" 2>"$work/err.9" \
  || { cat "$work/err.9" >&2; fail "--cpu-threads 64 failed"; }
[ "$(wc -l <"$work/out.9")" = 1 ] || fail "--cpu-threads 64: no translation"

echo "launcher-test: closed stdin ..." >&2
set +e
timeout 300 "$r/jnmt" translate -m "$model" -b 1 <&- >"$work/out.5" 2>"$work/err.5"; rc=$?
set -e
[ "$rc" = 1 ] || fail "closed stdin: exit $rc, expected 1"
grep -q '^jnmt translate: standard input is not open' "$work/err.5" || { cat "$work/err.5" >&2; fail "closed stdin: message"; }
[ ! -s "$work/out.5" ] || fail "closed stdin: something was translated"

echo "launcher-test: no command ..." >&2
set +e
timeout 300 "$r/jnmt" >"$work/out.6" 2>"$work/err.6"; rc=$?
set -e
[ "$rc" = 2 ] || fail "no command: exit $rc, expected 2"
grep -q '^Usage: jnmt' "$work/err.6" || fail "no command: no usage on stderr"
[ ! -s "$work/out.6" ] || fail "no command: output on stdout"
echo "launcher-test: OK" >&2
