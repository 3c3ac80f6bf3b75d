"""The named types: unions, enums, and models with their fields (following ``is``)."""

from __future__ import annotations

from typing import Any, NamedTuple

from .. import ir, naming
from ..diagnostics import did_you_mean
from ..parse.load import Path_
from ..parse.types import TYPE_NAME
from .context import Context
from .expressions import type_of
from .values import check_field


class _FieldSpec(NamedTuple):
    wire: str
    spec: dict[str, Any]
    path: Path_  # in the model that lists it: an inherited field's is in its base


def build_union(ctx: Context, name: str, spec: dict[str, Any]) -> ir.Union | None:
    path = ("unions", name, "variants")
    variants = [type_of(ctx, v, (*path, i)) for i, v in enumerate(spec["variants"])]
    if any(v is None for v in variants):
        ctx.damaged.add(name)
        return None
    resolved = tuple(v for v in variants if v)
    ctx.union_variants[name] = resolved
    for i, variant in enumerate(resolved):
        if variant in resolved[:i]:
            ctx.error((*path, i), "this variant is listed twice")
    return ir.Union(name, resolved, spec.get("doc", ""), spec.get("discriminator"))


def build_enum(ctx: Context, name: str, spec: dict[str, Any]) -> ir.Enum:
    value_type = spec.get("type", "str")
    members = []
    seen: dict[Any, str] = {}
    for member, value in spec["values"].items():
        path = ("enums", name, "values", member)
        # By the type's name: isinstance(True, int) holds, but true is no int value.
        if type(value).__name__ != value_type:
            ctx.error(path, f"value {value!r} is not a {value_type}, the enum's type")
        if value in seen:
            ctx.error(path, f"value {value!r} is already the value of {seen[value]}")
        seen[value] = member
        members.append(ir.EnumMember(member, value))
    ctx.enum_values[name] = tuple(m.value for m in members)
    return ir.Enum(
        name,
        tuple(members),
        value_type,
        spec.get("open", False),
        spec.get("doc", ""),
    )


def build_models(ctx: Context) -> dict[str, ir.Model]:
    """Every model that is not broken, by name, in spec order."""
    models = {}
    for name, spec in ctx.entries("models"):
        fields = _build_fields(ctx, name, _model_fields(ctx, name, spec, ()))
        models[name] = ir.Model(
            name,
            tuple(fields),
            spec.get("doc", ""),
            _unknown_fields(ctx, spec) == "forbid",
        )
    return models


def _unknown_fields(ctx: Context, spec: dict[str, Any]) -> str:
    """A model's own ``unknown_fields``, else the one its ``is`` chain gives."""
    models = ctx.data.get("models", {})
    seen: set[int] = set()
    while "unknown_fields" not in spec and id(spec) not in seen:  # a cycle: reported
        base = spec.get("is")  # by the walk of the fields
        if not isinstance(base, str) or not isinstance(models.get(base), dict):
            break
        seen.add(id(spec))
        spec = models[base]
    return str(spec.get("unknown_fields", "ignore"))


def _model_fields(
    ctx: Context, name: str, spec: dict[str, Any], seen: tuple[str, ...]
) -> list[_FieldSpec]:
    """The fields of a model in table order, following its ``is`` chain.

    A base's fields come first, each replaced in place by the model's own field of the
    same name; the model's other fields follow. ``seen`` are the models whose ``is``
    led here, the first of them the model being built.
    """
    root = seen[0] if seen else name
    own = []
    for wire, field_spec in spec.get("fields", {}).items():
        path: Path_ = ("models", name, "fields", wire)
        if path in ctx.broken:
            ctx.damaged.add(root)
        else:
            own.append(_FieldSpec(wire, field_spec, path))
    base_name = spec.get("is")
    if base_name is None:
        return own
    base = _base_spec(ctx, name, base_name, seen)
    if base is None:
        ctx.damaged.add(root)
        return own
    own_by_wire = {field.wire: field for field in own}
    inherited = _model_fields(ctx, base_name, base, (*seen, name))
    return [own_by_wire.pop(f.wire, f) for f in inherited] + [*own_by_wire.values()]


