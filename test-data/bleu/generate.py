#!/usr/bin/env python3
"""Regenerates the sacrebleu golden files in this folder (needs sacrebleu 2.6.0 and its `regex`).

    python3 -m venv /tmp/sb && /tmp/sb/bin/pip install sacrebleu==2.6.0
    /tmp/sb/bin/python test-data/bleu/generate.py

Writes:
  fuzz.hyp, fuzz.ref, fuzz.ref2   300 random adversarial segments (seeded), LF line ends
  tokenize.tsv                    tokenizer <TAB> json(input) <TAB> json(expected tokens joined by ' ')
  cli.tsv                         json(argv) <TAB> json(expected stdout) of the sacrebleu CLI
The Java tests (BleuTokenizerTest, BleuCommandGoldenTest) read them; nothing here runs at test time.
"""
import json
import os
import random
import subprocess
import sys

import sacrebleu
from sacrebleu.metrics.bleu import _get_tokenizer

assert sacrebleu.__version__ == "2.6.0", sacrebleu.__version__
HERE = os.path.dirname(os.path.abspath(__file__))
rnd = random.Random(20240611)

WORDS = ["the", "a", "dog", "Dog", "runs", "run", "ÉCOLE", "école", "straße", "ΣΟΦΟΣ", "σοφος",
         "温度", "你好", "世界", "ひらがな", "한국어", "😀", "𠀀", "2019", "1,000.50", "10-12", "-5", "a-b",
         "It's", "«C’est»", "3.5€", "1,5%", "...", "&amp;", "&quot;", "&apos;", "&lt;b&gt;",
         "<skipped>", "(hi)", "hi..", "U.S.", "e-mail", "$100", "#tag", "@user", "x/y", "ＡＢＣ１２３",
         "—", "…", "“q”", "‰", "℃", "→", "∑", "\u00ad", "\u200b", "\ufeff", "ǅ", "ﬁ", "Ⅻ", "½", "²",
         "٣", "٫"]
SPACES = [" "] * 6 + ["  ", "\t", "\u00a0", "\u3000", "\u2028", "\x85", "\x0c", "\u2007", "\u202f",
                      "\x1f", "\u200b"]
PUNCT = list(".,!?;:'\"-()[]{}/\\@#$%^&*_+=<>|~`")


def token():
    r = rnd.random()
    if r < 0.55:
        return rnd.choice(WORDS)
    if r < 0.75:
        return rnd.choice(WORDS) + rnd.choice(PUNCT)
    if r < 0.85:
        return rnd.choice(PUNCT) + rnd.choice(WORDS)
    if r < 0.93:
        return "".join(rnd.choice(PUNCT + list("0123456789")) for _ in range(rnd.randint(1, 4)))
    return str(rnd.randint(0, 99999)) + rnd.choice(["", ".", "-", ",5", ".0"])


def line():
    s = ""
    for i in range(rnd.randint(0, 14)):
        if i:
            s += rnd.choice(SPACES) if rnd.random() < 0.3 else " "
        s += token()
    if rnd.random() < 0.1:
        s = rnd.choice(SPACES) + s
    if rnd.random() < 0.1:
        s += rnd.choice(SPACES)
    if rnd.random() < 0.05:
        s = s.replace(" ", "\r", 1)
    return s


def perturb(s):
    out = []
    for w in s.split(" "):
        r = rnd.random()
        if r < 0.15:
            continue
        if r < 0.25:
            out.append(rnd.choice(WORDS))
            continue
        out.append(w)
        if r > 0.95:
            out.append(w)
    if rnd.random() < 0.3:
        rnd.shuffle(out)
    return " ".join(out)


def random_codepoints():
    """A line of code points drawn from all planes (no surrogates, no LF/CR)."""
    cps = []
    for _ in range(rnd.randint(1, 30)):
        r = rnd.random()
        if r < 0.3:
            c = rnd.randint(0x20, 0x7E)
        elif r < 0.6:
            c = rnd.randint(0xA0, 0x2FFF)
        elif r < 0.8:
            c = rnd.randint(0x3000, 0xFFFF)
        else:
            c = rnd.randint(0x10000, 0x1FFFF)
        if 0xD800 <= c <= 0xDFFF or c in (10, 13):
            c = 0x20
        cps.append(chr(c))
        if rnd.random() < 0.2:
            cps.append(" ")
    return "".join(cps)


def write_lines(name, lines):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
        for x in lines:
            assert "\n" not in x
            f.write(x + "\n")


