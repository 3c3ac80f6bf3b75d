"""An OpenAPI document as the importer reads it: plain JSON values, and where each stood.

:func:`load_document` reads a document (YAML or JSON, a path or ``-`` for stdin), applies
the overlays, repairs the mechanical mistakes real documents carry, validates the result
and scans it for what specbind cannot import. Every value keeps the place it came from,
in the document or in the overlay that added it, so that each diagnostic names a
``FILE:LINE:COL`` and the JSON pointer (RFC 6901) of what it is about.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs

from ..diagnostics import Diagnostic, SpecError
from ..parse.load import Dialect, Document, decode_utf8, load_text

Parts = tuple[str | int, ...]

# YAML 1.2's core schema, which OpenAPI asks for: `1e-08` is a number, `yes` and `on`
# are strings, and `2024-11-07` stays a string (PyYAML reads YAML 1.1 otherwise).
_CORE_SCHEMA: list[tuple[str, str, str]] = [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?(?:0|[1-9][0-9]*)|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN\0"),
    ("merge", r"^(?:<<)$", "<"),
]


def _core_resolvers() -> dict[str | None, list[tuple[str, re.Pattern[str]]]]:
    table: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}
    for name, pattern, firsts in _CORE_SCHEMA:
        compiled = re.compile(pattern)
        for first in firsts:
            key = None if first == "\0" else first
            table.setdefault(key, []).append(("tag:yaml.org,2002:" + name, compiled))
    return table


DOCUMENT = Dialect(
    noun="an OpenAPI document",
    short="document",
    root="a mapping with 'openapi: 3.1.0' (or 3.0.x)",
    resolvers=_core_resolvers(),
)
OVERLAY = attrs.evolve(
    DOCUMENT, noun="an overlay", short="overlay", root="a mapping with 'overlay: 1.0.0'"
)


@attrs.frozen
class Where:
    """A place in a file: ``FILE:LINE:COL``."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Node:
    """Where one value stood (and its key, in a mapping), mirroring the value's shape:
    ``children`` is a dict for a mapping, a list for a sequence, ``None`` otherwise."""

    __slots__ = ("children", "key", "where")

    def __init__(
        self,
        where: Where,
        key: Where | None = None,
        children: dict[str, Node] | list[Node] | None = None,
    ) -> None:
        self.where = where
        self.key = key
        self.children = children


def _nodes(doc: Document, value: Any, path: tuple[str | int, ...] = ()) -> Node:
    pos = doc.values.get(path) or doc.at(path)
    key_pos = doc.keys.get(path)
    node = Node(
        Where(doc.file, pos.line, pos.column),
        Where(doc.file, key_pos.line, key_pos.column) if key_pos else None,
    )
    if isinstance(value, dict):
        node.children = {k: _nodes(doc, v, (*path, k)) for k, v in value.items()}
    elif isinstance(value, list):
        node.children = [_nodes(doc, v, (*path, i)) for i, v in enumerate(value)]
    return node


