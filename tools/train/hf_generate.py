"""Golden outputs from Hugging Face `transformers` itself (not the project's own PyTorch re-implementation).

Loads a MarianMT-layout directory with `MarianMTModel.from_pretrained` / `MarianTokenizer.from_pretrained` and
translates one sentence per line with `model.generate()` and the directory's generation_config.json
(beam size from --beam or the config). One sentence per generate() call, so no padding enters the computation.
Writes the output line, and with --ids-out the generated token ids, per input line; versions go to stderr.

    tools/train/work-hf/venv/bin/python tools/train/hf_generate.py -m models/multi30k-en-de \
        -i test-data/multi30k/test2016.en -o test-data/multi30k/test2016.hf-transformers.beam4.de --beam 4
The venv: python3 -m venv tools/train/work-hf/venv && tools/train/work-hf/venv/bin/pip install torch \
    transformers sentencepiece safetensors   (from the local package index pip is configured with)
"""
import argparse
import sys
import time

import torch
import transformers
from transformers import MarianMTModel, MarianTokenizer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-m", "--model", required=True)
    ap.add_argument("-i", "--input", required=True)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--beam", type=int, default=None)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--ids-out", default=None)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    print(f"hf_generate: torch {torch.__version__}, transformers {transformers.__version__}", file=sys.stderr)
    tok = MarianTokenizer.from_pretrained(a.model)
    model = MarianMTModel.from_pretrained(a.model).eval()
    kwargs = {} if a.beam is None else {"num_beams": a.beam}
    with open(a.input, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    t0 = time.time()
    out, ids_out = [], []
    with torch.inference_mode():
        for i, line in enumerate(lines):
            if line.strip() == "":
                out.append("")
                ids_out.append("")
                continue
            enc = tok([line], return_tensors="pt")
            gen = model.generate(**enc, **kwargs)
            ids = gen[0].tolist()
            ids_out.append(" ".join(map(str, ids)))
            out.append(tok.decode(ids, skip_special_tokens=True))
            if (i + 1) % 100 == 0:
                print(f"hf_generate: {i + 1} lines, {time.time() - t0:.0f} s", file=sys.stderr)
    with open(a.output, "w", encoding="utf-8") as f:
        f.write("".join(s + "\n" for s in out))
    if a.ids_out:
        with open(a.ids_out, "w", encoding="utf-8") as f:
            f.write("".join(s + "\n" for s in ids_out))
    print(f"hf_generate: {len(lines)} lines in {time.time() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
