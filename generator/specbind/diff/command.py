"""``specbind diff OLD NEW`` and ``specbind diff --against REF``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .compare import Comparer
from .evidence import prove
from .report import RENDER, Comparison, Report
from .rules import table
from .sides import (
    AnOverlay,
    BadInput,
    Importing,
    Loaded,
    against,
    from_file,
    from_git,
    load_side,
)

EXIT_FOUND = 1
EXIT_BAD_INPUT = 2


def compare(old: Loaded, new: Loaded) -> Comparison:
    findings = Comparer(old.version, new.version).run()
    changes = prove(findings, old.project, new.project)
    return Comparison(old.label, new.label, tuple(changes))


def _sides(args: argparse.Namespace) -> tuple[Loaded, Loaded]:
    """OLD and NEW; ``--overlay`` applies to each side that is an OpenAPI document,
    then ``--old-overlay`` / ``--new-overlay`` to that side alone."""
    loaded = []
    for argument, option, own in (
        (args.sides[0], "--old-overlay", args.old_overlay),
        (args.sides[1], "--new-overlay", args.new_overlay),
    ):
        overlays = tuple(Path(o) for o in (*args.overlay, *own))
        side = load_side(argument, Importing(overlays, args.skip_unsupported))
        if own and not side.imported:
            raise BadInput(
                [f"{side.label}: {option} applies to an OpenAPI document, not a spec"]
            )
        loaded.append(side)
    old, new = loaded
    if not (old.imported or new.imported):
        for option in ("--overlay", "--skip-unsupported"):
            if getattr(args, option[2:].replace("-", "_")):
                raise BadInput(
                    [
                        f"specbind diff: {option} applies to OpenAPI documents; "
                        "neither side is one"
                    ]
                )
    return old, new


def _comparisons(args: argparse.Namespace) -> list[Comparison]:
    if args.against is not None:
        if args.sides:
            raise BadInput(["specbind diff: give OLD NEW or --against REF, not both"])
        if args.overlay or args.old_overlay or args.new_overlay:
            raise BadInput(
                [
                    "specbind diff: --against compares specs; overlays apply to "
                    "OpenAPI documents (give OLD NEW)"
                ]
            )
        out = []
        for name, there, here in against(args.against):
            label_old = f"{args.against}:{name}"
            if there is None or here is None:
                note = (
                    f"new in the work tree (not at {args.against}): nothing to compare"
                    if there is None
                    else "removed from the work tree: its package is gone"
                )
                out.append(Comparison(label_old, name if here else "-", (), note))
                continue
            try:
                old, new = from_git(args.against, there), from_file(here)
            except AnOverlay:
                # spec/*.overlay.yaml: an import's input; what it changes is compared
                # in the spec imported with it (which `nox -s sync` keeps in step).
                note = "an OpenAPI overlay, not a spec: compared through the spec imported with it"
                out.append(Comparison(label_old, name, (), note))
                continue
            out.append(compare(old, new))
        return out
    if len(args.sides) != 2:
        raise BadInput(
            ["specbind diff: give two sides, OLD and NEW (or --against REF)"]
        )
    old, new = _sides(args)
    for warning in (*old.warnings, *new.warnings):
        print(warning, file=sys.stderr)
    return [compare(old, new)]


def run(args: argparse.Namespace) -> int:
    if args.rules:
        sys.stdout.write(table())
        return 0
    try:
        report = Report(tuple(_comparisons(args)))
    except BadInput as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(RENDER[args.format](report))
    return EXIT_FOUND if report.fails(args.fail_on) else 0


__all__ = ["compare", "run"]
