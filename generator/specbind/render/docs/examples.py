"""The Python an operation page's example passes for a value: typed, so that it runs.

A spec ``example`` is JSON; in the example it becomes what a user writes: a model's
constructor for an object (so it is validated and type-checks), an enum's member for one
of its values, and for a union the first variant the value fits. A required field
without an example gets a placeholder of its type. The names used are collected for the
example's import line.
"""

from __future__ import annotations

import math
from typing import Any

from ... import formats, ir
from ..shared.python import py_value

_PLACEHOLDERS: dict[str, Any] = {
    "str": "",
    "int": 0,
    "float": 0.0,
    "bool": False,
    "datetime": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


class ExampleValues:
    """Writes example values for one call, remembering the package names they use."""

    def __init__(self, api: ir.Api) -> None:
        self.api = api
        self.names: set[str] = set()

    def value(self, value: Any, type_: ir.TypeExpr) -> str:
        """``value`` (JSON from the spec) as Python source of ``type_``."""
        if value is None:
            return "None"
        if isinstance(type_, ir.ListType) and isinstance(value, list):
            return "[" + ", ".join(self.value(v, type_.item) for v in value) + "]"
        if isinstance(type_, ir.DictType) and isinstance(value, dict):
            items = (
                f"{py_value(k, _STR)}: {self.value(v, type_.value)}"
                for k, v in value.items()
            )
            return "{" + ", ".join(items) + "}"
        if type_ == _BYTES and isinstance(
            value, str
        ):  # a file part: its name, and content
            return f'({py_value(value, _STR)}, b"", None)'
        if not isinstance(type_, ir.NamedType):
            return py_value(value, type_)
        if type_.kind == "enum":
            enum = self.api.enum(type_.name)
            if value not in {
                m.value for m in enum.members
            }:  # an open enum's other value
                return py_value(value, ir.PrimitiveType(enum.value_type))
            self.names.add(type_.name)
            return py_value(value, type_, self.api)
        if type_.kind == "union":
            variants = self.api.union(type_.name).variants
            fitting = [v for v in variants if fits(self.api, value, v)]
            return self.value(value, (fitting or variants)[0])
        model = self.api.model(type_.name)
        self.names.add(model.name)
        args = [
            f"{field.python_name}={self.value(value[field.wire_name], field.type)}"
            for field in model.fields
            if isinstance(value, dict) and field.wire_name in value
        ]
        return f"{model.name}({', '.join(args)})"

    def placeholder(
        self, type_: ir.TypeExpr, outer: frozenset[str] = frozenset()
    ) -> str:
        """The simplest value of ``type_``; ``outer`` are the models being built around
        it (a model inside itself is ``None``: only a nullable field can hold it)."""
        if isinstance(type_, ir.PrimitiveType):
            if type_.name == "any":
                return "None"
            if type_ == _BYTES:
                return 'b""'
            return py_value(_PLACEHOLDERS[type_.name], type_)
        if isinstance(type_, ir.ListType):
            return "[]"
        if isinstance(type_, ir.DictType):
            return "{}"
        if type_.kind == "enum":
            return self.value(self.api.enum(type_.name).members[0].value, type_)
        if type_.kind == "union":
            variants = self.api.union(type_.name).variants
            inside = [v for v in variants if not _recursive(v, outer)]
            return self.placeholder((inside or variants)[0], outer)
        if type_.name in outer:
            return "None"
        self.names.add(type_.name)
        model = self.api.model(type_.name)
        args = [
            f"{f.python_name}={self.field_placeholder(f, outer | {model.name})}"
            for f in model.fields
            if f.required
        ]
        return f"{model.name}({', '.join(args)})"

    def field_placeholder(
        self, field: ir.Field, outer: frozenset[str] = frozenset()
    ) -> str:
        """A placeholder for a field, inside its bounds."""
        if field.has_const:
            return py_value(field.const, field.type)
        low = field.minimum if field.minimum is not None and field.minimum > 0 else None
        high = (
            field.maximum if field.maximum is not None and field.maximum < 0 else None
        )
        bound = low if low is not None else high
        if bound is not None and isinstance(field.type, ir.PrimitiveType):
            number = math.ceil(bound) if low is not None else math.floor(bound)
            value: Any = number if field.type.name == "int" else float(bound)
            return py_value(value, field.type)
        length = field.min_length or 0
        if length and field.type == _STR:
            return py_value("x" * length, _STR)
        if length and isinstance(field.type, ir.ListType):
            item = self.placeholder(field.type.item, outer)
            return "[" + ", ".join([item] * length) + "]"
        return self.placeholder(field.type, outer)


_STR = ir.PrimitiveType("str")
_BYTES = ir.PrimitiveType("bytes")


def _recursive(type_: ir.TypeExpr, outer: frozenset[str]) -> bool:
    return isinstance(type_, ir.NamedType) and type_.name in outer


def fits(api: ir.Api, value: Any, type_: ir.TypeExpr) -> bool:
    """Is the JSON ``value`` one of ``type_``? (The union variant an example is.)"""
    if isinstance(type_, ir.PrimitiveType):
        kinds: dict[str, type | tuple[type, ...]] = {
            "str": str,
            "int": int,
            "float": (int, float),
            "bool": bool,
        }
        if type_.name == "any":
            return True
        if type_.name == "bytes":
            return isinstance(value, str)
        if type_.name in ("datetime", "date", "uuid"):
            return formats.fits_format(value, type_.name)
        return isinstance(value, kinds[type_.name]) and (
            type_.name == "bool" or not isinstance(value, bool)
        )
    if isinstance(type_, ir.ListType):
        return isinstance(value, list) and all(fits(api, v, type_.item) for v in value)
    if isinstance(type_, ir.DictType):
        return isinstance(value, dict) and all(
            fits(api, v, type_.value) for v in value.values()
        )
    if type_.kind == "enum":
        enum = api.enum(type_.name)
        values = [m.value for m in enum.members]
        return value in values or (
            enum.open and fits(api, value, ir.PrimitiveType(enum.value_type))
        )
    if type_.kind == "union":
        return any(fits(api, value, v) for v in api.union(type_.name).variants)
    model = api.model(type_.name)
    if not isinstance(value, dict) or not set(value) <= {
        f.wire_name for f in model.fields
    }:
        return False
    return all(
        (value[f.wire_name] is None and f.nullable)
        or fits(api, value[f.wire_name], f.type)
        if f.wire_name in value
        else not f.required
        for f in model.fields
    )
