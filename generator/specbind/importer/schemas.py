"""OpenAPI schemas -> the spec's models, unions, enums and type expressions.

A schema becomes a :class:`Typed`: a type expression, whether ``null`` is allowed,
and the field-level facets (constraints, default, example) it carries. Named types
(objects, enums, unions) are added to the :class:`Context` on first reach, under the
name Speakeasy would give them (:class:`Naming` holds the candidates).
"""

from __future__ import annotations

from typing import Any

import attrs

from .context import Context, Unsupported, pointer_join
from .document import unescape
from .names import class_name, enum_members, ordinal

_FORMATS = {"date-time": "datetime", "date": "date", "uuid": "uuid", "binary": "bytes"}
_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
# OpenAPI keyword -> spec field key, for the constraints a primitive or list field keeps.
_CONSTRAINTS = {
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusiveMinimum": "exclusive_minimum",
    "exclusiveMaximum": "exclusive_maximum",
    "multipleOf": "multiple_of",
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
    "minItems": "min_items",
    "maxItems": "max_items",
}
_STR_ONLY = {"min_length", "max_length", "pattern"}
_NUMBER_ONLY = {
    "minimum",
    "maximum",
    "exclusive_minimum",
    "exclusive_maximum",
    "multiple_of",
}
_LIST_ONLY = {"min_items", "max_items"}
# Keys that describe a schema without changing what it accepts.
_ANNOTATIONS = frozenset(
    {"title", "description", "default", "example", "examples", "readOnly", "writeOnly",
     "deprecated", "externalDocs", "xml", "nullable"}
)  # fmt: skip
_UNSUPPORTED = ("not", "if", "then", "else", "patternProperties", "dependentSchemas")


@attrs.frozen
class Naming:
    """How an inline named type is called: the first free candidate, or ``fixed``
    for a component; ``doc`` is the description of what holds it (a property, a
    parameter, a response), which the type's page shows."""

    candidates: tuple[str, ...] = ()
    doc: str = ""
    fixed: str | None = None
    titled: bool = True  # the schema's own title comes first (not for responses)

    def inner(self) -> Naming:
        """For what is inside a list or a map: the same names, not the holder's doc."""
        return attrs.evolve(self, doc="", fixed=None, titled=True)


@attrs.define
class Typed:
    type: str
    nullable: bool = False
    facets: dict[str, Any] = attrs.Factory(dict)


def component_key(ref: str, pointer: str) -> str:
    if not ref.startswith("#/components/schemas/"):
        raise Unsupported(pointer, f"$ref '{ref}' points outside components/schemas")
    return unescape(ref.removeprefix("#/components/schemas/"))


class Schemas:
    """Turns schemas into types, naming and adding the named ones to the context."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        # Component key -> class name, all reserved before any inline name.
        self.component_names = {key: class_name(key) for key in ctx.schemas}
        ctx.names.taken.update(self.component_names.values())
        self.component_keys = {name: key for key, name in self.component_names.items()}
        self.component_types: dict[str, Typed] = {}
        self._order = {key: i for i, key in enumerate(ctx.schemas)}
        self._stack: list[str] = []  # the components being made, outermost first
        # The pointers of the object schemas sent as multipart bodies: only their
        # fields may be file parts (set by the operations before any is typed).
        self.file_bodies: set[str] = set()

    @property
    def in_progress(self) -> list[str]:
        return self._stack

    # -- components -------------------------------------------------------------

    def component(self, ref: str, pointer: str) -> Typed:
        key = component_key(ref, pointer)
        if key not in self.ctx.schemas:
            raise Unsupported(pointer, f"$ref '{ref}' names no schema of the document")
        if key in self.component_types:
            return _copy(self.component_types[key])
        if key in self._stack:  # reached again before it has a type: a cycle of aliases
            cycle = " -> ".join((*self._stack[self._stack.index(key) :], key))
            raise Unsupported(pointer, f"cyclic reference: {cycle}")
        name = self.component_names[key]
        schema = self.ctx.schemas[key]
        where = pointer_join("#/components/schemas", key)
        # Recursion reaches a model or union by name before it is complete.
        if _kind(self, schema) in ("model", "union"):
            self.component_types[key] = Typed(name)
        self.ctx.anchors.append(self._order[key])
        self._stack.append(key)
        try:
            typed = self._type_of(schema, where, Naming(fixed=name))
        finally:
            self.ctx.anchors.pop()
            self._stack.pop()
        if _kind(self, schema) != "alias":
            typed.facets.clear()  # a named type's default is not its fields'
        self.component_types[key] = typed
        return _copy(typed)

    def visit_remaining(self) -> None:
        """Components no operation reaches still get their types (and pages)."""
        for key in self.ctx.schemas:
            if key not in self.component_types:
                try:
                    self.component(
                        f"#/components/schemas/{key}", "#/components/schemas"
                    )
                except Unsupported as exc:
                    self.ctx.unsupported(exc, f"schema '{key}'")

    def deref(self, schema: Any, pointer: str) -> tuple[dict[str, Any], str]:
        """The schema a ``$ref`` points at (following chains), with its pointer."""
        seen: set[str] = set()
        while isinstance(schema, dict) and "$ref" in schema:
            key = component_key(schema["$ref"], pointer)
            if key in seen or key not in self.ctx.schemas:
                raise Unsupported(
                    pointer, f"$ref '{schema['$ref']}' cannot be resolved"
                )
            seen.add(key)
            schema, pointer = (
                self.ctx.schemas[key],
                pointer_join("#/components/schemas", key),
            )
        if not isinstance(schema, dict):
            raise Unsupported(pointer, "expected a schema (a mapping)")
        return schema, pointer

    # -- any schema -------------------------------------------------------------

    def type_of(
        self, schema: Any, pointer: str, naming: Naming, *, file_part: bool = False
    ) -> Typed:
        """The type of ``schema``. ``format: binary`` is a file part (``bytes``) only
        where ``file_part`` says so (a field of a multipart body); anywhere else its
        value is a JSON (or text) string, and so a ``str``."""
        typed = self._type_of(schema, pointer, naming)
        if typed.type == "bytes" and not file_part:
            self.ctx.warn(
                pointer,
                "'format: binary' is a file part only as a field of a multipart body; "
                "here it is a string on the wire, imported as str",
            )
            typed.type = "str"
        return typed

    def _type_of(self, schema: Any, pointer: str, naming: Naming) -> Typed:
        """:meth:`type_of` with ``bytes`` kept, for what decides nothing itself
        (a ``$ref``, a nullable ``anyOf``): the holder decides."""
        if schema is True or schema == {}:
            return Typed("any")
        if not isinstance(schema, dict):
            raise Unsupported(pointer, "expected a schema (a mapping)")
        for key in _UNSUPPORTED:
            if key in schema:
                raise Unsupported(
                    pointer_join(pointer, key), f"'{key}' cannot be imported"
                )
        if (
            "$ref" in schema
        ):  # its siblings are ignored, as OpenAPI 3.0 and Speakeasy do
            return self.component(schema["$ref"], pointer_join(pointer, "$ref"))
        nullable = schema.get("nullable") is True
        types = schema.get("type")
        if isinstance(types, list):
            nullable = nullable or "null" in types
            rest = [t for t in types if t != "null"]
            if len(rest) > 1:
                variants = [{**schema, "type": t} for t in rest]
                shaped = {k: v for k, v in schema.items() if k in _ANNOTATIONS}
                typed = self._union({**shaped, "anyOf": variants}, pointer, naming)
                return attrs.evolve(typed, nullable=True) if nullable else typed
            schema = {**schema, "type": rest[0] if rest else "null"}
        if isinstance(schema.get("enum"), list) and None in schema["enum"]:
            nullable = True
            schema = {**schema, "enum": [v for v in schema["enum"] if v is not None]}
        typed = self._shape(schema, pointer, naming)
        if nullable:
            typed.nullable = True
        return typed

    def _shape(self, schema: dict[str, Any], pointer: str, naming: Naming) -> Typed:
        for keyword in ("oneOf", "anyOf"):
            if keyword in schema:
                return self._choice(schema, keyword, pointer, naming)
        if "allOf" in schema:
            parts = schema["allOf"]
            if isinstance(parts, list) and len(parts) == 1 and not _is_object(schema):
                merged = {k: v for k, v in schema.items() if k != "allOf"}
                typed = self._type_of(
                    parts[0], pointer_join(pointer, "allOf", 0), naming
                )
                return _with_annotations(typed, merged)
            return self._model(schema, pointer, naming)
        if isinstance(schema.get("const"), str) and "enum" not in schema:
            schema = {
                **schema,
                "enum": [schema["const"]],
            }  # a one-value enum, as Speakeasy
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return self._enum(schema, pointer, naming)
        kind = schema.get("type")
        if kind == "array" or (kind is None and "items" in schema):
            return self._list(schema, pointer, naming)
        if _is_object(schema):
            return self._object(schema, pointer, naming)
        if kind == "null":
            return Typed("any", nullable=True)
        if kind is None:
            return _with_annotations(Typed("any"), schema)
        if kind not in _PRIMITIVES:
            raise Unsupported(pointer_join(pointer, "type"), f"unknown type {kind!r}")
        name = _PRIMITIVES[kind]
        if kind == "string" and schema.get("format") in _FORMATS:
            name = _FORMATS[schema["format"]]
        elif kind == "string" and schema.get("contentEncoding") == "binary":
            name = "bytes"
        typed = Typed(name)
        if "const" in schema:
            typed.facets["const"] = schema["const"]
        for keyword, key in _CONSTRAINTS.items():
            if keyword in schema and _fits(key, name):
                typed.facets[key] = schema[keyword]
            elif keyword in schema:
                self.ctx.warn(
                    pointer_join(pointer, keyword),
                    f"'{keyword}' does not apply to a {name}; left out",
                )
        _exclusive_30(schema, typed)
        return _with_annotations(typed, schema)

    # -- lists, maps and objects ---------------------------------------------------

    def _list(self, schema: dict[str, Any], pointer: str, naming: Naming) -> Typed:
        items = schema.get("items", {})
        item = self.type_of(items, pointer_join(pointer, "items"), naming.inner())
        if item.facets.keys() - {"example", "default"}:
            dropped = ", ".join(sorted(item.facets.keys() - {"example", "default"}))
            self.ctx.warn(
                pointer_join(pointer, "items"),
                f"the constraints of list items ({dropped}) cannot be imported; left out",
            )
        typed = Typed(f"list[{_nullable_item(item, self.ctx, pointer)}]")
        for keyword in ("minItems", "maxItems"):
            if keyword in schema:
                typed.facets[_CONSTRAINTS[keyword]] = schema[keyword]
        return _with_annotations(typed, schema)

    def _object(self, schema: dict[str, Any], pointer: str, naming: Naming) -> Typed:
        extra = schema.get("additionalProperties")
        if schema.get("properties") or extra is False:
            return self._model(schema, pointer, naming)
        if extra in (None, True) or extra == {}:
            value = "any"
        else:
            where = pointer_join(pointer, "additionalProperties")
            inner = self.type_of(extra, where, naming.inner())
            value = _nullable_item(inner, self.ctx, pointer)
        return _with_annotations(Typed(f"dict[str, {value}]"), schema)

    def _model(self, schema: dict[str, Any], pointer: str, naming: Naming) -> Typed:
        from .models import build_model  # the model builder calls back into this class

        name = naming.fixed or self.ctx.names.claim(_candidates(schema, naming))
        build_model(self, name, schema, pointer, naming)
        return _with_annotations(Typed(name), schema, shape_only=True)

    # -- enums and unions ---------------------------------------------------------

    def _enum(self, schema: dict[str, Any], pointer: str, naming: Naming) -> Typed:
        values = list(dict.fromkeys(schema["enum"]))
        if not all(isinstance(v, str) for v in values) and not all(
            isinstance(v, int) and not isinstance(v, bool) for v in values
        ):
            raise Unsupported(
                pointer_join(pointer, "enum"),
                "an enum must be all strings or all integers",
            )
        candidates = _candidates(schema, naming)
        if naming.fixed is None:  # an inline enum the same as the component it names
            key = self.component_keys.get(candidates[0])
            if key is not None and self.deref_enum(key) == values:
                typed = self.component(f"#/components/schemas/{key}", pointer)
                return _with_annotations(typed, schema)
        name = naming.fixed or self.ctx.names.claim(candidates)
        spec: dict[str, Any] = {}
        if doc := (schema.get("description") or naming.doc):
            spec["doc"] = doc
        if isinstance(values[0], int):
            spec["type"] = "int"
        if schema.get("x-speakeasy-unknown-values") == "allow":
            spec["open"] = True
        spec["values"] = dict(zip(enum_members(values), values, strict=True))
        self.ctx.add(self.ctx.enums, name, spec, pointer)
        return _with_annotations(Typed(name), schema, shape_only=True)

    def deref_enum(self, key: str) -> list[Any] | None:
        schema = self.ctx.schemas[key]
        values = schema.get("enum") if isinstance(schema, dict) else None
        return list(dict.fromkeys(values)) if isinstance(values, list) else None

    def _choice(
        self, schema: dict[str, Any], keyword: str, pointer: str, naming: Naming
    ) -> Typed:
        members = schema[keyword]
        if not isinstance(members, list) or not members:
            raise Unsupported(
                pointer_join(pointer, keyword), f"'{keyword}' must be a list"
            )
        nulls = [m for m in members if isinstance(m, dict) and _is_null(m)]
        rest = [(i, m) for i, m in enumerate(members) if m not in nulls]
        outer = {k: v for k, v in schema.items() if k not in (keyword, "discriminator")}
        if len(rest) == 1 and nulls:  # X or null: a nullable X
            index, member = rest[0]
            inner = self._type_of(member, pointer_join(pointer, keyword, index), naming)
            typed = _with_annotations(inner, outer)
        else:
            typed = self._union(schema, pointer, naming, keyword)
        if nulls:
            typed.nullable = True
        return typed

    def _union(
        self,
        schema: dict[str, Any],
        pointer: str,
        naming: Naming,
        keyword: str = "anyOf",
    ) -> Typed:
        name = naming.fixed or self.ctx.names.claim(_candidates(schema, naming))
        members = [
            (i, m) for i, m in enumerate(schema[keyword])
            if not (isinstance(m, dict) and _is_null(m))
        ]  # fmt: skip
        discriminator = schema.get("discriminator")
        if isinstance(discriminator, dict) and isinstance(
            discriminator.get("mapping"), dict
        ):
            order = list(discriminator["mapping"].values())
            members.sort(
                key=lambda m: (
                    order.index(m[1]["$ref"])
                    if isinstance(m[1], dict) and m[1].get("$ref") in order
                    else len(order)
                )
            )
        variants: list[str] = []
        variant_at: list[str] = []  # where each variant's schema stands
        nullable = False
        for position, (index, member) in enumerate(members):
            title = member.get("title") if isinstance(member, dict) else None
            member_naming = Naming(
                (
                    class_name(title) if isinstance(title, str) else "",
                    ordinal(position),
                    f"{name}{ordinal(position)}",
                )
            )
            where = pointer_join(pointer, keyword, index)
            variant = self.type_of(member, where, member_naming)
            nullable = nullable or variant.nullable
            if variant.type not in variants:
                variants.append(variant.type)
                variant_at.append(where)
        if len(variants) == 1 < len(members):  # duplicates (e.g. two string formats)
            if naming.fixed is None:
                self.ctx.names.taken.discard(name)
            return Typed(variants[0], nullable)
        spec: dict[str, Any] = {}
        if doc := (schema.get("description") or naming.doc):
            spec["doc"] = doc
        if isinstance(discriminator, dict) and isinstance(
            discriminator.get("propertyName"), str
        ):
            spec["discriminator"] = discriminator["propertyName"]
        spec["variants"] = variants
        for position, where in enumerate(variant_at):
            self.ctx.sources[("unions", name, "variants", position)] = where
        self.ctx.add(self.ctx.unions, name, spec, pointer)
        return _with_annotations(Typed(name, nullable), schema, shape_only=True)


def _copy(typed: Typed) -> Typed:
    return attrs.evolve(typed, facets=dict(typed.facets))


def _kind(schemas: Schemas, schema: Any) -> str:
    """What a component becomes: ``model``, ``union``, ``enum`` or ``alias``."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return "alias"
    for keyword in ("oneOf", "anyOf"):
        members = schema.get(keyword)
        if isinstance(members, list):
            rest = [m for m in members if not (isinstance(m, dict) and _is_null(m))]
            return "union" if len(rest) > 1 else "alias"
    if "allOf" in schema:
        parts = schema["allOf"]
        return "model" if not isinstance(parts, list) or len(parts) != 1 else "alias"
    if schema.get("enum"):
        return "enum"
    if _is_object(schema) and (
        schema.get("properties") or schema.get("additionalProperties") is False
    ):
        return "model"
    return "alias"


