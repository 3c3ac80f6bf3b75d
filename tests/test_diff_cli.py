"""``specbind diff`` from the command line: sides from git, formats, exit codes and
clean errors for bad input."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from specbind import cli

CASES = Path(__file__).parent / "diff_cases"
BREAKING = CASES / "wire.request.field-became-required"
INFO_ONLY = CASES / "wire.request.field-added-optional"
DOCS_ONLY = CASES / "docs.title-changed"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _copy(case: Path, tmp: Path) -> None:
    for name in ("old.yaml", "new.yaml"):
        shutil.copy(case / name, tmp / name)


@pytest.mark.parametrize(
    ("case", "fail_on", "expected"),
    [
        (BREAKING, None, 0),
        (BREAKING, "breaking", 1),
        (BREAKING, "warning", 1),
        (INFO_ONLY, "breaking", 0),
        (INFO_ONLY, "warning", 0),
        (CASES / "python.default-changed", "breaking", 0),
        (CASES / "python.default-changed", "warning", 1),
    ],
)
def test_fail_on_sets_the_exit_code(
    case: Path,
    fail_on: str | None,
    expected: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(case)
    option = ["--fail-on", fail_on] if fail_on else []
    code, _, err = run(capsys, "old.yaml", "new.yaml", *option)
    assert (code, err) == (expected, "")


@pytest.mark.parametrize(
    ("case", "semver"),
    [(BREAKING, "major"), (INFO_ONLY, "minor"), (DOCS_ONLY, "patch")],
)
def test_semver_hint(
    case: Path,
    semver: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(case)
    _, out, _ = run(capsys, "old.yaml", "new.yaml", "--format", "json")
    assert json.loads(out)["semver"] == semver


def test_no_change_is_a_patch_and_exits_0(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(BREAKING)
    code, out, _ = run(capsys, "old.yaml", "old.yaml", "--fail-on", "warning")
    assert code == 0
    assert out == (
        "specbind diff old.yaml -> old.yaml: 0 breaking, 0 warning, 0 info\n\nsemver: patch\n"
    )


def test_json_schema(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(BREAKING)
    _, out, _ = run(capsys, "old.yaml", "new.yaml", "--format", "json")
    document = json.loads(out)
    assert document["schema"] == "specbind-diff/1"
    assert document["counts"] == {"breaking": 2, "warning": 0, "info": 0}
    (comparison,) = document["comparisons"]
    assert (comparison["old"], comparison["new"]) == ("old.yaml", "new.yaml")
    first = comparison["changes"][0]
    assert set(first) == {
        "rule",
        "category",
        "severity",
        "rule_severity",
        "place",
        "sentence",
        "old",
        "new",
        "evidence",
        "note",
    }
    assert first["rule"] == "wire.request.field-became-required"
    assert first["old"] == {"file": "old.yaml", "line": 16, "column": 7}
    assert first["evidence"] == {
        "kind": "request",
        "payload": {"item": "a"},
        "old_type": "OrderIn",
        "new_type": "OrderIn",
        "accepted_by": "old",
        "refused_by": "new",
        "refusal": "required field missing @ $.count",
        "arguments": None,
        "lacks": None,
    }


def test_github_annotations_point_at_the_spec_lines(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(BREAKING)
    _, out, _ = run(capsys, "old.yaml", "new.yaml", "--format", "github")
    lines = out.splitlines()
    assert lines[0].startswith(
        "::error file=new.yaml,line=16,col=7,title=wire.request.field-became-required::"
        "OrderIn.count is now required"
    )
    assert '%0APayload: {"item": "a"}' in lines[0]
    assert lines[1].startswith(
        "::error file=new.yaml,line=16,col=7,title=python.field-became-required::"
    )


def test_junit_fails_breaking_changes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(BREAKING)
    _, out, _ = run(capsys, "old.yaml", "new.yaml", "--format", "junit")
    suite = ElementTree.fromstring(out.split("\n", 1)[1]).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("2", "2")
    failed = [c for c in suite if c.find("failure") is not None]
    assert [c.get("classname") for c in failed] == [
        "wire.request.field-became-required",
        "python.field-became-required",
    ]


def test_markdown_is_a_changelog_section(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(BREAKING)
    _, out, _ = run(capsys, "old.yaml", "new.yaml", "--format", "markdown")
    assert out.startswith("## API changes\n\nSemantic version: **major**")
    assert "### Breaking changes\n\n- OrderIn.count is now required" in out
    assert '(`wire.request.field-became-required`); for example `{"item": "a"}`' in out


def test_an_unconfirmed_change_is_a_warning_saying_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two spellings of one pattern: the rule calls it a changed (tighter) pattern, but
    no payload tells the converters apart, so it is not reported as breaking."""
    _copy(CASES / "wire.request.pattern-tightened", tmp_path)
    old = (tmp_path / "new.yaml").read_text()
    assert "pattern: ^[a-z]+$" in old
    (tmp_path / "old.yaml").write_text(old)
    (tmp_path / "new.yaml").write_text(old.replace("^[a-z]+$", "'^(?:[a-z])+$'"))
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(
        capsys, "old.yaml", "new.yaml", "--format", "json", "--fail-on", "breaking"
    )
    change = json.loads(out)["comparisons"][0]["changes"][0]
    assert code == 0
    assert (change["rule"], change["severity"], change["rule_severity"]) == (
        "wire.request.pattern-tightened",
        "warning",
        "breaking",
    )
    assert change["evidence"] is None
    assert re.fullmatch(
        r"not confirmed: none of \d+ payloads was accepted by the old converter "
        r"and refused by the new one at \$\.value",
        change["note"],
    )


