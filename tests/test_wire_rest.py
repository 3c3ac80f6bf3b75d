"""The whole Mistral API on the wire, against the official SDK (``mistralai==1.2.0``,
run by ``nox -s wire``).

The package is the committed ``generated/mistral``, generated from ``spec/mistral.yaml``
(imported from Mistral's document of 2024-11-07). For every method, and random
arguments drawn from the spec's own models, both clients must send the same method,
path, query pairs, the headers that matter and body (JSON, or multipart parts); and
parse the same random valid reply (or stream of events) into equal values. For error
replies (a 422 ``HTTPValidationError``, or any 4xx/5xx body of another shape) both
must raise errors that carry the same status, parsed body and raw body. Each of these
runs with the sync clients and with the async ones (the SDK's ``*_async`` twins).
"""

from __future__ import annotations

import asyncio
import datetime
import email.parser
import email.policy
import io
import json
import os
import tracemalloc
import urllib.parse
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import attrs
import httpx
import mistral
import mistralai
import pydantic
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mistral import errors, models
from mistral._forms import param_text
from mistral._http import BODY_EXCERPT

from specbind import ir
from specbind.resolve import load_api

from .conftest import REFERENCE, ROOT
from .server import LoopbackServer, Recorded, Reply, sse
from .strategies import Instances

pytestmark = [
    pytest.mark.wire,
    pytest.mark.filterwarnings(
        "ignore:Accessing the 'model_fields':DeprecationWarning"
    ),
]

API = load_api(ROOT / "spec" / "mistral.yaml")
DOCUMENT = REFERENCE / "mistral-openapi-2024-11-07.yaml"
KEY = "sk-wire-test"
EXAMPLES = 15
# Path values: any text but the four characters the SDK leaves raw and so breaks the
# path with ("/" a segment, "?" the query, "#" a fragment, "%41" an escape), and the
# control characters httpx refuses in the SDK's raw path (ours are escaped).
# "." and ".." too: httpx removes such a segment from the SDK's path (ours escapes it).
SEGMENT = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="/?#%"),
    min_size=1,
    max_size=24,
).filter(lambda value: value not in (".", ".."))
# File names as both clients hand them to httpx (the SDK refuses an empty one).
FILE_NAMES = st.text(
    st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=24
)
FILE_PART = st.tuples(
    FILE_NAMES,
    st.binary(max_size=3000),
    st.none()
    | st.sampled_from(["application/jsonl", "text/plain", "application/octet-stream"]),
)


def walk(
    groups: tuple[ir.Group, ...], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ir.Method]]:
    for group in groups:
        for method in group.methods:
            yield ".".join((*prefix, group.name, method.name)), method
        yield from walk(group.groups, (*prefix, group.name))


TWO = "ChatClassificationRequestInputsTwo"


class Values(Instances):
    """Valid values as both clients build them: a field with a default is left out
    (an SDK model fills it in) rather than ``UNSET``; a member of a tagged union
    always has its tag (the SDK needs it, as the document's discriminator says); JSON
    numbers are finite; and the chats to classify are one chat (SDK 1.2.0 cannot send
    a list of chats: its discriminator of the first variant raises on a list)."""

    def model(self, model: ir.Model) -> st.SearchStrategy[Any]:
        tags = {
            union.discriminator
            for union in self.api.unions
            if union.discriminator
            and ir.NamedType(model.name, "model") in union.variants
        }
        always, sometimes = {}, {}
        for f in model.fields:
            if f.wire_name in tags:
                always[f.python_name] = self.field(attrs.evolve(f, required=True))
            elif f.has_default:
                sometimes[f.python_name] = self.field(attrs.evolve(f, required=True))
            else:
                always[f.python_name] = self.field(f)
        cls = getattr(self.models, model.name)
        return st.fixed_dictionaries(always, optional=sometimes).map(
            lambda kwargs: cls(**kwargs)
        )

    def type(self, type_: ir.TypeExpr) -> st.SearchStrategy[Any]:
        if type_ == ir.PrimitiveType("any"):
            return FINITE_JSON
        if type_ == ir.NamedType("ChatClassificationRequestInputs", "union"):
            return st.lists(self.named("One"), max_size=3)
        return super().type(type_)


FINITE_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3)
    ),
    max_leaves=8,
)


METHODS = dict(walk(API.groups))
INSTANCES = Values(API, models)


