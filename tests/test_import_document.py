"""Loading OpenAPI documents for the importer: the reference documents, overlays and the
places they give added values, stdin, and YAML 1.2 scalars (the golden diagnostics are
in test_import_errors.py)."""

from __future__ import annotations

import io
import sys
from collections import Counter
from pathlib import Path

import pytest

from specbind.diagnostics import Diagnostic, SpecError
from specbind.importer.context import pointer_join
from specbind.importer.document import load_document, pointer, pointer_parts
from specbind.importer.schemas import component_key

REFERENCE = Path("/work/shared/reference")
if not REFERENCE.exists():
    REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
MISTRAL_2024 = REFERENCE / "mistral-openapi-2024-11-07.yaml"
MISTRAL_2026 = REFERENCE / "mistral-openapi-2026-07-15.yaml"
OPC = REFERENCE / "opc-end-to-end"

DOC = """\
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /v1/models/{model_id}:
    get:
      operationId: retrieve
      parameters:
        - {name: model_id, in: path, required: true, schema: {type: string}}
        - {name: a/b~c, in: query, schema: {type: string}}
      responses:
        "200": {description: OK}
"""


def kinds(diagnostics: list[Diagnostic]) -> Counter[str]:
    """How many diagnostics of each kind: severity and the message up to its first quote
    or comma ("warning: 'items' is a list of one schema")."""
    return Counter(
        f"{d.severity}: {d.message.split(', in ')[0].split(' of ')[0]}"
        for d in diagnostics
    )


def write(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text, "utf-8")
    return str(tmp_path / name)


def test_mistral_2024_needs_two_repairs_and_nothing_is_unsupported() -> None:
    doc, diagnostics = load_document(MISTRAL_2024)
    assert [(d.severity, d.pointer, d.line) for d in diagnostics] == [
        (
            "warning",
            "/components/schemas/EmbeddingResponse/allOf/1/properties/data/items",
            3211,
        ),
        (
            "warning",
            "/components/schemas/ClassificationResponse/properties/results/items",
            3230,
        ),
    ]
    items = doc.data["components"]["schemas"]["ClassificationResponse"]["properties"]
    assert items["results"]["items"] == {
        "$ref": "#/components/schemas/ClassificationObject"
    }
    assert doc.where(
        "/components/schemas/ClassificationResponse/properties/results/items"
    ) == (
        f"{MISTRAL_2024}:3230:15"  # the one schema, after "- "
    )


@pytest.mark.slow
def test_mistral_2026_has_one_unsupported_construct() -> None:
    """Its ``metadata`` parameters given by JSON ``content`` are imported (``style:
    json``); what is left is a response of a media type a spec cannot say."""
    with pytest.raises(SpecError) as caught:
        load_document(MISTRAL_2026)
    found = caught.value.diagnostics
    assert [(d.severity, d.pointer) for d in found] == [
        (
            "error",
            "/paths/~1v1~1audio~1voices~1{voice_id}~1sample/get/responses/200/content/audio~1wav",
        ),
    ]


@pytest.mark.parametrize(
    "name", ["baseline_openapi_3.0.json", "baseline_openapi_3.1.yaml"]
)
def test_openapi_python_client_documents_load_skipping_what_is_unsupported(
    name: str,
) -> None:
    with pytest.raises(SpecError):
        load_document(OPC / name)
    doc, diagnostics = load_document(OPC / name, skip_unsupported=True)
    expected = {
        "warning: the default 1": 1,
        "warning: 'title' is not a field": 1,
        "warning: media type 'text/plain'": 6,
        "warning: media type 'not_real/content-type'": 1,
        "warning: media type 'openapi/python/client'": 2,
        "warning: cookie parameter 'MyToken' cannot be imported": 1,
        "warning: cookie parameter 'param' cannot be imported": 1,
        "warning: cookie parameter 'cookie param' cannot be imported": 1,
        "warning: callbacks cannot be imported": 1,
        # Parts of the upload's multipart body the spec cannot say.
        "warning: a list": 1,
        "warning: a structured value in a multipart body (part 'some_object') "
        "cannot be imported": 1,
        "warning: a structured value in a multipart body (part 'some_optional_object') "
        "cannot be imported": 1,
        "warning: a structured value in a multipart body (part 'some_nullable_object') "
        "cannot be imported": 1,
    }
    if name.endswith(".json"):
        expected[
            "warning: 'const' is not in OpenAPI 3.0; read as a one-value 'enum'"
        ] = 2
    assert kinds(diagnostics) == expected
    paths = doc.data["paths"]
    assert "callbacks" not in paths["/tests/callback"]["post"]
    assert "get" not in paths["/auth/token_with_cookie"]  # its cookie is required
    assert [
        p["in"]
        for p in paths["/same-name-multiple-locations/{param}"]["get"]["parameters"]
    ] == [
        "query",
        "header",
        "path",
    ]


