"""A field's constraints, and the values the spec gives it: default, example, server_default."""

from __future__ import annotations

import math
import re
from typing import Any

from .. import formats, ir
from ..parse.load import Path_
from ..parse.types import MAX_DEPTH
from .context import Context


def check_field(ctx: Context, field: ir.Field, path: Path_) -> None:
    if path in ctx.partial:
        return  # some of its keys were left out, reported by the schema check
    type_ = field.type
    numeric = type_ in (ir.PrimitiveType("int"), ir.PrimitiveType("float"))
    string = type_ == ir.PrimitiveType("str")
    listed = isinstance(type_, ir.ListType)
    scalar = isinstance(type_, ir.PrimitiveType) and type_.name in _CONST_TYPES
    for keys, applies, kinds in (
        (("minimum", "maximum"), numeric, "int and float"),
        (("exclusive_minimum", "exclusive_maximum"), numeric, "int and float"),
        (("multiple_of",), numeric, "int and float"),
        (("min_length", "max_length"), string or listed, "str and list"),
        (("min_items", "max_items"), listed, "list"),
        (("pattern",), string, "str"),
    ):
        for key in keys:
            if getattr(field, key) is not None and not applies:
                ctx.error(
                    (*path, key),
                    f"'{key}' applies to {kinds} fields, not this one",
                    key=True,
                )
        if len(keys) == 2:
            low, high = (getattr(field, key) for key in keys)
            if low is not None and high is not None and low > high:
                ctx.error(
                    (*path, keys[0]),
                    f"{keys[0]} {low} is greater than {keys[1]} {high}",
                    key=True,
                )
    if field.pattern is not None and string:
        try:
            re.compile(field.pattern)
        except re.error as exc:
            ctx.error(
                (*path, "pattern"), f"pattern is not a valid regular expression: {exc}"
            )
    if field.has_const:
        if not scalar:
            ctx.error(
                (*path, "const"),
                "'const' applies to str, int, float and bool fields, not this one",
                key=True,
            )
        elif not fits(ctx, field.const, type_, False):
            ctx.error(
                (*path, "const"),
                f"const {_show(field.const)} is not a valid value of the field's type",
            )
    if type_ == ir.PrimitiveType("bytes") and field.has_default:
        ctx.error(
            (*path, "default"),
            "a file part (bytes) cannot have a default: one file object would serve "
            "every call",
            key=True,
        )
    if field.required and field.has_default:
        ctx.error(
            (*path, "default"),
            "a required field cannot have a default; use server_default to document one",
            key=True,
        )
    for name in ("default", "example", "server_default"):
        value = getattr(field, name)
        if value is ir.NO_VALUE:
            continue
        problem = _value_problem(ctx, name, value, field)
        if problem:
            ctx.error((*path, name), problem, key=True)


_FORMAT_HINTS = {
    "datetime": " (an RFC 3339 date-time with its UTC offset, e.g. 2024-05-01T12:30:00Z)",
    "date": " (a date, YYYY-MM-DD)",
    "uuid": " (a UUID, 8-4-4-4-12 hex digits)",
}
# The types a const may have: JSON scalars compared by value.
_CONST_TYPES = ("str", "int", "float", "bool")


def _value_problem(ctx: Context, name: str, value: Any, field: ir.Field) -> str:
    """What is wrong with the field's ``name`` value, or ``""``."""
    if _depth(value) > MAX_DEPTH:
        return f"{name} nests more than {MAX_DEPTH} levels deep"
    if not fits(ctx, value, field.type, field.nullable):
        expected = _FORMAT_HINTS.get(getattr(field.type, "name", ""), "")
        return (
            f"{name} {_show(value)} is not a valid value of the field's type{expected}"
        )
    if name != "example" and not _in_range(value, field):
        return f"{name} {_show(value)} is outside the field's constraints"
    return ""


