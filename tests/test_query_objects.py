"""Object query parameters of the ``query_objects`` golden case on the loopback
server: a dict or a model is sent exploded, one ``key=value`` pair per entry or field
that is set, spelled as the official SDK spells it; sync and async."""

from __future__ import annotations

import asyncio
import datetime
import importlib
import urllib.parse

import pytest

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


def test_json_parameters_are_sent_as_their_json_text(server: LoopbackServer) -> None:
    """``style: json``: a dict, a list and a model (through its hook: a datetime in
    RFC 3339, an enum by value, unset fields left out) as compact JSON, in the query
    percent-encoded and in a header with non-ASCII escaped; sync and async."""
    package = golden("json_params").package
    client_module = importlib.import_module("json_params.client")
    since = datetime.datetime(2024, 11, 7, 12, 30, tzinfo=datetime.UTC)
    call = {
        "metadata": {"team": "ml", "n": 1.5, "on": True, "none": None, "é": [1]},
        "ids": [3, 1],
        "window": package.Window(since=since),
        "labels": {"owner": "zoë"},
    }
    expected = [
        ("page", "0"),
        ("metadata", '{"team":"ml","n":1.5,"on":true,"none":null,"é":[1]}'),
        ("ids", "[3,1]"),
        ("window", '{"since":"2024-11-07T12:30:00Z"}'),
    ]

    async def run_async() -> None:
        async with client_module.AsyncClient(
            "k", server_url=server.url, max_retries=0
        ) as client:
            await client.agents.list(**call)

    server.queue(
        Reply.json({"data": []}), Reply.json({"data": []}), Reply.json({"data": []})
    )
    with client_module.Client("k", server_url=server.url, max_retries=0) as client:
        client.agents.list(**call)
        client.agents.list(metadata=None)
    asyncio.run(run_async())
    first, unset, third = server.requests
    for request in (first, third):
        assert query(request) == expected
        assert request.headers["X-Labels"] == '{"owner":"zo\\u00eb"}'
    assert query(unset) == [("page", "0")]  # None, as absent, is not sent
    assert "X-Labels" not in unset.headers


def test_comma_and_deep_object_styles(server: LoopbackServer) -> None:
    """``style: comma`` joins a list, or an object's keys and values, into one pair
    (none when empty); ``style: deep_object`` sends ``name[key]=value`` pairs; a model
    through its hook (unset fields left out); sync and async."""
    package = golden("query_styles").package
    client_module = importlib.import_module("query_styles.client")
    call = {
        "ids": [3, 1],
        "kinds": [package.Kind.small, package.Kind.large],
        "labels": {"team": "ml", "tier": "a b"},
        "metadata": {"on": "yes", "off": None, "n": "2"},
        "size": package.Range(low=1, kind=package.Kind.large),
        "bounds": package.Range(low=0, high=9),
    }
    expected = [
        ("ids", "3,1"),
        ("kinds", "small,large"),
        ("labels", "team,ml,tier,a b"),
        ("metadata[on]", "yes"),
        ("metadata[n]", "2"),
        ("size[low]", "1"),
        ("size[kind]", "large"),
        ("bounds", "low,0,high,9"),
    ]

    async def run_async() -> None:
        async with client_module.AsyncClient(
            "k", server_url=server.url, max_retries=0
        ) as client:
            await client.items.list(**call)

    server.queue(*[Reply.json({"data": []})] * 3)
    with client_module.Client("k", server_url=server.url, max_retries=0) as client:
        client.items.list(**call)
        client.items.list(ids=[], labels={}, metadata={}, kinds=None)
    asyncio.run(run_async())
    Client = client_module.Client
    first, empty, third = server.requests
    assert query(first) == expected
    assert query(third) == expected
    assert query(empty) == []
    # httpx percent-encodes the commas; a server decodes them before it splits
    assert "ids=3%2C1" in first.path
    # A value holding a comma would read as two: refused before anything is sent.
    refused = pytest.raises(ValueError, match="'labels' is sent joined by commas")
    with Client("k", server_url=server.url, max_retries=0) as client, refused:
        client.items.list(labels={"team": "ml,ops"})
    assert len(server.requests) == 3
