"""Trains the joint SentencePiece unigram model on Multi30k train (en+de) and writes the HF MarianMT tokenizer
files: source.spm, target.spm (the same joint model), vocab.json (piece -> id in Marian order: </s>=0, <unk>=1,
pieces..., <pad>=V-1 last) and tokenizer_config.json.

Usage: prepare_spm.py --corpus ../shared/corpus/multi30k --out WORKDIR/spm [--pieces 7999]
7999 pieces + <pad> gives V = 8000, a multiple of 8 (and 64), so the output layer fits intgemm's tiles.
"""
import argparse
import json
import os
import shutil
import tempfile

import sentencepiece as spm


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--pieces", type=int, default=7999)
    ap.add_argument("--src", default="en")
    ap.add_argument("--tgt", default="de")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        joint = os.path.join(tmp, "joint.txt")
        with open(joint, "w", encoding="utf-8") as out:
            for lang in (a.src, a.tgt):
                with open(os.path.join(a.corpus, f"train.{lang}"), encoding="utf-8", newline="\n") as f:
                    for line in f:
                        out.write(line.rstrip("\n") + "\n")
        prefix = os.path.join(tmp, "joint")
        spm.SentencePieceTrainer.train(
            input=joint, model_prefix=prefix, model_type="unigram", vocab_size=a.pieces,
            character_coverage=1.0, normalization_rule_name="nmt_nfkc",
            eos_id=0, unk_id=1, bos_id=-1, pad_id=-1, eos_piece="</s>", unk_piece="<unk>",
            input_sentence_size=0, shuffle_input_sentence=False, num_threads=2, seed_sentencepiece_size=1000000,
            minloglevel=2)
        shutil.copyfile(prefix + ".model", os.path.join(a.out, "source.spm"))
        shutil.copyfile(prefix + ".model", os.path.join(a.out, "target.spm"))
    sp = spm.SentencePieceProcessor(model_file=os.path.join(a.out, "source.spm"))
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    assert vocab["</s>"] == 0 and vocab["<unk>"] == 1
    vocab["<pad>"] = len(vocab)
    with open(os.path.join(a.out, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False, indent=1)
        f.write("\n")
    tok_cfg = {
        "tokenizer_class": "MarianTokenizer",
        "source_lang": a.src,
        "target_lang": a.tgt,
        "separate_vocabs": False,
        "model_max_length": 512,
        "eos_token": "</s>",
        "unk_token": "<unk>",
        "pad_token": "<pad>",
        "sp_model_kwargs": {},
        "clean_up_tokenization_spaces": False,
    }
    with open(os.path.join(a.out, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(tok_cfg, f, indent=2)
        f.write("\n")
    print(f"vocab size V = {len(vocab)} (pad id {vocab['<pad>']})")


if __name__ == "__main__":
    main()
