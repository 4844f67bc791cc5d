"""Greedy and beam search over marian_model.MarianMT, reproducing Hugging Face generate() for MarianMT
(transformers >= 4.50 beam search, generation/utils.py):
- step scores: log_softmax over all V columns; pad banned (-inf); at cur_len == max_length-1 every id but EOS is
  -inf and EOS gets 0 (forced EOS); with renormalize_logits a second log_softmax ends the chain;
- beam: top 2K candidates of (running score + step score); EOS candidates finish only from the top K ranks with
  score / generated_length^length_penalty (EOS counted, start token not); running beams are the top K non-EOS;
  early_stopping=False stop heuristic; max_length counts the start token.
Ties are broken by lower flat index (beam*V + token) first, which is what a stable descending sort gives.
"""
import torch
import torch.nn.functional as F

NEG_INF = float("-inf")


def step_scores(logits, cur_len, max_length, pad, eos, renormalize):
    lp = F.log_softmax(logits.float(), dim=-1)
    lp[:, pad] = NEG_INF
    if cur_len == max_length - 1:
        lp[:] = NEG_INF
        lp[:, eos] = 0.0
    if renormalize:
        lp = F.log_softmax(lp, dim=-1)
    return lp


def topk_stable(x, k):
    """Descending top-k with ties broken by lower index (deterministic, matches the Java decoder)."""
    order = torch.sort(x, dim=-1, descending=True, stable=True)
    return order.values[..., :k], order.indices[..., :k]


def pad_batch(seqs, pad):
    n = max(len(s) for s in seqs)
    return torch.tensor([s + [pad] * (n - len(s)) for s in seqs], dtype=torch.long)


@torch.no_grad()
def greedy(model, srcs, max_length=512, renormalize=True):
    cfg = model.cfg
    pad, eos = cfg["pad_token_id"], cfg["eos_token_id"]
    src = pad_batch(srcs, pad)
    enc, mask = model.encode(src)
    b = src.shape[0]
    caches = [dict() for _ in model.model.decoder.layers]
    cur = torch.full((b, 1), pad, dtype=torch.long)
    out = [[] for _ in range(b)]
    done = [False] * b
    for step in range(max_length - 1):
        logits = model.decode_step(cur, step, enc, mask, caches)
        lp = step_scores(logits, step + 1, max_length, pad, eos, renormalize)
        _, nxt = topk_stable(lp, 1)
        nxt = nxt[:, 0]
        for i in range(b):
            if not done[i]:
                t = int(nxt[i])
                if t == eos:
                    done[i] = True
                else:
                    out[i].append(t)
        if all(done):
            break
        cur = nxt[:, None]
    return out


@torch.no_grad()
def beam(model, srcs, k=4, max_length=512, length_penalty=1.0, renormalize=True, n_best=1):
    """Batched HF beam search; returns for each source a list of n_best (tokens without EOS, score)."""
    cfg = model.cfg
    pad, eos = cfg["pad_token_id"], cfg["eos_token_id"]
    V = cfg["vocab_size"]
    b = len(srcs)
    src = pad_batch(srcs, pad)
    enc, mask = model.encode(src)
    enc = enc.repeat_interleave(k, dim=0)
    mask = mask.repeat_interleave(k, dim=0)
    caches = [dict() for _ in model.model.decoder.layers]
    seqs = [[[] for _ in range(k)] for _ in range(b)]
    running = torch.full((b, k), -1e9)
    running[:, 0] = 0.0
    finished = [[] for _ in range(b)]  # (score, tokens)
    active = [True] * b
    cur = torch.full((b * k, 1), pad, dtype=torch.long)
    cur_len = 1
    while True:
        logits = model.decode_step(cur, cur_len - 1, enc, mask, caches)
        lp = step_scores(logits, cur_len, max_length, pad, eos, renormalize).view(b, k, V)
        cand = (running[:, :, None] + lp).view(b, k * V)
        top_s, top_i = topk_stable(cand, 2 * k)
        new_running = torch.full((b, k), -1e9)
        new_tok = torch.full((b, k), pad, dtype=torch.long)
        src_beam = torch.zeros((b, k), dtype=torch.long)
        new_seqs = []
        for i in range(b):
            row_seqs = [[] for _ in range(k)]
            if not active[i]:
                new_seqs.append(seqs[i])
                src_beam[i] = torch.arange(k)
                continue
            hits = []
            kept = 0
            order = []
            for j in range(2 * k):
                s = float(top_s[i, j])
                idx = int(top_i[i, j])
                bk, tok = divmod(idx, V)
                hit = tok == eos or cur_len + 1 >= max_length
                if hit:
                    if j < k:
                        hits.append((s, bk, tok))
                else:
                    order.append((s, bk, tok))
            for s, bk, tok in order[:k]:
                new_running[i, kept] = s
                new_tok[i, kept] = tok
                src_beam[i, kept] = bk
                row_seqs[kept] = seqs[i][bk] + [tok]
                kept += 1
            for s, bk, tok in hits:
                toks = seqs[i][bk] + ([] if tok == eos else [tok])
                norm = s / (cur_len ** length_penalty)
                finished[i].append((norm, toks))
            finished[i].sort(key=lambda t: -t[0])
            finished[i] = finished[i][:k]
            new_seqs.append(row_seqs)
            # early_stopping=False heuristic: can the best running beam still beat the worst finished one?
            all_hit = len(order) == 0
            best_running = float(new_running[i, 0]) / (cur_len ** length_penalty)
            if all_hit:
                active[i] = False
            elif len(finished[i]) == k and best_running <= finished[i][-1][0]:
                active[i] = False
        seqs = new_seqs
        running = new_running
        cur_len += 1
        if not any(active) or cur_len >= max_length:
            break
        flat = (torch.arange(b)[:, None] * k + src_beam).view(-1)
        for c in caches:
            c["k"] = c["k"].index_select(0, flat)
            c["v"] = c["v"].index_select(0, flat)
        cur = new_tok.view(b * k, 1)
    return [[(toks, sc) for sc, toks in finished[i][:n_best]] for i in range(b)]
