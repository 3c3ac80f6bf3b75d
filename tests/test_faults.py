"""The generated client against servers that misbehave on purpose (issue 10).

Every test runs sync and async, on a real loopback server, and every call runs under a
hard bound (``bounded``): a client that hangs fails the test instead of hanging it.
What is asserted is counted (requests, bytes, memory), never timed.
"""

from __future__ import annotations

import asyncio
import gc
import gzip
import json
import logging
import re
import socket
import threading
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from mistral_fim import AsyncClient, Client, CompletionEvent, errors
from mistral_fim import _http as runtime

from .server import COMPLETION, LoopbackServer, RawServer, Recorded, Reply, chunk, sse

KEY = "sk-secret-5f2a9c0e7d13b64a"
PROMPT = {"model": "codestral-latest", "prompt": "def add(a, b):"}
FLAVOURS = ["sync", "async"]
MiB = 1024 * 1024


def bounded(run: Callable[[], Any], seconds: float = 20) -> Any:
    """``run()`` in a thread; the test fails if it has not returned within ``seconds``."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = run()
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"the client still runs after {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


class Calls:
    """One call on a fresh ``Client`` or ``AsyncClient``, under ``bounded``."""

    def __init__(self, flavour: str, url: str, **options: Any) -> None:
        self.flavour = flavour
        self.options = {"api_key": KEY, "server_url": url, **options}
        self.got: list[CompletionEvent] = []

    def complete(self, **kwargs: Any) -> Any:
        call = {**PROMPT, **kwargs}
        if self.flavour == "sync":

            def sync() -> Any:
                with Client(**self.options) as client:
                    return client.fim.complete(**call)

            return bounded(sync)

        async def run() -> Any:
            async with AsyncClient(**self.options) as client:
                return await client.fim.complete(**call)

        return bounded(lambda: asyncio.run(run()))

    def stream(self, **kwargs: Any) -> list[CompletionEvent]:
        call = {**PROMPT, **kwargs}
        self.got = []
        if self.flavour == "sync":

            def sync() -> list[CompletionEvent]:
                with Client(**self.options) as client:
                    for item in client.fim.stream(**call):
                        self.got.append(item)
                return self.got

            return bounded(sync)  # type: ignore[no-any-return]

        async def run() -> list[CompletionEvent]:
            async with AsyncClient(**self.options) as client:
                async for item in await client.fim.stream(**call):
                    self.got.append(item)
            return self.got

        return bounded(lambda: asyncio.run(run()))  # type: ignore[no-any-return]


@pytest.fixture(params=FLAVOURS)
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def calls(flavour: str, server: LoopbackServer) -> Calls:
    return Calls(flavour, server.url)


@pytest.fixture
def raw() -> Iterator[
    Callable[[Callable[[RawServer, socket.socket], None]], RawServer]
]:
    started: list[RawServer] = []

    def start(talk: Callable[[RawServer, socket.socket], None]) -> RawServer:
        started.append(RawServer(talk))
        return started[-1]

    yield start
    for server in started:
        server.stop()


def streams_on_request(record: Recorded) -> Reply | None:
    """Stream requests get three events and ``[DONE]``; others the default reply."""
    if record.json().get("stream"):
        return Reply.events(sse([chunk(0), chunk(1), chunk(2)]))
    return None


def contents(events: list[CompletionEvent]) -> list[Any]:
    return [event.data.choices[0].delta.content for event in events]


# 1. Abandoned streams: released at once, never a deadlock.

ABANDONED = 2000  # the old client hung after about 240
ABANDONED_ASYNC = 500  # an async stream is slower to set up; no lock to deadlock on


def test_abandoned_sync_streams_never_deadlock(server: LoopbackServer) -> None:
    server.on_request = streams_on_request

    def run() -> str:
        with Client(KEY, server_url=server.url) as client:
            for index in range(ABANDONED):
                if index % 2:
                    for _ in client.fim.stream(**PROMPT):
                        break
                else:
                    next(client.fim.stream(**PROMPT))
            return client.fim.complete(**PROMPT).id

    # A deadlock never ends; the bound leaves a loaded machine time to spare.
    assert bounded(run, seconds=120) == COMPLETION["id"]
    assert len(server.requests) == ABANDONED + 1


def test_abandoned_async_streams_never_deadlock(server: LoopbackServer) -> None:
    server.on_request = streams_on_request

    async def run() -> str:
        async with AsyncClient(KEY, server_url=server.url) as client:
            for _ in range(ABANDONED_ASYNC):
                async for _ in await client.fim.stream(**PROMPT):
                    break
            return (await client.fim.complete(**PROMPT)).id

    assert bounded(lambda: asyncio.run(run()), seconds=120) == COMPLETION["id"]
    assert len(server.requests) == ABANDONED_ASYNC + 1


@pytest.mark.parametrize("started", [True, False])
def test_a_dropped_sync_stream_closes_its_response_at_once(
    server: LoopbackServer, started: bool
) -> None:
    server.on_request = streams_on_request
    gc.disable()  # what frees the stream must be reference counting alone
    try:
        with Client(KEY, server_url=server.url) as client:
            stream = client.fim.stream(**PROMPT)
            response = stream.response
            if started:
                next(stream)
            del stream
            assert response.is_closed
    finally:
        gc.enable()


# 2. Bodies: a bounded size, bounded memory, short excerpts in errors.


def gzip_bomb(size: int, layers: int = 2) -> bytes:
    """``size`` zero bytes, gzipped ``layers`` times."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(MiB)
    body = b"".join(packer.compress(block) for _ in range(size // MiB))
    body += packer.flush()
    for _ in range(layers - 1):
        body = gzip.compress(body, 9)
    return body


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_bomb(256 * MiB)


def peak_memory(run: Callable[[], Any]) -> int:
    """The peak of memory Python allocated while ``run()`` ran (it must raise)."""
    tracemalloc.start()
    try:
        with pytest.raises(errors.ResponseTooLargeError):
            run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_gzip_bomb_stops_at_the_size_limit(
    flavour: str, server: LoopbackServer, bomb: bytes
) -> None:
    assert len(bomb) < 4096
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip, gzip"}
    server.queue(Reply(body=bomb, headers=headers))
    calls = Calls(flavour, server.url, max_response_size=MiB)
    peak = peak_memory(calls.complete)
    assert peak < 8 * MiB  # not the 256 MiB the body inflates to


def test_a_gzip_bombed_stream_stops_at_the_event_limit(
    flavour: str, server: LoopbackServer, bomb: bytes
) -> None:
    headers = {"Content-Type": "text/event-stream", "Content-Encoding": "gzip, gzip"}
    server.queue(Reply(body=bomb, headers=headers, chunks=[bomb]))
    calls = Calls(flavour, server.url, max_event_size=MiB)
    peak = peak_memory(calls.stream)
    assert peak < 8 * MiB
    assert calls.got == []


def test_a_body_over_the_limit_raises_a_clear_error(
    calls: Calls, server: LoopbackServer
) -> None:
    server.queue(Reply.json({**COMPLETION, "pad": "x" * MiB}))
    calls.options["max_response_size"] = MiB
    with pytest.raises(errors.ResponseTooLargeError, match=f"limit of {MiB} bytes"):
        calls.complete()
    assert 64 * MiB == runtime.DEFAULT_MAX_RESPONSE_SIZE


def test_errors_keep_only_an_excerpt_of_the_body(
    calls: Calls, server: LoopbackServer
) -> None:
    server.queue(Reply.json({"id": 1, "pad": "x" * (4 * MiB)}))
    with pytest.raises(errors.ResponseValidationError) as caught:
        calls.complete()
    assert len(caught.value.body) < 2 * runtime.BODY_EXCERPT
    assert caught.value.body.startswith('{"id": 1, "pad": "xxx')
    assert caught.value.body.endswith(" characters in all)")


def test_a_huge_error_body_is_cut(calls: Calls, server: LoopbackServer) -> None:
    server.queue(Reply(status=400, body=b"e" * (8 * MiB)))
    with pytest.raises(errors.APIError) as caught:
        calls.complete()
    assert caught.value.status_code == 400
    assert caught.value.body.startswith("eeee")
    assert len(caught.value.body) < 2 * runtime.BODY_EXCERPT


def test_a_gzipped_response_still_decodes(calls: Calls, server: LoopbackServer) -> None:
    for coding in ("gzip", "deflate", "gzip, gzip"):
        body = json.dumps(COMPLETION).encode()
        for name in reversed(coding.split(", ")):
            body = gzip.compress(body) if name == "gzip" else zlib.compress(body)
        headers = {"Content-Type": "application/json", "Content-Encoding": coding}
        server.queue(Reply(body=body, headers=headers))
        assert calls.complete().id == COMPLETION["id"], coding


# 3. SSE: a line or an event over the limit is an error, read no further.


def test_a_line_over_the_event_limit_raises(
    flavour: str, server: LoopbackServer
) -> None:
    line = b"data: " + b"x" * (32 * MiB)
    server.queue(Reply.events(line, size=64 * 1024))
    calls = Calls(flavour, server.url, max_event_size=MiB)
    with pytest.raises(errors.ResponseTooLargeError, match="a line"):
        calls.stream()
    assert server.sent < 16 * MiB  # it stopped near its limit (plus socket buffers)


def test_an_event_over_the_limit_raises(flavour: str, server: LoopbackServer) -> None:
    lines = b"".join(b"data: " + b"y" * 1000 + b"\n" for _ in range(3000))
    server.queue(Reply.events(lines + b"\n", size=64 * 1024))
    calls = Calls(flavour, server.url, max_event_size=MiB)
    with pytest.raises(errors.ResponseTooLargeError, match="an event"):
        calls.stream()


# 4. One deadline per call.

DRIP = 0.05  # seconds between two bytes of a drip


def dripped(chunks: list[bytes], delay: float) -> Reply:
    """An event stream sent in these chunks, ``delay`` seconds apart."""
    headers = {"Content-Type": "text/event-stream"}
    return Reply(
        body=b"".join(chunks), chunks=chunks, headers=headers, chunk_delay=delay
    )


def test_a_dripped_body_cannot_outlast_the_timeout(
    calls: Calls, server: LoopbackServer
) -> None:
    body = json.dumps(COMPLETION).encode()
    pieces = [body[i : i + 1] for i in range(len(body))]  # ~20 s in all
    server.queue(Reply.json(COMPLETION, chunks=pieces, chunk_delay=DRIP))
    calls.options.update(timeout=0.5, max_retries=0)
    with pytest.raises(errors.APITimeoutError):
        calls.complete()
    assert server.sent < len(body) // 2


def test_dripped_headers_cannot_outlast_the_timeout(
    flavour: str, raw: Callable[..., RawServer]
) -> None:
    head = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"z" * 400 + b"\r\n\r\n"

    def talk(server: RawServer, sock: socket.socket) -> None:
        for byte in head:
            if not server.send(sock, bytes([byte])):
                return
            threading.Event().wait(DRIP)

    server = raw(talk)
    calls = Calls(flavour, server.url, timeout=0.5, max_retries=0)
    with pytest.raises(errors.APITimeoutError):
        calls.complete()
    assert server.sent < len(head) // 2


def test_keep_alive_comments_cannot_outlast_the_timeout(
    calls: Calls, server: LoopbackServer
) -> None:
    pings = [b": ping\n"] * 400  # ~20 s of comments, never an event
    server.queue(dripped(pings, DRIP))
    calls.options.update(timeout=0.5, max_retries=0)
    with pytest.raises(errors.APITimeoutError):
        calls.stream()
    assert calls.got == []
    assert server.sent < len(pings) * len(pings[0]) // 2


def test_the_idle_limit_between_events(calls: Calls, server: LoopbackServer) -> None:
    first = sse([chunk(0)], done=False)
    pings = [b": ping\n"] * 400
    chunks = [first, *pings]
    server.queue(dripped(chunks, DRIP))
    calls.options.update(timeout=0.5, max_retries=0)
    with pytest.raises(errors.APITimeoutError):
        calls.stream()
    assert contents(calls.got) == ["x0"]
    assert server.sent < len(b"".join(chunks)) // 2


def test_a_slow_stream_with_steady_events_is_not_cut(
    calls: Calls, server: LoopbackServer
) -> None:
    """The deadline runs to the first event, then between events: not for the whole."""
    events = [sse([chunk(i)], done=False) for i in range(8)] + [b"data: [DONE]\n\n"]
    server.queue(dripped(events, 0.15))
    calls.options.update(timeout=0.6, max_retries=0)
    assert len(calls.stream()) == 8  # 1.2 s in all, twice the timeout


def test_retries_and_their_waits_fit_in_the_timeout(
    calls: Calls, server: LoopbackServer
) -> None:
    server.default = Reply(status=503, headers={"Retry-After": "1"})
    calls.options.update(timeout=0.5, max_retries=5)
    with pytest.raises(errors.APIError) as caught:
        calls.complete()
    assert caught.value.status_code == 503
    assert len(server.requests) == 1  # a 1 s wait does not fit in 0.5 s


def test_the_timeout_includes_waiting_for_a_pooled_connection(
    server: LoopbackServer,
) -> None:
    server.default = Reply.json(COMPLETION, delay=1.5)

    async def run() -> list[Any]:
        async with AsyncClient(KEY, server_url=server.url, max_connections=1) as client:
            slow = client.fim.complete(**PROMPT, timeout=5.0)
            waiting = client.fim.complete(**PROMPT, timeout=0.5, max_retries=0)
            return await asyncio.gather(slow, waiting, return_exceptions=True)

    slow, waiting = bounded(lambda: asyncio.run(run()))
    assert slow.id == COMPLETION["id"]
    assert isinstance(waiting, errors.APITimeoutError)
    assert len(server.requests) == 1


@pytest.mark.parametrize(("size", "ports"), [(1, 1), (100, 3)])
def test_the_pool_size_is_an_option(
    server: LoopbackServer, size: int, ports: int
) -> None:
    server.default = Reply.json(COMPLETION, delay=0.2)

    async def run() -> None:
        async with AsyncClient(KEY, server_url=server.url, max_connections=size) as c:
            await asyncio.gather(*(c.fim.complete(**PROMPT) for _ in range(3)))

    bounded(lambda: asyncio.run(run()))
    assert len({r.port for r in server.requests}) == ports


# 5. A POST is sent again only when it never reached the server, or when asked.


def test_a_post_timing_out_after_it_was_sent_is_not_sent_again(
    calls: Calls, server: LoopbackServer
) -> None:
    server.default = Reply.json(COMPLETION, delay=1.0)
    calls.options.update(timeout=httpx.Timeout(10.0, read=0.3), max_retries=2)
    with pytest.raises(errors.APITimeoutError):
        calls.complete()
    assert len(server.requests) == 1


def test_a_post_cut_off_mid_reply_is_not_sent_again(
    calls: Calls, server: LoopbackServer
) -> None:
    server.default = Reply.json(COMPLETION, chunks=[b"{"], cut_after=1)
    calls.options.update(max_retries=2)
    with pytest.raises(errors.APIConnectionError):
        calls.complete()
    assert len(server.requests) == 1


@pytest.mark.parametrize("status", [500, 502, 504])
def test_a_post_answered_with_a_server_error_is_not_sent_again(
    calls: Calls, server: LoopbackServer, status: int
) -> None:
    server.default = Reply(status=status)
    with pytest.raises(errors.APIError):
        calls.complete()
    assert len(server.requests) == 1


def test_the_caller_may_opt_in_to_sending_a_post_again(
    calls: Calls, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "backoff", lambda attempt, response: 0.0)
    server.default = Reply.json(COMPLETION, chunks=[b"{"], cut_after=1)
    calls.options.update(max_retries=2, retry_non_idempotent=True)
    with pytest.raises(errors.APIConnectionError):
        calls.complete()
    assert len(server.requests) == 3


def test_one_idempotency_key_for_every_attempt_of_a_call(
    calls: Calls, server: LoopbackServer
) -> None:
    soon = {"retry-after-ms": "1"}
    server.queue(Reply(status=503, headers=soon), Reply(status=429, headers=soon))
    calls.complete()
    calls.complete()
    keys = [header(r, "Idempotency-Key") for r in server.requests]
    assert len(keys) == 4
    assert keys[0] == keys[1] == keys[2] != keys[3]
    for key in keys:
        assert re.fullmatch("[0-9a-f]{32}", key or ""), key  # 128 random bits


def test_the_callers_idempotency_key_is_kept(
    calls: Calls, server: LoopbackServer
) -> None:
    calls.complete(extra_headers={"idempotency-key": "mine-1"})
    assert header(server.requests[0], "Idempotency-Key") == "mine-1"


def header(request: Recorded, name: str) -> str | None:
    found = [v for k, v in request.headers.items() if k.lower() == name.lower()]
    assert len(found) <= 1, found
    return found[0] if found else None


# 6. The key: cleaned or refused when the client is built, never in an error.


@pytest.mark.parametrize("given", [f"{KEY}\n", f"  {KEY}\r\n", f"\t{KEY} "])
def test_white_space_around_the_key_is_stripped(
    calls: Calls, server: LoopbackServer, given: str
) -> None:
    calls.options["api_key"] = given
    calls.complete()
    assert header(server.requests[0], "Authorization") == f"Bearer {KEY}"


def test_a_key_from_the_environment_is_stripped(
    calls: Calls, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MISTRAL_API_KEY", f"{KEY}\n")
    calls.options["api_key"] = None
    calls.complete()
    assert header(server.requests[0], "Authorization") == f"Bearer {KEY}"


@pytest.mark.parametrize("bad", [f"{KEY}\nX-Injected: 1", f"{KEY}é", f"sk {KEY}"])
def test_a_key_a_header_cannot_carry_is_refused_without_showing_it(
    flavour: str, server: LoopbackServer, bad: str
) -> None:
    cls = Client if flavour == "sync" else AsyncClient
    with pytest.raises(errors.InvalidAPIKeyError) as caught:
        cls(bad, server_url=server.url)
    error = caught.value
    assert isinstance(error, errors.ClientError)
    for text in (str(error), repr(error), str(error.args)):
        assert KEY not in text
    assert error.__cause__ is None and error.__context__ is None
    assert server.requests == []


@pytest.mark.parametrize("value", ["v\r\nX-Injected: 1", "é"])
def test_a_bad_extra_header_is_not_sent_retried_or_chained(
    calls: Calls, server: LoopbackServer, value: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = f"{value}-{KEY}"
    with pytest.raises(errors.ClientError) as caught:
        calls.complete(extra_headers={"X-Trace": secret})
    error = caught.value
    assert type(error) is errors.ClientError
    assert error.__cause__ is None and error.__context__ is None
    assert KEY not in str(error) and KEY not in repr(error)
    assert server.requests == []
    assert KEY not in caplog.text


# 7. A stream that ends early says so (tests/test_client.py has the cases).

# 8. A byte-order mark before the first event.


def test_a_byte_order_mark_before_the_first_event(
    calls: Calls, server: LoopbackServer
) -> None:
    body = "\ufeff".encode() + sse([chunk(0), chunk(1)])
    server.queue(Reply.events(body, size=1))
    assert contents(calls.stream()) == ["x0", "x1"]


# Also: nothing the client prints or logs holds the key.


def echo_headers(status: int) -> Callable[[Recorded], Reply]:
    def reply(record: Recorded) -> Reply:
        echoed = {"authorization": header(record, "Authorization"), "id": 1}
        return Reply.json({"echo": echoed, "again": f"key={KEY}"}, status=status)

    return reply


@pytest.mark.parametrize("status", [200, 400, 401])
def test_a_server_echoing_the_key_does_not_put_it_in_errors(
    calls: Calls, server: LoopbackServer, status: int
) -> None:
    server.on_request = echo_headers(status)
    with pytest.raises(errors.APIError) as caught:
        calls.complete()
    error = caught.value
    for text in (str(error), repr(error), error.body):
        assert KEY not in text
    assert "Bearer [redacted]" in error.body
    assert "Bearer [redacted]" in repr(error)


def test_an_error_event_echoing_the_key_is_redacted(
    calls: Calls, server: LoopbackServer
) -> None:
    event = f'event: error\ndata: {{"detail": "bad key Bearer {KEY}"}}\n\n'
    server.queue(Reply.events(event.encode()))
    with pytest.raises(errors.StreamError) as caught:
        calls.stream()
    for text in (str(caught.value), repr(caught.value), caught.value.body):
        assert KEY not in text
