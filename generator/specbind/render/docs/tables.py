"""Markdown table cells and layout in the style of Speakeasy's model pages."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from ... import ir, naming
from ..shared.markdown import BREAK, cell_text
from ..shared.types import PRIMITIVE_ANNOTATIONS

# The SDK's pages link these, with no Optional/Nullable wrapper around the link.
_LINKED = {
    "datetime": "[date](https://docs.python.org/3/library/datetime.html#date-objects)",
    "date": "[datetime.date](https://docs.python.org/3/library/datetime.html#date-objects)",
}
# The names the SDK's Python spells them with (uuid is a str there, as here).
_DOC_NAMES = {**PRIMITIVE_ANNOTATIONS, "datetime": "datetime", "date": "date"}

REQUIRED = ":heavy_check_mark:"
NOT_REQUIRED = ":heavy_minus_sign:"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Every column as wide as the widest cell of the whole table, no trailing newline.

    The width is measured as Speakeasy measures it, before line breaks become
    ``<br/>`` (a break counts as one character); cells are then padded as written.
    """
    width = max(_width(cell) for row in (header, *rows) for cell in row)

    def line(cells: Sequence[str]) -> str:
        return "".join(f"| {cell.ljust(width)} " for cell in cells) + "|"

    return "\n".join(
        [line(header), line(["-" * width] * len(header)), *map(line, rows)]
    )


def _width(cell: str) -> int:
    return len(cell) - (len(BREAK) - 1) * cell.count(BREAK)


def link(name: str, label: str, base: str = "../models/") -> str:
    return f"[{label}]({base}{naming.doc_file(name)})"


def python_type(type_: ir.TypeExpr) -> str:
    """The SDK's Python spelling: ``List[models.ContentChunk]``, ``Dict[str, Any]``."""
    return _sdk_type(type_, lambda primitive: primitive, lambda name: f"models.{name}")


def _sdk_type(
    type_: ir.TypeExpr,
    primitive: Callable[[str], str],
    named: Callable[[str], str],
) -> str:
    """The SDK's ``List[...]`` and ``Dict[str, ...]`` around the innermost type, which
    ``primitive`` (given its Python name) or ``named`` (given the type's name) spells."""
    if isinstance(type_, ir.ListType):
        return f"List[{_sdk_type(type_.item, primitive, named)}]"
    if isinstance(type_, ir.DictType):
        return f"Dict[str, {_sdk_type(type_.value, primitive, named)}]"
    if isinstance(type_, ir.PrimitiveType):
        return primitive(_DOC_NAMES[type_.name])
    return named(type_.name)


def type_cell(field: ir.Field, base: str = "../models/") -> str:
    """``*Optional[int]*``, ``[Nullable[models.X]](../models/x.md)``, ``List[[models.X](...)]``.

    Containers drop the presence wrapper, as the SDK's pages do.
    """
    wrapper = field.presence
    type_ = field.type
    if type_ == ir.PrimitiveType("bytes"):  # the SDK's File model, on its own page
        return link(
            "File", f"{wrapper}[models.File]" if wrapper else "models.File", base
        )
    if isinstance(type_, ir.PrimitiveType) and type_.name in _LINKED:
        return _LINKED[type_.name]
    if isinstance(type_, ir.PrimitiveType):
        name = _DOC_NAMES[type_.name]
        return f"*{wrapper}[{name}]*" if wrapper else f"*{name}*"
    if isinstance(type_, ir.NamedType):
        label = f"models.{type_.name}"
        return link(type_.name, f"{wrapper}[{label}]" if wrapper else label, base)
    return _sdk_type(
        type_,
        lambda primitive: _LINKED.get(primitive) or f"*{primitive}*",
        lambda name: link(name, f"models.{name}", base),
    )


def example_cell(value: Any) -> str:
    if value is ir.NO_VALUE:
        return ""
    if isinstance(value, str):
        return cell_text(value)
    # One element per line, unindented: what Speakeasy (Go's json.MarshalIndent with
    # no prefix and no indent) prints for objects and arrays.
    return cell_text(json.dumps(value, ensure_ascii=False, indent=0))


def field_rows(
    fields: Sequence[ir.Field],
    *,
    first: str = "Field",
    base: str = "../models/",
    name: Callable[[ir.Field], str] = lambda field: field.python_name,
) -> tuple[list[str], list[list[str]]]:
    """The field table; ``name`` is what the first column shows: the Python name, as
    the SDK's pages show it (``inputs`` for the wire's ``input``), or on operation
    pages the keyword argument."""
    with_example = any(f.example is not ir.NO_VALUE for f in fields)
    header = [first, "Type", "Required", "Description"]
    header += ["Example"] if with_example else []
    rows = []
    for field in fields:
        row = [
            f"`{cell_text(name(field))}`",
            type_cell(field, base),
            REQUIRED if field.required else NOT_REQUIRED,
            cell_text(field.doc) if field.doc else "N/A",
        ]
        rows.append(row + ([example_cell(field.example)] if with_example else []))
    return header, rows


def value_rows(enum: ir.Enum) -> tuple[list[str], list[list[str]]]:
    return ["Name", "Value"], [
        [f"`{m.name}`", cell_text(str(m.value))] for m in enum.members
    ]