def test_every_operation_of_the_document_is_a_method() -> None:
    """The 26 operations of the document, as SDK 1.2.0's 29 methods (the three
    completions also stream)."""
    document = yaml.safe_load(DOCUMENT.read_text("utf-8"))
    operations = {
        (verb.upper(), path)
        for path, item in document["paths"].items()
        for verb in item
        if verb in ("get", "put", "post", "delete", "patch")
    }
    assert len(operations) == 26
    assert {(m.http_method, m.path) for m in METHODS.values()} == operations
    assert sorted(METHODS) == sorted(
        [
            *("chat.complete", "chat.stream", "fim.complete", "fim.stream"),
            *("agents.complete", "agents.stream", "embeddings.create"),
            *("classifiers.moderate", "classifiers.moderate_chat"),
            *(f"files.{m}" for m in ("upload", "list", "retrieve", "delete")),
            "files.download",
            *(f"models.{m}" for m in ("list", "retrieve", "delete", "update")),
            *("models.archive", "models.unarchive"),
            *(f"fine_tuning.jobs.{m}" for m in ("list", "create", "get", "cancel")),
            "fine_tuning.jobs.start",
            *(f"batch.jobs.{m}" for m in ("list", "create", "get", "cancel")),
        ]
    )
    for name in METHODS:
        assert callable(attribute(mistralai.Mistral(api_key=KEY), name)), name


def attribute(root: Any, dotted: str) -> Any:
    for name in dotted.split("."):
        root = getattr(root, name)
    return root


def argument(
    parameter_field: ir.Field, location: str, method: ir.Method
) -> st.SearchStrategy[Any]:
    if location == "path" and parameter_field.type == ir.PrimitiveType("str"):
        return SEGMENT
    if parameter_field.type == ir.PrimitiveType("bytes"):
        return FILE_PART
    if location == "query" and isinstance(parameter_field.type, ir.DictType):
        return query_dict(parameter_field, method)
    return INSTANCES.field(parameter_field)


def query_dict(parameter_field: ir.Field, method: ir.Method) -> st.SearchStrategy[Any]:
    """A dict sent in the query, exploded: its keys are never another parameter's name
    (SDK 1.2.0 writes the entries over that parameter's pair; we send both)."""
    others = {p.field.wire_name for p in method.parameters}
    entries = st.dictionaries(
        st.text(max_size=8).filter(lambda key: key not in others),
        INSTANCES.type(parameter_field.type.value),  # type: ignore[union-attr]
        max_size=4,
    )
    if not parameter_field.required:
        entries = st.just(models.UNSET) | entries
    return st.none() | entries if parameter_field.nullable else entries


def arguments(method: ir.Method) -> st.SearchStrategy[dict[str, Any]]:
    """Random keyword arguments of ``method`` (ours): its parameters and its body's
    fields, each drawn from its type; an ``UNSET`` one is left out."""
    fields = [(p.field, p.location) for p in method.parameters]
    if method.request is not None:
        # A stream method's `stream` is true: it is not an argument of the SDK's either.
        fields += [
            (f, "body")
            for f in method.request.fields
            if not (method.stream is not None and f.wire_name == "stream")
        ]
    drawn = st.fixed_dictionaries(
        {f.python_name: argument(f, where, method) for f, where in fields}
    )
    return drawn.map(lambda kw: {k: v for k, v in kw.items() if v is not models.UNSET})


def sdk_value(value: Any) -> Any:
    """One of our arguments as the SDK takes it: a model as its JSON (the SDK's models
    read their wire names), an enum as its value, a file part as the SDK's ``File``."""
    if value is None or isinstance(value, (datetime.datetime, datetime.date)):
        return value
    if isinstance(value, tuple):
        name, content, content_type = value
        part = {"file_name": name, "content": content}
        return part if content_type is None else part | {"content_type": content_type}
    return mistral.converter.unstructure(value)


def sdk_arguments(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: sdk_value(v) for k, v in kwargs.items()}


def reply_for(method: ir.Method) -> st.SearchStrategy[Any]:
    """A random valid reply: the JSON of an instance of the response's type, or for a
    stream, the chunks of its events."""
    if method.stream is not None:
        chunk = INSTANCES.type(method.stream.data)
        return st.lists(chunk.map(mistral.converter.unstructure), max_size=3)
    (response,) = method.responses
    assert response.type is not None
    return INSTANCES.type(response.type).map(mistral.converter.unstructure)