def _base_spec(
    ctx: Context, name: str, base_name: str, seen: tuple[str, ...]
) -> dict[str, Any] | None:
    """The spec of the model that ``name`` names in ``is``; ``None`` when it is unusable."""
    root = seen[0] if seen else name
    models = ctx.data.get("models", {})
    if base_name == root:
        ctx.error(
            ("models", root, "is"),
            f"'is' forms a cycle: {' -> '.join((*seen, name, base_name))}",
        )
        return None
    if base_name in seen:  # a cycle further up, reported at each of its models
        return None
    if base_name not in models:
        kind = ctx.kinds.get(base_name)
        if kind is not None:
            ctx.error(
                ("models", name, "is"),
                f"'is' names the {kind} '{base_name}'; only a model can be extended",
            )
        else:
            ctx.error(
                ("models", name, "is"),
                f"'is' names an unknown model '{base_name}'",
                hint=did_you_mean(base_name, models),
            )
        return None
    if ("models", base_name) in ctx.broken:
        return None
    spec: dict[str, Any] = models[base_name]
    return spec


def _build_fields(ctx: Context, model: str, fields: list[_FieldSpec]) -> list[ir.Field]:
    out: list[ir.Field] = []
    used: set[str] = set()
    for wire, spec, path in fields:
        # An inherited field's inline union gets this model's own name: the base
        # model already took the one its spec gives.
        inherited = path[1] != model
        inline = (not inherited and spec.get("name")) or f"{model}{naming.pascal(wire)}"
        if "name" in spec and not inherited and not TYPE_NAME.fullmatch(inline):
            ctx.error(
                (*path, "name"),
                f"invalid union name '{inline}'",
                hint="expected letters, digits and underscores, not starting with a digit",
            )
        type_ = type_of(ctx, spec["type"], (*path, "type"), inline, spec.get("doc", ""))
        python = _python_name(ctx, wire, spec, path, used)
        if type_ is None:
            ctx.damaged.add(model)
            continue
        field = ir.Field(
            wire_name=wire,
            python_name=python,
            type=type_,
            required=spec.get("required", False),
            nullable=spec.get("nullable", False),
            doc=spec.get("doc", ""),
            example=spec.get("example", ir.NO_VALUE),
            default=spec.get("default", ir.NO_VALUE),
            server_default=spec.get("server_default", ir.NO_VALUE),
            minimum=spec.get("minimum"),
            maximum=spec.get("maximum"),
            min_length=spec.get("min_length"),
            max_length=spec.get("max_length"),
            exclusive_minimum=spec.get("exclusive_minimum"),
            exclusive_maximum=spec.get("exclusive_maximum"),
            multiple_of=spec.get("multiple_of"),
            pattern=spec.get("pattern"),
            min_items=spec.get("min_items"),
            max_items=spec.get("max_items"),
            const=spec.get("const", ir.NO_VALUE),
        )
        check_field(ctx, field, path)
        out.append(field)
    return out


def _python_name(
    ctx: Context, wire: str, spec: dict[str, Any], path: Path_, used: set[str]
) -> str:
    """The attribute name of a field: its ``python_name``, else one made unique."""
    chosen = spec.get("python_name")
    if chosen is None:
        python = naming.unique(naming.python_attribute(wire), used)
        used.add(python)
        return python
    if chosen.startswith("_"):
        ctx.error(
            (*path, "python_name"),
            f"python_name '{chosen}' starts with an underscore, which attrs "
            "drops from the __init__ parameter",
            hint=f"use '{chosen.lstrip('_') or 'field'}'",
        )
    elif naming.python_attribute(chosen) == f"{chosen}_":
        ctx.error(
            (*path, "python_name"),
            f"python_name '{chosen}' is a Python keyword or a name the "
            "generated code uses",
            hint=f"use '{chosen}_'",
        )
    elif chosen in used:
        ctx.error(
            (*path, "python_name"),
            f"python_name '{chosen}' is already the name of another field",
        )
    used.add(chosen)
    return str(chosen)
