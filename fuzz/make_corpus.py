#!/usr/bin/env python3
"""Builds fuzz/corpus/<target>/ from the committed seeds, the built-in packs and
the shared evaluation data (labelled `.case` documents and corpus HTML pages).

    python3 make_corpus.py PATH/TO/shared

Run from fuzz/. Every input starts with the target's selector byte (see each
target's doc comment); documents are cut to a few KB so runs stay fast.
"""
import glob
import json
import os
import random
import shutil
import sys

shared = sys.argv[1] if len(sys.argv) > 1 else "../shared"
random.seed(7)
for target in ("pack_load", "clean_text", "clean_html", "jsonl"):
    os.makedirs(f"corpus/{target}", exist_ok=True)
    for seed in glob.glob(f"seeds/{target}/*"):
        shutil.copy(seed, f"corpus/{target}/")


def write(target, name, selector, body):
    with open(f"corpus/{target}/{name}", "wb") as f:
        f.write(bytes([selector]) + body)


def document(path):
    """The raw document of a `.case` file: its body lines without labels and marks."""
    lines = []
    for line in open(path, encoding="utf-8").read().split("\n"):
        if "\t" in line:
            lines.append(line.split("\t", 1)[1].replace("\u27e6", "").replace("\u27e7", ""))
    return "\n".join(lines) + "\n"


# pack_load: every built-in pack.
for pack in glob.glob("../rules/*/*.toml"):
    lang = os.path.basename(os.path.dirname(pack))
    shutil.copy(pack, f"corpus/pack_load/{lang}-{os.path.basename(pack)}")

cases = sorted(glob.glob(f"{shared}/eval/dev/*.case"))
cases += sorted(glob.glob(f"{shared}/corpus/*/cases/*.case"))[:10]
random.shuffle(cases)

# clean_text: documents with every selector.
for i, case in enumerate(cases[30:60]):
    write("clean_text", f"case-{i:02d}", i % 8, document(case)[:16000].encode())

# clean_html: the small pages whole, the head of a spread of larger ones.
pages = sorted(glob.glob(f"{shared}/corpus/*/html/*"))
small = [p for p in pages if os.path.getsize(p) < 20000]
large = [p for p in pages if os.path.getsize(p) >= 20000]
random.shuffle(large)
for i, page in enumerate(small + large[:24]):
    write("clean_html", f"page-{i:02d}", i % 32, open(page, "rb").read()[:24000])

# jsonl: records built around documents, in a few shapes.
for i, case in enumerate(cases[:30]):
    text = document(case)[:12000]
    shapes = [
        {"id": i, "text": text, "lang": "x"},
        {"text": text},
        {"meta": {"a": [1, 2.5e3, None, True]}, "deboil": {"old": 1}, "text": text},
        {"body": text, "n": -0.0},
    ]
    line = json.dumps(shapes[i % 4], ensure_ascii=i % 2 == 0).encode()
    selector = 16 if i % 4 == 3 else [0, 1, 4, 5, 9, 2, 6][i % 7]
    write("jsonl", f"case-{i:02d}", selector, line)

for target in ("pack_load", "clean_text", "clean_html", "jsonl"):
    print(target, len(os.listdir(f"corpus/{target}")))
