"""Golden diagnostics of bad OpenAPI documents and overlays: ``tests/import_errors/<name>/``
holds ``openapi.yaml`` (or ``.json``), any ``overlay*.yaml``, an optional ``args`` file
(``--strict``, ``--skip-unsupported``) and ``expected.txt``, the exact diagnostics.

Until ``specbind import`` exists this drives :func:`load_document` directly, printing
what the command will print. ``python -m tests.test_import_errors`` rewrites every
``expected.txt`` (review the diff).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from specbind.diagnostics import SpecError
from specbind.importer.document import load_document

CASES_DIR = Path(__file__).parent / "import_errors"
CASES = sorted(p for p in CASES_DIR.iterdir() if p.is_dir())


def diagnose(case: Path) -> str:
    """The diagnostics of loading ``case``'s document, one a line, then the outcome."""
    document = next(p.name for p in sorted(case.iterdir()) if p.stem == "openapi")
    overlays = [p.name for p in sorted(case.glob("overlay*.yaml"))]
    args = (
        (case / "args").read_text("utf-8").split() if (case / "args").exists() else []
    )
    here = Path.cwd()
    os.chdir(case)
    try:
        _, diagnostics = load_document(
            document,
            overlays,
            strict="--strict" in args,
            skip_unsupported="--skip-unsupported" in args,
        )
        outcome = "loaded"
    except SpecError as exc:
        diagnostics, outcome = exc.diagnostics, "failed"
    finally:
        os.chdir(here)
    return "".join(f"{d}\n" for d in diagnostics) + f"{outcome}\n"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_import_errors(case: Path) -> None:
    assert diagnose(case) == (case / "expected.txt").read_text("utf-8")


def test_the_same_document_gives_the_same_errors_in_every_run() -> None:
    """One schema with two mistakes: the validator's own check_schema reports whichever
    it meets first, which varies with the hash seed (these two seeds differ)."""
    outputs = {
        subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.test_import_errors",
                "--print",
                "invalid_openapi",
            ],
            cwd=Path(__file__).parents[1],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "4")
    }
    assert outputs == {
        (CASES_DIR / "invalid_openapi" / "expected.txt").read_text("utf-8")
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--print"]:
        print(diagnose(CASES_DIR / sys.argv[2]), end="")
        sys.exit()
    for case in CASES if len(sys.argv) < 2 else [CASES_DIR / n for n in sys.argv[1:]]:
        (case / "expected.txt").write_text(diagnose(case), "utf-8")
