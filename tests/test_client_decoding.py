"""A body that arrives damaged is the client's error, not a raw httpx one."""

from __future__ import annotations

import pytest
from mistral_fim import Client, errors

from .server import LoopbackServer, Reply


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
