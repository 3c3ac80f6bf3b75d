"""The JSON Schema output: valid 2020-12, and it agrees with the attrs bindings."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import mistral_fim
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specbind.render.shared.jsonschema import build_schema, schema_text
from specbind.resolve import load_api

from .conftest import GENERATED, ROOT
from .strategies import Instances

API = load_api(ROOT / "spec" / "mistral_fim.yaml")
INSTANCES = Instances(API, mistral_fim.models)
SCHEMA = json.loads((GENERATED / "schema" / "mistral_fim.schema.json").read_text())
VALID_REQUEST = {
    "model": "codestral-latest",
    "prompt": "def add(a, b):",
    "suffix": "return a + b",
    "temperature": 0.2,
    "top_p": 1.0,
    "max_tokens": 64,
    "stream": False,
    "stop": ["\n\n"],
    "random_seed": 7,
    "min_tokens": None,
}


def validator(name: str) -> jsonschema.Draft202012Validator:
    """A validator for one ``$defs`` entry, references resolved against the whole schema."""
    return jsonschema.Draft202012Validator(
        {**SCHEMA, "$ref": f"#/$defs/{name}"},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def test_schema_is_valid_draft_2020_12() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_committed_schema_is_the_rendered_one() -> None:
    text = (GENERATED / "schema" / "mistral_fim.schema.json").read_text("utf-8")
    assert text == schema_text(API)
    assert text.endswith("}\n") and "\n  " in text  # indent=2, trailing newline


def test_every_named_type_is_a_def() -> None:
    names = {m.name for m in API.models} | {u.name for u in API.unions}
    names |= {e.name for e in API.enums}
    assert set(SCHEMA["$defs"]) == names
    assert list(SCHEMA["$defs"]) == sorted(names)


def test_fim_request_schema_spells_the_spec() -> None:
    request = SCHEMA["$defs"]["FIMCompletionRequest"]
    assert request["additionalProperties"] is False
    assert request["required"] == ["model", "prompt"]
    props = request["properties"]
    assert list(props) == [
        f.wire_name for f in API.model("FIMCompletionRequest").fields
    ]
    assert props["model"]["type"] == ["string", "null"]
    assert props["model"]["default"] == "codestral-2405"  # a server_default
    assert props["model"]["examples"] == ["codestral-2405"]
    assert props["temperature"]["type"] == ["number", "null"]
    assert (props["temperature"]["minimum"], props["temperature"]["maximum"]) == (
        0,
        1.5,
    )
    assert props["top_p"] == {
        "type": "number",
        "minimum": 0,
        "maximum": 1,
        "description": props["top_p"]["description"],
        "default": 1.0,
    }
    assert props["stop"]["$ref"] == "#/$defs/FIMCompletionRequestStop"
    assert props["prompt"]["description"] == "The text/code to complete."
    assert "additionalProperties" not in SCHEMA["$defs"]["FIMCompletionResponse"]


def test_unions_and_enums() -> None:
    defs = SCHEMA["$defs"]
    assert defs["ContentChunk"]["oneOf"] == [
        {"$ref": "#/$defs/ImageURLChunk"},
        {"$ref": "#/$defs/TextChunk"},
    ]
    assert defs["ContentChunk"]["x-discriminator"] == {
        "propertyName": "type",
        "mapping": {
            "image_url": "#/$defs/ImageURLChunk",
            "text": "#/$defs/TextChunk",
        },
    }
    assert "discriminator" not in defs["ContentChunk"]
    assert defs["Loc"] == {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    assert defs["FinishReason"]["anyOf"][1] == {"type": "string"}  # open
    assert defs["TextChunkType"] == {"type": "string", "enum": ["text"]}  # closed
    finish = defs["CompletionResponseStreamChoice"]["properties"]["finish_reason"]
    assert finish["anyOf"] == [
        {"$ref": "#/$defs/CompletionResponseStreamChoiceFinishReason"},
        {"type": "null"},
    ]


def test_a_valid_fim_request_validates() -> None:
    validator("FIMCompletionRequest").validate(VALID_REQUEST)
    validator("FIMCompletionRequest").validate({"model": None, "prompt": ""})


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"temperature": "0.2"}, "a string for a number"),
        ({"max_tokens": 1.5}, "a fraction for an integer"),
        ({"stream": "false"}, "a string for a boolean"),
        ({"prompt": None}, "null where not nullable"),
        ({"top_p": None}, "null for an optional, non-nullable field"),
        ({"temperature": 1.6}, "above maximum"),
        ({"top_p": -0.1}, "below minimum"),
        ({"max_tokens": -1}, "a negative count"),
        ({"stop": 3}, "no union variant"),
        ({"stop": ["a", 1]}, "a list item of the wrong type"),
        ({"seed": 1}, "an unknown key where unknown keys are forbidden"),
    ],
)
def test_invalid_fim_requests_fail(change: dict[str, Any], why: str) -> None:
    payload = {**VALID_REQUEST, **change}
    assert not validator("FIMCompletionRequest").is_valid(payload), why


def test_missing_required_key_fails() -> None:
    payload = copy.deepcopy(VALID_REQUEST)
    del payload["prompt"]
    assert not validator("FIMCompletionRequest").is_valid(payload)


def test_open_and_closed_enums() -> None:
    choice = {"index": 0, "message": {}, "finish_reason": "a_new_reason"}
    validator("ChatCompletionChoice").validate(choice)
    assert not validator("AssistantMessage").is_valid({"role": "user"})
    assert not validator("TextChunk").is_valid({"text": "x", "type": "image_url"})


def test_schema_is_deterministic() -> None:
    assert build_schema(API) == build_schema(API)
    assert json.dumps(build_schema(API), indent=2, ensure_ascii=False) + "\n" == (
        schema_text(API)
    )


@pytest.mark.parametrize("name", [m.name for m in API.models])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_payload_of_the_bindings_validates(
    name: str, data: st.DataObject
) -> None:
    """What the attrs bindings send, the schema accepts (and the reverse holds for strict
    types: see test_styles for payloads the schema rejects)."""
    instance = data.draw(INSTANCES.named(name))
    payload = json.loads(json.dumps(mistral_fim.converter.unstructure(instance)))
    errors = [e.message for e in validator(name).iter_errors(payload)]
    assert not errors, errors
