"""The client_names golden package on the wire: renamed parameters and list defaults."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from specbind import naming

from .conftest import GENERATED
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


def brings_types(node: ast.ImportFrom) -> bool:
    """An import of the types themselves (or, from ``_shared``, of their hooks)."""
    module = node.module or ""
    return module in ("models", "_shared") or module.startswith("models.")


GENERATED_ROOTS = [
    GENERATED / "mistral",
    GENERATED / "mistral_fim",
    *sorted((Path(__file__).parent / "cases").glob("*/expected/*")),
]


def test_every_name_the_modules_that_import_models_bind_is_reserved() -> None:
    """A model, union or enum may not take a name that the client, errors, converters
    or models module binds itself (an import from elsewhere, a module constant): the
    two would clash in that module."""
    unreserved = set()
    for root in GENERATED_ROOTS:
        modules = ["__init__.py", "client.py", "errors.py"]
        paths = [root / m for m in modules] + sorted(root.glob("*/*.py"))
        for path in paths:
            if not path.is_file():
                continue
            for node in ast.parse(path.read_text("utf-8")).body:
                if isinstance(node, ast.ImportFrom) and not brings_types(node):
                    names = [a.asname or a.name for a in node.names]
                elif isinstance(node, ast.Import):
                    names = [a.asname or a.name.split(".")[0] for a in node.names]
                elif isinstance(node, ast.Assign | ast.AnnAssign):
                    targets = (
                        node.targets if isinstance(node, ast.Assign) else [node.target]
                    )
                    names = [
                        t.id
                        for t in targets
                        if isinstance(t, ast.Name) and t.id.isupper()
                    ]
                else:
                    continue
                unreserved |= {
                    (name, path.name)
                    for name in names
                    if not naming.is_reserved_type_name(name)
                }
    assert unreserved == set()
