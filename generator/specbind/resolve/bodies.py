"""Request bodies: how a method's model is encoded (``body:``), and where ``bytes`` may be.

A ``bytes`` field is a file part, so it may only be a top-level field of a model sent
as a ``multipart`` body. The fields of a form body, and the other fields of a multipart
body, are text on the wire: scalars, or lists of scalars.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import ir, naming
from ..parse.load import Path_
from .context import Context

BYTES = ir.PrimitiveType("bytes")
_WHERE = {
    "json": "a JSON body",
    "form": "a form body",
    "response": "a response model",
    "error": "an error model",
    "event": "a stream event",
    "field": "a model nested in another",
}


def body_kind(ctx: Context, spec: dict[str, Any], path: Path_) -> ir.BodyKind:
    """The method's ``body:`` (``json`` when left out); reported without ``request:``."""
    kind: ir.BodyKind = spec.get("body", "json")
    if "body" in spec and "request" not in spec:
        ctx.error(
            (*path, "body"),
            f"'body: {kind}' says how the request's model is sent, but the method has "
            "no request",
            key=True,
            hint="add request: <the body's model>, or drop body",
        )
    return kind


def check_bodies(
    ctx: Context,
    models: dict[str, ir.Model],
    unions: tuple[ir.Union, ...],
    groups: tuple[ir.Group, ...],
) -> None:
    """File parts only in multipart bodies; text-only fields in form and multipart ones."""
    uses = _uses(models, unions, groups)
    for model in models.values():
        for field in model.fields:
            if _holds_bytes(ctx, field.type, unions):
                _check_file_part(ctx, model, field, uses.get(model.name, []))
    for kind, model in _bodies(groups):
        if kind == "json":
            continue
        for field in model.fields:
            if _holds_bytes(ctx, field.type, unions):
                continue  # a file part: reported above where it is wrong
            if not ir.is_text(field.type):
                ctx.error(
                    _field_path(ctx, model.name, field.wire_name),
                    f"a {kind} body's field is sent as text: a str, int, float, bool, "
                    f"datetime, date, uuid or enum, or a list of those "
                    f"('{model.name}' is the {kind} body of a method)",
                    hint="send a structured value in a JSON body",
                )
    if any(f.type == BYTES for m in models.values() for f in m.fields):
        _check_file_page(ctx)
    for union in unions:
        if union.name in _declared_unions(ctx) and any(
            ir.innermost(v) == BYTES for v in union.variants
        ):
            ctx.error(
                ("unions", union.name, "variants"),
                "bytes is a file part, a field of a multipart body; it cannot be a "
                "union variant",
            )


def _check_file_part(
    ctx: Context, model: ir.Model, field: ir.Field, uses: list[str]
) -> None:
    path = _field_path(ctx, model.name, field.wire_name)
    if field.type != BYTES:
        ctx.error(
            path,
            "bytes is a file part: a field of a multipart body is bytes itself, not a "
            "list, dict or union of it",
        )
        return
    wrong = [use for use in uses if use != "multipart"]
    if wrong:
        ctx.error(
            path,
            f"file part in {_WHERE[wrong[0]]}: '{model.name}' is used as "
            f"{_WHERE[wrong[0]]}, and bytes is allowed only in a multipart body",
            hint="send the model with body: multipart, or give the field another type",
        )
    elif not uses:
        ctx.error(
            path,
            f"file part in a model that is no multipart body: bytes is allowed only in "
            f"a model sent with body: multipart, and '{model.name}' is none",
        )


def _check_file_page(ctx: Context) -> None:
    """The docs link every file part to the SDK's ``file.md``: no type may take it."""
    sections = {"model": "models", "union": "unions", "enum": "enums"}
    for name, kind in ctx.kinds.items():
        if naming.doc_file(name) == "file.md" and name in ctx.data.get(
            sections[kind], {}
        ):
            ctx.error(
                (sections[kind], name),
                f"'{name}' would share the docs page file.md with the page of file parts "
                "(bytes fields link to it); choose another name",
                key=True,
            )


def _uses(
    models: dict[str, ir.Model],
    unions: tuple[ir.Union, ...],
    groups: tuple[ir.Group, ...],
) -> dict[str, list[str]]:
    """How each model is used: as a body (its kind), a response, error, event or field.

    A model is used where a type names it, directly or as a variant of a union (so a
    union response or field uses each of its variants); every status of a method's
    ``responses:`` counts, not only a lone response.
    """
    by_name = {union.name: union for union in unions}
    uses: dict[str, list[str]] = {}

    def use(type_: ir.TypeExpr | None, how: str) -> None:
        for name in _models_in(type_, by_name):
            uses.setdefault(name, []).append(how)

    for kind, model in _bodies(groups):
        uses.setdefault(model.name, []).append(kind)
    for group in groups:
        for method in group.methods:
            for response in method.responses:
                use(response.type, "response")
            for _, error in method.errors:
                uses.setdefault(error.name, []).append("error")
            if method.stream is not None:
                uses.setdefault(method.stream.event.name, []).append("event")
    for model in models.values():
        for field in model.fields:
            use(field.type, "field")
    return uses


def _models_in(type_: ir.TypeExpr | None, unions: dict[str, ir.Union]) -> Iterator[str]:
    """The models a type names, through lists, dicts and (nested) union variants."""
    pending = [type_] if type_ is not None else []
    seen: set[str] = set()
    while pending:
        inner = ir.innermost(pending.pop())
        if not isinstance(inner, ir.NamedType) or inner.name in seen:
            continue
        seen.add(inner.name)
        if inner.kind == "model":
            yield inner.name
        elif inner.kind == "union" and inner.name in unions:
            pending.extend(unions[inner.name].variants)


def _bodies(groups: tuple[ir.Group, ...]) -> list[tuple[str, ir.Model]]:
    return [
        (method.body, method.request)
        for group in groups
        for method in group.methods
        if method.request is not None and method.body is not None
    ]


def _holds_bytes(
    ctx: Context, type_: ir.TypeExpr, unions: tuple[ir.Union, ...]
) -> bool:
    inner = ir.innermost(type_)
    if inner == BYTES:
        return True
    if (
        isinstance(inner, ir.NamedType)
        and inner.kind == "union"
        and inner.name not in _declared_unions(ctx)
    ):
        union = next((u for u in unions if u.name == inner.name), None)
        return union is not None and any(
            ir.innermost(v) == BYTES for v in union.variants
        )
    return False


def _declared_unions(ctx: Context) -> dict[str, Any]:
    """The ``unions:`` section (inline unions are reported at their field)."""
    unions: dict[str, Any] = ctx.top("unions", {}) or {}
    return unions


def _field_path(ctx: Context, model: str, wire: str) -> Path_:
    """Where the field's type is written: in the model, or in the model it derives from."""
    seen: set[str] = set()
    name: Any = model
    while isinstance(name, str) and name not in seen:
        seen.add(name)
        spec = ctx.data.get("models", {}).get(name) or {}
        if wire in (spec.get("fields") or {}):
            return ("models", name, "fields", wire, "type")
        name = spec.get("is")
    return ("models", model)
