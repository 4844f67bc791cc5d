"""A PyTorch transformer that is exactly Hugging Face's MarianMTModel at inference.

State-dict keys equal the HF tensor names (model.shared.weight, model.encoder.layers.0.self_attn.q_proj.weight,
final_logits_bias, ...), so export is a plain copy. Forward pass as transformers modeling_marian.py:
scaled embeddings + sinusoid halves, post-LN (eps 1e-5), swish, tied output with final_logits_bias.
Also holds the safetensors reader/writer used by the export and the random-model generator.
"""
import json
import math
import os
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

NEG = torch.finfo(torch.float32).min


def sinusoids(n_pos, dim):
    """HF MarianSinusoidalPositionalEmbedding: float64, sin in [0, d/2), cos in [d/2, d)."""
    pos = np.arange(n_pos, dtype=np.float64)[:, None]
    j = np.arange(dim, dtype=np.float64)[None, :]
    enc = pos / np.power(10000, 2 * (j // 2) / dim)
    out = np.zeros((n_pos, dim), dtype=np.float32)
    half = dim // 2
    out[:, :half] = np.sin(enc[:, 0::2])
    out[:, half:] = np.cos(enc[:, 1::2])
    return torch.from_numpy(out)


ACTS = {
    "swish": F.silu,
    "silu": F.silu,
    "relu": F.relu,
    "gelu": F.gelu,
    "gelu_new": lambda x: F.gelu(x, approximate="tanh"),
}


class Attention(nn.Module):
    def __init__(self, d, heads, dropout=0.0):
        super().__init__()
        self.h = heads
        self.hd = d // heads
        self.scaling = self.hd ** -0.5
        self.q_proj = nn.Linear(d, d)
        self.k_proj = nn.Linear(d, d)
        self.v_proj = nn.Linear(d, d)
        self.out_proj = nn.Linear(d, d)
        self.dropout = dropout

    def split(self, x):
        b, t, _ = x.shape
        return x.view(b, t, self.h, self.hd).transpose(1, 2)

    def forward(self, x, kv=None, mask=None, k=None, v=None):
        """x [B,T,d]; kv source [B,S,d] (None: self); or precomputed k/v [B,H,S,hd]. mask additive [B,1,T|1,S]."""
        q = self.split(self.q_proj(x))
        if k is None:
            src = x if kv is None else kv
            k = self.split(self.k_proj(src))
            v = self.split(self.v_proj(src))
        w = torch.matmul(q, k.transpose(2, 3)) * self.scaling
        if mask is not None:
            w = w + mask
        w = F.softmax(w, dim=-1)
        w = F.dropout(w, self.dropout, self.training)
        ctx = torch.matmul(w, v).transpose(1, 2).reshape(x.shape[0], x.shape[1], -1)
        return self.out_proj(ctx)


class EncoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg["d_model"]
        self.self_attn = Attention(d, cfg["encoder_attention_heads"], cfg.get("attention_dropout", 0.0))
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, cfg["encoder_ffn_dim"])
        self.fc2 = nn.Linear(cfg["encoder_ffn_dim"], d)
        self.final_layer_norm = nn.LayerNorm(d)
        self.act = ACTS[cfg["activation_function"]]
        self.dropout = cfg.get("dropout", 0.0)

    def forward(self, x, mask):
        h = self.self_attn(x, mask=mask)
        x = self.self_attn_layer_norm(x + F.dropout(h, self.dropout, self.training))
        h = self.fc2(self.act(self.fc1(x)))
        return self.final_layer_norm(x + F.dropout(h, self.dropout, self.training))


class DecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg["d_model"]
        heads = cfg["decoder_attention_heads"]
        self.self_attn = Attention(d, heads, cfg.get("attention_dropout", 0.0))
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.encoder_attn = Attention(d, heads, cfg.get("attention_dropout", 0.0))
        self.encoder_attn_layer_norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, cfg["decoder_ffn_dim"])
        self.fc2 = nn.Linear(cfg["decoder_ffn_dim"], d)
        self.final_layer_norm = nn.LayerNorm(d)
        self.act = ACTS[cfg["activation_function"]]
        self.dropout = cfg.get("dropout", 0.0)

    def forward(self, x, enc, enc_mask, self_mask, cache=None):
        """cache (inference): dict with 'k','v' (self, grown here) and 'ck','cv' (cross, fixed)."""
        if cache is None:
            h = self.self_attn(x, mask=self_mask)
        else:
            q_in = x
            k_new = self.self_attn.split(self.self_attn.k_proj(q_in))
            v_new = self.self_attn.split(self.self_attn.v_proj(q_in))
            if "k" in cache:
                cache["k"] = torch.cat([cache["k"], k_new], dim=2)
                cache["v"] = torch.cat([cache["v"], v_new], dim=2)
            else:
                cache["k"], cache["v"] = k_new, v_new
            h = self.self_attn(x, k=cache["k"], v=cache["v"], mask=self_mask)
        x = self.self_attn_layer_norm(x + F.dropout(h, self.dropout, self.training))
        if cache is None:
            h = self.encoder_attn(x, kv=enc, mask=enc_mask)
        else:
            if "ck" not in cache:
                cache["ck"] = self.encoder_attn.split(self.encoder_attn.k_proj(enc))
                cache["cv"] = self.encoder_attn.split(self.encoder_attn.v_proj(enc))
            h = self.encoder_attn(x, k=cache["ck"], v=cache["cv"], mask=enc_mask)
        x = self.encoder_attn_layer_norm(x + F.dropout(h, self.dropout, self.training))
        h = self.fc2(self.act(self.fc1(x)))
        return self.final_layer_norm(x + F.dropout(h, self.dropout, self.training))


