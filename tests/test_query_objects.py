"""Object query parameters of the ``query_objects`` golden case on the loopback
server: a dict or a model is sent exploded, one ``key=value`` pair per entry or field
that is set, spelled as the official SDK spells it; sync and async."""

from __future__ import annotations

import asyncio
import datetime
import importlib
import urllib.parse

from .goldens import golden
from .server import LoopbackServer, Recorded, Reply

JOBS = {"data": []}


def query(request: Recorded) -> list[tuple[str, str]]:
    return urllib.parse.parse_qsl(
        urllib.parse.urlsplit(request.path).query, keep_blank_values=True
    )


def test_dicts_and_models_are_sent_one_pair_per_entry(server: LoopbackServer) -> None:
    package = golden("query_objects").package
    client_module = importlib.import_module("query_objects.client")
    since = datetime.datetime(2024, 11, 7, 12, 30, tzinfo=datetime.UTC)
    with client_module.Client("k", server_url=server.url, max_retries=0) as client:
        server.queue(Reply.json(JOBS))
        client.jobs.list(
            metadata={
                "a b": "x&y",
                "on": True,
                "off": None,
                "n": 1.5,
                "deep": [1, "z"],
            },
            labels={"team": "ml"},
            levels={"size": package.Kind.large},
            filters=package.Filters(active=None, since=since, kind=package.Kind.small),
            status="done",
            kinds=[package.Kind.small, package.Kind.large],
        )
        server.queue(Reply.json(JOBS))
        client.jobs.list(
            metadata=None,
            labels={},
            filters=package.Filters(),
            kinds=package.Kind.large,
        )
    first, second = server.requests
    assert query(first) == [
        ("page", "0"),
        ("a b", "x&y"),
        ("on", "true"),  # None is not sent; a list as the SDK's str() of it
        ("n", "1.5"),
        ("deep", "[1, 'z']"),
        ("team", "ml"),
        ("size", "large"),
        # active=None is not sent; fetch_secrets has its default; since in RFC 3339.
        ("fetch_secrets", "false"),
        ("since", "2024-11-07T12:30:00Z"),
        ("kind", "small"),
        ("status", "done"),
        ("kinds", "small"),  # a union's list variant: once per item
        ("kinds", "large"),
    ]
    assert query(second) == [
        ("page", "0"),
        ("fetch_secrets", "false"),
        ("kinds", "large"),
    ]


def test_async_object_parameters(server: LoopbackServer) -> None:
    golden("query_objects")
    client_module = importlib.import_module("query_objects.client")

    async def run() -> list[Recorded]:
        server.queue(Reply.json(JOBS))
        async with client_module.AsyncClient(
            "k", server_url=server.url, max_retries=0
        ) as client:
            await client.jobs.search(tags={"x": 1, "y": -2})
            server.queue(Reply.json(JOBS))
            await client.jobs.get(version=7, revision="r 1")
        return server.requests

    search, get = asyncio.run(run())
    assert search.path == "/v1/jobs/search?x=1&y=-2"
    # A union of scalars is sent as the value it holds, in the path and in a header.
    assert get.path == "/v1/jobs/7"
    assert get.headers["X-Revision"] == "r 1"
