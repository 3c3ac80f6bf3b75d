"""Path, query and header parameters of the ``params`` golden case, on the loopback
server: what each kind of value looks like on the wire, sync and async."""

from __future__ import annotations

import asyncio
import importlib
import urllib.parse
from typing import Any

from .goldens import golden
from .server import LoopbackServer, Recorded, Reply

ITEM = {"id": "i", "name": None}


def sent(server: LoopbackServer, call: Any) -> Recorded:
    server.reset()
    server.queue(Reply.json(ITEM))
    call()
    (request,) = server.requests
    return request


def query(request: Recorded) -> list[tuple[str, str]]:
    return urllib.parse.parse_qsl(urllib.parse.urlsplit(request.path).query)


def test_each_kind_of_value_on_the_wire(server: LoopbackServer) -> None:
    params = golden("params").package
    client_module = importlib.import_module("params.client")
    with client_module.Client("k", server_url=server.url, max_retries=0) as client:
        request = sent(
            server,
            lambda: client.items.search(
                q="a b&c",
                ratio=0.5,
                exact=True,
                kind=None,
                level=params.Level.high,
                tags=[params.Tag.red, "green"],
                timeout_=3,
            ),
        )
        assert request.method == "GET" and request.body == b""
        assert "Content-Type" not in request.headers
        assert "Idempotency-Key" not in request.headers
        assert query(request) == [
            ("page", "0"),
            ("ratio", "0.5"),
            ("exact", "true"),
            ("level", "2"),
            ("tags", "red"),
            ("tags", "green"),
            ("q", "a b&c"),
            ("timeout", "3"),
        ]
        request = sent(server, lambda: client.items.get(item_id="a/b", request_tag="t"))
        assert request.path == "/v1/items/a%2Fb"
        assert request.headers["X-Request-Tag"] == "t"
        request = sent(server, lambda: client.items.archive(item_id="x"))
        assert (request.method, request.path, request.body) == (
            "POST",
            "/v1/items/x/archive",
            b"",
        )
        assert "Content-Type" not in request.headers
        assert len(request.headers["Idempotency-Key"]) == 32
        request = sent(
            server, lambda: client.items.update(item_id="x", dry_run=False, name="n")
        )
        assert (request.method, query(request)) == ("PATCH", [("dry_run", "false")])
        assert request.headers["Content-Type"] == "application/json"
        assert request.json() == {"name": "n", "sizes": []}


def test_async_parameters(server: LoopbackServer) -> None:
    golden("params")
    client_module = importlib.import_module("params.client")

    async def run() -> Recorded:
        server.reset()
        server.queue(Reply.json(ITEM))
        async with client_module.AsyncClient(
            "k", server_url=server.url, max_retries=0
        ) as client:
            await client.items.delete(item_id="ft:a b", version=7)
        (request,) = server.requests
        return request

    request = asyncio.run(run())
    assert (request.method, request.path) == ("DELETE", "/v1/items/ft:a%20b/versions/7")
    assert request.body == b"" and "Content-Type" not in request.headers
