"""Backfill an archive with crosscheck on Apache Spark.

Four phases, each over the whole input:

1. The per-article stages (cleaning, the language models: most of a run's work) run inside the
   executors: every partition of the input is piped through `crosscheck annotate`, which writes
   one JSON line per article with its model layers, saved as part files of the work directory
   (on the file system the driver and the executors share).
2. Copies are found as Spark shuffles by key (JSONL inputs): every partition is piped through
   `crosscheck copies keys` (each line's fingerprint keys: exact hash, MinHash bands, long
   paragraphs); the lines are shuffled by key and joined into key groups (connected components
   of "shares a key", by label propagation); each group is deduplicated alone, its lines in
   input order, by `crosscheck copies groups`. The duplicate index compares an article only
   with those sharing a key, so every article gets the copy layer a whole run gives it.
3. Event candidates are found as a shuffle by key: every annotation line carries its
   article's keys (`event_keys`: each name of its own mentions in its ten-day publication
   window, posted, and in that window and the previous one, queried); grouped by key, every
   query gets the key's latest posts before it, summed per article (stories::blocking).
4. The remaining cross-article stages (entity linking, events, origins, claims) run once, on
   the driver: `crosscheck analyze INPUT --annotations DIR --copies DIR --event-candidates
   DIR`, which takes every article's model layers, copy layer and event candidates from the
   part files instead of computing them. Its
   output is what `crosscheck analyze INPUT` prints, by construction: an article whose
   annotation line is missing or of another build is computed again, and copy layers that miss
   an article are not used at all.

With --db (a store: PostgreSQL, or a SQLite file on the shared file system), phases 2 and 3
are the store's own (a run into a store finds copies and event candidates against what it
holds: its saved state) and phase 4 splits: the
driver stores every layer but the claims (`analyze --db S --claims-later`, which marks the
threads to judge), the executors judge the marked threads by partitions of threads
(`crosscheck judge --db S`: each thread's claim groups from its own articles), and the driver
writes the store's report to OUT (`analyze --db S --json`: equal to a plain run's JSON but for
its `stats`, which describe that last run).

Usage (see run_local.sh, and the README's "Backfill on Spark" section for a cluster):
    spark-submit crosscheck_job.py --binary /path/to/crosscheck INPUT... --out OUT.json
        [--db URL] [--partitions N] [--work DIR]

INPUT: JSONL files (.jsonl, .jsonl.gz: split into line ranges, one task each) and WARC
archives (.warc, .warc.gz: one task per file), or directories of them.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from pyspark import TaskContext
from pyspark.sql import SparkSession


def walk(path):
    """The files under `path` in the order `crosscheck analyze` reads them (each directory's
    entries sorted by name, a subdirectory's files at its place): copies are judged in input
    order, so the job must number lines as the run does."""
    if not os.path.isdir(path):
        yield path
        return
    for name in sorted(os.listdir(path)):
        yield from walk(os.path.join(path, name))


def input_files(paths):
    """The JSONL and WARC files under `paths`, in input order, each with its kind."""
    out = []
    for p in paths:
        for f in walk(p):
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


def line_range(rows, command):
    """Pipes one line range of a JSONL file ((line, index) pairs in order) through
    `command(number of its first line)`, yielding its output lines."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return

    def lines():
        yield first[0]
        for line, _ in rows:
            yield line

    yield from pipe_lines(command(first[1] + 1), lines())


def annotate_jsonl_partition(binary, name):
    """A task over one line range of a JSONL file: its articles' annotation lines."""

    def run(rows):
        yield from line_range(
            rows, lambda first: [binary, "annotate", "--jsonl", "--name", name, "--first-line", str(first)]
        )

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


def keyed_partition(binary, name, file_no):
    """A task over one line range of a JSONL file: each line's (node, (articles, keys)), a
    node being (file number, line)."""

    def run(rows):
        command = lambda first: [binary, "copies", "keys", "--name", name, "--first-line", str(first)]
        for out in line_range(rows, command):
            k = json.loads(out)
            yield ((file_no, k["line"]), (k["articles"], k["keys"]))

    return run


def local_stars(key_nodes):
    """Edges joining the nodes that share a key of this partition, each to the smallest node
    it is connected to here (a union-find over the partition's keys: the edges keep every
    connection and leave label propagation short chains to walk)."""
    parent = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, nodes in key_nodes:
        nodes = iter(nodes)
        first = root(next(nodes))
        for n in nodes:
            r = root(n)
            if r != first:
                lo, hi = min(first, r), max(first, r)
                parent[hi] = lo
                first = lo
    for n in list(parent):
        r = root(n)
        if r != n:
            yield (r, n)


def relabel(values):
    """A node's label before a round, and after: the smallest of its own and those its
    neighbours offer."""
    own, offered = values
    before = min(own)
    return (before, min(before, min(offered, default=before)))


def key_groups(keyed, partitions):
    """(node, root) for every node that shares a key with another: root is the smallest node
    of its connected component (label propagation: each round, a node takes the smallest
    label among its neighbours'; as many rounds as the longest chain of copies)."""
    edges = (
        keyed.flatMap(lambda r: ((k, r[0]) for k in r[1][1]))
        .groupByKey(partitions)
        .mapPartitions(local_stars)
    )
    # Neighbours by node, partitioned as the labels are, so each round joins without moving
    # the edges again.
    both = edges.flatMap(lambda e: (e, (e[1], e[0]))).groupByKey(partitions).cache()
    labels = both.map(lambda kv: (kv[0], kv[0]), preservesPartitioning=True).cache()
    rounds = 0
    while True:
        rounds += 1
        offered = both.join(labels, partitions).flatMap(lambda x: ((n, x[1][1]) for n in x[1][0]))
        # (node, (label before, label after)), made and counted in one job.
        step = labels.cogroup(offered, partitions).mapValues(relabel).cache()
        changed = step.filter(lambda x: x[1][1] != x[1][0]).count()
        labels.unpersist()
        labels = step.mapValues(lambda v: v[1]).cache()
        if changed == 0:
            print(f"crosscheck_job: key groups found in {rounds} rounds", file=sys.stderr)
            return labels


def dedup_partition(binary):
    """A task over whole key groups: each group's lines piped through `copies groups`."""

    def run(groups):
        def lines():
            for root, members in groups:
                group = f"{root[0]}-{root[1]}"
                for (file_no, line), text in sorted(members):
                    yield f"{group}\t{(file_no << 40) + line}\t{text}"

        yield from pipe_lines([binary, "copies", "groups"], lines())

    return run


def copy_lines(sc, binary, files, partitions):
    """Every article's copy layer (JSON lines), or None when an input is not JSONL (the
    driver then finds copies itself)."""
    if any(kind != "jsonl" for kind, _ in files):
        return None
    keyed, texts = [], []
    for file_no, (_, path) in enumerate(files):
        lines = sc.textFile(os.path.abspath(path), minPartitions=partitions).zipWithIndex()
        keyed.append(lines.mapPartitions(keyed_partition(binary, path, file_no)))
        texts.append(lines.map(lambda x, f=file_no: ((f, x[1] + 1), x[0])))
    keyed = sc.union(keyed).cache()
    texts = sc.union(texts)
    roots = key_groups(keyed, partitions)
    # A line sharing no key is a group of its own: its first article is an origin, and a
    # page of several articles is deduplicated alone.
    alone = keyed.subtractByKey(roots)
    single = alone.filter(lambda r: len(r[1][0]) == 1).map(
        lambda r: json.dumps({"article": r[1][0][0], "origin": r[1][0][0]})
    )
    several = alone.filter(lambda r: len(r[1][0]) > 1).map(lambda r: (r[0], r[0]))
    grouped = (
        roots.union(several)
        .join(texts, partitions)
        .map(lambda x: (x[1][0], (x[0], x[1][1])))
        .groupByKey(partitions)
        .mapPartitions(dedup_partition(binary))
    )
    return grouped.union(single)


def event_entries(line):
    """An annotation line's places in the event-candidate shuffle: (key, (day, article,
    is_post, cap)) for every key it posts and queries (`event_keys`, written last on the line:
    only that part is parsed)."""
    at = line.rfind(',"event_keys":')
    if at < 0:
        return
    keys = json.loads(line[at + len(',"event_keys":') : -1])
    day, article = keys["order"]
    for k in keys["post"]:
        yield (k, (day, article, True, keys["cap"]))
    for k in keys["query"]:
        yield (k, (day, article, False, keys["cap"]))


def latest_posts(group):
    """One key's group reduced (stories::blocking::shuffle): every query with the key's last
    `cap` posts before it (a query sorts before a post of the same article)."""
    _, entries = group
    posts = []
    for day, article, is_post, cap in sorted(entries):
        if is_post:
            posts.append(article)
        elif posts:
            yield (article, posts[-cap:])


def candidate_line(item):
    """One article's candidates line: each earlier article with the number of keys it was
    found by."""
    article, found = item
    counts = {}
    for other in found:
        counts[other] = counts.get(other, 0) + 1
    return json.dumps({"article": article, "candidates": sorted(counts.items())})


def event_candidates(sc, annotations, partitions):
    """Event candidates by date window and shared names (stories::blocking), as a shuffle of
    the annotation lines' keys: one line per article with keys."""
    entries = sc.textFile("file://" + os.path.abspath(annotations)).flatMap(event_entries).cache()
    keyed = entries.filter(lambda e: e[1][2]).map(lambda e: e[1][1]).distinct(partitions)
    keyed = keyed.map(lambda article: (article, []))
    found = entries.groupByKey(partitions).flatMap(latest_posts)
    return keyed.union(found).reduceByKey(lambda a, b: a + b, partitions).map(candidate_line)


def analyze(binary, inputs, annotations, copies, candidates, out):
    """Phase 4 without a store: the cross-article stages over the whole input, on the driver."""
    cmd = [binary, "analyze", *inputs, "--annotations", annotations, "--json"]
    if copies:
        cmd += ["--copies", copies]
    if candidates:
        cmd += ["--event-candidates", candidates]
    with open(out, "wb") as f:
        subprocess.run(cmd, stdout=f, check=True)


def store_location(db):
    """`db` as every node names it (a SQLite file by its absolute path)."""
    return db if db.startswith(("postgres://", "postgresql://")) else os.path.abspath(db)


def judge_partition(binary, db):
    """A task over some threads: `crosscheck judge` judges them from the store."""

    def run(threads):
        yield from pipe_lines([binary, "judge", "--db", db], threads)

    return run


def analyze_into_store(sc, binary, inputs, annotations, db, out, partitions):
    """Phase 4 with a store: the driver stores every layer but the claims (`--claims-later`),
    the executors judge the marked threads (claim groups are made per thread, each from its
    own articles), then the driver reports the store."""
    cmd = [binary, "analyze", *inputs, "--annotations", annotations, "--db", db, "--claims-later"]
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    listed = subprocess.run(
        [binary, "judge", "--db", db, "--list"], stdout=subprocess.PIPE, check=True
    )
    threads = listed.stdout.decode("utf-8").split()
    if threads:
        tasks = max(1, min(partitions, len(threads)))
        sc.parallelize(threads, tasks).mapPartitions(judge_partition(binary, db)).count()
    with open(out, "wb") as f:
        subprocess.run([binary, "analyze", "--db", db, "--json"], stdout=f, check=True)
    return len(threads)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("inputs", nargs="+", help="JSONL or WARC files, or directories of them")
    ap.add_argument("--out", required=True, help="where the analyze JSON goes")
    ap.add_argument("--binary", required=True, help="the crosscheck binary (on every node)")
    ap.add_argument("--db", help="also keep the result in this store (SQLite file or postgres:// URL)")
    ap.add_argument("--partitions", type=int, default=0, help="line ranges per JSONL file (default: 2 per core)")
    ap.add_argument("--driver-copies", action="store_true", help="find copies on the driver instead of by key on the cluster (faster for small inputs)")
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
    binary = os.path.abspath(args.binary)
    lines = counted(annotated_lines(sc, binary, files, partitions), count)
    # Every partition writes its part file at once (the work directory is on the file
    # system the driver and the executors share).
    lines.saveAsTextFile("file://" + os.path.abspath(annotations))
    per_article = time.monotonic() - started
    if args.db:
        threads = analyze_into_store(
            sc, binary, args.inputs, annotations, store_location(args.db), args.out, partitions
        )
        spark.stop()
        summary = f"claims of {threads} threads judged on Spark"
    else:
        copies_dir = None
        copies = None if args.driver_copies else copy_lines(sc, binary, files, partitions)
        if copies is not None:
            copies_dir = os.path.join(work, "copies")
            copies.saveAsTextFile("file://" + os.path.abspath(copies_dir))
        candidates_dir = os.path.join(work, "event-candidates")
        event_candidates(sc, annotations, partitions).saveAsTextFile(
            "file://" + os.path.abspath(candidates_dir)
        )
        summary = (
            f"copies by key and event candidates by name in "
            f"{time.monotonic() - started - per_article:.1f} s"
        )
        spark.stop()
        analyze(binary, args.inputs, annotations, copies_dir, candidates_dir, args.out)
    total = time.monotonic() - started
    print(
        f"crosscheck_job: {count.value} articles annotated in {per_article:.1f} s on Spark, "
        f"{summary}, whole job {total:.1f} s ({count.value / total:.0f} articles/s)",
        file=sys.stderr,
    )
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
