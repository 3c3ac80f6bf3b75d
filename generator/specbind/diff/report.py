"""A diff's report: its changes grouped by severity, a semantic-version hint, and the
output formats (text, json, markdown, github, junit).

The JSON format is ``specbind-diff/1``; docs/diff.md documents every key.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree

import attrs

from .findings import Change, Spot
from .rules import CATEGORIES, SEVERITIES, Severity

SCHEMA = "specbind-diff/1"


@attrs.frozen
class Comparison:
    """One pair of sides and what changed between them."""

    old: str
    new: str
    changes: tuple[Change, ...]
    note: str = ""  # e.g. "the spec is new": nothing was compared


@attrs.frozen
class Report:
    comparisons: tuple[Comparison, ...]

    @property
    def changes(self) -> list[Change]:
        return [c for comparison in self.comparisons for c in comparison.changes]

    def count(self, severity: str) -> int:
        return sum(c.severity == severity for c in self.changes)

    @property
    def semver(self) -> str:
        """``major`` for a breaking change, ``minor`` for any other change but docs,
        ``patch`` otherwise."""
        if self.count("breaking"):
            return "major"
        if any(c.rule.category != "docs" for c in self.changes):
            return "minor"
        return "patch"

    def fails(self, fail_on: Severity | None) -> bool:
        if fail_on is None:
            return False
        levels = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
        return any(c.severity in levels for c in self.changes)


def _counts(changes: Sequence[Change]) -> str:
    found = Counter(c.severity for c in changes)
    return ", ".join(f"{found[s]} {s}" for s in SEVERITIES)


def _spot(spot: Spot | None) -> str:
    return str(spot) if spot else "-"


def text(report: Report) -> str:
    lines = []
    for comparison in report.comparisons:
        changes = sorted(comparison.changes, key=Change.sort_key)
        lines.append(
            f"specbind diff {comparison.old} -> {comparison.new}: {_counts(changes)}"
        )
        if comparison.note:
            lines.append(f"  {comparison.note}")
        for severity in SEVERITIES:
            group = [c for c in changes if c.severity == severity]
            if not group:
                continue
            lines.append("")
            lines.append(f"{severity} ({len(group)})")
            for change in group:
                f = change.finding
                lines.append(f"  [{f.rule.id}] {f.sentence()}")
                lines.append(f"    old {_spot(f.old)}  new {_spot(f.new)}")
                if change.evidence is not None and change.evidence.kind == "route":
                    e = change.evidence
                    lines.append(
                        f"    the old client's {e.old_type}() sends: {e.payload}"
                    )
                    lines.append(f"      {e.refusal}")
                elif change.evidence is not None:
                    e = change.evidence
                    lines.append(
                        f"    payload ({e.kind} {e.new_type if e.accepted_by == 'new' else e.old_type}): "
                        f"{e.payload_json()}"
                    )
                    lines.append(
                        f"      {e.accepted_by} accepts it; {e.refused_by} refuses: {e.refusal}"
                    )
                if change.note:
                    lines.append(f"    reported as a warning: {change.note}")
        lines.append("")
    lines.append(f"semver: {report.semver}")
    return "\n".join(lines) + "\n"


def _spot_json(spot: Spot | None) -> dict[str, Any] | None:
    if spot is None:
        return None
    return {"file": spot.file, "line": spot.line, "column": spot.column}


def as_json(report: Report) -> str:
    document = {
        "schema": SCHEMA,
        "semver": report.semver,
        "counts": {s: report.count(s) for s in SEVERITIES},
        "comparisons": [
            {
                "old": comparison.old,
                "new": comparison.new,
                "note": comparison.note,
                "changes": [
                    _change_json(c)
                    for c in sorted(comparison.changes, key=Change.sort_key)
                ],
            }
            for comparison in report.comparisons
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _change_json(change: Change) -> dict[str, Any]:
    f = change.finding
    evidence = None
    if change.evidence is not None:
        e = change.evidence
        evidence = {
            "kind": e.kind,
            "payload": e.payload,
            "old_type": e.old_type,
            "new_type": e.new_type,
            "accepted_by": e.accepted_by,
            "refused_by": e.refused_by,
            "refusal": e.refusal,
            "arguments": e.arguments,
            "lacks": None
            if e.lacks is None
            else {"in": e.lacks[0], "name": e.lacks[1]},
        }
    return {
        "rule": f.rule.id,
        "category": f.rule.category,
        "severity": change.severity,
        "rule_severity": f.rule.severity,
        "place": f.place,
        "sentence": f.sentence(),
        "old": _spot_json(f.old),
        "new": _spot_json(f.new),
        "evidence": evidence,
        "note": change.note,
    }


def markdown(report: Report) -> str:
    lines = ["## API changes", ""]
    titles = {
        "breaking": "Breaking changes",
        "warning": "Changes to check",
        "info": "Other changes",
    }
    lines.append(f"Semantic version: **{report.semver}** ({_counts(report.changes)}).")
    for severity in SEVERITIES:
        group = sorted(
            (c for c in report.changes if c.severity == severity), key=Change.sort_key
        )
        if not group:
            continue
        lines += ["", f"### {titles[severity]}", ""]
        for category in CATEGORIES:
            for change in (c for c in group if c.rule.category == category):
                entry = f"- {change.finding.sentence()} (`{change.rule.id}`)"
                if change.evidence is not None:
                    entry += f"; for example `{change.evidence.payload_json()}`"
                if change.note:
                    entry += f"; {change.note}"
                lines.append(entry)
    return "\n".join(lines) + "\n"


_LEVEL = {"breaking": "error", "warning": "warning", "info": "notice"}


def _escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def github(report: Report) -> str:
    """GitHub Actions workflow commands: an annotation on each change's spec line."""
    lines = []
    for change in sorted(report.changes, key=Change.sort_key):
        f = change.finding
        spot = f.new or f.old
        where = ""
        if spot is not None:
            file = spot.file.partition(":")[2] if ":" in spot.file else spot.file
            where = (
                f" file={_escape(file, prop=True)},line={spot.line},col={spot.column},"
            )
        message = f.sentence()
        if change.evidence is not None:
            message += f"\nPayload: {change.evidence.payload_json()}"
        if change.note:
            message += f"\n{change.note}"
        title = _escape(f.rule.id, prop=True)
        lines.append(
            f"::{_LEVEL[change.severity]}{where or ' '}title={title}::{_escape(message)}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


def junit(report: Report) -> str:
    """One test case per change; breaking changes fail, warnings are skipped-with-reason."""
    suites = ElementTree.Element("testsuites", name="specbind diff")
    for comparison in report.comparisons:
        changes = sorted(comparison.changes, key=Change.sort_key)
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            name=f"{comparison.old} -> {comparison.new}",
            tests=str(len(changes)),
            failures=str(sum(c.severity == "breaking" for c in changes)),
            skipped=str(sum(c.severity == "warning" for c in changes)),
        )
        for change in changes:
            f = change.finding
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=f.rule.id,
                name=f.place,
                file=_spot(f.new or f.old),
            )
            detail = f.sentence()
            if change.evidence is not None:
                detail += f"\npayload: {change.evidence.payload_json()}\n{change.evidence.refusal}"
            if change.severity == "breaking":
                ElementTree.SubElement(
                    case, "failure", message=f.sentence(), type=f.rule.id
                ).text = detail
            elif change.severity == "warning":
                ElementTree.SubElement(
                    case, "skipped", message=change.note or f.sentence()
                )
    ElementTree.indent(suites)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        + ElementTree.tostring(suites, encoding="unicode")
        + "\n"
    )


RENDER = {
    "text": text,
    "json": as_json,
    "markdown": markdown,
    "github": github,
    "junit": junit,
}
