#!/usr/bin/env bash
# Trains the syntax model (tagger, lemmatizer, parser) on UD English EWT train and writes
# models/syntax/model.bin (embedded into crosscheck-syntax at build time). About 2 minutes
# on one core; deterministic. Usage: scripts/syntax_train.sh [TRAIN.conllu.gz] [extra args]
# Dev figures: cargo run --release -p crosscheck-syntax --example eval -- DEV.conllu.gz
set -euo pipefail
cd "$(dirname "$0")/.."
train="${1:-/work/shared/datasets/ud-english-ewt/en_ewt-ud-train.conllu.gz}"
shift || true
cargo run --release -p crosscheck-syntax --example train -- "$train" models/syntax "$@"
