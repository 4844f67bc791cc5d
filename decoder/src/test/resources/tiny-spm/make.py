#!/usr/bin/python3
"""Regenerates the tiny SentencePiece tokenizer fixtures used by MarianTokenizerTest.

Run with Debian's python3 (it has the sentencepiece module):
    /usr/bin/python3 decoder/src/test/resources/tiny-spm/make.py [CORPUS_DIR]
CORPUS_DIR defaults to /work/shared/corpus/multi30k (Multi30k train/test2016 .en/.de).

Writes, next to this script:
  source.spm          unigram, 250 pieces, nmt_nfkc normalisation (as opus-mt models), trained on English
  target.spm          unigram, 250 pieces, identity normalisation (keeps the file small), trained on German
  vocab.json          Marian-style joint vocabulary: </s>=0, <unk>=1, then the pieces of both models in a
                      shuffled order with every 9th piece left out (so real pieces map to <unk>), two
                      language tags, and <pad> last; its ids never equal the spm ids
  target_vocab.json   the target pieces only (for separate_vocabs), same construction
  expected.json       encode and decode cases with the ids/text that Hugging Face's MarianTokenizer
                      algorithm gives, computed here with the Python sentencepiece module

The HF algorithm is restated below from transformers tokenization_marian.py; transformers itself
is not installed here.
"""
import json
import os
import random
import sys

import sentencepiece as spm

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/corpus/multi30k"
SPECIALS = ["</s>", "<unk>", "<pad>"]
UNDERLINE = "\u2581"


def lines(name, n):
    with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
        return [l.rstrip("\n") for _, l in zip(range(n), f)]


