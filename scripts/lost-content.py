#!/usr/bin/env python3
"""Lists content lines (label C) of ../shared/data pages that dedump removed, with the reason.

  scripts/lost-content.py FOLDER [--limit N] [-- extra dedump args]

A development aid for the precision rule "content is sacred": run it after changing a detector.
Counts distinct content texts lost per reason, then prints examples.
"""
import collections, json, subprocess, sys, tempfile, unicodedata, re
from pathlib import Path

here = Path(__file__).resolve().parent.parent
data = here.parent / "shared" / "data"
if not data.is_dir():
    print("lost-content: ../shared/data not found; skipping")
    sys.exit(0)
args = sys.argv[1:]
extra = []
if "--" in args:
    i = args.index("--"); extra = args[i + 1:]; args = args[:i]
folder = args[0]
limit = int(args[args.index("--limit") + 1]) if "--limit" in args else 40
ns = lambda s: re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).casefold()
binary = here / "target" / "release" / "dedump"
by_reason = collections.Counter(); examples = []
with tempfile.TemporaryDirectory() as tmp:
    for page in sorted((data / folder / "pages").glob("*.txt")):
        lab = data / folder / "labels" / page.name
        if not lab.exists():
            continue
        rep = Path(tmp) / "r.json"; out = Path(tmp) / "o.txt"
        subprocess.run([str(binary), "--quiet", "--binary", *extra, str(page), "-o", str(out), "--report", str(rep)], check=True)
        kept = {ns(l) for l in out.read_text(encoding="utf-8", errors="replace").splitlines()}
        lines = page.read_text(encoding="utf-8").splitlines()
        labels = lab.read_text(encoding="utf-8").splitlines()
        removed = {r["line"]: r for r in json.loads(rep.read_text())["removals"]}
        seen = set()
        for n, (line, l) in enumerate(zip(lines, labels), 1):
            k = ns(line)
            if l != "C" or not k or k in kept or k in seen:
                continue
            seen.add(k)
            r = removed.get(n, {"reason": "?", "evidence": {}})
            by_reason[r["reason"]] += 1
            examples.append((page.stem, n, r["reason"], json.dumps(r.get("evidence"), ensure_ascii=False)[:90], line[:100]))
print(dict(by_reason))
for e in examples[:limit]:
    print(*e, sep=" | ")
