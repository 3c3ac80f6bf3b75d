"""Golden cases: ``tests/cases/<name>/spec.yaml`` with the exact output beside it.

A case with ``expected/`` must regenerate to exactly that tree (``nox -s goldens``
rewrites it); a case with ``errors.txt`` must fail with exactly those diagnostics.
"""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import pytest

CASES = sorted(p.parent for p in (Path(__file__).parent / "cases").glob("*/spec.yaml"))


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text("utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and not {"__pycache__", ".mypy_cache"} & set(p.parts)
    }


def run(case: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specbind", "generate", "spec.yaml", "--out", str(out)],
        cwd=case,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_case(case: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(case, out)
    errors = case / "errors.txt"
    if errors.exists():
        assert result.returncode == 2
        assert result.stderr == errors.read_text("utf-8")
        assert not out.exists()
        return
    assert result.returncode == 0, result.stderr
    expected, actual = tree(case / "expected"), tree(out)
    assert sorted(actual) == sorted(expected)
    for path, text in expected.items():
        diff = "".join(
            difflib.unified_diff(
                text.splitlines(True), actual[path].splitlines(True), path, path
            )
        )
        assert not diff, (
            f"{case.name}/{path} differs; run `nox -s goldens` and review:\n{diff}"
        )


@pytest.mark.parametrize(
    "case", [c for c in CASES if (c / "expected").is_dir()], ids=lambda p: p.name
)
def test_case_package_imports_and_round_trips(case: Path) -> None:
    """Every generated package imports and round-trips each model's structured default."""
    package = next(
        p.name for p in (case / "expected").iterdir() if (p / "__init__.py").exists()
    )
    code = f"""
import {package} as pkg
assert pkg.converter is not None
print(len(pkg.__all__))
"""
    result = subprocess.run(
        [sys.executable, "-B", "-c", code],
        cwd=case / "expected",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 2
