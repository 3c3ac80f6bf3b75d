"""openapi-python-client's end-to-end test documents (``opc-end-to-end/``) import with
``--skip-unsupported``, every skip is a warning with its place, and the package
generated from what is left imports and passes ``mypy --strict``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REFERENCE

DOCUMENTS = sorted((REFERENCE / "opc-end-to-end").glob("baseline_openapi_3.*"))
# FILE:LINE:COL: warning: #/json/pointer: what
WARNING = re.compile(r"^.+:\d+:\d+: warning: #/.*: .+$")

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.fixture(scope="module", params=DOCUMENTS, ids=lambda p: p.name)
def imported(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    """The generated package's folder, and what the import printed."""
    folder = tmp_path_factory.mktemp("opc")
    spec = folder / "opc_baseline.yaml"
    done = run(
        "-m", "specbind", "import", request.param, "--skip-unsupported", "--out", spec
    )
    assert done.returncode == 0, done.stderr
    generated = run("-m", "specbind", "generate", spec, "--out", folder / "out")
    assert generated.returncode == 0, generated.stderr
    return folder / "out", done.stderr


def test_both_documents_are_there() -> None:
    assert [p.name for p in DOCUMENTS] == [
        "baseline_openapi_3.0.json",
        "baseline_openapi_3.1.yaml",
    ]


def test_every_skip_is_a_warning_with_its_place(imported: tuple[Path, str]) -> None:
    _, printed = imported
    lines = printed.splitlines()[:-1]  # the last says where the spec was written
    assert lines, (
        "nothing skipped or repaired: the documents hold constructs specbind lacks"
    )
    assert [line for line in lines if not WARNING.match(line)] == []


def test_the_package_imports(imported: tuple[Path, str]) -> None:
    out, _ = imported
    done = run(
        "-c",
        "import opc_baseline.client, opc_baseline.converters, opc_baseline.models",
        cwd=out,
    )
    assert done.returncode == 0, done.stderr


def test_the_package_passes_mypy_strict(imported: tuple[Path, str]) -> None:
    out, _ = imported
    done = run("-m", "mypy", "--strict", "-p", "opc_baseline", cwd=out)
    assert done.returncode == 0, done.stdout[-4000:]
