"""Load a YAML spec into plain Python values, remembering where each value stood.

PyYAML's composer gives every node a start mark; we keep those marks in a table keyed
by the value's path (``("models", "FIMCompletionRequest", "fields")``) so that later
stages can report ``FILE:LINE:COL`` without carrying positions through their data.

A spec holds JSON values only: strings, numbers, booleans, null, lists and mappings
with string keys. Problems that leave the rest of the file readable (a duplicate key,
an alias, a ``!!binary`` tag) are collected in :attr:`Document.problems` so that they
are reported together with everything the later stages find; only a file that cannot
be parsed at all raises :class:`SpecError` here.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import attrs
import yaml

from ..diagnostics import Diagnostic, SpecError

Path_ = tuple[str | int, ...]

_YAML_TAG = "tag:yaml.org,2002:"
_JSON_TAGS = frozenset(
    _YAML_TAG + name for name in ("str", "int", "float", "bool", "null", "seq", "map")
)
# Plain scalars PyYAML would turn into non-JSON values; a spec reads them as strings.
_STRING_LIKE_TAGS = frozenset(_YAML_TAG + name for name in ("timestamp", "value"))
_IMPLICIT_RESOLVERS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _STRING_LIKE_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# UTF-16 and UTF-32 byte order marks, longest first.
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


@attrs.frozen
class Dialect:
    """What a file is called in messages and how its plain scalars read.

    ``noun`` completes "not allowed in ..."; ``root`` says what the top of the file must
    be; ``resolvers`` is PyYAML's table of implicit tags (first character -> tag, regexp).
    """

    noun: str = "a spec"
    short: str = "spec"
    root: str = "a mapping with 'specbind: 1'"
    resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = attrs.field(
        factory=lambda: _IMPLICIT_RESOLVERS
    )


SPEC = Dialect()


@attrs.frozen
class Position:
    line: int
    column: int


_START = Position(1, 1)


def _diagnostic(file: str, pos: Position, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(file, pos.line, pos.column, message, hint)


@attrs.frozen
class Document:
    """A loaded spec: its values, its source and the position of every value and key.

    ``problems`` are what the loader found wrong but could read past; ``spoiled`` are
    the paths whose value it had to replace with ``None`` (later stages skip them).
    """

    file: str
    text: str
    data: Any
    values: dict[Path_, Position]
    keys: dict[Path_, Position]
    problems: tuple[Diagnostic, ...] = ()
    spoiled: frozenset[Path_] = frozenset()

    def at(self, path: Path_, *, key: bool = False) -> Position:
        """Where the value (or with ``key``, the mapping key) at ``path`` stands.

        Falls back to the nearest enclosing value that has a position.
        """
        table = self.keys if key else self.values
        while path not in table and path:
            path = path[:-1]
            table = self.values
        return table.get(path, _START)

    def error(
        self, path: Path_, message: str, *, key: bool = False, hint: str = ""
    ) -> Diagnostic:
        return _diagnostic(self.file, self.at(path, key=key), message, hint)


def _mark(node: yaml.Node | yaml.Event) -> Position:
    mark = node.start_mark
    return Position(mark.line + 1, mark.column + 1) if mark else _START


def _short_tag(tag: str) -> str:
    return f"!!{tag.removeprefix(_YAML_TAG)}" if tag.startswith(_YAML_TAG) else tag


class _Loader(yaml.SafeLoader):
    """A safe loader that refuses anchors and aliases, so no spec can expand beyond its
    own size; each one is recorded in :attr:`refused` and an alias reads as null."""

    def __init__(self, text: str, dialect: Dialect = SPEC) -> None:
        super().__init__(text)
        self.yaml_implicit_resolvers = dialect.resolvers
        self.dialect = dialect
        self.refused: list[tuple[Position, str]] = []
        self.placeholders: set[int] = set()

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()  # type: ignore[no-untyped-call]
            self.refused.append(
                (
                    _mark(event),
                    f"aliases (*{event.anchor}) are not allowed in {self.dialect.noun}",
                )
            )
            node = yaml.ScalarNode(
                _YAML_TAG + "null", "", event.start_mark, event.end_mark
            )
            self.placeholders.add(id(node))
            return node
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if getattr(event, "anchor", None):
            self.refused.append(
                (
                    _mark(event),
                    f"anchors (&{event.anchor}) are not allowed in {self.dialect.noun}",
                )
            )
            event.anchor = None
        return super().compose_node(parent, index)


_LIBYAML_AVOIDS = re.compile("[\t\r\x85\u2028\u2029]")


class _CLoader(_Loader):
    """:class:`_Loader` taking its events from libyaml's parser, about five times
    faster than PyYAML's own; the nodes, their marks and the refusals are the same."""

    def __init__(self, text: str, dialect: Dialect = SPEC) -> None:
        super().__init__(text, dialect)
        self._events = yaml.CSafeLoader(text)  # only its libyaml parser is used

    def check_event(self, *choices: Any) -> bool:
        return bool(self._events.check_event(*choices))

    def peek_event(self) -> Any:
        return self._events.peek_event()

    def get_event(self) -> Any:
        return self._events.get_event()

    def dispose(self) -> None:
        self._events.dispose()
        super().dispose()


