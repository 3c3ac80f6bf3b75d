"""The inputs stamp: a run on unchanged inputs and an untouched tree skips the pipeline;
anything else (an edited, deleted or added file, a changed spec, another specbind or
another installed tool) runs it in full, so ``--check`` prints the real diff."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import specbind.generate
import specbind.importer.document
from specbind import stamp
from specbind.cli import main
from specbind.output import MANIFEST, STAMP

from .conftest import ROOT

SPEC = ROOT / "spec" / "mistral_fim.yaml"
ONLY = "models,converters,client,jsonschema"  # no docs or styles: a quicker run
IMPORT_CASE = ROOT / "tests" / "import_cases" / "openapi_30"


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the runs of the pipeline: each ``load_project`` and ``render_all``."""
    calls: list[str] = []
    for name in ("load_project", "render_all"):
        real = getattr(specbind.generate, name)

        def counted(*args: object, _real: object = real, _name: str = name) -> object:
            calls.append(_name)
            return _real(*args)  # type: ignore[operator]

        monkeypatch.setattr(specbind.generate, name, counted)
    return calls


@pytest.fixture(autouse=True)
def fresh_environment_digest() -> Iterator[None]:
    stamp.environment_digest.cache_clear()
    yield
    stamp.environment_digest.cache_clear()


