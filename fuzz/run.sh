#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 30), its corpus seeded from sample_data/:
# the samples as text, their lines as JSON Lines records, a profile and a report made from them.
# Needs the nightly toolchain and cargo-fuzz (installed when absent).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
if ! command -v cargo-fuzz >/dev/null 2>&1; then
    cargo +nightly install cargo-fuzz --locked
fi
cargo build --release --quiet
bin=target/release/dedump
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
mkdir -p fuzz/corpus/{clean_restore,jsonl_record,profile_read,report_restore}
cp sample_data/*.txt fuzz/corpus/clean_restore/
python3 - "$seeds" <<'PY'
import json, pathlib, sys
out = pathlib.Path("fuzz/corpus/jsonl_record")
for i, p in enumerate(sorted(pathlib.Path("sample_data").glob("*.txt"))):
    text = p.read_text(encoding="utf-8", errors="replace")
    (out / f"{i}.jsonl").write_text(json.dumps({"id": i, "text": text, "url": "https://example.org/"}, ensure_ascii=(i % 2 == 0)))
PY
"$bin" learn sample_data -o fuzz/corpus/profile_read/sample.profile -q
"$bin" sample_data/zh-hot-topics.txt -o "$seeds/clean.txt" --report "$seeds/r.jsonl" -q
{ cat "$seeds/r.jsonl"; printf '\0'; cat "$seeds/clean.txt"; } >fuzz/corpus/report_restore/zh-hot-topics
for target in clean_restore jsonl_record profile_read report_restore; do
    echo "fuzz: $target for ${seconds}s"
    (cd fuzz && cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 2>&1 | tail -n 3)
done
