"""What the importer's steps share: the document, the names handed out, the types made
so far and the problems found (errors, and warnings for what was left out)."""

from __future__ import annotations

from typing import Any, Protocol

import attrs

from ..diagnostics import Diagnostic
from .document import Parts, Where, escape
from .names import NameTable

# A place in the written spec, as its keys: ("models", "Pet", "fields", "age").
SpecPath = tuple[str | int, ...]


class Located(Protocol):
    """What the importer needs of a loaded document."""

    @property
    def file(self) -> str: ...
    @property
    def data(self) -> Any: ...
    def get(self, parts: Parts, default: Any = None) -> Any: ...
    def where(self, pointer: str) -> str: ...
    def locate(self, parts: Parts, *, key: bool = False) -> Where: ...


class Unsupported(Exception):
    """A construct specbind's spec language cannot say; the message names it."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(message)
        self.pointer = pointer
        self.message = message


@attrs.define
class Entry:
    """A named type of the spec being written, with its place in the output."""

    order: tuple[int, int]
    spec: dict[str, Any]
    pointer: str = ""  # where the document defines it


def pointer_join(pointer: str, *keys: str | int) -> str:
    return "/".join([pointer, *map(escape, keys)])


@attrs.define
class Context:
    doc: Located
    skip_unsupported: bool = False
    names: NameTable = attrs.Factory(NameTable)
    models: dict[str, Entry] = attrs.Factory(dict)
    unions: dict[str, Entry] = attrs.Factory(dict)
    enums: dict[str, Entry] = attrs.Factory(dict)
    errors: list[Diagnostic] = attrs.Factory(list)
    warnings: list[Diagnostic] = attrs.Factory(list)
    # The output position of types being made: the component or operation they belong to.
    anchors: list[int] = attrs.Factory(list)
    # Where the spec's fields, variants and methods come from in the document: their
    # spec path -> JSON pointer (named types keep theirs in ``Entry.pointer``).
    sources: dict[SpecPath, str] = attrs.Factory(dict)
    _seq: int = 0

    @property
    def schemas(self) -> dict[str, Any]:
        components = self.doc.data.get("components")
        found = components.get("schemas") if isinstance(components, dict) else None
        return found if isinstance(found, dict) else {}

    def diagnostic(
        self, pointer: str, message: str, severity: str = "error"
    ) -> Diagnostic:
        file, line, column = self.doc.where(pointer).rsplit(":", 2)
        return Diagnostic(
            file,
            int(line),
            int(column),
            message,
            severity=severity,
            pointer=pointer.removeprefix("#"),
        )

    def warn(self, pointer: str, message: str) -> None:
        self.warnings.append(self.diagnostic(pointer, message, "warning"))

    def error(self, pointer: str, message: str) -> None:
        self.errors.append(self.diagnostic(pointer, message))

    def unsupported(self, problem: Unsupported, what: str) -> None:
        """Report ``problem`` about ``what`` (``model 'X'``, ``operation 'y'``): an
        error, or with ``--skip-unsupported`` a warning that it was left out."""
        if self.skip_unsupported:
            self.warn(problem.pointer, f"skipped {what}: {problem.message}")
        else:
            self.error(
                problem.pointer,
                f"{problem.message}, in {what} (--skip-unsupported leaves it out)",
            )

    def add(
        self, section: dict[str, Entry], name: str, spec: dict[str, Any], pointer: str
    ) -> None:
        self._seq += 1
        anchor = self.anchors[-1] if self.anchors else 0
        section[name] = Entry((anchor, self._seq), spec, pointer)
