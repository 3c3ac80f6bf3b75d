"""Operation groups and their methods: HTTP routes over the models already built."""

from __future__ import annotations

import keyword
from typing import Any

from .. import ir, naming
from ..diagnostics import did_you_mean
from ..parse.load import Path_
from .bodies import body_kind
from .context import Context
from .parameters import build_parameters, check_route
from .responses import build_responses, check_error_statuses

# The names client.py defines or imports beside the group classes.
_CLIENT_MODULE_NAMES = frozenset(
    {
        "Any",
        "AsyncBase",
        "AsyncClient",
        "AsyncStream",
        "Client",
        "ErrorParser",
        "Mapping",
        "Stream",
        "SyncBase",
        "Timeout",
    }
)
# What a group's class holds besides its methods and sub-groups.
_GROUP_ATTRIBUTES = frozenset({"_client"})


def build_groups(ctx: Context, models: dict[str, ir.Model]) -> tuple[ir.Group, ...]:
    """The operation groups, sub-groups inside their parents."""
    classes: dict[str, str] = {}  # a group class name -> the dotted group that has it
    return tuple(
        build_group(ctx, name, spec, models, ("operations", name), (), classes)
        for name, spec in ctx.entries("operations")
    )


def build_group(
    ctx: Context,
    name: str,
    spec: dict[str, Any],
    models: dict[str, ir.Model],
    path: Path_,
    parents: tuple[str, ...],
    classes: dict[str, str],
) -> ir.Group:
    _check_python_name(ctx, name, path, "an operation group")
    dotted = ".".join((*parents, name))
    cls = naming.group_class(dotted)
    if cls in naming.AMBIGUOUS:
        subject = f"the group's class name '{cls}'"
        ctx.error(path, naming.ambiguous_message(name, subject), key=True)
    if not parents and name in naming.client_attributes():
        ctx.error(
            path,
            f"'{name}' would hide the client's own '{name}'; choose another group name",
            key=True,
        )
    if parents and name in _GROUP_ATTRIBUTES:
        ctx.error(
            path,
            f"'{name}' would hide the group class's own '{name}'; choose another "
            "group name",
            key=True,
        )
    methods_spec: dict[str, Any] = spec.get("methods", {})
    for kind in (cls, f"Async{cls}"):
        if kind in ctx.kinds:
            ctx.error(
                path,
                f"the group's client class '{kind}' would clash with the "
                f"{ctx.kinds[kind]} '{kind}'",
                key=True,
            )
        elif kind in _CLIENT_MODULE_NAMES:
            ctx.error(
                path,
                f"the group's client class '{kind}' would clash with the client "
                f"module's own '{kind}'; choose another group name",
                key=True,
            )
    if cls in classes:
        ctx.error(
            path,
            f"the group '{dotted}' would have the client class '{cls}' of the group "
            f"'{classes[cls]}'; rename one of them",
            key=True,
        )
    else:
        classes[cls] = dotted
    methods = []
    for method_name, method_spec in methods_spec.items():
        method_path = (*path, "methods", method_name)
        if method_path in ctx.broken:
            continue
        method = _build_method(ctx, method_name, method_spec, method_path, models)
        if method is not None:
            methods.append(method)
    groups = []
    for sub_name, sub_spec in spec.get("groups", {}).items():
        sub_path = (*path, "groups", sub_name)
        if sub_path in ctx.broken:
            continue
        if sub_name in methods_spec:
            ctx.error(
                sub_path,
                f"the sub-group '{sub_name}' and the method '{sub_name}' of the group "
                f"'{dotted}' would both be '{dotted}.{sub_name}'; rename one of them",
                key=True,
            )
        groups.append(
            build_group(
                ctx, sub_name, sub_spec, models, sub_path, (*parents, name), classes
            )
        )
    return ir.Group(
        name, tuple(methods), spec.get("doc", ""), tuple(groups), parents=parents
    )


