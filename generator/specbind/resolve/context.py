"""What the build steps share: the document, the parts to skip, the names declared so far
and every problem found."""

from __future__ import annotations

from functools import cached_property
from typing import Any, TypeVar

from .. import ir, naming
from ..diagnostics import Diagnostic
from ..parse.load import Document, Path_, Position

T = TypeVar("T")


class Context:
    def __init__(
        self,
        doc: Document,
        broken: frozenset[Path_] = frozenset(),
        partial: frozenset[Path_] = frozenset(),
    ) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        # Parts of the spec that break the schema: reported already, skipped here.
        self.broken = broken
        # Parts built without the values of theirs that break the schema: their types
        # are checked, their values not (a default may be fine with the lost flags).
        self.partial = partial
        # Named types whose content is not fully known (a part of them is broken or
        # failed to build): checks that need their content give them the benefit.
        self.damaged: set[str] = {
            str(part[1]) for part in partial if part[0] in ("models", "unions", "enums")
        }
        self.errors: list[Diagnostic] = []
        self.kinds: dict[str, ir.NamedKind] = {}
        self._by_folded_name: dict[str, str] = {}
        self.inline_unions: list[ir.Union] = []
        # What the value checks know of the unions and enums built so far; a broken one
        # is missing, so that any value passes for it.
        self.union_variants: dict[str, tuple[ir.TypeExpr, ...]] = {}
        self.enum_values: dict[str, tuple[str | int, ...]] = {}
        # Each status code names one error class in the client: the model it maps to.
        self.error_models: dict[int, str] = {}
        # How the client sends the API key (its header is no parameter's).
        self.auth: ir.Auth | None = None

    @cached_property
    def lines(self) -> list[str]:
        """The spec's lines, for the positions inside a scalar (error paths only)."""
        return self.doc.text.splitlines()

    def error(
        self, path: Path_, message: str, *, key: bool = False, hint: str = ""
    ) -> None:
        self.errors.append(self.doc.error(path, message, key=key, hint=hint))

    def error_at(self, pos: Position, message: str, hint: str = "") -> None:
        self.errors.append(
            Diagnostic(self.doc.file, pos.line, pos.column, message, hint)
        )

    def declare(self, name: str, kind: ir.NamedKind, path: Path_) -> None:
        if name in self.kinds:
            self.error(
                path, f"'{name}' is already defined as a {self.kinds[name]}", key=True
            )
            return
        if name in ir.RESPONSE_WORDS:
            self.error(
                path,
                f"'{name}' is a reserved word ('response: {name}' means "
                f"{'a binary body' if name == 'binary' else 'no content'}); choose another name",
                key=True,
            )
            return
        if naming.is_reserved_type_name(name):
            self.error(
                path, f"'{name}' would shadow a Python name; choose another", key=True
            )
            return
        if name in naming.AMBIGUOUS:
            self.error(path, naming.ambiguous_message(name), key=True)
            return
        other = self._by_folded_name.get(name.lower())
        if other is not None:
            self.error(
                path,
                f"'{name}' and '{other}' differ only in case; their docs pages would share "
                f"the file {naming.doc_file(name)}",
                key=True,
            )
            return
        self.kinds[name] = kind
        self._by_folded_name[name.lower()] = name

    def top(self, key: str, default: T) -> T:
        """A top-level value, or ``default`` when it is absent or broken."""
        if (key,) in self.broken:
            return default
        value: T = self.data.get(key, default)
        return value

    def entries(self, section: str) -> list[tuple[str, dict[str, Any]]]:
        """The entries of a section that are not broken; broken ones are damaged names."""
        if (section,) in self.broken:
            return []
        out = []
        for name, spec in self.data.get(section, {}).items():
            if (section, name) in self.broken:
                self.damaged.add(name)
            else:
                out.append((name, spec))
        return out
