"""The per-group operation pages (``docs/sdks/<group>/README.md``), in the SDK's layout."""

from __future__ import annotations

import attrs

from ... import ir, naming
from ..shared import markdown
from ..shared.names import isort_order, parameter_name
from ..shared.python import LINE_LENGTH
from . import tables
from .examples import ExampleValues

_OPTION_ROWS = [
    [
        "`timeout`",
        "*Optional[float]*",
        tables.NOT_REQUIRED,
        "This call's timeout in seconds (or an `httpx.Timeout`); overrides the client's.",
    ],
    [
        "`max_retries`",
        "*Optional[int]*",
        tables.NOT_REQUIRED,
        "This call's retry budget; overrides the client's (`0` turns retries off).",
    ],
    [
        "`extra_headers`",
        "*Optional[Mapping[str, str]]*",
        tables.NOT_REQUIRED,
        "Headers sent with this call only.",
    ],
]


@attrs.frozen
class MethodPage:
    name: str
    stream: bool
    summary: str
    doc: str
    example: Example
    parameters: str
    response: str
    errors: str
    binary: bool = False  # the call returns a BinaryResponse, used in ``with``
    empty: bool = False  # the call returns None


@attrs.frozen
class Example:
    """A method's example: the import line and the call, for the sync and async pages."""

    sync_import: str
    async_import: str
    stdlib_import: str  # ``import os``, after ``import datetime`` when a value needs it
    call: str  # laid out for the top level
    async_call: str  # laid out inside ``async def main`` and ``async with``


def example(api: ir.Api, group: ir.Group, method: ir.Method) -> Example:
    """The method called with each field that has an example, and a placeholder for each
    required field without one."""
    values = ExampleValues(api)
    args = []
    # A path segment is never empty: "" would address another resource.
    path_fields = {
        p.field.python_name: attrs.evolve(
            p.field, min_length=max(1, p.field.min_length or 0)
        )
        for p in method.located("path")
        if p.field.type == ir.PrimitiveType("str")
    }
    arguments = [*(p.field for p in method.parameters), *method.body_fields]
    arguments[: len(method.parameters)] = [
        path_fields.get(f.python_name, f) for f in arguments[: len(method.parameters)]
    ]
    for field in arguments:
        if field.example is not ir.NO_VALUE:
            value = values.value(field.example, field.type)
        elif field.required:
            value = values.field_placeholder(field)
        else:
            continue
        args.append(f"{parameter_name(field)}={value}")
    head = f"client.{group.dotted}.{method.name}"
    # A datetime or date value is written as datetime.datetime(...)
    dated = any("datetime." in a for a in args)
    return Example(
        sync_import=import_line(api.package, ["Client", *values.names]),
        async_import=import_line(api.package, ["AsyncClient", *values.names]),
        stdlib_import="import datetime\nimport os" if dated else "import os",
        call=call_text(head, args, indent=0),
        async_call=call_text(head, args, indent=8),
    )


def import_line(package: str, names: list[str]) -> str:
    line = f"from {package} import {', '.join(isort_order(names))}"
    if len(line) <= LINE_LENGTH:
        return line
    return (
        f"from {package} import (\n"
        + "".join(f"    {n},\n" for n in isort_order(names))
        + ")"
    )


def call_text(head: str, args: list[str], *, indent: int) -> str:
    """``head(args)`` on one line when the call fits by itself, else an argument a line
    (the line's own prefix, ``res = `` or ``with``, is not counted: it keeps the SDK's
    one-line FIM example)."""
    line = f"{head}({', '.join(args)})"
    if len(line) <= LINE_LENGTH or not args:
        return line
    pad = " " * (indent + 4)
    return f"{head}(\n" + "".join(f"{pad}{a},\n" for a in args) + " " * indent + ")"


def page_path(group: ir.Group) -> str:
    """A group's operation page, under the docs folder: ``sdks/fine_tuning/jobs/README.md``."""
    return "sdks/" + "/".join(group.path) + "/README.md"


def models_base(group: ir.Group) -> str:
    """The models folder, relative to the group's page."""
    return "../" * len(group.path) + "../models/"


def has_page(group: ir.Group) -> bool:
    """Only a group with methods has a page (a group of sub-groups alone has none)."""
    return bool(group.methods)


