"""The generated sync and async clients against a real loopback HTTP server."""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import mistral_fim
import pytest
from mistral_fim import (
    AsyncClient,
    Client,
    CompletionChunk,
    CompletionEvent,
    FIMCompletionResponse,
    converter,
    errors,
)
from mistral_fim import _http as runtime

from .server import COMPLETION, LoopbackServer, Recorded, Reply, chunk, sse

KEY = "sk-secret-5f2a9c0e7d13b64a"
PROMPT = {"model": "codestral-latest", "prompt": "def add(a, b):"}
FIM_PATH = "/v1/fim/completions"
FLAVOURS = ["sync", "async"]


def header(request: Recorded, name: str) -> str | None:
    """A recorded request header, looked up without regard to case."""
    found = [v for k, v in request.headers.items() if k.lower() == name.lower()]
    assert len(found) <= 1, found
    return found[0] if found else None


class Api:
    """Runs one call with a fresh ``Client`` or ``AsyncClient`` (in ``asyncio.run``)."""

    def __init__(self, flavour: str, server: LoopbackServer) -> None:
        self.flavour = flavour
        self.server = server

    def options(self, client: dict[str, Any] | None) -> dict[str, Any]:
        return {"api_key": KEY, "server_url": self.server.url, **(client or {})}

    def complete(
        self, *, client: dict[str, Any] | None = None, **kwargs: Any
    ) -> FIMCompletionResponse:
        options, call = self.options(client), {**PROMPT, **kwargs}
        if self.flavour == "sync":
            with Client(**options) as sync:
                return sync.fim.complete(**call)

        async def run() -> FIMCompletionResponse:
            async with AsyncClient(**options) as aclient:
                return await aclient.fim.complete(**call)

        return asyncio.run(run())

    def stream(
        self, *, client: dict[str, Any] | None = None, **kwargs: Any
    ) -> list[CompletionEvent]:
        """Every item of the stream; on an error, the items so far are in ``got``."""
        options, call = self.options(client), {**PROMPT, **kwargs}
        self.got: list[CompletionEvent] = []
        if self.flavour == "sync":
            with Client(**options) as sync, sync.fim.stream(**call) as items:
                for item in items:
                    self.got.append(item)
            return self.got

        async def run() -> list[CompletionEvent]:
            async with (
                AsyncClient(**options) as aclient,
                await aclient.fim.stream(**call) as items,
            ):
                async for item in items:
                    self.got.append(item)
            return self.got

        return asyncio.run(run())


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=FLAVOURS)
def api(request: pytest.FixtureRequest, server: LoopbackServer) -> Api:
    return Api(request.param, server)


