#!/usr/bin/env bash
# Writes what the release binary prints for every corpus page, in the forms an
# HTML change must not alter, so that two builds can be compared with `diff -r`:
#   text-default, text-aggressive     --output text in each mode
#   report-aggressive                 the JSON removal report (offsets, paths)
#   markdown-aggressive               --output markdown
#   html-default, html-aggressive     --output html (the serialized tree)
# Usage: scripts/html_outputs.sh OUT_DIR [BINARY] [DATASET_DIR...]
#   (default binary target/release/deboil; default datasets: the four
#   ../shared/corpus folders). Example, before and after a change:
#   cp target/release/deboil target/deboil-before
#   scripts/html_outputs.sh target/html-before target/deboil-before
#   cargo build --release && scripts/html_outputs.sh target/html-after
#   diff -r target/html-before target/html-after && echo same
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?usage: scripts/html_outputs.sh OUT_DIR [BINARY] [DATASET_DIR...]}
BIN=${2:-target/release/deboil}
shift $(($# >= 2 ? 2 : 1))
if [ $# -eq 0 ]; then
    set -- ../shared/corpus/scrapinghub ../shared/corpus/readability ../shared/corpus/wcxb ../shared/corpus/trafilatura
fi
forms=(
    "text-default|--mode default --output text"
    "text-aggressive|--mode aggressive --output text"
    "report-aggressive|--mode aggressive --output text --report json"
    "markdown-aggressive|--mode aggressive --output markdown"
    "html-default|--mode default --output html"
    "html-aggressive|--mode aggressive --output html"
)
for form in "${forms[@]}"; do
    mkdir -p "$OUT/${form%%|*}"
done
pages=0
for dataset in "$@"; do
    name=$(basename "$dataset")
    for page in "$dataset"/html/*.html; do
        id=$(basename "$page" .html)
        for form in "${forms[@]}"; do
            # shellcheck disable=SC2086
            "$BIN" --no-config --format html ${form#*|} <"$page" >"$OUT/${form%%|*}/$name-$id" 2>&1 ||
                echo "exit $?" >>"$OUT/${form%%|*}/$name-$id"
        done
        pages=$((pages + 1))
    done
done
echo "$pages pages, ${#forms[@]} forms each, in $OUT"
