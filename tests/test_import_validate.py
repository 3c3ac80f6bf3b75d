"""How the importer validates a document: jsonschema-rs answers first, and Python's
jsonschema (whose messages the diagnostics quote) runs only for what it rejects. Counted
calls, not times: the golden cases in tests/import_errors keep the messages exact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from specbind.diagnostics import SpecError
from specbind.importer import validate
from specbind.importer.document import load_document

MISTRAL_2024 = Path(__file__).parent / "reference" / "mistral-openapi-2024-11-07.yaml"


@pytest.fixture
def slow_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each run of Python's jsonschema: a document against the OpenAPI schema, or a
    schema against its dialect."""
    calls: list[str] = []
    meta = validate._meta_validator

    def counted_meta(*args: Any) -> Any:
        calls.append("schema")
        return meta(*args)

    monkeypatch.setattr(validate, "_meta_validator", counted_meta)

    class Counted:
        def __init__(self, slow: Any) -> None:
            self.slow = slow

        def iter_errors(self, instance: Any) -> Any:
            calls.append("document")
            return self.slow.iter_errors(instance)

    for checker in validate._VALIDATORS.values():
        document = checker.schema_validator
        slow = document._slow  # type: ignore[attr-defined]
        monkeypatch.setattr(document, "_slow", Counted(slow))
    return calls


def test_a_valid_document_never_runs_python_jsonschema(slow_checks: list[str]) -> None:
    load_document(MISTRAL_2024)  # 26 operations, 81 schemas
    assert slow_checks == []


def test_what_jsonschema_rs_rejects_is_explained_by_jsonschema(
    slow_checks: list[str], tmp_path: Path
) -> None:
    doc = tmp_path / "openapi.yaml"
    doc.write_text(
        "openapi: 3.1.0\n"
        "info: {version: '1'}\n"
        "paths: {}\n"
        "components:\n"
        "  schemas:\n"
        "    Page: {type: object, properties: {limit: {minimum: zero}}}\n",
        "utf-8",
    )
    with pytest.raises(SpecError) as caught:
        load_document(doc)
    messages = [str(d) for d in caught.value.diagnostics]
    assert any("'title' is a required property" in m for m in messages), messages
    assert any("'zero' is not of type 'number'" in m for m in messages), messages
    assert slow_checks.count("document") == 1
    assert "schema" in slow_checks