@pytest.fixture
def delays(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the client computes between attempts; it then waits 0 s."""
    recorded: list[float] = []
    real = runtime.backoff

    def backoff(attempt: int, response: httpx.Response | None) -> float:
        recorded.append(real(attempt, response))
        return 0.0

    monkeypatch.setattr(runtime, "backoff", backoff)
    return recorded


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def chunks(count: int, *, finish: bool = True) -> list[dict[str, Any]]:
    last = count - 1 if finish else -1
    return [chunk(i, finish="stop" if i == last else None) for i in range(count)]


def contents(events: list[CompletionEvent]) -> list[str | None]:
    out = []
    for event in events:
        assert isinstance(event, CompletionEvent)
        assert isinstance(event.data, CompletionChunk)
        content = event.data.choices[0].delta.content
        out.append(content if isinstance(content, str) else None)
    return out


# Completions


def test_complete_returns_the_response_and_sends_the_request(
    api: Api, server: LoopbackServer
) -> None:
    result = api.complete()
    assert isinstance(result, FIMCompletionResponse)
    assert result.id == COMPLETION["id"]
    assert result.choices[0].message.content == "return a + b"
    assert result.choices[0].finish_reason == "stop"
    assert converter.unstructure(result) == COMPLETION

    [sent] = server.requests
    assert (sent.method, sent.path) == ("POST", FIM_PATH)
    assert header(sent, "Accept") == "application/json"
    assert header(sent, "Content-Type") == "application/json"
    assert header(sent, "Authorization") == f"Bearer {KEY}"
    assert (header(sent, "User-Agent") or "").startswith("mistral_fim/")
    assert sent.json() == {**PROMPT, "top_p": 1.0, "stream": False}


def test_complete_sends_every_optional_field(api: Api, server: LoopbackServer) -> None:
    api.complete(
        model=None,
        temperature=None,
        top_p=0.25,
        max_tokens=64,
        min_tokens=0,
        stop=["\n\n", "```"],
        random_seed=None,
        suffix="    return result",
    )
    assert server.requests[0].json() == {
        "model": None,
        "prompt": PROMPT["prompt"],
        "temperature": None,
        "top_p": 0.25,
        "max_tokens": 64,
        "min_tokens": 0,
        "stream": False,
        "stop": ["\n\n", "```"],
        "random_seed": None,
        "suffix": "    return result",
    }


def test_integers_beyond_64_bits_are_sent_exactly(
    api: Api, server: LoopbackServer
) -> None:
    api.complete(random_seed=2**70)
    assert server.requests[0].json()["random_seed"] == 2**70


def test_non_ascii_text_is_sent_as_utf8(api: Api, server: LoopbackServer) -> None:
    api.complete(prompt="é 😀 \0", suffix="ß")
    assert server.requests[0].json()["prompt"] == "é 😀 \0"
    assert server.requests[0].json()["suffix"] == "ß"


# Streams


def test_stream_yields_completion_events(api: Api, server: LoopbackServer) -> None:
    server.queue(Reply.events(sse(chunks(3))))
    events = api.stream(max_tokens=8)
    assert contents(events) == ["x0", "x1", "x2"]
    assert [e.data.choices[0].finish_reason for e in events] == [None, None, "stop"]
    assert converter.unstructure(events[0]) == {"data": chunk(0)}

    [sent] = server.requests
    assert (sent.method, sent.path) == ("POST", FIM_PATH)
    assert header(sent, "Accept") == "text/event-stream"
    assert header(sent, "Authorization") == f"Bearer {KEY}"
    assert sent.json() == {**PROMPT, "max_tokens": 8, "top_p": 1.0, "stream": True}


def test_stream_stops_at_done(api: Api, server: LoopbackServer) -> None:
    after = sse([chunk(9)], done=False) + b"data: not even JSON\n\n"
    server.queue(Reply.events(sse(chunks(2)) + after))
    assert contents(api.stream()) == ["x0", "x1"]


def test_stream_ending_without_done_raises(api: Api, server: LoopbackServer) -> None:
    server.queue(Reply.events(sse(chunks(3), done=False)))
    with pytest.raises(errors.APIConnectionError, match=r"ended before '\[DONE\]'"):
        api.stream()
    assert contents(api.got) == ["x0", "x1", "x2"]  # what came stays yielded


def test_stream_ending_in_an_unterminated_event_raises(
    api: Api, server: LoopbackServer
) -> None:
    body = sse(chunks(2), done=False) + b'data: {"id": "half'
    server.queue(Reply.events(body))
    with pytest.raises(errors.APIConnectionError, match="middle of an event"):
        api.stream()
    assert contents(api.got) == ["x0", "x1"]


@pytest.mark.parametrize("size", [1, 2, 7, 64])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_stream_in_small_chunks(
    api: Api, server: LoopbackServer, size: int, newline: str
) -> None:
    payloads = [chunk(0, "é😀"), *chunks(3)]
    body = b": keep-alive\n\n" + sse(payloads, newline=newline)
    server.queue(Reply.events(body, size=size))
    assert contents(api.stream()) == ["é😀0", "x0", "x1", "x2"]


def test_stream_in_band_error_event(api: Api, server: LoopbackServer) -> None:
    error = b'event: error\ndata: {"message": "overloaded"}\n\n'
    server.queue(Reply.events(sse(chunks(1, finish=False), done=False) + error))
    with pytest.raises(errors.StreamError) as caught:
        api.stream()
    assert contents(api.got) == ["x0"]
    assert caught.value.status_code == 200
    assert json.loads(caught.value.body) == {"message": "overloaded"}
    assert "overloaded" in str(caught.value)


def test_stream_event_that_does_not_fit_the_model(
    api: Api, server: LoopbackServer
) -> None:
    broken = chunk(1)
    del broken["choices"][0]["index"]
    server.queue(Reply.events(sse([chunk(0), broken])))
    with pytest.raises(errors.ResponseValidationError) as caught:
        api.stream()
    assert contents(api.got) == ["x0"]
    assert caught.value.errors == ["required field missing @ $.choices[0].index"]


def test_stream_event_that_is_not_json(api: Api, server: LoopbackServer) -> None:
    server.queue(Reply.events(b"data: {oops\n\n"))
    with pytest.raises(errors.ResponseValidationError) as caught:
        api.stream()
    [problem] = caught.value.errors
    assert problem.startswith("invalid JSON") and problem.endswith("@ $")
    assert caught.value.body == "{oops"


def test_connection_dropped_mid_stream_raises(api: Api, server: LoopbackServer) -> None:
    body = sse(chunks(6))
    first = len(sse([chunk(0)], done=False))
    server.queue(Reply.events(body, size=first, cut_after=2))
    started = time.monotonic()
    with pytest.raises(errors.APIConnectionError) as caught:
        api.stream(client={"max_retries": 3})
    assert time.monotonic() - started < 5
    assert not isinstance(caught.value, errors.APITimeoutError)
    assert contents(api.got) == ["x0", "x1"]
    assert len(server.requests) == 1  # a broken stream is not retried


def test_stream_read_timeout_raises(api: Api, server: LoopbackServer) -> None:
    body = sse(chunks(3))
    first = len(sse([chunk(0)], done=False))
    server.queue(Reply.events(body, size=first, chunk_delay=2.0))
    with pytest.raises(errors.APITimeoutError):
        api.stream(client={"timeout": 0.3})
    assert contents(api.got) == ["x0"]


def test_stream_error_status_raises_before_iterating(
    api: Api, server: LoopbackServer
) -> None:
    server.queue(Reply.json({"message": "no"}, status=401))
    with pytest.raises(errors.APIError) as caught:
        api.stream()
    assert caught.value.status_code == 401
    assert api.got == []


def test_sync_stream_left_early_closes_the_connection(server: LoopbackServer) -> None:
    one = len(sse([chunk(0)], done=False))
    server.queue(Reply.events(sse(chunks(100)), size=one, chunk_delay=0.05))
    started = time.monotonic()
    with Client(KEY, server_url=server.url) as client:
        with client.fim.stream(**PROMPT) as items:
            first = next(iter(items))
        assert items.response.is_closed
        assert time.monotonic() - started < 2.5  # not the 5 s of the whole stream
        assert contents([first]) == ["x0"]
        assert client.fim.complete(**PROMPT).id == COMPLETION["id"]
    assert list(items) == []


@pytest.mark.anyio
async def test_async_stream_left_early_closes_the_connection(
    server: LoopbackServer,
) -> None:
    one = len(sse([chunk(0)], done=False))
    server.queue(Reply.events(sse(chunks(100)), size=one, chunk_delay=0.05))
    started = time.monotonic()
    async with AsyncClient(KEY, server_url=server.url) as client:
        async with await client.fim.stream(**PROMPT) as items:
            first = await items.__anext__()
        assert items.response.is_closed
        assert time.monotonic() - started < 2.5
        assert contents([first]) == ["x0"]
        assert (await client.fim.complete(**PROMPT)).id == COMPLETION["id"]


def test_stream_is_an_iterator(server: LoopbackServer) -> None:
    server.queue(Reply.events(sse(chunks(2))))
    with Client(KEY, server_url=server.url) as client:
        items = client.fim.stream(**PROMPT)
        assert contents([next(items), next(items)]) == ["x0", "x1"]
        with pytest.raises(StopIteration):
            next(items)
        assert items.response.is_closed


# Errors


def test_422_is_an_http_validation_error(api: Api, server: LoopbackServer) -> None:
    detail = [{"loc": ["body", "prompt"], "msg": "field required", "type": "missing"}]
    server.queue(Reply.json({"detail": detail}, status=422))
    with pytest.raises(errors.HTTPValidationError) as caught:
        api.complete()
    error = caught.value
    assert error.status_code == 422
    assert error.data.detail != mistral_fim.UNSET
    [item] = error.data.detail
    assert (item.loc, item.msg, item.type) == (
        ["body", "prompt"],
        "field required",
        "missing",
    )
    assert json.loads(error.body) == {"detail": detail}
    assert isinstance(error, errors.APIError)
    assert len(server.requests) == 1


def test_422_of_another_shape_is_a_plain_api_error(
    api: Api, server: LoopbackServer
) -> None:
    server.queue(Reply.json({"detail": "nope"}, status=422))
    with pytest.raises(errors.APIError) as caught:
        api.complete()
    assert type(caught.value) is errors.APIError
    assert caught.value.body == '{"detail": "nope"}'


@pytest.mark.parametrize("status", [400, 401, 404, 500])
def test_error_status_is_an_api_error(
    api: Api, server: LoopbackServer, status: int
) -> None:
    reply = Reply(status=status, body=b"<html>nope</html>", headers={"X-Req": "r-1"})
    server.queue(reply)
    with pytest.raises(errors.APIError) as caught:
        api.complete(client={"max_retries": 0})
    error = caught.value
    assert type(error) is errors.APIError
    assert error.status_code == status
    assert error.headers["x-req"] == "r-1"
    assert error.body == "<html>nope</html>"
    assert str(status) in str(error)
    assert f"status_code={status}" in repr(error)


def test_missing_field_is_a_response_validation_error(
    api: Api, server: LoopbackServer
) -> None:
    body = {k: v for k, v in COMPLETION.items() if k != "id"}
    server.queue(Reply.json(body))
    with pytest.raises(errors.ResponseValidationError) as caught:
        api.complete()
    error = caught.value
    assert error.errors == ["required field missing @ $.id"]
    assert error.status_code == 200
    assert json.loads(error.body) == body
    assert "required field missing @ $.id" in str(error)


def test_every_problem_of_a_response_is_named_by_path(
    api: Api, server: LoopbackServer
) -> None:
    body = json.loads(json.dumps(COMPLETION))
    body["usage"]["prompt_tokens"] = None
    body["choices"][0]["finish_reason"] = 5
    server.queue(Reply.json(body))
    with pytest.raises(errors.ResponseValidationError) as caught:
        api.complete()
    assert sorted(caught.value.errors) == [
        "invalid value for type, expected FinishReason @ $.choices[0].finish_reason",
        "invalid value for type, expected int @ $.usage.prompt_tokens",
    ]


def test_invalid_json_is_a_response_validation_error(
    api: Api, server: LoopbackServer
) -> None:
    server.queue(Reply(body=b"{not json", headers={"Content-Type": "application/json"}))
    with pytest.raises(errors.ResponseValidationError) as caught:
        api.complete()
    [problem] = caught.value.errors
    assert problem.startswith("invalid JSON (") and problem.endswith(") @ $")
    assert caught.value.body == "{not json"


def test_every_error_is_a_client_error() -> None:
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.ClientError)


# Retries


@pytest.mark.parametrize("status", sorted(runtime.RETRY_STATUSES))
def test_retryable_status_is_retried_then_raised(
    api: Api, server: LoopbackServer, delays: list[float], status: int
) -> None:
    server.default = Reply(status=status, body=b"busy")
    with pytest.raises(errors.APIError) as caught:
        api.complete(client={"max_retries": 2, "retry_non_idempotent": True})
    assert caught.value.status_code == status
    assert len(server.requests) == 3
    assert len(delays) == 2
    # Exponential backoff with jitter: 0.5 s then 1 s, minus up to a quarter.
    assert 0.375 <= delays[0] <= 0.5
    assert 0.75 <= delays[1] <= 1.0


def test_retry_then_success(
    api: Api, server: LoopbackServer, delays: list[float]
) -> None:
    server.queue(Reply(status=503), Reply(status=429))
    assert api.complete().id == COMPLETION["id"]
    assert len(server.requests) == 3
    assert [r.json() for r in server.requests] == [server.requests[0].json()] * 3


def test_stream_retry_then_success(
    api: Api, server: LoopbackServer, delays: list[float]
) -> None:
    server.queue(Reply(status=503), Reply.events(sse(chunks(2))))
    assert contents(api.stream()) == ["x0", "x1"]
    assert len(server.requests) == 2


def test_400_is_never_retried(
    api: Api, server: LoopbackServer, delays: list[float]
) -> None:
    server.default = Reply(status=400, body=b"bad")
    with pytest.raises(errors.APIError):
        api.complete(client={"max_retries": 5})
    assert len(server.requests) == 1
    assert delays == []


def test_max_retries_zero_disables_retries(
    api: Api, server: LoopbackServer, delays: list[float]
) -> None:
    server.default = Reply(status=503)
    with pytest.raises(errors.APIError):
        api.complete(client={"max_retries": 0})
    assert len(server.requests) == 1


@pytest.mark.parametrize(("on_client", "on_call"), [(0, 3), (5, 1), (2, 0)])
def test_per_call_max_retries_overrides_the_client(
    api: Api,
    server: LoopbackServer,
    delays: list[float],
    on_client: int,
    on_call: int,
) -> None:
    server.default = Reply(status=503)
    with pytest.raises(errors.APIError):
        api.complete(client={"max_retries": on_client}, max_retries=on_call)
    assert len(server.requests) == on_call + 1


def retry_after_date(seconds: float) -> str:
    return email.utils.formatdate(time.time() + seconds, usegmt=True)


@pytest.mark.parametrize(
    ("headers", "low", "high"),
    [
        ({"Retry-After": "7"}, 7, 7),
        ({"Retry-After": "0.25"}, 0.25, 0.25),
        ({"Retry-After": "0"}, 0, 0),
        ({"retry-after-ms": "1500"}, 1.5, 1.5),
        ({"retry-after-ms": "20", "Retry-After": "9"}, 0.02, 0.02),
        ({"Retry-After": "3600"}, runtime.MAX_RETRY_DELAY, runtime.MAX_RETRY_DELAY),
        ({"Retry-After": "-5"}, 0, 0),
        # Ignored values fall back to backoff with jitter (0.375 s to 0.5 s).
        ({"Retry-After": "soon"}, 0.375, 0.5),
        ({"Retry-After": "nan"}, 0.375, 0.5),
        ({"retry-after-ms": "inf"}, 0.375, 0.5),
    ],
)
def test_retry_after_headers_set_the_delay(
    api: Api,
    server: LoopbackServer,
    delays: list[float],
    headers: dict[str, str],
    low: float,
    high: float,
) -> None:
    server.queue(Reply(status=429, headers=headers))
    assert api.complete().id == COMPLETION["id"]
    assert len(server.requests) == 2
    [delay] = delays
    assert low <= delay <= high


@pytest.mark.parametrize(("ahead", "low", "high"), [(30, 28.5, 30), (-30, 0, 0)])
def test_retry_after_http_date(
    api: Api,
    server: LoopbackServer,
    delays: list[float],
    ahead: float,
    low: float,
    high: float,
) -> None:
    server.queue(Reply(status=503, headers={"Retry-After": retry_after_date(ahead)}))
    assert api.complete().id == COMPLETION["id"]
    [delay] = delays
    assert low <= delay <= high


def test_retry_after_date_without_a_zone_is_utc(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """RFC 5322's ``-0000`` zone means UTC of unknown origin, not local time."""
    when = email.utils.formatdate(time.time() + 20)
    assert when.endswith("-0000")
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        delay = runtime.retry_after(httpx.Headers({"Retry-After": when}))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert delay is not None and 18.5 <= delay <= 20


def test_the_client_really_waits_as_asked(api: Api, server: LoopbackServer) -> None:
    server.queue(Reply(status=429, headers={"retry-after-ms": "300"}))
    started = time.monotonic()
    assert api.complete().id == COMPLETION["id"]
    assert 0.3 <= time.monotonic() - started < 3


def test_retries_are_logged(
    api: Api,
    server: LoopbackServer,
    delays: list[float],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="mistral_fim")
    server.queue(Reply(status=503))
    api.complete()
    [record] = [r for r in caplog.records if r.name == "mistral_fim"]
    assert record.getMessage().startswith(f"retry 1 of POST {server.url}{FIM_PATH}")


def test_connection_errors_are_retried_then_raised(
    api: Api, delays: list[float]
) -> None:
    url = closed_port_url()
    with pytest.raises(errors.APIConnectionError) as caught:
        api.complete(client={"server_url": url, "max_retries": 3})
    assert not isinstance(caught.value, errors.APITimeoutError)
    assert len(delays) == 3
    assert url in str(caught.value)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_stream_connection_errors_are_retried_then_raised(
    api: Api, delays: list[float]
) -> None:
    with pytest.raises(errors.APIConnectionError):
        api.stream(client={"server_url": closed_port_url(), "max_retries": 1})
    assert len(delays) == 1


def test_connection_error_without_retries(api: Api, delays: list[float]) -> None:
    with pytest.raises(errors.APIConnectionError):
        api.complete(client={"server_url": closed_port_url(), "max_retries": 0})
    assert delays == []


# Timeouts


def test_slow_reply_times_out(api: Api, server: LoopbackServer) -> None:
    server.queue(Reply.json(COMPLETION, delay=1.5))
    started = time.monotonic()
    with pytest.raises(errors.APITimeoutError) as caught:
        api.complete(client={"timeout": 0.2, "max_retries": 0})
    assert time.monotonic() - started < 1.2
    assert isinstance(caught.value, errors.APIConnectionError)
    assert "timed out" in str(caught.value)


def test_timeouts_are_retried(
    api: Api, server: LoopbackServer, delays: list[float]
) -> None:
    server.queue(Reply.json(COMPLETION, delay=1.0))
    # The call may take 5 s; one read, 0.3 s.
    client = {"timeout": httpx.Timeout(5.0, read=0.3), "retry_non_idempotent": True}
    assert api.complete(client=client).id == COMPLETION["id"]
    assert len(server.requests) == 2


def test_per_call_timeout_lengthens_the_client_timeout(
    api: Api, server: LoopbackServer
) -> None:
    server.queue(Reply.json(COMPLETION, delay=0.5))
    result = api.complete(client={"timeout": 0.1, "max_retries": 0}, timeout=5.0)
    assert result.id == COMPLETION["id"]


@pytest.mark.parametrize("timeout", [0.2, httpx.Timeout(0.2)])
def test_per_call_timeout_shortens_the_client_timeout(
    api: Api, server: LoopbackServer, timeout: float | httpx.Timeout
) -> None:
    server.queue(Reply.json(COMPLETION, delay=1.5))
    started = time.monotonic()
    with pytest.raises(errors.APITimeoutError):
        api.complete(client={"max_retries": 0}, timeout=timeout)
    assert time.monotonic() - started < 1.2


def test_per_call_timeout_none_waits(api: Api, server: LoopbackServer) -> None:
    server.queue(Reply.json(COMPLETION, delay=0.4))
    result = api.complete(client={"timeout": 0.1, "max_retries": 0}, timeout=None)
    assert result.id == COMPLETION["id"]


# The API key


def test_api_key_falls_back_to_the_environment(
    api: Api, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MISTRAL_API_KEY", "sk-from-env")
    api.complete(client={"api_key": None})
    assert header(server.requests[0], "Authorization") == "Bearer sk-from-env"


def test_explicit_api_key_wins_over_the_environment(
    api: Api, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MISTRAL_API_KEY", "sk-from-env")
    api.complete()
    assert header(server.requests[0], "Authorization") == f"Bearer {KEY}"


@pytest.mark.parametrize("key", [None, ""])
@pytest.mark.parametrize("call", ["complete", "stream"])
def test_no_api_key_raises_at_call_time_and_sends_nothing(
    api: Api,
    server: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
    key: str | None,
    call: str,
) -> None:
    monkeypatch.delenv("MISTRAL_API_KEY", raising=False)
    Client(key, server_url=server.url).close()  # constructing is fine
    with pytest.raises(errors.MissingAPIKeyError, match="MISTRAL_API_KEY"):
        getattr(api, call)(client={"api_key": key})
    assert server.requests == []


def test_the_key_is_not_in_the_client_repr(server: LoopbackServer) -> None:
    for cls in (Client, AsyncClient):
        client = cls(KEY, server_url=server.url)
        assert KEY not in repr(client) and KEY not in str(client)
        assert server.url in repr(client)


def failing_calls(server: LoopbackServer, api: Api) -> Iterator[Callable[[], object]]:
    detail = {"detail": [{"loc": ["body"], "msg": "bad", "type": "value_error"}]}
    replies = [
        Reply(status=401, body=b'{"message": "Unauthorized"}'),
        Reply.json(detail, status=422),
        Reply(status=500, body=b"oops"),
        Reply.json({"id": 1}),
        Reply(body=b"{"),
        Reply.events(b"event: error\ndata: {}\n\n"),
        Reply.events(sse(chunks(3)), size=30, cut_after=1),
        Reply.json(COMPLETION, delay=1.0),
    ]
    for reply in replies:
        server.queue(reply)
        # only the delayed reply is meant to time out: the others get time to spare
        timeout = 0.2 if reply.delay else 10.0
        if reply.chunks is None:
            yield lambda t=timeout: api.complete(
                client={"max_retries": 0, "timeout": t}
            )
        else:
            yield lambda: api.stream(client={"max_retries": 0})
    yield lambda: api.complete(
        client={"server_url": closed_port_url(), "max_retries": 0}
    )


def test_the_key_is_not_in_errors_or_logs(
    api: Api,
    server: LoopbackServer,
    caplog: pytest.LogCaptureFixture,
    delays: list[float],
) -> None:
    caplog.set_level(logging.DEBUG)
    raised = []
    for call in failing_calls(server, api):
        with pytest.raises(errors.ClientError) as caught:
            call()
        raised.append(caught.value)
    server.queue(Reply(status=503), Reply.events(sse(chunks(2))))
    api.stream()
    assert len({type(e) for e in raised}) == 6
    for error in raised:
        assert KEY not in str(error) and KEY not in repr(error)
        assert KEY not in str(error.args)
    assert caplog.records  # httpx and httpcore log at DEBUG
    for record in caplog.records:
        assert KEY not in record.getMessage()
    assert KEY not in caplog.text


# Headers, the HTTP client, context managers


def test_extra_headers_are_sent(api: Api, server: LoopbackServer) -> None:
    api.complete(extra_headers={"X-Trace": "t-1", "Authorization": "Bearer other"})
    server.queue(Reply.events(sse(chunks(1))))
    api.stream(extra_headers={"X-Trace": "t-2"})
    first, second = server.requests
    assert header(first, "X-Trace") == "t-1"
    assert header(second, "X-Trace") == "t-2"
    # extra_headers never replace the key.
    assert header(first, "Authorization") == f"Bearer {KEY}"


def test_a_given_sync_http_client_is_used_and_left_open(server: LoopbackServer) -> None:
    seen: list[httpx.Request] = []
    http = httpx.Client(
        headers={"X-Pool": "mine"}, event_hooks={"request": [seen.append]}
    )
    with Client(KEY, server_url=server.url, http_client=http) as client:
        client.fim.complete(**PROMPT)
        server.queue(Reply.events(sse(chunks(1))))
        assert contents(list(client.fim.stream(**PROMPT))) == ["x0"]
    assert len(seen) == 2
    assert [header(r, "X-Pool") for r in server.requests] == ["mine", "mine"]
    assert not http.is_closed
    assert http.post(server.url + FIM_PATH, json={}).status_code == 200
    http.close()


def test_a_given_async_http_client_is_used_and_left_open(
    server: LoopbackServer,
) -> None:
    seen: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request)

    async def run() -> None:
        http = httpx.AsyncClient(
            headers={"X-Pool": "mine"}, event_hooks={"request": [record]}
        )
        async with AsyncClient(KEY, server_url=server.url, http_client=http) as client:
            await client.fim.complete(**PROMPT)
        assert not http.is_closed
        assert (await http.post(server.url + FIM_PATH, json={})).status_code == 200
        await http.aclose()

    asyncio.run(run())
    assert len(seen) == 2  # ours, then the direct post
    assert header(server.requests[0], "X-Pool") == "mine"


def test_the_client_closes_its_own_http_client(server: LoopbackServer) -> None:
    with Client(KEY, server_url=server.url) as client:
        assert isinstance(client, Client)
        client.fim.complete(**PROMPT)
    assert client._http.is_closed

    async def run() -> AsyncClient:
        async with AsyncClient(KEY, server_url=server.url) as aclient:
            assert isinstance(aclient, AsyncClient)
            await aclient.fim.complete(**PROMPT)
        return aclient

    assert asyncio.run(run())._http.is_closed


def test_server_url_with_a_trailing_slash(server: LoopbackServer) -> None:
    with Client(KEY, server_url=server.url + "/") as client:
        client.fim.complete(**PROMPT)
    assert server.requests[0].path == FIM_PATH


def test_async_calls_run_concurrently(server: LoopbackServer) -> None:
    """No request is answered before all five are in: calls made one after the other
    would leave the first waiting at the barrier until it breaks (and the call fails)."""
    barrier = threading.Barrier(5, timeout=10)

    def hold(_: Recorded) -> None:
        barrier.wait()

    server.on_request = hold

    async def run() -> list[FIMCompletionResponse]:
        async with AsyncClient(KEY, server_url=server.url, max_retries=0) as client:
            return await asyncio.gather(
                *(client.fim.complete(**PROMPT) for _ in range(5))
            )

    assert len(asyncio.run(run())) == 5
    assert len(server.requests) == 5
    assert not barrier.broken