def _read_with_libyaml(
    text: str, dialect: Dialect = SPEC
) -> tuple[_Loader, yaml.Node | None] | None:
    """The node tree as libyaml reads it, or ``None`` when PyYAML was built without
    libyaml or the text has any problem: then PyYAML's own parser reads it again, so
    that diagnostics never depend on which parser is installed.

    Text with tabs or line breaks other than LF goes to PyYAML's parser at once: libyaml
    accepts tabs between tokens, which PyYAML (and so a spec) refuses.
    """
    if not getattr(yaml, "__with_libyaml__", False) or _LIBYAML_AVOIDS.search(text):
        return None
    loader = _CLoader(text, dialect)
    try:
        return loader, loader.get_single_node()
    except (yaml.YAMLError, RecursionError):
        loader.dispose()
        return None


class _Builder:
    """Turn the node tree into JSON values, recording positions and problems."""

    def __init__(self, file: str, loader: _Loader) -> None:
        self.file = file
        self.loader = loader
        self.values: dict[Path_, Position] = {}
        self.keys: dict[Path_, Position] = {}
        self.errors = [
            _diagnostic(file, pos, message) for pos, message in loader.refused
        ]
        self.spoiled: set[Path_] = set()

    def problem(self, node: yaml.Node, message: str) -> None:
        self.errors.append(_diagnostic(self.file, _mark(node), message))

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.values[path] = _mark(node)
        if id(node) in self.loader.placeholders:
            self.spoiled.add(path)
            return None
        if node.tag not in _JSON_TAGS:
            self.problem(
                node,
                f"the YAML tag {_short_tag(node.tag)} is not allowed in "
                f"{self.loader.dialect.noun}: "
                "it holds strings, numbers, true/false, null, lists and mappings",
            )
            self.spoiled.add(path)
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        value = self.loader.construct_object(node, deep=True)
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(
                node, f"'{node.value}' is not allowed: JSON has no NaN or infinity"
            )
            self.spoiled.add(path)
            return None
        return value

    def mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _YAML_TAG + "merge":
                self.problem(
                    key_node,
                    f"merge keys (<<) are not allowed in {self.loader.dialect.noun}",
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "mapping keys must be scalars")
                continue
            # `422:` and `yes:` are names here, not numbers or booleans.
            key = str(key_node.value)
            key_path = (*path, key)
            if key in result:
                first = self.keys[key_path]
                self.problem(
                    key_node,
                    f"duplicate key '{key}' (first defined at line {first.line})",
                )
                continue
            self.keys[key_path] = _mark(key_node)
            result[key] = self.build(value_node, key_path)
        return result


