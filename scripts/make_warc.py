#!/usr/bin/env python3
"""Builds a WARC archive of N HTTP response records for `crosscheck eval warc`.

    python3 scripts/make_warc.py OUT.warc.gz N [HTML_DIR ...]

The pages come from the extraction datasets (default: the html/ folders of
web-extraction-dev and article-extraction under the shared datasets); they are
cycled through, and each record gets its own URI and a comment holding the
record number, so every record is a distinct document. Each record is its own
gzip member, as Common Crawl writes them. Python standard library only.
"""

import gzip
import io
import sys
import uuid
from pathlib import Path

DEFAULT_DIRS = [
    "/work/shared/datasets/web-extraction-dev/html",
    "/work/shared/datasets/article-extraction/html",
]


def pages(dirs):
    out = []
    for d in dirs:
        for p in sorted(Path(d).glob("*.html.gz")):
            with gzip.open(p, "rb") as f:
                out.append((p.name.split(".")[0], f.read()))
    if not out:
        sys.exit(f"make_warc: no *.html.gz pages in {', '.join(dirs)}")
    return out


def record(n, name, html):
    html = html + f"\n<!-- record {n} -->\n".encode()
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        + f"Content-Length: {len(html)}\r\n\r\n".encode()
        + html
    )
    head = (
        "WARC/1.0\r\n"
        "WARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.UUID(int=n)}>\r\n"
        f"WARC-Target-URI: https://pages.example/{name}/{n}\r\n"
        f"WARC-Date: 2026-01-{1 + n % 28:02d}T12:00:00Z\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"


def member(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=6, mtime=0) as g:
        g.write(data)
    return buf.getvalue()


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, n = sys.argv[1], int(sys.argv[2])
    src = pages(sys.argv[3:] or DEFAULT_DIRS)
    with open(out, "wb") as f:
        for i in range(n):
            name, html = src[i % len(src)]
            f.write(member(record(i, name, html)))
    print(f"{out}: {n} response records from {len(src)} pages")


if __name__ == "__main__":
    main()