def _is_object(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return kind == "object" or (
        kind is None and ("properties" in schema or "additionalProperties" in schema)
    )


def _is_null(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "null" or (
        schema.get("enum") == [None] and "type" not in schema
    )


def _candidates(schema: dict[str, Any], naming: Naming) -> tuple[str, ...]:
    """The schema's own title, then the holder's candidates (first free one wins)."""
    title = schema.get("title")
    own = (class_name(title),) if isinstance(title, str) and title.strip() else ()
    found = tuple(
        dict.fromkeys(
            (*own, *naming.candidates) if naming.titled else naming.candidates
        )
    )
    return found or own or ("Type",)


def _fits(key: str, type_name: str) -> bool:
    if key in _STR_ONLY:
        return type_name == "str"
    if key in _NUMBER_ONLY:
        return type_name in ("int", "float")
    return key not in _LIST_ONLY


def _exclusive_30(schema: dict[str, Any], typed: Typed) -> None:
    """3.0 writes ``exclusiveMinimum: true`` beside ``minimum``; 3.1 gives the bound."""
    for flag, bound, key in (
        ("exclusiveMinimum", "minimum", "exclusive_minimum"),
        ("exclusiveMaximum", "maximum", "exclusive_maximum"),
    ):
        value = schema.get(flag)
        if isinstance(value, bool):
            typed.facets.pop(key, None)
            if value and bound in typed.facets:
                typed.facets[key] = typed.facets.pop(bound)


def _with_annotations(
    typed: Typed, schema: dict[str, Any], *, shape_only: bool = False
) -> Typed:
    """``typed`` with the default and example ``schema`` gives (a field's facets)."""
    if "default" in schema:
        typed.facets["default"] = schema["default"]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        typed.facets["example"] = examples[0]
    elif "example" in schema:
        typed.facets["example"] = schema["example"]
    if schema.get("nullable") is True:
        typed.nullable = True
    if not shape_only and "const" in schema and "const" not in typed.facets:
        typed.facets["const"] = schema["const"]
    return typed


def _nullable_item(item: Typed, ctx: Context, pointer: str) -> str:
    if item.nullable and item.type != "any":
        ctx.warn(
            pointer, "null items or map values cannot be imported; null is left out"
        )
    return item.type
