#!/usr/bin/env bash
# Trains the built-in boilerplate model (data/model.json) on the five labelled folders of
# ../shared/data, and prints the built-in phrase rules that do not earn their place on them (a
# rule earns it by matching a non-content line on two sites, alone or with its family).
# Skips cleanly (exit 0) when ../shared/data is not there.
#
#   scripts/train-model.sh            # writes data/model.json
#   scripts/train-model.sh -o FILE    # writes FILE instead
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
data="$here/../shared/data"
out="$here/data/model.json"
[ "${1:-}" = "-o" ] && out=$2
if [ ! -d "$data" ]; then
  echo "train-model: ../shared/data not found; skipping"
  exit 0
fi
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
folders=()
for d in "$data"/*/; do
  [ -d "$d/labels" ] && folders+=("${d%/}")
done
"$here/target/release/dedump" train "${folders[@]}" -o "$out"
python3 - "$out" <<'PY'
import json, sys
off = json.load(open(sys.argv[1])).get("phrases_off", [])
print(f"train-model: {len(off)} built-in phrase rules without support on the labelled pages")
for rule in off:
    print("  " + rule)
PY
echo "train-model: wrote $out; rebuild (cargo build) to compile it in"
