"""What values a type accepts: spelling types, comparing them, and sample values.

``covers`` answers "does every value of type A fit type B?" on the wire (JSON) or in
Python (the generated annotations). The samples are candidates only: whether a
payload shows a change is decided by running both generated converters
(:mod:`.evidence`), never by these approximations.
"""

from __future__ import annotations

from typing import Any, Literal

from .. import ir

Mode = Literal["wire", "python"]
Relation = Literal["same", "wider", "narrower", "changed"]
_STRINGS_ON_THE_WIRE = frozenset({"str", "datetime", "date", "uuid"})
_SAMPLE_TEXT = {
    "datetime": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "uuid": "00000000-0000-0000-0000-000000000000",
}
_DEPTH = 6
UNLISTED = "specbind-unlisted-value"


class Side:
    """One API's named types, looked up by name."""

    def __init__(
        self, api: ir.Api, declared_unions: frozenset[str] = frozenset()
    ) -> None:
        self.api = api
        # the unions the spec names under `unions:`; the others are inline (`A | B`)
        self.declared_unions = declared_unions
        self.models = {m.name: m for m in api.models}
        self.unions = {u.name: u for u in api.unions}
        self.enums = {e.name: e for e in api.enums}


def spell(type_: ir.TypeExpr, side: Side) -> str:
    """A type as the spec writes it; inline unions spelled out."""
    if isinstance(type_, ir.PrimitiveType):
        return type_.name
    if isinstance(type_, ir.ListType):
        return f"list[{spell(type_.item, side)}]"
    if isinstance(type_, ir.DictType):
        return f"dict[str, {spell(type_.value, side)}]"
    union = side.unions.get(type_.name) if type_.kind == "union" else None
    if union is not None and union.name not in side.declared_unions:
        return " | ".join(spell(v, side) for v in union.variants)
    return type_.name


def _variants(type_: ir.TypeExpr, side: Side) -> tuple[ir.TypeExpr, ...] | None:
    if isinstance(type_, ir.NamedType) and type_.kind == "union":
        union = side.unions.get(type_.name)
        if union is not None:
            return union.variants
    return None


def covers(
    inner: ir.TypeExpr,
    inner_side: Side,
    outer: ir.TypeExpr,
    outer_side: Side,
    mode: Mode,
    renames: dict[str, str],
    depth: int = 0,
) -> bool:
    """Whether every value of ``inner`` (on its side) is a value of ``outer``."""
    if depth > _DEPTH:
        return True
    nested = depth + 1
    if isinstance(outer, ir.PrimitiveType) and outer.name == "any":
        return True
    inner_variants = _variants(inner, inner_side)
    outer_variants = _variants(outer, outer_side)
    if (
        inner_variants is not None
        and outer_variants is not None
        and renames.get(inner.name, inner.name) == outer.name  # type: ignore[union-attr]
    ):
        return True  # the same union: its variants are compared as a union
    if inner_variants is not None:
        return all(
            covers(v, inner_side, outer, outer_side, mode, renames, nested)
            for v in inner_variants
        )
    if outer_variants is not None:
        return any(
            covers(inner, inner_side, v, outer_side, mode, renames, nested)
            for v in outer_variants
        )
    if isinstance(inner, ir.ListType) or isinstance(outer, ir.ListType):
        return (
            isinstance(inner, ir.ListType)
            and isinstance(outer, ir.ListType)
            and covers(
                inner.item, inner_side, outer.item, outer_side, mode, renames, nested
            )
        )
    if isinstance(inner, ir.DictType) or isinstance(outer, ir.DictType):
        return (
            isinstance(inner, ir.DictType)
            and isinstance(outer, ir.DictType)
            and covers(
                inner.value, inner_side, outer.value, outer_side, mode, renames, nested
            )
        )
    if isinstance(inner, ir.PrimitiveType) and isinstance(outer, ir.PrimitiveType):
        return _primitive_covers(inner.name, outer.name, mode)
    if isinstance(inner, ir.NamedType) and isinstance(outer, ir.NamedType):
        return renames.get(inner.name, inner.name) == outer.name
    if isinstance(inner, ir.NamedType) and isinstance(outer, ir.PrimitiveType):
        enum = inner_side.enums.get(inner.name)
        return enum is not None and _primitive_covers(enum.value_type, outer.name, mode)
    if isinstance(inner, ir.PrimitiveType) and isinstance(outer, ir.NamedType):
        enum = outer_side.enums.get(outer.name)
        # an open enum takes any value of its type (a plain string in Python too)
        return (
            enum is not None
            and enum.open
            and _primitive_covers(inner.name, enum.value_type, mode)
        )
    return False


def _primitive_covers(inner: str, outer: str, mode: Mode) -> bool:
    if inner == outer or outer == "any":
        return True
    if inner == "int" and outer == "float":
        return True
    if mode == "wire":
        return inner in _STRINGS_ON_THE_WIRE and outer == "str"
    return {inner, outer} == {"uuid", "str"}  # a uuid is a checked str in Python


