"""Object schemas -> spec models: properties, ``required``, ``allOf`` merged or ``is:``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .context import Unsupported, pointer_join
from .names import class_name

if TYPE_CHECKING:
    from .schemas import Naming, Schemas

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def build_model(
    schemas: Schemas, name: str, schema: dict[str, Any], pointer: str, naming: Naming
) -> None:
    """Add model ``name`` made from the object (or ``allOf``) ``schema``."""
    merged = _Merge(schemas, name, files=pointer in schemas.file_bodies)
    merged.collect(schema, pointer)
    fields = merged.fields()
    spec: dict[str, Any] = {}
    if doc := (schema.get("description") or merged.doc or naming.doc):
        spec["doc"] = doc
    base = merged.base_for(fields)
    if base is not None:
        spec["is"] = base
    base_spec = schemas.ctx.models[base].spec if base else {}
    forbid = schema.get("additionalProperties") is False
    if forbid and base_spec.get("unknown_fields") != "forbid":
        spec["unknown_fields"] = "forbid"
    elif not forbid and base_spec.get("unknown_fields") == "forbid":
        spec["unknown_fields"] = "ignore"
    if base is not None:
        own = {
            k: v for k, v in fields.items() if _base_fields(schemas, base).get(k) != v
        }
        if own:
            spec["fields"] = own
    elif fields:
        spec["fields"] = fields
    for prop in spec.get("fields", {}):
        if prop in merged.pointers:
            schemas.ctx.sources[("models", name, "fields", prop)] = merged.pointers[
                prop
            ]
    schemas.ctx.add(schemas.ctx.models, name, spec, pointer)


def _field_source(schemas: Schemas, model: str, prop: str) -> str | None:
    """Where the document declares field ``prop`` of ``model`` (or of its bases)."""
    sources = schemas.ctx.sources
    seen = set()
    while model not in seen:
        seen.add(model)
        found = sources.get(("models", model, "fields", prop))
        if found is not None:
            return found
        model = schemas.ctx.models[model].spec.get("is", "")
        if model not in schemas.ctx.models:
            break
    return None


def _base_fields(schemas: Schemas, base: str) -> dict[str, Any]:
    """The fields model ``base`` has, its ``is:`` chain followed."""
    spec = schemas.ctx.models[base].spec
    fields = dict(_base_fields(schemas, spec["is"])) if "is" in spec else {}
    fields.update(spec.get("fields", {}))
    return fields


class _Merge:
    """The properties of an object and of every ``allOf`` part, in document order."""

    def __init__(self, schemas: Schemas, name: str, *, files: bool) -> None:
        self.schemas = schemas
        self.name = name
        self.files = files  # a multipart body: its fields may be file parts
        # property -> a field copied from a model, or (schema, pointer) to build here
        self.sources: dict[str, dict[str, Any] | tuple[Any, str]] = {}
        self.required: set[str] = set()
        # property -> the JSON pointer of the property that declares it
        self.pointers: dict[str, str] = {}
        self.first_ref: str | None = None
        self.doc = ""

    def collect(self, schema: Any, pointer: str, nested: bool = False) -> None:
        if not isinstance(schema, dict):
            raise Unsupported(pointer, "expected a schema (a mapping) in allOf")
        parts = schema.get("allOf", [])
        if not isinstance(parts, list):
            raise Unsupported(pointer_join(pointer, "allOf"), "'allOf' must be a list")
        for index, part in enumerate(parts):
            where = pointer_join(pointer, "allOf", index)
            if isinstance(part, dict) and "$ref" in part:
                self._copy(part["$ref"], where, first=index == 0 and not nested)
            else:
                self.collect(part, where, nested=True)
                if isinstance(part, dict) and isinstance(part.get("description"), str):
                    self.doc = part["description"]
        properties = schema.get("properties", {})
        if not isinstance(properties, dict):
            raise Unsupported(pointer_join(pointer, "properties"), "expected a mapping")
        for prop, prop_schema in properties.items():
            where = pointer_join(pointer, "properties", prop)
            self.sources[prop] = (prop_schema, where)
            self.pointers[prop] = where
        required = schema.get("required", [])
        if isinstance(required, list):
            self.required.update(r for r in required if isinstance(r, str))

    def _copy(self, ref: str, pointer: str, *, first: bool) -> None:
        from .schemas import component_key

        key = component_key(ref, pointer)
        target = self.schemas.component(ref, pointer)
        model = self.schemas.ctx.models.get(target.type)
        if model is None and key in self.schemas.in_progress:
            chain = self.schemas.in_progress
            cycle = " -> ".join((*chain[chain.index(key) :], key))
            raise Unsupported(pointer, f"allOf cycle: {cycle}")
        if model is None:
            raise Unsupported(pointer, f"allOf part '{ref}' is not an object schema")
        if first:
            self.first_ref = target.type
        for prop, field in _base_fields(self.schemas, target.type).items():
            self.sources[prop] = dict(field)
            if (source := _field_source(self.schemas, target.type, prop)) is not None:
                self.pointers[prop] = source
            if field.get("required"):
                self.required.add(prop)

    def fields(self) -> dict[str, dict[str, Any]]:
        from .fields import field_spec

        built: dict[str, dict[str, Any]] = {}
        for prop, source in self.sources.items():
            required = prop in self.required
            if isinstance(source, dict):
                field = {k: v for k, v in source.items() if k != "required"}
                built[prop] = {
                    "type": field.pop("type"),
                    **({"required": True} if required else {}),
                    **field,
                }
                continue
            prop_schema, pointer = source
            try:
                built[prop] = field_spec(
                    self.schemas,
                    self.name,
                    prop,
                    prop_schema,
                    pointer,
                    required,
                    file_part=self.files,
                )
            except Unsupported as exc:
                self.schemas.ctx.unsupported(
                    exc, f"field '{prop}' of model '{self.name}'"
                )
        ordered = [p for p in built if built[p].get("required")]
        ordered += [p for p in built if not built[p].get("required")]
        return {p: built[p] for p in ordered}

    def base_for(self, fields: dict[str, dict[str, Any]]) -> str | None:
        """The model to derive from with ``is:``: the first ``allOf`` part, when
        copying its fields, replacing some in place and adding the rest after them
        gives the fields' own order."""
        if self.first_ref is None:
            return None
        base = list(_base_fields(self.schemas, self.first_ref))
        derived = [p for p in base if p in fields] + [
            p for p in fields if p not in base
        ]
        return (
            self.first_ref
            if derived == list(fields) and set(base) <= set(fields)
            else None
        )


def python_name(prop: str, schema: Any) -> str | None:
    override = (
        schema.get("x-speakeasy-name-override") if isinstance(schema, dict) else None
    )
    if isinstance(override, str) and _IDENTIFIER.fullmatch(override):
        return override
    return None


__all__ = ["build_model", "class_name", "python_name"]
