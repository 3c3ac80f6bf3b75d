"""What a method's success statuses answer: ``response:`` or ``responses:``."""

from __future__ import annotations

from typing import Any

from .. import ir
from ..diagnostics import did_you_mean
from ..parse.load import Path_
from .context import Context


def build_responses(
    ctx: Context, spec: dict[str, Any], path: Path_, models: dict[str, ir.Model]
) -> tuple[ir.Response, ...] | None:
    """The responses by status (``()`` for a stream); ``None`` when one names a type
    that cannot answer (reported, unless it is broken)."""
    if "response" in spec:
        entries = [(200, (*path, "response"), spec["response"], False)]
    else:
        entries = [
            (int(code), (*path, "responses", code), target, True)
            for code, target in spec.get("responses", {}).items()
        ]
    responses = []
    usable = True
    for status, at, target, keyed in entries:
        if keyed and not 200 <= status <= 299:
            ctx.error(
                at,
                f"a success status is 2xx, and {status} is not; list it under 'errors'",
                key=True,
            )
        response = _response(ctx, models, at, status, target)
        if response is None:
            usable = False
        else:
            responses.append(response)
    if not usable:
        return None
    return tuple(sorted(responses, key=lambda r: r.status))


def check_error_statuses(
    ctx: Context,
    responses: tuple[ir.Response, ...],
    errors: tuple[tuple[int, ir.Model], ...],
    path: Path_,
) -> None:
    """A status is a success or an error of a method, not both."""
    success = {r.status for r in responses}
    for status, _ in errors:
        if status in success:
            ctx.error(
                (*path, "errors", str(status)),
                f"status {status} is a success of this method (see its response) and an "
                "error too; keep one",
                key=True,
            )


def _response(
    ctx: Context, models: dict[str, ir.Model], path: Path_, status: int, target: str
) -> ir.Response | None:
    if target in ir.RESPONSE_WORDS:
        return ir.Response(status, ir.RESPONSE_WORDS[target])
    if target in models:
        return ir.Response(
            status, "json", ir.NamedType(target, "model"), models[target]
        )
    kind = ctx.kinds.get(target)
    if kind == "union":
        return ir.Response(status, "json", ir.NamedType(target, "union"))
    if kind == "model":  # declared but broken, and reported as such
        return None
    if kind == "enum":
        ctx.error(path, f"'{target}' is an enum, not a model or a union")
        return None
    names = [*models, *(n for n, k in ctx.kinds.items() if k == "union")]
    ctx.error(
        path,
        f"'{target}' is not a model or a union (nor binary or empty)",
        hint=did_you_mean(target, names),
    )
    return None
