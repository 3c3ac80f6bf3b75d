"""Checks that need every type built: tagged unions, and types that contain themselves."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .. import ir
from .context import Context


def check_discriminators(
    ctx: Context, unions: Sequence[ir.Union], models: dict[str, ir.Model]
) -> None:
    for union in unions:
        if union.discriminator is None:
            continue
        path = ("unions", union.name, "discriminator")
        for variant in union.variants:
            name = variant.name if isinstance(variant, ir.NamedType) else ""
            if name in ctx.damaged:
                continue  # its fields are not all known
            model = models.get(name)
            field = model.field(union.discriminator) if model else None
            tag = field.type if field else None
            if not isinstance(tag, ir.NamedType) or tag.kind != "enum":
                ctx.error(
                    path,
                    f"every variant must be a model whose '{union.discriminator}' field is a one-value enum",
                )
                return
            values = ctx.enum_values.get(tag.name)
            if values is not None and len(values) != 1:
                ctx.error(
                    path, f"'{tag.name}' must have exactly one value to tag {name}"
                )


def check_cycles(
    ctx: Context, models: dict[str, ir.Model], unions: Sequence[ir.Union]
) -> None:
    """Reject types that can only be satisfied by infinite values, and unions that are
    made of themselves (their aliases could not be defined one after the other)."""
    unions_by_name = {u.name: u for u in unions}

    def needs(name: str) -> list[str]:
        """The models and unions that every value of ``name`` holds: a model's required,
        non-nullable fields of those types (a list or dict can be empty, an enum is a
        plain value), and the one variant of a one-variant union."""
        if name in models:
            return [
                f.type.name
                for f in models[name].fields
                if f.required
                and not f.nullable
                and isinstance(f.type, ir.NamedType)
                and f.type.kind != "enum"
            ]
        union = unions_by_name.get(name)
        if union is None:  # broken: nothing is known about it
            return []
        if len(union.variants) != 1:  # a second variant is a way out
            return []
        (variant,) = union.variants
        if isinstance(variant, ir.NamedType) and variant.kind != "enum":
            return [variant.name]
        return []

    def union_only(name: str) -> list[str]:
        """The unions that a union lists as variants."""
        union = unions_by_name.get(name)
        if union is None:
            return []
        return [
            v.name
            for v in union.variants
            if isinstance(v, ir.NamedType) and v.kind == "union"
        ]

    starts = [(name, "models", needs) for name in models]
    starts += [(u.name, "unions", union_only) for u in unions]
    for start, section, edges in starts:
        cycle = _cycle(start, edges)
        if cycle is not None:
            path = (section, start) if start in ctx.data.get(section, {}) else ()
            ctx.error(
                path,
                f"'{start}' cannot be built: it contains itself through {' -> '.join(cycle)}",
                key=True,
            )


def _cycle(start: str, edges: Callable[[str], list[str]]) -> tuple[str, ...] | None:
    """A path of ``edges`` from ``start`` back to it, searched depth first, or ``None``."""
    stack: list[tuple[str, tuple[str, ...]]] = [(start, (start,))]
    seen: set[str] = set()
    while stack:
        name, trail = stack.pop()
        for nxt in edges(name):
            if nxt == start:
                return (*trail, nxt)
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, (*trail, nxt)))
    return None
