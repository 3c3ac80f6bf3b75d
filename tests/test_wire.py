"""Wire compatibility with the official SDK (``mistralai==1.2.0``, run by ``nox -s wire``).

For the same arguments both clients must send the same request, and for the same
reply both must parse the same values. Absent arguments are not passed at all, so the
defaults of both clients are compared too (e.g. both send ``top_p: 1.0``).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import mistralai
import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mistral_fim import Client, converter, errors

from specbind.resolve import load_api

from .conftest import ROOT
from .server import LoopbackServer, Recorded, Reply, sse
from .strategies import complete

pytestmark = [
    pytest.mark.wire,
    # mistralai 1.2.0 on a recent pydantic; not ours to fix.
    pytest.mark.filterwarnings(
        "ignore:Accessing the 'model_fields':DeprecationWarning"
    ),
]

API = load_api(ROOT / "spec" / "mistral_fim.yaml")
KEY = "sk-wire-test"
TEXT = st.text(max_size=16)
INT = st.integers(0, 2**53)
COUNT = st.integers(0, 2**31)

# What a caller passes; keys left out are not passed at all.
KWARGS = st.fixed_dictionaries(
    {"model": st.none() | TEXT, "prompt": TEXT},
    optional={
        "temperature": st.none() | st.floats(0, 1.5),
        "top_p": st.floats(0, 1),
        "max_tokens": st.none() | st.integers(min_value=0),
        "min_tokens": st.none() | st.integers(min_value=0),
        "random_seed": st.none() | st.integers(min_value=0),
        "stop": TEXT | st.lists(TEXT, max_size=3),
        "suffix": st.none() | TEXT,
    },
)

# What the server answers; every value both clients must accept.
USAGE = st.fixed_dictionaries(
    {"prompt_tokens": COUNT, "completion_tokens": COUNT, "total_tokens": COUNT}
)
TEXT_CHUNK = st.fixed_dictionaries({"type": st.just("text"), "text": TEXT})
CONTENT = st.none() | TEXT | st.lists(TEXT_CHUNK, max_size=2)
TOOL_CALL = st.fixed_dictionaries(
    {
        "function": st.fixed_dictionaries(
            {
                "name": TEXT,
                "arguments": TEXT | st.dictionaries(TEXT, COUNT | TEXT, max_size=2),
            }
        )
    },
    optional={"id": TEXT, "type": st.just("function")},
)
TOOL_CALLS = st.none() | st.lists(TOOL_CALL, max_size=2)
FINISH = st.sampled_from(["stop", "length", "model_length", "error", "tool_calls"])
STREAM_FINISH = st.none() | st.sampled_from(["stop", "length", "error", "tool_calls"])
MESSAGE = st.fixed_dictionaries(
    {},
    optional={
        "content": CONTENT,
        "tool_calls": TOOL_CALLS,
        "prefix": st.booleans(),
        "role": st.just("assistant"),
    },
)
RESPONSE = st.fixed_dictionaries(
    {"id": TEXT, "object": TEXT, "model": TEXT, "usage": USAGE},
    optional={
        "created": INT,
        "choices": st.lists(
            st.fixed_dictionaries(
                {"index": COUNT, "message": MESSAGE, "finish_reason": FINISH | TEXT}
            ),
            max_size=2,
        ),
    },
)
DELTA = st.fixed_dictionaries(
    {},
    optional={
        "role": st.none() | TEXT,
        "content": CONTENT,
        "tool_calls": TOOL_CALLS,
    },
)
CHUNK = st.fixed_dictionaries(
    {
        "id": TEXT,
        "model": TEXT,
        "choices": st.lists(
            st.fixed_dictionaries(
                {
                    "index": COUNT,
                    "delta": DELTA,
                    "finish_reason": STREAM_FINISH | TEXT,
                }
            ),
            max_size=2,
        ),
    },
    optional={"object": TEXT, "created": INT, "usage": USAGE},
)
CHUNKS = st.lists(CHUNK, max_size=4)


@pytest.fixture(scope="module")
def sdk(loopback: LoopbackServer) -> Iterator[Any]:
    with httpx.Client() as http:
        yield mistralai.Mistral(api_key=KEY, server_url=loopback.url, client=http)


@pytest.fixture(scope="module")
def ours(loopback: LoopbackServer) -> Iterator[Client]:
    with Client(KEY, server_url=loopback.url, max_retries=0) as client:
        yield client


def header(request: Recorded, name: str) -> str | None:
    found = [v for k, v in request.headers.items() if k.lower() == name.lower()]
    return found[0] if found else None


def assert_same_request(theirs: Recorded, mine: Recorded, *, stream: bool) -> None:
    assert (mine.method, mine.path) == (theirs.method, theirs.path)
    assert (mine.method, mine.path) == ("POST", "/v1/fim/completions")
    assert mine.json() == theirs.json()
    assert mine.json()["stream"] is stream
    for name in ("Accept", "Content-Type", "Authorization"):
        assert header(mine, name) == header(theirs, name), name
    # The one header ours adds on purpose (see the README): new random bits per call.
    assert header(theirs, "Idempotency-Key") is None
    assert re.fullmatch("[0-9a-f]{32}", header(mine, "Idempotency-Key") or "")
    assert header(mine, "Accept") == (
        "text/event-stream" if stream else "application/json"
    )


def dump(value: Any) -> Any:
    """An SDK (pydantic) model as JSON values: the fields the reply set, and the
    defaults the SDK filled in for keys it left out (``None`` and the SDK's ``UNSET``
    stand for "no default", so they are left out like our ``UNSET``)."""
    if isinstance(value, pydantic.BaseModel):
        out = {}
        for name, info in type(value).model_fields.items():
            inner = getattr(value, name)
            if name not in value.model_fields_set and (
                inner is None or isinstance(inner, type(mistralai.types.UNSET))
            ):
                continue
            out[info.alias or name] = dump(inner)
        return out
    if isinstance(value, list):
        return [dump(v) for v in value]
    if isinstance(value, dict):
        return {k: dump(v) for k, v in value.items()}
    return value


def with_defaults(body: Any, parsed: Any) -> Any:
    """``body`` as the spec says a reader sees it: every absent key with a
    ``default`` filled in (both clients fill them)."""
    return complete(body, parsed, API, server=False)


def summary(response: dict[str, Any]) -> list[Any]:
    """The values that matter most, spelled out for a readable failure."""
    choices = response.get("choices") or []
    return [
        response["id"],
        response["usage"],
        [c["message"].get("content") for c in choices],
        [c["finish_reason"] for c in choices],
    ]


def round_trip(server: LoopbackServer, reply: Reply, call: Any) -> tuple[Any, Recorded]:
    server.queue(reply)
    result = call()
    return result, server.requests[-1]


@settings(max_examples=40, deadline=None)
@given(kwargs=KWARGS, body=RESPONSE)
def test_complete_matches_the_sdk(
    loopback: LoopbackServer,
    sdk: Any,
    ours: Client,
    kwargs: dict[str, Any],
    body: dict[str, Any],
) -> None:
    loopback.reset()
    reply = Reply.json(body)
    theirs, theirs_sent = round_trip(
        loopback, reply, lambda: sdk.fim.complete(**kwargs)
    )
    mine, mine_sent = round_trip(loopback, reply, lambda: ours.fim.complete(**kwargs))
    assert_same_request(theirs_sent, mine_sent, stream=False)
    wire = converter.unstructure(mine)
    assert summary(wire) == summary(dump(theirs))
    assert wire == dump(theirs) == with_defaults(body, mine)


@settings(max_examples=40, deadline=None)
@given(kwargs=KWARGS, chunks=CHUNKS, size=st.none() | st.integers(1, 64))
def test_stream_matches_the_sdk(
    loopback: LoopbackServer,
    sdk: Any,
    ours: Client,
    kwargs: dict[str, Any],
    chunks: list[dict[str, Any]],
    size: int | None,
) -> None:
    loopback.reset()
    reply = Reply.events(sse(chunks), size=size)
    theirs, theirs_sent = round_trip(
        loopback, reply, lambda: list(sdk.fim.stream(**kwargs))
    )

    def mine_all() -> list[Any]:
        with ours.fim.stream(**kwargs) as items:
            return list(items)

    mine, mine_sent = round_trip(loopback, reply, mine_all)
    assert_same_request(theirs_sent, mine_sent, stream=True)
    assert [converter.unstructure(e.data) for e in mine] == [
        dump(e.data) for e in theirs
    ]
    assert [converter.unstructure(e.data) for e in mine] == [
        with_defaults(chunk, e.data) for chunk, e in zip(chunks, mine, strict=True)
    ]


@settings(max_examples=15, deadline=None)
@given(kwargs=KWARGS, body=RESPONSE, chunks=CHUNKS)
def test_async_calls_match_the_sdk(
    loopback: LoopbackServer,
    kwargs: dict[str, Any],
    body: dict[str, Any],
    chunks: list[dict[str, Any]],
) -> None:
    from mistral_fim import AsyncClient

    loopback.reset()

    async def run() -> None:
        async with (
            httpx.AsyncClient() as http,
            AsyncClient(KEY, server_url=loopback.url, max_retries=0) as mine,
        ):
            sdk = mistralai.Mistral(
                api_key=KEY, server_url=loopback.url, async_client=http
            )
            loopback.queue(Reply.json(body), Reply.json(body))
            theirs_result = await sdk.fim.complete_async(**kwargs)
            mine_result = await mine.fim.complete(**kwargs)
            first, second = loopback.requests[-2:]
            assert_same_request(first, second, stream=False)
            assert converter.unstructure(mine_result) == dump(theirs_result)

            events = sse(chunks)
            loopback.queue(Reply.events(events, size=7), Reply.events(events, size=7))
            theirs_events = [e async for e in await sdk.fim.stream_async(**kwargs)]
            async with await mine.fim.stream(**kwargs) as items:
                mine_events = [e async for e in items]
            first, second = loopback.requests[-2:]
            assert_same_request(first, second, stream=True)
            assert [converter.unstructure(e.data) for e in mine_events] == [
                dump(e.data) for e in theirs_events
            ]

    asyncio.run(run())


LOC = st.lists(TEXT | COUNT, max_size=3)
DETAIL = st.fixed_dictionaries(
    {},
    optional={
        "detail": st.lists(
            st.fixed_dictionaries({"loc": LOC, "msg": TEXT, "type": TEXT}), max_size=2
        )
    },
)


@settings(max_examples=20, deadline=None)
@given(body=DETAIL)
def test_422_matches_the_sdk(
    loopback: LoopbackServer, sdk: Any, ours: Client, body: dict[str, Any]
) -> None:
    loopback.reset()
    loopback.queue(Reply.json(body, status=422), Reply.json(body, status=422))
    with pytest.raises(mistralai.models.HTTPValidationError) as theirs:
        sdk.fim.complete(model="m", prompt="p")
    with pytest.raises(errors.HTTPValidationError) as mine:
        ours.fim.complete(model="m", prompt="p")
    assert (
        converter.unstructure(mine.value.data)
        == dump(theirs.value.data)
        == with_defaults(body, mine.value.data)
    )


@pytest.mark.parametrize("status", [400, 401, 404, 500])
def test_error_status_matches_the_sdk(
    loopback: LoopbackServer, sdk: Any, ours: Client, status: int
) -> None:
    loopback.reset()
    reply = Reply(status=status, body=b'{"message": "nope"}')
    loopback.queue(reply, reply)
    with pytest.raises(mistralai.models.SDKError) as theirs:
        sdk.fim.complete(model="m", prompt="p")
    with pytest.raises(errors.APIError) as mine:
        ours.fim.complete(model="m", prompt="p")
    assert mine.value.status_code == theirs.value.status_code == status
    assert mine.value.body == theirs.value.body == '{"message": "nope"}'


def test_sdk_defaults_seen_on_the_wire(
    loopback: LoopbackServer, sdk: Any, ours: Client
) -> None:
    """Spelled out once: what both send for the fewest arguments."""
    loopback.reset()
    sdk.fim.complete(model="codestral-latest", prompt="def")
    ours.fim.complete(model="codestral-latest", prompt="def")
    theirs, mine = loopback.requests
    expected = {
        "model": "codestral-latest",
        "prompt": "def",
        "top_p": 1.0,
        "stream": False,
    }
    assert json.loads(theirs.body) == json.loads(mine.body) == expected
