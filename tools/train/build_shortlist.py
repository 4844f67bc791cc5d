#!/usr/bin/env python3
"""Builds a Marian lexical shortlist for a MarianMT model directory from a parallel corpus.

Model: IBM Model 1 (Brown et al. 1993) with a NULL source word, source -> target direction, trained by EM
on the SentencePiece pieces of the corpus. Its translation table t(target | source) is exactly the
quantity a shortlist ranks (Marian's lex.s2t holds p(target | source) per line and keeps, per source
piece, the most probable targets). Model 1 rather than plain co-occurrence statistics because EM
"explains away" frequent target pieces: a target that co-occurs with everything (".", "▁eine") gets its
mass from the pieces that really predict it, so the per-source lists are not flooded by function words
(those are covered by Marian's `first` most frequent ids anyway). Debian has no fast_align; Model 1 is
fast_align without the diagonal prior, which matters little for a table that is only used as a set.

Outputs (both atomic: written to a temporary file, then renamed):
  --out-text  lex.s2t   one "target source probability" line per entry (Marian's text format), grouped
                        by source piece, most probable first; entries below --min-prob or beyond --keep
                        per source are dropped to keep the file small.
  --out-bin   lex.F.B.s2t.bin   Marian's binary shortlist (BinaryShortlistGenerator layout, little endian):
                        header u64 magic 0xF11A48D5013417F5, u64 checksum, u64 firstNum, u64 bestNum,
                        u64 wordToOffsetSize (= source vocab size + 1), u64 shortListsSize; then
                        wordToOffsetSize u64 offsets; then shortListsSize u32 target ids, each source's ids
                        sorted ascending. The checksum is Marian's util::hashMem over the u64 words after
                        magic and checksum (floor((size - 16) / 8) of them): seed ^= w + 0x9e3779b9 +
                        (seed << 6) + (seed >> 2), modulo 2^64, seed 0.
The binary's per-source lists are selected from the text table exactly as jnmt (and Marian's text
loader) select: the `best` most probable targets with probability > threshold, ties broken towards the
higher target id (Marian sorts (prob, id) pairs descending). The probabilities are taken from the text
as written (parsed back to float32), so the binary equals what `--shortlist lex.s2t F B T` selects.
"""

import argparse
import json
import os
import struct
import sys
import time

import numpy as np
import sentencepiece as spm

MAGIC = 0xF11A48D5013417F5
MASK = (1 << 64) - 1


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


def atomic_write(path, data: bytes):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def hash_mem(words):
    """Marian util::hashMem<uint64_t> with std::hash<uint64_t> = identity (libstdc++)."""
    seed = 0
    for w in words:
        seed ^= (int(w) + 0x9E3779B9 + ((seed << 6) & MASK) + (seed >> 2)) & MASK
    return seed


def encode(sp, vocab, lines, unk):
    out = []
    unknown = 0
    for line in lines:
        ids = []
        for piece in sp.encode(line, out_type=str):
            i = vocab.get(piece)
            if i is None:
                unknown += 1
                i = unk
            ids.append(i)
        out.append(np.asarray(ids, dtype=np.int64))
    return out, unknown


