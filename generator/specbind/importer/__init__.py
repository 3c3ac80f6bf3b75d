"""``specbind import``: an OpenAPI 3.0/3.1 document -> a spec in specbind's language.

The steps: load the document (:mod:`.document`: YAML or JSON, validated, repaired,
overlaid); reserve every component's name, then walk the operations in document
order (:mod:`.operations`), making each schema they reach a model, union or enum on
first reach (:mod:`.schemas`, :mod:`.models`, :mod:`.fields`) under the name
Speakeasy gives it (:mod:`.names`); the components no operation reaches come last.
:mod:`.emit` writes the result as YAML. The spec is then loaded like any other.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from ..diagnostics import Diagnostic
from .context import Context, Located, SpecPath
from .document import Where
from .emit import spec_yaml
from .names import snake_case
from .operations import Operations
from .schemas import Schemas
from .security import import_auth
from .sources import source_map

_SECTIONS = ("models", "unions", "enums")


@attrs.frozen
class Imported:
    text: str
    errors: list[Diagnostic]
    warnings: list[Diagnostic]
    # Where each place of the spec comes from in the document (:mod:`.sources`).
    places: dict[SpecPath, Where] = attrs.Factory(dict)


def import_document(
    doc: Located, package: str, *, skip_unsupported: bool = False, source: str = ""
) -> Imported:
    """The spec text of ``doc``, with every problem found on the way."""
    ctx = Context(doc, skip_unsupported=skip_unsupported)
    schemas = Schemas(ctx)
    operations = Operations(ctx, schemas).build()
    schemas.visit_remaining()
    _check_discriminators(ctx)
    spec = _top(doc.data, package)
    auth = import_auth(ctx, package)
    if auth is not None:
        spec["auth"] = auth
    for section in _SECTIONS:
        entries = getattr(ctx, section)
        if entries:
            ordered = sorted(entries.items(), key=lambda item: item[1].order)
            spec[section] = {name: entry.spec for name, entry in ordered}
    if operations:
        spec["operations"] = operations
    text = spec_yaml(spec, source or doc.file)
    return Imported(text, ctx.errors, ctx.warnings, source_map(ctx))


def package_name(stem: str) -> str:
    name = snake_case(stem)
    return name if re.fullmatch(r"[a-z_][a-z0-9_]*", name) else f"api_{name}"


def _top(data: dict[str, Any], package: str) -> dict[str, Any]:
    spec: dict[str, Any] = {"specbind": 1, "package": package}
    info: dict[str, Any] = data["info"] if isinstance(data.get("info"), dict) else {}
    if isinstance(info.get("title"), str):
        spec["title"] = info["title"]
    if isinstance(info.get("description"), str) and info["description"]:
        spec["doc"] = info["description"]
    servers = data.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], dict):
        url = _server_url(servers[0])
        if url.startswith(("http://", "https://")):
            spec["server"] = url
    return spec


def _server_url(server: dict[str, Any]) -> str:
    url = str(server.get("url", ""))
    variables = server.get("variables") or {}
    for name, variable in variables.items():
        if isinstance(variable, dict) and "default" in variable:
            url = url.replace(f"{{{name}}}", str(variable["default"]))
    return url.rstrip("/")


def _check_discriminators(ctx: Context) -> None:
    """A tagged union needs every variant to be a model whose tag field is a
    one-value enum; else it is imported untagged (the variants tried in order)."""
    for name, entry in ctx.unions.items():
        tag = entry.spec.get("discriminator")
        if tag is None:
            continue
        for variant in entry.spec["variants"]:
            model = ctx.models.get(variant)
            field = _field(ctx, variant, tag) if model else None
            enum = ctx.enums.get(field["type"]) if field else None
            if enum is None or len(enum.spec["values"]) != 1:
                del entry.spec["discriminator"]
                ctx.warn(
                    entry.pointer,
                    f"union '{name}': variant '{variant}' has no one-value '{tag}' "
                    "field, so the union is imported without its discriminator",
                )
                break


def _field(ctx: Context, model: str, wire: str) -> dict[str, Any] | None:
    spec = ctx.models[model].spec
    field = spec.get("fields", {}).get(wire)
    if field is None and "is" in spec:
        return _field(ctx, spec["is"], wire)
    return field if isinstance(field, dict) else None
