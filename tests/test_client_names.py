"""The client_names golden package on the wire: renamed parameters and list defaults."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from .server import LoopbackServer, Reply

EXPECTED = Path(__file__).parent / "cases" / "client_names" / "expected"


@pytest.fixture(scope="module")
def package() -> Iterator[ModuleType]:
    sys.path.insert(0, str(EXPECTED))
    try:
        import client_names

        yield client_names
    finally:
        sys.path.remove(str(EXPECTED))


def test_fields_named_like_call_options_are_sent_as_fields(
    package: ModuleType, server: LoopbackServer
) -> None:
    server.default = Reply.json({"ok": True})
    with package.Client("k", server_url=server.url) as client:
        reply = client.jobs.submit(
            timeout_=1.5, max_retries_=3, extra_headers_={"a": "b"}, timeout=5.0
        )
    assert reply == package.Reply(ok=True)
    assert server.requests[-1].json() == {
        "timeout": 1.5,
        "max_retries": 3,
        "extra_headers": {"a": "b"},
        "tags": ["urgent"],
    }


def test_a_list_default_is_fresh_and_overridable(
    package: ModuleType, server: LoopbackServer
) -> None:
    server.default = Reply.json({"ok": True})
    with package.Client("k", server_url=server.url) as client:
        client.jobs.submit(tags=["low"])
        client.jobs.submit()
    assert [r.json()["tags"] for r in server.requests] == [["low"], ["urgent"]]
    first, second = package.T(), package.T()
    first.tags.append("changed")
    assert second.tags == ["urgent"]


def test_a_type_named_t_is_registered_on_the_converter(package: ModuleType) -> None:
    value = package.converter.structure({"tags": ["x"]}, package.T)
    assert isinstance(value, package.T)
    assert value.tags == ["x"]


def test_every_attribute_of_the_client_runtime_is_reserved() -> None:
    """What the clients inherit, found at run time, is what group names may not take."""
    from mistral_fim import _http

    from specbind import naming

    clients = [
        _http.SyncBase(
            "k", server_url="u", timeout=1.0, max_retries=0, http_client=None
        ),
        _http.AsyncBase(
            "k", server_url="u", timeout=1.0, max_retries=0, http_client=None
        ),
    ]
    found = {
        name
        for client in clients
        for owner in (*type(client).__mro__[:-1], client)  # not `object`
        for name in vars(owner)
        if not (name.startswith("__") and name.endswith("__"))
    }
    assert {"retry_delay", "send", "server_url", "_http"} <= found
    assert found <= naming.client_attributes()
