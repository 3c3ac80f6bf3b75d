"""Responses of the ``responses`` golden case on the loopback server: unions, no
content, several statuses and binary bodies streamed to the caller, sync and async."""

from __future__ import annotations

import asyncio
import gc
import gzip
import importlib
import io
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .goldens import golden
from .server import LoopbackServer, Reply

KEY = "sk-responses"
BODY = bytes(range(256)) * 64  # 16 KiB


@pytest.fixture
def api() -> ModuleType:
    return golden("responses").package


@pytest.fixture
def client(server: LoopbackServer) -> Iterator[Any]:
    module = importlib.import_module("responses.client")
    with module.Client(KEY, server_url=server.url, max_retries=0) as client:
        yield client


def binary(body: bytes = BODY, size: int = 4096, **kwargs: Any) -> Reply:
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    headers = {"Content-Type": "application/octet-stream", **kwargs.pop("headers", {})}
    return Reply(body=body, chunks=pieces, headers=headers, **kwargs)


def test_a_discriminated_union_response(
    api: ModuleType, client: Any, server: LoopbackServer
) -> None:
    server.queue(
        Reply.json({"type": "fine-tuned", "id": "c1", "root": "r"}),
        Reply.json({"type": "base", "id": "c2"}),
        Reply.json({"type": "other", "id": "c3"}),
    )
    assert client.documents.card(card_id="c1") == api.FineTunedCard(id="c1", root="r")
    assert client.documents.card(card_id="c2") == api.BaseCard(id="c2")
    errors = importlib.import_module("responses.errors")
    with pytest.raises(errors.ResponseValidationError) as caught:
        client.documents.card(card_id="c3")
    assert "unknown type 'other'" in str(caught.value)


def test_an_untagged_union_response(
    api: ModuleType, client: Any, server: LoopbackServer
) -> None:
    server.queue(Reply.json({"id": "d", "title": "t"}), Reply.json({"position": 3}))
    assert client.documents.outcome(document_id="d") == api.Document(id="d", title="t")
    assert client.documents.outcome(document_id="d") == api.Pending(position=3)


def test_no_content_is_none(client: Any, server: LoopbackServer) -> None:
    server.queue(Reply(status=204), Reply(status=200, body=b"ignored"))
    assert client.documents.delete(document_id="d") is None
    assert client.documents.delete(document_id="d") is None
    assert [r.method for r in server.requests] == ["DELETE", "DELETE"]
    assert server.requests[0].headers["Accept"] == "application/json"


def test_each_status_its_own_response(
    api: ModuleType, client: Any, server: LoopbackServer
) -> None:
    server.queue(
        Reply.json({"id": "d", "title": "t"}),
        Reply.json({"position": 1}, status=202),
        Reply(status=204),
    )
    assert client.documents.refresh(document_id="d") == api.Document(id="d", title="t")
    assert client.documents.refresh(document_id="d") == api.Pending(position=1)
    assert client.documents.refresh(document_id="d") is None


def test_an_unlisted_success_status_is_an_error(
    client: Any, server: LoopbackServer
) -> None:
    errors = importlib.import_module("responses.errors")
    server.queue(Reply.json({"id": "d", "title": "t"}, status=201))
    with pytest.raises(errors.ResponseValidationError) as caught:
        client.documents.refresh(document_id="d")
    assert caught.value.status_code == 201
    assert "expected 200, 202, 204" in str(caught.value)
    assert caught.value.errors == ["status 201 is none of 200, 202, 204 @ status"]


