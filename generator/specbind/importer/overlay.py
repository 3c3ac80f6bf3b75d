"""OpenAPI Overlay 1.0 (https://spec.openapis.org/overlay/v1.0.html), applied in order.

Each action's ``target`` is an RFC 9535 JSONPath query (jsonpath-rfc9535 evaluates it
and gives each match's location). ``remove: true`` removes every match from its
container; otherwise ``update`` is merged into each matched object (recursively: an
object into an object, anything else replaces) or appended to each matched array.
What an overlay adds keeps its place in the overlay file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonpath_rfc9535
import jsonschema

from ..diagnostics import Diagnostic
from .document import OVERLAY, Node, OpenAPIDocument, Parts, graft, read_source

_EXTENSIONS: dict[str, Any] = {"^x-": {}}
_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["overlay", "info", "actions"],
    "properties": {
        "overlay": {"type": "string", "pattern": r"^1\.0\.\d+$"},
        "info": {
            "type": "object",
            "required": ["title", "version"],
            "properties": {"title": {"type": "string"}, "version": {"type": "string"}},
            "patternProperties": _EXTENSIONS,
            "additionalProperties": False,
        },
        "extends": {"type": "string"},
        "actions": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["target"],
                "properties": {
                    "target": {"type": "string", "pattern": r"^\$"},
                    "description": {"type": "string"},
                    "update": {},
                    "remove": {"type": "boolean"},
                },
                "patternProperties": _EXTENSIONS,
                "additionalProperties": False,
            },
        },
    },
    "patternProperties": _EXTENSIONS,
    "additionalProperties": False,
}
_VALIDATOR = jsonschema.Draft202012Validator(_SCHEMA)


def _shape_errors(overlay: OpenAPIDocument) -> list[Diagnostic]:
    errors = []
    for error in sorted(_VALIDATOR.iter_errors(overlay.data), key=lambda e: e.path):
        parts = tuple(error.absolute_path)
        message = error.message
        if error.validator == "additionalProperties":
            message = f"not an Overlay 1.0 field: {message.split('(')[-1].rstrip(')')}"
        elif error.validator == "pattern" and parts == ("overlay",):
            message = f"Overlay {error.instance!r} is not supported; expected 1.0.x"
        elif error.validator == "pattern":
            message = (
                f"the target {error.instance!r} is not a JSONPath query (from '$')"
            )
        errors.append(
            overlay.diagnostic(
                parts,
                f"invalid overlay: {message}",
                key=error.validator == "additionalProperties",
            )
        )
    return errors


def apply(doc: OpenAPIDocument, source: str | Path) -> list[Diagnostic]:
    """Apply the overlay at ``source`` to ``doc``; its problems as diagnostics."""
    name, data, root, problems = read_source(source, OVERLAY)
    overlay = OpenAPIDocument(name, data, root)
    problems += _shape_errors(overlay)
    if problems:
        return problems
    for index, action in enumerate(data["actions"]):
        problems += _action(doc, overlay, ("actions", index), action)
    return problems


def _action(
    doc: OpenAPIDocument, overlay: OpenAPIDocument, at: Parts, action: dict[str, Any]
) -> list[Diagnostic]:
    target_at = (*at, "target")
    try:
        query = jsonpath_rfc9535.compile(action["target"])
    except jsonpath_rfc9535.JSONPathError as exc:
        return [overlay.diagnostic(target_at, f"invalid JSONPath target: {exc}")]
    matches = [tuple(match.location) for match in query.find(doc.data)]
    if not matches:
        return [
            overlay.diagnostic(
                target_at,
                f"the target {action['target']} matches nothing in {doc.file}",
            )
        ]
    if action.get("remove", False):
        if () in matches:
            return [
                overlay.diagnostic(target_at, "the whole document cannot be removed")
            ]
        # Last first, so that removing an item leaves the indices of the others alone
        # (two matches first differ in one container, so their parts compare).
        for parts in sorted(matches, reverse=True):
            doc.remove(parts)
        return []
    if "update" not in action:
        return [
            overlay.diagnostic(at, "the action has neither 'update' nor 'remove: true'")
        ]
    update, update_node = action["update"], overlay.node((*at, "update"))[0]
    problems = []
    for parts in matches:
        target = doc.get(parts)
        if isinstance(target, list):
            value, node = graft(update, update_node)
            doc.append(parts, value, node)
        elif isinstance(target, dict) and isinstance(update, dict):
            _merge(doc, parts, update, update_node)
        else:
            kind = (
                "an object"
                if isinstance(target, dict)
                else "a value that is neither an object nor an array"
            )
            problems.append(
                overlay.diagnostic(
                    (*at, "update"),
                    f"the target {action['target']} selects {kind} at "
                    f"{doc.locate(parts)}, "
                    "which this update cannot be merged into",
                    hint="an object is merged into an object; anything is appended to an array",
                )
            )
    return problems


def _merge(
    doc: OpenAPIDocument, parts: Parts, update: dict[str, Any], node: Node
) -> None:
    assert isinstance(node.children, dict)
    target = doc.get(parts)
    for key, value in update.items():
        child = node.children[key]
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(doc, (*parts, key), value, child)
        else:
            copied, copied_node = graft(value, child)
            doc.set((*parts, key), copied, copied_node)