def model1(src, tgt, vs, vt, iterations):
    """EM for IBM Model 1, t(target | source); source id vs is NULL. Returns (keys, probs) where
    key = source * vt + target over every co-occurring pair."""
    null = vs
    occ_keys = []
    occ_group = []
    group = 0
    for s, t in zip(src, tgt):
        if len(t) == 0:
            continue
        s1 = np.concatenate([s, [null]])
        m, n = len(s1), len(t)
        occ_keys.append((np.repeat(s1, n) * vt + np.tile(t, m)))
        occ_group.append(np.tile(np.arange(group, group + n), m))
        group += n
    keys_all = np.concatenate(occ_keys)
    groups = np.concatenate(occ_group)
    keys, inverse = np.unique(keys_all, return_inverse=True)
    del keys_all
    src_of_key = keys // vt
    log(f"model1: {len(inverse):,} co-occurrences, {len(keys):,} distinct pairs, {group:,} target tokens")
    # uniform start: t(f|e) equal for every f co-occurring with e
    pairs_per_src = np.bincount(src_of_key, minlength=vs + 1).astype(np.float64)
    t = 1.0 / pairs_per_src[src_of_key]
    for it in range(iterations):
        p = t[inverse]
        denom = np.bincount(groups, weights=p, minlength=group)
        c = p / denom[groups]
        counts = np.bincount(inverse, weights=c, minlength=len(keys))
        totals = np.bincount(src_of_key, weights=counts, minlength=vs + 1)
        t = counts / totals[src_of_key]
        ll = float(np.log(denom).sum())
        log(f"model1: iteration {it + 1}: log-likelihood {ll:,.1f} (up to the per-sentence constant)")
    return keys, t


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="MarianMT directory (source.spm, target.spm, vocab.json)")
    ap.add_argument("--src", required=True, help="source side of the corpus (one sentence per line)")
    ap.add_argument("--tgt", required=True, help="target side")
    ap.add_argument("--iterations", type=int, default=5)
    ap.add_argument("--min-prob", type=float, default=0.001, help="text table: drop t(target|source) below this")
    ap.add_argument("--keep", type=int, default=50, help="text table: at most this many targets per source")
    ap.add_argument("--first", type=int, default=50, help="binary header firstNum")
    ap.add_argument("--best", type=int, default=50, help="binary header bestNum")
    ap.add_argument("--threshold", type=float, default=0.0, help="binary: keep probabilities > threshold")
    ap.add_argument("--out-text", required=True)
    ap.add_argument("--out-bin", required=True)
    a = ap.parse_args()

    start = time.process_time()
    with open(os.path.join(a.model, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    size = max(vocab.values()) + 1
    id_to_piece = [None] * size
    for piece, i in vocab.items():
        id_to_piece[i] = piece
    unk = vocab["<unk>"]
    src_sp = spm.SentencePieceProcessor(model_file=os.path.join(a.model, "source.spm"))
    tgt_sp = spm.SentencePieceProcessor(model_file=os.path.join(a.model, "target.spm"))
    src_lines, tgt_lines = read_lines(a.src), read_lines(a.tgt)
    if len(src_lines) != len(tgt_lines):
        sys.exit(f"build_shortlist: {a.src} has {len(src_lines)} lines but {a.tgt} has {len(tgt_lines)}")
    src, su = encode(src_sp, vocab, src_lines, unk)
    tgt, tu = encode(tgt_sp, vocab, tgt_lines, unk)
    log(f"tokenized {len(src_lines):,} pairs ({sum(map(len, src)):,} source, {sum(map(len, tgt)):,} target pieces; "
        f"{su + tu} pieces not in vocab.json -> <unk>)")

    keys, t = model1(src, tgt, size, size, a.iterations)
    s_of, t_of = keys // size, keys % size
    real = (s_of < size) & (t >= a.min_prob)  # NULL (id == size) is not written, as Marian skips NULL
    s_of, t_of, p = s_of[real], t_of[real], t[real]
    # per source: most probable first, ties towards the higher target id; then at most --keep
    order = np.lexsort((-t_of, -p, s_of))
    s_of, t_of, p = s_of[order], t_of[order], p[order]
    rank = np.arange(len(s_of)) - np.searchsorted(s_of, s_of, side="left")
    sel = rank < a.keep
    s_of, t_of, p = s_of[sel], t_of[sel], p[sel]

    lines = []
    skipped_special = 0
    for s, tt, pp in zip(s_of.tolist(), t_of.tolist(), p.tolist()):
        sp_, tp_ = id_to_piece[s], id_to_piece[tt]
        if sp_ is None or tp_ is None or sp_ == "<unk>" or tp_ == "<unk>":
            skipped_special += 1
            continue
        lines.append(f"{tp_} {sp_} {pp:.6g}\n")
    text = "".join(lines).encode("utf-8")
    atomic_write(a.out_text, text)
    log(f"wrote {a.out_text}: {len(lines):,} entries, {len(text):,} bytes "
        f"(min-prob {a.min_prob}, keep {a.keep}; {skipped_special} <unk> entries left out)")

    # binary, selected from the text as written
    per_src = [[] for _ in range(size)]
    for line in lines:
        tp_, sp_, pr = line.split(" ")
        prob = float(np.float32(pr))
        if prob > a.threshold:
            per_src[vocab[sp_]].append((prob, vocab[tp_]))
    offsets = [0]
    ids = []
    for lst in per_src:
        lst.sort(reverse=True)
        ids.extend(sorted(i for _, i in lst[:a.best]))
        offsets.append(len(ids))
    body = struct.pack(f"<4Q{len(offsets)}Q{len(ids)}I", a.first, a.best, len(offsets), len(ids), *offsets, *ids)
    n_words = len(body) // 8
    checksum = hash_mem(struct.unpack(f"<{n_words}Q", body[: n_words * 8]))
    blob = struct.pack("<2Q", MAGIC, checksum) + body
    atomic_write(a.out_bin, blob)
    log(f"wrote {a.out_bin}: first {a.first}, best {a.best}, threshold {a.threshold}, "
        f"{len(ids):,} ids, {len(blob):,} bytes, checksum {checksum:#018x}")
    log(f"cpu {time.process_time() - start:.1f} s")


if __name__ == "__main__":
    main()
