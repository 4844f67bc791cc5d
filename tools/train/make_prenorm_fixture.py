"""Reference outputs of Hugging Face `transformers` for the BART-family LayerNorm variants (MarianConfig.Norms).

Builds tiny random models from transformers' own modules and writes, for each, a MarianMT-layout directory
(config.json + model.safetensors, the names the jnmt loader reads) and reference.json (encoder output,
teacher-forced logits and greedy ids of two sentences), which PreNormReferenceTest compares with jnmt:
  all/       MBartForConditionalGeneration as it is: pre-norm layers, layernorm_embedding and a final layer_norm
             per stack (normalize_before, normalize_embedding, add_final_layer_norm all true)
  layers/    the same modules with layernorm_embedding and layer_norm replaced by nn.Identity (normalize_before only)
  stacknorm/ MarianMTModel (post-norm layers) with an embedding LayerNorm run before the first layer and a final
             LayerNorm after the last one, through forward hooks (normalize_embedding and add_final_layer_norm only)
Positions: MBart's learned table is replaced by transformers' MarianSinusoidalPositionalEmbedding, the positions
jnmt implements. Every weight is random (LayerNorm gains and biases too), dropout 0, float32, one thread.

    python3 -m venv tools/train/work-arch/venv
    tools/train/work-arch/venv/bin/pip install torch==2.13.0 transformers==5.18.0 safetensors numpy
    tools/train/work-arch/venv/bin/python tools/train/make_prenorm_fixture.py decoder/src/test/resources/tiny-prenorm
"""
import json
import os
import sys

import numpy as np
import torch
import transformers
from safetensors.torch import save_file
from torch import nn
from transformers import MarianConfig, MarianMTModel, MBartConfig, MBartForConditionalGeneration
from transformers.models.marian.modeling_marian import MarianSinusoidalPositionalEmbedding

V, D, MAXPOS, PAD, EOS = 61, 16, 64, 60, 0
SOURCES = [[5, 17, 33, 8, 41, 2, EOS], [12, 3, 59, 27, 27, 44, 9, 30, 51, 6, EOS]]
HISTORIES = [[PAD, 4, 19, 33, 7, 50, 11], [PAD, 23, 2, 2, 58, 14, 36, 40, 1]]
GREEDY_STEPS = 12


class SinusoidalPositions(nn.Module):
    """transformers' Marian sinusoids behind MBart's positional-embedding call signature."""

    def __init__(self):
        super().__init__()
        self.table = MarianSinusoidalPositionalEmbedding(MAXPOS, D)
        with torch.no_grad():
            self.table.weight.copy_(self.table.create_weight())

    def forward(self, x, past_key_values_length=0, position_ids=None):
        return self.table(x.shape, past_key_values_length, position_ids)


def common():
    return dict(vocab_size=V, d_model=D, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4,
                decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=24, activation_function="gelu",
                scale_embedding=True, max_position_embeddings=MAXPOS, pad_token_id=PAD, eos_token_id=EOS,
                bos_token_id=EOS, decoder_start_token_id=PAD, dropout=0.0, attention_dropout=0.0,
                activation_dropout=0.0, tie_word_embeddings=True)


