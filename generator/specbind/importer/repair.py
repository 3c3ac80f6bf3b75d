"""Repairs of the mechanical mistakes real documents carry, each one a warning.

Only mistakes with one possible meaning are repaired (Mistral's published documents
have each of them): a type spelt as in a programming language (``type: int``),
``required: true`` on a property (it belongs in the object's ``required`` list), ``items``
written as a list of one schema, and a path parameter for a placeholder the path does
not have. With ``strict`` each is an error instead (and the document is not imported).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..diagnostics import Diagnostic
from .document import (
    Node,
    OpenAPIDocument,
    Parts,
    operation_name,
    operations,
    resolve,
    schemas,
)

TYPES = ("string", "number", "integer", "boolean", "array", "object", "null")
# Spellings of a type from programming languages, each with one JSON Schema meaning.
TYPE_ALIASES = {
    "int": "integer",
    "int32": "integer",
    "int64": "integer",
    "long": "integer",
    "bool": "boolean",
    "str": "string",
    "float": "number",
    "double": "number",
    "dict": "object",
    "list": "array",
}
OPERATION_FIELDS = frozenset(
    ("tags", "summary", "description", "externalDocs", "operationId", "parameters"),
) | frozenset(
    ("requestBody", "responses", "callbacks", "deprecated", "security", "servers")
)


class _Repairs:
    def __init__(self, doc: OpenAPIDocument, strict: bool) -> None:
        self.doc = doc
        self.severity = "error" if strict else "warning"
        self.found: list[Diagnostic] = []

    def report(
        self, parts: Parts, problem: str, fix: str, *, key: bool = False
    ) -> None:
        if self.severity == "warning":
            message, hint = f"{problem}; {fix}", ""
        else:
            message, hint = problem, f"without --strict: {fix}"
        self.found.append(
            self.doc.diagnostic(
                parts, message, severity=self.severity, hint=hint, key=key
            )
        )

    def schema(self, parts: Parts) -> None:
        schema = self.doc.get(parts)
        self.type_names(parts, schema)
        self.items_list(parts, schema)
        self.property_required(parts, schema)
        self.const_in_3_0(parts, schema)
        self.number_default(parts, schema)

    def const_in_3_0(self, parts: Parts, schema: dict[str, Any]) -> None:
        if self.doc.version != "3.0" or "const" not in schema or "enum" in schema:
            return
        at = (*parts, "const")
        self.report(
            at, "'const' is not in OpenAPI 3.0", "read as a one-value 'enum'", key=True
        )
        node = self.doc.node(at)[0]
        value = schema["const"]
        self.doc.remove(at)
        self.doc.set((*parts, "enum"), [value], Node(node.where, node.key, [node]))

    def number_default(self, parts: Parts, schema: dict[str, Any]) -> None:
        default = schema.get("default")
        if schema.get("type") != "string" or isinstance(default, bool):
            return
        if isinstance(default, (int, float)):
            at = (*parts, "default")
            text = json.dumps(default)
            self.report(
                at, f"the default {text} of a string is a number", f"read as '{text}'"
            )
            self.doc.set(at, text, self.doc.node(at)[0])

    def type_names(self, parts: Parts, schema: dict[str, Any]) -> None:
        spelt = schema.get("type")
        if isinstance(spelt, str):
            self.type_name((*parts, "type"), spelt)
        elif isinstance(spelt, list):
            for i, name in enumerate(spelt):
                if isinstance(name, str):
                    self.type_name((*parts, "type", i), name)

    def type_name(self, parts: Parts, spelt: str) -> None:
        if spelt in TYPES:
            return
        meant = TYPE_ALIASES.get(spelt.lower(), spelt.lower())
        if meant not in TYPES:
            return  # not a mistake with one meaning: the validator reports it
        self.report(
            parts, f"type '{spelt}' is not a JSON Schema type", f"read as '{meant}'"
        )
        self.doc.set(parts, meant, self.doc.node(parts)[0])

    def items_list(self, parts: Parts, schema: dict[str, Any]) -> None:
        items = schema.get("items")
        if isinstance(items, list) and len(items) == 1 and isinstance(items[0], dict):
            at = (*parts, "items")
            self.report(
                at,
                "'items' is a list of one schema",
                "read as that schema",
            )
            self.doc.set(
                at, items[0], _keyed(self.doc.node((*at, 0))[0], self.doc.node(at)[0])
            )

    def property_required(self, parts: Parts, schema: dict[str, Any]) -> None:
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            return
        for name, prop in list(properties.items()):
            if not isinstance(prop, dict) or not isinstance(prop.get("required"), bool):
                continue
            at = (*parts, "properties", name, "required")
            flag = prop["required"]
            key_node = self.doc.node(at)[0]
            if flag:
                self.report(
                    at,
                    f"'required: true' on property '{name}'",
                    "moved to the object's 'required' list",
                    key=True,
                )
                self.require(parts, name, Node(key_node.key or key_node.where))
            else:
                self.report(
                    at,
                    f"'required: false' on property '{name}'",
                    "removed: not required is the default",
                    key=True,
                )
            self.doc.remove(at)

    def require(self, parts: Parts, name: str, node: Node) -> None:
        required = self.doc.get((*parts, "required"))
        if not isinstance(required, list):
            self.doc.set((*parts, "required"), [], Node(node.where, node.where, []))
            required = []
        if name not in required:
            self.doc.append((*parts, "required"), name, node)

    def operation_fields(self) -> None:
        for _, _, op in operations(self.doc):
            for name in list(self.doc.get(op)):
                if name not in OPERATION_FIELDS and not name.startswith("x-"):
                    at = (*op, name)
                    self.report(
                        at,
                        f"'{name}' is not a field of an operation",
                        "dropped: it means nothing to OpenAPI",
                        key=True,
                    )
                    self.doc.remove(at)

    def path_parameters(self) -> None:
        paths = self.doc.get(("paths",))
        for template in list(paths) if isinstance(paths, dict) else ():
            self.unused_parameters(("paths", template), f"path '{template}'")
        for _, _, op in operations(self.doc):
            self.unused_parameters(op, operation_name(self.doc, op))

    def unused_parameters(self, holder: Parts, owner: str) -> None:
        doc, template = self.doc, str(holder[1])
        placeholders = set(re.findall(r"\{([^{}]+)\}", template))
        params = doc.get((*holder, "parameters"))
        for i in reversed(range(len(params) if isinstance(params, list) else 0)):
            at = (*holder, "parameters", i)
            _, param = resolve(doc, at)
            if not isinstance(param, dict) or param.get("in") != "path":
                continue
            name = param.get("name")
            if isinstance(name, str) and name not in placeholders:
                self.report(
                    at,
                    f"path parameter '{name}' of {owner} is not in the path '{template}'",
                    "dropped",
                )
                doc.remove(at)


def _keyed(node: Node, holder: Node) -> Node:
    node.key = holder.key
    return node


def repair(doc: OpenAPIDocument, *, strict: bool = False) -> list[Diagnostic]:
    """Repair ``doc`` in place; one diagnostic per repair (errors when ``strict``)."""
    repairs = _Repairs(doc, strict)
    for parts in schemas(doc):
        repairs.schema(parts)
    repairs.operation_fields()
    repairs.path_parameters()
    return repairs.found
