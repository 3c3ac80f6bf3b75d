"""Binary response bodies, streamed to the caller: iterated, saved or read whole.

``BinaryResponse`` and ``AsyncBinaryResponse`` hold a response whose body is still on
the wire. The call's deadline runs until the first chunk, then again between chunks
(as for event streams); gzip and deflate are inflated in bounded pieces. Leave with
``with`` (or ``close()``) to release the connection; a sync one simply dropped
releases it as soon as it is freed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from typing import IO

import anyio
import httpx

from . import _deadline, errors
from ._deadline import DEADLINE
from ._http import (
    _FAILURES,
    _broken_stream,
    _StreamClock,
    _too_large,
    async_body_pieces,
    body_pieces,
)

__all__ = ["AsyncBinaryResponse", "BinaryResponse", "Target"]

# Where ``write_to`` saves a body: a path (created or replaced) or a binary file.
Target = str | os.PathLike[str] | IO[bytes]


def _chunks(response: httpx.Response) -> Generator[bytes | None, None, None]:
    """The decoded body, after a first ``None``; it holds no reference to its owner,
    so an owner dropped unread closes the response at once (see ``_http._events``)."""
    pieces = body_pieces(response)
    try:
        yield None
        for piece in pieces:
            yield piece
            _deadline.check()
    except _FAILURES as exc:
        raise _broken_stream(exc) from exc
    finally:
        response.close()


async def _async_chunks(response: httpx.Response) -> AsyncGenerator[bytes, None]:
    try:
        async for piece in async_body_pieces(response):
            yield piece
            _deadline.check()
    except _FAILURES as exc:
        raise _broken_stream(exc) from exc
    finally:
        await response.aclose()


class _Binary:
    """What both flavours share: the response's status and headers, and the limit of
    ``read()``."""

    def __init__(self, response: httpx.Response, max_size: int) -> None:
        self.response = response
        self.max_size = max_size
        self._clock = _StreamClock(response)
        self._started = False

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers

    @property
    def content_type(self) -> str | None:
        value: str | None = self.response.headers.get("content-type")
        return value

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.content_type}>"

    def _start(self) -> None:
        if self._started:
            raise errors.ClientError("a binary response's body can be read only once")
        self._started = True

    def _collect(self, parts: list[bytes], size: int, piece: bytes) -> int:
        size += len(piece)
        if size > self.max_size:
            limit = f"the body exceeds the limit of {self.max_size} bytes"
            raise _too_large(self.response, limit)
        parts.append(piece)
        return size


class BinaryResponse(_Binary):
    """A binary body, still on the wire: ``iter_bytes()``, ``write_to()`` or ``read()``
    it, once; use it as a context manager to release the connection."""

    def __init__(self, response: httpx.Response, max_size: int) -> None:
        super().__init__(response, max_size)
        self._chunks = _chunks(response)
        next(self._chunks)

    def iter_bytes(self) -> Iterator[bytes]:
        """The body's bytes as they arrive, decoded (at most 64 KiB a piece when
        inflated)."""
        self._start()
        while True:
            token = DEADLINE.set(self._clock.next_deadline())
            try:
                piece = next(self._chunks, None)
            finally:
                DEADLINE.reset(token)
            if piece is None:
                return
            yield piece

    def write_to(self, target: Target) -> int:
        """Save the body to a path or a binary file; the number of bytes written.

        A path is removed again when the download breaks off, so it never holds half
        a body.
        """
        if not isinstance(target, (str, os.PathLike)):
            return _write(self.iter_bytes(), target)
        partial = _partial(target)
        try:
            with open(partial, "wb") as file:
                written = _write(self.iter_bytes(), file)
            os.replace(partial, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.remove(partial)
            raise
        return written

    def read(self) -> bytes:
        """The whole body, up to the client's ``max_response_size``."""
        parts: list[bytes] = []
        size = 0
        for piece in self.iter_bytes():
            size = self._collect(parts, size, piece)
        return b"".join(parts)

    def close(self) -> None:
        self._chunks.close()
        self.response.close()

    def __enter__(self) -> BinaryResponse:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _partial(target: str | os.PathLike[str]) -> str:
    """Where a body is written before it replaces ``target``: a file already there
    is kept whole when the download breaks off."""
    return f"{os.fspath(target)}.part"


def _write(pieces: Iterator[bytes], file: IO[bytes]) -> int:
    written = 0
    for piece in pieces:
        file.write(piece)
        written += len(piece)
    return written


class AsyncBinaryResponse(_Binary):
    """A binary body, still on the wire: ``aiter_bytes()``, ``write_to()`` or
    ``read()`` it, once; use it as an async context manager to release the
    connection."""

    def __init__(self, response: httpx.Response, max_size: int) -> None:
        super().__init__(response, max_size)
        self._chunks = _async_chunks(response)

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """The body's bytes as they arrive, decoded."""
        self._start()
        while True:
            token = DEADLINE.set(self._clock.next_deadline())
            try:
                piece = await self._chunks.__anext__()
            except StopAsyncIteration:
                return
            finally:
                DEADLINE.reset(token)
            yield piece

    async def write_to(self, target: Target) -> int:
        """Save the body to a path (written in a worker thread) or a binary file; the
        number of bytes written. A path is removed again when the download breaks
        off."""
        written = 0
        if not isinstance(target, (str, os.PathLike)):
            async for piece in self.aiter_bytes():
                target.write(piece)
                written += len(piece)
            return written
        partial = _partial(target)
        try:
            async with await anyio.open_file(partial, "wb") as file:
                async for piece in self.aiter_bytes():
                    await file.write(piece)
                    written += len(piece)
            await anyio.Path(partial).replace(os.fspath(target))
        except BaseException:
            await anyio.Path(partial).unlink(missing_ok=True)
            raise
        return written

    async def read(self) -> bytes:
        """The whole body, up to the client's ``max_response_size``."""
        parts: list[bytes] = []
        size = 0
        async for piece in self.aiter_bytes():
            size = self._collect(parts, size, piece)
        return b"".join(parts)

    async def close(self) -> None:
        await self._chunks.aclose()
        await self.response.aclose()

    async def __aenter__(self) -> AsyncBinaryResponse:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()
