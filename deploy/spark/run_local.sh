#!/usr/bin/env bash
# Runs the Spark backfill job on a local Spark cluster (a master and WORKERS workers of one
# core each, on loopback: Spark's local-cluster mode) over INPUT (JSONL or WARC files, or
# directories of them) and writes to OUT.json the JSON object `crosscheck analyze --json INPUT`
# prints.
#
#   deploy/spark/run_local.sh INPUT... OUT.json
#
# Sets up what it needs: the release binary (cargo build --release), a virtual environment
# with PySpark from PyPI (CROSSCHECK_SPARK_VENV, default target/spark-venv). Java 17 or newer
# must be installed. WORKERS (default 2) sets the number of workers; EXTRA_ARGS is passed to
# the job (e.g. "--db postgres://...").
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 INPUT... OUT.json" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${*: -1}"
inputs=("${@:1:$#-1}")
workers="${WORKERS:-2}"
venv="${CROSSCHECK_SPARK_VENV:-$root/target/spark-venv}"
pyspark_version="4.3.0"

if ! command -v java >/dev/null; then
  echo "$0: Java 17 or newer is required (Spark runs on the JVM)" >&2
  exit 1
fi
bin="${CROSSCHECK_BIN:-}"
if [ -z "$bin" ]; then
  (cd "$root" && cargo build --release -q -p crosscheck)
  bin="${CARGO_TARGET_DIR:-$root/target}/release/crosscheck"
fi
if ! "$venv/bin/python" -c "import pyspark" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "pyspark==$pyspark_version"
fi

export PYSPARK_PYTHON="$venv/bin/python"
export PYSPARK_DRIVER_PYTHON="$venv/bin/python"
export SPARK_LOCAL_IP=127.0.0.1
export SPARK_HOME="$("$venv/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
# local-cluster[workers, cores per worker, MB per worker]: separate executor JVMs, as on a cluster.
"$venv/bin/spark-submit" \
  --master "local-cluster[$workers,1,1024]" \
  --conf spark.ui.enabled=false \
  --conf spark.driver.host=127.0.0.1 \
  --conf spark.log.level=WARN \
  "$root/deploy/spark/crosscheck_job.py" --binary "$bin" --out "$out" ${EXTRA_ARGS:-} "${inputs[@]}"
