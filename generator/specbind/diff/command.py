"""``specbind diff OLD NEW`` and ``specbind diff --against REF``."""

from __future__ import annotations

import argparse
import sys

from . import compare
from .report import FORMATS, RENDER, Comparison, Report
from .rules import table
from .sides import BadInput, against, from_file, from_git, load_side

EXIT_FOUND = 1
EXIT_BAD_INPUT = 2


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    diff = commands.add_parser(
        "diff",
        help="report what changed between two versions of a spec, and what breaks",
        description="Compare two versions of a spec: each a spec file or REF:PATH from git.",
    )
    diff.add_argument("sides", nargs="*", metavar="SIDE", help="OLD and NEW")
    diff.add_argument(
        "--against",
        metavar="REF",
        help="compare every spec/*.yaml of the work tree with the same file at REF",
    )
    diff.add_argument("--format", choices=FORMATS, default="text")
    diff.add_argument(
        "--rules", action="store_true", help="print the rule table (Markdown) and exit"
    )
    diff.add_argument(
        "--fail-on",
        choices=("breaking", "warning"),
        help="exit 1 when a change of this severity (or worse) is found",
    )


def _comparisons(args: argparse.Namespace) -> list[Comparison]:
    if args.against is not None:
        if args.sides:
            raise BadInput(["specbind diff: give OLD NEW or --against REF, not both"])
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
            out.append(compare(from_git(args.against, there), from_file(here)))
        return out
    if len(args.sides) != 2:
        raise BadInput(
            ["specbind diff: give two sides, OLD and NEW (or --against REF)"]
        )
    old, new = (load_side(side) for side in args.sides)
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


__all__ = ["add_parser", "run"]
