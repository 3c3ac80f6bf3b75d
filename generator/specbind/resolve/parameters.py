"""A method's parameters outside the body (``params:``) and how they fit its route."""

from __future__ import annotations

import re
from typing import Any

from .. import ir, naming
from ..parse.load import Path_
from .auth import check_header_parameter
from .context import Context
from .expressions import position_in, type_of
from .values import check_field

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def build_parameters(
    ctx: Context, spec: dict[str, Any], path: Path_, models: dict[str, ir.Model]
) -> tuple[ir.Parameter, ...]:
    """The method's parameters in spec order; broken or ill-typed ones are left out."""
    out: list[ir.Parameter] = []
    used: set[str] = set()
    for wire, param_spec in spec.get("params", {}).items():
        param_path = (*path, "params", wire)
        if param_path in ctx.broken:
            continue
        parameter = _parameter(ctx, wire, param_spec, param_path, used, models)
        if parameter is not None:
            out.append(parameter)
    return tuple(out)


def _parameter(
    ctx: Context,
    wire: str,
    spec: dict[str, Any],
    path: Path_,
    used: set[str],
    models: dict[str, ir.Model],
) -> ir.Parameter | None:
    location = spec["in"]
    if location == "header":
        check_header_parameter(ctx, wire, path)
    python = _python_name(ctx, wire, spec, path, used)
    type_ = type_of(ctx, spec["type"], (*path, "type"))
    if type_ is None:
        return None
    style = spec.get("style", "form")
    if style == "json":
        if not _check_json(ctx, type_, location, path):
            return None
    elif style != "form":
        if not _check_joined(ctx, style, type_, location, models, path):
            return None
    elif location == "query" and ir.is_query_object(type_):
        if not _check_query_object(ctx, type_, models, (*path, "type")):
            return None
    elif isinstance(type_, ir.NamedType) and type_.kind == "union":
        if not _check_text_union(ctx, type_.name, location, (*path, "type")):
            return None
    elif not ir.is_text(type_, lists=location == "query"):
        what = "str, int, float, bool or an enum"
        if location == "query":
            what += (
                ", a list of those, a dict[str, T] of those or of any, or a model "
                "whose fields are those"
            )
        ctx.error((*path, "type"), f"a {location} parameter is {what}")
        return None
    if style == "json" and "default" in spec:
        ctx.error(
            (*path, "default"),
            "a json parameter cannot have a default",
            key=True,
            hint="say what the server assumes with server_default",
        )
    elif isinstance(type_, ir.ListType) and "default" in spec:
        ctx.error(
            (*path, "default"),
            "a list parameter cannot have a default (one list would serve every call)",
            key=True,
        )
    elif ir.is_query_object(type_) and "default" in spec:
        ctx.error(
            (*path, "default"),
            "an object parameter cannot have a default (one object would serve every "
            "call)",
            key=True,
            hint="say what the server assumes with server_default",
        )
    if location == "path":
        for flag in ("required", "nullable"):
            if flag in spec and spec[flag] is (flag == "nullable"):
                ctx.error(
                    (*path, flag),
                    f"a path parameter is always required and never null; drop '{flag}'",
                    key=True,
                )
    field = ir.Field(
        wire_name=wire,
        python_name=python,
        type=type_,
        required=location == "path" or spec.get("required", False),
        nullable=location != "path" and spec.get("nullable", False),
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
    )
    check_field(ctx, field, path)
    return ir.Parameter(location, field, style)


def _check_joined(
    ctx: Context,
    style: str,
    type_: ir.TypeExpr,
    location: str,
    models: dict[str, ir.Model],
    path: Path_,
) -> bool:
    """``comma`` joins a list of text, or an object's keys and values, into one query
    pair; ``deep_object`` sends an object's entries as ``name[key]=value``."""
    if location != "query":
        ctx.error((*path, "style"), f"style {style} is for query parameters", key=True)
        return False
    if isinstance(type_, ir.DictType) and not ir.is_text(type_.value, lists=False):
        ctx.error(
            (*path, "type"),
            f"style {style} sends a dict's values as text, so they are str, int, "
            "float, bool or an enum (not any: a nested value has no spelling there)",
        )
        return False
    if ir.is_query_object(type_):
        return _check_query_object(ctx, type_, models, (*path, "type"))
    if style == "comma" and isinstance(type_, ir.ListType) and ir.is_text(type_):
        return True
    what = "a list of text or an object" if style == "comma" else "an object"
    ctx.error(
        (*path, "type"),
        f"style {style} is for {what} (a dict[str, T] or a model whose fields are "
        "text)",
    )
    return False


def _check_json(ctx: Context, type_: ir.TypeExpr, location: str, path: Path_) -> bool:
    """A json parameter goes in the query or a header as the JSON text of a value
    that is JSON as it is (see ``ir.is_plain_json``), or of a model."""
    if location == "path":
        ctx.error(
            (*path, "style"),
            "a path parameter is one segment of text; style json is for query and "
            "header parameters",
            key=True,
        )
        return False
    model = isinstance(type_, ir.NamedType) and type_.kind == "model"
    if model or ir.is_plain_json(type_):
        return True
    ctx.error(
        (*path, "type"),
        "a json parameter is str, int, float, bool, any or uuid, a list or dict of "
        "those, or a model",
    )
    return False


