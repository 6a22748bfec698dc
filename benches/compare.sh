#!/usr/bin/env bash
# Whole processes, side by side in one run: dedump as users run it (a text stream on stdin, a
# crawl on 1 and 2 threads with its output tree on disk, the crawl with --report, JSON Lines on
# stdin) next to `mawk '!seen[$0]++'`, `LC_ALL=C sort -u` and `runiq` (when installed) over the
# same text. Each job runs RUNS times (default 5), the jobs alternating; the median is reported
# with MB/s and its ratio to mawk.
#
#   benches/compare.sh [MB]            # default 100 MB of generated Chinese/English pages
#   RECORD=1 benches/compare.sh        # also append the table to benches/RESULTS.md
#
# DATA (default: $TMPDIR or /tmp, under dedump-compare-MB) holds the generated input; OUT (default:
# target/compare) the crawl's output tree, on the disk of the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-100}
runs=${RUNS:-5}
data=${DATA:-${TMPDIR:-/tmp}/dedump-compare-$mb}
out=${OUT:-target/compare}
cargo build --release --quiet --bin dedump --example gen-data
bin=$PWD/target/release/dedump
if [[ ! -f $data/stream.jsonl ]]; then
    target/release/examples/gen-data "$data" "$mb" >&2
fi
bytes=$(stat -c %s "$data/stream.txt")
mkdir -p "$out"

# name → command (run with bash -c; stdout discarded unless the command writes files), and what
# to do before it, untimed (a crawl's output tree from the run before is removed and synced).
declare -A cmd before
order=()
job() {
    order+=("$1")
    cmd[$1]=$2
    before[$1]=${3:-true}
}
job "dedump text stream (stdin)" "'$bin' -q < '$data/stream.txt' > /dev/null"
job "dedump crawl, 1 thread" "'$bin' clean -q --threads 1 '$data/crawl' -o '$out/t1'" "rm -rf '$out/t1'"
job "dedump crawl, 2 threads" "'$bin' clean -q --threads 2 '$data/crawl' -o '$out/t2'" "rm -rf '$out/t2'"
job "dedump crawl, 2 threads, --report" "'$bin' clean -q --threads 2 '$data/crawl' -o '$out/t2r' --report '$out/report.jsonl'" "rm -rf '$out/t2r'"
job "dedump JSON Lines (stdin)" "'$bin' clean -q --format jsonl < '$data/stream.jsonl' > /dev/null"
job "mawk '!seen[\$0]++'" "mawk '!seen[\$0]++' '$data/stream.txt' > /dev/null"
job "LC_ALL=C sort -u" "LC_ALL=C sort -u '$data/stream.txt' > /dev/null"
if command -v runiq >/dev/null 2>&1; then
    job "runiq" "runiq '$data/stream.txt' > /dev/null"
fi

declare -A times
for ((r = 0; r < runs; r++)); do
    for name in "${order[@]}"; do
        bash -c "${before[$name]}"
        sync
        start=$(date +%s.%N)
        bash -c "${cmd[$name]}"
        end=$(date +%s.%N)
        times[$name]+="$(echo "$end - $start" | bc) "
    done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
mawk_s=$(echo "${times["mawk '!seen[\$0]++'"]}" | median)
table="| job | seconds (median of $runs) | MB/s | × mawk |
|---|---:|---:|---:|"
for name in "${order[@]}"; do
    s=$(printf "%.2f" "$(echo "${times[$name]}" | median)")
    rate=$(echo "scale=1; $bytes / 1000000 / $s" | bc)
    ratio=$(echo "scale=2; $mawk_s / $s" | bc)
    table+="
| $name | $s | $rate | $ratio |"
done
echo "$table"
if [[ ${RECORD:-0} == 1 ]]; then
    {
        echo
        echo "## $(date -u +%F): $(git rev-parse --short HEAD), $mb MB"
        echo
        echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); data in $data, output tree in $out."
        echo
        echo "$table"
    } >>benches/RESULTS.md
fi
