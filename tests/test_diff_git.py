"""``specbind diff`` with sides from git that are OpenAPI documents, and ``--against``
over a ``spec/`` folder holding an overlay: real repositories, real CLI runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .test_diff_cli import PETS  # the same small document, one operation

RENAME = """\
overlay: 1.0.0
info: {title: SDK names, version: 1.0.0}
actions:
  - target: $.paths['/pets'].post
    update: {x-speakeasy-name-override: add}
"""
AGE_REQUIRED = """\
overlay: 1.0.0
info: {title: age required, version: 1.0.0}
actions:
  - target: $.components.schemas.Pet
    update: {required: [name, age]}
"""


def specbind(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specbind", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        timeout=60,
    )


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def found(out: str) -> list[set[tuple[str, str]]]:
    """The (rule, place) pairs of each comparison, docs changes left out."""
    return [
        {
            (c["rule"], c["place"])
            for c in comparison["changes"]
            if not c["rule"].startswith("docs.")
        }
        for comparison in json.loads(out)["comparisons"]
    ]


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    """A repo whose commit has api/openapi.yaml; the work tree's names the operation
    otherwise (another operationId, so another method name)."""
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "openapi.yaml").write_text(yaml.safe_dump(PETS))
    (tmp_path / "rename.yaml").write_text(RENAME)
    (tmp_path / "age.yaml").write_text(AGE_REQUIRED)
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, "old")
    newer = json.loads(json.dumps(PETS))
    newer["paths"]["/pets"]["post"]["operationId"] = "add_pet"
    (tmp_path / "api" / "openapi.yaml").write_text(yaml.safe_dump(newer))
    return tmp_path


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], {("python.method-renamed", "pets.add_pet")}),
        # the overlay applies to the side read from git too: same name on both
        (["--overlay", "rename.yaml"], set()),
        (
            ["--overlay", "rename.yaml", "--new-overlay", "age.yaml"],
            {
                ("wire.request.field-became-required", "Pet.age"),
                ("python.field-became-required", "Pet.age"),
            },
        ),
        # the git side's own overlay
        (
            ["--overlay", "rename.yaml", "--old-overlay", "age.yaml"],
            {
                ("wire.request.field-became-optional", "Pet.age"),
                ("python.field-became-optional", "Pet.age"),
            },
        ),
    ],
)
def test_a_git_side_that_is_an_openapi_document_is_imported(
    documents: Path, options: list[str], expected: set[tuple[str, str]]
) -> None:
    done = specbind(
        documents,
        "diff",
        "main:api/openapi.yaml",
        "api/openapi.yaml",
        *options,
        "--format",
        "json",
    )
    assert (done.returncode, done.stderr) == (0, "")
    document = json.loads(done.stdout)
    assert [(c["old"], c["new"]) for c in document["comparisons"]] == [
        ("main:api/openapi.yaml", "api/openapi.yaml")
    ]
    assert found(done.stdout) == [expected]


def test_a_broken_document_at_a_ref_names_ref_and_path(documents: Path) -> None:
    broken = json.loads(json.dumps(PETS))
    broken["components"]["schemas"]["Pet"]["properties"]["age"] = {
        "$ref": "#/components/schemas/Nope"
    }
    (documents / "api" / "openapi.yaml").write_text(yaml.safe_dump(broken))
    commit(documents, "broken")
    done = specbind(
        documents, "diff", "main:api/openapi.yaml", "main~1:api/openapi.yaml"
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("main:api/openapi.yaml:")
    assert "Nope" in done.stderr and "Traceback" not in done.stderr


def test_an_overlay_is_not_a_side(documents: Path) -> None:
    done = specbind(documents, "diff", "rename.yaml", "api/openapi.yaml")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "rename.yaml: an OpenAPI overlay, not a spec or an OpenAPI document; "
        "give it with --overlay\n"
    )


def _import(repo: Path) -> None:
    done = specbind(
        repo,
        "import",
        "api/openapi.json",
        "--overlay",
        "spec/pets.overlay.yaml",
        "--out",
        "spec/pets.yaml",
    )
    assert done.returncode == 0, done.stderr


def test_against_skips_overlays_and_compares_the_spec_they_made(
    tmp_path: Path,
) -> None:
    """spec/ as the Mistral layout has it: an imported spec beside its overlay, plus a
    document kept in spec/ itself. The overlay changes; the spec imported again shows
    it, and the overlay is listed as not compared."""
    (tmp_path / "api").mkdir()
    (tmp_path / "spec").mkdir()
    (tmp_path / "api" / "openapi.json").write_text(json.dumps(PETS))
    (tmp_path / "spec" / "pets.overlay.yaml").write_text(RENAME)
    (tmp_path / "spec" / "raw.yaml").write_text(yaml.safe_dump(PETS))
    _import(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, "old")
    (tmp_path / "spec" / "pets.overlay.yaml").write_text(
        RENAME + AGE_REQUIRED.split("actions:\n")[1]
    )
    _import(tmp_path)
    newer = json.loads(json.dumps(PETS))
    del newer["components"]["schemas"]["Pet"]["properties"]["age"]
    (tmp_path / "spec" / "raw.yaml").write_text(yaml.safe_dump(newer))

    done = specbind(tmp_path, "diff", "--against", "main", "--format", "json")
    assert (done.returncode, done.stderr) == (0, "")
    document = json.loads(done.stdout)
    assert [(c["old"], c["new"], c["note"]) for c in document["comparisons"]] == [
        (
            "main:spec/pets.overlay.yaml",
            "spec/pets.overlay.yaml",
            "an OpenAPI overlay, not a spec: compared through the spec imported with it",
        ),
        ("main:spec/pets.yaml", "spec/pets.yaml", ""),
        ("main:spec/raw.yaml", "spec/raw.yaml", ""),
    ]
    overlay, imported, raw = found(done.stdout)
    assert overlay == set()
    assert imported == {
        ("wire.request.field-became-required", "Pet.age"),
        ("python.field-became-required", "Pet.age"),
    }
    assert ("python.field-removed", "Pet.age") in raw

    failing = specbind(tmp_path, "diff", "--against", "main", "--fail-on", "breaking")
    assert failing.returncode == 1
