"""The spec's types as one JSON Schema (draft 2020-12), for its renderer and the styles.

Pure Python and no templates: a JSON document is built as dicts in a fixed key order and
dumped once. Every model, union and enum is a ``$defs`` entry, properties are wire names
in table order, and the three states are spelled the JSON Schema way: a key missing from
``required`` may be absent, ``null`` in the type (or an ``anyOf`` branch) may be null.
"""

from __future__ import annotations

import json
from typing import Any

from ... import ir

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_JSON_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}
_FORMATS = {"datetime": "date-time", "date": "date", "uuid": "uuid"}


def schema_path(api: ir.Api) -> str:
    return f"schema/{api.package}.schema.json"


def schema_text(api: ir.Api, *, parameters: bool = False) -> str:
    document = build_schema(api, parameters=parameters)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def build_schema(api: ir.Api, *, parameters: bool = False) -> dict[str, Any]:
    """The whole document; ``$defs`` sorted by name so a spec's reordering is a small diff.

    With ``parameters``, each method with parameters adds the object of its keyword
    arguments outside the body, under its dotted name (``fine_tuning.jobs.list``: no type
    name has a dot). The styles are built without them: they are no types of the API.
    """
    defs: dict[str, dict[str, Any]] = {}
    for model in api.models:
        defs[model.name] = model_schema(model)
    for union in api.unions:
        defs[union.name] = union_schema(union, api)
    for enum in api.enums:
        defs[enum.name] = enum_schema(enum)
    if parameters:
        for group in api.every_group():
            for method in group.methods:
                if method.parameters:
                    defs[f"{group.dotted}.{method.name}"] = parameters_schema(method)
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": f"urn:specbind:{api.package}",
        "title": api.title or api.package,
    }
    if api.doc:
        schema["description"] = api.doc
    schema["$defs"] = {name: defs[name] for name in sorted(defs)}
    return schema


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def type_schema(type_: ir.TypeExpr) -> dict[str, Any]:
    if isinstance(type_, ir.PrimitiveType):
        if type_.name == "bytes":  # a file part: raw bytes, as OpenAPI spells them too
            return {
                "type": "string",
                "format": "binary",
                "contentMediaType": "application/octet-stream",
            }
        if type_.name in _FORMATS:
            return {"type": "string", "format": _FORMATS[type_.name]}
        return {} if type_.name == "any" else {"type": _JSON_TYPES[type_.name]}
    if isinstance(type_, ir.ListType):
        return {"type": "array", "items": type_schema(type_.item)}
    if isinstance(type_, ir.DictType):
        return {"type": "object", "additionalProperties": type_schema(type_.value)}
    return ref(type_.name)


def field_schema(field: ir.Field) -> dict[str, Any]:
    """A property: its type, null where nullable, then constraints and annotations."""
    schema = type_schema(field.type)
    if field.nullable:
        if "type" in schema:
            schema["type"] = [schema["type"], "null"]
        elif schema:  # a $ref: null is a second branch
            schema = {"anyOf": [schema, {"type": "null"}]}
        # `any` already admits null
    min_length, max_length = (
        ("minItems", "maxItems")
        if isinstance(field.type, ir.ListType)
        else ("minLength", "maxLength")
    )
    for keyword, bound in (
        ("minimum", field.minimum),
        ("maximum", field.maximum),
        ("exclusiveMinimum", field.exclusive_minimum),
        ("exclusiveMaximum", field.exclusive_maximum),
        ("multipleOf", field.multiple_of),
        (min_length, field.min_length),
        (max_length, field.max_length),
        ("minItems", field.min_items),
        ("maxItems", field.max_items),
        ("pattern", field.pattern),
    ):
        if bound is not None:
            schema[keyword] = bound
    if field.has_const:  # null stays a value of a nullable field
        schema.update(
            {"enum": [field.const, None]} if field.nullable else {"const": field.const}
        )
    if field.doc:
        schema["description"] = field.doc
    default = field.default if field.has_default else field.server_default
    if default is not ir.NO_VALUE:
        schema["default"] = default
    if field.example is not ir.NO_VALUE:
        schema["examples"] = [field.example]
    return schema


def model_schema(model: ir.Model) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object"}
    if model.doc:
        schema["description"] = model.doc
    schema["properties"] = {f.wire_name: field_schema(f) for f in model.fields}
    required = [f.wire_name for f in model.fields if f.required]
    if required:
        schema["required"] = required
    if model.forbid_unknown:
        schema["additionalProperties"] = False
    return schema


def parameters_schema(method: ir.Method) -> dict[str, Any]:
    """A method's path, query and header parameters as one object: a property per
    parameter by wire name, each saying where it is sent in ``x-in``."""
    schema: dict[str, Any] = {
        "type": "object",
        "description": f"The parameters of {method.http_method} {method.path}.",
        "properties": {
            p.field.wire_name: {**field_schema(p.field), "x-in": p.location}
            for p in method.parameters
        },
    }
    required = [p.field.wire_name for p in method.parameters if p.field.required]
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    return schema


def union_schema(union: ir.Union, api: ir.Api) -> dict[str, Any]:
    """``anyOf`` (the bindings take the first variant that fits), or for a tagged union
    ``oneOf`` with the tag recorded as ``x-discriminator`` for tools that know it."""
    schema: dict[str, Any] = {}
    if union.doc:
        schema["description"] = union.doc
    variants = [type_schema(v) for v in union.variants]
    if union.discriminator is None:
        schema["anyOf"] = variants
        return schema
    schema["oneOf"] = variants
    schema["x-discriminator"] = {
        "propertyName": union.discriminator,
        "mapping": discriminator_mapping(union, api),
    }
    return schema


def discriminator_mapping(union: ir.Union, api: ir.Api) -> dict[str, str]:
    """Tag value -> variant ``$ref``: each variant's tag field is a one-value enum."""
    mapping: dict[str, str] = {}
    for variant in union.variants:
        assert isinstance(variant, ir.NamedType)
        model = api.model(variant.name)
        tag = next(f for f in model.fields if f.wire_name == union.discriminator)
        assert isinstance(tag.type, ir.NamedType)
        (member,) = api.enum(tag.type.name).members
        mapping[str(member.value)] = ref(variant.name)["$ref"]
    return mapping


def enum_schema(enum: ir.Enum) -> dict[str, Any]:
    """A closed enum lists its values; an open one also takes any value of its type."""
    json_type = _JSON_TYPES[enum.value_type]
    schema: dict[str, Any] = {}
    if enum.doc:
        schema["description"] = enum.doc
    known = {"type": json_type, "enum": [m.value for m in enum.members]}
    if enum.open:
        schema["anyOf"] = [known, {"type": json_type}]
    else:
        schema.update(known)
    return schema