def test_only_a_method_that_lists_an_error_status_raises_its_error(
    api: ModuleType, client: Any, server: LoopbackServer
) -> None:
    """``card`` lists 422 as an ``HTTPValidationError``; ``get`` lists no error, so
    the same 422 body is a plain ``APIError`` there, in both clients (as the SDK)."""
    errors = importlib.import_module("responses.errors")
    module = importlib.import_module("responses.client")
    reply = Reply.json({"detail": "bad id"}, status=422)
    server.queue(reply, reply)
    with pytest.raises(errors.HTTPValidationError) as typed:
        client.documents.card(card_id="c")
    assert typed.value.data == api.HTTPValidationError(detail="bad id")
    with pytest.raises(errors.APIError) as plain:
        client.documents.get(document_id="d")
    assert type(plain.value) is errors.APIError
    assert (plain.value.status_code, plain.value.body) == (422, '{"detail": "bad id"}')

    async def run() -> tuple[BaseException, BaseException]:
        async with module.AsyncClient(KEY, server_url=server.url, max_retries=0) as c:
            server.queue(reply, reply)
            with pytest.raises(errors.APIError) as card:
                await c.documents.card(card_id="c")
            with pytest.raises(errors.APIError) as get:
                await c.documents.get(document_id="d")
            return card.value, get.value

    card, get = asyncio.run(run())
    assert type(card) is errors.HTTPValidationError
    assert type(get) is errors.APIError


def test_a_binary_body_is_streamed_and_released(
    client: Any, server: LoopbackServer
) -> None:
    server.queue(binary())
    with client.documents.download(document_id="d") as res:
        assert res.status_code == 200
        assert res.content_type == "application/octet-stream"
        pieces = list(res.iter_bytes())
    assert b"".join(pieces) == BODY
    assert res.response.is_closed
    request = server.requests[0]
    assert request.headers["Accept"] == "application/octet-stream"
    assert request.path == "/v1/documents/d/content"


def test_leaving_early_closes_the_connection(
    client: Any, server: LoopbackServer
) -> None:
    server.queue(binary(), binary())
    with client.documents.download(document_id="d") as res:
        next(res.iter_bytes())
    assert res.response.is_closed
    dropped = client.documents.download(document_id="d")
    response = dropped.response
    del dropped
    gc.collect()
    assert response.is_closed  # freed: its connection went back to the pool


def test_write_to_a_path_or_a_file(
    client: Any, server: LoopbackServer, tmp_path: Path
) -> None:
    server.queue(binary(), binary())
    target = tmp_path / "doc.bin"
    with client.documents.download(document_id="d") as res:
        assert res.write_to(target) == len(BODY)
    assert target.read_bytes() == BODY
    file = io.BytesIO()
    with client.documents.download(document_id="d") as res:
        assert res.write_to(file) == len(BODY)
    assert file.getvalue() == BODY


def test_a_broken_download_leaves_no_file(
    client: Any, server: LoopbackServer, tmp_path: Path
) -> None:
    errors = importlib.import_module("responses.errors")
    server.queue(binary(cut_after=2))
    target = tmp_path / "doc.bin"
    with (
        client.documents.download(document_id="d") as res,
        pytest.raises(errors.APIConnectionError),
    ):
        res.write_to(target)
    assert not target.exists()


def test_a_broken_download_keeps_the_file_it_would_replace(
    client: Any, server: LoopbackServer, tmp_path: Path
) -> None:
    """The body is written beside the path and replaces it only when whole; a second
    write_to (the body is read once) leaves the saved file alone."""
    errors = importlib.import_module("responses.errors")
    target = tmp_path / "doc.bin"
    target.write_bytes(b"kept")
    server.queue(binary(cut_after=2), binary())
    with (
        client.documents.download(document_id="d") as res,
        pytest.raises(errors.APIConnectionError),
    ):
        res.write_to(target)
    assert target.read_bytes() == b"kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.bin"]
    with client.documents.download(document_id="d") as res:
        res.write_to(target)
        with pytest.raises(Exception, match="once"):
            res.write_to(target)
    assert target.read_bytes() == BODY


def test_read_is_bounded_and_once(server: LoopbackServer) -> None:
    module = importlib.import_module("responses.client")
    errors = importlib.import_module("responses.errors")
    server.queue(binary(), binary())
    with (
        module.Client(
            KEY, server_url=server.url, max_retries=0, max_response_size=len(BODY)
        ) as client,
        client.documents.download(document_id="d") as res,
    ):
        assert res.read() == BODY
        with pytest.raises(errors.ClientError, match="only once"):
            res.read()
    with module.Client(
        KEY, server_url=server.url, max_retries=0, max_response_size=len(BODY) - 1
    ) as client:
        server.queue(binary())
        with (
            client.documents.download(document_id="d") as res,
            pytest.raises(errors.ResponseTooLargeError),
        ):
            res.read()


