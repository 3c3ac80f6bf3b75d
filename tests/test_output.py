"""The writer: manifest-scoped removal, atomic writes, --check diffs, determinism."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from specbind import output
from specbind.generate import default_specs
from specbind.render.shared.base import OutputFile

from .conftest import GENERATED, ROOT


def files(**contents: str) -> list[OutputFile]:
    return [
        OutputFile(path.replace("__", "/"), text) for path, text in contents.items()
    ]


def test_write_then_in_sync(tmp_path: Path) -> None:
    plan = output.plan(tmp_path, files(a__x="1\n", b="2\n"))
    assert set(plan.changed) == {"a/x", "b", output.MANIFEST}
    output.write(plan)
    assert (tmp_path / "a" / "x").read_text() == "1\n"
    assert output.plan(tmp_path, files(a__x="1\n", b="2\n")).in_sync


def test_removes_only_its_own_stale_files(tmp_path: Path) -> None:
    output.write(output.plan(tmp_path, files(pkg__old="old\n", pkg__keep="k\n")))
    (tmp_path / "pkg" / "mine.txt").write_text("a user's file")
    (tmp_path / "notes.md").write_text("also a user's")
    plan = output.plan(tmp_path, files(pkg__keep="k\n"))
    assert plan.stale == ("pkg/old",)
    output.write(plan)
    assert not (tmp_path / "pkg" / "old").exists()
    assert (tmp_path / "pkg" / "mine.txt").read_text() == "a user's file"
    assert (tmp_path / "notes.md").exists()


def test_empty_folders_of_stale_files_are_pruned(tmp_path: Path) -> None:
    output.write(output.plan(tmp_path, files(deep__er__x="x\n", top="t\n")))
    output.write(output.plan(tmp_path, files(top="t\n")))
    assert not (tmp_path / "deep").exists()


def test_manifest_cannot_point_outside_the_root(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    root = tmp_path / "out"
    root.mkdir()
    (root / output.MANIFEST).write_text('{"files": ["../victim.txt", "/etc/passwd"]}')
    output.write(output.plan(root, files(a="a\n")))
    assert victim.read_text() == "keep me"


def test_failed_write_leaves_the_old_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output.write(output.plan(tmp_path, files(a="old a\n", b="old b\n")))
    plan = output.plan(tmp_path, files(a="new a\n", b="new b\n"))
    real_fdopen = os.fdopen
    calls = []

    def failing_fdopen(fd: int, *args: object, **kwargs: object) -> object:
        calls.append(fd)
        if len(calls) == 2:
            os.close(fd)
            raise OSError(28, "No space left on device")
        return real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "fdopen", failing_fdopen)
    with pytest.raises(OSError):
        output.write(plan)
    assert (tmp_path / "a").read_text() == "old a\n"
    assert (tmp_path / "b").read_text() == "old b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["a", "b", output.MANIFEST]
    )


def test_diff_names_changed_and_stale_files(tmp_path: Path) -> None:
    output.write(output.plan(tmp_path, files(a="one\n", gone="bye\n")))
    diff = output.plan(tmp_path, files(a="two\n")).diff()
    assert "--- a/a\n+++ b/a\n" in diff
    assert "-one\n+two\n" in diff
    assert "--- a/gone\n+++ /dev/null\n" in diff


def generate(out: Path, seed: str) -> dict[str, bytes]:
    """A fresh ``specbind generate`` with its own empty styles cache, so that
    datamodel-code-generator runs for ``generated/styles`` too."""
    cache = out.with_name(f"{out.name}-cache")
    env = dict(os.environ, PYTHONHASHSEED=seed, SPECBIND_CACHE_DIR=str(cache))
    subprocess.run(
        [sys.executable, "-m", "specbind", "generate", "--out", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    specs = default_specs(ROOT / "spec")
    # one per style of each spec
    assert len(list((cache / "styles").glob("*.entry"))) == 4 * len(specs) == 8
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != output.STAMP  # a cache of the run, never committed
    }


def test_output_is_identical_across_hash_seeds(tmp_path: Path) -> None:
    runs = [generate(tmp_path / seed, seed) for seed in ("0", "1", "random")]
    assert runs[0] == runs[1] == runs[2]
    committed = {
        p.relative_to(GENERATED).as_posix(): p.read_bytes()
        for p in sorted(GENERATED.rglob("*"))
        if p.is_file()
        and p.name != output.STAMP
        and not {"__pycache__", ".mypy_cache"} & set(p.parts)
    }
    assert runs[0] == committed


def test_every_python_file_has_the_spec_header() -> None:
    import hashlib

    digest = hashlib.sha256(
        (ROOT / "spec" / "mistral_fim.yaml").read_bytes()
    ).hexdigest()
    for path in (GENERATED / "mistral_fim").iterdir():
        if path.is_file():
            lines = path.read_text("utf-8").splitlines()
            assert (
                lines[0]
                == "# Generated by specbind from mistral_fim.yaml; do not edit by hand."
            )
            assert lines[1] == f"# spec sha256: {digest}"


def test_generated_package_imports_only_attrs_cattrs_and_httpx() -> None:
    import ast

    # httpcore and anyio come with httpx: the client's deadline wraps httpcore's I/O.
    allowed = {"attrs", "cattrs", "httpx", "httpcore", "anyio"}
    allowed |= set(sys.stdlib_module_names)
    for path in (GENERATED / "mistral_fim").glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert roots <= allowed, f"{path.name} imports {roots - allowed}"
