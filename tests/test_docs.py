"""The generated Markdown pages against the official SDK 1.2.0 docs, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from specbind.render.docs.renderer import DocsRenderer
from specbind.render.docs.tables import example_cell, table
from specbind.render.shared.markdown import cell_text
from specbind.resolve import load_api

from .conftest import GENERATED, REFERENCE, ROOT

REFERENCE_PAGES = sorted((REFERENCE / "mistral-sdk-1.2.0-docs" / "models").glob("*.md"))


def test_every_reference_page_is_covered() -> None:
    assert len(REFERENCE_PAGES) == 31
    generated = {p.name for p in (GENERATED / "docs" / "models").glob("*.md")}
    assert {p.name for p in REFERENCE_PAGES} <= generated


@pytest.mark.parametrize("page", REFERENCE_PAGES, ids=lambda p: p.stem)
def test_committed_page_equals_reference(page: Path) -> None:
    assert (GENERATED / "docs" / "models" / page.name).read_bytes() == page.read_bytes()


def test_seed_page_is_reproduced_from_the_spec() -> None:
    api = load_api(ROOT / "spec" / "mistral_fim.yaml")
    pages = {f.path: f.content for f in DocsRenderer().render(api)}
    seed = (REFERENCE / "seed-fimcompletionrequest.md").read_text("utf-8")
    assert pages["docs/models/fimcompletionrequest.md"] == seed


def test_table_columns_are_as_wide_as_the_widest_cell() -> None:
    text = table(["Name", "Value"], [["`TEXT`", "text"]])
    assert text == "| Name   | Value  |\n| ------ | ------ |\n| `TEXT` | text   |"


def test_cell_text_escapes_pipes_and_breaks_lines() -> None:
    assert cell_text("a | b\nc\\d") == "a \\| b<br/>c\\\\d"


def test_table_width_counts_a_line_break_as_one_character() -> None:
    # Speakeasy measures a cell before its line breaks become <br/>
    # (filesapiroutesuploadfilemultipartbodyparams.md): "a<br/>b" is 3 wide.
    text = table(["Name"], [[cell_text("a\nb")]])
    assert text == "| Name |\n| ---- |\n| a<br/>b |"


def test_example_objects_and_arrays_are_one_element_per_line() -> None:
    # As embeddingrequest.md shows them: Go's json.MarshalIndent(v, "", "").
    assert example_cell(["Embed this sentence.", "As well as this one."]) == (
        '[<br/>"Embed this sentence.",<br/>"As well as this one."<br/>]'
    )
    assert (
        example_cell({"a": [1], "b": {}})
        == '{<br/>"a": [<br/>1<br/>],<br/>"b": {}<br/>}'
    )
