#!/usr/bin/env bash
# Trains the NER model on CoNLL-2003 train.txt and writes models/ner/model.bin (embedded into
# crosscheck-ner at build time). Usage: scripts/ner_train.sh [TRAIN.txt] [extra train args]
set -euo pipefail
cd "$(dirname "$0")/.."
train="${1:-/work/shared/datasets/conll2003/train.txt}"
shift || true
# Two stages: the first-stage model and the stacked second stage (5-fold jackknife).
cargo run --release -p crosscheck-ner --example train -- "$train" models/ner/model.bin \
    --stack models/ner/stack.bin "$@"