def escape(part: str | int) -> str:
    """One reference token of a JSON pointer (RFC 6901): ``~`` -> ``~0``, ``/`` -> ``~1``."""
    return str(part).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """The key a JSON pointer's reference token spells (``~1`` before ``~0``)."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer(parts: Iterable[str | int]) -> str:
    """The JSON pointer of ``parts`` (``("paths", "/a")`` -> ``/paths/~1a``)."""
    return "".join("/" + escape(p) for p in parts)


def pointer_parts(text: str, data: Any) -> Parts:
    """The parts of JSON pointer ``text`` (with or without a leading ``#``), indices as
    ints where ``data`` has a list; stops at the first part ``data`` lacks."""
    text = text.removeprefix("#")
    if not text:
        return ()
    parts: list[str | int] = []
    value = data
    for raw in text.removeprefix("/").split("/"):
        part = unescape(raw)
        if isinstance(value, list) and part.isdigit() and int(part) < len(value):
            parts.append(int(part))
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            parts.append(part)
            value = value[part]
        else:
            parts.append(part)
            value = None
    return tuple(parts)


@attrs.define(eq=False)
class OpenAPIDocument:
    """The document's values in ``data`` and where each came from.

    Change ``data`` only through :meth:`set`, :meth:`remove` and :meth:`append`, which
    keep the places in step.
    """

    file: str
    data: dict[str, Any]
    root: Node

    @property
    def version(self) -> str:
        """``"3.0"`` or ``"3.1"``."""
        return str(self.data.get("openapi", ""))[:3]

    def get(self, parts: Parts, default: Any = None) -> Any:
        value: Any = self.data
        for part in parts:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return default
        return value

    def node(self, parts: Parts) -> tuple[Node, bool]:
        """The node at ``parts``, or the nearest ancestor's (and ``False``)."""
        node = self.root
        for part in parts:
            children = node.children
            if isinstance(children, dict) and isinstance(part, str):
                if part not in children:
                    return node, False
                node = children[part]
            elif isinstance(children, list) and isinstance(part, int):
                if not 0 <= part < len(children):
                    return node, False
                node = children[part]
            else:
                return node, False
        return node, True

    def locate(self, parts: Parts, *, key: bool = False) -> Where:
        """Where the value at ``parts`` stands (with ``key``, its mapping key)."""
        node, found = self.node(parts)
        if key and found and node.key is not None:
            return node.key
        return node.where

    def where(self, pointer_text: str) -> str:
        """``FILE:LINE:COL`` of the value at JSON pointer ``pointer_text``."""
        return str(self.locate(pointer_parts(pointer_text, self.data)))

    def diagnostic(
        self,
        parts: Parts,
        message: str,
        *,
        severity: str = "error",
        hint: str = "",
        key: bool = False,
    ) -> Diagnostic:
        at = self.locate(parts, key=key)
        return Diagnostic(
            at.file, at.line, at.column, message, hint, severity, pointer(parts)
        )

    # Changes, each made to the value and to its places together.

    def _parent(self, parts: Parts) -> tuple[Any, Node]:
        parent = self.get(parts[:-1])
        node, found = self.node(parts[:-1])
        if not found or not isinstance(parent, (dict, list)):
            raise KeyError(pointer(parts))
        return parent, node

    def set(self, parts: Parts, value: Any, node: Node) -> None:
        """Put ``value`` (standing where ``node`` says) at ``parts``."""
        parent, parent_node = self._parent(parts)
        last = parts[-1]
        parent[last] = value
        assert parent_node.children is not None
        parent_node.children[last] = node  # type: ignore[index]

    def remove(self, parts: Parts) -> None:
        parent, parent_node = self._parent(parts)
        del parent[parts[-1]]
        assert parent_node.children is not None
        del parent_node.children[parts[-1]]  # type: ignore[arg-type]

    def append(self, parts: Parts, value: Any, node: Node) -> None:
        """Append ``value`` to the list at ``parts``."""
        target = self.get(parts)
        target_node, _ = self.node(parts)
        assert isinstance(target, list) and isinstance(target_node.children, list)
        target.append(value)
        target_node.children.append(node)


def graft(value: Any, node: Node) -> tuple[Any, Node]:
    """Independent copies of ``value`` and its places, to put into a document."""
    return copy.deepcopy(value), copy.deepcopy(node)


def read_source(
    source: str | Path, dialect: Dialect, text: str | None = None
) -> tuple[str, Any, Node, list[Diagnostic]]:
    """Read a YAML or JSON file (``-``: stdin): its display name, values, places and
    the problems the loader read past. Raises :class:`SpecError` when unreadable.

    With ``text``, that is the content and ``source`` only its label (a file read
    from elsewhere, such as ``REF:PATH`` from git)."""
    name = "<stdin>" if str(source) == "-" and text is None else str(source)
    if text is None:
        text = decode_utf8(_read_bytes(source, name), name)
    if "\t" in text and text.lstrip()[:1] in ("{", "["):
        try:
            json.loads(text)
        except ValueError:
            pass
        else:
            # JSON may indent with tabs, which YAML refuses; outside strings (where a
            # JSON tab is always escaped) a space reads the same, one column wide.
            text = text.replace("\t", " ")
    loaded = load_text(text, name, dialect)
    return name, loaded.data, _nodes(loaded, loaded.data), list(loaded.problems)


def _read_bytes(source: str | Path, name: str) -> bytes:
    if str(source) == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        message = f"cannot read the file: {exc.strerror or exc}"
        raise SpecError([Diagnostic(name, 1, 1, message)]) from None


_VERSION = re.compile(r"3\.[01]\.\d+")


def _check_version(doc: OpenAPIDocument) -> list[Diagnostic]:
    data = doc.data
    if "openapi" not in data:
        if "swagger" in data:
            return [
                doc.diagnostic(
                    ("swagger",),
                    "Swagger (OpenAPI 2.0) documents are not supported",
                    hint="convert it to OpenAPI 3.0 or 3.1 first",
                )
            ]
        return [
            doc.diagnostic(
                (),
                "not an OpenAPI document: it has no 'openapi' version",
                hint="expected 'openapi: 3.1.0' or 'openapi: 3.0.3' at the top",
            )
        ]
    version = data["openapi"]
    if not isinstance(version, str):
        return [
            doc.diagnostic(
                ("openapi",),
                f"the OpenAPI version must be a string, not {version!r}",
                hint=f'quote it: openapi: "{version}"',
            )
        ]
    if not _VERSION.fullmatch(version):
        return [
            doc.diagnostic(
                ("openapi",),
                f"OpenAPI {version} is not supported; specbind imports 3.0.x and 3.1.x",
            )
        ]
    return []


def _fatal(diagnostics: Sequence[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def load_document(
    source: str | Path,
    overlays: Sequence[str | Path] = (),
    strict: bool = False,
    skip_unsupported: bool = False,
    text: str | None = None,
) -> tuple[OpenAPIDocument, list[Diagnostic]]:
    """The document at ``source`` (``-``: stdin) with ``overlays`` applied in order,
    repaired, validated and scanned, and its diagnostics (warnings and errors).
    With ``text``, the document is that text and ``source`` the label its
    diagnostics name (``REF:PATH`` for a document read from git).

    Raises :class:`SpecError` with every diagnostic found when any is an error.
    ``strict`` makes each repair an error; ``skip_unsupported`` makes each construct
    specbind cannot import a warning and removes it from :attr:`OpenAPIDocument.data`.
    """
    from . import overlay, repair, unsupported, validate

    name, data, root, diagnostics = read_source(source, DOCUMENT, text)
    doc = OpenAPIDocument(name, data, root)
    diagnostics += _check_version(doc)
    if _fatal(diagnostics):
        raise SpecError(diagnostics)
    for path in overlays:
        diagnostics += overlay.apply(doc, path)
    if _fatal(diagnostics):
        raise SpecError(diagnostics)
    diagnostics += repair.repair(doc, strict=strict)
    diagnostics += validate.validate(doc)
    if _fatal(diagnostics):
        raise SpecError(diagnostics)
    diagnostics += unsupported.scan(doc, skip=skip_unsupported)
    if _fatal(diagnostics):
        raise SpecError(diagnostics)
    return doc, sorted(set(diagnostics))


METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operations(doc: OpenAPIDocument) -> Iterable[tuple[str, str, Parts]]:
    """Every operation: its path template, method and parts (``paths/<path>/<method>``)."""
    paths = doc.data.get("paths")
    if not isinstance(paths, dict):
        return
    for template, item in list(paths.items()):
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            if isinstance(item.get(method), dict):
                yield template, method, ("paths", template, method)


def operation_name(doc: OpenAPIDocument, parts: Parts) -> str:
    """``operation get /v1/models (list_models_v1_models_get)``, for messages."""
    template, method = str(parts[1]), str(parts[2])
    op_id = doc.get((*parts, "operationId"))
    named = f" ({op_id})" if isinstance(op_id, str) else ""
    return f"operation {method.upper()} {template}{named}"


class Values(Protocol):
    """A document's values, reached by their parts (what :func:`resolve` needs)."""

    @property
    def data(self) -> Any: ...
    def get(self, parts: Parts, default: Any = None) -> Any: ...


def resolve(doc: Values, parts: Parts) -> tuple[Parts, Any]:
    """Follow local ``$ref``s from the value at ``parts``: the parts and the value
    finally reached (the last ``$ref`` object itself when it leads nowhere)."""
    value = doc.get(parts)
    seen: set[Parts] = set()
    while isinstance(value, dict) and isinstance(value.get("$ref"), str):
        ref = value["$ref"]
        if not ref.startswith("#") or parts in seen:
            break
        seen.add(parts)
        target = pointer_parts(ref[1:], doc.data)
        found = doc.get(target, _MISSING)
        if found is _MISSING:
            break
        parts, value = target, found
    return parts, value


_MISSING = object()

# Keywords whose value is a schema, one whose values are schemas by name, and ones
# whose items are schemas (JSON Schema 2020-12 and OpenAPI 3.0's subset of draft 5).
SCHEMA_KEYWORDS = (
    "items", "additionalProperties", "not", "contains", "if", "then", "else",
    "propertyNames", "unevaluatedItems", "unevaluatedProperties", "additionalItems",
)  # fmt: skip
SCHEMA_MAPS = (
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
)
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")


def schema_roots(doc: OpenAPIDocument) -> Iterable[Parts]:
    """The parts of every schema the document states directly (components, parameters,
    media types, headers), not the schemas nested inside them."""
    data = doc.data
    components = data.get("components")
    if isinstance(components, dict):
        for name in _keys(components.get("schemas")):
            yield ("components", "schemas", name)
        for kind in ("parameters", "headers"):
            for name in _keys(components.get(kind)):
                yield from _holder_schemas(doc, ("components", kind, name))
        for name in _keys(components.get("requestBodies")):
            yield from _content_schemas(doc, ("components", "requestBodies", name))
        for name in _keys(components.get("responses")):
            yield from _response_schemas(doc, ("components", "responses", name))
    for template, item in _items(data.get("paths")):
        for i, _ in enumerate(_list(item.get("parameters"))):
            yield from _holder_schemas(doc, ("paths", template, "parameters", i))
    for _, _, op in operations(doc):
        for i, _ in enumerate(_list(doc.get((*op, "parameters")))):
            yield from _holder_schemas(doc, (*op, "parameters", i))
        yield from _content_schemas(doc, (*op, "requestBody"))
        for status in _keys(doc.get((*op, "responses"))):
            yield from _response_schemas(doc, (*op, "responses", status))


def _keys(value: Any) -> list[str]:
    return list(value) if isinstance(value, dict) else []


def _items(value: Any) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(value, dict):
        return []
    return [(k, v) for k, v in value.items() if isinstance(v, dict)]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _holder_schemas(doc: OpenAPIDocument, parts: Parts) -> Iterable[Parts]:
    """A parameter's or header's schema (or its content's)."""
    if isinstance(doc.get(parts), dict):
        if "schema" in doc.get(parts):
            yield (*parts, "schema")
        yield from _content_schemas(doc, parts)


def _content_schemas(doc: OpenAPIDocument, parts: Parts) -> Iterable[Parts]:
    for media_type in _keys(doc.get((*parts, "content"))):
        media = doc.get((*parts, "content", media_type))
        if isinstance(media, dict) and "schema" in media:
            yield (*parts, "content", media_type, "schema")


def _response_schemas(doc: OpenAPIDocument, parts: Parts) -> Iterable[Parts]:
    yield from _content_schemas(doc, parts)
    for name in _keys(doc.get((*parts, "headers"))):
        yield from _holder_schemas(doc, (*parts, "headers", name))


def schemas(doc: OpenAPIDocument) -> Iterable[Parts]:
    """Every schema object of the document, nested ones included, each once (a
    ``$ref`` is not followed: what it names is a schema of its own)."""
    stack = list(schema_roots(doc))[::-1]
    while stack:
        parts = stack.pop()
        schema = doc.get(parts)
        if not isinstance(schema, dict):
            continue
        yield parts
        nested: list[Parts] = []
        for keyword in SCHEMA_KEYWORDS:
            if isinstance(schema.get(keyword), (dict, list)):
                nested.append((*parts, keyword))
        for keyword in SCHEMA_MAPS:
            nested += [(*parts, keyword, name) for name in _keys(schema.get(keyword))]
        for keyword in SCHEMA_LISTS:
            nested += [
                (*parts, keyword, i) for i, _ in enumerate(_list(schema.get(keyword)))
            ]
        stack += nested[::-1]