def _check_query_object(
    ctx: Context, type_: ir.TypeExpr, models: dict[str, ir.Model], path: Path_
) -> bool:
    """An object in the query is sent exploded, one ``key=value`` pair per entry (or
    per field of a model), so its values must be text: scalars and enums (a dict's may
    also be ``any``, sent as the official SDK spells a value)."""
    if isinstance(type_, ir.DictType):
        value = type_.value
        if value == ir.PrimitiveType("any") or ir.is_text(value, lists=False):
            return True
        ctx.error(
            path,
            "a dict in the query is sent one key=value pair per entry; its values are "
            "str, int, float, bool, an enum or any",
        )
        return False
    assert isinstance(type_, ir.NamedType)
    model = models.get(type_.name)
    if model is None:  # damaged: reported where it is defined
        return True
    for field in model.fields:
        if not ir.is_text(field.type, lists=False):
            ctx.error(
                path,
                f"the model '{model.name}' is sent in the query one key=value pair per "
                f"field, so its fields are str, int, float, bool or an enum, and "
                f"'{field.wire_name}' is not",
            )
            return False
    return True


def _check_text_union(ctx: Context, name: str, location: str, path: Path_) -> bool:
    """A union parameter is sent as the value it holds: each variant is a scalar or an
    enum (in the query also a list of those, sent once per item)."""
    variants = ctx.union_variants.get(name)
    if variants is None:  # damaged: reported where it is defined
        return True
    lists = location == "query"
    if all(ir.is_text(v, lists=lists) for v in variants):
        return True
    what = "str, int, float, bool or enums"
    if lists:
        what += ", or lists of those"
    ctx.error(
        path,
        f"the union '{name}' is a {location} parameter, so its variants are {what}",
    )
    return False


def _python_name(
    ctx: Context, wire: str, spec: dict[str, Any], path: Path_, used: set[str]
) -> str:
    chosen = spec.get("python_name")
    if chosen is None:
        name = naming.python_attribute(wire)
    else:
        name = str(chosen)
        if naming.python_attribute(name) != name:
            ctx.error(
                (*path, "python_name"),
                f"python_name '{name}' is a Python keyword or a name the generated "
                "code uses",
                hint=f"use '{name}_'",
            )
    if name in used:
        ctx.error(
            path,
            f"the parameter '{wire}' has the same keyword argument '{name}' as another "
            "parameter",
            key=True,
            hint="give one of them a python_name",
        )
    used.add(name)
    return name


def check_route(
    ctx: Context,
    verb: str,
    route: str,
    parameters: tuple[ir.Parameter, ...],
    request: ir.Model | None,
    spec: dict[str, Any],
    path: Path_,
) -> None:
    """Placeholders and path parameters match one to one; no body where the method has
    none; no parameter shares a keyword argument with a body field."""
    declared = {p.field.wire_name for p in parameters if p.location == "path"}
    # Parameters left out as broken are not missing: their placeholders pass.
    known = set(spec.get("params", {}))
    http = spec["http"]
    seen: set[str] = set()
    for match in PLACEHOLDER.finditer(route):
        name = match.group(1)
        offset = len(verb) + 1 + match.start()
        if name in seen:
            ctx.error_at(
                position_in(ctx, (*path, "http"), http, offset),
                f"the path names '{{{name}}}' twice",
            )
        elif name not in known:
            ctx.error_at(
                position_in(ctx, (*path, "http"), http, offset),
                f"the path placeholder '{{{name}}}' has no path parameter",
                hint=f"declare it under params: {name}: {{in: path, type: str}}",
            )
        elif spec["params"][name].get("in") != "path":
            ctx.error_at(
                position_in(ctx, (*path, "http"), http, offset),
                f"the path placeholder '{{{name}}}' names a "
                f"{spec['params'][name].get('in')} parameter",
                hint="set its 'in' to path",
            )
        seen.add(name)
    for name in sorted(declared - seen):
        ctx.error(
            (*path, "params", name),
            f"the path parameter '{name}' does not appear in the path '{route}'",
            key=True,
            hint=f"add {{{name}}} to the path, or set its 'in' to query or header",
        )
    if request is not None and verb in ir.BODILESS_METHODS:
        ctx.error(
            (*path, "request"),
            f"a {verb} request has no body; send these values as query parameters",
            key=True,
        )
    fields = {f.python_name: f for f in (request.fields if request else ())}
    for parameter in parameters:
        name = parameter.field.python_name
        if name in fields:
            ctx.error(
                (*path, "params", parameter.field.wire_name),
                f"the parameter '{parameter.field.wire_name}' and the body field "
                f"'{fields[name].wire_name}' of '{request.name if request else ''}' "
                f"would both be the keyword argument '{name}'",
                key=True,
                hint="give the parameter a python_name",
            )