def relation(
    old: ir.TypeExpr,
    old_side: Side,
    new: ir.TypeExpr,
    new_side: Side,
    mode: Mode,
    renames: dict[str, str],
) -> Relation:
    back = {v: k for k, v in renames.items()}
    widened = covers(old, old_side, new, new_side, mode, renames)
    narrowed = covers(new, new_side, old, old_side, mode, back)
    if widened and narrowed:
        return "same"
    if widened:
        return "wider"
    return "narrower" if narrowed else "changed"


# --- sample values


def minimal(
    side: Side, type_: ir.TypeExpr, field: ir.Field | None = None, depth: int = 0
) -> Any:
    """A small value ``type_`` accepts, within the field's constraints when given."""
    if field is not None:
        for value in (field.const, field.default, field.example):
            if value is not ir.NO_VALUE and value is not None:
                return value
    if isinstance(type_, ir.PrimitiveType):
        return _minimal_primitive(type_.name, field)
    if isinstance(type_, ir.ListType):
        count = (field.min_items or 0) if field is not None else 0
        return [minimal(side, type_.item, None, depth + 1) for _ in range(count)]
    if isinstance(type_, ir.DictType):
        return {}
    if type_.kind == "enum" and type_.name in side.enums:
        members = side.enums[type_.name].members
        return members[0].value if members else UNLISTED
    if type_.kind == "union" and type_.name in side.unions:
        variants = side.unions[type_.name].variants
        return minimal(side, variants[0], None, depth + 1) if variants else None
    if type_.kind == "model" and type_.name in side.models and depth < _DEPTH:
        return model_payload(side, side.models[type_.name], depth + 1)
    return {}


def _minimal_primitive(name: str, field: ir.Field | None) -> Any:
    if name in _SAMPLE_TEXT:
        return _SAMPLE_TEXT[name]
    if name == "bool":
        return False
    if name == "any":
        return 0
    if name == "str":
        return "a" * (field.min_length or 1 if field is not None else 1)
    low: float = 0.0
    if field is not None:
        if field.minimum is not None:
            low = field.minimum
        if field.exclusive_minimum is not None:
            low = max(low, field.exclusive_minimum + 1)
        if field.maximum is not None and low > field.maximum:
            low = field.maximum
        if field.multiple_of:
            low = -(-low // field.multiple_of) * field.multiple_of
    return int(low) if name == "int" and float(low).is_integer() else low


def model_payload(side: Side, model: ir.Model, depth: int = 0) -> dict[str, Any]:
    """The model's required fields, each with a minimal value."""
    return {
        f.wire_name: minimal(side, f.type, f, depth) for f in model.fields if f.required
    }


def samples(side: Side, field: ir.Field) -> list[Any]:
    """Values to try for a field: its own, its bounds and their neighbours, other types."""
    found: list[Any] = [minimal(side, field.type, field)]
    for value in (field.example, field.default, field.const):
        if value is not ir.NO_VALUE:
            found.append(value)
    found.extend(_type_samples(side, field.type, field))
    return found


def _type_samples(
    side: Side, type_: ir.TypeExpr, field: ir.Field | None, depth: int = 0
) -> list[Any]:
    if depth > 2:
        return []
    out: list[Any] = []
    variants = _variants(type_, side)
    if variants is not None:
        for variant in variants:
            out.extend(_type_samples(side, variant, None, depth + 1))
        return out
    if isinstance(type_, ir.ListType):
        items = _type_samples(side, type_.item, None, depth + 1)[:4]
        out.append([])
        out.extend([item] for item in items)
        if field is not None and items:
            for bound in (field.min_items, field.max_items):
                if bound is not None:
                    out.extend(
                        [items[0]] * n for n in (bound - 1, bound, bound + 1) if n >= 0
                    )
        return out
    if isinstance(type_, ir.DictType):
        return [
            {},
            *({"k": v} for v in _type_samples(side, type_.value, None, depth + 1)[:3]),
        ]
    if isinstance(type_, ir.NamedType):
        if type_.kind == "enum" and type_.name in side.enums:
            return [m.value for m in side.enums[type_.name].members] + [UNLISTED]
        if type_.kind == "model" and type_.name in side.models:
            return [model_payload(side, side.models[type_.name], depth)]
        return []
    name = type_.name
    if name in ("int", "float"):
        bounds: list[float] = [0, 1, -1]
        if field is not None:
            for limit in (
                field.minimum,
                field.maximum,
                field.exclusive_minimum,
                field.exclusive_maximum,
                field.multiple_of,
            ):
                if limit is not None:
                    bounds.extend(
                        [limit - 1, limit, limit + 1, limit - 0.5, limit + 0.5]
                    )
        numbers: list[Any] = []
        for b in bounds:
            if name == "int" and float(b).is_integer():
                numbers.append(int(b))
            elif name == "float":
                numbers.append(float(b))
        return numbers
    if name == "str":
        texts = ["", "a", "0", "A b"]
        if field is not None:
            for bound in (field.min_length, field.max_length):
                if bound is not None:
                    texts.extend(
                        "a" * n for n in (bound - 1, bound, bound + 1) if n >= 0
                    )
        return texts
    if name in _SAMPLE_TEXT:
        return [_SAMPLE_TEXT[name], "not a " + name]
    if name == "bool":
        return [True, False]
    return [0, "a", None]


FOREIGN: tuple[Any, ...] = ("a", 1, 1.5, True, [], {})  # values of other types