def header(request: Recorded, name: str) -> str | None:
    found = [v for k, v in request.headers.items() if k.lower() == name.lower()]
    return found[0] if found else None


def split(request: Recorded) -> tuple[str, list[tuple[str, str]]]:
    """The raw path (as sent, still percent-encoded) and the query's decoded pairs."""
    parts = urllib.parse.urlsplit(request.path)
    return parts.path, urllib.parse.parse_qsl(parts.query, keep_blank_values=True)


def multipart_parts(
    request: Recorded,
) -> list[tuple[str, str | None, str | None, bytes]]:
    """A multipart body's parts as (name, filename, content type, bytes): the boundary
    differs between two requests, the parts must not."""
    content_type = header(request, "Content-Type") or ""
    assert content_type.startswith("multipart/form-data; boundary=")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + request.body
    )
    return [
        (
            part.get("Content-Disposition").params["name"],
            part.get_filename(),
            part.get("Content-Type"),
            part.get_payload(decode=True),
        )
        for part in message.iter_parts()
    ]


def assert_same_request(theirs: Recorded, mine: Recorded) -> None:
    assert mine.method == theirs.method
    assert split(mine) == split(theirs)
    for name in ("Accept", "Authorization"):
        assert header(mine, name) == header(theirs, name), name
    assert header(mine, "Authorization") == f"Bearer {KEY}"
    content_type = header(theirs, "Content-Type") or ""
    if content_type.startswith("multipart/form-data"):
        assert multipart_parts(mine) == multipart_parts(theirs)
    elif theirs.body:
        assert mine.json() == theirs.json()
        assert header(mine, "Content-Type") == content_type == "application/json"
    else:
        # No body, no Content-Type (the SDK sends "application/octet-stream" anyway).
        assert mine.body == b""
        assert header(mine, "Content-Type") is None
        assert content_type in ("", "application/octet-stream")


def dumped(value: Any) -> Any:
    """A parsed value of the SDK as JSON data: wire names, enums by value."""
    if hasattr(value, "model_dump"):  # the SDK's pydantic models
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, list):
        return [dumped(v) for v in value]
    return value


ABSENT = object()


def kept(data: Any, like: Any) -> Any:
    """``data`` with only the keys ``like`` has (each client fills in its defaults)."""
    if isinstance(like, dict) and isinstance(data, dict):
        return {k: kept(data.get(k, ABSENT), v) for k, v in like.items()}
    if isinstance(like, list) and isinstance(data, list) and len(like) == len(data):
        return [kept(d, v) for d, v in zip(data, like, strict=True)]
    return data


def assert_same_values(mine: Any, theirs: Any, reply: Any) -> None:
    """Both parsed ``reply`` into the same values, and ours into the reply itself."""
    ours = kept(mistral.converter.unstructure(mine), reply)
    assert ours == reply
    assert kept(dumped(theirs), reply) == reply


@pytest.fixture(scope="module")
def sdk(loopback: LoopbackServer) -> Iterator[Any]:
    with httpx.Client() as http:
        yield mistralai.Mistral(api_key=KEY, server_url=loopback.url, client=http)


@pytest.fixture(scope="module")
def ours(loopback: LoopbackServer) -> Iterator[Any]:
    with mistral.Client(KEY, server_url=loopback.url, max_retries=0) as client:
        yield client


@pytest.fixture(scope="module")
def runner() -> Iterator[asyncio.Runner]:
    """One event loop for the module's async clients (they belong to one loop)."""
    with asyncio.Runner() as loop:
        yield loop


