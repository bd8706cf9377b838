#!/bin/sh
# Rebuilds the HTML extractor's block model (crates/html/block_model.json) from half A of the
# web-extraction dev pages, then rebuilds the binary so that it ships the new weights.
# Usage: scripts/train_blocks.sh [DATASET_DIR [ARTICLE_BENCHMARK_DIR]]
set -eu
dir=${1:-/work/shared/datasets/web-extraction-dev}
zyte=${2:-/work/shared/datasets/article-extraction}
cd "$(dirname "$0")/.."
cargo build --release -p crosscheck
# The features are those of the rules' selection, which the shipped model does not change.
target/release/crosscheck eval train-blocks "$dir" --out crates/html/block_model.json \
    --zyte "$zyte"
cargo build --release -p crosscheck
target/release/crosscheck eval web-extraction "$dir"
