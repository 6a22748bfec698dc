#!/usr/bin/env bash
# Whether two dedump binaries clean the same inputs to the same bytes: sample_data/ as a crawl
# and each sample alone, a generated crawl (examples/gen-data, MB megabytes, default 20) as a
# tree, as one text stream and as JSON Lines on stdin, and the real pages of ../shared/data as
# one crawl where that folder exists. Prints what differs; exit 1 if anything does.
#
#   scripts/same-output.sh OLD_BINARY NEW_BINARY [MB]
set -uo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 2 ]] || { echo "usage: $0 OLD_BINARY NEW_BINARY [MB]" >&2; exit 2; }
old=$(realpath "$1") new=$(realpath "$2") mb=${3:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --example gen-data
target/release/examples/gen-data "$work/data" "$mb" >/dev/null
# The real pages, one folder per benchmark (each a site), as links to their pages/ folders.
if [[ -d ../shared/data ]]; then
    mkdir -p "$work/pages"
    for d in ../shared/data/*/pages; do
        ln -s "$(realpath "$d")" "$work/pages/$(basename "$(dirname "$d")")"
    done
fi
outputs() {
    local bin=$1 o=$2
    mkdir -p "$o/alone"
    "$bin" clean -q sample_data -o "$o/samples" --report "$o/samples.jsonl"
    for f in sample_data/*.txt; do "$bin" -q "$f" >"$o/alone/$(basename "$f")"; done
    "$bin" clean -q "$work/data/crawl" -o "$o/crawl" --report "$o/crawl.jsonl"
    "$bin" -q <"$work/data/stream.txt" >"$o/stream.txt"
    "$bin" clean -q --format jsonl <"$work/data/stream.jsonl" >"$o/stream.jsonl"
    if [[ -d $work/pages ]]; then
        "$bin" clean -q --follow-symlinks "$work/pages" -o "$o/pages" 2>/dev/null
    fi
}
outputs "$old" "$work/old"
outputs "$new" "$work/new"
# Reports name the tool's version and settings; their records are compared without the header.
for r in samples crawl; do
    for side in old new; do tail -n +2 "$work/$side/$r.jsonl" >"$work/$side/$r.body"; rm "$work/$side/$r.jsonl"; done
done
if diff -rq "$work/old" "$work/new"; then
    echo "same output"
else
    exit 1
fi