@attrs.frozen
class Clients:
    """The SDK and ours, sync or async (``run`` is the loop then), and how to call a
    method of each to its end: a stream read whole, a download's bytes joined."""

    sdk: Any
    ours: Any
    run: asyncio.Runner | None = None

    def calls(
        self, name: str, kwargs: dict[str, Any]
    ) -> tuple[Callable[[], Any], Callable[[], Any]]:
        if self.run is None:
            return self._sync(name, kwargs)
        run = self.run
        theirs, mine = self._async(name, kwargs)
        return (lambda: run.run(theirs())), (lambda: run.run(mine()))

    def _sync(
        self, name: str, kwargs: dict[str, Any]
    ) -> tuple[Callable[[], Any], Callable[[], Any]]:
        theirs, mine = attribute(self.sdk, name), attribute(self.ours, name)
        sent = sdk_arguments(kwargs)
        if name == "files.download":

            def read_theirs() -> bytes:
                response = theirs(**sent)
                try:
                    return b"".join(response.iter_bytes())
                finally:
                    response.close()

            def read_mine() -> bytes:
                with mine(**kwargs) as response:
                    return b"".join(response.iter_bytes())

            return read_theirs, read_mine
        if METHODS[name].stream is None:
            return (lambda: theirs(**sent)), (lambda: mine(**kwargs))

        def read_events() -> list[Any]:
            with mine(**kwargs) as events:
                return list(events)

        return (lambda: list(theirs(**sent))), read_events

    def _async(
        self, name: str, kwargs: dict[str, Any]
    ) -> tuple[Callable[[], Awaitable[Any]], Callable[[], Awaitable[Any]]]:
        theirs = attribute(self.sdk, f"{name}_async")
        mine = attribute(self.ours, name)
        sent = sdk_arguments(kwargs)
        if name == "files.download":

            async def read_theirs() -> bytes:
                response = await theirs(**sent)
                try:
                    return b"".join([piece async for piece in response.aiter_bytes()])
                finally:
                    await response.aclose()

            async def read_mine() -> bytes:
                async with await mine(**kwargs) as response:
                    return b"".join([piece async for piece in response.aiter_bytes()])

            return read_theirs, read_mine
        if METHODS[name].stream is None:
            return (lambda: theirs(**sent)), (lambda: mine(**kwargs))

        async def events_theirs() -> list[Any]:
            return [event async for event in await theirs(**sent)]

        async def events_mine() -> list[Any]:
            async with await mine(**kwargs) as events:
                return [event async for event in events]

        return events_theirs, events_mine


@pytest.fixture(scope="module")
def async_clients(
    loopback: LoopbackServer, runner: asyncio.Runner
) -> Iterator[Clients]:
    async def open_both() -> tuple[httpx.AsyncClient, Any]:
        return httpx.AsyncClient(), mistral.AsyncClient(
            KEY, server_url=loopback.url, max_retries=0
        )

    http, mine = runner.run(open_both())
    sdk = mistralai.Mistral(api_key=KEY, server_url=loopback.url, async_client=http)
    yield Clients(sdk, mine, runner)
    runner.run(mine.close())
    runner.run(http.aclose())


@pytest.fixture(scope="module", params=["sync", "async"])
def clients(request: pytest.FixtureRequest, sdk: Any, ours: Any) -> Clients:
    """Each test that takes it runs twice: with the sync clients and the async ones."""
    if request.param == "sync":
        return Clients(sdk, ours)
    return request.getfixturevalue("async_clients")  # type: ignore[no-any-return]


JSON_METHODS = [name for name, m in METHODS.items() if name != "files.download"]


@pytest.mark.parametrize("name", JSON_METHODS)
def test_method_sends_and_parses_what_the_sdk_does(
    name: str, clients: Clients, loopback: LoopbackServer
) -> None:
    method = METHODS[name]
    streamed = method.stream is not None

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(kwargs=arguments(method), reply=reply_for(method))
    def check(kwargs: dict[str, Any], reply: Any) -> None:
        loopback.reset()
        answer = Reply.events(sse(reply), size=7) if streamed else Reply.json(reply)
        loopback.queue(answer, answer)
        call_theirs, call_mine = clients.calls(name, kwargs)
        theirs = call_theirs()
        mine = call_mine()
        their_request, my_request = loopback.requests
        assert_same_request(their_request, my_request)
        path = urllib.parse.unquote(split(my_request)[0])
        assert path == method.path.format(**kwargs)
        if streamed:
            assert my_request.json()["stream"] is True
            assert header(my_request, "Accept") == "text/event-stream"
            assert len(mine) == len(theirs) == len(reply)
            for my_event, their_event, chunk in zip(mine, theirs, reply, strict=True):
                assert_same_values(my_event.data, their_event.data, chunk)
        else:
            assert_same_values(mine, theirs, reply)

    check()


