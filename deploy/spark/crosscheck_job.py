"""Backfill an archive with crosscheck on Apache Spark.

The per-article stages (cleaning, the language models: most of a run's work) run inside the
executors: every partition of the input is piped through `crosscheck annotate`, which writes one
JSON line per article with its model layers; every partition writes its lines as a part file of
the work directory (on the file system the driver and the executors share). Then the
cross-article stages (copies, entity linking, events, origins, claims) run once, on the driver,
over the whole input with `crosscheck analyze INPUT --annotations DIR`, which takes every
article's model layers from the part files instead of computing them. Its output is what `crosscheck analyze INPUT`
prints, by construction: an article whose line is missing or of another build is computed again.

Usage (see run_local.sh, and the README's "Backfill on Spark" section for a cluster):
    spark-submit crosscheck_job.py --binary /path/to/crosscheck INPUT... --out OUT.json
        [--db URL] [--partitions N] [--work DIR]

INPUT: JSONL files (.jsonl, .jsonl.gz: split into line ranges, one task each) and WARC
archives (.warc, .warc.gz: one task per file), or directories of them.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from pyspark import TaskContext
from pyspark.sql import SparkSession


def input_files(paths):
    """The JSONL and WARC files under `paths`, sorted, each with its kind."""
    out = []
    for p in paths:
        files = [p]
        if os.path.isdir(p):
            files = sorted(
                os.path.join(d, f) for d, _, fs in os.walk(p) for f in fs if not f.startswith(".")
            )
        for f in files:
            name = f.lower()
            if name.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")):
                out.append(("jsonl", f))
            elif name.endswith((".warc", ".warc.gz")):
                out.append(("warc", f))
    return out


def task_env():
    """The binary's environment in a task: as many threads as the task has cores (the binary
    would otherwise take every core of the node, which other tasks share)."""
    env = dict(os.environ)
    ctx = TaskContext.get()
    if ctx is not None:
        env["RAYON_NUM_THREADS"] = str(max(1, ctx.cpus()))
    return env


def pipe_lines(cmd, lines):
    """Runs `cmd`, feeding it `lines` (str, without newline) on stdin from a thread, and yields
    its stdout lines; a failure of the command fails the task with its stderr."""
    proc = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=task_env()
    )
    errors = []

    def feed():
        try:
            for line in lines:
                proc.stdin.write(line.encode("utf-8", "surrogateescape") + b"\n")
        except BrokenPipeError:
            pass
        except Exception as e:  # reported below, with the command's own message
            errors.append(e)
        finally:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass

    stderr = []
    writer = threading.Thread(target=feed, daemon=True)
    reader = threading.Thread(target=lambda: stderr.append(proc.stderr.read()), daemon=True)
    writer.start()
    reader.start()
    for out in proc.stdout:
        yield out.decode("utf-8").rstrip("\n")
    writer.join()
    reader.join()
    code = proc.wait()
    if code != 0 or errors:
        msg = b"".join(stderr).decode("utf-8", "replace")
        raise RuntimeError(f"{' '.join(cmd)} exited with {code}: {msg} {errors}")


def annotate_jsonl_partition(binary, name):
    """A task over one line range of a JSONL file: (line, index) pairs in order."""

    def run(rows):
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return
        cmd = [binary, "annotate", "--jsonl", "--name", name, "--first-line", str(first[1] + 1)]

        def lines():
            yield first[0]
            for line, _ in rows:
                yield line

        yield from pipe_lines(cmd, lines())

    return run


def annotate_warc(binary):
    """A task over whole WARC files (their records are streamed by the binary)."""

    def run(paths):
        for path in paths:
            yield from pipe_lines([binary, "annotate", path], iter(()))

    return run


def annotated_lines(sc, binary, files, partitions):
    """One RDD of every article's annotation line."""
    rdds = []
    for kind, path in files:
        if kind == "jsonl":
            lines = sc.textFile(os.path.abspath(path), minPartitions=partitions)
            rdds.append(lines.zipWithIndex().mapPartitions(annotate_jsonl_partition(binary, path)))
    warcs = [os.path.abspath(p) for k, p in files if k == "warc"]
    if warcs:
        rdds.append(sc.parallelize(warcs, len(warcs)).mapPartitions(annotate_warc(binary)))
    if not rdds:
        return sc.emptyRDD()
    return sc.union(rdds) if len(rdds) > 1 else rdds[0]


def counted(lines, accumulator):
    """`lines`, each counted in `accumulator` as it passes (for the job's summary line)."""

    def run(it):
        for line in it:
            accumulator.add(1)
            yield line

    return lines.mapPartitions(run)


def analyze(binary, inputs, annotations, out, db):
    """The cross-article stages over the whole input, on the driver."""
    cmd = [binary, "analyze", *inputs, "--annotations", annotations, "--json"]
    if db:
        cmd += ["--db", db]
    with open(out, "wb") as f:
        subprocess.run(cmd, stdout=f, check=True)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("inputs", nargs="+", help="JSONL or WARC files, or directories of them")
    ap.add_argument("--out", required=True, help="where the analyze JSON goes")
    ap.add_argument("--binary", required=True, help="the crosscheck binary (on every node)")
    ap.add_argument("--db", help="also keep the result in this store (SQLite file or postgres:// URL)")
    ap.add_argument("--partitions", type=int, default=0, help="line ranges per JSONL file (default: 2 per core)")
    ap.add_argument("--work", help="a directory on the shared file system for the annotations (default: a temporary one)")
    args = ap.parse_args(argv)

    files = input_files(args.inputs)
    if not files:
        sys.exit(f"crosscheck_job: no .jsonl or .warc input under {args.inputs}")
    spark = SparkSession.builder.appName("crosscheck-backfill").getOrCreate()
    sc = spark.sparkContext
    partitions = args.partitions or 2 * sc.defaultParallelism
    work = args.work or tempfile.mkdtemp(prefix="crosscheck-spark-")
    os.makedirs(work, exist_ok=True)
    annotations = os.path.join(work, "annotations")

    started = time.monotonic()
    count = sc.accumulator(0)
    lines = counted(annotated_lines(sc, os.path.abspath(args.binary), files, partitions), count)
    # Every partition writes its part file at once (the work directory is on the file
    # system the driver and the executors share).
    lines.saveAsTextFile("file://" + os.path.abspath(annotations))
    per_article = time.monotonic() - started
    spark.stop()
    analyze(args.binary, args.inputs, annotations, args.out, args.db)
    total = time.monotonic() - started
    print(
        f"crosscheck_job: {count.value} articles annotated in {per_article:.1f} s on Spark, "
        f"whole job {total:.1f} s ({count.value / total:.0f} articles/s)",
        file=sys.stderr,
    )
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
