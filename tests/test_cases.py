"""Golden cases: ``tests/cases/<name>/spec.yaml`` with the exact output beside it.

A case with ``expected/`` must regenerate to exactly that tree (``nox -s goldens``
rewrites it); a case with ``errors.txt`` must fail with exactly those diagnostics.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from specbind import ir, output

from .goldens import CASES as GOLDENS
from .goldens import golden
from .strategies import complete, with_defaults

CASES = sorted(p.parent for p in (Path(__file__).parent / "cases").glob("*/spec.yaml"))


def tree(root: Path) -> dict[str, str]:
    """The files of ``root`` but the inputs stamp (a cache of the run, not committed)."""
    return {
        p.relative_to(root).as_posix(): p.read_text("utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and not {"__pycache__", ".mypy_cache", output.STAMP} & set(p.parts)
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
    ("case", "name"),
    # A model with a file part is a multipart body: it has no JSON to round-trip.
    [
        (case, m.name)
        for case in GOLDENS
        for m in golden(case).api.models
        if all(f.type != ir.PrimitiveType("bytes") for f in m.fields)
    ],
    ids=lambda v: str(v),
)
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_model_of_every_case_round_trips(
    case: str, name: str, data: st.DataObject
) -> None:
    """Random instances (strategies from the case's IR) through the case's committed
    package, imported fresh from ``expected/``: to JSON text and back, unchanged but
    for an UNSET field with a ``default``, which was left out and reads as the default."""
    target = golden(case)
    converter, cls = target.package.converter, getattr(target.models, name)
    instance = data.draw(target.instances.named(name))
    payload = converter.unstructure(instance)
    try:
        text = json.dumps(payload, allow_nan=False)
    except ValueError:
        assume(False)  # a non-finite float inside an `any` field is not JSON
    back = converter.structure(json.loads(text), cls)
    assert back == with_defaults(instance, target.api, target.models.UNSET)
    sent = complete(json.loads(text), instance, target.api, server=False)
    assert converter.unstructure(back) == sent


GOLDEN_PACKAGES = [
    package
    for case in CASES
    if (case / "expected").is_dir()
    for package in (case / "expected").iterdir()
    if (package / "__init__.py").exists()
]
RUFF_RULES = ["--select", "E,F,W,I,B,UP,SIM,RUF", "--ignore", "RUF001,RUF002,RUF003"]


@pytest.mark.slow
def test_golden_packages_pass_mypy_and_ruff(tmp_path: Path) -> None:
    """Every golden package passes mypy --strict, ruff check and ruff format --check."""
    paths = [str(p) for p in GOLDEN_PACKAGES]
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path)]
        + [arg for p in GOLDEN_PACKAGES for arg in ("-p", p.name)],
        env={
            **os.environ,
            "MYPYPATH": os.pathsep.join(str(p.parent) for p in GOLDEN_PACKAGES),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout[-4000:]
    ruff = [sys.executable, "-m", "ruff"]
    common = ["--isolated", "--no-cache", "--target-version", "py310"]
    check = subprocess.run(
        [*ruff, "check", *common, *RUFF_RULES, *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout[-4000:]
    fmt = subprocess.run(
        [*ruff, "format", "--check", *common, *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    assert fmt.returncode == 0, fmt.stdout[-4000:] + fmt.stderr[-2000:]
