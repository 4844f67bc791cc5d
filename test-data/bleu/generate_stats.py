#!/usr/bin/env python3
"""Regenerates the TER / confidence-interval / paired-test golden files (sacrebleu 2.6.0, NumPy 2).

    python3 -m venv /tmp/sb && /tmp/sb/bin/pip install sacrebleu==2.6.0 numpy
    /tmp/sb/bin/python test-data/bleu/generate_stats.py

Reads fuzz.hyp, fuzz.ref, fuzz.ref2 and tokenize.tsv (written by generate.py) and writes:
  fuzz.sys2, fuzz.sys3     two more seeded systems (perturbed fuzz.ref), LF line ends
  ter-tokenize.tsv         flags <TAB> json(input) <TAB> json(TercomTokenizer output)
  rng.tsv                  seed <TAB> kind <TAB> n <TAB> rows <TAB> json(NumPy's draws)
  crmath.tsv               hex(x) <TAB> hex(log x) <TAB> hex(y) <TAB> hex(exp y), correctly rounded
                           (Python's decimal module at 60 digits), for dev.jnmt.bleu.CrMath
  cli-stats.tsv            json(env) <TAB> json(argv) <TAB> json(stdout) of the sacrebleu CLI,
                           run in this folder (so system names are the bare file names)
The Java tests read them; nothing here runs at test time. Versions are asserted below.
"""
import json
import os
import random
import subprocess
import sys

import numpy as np
import sacrebleu
from sacrebleu.tokenizers.tokenizer_ter import TercomTokenizer

assert sacrebleu.__version__ == "2.6.0", sacrebleu.__version__
assert np.__version__.startswith("2."), np.__version__
HERE = os.path.dirname(os.path.abspath(__file__))
rnd = random.Random(20261202)


def read_lines(name):
    with open(os.path.join(HERE, name), encoding="utf-8", newline="\n") as f:
        return [x[:-1] if x.endswith("\n") else x for x in f]


def write_lines(name, lines):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
        for x in lines:
            assert "\n" not in x
            f.write(x + "\n")


def perturb(s, p_drop, p_sub, vocab):
    out = []
    for w in s.split(" "):
        r = rnd.random()
        if r < p_drop:
            continue
        if r < p_drop + p_sub:
            out.append(rnd.choice(vocab))
            continue
        out.append(w)
    if rnd.random() < 0.2 and len(out) > 3:
        # move a phrase, so that TER finds shifts
        i = rnd.randrange(len(out) - 2)
        phrase = out[i:i + 2]
        del out[i:i + 2]
        j = rnd.randrange(len(out) + 1)
        out[j:j] = phrase
    return " ".join(out)


def write_crmath():
    from decimal import Decimal, getcontext
    getcontext().prec = 60
    r = random.Random(17)
    with open(os.path.join(HERE, "crmath.tsv"), "w", encoding="ascii", newline="\n") as f:
        for i in range(3000):
            # BLEU's arguments: precisions in (0, 100], log sums / order, 1 - ref/sys
            x = r.choice([r.uniform(1e-3, 100.0), 100.0 * r.randint(1, 5000) / r.randint(1, 9000)])
            y = r.choice([r.uniform(-25.0, 4.7), 1.0 - r.randint(1, 900) / r.randint(1, 900)])
            lx = float(Decimal(x).ln())
            ey = float(Decimal(y).exp())
            f.write(f"{x.hex()}\t{lx.hex()}\t{y.hex()}\t{ey.hex()}\n")


