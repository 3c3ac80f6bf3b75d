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


def test_a_parameter_that_breaks_its_constraint_is_never_sent(
    server: LoopbackServer,
) -> None:
    """Each constraint of a parameter is checked at the call, before any request: the
    error names the keyword argument and says what it must be."""
    golden("params")
    client_module = importlib.import_module("params.client")
    errors = importlib.import_module("params.errors")
    server.reset()
    bad = [
        ({"q": "x", "page": -1}, "page", "must be >= 0, got -1"),
        ({"q": "x", "page": 1001}, "page", "must be <= 1000, got 1001"),
        ({"q": "x", "ratio": 0.7}, "ratio", "must be a multiple of 0.5, got 0.7"),
        ({"q": "x", "ratio": -0.5}, "ratio", "must be >= 0, got -0.5"),
        ({"q": "x", "tags": ["red"] * 4}, "tags", "must have at most 3 items, got 4"),
        ({"q": ""}, "q", "length must be >= 1, got 0"),
        ({"q": "   "}, "q", "must match '\\\\S', got '   '"),
    ]
    with client_module.Client("k", server_url=server.url, max_retries=0) as client:
        for kwargs, name, problem in bad:
            try:
                client.items.search(**kwargs)
            except errors.InvalidParameterError as exc:
                assert exc.parameter == name
                assert str(exc) == f"the parameter '{name}' {problem}"
                assert isinstance(exc, ValueError)
            else:
                raise AssertionError(f"{kwargs} was accepted")
        try:
            client.items.delete(item_id="i", version=0)
        except errors.InvalidParameterError as exc:
            assert str(exc) == "the parameter 'version' must be > 0, got 0"
        else:
            raise AssertionError("version=0 was accepted")
        assert server.requests == []
        # In bounds (and None for a nullable list, UNSET for the rest), it is sent.
        server.queue(Reply.json(ITEM), Reply.json(ITEM))
        client.items.search(q="x", page=1000, ratio=1.5, tags=None)
        client.items.delete(item_id="i", version=1)
    assert [query(r) for r in server.requests] == [
        [("page", "1000"), ("ratio", "1.5"), ("exact", "false"), ("q", "x")],
        [],
    ]


def test_async_parameter_constraints(server: LoopbackServer) -> None:
    golden("params")
    client_module = importlib.import_module("params.client")
    errors = importlib.import_module("params.errors")
    server.reset()

    async def run() -> str:
        async with client_module.AsyncClient(
            "k", server_url=server.url, max_retries=0
        ) as client:
            try:
                await client.items.search(q="x", page=-2)
            except errors.InvalidParameterError as exc:
                return str(exc)
        return "accepted"

    assert asyncio.run(run()) == "the parameter 'page' must be >= 0, got -2"
    assert server.requests == []
