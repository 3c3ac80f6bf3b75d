"""One deadline per call, enforced on every socket operation.

httpx timeouts are per operation: a server that sends a byte a second never trips a
read timeout. The client keeps the current call's deadline in a context variable; the
network backend wrapped around httpcore's shortens each connect, read and write to
the time left, so headers, bodies and SSE streams all end at the deadline.
"""

from __future__ import annotations

import contextvars
import ssl
import time
import typing
from collections.abc import Iterable

import httpcore
import httpx

__all__ = ["DEADLINE", "check", "install", "remaining"]

DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "specbind_deadline", default=None
)
# The most a socket read takes. httpcore asks for 64 KiB: a long body (a download, an
# event stream) then goes through h11, httpcore and httpx in four times as many
# chunks. A read returns what has arrived, so this adds no wait; it bounds the memory
# a read holds.
READ_SIZE = 256 * 1024
_SocketOption = (
    tuple[int, int, int]
    | tuple[int, int, bytes | bytearray]
    | tuple[int, int, None, int]
)


def remaining(exc: type[Exception] = httpcore.ReadTimeout) -> float | None:
    """Seconds left for the current call (``None``: no deadline); raises once past."""
    deadline = DEADLINE.get()
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise exc("the call's timeout has passed")
    return left


def check() -> None:
    """Between reads: raise ``httpx.ReadTimeout`` once the deadline has passed."""
    try:
        remaining()
    except httpcore.ReadTimeout as exc:
        raise httpx.ReadTimeout(str(exc)) from None


def _clamp(timeout: float | None, exc: type[Exception]) -> float | None:
    left = remaining(exc)
    if left is None or (timeout is not None and timeout < left):
        return timeout
    return left


class _Stream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        timeout = _clamp(timeout, httpcore.ReadTimeout)
        return self._stream.read(max(max_bytes, READ_SIZE), timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _clamp(timeout, httpcore.ConnectTimeout)
        return _Stream(self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[_SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _clamp(timeout, httpcore.ConnectTimeout)
        return _Stream(
            self._backend.connect_tcp(
                host, port, timeout, local_address, socket_options
            )
        )

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[_SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _clamp(timeout, httpcore.ConnectTimeout)
        return _Stream(self._backend.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        timeout = _clamp(timeout, httpcore.ReadTimeout)
        return await self._stream.read(max(max_bytes, READ_SIZE), timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        timeout = _clamp(timeout, httpcore.ConnectTimeout)
        stream = await self._stream.start_tls(ssl_context, server_hostname, timeout)
        return _AsyncStream(stream)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class _AsyncBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, backend: httpcore.AsyncNetworkBackend) -> None:
        self._backend = backend

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[_SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        timeout = _clamp(timeout, httpcore.ConnectTimeout)
        stream = await self._backend.connect_tcp(
            host, port, timeout, local_address, socket_options
        )
        return _AsyncStream(stream)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[_SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        timeout = _clamp(timeout, httpcore.ConnectTimeout)
        stream = await self._backend.connect_unix_socket(path, timeout, socket_options)
        return _AsyncStream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def install(transport: httpx.BaseTransport | httpx.AsyncBaseTransport) -> bool:
    """Wrap the network backend of an httpx transport the client built itself.

    httpx has no public way to pass httpcore a network backend, so this reaches for
    the pool's attribute; when it is not there (another httpx), the deadline is still
    checked between reads. Returns whether the backend was wrapped.
    """
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if isinstance(backend, httpcore.NetworkBackend):
        pool._network_backend = _Backend(backend)  # type: ignore[union-attr]
        return True
    if isinstance(backend, httpcore.AsyncNetworkBackend):
        pool._network_backend = _AsyncBackend(backend)  # type: ignore[union-attr]
        return True
    return False
