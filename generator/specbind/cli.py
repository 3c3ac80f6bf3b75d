"""``specbind generate [SPEC ...] [--out DIR] [--only OUTPUTS] [--check] [--dump-ir]``
and ``specbind import DOC [--out SPEC] [--check] [--overlay O ...]``, and
``specbind diff`` (:mod:`specbind.diff.options`, run by :mod:`specbind.diff.command`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from . import ir, output, stamp
from .diagnostics import SpecError
from .diff import options as diff_options
from .render import OUTPUTS, unmet_needs

EXIT_DRIFT = 1
EXIT_SPEC_ERROR = 2
EXIT_INTERNAL_ERROR = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="specbind", description="Bindings, clients and docs from one API spec."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser(
        "generate", help="render the spec(s) into the output folder"
    )
    gen.add_argument(
        "specs",
        nargs="*",
        type=Path,
        metavar="SPEC",
        help="spec files (default: spec/*.yaml, else the bundled example)",
    )
    gen.add_argument(
        "--out",
        type=Path,
        help="output folder (default: generated)",
    )
    gen.add_argument(
        "--only",
        type=_outputs,
        metavar="OUTPUTS",
        help=f"render only these outputs, comma-separated ({','.join(OUTPUTS)}), "
        "and leave the files of the others as they are",
    )
    gen.add_argument(
        "--check",
        action="store_true",
        help="write nothing; print a diff and exit 1 if out of date",
    )
    gen.add_argument(
        "--dump-ir",
        action="store_true",
        help="print the intermediate model as JSON and exit",
    )
    diff_options.add_parser(commands)
    _import_parser(commands)
    return parser


def _outputs(text: str) -> frozenset[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in OUTPUTS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"{', '.join(map(repr, unknown)) or 'nothing'}: expected outputs from "
            f"{', '.join(OUTPUTS)}, comma-separated"
        )
    return frozenset(names)


def _import_parser(commands: Any) -> None:
    imp = commands.add_parser(
        "import", help="write a spec from an OpenAPI 3.0/3.1 document"
    )
    imp.add_argument(
        "document", metavar="DOC", help="a YAML or JSON file, or - for stdin"
    )
    imp.add_argument(
        "--out", type=Path, help="the spec to write (default: print it on stdout)"
    )
    imp.add_argument(
        "--check",
        action="store_true",
        help="write nothing; print a diff and exit 1 if the spec is out of date",
    )
    imp.add_argument(
        "--overlay",
        action="append",
        default=[],
        metavar="OVERLAY",
        help="an OpenAPI Overlay 1.0 document applied before import (repeatable)",
    )
    imp.add_argument(
        "--strict", action="store_true", help="treat the document's repairs as errors"
    )
    imp.add_argument(
        "--skip-unsupported",
        action="store_true",
        help="import the rest of what cannot be imported, listing what was left out",
    )
    imp.add_argument(
        "--package", help="the Python package (default: the --out file's name)"
    )


def _ir_json(value: object) -> object:
    cls = type(value)
    if attrs.has(cls):
        return {"kind": cls.__name__} | {
            a.name: _ir_json(getattr(value, a.name)) for a in attrs.fields(cls)
        }
    if isinstance(value, (tuple, list)):
        return [_ir_json(v) for v in value]
    if value is ir.NO_VALUE:
        return None
    return value


def _check_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.command == "import":
        if args.check and args.out is None:
            parser.error("--check compares with the spec at --out; give --out")
        return
    if args.dump_ir and args.out is not None:
        parser.error(
            "--dump-ir prints the IR on stdout and writes no files; drop --out"
        )
    if args.dump_ir and args.check:
        parser.error("--dump-ir prints the IR and --check compares files; use one")
    if args.dump_ir and args.only is not None:
        parser.error("--dump-ir prints the IR and renders nothing; drop --only")
    for problem in unmet_needs(args.only or ()):
        parser.error(f"--only: {problem}")
    if args.out is None:
        args.out = Path("generated")


def generate(args: argparse.Namespace) -> int:
    # Imported here: a run the stamp vouches for needs none of the pipeline.
    from .formatting import FormatError
    from .generate import bundled_spec, default_specs, load_project, render_all

    specs = args.specs or default_specs()
    if not args.specs and specs == [bundled_spec()]:
        print(
            f"specbind: no spec/*.yaml in {Path.cwd()}; generating the bundled example "
            f"(Mistral FIM, {specs[0]}); pass SPEC files or add spec/*.yaml for your own API",
            file=sys.stderr,
        )
    inputs = None if args.dump_ir else stamp.generate_inputs(specs, args.only)
    vouched = stamp.unchanged_tree(args.out, inputs)
    if vouched is not None:
        if args.check:
            print(f"{args.out}: in sync with {len(specs)} spec(s)")
        else:
            print(f"{args.out}: 0 written, 0 removed, {vouched} in all")
        return 0
    try:
        project = load_project(specs, args.only)
        apis = list(project.apis)
        if args.dump_ir:
            print(json.dumps(_ir_json(apis), indent=2, ensure_ascii=False))
            return 0
        files = render_all(project)
    except SpecError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        count = len(exc.diagnostics)
        print(
            f"{count} error{'s' * (count != 1)}; nothing was written", file=sys.stderr
        )
        return EXIT_SPEC_ERROR
    except FormatError as exc:
        print(f"specbind: internal error: {exc}", file=sys.stderr)
        print("nothing was written; please report this with the spec", file=sys.stderr)
        return EXIT_INTERNAL_ERROR
    try:
        plan = output.plan(args.out, files, args.only)
    except OSError as exc:
        print(f"specbind: cannot read {args.out}: {exc}", file=sys.stderr)
        return EXIT_SPEC_ERROR
    if args.check:
        if plan.in_sync:
            print(f"{args.out}: in sync with {len(specs)} spec(s)")
            return 0
        sys.stdout.write(plan.diff())
        print(
            f"{args.out} is out of date: {len(plan.changed)} changed, {len(plan.stale)} stale; "
            "run `specbind generate`",
            file=sys.stderr,
        )
        return EXIT_DRIFT
    try:
        output.write(plan)
        stamp.write_tree_stamp(args.out, inputs, plan.files)
    except OSError as exc:
        print(f"specbind: cannot write {args.out}: {exc}", file=sys.stderr)
        return EXIT_SPEC_ERROR
    print(
        f"{args.out}: {len(plan.changed)} written, {len(plan.stale)} removed, {len(plan.files)} in all"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "diff":
        from .diff.command import run

        return run(args)
    _check_options(parser, args)
    if args.command == "import":
        from .import_command import run_import

        return run_import(args)
    return generate(args)


if __name__ == "__main__":
    raise SystemExit(main())
