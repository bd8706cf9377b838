#!/usr/bin/env python3
"""kill -9 trials: a store killed at a random moment is completed by the next run.

Each trial starts `crosscheck analyze INPUT --db STORE` on a fresh store, sends SIGKILL at a
random moment of a clean run's wall time, then runs the same command to completion; its JSON
(without the run's own `stats` and `skipped`) must equal a clean run's. Prints one line per
trial and the counts; exits 1 when any trial is inconsistent.

    tests/kill/trials.py BIN INPUT [--trials N] [--seed S] [--pg ADMIN_URL]

With --pg, every trial runs on a fresh PostgreSQL database too (ADMIN_URL: a server whose user
may create databases, as CI's throwaway cluster gives).
"""

import argparse
import glob
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def layers(out):
    """A run's JSON without what describes the run itself."""
    v = json.loads(out)
    v.pop("stats", None)
    v.pop("skipped", None)
    return v


def run(binary, store, inp):
    done = subprocess.run(
        [binary, "analyze", "--db", store, "--json", inp],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"analyze --db {store} failed: {done.stderr.decode(errors='replace')}")
    return done.stdout


def killed_at(binary, store, inp, at):
    """Runs analyze into `store`, SIGKILLed after `at` seconds; whether it was cut."""
    child = subprocess.Popen(
        [binary, "analyze", "--db", store, "--json", inp],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(at)
    cut = child.poll() is None
    if cut:
        child.send_signal(signal.SIGKILL)
    child.wait()
    return cut


class Stores:
    """Fresh stores: SQLite files, and PostgreSQL databases when an admin URL is given."""

    def __init__(self, tmp, pg):
        self.tmp, self.pg, self.n = tmp, pg, 0

    def kinds(self):
        return ["sqlite"] + (["postgres"] if self.pg else [])

    def fresh(self, kind):
        self.n += 1
        if kind == "sqlite":
            return os.path.join(self.tmp, f"trial{self.n}.db")
        name = f"kill_{os.getpid()}_{self.n}"
        psql = shutil.which("psql") or sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))[-1]
        subprocess.run([psql, self.pg, "-qc", f"CREATE DATABASE {name}"], check=True)
        base = self.pg.rsplit("/", 1)[0]
        return f"{base}/{name}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("input")
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--pg", help="admin URL of a PostgreSQL server")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    print(f"kill -9 trials: seed {args.seed}")
    tmp = tempfile.mkdtemp(prefix="crosscheck-kill.")
    stores = Stores(tmp, args.pg)
    totals = {"trials": 0, "cut": 0, "consistent": 0}
    for kind in stores.kinds():
        started = time.monotonic()
        reference = layers(run(args.binary, stores.fresh(kind), args.input))
        wall = time.monotonic() - started
        for t in range(args.trials):
            store = stores.fresh(kind)
            at = rng.uniform(0, wall)
            cut = killed_at(args.binary, store, args.input, at)
            same = layers(run(args.binary, store, args.input)) == reference
            totals["trials"] += 1
            totals["cut"] += cut
            totals["consistent"] += same
            state = "cut" if cut else "ran to its end"
            print(f"{kind} trial {t + 1}: killed at {at:.2f} s of {wall:.2f} s ({state}): "
                  f"{'consistent' if same else 'DIFFERS from a clean run'}")
    print(
        f"kill -9 trials: {totals['trials']}, cut: {totals['cut']}, "
        f"consistent after the next run: {totals['consistent']}"
    )
    sys.exit(0 if totals["consistent"] == totals["trials"] else 1)


if __name__ == "__main__":
    main()