def fits(ctx: Context, value: Any, type_: ir.TypeExpr, nullable: bool) -> bool:
    """Whether a default or example is a valid wire value of the type."""
    if value is None:
        return nullable
    if isinstance(type_, ir.PrimitiveType):
        return _fits_primitive(value, type_.name)
    if isinstance(type_, ir.ListType):
        any_items = type_.item == ir.PrimitiveType("any")  # `any` includes null
        return isinstance(value, list) and all(
            fits(ctx, v, type_.item, any_items) for v in value
        )
    if isinstance(type_, ir.DictType):
        any_values = type_.value == ir.PrimitiveType("any")
        return isinstance(value, dict) and all(
            fits(ctx, v, type_.value, any_values) for v in value.values()
        )
    if type_.kind == "enum":
        values = ctx.enum_values.get(type_.name)
        if values is None:  # the enum is broken: its values are unknown
            return True
        # `True == 1 == 1.0`: the value's type must be the enum's too.
        return value in values and type(value) in {type(v) for v in values}
    if type_.kind == "union":
        variants = ctx.union_variants.get(type_.name)
        if variants is None:  # the union is broken: its variants are unknown
            return True
        return any(fits(ctx, value, v, False) for v in variants)
    return isinstance(value, dict) and _fits_model(ctx, value, type_.name)


def _fits_model(ctx: Context, value: dict[str, Any], model: str) -> bool:
    """A model's value names its fields (by wire name) and has the required ones;
    the field values are checked when the model's own are (by shape only here)."""
    fields: dict[str, Any] = {}
    name: Any = model
    seen: set[str] = set()
    while isinstance(name, str):
        spec = (ctx.data.get("models") or {}).get(name)
        if name in seen or name in ctx.damaged or not isinstance(spec, dict):
            return True  # reported where the model is
        seen.add(name)
        own = spec.get("fields") or {}
        fields = {**own, **fields} if isinstance(own, dict) else fields
        name = spec.get("is")
    required = {
        k for k, f in fields.items() if isinstance(f, dict) and f.get("required")
    }
    return value.keys() <= fields.keys() and required <= value.keys()


def _fits_primitive(value: Any, name: ir.Primitive) -> bool:
    # bool is an int subclass, and never a number on the wire
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "str":
        return isinstance(value, str)
    if name == "int":
        return number and isinstance(value, int)
    if name == "float":
        return number and math.isfinite(value)
    if name == "bool":
        return isinstance(value, bool)
    if name == "any":
        return True
    if name == "bytes":  # a file part: its example is a file name, shown in the docs
        return isinstance(value, str)
    return formats.fits_format(value, name)


def _in_range(value: Any, field: ir.Field) -> bool:
    """Whether a value of the field's type meets its constraints."""
    if field.has_const and value is not None and value != field.const:
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return not (
            (field.minimum is not None and value < field.minimum)
            or (field.maximum is not None and value > field.maximum)
            or (
                field.exclusive_minimum is not None and value <= field.exclusive_minimum
            )
            or (
                field.exclusive_maximum is not None and value >= field.exclusive_maximum
            )
            or (
                field.multiple_of is not None
                and not _multiple(value, field.multiple_of)
            )
        )
    if isinstance(value, str) and field.pattern is not None:
        try:
            if re.search(formats.python_pattern(field.pattern), value) is None:
                return False
        except re.error:
            pass  # reported by check_field
    if isinstance(value, list) and (
        (field.min_items is not None and len(value) < field.min_items)
        or (field.max_items is not None and len(value) > field.max_items)
    ):
        return False
    if isinstance(value, (str, list)):
        return not (
            (field.min_length is not None and len(value) < field.min_length)
            or (field.max_length is not None and len(value) > field.max_length)
        )
    return True


def _multiple(value: float, step: float) -> bool:
    """JSON Schema's ``multipleOf`` as the generated converter computes it."""
    if isinstance(step, float):
        quotient = value / step
        return math.isfinite(quotient) and int(quotient) == quotient
    return value % step == 0


def _depth(value: Any) -> int:
    """How deeply lists and mappings nest in ``value``; a scalar is 0."""
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


def _show(value: Any, limit: int = 60) -> str:
    """A value in a message, shortened when long."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."
