#!/usr/bin/env python3
"""Writes a corpus of broken and hostile inputs into DIR (generated, not committed: some are
large once decompressed). `tests/hostile/run.sh` feeds each to `crosscheck analyze`.

    python3 tests/hostile/make_inputs.py DIR
"""

import gzip
import json
import os
import random
import sys
import zlib

NEWS = (
    "Russian President Vladimir Putin met Syrian President Ahmed al-Sharaa in Moscow on "
    "Wednesday, 15 October 2025. More than 1,200 people attended, officials said."
)


def write(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def gzip_bomb(path, size):
    """`size` bytes of one repeated letter, gzip-compressed in a stream (a few MB on disk)."""
    chunk = b"a" * (1 << 20)
    with open(path, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9) as f:
            for _ in range(size // len(chunk)):
                f.write(chunk)


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    rng = random.Random(7)
    good = json.dumps({"text": NEWS, "published": "2025-10-15"}).encode() + b"\n"
    whole = gzip.compress(good * 50)
    write(d, "truncated.jsonl.gz", whole[: len(whole) // 2])
    write(d, "not-gzip.jsonl.gz", b"this is not gzip at all\n")
    gzip_bomb(os.path.join(d, "bomb.txt.gz"), 1 << 30)
    write(d, "nul-bytes.txt", NEWS.encode().replace(b" ", b"\x00") + b"\x00" * 1000)
    write(d, "nul-bytes.jsonl", good.replace(b"Putin", b"Pu\\u0000tin") + b"\x00\x00\n")
    write(d, "deep.html", b"<html><body>" + b"<div>" * 200_000 + NEWS.encode() + b"</div>" * 200_000)
    write(d, "deep-unclosed.html", b"<p><b><i><span>" * 50_000 + NEWS.encode())
    write(d, "utf16le.html", b"\xff\xfe" + f"<html><body><p>{NEWS}</p></body></html>".encode("utf-16-le"))
    write(d, "utf16be.txt", b"\xfe\xff" + NEWS.encode("utf-16-be"))
    write(d, "utf16-no-bom.txt", NEWS.encode("utf-16-le"))
    write(d, "cp1252.html", b'<meta charset="windows-1252"><p>' + "Caf\u00e9 \u201cquoted\u201d \u2014 ".encode("cp1252") + NEWS.encode("cp1252") + b"</p>")
    write(d, "shift_jis.html", b'<meta charset="shift_jis"><p>' + "東京で会談が行われた。".encode("shift_jis") + b"</p>")
    write(d, "koi8r.txt", "Президент России встретился с президентом Сирии в Москве.".encode("koi8-r"))
    write(d, "lying-charset.html", b'<meta charset="utf-8"><p>' + "na\u00efve caf\u00e9".encode("latin-1") + b"</p>")
    write(d, "invalid-utf8.txt", NEWS.encode() + b"\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc")
    wrong = [
        {"text": 5},
        {"text": None},
        {"text": ["a", "b"]},
        {"text": {"nested": True}},
        {"text": NEWS, "published": 20251015},
        {"text": NEWS, "published": "not a date"},
        {"text": NEWS, "published": "99999-99-99"},
        {"text": NEWS, "title": ["x"], "outlet": 3, "url": False},
        [1, 2, 3],
        "just a string",
        None,
    ]
    body = b"".join(json.dumps(r).encode() + b"\n" for r in wrong) + b'{"text": "unterminated\n{]\n\n'
    write(d, "wrong-types.jsonl", body)
    write(d, "big-line.jsonl", b'{"text": "' + b"word " * (10 << 20) + b'"}\n' + good)
    write(d, "random-bytes.html", bytes(rng.getrandbits(8) for _ in range(200_000)))
    write(d, "random-bytes.jsonl", bytes(rng.getrandbits(8) for _ in range(200_000)))
    write(d, "empty.txt", b"")
    write(d, "empty.jsonl", b"")
    write(d, "only-markup.html", b"<html><head><script>var a=1;</script></head><body><nav>Home</nav></body></html>")
    write(d, "broken-feed.xml", b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</title><description>')
    warc = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.org/a\r\n"
        b"Content-Length: 999999\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>" + NEWS.encode()
    )
    write(d, "truncated.warc.gz", gzip.compress(warc)[:-20])
    write(d, "garbage.warc", b"WARC/1.0\r\nnot a header line\r\n\r\n" + bytes(rng.getrandbits(8) for _ in range(5000)))
    write(d, "deflate-not-gzip.txt.gz", zlib.compress(NEWS.encode()))


if __name__ == "__main__":
    main()
