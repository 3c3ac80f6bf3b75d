"""An API key in a header of its own (``auth: {api_key: {header, env}}``), on the wire:
the api_key_auth golden package against the loopback server, sync and async.

The key goes in its header as it is, never as ``Authorization``; and, as the bearer
token does, it stays out of errors, reprs and logs (a server may echo it back)."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from specbind.resolve.auth import CLIENT_HEADERS

from .server import LoopbackServer, Recorded, Reply

EXPECTED = Path(__file__).parent / "cases" / "api_key_auth" / "expected"
KEY = "wk-secret-9d1e4b7c2a"
FORECAST = {"city": "Oslo", "celsius": -3.5}
FLAVOURS = ["sync", "async"]


@pytest.fixture(scope="module")
def package() -> Iterator[ModuleType]:
    sys.path.insert(0, str(EXPECTED))
    try:
        import api_key_auth

        yield api_key_auth
    finally:
        sys.path.remove(str(EXPECTED))


def header(request: Recorded, name: str) -> str | None:
    """A recorded request header, looked up without regard to case (sent once)."""
    found = [v for k, v in request.headers.items() if k.lower() == name.lower()]
    assert len(found) <= 1, found
    return found[0] if found else None


def get(
    package: ModuleType, flavour: str, url: str, key: str | None = KEY, **call: Any
) -> Any:
    """``client.forecasts.get(city="Oslo", **call)`` with a fresh client of ``flavour``."""
    if flavour == "sync":
        with package.Client(key, server_url=url, max_retries=0) as client:
            return client.forecasts.get(city="Oslo", **call)

    async def run() -> Any:
        async with package.AsyncClient(key, server_url=url, max_retries=0) as client:
            return await client.forecasts.get(city="Oslo", **call)

    return asyncio.run(run())


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_key_is_sent_in_its_header_and_not_as_a_bearer_token(
    package: ModuleType, server: LoopbackServer, flavour: str
) -> None:
    server.default = Reply.json(FORECAST)
    result = get(package, flavour, server.url, trace="t-1")
    assert result == package.Forecast(city="Oslo", celsius=-3.5)
    (request,) = server.requests
    assert request.path == "/v1/forecasts/Oslo"
    assert header(request, "X-API-Key") == KEY
    assert header(request, "Authorization") is None
    assert header(request, "X-Trace") == "t-1"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_spec_refuses_every_header_the_client_writes_itself(
    package: ModuleType, server: LoopbackServer, flavour: str
) -> None:
    """``CLIENT_HEADERS`` (the names an API key header may not take) holds every
    header the client and httpx put on a request of their own accord."""
    server.default = Reply.json(FORECAST)
    get(package, flavour, server.url)
    (request,) = server.requests
    own = {name.lower() for name in request.headers} - {"x-api-key"}
    assert own - {name.lower() for name in CLIENT_HEADERS} == set()


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_key_falls_back_to_its_environment_variable(
    package: ModuleType,
    server: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
    flavour: str,
) -> None:
    server.default = Reply.json(FORECAST)
    monkeypatch.setenv("WEATHER_API_KEY", "wk-from-env")
    get(package, flavour, server.url, key=None)
    assert header(server.requests[0], "X-API-Key") == "wk-from-env"
    monkeypatch.delenv("WEATHER_API_KEY")
    with pytest.raises(package.errors.MissingAPIKeyError, match="WEATHER_API_KEY"):
        get(package, flavour, server.url, key=None)
    assert len(server.requests) == 1


@pytest.mark.parametrize("name", ["X-API-Key", "x-api-key", "X-Api-Key"])
def test_extra_headers_never_replace_the_key(
    package: ModuleType, server: LoopbackServer, name: str
) -> None:
    server.default = Reply.json(FORECAST)
    get(package, "sync", server.url, extra_headers={name: "other", "X-Extra": "e"})
    (request,) = server.requests
    assert header(request, "X-API-Key") == KEY  # and only once
    assert header(request, "X-Extra") == "e"


def echo_key(status: int) -> Any:
    def reply(record: Recorded) -> Reply:
        echoed = {"x-api-key": header(record, "X-API-Key"), "city": 1}
        return Reply.json({"echo": echoed, "again": f"key={KEY}"}, status=status)

    return reply


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("status", [200, 401, 500])
def test_a_server_echoing_the_key_does_not_put_it_in_errors_or_logs(
    package: ModuleType,
    server: LoopbackServer,
    caplog: pytest.LogCaptureFixture,
    flavour: str,
    status: int,
) -> None:
    caplog.set_level(logging.DEBUG)
    server.on_request = echo_key(status)
    with pytest.raises(package.errors.ClientError) as caught:
        get(package, flavour, server.url)
    error = caught.value
    assert "[redacted]" in error.body
    for text in (str(error), repr(error), error.body, str(error.args)):
        assert KEY not in text
    assert caplog.records  # httpx and httpcore log at DEBUG
    assert KEY not in caplog.text


def test_the_key_is_not_in_the_client_repr(package: ModuleType) -> None:
    for cls in (package.Client, package.AsyncClient):
        client = cls(KEY, server_url="http://127.0.0.1:9")
        assert KEY not in repr(client) and KEY not in str(client)
