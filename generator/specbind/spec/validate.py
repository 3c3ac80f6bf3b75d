"""Check a loaded spec against the spec language's JSON Schema, with positions."""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from ..diagnostics import Diagnostic
from .load import Document

_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
}


@cache
def spec_schema() -> dict[str, Any]:
    """The JSON Schema of the spec language (also published as ``spec/specbind.schema.json``)."""
    text = (
        resources.files(__package__).joinpath("specbind.schema.json").read_text("utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(spec_schema())


def _where(error: jsonschema.ValidationError) -> str:
    path = [str(p) for p in error.absolute_path]
    return f" in {'.'.join(path)}" if path else ""


def _unknown_keys(doc: Document, error: jsonschema.ValidationError) -> list[Diagnostic]:
    allowed = sorted(error.schema.get("properties", {}))
    path = tuple(error.absolute_path)
    out = []
    for key in sorted(set(error.instance) - set(allowed), key=str):
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else f"expected one of: {', '.join(allowed)}"
        )
        out.append(
            doc.error(
                (*path, key), f"unknown key '{key}'{_where(error)}", key=True, hint=hint
            )
        )
    return out


def _diagnose(doc: Document, error: jsonschema.ValidationError) -> list[Diagnostic]:
    path = tuple(error.absolute_path)
    kind = error.validator
    if (
        kind == "additionalProperties"
        and error.schema.get("additionalProperties") is False
    ):
        return _unknown_keys(doc, error)
    if kind == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        return [
            doc.error(path, f"missing required key '{k}'{_where(error)}")
            for k in missing
        ]
    if kind == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else expected
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        return [
            doc.error(
                path,
                f"expected {wanted}{_where(error)}, found {json.dumps(error.instance)}",
            )
        ]
    if kind == "enum":
        options = ", ".join(json.dumps(v) for v in error.validator_value)
        return [
            doc.error(
                path,
                f"expected one of {options}{_where(error)}, found {json.dumps(error.instance)}",
            )
        ]
    if kind == "const":
        return [
            doc.error(
                path, f"expected {json.dumps(error.validator_value)}{_where(error)}"
            )
        ]
    if kind == "propertyNames":
        key = error.instance
        return [
            doc.error(
                (*path, key),
                f"invalid name '{key}'{_where(error)}: {error.message}",
                key=True,
            )
        ]
    if kind == "pattern":
        return [
            doc.error(
                path,
                f"{json.dumps(error.instance)} does not match {error.validator_value}{_where(error)}",
            )
        ]
    if kind == "oneOf" and error.schema.get("oneOf") == [
        {"required": ["response"]},
        {"required": ["stream"]},
    ]:
        return [
            doc.error(
                path,
                f"a method has either 'response' or 'stream', exactly one{_where(error)}",
            )
        ]
    return [doc.error(path, f"{error.message}{_where(error)}")]


def check_schema(doc: Document) -> list[Diagnostic]:
    """Every way the document breaks the spec language's JSON Schema, as diagnostics."""
    diagnostics: list[Diagnostic] = []
    for error in _validator().iter_errors(doc.data):
        # A propertyNames failure nests the real complaint one level down.
        if error.validator == "propertyNames" and error.context:
            inner = error.context[0]
            diagnostics.extend(
                [
                    doc.error(
                        (*error.absolute_path, inner.instance),
                        f"invalid name '{inner.instance}'{_where(error)}: "
                        f"expected letters, digits and underscores, not starting with a digit",
                        key=True,
                    )
                ]
            )
            continue
        diagnostics.extend(_diagnose(doc, error))
    return diagnostics
