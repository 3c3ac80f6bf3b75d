"""A field's constraints, and the values the spec gives it: default, example, server_default."""

from __future__ import annotations

import math
from typing import Any

from .. import ir
from ..parse.load import Path_
from ..parse.types import MAX_DEPTH
from .context import Context


def check_field(ctx: Context, field: ir.Field, path: Path_) -> None:
    if path in ctx.partial:
        return  # some of its keys were left out, reported by the schema check
    numeric = isinstance(field.type, ir.PrimitiveType) and field.type.name in (
        "int",
        "float",
    )
    sized = isinstance(field.type, ir.ListType) or field.type == ir.PrimitiveType("str")
    for low, high, applies, kinds in (
        ("minimum", "maximum", numeric, "int and float"),
        ("min_length", "max_length", sized, "str and list"),
    ):
        lo, hi = getattr(field, low), getattr(field, high)
        for bound, value in ((low, lo), (high, hi)):
            if value is not None and not applies:
                ctx.error(
                    (*path, bound),
                    f"'{bound}' applies to {kinds} fields, not this one",
                    key=True,
                )
        if lo is not None and hi is not None and lo > hi:
            ctx.error((*path, low), f"{low} {lo} is greater than {high} {hi}", key=True)
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


def _value_problem(ctx: Context, name: str, value: Any, field: ir.Field) -> str:
    """What is wrong with the field's ``name`` value, or ``""``."""
    if _depth(value) > MAX_DEPTH:
        return f"{name} nests more than {MAX_DEPTH} levels deep"
    if not fits(ctx, value, field.type, field.nullable):
        return f"{name} {_show(value)} is not a valid value of the field's type"
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
    return isinstance(value, dict)  # a model: checked by shape only


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
    return True  # any


def _in_range(value: Any, field: ir.Field) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return not (
            (field.minimum is not None and value < field.minimum)
            or (field.maximum is not None and value > field.maximum)
        )
    if isinstance(value, (str, list)):
        return not (
            (field.min_length is not None and len(value) < field.min_length)
            or (field.max_length is not None and len(value) > field.max_length)
        )
    return True


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