def _build_method(
    ctx: Context,
    name: str,
    spec: dict[str, Any],
    path: Path_,
    models: dict[str, ir.Model],
) -> ir.Method | None:
    """The method, or ``None`` when its request model is unusable."""
    _check_python_name(ctx, name, path, "a method")
    if name in naming.AMBIGUOUS:
        ctx.error(path, naming.ambiguous_message(name), key=True)
    if name == "builtins":  # the class spells hidden builtins as builtins.list
        ctx.error(
            path, "'builtins' cannot name a method; choose another name", key=True
        )
    if name in ctx.kinds:  # the fixed names the class uses are not lowercase
        ctx.error(
            path,
            f"a method '{name}' would hide the {ctx.kinds[name]} '{name}' in the annotations and "
            "defaults of its group's class; choose another method name",
            key=True,
        )
    verb, route = spec["http"].split(" ", 1)
    request = None
    if "request" in spec:
        request = _model_ref(ctx, models, (*path, "request"), spec["request"])
    body = body_kind(ctx, spec, path)
    parameters = build_parameters(ctx, spec, path, models)
    check_route(ctx, verb, route, parameters, request, spec, path)
    responses = build_responses(ctx, spec, path, models)
    stream = None
    if "stream" in spec:
        stream = _build_stream(ctx, spec["stream"], (*path, "stream"), models)
    errors = tuple(
        (int(code), model)
        for code, target in spec.get("errors", {}).items()
        if (model := _model_ref(ctx, models, (*path, "errors", code), target))
    )
    for status, model in errors:
        known = ctx.error_models.setdefault(status, model.name)
        if known != model.name:
            ctx.error(
                (*path, "errors", str(status)),
                f"status {status} already maps to '{known}' in another method; "
                "the client has one error class per status",
            )
    check_error_statuses(ctx, responses or (), errors, path)
    if (request is None and "request" in spec) or responses is None:
        return None
    request_name = spec.get("request_name", "")
    if request_name in ctx.kinds:
        ctx.error(
            (*path, "request_name"),
            f"the request page '{request_name}' would replace the page of the "
            f"{ctx.kinds[request_name]} '{request_name}'; choose another name",
        )
    return ir.Method(
        name,
        verb,
        route,
        request,
        responses,
        stream,
        errors,
        spec.get("summary", ""),
        spec.get("doc", ""),
        parameters,
        body if request is not None else None,
        request_name=request_name,
    )


def _build_stream(
    ctx: Context, spec: dict[str, Any], path: Path_, models: dict[str, ir.Model]
) -> ir.Stream | None:
    event = _model_ref(ctx, models, (*path, "event"), spec["event"])
    if event is None:
        return None
    data = event.field("data")
    if data is None:
        if event.name not in ctx.damaged:
            ctx.error(
                (*path, "event"),
                f"the stream event model '{event.name}' needs a 'data' field",
            )
        return None
    return ir.Stream(event, data.type, spec.get("terminator"))


def _model_ref(
    ctx: Context, models: dict[str, ir.Model], path: Path_, value: str
) -> ir.Model | None:
    """The model named at ``path``; ``None`` (reported, unless broken) when it is none."""
    if value in models:
        return models[value]
    kind = ctx.kinds.get(value)
    if kind == "model":  # declared but broken, and reported as such
        return None
    if kind is not None:
        ctx.error(
            path,
            f"'{value}' is {'an' if kind == 'enum' else 'a'} {kind}, not a model",
        )
        return None
    ctx.error(path, f"'{value}' is not a model", hint=did_you_mean(value, models))
    return None


def _check_python_name(ctx: Context, name: str, path: Path_, what: str) -> None:
    """Group and method names become Python attributes and ``def`` names."""
    if keyword.iskeyword(name):
        ctx.error(
            path,
            f"'{name}' is a Python keyword and cannot name {what}",
            key=True,
            hint=f"use '{name}_'",
        )
    elif name.startswith("__"):
        ctx.error(
            path,
            f"'{name}' cannot name {what}: Python reserves names starting with '__'",
            key=True,
        )
