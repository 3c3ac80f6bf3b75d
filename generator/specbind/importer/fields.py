"""One property (or parameter) -> the spec's field keys, in the spec's key order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .names import class_name

if TYPE_CHECKING:
    from .schemas import Naming, Schemas, Typed

# The order of a field's keys in the written spec (the README's).
KEY_ORDER = (
    "in", "type", "required", "nullable", "default", "server_default", "const", "example",
    "doc", "minimum", "maximum", "exclusive_minimum", "exclusive_maximum", "multiple_of",
    "min_length", "max_length", "pattern", "min_items", "max_items", "python_name",
)  # fmt: skip


def property_naming(parent: str, prop: str, schema: Any) -> Naming:
    """The names an inline type of property ``prop`` of ``parent`` may take after its
    own title: the property's name, then ``<Parent><Prop>`` (``FIMCompletionRequestStop``).
    Inside a list the type has no title of its own (``ValidationError.loc``: ``Loc``)."""
    from .models import python_name
    from .schemas import Naming

    # A renamed property names its types after the new name, before any title
    # (EmbeddingRequest's `input` as `inputs`: the union `Inputs`).
    renamed = python_name(prop, schema)
    prop = renamed or prop
    doc = schema.get("description", "") if isinstance(schema, dict) else ""
    return Naming(
        (class_name(prop), f"{parent}{class_name(prop)}"),
        doc if isinstance(doc, str) else "",
        titled=renamed is None,
    )


def field_spec(
    schemas: Schemas,
    parent: str,
    prop: str,
    schema: Any,
    pointer: str,
    required: bool,
    *,
    file_part: bool = False,
) -> dict[str, Any]:
    naming = property_naming(parent, prop, schema)
    typed = schemas.type_of(schema, pointer, naming, file_part=file_part)
    spec = typed_field(typed, required)
    if isinstance(schema, dict):
        described = schema
        if "$ref" in schema:  # a reference is described by what it points at
            described, _ = schemas.deref(schema, pointer)
        if isinstance(described.get("description"), str) and described["description"]:
            spec["doc"] = described["description"]
        from .models import python_name

        if (name := python_name(prop, schema)) is not None:
            spec["python_name"] = name
        for flag in ("readOnly", "writeOnly"):
            if schema.get(flag) is True:
                schemas.ctx.warn(
                    pointer,
                    f"'{flag}' has no spelling in a spec; '{prop}' of '{parent}' "
                    "is imported as an ordinary field",
                )
    return ordered(spec)


def typed_field(typed: Typed, required: bool) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": typed.type}
    if required:
        spec["required"] = True
    if typed.nullable:
        spec["nullable"] = True
    facets = dict(typed.facets)
    default = facets.pop("default", None)
    if default is not None:
        # Speakeasy sends the default of an optional, non-nullable field; for the others
        # the server's default is documentation (the field stays UNSET).
        key = "server_default" if required or typed.nullable else "default"
        spec[key] = default
    spec.update(facets)
    return spec


def ordered(spec: dict[str, Any]) -> dict[str, Any]:
    return {k: spec[k] for k in sorted(spec, key=_rank)}


def _rank(key: str) -> int:
    return KEY_ORDER.index(key) if key in KEY_ORDER else len(KEY_ORDER)
