"""The places ``specbind diff`` gives for a side that is an OpenAPI document are the
document's own ``FILE:LINE:COL`` (from the import's source map), in every output
format that shows them, never the spec text it imported in memory."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from specbind import cli
from specbind.diff.command import compare
from specbind.diff.report import RENDER, Report
from specbind.diff.sides import Importing, load_side

OLD = """\
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets:
    post:
      operationId: create_pet
      tags: [pets]
      parameters:
        - name: dry
          in: query
          schema: {type: boolean}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '200': {description: ok}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        age: {type: integer}
"""
NEW = """\
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets:
    post:
      operationId: create_pet
      tags: [pets]
      parameters:
        - name: verbose
          in: query
          schema: {type: boolean}
        - name: dry
          in: query
          required: true
          schema: {type: boolean}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '200': {description: ok}
  /pets/{pet_id}:
    get:
      operationId: get_pet
      tags: [pets]
      parameters:
        - {name: pet_id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Base:
      type: object
      properties:
        name: {type: string}
    Pet:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [name, age]
          properties:
            age: {type: integer}
"""
# An overlay that adds a field: the field stands in the overlay.
COLOR = """\
overlay: 1.0.0
info: {title: color, version: '1'}
actions:
  - target: $.components.schemas.Pet.properties
    update:
      color: {type: string}
"""

# (rule, place) -> (old LINE:COL, new LINE:COL) in the documents above
EXPECTED = {
    # a model field, declared by a property of an allOf part on the new side
    ("wire.request.field-became-required", "Pet.age"): (
        "old.yaml:26:9",
        "new.yaml:47:13",
    ),
    # an operation: its method's key under its path
    ("wire.operation-added", "pets.get_pet"): (None, "new.yaml:24:5"),
    # a parameter: its item in the operation's parameters
    ("wire.parameter-became-required", "pets.create_pet(dry)"): (
        "old.yaml:9:11",
        "new.yaml:12:11",
    ),
    ("wire.parameter-added-optional", "pets.create_pet(verbose)"): (
        "old.yaml:5:5",
        "new.yaml:9:11",
    ),
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    folder = tmp_path_factory.mktemp("places")
    (folder / "old.yaml").write_text(OLD)
    (folder / "new.yaml").write_text(NEW)
    old = load_side(str(folder / "old.yaml"))
    new = load_side(str(folder / "new.yaml"))
    return Report((compare(old, new),))


def _short(spot: dict[str, object] | None) -> str | None:
    if spot is None:
        return None
    return f"{Path(str(spot['file'])).name}:{spot['line']}:{spot['column']}"


def test_json_places_are_the_documents(report: Report) -> None:
    changes = json.loads(RENDER["json"](report))["comparisons"][0]["changes"]
    found = {
        (c["rule"], c["place"]): (_short(c["old"]), _short(c["new"]))
        for c in changes
        if (c["rule"], c["place"]) in EXPECTED
    }
    assert found == EXPECTED
    assert not [c for c in changes if "(imported)" in json.dumps(c)]


def test_text_github_and_junit_show_the_same_places(report: Report) -> None:
    text = RENDER["text"](report)
    assert "[wire.request.field-became-required] Pet.age" in text
    assert "(imported)" not in text
    assert "old.yaml:26:9  new " in text and "new.yaml:47:13\n" in text

    github = RENDER["github"](report)
    (annotation,) = [
        line
        for line in github.splitlines()
        if "title=wire.request.field-became-required" in line
    ]
    assert "new.yaml,line=47,col=13," in annotation

    suites = ElementTree.fromstring(RENDER["junit"](report))
    files = {
        case.get("name"): case.get("file")
        for case in suites.iter("testcase")
        if case.get("classname") == "wire.operation-added"
    }
    assert list(files) == ["pets.get_pet"]
    assert str(files["pets.get_pet"]).endswith("new.yaml:24:5")


def test_a_place_an_overlay_added_stands_in_the_overlay(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "old.yaml").write_text(OLD)
    (tmp_path / "color.yaml").write_text(COLOR)
    monkeypatch.chdir(tmp_path)
    code = cli.main(
        [
            "diff",
            "old.yaml",
            "old.yaml",
            "--new-overlay",
            "color.yaml",
            "--format",
            "json",
        ]
    )
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    (change,) = [
        c
        for c in json.loads(out)["comparisons"][0]["changes"]
        if c["rule"] == "wire.request.field-added-optional"
    ]
    assert (change["place"], change["old"], change["new"]) == (
        "Pet.color",
        {"file": "old.yaml", "line": 21, "column": 5},
        {"file": "color.yaml", "line": 6, "column": 7},
    )


def test_a_git_side_names_ref_and_path(report: Report) -> None:
    """(The source map's file is the document's label: REF:PATH for one from git,
    see tests/test_diff_git.py; here the importing of a labelled text.)"""
    from specbind.diff.sides import from_openapi

    loaded = from_openapi("main:api/pets.yaml", Importing(), text=NEW)
    places = loaded.version.positions
    spot = places.field("Pet", "age")
    assert str(spot) == "main:api/pets.yaml:47:13"
    assert str(places.parameter(("pets",), "create_pet", "dry")) == (
        "main:api/pets.yaml:12:11"
    )
    assert str(places.method(("pets",), "get_pet")) == "main:api/pets.yaml:24:5"