# --- bad input: exit 2, a clean message, never a traceback


def test_missing_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "old.yaml", "new.yaml") == (2, "", "old.yaml: no such file\n")


def test_bad_spec_reports_its_diagnostics(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _copy(BREAKING, tmp_path)
    (tmp_path / "new.yaml").write_text(
        "specbind: 1\npackage: shop\nmodels:\n  A: {fields: {x: {type: nope}}}\n"
    )
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "old.yaml", "new.yaml")
    assert (code, out) == (2, "")
    assert err.startswith("new.yaml:4:")
    assert "Traceback" not in err


def test_one_side_is_not_enough(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "old.yaml")
    assert (code, err) == (
        2,
        "specbind diff: give two sides, OLD and NEW (or --against REF)\n",
    )


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repo whose commit has BREAKING's old spec; the work tree has the new one."""
    (tmp_path / "spec").mkdir()
    shutil.copy(BREAKING / "old.yaml", tmp_path / "spec" / "shop.yaml")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "old")
    shutil.copy(BREAKING / "new.yaml", tmp_path / "spec" / "shop.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_ref_path_side(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "main:spec/shop.yaml", "spec/shop.yaml", "--fail-on", "breaking"
    )
    assert (code, err) == (1, "")
    assert out.startswith(
        "specbind diff main:spec/shop.yaml -> spec/shop.yaml: 2 breaking"
    )
    assert "old main:spec/shop.yaml:16:7  new spec/shop.yaml:16:7" in out


def test_against_compares_every_spec(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(DOCS_ONLY / "new.yaml", repo / "spec" / "added.yaml")
    code, out, _ = run(capsys, "--against", "main", "--format", "json")
    document = json.loads(out)
    assert code == 0
    assert [(c["old"], c["new"], c["note"]) for c in document["comparisons"]] == [
        (
            "main:spec/added.yaml",
            "spec/added.yaml",
            "new in the work tree (not at main): nothing to compare",
        ),
        ("main:spec/shop.yaml", "spec/shop.yaml", ""),
    ]
    assert document["counts"]["breaking"] == 2


def test_bad_ref(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--against", "nosuch") == (
        2,
        "",
        "specbind: 'nosuch' is not a git commit, branch or tag here\n",
    )
    assert run(capsys, "nosuch:spec/shop.yaml", "spec/shop.yaml")[0] == 2
    assert run(capsys, "main:spec/gone.yaml", "spec/shop.yaml") == (
        2,
        "",
        "main:spec/gone.yaml: no such file at main\n",
    )


def test_a_route_the_new_spec_still_serves_is_not_proven(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """create moves to PUT, but another method still answers POST /v1/orders: the old
    client's request is still served, so the change is a warning saying so."""
    _copy(CASES / "wire.http-method-changed", tmp_path)
    new = (tmp_path / "new.yaml").read_text()
    assert "      create:\n        http: PUT /v1/orders\n" in new
    (tmp_path / "new.yaml").write_text(
        new.replace(
            "      create:\n",
            "      legacy:\n        http: POST /v1/orders\n        request: OrderIn\n"
            "        response: OrderOut\n      create:\n",
        )
    )
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, "old.yaml", "new.yaml", "--format", "json")
    (change,) = [
        c
        for c in json.loads(out)["comparisons"][0]["changes"]
        if c["rule"] == "wire.http-method-changed"
    ]
    assert (change["severity"], change["evidence"]) == ("warning", None)
    assert change["note"] == "not confirmed: the new spec still serves POST /v1/orders"


_DERIVED = """\
specbind: 1
package: shop
models:
  Base:
    fields:
      stop:
        type: {stop}
  Derived:
    is: Base
    fields:
      extra: {{type: int}}
"""


def test_a_copied_field_stands_where_its_base_declares_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`is:` copies the field and its inline union; both are reported at the base's
    line, and an inline union is named after the field that declares it."""
    (tmp_path / "old.yaml").write_text(_DERIVED.format(stop="str | list[str]"))
    (tmp_path / "new.yaml").write_text(_DERIVED.format(stop="str | list[str] | int"))
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, "old.yaml", "new.yaml", "--format", "json")
    changes = json.loads(out)["comparisons"][0]["changes"]
    found = {
        (c["rule"], c["place"], c["new"]["line"], c["new"]["column"]) for c in changes
    }
    assert found == {
        ("wire.request.variant-added", "Base.stop", 7, 15),
        ("wire.request.variant-added", "Derived.stop", 7, 15),
        ("wire.response.variant-added", "Base.stop", 7, 15),
        ("wire.response.variant-added", "Derived.stop", 7, 15),
    }


PETS = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "paths": {
        "/pets": {
            "post": {
                "operationId": "create_pet",
                "tags": ["pets"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Pet"}
                        }
                    },
                },
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
                "required": ["name"],
            }
        }
    },
}


def test_openapi_documents_are_imported_and_compared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two OpenAPI documents: each is imported in memory, the payload proves it."""
    newer = json.loads(json.dumps(PETS))
    newer["components"]["schemas"]["Pet"]["required"] = ["name", "age"]
    (tmp_path / "old.json").write_text(json.dumps(PETS))
    (tmp_path / "new.json").write_text(json.dumps(newer))
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "old.json", "new.json", "--format", "json")
    assert (code, err) == (0, "")
    changes = json.loads(out)["comparisons"][0]["changes"]
    rules = {(c["rule"], c["place"]) for c in changes}
    assert ("wire.request.field-became-required", "Pet.age") in rules
    assert not any(c["rule"] == "python.package-renamed" for c in changes)


