"""Semantics of the committed bindings: three states, strictness, constraints, unions."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest
from cattrs import transform_error
from mistral_fim import (
    UNSET,
    CompletionChunk,
    DeltaMessage,
    FIMCompletionRequest,
    FIMCompletionResponse,
    FIMCompletionStreamRequest,
    FinishReason,
    FunctionCall,
    HTTPValidationError,
    ImageURL,
    ImageURLChunk,
    TextChunk,
    ToolCall,
    ValidationError,
    converter,
)
from mistral_fim.converters import describe_error

RESPONSE: dict[str, Any] = {
    "id": "cmpl-1",
    "object": "chat.completion",
    "model": "codestral-latest",
    "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
    "created": 1702256327,
    "choices": [
        {
            "index": 0,
            "message": {
                "content": "return a+b",
                "role": "assistant",
                "tool_calls": None,
            },
            "finish_reason": "stop",
        }
    ],
}


def with_prefix(response: dict[str, Any]) -> dict[str, Any]:
    """``response`` as the bindings send it back: the message's ``prefix`` (absent,
    default ``false``) filled in."""
    choices = [
        dict(c, message=dict(c["message"], prefix=False)) for c in response["choices"]
    ]
    return dict(response, choices=choices)


def errors_of(data: Any, cls: type) -> list[str]:
    with pytest.raises(Exception) as info:
        converter.structure(data, cls)
    return describe_error(info.value)


# -- three states ---------------------------------------------------------------------


def test_official_sdk_example_body() -> None:
    request = FIMCompletionRequest(
        model="codestral-latest", prompt="def", suffix="return a+b"
    )
    assert converter.unstructure(request) == {
        "model": "codestral-latest",
        "prompt": "def",
        "stream": False,
        "suffix": "return a+b",
        "top_p": 1.0,
    }


def test_unset_is_omitted_and_none_is_null() -> None:
    request = FIMCompletionRequest(
        model=None, prompt="p", temperature=None, top_p=UNSET
    )
    body = converter.unstructure(request)
    assert body["model"] is None
    assert body["temperature"] is None
    assert "top_p" not in body
    assert "suffix" not in body  # a server_default is never sent
    assert "max_tokens" not in body


def test_stream_request_sends_stream_true() -> None:
    body = converter.unstructure(FIMCompletionStreamRequest(model="m", prompt="p"))
    assert body["stream"] is True


def test_absent_keys_structure_to_their_default_or_unset_and_null_to_none() -> None:
    request = converter.structure(
        {"model": None, "prompt": "p", "temperature": None}, FIMCompletionRequest
    )
    assert request.model is None
    assert request.temperature is None
    assert request.max_tokens is UNSET
    assert request.suffix is UNSET  # a server_default is documentation only
    assert request.top_p == 1.0  # a default is filled in, as the class does
    assert request.stream is False
    assert request == FIMCompletionRequest(model=None, prompt="p", temperature=None)


def test_absent_keys_with_a_default_on_responses() -> None:
    """A response that leaves out a key with a default reads as the default."""
    chunk = converter.structure({"text": "t"}, TextChunk)
    assert chunk == TextChunk(text="t")
    assert chunk.type is not UNSET


def test_required_nullable_must_be_present() -> None:
    assert errors_of({"prompt": "p"}, FIMCompletionRequest) == [
        "required field missing @ $.model"
    ]


def test_non_nullable_rejects_null() -> None:
    assert errors_of({"model": "m", "prompt": None}, FIMCompletionRequest) == [
        "invalid value for type, expected str @ $.prompt"
    ]
    assert errors_of(
        {"model": "m", "prompt": "p", "top_p": None}, FIMCompletionRequest
    ) == ["invalid value for type, expected float @ $.top_p"]


def test_unset_survives_copy_and_pickle_and_is_falsy() -> None:
    assert copy.copy(UNSET) is UNSET
    assert copy.deepcopy(UNSET) is UNSET
    assert pickle.loads(pickle.dumps(UNSET)) is UNSET
    assert not UNSET
    assert repr(UNSET) == "UNSET"
    request = FIMCompletionRequest(model="m", prompt="p")
    assert copy.deepcopy(request).suffix is UNSET
    assert pickle.loads(pickle.dumps(request)) == request


# -- strictness -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("temperature", "0.2", "float"),
        ("temperature", True, "float"),
        ("max_tokens", 1.9, "int"),
        ("max_tokens", "3", "int"),
        ("max_tokens", False, "int"),
        ("stream", "false", "bool"),
        ("stream", 0, "bool"),
        ("suffix", 123, "str"),
    ],
)
def test_no_silent_coercion(field: str, value: Any, expected: str) -> None:
    data = {"model": "m", "prompt": "p", field: value}
    assert errors_of(data, FIMCompletionRequest) == [
        f"invalid value for type, expected {expected} @ $.{field}"
    ]


def test_top_level_primitives_are_strict_too() -> None:
    with pytest.raises(TypeError):
        converter.structure("0.2", float)
    with pytest.raises(TypeError):
        converter.structure(1, bool)


def test_ints_are_accepted_as_floats() -> None:
    request = converter.structure(
        {"model": "m", "prompt": "p", "temperature": 1}, FIMCompletionRequest
    )
    assert request.temperature == 1.0
    assert isinstance(request.temperature, float)


def test_every_error_is_reported_with_its_path() -> None:
    data = {
        "model": 1,
        "prompt": "p",
        "temperature": 9,
        "max_tokens": -1,
        "stop": ["a", 2],
        "extra": 1,
    }
    assert sorted(errors_of(data, FIMCompletionRequest)) == sorted(
        [
            "invalid value for type, expected str @ $.model",
            "must be <= 1.5, got 9.0 @ $.temperature",
            "must be >= 0, got -1 @ $.max_tokens",
            "invalid value for type, expected str @ $.stop[1]",
            "extra fields found (extra) @ $",
        ]
    )


def test_errors_are_cattrs_grouped_errors() -> None:
    with pytest.raises(Exception) as info:
        converter.structure(
            {"model": "m", "prompt": "p", "temperature": "hot"}, FIMCompletionRequest
        )
    assert transform_error(info.value) == [
        "invalid value for type, expected float @ $.temperature"
    ]


def test_nested_paths() -> None:
    data = dict(
        RESPONSE,
        choices=[
            {
                "index": 0,
                "message": {"content": [{"type": "text"}]},
                "finish_reason": "stop",
            }
        ],
    )
    assert errors_of(data, FIMCompletionResponse) == [
        "required field missing @ $.choices[0].message.content[0].text"
    ]


def test_not_an_object() -> None:
    assert errors_of([], FIMCompletionRequest) == [
        "invalid type (expected an object, got list) @ $"
    ]


# -- constraints ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ok"), [(0, True), (1.5, True), (-0.1, False), (1.6, False)]
)
def test_temperature_range(value: float, ok: bool) -> None:
    data = {"model": "m", "prompt": "p", "temperature": value}
    if ok:
        assert converter.structure(data, FIMCompletionRequest).temperature == value
    else:
        assert errors_of(data, FIMCompletionRequest)[0].endswith("@ $.temperature")


def test_null_passes_constraints() -> None:
    assert (
        converter.structure(
            {"model": "m", "prompt": "p", "min_tokens": None}, FIMCompletionRequest
        ).min_tokens
        is None
    )


# -- enums ---------------------------------------------------------------------------------


def test_open_enum_keeps_unknown_values() -> None:
    data = dict(
        RESPONSE, choices=[dict(RESPONSE["choices"][0], finish_reason="brand_new")]
    )
    response = converter.structure(data, FIMCompletionResponse)
    assert response.choices is not UNSET
    assert response.choices[0].finish_reason == "brand_new"
    assert converter.unstructure(response) == with_prefix(data)


def test_known_values_become_members() -> None:
    response = converter.structure(RESPONSE, FIMCompletionResponse)
    assert response.choices is not UNSET
    assert response.choices[0].finish_reason is FinishReason.STOP


def test_closed_enum_rejects_unknown_values() -> None:
    assert errors_of({"text": "t", "type": "video"}, TextChunk) == [
        "'video' is not a TextChunkType @ $.type"
    ]


def test_open_enum_still_checks_the_json_type() -> None:
    data = dict(RESPONSE, choices=[dict(RESPONSE["choices"][0], finish_reason=3)])
    assert errors_of(data, FIMCompletionResponse) == [
        "invalid value for type, expected FinishReason @ $.choices[0].finish_reason"
    ]


def test_const_like_enum_default_is_sent() -> None:
    assert converter.unstructure(TextChunk(text="t")) == {"text": "t", "type": "text"}


# -- unions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("stop", ["\n", ["a", "b"], []])
def test_stop_union_round_trips(stop: Any) -> None:
    data = {"model": "m", "prompt": "p", "stop": stop}
    request = converter.structure(data, FIMCompletionRequest)
    assert request.stop == stop
    assert converter.unstructure(request)["stop"] == stop


def test_stop_union_rejects_other_shapes() -> None:
    assert errors_of(
        {"model": "m", "prompt": "p", "stop": 3}, FIMCompletionRequest
    ) == ["invalid value for type, expected str | list[str] @ $.stop"]


@pytest.mark.parametrize("loc", [["body", 0, "prompt"], []])
def test_loc_union(loc: list[Any]) -> None:
    data = {"detail": [{"loc": loc, "msg": "m", "type": "t"}]}
    error = converter.structure(data, HTTPValidationError)
    assert error.detail == [ValidationError(loc=loc, msg="m", type="t")]
    assert converter.unstructure(error) == data


def test_loc_union_rejects_bool() -> None:
    assert errors_of({"loc": [True], "msg": "m", "type": "t"}, ValidationError) == [
        "invalid value for type, expected str | int @ $.loc[0]"
    ]


def test_discriminated_union_by_tag() -> None:
    content = [
        {"type": "text", "text": "hi"},
        {"type": "image_url", "image_url": {"url": "u"}},
    ]
    message = converter.structure({"content": content}, DeltaMessage)
    assert message.content == [
        TextChunk(text="hi"),
        ImageURLChunk(image_url=ImageURL(url="u")),
    ]
    assert converter.unstructure(message) == {"content": content}


def test_discriminated_union_unknown_tag() -> None:
    assert errors_of({"content": [{"type": "audio"}]}, DeltaMessage) == [
        "unknown type 'audio' @ $.content[0]"
    ]


def test_discriminated_union_without_tag_tries_each_variant() -> None:
    message = converter.structure({"content": [{"text": "hi"}]}, DeltaMessage)
    assert message.content == [TextChunk(text="hi")]
    assert errors_of({"content": [{"nothing": 1}]}, DeltaMessage) == [
        "required field missing @ $.content[0].text",
        "extra fields found (nothing) @ $.content[0]",
    ]


def test_dict_or_str_union() -> None:
    for arguments in ({"a": [1, {"b": None}]}, '{"a": 1}'):
        call = converter.structure({"name": "f", "arguments": arguments}, FunctionCall)
        assert call.arguments == arguments
        assert converter.unstructure(call) == {"name": "f", "arguments": arguments}


def test_tool_call_defaults_follow_the_sdk() -> None:
    call = ToolCall(function=FunctionCall(name="f", arguments="{}"))
    assert converter.unstructure(call) == {
        "function": {"name": "f", "arguments": "{}"},
        "id": "null",
    }


def test_chunk_with_null_finish_reason_round_trips() -> None:
    data = {
        "id": "c",
        "model": "m",
        "choices": [{"index": 0, "delta": {"content": "x"}, "finish_reason": None}],
    }
    chunk = converter.structure(data, CompletionChunk)
    assert chunk.choices[0].finish_reason is None
    assert converter.unstructure(chunk) == data


def test_response_round_trip() -> None:
    response = converter.structure(RESPONSE, FIMCompletionResponse)
    assert converter.unstructure(response) == with_prefix(RESPONSE)
    assert (
        converter.structure(converter.unstructure(response), FIMCompletionResponse)
        == response
    )
