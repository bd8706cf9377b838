#!/usr/bin/env bash
# Induces the NER word clusters (models/ner/clusters.tsv, embedded into crosscheck-ner) from
# the unlabelled text of the development datasets. Usage: scripts/ner_clusters.sh [DATASETS]
# Retrain the model afterwards (scripts/ner_train.sh): cluster ids are model features.
set -euo pipefail
cd "$(dirname "$0")/.."
datasets="${1:-/work/shared/datasets}"
text="$(mktemp)"
trap 'rm -f "$text"' EXIT
python3 scripts/ner_cluster_text.py "$datasets" > "$text"
cargo run --release -p crosscheck-ner --example clusters -- "$text" models/ner/clusters.tsv
