"""The JSON Schema output: valid 2020-12, spelling the spec, and accepting exactly the
payloads the generated converter accepts (random ones and one-change mutations of them),
for the default spec and every golden case."""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

import jsonschema
import mistral_fim
import pytest
from cattrs.errors import BaseValidationError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from specbind import ir
from specbind.render.shared.jsonschema import build_schema, schema_text
from specbind.resolve import load_api

from .conftest import GENERATED, ROOT
from .goldens import CASES, CASES_DIR, Golden, golden
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


def test_the_format_checker_checks_date_times() -> None:
    """Without rfc3339-validator, jsonschema passes any string as a date-time."""
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    assert {"date-time", "date", "uuid"} <= set(checker.checkers)


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


# --- the schema against independent truths ----------------------------------------

TARGETS = {
    "mistral_fim": Golden(
        "mistral_fim", API, mistral_fim, mistral_fim.models, SCHEMA, INSTANCES
    ),
    **{name: golden(name) for name in CASES},
}
WRONG_VALUES: list[Any] = [None, True, 0, -1, 1.5, "", "x", [], [1], {}, {"k": 1}]


@pytest.mark.parametrize("target", list(TARGETS))
def test_every_golden_schema_is_valid_draft_2020_12(target: str) -> None:
    schema = TARGETS[target].schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    names = {m.name for m in TARGETS[target].api.models}
    assert names <= set(schema["$defs"])


def locations(payload: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) pair inside ``payload``, the top level first."""
    found: list[tuple[Any, Any]] = []
    stack = [payload]
    while stack:
        value = stack.pop()
        keys = (
            list(value)
            if isinstance(value, dict)
            else range(len(value))
            if isinstance(value, list)
            else []
        )
        for key in keys:
            found.append((value, key))
            stack.append(value[key])
    return found


def extremes(value: Any) -> list[Any]:
    """Values of the same JSON type far out at either end (for the bounds and item
    counts), or next to the value (for exclusive bounds, ``multiple_of``, ``const``,
    ``pattern`` and the formats: a date-time without its offset, a UUID a digit short)."""
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [-(10**9), 10**9, value + 1, 0]
    if isinstance(value, float):
        return [-1e9, 1e9, value + 0.25, 0.0]
    if isinstance(value, str):
        return ["", value * 50 + "x" * 300, value.upper(), value[:-1], value[:10]]
    if isinstance(value, list):
        return [[], value * 50]
    return []


@st.composite
def mutated(draw: st.DrawFn, payload: Any) -> Any:
    """``payload``, or a copy with one change somewhere inside it: a value of another
    JSON type or far out of range, a key removed, or an unknown key added."""
    payload = copy.deepcopy(payload)
    action = draw(st.sampled_from(["none", "replace", "extreme", "remove", "add"]))
    if action == "none":
        return payload
    if action == "add":
        objects = [payload] * isinstance(payload, dict) + [
            c[k] for c, k in locations(payload) if isinstance(c[k], dict)
        ]
        if objects:
            draw(st.sampled_from(objects))["an_unknown_key"] = draw(
                st.sampled_from(WRONG_VALUES)
            )
        return payload
    places = locations(payload)
    if action == "remove":
        places = [(c, k) for c, k in places if isinstance(c, dict)]
    if action == "extreme":
        places = [(c, k) for c, k in places if extremes(c[k])]
    if not places:
        return payload
    container, key = draw(st.sampled_from(places))
    if action == "remove":
        del container[key]
    elif action == "extreme":
        container[key] = draw(st.sampled_from(extremes(container[key])))
    else:
        container[key] = copy.deepcopy(draw(st.sampled_from(WRONG_VALUES)))
    return payload


@functools.cache
def rendered_schema(target: str) -> dict[str, Any]:
    """The schema as the renderer makes it now (the committed files are checked against
    it by test_cases and ``specbind generate --check``)."""
    return build_schema(TARGETS[target].api)


def converter_accepts(target: Golden, name: str, payload: Any) -> bool:
    try:
        target.package.converter.structure(payload, getattr(target.models, name))
    except BaseValidationError:
        return False
    return True


def json_of(target: Golden, instance: Any) -> Any:
    """The instance's JSON, or ``None`` when an ``any`` field holds a non-finite float."""
    unstructured = target.package.converter.unstructure(instance)
    try:
        return json.loads(json.dumps(unstructured, allow_nan=False))
    except ValueError:
        return None


