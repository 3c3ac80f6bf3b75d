"""The generated code makes no call per item where none is needed, counted with
``sys.setprofile``: a ``dict[str, any]`` is copied whole, a fast path tests a ``uuid``
inline, a model hook fills its instance without ``__init__``, the SSE decoder handles
a line inline, and a stream sets its deadline per read. What they return and how they
fail stays as it was."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpcore
import httpx
import pytest
from mistral_fim import Client, converter, converters
from mistral_fim import _deadline as deadline
from mistral_fim import _http as runtime
from mistral_fim._sse import EventDecoder
from mistral_fim.models import UNSET, FIMCompletionResponse, FunctionCall

from .goldens import golden
from .server import COMPLETION, LoopbackServer, Reply, chunk, sse


def python_calls(fn: Callable[[], Any], *, warm_up: bool = True) -> Counter[str]:
    """How often each Python function was called while ``fn`` ran, run a second time
    with ``warm_up``: the first loads what a type's group needs (its hooks register
    on first use)."""
    if warm_up:
        fn()
    seen: Counter[str] = Counter()

    def count(frame: Any, event: str, _: Any) -> None:
        if event == "call":
            seen[frame.f_code.co_name] += 1

    sys.setprofile(count)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return seen


def function_call(keys: int) -> dict[str, Any]:
    return {"name": "f", "arguments": {f"k{i}": [i, {"x": i}] for i in range(keys)}}


def test_a_dict_of_any_costs_no_call_per_key() -> None:
    one = python_calls(lambda: converter.structure(function_call(1), FunctionCall))
    many = python_calls(lambda: converter.structure(function_call(50), FunctionCall))
    assert many == one


def test_a_dict_of_any_is_a_copy_with_the_same_items() -> None:
    payload = function_call(3)
    result = converters.structure_function_call(payload)
    assert result.arguments == payload["arguments"]
    assert result.arguments is not payload["arguments"]


@pytest.mark.parametrize("key", [1, None, ("a",)])
def test_a_dict_of_any_with_a_key_that_is_no_string_is_reported(key: Any) -> None:
    payload = {"name": "f", "arguments": {"fine": 1, key: 2}}
    with pytest.raises(Exception) as info:
        converter.structure(payload, FunctionCall)
    problems = converters.describe_error(info.value)
    assert any("$.arguments" in problem for problem in problems), problems


CASE = golden("types_and_constraints")
JOB = {
    "id": "497f6eca-6276-4993-bfeb-53cbbbba6f09",
    "created_at": "2024-05-01T12:30:00Z",
    "due": "2024-02-29",
    "version": 1,
}


def test_the_fast_path_tests_a_uuid_without_a_call() -> None:
    hook = CASE.package.converters.structure_job
    calls = python_calls(lambda: hook(JOB))
    assert calls["_report_job"] == 0  # the fast path took it
    assert calls["_uuid"] == 0


@pytest.mark.parametrize(
    "bad",
    ["497f6eca-6276-4993-bfeb-53cbbbba6f0", "497f6eca62764993bfeb53cbbbba6f09x", 7],
)
def test_a_bad_uuid_still_fails_with_its_path(bad: Any) -> None:
    with pytest.raises(Exception) as info:
        CASE.package.converters.structure_job({**JOB, "id": bad})
    problems = CASE.package.converters.describe_error(info.value)
    assert any(problem.endswith("@ $.id") for problem in problems), problems


def test_a_model_hook_fills_its_instance_without_calling_init() -> None:
    payload = {**COMPLETION, "choices": [*COMPLETION["choices"]] * 3}
    calls = python_calls(lambda: converter.structure(payload, FIMCompletionResponse))
    assert calls["__init__"] == 0
    assert calls["_report_fim_completion_response"] == 0  # the fast path took it
    assert converter.unstructure(converter.structure(payload, FIMCompletionResponse))


def test_a_list_of_models_on_a_fast_path_is_built_by_a_loop() -> None:
    # Before Python 3.12 a comprehension is a function of its own, called per list.
    payload = {**COMPLETION, "choices": [*COMPLETION["choices"]] * 3}
    calls = python_calls(lambda: converter.structure(payload, FIMCompletionResponse))
    assert calls["<listcomp>"] == 0
    assert calls["_report_fim_completion_response"] == 0  # the fast path took it
    assert calls["_fast_chat_completion_choice"] == 3


def test_the_sse_decoder_makes_no_call_per_event() -> None:
    def feed(events: int) -> Counter[str]:
        body = b"".join(b"data: {}\n\n" for _ in range(events))
        return python_calls(lambda: EventDecoder(max_size=1 << 20).feed(body))

    # A feed of two events or more goes line by line only before the first and
    # after the last one-line event; every event between is taken whole.
    assert feed(200) == feed(2)


def test_a_for_loop_over_a_stream_makes_no_call_of_its_own_per_item(
    server: LoopbackServer,
) -> None:
    def items(count: int) -> Counter[str]:
        server.queue(Reply.events(sse([chunk(i) for i in range(count)])))
        client = Client(api_key="key", server_url=server.url, max_retries=0)
        with client, client.fim.stream(model="m", prompt="p") as events:
            return python_calls(lambda: [len(list(events))], warm_up=False)

    calls = items(50)
    assert calls["__next__"] == 0
    # Each item is structured inline; parse_event sees only the terminator.
    assert calls["parse_event"] == 1


def test_a_stream_sets_its_deadline_per_read_not_per_item(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted: list[int] = []
    next_deadline = runtime._StreamClock.next_deadline

    def counting(self: Any) -> float | None:
        counted.append(1)
        return next_deadline(self)

    monkeypatch.setattr(runtime._StreamClock, "next_deadline", counting)
    server.queue(Reply.events(sse([chunk(i) for i in range(100)])))
    client = Client(api_key="key", server_url=server.url, max_retries=0)
    with client, client.fim.stream(model="m", prompt="p") as events:
        assert len(list(events)) == 100
    assert 1 <= len(counted) < 10, len(counted)


def test_a_socket_read_asks_for_more_than_httpcore_does() -> None:
    # httpcore reads 64 KiB at a time; the client's network streams ask for a
    # quarter of a MiB, so a long body passes h11 and httpx in fewer chunks.
    asked: list[int] = []

    class Socket(httpcore.NetworkStream):
        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            asked.append(max_bytes)
            return b""

    class AsyncSocket(httpcore.AsyncNetworkStream):
        async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            asked.append(max_bytes)
            return b""

    stream = deadline._Stream(Socket())
    stream.read(64 * 1024, 5.0)
    stream.read(1 << 20, None)
    asyncio.run(deadline._AsyncStream(AsyncSocket()).read(64 * 1024, 5.0))
    assert asked == [256 * 1024, 1 << 20, 256 * 1024]


def httpx_calls(fn: Callable[[], Any]) -> Counter[str]:
    """How often each function of httpx was called while ``fn`` ran, by module."""
    seen: Counter[str] = Counter()

    def count(frame: Any, event: str, _: Any) -> None:
        module = frame.f_globals.get("__name__", "")
        if event == "call" and module.startswith("httpx"):
            seen[f"{module}.{frame.f_code.co_name}"] += 1

    sys.setprofile(count)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return seen


def test_a_request_parses_its_url_once_and_its_timeout_never() -> None:
    # httpx parses a URL string in Python on every request, and makes the phases of
    # a timeout it is given; the client hands it a URL it parsed before and the
    # phases of its timeout, made when the timeout was set.
    client = Client(api_key="key", server_url="http://127.0.0.1:9", max_retries=0)

    def build(path: str) -> Any:
        return client.build_request(
            "POST",
            path,
            {"a": 1},
            accept="application/json",
            timeout=UNSET,
            extra_headers=None,
        )

    first = httpx_calls(lambda: build("/v1/once"))
    again = httpx_calls(lambda: build("/v1/once"))
    assert first["httpx._urlparse.urlparse"] >= 1
    assert again["httpx._urlparse.urlparse"] == 0
    assert again["httpx._config.__init__"] == 0  # no httpx.Timeout made
    request = build("/v1/once")
    assert str(request.url) == "http://127.0.0.1:9/v1/once"
    assert request.extensions["timeout"] == client.timeout.as_dict()
    other = client.build_request(
        "GET",
        "/v1/once",
        None,
        accept="application/json",
        timeout=3.0,
        extra_headers=None,
    )
    assert other.extensions["timeout"] == httpx.Timeout(3.0).as_dict()


def test_a_body_without_content_coding_is_read_without_parsing_the_header() -> None:
    from mistral_fim._body import inflater

    plain = httpx.Headers({"content-type": "application/json"})
    calls = httpx_calls(lambda: inflater(plain))
    assert calls["httpx._models.get_list"] == 0
    identity = inflater(plain)
    assert identity is not None and list(identity.pieces(b"abc")) == [b"abc"]
    gzip = inflater(httpx.Headers({"content-encoding": "identity, gzip"}))
    assert gzip is not None and len(gzip._stages) == 1
    assert inflater(httpx.Headers({"content-encoding": "br"})) is None