def test_a_gzip_body_is_inflated_in_pieces(client: Any, server: LoopbackServer) -> None:
    big = b"a" * (1024 * 1024)
    packed = gzip.compress(big)
    server.queue(binary(packed, headers={"Content-Encoding": "gzip"}))
    with client.documents.download(document_id="d") as res:
        sizes = [len(piece) for piece in res.iter_bytes()]
    assert sum(sizes) == len(big) and max(sizes) <= 64 * 1024


def test_a_download_that_stalls_times_out(server: LoopbackServer) -> None:
    """The call's timeout holds until the first chunk, then again between chunks."""
    module = importlib.import_module("responses.client")
    errors = importlib.import_module("responses.errors")
    server.queue(binary(size=len(BODY) // 2, chunk_delay=2.0))
    client = module.Client(KEY, server_url=server.url, max_retries=0, timeout=0.5)
    with client, client.documents.download(document_id="d") as res:
        pieces = res.iter_bytes()
        next(pieces)
        with pytest.raises(errors.APITimeoutError):
            list(pieces)


def test_errors_and_retries_of_a_download(server: LoopbackServer) -> None:
    module = importlib.import_module("responses.client")
    errors = importlib.import_module("responses.errors")
    server.queue(
        Reply.json({"detail": "busy"}, status=503, headers={"retry-after-ms": "1"}),
        binary(),
        Reply.json({"detail": "no"}, status=404),
    )
    with module.Client(KEY, server_url=server.url, max_retries=1) as client:
        with client.documents.download(document_id="d") as res:
            assert res.read() == BODY
        with pytest.raises(errors.APIError) as caught:
            client.documents.download(document_id="d")
    assert caught.value.status_code == 404 and "no" in caught.value.body


def test_a_binary_status_beside_a_json_one(
    api: ModuleType, client: Any, server: LoopbackServer
) -> None:
    server.queue(binary(), Reply.json({"position": 2}, status=202))
    with client.documents.export(document_id="d") as res:
        assert res.read() == BODY
    assert client.documents.export(document_id="d") == api.Pending(position=2)
    assert server.requests[0].headers["Accept"] == (
        "application/octet-stream, application/json"
    )


def test_async_responses(
    api: ModuleType, server: LoopbackServer, tmp_path: Path
) -> None:
    module = importlib.import_module("responses.client")
    target = tmp_path / "doc.bin"

    async def run() -> None:
        async with module.AsyncClient(KEY, server_url=server.url, max_retries=0) as c:
            server.queue(binary(), binary(), binary(cut_after=1))
            async with await c.documents.download(document_id="d") as res:
                pieces = [piece async for piece in res.aiter_bytes()]
            assert b"".join(pieces) == BODY and res.response.is_closed
            async with await c.documents.download(document_id="d") as res:
                assert await res.write_to(target) == len(BODY)
            assert target.read_bytes() == BODY
            errors = importlib.import_module("responses.errors")
            broken = tmp_path / "broken.bin"
            async with await c.documents.download(document_id="d") as res:
                with pytest.raises(errors.APIConnectionError):
                    await res.write_to(broken)
            assert not broken.exists()
            server.queue(
                Reply.json({"type": "base", "id": "c"}),
                Reply(status=204),
                Reply.json({"position": 1}, status=202),
                binary(),
            )
            assert await c.documents.card(card_id="c") == api.BaseCard(id="c")
            assert await c.documents.delete(document_id="d") is None
            assert await c.documents.refresh(document_id="d") == api.Pending(position=1)
            async with await c.documents.export(document_id="d") as res:
                assert await res.read() == BODY

    asyncio.run(run())
