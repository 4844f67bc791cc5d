"""Reference decoder (PyTorch eager) for MarianMT-layout directories written by this project's tools.

Writes one output line per input line, greedy or HF-style beam search (search.py), and reports speed on stderr.
It is both the source of the golden outputs the Java decoder must reproduce and the PyTorch speed peer.

    /usr/bin/python3 tools/train/reference_decode.py -m models/multi30k-en-de -i test-data/multi30k/test2016.en \
        -o test-data/multi30k/test2016.reference.beam4.de --beam 4 [--threads 1] [--batch 32] [--ids-out FILE]
        [--quantize-dynamic]   (torch.quantization.quantize_dynamic on nn.Linear, onednn engine: the int8 peer)
"""
import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import marian_model as mm  # noqa: E402
import search  # noqa: E402
import textutil  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-m", "--model", required=True)
    ap.add_argument("-i", "--input", required=True)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--beam", type=int, default=4)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--max-length", type=int, default=None)
    ap.add_argument("--ids-out", default=None, help="also write the output ids (space-separated) per line")
    ap.add_argument("--quantize-dynamic", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model, cfg = mm.load_model_dir(a.model)
    import json
    gen_path = os.path.join(a.model, "generation_config.json")
    gen = json.load(open(gen_path)) if os.path.exists(gen_path) else {}
    max_length = a.max_length or gen.get("max_length", cfg.get("max_length", 512))
    renorm = bool(gen.get("renormalize_logits", False))
    if a.quantize_dynamic:
        torch.backends.quantized.engine = "onednn"
        model = torch.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        model.cfg = cfg
    tok = textutil.MarianTok(a.model)
    with open(a.input, encoding="utf-8", newline="\n") as f:
        lines = [l.rstrip("\n") for l in f]
    srcs = [tok.encode(l) for l in lines]
    order = sorted(range(len(lines)), key=lambda i: (len(srcs[i]), i))
    outs = [None] * len(lines)
    t0 = time.time()
    for b in range(0, len(order), a.batch):
        chunk = order[b:b + a.batch]
        batch = [srcs[i] for i in chunk]
        if a.beam == 1:
            res = search.greedy(model, batch, max_length=max_length, renormalize=renorm)
        else:
            res = [r[0][0] for r in search.beam(model, batch, k=a.beam, max_length=max_length, renormalize=renorm)]
        for i, r in zip(chunk, res):
            outs[i] = r
    dt = time.time() - t0
    hyps = [tok.decode(o) if lines[i].strip() else "" for i, o in enumerate(outs)]
    tmp = a.output + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for h in hyps:
            f.write(h + "\n")
    os.replace(tmp, a.output)
    if a.ids_out:
        with open(a.ids_out, "w") as f:
            for o in outs:
                f.write(" ".join(map(str, o)) + "\n")
    words = sum(len(l.split()) for l in lines)
    print(f"reference_decode: {len(lines)} sentences, {words} source words in {dt:.2f} s: "
          f"{len(lines) / dt:.2f} sent/s, {words / dt:.1f} words/s (beam {a.beam}, batch {a.batch}, "
          f"threads {a.threads}{', dynamic int8 onednn' if a.quantize_dynamic else ''})", file=sys.stderr)


if __name__ == "__main__":
    main()
