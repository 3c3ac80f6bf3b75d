"""Load a YAML spec into plain Python values, remembering where each value stood.

PyYAML's composer gives every node a start mark; we keep those marks in a table keyed
by the value's path (``("models", "FIMCompletionRequest", "fields")``) so that later
stages can report ``FILE:LINE:COL`` without carrying positions through their data.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import attrs
import yaml

from ..diagnostics import Diagnostic, SpecError

Path_ = tuple[str | int, ...]


@attrs.frozen
class Position:
    line: int
    column: int


@attrs.frozen
class Document:
    """A loaded spec: its values, its source and the position of every value and key."""

    file: str
    text: str
    data: Any
    values: dict[Path_, Position]
    keys: dict[Path_, Position]

    def at(self, path: Path_, *, key: bool = False) -> Position:
        """Where the value (or with ``key``, the mapping key) at ``path`` stands.

        Falls back to the nearest enclosing value that has a position.
        """
        table = self.keys if key else self.values
        while path not in table and path:
            path = path[:-1]
            table = self.values
        return table.get(path, Position(1, 1))

    def error(
        self, path: Path_, message: str, *, key: bool = False, hint: str = ""
    ) -> Diagnostic:
        pos = self.at(path, key=key)
        return Diagnostic(self.file, pos.line, pos.column, message, hint)


class _Loader(yaml.SafeLoader):
    """A safe loader that refuses aliases, so no spec can expand beyond its own size."""

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None,
                None,
                "aliases (*name) are not allowed in a spec",
                event.start_mark,
            )
        if self.check_event(
            yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent
        ):
            event = self.peek_event()
            if getattr(event, "anchor", None):
                raise yaml.MarkedYAMLError(
                    None,
                    None,
                    "anchors (&name) are not allowed in a spec",
                    event.start_mark,
                )
        return super().compose_node(parent, index)  # type: ignore[no-any-return]


def _mark(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, file: str, loader: _Loader) -> None:
        self.file = file
        self.loader = loader
        self.values: dict[Path_, Position] = {}
        self.keys: dict[Path_, Position] = {}
        self.errors: list[Diagnostic] = []

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.values[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node, deep=True)
                if not isinstance(key, Hashable) or isinstance(key, (list, dict)):
                    pos = _mark(key_node)
                    self.errors.append(
                        Diagnostic(
                            self.file,
                            pos.line,
                            pos.column,
                            "mapping keys must be scalars",
                        )
                    )
                    continue
                if isinstance(key, (bool, int, float)) or key is None:
                    key = (
                        key_node.value
                    )  # `422:` and `yes:` are names here, not numbers
                if key in result:
                    pos, first = _mark(key_node), self.keys[(*path, key)]
                    self.errors.append(
                        Diagnostic(
                            self.file,
                            pos.line,
                            pos.column,
                            f"duplicate key '{key}' (first defined at line {first.line})",
                        )
                    )
                    continue
                self.keys[(*path, key)] = _mark(key_node)
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)


def load_text(text: str, file: str) -> Document:
    """Parse spec ``text`` (named ``file`` in diagnostics) into a :class:`Document`."""
    if "\x00" in text:
        raise SpecError(
            [
                Diagnostic(
                    file, 1, 1, "the file contains a NUL byte; a spec is UTF-8 text"
                )
            ]
        )
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise SpecError(
                [
                    Diagnostic(
                        file,
                        1,
                        1,
                        "the spec is empty; expected a mapping with 'specbind: 1'",
                    )
                ]
            )
        builder = _Builder(file, loader)
        data = builder.build(root, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if "\t" in problem or "found character '\\t'" in problem:
            problem = "a tab character here: YAML indents with spaces only"
        raise SpecError(
            [Diagnostic(file, line, column, f"invalid YAML: {problem}")]
        ) from None
    except yaml.YAMLError as exc:
        raise SpecError([Diagnostic(file, 1, 1, f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if builder.errors:
        raise SpecError(builder.errors)
    if not isinstance(data, dict):
        pos = builder.values[()]
        raise SpecError(
            [
                Diagnostic(
                    file,
                    pos.line,
                    pos.column,
                    "the spec must be a mapping with 'specbind: 1' at the top",
                )
            ]
        )
    return Document(file, text, data, builder.values, builder.keys)


def load_file(path: Path, display: str | None = None) -> Document:
    """Read and parse a spec file; a file that is not UTF-8 is a diagnostic, not a crash."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError(
            [Diagnostic(name, 1, 1, f"cannot read the spec: {exc.strerror}")]
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError(
            [
                Diagnostic(
                    name,
                    line,
                    column,
                    f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                )
            ]
        ) from None
    return load_text(text.removeprefix("\ufeff"), name)
