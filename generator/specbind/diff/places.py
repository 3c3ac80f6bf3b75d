"""Where each part of an IR stands in its spec: the positions table beside the IR.

The IR carries no positions (renderers do not need them); the differ reads them from
the loaded :class:`~specbind.parse.load.Document`, by the spec path each part was
built from. A field copied by ``is:`` stands where its base declares it; an inline
union stands at the type of the field that declares it.

An OpenAPI side's spec was imported in memory: its places are the document's (or the
overlay's that added them), from the import's source map, each spec path at the
nearest place the map has for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from .. import ir
from ..parse.load import Document, Path_
from .findings import Spot

GroupPath = tuple[str, ...]


class Source(Protocol):
    """Where a place of an imported spec comes from (``importer.document.Where``)."""

    @property
    def file(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...


class Positions:
    def __init__(
        self,
        doc: Document,
        api: ir.Api,
        sources: Mapping[tuple[str | int, ...], Source] | None = None,
    ) -> None:
        self.doc = doc
        self.file = doc.file
        self.sources = sources
        self._inline: dict[str, tuple[str, str]] = {}
        for model in api.models:
            for field in model.fields:
                named = ir.innermost(field.type)
                if isinstance(named, ir.NamedType) and named.kind == "union":
                    self._inline.setdefault(named.name, (model.name, field.wire_name))

    def _at(self, path: Path_, *, key: bool = False) -> Spot:
        if self.sources is not None:
            while path not in self.sources and path:
                path = path[:-1]
            found = self.sources.get(path)
            if found is not None:
                return Spot(found.file, found.line, found.column)
        position = self.doc.at(path, key=key)
        return Spot(self.file, position.line, position.column)

    def _key(self, path: Path_) -> Spot:
        return self._at(path, key=True)

    def _section(self, section: str, name: str) -> dict[str, Any]:
        data = self.doc.data.get(section)
        entry = data.get(name) if isinstance(data, dict) else None
        return entry if isinstance(entry, dict) else {}

    def top(self, key: str) -> Spot:
        return self._key((key,))

    def model(self, name: str) -> Spot:
        return self._key(("models", name))

    def _declaring(self, model: str, wire_name: str) -> str | None:
        """The model whose ``fields:`` lists the field: itself or a base (``is:``)."""
        seen = set()
        current = model
        while current not in seen:
            seen.add(current)
            spec = self._section("models", current)
            fields = spec.get("fields")
            if isinstance(fields, dict) and wire_name in fields:
                return current
            base = spec.get("is")
            if not isinstance(base, str):
                break
            current = base
        return None

    def field(self, model: str, wire_name: str) -> Spot:
        declaring = self._declaring(model, wire_name)
        if declaring is None:
            return self.model(model)
        return self._key(self._field_path(declaring, wire_name))

    def union(self, name: str) -> Spot:
        if name in (self.doc.data.get("unions") or {}):
            return self._key(("unions", name))
        if name in self._inline:
            model, wire = self._inline[name]
            declaring = self._declaring(model, wire) or model
            return self._at((*self._field_path(declaring, wire), "type"))
        return self._at(()) if self.sources is not None else Spot(self.file, 1, 1)

    def union_place(self, name: str) -> str:
        """A union's name; an inline one's is the field that declares it."""
        if self.is_inline_union(name) and name in self._inline:
            return ".".join(self._inline[name])
        return name

    def _field_path(self, model: str, wire_name: str) -> Path_:
        return ("models", model, "fields", wire_name)

    def is_inline_union(self, name: str) -> bool:
        return name not in (self.doc.data.get("unions") or {})

    def variant(self, union: str, index: int) -> Spot:
        if self.is_inline_union(union):
            return self.union(union)
        return self._at(("unions", union, "variants", index))

    def enum(self, name: str) -> Spot:
        return self._key(("enums", name))

    def member(self, enum: str, name: str) -> Spot:
        return self._key(("enums", enum, "values", name))

    def group_path(self, groups: GroupPath) -> Path_:
        path: Path_ = ("operations", groups[0])
        for name in groups[1:]:
            path = (*path, "groups", name)
        return path

    def group(self, groups: GroupPath) -> Spot:
        return self._key(self.group_path(groups))

    def method_path(self, groups: GroupPath, method: str) -> Path_:
        return (*self.group_path(groups), "methods", method)

    def method(self, groups: GroupPath, method: str, *part: str | int) -> Spot:
        path = (*self.method_path(groups, method), *part)
        return self._at(path, key=bool(part) and isinstance(part[-1], str))

    def route(self, groups: GroupPath, method: str) -> Spot:
        return self._at((*self.method_path(groups, method), "http"))

    def parameter(self, groups: GroupPath, method: str, wire_name: str) -> Spot:
        return self._key((*self.method_path(groups, method), "params", wire_name))
