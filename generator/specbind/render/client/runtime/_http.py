"""The runtime under the generated clients: requests, retries, errors and streams.

``SyncBase`` and ``AsyncBase`` share ``_Base``, which builds requests and maps
responses to errors; they differ only in how they do I/O. The generated ``client``
module adds one attribute per operation group.

Each call has one deadline (``timeout=``) covering connecting, waiting for a pooled
connection, every read and write, every retry and every backoff sleep; a stream's
deadline runs until its first item, then the same time is allowed between items.
"""

from __future__ import annotations

import datetime
import email.utils
import functools
import importlib
import json
import logging
import math
import os
import random
import re
import time
import urllib.parse
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Mapping,
)
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import anyio
import httpx

from . import _deadline, errors
from ._body import Inflater, inflater
from ._deadline import DEADLINE
from ._forms import FormBody
from ._sse import Event, EventDecoder, EventTooLargeError
from .models import UNSET, UnsetType

T = TypeVar("T")
E = TypeVar("E", bound="errors.APIError")
Timeout = float | httpx.Timeout | None
ErrorParser = Callable[[str, httpx.Response], "errors.APIError | None"]
# The 2xx bodies ``send`` leaves unread for the caller: all (True), none, or by status.
Unread = bool | frozenset[int]

# What can go wrong below HTTP: the connection, and decoding a body that arrived
# damaged (bad gzip, say). Both become APIConnectionError, after any retries.
_FAILURES = (httpx.TransportError, httpx.DecodingError)
_Failure = httpx.TransportError | httpx.DecodingError
# Failures before the request left: it may be sent again, whatever its method.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

DEFAULT_TIMEOUT = httpx.Timeout(120.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_MAX_RESPONSE_SIZE = 64 * 1024 * 1024
DEFAULT_MAX_EVENT_SIZE = 4 * 1024 * 1024
DEFAULT_MAX_CONNECTIONS = 100
# The statuses retried; of them, these say the server did not act on the request, so
# even a POST may be sent again. The others only with ``retry_non_idempotent``.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
UNPROCESSED_STATUSES = frozenset({429, 503})
# What a path parameter's value keeps as is: what httpx (and so the official SDK) leaves
# unescaped in a path, less "/" (a value is one segment) and "%" (a value's "%41" is
# three characters, not an escape); "?" and "#" are escaped as httpx never is asked to.
_SEGMENT_SAFE = "!$&'()*+,;=" + '`{}|^\\"' + ":[]@"
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
MAX_RETRY_DELAY = 60.0
# An error body is read up to this size (the rest is dropped); errors keep an excerpt.
ERROR_BODY_LIMIT = 1024 * 1024
BODY_EXCERPT = 2000

_log = logging.getLogger(__package__)

if TYPE_CHECKING:

    def new_instance(cls: type[T]) -> T: ...

else:
    # A model instance with no field set yet, for code that sets every field itself
    # (a model has no validators, converters or hooks): no ``__init__`` call.
    new_instance = object.__new__


def _json_codec() -> tuple[Callable[[Any], bytes], Callable[[bytes | str], Any]]:
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


def json_text(value: Any, *, ascii_only: bool = False) -> str:
    """A ``style: json`` parameter's value: its compact JSON text, as a body's; for a
    header, with every character beyond ASCII escaped (a header value is ASCII)."""
    if ascii_only:
        return json.dumps(value, separators=(",", ":"))
    return dumps(value).decode()


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


# orjson reads an integer beyond 64 bits as a float (JSON sets no bound on them), so
# a body that does not fit its model is read again, exactly, by the standard library
# when it holds a number that long. Only the failing path pays for the search.
_LONG_NUMBER = re.compile(r"\d{19}")


def _exactly(data: bytes | str, structure: Callable[[Any], T]) -> T | None:
    """``data`` structured from the standard library's reading, when orjson's may have
    turned a long integer into a float; ``None`` when that does not help."""
    if loads is json.loads:
        return None
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    if _LONG_NUMBER.search(text) is None:
        return None
    try:
        return structure(json.loads(text))
    except Exception:
        return None


# How orjson refuses a document nested more than 1,024 levels (it has no exception
# type of its own for it); the standard library's json raises RecursionError.
_ORJSON_TOO_DEEP = "depth limit exceeded"


def _problems(exc: Exception) -> list[str]:
    if isinstance(exc, ValueError) and str(exc).startswith(_ORJSON_TOO_DEEP):
        # Deeper than the decoder goes is deeper than the converters' limit: the
        # same message as the standard library's RecursionError gets.
        exc = RecursionError(str(exc))
    if isinstance(exc, ValueError) and not hasattr(exc, "exceptions"):
        return [f"invalid JSON ({exc}) @ $"]
    # Imported here: the client imports the converters on first use, not with itself.
    from .converters import describe_error

    return describe_error(exc)


_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_FIELD_VALUE = re.compile(r"[\t\x20-\x7e]*")
_BEARER = re.compile(r"\bBearer\s+[^\s\"',;\\]+", re.IGNORECASE)


def _redact(text: str, request: httpx.Request) -> str:
    """The text without the request's key (a server may echo the request headers)."""
    token = request.headers.get(_Call.of(request).key_header, "")
    token = token.removeprefix("Bearer ").strip()
    if token and token in text:
        text = text.replace(token, "[redacted]")
    return _BEARER.sub("Bearer [redacted]", text)


def scrubbed(error: E, request: httpx.Request) -> E:
    """The error with the key redacted from its message and body, and a short body."""
    body = _redact(error.body, request)
    if len(body) > BODY_EXCERPT:
        body = f"{body[:BODY_EXCERPT]}… ({len(body)} characters in all)"
    error.body = body
    error.args = tuple(
        _redact(arg, request) if isinstance(arg, str) else arg for arg in error.args
    )
    return error


def parse_body(response: httpx.Response, structure: Callable[[Any], T]) -> T:
    """The response body as a model; a body that does not fit raises with its paths."""
    try:
        return structure(loads(response.content))
    except Exception as exc:
        if (exact := _exactly(response.content, structure)) is not None:
            return exact
        problems = _problems(exc)
        error = errors.ResponseValidationError(
            f"the response does not fit its model: {'; '.join(problems)}",
            status_code=response.status_code,
            headers=response.headers,
            body=response.text,
            errors=problems,
        )
    raise scrubbed(error, response.request)  # outside ``except``: nothing chained


def error_body(response: httpx.Response, structure: Callable[[Any], T]) -> T | None:
    """An error response's body as its model; ``None`` when it does not fit."""
    try:
        return structure(loads(response.content))
    except Exception:
        return _exactly(response.content, structure)


def unexpected_status(
    response: httpx.Response, expected: Iterable[int]
) -> errors.ResponseValidationError:
    """A 2xx status the method does not list: its body's meaning is unknown."""
    wanted = ", ".join(map(str, expected))
    problem = f"status {response.status_code} is none of {wanted} @ status"
    error = errors.ResponseValidationError(
        f"{response.request.method} {response.request.url} returned "
        f"{response.status_code}, a status the API does not document "
        f"(expected {wanted})",
        status_code=response.status_code,
        headers=response.headers,
        body=response.text,
        errors=[problem],
    )
    return scrubbed(error, response.request)


def parse_event(
    event: Event,
    response: httpx.Response,
    terminator: str | None,
    structure: Callable[[Any, Event], T],
) -> T | None:
    """The item an SSE event carries, or ``None`` for the terminator."""
    if terminator is not None and event.data == terminator:
        return None
    status, headers = response.status_code, response.headers
    if event.event == "error":
        message = f"the server sent an error event: {event.data[:200]}"
        raise scrubbed(
            errors.StreamError(
                message, status_code=status, headers=headers, body=event.data
            ),
            response.request,
        )
    try:
        return structure(loads(event.data), event)  # a str: no copy into bytes
    except Exception as exc:
        exact = _exactly(event.data, lambda data: structure(data, event))
        if exact is not None:
            return exact
        problems = _problems(exc)
        error = errors.ResponseValidationError(
            f"a stream event does not fit its model: {'; '.join(problems)}",
            status_code=status,
            headers=headers,
            body=event.data,
            errors=problems,
        )
    raise scrubbed(error, response.request)


def _broken_stream(exc: _Failure) -> errors.APIConnectionError:
    if isinstance(exc, httpx.TimeoutException):
        return errors.APITimeoutError(f"the stream timed out ({type(exc).__name__})")
    return errors.APIConnectionError(f"the stream broke off: {type(exc).__name__}")


def _too_large(response: httpx.Response, what: str) -> errors.ResponseTooLargeError:
    return errors.ResponseTooLargeError(
        f"{response.request.method} {response.request.url}: {what}; stopped reading",
        status_code=response.status_code,
        headers=response.headers,
        body="",
    )


def _ended(decoder: EventDecoder, terminator: str | None) -> None:
    """At the end of a stream: raise unless it ended where it should."""
    if decoder.in_event:
        raise errors.APIConnectionError("the stream ended in the middle of an event")
    if terminator is not None:
        raise errors.APIConnectionError(f"the stream ended before {terminator!r}")


def segment(value: str) -> str:
    """A path parameter's text as one percent-encoded path segment.

    "." and ".." are escaped too: httpx (as RFC 3986 says) would remove them and the
    segment before them."""
    if value in (".", ".."):
        return value.replace(".", "%2E")
    return urllib.parse.quote(value, safe=_SEGMENT_SAFE)


@functools.lru_cache(maxsize=512)
def _url(text: str) -> httpx.URL:
    """``httpx.URL(text)``, made once a URL: httpx parses a URL string anew (in
    Python, character by character) for each request, and a URL object not."""
    return httpx.URL(text)


def _budget(timeout: Timeout) -> float | None:
    """A call's time in seconds: a number, or an ``httpx.Timeout``'s longest phase."""
    if not isinstance(timeout, httpx.Timeout):
        return timeout
    phases = (timeout.connect, timeout.read, timeout.write, timeout.pool)
    if any(phase is None for phase in phases):
        return None
    return max(phase for phase in phases if phase is not None)


class _Call:
    """What a call carries on its request (``request.extensions``) for its I/O."""

    __slots__ = (
        "budget",
        "deadline",
        "error_parsers",
        "key_header",
        "max_event_size",
        "phases",
        "replayable",
    )

    KEY: ClassVar[str] = "specbind.call"

    def __init__(self, budget: float | None, max_event_size: int) -> None:
        self.budget = budget
        self.deadline: float | None = None
        self.max_event_size = max_event_size
        self.phases: dict[str, float | None] = {}
        # False when the body streams a file that cannot be read again from its start.
        self.replayable = True
        # The header the API key travels in: its value is redacted from errors.
        self.key_header = "authorization"
        # The typed errors of the call's method, by status: what its operation lists.
        self.error_parsers: Mapping[int, ErrorParser] = {}

    @classmethod
    def of(cls, request: httpx.Request) -> _Call:
        call = request.extensions.get(cls.KEY)
        return call if isinstance(call, _Call) else _Call(None, DEFAULT_MAX_EVENT_SIZE)

    def start(self, request: httpx.Request) -> None:
        self.phases = dict(request.extensions.get("timeout") or {})
        if self.budget is not None:
            self.deadline = time.monotonic() + self.budget

    def shorten(self, request: httpx.Request) -> None:
        """Cap the request's httpx timeouts (the pool wait too) at the time left."""
        if self.deadline is not None:
            # Past the deadline, the next socket operation raises a timeout.
            left = max(self.deadline - time.monotonic(), 0.001)
            request.extensions["timeout"] = {
                name: left if value is None else min(value, left)
                for name, value in self.phases.items()
            }


class _Collector:
    """A body's decoded bytes, up to ``limit``: more raises, or is cut when ``cut``."""

    def __init__(self, response: httpx.Response, limit: int, *, cut: bool) -> None:
        self._response = response
        self._limit = limit
        self._cut = cut
        self._parts: list[bytes] = []
        self._size = 0
        self.inflater = inflater(response.headers)

    def add(self, chunk: bytes) -> bool:
        """Take a chunk (raw, or decoded when ``inflater`` is None); True when full."""
        for piece in _pieces(self.inflater, chunk):
            self._size += len(piece)
            if self._size > self._limit:
                if not self._cut:
                    limit = f"the body exceeds the limit of {self._limit} bytes"
                    raise _too_large(self._response, limit)
                self._parts.append(piece[: len(piece) - (self._size - self._limit)])
                return True
            self._parts.append(piece)
        _deadline.check()
        return False

    def finish(self) -> None:
        self._response._content = b"".join(self._parts)


def _pieces(inflating: Inflater | None, chunk: bytes) -> Iterable[bytes]:
    return (chunk,) if inflating is None else inflating.pieces(chunk)


def body_pieces(response: httpx.Response) -> Iterator[bytes]:
    """A streamed body as it arrives, decoded (gzip and deflate inflated in bounded
    pieces): what event streams and binary responses read."""
    inflating = inflater(response.headers)
    if inflating is None:
        yield from response.iter_bytes()
        return
    for chunk in response.iter_raw():
        yield from inflating.pieces(chunk)


async def async_body_pieces(response: httpx.Response) -> AsyncIterator[bytes]:
    """``body_pieces`` of an async response."""
    inflating = inflater(response.headers)
    if inflating is None:
        async for chunk in response.aiter_bytes():
            yield chunk
        return
    async for chunk in response.aiter_raw():
        for piece in inflating.pieces(chunk):
            yield piece


def _check_headers(headers: Mapping[str, str]) -> None:
    """Refuse what HTTP cannot carry before httpx sees it: its errors (and httpcore's
    DEBUG log) would quote the value."""
    for name, value in headers.items():
        if not _TOKEN.fullmatch(name):
            raise errors.ClientError("extra_headers has a name HTTP does not allow")
        if not _FIELD_VALUE.fullmatch(value):
            raise errors.ClientError(
                f"extra_headers[{name!r}] has a character an HTTP header cannot carry"
            )


def _checked_key(key: str | None) -> str | None:
    """The key without surrounding white space; one a header cannot carry raises.

    The error says where the bad character is, never what the key is.
    """
    if key is None:
        return None
    key = key.strip()
    for index, char in enumerate(key):
        if not "\x21" <= char <= "\x7e":
            raise errors.InvalidAPIKeyError(
                "the API key cannot be sent in an HTTP header: character "
                f"{index + 1} of {len(key)} is not printable ASCII"
            )
    return key


class _Base:
    """What both clients share: configuration, request building, error mapping."""

    _http: httpx.Client | httpx.AsyncClient
    api_key_env: ClassVar[str | None] = None
    # The header that carries the key as it is; None: ``Authorization: Bearer KEY``.
    api_key_header: ClassVar[str | None] = None
    user_agent: ClassVar[str] = "specbind-client"

    def __init__(
        self,
        api_key: str | None,
        *,
        server_url: str,
        timeout: Timeout,
        max_retries: int,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
        retry_non_idempotent: bool = False,
    ) -> None:
        if api_key is None and self.api_key_env:
            api_key = os.environ.get(self.api_key_env)
        self._api_key = _checked_key(api_key)
        self.server_url = server_url.rstrip("/")
        self.timeout = timeout  # the property: it keeps the call budget too
        self.max_retries = max_retries
        self.max_response_size = max_response_size
        self.max_event_size = max_event_size
        self.retry_non_idempotent = retry_non_idempotent

    def __repr__(self) -> str:
        return f"{type(self).__name__}(server_url={self.server_url!r})"

    @property
    def timeout(self) -> Timeout:
        """Each call's deadline, unless the call gives its own ``timeout=``."""
        return self._timeout

    @timeout.setter
    def timeout(self, timeout: Timeout) -> None:
        self._timeout = timeout
        # Once, not per call: the budget, and the phases httpx would make of it.
        self._budget = _budget(timeout)
        self._phases = httpx.Timeout(timeout).as_dict()

    @staticmethod
    def _limits(max_connections: int) -> httpx.Limits:
        return httpx.Limits(
            max_connections=max_connections,
            max_keepalive_connections=min(20, max_connections),
        )

    def _install_deadline(self) -> None:
        """Enforce deadlines on every socket operation of the pool the client owns."""
        # httpx's own attributes, looked up with care: another httpx may lack them.
        mounts: dict[Any, Any] = getattr(self._http, "_mounts", {})
        for transport in (getattr(self._http, "_transport", None), *mounts.values()):
            if transport is not None:
                _deadline.install(transport)

    def build_request(
        self,
        method: str,
        path: str,
        body: Any,
        *,
        accept: str,
        timeout: Timeout | UnsetType,
        extra_headers: Mapping[str, str] | None,
        query: list[tuple[str, str]] | None = None,
        header_params: Mapping[str, str] | None = None,
        error_parsers: Mapping[int, ErrorParser] | None = None,
    ) -> httpx.Request:
        """The request; ``body`` is the JSON value to send, a ``FormBody`` (multipart or
        form), or ``None`` for no body (and no Content-Type). ``error_parsers`` make
        the typed errors of the statuses the method lists; others raise ``APIError``."""
        if not self._api_key:
            where = f" or set {self.api_key_env}" if self.api_key_env else ""
            raise errors.MissingAPIKeyError(
                f"no API key: pass api_key= to the client{where}"
            )
        headers = {"Accept": accept, "User-Agent": self.user_agent}
        form = body if isinstance(body, FormBody) else None
        if body is not None and form is None:
            headers["Content-Type"] = "application/json"
        if header_params:
            _check_headers(header_params)
            headers.update(header_params)
        # One key for every attempt of the call, so a server can drop repeats: 128
        # random bits, as hex (a UUID object would cost more than the rest of this).
        if method not in IDEMPOTENT_METHODS and not (
            extra_headers and any(k.lower() == "idempotency-key" for k in extra_headers)
        ):
            headers["Idempotency-Key"] = os.urandom(16).hex()
        if extra_headers:
            _check_headers(extra_headers)
            headers.update(extra_headers)
        # extra_headers never replace the key, whatever the case of their names (the
        # headers set above are none the key may be sent in).
        key_header = self.api_key_header or "Authorization"
        if header_params or extra_headers:
            for name in [n for n in headers if n.lower() == key_header.lower()]:
                del headers[name]
        if self.api_key_header is None:
            headers["Authorization"] = f"Bearer {self._api_key}"
        else:
            headers[key_header] = self._api_key
        if timeout is UNSET:
            budget, phases = self._budget, self._phases
        else:
            budget, phases = _budget(timeout), httpx.Timeout(timeout).as_dict()
        call = _Call(budget, self.max_event_size)
        call.replayable = form is None or form.replayable
        call.key_header = self.api_key_header or "authorization"
        if error_parsers:
            call.error_parsers = error_parsers
        # The HTTP client's own defaults (headers, cookies) apply under ours; the
        # timeout goes in as the phases httpx would make of it.
        # httpx writes a form's Content-Type (a multipart one with its boundary).
        return self._http.build_request(
            method,
            _url(self.server_url + path),
            content=None if body is None or form else dumps(body),
            data=form.data if form else None,
            files=form.files if form else None,
            params=tuple(query) if query else None,
            headers=headers,
            extensions={"timeout": phases, _Call.KEY: call},
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

    def _may_resend(self, request: httpx.Request) -> bool:
        return self.retry_non_idempotent or request.method in IDEMPOTENT_METHODS

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

        The one retry policy of both clients, while ``max_retries`` lasts and the
        call's deadline leaves time for the wait: a failure before the request was
        sent, or a status in ``UNPROCESSED_STATUSES``; when the request may be sent
        twice (an idempotent method, or ``retry_non_idempotent``), also any other
        connection failure and any status in ``RETRY_STATUSES``.
        """
        if isinstance(failure, httpx.LocalProtocolError):
            # Our request is malformed (a header, say): sending it again cannot help,
            # and httpx's message holds the header's value.
            raise errors.ClientError(
                f"{request.method} {request.url} was not sent: a header is malformed"
            ) from None
        # A body that cannot be sent again whole (a file that cannot seek back) is
        # sent once; only a request that never left may be tried again.
        replayable = _Call.of(request).replayable
        if failure is not None and not (
            attempt < max_retries
            and (
                isinstance(failure, _NOT_SENT)
                or (replayable and self._may_resend(request))
            )
        ):
            raise self.connection_error(request, failure) from failure
        if response is not None and not (
            attempt < max_retries
            and replayable
            and response.status_code in RETRY_STATUSES
            and (
                response.status_code in UNPROCESSED_STATUSES
                or self._may_resend(request)
            )
        ):
            raise self.status_error(response)
        delay = backoff(attempt, response)
        left = _Call.of(request).deadline
        if left is not None and time.monotonic() + delay >= left:
            # No time left to wait and try again: fail as without retries.
            if failure is not None:
                raise self.connection_error(request, failure) from failure
            if response is not None:
                raise self.status_error(response)
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
        parser = _Call.of(request).error_parsers.get(response.status_code)
        typed = parser(message, response) if parser else None
        error = typed or errors.APIError(
            message,
            status_code=response.status_code,
            headers=response.headers,
            body=response.text,
        )
        return scrubbed(error, request)

    def _collector(self, response: httpx.Response, stream: Unread) -> _Collector | None:
        """How to read the body of an attempt: ``None`` leaves a 2xx stream unread."""
        if response.is_success:
            if stream is True or (
                not isinstance(stream, bool) and response.status_code in stream
            ):
                return None
            return _Collector(response, self.max_response_size, cut=False)
        return _Collector(response, ERROR_BODY_LIMIT, cut=True)


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
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
        retry_non_idempotent: bool = False,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        super().__init__(
            api_key,
            server_url=server_url,
            timeout=timeout,
            max_retries=max_retries,
            max_response_size=max_response_size,
            max_event_size=max_event_size,
            retry_non_idempotent=retry_non_idempotent,
        )
        self._owns_http = http_client is None
        if http_client is None:
            self._http = httpx.Client(limits=self._limits(max_connections))
            self._install_deadline()
        else:
            self._http = http_client

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
        self, request: httpx.Request, *, stream: Unread, max_retries: int
    ) -> httpx.Response:
        """Send with retries in the call's deadline; non-2xx raises a typed error."""
        call = _Call.of(request)
        call.start(request)
        token = DEADLINE.set(call.deadline)
        try:
            attempt = 0
            while True:
                call.shorten(request)
                outcome = self._attempt(request, stream)
                if isinstance(outcome, httpx.Response):
                    if outcome.is_success:
                        return outcome
                    delay = self.retry_delay(
                        request, attempt, max_retries, response=outcome
                    )
                else:
                    delay = self.retry_delay(
                        request, attempt, max_retries, failure=outcome
                    )
                attempt += 1
                time.sleep(delay)
        finally:
            DEADLINE.reset(token)

    def _attempt(
        self, request: httpx.Request, stream: Unread
    ) -> httpx.Response | _Failure:
        """One attempt: the response (body read unless a 2xx stream), or a failure."""
        try:
            response = self._http.send(request, stream=True)
        except _FAILURES as exc:
            return exc
        try:
            collector = self._collector(response, stream)
            if collector is not None:
                chunks = (
                    response.iter_bytes()
                    if collector.inflater is None
                    else response.iter_raw()
                )
                for chunk in chunks:
                    if collector.add(chunk):
                        break
                collector.finish()
                response.close()
        except _FAILURES as exc:
            response.close()
            return exc
        except BaseException:
            response.close()
            raise
        return response


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
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
        retry_non_idempotent: bool = False,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        super().__init__(
            api_key,
            server_url=server_url,
            timeout=timeout,
            max_retries=max_retries,
            max_response_size=max_response_size,
            max_event_size=max_event_size,
            retry_non_idempotent=retry_non_idempotent,
        )
        self._owns_http = http_client is None
        if http_client is None:
            self._http = httpx.AsyncClient(limits=self._limits(max_connections))
            self._install_deadline()
        else:
            self._http = http_client

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
        self, request: httpx.Request, *, stream: Unread, max_retries: int
    ) -> httpx.Response:
        """Send with retries in the call's deadline; non-2xx raises a typed error."""
        call = _Call.of(request)
        call.start(request)
        token = DEADLINE.set(call.deadline)
        try:
            attempt = 0
            while True:
                call.shorten(request)
                outcome = await self._attempt(request, stream)
                if isinstance(outcome, httpx.Response):
                    if outcome.is_success:
                        return outcome
                    delay = self.retry_delay(
                        request, attempt, max_retries, response=outcome
                    )
                else:
                    delay = self.retry_delay(
                        request, attempt, max_retries, failure=outcome
                    )
                attempt += 1
                await anyio.sleep(delay)
        finally:
            DEADLINE.reset(token)

    async def _attempt(
        self, request: httpx.Request, stream: Unread
    ) -> httpx.Response | _Failure:
        """One attempt: the response (body read unless a 2xx stream), or a failure."""
        try:
            response = await self._http.send(request, stream=True)
        except _FAILURES as exc:
            return exc
        try:
            collector = self._collector(response, stream)
            if collector is not None:
                chunks = (
                    response.aiter_bytes()
                    if collector.inflater is None
                    else response.aiter_raw()
                )
                async for chunk in chunks:
                    if collector.add(chunk):
                        break
                collector.finish()
                await response.aclose()
        except _FAILURES as exc:
            await response.aclose()
            return exc
        except BaseException:
            await response.aclose()
            raise
        return response


def _events(
    response: httpx.Response,
    structure: Callable[[Any, Event], T],
    terminator: str | None,
    clock: _StreamClock,
) -> Generator[T | None, None, None]:
    """The items of a stream, after a first ``None``.

    It holds no reference to its ``Stream``: an abandoned stream is freed (and its
    connection released) at once by reference counting, never later by the garbage
    collector inside httpcore, which may hold the pool's lock then.

    The deadline is set around each read, not each item: the items of a chunk
    already read wait on nothing. It moves on when an item has been taken since the
    last read (the generator resumes when the next one is asked for), so a chunk
    that completes no item leaves it where it was, and it is checked between reads.
    """
    decoder = EventDecoder(_Call.of(response.request).max_event_size)
    pieces = body_pieces(response)
    try:
        yield None  # where ``Stream`` starts it: from then on, freeing it closes
        deadline = clock.next_deadline()
        while True:
            token = DEADLINE.set(deadline)
            try:
                piece = next(pieces, None)
            finally:
                DEADLINE.reset(token)
            if piece is None:
                break
            delivered = False
            for event in decoder.feed(piece):
                data = event[0]  # by index: a named tuple's field is a descriptor call
                if event[1] != "error" and data != terminator:
                    try:
                        item = structure(loads(data), event)
                    except Exception:
                        item = None
                else:
                    item = None
                if item is None:  # parse_event says what is wrong, or ends
                    item = parse_event(event, response, terminator, structure)
                    if item is None:
                        return
                yield item
                delivered = True
            if delivered:
                deadline = clock.next_deadline()
                continue
            token = DEADLINE.set(deadline)
            try:
                _deadline.check()
            finally:
                DEADLINE.reset(token)
        _ended(decoder, terminator)
    except _FAILURES as exc:
        raise _broken_stream(exc) from exc
    except EventTooLargeError as exc:
        raise _too_large(response, str(exc)) from None
    finally:
        response.close()


async def _async_events(
    response: httpx.Response,
    structure: Callable[[Any, Event], T],
    terminator: str | None,
) -> AsyncGenerator[T, None]:
    """The items of an async stream (see ``_events``)."""
    decoder = EventDecoder(_Call.of(response.request).max_event_size)
    try:
        async for piece in async_body_pieces(response):
            for event in decoder.feed(piece):
                item = parse_event(event, response, terminator, structure)
                if item is None:
                    return
                yield item
            _deadline.check()
        _ended(decoder, terminator)
    except _FAILURES as exc:
        raise _broken_stream(exc) from exc
    except EventTooLargeError as exc:
        raise _too_large(response, str(exc)) from None
    finally:
        await response.aclose()


class _StreamClock:
    """A stream's deadline: the call's until the first item, then the call's time
    again for each next item."""

    def __init__(self, response: httpx.Response) -> None:
        call = _Call.of(response.request)
        self._budget = call.budget
        self._deadline = call.deadline
        self._first = True

    def next_deadline(self) -> float | None:
        if self._first:
            self._first = False
            return self._deadline
        return None if self._budget is None else time.monotonic() + self._budget


class Stream(Generic[T]):
    """The items of a server-sent event stream, iterated once.

    Use it as a context manager to close the connection when leaving early; a stream
    dropped without closing closes its connection when it is freed.
    """

    def __init__(
        self,
        response: httpx.Response,
        structure: Callable[[Any, Event], T],
        terminator: str | None,
    ) -> None:
        self.response = response
        self._items = _events(response, structure, terminator, _StreamClock(response))
        next(self._items)

    def __iter__(self) -> Iterator[T]:
        # The generator itself: a ``for`` loop then makes no call of ours per item.
        return self._items  # type: ignore[return-value]  # None only first

    def __next__(self) -> T:
        return next(self._items)  # type: ignore[return-value]  # None only first

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._items.close()
        self.response.close()


class AsyncStream(Generic[T]):
    """The items of a server-sent event stream, async-iterated once.

    Use it as an async context manager to close the connection when leaving early.
    """

    def __init__(
        self,
        response: httpx.Response,
        structure: Callable[[Any, Event], T],
        terminator: str | None,
    ) -> None:
        self.response = response
        self._clock = _StreamClock(response)
        self._items = _async_events(response, structure, terminator)

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        token = DEADLINE.set(self._clock.next_deadline())
        try:
            return await self._items.__anext__()
        finally:
            DEADLINE.reset(token)

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self._items.aclose()
        await self.response.aclose()