def files(model: ir.Model) -> bool:
    """Whether the model has a file part: a multipart body, never a JSON payload."""
    return any(f.type == ir.PrimitiveType("bytes") for f in model.fields)


@pytest.mark.parametrize(
    ("target", "name"),
    [(t, m.name) for t, g in TARGETS.items() for m in g.api.models if not files(m)],
    ids=lambda v: str(v),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_schema_accepts_exactly_what_the_converter_accepts(
    target: str, name: str, data: st.DataObject
) -> None:
    """Random payloads of the bindings, and one-change mutations of them: the JSON
    Schema and the generated strict converter agree on each (two independent
    renderings of the spec; the converter's own tests pin its behaviour)."""
    case = TARGETS[target]
    payload = json_of(case, data.draw(case.instances.named(name)))
    assume(payload is not None)
    check = jsonschema.Draft202012Validator(
        {**rendered_schema(target), "$ref": f"#/$defs/{name}"},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    assert check.is_valid(payload), [e.message for e in check.iter_errors(payload)]
    changed = data.draw(mutated(payload))
    errors = [e.message for e in check.iter_errors(changed)]
    schema_accepts = not errors
    assert schema_accepts == converter_accepts(case, name, changed), (changed, errors)


FORMATTED = {ir.PrimitiveType(name) for name in ("datetime", "date", "uuid")}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_schema_and_the_converter_agree_on_each_constraint(
    data: st.DataObject,
) -> None:
    """A valid Job of the types_and_constraints case with the value of one field that has
    a constraint or a format moved next to it or far out (so each is hit often)."""
    case = TARGETS["types_and_constraints"]
    payload = json_of(case, data.draw(case.instances.named("Job")))
    assume(payload is not None)
    job = case.api.model("Job")
    checked = {
        f.wire_name
        for f in job.fields
        if f.has_constraints or ir.innermost(f.type) in FORMATTED
    }
    keys = sorted(checked & set(payload))
    assume(keys)
    key = data.draw(st.sampled_from(keys))
    choices = extremes(payload[key])
    assume(choices)
    changed = {**payload, key: data.draw(st.sampled_from(choices))}
    check = jsonschema.Draft202012Validator(
        {**rendered_schema("types_and_constraints"), "$ref": "#/$defs/Job"},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    errors = [e.message for e in check.iter_errors(changed)]
    assert (not errors) == converter_accepts(case, "Job", changed), (changed, errors)


def test_each_method_with_parameters_has_their_object_in_the_schema() -> None:
    """The committed schema of the params golden has, under ``$defs``, the parameters of
    every method with some: by wire name, with their constraints and where each goes;
    the styles' input has none (they are no types of the API)."""
    case = golden("params")
    schema = json.loads(
        (
            CASES_DIR / "params" / "expected" / "schema" / "params.schema.json"
        ).read_text()
    )
    named = {
        f"{group.dotted}.{method.name}": method
        for group in case.api.every_group()
        for method in group.methods
        if method.parameters
    }
    assert set(named) == {
        "items.get",
        "items.search",
        "items.delete",
        "items.archive",
        "items.update",
    }
    assert set(schema["$defs"]) - set(build_schema(case.api)["$defs"]) == set(named)
    for name, method in named.items():
        props = schema["$defs"][name]["properties"]
        assert [(k, v["x-in"]) for k, v in props.items()] == [
            (p.field.wire_name, p.location) for p in method.parameters
        ]
    search = jsonschema.Draft202012Validator({**schema, "$ref": "#/$defs/items.search"})
    assert search.is_valid({"q": "cats", "page": 3, "tags": None, "ratio": 1.5})
    for bad in (
        {"page": 0},  # q is required
        {"q": "cats", "page": -1},
        {"q": "cats", "ratio": 0.7},
        {"q": "   "},
        {"q": "cats", "tags": ["red"] * 4},
        {"q": "cats", "color": "red"},
    ):
        assert not search.is_valid(bad), bad
    jsonschema.Draft202012Validator.check_schema(schema)
