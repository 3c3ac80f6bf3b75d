"""``specbind import``: load the document, import it, then write or check the spec."""

from __future__ import annotations

import argparse
import contextlib
import difflib
import sys
from pathlib import Path

from . import output, stamp
from .diagnostics import Diagnostic, SpecError

EXIT_DRIFT = 1
EXIT_BAD_INPUT = 2


def _fail(diagnostics: list[Diagnostic], warnings: list[Diagnostic]) -> int:
    for warning in warnings:
        print(warning, file=sys.stderr)
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    count = len(diagnostics)
    print(f"{count} error{'s' * (count != 1)}; nothing was written", file=sys.stderr)
    return EXIT_BAD_INPUT


def run_import(args: argparse.Namespace) -> int:
    inputs = _inputs(args)
    if inputs is not None and (done := _unchanged(args, inputs)) is not None:
        return done
    # Imported here: a run the stamp vouches for needs none of the importer.
    from .importer import import_document, package_name
    from .importer.document import load_document

    try:
        doc, loaded = load_document(
            args.document,
            overlays=tuple(args.overlay),
            strict=args.strict,
            skip_unsupported=args.skip_unsupported,
        )
    except SpecError as exc:
        errors = [d for d in exc.diagnostics if d.severity == "error"]
        return _fail(errors, [d for d in exc.diagnostics if d.severity != "error"])
    stem = args.out.stem if args.out is not None else "api"
    package = args.package or package_name(stem)
    source = "<stdin>" if args.document == "-" else Path(args.document).name
    result = import_document(
        doc, package, skip_unsupported=args.skip_unsupported, source=source
    )
    warnings = [*loaded, *sorted(set(result.warnings))]
    if result.errors:
        return _fail(sorted(result.errors), warnings)
    for warning in warnings:
        print(warning, file=sys.stderr)
    if args.out is None:
        sys.stdout.write(result.text)
        return 0
    code = _write_or_check(args.out, result.text, check=args.check)
    if code == 0 and inputs is not None:
        _record(args.out, inputs, result.text, [str(w) for w in warnings])
    return code


def _inputs(args: argparse.Namespace) -> str | None:
    """The inputs digest of this import: the document, the overlays, the options."""
    if args.out is None or args.document == "-":
        return None
    options = {
        "command": "import",
        "out": str(args.out),
        "cwd": str(Path.cwd()),  # the warnings name the files relative to it
        "package": args.package,
        "strict": args.strict,
        "skip_unsupported": args.skip_unsupported,
    }
    return stamp.inputs_digest([Path(args.document), *map(Path, args.overlay)], options)


def _unchanged(args: argparse.Namespace, inputs: str) -> int | None:
    """The exit code of an import the stamp vouches for (its warnings printed again),
    or ``None``: run the import."""
    where = stamp.import_stamp_path(args.out)
    data = stamp.matching(where, inputs, args.out.parent) if where else None
    if data is None or list(data["files"]) != [args.out.name]:
        return None
    warnings = data.get("warnings")
    if not isinstance(warnings, list):
        return None
    for warning in warnings:
        print(warning, file=sys.stderr)
    print(f"{args.out}: {'in sync with the document' if args.check else 'unchanged'}")
    return 0


def _record(out: Path, inputs: str, text: str, warnings: list[str]) -> None:
    """Keep the stamp of an import that left ``text`` at ``out`` (a cache: a failure
    to write it only makes the next run slower)."""
    where = stamp.import_stamp_path(out)
    if where is None:
        return
    with contextlib.suppress(OSError):
        output.write_text(
            where, stamp.stamp_text(inputs, {out.name: text}, warnings=warnings)
        )


def _write_or_check(out: Path, text: str, *, check: bool) -> int:
    try:
        current = out.read_text("utf-8") if out.exists() else None
    except (OSError, UnicodeDecodeError) as exc:
        print(f"specbind: cannot read {out}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if check:
        if current == text:
            print(f"{out}: in sync with the document")
            return 0
        diff = difflib.unified_diff(
            (current or "").splitlines(keepends=True),
            text.splitlines(keepends=True),
            f"a/{out}",
            f"b/{out}",
        )
        sys.stdout.writelines(diff)
        print(f"{out} is out of date; run `specbind import` again", file=sys.stderr)
        return EXIT_DRIFT
    try:
        output.write_text(out, text)
    except OSError as exc:
        print(f"specbind: cannot write {out}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{out}: {'unchanged' if current == text else 'written'}")
    return 0
