"""Nested operation groups on the wire: ``client.fine_tuning.jobs.list(...)`` and
``client.batch.jobs.create(...)``, sync and async, from the nested_groups golden package."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from .server import LoopbackServer, Reply, sse

EXPECTED = Path(__file__).parent / "cases" / "nested_groups" / "expected"


@pytest.fixture(scope="module")
def package() -> Iterator[ModuleType]:
    sys.path.insert(0, str(EXPECTED))
    try:
        import nested_groups

        yield nested_groups
    finally:
        sys.path.remove(str(EXPECTED))


def test_sub_groups_are_reached_through_their_parents(
    package: ModuleType, server: LoopbackServer
) -> None:
    server.queue(
        Reply.json({"total": 2}),
        Reply.json({"id": "j1", "model": "m"}),
        Reply.json({"id": "b1", "model": "m"}),
        Reply.json({"number": 3}),
    )
    with package.Client("k", server_url=server.url, max_retries=0) as client:
        assert client.fine_tuning.jobs.list(page=2) == package.JobList(total=2)
        job = client.fine_tuning.jobs.cancel(job_id="j 1")
        batch = client.batch.jobs.create(input_files=["f"], model="m")
        version = client.files.versions.list(file_id="f1")
        # One sub-client per parent, built with it: the same object on every access.
        assert client.fine_tuning.jobs is client.fine_tuning.jobs
        assert type(client.fine_tuning.jobs).__name__ == "FineTuningJobs"
        assert type(client.batch.jobs).__name__ == "BatchJobs"
    assert (job.id, batch.id, version.number) == ("j1", "b1", 3)
    sent = [(r.method, r.path) for r in server.requests]
    assert sent == [
        ("GET", "/v1/fine_tuning/jobs?page=2"),
        ("POST", "/v1/fine_tuning/jobs/j%201/cancel"),
        ("POST", "/v1/batch/jobs"),
        ("GET", "/v1/files/f1/versions"),
    ]
    assert server.requests[2].json() == {"input_files": ["f"], "model": "m"}


def test_a_group_named_as_a_keyword_class(
    package: ModuleType, server: LoopbackServer
) -> None:
    server.queue(Reply.json({"total": 1}))
    with package.Client("k", server_url=server.url, max_retries=0) as client:
        assert client.true.get() == package.JobList(total=1)
        assert type(client.true).__name__ == "True_"
    assert [r.path for r in server.requests] == ["/v1/true"]


def test_async_sub_groups(package: ModuleType, server: LoopbackServer) -> None:
    server.queue(
        Reply.json({"total": 0}),
        Reply.json({"id": "b1", "model": "m"}),
        Reply.events(sse([{"text": "a"}, {"text": "b"}])),
    )

    async def run() -> tuple[object, object, list[str]]:
        async with package.AsyncClient(
            "k", server_url=server.url, max_retries=0
        ) as client:
            listed = await client.fine_tuning.jobs.list()
            created = await client.batch.jobs.create(input_files=[], model="m")
            stream = await client.fine_tuning.jobs.events.stream(job_id="j1")
            async with stream as events:
                texts = [event.data.text async for event in events]
            assert type(client.batch.jobs).__name__ == "AsyncBatchJobs"
            return listed, created, texts

    listed, created, texts = asyncio.run(run())
    assert listed == package.JobList(total=0)
    assert created == package.Job(id="b1", model="m")
    assert texts == ["a", "b"]
    assert [(r.method, r.path) for r in server.requests] == [
        ("GET", "/v1/fine_tuning/jobs?page=0"),
        ("POST", "/v1/batch/jobs"),
        ("GET", "/v1/fine_tuning/jobs/j1/events"),
    ]
