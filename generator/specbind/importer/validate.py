"""Validation: local ``$ref``s lead somewhere, ``allOf`` has no cycle, and the document
is valid OpenAPI 3.0/3.1 as openapi-spec-validator judges it, each error at its place.

openapi-spec-validator reports most errors relative to the schema or value it was
checking; the keyword validators here are its own, subclassed to note which node of the
document each was called on, so that every error maps back to a JSON pointer.

Its two JSON Schema checks (the document against the OpenAPI schema, each schema
against its dialect) are most of its time in Python; jsonschema-rs answers whether
each passes first, in a hundredth of it, and jsonschema says why only when one fails.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import re
import reprlib
from collections.abc import Iterator, Mapping
from typing import Any

import jsonschema.exceptions
import jsonschema_rs
import jsonschema_specifications  # type: ignore[import-untyped]
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from jsonschema_path import SchemaPath
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from openapi_spec_validator.validation.validators import SpecValidator
from referencing import Registry, Resource

from ..diagnostics import Diagnostic, did_you_mean
from .document import (
    OpenAPIDocument,
    Parts,
    operation_name,
    operations,
    pointer,
    pointer_parts,
    resolve,
    schemas,
)

# Keys whose values are data, not OpenAPI objects (a schema's examples are a list).
_DATA = frozenset({"example", "default", "enum", "const", "value"})
# Keys whose values map names to objects: a name is never one of the above.
_NAMED = frozenset({"properties", "patternProperties", "$defs", "definitions"})


def validate(doc: OpenAPIDocument) -> list[Diagnostic]:
    errors = references(doc)
    if errors:  # the validator would stop at the first reference it cannot follow
        return errors
    errors += all_of_cycles(doc)
    errors += undeclared_path_parameters(doc)
    if errors:
        return errors
    return spec_errors(doc)


def undeclared_path_parameters(doc: OpenAPIDocument) -> list[Diagnostic]:
    """Placeholders of a path that an operation declares no path parameter for."""
    errors: list[Diagnostic] = []
    for template, _, op in operations(doc):
        declared = set()
        for holder in (op, op[:2]):
            params = doc.get((*holder, "parameters"))
            for i in range(len(params) if isinstance(params, list) else 0):
                _, param = resolve(doc, (*holder, "parameters", i))
                if isinstance(param, dict) and param.get("in") == "path":
                    declared.add(param.get("name"))
        for name in re.findall(r"\{([^{}]+)\}", template):
            if name not in declared:
                errors.append(
                    doc.diagnostic(
                        op,
                        f"{operation_name(doc, op)} declares no path parameter "
                        f"'{name}' for the path's {{{name}}}",
                        hint=f"add {{name: {name}, in: path, required: true, "
                        "schema: {type: string}} to its parameters",
                        key=True,
                    )
                )
    return errors


def _references(
    value: Any, parts: Parts, names: bool = False
) -> Iterator[tuple[Parts, str]]:
    """Each ``$ref`` string in ``value`` and its parts; ``names``: ``value``'s keys
    are names (of properties, schemas, ...), not keywords."""
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str):
            yield (*parts, "$ref"), ref
        for key, item in value.items():
            data = (
                key in _DATA
                or key.startswith("x-")
                or (key == "examples" and isinstance(item, list))
            )
            if names or not data:
                # Names of paths, of components, of properties.
                named = (not names and key in _NAMED) or len(parts) < 2
                yield from _references(item, (*parts, key), named)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _references(item, (*parts, i))


def references(doc: OpenAPIDocument) -> list[Diagnostic]:
    """Every ``$ref`` that leads outside the document or to nothing in it."""
    errors = []
    for at, ref in _references(doc.data, ()):
        if not ref.startswith("#"):
            errors.append(
                doc.diagnostic(
                    at,
                    f"'$ref: {ref}' points into another document",
                    hint="specbind imports one self-contained document; bundle it first",
                )
            )
            continue
        target = pointer_parts(ref[1:], doc.data)
        if doc.get(target, _MISSING) is not _MISSING:
            continue
        section = doc.get(target[:-1])
        close = (
            did_you_mean(str(target[-1]), section)
            if isinstance(section, dict) and target
            else ""
        )
        errors.append(
            doc.diagnostic(
                at, f"'$ref: {ref}' points at nothing in {doc.file}", hint=close
            )
        )
    return errors


_MISSING = object()


def all_of_cycles(doc: OpenAPIDocument) -> list[Diagnostic]:
    """Schemas that include themselves through ``allOf`` (directly or not)."""
    errors: list[Diagnostic] = []
    reported: set[frozenset[Parts]] = set()
    for start in schemas(doc):
        trail: list[Parts] = [start]
        _walk_all_of(doc, start, trail, reported, errors)
    return errors


def _walk_all_of(
    doc: OpenAPIDocument,
    at: Parts,
    trail: list[Parts],
    reported: set[frozenset[Parts]],
    errors: list[Diagnostic],
) -> None:
    members = doc.get((*at, "allOf"))
    if not isinstance(members, list):
        return
    for i in range(len(members)):
        member, _ = resolve(doc, (*at, "allOf", i))
        if member in trail:
            cycle = trail[trail.index(member) :]
            if frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                names = " -> ".join(f"#{pointer(p)}" for p in [*cycle, member])
                errors.append(
                    doc.diagnostic(
                        (*at, "allOf", i),
                        f"allOf includes the schema itself: {names}",
                    )
                )
            continue
        trail.append(member)
        _walk_all_of(doc, member, trail, reported, errors)
        trail.pop()


def _located(cls: type[Any], keyword: str) -> type[Any]:
    """``cls`` noting, on each error it yields, the document parts it was checking."""

    def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        at = next((a for a in args if isinstance(a, SchemaPath)), None)
        for error in cls.__call__(self, *args, **kwargs):
            if not isinstance(error, OpenAPIValidationError):
                # As the validator would wrap it, and it would lose the note.
                error = OpenAPIValidationError.create_from(error)
            if at is not None and getattr(error, "specbind_at", None) is None:
                below = ("default",) if keyword == "default" else ()
                error.specbind_at = (tuple(at.parts), below)  # type: ignore[attr-defined]
            yield error

    members: dict[str, Any] = {"__call__": __call__}
    if keyword == "schema":
        members["_validate_schema_meta"] = _validate_schema_meta
    return type(cls.__name__, (cls,), members)


def _validate_schema_meta(self: Any, schema: SchemaPath, value: Any) -> Any:
    """The library's check of one schema against its dialect, made deterministic:
    ``check_schema`` raises the first error it meets, and which one that is varies
    from run to run; here it is the first in document order."""
    try:
        checker = self._get_schema_checker(schema, value)
    except ValueError as exc:
        return OpenAPIValidationError(str(exc))
    cls = getattr(checker, "func", checker).__self__
    if _fast_meta_validator(cls).is_valid(value):
        return None
    format_checker = getattr(checker, "keywords", {}).get(
        "format_checker", cls.FORMAT_CHECKER
    )
    errors = _meta_validator(cls, format_checker).iter_errors(value)
    first = min(
        errors, key=lambda e: (_order(e.absolute_path), e.message), default=None
    )
    return None if first is None else OpenAPIValidationError.create_from(first)


@functools.cache
def _oas_dialects() -> tuple[dict[str, Any], ...]:
    """The OAS dialect and vocabulary schemas openapi-schema-validator ships."""
    pending = [importlib.resources.files("openapi_schema_validator") / "schemas"]
    found = []
    while pending:
        for child in pending.pop().iterdir():
            if child.is_dir():
                pending.append(child)
            elif not child.name.startswith("."):
                found.append(json.loads(child.read_text("utf-8")))
    return tuple(found)


@functools.cache
def _specifications() -> Registry:
    """JSON Schema's dialects and the OAS ones, crawled once: an uncrawled registry
    is crawled again at each lookup, which was most of what checking cost."""
    resources = [Resource.from_contents(schema) for schema in _oas_dialects()]
    registry: Registry = resources @ jsonschema_specifications.REGISTRY
    return registry.crawl()


@functools.cache
def _fast_meta_validator(cls: type[Validator]) -> Any:
    """jsonschema-rs's validator of a schema's dialect (formats checked too, as the
    format checker of ``check_schema`` checks them)."""
    registry = jsonschema_rs.Registry([(s["$id"], s) for s in _oas_dialects()])
    return jsonschema_rs.validator_for(
        cls.META_SCHEMA, registry=registry, validate_formats=True
    )


@functools.cache
def _meta_validator(cls: type[Validator], format_checker: Any) -> Validator:
    """The validator of a schema's dialect, made once (as ``check_schema`` makes it)."""
    meta = validator_for(cls.META_SCHEMA, default=cls)
    return meta(
        cls.META_SCHEMA, format_checker=format_checker, registry=_specifications()
    )


