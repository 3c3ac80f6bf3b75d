"""Spec -> IR: resolve names and inline unions, derive Python names, check every value.

The steps, in order: leave out the values that break the schema (:mod:`.damage`);
declare every model, union and enum name; build the unions
(:mod:`.definitions`, with the type expressions of :mod:`.expressions`), the enums and
the models, checking each field's values (:mod:`.values`); then the checks that need
every type built (:mod:`.checks`), and last the operations (:mod:`.operations`).

All problems of a spec are collected and raised together as one :class:`SpecError`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .. import ir
from ..diagnostics import SpecError
from ..parse.load import Document, load_file
from ..parse.types import TYPE_NAME
from ..parse.validate import schema_problems
from .auth import build_auth
from .bodies import check_bodies
from .checks import check_cycles, check_discriminators
from .context import Context
from .damage import NAMED_SECTIONS, usable
from .definitions import build_enum, build_models, build_union
from .operations import build_groups


def load_api(path: Path, display: str | None = None) -> ir.Api:
    """Load, validate and build the IR of the spec at ``path``."""
    return build_api(load_file(path, display))


def build_api(doc: Document) -> ir.Api:
    """Check the document and build its IR; every problem is raised in one SpecError.

    A value that breaks the schema is reported and left out, and the rest is still
    checked, so one run reports every error of the file (see :mod:`.damage`).
    """
    problems = schema_problems(doc)
    diagnostics = [*doc.problems, *(p.diagnostic for p in problems)]
    damaged = [*doc.spoiled, *(p.damaged for p in problems if p.damaged is not None)]
    rest = usable(doc, damaged)
    if rest is None:
        raise SpecError(diagnostics)
    ctx = Context(rest.doc, rest.broken, rest.partial)
    api = _build(ctx)
    diagnostics.extend(ctx.errors)
    if diagnostics:
        raise SpecError(diagnostics)
    return api


def _build(ctx: Context) -> ir.Api:
    for section, kind in NAMED_SECTIONS.items():
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
    ctx.auth = build_auth(ctx)
    groups = build_groups(ctx, models)
    check_bodies(
        ctx, models, all_unions, tuple(g for top in groups for g in top.walk())
    )
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
        auth=ctx.auth,
    )
