"""The per-group operation pages (``docs/sdks/<group>/README.md``), in the SDK's layout."""

from __future__ import annotations

import attrs

from ... import ir, naming
from ..shared import markdown
from ..shared.python import py_value
from . import tables

BASE = "../../models/"
_PLACEHOLDERS = {"str": "", "int": 0, "float": 0.0, "bool": False}
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
    example: str
    parameters: str
    response: str
    errors: str


def example_call(api: ir.Api, group: ir.Group, method: ir.Method) -> str:
    """The method called with each required field and every field that has an example."""
    args = []
    for field in method.request.fields:
        if field.example is not ir.NO_VALUE:
            value = field.example
        elif field.required and isinstance(field.type, ir.PrimitiveType):
            value = _PLACEHOLDERS.get(field.type.name)
        else:
            continue
        args.append(f"{field.python_name}={py_value(value, field.type, api)}")
    return f"client.{group.name}.{method.name}({', '.join(args)})"


def method_page(api: ir.Api, group: ir.Group, method: ir.Method) -> MethodPage:
    header, rows = tables.field_rows(method.request, first="Parameter", base=BASE)
    width = len(header)
    rows += [row + [""] * (width - len(row)) for row in _OPTION_ROWS]
    if method.stream:
        event = method.stream.event.name
        response = f"**{tables.link(event, f'Stream[models.{event}]', BASE)}**"
        content_type = "text/event-stream"
    else:
        assert method.response is not None
        name = method.response.name
        response = f"**{tables.link(name, f'models.{name}', BASE)}**"
        content_type = "application/json"
    errors = [
        [f"errors.{model.name}", str(status), "application/json"]
        for status, model in method.errors
    ]
    errors += [
        ["errors.APIError", "4XX, 5XX", "\\*/\\*"],
        ["errors.ResponseValidationError", "2XX", content_type],
        ["errors.APIConnectionError", "N/A", "N/A"],
    ]
    return MethodPage(
        name=method.name,
        stream=method.stream is not None,
        summary=method.summary or method.name,
        doc=markdown.body_text(method.doc or method.summary),
        example=example_call(api, group, method),
        parameters=tables.table(header, rows),
        response=response,
        errors=tables.table(["Error Type", "Status Code", "Content Type"], errors),
    )


def group_title(group: ir.Group) -> str:
    return naming.pascal(group.name)
