"""docs/diff.md's rule table is the rule table of the code, and the README links it."""

from __future__ import annotations

import re
from pathlib import Path

from specbind.diff.rules import RULES, table

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "diff.md"


def test_the_rules_table_is_generated_from_the_code() -> None:
    found = re.search(
        r"<!-- rules: begin -->\n(.*)<!-- rules: end -->", DOC.read_text(), re.S
    )
    assert found is not None
    assert found.group(1) == table(), (
        "run: specbind diff --rules, paste into docs/diff.md"
    )
    assert found.group(1).count("\n| `") == len(RULES)


def test_the_readme_links_the_rules() -> None:
    assert "(docs/diff.md)" in (ROOT / "README.md").read_text()


def test_a_breaking_wire_rule_says_how_it_is_proven() -> None:
    for rule in RULES.values():
        if rule.category == "wire" and rule.severity == "breaking":
            assert (rule.evidence != "none") != bool(rule.unproven), rule.id


def test_the_readme_example_is_a_golden_case() -> None:
    """The README's sample report is the golden report of a case, kept word for word."""
    readme = (ROOT / "README.md").read_text()
    found = re.search(r"\$ specbind diff old.yaml new.yaml\n(.*?)```", readme, re.S)
    assert found is not None
    case = ROOT / "tests" / "diff_cases" / "wire.request.field-became-required"
    assert found.group(1) == (case / "expected.txt").read_text()
