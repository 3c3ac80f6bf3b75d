"""The whole Mistral API imported from its 2024-11-07 document and the committed
overlay: the spec is what the importer makes today, and the generated docs pages are
the official SDK 1.2.0's, byte for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REFERENCE, ROOT

DOCUMENT = REFERENCE / "mistral-openapi-2024-11-07.yaml"
OVERLAY = ROOT / "spec" / "mistral.overlay.yaml"
SPEC = ROOT / "spec" / "mistral.yaml"
SDK_DOCS = REFERENCE / "mistral-sdk-1.2.0-docs"
SAMPLE = sorted((SDK_DOCS / "whole-api-sample" / "models").glob("*.md"))
FIM = sorted((SDK_DOCS / "models").glob("*.md"))


def specbind(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specbind", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docs pages generated from a fresh import (not the committed spec)."""
    folder = tmp_path_factory.mktemp("mistral")
    spec = folder / "mistral.yaml"
    run = specbind("import", DOCUMENT, "--overlay", OVERLAY, "--out", spec)
    assert run.returncode == 0, run.stderr
    run = specbind("generate", spec, "--out", folder / "out")
    assert run.returncode == 0, run.stderr
    return folder / "out" / "docs" / "models"


def test_the_committed_spec_is_what_import_makes() -> None:
    run = specbind("import", DOCUMENT, "--overlay", OVERLAY, "--check", "--out", SPEC)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr


def test_every_sample_page_is_there() -> None:
    assert (len(SAMPLE), len(FIM)) == (44, 31)


@pytest.mark.parametrize(
    "page", SAMPLE + FIM, ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_generated_page_equals_the_sdk_page(docs: Path, page: Path) -> None:
    generated = docs / page.name
    assert generated.exists(), f"no page {page.name}"
    assert generated.read_text("utf-8") == page.read_text("utf-8")
