"""Trains the shipped Multi30k en->de MarianMT-architecture model on CPU (resumable), then averages the last
checkpoints and exports an HF MarianMT directory.

    /usr/bin/python3 tools/train/train.py --corpus ../shared/corpus/multi30k --work tools/train/work \
        --export models/multi30k-en-de [--max-minutes 90] [--resume]

Label smoothing 0.1 (the pad column is excluded from the softmax, as Marian has no pad column; the exported
generation_config.json therefore sets renormalize_logits=true), Adam(0.9, 0.98, 1e-9) with linear warm-up then
inverse-sqrt decay, ~4k target tokens per batch, 2 threads, one checkpoint per epoch, average of the last
--average epochs, stop on --max-minutes, --max-epochs or a dev-BLEU plateau of --patience epochs.
"""
import argparse
import glob
import json
import math
import os
import random
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import marian_model as mm  # noqa: E402
import search  # noqa: E402
import textutil  # noqa: E402


def log(msg, fh):
    line = time.strftime("%Y-%m-%d %H:%M:%S ") + msg
    print(line, flush=True)
    fh.write(line + "\n")
    fh.flush()


def read_lines(path):
    with open(path, encoding="utf-8", newline="\n") as f:
        return [l.rstrip("\n") for l in f]


def make_batches(pairs, max_tokens, rng):
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][1]), len(pairs[i][0]), i))
    batches, cur, mt, ms = [], [], 0, 0
    for i in order:
        s, t = pairs[i]
        nmt, nms = max(mt, len(t) + 1), max(ms, len(s))
        if cur and (nmt * (len(cur) + 1) > max_tokens or nms * (len(cur) + 1) > max_tokens):
            batches.append(cur)
            cur, nmt, nms = [], len(t) + 1, len(s)
        cur.append(i)
        mt, ms = nmt, nms
    if cur:
        batches.append(cur)
    rng.shuffle(batches)
    return batches


def smoothed_loss(logits, target, pad, eps):
    logits = logits.float().masked_fill(
        torch.arange(logits.shape[-1]) == pad, float("-inf"))
    lp = F.log_softmax(logits, dim=-1)
    mask = target != pad
    nll = -lp.gather(-1, target.unsqueeze(-1)).squeeze(-1)
    smooth = -lp.masked_fill(torch.isinf(lp), 0.0).sum(-1) / (logits.shape[-1] - 1)
    loss = ((1 - eps) * nll + eps * smooth)[mask].sum()
    return loss, nll[mask].sum(), int(mask.sum())


def to_tensors(pairs, idx, pad):
    srcs = [pairs[i][0] for i in idx]
    tgts = [pairs[i][1] for i in idx]
    src = search.pad_batch(srcs, pad)
    tin = search.pad_batch([[pad] + t[:-1] for t in tgts], pad)  # decoder input: start(=pad) + tokens
    tout = search.pad_batch(tgts, pad)  # labels: tokens + </s>
    return src, tin, tout


def dev_eval(model, dev_pairs, dev_refs, tok, pad, fh):
    model.eval()
    with torch.no_grad():
        tot, n = 0.0, 0
        idx = list(range(len(dev_pairs)))
        for b in range(0, len(idx), 64):
            src, tin, tout = to_tensors(dev_pairs, idx[b:b + 64], pad)
            enc, mask = model.encode(src)
            _, nll, cnt = smoothed_loss(model.decode_train(tin, enc, mask), tout, pad, 0.0)
            tot += float(nll)
            n += cnt
        hyps = [None] * len(dev_pairs)
        order = sorted(idx, key=lambda i: len(dev_pairs[i][0]))
        for b in range(0, len(order), 100):
            chunk = order[b:b + 100]
            outs = search.greedy(model, [dev_pairs[i][0] for i in chunk],
                                 max_length=min(512, 2 * max(len(dev_pairs[i][0]) for i in chunk) + 10))
            for i, o in zip(chunk, outs):
                hyps[i] = tok.decode(o)
    model.train()
    return tot / n, textutil.bleu(hyps, dev_refs)