def test_overlays_apply_in_order_and_what_they_add_stands_in_the_overlay(
    tmp_path: Path,
) -> None:
    doc_path = write(tmp_path, "doc.yaml", DOC)
    first = write(
        tmp_path,
        "first.yaml",
        """\
overlay: 1.0.0
info: {title: First, version: "1"}
actions:
  - target: $.paths.*.get
    update:
      x-speakeasy-group: models
      responses: {"404": {description: Missing}}
  - target: $..parameters[?@.in == 'path']
    remove: true
""",
    )
    second = write(
        tmp_path,
        "second.yaml",
        """\
overlay: 1.0.0
info: {title: Second, version: "1"}
actions:
  - target: $.paths.*.get[?@ == 'models']
    remove: true
  - target: $.paths.*.get.parameters
    update: {name: model_id, in: path, required: true, schema: {type: string}}
""",
    )
    doc, diagnostics = load_document(doc_path, [first, second])
    assert diagnostics == []
    get = doc.data["paths"]["/v1/models/{model_id}"]["get"]
    assert (
        "x-speakeasy-group" not in get
    )  # added by the first overlay, removed by the second
    assert list(get["responses"]) == ["200", "404"]  # merged, not replaced
    assert [p["name"] for p in get["parameters"]] == ["a/b~c", "model_id"]
    op = "/paths/~1v1~1models~1{model_id}/get"
    assert doc.where(f"{op}/responses/200") == f"{doc_path}:11:16"
    assert doc.where(f"{op}/responses/404") == f"{first}:7:26"
    assert doc.where(f"{op}/parameters/0") == f"{doc_path}:9:11"  # moved up by one
    assert doc.where(f"{op}/parameters/1/schema/type") == f"{second}:7:71"
    assert doc.where(f"{op}/parameters/1/nothing/here") == f"{second}:7:13"


def test_pointers_unescape_and_name_the_closest_place(tmp_path: Path) -> None:
    doc, _ = load_document(write(tmp_path, "doc.yaml", DOC))
    op = "#/paths/~1v1~1models~1{model_id}/get"
    assert doc.where(f"{op}/parameters/1/name").endswith("doc.yaml:9:18")
    assert doc.where("/info/title").endswith("doc.yaml:2:15")
    assert doc.where("/info/nothing").endswith("doc.yaml:2:7")
    assert doc.where("").endswith("doc.yaml:1:1")


@pytest.mark.parametrize("key", ["a/b", "a~b", "~1", "~0/~", "/", ""])
def test_every_pointer_spelling_of_a_key_reads_back_as_the_key(key: str) -> None:
    """The one escaping (RFC 6901) serves the pointers the importer writes (``pointer``,
    ``pointer_join``) and those it reads (``pointer_parts``, ``$ref``s)."""
    data = {"components": {"schemas": {key: {}}}}
    parts = ("components", "schemas", key)
    joined = pointer_join("#/components/schemas", key)
    assert joined == "#" + pointer(parts)
    assert pointer_parts(joined, data) == parts
    assert component_key(joined, "#/here") == key


def test_stdin_is_read_for_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(DOC.replace("3.1.0", "3.0.3").encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    doc, _ = load_document("-")
    assert doc.file == "<stdin>"
    assert doc.version == "3.0"
    assert doc.where("/paths") == "<stdin>:4:3"


def test_scalars_read_as_yaml_1_2(tmp_path: Path) -> None:
    text = DOC + (
        "components:\n  schemas:\n    S:\n      type: number\n      minimum: 1e-08\n"
        "      enum: [on, off, yes, 2024-11-07, 1.5, 0x1F]\n"
    )
    doc, _ = load_document(write(tmp_path, "doc.yaml", text))
    schema = doc.data["components"]["schemas"]["S"]
    assert schema["minimum"] == 1e-08
    assert schema["enum"] == ["on", "off", "yes", "2024-11-07", 1.5, 31]


def test_json_indented_with_tabs_keeps_its_columns(tmp_path: Path) -> None:
    text = '{\n\t"openapi": "3.1.0",\n\t"info": {"title": "T", "version": "1"},\n\t"paths": {}\n}\n'
    doc, _ = load_document(write(tmp_path, "doc.json", text))
    assert doc.where("/info/title").endswith("doc.json:3:20")


CASES = Path(__file__).parent / "import_errors"


def test_repairs_change_the_data_as_their_warnings_say() -> None:
    doc, _ = load_document(CASES / "repairs" / "openapi.yaml")
    schemas = doc.data["components"]["schemas"]
    job = schemas["Job"]
    assert job["required"] == ["id", "name"]
    assert job["properties"]["name"] == {"type": "string"}
    assert job["properties"]["dry_run"] == {"type": "boolean"}
    assert job["properties"]["suffix"]["default"] == "1"
    assert schemas["JobList"]["properties"]["data"]["items"] == {
        "$ref": "#/components/schemas/Job"
    }
    get = doc.data["paths"]["/v1/jobs"]["get"]
    assert "title" not in get
    assert [p["name"] for p in get["parameters"]] == ["page"]
    assert get["parameters"][0]["schema"]["type"] == "integer"
    # The name moved to `required` stands where `required: true` stood.
    assert doc.where("/components/schemas/Job/required/1").endswith(
        "openapi.yaml:34:11"
    )


def test_skipped_constructs_leave_the_data() -> None:
    doc, _ = load_document(
        CASES / "unsupported_skipped" / "openapi.yaml", skip_unsupported=True
    )
    post = doc.data["paths"]["/v1/jobs"]["post"]
    assert post["parameters"] == []
    assert list(post["requestBody"]["content"]) == ["application/json"]
    assert list(post["responses"]["200"]["content"]) == ["application/json"]
    assert "links" not in post["responses"]["200"]
    assert "callbacks" not in post
    assert doc.data["paths"]["/v1/jobs/{job_id}/log"] == {}
    assert list(doc.data["components"]["securitySchemes"]) == ["bearer"]
    assert doc.data["security"] == [{"bearer": []}]