class _DocumentValidator:
    """The check of a whole document against the OpenAPI schema: jsonschema-rs's
    answer, and jsonschema's errors when it is no (its schema in a crawled registry:
    the library's validator crawls it again at each lookup)."""

    def __init__(self, base: type[SpecValidator]) -> None:
        self.schema = base.schema_validator.schema
        self._fast = jsonschema_rs.validator_for(
            dict(self.schema) if isinstance(self.schema, Mapping) else self.schema,
            validate_formats=True,
        )
        resource = Resource.from_contents(self.schema)
        registry = Registry().with_resource(resource.id() or "", resource).crawl()
        self._slow = validator_for(self.schema)(self.schema, registry=registry)

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        if self._fast.is_valid(instance):
            return iter(())
        return self._slow.iter_errors(instance)


def _order(path: Any) -> list[tuple[int, str]]:
    return [(0, f"{p:09d}") if isinstance(p, int) else (1, str(p)) for p in path]


def _validator_class(base: type[SpecValidator]) -> type[SpecValidator]:
    located = {k: _located(v, k) for k, v in base.keyword_validators.items()}
    members = {
        "keyword_validators": located,
        "schema_validator": _DocumentValidator(base),
    }
    return type(base.__name__, (base,), members)


_VALIDATORS = {
    "3.0": _validator_class(OpenAPIV30SpecValidator),
    "3.1": _validator_class(OpenAPIV31SpecValidator),
}
_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxdict, _SHORT.maxlist, _SHORT.maxstring = 2, 3, 3, 40


