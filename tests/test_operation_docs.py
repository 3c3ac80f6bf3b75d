"""The operation pages: their structure, and every example on them run for real."""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import json
import os
import re
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import mistral_fim.client
import pytest

from specbind import ir, naming
from specbind.resolve import load_api

from .conftest import GENERATED, ROOT
from .goldens import CASES, CASES_DIR, golden
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
def test_the_fim_examples_send_the_documented_request(
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


# --- every example of every operation page, for the default spec and the goldens ----


@attrs.frozen
class PageExample:
    target: str
    api: ir.Api
    page: Path
    root: Path  # the output folder the page is in
    method: ir.Method
    code: str

    @property
    def id(self) -> str:
        kind = "async" if "AsyncClient" in self.code else "sync"
        return f"{self.target}-{self.method.name}-{kind}"


def targets() -> dict[str, tuple[ir.Api, Path]]:
    """Every spec with operations, and the folder its committed output is in."""
    found = {"mistral_fim": (load_api(ROOT / "spec" / "mistral_fim.yaml"), GENERATED)}
    for name in CASES:
        root = CASES_DIR / name / "expected"
        # A spec may leave out the client and docs (output.render; the golden pins it).
        if golden(name).api.groups and (root / "docs" / "sdks").is_dir():
            found[name] = (golden(name).api, root)
    return found


def page_examples() -> list[PageExample]:
    examples = []
    for target, (api, root) in targets().items():
        for group in api.every_group():
            if not group.methods:
                continue  # a group of sub-groups alone has no page
            page = root / "docs" / "sdks" / Path(*group.path) / "README.md"
            text = page.read_text("utf-8")
            for code in re.findall(r"```python\n(.*?)```", text, flags=re.S):
                called = re.search(rf"client\.{re.escape(group.dotted)}\.(\w+)\(", code)
                assert called, code
                method = next(m for m in group.methods if m.name == called[1])
                examples.append(PageExample(target, api, page, root, method, code))
    return examples


ALL_EXAMPLES = page_examples()


def test_every_method_has_a_sync_and_an_async_example() -> None:
    for target, (api, _) in targets().items():
        methods = [m.name for g in api.every_group() for m in g.methods]
        found = [e.method.name for e in ALL_EXAMPLES if e.target == target]
        assert sorted(found) == sorted(2 * methods)
    assert {"mistral_fim", "client_names", "doc_examples", "nested_groups"} <= set(
        targets()
    )


def test_every_example_type_checks(tmp_path: Path) -> None:
    """mypy --strict over every example, each a module of its own."""
    files = []
    for number, example in enumerate(ALL_EXAMPLES):
        path = tmp_path / f"example_{number}_{example.id.replace('-', '_')}.py"
        path.write_text(example.code, "utf-8")
        files.append(str(path))
    roots = sorted({str(root) for _, root in targets().values()})
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *files],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": os.pathsep.join(roots)},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def minimal_json(api: ir.Api, type_: ir.TypeExpr) -> Any:
    """The smallest valid JSON of a type: required fields only, simplest values."""
    if isinstance(type_, ir.PrimitiveType):
        simplest = {
            "str": "",
            "int": 0,
            "float": 0.0,
            "bool": False,
            "any": None,
            "datetime": "2024-01-01T00:00:00Z",
            "date": "2024-01-01",
            "uuid": "00000000-0000-0000-0000-000000000000",
        }
        return simplest[type_.name]
    if isinstance(type_, ir.ListType):
        return []
    if isinstance(type_, ir.DictType):
        return {}
    if type_.kind == "enum":
        return api.enum(type_.name).members[0].value
    if type_.kind == "union":
        return minimal_json(api, api.union(type_.name).variants[0])
    model = api.model(type_.name)
    return {f.wire_name: minimal_json(api, f.type) for f in model.fields if f.required}


