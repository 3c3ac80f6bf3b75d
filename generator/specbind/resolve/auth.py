"""The spec's ``auth``: how the client sends the API key."""

from __future__ import annotations

from typing import Any

from .. import ir
from ..parse.load import Path_
from .context import Context

# The headers the client (or httpx under it) writes itself: a key there would
# replace one of them, or be replaced.
CLIENT_HEADERS = (
    "Accept",
    "Accept-Encoding",
    "Connection",
    "Content-Type",
    "Content-Length",
    "Host",
    "Idempotency-Key",
    "Transfer-Encoding",
    "User-Agent",
)


def build_auth(ctx: Context) -> ir.Auth | None:
    """The spec's one auth scheme, or None (no key sent, or a broken ``auth``)."""
    auth: dict[str, Any] = ctx.top("auth", {})
    if any(path[:1] == ("auth",) for path in ctx.broken):
        return None
    if "bearer" in auth:
        return ir.Auth("bearer", auth["bearer"]["env"])
    if "api_key" not in auth:
        return None
    spec = auth["api_key"]
    header = spec["header"]
    taken = next((h for h in CLIENT_HEADERS if h.lower() == header.lower()), None)
    if taken is not None:
        ctx.error(
            ("auth", "api_key", "header"),
            f"the client writes the {taken} header itself; the API key needs a "
            "header of its own",
            hint="such as X-API-Key",
        )
        return None
    return ir.Auth("api_key", spec["env"], header)


def check_header_parameter(ctx: Context, wire: str, path: Path_) -> None:
    """A header parameter cannot be the header that carries the API key."""
    auth = ctx.auth
    if auth is not None and wire.lower() == auth.header.lower():
        where = "auth.api_key.header" if auth.scheme == "api_key" else "auth.bearer"
        ctx.error(
            path,
            f"the header parameter '{wire}' is the header the API key travels in "
            f"({where}); drop it, the client sends the key",
            key=True,
        )
