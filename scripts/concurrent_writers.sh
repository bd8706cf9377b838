#!/usr/bin/env bash
# Several writers at once against one store, then the same inputs written serially into
# another: both stores must hold the same documents and articles, nothing pending, and pass
# `crosscheck check`. Writers: two `crosscheck analyze --db` runs with overlapping inputs and
# eight concurrent `POST /api/articles` to a `crosscheck serve` of the same store.
#
# usage: scripts/concurrent_writers.sh CORPUS.jsonl [ADMIN_URL]
#   CORPUS.jsonl  at least 2,400 JSONL lines (e.g. from make_corpus.py)
#   ADMIN_URL     a PostgreSQL URL whose user may create databases: the stores are PostgreSQL
#                 databases instead of SQLite files
set -euo pipefail
corpus=${1:?usage: concurrent_writers.sh CORPUS.jsonl [ADMIN_URL]}
admin=${2:-}
bin=${CROSSCHECK_BIN:-target/release/crosscheck}
work=$(mktemp -d /tmp/crosscheck-writers.XXXXXX)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
server=

sed -n 1,1200p "$corpus" > "$work/a.jsonl"
sed -n 801,2000p "$corpus" > "$work/b.jsonl"
for i in 0 1 2 3 4 5 6 7; do
  # Each body has 50 lines of its own and 5 lines every body sends.
  { sed -n "$((2001 + i * 50)),$((2050 + i * 50))p" "$corpus"; sed -n 2401,2405p "$corpus"; } > "$work/post$i.jsonl"
done

store_for() {
  if [ -n "$admin" ]; then
    python3 - "$admin" "$1" <<'PY'
import subprocess, sys
admin, name = sys.argv[1], sys.argv[2]
subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
print(admin.rsplit("/", 1)[0] + "/" + name)
PY
  else
    echo "$work/$1.db"
  fi
}
shared=$(store_for cc_writers_shared)
serial=$(store_for cc_writers_serial)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
CROSSCHECK_TOKEN=t "$bin" serve --db "$shared" --addr "127.0.0.1:$port" 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do curl -s "127.0.0.1:$port/api/threads" >/dev/null && break; sleep 0.2; done

start=$(date +%s.%N)
"$bin" analyze --db "$shared" --changes "$work/a.jsonl" >/dev/null &
w1=$!
"$bin" analyze --db "$shared" --changes "$work/b.jsonl" >/dev/null &
w2=$!
posts=()
for i in 0 1 2 3 4 5 6 7; do
  curl -s -o "$work/post$i.out" -w '%{http_code}\n' -H 'Authorization: Bearer t' \
    --data-binary "@$work/post$i.jsonl" "127.0.0.1:$port/api/articles" > "$work/post$i.code" &
  posts+=($!)
done
wait $w1 $w2 "${posts[@]}"
end=$(date +%s.%N)
kill $server; wait $server 2>/dev/null || true; server=
echo "concurrent writers done in $(python3 -c "print(f'{$end - $start:.1f}')") s; POST status: $(cat "$work"/post*.code | sort | uniq -c | tr '\n' ' ')"

# The writers took turns (the store's processing lock): replay them serially in the order
# the shared store shows (each writer's documents are one run of its insertion order).
"$bin" analyze --db "$shared" --json > "$work/shared.json"
order=$(python3 - "$work" <<'PY'
import json, sys, os
work = sys.argv[1]
d = json.load(open(os.path.join(work, "shared.json")))
at = {a["id"]: i for i, a in enumerate(d["articles"])}
doc_path = {doc["id"]: os.path.basename(doc["path"]) for doc in d["documents"]}
first = {}
for a in d["articles"]:
    name = doc_path[a["document"]]
    if name in ("a.jsonl", "b.jsonl"):
        first.setdefault(name[:1], at[a["id"]])
for i in range(8):
    # A POST answers with the ids of the articles it added.
    added = json.load(open(os.path.join(work, f"post{i}.out")))["articles"]
    first[f"post{i}"] = min((at[x] for x in added), default=len(at))
print(" ".join(sorted(first, key=first.get)))
PY
)
echo "order the writers took: $order"
for f in $order; do
  "$bin" analyze --db "$serial" --changes "$work/$f.jsonl" >/dev/null
done

echo "shared: $("$bin" check --db "$shared" | head -1)"
echo "serial: $("$bin" check --db "$serial" | head -1)"
"$bin" check --db "$shared" >/dev/null && echo "shared store: no problem found"
"$bin" check --db "$serial" >/dev/null && echo "serial store: no problem found"
"$bin" analyze --db "$serial" --json > "$work/serial.json"
python3 - "$work" <<'PY'
import json, sys, os
work = sys.argv[1]
a, b = (json.load(open(os.path.join(work, f))) for f in ("shared.json", "serial.json"))
# Documents name where they came from (a POST or a file), which differs by design.
keys = ["articles", "entities", "events", "threads", "claims", "claim_groups", "conflicts"]
same = [k for k in keys if a[k] == b[k]]
print("layers equal to the serial replay:", ", ".join(same) if same else "none",
      "" if len(same) == len(keys) else "| DIFFER: " + ", ".join(k for k in keys if k not in same))
PY