@pytest.mark.parametrize("example", ALL_EXAMPLES, ids=lambda e: e.id)
def test_every_example_runs_against_a_loopback_server(
    example: PageExample, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run as printed, against a loopback server answering the method's response."""
    api, method = example.api, example.method
    client = importlib.import_module(f"{api.package}.client")
    if method.stream:
        shown = f"{method.stream.event.name}("
        data = [minimal_json(api, method.stream.data) for _ in range(2)]
        reply = Reply.events(sse(data))
    else:
        shown, reply = _answer(api, method)
    server = LoopbackServer().start()
    server.queue(reply)
    monkeypatch.setattr(client, "DEFAULT_SERVER_URL", server.url)
    monkeypatch.setenv(api.auth_env or "API_KEY", "sk-docs")
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(example.code, str(example.page), "exec"), {"__name__": "ex"})
    finally:
        server.stop()
    [request] = server.requests
    assert request.method == method.http_method
    if api.auth is not None and api.auth.scheme == "api_key":
        assert request.headers[api.auth.header] == "sk-docs"
        assert "Authorization" not in request.headers
    else:
        assert request.headers["Authorization"] == "Bearer sk-docs"
    path, _, query = request.path.partition("?")
    # Each path parameter fills its one segment; the query has the required parameters.
    route = re.sub(r"\\\{[^}]*\\\}", "[^/?#]+", re.escape(method.path))
    assert re.fullmatch(route, path), (path, method.path)
    sent = {k for k, _ in urllib.parse.parse_qsl(query, keep_blank_values=True)}
    # An object parameter is sent exploded: its entries are keys of their own.
    plain = [p for p in method.located("query") if not ir.is_query_object(p.field.type)]
    if len(plain) == len(method.located("query")):
        assert sent <= {p.field.wire_name for p in plain}
    assert {p.field.wire_name for p in plain if p.field.required} <= sent
    if method.request is None:
        assert request.body == b""
        assert "Content-Type" not in request.headers
    elif method.body != "json":  # the parts or fields, in their own media type
        assert request.headers["Content-Type"].startswith(
            {
                "multipart": "multipart/form-data; boundary=",
                "form": "application/x-www-form-urlencoded",
            }[method.body]
        )
        assert request.body
    else:
        schema = json.loads(
            (example.root / "schema" / f"{api.package}.schema.json").read_text()
        )
        check = jsonschema.Draft202012Validator(
            {**schema, "$ref": f"#/$defs/{method.request.name}"}
        )
        errors = [e.message for e in check.iter_errors(request.json())]
        assert not errors, (
            errors
        )  # the server would take it (placeholders in bounds too)
    if shown:
        assert out.getvalue().count(shown) == (2 if method.stream else 1)
    else:
        assert out.getvalue() == ""


def _answer(api: ir.Api, method: ir.Method) -> tuple[str, Reply]:
    """The reply to an example's call (its first status), and what the example prints
    of it once."""
    response = method.responses[0]
    if response.kind == "binary":
        reply = Reply(body=b"12345", headers={"Content-Type": "application/pdf"})
        # A binary method's example prints each chunk's length; a method that may
        # answer otherwise too prints the object.
        alone = len(method.responses) == 1
        return "5\n" if alone else "BinaryResponse [200] application/pdf>", reply
    if response.kind == "empty":  # printed only by a method that may answer otherwise
        return "None" if len(method.responses) > 1 else "", Reply(
            status=response.status
        )
    assert isinstance(response.type, ir.NamedType)
    shown = response.type
    if shown.kind == "union":  # the variant minimal_json picks
        first = api.union(shown.name).variants[0]
        assert isinstance(first, ir.NamedType)
        shown = first
    body = minimal_json(api, response.type)
    return f"{shown.name}(", Reply.json(body, status=response.status)


@pytest.mark.parametrize(
    "target",
    [
        "mistral_fim",
        "client_names",
        "doc_examples",
        "params",
        "method_named_list",
        "nested_groups",
    ],
)
def test_every_parameter_row_names_a_keyword_of_the_method(target: str) -> None:
    """The Parameters table lists exactly the method's keyword arguments, by the name a
    call uses (``timeout_`` for a field renamed beside the per-call ``timeout``)."""
    api, root = targets()[target]
    client = importlib.import_module(f"{api.package}.client")
    for group in api.every_group():
        if not group.methods:
            continue
        page = root / "docs" / "sdks" / Path(*group.path) / "README.md"
        tables = re.findall(
            r"### Parameters\n\n(.*?)\n\n### Response", page.read_text("utf-8"), re.S
        )
        cls = getattr(client, naming.group_class(group.dotted))
        for method, table in zip(group.methods, tables, strict=True):
            rows = re.findall(r"^\| `([^`]+)`", table, flags=re.M)
            keywords = list(inspect.signature(getattr(cls, method.name)).parameters)
            assert rows == keywords[1:]  # after `self`
