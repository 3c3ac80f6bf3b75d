"""Check a loaded spec against the spec language's JSON Schema, with positions."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import attrs
import jsonschema

from ..diagnostics import Diagnostic, did_you_mean
from .load import Document, Path_

_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}
# What the schema's patterns mean, in words.
_PATTERNS = {
    "^[a-z_][a-z0-9_]*$": "lowercase letters, digits and underscores, not starting with a digit",
    "^[A-Za-z_][A-Za-z0-9_]*$": "letters, digits and underscores, not starting with a digit",
    "^[1-5][0-9][0-9]$": "an HTTP status code from 100 to 599",
    "^https?://": "an http:// or https:// URL",
    "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$": "an HTTP header name, such as X-API-Key: letters, digits and !#$%&'*+-.^_`|~",
    "^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /\\S*$": "'METHOD /path' with METHOD one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS",
    "^[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$": "a folder inside the output folder, such as docs/api: letters, digits, '_', '-', '.' and '/', no part starting with '.'",
}


@attrs.frozen
class Problem:
    """A diagnostic and the path of the value it makes unusable.

    ``damaged`` is ``None`` when the rest of the spec can still be read as if the
    problem were not there (an unknown key is ignored by every later stage).
    """

    diagnostic: Diagnostic
    damaged: Path_ | None


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


def _where(path: Path_) -> str:
    return f" in {'.'.join(map(str, path))}" if path else ""


def _show(value: object) -> str:
    """A found value as the message shows it: scalars as JSON, containers by kind."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return json.dumps(value, ensure_ascii=False)


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _schema(error: jsonschema.ValidationError) -> Mapping[str, Any]:
    """The (sub)schema the error is about."""
    return error.schema if isinstance(error.schema, Mapping) else {}


def _unknown_keys(doc: Document, error: jsonschema.ValidationError) -> list[Problem]:
    allowed = sorted(_schema(error).get("properties", {}))
    path = tuple(error.absolute_path)
    instance: Any = error.instance
    out = []
    for key in sorted(set(instance) - set(allowed)):
        hint = (
            did_you_mean(str(key), allowed) or f"expected one of: {', '.join(allowed)}"
        )
        diagnostic = doc.error(
            (*path, key), f"unknown key '{key}'{_where(path)}", key=True, hint=hint
        )
        out.append(Problem(diagnostic, None))
    return out


def _property_name(doc: Document, error: jsonschema.ValidationError) -> Problem:
    """A key that breaks the ``propertyNames`` of its mapping (reported at the key)."""
    parent = tuple(error.absolute_path)
    key = str(error.instance)
    pattern = _schema(error).get("pattern", "")
    wanted = _PATTERNS.get(pattern, f"a name matching {pattern}")
    diagnostic = doc.error(
        (*parent, key),
        f"invalid name '{key}'{_where(parent)}",
        key=True,
        hint=f"expected {wanted}",
    )
    return Problem(diagnostic, (*parent, key))


def _message(error: jsonschema.ValidationError, path: Path_) -> tuple[str, str]:
    """The message and hint of an error at ``path`` that is not about keys."""
    kind = error.validator
    value: Any = error.validator_value
    instance: Any = error.instance
    where = _where(path)
    if kind == "type":
        names = [value] if isinstance(value, str) else value
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        return f"expected {wanted}{where}, found {_show(instance)}", ""
    if kind == "enum":
        options = ", ".join(json.dumps(v) for v in value)
        return f"expected one of {options}{where}, found {_show(instance)}", ""
    if kind == "const":
        return f"expected {json.dumps(value)}{where}, found {_show(instance)}", ""
    if kind == "pattern":
        return (
            f"invalid value {_show(instance)}{where}",
            f"expected {_PATTERNS.get(value, f'a match of {value}')}",
        )
    if kind == "minLength":
        return f"expected a non-empty string{where}", ""
    if kind in ("minItems", "minProperties"):
        noun = ("item", "items") if kind == "minItems" else ("entry", "entries")
        return (
            f"expected at least {_count(value, *noun)}{where}, found {len(instance)}",
            "",
        )
    if kind == "minimum":
        return (
            f"expected a number of at least {value}{where}, found {_show(instance)}",
            "",
        )
    if kind == "anyOf" and _schema(error).get("anyOf") == [
        {"required": ["methods"]},
        {"required": ["groups"]},
    ]:
        return f"a group needs 'methods', 'groups' or both{where}", ""
    return f"{error.message}{where}", ""


# What a method answers with: exactly one of these keys.
_ANSWERS = ("response", "responses", "stream")


def _answer(doc: Document, error: jsonschema.ValidationError) -> Problem:
    """A method with none, or more than one, of ``_ANSWERS``: reported at the extra key."""
    path = tuple(error.absolute_path)
    method: Any = error.instance
    given = [key for key in _ANSWERS if key in method]
    if not given:
        message = f"a method needs 'response', 'responses' or 'stream'{_where(path)}"
        return Problem(doc.error(path, message), path)
    if "response" in given and "responses" in given:
        at: Path_ = (*path, "responses")
        message = "'response' and 'responses' are exclusive; list every status under 'responses'"
    elif method.get("response") == "binary":
        at = (*path, "stream")
        message = "a binary response is streamed to the caller already; drop 'stream' (an event stream is its own response)"
    else:
        at = (*path, "stream")
        message = f"an event stream is the method's response; drop '{given[0]}'"
    return Problem(doc.error(at, message, key=True), path)


def _two_auths(doc: Document, error: jsonschema.ValidationError) -> Problem:
    """``auth`` with both schemes: reported at the second one."""
    path = tuple(error.absolute_path)
    instance: Any = error.instance
    first, second = list(instance)[:2]
    message = (
        f"a spec has one auth: '{first}' or '{second}', not both "
        "(the client sends one key)"
    )
    return Problem(doc.error((*path, second), message, key=True), path)


def _diagnose(doc: Document, error: jsonschema.ValidationError) -> list[Problem]:
    path = tuple(error.absolute_path)
    if error.validator == "maxProperties" and path == ("auth",):
        return [_two_auths(doc, error)]
    if error.validator == "oneOf" and _schema(error).get("oneOf") == [
        {"required": [key]} for key in _ANSWERS
    ]:
        # A method that is no mapping has its own error, from "type".
        return [_answer(doc, error)] if isinstance(error.instance, dict) else []
    if "propertyNames" in error.relative_schema_path:
        return [_property_name(doc, error)]
    if (
        error.validator == "additionalProperties"
        and _schema(error).get("additionalProperties") is False
    ):
        return _unknown_keys(doc, error)
    if error.validator == "required":
        required: Any = error.validator_value
        instance: Any = error.instance
        missing = [k for k in required if k not in instance]
        return [
            Problem(
                doc.error(path, f"missing required key '{k}'{_where(path)}", key=True),
                (*path, k),
            )
            for k in missing
        ]
    message, hint = _message(error, path)
    return [Problem(doc.error(path, message, hint=hint), path)]


def _under(path: Path_, roots: frozenset[Path_]) -> bool:
    return any(path[: len(root)] == root for root in roots)


def schema_problems(doc: Document) -> list[Problem]:
    """Every way the document breaks the spec language's JSON Schema.

    Values the loader could not read (``doc.spoiled``) were already reported there.
    """
    problems: list[Problem] = []
    for error in _validator().iter_errors(doc.data):
        if _under(tuple(error.absolute_path), doc.spoiled):
            continue
        problems.extend(_diagnose(doc, error))
    return problems
