"""Wire compatibility of path, query and header parameters and body-less methods with the
official SDK (``mistralai==1.2.0``, run by ``nox -s wire``).

The package comes from the hand-written fixture ``tests/fixtures/mistral_rest.yaml``.
For random arguments both clients must send the same method, path, query pairs, the
headers that matter and body; and parse the same reply into equal values.
"""

from __future__ import annotations

import asyncio
import datetime
import email.parser
import email.policy
import importlib
import io
import os
import subprocess
import sys
import tracemalloc
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

mistralai = pytest.importorskip("mistralai")

from .server import LoopbackServer, Recorded, Reply  # noqa: E402

pytestmark = [
    pytest.mark.wire,
    pytest.mark.filterwarnings(
        "ignore:Accessing the 'model_fields':DeprecationWarning"
    ),
]

FIXTURE = Path(__file__).parent / "fixtures" / "mistral_rest.yaml"
KEY = "sk-wire-test"
# Path values: any text but the four characters the SDK leaves raw and so breaks the
# path with ("/" a segment, "?" the query, "#" a fragment, "%41" an escape), and the
# control characters httpx refuses in the SDK's raw path (ours are escaped).
SEGMENT = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="/?#%"),
    min_size=1,
    max_size=24,
)
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=16)
PAGE = st.integers(0, 2**31)
SAMPLE_TYPES = ["pretrain", "instruct", "batch_request", "batch_result", "batch_error"]
SOURCES = ["upload", "repository", "mistral"]
JOB_STATUSES = [
    "QUEUED",
    "STARTED",
    "VALIDATING",
    "VALIDATED",
    "RUNNING",
    "FAILED_VALIDATION",
    "FAILED",
    "SUCCESS",
    "CANCELLED",
    "CANCELLATION_REQUESTED",
]
BATCH_STATUSES = [
    "QUEUED",
    "RUNNING",
    "SUCCESS",
    "FAILED",
    "TIMEOUT_EXCEEDED",
    "CANCELLATION_REQUESTED",
    "CANCELLED",
]


