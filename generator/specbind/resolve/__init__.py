"""Spec -> IR: resolve names and inline unions, derive Python names, check every value.

The steps, in order: declare every model, union and enum name; build the unions
(:mod:`.definitions`, with the type expressions of :mod:`.expressions`), the enums and
the models, checking each field's values (:mod:`.values`); then the checks that need
every type built (:mod:`.checks`), and last the operations (:mod:`.operations`).

All problems of a spec are collected and raised together as one :class:`SpecError`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from .. import ir
from ..diagnostics import SpecError
from ..parse.load import Document, Path_, load_file
from ..parse.types import TYPE_NAME
from ..parse.validate import schema_problems
from .checks import check_cycles, check_discriminators
from .context import Context
from .definitions import build_enum, build_models, build_union
from .operations import build_group

_NAMED_SECTIONS: dict[str, ir.NamedKind] = {
    "models": "model",
    "unions": "union",
    "enums": "enum",
}
_SECTIONS = (*_NAMED_SECTIONS, "operations")
# The key under a section entry whose entries are parts of their own.
_SUBSECTIONS = {"models": "fields", "operations": "methods"}


def load_api(path: Path, display: str | None = None) -> ir.Api:
    """Load, validate and build the IR of the spec at ``path``."""
    return build_api(load_file(path, display))


def build_api(doc: Document) -> ir.Api:
    """Check the document and build its IR; every problem is raised in one SpecError.

    A value that breaks the schema is reported and left out, and the rest is still
    checked, so one run reports every error of the file (see :func:`_usable`).
    """
    problems = schema_problems(doc)
    diagnostics = [*doc.problems, *(p.diagnostic for p in problems)]
    damaged = [*doc.spoiled, *(p.damaged for p in problems if p.damaged is not None)]
    usable = _usable(doc, damaged)
    if usable is None:
        raise SpecError(diagnostics)
    data, broken, partial = usable
    ctx = Context(attrs.evolve(doc, data=data), broken, partial)
    api = _build(ctx)
    diagnostics.extend(ctx.errors)
    if diagnostics:
        raise SpecError(diagnostics)
    return api


def _usable(
    doc: Document, damaged: Sequence[Path_]
) -> tuple[Any, frozenset[Path_], frozenset[Path_]] | None:
    """What can still be built of a document whose values at ``damaged`` are unusable.

    A damaged value inside a part (a model's ``unknown_fields``, a field's ``required``)
    is left out of the data, and the part is built from the rest: its type is resolved
    and checked, its values are not (they may depend on what was left out: such parts
    are returned as ``partial``). Where leaving a value out breaks the part itself (it
    was required: a field's ``type``), the whole part is ``broken`` and skipped, as is a
    part that is damaged as a whole. ``None`` when a section of named types is damaged:
    with its names unknown, every reference to them would be reported wrongly.
    """
    left_out: set[Path_] = set()
    broken: set[Path_] = set()
    for path in damaged:
        part = _part(path)
        if part is None:
            return None
        key = _mapping_key(path)
        if len(key) > len(part):
            left_out.add(key)
        else:
            broken.add(part)
    data = _without(doc.data, left_out)
    # What leaving values out breaks in turn (a required key now missing) makes its
    # part broken; it is no new problem of the file, so nothing more is reported.
    for problem in schema_problems(attrs.evolve(doc, data=data, spoiled=frozenset())):
        if problem.damaged is not None:
            part = _part(problem.damaged)
            if part is None:
                return None
            broken.add(part)
    partial = {p for key in left_out if (p := _part(key)) is not None} - broken
    return data, frozenset(broken), frozenset(partial)


def _mapping_key(path: Path_) -> Path_:
    """``path`` up to its last mapping key: a list is left out whole, never an item of it
    (that would move its other items, whose positions the diagnostics use)."""
    end = len(path)
    while end and isinstance(path[end - 1], int):
        end -= 1
    return path[:end]


def _without(data: Any, paths: set[Path_]) -> Any:
    """A copy of ``data`` without the values at ``paths`` (each a path of mapping keys)."""
    if not paths:
        return data
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        inner = {p[1:] for p in paths if p[0] == key}
        if () in inner:
            continue
        out[key] = _without(value, inner)
    return out


def _part(path: Path_) -> Path_ | None:
    """The smallest part of a spec that holds ``path`` and can be skipped on its own.

    A top-level key, a model, union, enum or group, a field or a method; ``None`` when
    the problem is with a whole section of named types, whose names are then unknown.
    """
    if not path:
        return None
    section = path[0]
    if section not in _SECTIONS:
        return path[:1]
    if len(path) < 2:
        return None if section in _NAMED_SECTIONS else path[:1]
    sub = _SUBSECTIONS.get(str(section))
    if sub is not None and len(path) >= 4 and path[2] == sub:
        return path[:4]
    return path[:2]


def _build(ctx: Context) -> ir.Api:
    for section, kind in _NAMED_SECTIONS.items():
        for name in ctx.data.get(section, {}):
            if TYPE_NAME.fullmatch(name):  # else the schema reported it
                ctx.declare(name, kind, (section, name))
    unions = [
        union
        for name, spec in ctx.entries("unions")
        if (union := build_union(ctx, name, spec)) is not None
    ]
    enums = tuple(build_enum(ctx, name, spec) for name, spec in ctx.entries("enums"))
    models = build_models(ctx)
    all_unions = (*unions, *ctx.inline_unions)
    check_discriminators(ctx, all_unions, models)
    check_cycles(ctx, models, all_unions)
    groups = tuple(
        build_group(ctx, name, spec, models) for name, spec in ctx.entries("operations")
    )
    auth: dict[str, Any] = ctx.top("auth", {})
    return ir.Api(
        package=ctx.top("package", ""),
        spec_name=Path(ctx.doc.file).name,
        spec_sha256=hashlib.sha256(ctx.doc.text.encode("utf-8")).hexdigest(),
        models=tuple(models.values()),
        unions=all_unions,
        enums=enums,
        groups=groups,
        title=ctx.top("title", ""),
        doc=ctx.top("doc", ""),
        server=ctx.top("server", ""),
        auth_env=auth.get("bearer", {}).get("env"),
    )