def main():
    write_crmath()
    refs = read_lines("fuzz.ref")
    vocab = [w for r in refs for w in r.split(" ") if w]
    write_lines("fuzz.sys2", [perturb(r, 0.08, 0.08, vocab) for r in refs])
    write_lines("fuzz.sys3", [perturb(r, 0.2, 0.15, vocab) for r in refs])

    inputs = []
    with open(os.path.join(HERE, "tokenize.tsv"), encoding="ascii") as f:
        for row in f:
            name, inp, _ = row.rstrip("\n").split("\t")
            if name == "13a":
                inputs.append(json.loads(inp))
    with open(os.path.join(HERE, "ter-tokenize.tsv"), "w", encoding="ascii", newline="\n") as f:
        # asian support alone changes nothing, so only the combinations that do
        for flags in [0, 8, 1, 2, 1 | 4, 2 | 4, 1 | 2 | 4, 15]:
            norm, punct, asian, case = (bool(flags & 1), bool(flags & 2), bool(flags & 4),
                                        bool(flags & 8))
            tok = TercomTokenizer(normalized=norm, no_punct=punct, asian_support=asian,
                                  case_sensitive=case)
            key = "".join(c for c, on in zip("npac", (norm, punct, asian, case)) if on) or "-"
            for x in inputs:
                x = x.rstrip()  # TER hands the tokenizer a right-stripped line
                f.write(f"{key}\t{json.dumps(x)}\t{json.dumps(tok(x))}\n")

    with open(os.path.join(HERE, "rng.tsv"), "w", encoding="ascii", newline="\n") as f:
        for seed in [12345, 0, 1, 7, 2**32 + 5, 2**70 + 3]:
            for n, rows in [(1, 3), (7, 5), (300, 4), (1000, 2), (2**31 - 1, 3)]:
                draws = np.random.default_rng(seed).choice(n, size=(rows, min(n, 50)), replace=True)
                f.write(f"{seed}\tchoice\t{n}\t{rows}\t{json.dumps(draws.ravel().tolist())}\n")
            bools = np.random.default_rng(seed).integers(2, size=(3, 77), dtype=bool)
            f.write(f"{seed}\tbool\t77\t3\t{json.dumps([int(b) for b in bools.ravel()])}\n")

    cli = os.path.join(os.path.dirname(sys.executable), "sacrebleu")
    ter = [
        ["-m", "ter"], ["-m", "ter", "-f", "text"], ["-m", "ter", "-f", "text", "-w", "4"],
        ["-m", "ter", "-b", "-w", "3"], ["-m", "ter", "--ter-case-sensitive", "-f", "text", "-w", "3"],
        ["-m", "ter", "--ter-asian-support", "-f", "text", "-w", "3"],
        ["-m", "ter", "--ter-no-punct", "-f", "text", "-w", "3"],
        ["-m", "ter", "--ter-normalized", "-f", "text", "-w", "3"],
        ["-m", "ter", "--ter-normalized", "--ter-asian-support", "-f", "text", "-w", "3"],
        ["-m", "ter", "--ter-no-punct", "--ter-asian-support", "-f", "text", "-w", "3"],
        ["-m", "ter", "--ter-normalized", "--ter-no-punct", "--ter-asian-support",
         "--ter-case-sensitive", "-w", "3"],
        ["-m", "ter", "-sl", "-f", "text", "-w", "3"],
        ["-m", "ter", "-sl", "--ter-normalized", "--ter-case-sensitive", "-b", "-w", "4"],
        ["-m", "ter", "-sh", "-f", "text"], ["-m", "bleu", "chrf", "ter"],
        ["-m", "ter", "chrf", "bleu", "-f", "text"], ["-m", "ter", "bleu", "-sh", "-f", "text", "-w", "3"],
        ["-m", "chrf", "ter", "-b", "-f", "text"],
    ]
    ci = [
        ["-ci"], ["-ci", "-f", "text"], ["-m", "bleu", "chrf", "ter", "-ci", "-f", "text", "-w", "3"],
        ["-m", "bleu", "chrf", "ter", "-ci"],
        ["-ci", "-cin", "200", "-m", "chrf", "-cw", "2", "-f", "text", "-w", "4"],
        ["-ci", "-s", "add-k", "-sv", "0.5", "-f", "text", "-w", "4"],
        ["-ci", "-s", "floor", "-cin", "300", "-f", "text", "-w", "4"],
        ["-ci", "-s", "none", "-cin", "300", "-f", "text", "-w", "4"],
        ["-ci", "-cin", "1", "-f", "text"],
        ["-ci", "-m", "ter", "--ter-normalized", "-f", "text", "-w", "4"],
        ["-ci", "-m", "chrf", "--chrf-eps-smoothing", "-f", "text", "-w", "4"],
        ["-ci", "-sh", "-f", "text", "-m", "bleu", "ter"], ["-ci", "-b", "-w", "3"],
    ]
    systems = ["fuzz.hyp", "fuzz.ref2", "fuzz.sys2", "fuzz.sys3"]
    multi = [
        ["-f", "text"], ["-m", "bleu", "chrf", "ter", "-f", "text", "-w", "2"],
        ["-m", "ter", "chrf", "-sh", "-f", "text"], ["-m", "bleu", "chrf", "ter"],
        ["--paired-bs", "-f", "text"], ["--paired-bs"],
        ["--paired-bs", "-m", "bleu", "chrf", "ter", "-f", "text", "-w", "2"],
        ["--paired-bs", "-m", "ter", "bleu", "-pbsn", "200", "-f", "text"],
        ["--paired-bs", "-m", "chrf", "-cw", "2", "-pbsn", "500", "-f", "text", "-w", "3", "-sh"],
        ["--paired-bs", "-s", "add-k", "-sv", "0.5", "-pbsn", "400"],
        ["--paired-ar", "-f", "text"],
        ["--paired-ar", "-m", "bleu", "chrf", "ter", "-parn", "2000", "-f", "text"],
        ["--paired-ar", "-m", "chrf", "ter", "-parn", "1000"],
        ["--paired-ar", "-s", "add-k", "-sv", "0.5", "-parn", "1000"],
    ]
    runs = []
    for refs_args in (["fuzz.ref"], ["fuzz.ref", "fuzz.ref2"]):
        for c in ter + ci:
            runs.append(({}, refs_args + ["-i", "fuzz.hyp"] + c))
    for c in multi:
        runs.append(({}, ["fuzz.ref", "-i"] + systems + c))
    two = ["fuzz.ref", "fuzz.ref2", "-i", "fuzz.hyp", "fuzz.sys2", "fuzz.sys3"]
    runs += [
        ({}, two + ["--paired-bs", "-m", "bleu", "ter", "-pbsn", "300", "-f", "text"]),
        ({}, two + ["--paired-ar", "-m", "ter", "-parn", "500", "-f", "text"]),
        ({}, ["fuzz.ref", "-i", "fuzz.hyp", "fuzz.hyp", "fuzz.sys2", "--paired-bs", "-pbsn", "100",
              "-f", "text"]),
        ({"SACREBLEU_SEED": "7"}, ["fuzz.ref", "-i", "fuzz.hyp", "-m", "bleu", "ter", "-ci", "-f",
                                   "text", "-w", "3"]),
        ({"SACREBLEU_SEED": "2026"}, ["fuzz.ref", "-i"] + systems + ["--paired-bs", "-m", "bleu",
                                                                     "chrf", "-pbsn", "300", "-f", "text"]),
        ({"SACREBLEU_SEED": "31"}, ["fuzz.ref", "-i"] + systems + ["--paired-ar", "-parn", "700"]),
    ]
    with open(os.path.join(HERE, "cli-stats.tsv"), "w", encoding="ascii", newline="\n") as f:
        for env, argv in runs:
            full_env = {**os.environ, "SACREBLEU_FORMAT": "", **env}
            full_env.pop("SACREBLEU_SEED", None) if "SACREBLEU_SEED" not in env else None
            out = subprocess.run([cli] + argv, cwd=HERE, capture_output=True, check=True,
                                 env=full_env).stdout
            f.write(f"{json.dumps(env)}\t{json.dumps(argv)}\t{json.dumps(out.decode('utf-8'))}\n")


if __name__ == "__main__":
    main()
