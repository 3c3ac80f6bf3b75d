"""The generated Mistral docs tree has a page for every model page of the official SDK
(``mistralai==1.2.0``, run by ``nox -s wire``).

Speakeasy writes one page per public model, union and enum of ``mistralai.models``,
named by the class name lower-cased; its exception classes have none.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import mistralai.models as mistralai_models
import pytest

from .conftest import ROOT

pytestmark = pytest.mark.wire

SPEC = ROOT / "spec" / "mistral.yaml"


def sdk_pages() -> set[str]:
    """The page file names of SDK 1.2.0: a page per public model name but the
    TypedDict twins; an error has its page under its own name (``HTTPValidationError``,
    showing its payload's fields), so neither its payload class
    (``HTTPValidationErrorData``) nor the base ``SDKError``, which has none, gets one."""
    names = {n for n in mistralai_models.__all__ if not n.endswith("TypedDict")}
    return {f"{n.lower()}.md" for n in names - {"SDKError", "HTTPValidationErrorData"}}


def test_the_docs_tree_has_every_sdk_model_page(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "specbind",
            "generate",
            str(SPEC),
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    ours = {page.name for page in (tmp_path / "docs" / "models").glob("*.md")}
    expected = sdk_pages()
    assert len(expected) == 162
    assert sorted(expected - ours) == []