@settings(max_examples=EXAMPLES, deadline=None)
@given(file_id=SEGMENT, body=st.binary(max_size=200_000))
def test_files_download(
    clients: Clients, loopback: LoopbackServer, file_id: str, body: bytes
) -> None:
    loopback.reset()
    reply = Reply(
        body=body,
        chunks=[body[i : i + 65536] for i in range(0, len(body), 65536)],
        headers={"Content-Type": "application/octet-stream"},
    )
    loopback.queue(reply, reply)
    call_theirs, call_mine = clients.calls("files.download", {"file_id": file_id})
    assert call_theirs() == call_mine() == body
    assert_same_request(*loopback.requests)
    request = loopback.requests[1]
    assert header(request, "Accept") == "application/octet-stream"
    assert urllib.parse.unquote(split(request)[0]) == f"/v1/files/{file_id}/content"


VALIDATION_ERROR = INSTANCES.named("HTTPValidationError").map(
    mistral.converter.unstructure
)
ERROR_EXAMPLES = 6


def excerpt(body: str) -> str:
    """The body as our errors keep it: cut after ``BODY_EXCERPT`` characters."""
    if len(body) <= BODY_EXCERPT:
        return body
    return f"{body[:BODY_EXCERPT]}… ({len(body)} characters in all)"


def declares_422(name: str) -> bool:
    """Whether the operation documents a 422 body (the SDK's ``match_response(...,
    "422", "application/json")``); the others leave 422 to the generic 4XX error."""
    statuses = {status for status, _ in METHODS[name].errors}
    assert statuses <= {422}, name
    return 422 in statuses


