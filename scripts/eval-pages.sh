#!/usr/bin/env bash
# Scores dedump on the real pages of ../shared/data (each page cleaned alone; hand-written
# fixtures marked subset=synthetic in a manifest are left out) with
# ../shared/tools/score-pages.py, and prints one Markdown table row per folder.
# Skips cleanly (exit 0) when ../shared/data is not there.
#
#   scripts/eval-pages.sh [--crawl [--canonical-sites]] [--check MIN] [FOLDER...]   # default: every folder with labels
#   DEDUMP_ARGS="--disable near" scripts/eval-pages.sh mozilla-readability-test-pages
#   scripts/eval-pages.sh --keep /tmp/pred      # also keeps the cleaned pages in /tmp/pred/FOLDER/
#   scripts/eval-pages.sh --holdout FOLDER|all  # figures of a folder the model was not trained on
#
# --crawl cleans each folder as one crawl instead, pages grouped into sites by the host of their
# URL in manifest.tsv (pages without one form a single site), so cross-document evidence counts.
# --canonical-sites (with --crawl) also groups pages without a URL by the canonical URL
# (<link rel=canonical>, og:url) in the folder's raw HTML archive: mozilla's 8 multi-page sites.
# --check MIN fails (exit 1) when any folder keeps less than MIN of its distinct content texts.
# --holdout FOLDER trains a model (`dedump train`) on every other labelled folder, then scores
# FOLDER with it, each page alone and as a crawl: every weight, threshold and phrase list is
# chosen without FOLDER. `all` holds out each folder in turn and adds the min and mean.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
data="$here/../shared/data"
tool="$here/../shared/tools/score-pages.py"
check=""
crawl=""
keep=""
canonical_sites=""
holdout=""
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=$2; shift 2 ;;
    --crawl) crawl=1; shift ;;
    --canonical-sites) canonical_sites=1; shift ;;
    --keep) keep=$2; shift 2 ;;
    --holdout) holdout=$2; shift 2 ;;
    *) break ;;
  esac
done
if [ ! -d "$data" ] || [ ! -f "$tool" ]; then
  echo "eval-pages: ../shared/data not found; skipping"
  exit 0
fi
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin="$here/target/release/dedump"
if [ -n "$holdout" ]; then
  labelled=()
  for d in "$data"/*/; do
    [ -d "$d/labels" ] && labelled+=("$(basename "$d")")
  done
  if [ "$holdout" = all ]; then held=("${labelled[@]}"); else held=("$holdout"); fi
  models=$(mktemp -d)
  trap 'rm -rf "$models"' EXIT
  echo "| held-out folder | pages | each page alone: content kept | boilerplate removed | as a crawl: content kept | boilerplate removed |"
  echo "|---|---:|---:|---:|---:|---:|"
  rows=()
  for f in "${held[@]}"; do
    train=()
    for g in "${labelled[@]}"; do [ "$g" != "$f" ] && train+=("$data/$g"); done
    "$bin" train -q "${train[@]}" -o "$models/$f.json"
    single=$(DEDUMP_ARGS="--model $models/$f.json ${DEDUMP_ARGS:-}" "$0" "$f" | grep "^| $f ")
    crawled=$(DEDUMP_ARGS="--model $models/$f.json ${DEDUMP_ARGS:-}" "$0" --crawl "$f" | grep "^| $f ")
    IFS='|' read -r _ _ pages sk sr _ <<<"$single"
    IFS='|' read -r _ _ _ ck cr _ <<<"$crawled"
    row="$f ${pages// /} ${sk// /} ${sr// /} ${ck// /} ${cr// /}"
    rows+=("$row")
    echo "| $f | ${pages// /} | ${sk// /} | ${sr// /} | ${ck// /} | ${cr// /} |"
    if [ -n "$check" ] && python3 -c "import sys; sys.exit(0 if min(${sk// /}, ${ck// /}) < $check else 1)"; then
      echo "eval-pages: held-out $f keeps less than $check of its distinct content" >&2
      check_failed=1
    fi
  done
  if [ ${#rows[@]} -gt 1 ]; then
    printf '%s\n' "${rows[@]}" | awk '
      { for (i = 3; i <= 6; i++) { v[i] = $i; s[i] += $i; if (NR == 1 || $i < m[i]) m[i] = $i } }
      END { printf "| **min** | | %.3f | %.3f | %.3f | %.3f |\n", m[3], m[4], m[5], m[6];
            printf "| **mean** | | %.3f | %.3f | %.3f | %.3f |\n", s[3]/NR, s[4]/NR, s[5]/NR, s[6]/NR }'
  fi
  exit "${check_failed:-0}"
fi
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
  rm -rf "${out:?}/$f" "$out/$f.crawl" "$out/$f.cleaned"
  mkdir -p "$out/$f"
  if [ -n "$crawl" ]; then
    # Lay the pages out as crawl/<host>/<id>.txt, clean the tree, flatten the output back.
    python3 - "$data/$f" "$out/$f.crawl" "$canonical_sites" <<'PY'
import csv, re, shutil, sys, tarfile, urllib.parse
from pathlib import Path
src, dst, use_canonical = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "1"
rows = [r for r in csv.DictReader(open(src / "manifest.tsv", encoding="utf-8"), delimiter="\t")
        if r.get("subset") != "synthetic"]
def host(url):
    return urllib.parse.urlsplit(url.strip()).hostname
# Pages without a URL in the manifest: the page's own canonical URL (<link rel=canonical> or
# og:url) in the folder's raw HTML archive, when it has one.
CANONICAL = [r'<link[^>]+rel=["\']canonical["\'][^>]*href=["\']([^"\']+)',
             r'<link[^>]+href=["\']([^"\']+)["\'][^>]*rel=["\']canonical',
             r'property=["\']og:url["\'][^>]*content=["\']([^"\']+)',
             r'content=["\']([^"\']+)["\'][^>]*property=["\']og:url']
canonical = {}
missing = {r["id"] for r in rows if use_canonical and not host(r.get("url") or "")}
for archive in sorted((src / "raw").glob("*.tar*")) if missing else []:
    with tarfile.open(archive) as tar:
        for m in tar:
            if not (m.isfile() and m.name.endswith(".html")):
                continue
            parts = m.name.split("/")
            ids = [parts[-2] if len(parts) > 1 else "", parts[-1].rsplit(".", 1)[0].split("-")[0]]
            pid = next((i for i in ids if i in missing), None)
            if pid is None:
                continue
            html = tar.extractfile(m).read().decode("utf-8", "replace")
            for pattern in CANONICAL:
                found = re.search(pattern, html, re.I)
                if found and host(found.group(1)):
                    canonical[pid] = host(found.group(1))
                    break
for row in rows:
    site = host(row.get("url") or "") or canonical.get(row["id"]) or "_"
    target = dst / site / f"{row['id']}.txt"
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
  if [ -n "$keep" ]; then
    rm -rf "${keep:?}/$f" && mkdir -p "$keep" && cp -r "$out/$f" "$keep/$f"
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