def randomise(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "embed_positions" in name:
                continue  # the sinusoids (a frozen parameter)
            if "layer_norm" in name or "layernorm" in name:
                p.copy_((1.0 if name.endswith("weight") else 0.0) + 0.3 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.25 * torch.randn(p.shape, generator=g))
        model.final_logits_bias.copy_(0.2 * torch.randn(model.final_logits_bias.shape, generator=g))


def check_positions(model):
    for stack in (model.model.encoder, model.model.decoder):
        pos = stack.embed_positions
        table = pos.table if isinstance(pos, SinusoidalPositions) else pos
        assert torch.equal(table.weight, table.create_weight()), "the position table is not the sinusoids"


def mbart(seed, stack_norms):
    model = MBartForConditionalGeneration(MBartConfig(**common())).eval()
    for stack in (model.model.encoder, model.model.decoder):
        stack.embed_positions = SinusoidalPositions()
        if not stack_norms:
            stack.layernorm_embedding = nn.Identity()
            stack.layer_norm = nn.Identity()
    randomise(model, seed)
    check_positions(model)
    return model


def marian_with_stack_norms(seed):
    model = MarianMTModel(MarianConfig(**common(), share_encoder_decoder_embeddings=True)).eval()
    for stack in (model.model.encoder, model.model.decoder):
        stack.layernorm_embedding = nn.LayerNorm(D)
        stack.layer_norm = nn.LayerNorm(D)

        def before_first(module, args, kwargs, ln=stack.layernorm_embedding):
            return (ln(args[0]),) + tuple(args[1:]), kwargs

        def after_last(module, args, output, ln=stack.layer_norm):
            return (ln(output[0]),) + tuple(output[1:]) if isinstance(output, tuple) else ln(output)

        stack.layers[0].register_forward_pre_hook(before_first, with_kwargs=True)
        stack.layers[-1].register_forward_hook(after_last)
    randomise(model, seed)
    with torch.no_grad():  # a Marian model made from a config has its sinusoids only after init_weights
        for stack in (model.model.encoder, model.model.decoder):
            stack.embed_positions.weight.copy_(stack.embed_positions.create_weight())
    check_positions(model)
    return model


def tensors(model):
    """The stored names jnmt reads: model.* (no position table, no tied copies) and final_logits_bias."""
    out = {}
    for name, t in model.state_dict().items():
        if "embed_positions" in name or name in ("lm_head.weight",) or name.endswith("embed_tokens.weight"):
            continue
        out[name] = t.detach().clone().contiguous().float()
    return out


def config_json(norms):
    c = common()
    c = {k: v for k, v in c.items() if "dropout" not in k and k != "bos_token_id"}
    c.update(model_type="marian", share_encoder_decoder_embeddings=True, static_position_embeddings=True,
             normalize_before=norms[0], normalize_embedding=norms[1], add_final_layer_norm=norms[2])
    return c


@torch.no_grad()
def reference(model):
    enc_out, logits, greedy = [], [], []
    for src, hist in zip(SOURCES, HISTORIES):
        ids = torch.tensor([src])
        enc = model.get_encoder()(input_ids=ids).last_hidden_state
        enc_out.append(enc[0].tolist())
        out = model(input_ids=ids, decoder_input_ids=torch.tensor([hist]), use_cache=False).logits
        logits.append(out[0].tolist())
        seq = [PAD]
        for _ in range(GREEDY_STEPS):
            nxt = int(model(input_ids=ids, decoder_input_ids=torch.tensor([seq]), use_cache=False).logits[0, -1].argmax())
            seq.append(nxt)
        greedy.append(seq[1:])
    return {"sources": SOURCES, "histories": HISTORIES, "encoder": enc_out, "logits": logits, "greedy": greedy}


def main():
    root = sys.argv[1]
    torch.set_num_threads(1)
    versions = {"torch": torch.__version__, "transformers": transformers.__version__, "numpy": np.__version__}
    print("make_prenorm_fixture:", versions, file=sys.stderr)
    variants = {
        "all": (mbart(1, True), (True, True, True)),
        "layers": (mbart(2, False), (True, False, False)),
        "stacknorm": (marian_with_stack_norms(3), (False, True, True)),
    }
    for name, (model, norms) in variants.items():
        d = os.path.join(root, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump(config_json(norms), f, indent=1, sort_keys=True)
            f.write("\n")
        save_file(tensors(model), os.path.join(d, "model.safetensors"), metadata={"format": "pt"})
        ref = reference(model)
        ref["made_by"] = "tools/train/make_prenorm_fixture.py " + name + " (" + type(model).__name__ + ")"
        ref["versions"] = versions
        with open(os.path.join(d, "reference.json"), "w") as f:
            json.dump(ref, f)
            f.write("\n")
        print(name, "greedy", ref["greedy"], file=sys.stderr)


if __name__ == "__main__":
    main()
