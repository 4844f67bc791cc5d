#!/usr/bin/python3
"""Expected tokenizer output of the shipped model models/multi30k-en-de on test-data/multi30k/test2016.*,
computed with Debian's Python sentencepiece module (used by ShippedModelTokenizerTest).

Run from the repository root after the model's tokenizer files change:
    /usr/bin/python3 decoder/src/test/resources/multi30k-en-de/make_expected.py [MODEL_DIR]

Writes next to this script:
  test2016.en.ids      HF MarianTokenizer ids of each English line (spm pieces -> vocab.json, </s> appended)
  test2016.de.ids      the same for each German line (the model's spm is joint, source.spm == target.spm)
  test2016.de.decoded  JSON {line number (1-based): text} for the lines where decoding test2016.de.ids
                       (special ids dropped, target.spm DecodePieces, strip, no clean-up as the model's
                       tokenizer_config.json says) does not give back the line itself; the NFKC
                       normalisation of source.spm causes these
  model.sha256         checksums of the tokenizer files these were computed from
"""
import hashlib
import json
import os
import sys

import sentencepiece as spm

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../../../../.."))
MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "models/multi30k-en-de")
DATA = os.path.join(ROOT, "test-data/multi30k")
SPECIALS = ("</s>", "<unk>", "<pad>")


def main():
    src = spm.SentencePieceProcessor(model_file=os.path.join(MODEL, "source.spm"))
    tgt = spm.SentencePieceProcessor(model_file=os.path.join(MODEL, "target.spm"))
    with open(os.path.join(MODEL, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    with open(os.path.join(MODEL, "tokenizer_config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    assert not cfg.get("separate_vocabs", False)
    cleanup = cfg.get("clean_up_tokenization_spaces", True)
    rev = {i: p for p, i in vocab.items()}
    special_ids = {vocab[s] for s in SPECIALS}

    def encode(text):
        # test2016 has no special-token strings or >>xx<< tags, so this is the whole HF algorithm here
        assert not any(s in text for s in SPECIALS) and not text.startswith(">>")
        return [vocab.get(p, vocab["<unk>"]) for p in src.encode_as_pieces(text)] + [vocab["</s>"]]

    def decode(ids):
        out = tgt.decode_pieces([rev[i] for i in ids if i not in special_ids]).replace("\u2581", " ").strip()
        if cleanup:
            raise SystemExit("the shipped model is expected to set clean_up_tokenization_spaces false")
        return out

    decoded = {}
    for lang in ("en", "de"):
        with open(os.path.join(DATA, f"test2016.{lang}"), encoding="utf-8", newline="\n") as f:
            lines = [l.rstrip("\n") for l in f]
        rows = [encode(l) for l in lines]
        with open(os.path.join(HERE, f"test2016.{lang}.ids"), "w", encoding="utf-8") as f:
            for ids in rows:
                f.write(" ".join(map(str, ids)) + "\n")
        if lang == "de":
            for n, (line, ids) in enumerate(zip(lines, rows), 1):
                text = decode(ids)
                if text != line:
                    decoded[str(n)] = text
    with open(os.path.join(HERE, "test2016.de.decoded"), "w", encoding="utf-8") as f:
        json.dump(decoded, f, ensure_ascii=False, indent=0, sort_keys=True)
        f.write("\n")
    with open(os.path.join(HERE, "model.sha256"), "w") as f:
        for name in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json"):
            with open(os.path.join(MODEL, name), "rb") as g:
                f.write(f"{hashlib.sha256(g.read()).hexdigest()}  {name}\n")


if __name__ == "__main__":
    main()