def spec_errors(doc: OpenAPIDocument) -> list[Diagnostic]:
    validator = _VALIDATORS[doc.version](doc.data)
    errors: list[Diagnostic] = []
    try:
        for error in validator.iter_errors():
            errors.append(_diagnostic(doc, error))
    except Exception as exc:  # the validator's own failure must not hide the rest
        errors.append(
            doc.diagnostic(
                (), f"openapi-spec-validator could not check the document: {exc}"
            )
        )
    return errors


def _diagnostic(
    doc: OpenAPIDocument, error: jsonschema.exceptions.ValidationError
) -> Diagnostic:
    noted = getattr(error, "specbind_at", None)
    best = error
    if error.context:  # "not valid under any of the given schemas": say which part
        try:
            best = jsonschema.exceptions.best_match(error.context) or error
        except AttributeError:  # an error the library made up has no type checker
            best = error
    relative = tuple(best.absolute_path)
    if noted is None:
        parts = relative
    else:
        logical, below = noted
        parts = (*_physical(doc, logical), *below, *relative)
    parts = pointer_parts(pointer(parts), doc.data)
    return doc.diagnostic(parts, f"invalid OpenAPI: {_message(best)}")


def _physical(doc: OpenAPIDocument, logical: tuple[Any, ...]) -> Parts:
    """The parts of what the validator reached through ``logical`` (which may pass
    through ``$ref``s), following each as it did."""
    parts: Parts = ()
    for part in logical:
        parts, value = resolve(doc, parts)
        if isinstance(value, list) and isinstance(part, str) and part.isdigit():
            part = int(part)
        parts = (*parts, part)
    return resolve(doc, parts)[0]


def _message(error: jsonschema.exceptions.ValidationError) -> str:
    message = str(error.message)
    if len(message) > 160:
        message = message.replace(repr(error.instance), _SHORT.repr(error.instance))
    if isinstance(error.instance, Mapping) and len(message) > 160:
        message = message[:157] + "..."
    return message