def sub_pages(group: ir.Group) -> list[tuple[str, str, str]]:
    """The pages nearest below ``group``'s (through groups without one): title, link
    relative to ``group``'s page, and doc."""
    out = []
    for sub in group.groups:
        if has_page(sub):
            link = "/".join(sub.path[len(group.path) :]) + "/README.md"
            out.append((group_title(sub), link, sub.doc))
        else:
            out.extend(
                (title, f"{sub.name}/{link}", doc)
                for title, link, doc in sub_pages(sub)
            )
    return out


def method_page(api: ir.Api, group: ir.Group, method: ir.Method) -> MethodPage:
    base = models_base(group)
    header, rows = tables.field_rows(
        _arguments(method), first="Parameter", base=base, name=parameter_name
    )
    width = len(header)
    rows += [row + [""] * (width - len(row)) for row in _OPTION_ROWS]
    if method.stream:
        event = method.stream.event.name
        response = f"**{tables.link(event, f'Stream[models.{event}]', base)}**"
        content_type: str | None = "text/event-stream"
    else:
        response = response_section(method.responses, base)
        validated = [r for r in method.responses if r.kind == "json"]
        several = len(method.responses) > 1
        content_type = "application/json" if validated or several else None
    errors = [
        [f"errors.{model.name}", str(status), "application/json"]
        for status, model in method.errors
    ]
    errors.append(["errors.APIError", "4XX, 5XX", "\\*/\\*"])
    if content_type is not None:  # a body that does not fit, or a status not listed
        errors.append(["errors.ResponseValidationError", "2XX", content_type])
    errors.append(["errors.APIConnectionError", "N/A", "N/A"])
    return MethodPage(
        name=method.name,
        stream=method.stream is not None,
        summary=method.summary or method.name,
        doc=markdown.body_text(method.doc or method.summary),
        example=example(api, group, method),
        parameters=tables.table(header, rows),
        response=response,
        errors=tables.table(["Error Type", "Status Code", "Content Type"], errors),
        binary=[r.kind for r in method.responses] == ["binary"],
        empty=[r.kind for r in method.responses] == ["empty"],
    )


# What the page says of a binary body: the official SDK returns the ``httpx.Response``.
BINARY_NOTE = (
    "A `BinaryResponse` is the body, streamed: iterate `res.iter_bytes()` (`res.aiter_bytes()` with "
    "`AsyncClient`), save it with `res.write_to(path_or_file)` or `res.read()` it whole, "
    "once; leave the `with` block to release the connection. Like the "
    "`httpx.Response` the official SDK returns, it has `status_code` and `headers`."
)


def response_type(response: ir.Response, base: str) -> str:
    """The bold cell of a response: a linked model or union, ``BinaryResponse`` or
    ``None``."""
    if isinstance(response.type, ir.NamedType):
        name = response.type.name
        return f"**{tables.link(name, f'models.{name}', base)}**"
    return "**BinaryResponse**" if response.kind == "binary" else "**None**"


def response_section(responses: tuple[ir.Response, ...], base: str) -> str:
    """One response: its type (and a note for a binary body); several: a table by
    status."""
    if len(responses) == 1:
        (response,) = responses
        cell = response_type(response, base)
        if response.kind == "binary":
            return f"{cell}\n\n{BINARY_NOTE}"
        if response.kind == "empty":
            return f"{cell}\n\nNo content: the call returns `None`."
        return cell
    content = {"json": "application/json", "binary": "application/octet-stream"}
    rows = [
        [str(r.status), response_type(r, base), content.get(r.kind, "N/A")]
        for r in responses
    ]
    text = tables.table(["Status Code", "Response", "Content Type"], rows)
    if any(r.kind == "binary" for r in responses):
        text += f"\n\n{BINARY_NOTE}"
    return text


def group_title(group: ir.Group) -> str:
    """The page's title: the group's client class (``Fim``, ``FineTuningJobs``)."""
    return naming.group_class(group.dotted)


def _arguments(method: ir.Method) -> tuple[ir.Field, ...]:
    """The keyword arguments in call order: path, query and header parameters, then the
    body's fields (as the official SDK flattens them)."""
    return (*(p.field for p in method.parameters), *method.body_fields)
