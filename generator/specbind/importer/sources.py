"""The imported spec's source map: each place of the spec (a model, field, variant,
enum value, method, parameter, response) -> where the document says it.

A differ comparing an OpenAPI side reports these places, not the lines of the spec
text it imported in memory. A place added by an overlay stands in the overlay.
"""

from __future__ import annotations

from .context import Context, SpecPath, pointer_join
from .document import Where, pointer_parts

_SECTIONS = ("models", "unions", "enums")
# Top-level keys of the spec -> the document's pointer they come from.
_TOP = {
    (): "",
    ("title",): "#/info/title",
    ("doc",): "#/info/description",
    ("server",): "#/servers/0/url",
    ("auth",): "#/components/securitySchemes",
}


def source_map(ctx: Context) -> dict[SpecPath, Where]:
    pointers: dict[SpecPath, str] = {path: p for path, p in _TOP.items()}
    for section in _SECTIONS:
        for name, entry in getattr(ctx, section).items():
            pointers[(section, name)] = entry.pointer
    for name, entry in ctx.enums.items():
        for member, at in _enum_values(ctx, entry.pointer, entry.spec["values"]):
            pointers[("enums", name, "values", member)] = at
    pointers.update(ctx.sources)
    doc = ctx.doc
    return {
        path: doc.locate(pointer_parts(at, doc.data), key=True)
        for path, at in pointers.items()
    }


def _enum_values(
    ctx: Context, pointer: str, values: dict[str, object]
) -> list[tuple[str, str]]:
    """Each member and the pointer of its value in the schema's ``enum`` list."""
    schema = ctx.doc.data
    for part in pointer_parts(pointer, ctx.doc.data):
        schema = schema.get(part) if isinstance(schema, dict) else None
    listed = schema.get("enum") if isinstance(schema, dict) else None
    if not isinstance(listed, list):
        return []
    return [
        (member, pointer_join(pointer, "enum", listed.index(value)))
        for member, value in values.items()
        if value in listed
    ]
