"""Writes a random-weight model of any shape in the HF MarianMT directory format, reusing a SentencePiece model
and vocab.json (extended with filler pieces when --vocab is larger), for speed benchmarks and tests.

    /usr/bin/python3 tools/train/random_model.py --spm-dir models/multi30k-en-de --out /tmp/big \
        --d-model 512 --enc-layers 6 --dec-layers 6 --heads 8 --ffn 2048 --vocab 32000 [--seed 7]

Weights: xavier-uniform matrices, N(0, d^-0.5) embeddings (pad row 0), small random biases and LayerNorm
parameters, random final_logits_bias, so every code path is exercised with non-trivial values. Generated, not
committed.
"""
import argparse
import json
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import marian_model as mm  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spm-dir", required=True, help="directory with source.spm, target.spm, vocab.json")
    ap.add_argument("--out", required=True)
    ap.add_argument("--d-model", type=int, default=512)
    ap.add_argument("--enc-layers", type=int, default=6)
    ap.add_argument("--dec-layers", type=int, default=6)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--ffn", type=int, default=2048)
    ap.add_argument("--vocab", type=int, default=0, help="vocabulary size V incl. <pad> (0: the spm dir's)")
    ap.add_argument("--activation", default="swish")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--never-eos", action="store_true",
                    help="final_logits_bias of </s> = -1e4: every sentence decodes to max_length, so a speed "
                         "benchmark does the same work for every engine and precision")
    a = ap.parse_args()
    with open(os.path.join(a.spm_dir, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    pad_piece = "<pad>"
    base = {p: i for p, i in vocab.items() if p != pad_piece}
    V = a.vocab or len(vocab)
    if V < len(base) + 1:
        raise SystemExit(f"--vocab {V} is smaller than the spm vocabulary ({len(base) + 1})")
    n = len(base)
    while n < V - 1:
        base[f"<filler{n}>"] = n
        n += 1
    base[pad_piece] = V - 1
    os.makedirs(a.out, exist_ok=True)
    cfg = mm.marian_config(V, a.d_model, a.enc_layers, a.dec_layers, a.heads, a.ffn, dropout=0.0)
    cfg["activation_function"] = a.activation
    torch.manual_seed(a.seed)
    model = mm.MarianMT(cfg)
    model.init_weights(a.seed)
    g = torch.Generator().manual_seed(a.seed + 1)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 1 or "final_logits_bias" in name:
                p.add_(torch.randn(p.shape, generator=g) * 0.1)
        if a.never_eos:
            model.final_logits_bias[..., 0] = -1e4  # </s> is id 0 in the HF Marian convention
    for name in ("source.spm", "target.spm"):
        shutil.copyfile(os.path.join(a.spm_dir, name), os.path.join(a.out, name))
    with open(os.path.join(a.out, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(base, f, ensure_ascii=False)
    tok_cfg = os.path.join(a.spm_dir, "tokenizer_config.json")
    if os.path.exists(tok_cfg):
        shutil.copyfile(tok_cfg, os.path.join(a.out, "tokenizer_config.json"))
    else:
        with open(os.path.join(a.out, "tokenizer_config.json"), "w") as f:
            json.dump({"source_lang": "en", "target_lang": "de", "separate_vocabs": False}, f)
    model.eval()
    spm_tmp = a.out  # tokenizer files already in place
    mm.export_model_dir(model, cfg, a.out, spm_tmp, metadata={"generator": "tools/train/random_model.py",
                                                              "seed": str(a.seed),
                                                              "never_eos": str(a.never_eos).lower()})
    print(f"wrote {a.out}: V={V} d={a.d_model} {a.enc_layers}+{a.dec_layers} heads={a.heads} ffn={a.ffn}")


if __name__ == "__main__":
    main()
