#!/usr/bin/env python3
"""Writes a JSONL corpus of N documents derived from the demo pages in corpus/demo, for the
Spark job's equality check in CI (a fresh clone has no other corpus): wire copies, trimmed
copies, reports of the same text dated weeks apart, and rewrites (half the sentences) with other numbers, so that
copies, events and conflicting claims all occur.

    python3 deploy/spark/make_sample.py OUT.jsonl [N]
"""

import datetime
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def pages():
    d = os.path.join(ROOT, "corpus", "demo")
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), encoding="utf-8") as f:
            yield f.read()


def paragraphs(text):
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def other_numbers(text, k):
    """Every number in `text` changed by k (a rewrite that disagrees on figures)."""
    return re.sub(r"\b\d{1,3}\b", lambda m: str(int(m.group()) + k), text)


def variant(text, i):
    """The i-th document made from one page's text: (text, outlet, days later)."""
    paras = paragraphs(text)
    kind = i % 4
    if kind == 0:
        return text, f"wire{i}", 0
    if kind == 1:
        return "\n\n".join(paras[: max(2, len(paras) - 1 - i % 3)]), f"paper{i}", 1
    if kind == 2:
        return "\n\n".join(paras[1:] + paras[:1]), f"weekly{i}", 7 * (i % 9)
    # A rewrite: every other sentence of each paragraph (no longer a near copy), other numbers.
    kept = []
    for para in paras:
        sentences = re.split(r"(?<=[.!?])\s+", para)
        kept.append(" ".join(sentences[i % 2 :: 2] or sentences))
    return other_numbers("\n\n".join(kept), 1 + i % 5), f"daily{i}", 2


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    base = datetime.date(2026, 1, 20)
    texts = list(pages())
    with open(out, "w", encoding="utf-8") as f:
        for i in range(n):
            text, outlet, later = variant(texts[i % len(texts)], i // len(texts))
            published = base + datetime.timedelta(days=later + (i // 100) * 60)
            record = {"text": text, "outlet": outlet, "published": published.isoformat()}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
