"""A body that arrives damaged is the client's error, not a raw httpx one."""

from __future__ import annotations

import pytest
from mistral_fim import UNSET, Client, errors

from .server import COMPLETION, LoopbackServer, Reply, chunk, sse


def damaged() -> Reply:
    return Reply(
        body=b"this is not gzip",
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )


def test_a_damaged_body_raises_a_connection_error(server: LoopbackServer) -> None:
    server.queue(damaged())
    with (
        Client("k", server_url=server.url, max_retries=0) as client,
        pytest.raises(errors.APIConnectionError) as info,
    ):
        client.fim.complete(model="m", prompt="p")
    assert "DecodingError" in str(info.value)


def test_a_damaged_body_is_retried_when_a_post_may_be_sent_twice(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("mistral_fim._http.backoff", lambda attempt, response: 0.0)
    server.queue(damaged())
    options = {"max_retries": 1, "retry_non_idempotent": True}
    with Client("k", server_url=server.url, **options) as client:
        assert client.fim.complete(model="m", prompt="p").id
    assert len(server.requests) == 2


def test_a_damaged_body_of_a_post_is_not_retried_by_default(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server answered, so it acted on the request: a retry would repeat it."""
    monkeypatch.setattr("mistral_fim._http.backoff", lambda attempt, response: 0.0)
    server.queue(damaged())
    with (
        Client("k", server_url=server.url, max_retries=1) as client,
        pytest.raises(errors.APIConnectionError),
    ):
        client.fim.complete(model="m", prompt="p")
    assert len(server.requests) == 1


def test_a_damaged_stream_raises_a_connection_error(server: LoopbackServer) -> None:
    server.queue(
        Reply(
            body=b"garbage",
            headers={"Content-Type": "text/event-stream", "Content-Encoding": "gzip"},
        )
    )
    with Client("k", server_url=server.url) as client:
        events = client.fim.stream(model="m", prompt="p")
        with pytest.raises(errors.APIConnectionError):
            list(events)


LONG = 2**64 + 1  # beyond 64 bits: orjson reads it as a float


def test_an_integer_beyond_64_bits_reads_exactly(server: LoopbackServer) -> None:
    reply = {**COMPLETION, "created": LONG}
    server.queue(Reply.json(reply), Reply.json({**COMPLETION, "created": 1.5}))
    with Client("k", server_url=server.url, max_retries=0) as client:
        assert client.fim.complete(model="m", prompt="p").created == LONG
        with pytest.raises(errors.ResponseValidationError):  # a float is still none
            client.fim.complete(model="m", prompt="p")


def test_an_integer_beyond_64_bits_in_a_stream_event_reads_exactly(
    server: LoopbackServer,
) -> None:
    server.queue(Reply.events(sse([{**chunk(0), "created": LONG}])))
    with Client("k", server_url=server.url, max_retries=0) as client:
        events = list(client.fim.stream(model="m", prompt="p"))
    assert [event.data.created for event in events] == [LONG]


def test_an_integer_beyond_64_bits_in_an_error_body_reads_exactly(
    server: LoopbackServer,
) -> None:
    """A 422's ``loc`` may hold any integer; the typed error keeps it exactly."""
    detail = {"detail": [{"loc": ["body", -LONG], "msg": "m", "type": "t"}]}
    server.queue(Reply.json(detail, status=422))
    with (
        Client("k", server_url=server.url, max_retries=0) as client,
        pytest.raises(errors.HTTPValidationError) as info,
    ):
        client.fim.complete(model="m", prompt="p")
    assert info.value.data.detail != UNSET
    assert [item.loc for item in info.value.data.detail] == [["body", -LONG]]
