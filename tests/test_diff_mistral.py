"""``specbind diff`` on Mistral's published OpenAPI documents of 2024-11-07 and
2026-07-15 (the run of docs/diff.md): the report's examples, and every payload it
claims re-checked against both sides' generated packages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from specbind.diff.command import compare
from specbind.diff.evidence import package_for
from specbind.diff.report import Report, as_json
from specbind.diff.sides import Importing, Loaded, load_side

from .test_diff_cases import _CHECK

# Importing and generating both sides takes about 20 s of CPU; a shared machine may
# stretch the wall time past the default timeout.
pytestmark = pytest.mark.timeout(900)

ROOT = Path(__file__).resolve().parent.parent
OLD = ROOT / "tests" / "reference" / "mistral-openapi-2024-11-07.yaml"
NEW = ROOT / "tests" / "reference" / "mistral-openapi-2026-07-15.yaml"
# The SDK's names on both sides; the 2024 revision's fixes on the old side only.
NAMES = ROOT / "tests" / "fixtures" / "mistral-sdk-names.overlay.yaml"
FIXES = ROOT / "spec" / "mistral.overlay.yaml"


@pytest.fixture(scope="module")
def run() -> tuple[Loaded, Loaded, list[dict[str, Any]]]:
    old = load_side(str(OLD), Importing((NAMES, FIXES), skip_unsupported=True))
    new = load_side(str(NEW), Importing((NAMES,), skip_unsupported=True))
    report = json.loads(as_json(Report((compare(old, new),))))
    return old, new, report["comparisons"][0]["changes"]


def _changes(changes: list[dict[str, Any]], rule: str, place: str) -> dict[str, Any]:
    (change,) = [c for c in changes if (c["rule"], c["place"]) == (rule, place)]
    return change


@pytest.mark.parametrize(
    ("rule", "place", "payload"),
    [
        (
            "wire.request.field-became-required",
            "EmbeddingRequest.model",
            {"input": ["Embed this sentence.", "As well as this one."]},
        ),
        (
            "wire.response.field-may-be-absent",
            "ListFilesOut.total",
            {"data": [], "object": "a"},
        ),
        ("wire.response.enum-value-added", "FilePurpose", "ocr"),
    ],
)
def test_the_documented_examples(
    rule: str,
    place: str,
    payload: Any,
    run: tuple[Loaded, Loaded, list[dict[str, Any]]],
) -> None:
    change = _changes(run[2], rule, place)
    assert change["severity"] == "breaking"
    assert change["evidence"]["payload"] == payload


def test_the_sdk_names_are_compared_with_the_sdk_names(
    run: tuple[Loaded, Loaded, list[dict[str, Any]]],
) -> None:
    """With the names overlay on both sides, no method of SDK 1.2.0 is renamed."""
    assert not [c for c in run[2] if c["rule"] == "python.method-renamed"]
    assert any(c["rule"] == "python.method-added" for c in run[2])


def test_every_breaking_wire_change_is_proven_or_says_why(
    run: tuple[Loaded, Loaded, list[dict[str, Any]]],
) -> None:
    wire = [
        c
        for c in run[2]
        if c["rule_severity"] == "breaking" and c["category"] == "wire"
    ]
    assert len([c for c in wire if c["severity"] == "breaking"]) >= 30
    for change in wire:
        assert (change["severity"] == "breaking") == (change["evidence"] is not None)
        assert change["evidence"] is not None or change["note"]


def test_every_payload_is_accepted_by_one_side_and_refused_by_the_other(
    run: tuple[Loaded, Loaded, list[dict[str, Any]]],
) -> None:
    old, new, changes = run
    proven = [c["evidence"] for c in changes if c["evidence"] is not None]
    assert proven and all(e["kind"] != "route" for e in proven)
    runs = []
    for side, type_of in ((old, "old_type"), (new, "new_type")):
        package = package_for(side.project)
        assert package.problem() is None
        items = [(e[type_of], e["payload"], None) for e in proven]
        runs.append((str(package.folder), package.name, items))
    done = subprocess.run(
        [sys.executable, "-c", _CHECK],
        input=json.dumps(runs),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    old_said, new_said = json.loads(done.stdout)
    for e, o, n in zip(proven, old_said, new_said, strict=True):
        accepted, refused = (o, n) if e["accepted_by"] == "old" else (n, o)
        assert accepted is None, (e, accepted)
        assert refused and e["refusal"] in refused, (e, refused)


def test_places_are_the_documents_lines(
    run: tuple[Loaded, Loaded, list[dict[str, Any]]],
) -> None:
    """Every place stands in the document (or overlay) of its side, on the line
    that names it: a field at its property's key."""
    texts = {
        path: path.read_text("utf-8").splitlines() for path in (OLD, NEW, FIXES, NAMES)
    }
    allowed = {"old": {OLD, FIXES, NAMES}, "new": {NEW, NAMES}}
    for change in run[2]:
        for side in ("old", "new"):
            spot = change[side]
            if spot is None:
                continue
            path = (ROOT / spot["file"]).resolve()
            assert path in allowed[side], change
            line = texts[path][spot["line"] - 1]
            assert line[spot["column"] - 1 :].strip(), change
    (change,) = [
        c
        for c in run[2]
        if (c["rule"], c["place"])
        == ("wire.request.field-became-required", "EmbeddingRequest.model")
    ]
    new = texts[NEW][change["new"]["line"] - 1]
    assert new[change["new"]["column"] - 1 :].startswith("model:")
    old = texts[OLD][change["old"]["line"] - 1]
    assert old[change["old"]["column"] - 1 :].startswith("model:")
