"""A stand-in for :mod:`specbind.importer.document` until it lands: the same
``load_document`` signature, reading YAML or JSON with positions (no validation,
overlays or repairs beyond what the importer needs to read a document)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from ..diagnostics import Diagnostic, SpecError
from ..parse.load import Document, load_file, load_text


@attrs.frozen
class OpenAPIDocument:
    file: str
    data: Any
    source: Document

    def where(self, pointer: str) -> str:
        """``FILE:LINE:COL`` of the value at the JSON pointer ``pointer``."""
        parts: list[str | int] = []
        node = self.data
        for raw in pointer.lstrip("#").split("/")[1:]:
            token = raw.replace("~1", "/").replace("~0", "~")
            key: str | int = int(token) if isinstance(node, list) else token
            parts.append(key)
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                break
        pos = self.source.at(tuple(parts))
        return f"{self.file}:{pos.line}:{pos.column}"


def load_document(
    path_or_dash: str | Path,
    overlays: Sequence[str | Path] = (),
    strict: bool = False,
    skip_unsupported: bool = False,
) -> tuple[OpenAPIDocument, list[Diagnostic]]:
    if overlays:
        raise SpecError(
            [Diagnostic(str(overlays[0]), 1, 1, "overlays are not supported yet")]
        )
    try:
        if str(path_or_dash) == "-":
            source = load_text(sys.stdin.read(), "<stdin>")
        else:
            source = load_file(Path(path_or_dash))
    except SpecError as exc:  # the spec loader's words, said of a document
        raise SpecError(
            [attrs.evolve(d, message=_as_document(d.message)) for d in exc.diagnostics]
        ) from None
    data = source.data
    version = data.get("openapi")
    if not isinstance(version, str) or not version.startswith(("3.0", "3.1")):
        raise SpecError(
            [source.error(("openapi",), "expected an OpenAPI 3.0 or 3.1 document")]
        )
    _repair_item_lists(data)
    return OpenAPIDocument(source.file, data, source), list(source.problems)


def _as_document(message: str) -> str:
    return (
        message.replace(
            "a mapping with 'specbind: 1' at the top", "a mapping (an OpenAPI document)"
        )
        .replace(
            "expected a mapping with 'specbind: 1'", "expected an OpenAPI document"
        )
        .replace("the spec", "the document")
    )


def _repair_item_lists(node: Any) -> None:
    """``items: [{$ref: X}]`` (a mistake of real documents) read as ``items: {$ref: X}``."""
    if isinstance(node, dict):
        items = node.get("items")
        if isinstance(items, list) and len(items) == 1:
            node["items"] = items[0]
        for value in node.values():
            _repair_item_lists(value)
    elif isinstance(node, list):
        for value in node:
            _repair_item_lists(value)