def test_a_bad_openapi_side_is_a_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = json.loads(json.dumps(PETS))
    broken["paths"]["/pets"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ] = {"$ref": "#/components/schemas/Nope"}
    (tmp_path / "api.json").write_text(json.dumps(broken))
    _copy(BREAKING, tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "api.json", "new.yaml")
    assert (code, out) == (2, "")
    assert "api.json:" in err and "Nope" in err and "Traceback" not in err


def test_other_commands_do_not_import_the_differ() -> None:
    """``specbind generate`` builds the ``diff`` parser but imports none of the rules,
    comparisons or evidence: only :mod:`specbind.diff.options`."""
    code = (
        "import sys; from specbind import cli; cli._parser(); "
        "print(sorted(m for m in sys.modules if m.startswith('specbind.diff')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.strip() == "['specbind.diff', 'specbind.diff.options']"


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


def _pets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two documents whose one operation has another operationId (so another method
    name, unless an overlay names it on both sides)."""
    newer = json.loads(json.dumps(PETS))
    newer["paths"]["/pets"]["post"]["operationId"] = "add_pet"
    (tmp_path / "old.json").write_text(json.dumps(PETS))
    (tmp_path / "new.json").write_text(json.dumps(newer))
    (tmp_path / "rename.yaml").write_text(RENAME)
    (tmp_path / "age.yaml").write_text(AGE_REQUIRED)
    monkeypatch.chdir(tmp_path)


def _found(out: str) -> set[tuple[str, str]]:
    changes = json.loads(out)["comparisons"][0]["changes"]
    return {(c["rule"], c["place"]) for c in changes}


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], {("python.method-renamed", "pets.add_pet")}),
        # --overlay: both sides, so the method has the same name on each
        (["--overlay", "rename.yaml"], set()),
        (["--new-overlay", "rename.yaml"], {("python.method-renamed", "pets.add")}),
        (
            ["--old-overlay", "rename.yaml"],
            {("python.method-renamed", "pets.add_pet")},
        ),
        # the side's own overlays come after the shared ones
        (
            ["--overlay", "rename.yaml", "--new-overlay", "age.yaml"],
            {
                ("wire.request.field-became-required", "Pet.age"),
                ("python.field-became-required", "Pet.age"),
            },
        ),
    ],
)
def test_overlays_apply_to_the_sides_they_name(
    options: list[str],
    expected: set[tuple[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _pets(tmp_path, monkeypatch)
    code, out, err = run(capsys, "old.json", "new.json", *options, "--format", "json")
    assert (code, err) == (0, "")
    assert {f for f in _found(out) if not f[0].startswith("docs.")} == expected


def test_an_overlay_target_matching_nothing_is_a_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _pets(tmp_path, monkeypatch)
    (tmp_path / "stray.yaml").write_text(
        RENAME + "  - target: $.paths['/cats'].get\n    remove: true\n"
    )
    code, out, err = run(capsys, "old.json", "new.json", "--new-overlay", "stray.yaml")
    assert (code, out) == (2, "")
    assert err == (
        "stray.yaml:6:13: error: #/actions/1/target: the target $.paths['/cats'].get "
        "matches nothing in new.json\n"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--new-overlay", "rename.yaml"],
            "new.yaml: --new-overlay applies to an OpenAPI document, not a spec",
        ),
        (
            ["--overlay", "rename.yaml"],
            "specbind diff: --overlay applies to OpenAPI documents; neither side is one",
        ),
        (
            ["--skip-unsupported"],
            "specbind diff: --skip-unsupported applies to OpenAPI documents; "
            "neither side is one",
        ),
    ],
)
def test_overlays_on_specs_are_refused(
    options: list[str],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _copy(BREAKING, tmp_path)
    (tmp_path / "rename.yaml").write_text(RENAME)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "old.yaml", "new.yaml", *options)
    assert (code, out, err) == (2, "", message + "\n")


def test_skip_unsupported_leaves_out_what_cannot_be_imported_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _pets(tmp_path, monkeypatch)
    newer = json.loads(json.dumps(PETS))
    newer["paths"]["/pets"]["get"] = {
        "operationId": "list_pets",
        "tags": ["pets"],
        "parameters": [
            {
                "name": "filter",
                "in": "query",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        ],
        "responses": {"200": {"description": "ok"}},
    }
    (tmp_path / "new.json").write_text(json.dumps(newer))
    code, out, err = run(capsys, "old.json", "new.json")
    assert (code, out) == (2, "")
    assert "--skip-unsupported" in err
    code, out, err = run(
        capsys, "old.json", "new.json", "--skip-unsupported", "--format", "json"
    )
    assert code == 0
    assert "new.json:" in err and "filter" in err and "skipped" in err
    assert ("wire.operation-added", "pets.list_pets") in _found(out)


def test_evidence_packages_are_not_laid_out_by_ruff(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Evidence runs the rendered modules as they are: ruff changes no statement, and
    laying out a large spec's package took most of its generation time."""
    from specbind import formatting
    from specbind.diff import evidence

    calls = []
    monkeypatch.setattr(formatting, "_ruff", lambda: calls.append(1) or ["ruff"])
    monkeypatch.setattr(evidence, "_packages", {})  # none generated before
    monkeypatch.chdir(BREAKING)
    code, out, _ = run(capsys, "old.yaml", "new.yaml", "--format", "json")
    assert code == 0
    change = json.loads(out)["comparisons"][0]["changes"][0]
    assert (change["severity"], change["evidence"]["payload"]) == (
        "breaking",
        {"item": "a"},
    )
    assert calls == []


STREAMED = CASES / "wire.response-became-stream"


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ("response: binary", "a binary body"),
        ("response: empty", "no content"),
        ("responses: {200: OrderOut, 204: empty}", "200: OrderOut, 204: no content"),
        ("response: OrderOut", "OrderOut"),
    ],
)
def test_a_response_that_became_a_stream_names_what_it_was(
    answer: str,
    said: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = (STREAMED / "old.yaml").read_text().replace("response: OrderOut", answer)
    (tmp_path / "old.yaml").write_text(old)
    shutil.copy(STREAMED / "new.yaml", tmp_path / "new.yaml")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "old.yaml", "new.yaml", "--format", "json")
    assert (code, err) == (0, "")
    (change,) = [
        c
        for c in json.loads(out)["comparisons"][0]["changes"]
        if c["rule"] == "wire.response-became-stream"
    ]
    assert change["sentence"] == (
        f"orders.create now answers with a stream of OrderEvent instead of {said}; "
        f"old clients read {said}"
    )


UNION_ANSWER = """\
unions:
  Answer:
    variants: [OrderOut, Receipt]
"""


@pytest.mark.parametrize(
    "answer", ["response: Answer", "responses: {200: Answer, 204: empty}"]
)
def test_a_union_only_answered_gets_the_response_rules_alone(
    answer: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A union a method answers with (alone, or for one status of several) travels in
    responses only: no request rule applies to it."""
    base = (STREAMED / "old.yaml").read_text().replace("response: OrderOut", answer)
    base = base.replace("operations:", UNION_ANSWER + "operations:")
    receipt = "  Receipt:\n    fields:\n      total:\n        type: int\n        required: true\n"
    (tmp_path / "old.yaml").write_text(base)
    (tmp_path / "new.yaml").write_text(
        base.replace("[OrderOut, Receipt]", "[OrderOut, Receipt, OrderIn]")
    )
    for name in ("old.yaml", "new.yaml"):
        text = (tmp_path / name).read_text()
        (tmp_path / name).write_text(text.replace("unions:", receipt + "unions:", 1))
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "old.yaml", "new.yaml", "--format", "json")
    assert (code, err) == (0, "")
    assert {r for r, _ in _found(out)} == {"wire.response.variant-added"}
