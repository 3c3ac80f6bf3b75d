"""npm ``openapi-diff`` 0.24.1 on two OpenAPI documents, one path at a time: the
comparison docs/diff.md reports (its schema diff did not finish on the whole Mistral
pair in 58 minutes, so each path both documents have is its own pair).

    cd benchmarks/openapi_diff && npm install
    python compare.py                      # the Mistral documents, every shared path
    python compare.py --paths /v1/files    # some paths
    python compare.py OLD.yaml NEW.yaml --timeout 60

Both documents are down-converted to 3.0 (:mod:`downconvert`), then for each shared
path a pair of documents holding that path alone (and every component) is given to
``openapi-diff`` under a timeout. Prints one line per path and writes
``out/summary.json`` (every difference it reported, by path). CI does not run this.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from downconvert import HERE, down_convert, tool

ROOT = HERE.parent.parent
REFERENCE = ROOT / "tests" / "reference"
OLD = REFERENCE / "mistral-openapi-2024-11-07.yaml"
NEW = REFERENCE / "mistral-openapi-2026-07-15.yaml"
KINDS = ("breakingDifferences", "nonBreakingDifferences", "unclassifiedDifferences")


def one_path(doc: dict[str, Any], path: str) -> dict[str, Any]:
    return {**doc, "paths": {path: doc["paths"][path]}}


def run_pair(old: Path, new: Path, timeout: float) -> dict[str, Any]:
    """What ``openapi-diff OLD NEW`` said: its differences by kind, or why none."""
    started = time.monotonic()
    # To a file, not a pipe: node exits before a pipe has taken more than 64 KiB.
    report = old.with_suffix(".out")
    try:
        with report.open("w") as stdout:
            done = subprocess.run(
                [tool("openapi-diff"), old, new],
                stdout=stdout,
                stderr=subprocess.PIPE,
                text=True,
                timeout=timeout,
            )
    except subprocess.TimeoutExpired:
        return {"result": f"did not finish in {timeout:g} s"}
    seconds = round(time.monotonic() - started, 1)
    said = report.read_text("utf-8")
    body = said[said.find("{") :] if "{" in said else ""
    if done.returncode not in (0, 1) or (done.returncode == 1 and not body):
        return {"result": "error", "seconds": seconds, "stderr": done.stderr[-2000:]}
    found = json.loads(body) if body else {}
    return {
        "result": "finished",
        "seconds": seconds,
        **{kind: found.get(kind, []) for kind in KINDS},
    }


def location(difference: dict[str, Any]) -> str:
    for side in ("destinationSpecEntityDetails", "sourceSpecEntityDetails"):
        for detail in difference.get(side) or []:
            return str(detail.get("location", ""))
    return ""


def line(path: str, outcome: dict[str, Any]) -> str:
    if outcome["result"] != "finished":
        return f"{path}: {outcome['result']}"
    counts = [
        f"{len(outcome[kind])} {kind.removesuffix('Differences')}" for kind in KINDS
    ]
    codes = Counter(d["code"] for kind in KINDS for d in outcome[kind])
    listed = ", ".join(f"{code} x{n}" for code, n in sorted(codes.items()))
    said = f"{path}: {', '.join(counts)} ({outcome['seconds']} s)"
    return f"{said}: {listed}" if listed else said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", nargs="?", type=Path, default=OLD)
    parser.add_argument("new", nargs="?", type=Path, default=NEW)
    parser.add_argument(
        "--paths", nargs="*", help="only these paths (default: every shared one)"
    )
    parser.add_argument("--timeout", type=float, default=120, help="seconds per path")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()

    args.out.mkdir(parents=True, exist_ok=True)
    old, new = down_convert(args.old), down_convert(args.new)
    shared = [p for p in old.get("paths", {}) if p in new.get("paths", {})]
    paths = args.paths or shared
    unknown = [p for p in paths if p not in shared]
    if unknown:
        sys.exit(f"not a path of both documents: {', '.join(unknown)}")
    summary: dict[str, Any] = {
        "old": str(args.old),
        "new": str(args.new),
        "only_old": [p for p in old.get("paths", {}) if p not in new.get("paths", {})],
        "only_new": [p for p in new.get("paths", {}) if p not in old.get("paths", {})],
        "paths": {},
    }
    for index, path in enumerate(paths):
        pair = []
        for side, doc in (("old", old), ("new", new)):
            file = args.out / f"{index:02d}-{side}.json"
            file.write_text(json.dumps(one_path(doc, path), ensure_ascii=False))
            pair.append(file)
        outcome = run_pair(pair[0], pair[1], args.timeout)
        for kind in KINDS:
            for difference in outcome.get(kind, []):
                difference["at"] = location(difference)
        summary["paths"][path] = outcome
        print(line(path, outcome), flush=True)
    print(
        f"{len(summary['only_new'])} paths only in the new document, "
        f"{len(summary['only_old'])} only in the old one "
        "(openapi-diff: path.add / path.remove)"
    )
    (args.out / "summary.json").write_text(
        json.dumps(summary, indent=1, ensure_ascii=False)
    )
    print(f"wrote {args.out / 'summary.json'}")


if __name__ == "__main__":
    main()
