"""Tokenization through vocab.json (HF MarianTokenizer rules) and a BLEU-13a for training-time model selection.

The product's BLEU is `jnmt bleu` (sacrebleu-compatible, Java); this one only ranks checkpoints during training.
"""
import json
import math
import re
from collections import Counter

import sentencepiece as spm

SPECIALS = ("</s>", "<unk>", "<pad>")


class MarianTok:
    def __init__(self, model_dir):
        self.sp = spm.SentencePieceProcessor(model_file=f"{model_dir}/source.spm")
        with open(f"{model_dir}/vocab.json", encoding="utf-8") as f:
            self.vocab = json.load(f)
        self.inv = {i: p for p, i in self.vocab.items()}
        self.eos, self.unk, self.pad = self.vocab["</s>"], self.vocab["<unk>"], self.vocab["<pad>"]

    def encode(self, text):
        ids = []
        # literal special-token strings map straight to their ids (HF's added-token split)
        for chunk in re.split(r"(</s>|<unk>|<pad>)", text):
            if chunk in SPECIALS:
                ids.append(self.vocab[chunk])
            elif chunk:
                ids.extend(self.vocab.get(p, self.unk) for p in self.sp.encode(chunk, out_type=str))
        ids.append(self.eos)
        return ids

    def decode(self, ids):
        pieces = [self.inv[i] for i in ids if i not in (self.eos, self.unk, self.pad)]
        return self.sp.decode_pieces(pieces).strip()


def tok13a(line):
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = line.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    line = f" {line} "
    line = re.sub(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])", r" \1 ", line)
    line = re.sub(r"([^0-9])([\.,])", r"\1 \2 ", line)
    line = re.sub(r"([\.,])([^0-9])", r" \1 \2", line)
    line = re.sub(r"([0-9])(-)", r"\1 \2 ", line)
    return line.split()


def bleu(hyps, refs):
    match, total = [0] * 4, [0] * 4
    hl = rl = 0
    for h, r in zip(hyps, refs):
        h, r = tok13a(h), tok13a(r)
        hl += len(h)
        rl += len(r)
        for n in range(1, 5):
            hc = Counter(tuple(h[i:i + n]) for i in range(len(h) - n + 1))
            rc = Counter(tuple(r[i:i + n]) for i in range(len(r) - n + 1))
            match[n - 1] += sum(min(c, rc[g]) for g, c in hc.items())
            total[n - 1] += max(0, len(h) - n + 1)
    if min(total) == 0 or min(match) == 0:
        return 0.0
    lp = sum(math.log(m / t) for m, t in zip(match, total)) / 4
    bp = 1.0 if hl > rl else math.exp(1 - rl / max(hl, 1))
    return 100 * bp * math.exp(lp)
