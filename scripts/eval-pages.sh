#!/usr/bin/env bash
# Scores dedump on the real pages of ../shared/data (each page cleaned alone) with
# ../shared/tools/score-pages.py. Skips cleanly when ../shared/data is not there.
#
#   scripts/eval-pages.sh [FOLDER...]      # default: every folder with labels or gold
#   DEDUMP_ARGS="--disable near" scripts/eval-pages.sh mozilla-readability-test-pages
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
data="$here/../shared/data"
tool="$here/../shared/tools/score-pages.py"
if [ ! -d "$data" ] || [ ! -f "$tool" ]; then
  echo "eval-pages: ../shared/data not found; skipping"
  exit 0
fi
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin="$here/target/release/dedump"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
folders=("$@")
if [ ${#folders[@]} -eq 0 ]; then
  for d in "$data"/*/; do
    [ -d "$d/labels" ] && folders+=("$(basename "$d")")
  done
fi
for f in "${folders[@]}"; do
  mkdir -p "$out/$f"
  for page in "$data/$f"/pages/*.txt; do
    # shellcheck disable=SC2086
    "$bin" --quiet ${DEDUMP_ARGS:-} "$page" -o "$out/$f/$(basename "$page")" || echo "eval-pages: failed on $page" >&2
  done
  echo "== $f"
  python3 "$tool" --data "$data/$f" --pred "$out/$f"
done