@pytest.mark.parametrize("name", METHODS)
def test_422_raises_what_the_sdk_does(
    name: str, clients: Clients, loopback: LoopbackServer
) -> None:
    """A 422 whose body is an ``HTTPValidationError``: the operations that document
    it raise the typed error with the parsed body on both sides; the others raise
    the generic error with the status and body."""

    @settings(
        max_examples=ERROR_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(kwargs=arguments(METHODS[name]), body=VALIDATION_ERROR)
    def check(kwargs: dict[str, Any], body: Any) -> None:
        loopback.reset()
        reply = Reply.json(body, status=422)
        loopback.queue(reply, reply)
        call_theirs, call_mine = clients.calls(name, kwargs)
        if declares_422(name):
            with pytest.raises(mistralai.models.HTTPValidationError) as theirs:
                call_theirs()
            with pytest.raises(errors.HTTPValidationError) as mine:
                call_mine()
            assert_same_values(mine.value.data, theirs.value.data, body)
            # The SDK's HTTPValidationError keeps only the parsed body; ours also
            # has the status and the raw body, as its other errors do.
            assert mine.value.status_code == 422
            assert mine.value.body == excerpt(reply.body.decode())
        else:
            with pytest.raises(mistralai.models.SDKError) as sdk_error:
                call_theirs()
            with pytest.raises(errors.APIError) as api_error:
                call_mine()
            assert type(api_error.value) is errors.APIError
            assert api_error.value.status_code == sdk_error.value.status_code == 422
            assert api_error.value.body == excerpt(sdk_error.value.body)
            assert sdk_error.value.body == reply.body.decode()
        assert_same_request(*loopback.requests)

    check()


def not_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return True
    return False


ERROR_STATUSES = st.sampled_from([400, 401, 403, 404, 409, 413, 422, 429, 500, 503])
NOT_JSON = st.text(max_size=40).filter(not_json)
# JSON no operation documents as an error body (an HTTPValidationError's `detail` is
# a list of objects).
OTHER_JSON = st.one_of(
    st.fixed_dictionaries({"detail": st.text(max_size=20)}),
    st.lists(st.integers(), max_size=3),
    st.text(max_size=20),
).map(json.dumps)


@pytest.mark.parametrize("name", METHODS)
def test_an_unexpected_error_body_raises_what_the_sdk_does(
    name: str, clients: Clients, loopback: LoopbackServer
) -> None:
    """A 4xx or 5xx whose body is not the documented one (text, or JSON of another
    shape; each example sends both, and the JSON as a 422 too): both raise the
    generic error, with the same status and body."""

    @settings(
        max_examples=ERROR_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        kwargs=arguments(METHODS[name]),
        status=ERROR_STATUSES,
        text=NOT_JSON,
        other_json=OTHER_JSON,
    )
    def check(kwargs: dict[str, Any], status: int, text: str, other_json: str) -> None:
        for code, body, content_type in [
            (status, text, "text/plain"),
            (status, other_json, "application/json"),
            (422, other_json, "application/json"),
        ]:
            compare(kwargs, code, body, content_type)

    def compare(kwargs: dict[str, Any], status: int, text: str, kind: str) -> None:
        loopback.reset()
        reply = Reply(status=status, body=text.encode(), headers={"Content-Type": kind})
        loopback.queue(reply, reply)
        call_theirs, call_mine = clients.calls(name, kwargs)
        if status == 422 and kind == "application/json" and declares_422(name):
            # Ours is the better behaviour here: the SDK validates the body against
            # HTTPValidationErrorData and lets pydantic's error out, which has no
            # status and no body; ours raises the generic error with both.
            with pytest.raises(pydantic.ValidationError):
                call_theirs()
        else:
            with pytest.raises(mistralai.models.SDKError) as sdk_error:
                call_theirs()
            assert sdk_error.value.status_code == status
            assert sdk_error.value.body == text
        with pytest.raises(errors.APIError) as api_error:
            call_mine()
        assert type(api_error.value) is errors.APIError
        assert api_error.value.status_code == status
        assert api_error.value.body == excerpt(text)
        assert_same_request(*loopback.requests)

    check()


def peak_while_reading(download: Callable[[], Iterator[bytes]]) -> tuple[int, int]:
    """The bytes a download yields, and the peak of memory traced meanwhile."""
    tracemalloc.start()
    try:
        size = sum(len(chunk) for chunk in download())
        return size, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_files_download_of_10_mb_is_streamed(
    sdk: Any, ours: Any, loopback: LoopbackServer
) -> None:
    """10 MB through each client, chunk by chunk: ours holds far less than the body."""
    size = 10 * 1024 * 1024
    body = os.urandom(size)
    pieces = [body[i : i + 65536] for i in range(0, size, 65536)]
    reply = Reply(
        body=body, chunks=pieces, headers={"Content-Type": "application/octet-stream"}
    )

    def mine() -> Iterator[bytes]:
        with ours.files.download(file_id="f") as res:
            yield from res.iter_bytes()

    def theirs() -> Iterator[bytes]:
        response = sdk.files.download(file_id="f")
        try:
            yield from response.iter_bytes()
        finally:
            response.close()

    loopback.reset()
    loopback.queue(reply, reply)
    my_size, my_peak = peak_while_reading(mine)
    their_size, their_peak = peak_while_reading(theirs)
    print(f"peak memory reading 10 MB: ours {my_peak} B, the SDK's {their_peak} B")
    assert my_size == their_size == size
    assert my_peak < 2 * 1024 * 1024


def test_a_path_value_is_one_segment(
    ours: Any, sdk: Any, loopback: LoopbackServer
) -> None:
    """Where the SDK breaks the path, ours keeps the value one segment: the SDK sends
    "/", "?" and "#" raw and takes "%41" for an escape."""
    value = "ft:open-mistral-7b:abc/x?y#z%41 é\x1f"
    loopback.reset()
    deleted = {"id": value, "object": "model", "deleted": True}
    loopback.queue(Reply.json(deleted), Reply.json(deleted))
    ours.models.delete(model_id=value)
    (mine,) = loopback.requests
    assert split(mine) == (
        "/v1/models/ft:open-mistral-7b:abc%2Fx%3Fy%23z%2541%20%C3%A9%1F",
        [],
    )
    assert urllib.parse.unquote(split(mine)[0]) == f"/v1/models/{value}"
    sdk.models.delete(model_id="ft:open-mistral-7b:abc/x")
    assert split(loopback.requests[1])[0] == "/v1/models/ft:open-mistral-7b:abc/x"


@pytest.mark.parametrize("value", [".", ".."])
def test_a_dot_segment_stays_a_segment(
    ours: Any, sdk: Any, loopback: LoopbackServer, value: str
) -> None:
    """httpx removes "." and ".." segments (RFC 3986's dot-segment removal), so the
    SDK's archive of model "." archives /v1/fine_tuning/models/archive; ours escapes."""
    loopback.reset()
    loopback.queue(*[Reply.json({"id": value})] * 2)
    ours.models.archive(model_id=value)
    sdk.models.archive(model_id=value)
    mine, theirs = loopback.requests
    escaped = value.replace(".", "%2E")
    assert split(mine)[0] == f"/v1/fine_tuning/models/{escaped}/archive"
    assert split(theirs)[0] != f"/v1/fine_tuning/models/{value}/archive"


METADATA = next(
    p.field
    for p in METHODS["batch.jobs.list"].parameters
    if p.field.wire_name == "metadata"
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    metadata=query_dict(
        attrs.evolve(METADATA, required=True, nullable=False),
        METHODS["batch.jobs.list"],
    ).filter(bool),
    status=st.none() | st.sampled_from(list(models.BatchJobStatus)),
)
def test_batch_jobs_list_sends_metadata_as_the_sdk_does(
    sdk: Any, ours: Any, loopback: LoopbackServer, metadata: Any, status: Any
) -> None:
    """``metadata`` (a ``dict[str, any]`` query parameter) goes one key=value pair
    per entry that is not None, in order, spelled as SDK 1.2.0 spells it (nested
    values too); sync and async send the same pairs."""
    reply = Reply.json({"object": "list", "data": [], "total": 0})
    loopback.reset()
    loopback.queue(reply, reply, reply)
    sdk.batch.jobs.list(metadata=sdk_value(metadata), status=status)
    ours.batch.jobs.list(metadata=metadata, status=status)

    async def run() -> None:
        async with mistral.AsyncClient(
            KEY, server_url=loopback.url, max_retries=0
        ) as client:
            await client.batch.jobs.list(metadata=metadata, status=status)

    asyncio.run(run())
    theirs, mine, mine_async = loopback.requests
    assert_same_request(theirs, mine)
    assert split(mine_async) == split(theirs)
    pairs = split(mine)[1]
    sent = [(k, v) for k, v in metadata.items() if v is not None]
    assert [pair for pair in pairs if pair[0] in metadata] == [
        (k, param_text(v)) for k, v in sent
    ]


UPLOADED = {
    "id": "497f6eca-6276-4993-bfeb-53cbbbba6f09",
    "object": "file",
    "bytes": 13000,
    "created_at": 1716963433,
    "filename": "files_upload.jsonl",
    "purpose": "fine-tune",
    "sample_type": "instruct",
    "num_lines": None,
    "source": "upload",
}


@settings(max_examples=EXAMPLES, deadline=None)
@given(content=st.binary(max_size=3000))
def test_upload_of_a_file_object_sends_the_same_parts(
    ours: Any, sdk: Any, loopback: LoopbackServer, content: bytes
) -> None:
    """A binary file object (what ``open(path, "rb")`` gives), read by both."""
    loopback.reset()
    loopback.queue(Reply.json(UPLOADED), Reply.json(UPLOADED))
    sdk.files.upload(
        file={
            "file_name": "train.jsonl",
            "content": io.BufferedReader(io.BytesIO(content)),
        }
    )
    ours.files.upload(
        file=("train.jsonl", io.BufferedReader(io.BytesIO(content)), None)
    )
    theirs, mine = loopback.requests
    assert_same_request(theirs, mine)
    assert multipart_parts(mine)[-1] == (
        "file",
        "train.jsonl",
        "application/octet-stream",
        content,
    )


def test_async_upload_streams_the_same_parts(loopback: LoopbackServer) -> None:
    """The async clients send the same parts for a file object (ours read in chunks)."""
    content = bytes(range(256)) * 1000

    async def run() -> None:
        async with (
            httpx.AsyncClient() as http,
            mistral.AsyncClient(KEY, server_url=loopback.url, max_retries=0) as ours,
        ):
            sdk = mistralai.Mistral(
                api_key=KEY, server_url=loopback.url, async_client=http
            )
            loopback.reset()
            loopback.queue(Reply.json(UPLOADED), Reply.json(UPLOADED))
            await sdk.files.upload_async(
                file={
                    "file_name": "train.jsonl",
                    "content": io.BufferedReader(io.BytesIO(content)),
                },
                purpose="batch",
            )
            await ours.files.upload(
                file=("train.jsonl", io.BytesIO(content), None),
                purpose=models.FilePurpose.BATCH,
            )

    asyncio.run(run())
    theirs, mine = loopback.requests
    assert multipart_parts(mine) == multipart_parts(theirs)
    assert multipart_parts(mine)[-1] == (
        "file",
        "train.jsonl",
        "application/octet-stream",
        content,
    )
