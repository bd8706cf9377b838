#!/usr/bin/env python3
"""Turn the ECB+ token XML files into crosscheck's JSONL input (one article per document).

usage: ecbplus_to_jsonl.py ECBPLUS_DIR OUT.jsonl

Tokens are joined by sentence, one paragraph per sentence, with the spaces the tokenisation
added around punctuation, times ("1 : 32"), numbers ("31, 000") and hyphens removed. ECB+ gives
no publication dates, so relative dates are resolved against inferred anchors only. Used to
check the claims layer's conflicts on many reports of the same events (see the closing note).
"""
import glob
import html
import json
import re
import sys

src, dst = sys.argv[1], sys.argv[2]
with open(dst, "w") as out:
    for f in sorted(glob.glob(src + "/*/*.xml")):
        sents = {}
        for m in re.finditer(r'<token t_id="\d+" sentence="(\d+)" number="\d+">(.*?)</token>', open(f).read()):
            sents.setdefault(int(m.group(1)), []).append(html.unescape(m.group(2)))
        lines = []
        for k in sorted(sents):
            s = " ".join(sents[k])
            s = re.sub(r" ([,.;:!?%)'])", r"\1", s).replace("( ", "(").replace("`` ", '"').replace(" ''", '"')
            s = s.replace(" 's", "'s").replace(" n't", "n't")
            s = re.sub(r"(\d) ?([:/]) ?(\d)", r"\1\2\3", s)
            s = re.sub(r"(\w) - (\w)", r"\1-\2", s)
            s = re.sub(r"(\d), (\d\d\d)", r"\1,\2", s)
            s = re.sub(r"(\d)\. (\d)", r"\1.\2", s)
            lines.append(s)
        out.write(json.dumps({"text": "\n\n".join(lines), "url": f.split("/")[-1]}) + "\n")
