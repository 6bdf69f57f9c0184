#!/usr/bin/env python3
"""Reproduces deboil's detection-quality table, or lists the rules per mode.

    python3 scripts/quality.py                 # the whole quality table
    python3 scripts/quality.py --shared DIR    # shared data elsewhere
    python3 scripts/quality.py --rules-table   # Markdown list of rules per mode

Run from the repository root after `cargo build --release`. The table scores
the development set in default mode and the three whole-page corpus case
sets in default and aggressive mode with the shared scorer
(`<shared>/eval/score.py --json`), then prints one Markdown table, and the
per-category recall and per-language F1 of the development set. `--shared`
defaults to `../shared` (the shared folder beside the worktree).
"""

import argparse
import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = "target/release/deboil"
SETS = [
    ("dev (71)", "eval/dev", ["default"]),
    ("scrapinghub", "corpus/scrapinghub/cases", ["default", "aggressive"]),
    ("readability", "corpus/readability/cases", ["default", "aggressive"]),
    ("wcxb", "corpus/wcxb/cases", ["default", "aggressive"]),
]


def score(shared: Path, path: str, mode: str) -> dict:
    command = f"{BINARY} --mode {mode} --format {{format}}"
    result = subprocess.run(
        [sys.executable, str(shared / "eval/score.py"), "--json", "--cmd", command, str(shared / path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def pick(data: dict, *names: str):
    """The first of `names` the scorer's JSON has (its key names are its own)."""
    for name in names:
        if name in data:
            return data[name]
    return None


def quality_table(shared: Path) -> None:
    print("| set | mode | docs | P | R | F1 | content loss | perfect docs |")
    print("|---|---|---|---|---|---|---|---|")
    details = None
    for label, path, modes in SETS:
        for mode in modes:
            data = score(shared, path, mode)
            if details is None:
                details = data
            overall = pick(data, "overall", "total") or data
            row = [
                label,
                mode,
                pick(data, "docs", "documents"),
                pick(overall, "precision"),
                pick(overall, "recall"),
                pick(overall, "f1", "F1"),
                pick(overall, "content_loss", "content loss"),
                pick(data, "perfect_docs", "perfect"),
            ]
            cells = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in row]
            print("| " + " | ".join(cells) + " |")
    if details:
        print()
        for key in ("recall_by_category", "f1_by_lang"):
            values = pick(details, key)
            if isinstance(values, dict):
                text = ", ".join(f"{k} {v:.2f}" for k, v in sorted(values.items()))
                print(f"dev {key.replace('_', ' ')}: {text}")


def rules_table() -> None:
    print("| mode | id | category | pack file | description |")
    print("|---|---|---|---|---|")
    rows = []
    for path in sorted((ROOT / "rules").rglob("*.toml")):
        pack = tomllib.loads(path.read_text(encoding="utf-8"))
        for rule in pack.get("rule", []):
            mode = rule.get("mode", "default")
            category = rule.get("category", pack.get("category", ""))
            description = rule.get("description", "").replace("|", "\\|").replace("\n", " ")
            rows.append((mode != "default", rule["id"], category, str(path.relative_to(ROOT / "rules")), description, mode))
    for _, rule_id, category, origin, description, mode in sorted(rows, key=lambda r: (r[0], r[3], r[1])):
        print(f"| {mode} | `{rule_id}` | {category} | `{origin}` | {description} |")
    total = len(rows)
    aggressive = sum(1 for r in rows if r[0])
    print()
    print(f"{total} rules: {total - aggressive} run in both modes, {aggressive} only in aggressive mode.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--rules-table", action="store_true")
    args = parser.parse_args()
    if args.rules_table:
        rules_table()
    else:
        quality_table(args.shared.resolve())


if __name__ == "__main__":
    main()