def _position(text: str, index: int) -> Position:
    """The line and column of ``text[index]``, counting lines as YAML does."""
    lines = (text[:index] + "^").splitlines()  # "^" stands for text[index]
    return Position(len(lines), len(lines[-1]))


def _yaml_error(file: str, text: str, exc: yaml.YAMLError) -> Diagnostic:
    if isinstance(exc, yaml.reader.ReaderError):
        return _diagnostic(
            file,
            _position(text, exc.position),
            f"invalid YAML: the control character U+{exc.character:04X} is not allowed",
            "write it as an escape inside a double-quoted string",
        )
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Diagnostic(file, 1, 1, f"invalid YAML: {exc}")
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or exc.context or "invalid YAML"
    hint = ""
    if "found character '\\t'" in problem:
        lines = text.splitlines()
        before = lines[line - 1][: column - 1] if line <= len(lines) else ""
        problem = (
            "a tab character in the indentation: YAML indents with spaces only"
            if not before.strip()
            else "a tab character here: separate YAML tokens with spaces"
        )
    elif exc.context and problem.startswith("but "):
        problem = f"{exc.context}, {problem}"
    elif exc.context and exc.problem and exc.context_mark:
        start = exc.context_mark
        hint = f"{exc.context} at line {start.line + 1}, column {start.column + 1}"
    return Diagnostic(file, line, column, f"invalid YAML: {problem}", hint)


def load_text(text: str, file: str, dialect: Dialect = SPEC) -> Document:
    """Parse spec ``text`` (named ``file`` in diagnostics) into a :class:`Document`."""
    if "\x00" in text:
        pos = _position(text, text.index("\x00"))
        message = f"the file contains a NUL byte; {dialect.noun} is UTF-8 text"
        raise SpecError([_diagnostic(file, pos, message)])
    try:
        loader = _Loader(text, dialect)
    except yaml.YAMLError as exc:  # the reader refuses control characters up front
        raise SpecError([_yaml_error(file, text, exc)]) from None
    read = _read_with_libyaml(text, dialect)
    try:
        if read is not None:
            loader, root = read
        else:
            root = loader.get_single_node()
        if root is None:
            data, builder = None, None
        else:
            builder = _Builder(file, loader)
            data = builder.build(root, ())
    except yaml.YAMLError as exc:
        raise SpecError([_yaml_error(file, text, exc)]) from None
    except RecursionError:
        message = f"the {dialect.short} nests too deeply to be read"
        raise SpecError([_diagnostic(file, _START, message)]) from None
    finally:
        loader.dispose()
    if builder is None or data is None:
        message = f"the {dialect.short} is empty; expected {dialect.root}"
        raise SpecError([_diagnostic(file, _START, message)])
    if not isinstance(data, dict):
        message = f"the {dialect.short} must be {dialect.root} at the top"
        raise SpecError(
            [*builder.errors, _diagnostic(file, builder.values[()], message)]
        )
    return Document(
        file,
        text,
        data,
        builder.values,
        builder.keys,
        tuple(builder.errors),
        frozenset(builder.spoiled),
    )


def load_file(path: Path, display: str | None = None) -> Document:
    """Read and parse a spec file; a file that is not UTF-8 is a diagnostic, not a crash."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError(
            [Diagnostic(name, 1, 1, f"cannot read the spec: {exc.strerror or exc}")]
        ) from None
    return load_text(decode_utf8(raw, name), name)


def decode_utf8(raw: bytes, name: str) -> str:
    """``raw`` as text, without a UTF-8 byte order mark; any other encoding is a
    diagnostic at the first byte that is not UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8")) + 1
        encoding = next((name for bom, name in _BOMS if raw.startswith(bom)), None)
        raise SpecError(
            [
                Diagnostic(
                    name,
                    line,
                    column,
                    f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                    f"it looks like {encoding}; save it as UTF-8" if encoding else "",
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")
