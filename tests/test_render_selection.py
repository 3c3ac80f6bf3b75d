"""Selecting outputs: ``output: {render: [...]}`` in a spec and ``--only`` on the command
line render the selected outputs alone, ``--check`` looks at nothing else, and the
writer removes or keeps the other outputs' files as the selection says."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from specbind.output import MANIFEST, STAMP

ROOT = Path(__file__).parent.parent
SPEC = ROOT / "spec" / "mistral_fim.yaml"
NO_STYLES = "models,converters,client,docs,jsonschema"


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specbind", "generate", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def with_render(tmp_path: Path, render: str, name: str = "spec.yaml") -> Path:
    """The FIM spec with ``output: {render: ...}`` after its ``package:`` line."""
    text = re.sub(  # the committed spec's own `output: {docs: docs}` (the same here)
        r"(?m)^(# Its pages stay in docs/.*\n)?output: .*\n",
        "",
        SPEC.read_text("utf-8"),
    )
    text = text.replace(
        "package: mistral_fim\n", f"package: mistral_fim\noutput:\n  render: {render}\n"
    )
    assert "render:" in text
    spec = tmp_path / name
    spec.write_text(text, "utf-8")
    return spec


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def imported_renderers(tmp_path: Path, *args: str) -> set[str]:
    """The modules of specbind's renderers (and datamodel-code-generator) that a run
    of ``specbind generate ARGS`` imported."""
    script = (
        "import sys\n"
        "from specbind.cli import main\n"
        f"assert main(['generate', *{list(args)!r}]) == 0\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == 0, result.stderr
    modules = result.stdout.split("\n")[-2].split()
    return {
        m
        for m in modules
        if m.startswith(("specbind.render.", "datamodel_code_generator"))
        and m.count(".") <= 3
    }


def test_styles_are_not_even_imported_when_not_selected(tmp_path: Path) -> None:
    everything = imported_renderers(tmp_path, str(SPEC), "--out", "all")
    assert "specbind.render.styles.renderer" in everything  # the probe sees it
    for args in (
        [str(SPEC), "--out", "cli", "--only", NO_STYLES],
        [str(with_render(tmp_path, "[models, converters, client]")), "--out", "spec"],
    ):
        seen = imported_renderers(tmp_path, *args)
        assert "specbind.render.client.renderer" in seen
        assert not {m for m in seen if "styles" in m or "datamodel" in m}, seen
    assert not any(p.startswith("styles/") for p in files(tmp_path / "cli"))
    assert not any(p.startswith("styles/") for p in files(tmp_path / "spec"))


def test_a_models_only_run_imports_no_other_renderer(tmp_path: Path) -> None:
    """Each renderer (docs included: the site's index of several specs is its) is
    imported only when its output is selected."""
    for args in (
        [str(SPEC), "--out", "cli", "--only", "models"],
        [str(with_render(tmp_path, "[models]")), "--out", "spec"],
    ):
        seen = imported_renderers(tmp_path, *args)
        assert "specbind.render.models.renderer" in seen  # the probe sees it
        assert {m.split(".")[2] for m in seen} == {"models", "shared"}, seen


def test_only_renders_the_selection_and_check_looks_at_nothing_else(
    tmp_path: Path,
) -> None:
    assert cli(tmp_path, str(SPEC), "--out", "out").returncode == 0
    out = tmp_path / "out"
    before = files(out)
    index = out / "docs" / "index.md"
    index.write_text(index.read_text() + "edited\n")
    (out / "styles" / "mistral_fim_pydantic.py").unlink()

    narrow = cli(tmp_path, str(SPEC), "--out", "out", "--only", "models,converters")
    assert narrow.returncode == 0, narrow.stderr
    assert "0 written, 0 removed" in narrow.stdout
    check = cli(tmp_path, str(SPEC), "--out", "out", "--check", "--only", "models")
    assert check.returncode == 0, check.stdout + check.stderr

    full = cli(tmp_path, str(SPEC), "--out", "out", "--check")
    assert full.returncode == 1
    assert "2 changed, 0 stale" in full.stderr  # docs/index.md, the pydantic style
    assert "edited" in index.read_text()  # --only left it as it was
    assert before - files(out) == {"styles/mistral_fim_pydantic.py"}
    manifest = json.loads((out / MANIFEST).read_text())
    assert set(manifest["files"]) == before - {MANIFEST}  # still ours, all of them


def test_only_removes_stale_files_of_the_selected_outputs_alone(
    tmp_path: Path,
) -> None:
    assert cli(tmp_path, str(SPEC), "--out", "out").returncode == 0
    out = tmp_path / "out"
    spec = tmp_path / "smaller.yaml"
    # UsageInfo goes: its docs page is stale, and so is every style (they define it).
    text = SPEC.read_text("utf-8")
    spec.write_text(text.replace("UsageInfo", "Usage"), "utf-8")
    docs = cli(
        tmp_path, str(spec), "--out", "out", "--only", "models,converters,client,docs"
    )
    assert docs.returncode == 0, docs.stderr
    assert not (out / "docs" / "models" / "usageinfo.md").exists()
    assert (out / "docs" / "models" / "usage.md").exists()
    pydantic = (out / "styles" / "mistral_fim_pydantic.py").read_text()
    assert "class UsageInfo" in pydantic  # not selected: not rewritten
    stale = cli(tmp_path, str(spec), "--out", "out", "--check")
    assert stale.returncode == 1
    assert "class UsageInfo" in stale.stdout


def test_a_spec_that_drops_an_output_removes_its_files(tmp_path: Path) -> None:
    assert cli(tmp_path, str(SPEC), "--out", "out").returncode == 0
    out = tmp_path / "out"
    (out / "NOTES.md").write_text("mine\n")
    lean = with_render(tmp_path, "[models, converters, client, jsonschema]")

    check = cli(tmp_path, str(lean), "--out", "out", "--check")
    assert check.returncode == 1
    # (the kept files carry the new spec's hash); the docs pages, 4 styles, styles.md
    dropped = [p for p in files(out) if p.split("/")[0] in ("docs", "styles")]
    assert f", {len(dropped)} stale" in check.stderr

    result = cli(tmp_path, str(lean), "--out", "out")
    assert result.returncode == 0, result.stderr
    assert f"{len(dropped)} removed" in result.stdout
    assert {p.split("/")[0] for p in files(out)} == {
        "mistral_fim",
        "schema",
        "NOTES.md",
        MANIFEST,
        STAMP,
    }
    assert cli(tmp_path, str(lean), "--out", "out", "--check").returncode == 0


def test_an_output_without_what_it_needs_is_an_error(tmp_path: Path) -> None:
    spec = with_render(tmp_path, "[models, client, styles]")
    result = cli(tmp_path, str(spec), "--out", "out")
    assert result.returncode == 2
    assert result.stderr.splitlines()[:2] == [
        "spec.yaml:7:3: error: output 'client' needs 'converters'; select it too, "
        "or leave 'client' out",
        "spec.yaml:7:3: error: output 'styles' needs 'jsonschema'; select it too, "
        "or leave 'styles' out",
    ]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("only", "message"),
    [
        (
            "docs",
            "--only: output 'docs' needs 'models', 'converters' and 'client'; select "
            "them too, or leave 'docs' out",
        ),
        (
            "models,pydantic",
            "argument --only: 'pydantic': expected outputs from models, converters, "
            "client, docs, jsonschema, styles, comma-separated",
        ),
    ],
)
def test_a_bad_only_is_an_error(tmp_path: Path, only: str, message: str) -> None:
    result = cli(tmp_path, str(SPEC), "--out", "out", "--only", only)
    assert result.returncode == 2
    assert result.stderr.strip().endswith(message), result.stderr
    assert not (tmp_path / "out").exists()


def test_a_models_only_package_passes_mypy_and_ruff(tmp_path: Path) -> None:
    spec = with_render(tmp_path, "[models]")
    assert cli(tmp_path, str(spec), "--out", "out").returncode == 0
    out = tmp_path / "out"
    assert files(out) == {
        MANIFEST,
        STAMP,
        "mistral_fim/__init__.py",
        "mistral_fim/models/__init__.py",
        "mistral_fim/models/_shared.py",
        "mistral_fim/py.typed",
    }
    init = (out / "mistral_fim" / "__init__.py").read_text()
    assert "converter" not in init
    assert "Client" not in init
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / "c"),
            "-p",
            "mistral_fim",
        ],
        env={**os.environ, "MYPYPATH": str(out)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout
    for command in (["check"], ["format", "--check"]):
        ruff = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--isolated", str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert ruff.returncode == 0, ruff.stdout


BODIES = ROOT / "tests" / "cases" / "bodies" / "spec.yaml"


@pytest.mark.parametrize("how", ["--only", "output.render"])
def test_models_only_with_a_file_part_import_and_pass_mypy(
    tmp_path: Path, how: str
) -> None:
    """A model with a ``bytes`` field is annotated ``FileContent``: its package has the
    type without the client, selected by ``--only`` or by the spec. (A narrowed run's
    ``__init__`` lazily names the client the spec's full run writes, so only the
    spec's selection is a whole package for mypy.)"""
    if how == "--only":
        args = [str(BODIES), "--out", "out", "--only", "models"]
    else:
        text = BODIES.read_text("utf-8").replace(
            "package: bodies\n", "package: bodies\noutput:\n  render: [models]\n"
        )
        assert "render:" in text
        (tmp_path / "spec.yaml").write_text(text, "utf-8")
        args = ["spec.yaml", "--out", "out"]
    result = cli(tmp_path, *args)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert not (out / "bodies" / "client.py").exists()
    script = (
        "import io\n"
        "from bodies import FileContent, UploadIn, models\n"
        "upload = UploadIn(file=io.BytesIO(b'x'), purpose=models.Purpose.batch)\n"
        "print(type(upload).__name__, FileContent is models.FileContent)\n"
    )
    imported = subprocess.run(
        [sys.executable, "-c", script],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.split() == ["UploadIn", "True"]
    if how == "--only":
        return  # its __init__ lazily names the client a full run writes
    cache = str(tmp_path / "c")
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            cache,
            "-p",
            "bodies",
        ],
        env={**os.environ, "MYPYPATH": str(out)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout
