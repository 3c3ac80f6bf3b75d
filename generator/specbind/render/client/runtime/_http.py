"""The runtime under the generated clients: requests, retries, errors and streams.

``SyncBase`` and ``AsyncBase`` share ``_Base``, which builds requests and maps
responses to errors; they differ only in how they do I/O. The generated ``client``
module adds one attribute per operation group.
"""

from __future__ import annotations

import datetime
import email.utils
import importlib
import json
import logging
import math
import os
import random
import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Generator,
    Iterator,
    Mapping,
)
from types import TracebackType
from typing import Any, ClassVar, Generic, TypeVar

import anyio
import httpx

from . import errors
from ._sse import Event, EventDecoder
from .converters import describe_error
from .models import UNSET, UnsetType

T = TypeVar("T")
Timeout = float | httpx.Timeout | None
ErrorParser = Callable[[str, httpx.Response], "errors.APIError | None"]

# What can go wrong below HTTP: the connection, and decoding a body that arrived
# damaged (bad gzip, say). Both become APIConnectionError, after any retries.
_FAILURES = (httpx.TransportError, httpx.DecodingError)
_Failure = httpx.TransportError | httpx.DecodingError

DEFAULT_TIMEOUT = httpx.Timeout(120.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_DELAY = 60.0

_log = logging.getLogger(__package__)


def _json_codec() -> tuple[Callable[[Any], bytes], Callable[[bytes], Any]]:
    """orjson when it is installed, the standard library when not."""
    try:
        orjson = importlib.import_module("orjson")
    except ImportError:
        return _std_dumps, json.loads

    fast_dumps: Callable[[Any], bytes] = orjson.dumps

    def orjson_dumps(value: Any) -> bytes:
        try:
            return fast_dumps(value)  # typed above: no bytes() call per request
        except TypeError:  # e.g. an int beyond 64 bits, which JSON allows
            return _std_dumps(value)

    return orjson_dumps, orjson.loads


def _std_dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


dumps, loads = _json_codec()


def _seconds(value: str | None, per_second: float = 1.0) -> float | None:
    """A finite number of seconds, or ``None``."""
    if value is None:
        return None
    try:
        seconds = float(value) / per_second
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) else None


def retry_after(headers: httpx.Headers) -> float | None:
    """The wait a response asks for: ``retry-after-ms``, else ``Retry-After``.

    ``Retry-After`` may be seconds or an HTTP date; values that are neither (or not
    finite) are ignored.
    """
    if (millis := _seconds(headers.get("retry-after-ms"), 1000)) is not None:
        return millis
    value = headers.get("retry-after")
    if value is None:
        return None
    if (seconds := _seconds(value)) is not None:
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000": UTC, not the local time
        when = when.replace(tzinfo=datetime.timezone.utc)
    return when.timestamp() - time.time()


def backoff(attempt: int, response: httpx.Response | None) -> float:
    """Exponential backoff with jitter, unless the server said how long to wait."""
    asked = retry_after(response.headers) if response is not None else None
    if asked is not None:
        return min(max(asked, 0.0), MAX_RETRY_DELAY)
    delay: float = min(0.5 * 2**attempt, 8.0)
    return delay * (1 - 0.25 * random.random())


def _problems(exc: Exception) -> list[str]:
    if isinstance(exc, ValueError) and not hasattr(exc, "exceptions"):
        return [f"invalid JSON ({exc}) @ $"]
    return describe_error(exc)


def parse_body(response: httpx.Response, structure: Callable[[Any], T]) -> T:
    """The response body as a model; a body that does not fit raises with its paths."""
    try:
        return structure(loads(response.content))
    except Exception as exc:
        problems = _problems(exc)
        raise errors.ResponseValidationError(
            f"the response does not fit its model: {'; '.join(problems)}",
            status_code=response.status_code,
            headers=response.headers,
            body=response.text,
            errors=problems,
        ) from exc


def parse_event(
    event: Event,
    response: httpx.Response,
    terminator: str | None,
    structure: Callable[[Any], T],
) -> T | None:
    """The item an SSE event carries, or ``None`` for the terminator."""
    if terminator is not None and event.data == terminator:
        return None
    status, headers = response.status_code, response.headers
    if event.event == "error":
        message = f"the server sent an error event: {event.data[:200]}"
        raise errors.StreamError(
            message, status_code=status, headers=headers, body=event.data
        )
    try:
        return structure(loads(event.data.encode()))
    except Exception as exc:
        problems = _problems(exc)
        raise errors.ResponseValidationError(
            f"a stream event does not fit its model: {'; '.join(problems)}",
            status_code=status,
            headers=headers,
            body=event.data,
            errors=problems,
        ) from exc


def _broken_stream(exc: _Failure) -> errors.APIConnectionError:
    if isinstance(exc, httpx.TimeoutException):
        return errors.APITimeoutError(f"the stream timed out ({type(exc).__name__})")
    return errors.APIConnectionError(f"the stream broke off: {type(exc).__name__}")


class _Base:
    """What both clients share: configuration, request building, error mapping."""

    _http: httpx.Client | httpx.AsyncClient
    api_key_env: ClassVar[str | None] = None
    user_agent: ClassVar[str] = "specbind-client"
    error_parsers: ClassVar[Mapping[int, ErrorParser]] = {}

    def __init__(
        self,
        api_key: str | None,
        *,
        server_url: str,
        timeout: Timeout,
        max_retries: int,
    ) -> None:
        if api_key is None and self.api_key_env:
            api_key = os.environ.get(self.api_key_env)
        self._api_key = api_key
        self.server_url = server_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries

    def __repr__(self) -> str:
        return f"{type(self).__name__}(server_url={self.server_url!r})"

    def build_request(
        self,
        method: str,
        path: str,
        body: Any,
        *,
        accept: str,
        timeout: Timeout | UnsetType,
        extra_headers: Mapping[str, str] | None,
    ) -> httpx.Request:
        if not self._api_key:
            where = f" or set {self.api_key_env}" if self.api_key_env else ""
            raise errors.MissingAPIKeyError(
                f"no API key: pass api_key= to the client{where}"
            )
        headers = {
            "Accept": accept,
            "Content-Type": "application/json",
            "User-Agent": self.user_agent,
            **(extra_headers or {}),
            "Authorization": f"Bearer {self._api_key}",
        }
        # The HTTP client's own defaults (headers, cookies) apply under ours; it makes
        # the timeout an httpx.Timeout itself.
        return self._http.build_request(
            method,
            self.server_url + path,
            content=dumps(body),
            headers=headers,
            timeout=self.timeout if timeout is UNSET else timeout,
        )

    def retries(self, max_retries: int | UnsetType) -> int:
        return self.max_retries if max_retries is UNSET else max_retries

    @staticmethod
    def connection_error(
        request: httpx.Request, exc: _Failure
    ) -> errors.APIConnectionError:
        where = f"{request.method} {request.url}"
        if isinstance(exc, httpx.TimeoutException):
            return errors.APITimeoutError(f"{where} timed out ({type(exc).__name__})")
        return errors.APIConnectionError(f"{where} failed ({type(exc).__name__})")

    def retry_delay(
        self,
        request: httpx.Request,
        attempt: int,
        max_retries: int,
        *,
        response: httpx.Response | None = None,
        failure: _Failure | None = None,
    ) -> float:
        """How long to wait before retrying a failed attempt; raises when not to retry.

        The one retry policy of both clients: a connection failure or a status in
        ``RETRY_STATUSES``, while ``max_retries`` lasts.
        """
        if failure is not None and attempt >= max_retries:
            raise self.connection_error(request, failure) from failure
        if response is not None and (
            response.status_code not in RETRY_STATUSES or attempt >= max_retries
        ):
            raise self.status_error(response)
        delay = backoff(attempt, response)
        _log.info(
            "retry %d of %s %s in %.2fs",
            attempt + 1,
            request.method,
            request.url,
            delay,
        )
        return delay

    def status_error(self, response: httpx.Response) -> errors.APIError:
        request = response.request
        message = f"{request.method} {request.url} returned {response.status_code}"
        parser = self.error_parsers.get(response.status_code)
        typed = parser(message, response) if parser else None
        return typed or errors.APIError(
            message,
            status_code=response.status_code,
            headers=response.headers,
            body=response.text,
        )


class SyncBase(_Base):
    _http: httpx.Client

    def __init__(
        self,
        api_key: str | None,
        *,
        server_url: str,
        timeout: Timeout,
        max_retries: int,
        http_client: httpx.Client | None,
    ) -> None:
        super().__init__(
            api_key, server_url=server_url, timeout=timeout, max_retries=max_retries
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client()

    def close(self) -> None:
        """Close the connection pool (unless it was passed in as ``http_client``)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self: T) -> T:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def send(
        self, request: httpx.Request, *, stream: bool, max_retries: int
    ) -> httpx.Response:
        """Send with retries; a non-2xx response raises a typed error."""
        attempt = 0
        while True:
            try:
                response = self._http.send(request, stream=stream)
            except _FAILURES as exc:
                delay = self.retry_delay(request, attempt, max_retries, failure=exc)
            else:
                if response.is_success:
                    return response
                response.read()
                delay = self.retry_delay(
                    request, attempt, max_retries, response=response
                )
            attempt += 1
            time.sleep(delay)


class AsyncBase(_Base):
    _http: httpx.AsyncClient

    def __init__(
        self,
        api_key: str | None,
        *,
        server_url: str,
        timeout: Timeout,
        max_retries: int,
        http_client: httpx.AsyncClient | None,
    ) -> None:
        super().__init__(
            api_key, server_url=server_url, timeout=timeout, max_retries=max_retries
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient()

    async def close(self) -> None:
        """Close the connection pool (unless it was passed in as ``http_client``)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: T) -> T:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def send(
        self, request: httpx.Request, *, stream: bool, max_retries: int
    ) -> httpx.Response:
        """Send with retries; a non-2xx response raises a typed error."""
        attempt = 0
        while True:
            try:
                response = await self._http.send(request, stream=stream)
            except _FAILURES as exc:
                delay = self.retry_delay(request, attempt, max_retries, failure=exc)
            else:
                if response.is_success:
                    return response
                await response.aread()
                delay = self.retry_delay(
                    request, attempt, max_retries, response=response
                )
            attempt += 1
            await anyio.sleep(delay)


class Stream(Generic[T]):
    """The items of a server-sent event stream, iterated once.

    Use it as a context manager to close the connection when leaving early.
    """

    def __init__(
        self,
        response: httpx.Response,
        structure: Callable[[Any], T],
        terminator: str | None,
    ) -> None:
        self.response = response
        self._items = self._iterate(structure, terminator)

    def __iter__(self) -> Iterator[T]:
        return self._items

    def __next__(self) -> T:
        return next(self._items)

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._items.close()
        self.response.close()

    def _iterate(
        self, structure: Callable[[Any], T], terminator: str | None
    ) -> Generator[T, None, None]:
        decoder = EventDecoder()
        try:
            for chunk in self.response.iter_bytes():
                for event in decoder.feed(chunk):
                    item = parse_event(event, self.response, terminator, structure)
                    if item is None:
                        return
                    yield item
            decoder.close()
        except _FAILURES as exc:
            raise _broken_stream(exc) from exc
        finally:
            self.response.close()


class AsyncStream(Generic[T]):
    """The items of a server-sent event stream, async-iterated once.

    Use it as an async context manager to close the connection when leaving early.
    """

    def __init__(
        self,
        response: httpx.Response,
        structure: Callable[[Any], T],
        terminator: str | None,
    ) -> None:
        self.response = response
        self._items = self._iterate(structure, terminator)

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items

    async def __anext__(self) -> T:
        return await self._items.__anext__()

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self._items.aclose()
        await self.response.aclose()

    async def _iterate(
        self, structure: Callable[[Any], T], terminator: str | None
    ) -> AsyncGenerator[T, None]:
        decoder = EventDecoder()
        try:
            async for chunk in self.response.aiter_bytes():
                for event in decoder.feed(chunk):
                    item = parse_event(event, self.response, terminator, structure)
                    if item is None:
                        return
                    yield item
            decoder.close()
        except _FAILURES as exc:
            raise _broken_stream(exc) from exc
        finally:
            await self.response.aclose()
