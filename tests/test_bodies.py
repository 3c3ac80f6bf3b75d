"""Multipart and form request bodies on a loopback server: the parts sent, file objects
streamed in bounded reads, and retries that never resend half a file.

The package is the golden case ``tests/cases/bodies``.
"""

from __future__ import annotations

import asyncio
import datetime
import email.parser
import email.policy
import importlib
import io
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .server import LoopbackServer, Recorded, Reply

CASE = Path(__file__).parent / "cases" / "bodies" / "expected"
UPLOADED = {"id": "file-1", "bytes": 3}
CHUNK = 64 * 1024  # httpx's read size for a file part


@pytest.fixture(scope="module")
def bodies() -> Iterator[ModuleType]:
    sys.path.insert(0, str(CASE))
    try:
        yield importlib.import_module("bodies")
    finally:
        sys.path.remove(str(CASE))


@pytest.fixture
def client(bodies: ModuleType, server: LoopbackServer) -> Iterator[Any]:
    with bodies.Client("k", server_url=server.url, max_retries=0) as client:
        yield client


def parts(request: Recorded) -> list[tuple[str, str | None, str | None, bytes]]:
    """A multipart body's parts: (name, filename, content type, bytes), in order."""
    content_type = next(
        v for k, v in request.headers.items() if k.lower() == "content-type"
    )
    assert content_type.startswith("multipart/form-data; boundary=")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + request.body
    )
    out = []
    for part in message.iter_parts():
        disposition = part.get("Content-Disposition")
        out.append(
            (
                disposition.params["name"],
                part.get_filename(),
                part.get("Content-Type"),
                part.get_payload(decode=True),
            )
        )
    return out


class CountingReader(io.BytesIO):
    """A binary file that records the size each read asks for and gets."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.asked: list[int | None] = []
        self.got: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        self.asked.append(size)
        data = super().read(size)
        self.got.append(len(data))
        return data


class OneWayReader(io.RawIOBase):
    """A binary stream that cannot seek (a pipe, a socket): read once, front to back."""

    def __init__(self, data: bytes) -> None:
        self._rest = data
        self.name = "pipe.bin"

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), len(self._rest))
        buffer[:size] = self._rest[:size]
        self._rest = self._rest[size:]
        return size


def test_multipart_parts_as_the_sdk_spells_them(
    bodies: ModuleType, client: Any, server: LoopbackServer
) -> None:
    server.queue(Reply.json(UPLOADED))
    when = datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.timezone.utc)
    result = client.files.upload(
        file=("train.jsonl", b'{"a": 1}\n', "application/jsonl"),
        purpose=bodies.Purpose.fine_tune,
        tags=["a", "b"],
        expires=when,
        lines=None,  # not a wire value: left out, as absent
    )
    assert result == bodies.UploadOut(id="file-1", bytes=3)
    (request,) = server.requests
    assert parts(request) == [
        ("purpose", None, None, b"fine-tune"),
        ("tags[]", None, None, b"a"),
        ("tags[]", None, None, b"b"),
        ("expires", None, None, b"2024-05-01T12:30:00Z"),
        ("public", None, None, b"false"),
        ("file", "train.jsonl", "application/jsonl", b'{"a": 1}\n'),
    ]


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        (b"raw", ("file", "upload", "application/octet-stream", b"raw")),
        (("a.json", b"{}", None), ("file", "a.json", "application/json", b"{}")),
    ],
)
def test_bytes_and_a_triple_without_content_type(
    client: Any, server: LoopbackServer, file: Any, expected: tuple[Any, ...]
) -> None:
    """Bare bytes are named ``upload``; a missing content type is guessed from the
    file name (both as httpx, and so the SDK, does)."""
    server.queue(Reply.json(UPLOADED))
    client.files.upload(file=file)
    assert parts(server.requests[0])[-1] == expected


def test_a_file_object_is_streamed_in_bounded_reads(
    client: Any, server: LoopbackServer
) -> None:
    data = bytes(range(256)) * (5 * 4096 + 3)  # 5 MiB and a bit
    reader = CountingReader(data)
    server.queue(Reply.json(UPLOADED))
    client.files.upload(file=reader)
    assert parts(server.requests[0])[-1][3] == data
    assert sum(reader.got) == len(data)
    # Never the whole file at once: every read asks for one chunk.
    assert all(size == CHUNK for size in reader.asked)
    assert max(reader.got) == CHUNK and len(reader.got) > len(data) // CHUNK


def test_a_seekable_file_is_sent_whole_again_on_retry(
    bodies: ModuleType, server: LoopbackServer
) -> None:
    data = b"x" * (3 * CHUNK + 5)
    server.queue(
        Reply(status=503, headers={"retry-after-ms": "1"}), Reply.json(UPLOADED)
    )
    with bodies.Client("k", server_url=server.url, max_retries=1) as client:
        client.files.upload(file=("a.bin", io.BytesIO(data), None))
    first, second = server.requests
    assert parts(first)[-1][3] == parts(second)[-1][3] == data


def test_a_file_that_cannot_seek_is_sent_once(
    bodies: ModuleType, server: LoopbackServer
) -> None:
    """A retry would send what is left of it: the status error is raised instead."""
    data = b"y" * (2 * CHUNK + 1)
    server.queue(
        Reply(status=503, headers={"retry-after-ms": "1"}), Reply.json(UPLOADED)
    )
    with (
        bodies.Client("k", server_url=server.url, max_retries=2) as client,
        pytest.raises(bodies.errors.APIError) as caught,
    ):
        client.files.upload(file=OneWayReader(data))
    assert caught.value.status_code == 503
    (request,) = server.requests
    assert parts(request)[-1] == ("file", "pipe.bin", "application/octet-stream", data)


def test_a_multipart_body_without_its_file_is_still_multipart(
    client: Any, server: LoopbackServer
) -> None:
    """httpx would send text fields alone as a form; the spec says multipart."""
    server.queue(Reply.json(UPLOADED), Reply.json(UPLOADED))
    client.files.note(note='a "quoted" note')
    client.files.note(note="with", attachment=b"\x00\x01")
    without, with_file = server.requests
    assert parts(without) == [("note", None, None, b'a "quoted" note')]
    assert parts(with_file) == [
        ("note", None, None, b"with"),
        ("attachment", "upload", "application/octet-stream", b"\x00\x01"),
    ]


def test_form_body(bodies: ModuleType, client: Any, server: LoopbackServer) -> None:
    server.queue(Reply.json(UPLOADED))
    client.auth.token(grant_type="client credentials", scope=["a b", "c&d"], weight=0.5)
    (request,) = server.requests
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert urllib.parse.parse_qsl(request.body.decode()) == [
        ("grant_type", "client credentials"),
        ("scope", "a b"),
        ("scope", "c&d"),
        ("weight", "0.5"),
    ]


def test_async_multipart_and_form(bodies: ModuleType, server: LoopbackServer) -> None:
    data = b"z" * (CHUNK + 7)

    async def run() -> None:
        async with bodies.AsyncClient("k", server_url=server.url) as client:
            server.queue(Reply.json(UPLOADED), Reply.json(UPLOADED))
            await client.files.upload(file=CountingReader(data), public=True)
            await client.auth.token(grant_type="g", refresh=False)

    asyncio.run(run())
    upload, token = server.requests
    assert parts(upload) == [
        ("public", None, None, b"true"),
        ("file", "upload", "application/octet-stream", data),
    ]
    assert token.body == b"grant_type=g&refresh=false"