def average(paths):
    avg = None
    for p in paths:
        sd = torch.load(p, map_location="cpu")
        if avg is None:
            avg = {k: v.clone().double() for k, v in sd.items()}
        else:
            for k in avg:
                avg[k] += sd[k].double()
    return {k: (v / len(paths)).float() for k, v in avg.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--export", required=True)
    ap.add_argument("--enc-layers", type=int, default=3)
    ap.add_argument("--dec-layers", type=int, default=3)
    ap.add_argument("--d-model", type=int, default=256)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--ffn", type=int, default=1024)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--lr", type=float, default=9e-4)
    ap.add_argument("--warmup", type=int, default=500)
    ap.add_argument("--max-tokens", type=int, default=5600)
    ap.add_argument("--max-epochs", type=int, default=40)
    ap.add_argument("--max-minutes", type=float, default=90)
    ap.add_argument("--patience", type=int, default=4)
    ap.add_argument("--average", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--resume", action="store_true")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    os.makedirs(a.work, exist_ok=True)
    fh = open(os.path.join(a.work, "train.log"), "a", encoding="utf-8")
    log("args " + json.dumps(vars(a)), fh)
    spm_dir = os.path.join(a.work, "spm")
    if not os.path.exists(os.path.join(spm_dir, "vocab.json")):
        log("training SentencePiece", fh)
        import subprocess
        subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "prepare_spm.py"),
                        "--corpus", a.corpus, "--out", spm_dir], check=True)
    tok = textutil.MarianTok(spm_dir)
    V = len(tok.vocab)
    pad = tok.pad
    cfg = mm.marian_config(V, a.d_model, a.enc_layers, a.dec_layers, a.heads, a.ffn, dropout=a.dropout)

    def load_pairs(split):
        src = read_lines(os.path.join(a.corpus, f"{split}.en"))
        tgt = read_lines(os.path.join(a.corpus, f"{split}.de"))
        assert len(src) == len(tgt)
        return [(tok.encode(s), tok.encode(t)) for s, t in zip(src, tgt)], tgt

    train_pairs, _ = load_pairs("train")
    train_pairs = [p for p in train_pairs if len(p[0]) <= 128 and len(p[1]) <= 128]
    dev_pairs, dev_refs = load_pairs("dev")
    log(f"V={V} train={len(train_pairs)} dev={len(dev_pairs)} "
        f"target tokens/epoch={sum(len(t) for _, t in train_pairs)}", fh)

    torch.manual_seed(a.seed)
    model = mm.MarianMT(cfg)
    model.init_weights(a.seed)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.9, 0.98), eps=1e-9)
    state = {"step": 0, "epoch": 0, "elapsed": 0.0, "cpu": 0.0, "history": []}
    last = os.path.join(a.work, "last.pt")
    if a.resume and os.path.exists(last):
        ck = torch.load(last, map_location="cpu")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        state = ck["state"]
        log(f"resumed at epoch {state['epoch']} step {state['step']}", fh)
    n_params = sum(p.numel() for p in model.parameters())
    log(f"model {a.enc_layers}+{a.dec_layers} d={a.d_model} heads={a.heads} ffn={a.ffn} params={n_params}", fh)

    model.train()
    t_start = time.time() - state["elapsed"]
    # CPU seconds of this process (all threads), carried across resumes: the unit the model choice is made in.
    cpu_start = time.process_time() - state.get("cpu", 0.0)
    stop_reason = None
    while state["epoch"] < a.max_epochs:
        rng = random.Random(a.seed + state["epoch"])
        batches = make_batches(train_pairs, a.max_tokens, rng)
        ep_loss, ep_tok, t_ep = 0.0, 0, time.time()
        for bi, idx in enumerate(batches):
            src, tin, tout = to_tensors(train_pairs, idx, pad)
            state["step"] += 1
            s = state["step"]
            lr = a.lr * min(s / a.warmup, math.sqrt(a.warmup / s))
            for g in opt.param_groups:
                g["lr"] = lr
            enc, mask = model.encode(src)
            loss, nll, cnt = smoothed_loss(model.decode_train(tin, enc, mask), tout, pad, a.label_smoothing)
            opt.zero_grad(set_to_none=True)
            (loss / cnt).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            ep_loss += float(nll)
            ep_tok += cnt
            if s % 20 == 0:
                log(f"ep {state['epoch'] + 1} step {s} batch {bi + 1}/{len(batches)} lr {lr:.2e} "
                    f"nll/tok {ep_loss / ep_tok:.3f} tok/s {ep_tok / (time.time() - t_ep):.0f} "
                    f"elapsed {(time.time() - t_start) / 60:.1f} min", fh)
        state["epoch"] += 1
        dev_nll, dev_bleu = dev_eval(model, dev_pairs, dev_refs, tok, pad, fh)
        state["elapsed"] = time.time() - t_start
        state["cpu"] = time.process_time() - cpu_start
        state["history"].append({"epoch": state["epoch"], "step": state["step"], "train_nll": ep_loss / ep_tok,
                                 "dev_nll": dev_nll, "dev_bleu_greedy": dev_bleu,
                                 "minutes": state["elapsed"] / 60, "cpu_minutes": state["cpu"] / 60})
        log(f"END epoch {state['epoch']} step {state['step']} train_nll {ep_loss / ep_tok:.3f} dev_nll "
            f"{dev_nll:.3f} dev_ppl {math.exp(dev_nll):.2f} dev_bleu(greedy) {dev_bleu:.2f} "
            f"elapsed {state['elapsed'] / 60:.1f} min cpu {state['cpu'] / 60:.1f} min", fh)
        torch.save(model.state_dict(), os.path.join(a.work, f"epoch{state['epoch']:03d}.pt"))
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state}, last + ".tmp")
        os.replace(last + ".tmp", last)
        best = max(h["dev_bleu_greedy"] for h in state["history"])
        best_ep = max(state["history"], key=lambda h: h["dev_bleu_greedy"])["epoch"]
        per_epoch = state["elapsed"] / state["epoch"]
        if state["epoch"] - best_ep >= a.patience:
            stop_reason = f"dev BLEU plateau (best {best:.2f} at epoch {best_ep})"
            break
        if state["elapsed"] + per_epoch > a.max_minutes * 60:
            stop_reason = f"time budget {a.max_minutes} min"
            break
    else:
        stop_reason = f"max epochs {a.max_epochs}"
    log(f"stopped: {stop_reason}", fh)

    ckpts = sorted(glob.glob(os.path.join(a.work, "epoch*.pt")))[-a.average:]
    model.load_state_dict(average(ckpts))
    avg_nll, avg_bleu = dev_eval(model, dev_pairs, dev_refs, tok, pad, fh)
    log(f"average of {[os.path.basename(c) for c in ckpts]}: dev_nll {avg_nll:.3f} dev_bleu(greedy) "
        f"{avg_bleu:.2f}", fh)
    best_h = max(state["history"], key=lambda h: h["dev_bleu_greedy"])
    chosen = "average"
    if best_h["dev_bleu_greedy"] > avg_bleu:
        model.load_state_dict(torch.load(os.path.join(a.work, f"epoch{best_h['epoch']:03d}.pt")))
        chosen = f"epoch {best_h['epoch']}"
    log(f"exporting {chosen}", fh)
    model.eval()
    mm.export_model_dir(model, cfg, a.export, spm_dir)
    summary = {"chosen": chosen, "stop_reason": stop_reason, "history": state["history"],
               "average_of": [os.path.basename(c) for c in ckpts], "average_dev_bleu_greedy": avg_bleu,
               "train_minutes": state["elapsed"] / 60, "args": vars(a), "params": n_params,
               "torch": torch.__version__, "threads": a.threads}
    with open(os.path.join(a.work, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    log("done", fh)


if __name__ == "__main__":
    main()