def main():
    refs = [line() for _ in range(300)]
    write_lines("fuzz.ref", refs)
    write_lines("fuzz.ref2", [perturb(r) for r in refs])
    write_lines("fuzz.hyp", [perturb(r) if rnd.random() < 0.9 else line() for r in refs])

    hand = ["Hello, world!", "in 2019.", "1,000.50 dollars", "10-12 -5 a-b", "It's", "«C’est»",
            "3.5€ 1,5%", "a.,b 1.,2 ...", "&apos;y&apos; &amp;lt; &quot;q&quot;", "x<skipped>y",
            "温度25℃，“你好”—世界…€ 𠀀𠀁 ひらがな", "ＡＢＣ１２３", "a😀b 𠀀", " lead", "tab\there",
            "U.S.A. e.g. 3.14.", "(hi) [a] {b} <c>", "#$%&*+/:;=?@\\^_`|~", "\u2000x\u2001y\u2a6d",
            "\u2f80\u2f81\u2fa1\u2fa2", "nbsp\u00a0x", "\ufeffbom", ""]
    # every Unicode 17.0 P/S/N addition next to letters and digits, for intl
    u17 = [(0x20C1, 0x20C4), (0x2E60, 0x2E63), (0xFBC3, 0xFBD2), (0x10ED0, 0x10ED8),
           (0x11DE0, 0x11DE9), (0x12550, 0x12560), (0x1CEBA, 0x1CEC0), (0x1FBFA, 0x1FBFA)]
    for a, b in u17:
        hand.append("a" + "1".join(chr(c) for c in range(a, b + 1)) + "b.")
    fuzz = [line() for _ in range(150)] + [random_codepoints() for _ in range(150)]
    with open(os.path.join(HERE, "tokenize.tsv"), "w", encoding="ascii", newline="\n") as f:
        for name in ["13a", "intl", "zh", "char", "none"]:
            tok = _get_tokenizer(name)()
            for x in hand + fuzz:
                x = x.rstrip()  # BLEU hands the tokenizer a right-stripped line
                f.write(f"{name}\t{json.dumps(x)}\t{json.dumps(' '.join(tok(x).split()))}\n")

    cli = os.path.join(os.path.dirname(sys.executable), "sacrebleu")
    configs = [
        [], ["-f", "text"], ["-f", "text", "-w", "4"], ["-b"], ["-b", "-w", "3"],
        ["-f", "text", "-lc"], ["-f", "text", "-tok", "intl"], ["-f", "text", "-tok", "zh"],
        ["-f", "text", "-tok", "char"], ["-f", "text", "-tok", "none"], ["-f", "text", "-l", "en-zh"],
        ["-f", "text", "-s", "floor"], ["-f", "text", "-s", "floor", "-sv", "0.37"],
        ["-f", "text", "-s", "add-k"], ["-f", "text", "-s", "add-k", "-sv", "2"],
        ["-f", "text", "-s", "none"], ["-f", "text", "-sh"],
        ["-sl", "-f", "text", "-w", "3"], ["-sl", "-b", "-tok", "intl", "-lc"],
        ["-sl", "-f", "text", "-s", "floor"], ["-sl", "-f", "text", "-s", "add-k"],
        ["-sl", "-f", "text", "-s", "none"],
        ["-m", "chrf"], ["-m", "chrf", "-f", "text", "-w", "4"], ["-m", "chrf", "-cw", "2", "-f", "text"],
        ["-m", "chrf", "-cw", "2", "--chrf-lowercase", "-f", "text", "-w", "3"],
        ["-m", "chrf", "--chrf-whitespace", "-f", "text", "-w", "3"],
        ["-m", "chrf", "--chrf-eps-smoothing", "-cw", "2", "-f", "text", "-w", "3"],
        ["-m", "chrf", "--chrf-beta", "3", "-cc", "4", "-cw", "1", "-f", "text", "-w", "3"],
        ["-m", "chrf", "-sl", "-cw", "2", "-f", "text", "-w", "3"],
        ["-m", "bleu", "chrf"], ["-m", "chrf", "bleu", "-f", "text", "-w", "2"],
        ["-m", "bleu", "chrf", "-b", "-f", "text"], ["-m", "bleu", "chrf", "-b"],
        ["-m", "bleu", "chrf", "-sh", "-f", "text"],
    ]
    with open(os.path.join(HERE, "cli.tsv"), "w", encoding="ascii", newline="\n") as f:
        for refs_args in (["fuzz.ref"], ["fuzz.ref", "fuzz.ref2"]):
            for c in configs:
                argv = refs_args + ["-i", "fuzz.hyp"] + c
                out = subprocess.run([cli] + argv, cwd=HERE, capture_output=True, check=True,
                                     env={**os.environ, "SACREBLEU_FORMAT": ""}).stdout
                f.write(f"{json.dumps(argv)}\t{json.dumps(out.decode('utf-8'))}\n")


if __name__ == "__main__":
    main()
