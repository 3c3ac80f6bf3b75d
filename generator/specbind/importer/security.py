"""The document's security schemes -> the spec's ``auth``: an HTTP bearer scheme, or an
API key in a header. A spec has one auth; any further scheme is reported."""

from __future__ import annotations

import re
from typing import Any

from ..resolve.auth import CLIENT_HEADERS
from .context import Context, Unsupported, pointer_join
from .document import resolve

_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def is_bearer(scheme: dict[str, Any]) -> bool:
    return scheme.get("type") == "http" and (
        str(scheme.get("scheme", "")).lower() == "bearer"
    )


def key_header(scheme: dict[str, Any]) -> str | None:
    """The header of an ``apiKey`` scheme ``in: header`` that a spec can name: an HTTP
    header name the client does not write itself; else None."""
    if scheme.get("type") != "apiKey" or scheme.get("in") != "header":
        return None
    name = scheme.get("name")
    if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
        return None
    if name.lower() in (h.lower() for h in CLIENT_HEADERS):
        return None
    return name


def spec_auth(scheme: dict[str, Any], env: str) -> dict[str, Any] | None:
    """The spec's ``auth`` for one scheme, or None when a spec cannot say it."""
    if is_bearer(scheme):
        return {"bearer": {"env": env}}
    header = key_header(scheme)
    return None if header is None else {"api_key": {"header": header, "env": env}}


def import_auth(ctx: Context, package: str) -> dict[str, Any] | None:
    """The first scheme a spec can say, in document order; every other is reported
    (the ones no spec can say were reported, or skipped, by the pre-import scan)."""
    components = ctx.doc.data.get("components") or {}
    schemes = components.get("securitySchemes") or {}
    env = f"{package.upper()}_API_KEY"
    chosen: tuple[str, dict[str, Any]] | None = None
    for name in _by_preference(ctx.doc.data, schemes):
        _, scheme = resolve(ctx.doc, ("components", "securitySchemes", name))
        if not isinstance(scheme, dict):
            continue
        auth = spec_auth(scheme, env)
        if auth is not None and chosen is None:
            chosen = name, auth
            continue
        if auth is not None and chosen is not None and auth == chosen[1]:
            continue  # the same auth again (a $ref to it, say)
        if auth is not None and chosen is not None:
            message = (
                f"a spec has one auth, and it is security scheme '{chosen[0]}' "
                "(the first the document's top-level security names, else its first)"
            )
        else:
            message = _why_not(scheme)
        ctx.unsupported(
            Unsupported(pointer_join("#/components/securitySchemes", name), message),
            f"security scheme '{name}'",
        )
    return None if chosen is None else chosen[1]


def _by_preference(data: Any, schemes: Any) -> list[str]:
    """The schemes' names: those the top-level ``security`` requires first, in its
    order, then the others in document order."""
    named = []
    for requirement in data.get("security") or []:
        if isinstance(requirement, dict):
            named += [n for n in requirement if n in schemes and n not in named]
    return named + [n for n in schemes if n not in named]


def _why_not(scheme: dict[str, Any]) -> str:
    kind = scheme.get("type")
    if kind == "apiKey" and scheme.get("in") == "header":
        return (
            f"the API key's header {scheme.get('name')!r} is no header a spec can "
            "name (an HTTP header name the client does not write itself)"
        )
    detail = f" in {scheme.get('in')}" if kind == "apiKey" else ""
    return (
        f"security scheme of type '{kind}'{detail} cannot be imported (a spec's auth "
        "is a bearer token or an API key in a header)"
    )