class Stack(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.layers = nn.ModuleList(layers)


class Inner(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.shared = nn.Embedding(cfg["vocab_size"], cfg["d_model"], padding_idx=cfg["pad_token_id"])
        self.encoder = Stack([EncoderLayer(cfg) for _ in range(cfg["encoder_layers"])])
        self.decoder = Stack([DecoderLayer(cfg) for _ in range(cfg["decoder_layers"])])


class MarianMT(nn.Module):
    """HF MarianMTModel equivalent (shared vocabulary, tied embeddings)."""

    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.model = Inner(cfg)
        self.final_logits_bias = nn.Parameter(torch.zeros(1, cfg["vocab_size"]))
        self.register_buffer("pos", sinusoids(cfg["max_position_embeddings"], cfg["d_model"]), persistent=False)
        self.embed_scale = math.sqrt(cfg["d_model"]) if cfg.get("scale_embedding", False) else 1.0
        self.pad = cfg["pad_token_id"]
        self.dropout = cfg.get("dropout", 0.0)

    def init_weights(self, seed=1):
        g = torch.Generator().manual_seed(seed)
        d = self.cfg["d_model"]
        with torch.no_grad():
            for name, p in self.named_parameters():
                if name.endswith("shared.weight"):
                    p.normal_(0.0, d ** -0.5, generator=g)
                    p[self.pad].zero_()
                elif p.dim() == 2 and "final_logits_bias" not in name:
                    bound = math.sqrt(6.0 / (p.shape[0] + p.shape[1]))
                    p.uniform_(-bound, bound, generator=g)
                elif name.endswith("layer_norm.weight"):
                    p.fill_(1.0)
                else:
                    p.zero_()

    def embed(self, ids, start=0):
        x = self.model.shared(ids) * self.embed_scale
        x = x + self.pos[start:start + ids.shape[1]].unsqueeze(0)
        return F.dropout(x, self.dropout, self.training)

    def encode(self, src):
        """src [B,S] right-padded with pad → (enc [B,S,d], additive mask [B,1,1,S])."""
        mask = torch.zeros(src.shape, dtype=torch.float32)
        mask = mask.masked_fill(src == self.pad, NEG)[:, None, None, :]
        x = self.embed(src)
        for layer in self.model.encoder.layers:
            x = layer(x, mask)
        return x, mask

    def logits(self, y):
        return F.linear(y, self.model.shared.weight) + self.final_logits_bias

    def decode_train(self, tgt_in, enc, enc_mask):
        t = tgt_in.shape[1]
        causal = torch.full((t, t), NEG).triu(1)[None, None]
        x = self.embed(tgt_in)
        for layer in self.model.decoder.layers:
            x = layer(x, enc, enc_mask, causal)
        return self.logits(x)

    def decode_step(self, ids, step, enc, enc_mask, caches):
        """One incremental step: ids [B,1] at position `step`; caches: list of dicts per layer."""
        x = self.embed(ids, start=step)
        for layer, cache in zip(self.model.decoder.layers, caches):
            x = layer(x, enc, enc_mask, None, cache)
        return self.logits(x)[:, -1, :]


# ---------------------------------------------------------------------------------------------- safetensors
def save_safetensors(path, tensors, metadata=None):
    """tensors: name -> torch/numpy float32|int8 array; written atomically, names sorted, header padded to 8."""
    dtypes = {np.dtype("float32"): "F32", np.dtype("int8"): "I8", np.dtype("int16"): "I16", np.dtype("int32"): "I32"}
    header, blobs, off = {}, [], 0
    for name in sorted(tensors):
        a = tensors[name]
        if isinstance(a, torch.Tensor):
            a = a.detach().cpu().contiguous().numpy()
        a = np.ascontiguousarray(a)
        b = a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": dtypes[a.dtype], "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - (8 + len(h)) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def load_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    np_types = {"F32": np.float32, "F16": np.float16, "I8": np.int8, "I16": np.int16, "I32": np.int32}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        a = np.frombuffer(data[b:e], dtype=np.dtype(np_types[info["dtype"]]).newbyteorder("<"))
        out[name] = torch.from_numpy(a.astype(np.float32).reshape(info["shape"]))
    return out


def load_model_dir(path):
    """Loads an HF MarianMT directory written by export (shared vocab, tied embeddings)."""
    with open(os.path.join(path, "config.json")) as f:
        cfg = json.load(f)
    model = MarianMT(cfg)
    tensors = load_safetensors(os.path.join(path, "model.safetensors"))
    tensors = {("model." + k if not k.startswith("model.") and k != "final_logits_bias" else k): v
               for k, v in tensors.items()}
    for alias in ("model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight"):
        if "model.shared.weight" not in tensors and alias in tensors:
            tensors["model.shared.weight"] = tensors[alias]
        tensors.pop(alias, None)
    tensors.pop("model.encoder.embed_positions.weight", None)
    tensors.pop("model.decoder.embed_positions.weight", None)
    model.load_state_dict(tensors, strict=True)
    model.eval()
    return model, cfg


def marian_config(vocab_size, d_model, enc_layers, dec_layers, heads, ffn, max_pos=512, dropout=0.1):
    pad = vocab_size - 1
    return {
        "architectures": ["MarianMTModel"],
        "model_type": "marian",
        "vocab_size": vocab_size,
        "decoder_vocab_size": vocab_size,
        "share_encoder_decoder_embeddings": True,
        "tie_word_embeddings": True,
        "d_model": d_model,
        "encoder_layers": enc_layers,
        "decoder_layers": dec_layers,
        "encoder_attention_heads": heads,
        "decoder_attention_heads": heads,
        "encoder_ffn_dim": ffn,
        "decoder_ffn_dim": ffn,
        "activation_function": "swish",
        "scale_embedding": True,
        "max_position_embeddings": max_pos,
        "pad_token_id": pad,
        "eos_token_id": 0,
        "decoder_start_token_id": pad,
        "forced_eos_token_id": 0,
        "bad_words_ids": [[pad]],
        "num_beams": 4,
        "max_length": 512,
        "dropout": dropout,
        "attention_dropout": 0.0,
        "activation_dropout": 0.0,
        "init_std": 0.02,
        "is_encoder_decoder": True,
        "normalize_before": False,
        "normalize_embedding": False,
        "add_final_layer_norm": False,
        "static_position_embeddings": True,
        "use_cache": True,
        "torch_dtype": "float32",
        "transformers_version": "4.57.0",
    }


def generation_config(cfg):
    pad = cfg["pad_token_id"]
    return {
        "bad_words_ids": [[pad]],
        "bos_token_id": 0,
        "decoder_start_token_id": pad,
        "eos_token_id": 0,
        "forced_eos_token_id": 0,
        "max_length": 512,
        "num_beams": 4,
        "pad_token_id": pad,
        "renormalize_logits": True,
        "transformers_version": "4.57.0",
    }


def export_model_dir(model, cfg, out_dir, spm_dir, metadata=None):
    """Writes config.json, generation_config.json, model.safetensors (F32, HF names; tied copies dropped),
    tokenizer files copied from spm_dir (source.spm, target.spm, vocab.json, tokenizer_config.json)."""
    import shutil
    os.makedirs(out_dir, exist_ok=True)
    cfg = dict(cfg)
    sd = {k: v for k, v in model.state_dict().items() if k != "pos"}
    with torch.no_grad():
        sd["model.shared.weight"] = sd["model.shared.weight"].clone()
        sd["model.shared.weight"][cfg["pad_token_id"]].zero_()
        sd["final_logits_bias"] = sd["final_logits_bias"].clone()
        sd["final_logits_bias"][0, cfg["pad_token_id"]] = 0.0
    meta = {"format": "pt"}
    if metadata:
        meta.update(metadata)
    save_safetensors(os.path.join(out_dir, "model.safetensors"), sd, meta)
    for name, obj in (("config.json", cfg), ("generation_config.json", generation_config(cfg))):
        tmp = os.path.join(out_dir, name + ".tmp")
        with open(tmp, "w") as f:
            json.dump(obj, f, indent=2)
            f.write("\n")
        os.replace(tmp, os.path.join(out_dir, name))
    for name in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json"):
        src, dst = os.path.join(spm_dir, name), os.path.join(out_dir, name)
        if os.path.abspath(src) != os.path.abspath(dst):
            shutil.copyfile(src, dst)