@pytest.fixture(scope="module")
def rest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("rest")
    subprocess.run(
        [sys.executable, "-m", "specbind", "generate", str(FIXTURE), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("mistral_rest")
    finally:
        sys.path.remove(str(out))


@pytest.fixture(scope="module")
def sdk(loopback: LoopbackServer) -> Iterator[Any]:
    with httpx.Client() as http:
        yield mistralai.Mistral(api_key=KEY, server_url=loopback.url, client=http)


@pytest.fixture(scope="module")
def ours(rest: ModuleType, loopback: LoopbackServer) -> Iterator[Any]:
    with rest.Client(KEY, server_url=loopback.url, max_retries=0) as client:
        yield client


def header(request: Recorded, name: str) -> str | None:
    found = [v for k, v in request.headers.items() if k.lower() == name.lower()]
    return found[0] if found else None


def split(request: Recorded) -> tuple[str, list[tuple[str, str]]]:
    """The raw path (as sent, still percent-encoded) and the query's decoded pairs."""
    parts = urllib.parse.urlsplit(request.path)
    return parts.path, urllib.parse.parse_qsl(parts.query, keep_blank_values=True)


def assert_same_request(theirs: Recorded, mine: Recorded) -> None:
    assert mine.method == theirs.method
    assert split(mine) == split(theirs)
    for name in ("Accept", "Authorization"):
        assert header(mine, name) == header(theirs, name), name
    if theirs.body:
        assert mine.json() == theirs.json()
        assert header(mine, "Content-Type") == header(theirs, "Content-Type")
    else:
        # No body, no Content-Type (the SDK sends "application/octet-stream" anyway).
        assert mine.body == b""
        assert header(mine, "Content-Type") is None
        assert header(theirs, "Content-Type") in (None, "application/octet-stream")


def both(
    server: LoopbackServer,
    reply: dict[str, Any],
    theirs: Callable[[], Any],
    mine: Callable[[], Any],
) -> tuple[Any, Any, Recorded]:
    """Each client's call, answered with ``reply``: both results and our request."""
    server.reset()
    server.queue(Reply.json(reply), Reply.json(reply))
    their_result, my_result = theirs(), mine()
    their_request, my_request = server.requests
    assert_same_request(their_request, my_request)
    return their_result, my_result, my_request


def given_kwargs(strategy: Any) -> Callable[[Callable[..., None]], Any]:
    """Random ``kwargs``; the (module-wide) server is reset before each call."""

    def decorate(test: Callable[..., None]) -> Any:
        return settings(max_examples=40, deadline=None)(given(kwargs=strategy)(test))

    return decorate


def enums(module: ModuleType, name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """``kwargs`` with the enum values named in it turned into ``module``'s members."""
    return kwargs | {
        key: (
            [module.__dict__[name[key]](v) for v in value]
            if isinstance(value, list)
            else module.__dict__[name[key]](value)
        )
        for key, value in kwargs.items()
        if key in name and value is not None
    }


FILES_LIST = st.fixed_dictionaries(
    {},
    optional={
        "page": PAGE,
        "page_size": PAGE,
        "sample_type": st.none() | st.lists(st.sampled_from(SAMPLE_TYPES), max_size=3),
        "source": st.none() | st.lists(st.sampled_from(SOURCES), max_size=3),
        "search": st.none() | TEXT,
        "purpose": st.none() | st.sampled_from(["fine-tune", "batch"]),
    },
)


def dumped(value: Any) -> Any:
    """A parsed value of either client as JSON data: wire names, enums by value."""
    if hasattr(value, "model_dump"):  # the SDK's pydantic models
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, list):
        return [dumped(v) for v in value]
    return value


def kept(data: Any, like: Any) -> Any:
    """``data`` with only the keys ``like`` has (each client fills in its defaults)."""
    if isinstance(like, dict):
        return {k: kept(data[k], v) for k, v in like.items()}
    if isinstance(like, list):
        return [kept(d, v) for d, v in zip(data, like, strict=True)]
    return data


def assert_same_values(
    rest: ModuleType, mine: Any, theirs: Any, reply: dict[str, Any]
) -> None:
    """Both parsed ``reply`` into the same values (and ours into the reply itself)."""
    ours = kept(rest.converter.unstructure(mine), reply)
    assert ours == kept(dumped(theirs), reply) == reply


SAFE_INT = st.integers(-(2**53), 2**53)
NUMBER = st.floats(allow_nan=False, allow_infinity=False, width=32)
UUID = st.uuids().map(str)
FILE_ENTRY = st.fixed_dictionaries(
    {
        "id": UUID,
        "object": TEXT,
        "bytes": SAFE_INT,
        "created_at": SAFE_INT,
        "filename": TEXT,
        "purpose": st.sampled_from(["fine-tune", "batch"]),
        "sample_type": st.sampled_from(SAMPLE_TYPES),
        "source": st.sampled_from(SOURCES),
    },
    optional={"num_lines": st.none() | SAFE_INT},
)
LIST_FILES_OUT = st.fixed_dictionaries(
    {"data": st.lists(FILE_ENTRY, max_size=3), "object": TEXT, "total": SAFE_INT}
)


@settings(max_examples=40, deadline=None)
@given(kwargs=FILES_LIST, reply=LIST_FILES_OUT)
def test_files_list(
    rest: ModuleType,
    sdk: Any,
    ours: Any,
    loopback: LoopbackServer,
    kwargs: Any,
    reply: dict[str, Any],
) -> None:
    mine_kwargs = enums(
        rest,
        {"sample_type": "SampleType", "source": "Source", "purpose": "FilePurpose"},
        kwargs,
    )
    theirs, mine, request = both(
        loopback,
        reply,
        lambda: sdk.files.list(**kwargs),
        lambda: ours.files.list(**mine_kwargs),
    )
    assert_same_values(rest, mine, theirs, reply)
    assert request.method == "GET"
    assert header(request, "Content-Type") is None and request.body == b""


# The SDK sends a datetime as isoformat() with "Z" for UTC; a naive one ours refuses.
AWARE = st.datetimes(
    min_value=datetime.datetime(1970, 1, 1),
    timezones=st.sampled_from(
        [
            datetime.timezone.utc,
            datetime.timezone(datetime.timedelta(hours=5, minutes=30)),
            datetime.timezone(datetime.timedelta(hours=-8)),
        ]
    ),
)
FRACTION = st.floats(0, 1)
HYPERPARAMETERS = st.fixed_dictionaries(
    {},
    optional={
        "training_steps": st.none() | st.integers(1, 10**6),
        "learning_rate": st.floats(1e-8, 1),
        "weight_decay": st.none() | FRACTION,
        "warmup_fraction": st.none() | FRACTION,
        "epochs": st.none() | st.floats(0, 100, exclude_min=True),
        "fim_ratio": st.none() | FRACTION,
        "seq_len": st.none() | st.integers(100, 10**6),
    },
)
NULLABLE_INT = st.none() | SAFE_INT
JOB_ENTRY = st.fixed_dictionaries(
    {
        "id": UUID,
        "auto_start": st.booleans(),
        "hyperparameters": HYPERPARAMETERS,
        "model": st.sampled_from(
            [
                "open-mistral-7b",
                "mistral-small-latest",
                "codestral-latest",
                "mistral-large-latest",
                "open-mistral-nemo",
            ]
        ),
        "status": st.sampled_from(JOB_STATUSES),
        "job_type": TEXT,
        "created_at": SAFE_INT,
        "modified_at": SAFE_INT,
        "training_files": st.lists(UUID, max_size=2),
    },
    optional={
        "validation_files": st.none() | st.lists(UUID, max_size=2),
        "object": st.just("job"),
        "fine_tuned_model": st.none() | TEXT,
        "suffix": st.none() | TEXT,
        "integrations": st.none()
        | st.lists(
            st.fixed_dictionaries(
                {"type": st.just("wandb"), "project": TEXT},
                optional={"name": st.none() | TEXT, "run_name": st.none() | TEXT},
            ),
            max_size=2,
        ),
        "trained_tokens": NULLABLE_INT,
        "repositories": st.lists(
            st.fixed_dictionaries(
                {
                    "type": st.just("github"),
                    "name": TEXT,
                    "owner": TEXT,
                    "commit_id": st.text("0123456789abcdef", min_size=40, max_size=40),
                },
                optional={
                    "ref": st.none() | TEXT,
                    "weight": st.floats(0, 10, exclude_min=True),
                },
            ),
            max_size=2,
        ),
        "metadata": st.none()
        | st.fixed_dictionaries(
            {},
            optional={
                "expected_duration_seconds": NULLABLE_INT,
                "cost": st.none() | NUMBER,
                "cost_currency": st.none() | TEXT,
                "train_tokens_per_step": NULLABLE_INT,
                "train_tokens": NULLABLE_INT,
                "data_tokens": NULLABLE_INT,
                "estimated_start_time": NULLABLE_INT,
            },
        ),
    },
)
JOBS_OUT = st.fixed_dictionaries(
    {"total": SAFE_INT},
    optional={"data": st.lists(JOB_ENTRY, max_size=2), "object": st.just("list")},
)
JOBS_LIST = st.fixed_dictionaries(
    {},
    optional={
        "page": PAGE,
        "page_size": PAGE,
        "model": st.none() | TEXT,
        "created_after": st.none() | AWARE,
        "created_by_me": st.booleans(),
        "status": st.none() | st.sampled_from(JOB_STATUSES),
        "wandb_project": st.none() | TEXT,
        "wandb_name": st.none() | TEXT,
        "suffix": st.none() | TEXT,
    },
)


@settings(max_examples=40, deadline=None)
@given(kwargs=JOBS_LIST, reply=JOBS_OUT)
def test_fine_tuning_jobs_list(
    rest: ModuleType,
    sdk: Any,
    ours: Any,
    loopback: LoopbackServer,
    kwargs: Any,
    reply: dict[str, Any],
) -> None:
    theirs, mine, request = both(
        loopback,
        reply,
        lambda: sdk.fine_tuning.jobs.list(**kwargs),
        lambda: ours.fine_tuning.jobs.list(
            **enums(rest, {"status": "JobStatus"}, kwargs)
        ),
    )
    assert_same_values(rest, mine, theirs, reply)
    if kwargs.get("created_after") is not None:
        sent = dict(split(request)[1])["created_after"]
        assert datetime.datetime.fromisoformat(sent) == kwargs["created_after"]


BATCH_LIST = st.fixed_dictionaries(
    {},
    optional={
        "page": PAGE,
        "page_size": PAGE,
        "model": st.none() | TEXT,
        "created_by_me": st.booleans(),
        "status": st.none() | st.sampled_from(BATCH_STATUSES),
    },
)


@given_kwargs(BATCH_LIST)
def test_batch_jobs_list(
    rest: ModuleType, sdk: Any, ours: Any, loopback: LoopbackServer, kwargs: Any
) -> None:
    reply = {"object": "list", "data": [], "total": 0}
    theirs, mine, _ = both(
        loopback,
        reply,
        lambda: sdk.batch.jobs.list(**kwargs),
        lambda: ours.batch.jobs.list(
            **enums(rest, {"status": "BatchJobStatus"}, kwargs)
        ),
    )
    assert (mine.object, mine.total) == ("list", theirs.total)


def test_models_list(ours: Any, sdk: Any, loopback: LoopbackServer) -> None:
    theirs, mine, request = both(
        loopback,
        {"object": "list", "data": [], "total": 0},
        sdk.models.list,
        ours.models.list,
    )
    assert mine.object == theirs.object == "list"
    assert split(request) == ("/v1/models", [])


@given_kwargs(SEGMENT)
def test_models_delete_archive_unarchive(
    sdk: Any, ours: Any, loopback: LoopbackServer, kwargs: str
) -> None:
    deleted = {"id": kwargs, "object": "model", "deleted": True}
    theirs, mine, request = both(
        loopback,
        deleted,
        lambda: sdk.models.delete(model_id=kwargs),
        lambda: ours.models.delete(model_id=kwargs),
    )
    assert request.method == "DELETE"
    assert (mine.id, mine.object, mine.deleted) == (
        theirs.id,
        theirs.object,
        theirs.deleted,
    )
    for verb, method, archived in (
        ("POST", "archive", True),
        ("DELETE", "unarchive", False),
    ):
        answer = {"id": kwargs, "object": "model", "archived": archived}
        theirs, mine, request = both(
            loopback,
            answer,
            lambda m=method: getattr(sdk.models, m)(model_id=kwargs),
            lambda m=method: getattr(ours.models, m)(model_id=kwargs),
        )
        assert request.method == verb and request.body == b""
        assert urllib.parse.unquote(split(request)[0]) == (
            f"/v1/fine_tuning/models/{kwargs}/archive"
        )
        assert (
            (mine.id, mine.archived)
            == (theirs.id, theirs.archived)
            == (
                kwargs,
                archived,
            )
        )


UPDATE = st.fixed_dictionaries(
    {"model_id": SEGMENT},
    optional={"name": st.none() | TEXT, "description": st.none() | TEXT},
)


@given_kwargs(UPDATE)
def test_models_update(
    sdk: Any, ours: Any, loopback: LoopbackServer, kwargs: dict[str, Any]
) -> None:
    answer = {
        "id": kwargs["model_id"],
        "name": "n",
        "description": None,
        "created": 1,
        "owned_by": "me",
        "root": "open-mistral-7b",
        "archived": False,
        "capabilities": {},
        "job": "j1",
    }
    theirs, mine, request = both(
        loopback,
        answer,
        lambda: sdk.models.update(**kwargs),
        lambda: ours.models.update(**kwargs),
    )
    assert request.method == "PATCH"
    assert (mine.id, mine.name, mine.description) == (
        theirs.id,
        theirs.name,
        theirs.description,
    )


FILE = {
    "id": "497f6eca-6276-4993-bfeb-53cbbbba6f09",
    "object": "file",
    "bytes": 13000,
    "created_at": 1716963433,
    "filename": "files_upload.jsonl",
    "purpose": "fine-tune",
    "sample_type": "instruct",
    "num_lines": None,
    "source": "upload",
    "deleted": False,
}


@given_kwargs(SEGMENT)
def test_files_retrieve_and_delete(
    sdk: Any, ours: Any, loopback: LoopbackServer, kwargs: str
) -> None:
    theirs, mine, request = both(
        loopback,
        FILE,
        lambda: sdk.files.retrieve(file_id=kwargs),
        lambda: ours.files.retrieve(file_id=kwargs),
    )
    assert request.method == "GET"
    for key in FILE:
        value = getattr(mine, key)
        assert getattr(value, "value", value) == getattr(theirs, key), key
    answer = {"id": FILE["id"], "object": "file", "deleted": True}
    theirs, mine, request = both(
        loopback,
        answer,
        lambda: sdk.files.delete(file_id=kwargs),
        lambda: ours.files.delete(file_id=kwargs),
    )
    assert request.method == "DELETE"
    assert (mine.id, mine.object, mine.deleted) == (
        theirs.id,
        theirs.object,
        theirs.deleted,
    )


JOB = {
    "id": "0b7d5f8e-0c3a-4d8e-9f3e-2a1b6c9d4e5f",
    "model": "open-mistral-7b",
    "status": "CANCELLATION_REQUESTED",
}
# What the SDK's DetailedJobOut needs besides.
DETAILED_JOB = JOB | {
    "auto_start": False,
    "hyperparameters": {"training_steps": 1},
    "training_files": [],
    "created_at": 1,
    "modified_at": 1,
    "job_type": "FT",
}


@given_kwargs(SEGMENT)
def test_fine_tuning_jobs_cancel(
    sdk: Any, ours: Any, loopback: LoopbackServer, kwargs: str
) -> None:
    theirs, mine, request = both(
        loopback,
        DETAILED_JOB,
        lambda: sdk.fine_tuning.jobs.cancel(job_id=kwargs),
        lambda: ours.fine_tuning.jobs.cancel(job_id=kwargs),
    )
    assert request.method == "POST" and request.body == b""
    assert (mine.id, mine.model, mine.status.value) == (
        theirs.id,
        theirs.model,
        theirs.status,
    )


def test_a_path_value_is_one_segment(
    ours: Any, sdk: Any, loopback: LoopbackServer
) -> None:
    """Where the SDK breaks the path, ours keeps the value one segment: the SDK sends
    "/", "?" and "#" raw and takes "%41" for an escape."""
    value = "ft:open-mistral-7b:abc/x?y#z%41 é\x1f"
    loopback.reset()
    loopback.queue(Reply.json({"id": value}), Reply.json({"id": value}))
    ours.models.delete(model_id=value)
    (mine,) = loopback.requests
    assert split(mine) == (
        "/v1/models/ft:open-mistral-7b:abc%2Fx%3Fy%23z%2541%20%C3%A9%1F",
        [],
    )
    assert urllib.parse.unquote(split(mine)[0]) == f"/v1/models/{value}"
    sdk.models.delete(model_id="ft:open-mistral-7b:abc/x")
    assert split(loopback.requests[1])[0] == "/v1/models/ft:open-mistral-7b:abc/x"


@given_kwargs(FILES_LIST)
def test_async_files_list_and_cancel(
    rest: ModuleType, loopback: LoopbackServer, kwargs: Any
) -> None:
    """The async clients send the same query, and the same body-less POST."""
    mine_kwargs = enums(
        rest,
        {"sample_type": "SampleType", "source": "Source", "purpose": "FilePurpose"},
        kwargs,
    )

    async def run() -> None:
        async with (
            httpx.AsyncClient() as http,
            rest.AsyncClient(KEY, server_url=loopback.url, max_retries=0) as ours,
        ):
            sdk = mistralai.Mistral(
                api_key=KEY, server_url=loopback.url, async_client=http
            )
            reply = Reply.json({"object": "list", "data": [], "total": 1})
            loopback.reset()
            loopback.queue(reply, reply)
            await sdk.files.list_async(**kwargs)
            await ours.files.list(**mine_kwargs)
            assert_same_request(*loopback.requests)
            job = Reply.json(DETAILED_JOB)
            loopback.reset()
            loopback.queue(job, job)
            await sdk.fine_tuning.jobs.cancel_async(job_id="j 1")
            await ours.fine_tuning.jobs.cancel(job_id="j 1")
            assert_same_request(*loopback.requests)

    asyncio.run(run())


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


UPLOADED = {k: v for k, v in FILE.items() if k != "deleted"}
# File names as both clients hand them to httpx (the SDK refuses an empty one).
FILE_NAMES = st.text(
    st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=24
)
UPLOAD = st.fixed_dictionaries(
    {
        "file_name": FILE_NAMES,
        "content": st.binary(max_size=3000),
        "stream": st.booleans(),
    },
    optional={
        "content_type": st.sampled_from(
            ["application/jsonl", "text/plain", "application/octet-stream"]
        ),
        "purpose": st.none() | st.sampled_from(["fine-tune", "batch"]),
    },
)


def _upload_args(rest: ModuleType, kwargs: dict[str, Any]) -> tuple[Any, Any]:
    """The SDK's ``File`` and purpose, and our keyword arguments, for one upload."""

    def content() -> Any:
        # The SDK takes bytes or a BufferedReader (what open(path, "rb") returns)
        data = kwargs["content"]
        return io.BufferedReader(io.BytesIO(data)) if kwargs["stream"] else data

    theirs: dict[str, Any] = {
        "file": {"file_name": kwargs["file_name"], "content": content()}
    }
    if "content_type" in kwargs:
        theirs["file"]["content_type"] = kwargs["content_type"]
    mine: dict[str, Any] = {
        "file": (kwargs["file_name"], content(), kwargs.get("content_type"))
    }
    if "purpose" in kwargs:
        theirs["purpose"] = kwargs["purpose"]
    if kwargs.get("purpose") is not None:  # the SDK's None is absent; ours is UNSET
        mine["purpose"] = rest.FilePurpose(kwargs["purpose"])
    return theirs, mine


@given_kwargs(UPLOAD)
def test_files_upload(
    rest: ModuleType, sdk: Any, ours: Any, loopback: LoopbackServer, kwargs: Any
) -> None:
    theirs_kwargs, mine_kwargs = _upload_args(rest, kwargs)
    loopback.reset()
    loopback.queue(Reply.json(UPLOADED), Reply.json(UPLOADED))
    theirs = sdk.files.upload(**theirs_kwargs)
    mine = ours.files.upload(**mine_kwargs)
    their_request, my_request = loopback.requests
    assert (my_request.method, split(my_request)) == ("POST", ("/v1/files", []))
    assert (their_request.method, split(their_request)) == ("POST", ("/v1/files", []))
    for name in ("Accept", "Authorization"):
        assert header(my_request, name) == header(their_request, name), name
    assert multipart_parts(my_request) == multipart_parts(their_request)
    assert multipart_parts(my_request)[-1][3] == kwargs["content"]
    for key in UPLOADED:
        value = getattr(mine, key)
        assert getattr(value, "value", value) == getattr(theirs, key), key


NULLABLE_UNIT = st.none() | st.floats(0, 1)
HYPERPARAMETERS_IN = st.fixed_dictionaries(
    {},
    optional={
        "training_steps": st.none() | st.integers(1, 10**6),
        "learning_rate": st.floats(1e-8, 1),
        "weight_decay": NULLABLE_UNIT,
        "warmup_fraction": NULLABLE_UNIT,
        "epochs": st.none() | st.floats(0.01, 100),
        "fim_ratio": NULLABLE_UNIT,
        "seq_len": st.none() | st.integers(100, 10**5),
    },
)
WANDB = st.fixed_dictionaries(
    {
        "project": TEXT,
        "api_key": st.text(st.characters(codec="ascii"), min_size=40, max_size=40),
    },
    optional={"name": st.none() | TEXT, "run_name": st.none() | TEXT},
)
GITHUB = st.fixed_dictionaries(
    {"name": TEXT, "owner": TEXT, "token": TEXT},
    optional={"ref": st.none() | TEXT, "weight": st.floats(0.01, 10)},
)
TRAINING_FILE = st.fixed_dictionaries(
    {"file_id": UUID}, optional={"weight": st.floats(0.01, 10)}
)
JOB_CREATE = st.fixed_dictionaries(
    {
        "model": st.sampled_from(
            [
                "open-mistral-7b",
                "mistral-small-latest",
                "codestral-latest",
                "mistral-large-latest",
                "open-mistral-nemo",
            ]
        ),
        "hyperparameters": HYPERPARAMETERS_IN,
    },
    optional={
        "training_files": st.lists(TRAINING_FILE, max_size=2),
        "validation_files": st.none() | st.lists(UUID, max_size=2),
        "suffix": st.none() | st.text(max_size=18),
        "integrations": st.none() | st.lists(WANDB, max_size=2),
        "repositories": st.lists(GITHUB, max_size=2),
        "auto_start": st.booleans(),
    },
)


def _job_args(rest: ModuleType, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Our keyword arguments: the SDK's dicts as our models and enums."""
    mine = dict(kwargs)
    mine["model"] = rest.FineTuneableModel(kwargs["model"])
    mine["hyperparameters"] = rest.TrainingParametersIn(**kwargs["hyperparameters"])
    for key, model in (
        ("training_files", rest.TrainingFile),
        ("integrations", rest.WandbIntegration),
        ("repositories", rest.GithubRepositoryIn),
    ):
        if kwargs.get(key) is not None:
            mine[key] = [model(**item) for item in kwargs[key]]
    return mine


@given_kwargs(JOB_CREATE)
def test_fine_tuning_jobs_create(
    rest: ModuleType, sdk: Any, ours: Any, loopback: LoopbackServer, kwargs: Any
) -> None:
    theirs, mine, request = both(
        loopback,
        DETAILED_JOB,
        lambda: sdk.fine_tuning.jobs.create(**kwargs),
        lambda: ours.fine_tuning.jobs.create(**_job_args(rest, kwargs)),
    )
    assert split(request) == ("/v1/fine_tuning/jobs", [])
    assert header(request, "Content-Type") == "application/json"
    assert (mine.id, mine.model, mine.status.value) == (
        theirs.id,
        theirs.model,
        theirs.status,
    )


ENDPOINTS = [
    "/v1/chat/completions",
    "/v1/embeddings",
    "/v1/fim/completions",
    "/v1/moderations",
]
BATCH_CREATE = st.fixed_dictionaries(
    {
        "input_files": st.lists(UUID, max_size=3),
        "endpoint": st.sampled_from(ENDPOINTS),
        "model": TEXT,
    },
    optional={
        "metadata": st.none() | st.dictionaries(TEXT, TEXT, max_size=3),
        "timeout_hours": st.integers(1, 10**4),
    },
)
BATCH_JOB = {
    "id": "b1",
    "object": "batch",
    "input_files": ["497f6eca-6276-4993-bfeb-53cbbbba6f09"],
    "endpoint": "/v1/fim/completions",
    "model": "codestral-latest",
    "errors": [],
    "status": "QUEUED",
    "created_at": 1716963433,
    "total_requests": 3,
    "completed_requests": 0,
    "succeeded_requests": 0,
    "failed_requests": 0,
}


@given_kwargs(BATCH_CREATE)
def test_batch_jobs_create(
    rest: ModuleType, sdk: Any, ours: Any, loopback: LoopbackServer, kwargs: Any
) -> None:
    mine_kwargs = kwargs | {"endpoint": rest.ApiEndpoint(kwargs["endpoint"])}
    theirs, mine, request = both(
        loopback,
        BATCH_JOB,
        lambda: sdk.batch.jobs.create(**kwargs),
        lambda: ours.batch.jobs.create(**mine_kwargs),
    )
    assert split(request) == ("/v1/batch/jobs", [])
    for key in ("id", "input_files", "endpoint", "model", "created_at"):
        assert getattr(mine, key) == getattr(theirs, key), key
    assert (mine.status.value, mine.total_requests) == (
        theirs.status,
        theirs.total_requests,
    )


def test_async_upload_streams_the_same_parts(
    rest: ModuleType, loopback: LoopbackServer
) -> None:
    """The async clients send the same parts for a file object (ours read in chunks)."""
    content = bytes(range(256)) * 1000

    async def run() -> None:
        async with (
            httpx.AsyncClient() as http,
            rest.AsyncClient(KEY, server_url=loopback.url, max_retries=0) as ours,
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
                purpose=rest.FilePurpose.batch,
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


CAPABILITIES = st.fixed_dictionaries(
    {},
    optional={
        name: st.booleans()
        for name in (
            "completion_chat",
            "completion_fim",
            "function_calling",
            "fine_tuning",
            "vision",
        )
    },
)
RFC3339_UTC = AWARE.map(lambda d: d.astimezone(datetime.timezone.utc)).map(
    lambda d: d.isoformat().replace("+00:00", "Z")
)
CARD_FIELDS = {
    "object": TEXT,
    "created": SAFE_INT,
    "owned_by": TEXT,
    "name": st.none() | TEXT,
    "description": st.none() | TEXT,
    "max_context_length": SAFE_INT,
    "aliases": st.lists(TEXT, max_size=3),
    "deprecation": st.none() | RFC3339_UTC,
    "default_model_temperature": st.none() | NUMBER,
}
BASE_CARD = st.fixed_dictionaries(
    {"id": TEXT, "capabilities": CAPABILITIES, "type": st.just("base")},
    optional=CARD_FIELDS,
)
FT_CARD = st.fixed_dictionaries(
    {
        "id": TEXT,
        "capabilities": CAPABILITIES,
        "type": st.just("fine-tuned"),
        "job": TEXT,
        "root": TEXT,
    },
    optional={**CARD_FIELDS, "archived": st.booleans()},
)


@settings(max_examples=40, deadline=None)
@given(model_id=SEGMENT, reply=BASE_CARD | FT_CARD)
def test_models_retrieve(
    rest: ModuleType,
    sdk: Any,
    ours: Any,
    loopback: LoopbackServer,
    model_id: str,
    reply: dict[str, Any],
) -> None:
    """A union response: the card of the kind its ``type`` names, as the SDK parses it."""
    theirs, mine, request = both(
        loopback,
        reply,
        lambda: sdk.models.retrieve(model_id=model_id),
        lambda: ours.models.retrieve(model_id=model_id),
    )
    assert request.method == "GET"
    assert urllib.parse.unquote(split(request)[0]) == f"/v1/models/{model_id}"
    assert type(mine).__name__ == type(theirs).__name__
    assert type(mine).__name__ == (
        "BaseModelCard" if reply["type"] == "base" else "FTModelCard"
    )
    assert_same_values(rest, mine, theirs, reply)


def both_download(
    server: LoopbackServer, body: bytes, sdk: Any, ours: Any, file_id: str
) -> tuple[bytes, bytes]:
    """Each client's download of ``body``: both bodies as read, requests compared."""
    server.reset()
    reply = Reply(
        body=body,
        chunks=[body[i : i + 65536] for i in range(0, len(body), 65536)],
        headers={"Content-Type": "application/octet-stream"},
    )
    server.queue(reply, reply)
    response = sdk.files.download(file_id=file_id)
    try:
        theirs = b"".join(response.iter_bytes())
    finally:
        response.close()
    with ours.files.download(file_id=file_id) as res:
        mine = b"".join(res.iter_bytes())
    assert_same_request(*server.requests)
    return theirs, mine


@settings(max_examples=40, deadline=None)
@given(file_id=SEGMENT, body=st.binary(max_size=200_000))
def test_files_download(
    sdk: Any, ours: Any, loopback: LoopbackServer, file_id: str, body: bytes
) -> None:
    theirs, mine = both_download(loopback, body, sdk, ours, file_id)
    assert mine == theirs == body
    request = loopback.requests[1]
    assert header(request, "Accept") == "application/octet-stream"
    assert urllib.parse.unquote(split(request)[0]) == f"/v1/files/{file_id}/content"


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
