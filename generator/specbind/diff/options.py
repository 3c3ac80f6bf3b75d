"""The ``specbind diff`` command line, kept apart from the differ: ``specbind generate``
builds this parser too, and must not pay for importing the rules and the evidence."""

from __future__ import annotations

import argparse

FORMATS = ("text", "json", "markdown", "github", "junit")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    diff = commands.add_parser(
        "diff",
        help="report what changed between two versions of a spec, and what breaks",
        description="Compare two versions of a spec: each a spec file, an OpenAPI "
        "document (imported in memory) or REF:PATH from git.",
    )
    diff.add_argument("sides", nargs="*", metavar="SIDE", help="OLD and NEW")
    diff.add_argument(
        "--against",
        metavar="REF",
        help="compare every spec/*.yaml of the work tree with the same file at REF",
    )
    diff.add_argument(
        "--overlay",
        action="append",
        default=[],
        metavar="OVERLAY",
        help="an OpenAPI Overlay 1.0 document applied to each side that is an OpenAPI "
        "document, before it is imported (repeatable)",
    )
    for side in ("old", "new"):
        diff.add_argument(
            f"--{side}-overlay",
            action="append",
            default=[],
            metavar="OVERLAY",
            help=f"an overlay applied to the {side.upper()} side only, after the "
            "--overlay ones (repeatable)",
        )
    diff.add_argument(
        "--skip-unsupported",
        action="store_true",
        help="import the rest of an OpenAPI side that cannot be imported whole, "
        "listing what was left out",
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


__all__ = ["FORMATS", "add_parser"]
