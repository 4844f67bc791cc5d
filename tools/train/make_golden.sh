#!/usr/bin/env bash
# Regenerates the golden outputs of the shipped model on test2016 with the PyTorch reference decoder
# (HF MarianMT generation rules): greedy and beam 4, one thread, mini-batches of 32 sentences.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
model="${1:-$root/models/multi30k-en-de}"
td="$root/test-data/multi30k"
for b in 1 4; do
  name=beam$b; [ "$b" = 1 ] && name=greedy
  OMP_NUM_THREADS=1 /usr/bin/python3 "$root/tools/train/reference_decode.py" -m "$model" -i "$td/test2016.en" \
    -o "$td/test2016.reference.$name.de" --beam "$b" --batch 32 --threads 1
done
