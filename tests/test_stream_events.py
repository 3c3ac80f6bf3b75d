"""A stream's event model made of each SSE frame: its ``data`` from the JSON, its
``event`` field from the frame's name, and any other field at its default.

A model whose fields are all set from the frame is made without an ``__init__`` call
(counted with ``sys.setprofile``); one with other fields goes through ``__init__``,
which fills them in. Both give the model the class itself would.
"""

from __future__ import annotations

import importlib
import sys
from collections import Counter
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from specbind.generate import render_all
from specbind.parse.load import load_text
from specbind.resolve import build_api

from .server import LoopbackServer, Reply

SPEC = """\
specbind: 1
package: stream_events
title: Stream events API
server: https://example.test
auth:
  bearer:
    env: STREAM_EVENTS_API_KEY
output:
  render: [models, converters, client]
models:
  Chunk:
    fields:
      text: {type: str, required: true}
  DataEvent:
    fields:
      data: {type: Chunk, required: true}
  NamedEvent:
    fields:
      data: {type: Chunk, required: true}
      event: {type: Kind, required: true}
  NotedEvent:
    fields:
      data: {type: Chunk, required: true}
      note: {type: str}
      level: {type: int, default: 3}
enums:
  Kind:
    values: {DELTA: delta, DONE: done}
operations:
  watch:
    doc: Streams.
    methods:
      data:
        http: GET /v1/data
        stream: {event: DataEvent, terminator: "[DONE]"}
      named:
        http: GET /v1/named
        stream: {event: NamedEvent, terminator: "[DONE]"}
      noted:
        http: GET /v1/noted
        stream: {event: NotedEvent, terminator: "[DONE]"}
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("stream_events")
    for file in render_all([build_api(load_text(SPEC, "stream_events.yaml"))]):
        target = root / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file.content, "utf-8")
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("stream_events")
    finally:
        sys.path.remove(str(root))


def inits(fn: Any) -> tuple[Any, int]:
    """What ``fn`` returns, and how many model ``__init__`` calls it made."""
    seen: Counter[str] = Counter()

    def count(frame: Any, event: str, _: Any) -> None:
        code = frame.f_code
        if event == "call" and "stream_events.models" in code.co_filename:
            seen[code.co_name] += 1

    sys.setprofile(count)
    try:
        result = fn()
    finally:
        sys.setprofile(None)
    return result, seen["__init__"]


def stream(
    package: ModuleType, server: LoopbackServer, method: str, body: bytes
) -> tuple[list[Any], int]:
    server.queue(Reply.events(body))
    client = package.Client(api_key="key", server_url=server.url, max_retries=0)
    with client, getattr(client.watch, method)() as events:
        return inits(lambda: list(events))


BODY = b'data: {"text": "a"}\n\nevent: done\ndata: {"text": "b"}\n\ndata: [DONE]\n\n'


def test_an_event_of_data_alone_is_made_without_init(
    package: ModuleType, server: LoopbackServer
) -> None:
    items, calls = stream(package, server, "data", BODY)
    chunks = [package.Chunk(text="a"), package.Chunk(text="b")]
    assert items == [package.DataEvent(data=chunk) for chunk in chunks]
    assert calls == 0


def test_an_event_named_by_the_frame_is_made_without_init(
    package: ModuleType, server: LoopbackServer
) -> None:
    body = BODY.replace(b'data: {"text": "a"}', b'event: delta\ndata: {"text": "a"}')
    items, calls = stream(package, server, "named", body)
    assert items == [
        package.NamedEvent(data=package.Chunk(text="a"), event=package.Kind.DELTA),
        package.NamedEvent(data=package.Chunk(text="b"), event=package.Kind.DONE),
    ]
    assert calls == 0


def test_an_event_with_other_fields_gets_their_defaults(
    package: ModuleType, server: LoopbackServer
) -> None:
    items, calls = stream(package, server, "noted", BODY)
    assert items == [
        package.NotedEvent(data=package.Chunk(text="a")),
        package.NotedEvent(data=package.Chunk(text="b")),
    ]
    assert [(item.note, item.level) for item in items] == [(package.UNSET, 3)] * 2
    assert calls == 2  # the class's own __init__ fills them in
