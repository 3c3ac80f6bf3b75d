"""The operation pages: their structure, and every example on them run for real."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator

import mistral_fim.client
import pytest

from .conftest import GENERATED
from .server import LoopbackServer, Reply, chunk, sse

PAGE = GENERATED / "docs" / "sdks" / "fim" / "README.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", PAGE.read_text("utf-8"), flags=re.S)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:
    server = LoopbackServer().start()
    monkeypatch.setattr(mistral_fim.client, "DEFAULT_SERVER_URL", server.url)
    monkeypatch.setenv("MISTRAL_API_KEY", "sk-docs")
    try:
        yield server
    finally:
        server.stop()


def test_page_has_the_sdk_sections() -> None:
    text = PAGE.read_text("utf-8")
    headings = re.findall(r"^#+ .*$", text, flags=re.M)
    assert headings[:4] == [
        "# Fim",
        "## Overview",
        "### Available Operations",
        "## complete",
    ]
    for section in (
        "### Example Usage",
        "### Parameters",
        "### Response",
        "### Errors",
    ):
        assert text.count(section) == 2
    assert "* [complete](#complete) - Fim Completion" in text
    assert "[Stream[models.CompletionEvent]](../../models/completionevent.md)" in text


def test_every_link_points_at_a_generated_page() -> None:
    for target in re.findall(r"\]\((\.\./[^)#]+)\)", PAGE.read_text("utf-8")):
        assert (PAGE.parent / target).resolve().is_file(), target


@pytest.mark.parametrize(
    "code", EXAMPLES, ids=[f"example{i}" for i in range(len(EXAMPLES))]
)
def test_example_runs_against_a_loopback_server(
    code: str, server: LoopbackServer
) -> None:
    assert len(EXAMPLES) == 4
    streaming = "stream(" in code
    if streaming:
        server.queue(Reply.events(sse([chunk(i) for i in range(3)])))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(PAGE), "exec"), {"__name__": "__example__"})
    request = server.requests[-1]
    assert request.path == "/v1/fim/completions"
    assert request.headers["Authorization"] == "Bearer sk-docs"
    assert request.json() == {
        "model": "codestral-2405",
        "prompt": "def",
        "suffix": "return a+b",
        "top_p": 1.0,
        "stream": streaming,
    }
    printed = out.getvalue()
    assert (
        ("CompletionEvent(" in printed)
        if streaming
        else ("FIMCompletionResponse(" in printed)
    )