def train(prefix, corpus_lines, rule):
    path = os.path.join(HERE, prefix + ".txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(corpus_lines) + "\n")
    spm.SentencePieceTrainer.train(
        input=path, model_prefix=os.path.join(HERE, prefix), vocab_size=250, model_type="unigram",
        normalization_rule_name=rule, character_coverage=1.0, seed_sentencepiece_size=20000,
        num_threads=1, minloglevel=2)
    os.remove(path)
    os.remove(os.path.join(HERE, prefix + ".vocab"))
    os.replace(os.path.join(HERE, prefix + ".model"), os.path.join(HERE, prefix + ".spm"))
    return spm.SentencePieceProcessor(model_file=os.path.join(HERE, prefix + ".spm"))


def marian_vocab(pieces, extra, seed):
    pieces = [p for p in pieces if p not in ("<unk>", "<s>", "</s>")]
    kept = [p for i, p in enumerate(pieces) if i % 9 != 4]
    random.Random(seed).shuffle(kept)
    order = ["</s>", "<unk>"] + kept + extra + ["<pad>"]
    return {p: i for i, p in enumerate(order)}


def all_pieces(sp):
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


# --- HF MarianTokenizer, restated -------------------------------------------------------------------
def split_on_specials(text):
    parts, pos = [], 0
    while True:
        best, tok = -1, None
        for t in SPECIALS:
            i = text.find(t, pos)
            if i >= 0 and (best < 0 or i < best or (i == best and len(t) > len(tok))):
                best, tok = i, t
        if best < 0:
            parts.append(text[pos:])
            break
        parts += [text[pos:best], tok]
        pos = best + len(tok)
    # transformers >= 4.34: the special tokens are AddedTokens with lstrip=rstrip=False, so the text
    # around them keeps its whitespace
    return parts


def tokenize(sp, text):
    out = []
    for chunk in split_on_specials(text):
        if not chunk:
            continue
        if chunk in SPECIALS:
            out.append(chunk)
            continue
        if chunk.startswith(">>") and chunk.find("<<") != -1:
            end = chunk.find("<<")
            out.append(chunk[: end + 2])
            chunk = chunk[end + 2:]
        out += sp.encode_as_pieces(chunk)
    return out


def encode(sp, vocab, text):
    pieces = tokenize(sp, text)
    return pieces, [vocab.get(p, vocab["<unk>"]) for p in pieces] + [vocab["</s>"]]


def clean_up(s):
    return (s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
            .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s")
            .replace(" 've", "'ve").replace(" 're", "'re"))


def decode(sp, target_vocab, ids, skip, cleanup):
    rev = {i: p for p, i in target_vocab.items()}
    special_ids = {target_vocab[s] for s in SPECIALS}
    tokens = []
    for i in ids:
        if skip and i in special_ids:
            continue
        t = rev.get(i, "<unk>")
        if skip and t in SPECIALS:
            continue
        tokens.append(t)
    out, run = "", []
    for t in tokens:
        if t in SPECIALS:
            out += sp.decode_pieces(run) + t + " "
            run = []
        else:
            run.append(t)
    out += sp.decode_pieces(run)
    out = out.replace(UNDERLINE, " ").strip()
    return clean_up(out) if cleanup else out


# -----------------------------------------------------------------------------------------------------
def main():
    src = train("source", lines("train.en", 3000), "nmt_nfkc")
    tgt = train("target", lines("train.de", 3000), "identity")
    tags = [">>de<<", ">>fra<<"]
    joint = []
    for p in all_pieces(src) + all_pieces(tgt):
        if p not in joint:
            joint.append(p)
    vocab = marian_vocab(joint, tags, 1)
    target_vocab = marian_vocab(all_pieces(tgt), [], 2)
    for name, v in (("vocab.json", vocab), ("target_vocab.json", target_vocab)):
        with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
            json.dump(v, f, ensure_ascii=False, indent=0)
            f.write("\n")

    texts = [
        "", "   ", "Hello  world\t!", ">>de<< A man is running.", ">>xx<< an unknown tag",
        "A dog <pad> runs </s> fast <unk>", "<pad>", "x</s>y", " >>de<< leading space",
        "\ufb01ne \uff26\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48 \u2460", "\u00c4pfel na\u00efve caf\u00e9",
        "emoji \U0001F600 and \u4e2d\u6587", ">>de<<", ">>de no close", "a\u00a0b", "<pad> >>de<< x",
        "tab\tand\nnewline", "||", "<pad><unk></s>", "<<>>", ">>fra<<Bonjour", "A  B   C    ",
    ]
    texts += lines("test2016.en", 120)
    encode_cases = []
    for t in texts:
        pieces, ids = encode(src, vocab, t)
        encode_cases.append({"text": t, "pieces": pieces, "ids": ids})

    def target_ids(v, text):
        return [v.get(p, v["<unk>"]) for p in tgt.encode_as_pieces(text)] + [v["</s>"]]

    decode_cases = []
    for mode, v in (("shared", vocab), ("separate", target_vocab)):
        seqs = [target_ids(v, t) for t in lines("test2016.de", 60)]
        pad, unk, eos = v["<pad>"], v["<unk>"], v["</s>"]
        piece_ids = lambda ps: [v.get(p, unk) for p in ps]
        seqs += [
            [],
            [eos],
            [pad] + target_ids(v, "Ein Hund rennt.")[:-1] + [unk] + target_ids(v, "Zwei Frauen") + [pad, pad],
            piece_ids([UNDERLINE + "E", "in", UNDERLINE, ",", UNDERLINE + "M", "ann", UNDERLINE, ".", UNDERLINE, "?"]),
            piece_ids([UNDERLINE, "'", UNDERLINE, "s", UNDERLINE, "!", UNDERLINE, ","]) + [eos],
            [len(v) + 5, 3, 4, unk, len(v) + 100],
            [3, eos, 4, pad, 5],
        ]
        if ">>de<<" in v:
            seqs.append([v[">>de<<"]] + target_ids(v, "Ein Mann."))
        for ids in seqs:
            decode_cases.append({
                "mode": mode,
                "ids": ids,
                "skip_clean": decode(tgt, v, ids, True, True),
                "skip_raw": decode(tgt, v, ids, True, False),
                "keep_clean": decode(tgt, v, ids, False, True),
            })
    def rows(cases):
        return ",\n".join(json.dumps(c, ensure_ascii=False) for c in cases)

    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        f.write('{"sentencepiece": %s,\n"encode": [\n%s\n],\n"decode": [\n%s\n]}\n'
                % (json.dumps(spm.__version__), rows(encode_cases), rows(decode_cases)))

if __name__ == "__main__":
    main()
