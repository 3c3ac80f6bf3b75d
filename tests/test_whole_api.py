"""The ``whole_api`` golden case on the loopback server: the shapes Mistral's whole
2026 document has that smaller specs lacked (see the case's spec.yaml)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from .goldens import golden
from .server import LoopbackServer, Reply

KEY = "sk-whole"


@pytest.fixture
def api() -> ModuleType:
    return golden("whole_api").package


@pytest.fixture
def client(api: ModuleType, server: LoopbackServer) -> Iterator[Any]:
    module = importlib.import_module("whole_api.client")
    with module.Client(KEY, server_url=server.url, max_retries=0) as client:
        yield client


def test_one_error_class_serves_every_status_of_its_model(
    client: Any, server: LoopbackServer
) -> None:
    errors = importlib.import_module("whole_api.errors")
    server.queue(
        Reply.json({"detail": "bad"}, status=400),
        Reply.json({"detail": "gone"}, status=404),
    )
    for detail in ("bad", "gone"):
        with pytest.raises(errors.Problem) as caught:
            client.calendars.create()
        assert caught.value.data.detail == detail


def test_a_stream_event_names_its_sse_event(
    api: ModuleType, client: Any, server: LoopbackServer
) -> None:
    body = (
        b'event: message.delta\ndata: {"text": "a"}\n\n'
        b'event: message.done\ndata: {"text": "b"}\n\n'
        b"data: [DONE]\n\n"
    )
    server.queue(Reply.events(body))
    with client.calendars.watch() as stream:
        events = list(stream)
    assert events == [
        api.DeltaEvent(event=api.EventName.DELTA, data=api.Delta(text="a")),
        api.DeltaEvent(event=api.EventName.DONE, data=api.Delta(text="b")),
    ]


def test_model_defaults_are_models_and_are_sent(
    api: ModuleType, client: Any, server: LoopbackServer
) -> None:
    calendar = api.Calendar()
    assert calendar.hours == [api.Range(start=0, end=23)]
    assert calendar.first == api.Range(start=1, end=5)
    assert api.Calendar().first is not calendar.first  # a fresh one each time
    server.queue(Reply.json({}))
    client.calendars.create()
    assert server.requests[-1].json() == {
        "hours": [{"start": 0, "end": 23}],
        "first": {"start": 1, "end": 5},
    }


@pytest.mark.parametrize(
    ("content", "wire"),
    [("hi", "hi"), ("image", {"url": "u", "kind": "image"})],
)
def test_a_union_holding_a_union_of_models_is_sent(
    api: ModuleType, client: Any, server: LoopbackServer, content: str, wire: Any
) -> None:
    value = api.Image(url="u") if content == "image" else content
    server.queue(Reply.json({"content": wire}))
    assert client.calendars.send(content=value) == api.Message(content=value)
    assert server.requests[-1].json() == {"content": wire}
