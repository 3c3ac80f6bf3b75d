"""What of a spec can still be built when some of its values break the schema.

A damaged value inside a part (a model's ``unknown_fields``, a field's ``required``, a
union's variant) is left out of the data, and the part is built from the rest: its
types are resolved and checked, its values are not (they may depend on what was left
out), so one run reports every error of the file. Where leaving a value out breaks the
part itself (it was required, like a field's ``type``), the part is skipped whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from .. import ir
from ..parse.load import Document, Path_
from ..parse.validate import schema_problems

NAMED_SECTIONS: dict[str, ir.NamedKind] = {
    "models": "model",
    "unions": "union",
    "enums": "enum",
}
_SECTIONS = (*NAMED_SECTIONS, "operations")
# The key under a section entry whose entries are parts of their own.
_SUBSECTIONS = {"models": "fields", "operations": "methods"}


@attrs.frozen
class Usable:
    """The document without its damaged values, and which parts that leaves."""

    doc: Document
    broken: frozenset[Path_]  # skipped whole
    partial: frozenset[Path_]  # built without some values of theirs


def usable(doc: Document, damaged: Iterable[Path_]) -> Usable | None:
    """What can be built of ``doc`` with the values at ``damaged`` unusable.

    ``None`` when a section of named types is damaged: with its names unknown, every
    reference to them would be reported wrongly.
    """
    left_out: set[Path_] = set()
    broken: set[Path_] = set()
    for path in damaged:
        part = part_of(path)
        if part is None:
            return None
        if len(path) > len(part):
            left_out.add(path)
        else:
            broken.add(part)
    if not left_out:
        # The data is the document's own, so validating it again would find only the
        # problems already given (each in ``damaged``): a large spec's second pass.
        rest = attrs.evolve(doc, spoiled=frozenset())
        return Usable(rest, frozenset(broken), frozenset())
    moves: dict[Path_, dict[int, int]] = {}
    data = _without(doc.data, left_out, (), moves)
    rest = attrs.evolve(
        doc,
        data=data,
        values=_moved(doc.values, moves),
        keys=_moved(doc.keys, moves),
        spoiled=frozenset(),
    )
    # What leaving values out breaks in turn (a required key or a list item now
    # missing) makes its part broken; no new problem of the file, nothing to report.
    for problem in schema_problems(rest):
        if problem.damaged is not None:
            part = part_of(problem.damaged)
            if part is None:
                return None
            broken.add(part)
    partial = {p for path in left_out if (p := part_of(path)) is not None} - broken
    return Usable(rest, frozenset(broken), frozenset(partial))


def part_of(path: Path_) -> Path_ | None:
    """The smallest part of a spec that holds ``path`` and can be skipped on its own.

    A top-level key, a model, union, enum or group, a field or a method; ``None`` when
    the problem is with a whole section of named types.
    """
    if not path:
        return None
    section = path[0]
    if section not in _SECTIONS:
        return path[:1]
    if len(path) < 2:
        return None if section in NAMED_SECTIONS else path[:1]
    if section == "operations":
        return _operation_part(path)
    sub = _SUBSECTIONS.get(str(section))
    if sub is not None and len(path) >= 4 and path[2] == sub:
        return path[:4]
    return path[:2]


def _operation_part(path: Path_) -> Path_:
    """The group (at any depth, through ``groups:``) or method that holds ``path``."""
    end = 2  # path[:2] is a top-level group
    while len(path) >= end + 2 and path[end] == "groups":
        end += 2
    if len(path) >= end + 2 and path[end] == "methods":
        return path[: end + 2]
    return path[:end]


def _without(
    data: Any, paths: set[Path_], at: Path_, moves: dict[Path_, dict[int, int]]
) -> Any:
    """A copy of ``data`` (found at ``at``) without the values at ``paths``.

    Where a list loses items, ``moves[list path]`` maps each old index to the new one.
    """
    if not paths:
        return data

    def inner(key: Any) -> set[Path_]:
        return {p[1:] for p in paths if p[0] == key}

    if isinstance(data, dict):
        return {
            k: _without(v, inner(k), (*at, k), moves)
            for k, v in data.items()
            if () not in inner(k)
        }
    if isinstance(data, list):
        kept = [i for i in range(len(data)) if () not in inner(i)]
        moves[at] = {old: new for new, old in enumerate(kept)}
        return [_without(data[i], inner(i), (*at, i), moves) for i in kept]
    return data


def _moved(
    table: dict[Path_, Any], moves: dict[Path_, dict[int, int]]
) -> dict[Path_, Any]:
    """``table`` keyed by the paths of the data after :func:`_without`: the items of a
    list that lost some keep their positions under their new indices."""
    if not moves:
        return table
    out = {}
    for path, value in table.items():
        new: list[Any] = []
        for depth, step in enumerate(path):
            move = moves.get(path[:depth])
            if move is not None and isinstance(step, int):
                if step not in move:
                    break  # the item was left out
                step = move[step]
            new.append(step)
        else:
            out[tuple(new)] = value
    return out
