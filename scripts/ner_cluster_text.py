#!/usr/bin/env python3
"""Collects unlabelled English news text for word-cluster induction, one tokenised sentence
or paragraph per line, CoNLL-style tokens separated by spaces.

    python3 scripts/ner_cluster_text.py /work/shared/datasets > /tmp/ner_unlabelled.txt

Sources (text only, no labels): CoNLL-2003 train tokens, BASIL article bodies, ECB+
tokens, TempEval-3 TimeML text, article-extraction ground-truth bodies. CoNLL dev is left
out on purpose: it is kept for measurement only.
"""

import ast
import glob
import json
import os
import re
import sys

TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}"            # U.S., U.N.
    r"|\d+(?:[.,:/-]\d+)*"           # numbers, dates
    r"|\w+(?:[-'’]\w+)*"             # words, al-Sharaa, Hay’at
    r"|'s|n't"
    r"|[^\w\s]",
    re.UNICODE,
)


def tokenise(text: str) -> str:
    text = re.sub(r"(\w)(['’]s)\b", r"\1 \2", text)
    return " ".join(TOKEN.findall(text))


def main() -> None:
    root = sys.argv[1]
    out = sys.stdout
    # CoNLL train: tokens as they are.
    sent = []
    for line in open(os.path.join(root, "conll2003", "train.txt"), encoding="utf-8"):
        parts = line.split()
        if not parts or parts[0] == "-DOCSTART-":
            if sent:
                out.write(" ".join(sent) + "\n")
            sent = []
        else:
            sent.append(parts[0])
    # BASIL: body paragraphs are a Python literal of lists of sentences.
    for path in sorted(glob.glob(os.path.join(root, "basil", "*", "*.json"))):
        art = json.load(open(path, encoding="utf-8"))
        if art.get("title"):
            out.write(tokenise(art["title"]) + "\n")
        body = art.get("body-paragraphs")
        try:
            paras = ast.literal_eval(body) if isinstance(body, str) else (body or [])
        except (ValueError, SyntaxError):
            continue
        for para in paras:
            for s in para if isinstance(para, list) else [para]:
                out.write(tokenise(str(s)) + "\n")
    # ECB+: token XML, grouped by sentence.
    tok_re = re.compile(r'<token[^>]*sentence="(\d+)"[^>]*>([^<]*)</token>')
    for path in sorted(glob.glob(os.path.join(root, "ecbplus", "*", "*.xml"))):
        text = open(path, encoding="utf-8").read()
        cur, words = None, []
        for m in tok_re.finditer(text):
            if m.group(1) != cur and words:
                out.write(" ".join(words) + "\n")
                words = []
            cur = m.group(1)
            words.append(m.group(2).replace("&amp;", "&").replace("&quot;", '"'))
        if words:
            out.write(" ".join(words) + "\n")
    # TempEval-3: the <TEXT> element without its markup.
    for path in sorted(glob.glob(os.path.join(root, "tempeval3", "*", "*.tml"))):
        text = open(path, encoding="utf-8").read()
        m = re.search(r"<TEXT>(.*)</TEXT>", text, re.S)
        if m:
            for para in re.sub(r"<[^>]+>", "", m.group(1)).split("\n"):
                if para.strip():
                    out.write(tokenise(para) + "\n")
    # Article-extraction benchmark: the true article bodies.
    gt = json.load(open(os.path.join(root, "article-extraction", "ground-truth.json"), encoding="utf-8"))
    for art in gt.values():
        for para in (art.get("articleBody") or "").split("\n"):
            if para.strip():
                out.write(tokenise(para) + "\n")


if __name__ == "__main__":
    main()
