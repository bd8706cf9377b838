#!/usr/bin/env bash
# Trains the NER model on CoNLL-2003 train.txt and writes models/ner/model.bin (embedded into
# crosscheck-ner at build time). Usage: scripts/ner_train.sh [TRAIN.txt] [extra train args]
set -euo pipefail
cd "$(dirname "$0")/.."
train="${1:-/work/shared/datasets/conll2003/train.txt}"
shift || true
cargo run --release -p crosscheck-ner --example train -- "$train" models/ner/model.bin "$@"