def run(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def generate(spec: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return run("generate", spec, "--out", out, "--only", ONLY, *extra)


def mtimes(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix(): p.stat().st_mtime_ns
        for p in root.rglob("*")
        if p.is_file()
    }


def test_a_warm_run_and_check_render_nothing_and_write_nothing(
    tmp_path: Path, renders: list[str]
) -> None:
    out = tmp_path / "out"
    assert generate(SPEC, out)[0] == 0
    assert renders == ["load_project", "render_all"]
    data = json.loads((out / STAMP).read_text())
    assert MANIFEST in data["files"] and STAMP not in data["files"]
    assert STAMP in json.loads((out / MANIFEST).read_text())["files"]
    before = mtimes(out)

    renders.clear()
    code, stdout, _ = generate(SPEC, out)
    assert (code, renders) == (0, [])
    assert stdout == f"{out}: 0 written, 0 removed, {len(data['files'])} in all\n"
    code, stdout, _ = generate(SPEC, out, "--check")
    assert (code, renders) == (0, [])
    assert stdout == f"{out}: in sync with 1 spec(s)\n"
    assert mtimes(out) == before


def test_an_edited_or_deleted_file_fails_check_with_the_diff(
    tmp_path: Path, renders: list[str]
) -> None:
    out = tmp_path / "out"
    assert generate(SPEC, out)[0] == 0
    models = out / "mistral_fim" / "models" / "_shared.py"
    text = models.read_text()
    models.write_text(text.replace("class ", "class Edited", 1))
    renders.clear()
    code, stdout, stderr = generate(SPEC, out, "--check")
    assert code == 1
    assert renders == ["load_project", "render_all"]
    assert (
        "--- a/mistral_fim/models/_shared.py\n+++ b/mistral_fim/models/_shared.py\n"
        in stdout
    )
    assert "+class " in stdout and "-class Edited" in stdout
    assert "1 changed, 0 stale" in stderr

    models.write_text(text)  # the same bytes again: the stamp vouches again
    renders.clear()
    assert generate(SPEC, out, "--check")[0] == 0
    assert renders == []

    models.unlink()
    code, stdout, _ = generate(SPEC, out, "--check")
    assert code == 1
    assert "--- /dev/null\n+++ b/mistral_fim/models/_shared.py\n" in stdout
    assert generate(SPEC, out)[0] == 0  # the full run writes it back
    assert models.read_text() == text


def test_a_file_added_in_the_place_of_the_manifest_is_not_vouched_for(
    tmp_path: Path, renders: list[str]
) -> None:
    out = tmp_path / "out"
    assert generate(SPEC, out)[0] == 0
    manifest = out / MANIFEST
    manifest.write_text(manifest.read_text().replace("py.typed", "other"))
    renders.clear()
    code, stdout, _ = generate(SPEC, out, "--check")
    assert code == 1 and renders == ["load_project", "render_all"]
    assert f"--- a/{MANIFEST}\n" in stdout


def test_a_changed_spec_or_selection_runs_in_full(
    tmp_path: Path, renders: list[str]
) -> None:
    spec = tmp_path / "mistral_fim.yaml"
    shutil.copy(SPEC, spec)
    out = tmp_path / "out"
    assert generate(spec, out)[0] == 0
    text = spec.read_text()
    assert "The text/code to complete." in text
    spec.write_text(text.replace("The text/code to complete.", "The text to end.", 1))
    renders.clear()
    code, stdout, _ = generate(spec, out, "--check")
    assert code == 1 and renders == ["load_project", "render_all"]
    assert "The text to end." in stdout
    assert "-# spec sha256: " in stdout  # the header's hash moves with the spec

    spec.write_text(text)
    renders.clear()
    code, _, _ = run("generate", spec, "--out", out, "--only", "models", "--check")
    assert code == 0 and renders == ["load_project", "render_all"]


def test_a_change_to_specbind_or_to_an_installed_tool_runs_in_full(
    tmp_path: Path, renders: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert generate(SPEC, out)[0] == 0
    inputs = stamp.generate_inputs([SPEC], ONLY.split(","))
    assert stamp.unchanged_tree(out, inputs) is not None

    # specbind's own files: one byte of a template in a copy of the package.
    package = tmp_path / "specbind"
    shutil.copytree(
        stamp._PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__")
    )
    template = package / "render" / "models" / "templates" / "models.py.j2"
    assert template.is_file()
    monkeypatch.setattr(stamp, "_PACKAGE", package)
    stamp.environment_digest.cache_clear()
    assert stamp.generate_inputs([SPEC], ONLY.split(",")) == inputs  # same bytes
    template.write_text(template.read_text() + "\n")
    stamp.environment_digest.cache_clear()
    changed = stamp.generate_inputs([SPEC], ONLY.split(","))
    assert changed != inputs
    assert stamp.unchanged_tree(out, changed) is None
    renders.clear()
    assert generate(SPEC, out, "--check")[0] == 0  # in sync, found the long way
    assert renders == ["load_project", "render_all"]

    # Another version of an installed distribution (ruff, datamodel-code-generator...).
    monkeypatch.setattr(stamp, "_PACKAGE", stamp.Path(stamp.__file__).parent)
    site = tmp_path / "site"
    (site / "ruff-99.0.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(site))
    stamp.environment_digest.cache_clear()
    assert stamp.generate_inputs([SPEC], ONLY.split(",")) not in (inputs, changed)


def test_import_skips_an_unchanged_import_and_prints_its_warnings_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(IMPORT_CASE)
    loads: list[object] = []
    real = specbind.importer.document.load_document

    def counted(*args: object, **kwargs: object) -> object:
        loads.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(specbind.importer.document, "load_document", counted)
    out = tmp_path / "openapi_30.yaml"
    first = run("import", "openapi.yaml", "--out", out)
    assert first[0] == 0 and len(loads) == 1
    warnings = (IMPORT_CASE / "warnings.txt").read_text()
    assert first[2] == warnings

    again = run("import", "openapi.yaml", "--out", out)
    assert again == (0, f"{out}: unchanged\n", warnings) and len(loads) == 1
    check = run("import", "openapi.yaml", "--out", out, "--check")
    assert check == (0, f"{out}: in sync with the document\n", warnings)
    assert len(loads) == 1

    # An edited spec: the full import, and --check shows the diff.
    out.write_text(out.read_text().replace("title: Pet Store", "title: Old Store"))
    code, stdout, _ = run("import", "openapi.yaml", "--out", out, "--check")
    assert code == 1 and len(loads) == 2
    assert "-title: Old Store\n+title: Pet Store\n" in stdout

    # Another option is another input.
    assert run("import", "openapi.yaml", "--out", out, "--package", "other")[0] == 0
    assert len(loads) == 3
