#!/usr/bin/env bash
# Scores dedump on the real pages of ../shared/data (each page cleaned alone; hand-written
# fixtures marked subset=synthetic in a manifest are left out) with
# ../shared/tools/score-pages.py, and prints one Markdown table row per folder.
# Skips cleanly (exit 0) when ../shared/data is not there.
#
#   scripts/eval-pages.sh [--crawl] [--check MIN] [FOLDER...]   # default: every folder with labels
#   DEDUMP_ARGS="--disable near" scripts/eval-pages.sh mozilla-readability-test-pages
#
# --crawl cleans each folder as one crawl instead, pages grouped into sites by the host of their
# URL in manifest.tsv (pages without one form a single site), so cross-document evidence counts.
# --check MIN fails (exit 1) when any folder keeps less than MIN of its distinct content texts.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
data="$here/../shared/data"
tool="$here/../shared/tools/score-pages.py"
check=""
crawl=""
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=$2; shift 2 ;;
    --crawl) crawl=1; shift ;;
    *) break ;;
  esac
done
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
echo "| folder | pages | distinct content kept | boilerplate removed | gold F1 | snippets kept / dropped |"
echo "|---|---:|---:|---:|---:|---:|"
failed=0
all_pages=0 all_ck=0 all_ct=0 all_bk=0 all_bt=0
for f in "${folders[@]}"; do
  mkdir -p "$out/$f"
  if [ -n "$crawl" ]; then
    # Lay the pages out as crawl/<host>/<id>.txt, clean the tree, flatten the output back.
    python3 - "$data/$f" "$out/$f.crawl" <<'PY'
import csv, shutil, sys, urllib.parse
from pathlib import Path
src, dst = Path(sys.argv[1]), Path(sys.argv[2])
with open(src / "manifest.tsv", encoding="utf-8") as fh:
    for row in csv.DictReader(fh, delimiter="\t"):
        if row.get("subset") == "synthetic":
            continue
        host = urllib.parse.urlsplit(row.get("url") or "").hostname or "_"
        target = dst / host / f"{row['id']}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / "pages" / f"{row['id']}.txt", target)
PY
    # shellcheck disable=SC2086
    "$bin" --quiet --binary ${DEDUMP_ARGS:-} "$out/$f.crawl" -o "$out/$f.cleaned" || true
    find "$out/$f.cleaned" -name '*.txt' -exec mv -t "$out/$f" {} +
  else
    for page in "$data/$f"/pages/*.txt; do
      # Hand-written fixtures (subset=synthetic in the manifest) are not real pages.
      if awk -F'\t' -v id="$(basename "$page" .txt)" '$1 == id && $3 == "synthetic" {found=1} END {exit !found}' "$data/$f/manifest.tsv"; then
        continue
      fi
      # Real pages hold the odd NUL byte; --binary keeps them in the run.
      # shellcheck disable=SC2086
      "$bin" --quiet --binary ${DEDUMP_ARGS:-} "$page" -o "$out/$f/$(basename "$page")" \
        || echo "eval-pages: dedump failed on $page" >&2
    done
  fi
  # The tool prints its fractions to 3 decimals; run it with 6 so that the check and the
  # all-folders totals are exact (0.98961 must fail a 0.99 check, not round up to pass it).
  score=$(python3 - "$tool" --data "$data/$f" --pred "$out/$f" <<'PY'
import sys
tool = sys.argv.pop(1)
source = open(tool, encoding="utf-8").read()
source = source.replace("distinct content kept %.3f", "distinct content kept %.6f")
source = source.replace("boilerplate removed %.3f", "boilerplate removed %.6f")
sys.argv[0] = tool
exec(compile(source, tool, "exec"), {"__name__": "__main__", "__file__": tool})
PY
)
  pages=$(sed -n 's/^documents scored: //p' <<<"$score")
  kept=$(sed -n 's/^distinct content kept \([0-9.]*\).*/\1/p' <<<"$score")
  removed=$(sed -n 's/.*boilerplate removed \([0-9.]*\).*/\1/p' <<<"$score")
  f1=$(sed -n 's/^gold .*F1=\([0-9.]*\).*/\1/p' <<<"$score")
  snip=$(sed -n 's/^snippets must-keep kept \([0-9.]*\), must-drop dropped \([0-9.]*\).*/\1 \/ \2/p' <<<"$score")
  round3() { [ -n "$1" ] && printf '%.3f' "$1"; }
  echo "| $f | $pages | $(round3 "$kept" || echo –) | $(round3 "$removed" || echo –) | ${f1:-–} | ${snip:-–} |"
  # Totals over all folders: distinct texts kept and removed, summed.
  read -r ck ct bk bt < <(sed -n 's/^distinct content kept \([0-9.]*\) (\([0-9]*\) texts), boilerplate removed \([0-9.]*\) (\([0-9]*\) texts).*/\1 \2 \3 \4/p' <<<"$score" | awk '{printf "%.0f %d %.0f %d\n", $1*$2, $2, $3*$4, $4}') || true
  all_pages=$((all_pages + ${pages:-0}))
  all_ck=$((all_ck + ${ck:-0})); all_ct=$((all_ct + ${ct:-0}))
  all_bk=$((all_bk + ${bk:-0})); all_bt=$((all_bt + ${bt:-0}))
  if [ -n "$check" ] && [ -n "$kept" ] && python3 -c "import sys; sys.exit(0 if $kept < $check else 1)"; then
    echo "eval-pages: $f keeps only $kept of its distinct content (minimum $check)" >&2
    failed=1
  fi
done
if [ ${#folders[@]} -gt 1 ] && [ "$all_ct" -gt 0 ]; then
  awk -v p="$all_pages" -v ck="$all_ck" -v ct="$all_ct" -v bk="$all_bk" -v bt="$all_bt" \
    'BEGIN { printf "| **all folders** | %d | %.3f | %.3f | – | – |\n", p, ck/ct, (bt ? bk/bt : 0) }'
fi
exit $failed
