"""``specbind import``: golden cases (an OpenAPI document beside the exact spec, or the
exact diagnostics) and the command's paths, all as real runs of the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from specbind.importer.emit import spec_yaml
from specbind.importer.names import enum_members

CASES = Path(__file__).parent / "import_cases"
CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir())
GOOD = [c for c in CASE_DIRS if not (c / "errors.txt").exists()]
BAD = [c for c in CASE_DIRS if (c / "errors.txt").exists()]


def document(case: Path) -> str:
    return next(p.name for p in case.iterdir() if p.stem == "openapi")


def specbind(
    *args: str | Path, cwd: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specbind", *map(str, args)],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize("case", GOOD, ids=lambda p: p.name)
def test_import_gives_the_expected_spec(case: Path, tmp_path: Path) -> None:
    out = tmp_path / f"{case.name}.yaml"
    run = specbind("import", document(case), "--out", out, cwd=case)
    assert run.returncode == 0, run.stderr
    assert out.read_text("utf-8") == (case / "expected.yaml").read_text("utf-8")
    warnings = case / "warnings.txt"
    expected = warnings.read_text("utf-8") if warnings.exists() else ""
    assert run.stderr == expected


@pytest.mark.parametrize("case", BAD, ids=lambda p: p.name)
def test_bad_document_gives_the_expected_errors(case: Path, tmp_path: Path) -> None:
    out = tmp_path / "spec.yaml"
    run = specbind("import", document(case), "--out", out, cwd=case)
    assert run.returncode == 2
    assert run.stderr == (case / "errors.txt").read_text("utf-8")
    assert "Traceback" not in run.stderr
    assert not out.exists()


def test_imported_specs_generate_packages_that_pass_mypy(tmp_path: Path) -> None:
    packages = []
    for case in GOOD:
        out = tmp_path / case.name
        run = specbind("generate", case / "expected.yaml", "--out", out, cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        packages.append(out / case.name)
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "c")]
        + [arg for p in packages for arg in ("-p", p.name)],
        env={
            **os.environ,
            "MYPYPATH": os.pathsep.join(str(p.parent) for p in packages),
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert mypy.returncode == 0, mypy.stdout


def test_check_passes_in_sync_and_fails_with_a_diff_when_stale(tmp_path: Path) -> None:
    case = CASES / "openapi_30"
    out = tmp_path / "openapi_30.yaml"
    out.write_text((case / "expected.yaml").read_text("utf-8"), "utf-8")
    run = specbind("import", document(case), "--check", "--out", out, cwd=case)
    assert (run.returncode, run.stdout) == (0, f"{out}: in sync with the document\n")
    stale = out.read_text("utf-8").replace("title: Pet Store", "title: Old Store")
    out.write_text(stale, "utf-8")
    run = specbind("import", document(case), "--check", "--out", out, cwd=case)
    assert run.returncode == 1
    assert "-title: Old Store\n+title: Pet Store\n" in run.stdout
    assert run.stdout.startswith(f"--- a/{out}\n+++ b/{out}\n")
    assert out.read_text("utf-8") == stale  # --check writes nothing


def test_check_of_a_missing_spec_is_drift(tmp_path: Path) -> None:
    case = CASES / "openapi_30"
    out = tmp_path / "missing.yaml"
    run = specbind("import", document(case), "--check", "--out", out, cwd=case)
    assert run.returncode == 1
    assert not out.exists()


def test_dash_reads_the_document_from_stdin(tmp_path: Path) -> None:
    case = CASES / "openapi_31"
    text = (case / document(case)).read_text("utf-8")
    run = specbind("import", "-", "--package", "openapi_31", cwd=tmp_path, stdin=text)
    assert run.returncode == 0, run.stderr
    expected = (case / "expected.yaml").read_text("utf-8")
    assert run.stdout == expected.replace("#   openapi.json", "#   <stdin>")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"- a\n- b\n", "doc.yaml:1:1: error: "),
        (b"openapi: 3.0.0\ninfo: {title: \xff}\n", "doc.yaml:2:15: error: "),
        (b"swagger: '2.0'\n", "doc.yaml:1:10: error: "),
        (b"openapi: [3\n", "doc.yaml:2:1: error: "),
    ],
    ids=["not-a-mapping", "not-utf8", "swagger-2", "bad-yaml"],
)
def test_unreadable_documents_exit_2_without_a_traceback(
    tmp_path: Path, content: bytes, message: str
) -> None:
    (tmp_path / "doc.yaml").write_bytes(content)
    run = specbind("import", "doc.yaml", "--out", "spec.yaml", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.startswith(message), run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "spec.yaml").exists()


def test_missing_document_exits_2(tmp_path: Path) -> None:
    run = specbind("import", "nowhere.yaml", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.startswith("nowhere.yaml:1:1: error: cannot read the file")


def test_check_needs_out(tmp_path: Path) -> None:
    run = specbind("import", "x.yaml", "--check", cwd=tmp_path)
    assert run.returncode == 2
    assert "--check compares with the spec at --out" in run.stderr


def test_skip_unsupported_imports_the_rest_and_lists_each_skip(tmp_path: Path) -> None:
    case = CASES / "error_every_kind"
    out = tmp_path / "spec.yaml"
    run = specbind(
        "import", document(case), "--skip-unsupported", "--out", out, cwd=case
    )
    assert run.returncode == 0, run.stderr
    errors = (case / "errors.txt").read_text("utf-8").splitlines()[:-1]
    skipped = run.stderr.splitlines()
    assert len(skipped) == len(errors)
    for line in skipped:
        assert ": warning: #/" in line
        assert ": skipped " in line
    spec = yaml.safe_load(out.read_text("utf-8"))
    assert list(spec["models"]["Thing"]["fields"]) == ["owner"]  # not shape
    assert "filter" not in str(spec["operations"])
    assert "upload" not in spec["operations"]["default"]["methods"]
    assert "request" not in spec["operations"]["default"]["methods"]["delete_things"]


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "a line that is long enough to be wrapped by the emitter at its width, "
        "because it goes on and on: with colons, # hashes and 'quotes'",
        "two\nlines",
        "trailing space \nnext",
        "  leading spaces\nand a tab\there",
        "ends with a newline\n",
        "",
        "yes",
        "123",
        "- not a list",
    ],
)
def test_emitted_yaml_reads_back_as_written(text: str) -> None:
    spec = {"specbind": 1, "models": {"M": {"doc": text, "fields": {}}}}
    emitted = spec_yaml(spec, "doc.yaml")
    assert yaml.safe_load(emitted) == spec
    assert emitted == spec_yaml(spec, "doc.yaml")


def test_overlays_beside_the_specs_are_not_specs(tmp_path: Path) -> None:
    from specbind.generate import default_specs

    (tmp_path / "api.yaml").write_text("specbind: 1\n", "utf-8")
    (tmp_path / "api.overlay.yaml").write_text("overlay: 1.0.0\n", "utf-8")
    assert default_specs(tmp_path) == [tmp_path / "api.yaml"]


def test_enum_values_that_name_the_same_member_are_numbered() -> None:
    """``fine-tune`` and ``fine_tune`` both read ``FINE_TUNE``: the second is ``_2``."""
    assert enum_members(["fine-tune", "fine_tune", "FINE TUNE", 3, "3"]) == [
        "FINE_TUNE",
        "FINE_TUNE_2",
        "FINE_TUNE_3",
        "VALUE_3",
        "VALUE_3_2",
    ]


def test_the_auth_is_the_scheme_the_top_level_security_names(tmp_path: Path) -> None:
    """Of two schemes a spec can say, the one the document's ``security`` requires,
    though declared second; the other is reported, and left out with
    --skip-unsupported."""
    doc = (CASES / "api_key_header" / "openapi.yaml").read_text("utf-8")
    schemes = "    ApiKeyAuth: {type: apiKey, in: header, name: X-API-Key}\n"
    assert schemes in doc
    doc = doc.replace(schemes, schemes + "    Bearer: {type: http, scheme: bearer}\n")
    doc = doc.replace("  - ApiKeyAuth: []", "  - Bearer: []")
    (tmp_path / "openapi.yaml").write_text(doc, "utf-8")
    out = tmp_path / "spec.yaml"
    run = specbind("import", "openapi.yaml", "--out", out, cwd=tmp_path)
    assert run.returncode == 2
    assert "security scheme 'ApiKeyAuth'" in run.stderr
    assert "it is security scheme 'Bearer'" in run.stderr
    run = specbind(
        "import", "openapi.yaml", "--skip-unsupported", "--out", out, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    spec = yaml.safe_load(out.read_text("utf-8"))
    assert spec["auth"] == {"bearer": {"env": "SPEC_API_KEY"}}
