"""``client.py``, ``errors.py`` and ``_sse.py``: thin httpx clients for the spec's operations."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from ... import formats, ir, naming
from ..shared.base import (
    SINGLE_SPEC,
    Layout,
    OutputFile,
    doc_title,
    make_env,
    python_header,
)
from ..shared.convert import ConverterCode
from ..shared.names import (
    dunder_all_order,
    isort_order,
    parameter_name,
    structure_name,
    unstructure_name,
)
from ..shared.python import docstring, py_str
from ..shared.types import PythonTypes, default_value, field_default
from . import params as param_code
from . import responses as answers

_env = make_env(
    Path(__file__).parent / "templates",
    {
        "docstring": docstring,
        "py_str": py_str,
        "group_class": naming.group_class,
    },
)


_RUNTIME = Path(__file__).parent / "runtime"


@attrs.frozen
class ErrorView:
    """The error class of the status codes whose body is one model, named after it."""

    statuses: tuple[int, ...]
    model: str

    @property
    def status_text(self) -> str:
        """``400``, or ``400, 404 or 409``: the statuses, for the docstring."""
        *rest, last = map(str, self.statuses)
        return f"{', '.join(rest)} or {last}" if rest else last

    @property
    def name(self) -> str:
        return self.model

    @property
    def structure(self) -> str:
        return structure_name(self.model)

    @property
    def parser(self) -> str:
        """The function that turns a response into this error (``ERROR_PARSERS``)."""
        return f"_{naming.snake(self.name)}"


@attrs.frozen
class MethodView:
    params: list[str]
    returns: str
    doc: str
    prepare: str  # the statements that build _query and _headers
    path: str
    query: str
    headers: str
    build_body: str
    body: str  # the expression passed as build_request's body
    unstructure: str
    event_structure: str
    event_helper: str
    terminator: str
    accept: str = "application/json"
    async_returns: str = ""  # the annotation in the async class
    unread: str = "False"  # send()'s stream=
    finish: str = ""  # the statements after send()
    async_finish: str = ""
    uses_response: bool = True
    error_parsers: str = ""  # build_request's error_parsers=, when the method has any


def error_parsers_name(statuses: Iterable[int]) -> str:
    """The constant of a method's typed errors, by its statuses (each status has one
    error class in a package): ``ERRORS_400_422``."""
    return naming.ERROR_MAP_PREFIX + "_".join(map(str, sorted(statuses)))


class ClientRenderer:
    name = "client"

    def render(self, api: ir.Api, layout: Layout = SINGLE_SPEC) -> Iterator[OutputFile]:
        if not api.groups:
            return
        code = ConverterCode(api)
        errors = _errors(api)
        patterns = param_code.pattern_constants(api)
        listed = param_code.listed_unions(api)
        group_types = {
            group.path: _group_types(api, group) for group in api.every_group()
        }
        methods = {
            (group.path, method.name): _method(
                api, group_types[group.path], code, group, method, patterns, listed
            )
            for group in api.every_group()
            for method in group.methods
        }
        check_calls = sorted(
            {
                name
                for view in methods.values()
                for name in re.findall(r"\b(_check_\w+)\(", view.prepare)
            }
        )
        converter_imports = isort_order(
            sorted(
                {e.structure for e in errors}
                | {name for m in methods.values() if (name := m.unstructure)}
                | {  # the models sent as query parameters
                    name
                    for m in methods.values()
                    for name in re.findall(r"\b(unstructure_\w+)\(", m.prepare)
                }
                | {
                    name
                    for m in _methods(api)
                    for name in answers.answer(m.responses).structures
                }
                | _event_structures(api)
            )
        )
        context = {
            "check_calls": check_calls,
            "checks_parameters": bool(check_calls),
            "param_patterns": [
                (name, py_str(formats.python_pattern(pattern)))
                for pattern, name in patterns.items()
            ],
            "api": api,
            "header": python_header(api),
            "title": doc_title(api),
            "errors": errors,
            "error_parsers": _error_parsers(api, errors),
            "all_methods": methods,
            "user_agent": f"{api.package}/{api.spec_sha256[:12]} (specbind)",
            "exports": dunder_all_order(
                [
                    "APIConnectionError",
                    "APIError",
                    "APITimeoutError",
                    "ClientError",
                    "InvalidAPIKeyError",
                    "MissingAPIKeyError",
                    "ResponseTooLargeError",
                    "ResponseValidationError",
                    "StreamError",
                    *(["InvalidParameterError"] if check_calls else []),
                    *(e.name for e in errors),
                ]
            ),
            "model_imports": _model_imports(api),
            "group_types": group_types,
            "every_group": list(api.every_group()),
            # The template spells int and str with builtin() in every method; the
            # annotations of the parameters say whether they name another builtin.
            "imports_builtins": any(
                {"int", "str"} & t.shadowed for t in group_types.values()
            )
            or any("builtins." in p for v in methods.values() for p in v.params),
            "has_streams": any(m.stream for m in _methods(api)),
            "uses_datetime": PythonTypes(api).uses_datetime(
                f.type
                for m in _methods(api)
                for f in (*m.body_fields, *(p.field for p in m.parameters))
            ),
            "has_json_methods": any(
                answers.uses(m.responses, "json") for m in _methods(api)
            ),
            "has_binary_methods": any(
                answers.uses(m.responses, "binary") for m in _methods(api)
            ),
            "has_several_statuses": any(len(m.responses) > 1 for m in _methods(api)),
            "forms_imports": _forms_imports(api, methods.values()),
            "uses_segment": any("segment(" in v.path for v in methods.values()),
            "uses_json_text": any("json_text(" in v.prepare for v in methods.values()),
            "converter_imports": converter_imports,
            "uses_new_instance": any(
                "new_instance(" in m.event_helper for m in methods.values()
            ),
        }
        # What ``_import_converters`` binds on the first client (see the template).
        context["lazy_imports"] = [
            *(["InvalidValueError", *check_calls] if check_calls else []),
            *converter_imports,
        ]
        uses_any = any(m.stream for m in _methods(api)) or any(
            ir.innermost(f.type) == ir.PrimitiveType("any")
            for m in _methods(api)
            for f in (*m.body_fields, *(p.field for p in m.parameters))
        )
        context["typing_imports"] = [
            *(["TYPE_CHECKING"] if context["lazy_imports"] else []),
            *(["Any"] if uses_any else []),
        ]
        for name in ("client.py", "errors.py"):
            text = _env.get_template(f"{name}.j2").render(context)
            yield OutputFile(f"{api.package}/{name}", text)
        for runtime in sorted(_RUNTIME.glob("*.py")):
            text = python_header(api) + runtime.read_text("utf-8")
            yield OutputFile(f"{api.package}/{runtime.name}", text)


def _methods(api: ir.Api) -> Iterator[ir.Method]:
    for group in api.every_group():
        yield from group.methods


def _group_types(api: ir.Api, group: ir.Group) -> PythonTypes:
    """Annotations inside a group's class, where its method names hide builtins."""
    return PythonTypes(api, shadowed=frozenset(m.name for m in group.methods))


def _error_parsers(
    api: ir.Api, errors: list[ErrorView]
) -> dict[str, list[tuple[int, str]]]:
    """Each constant of typed errors the methods use: its (status, parser) pairs."""
    parser = {status: error.parser for error in errors for status in error.statuses}
    return {
        error_parsers_name(statuses): [(status, parser[status]) for status in statuses]
        for statuses in sorted(
            {tuple(sorted(s for s, _ in m.errors)) for m in _methods(api) if m.errors}
        )
    }


def _errors(api: ir.Api) -> list[ErrorView]:
    """One error class a model, for every status its body is (by first status); each
    status has one model, named by the first method to list it."""
    seen: dict[int, str] = {}
    for method in _methods(api):
        for status, model in method.errors:
            seen.setdefault(status, model.name)
    statuses: dict[str, list[int]] = {}
    for status in sorted(seen):
        statuses.setdefault(seen[status], []).append(status)
    return [ErrorView(tuple(s), model) for model, s in statuses.items()]


def _method(
    api: ir.Api,
    types: PythonTypes,
    code: ConverterCode,
    group: ir.Group,
    method: ir.Method,
    patterns: dict[str, str],
    listed: frozenset[str],
) -> MethodView:
    fields = method.body_fields
    # A list or dict default cannot be a parameter's default (one object would be
    # shared by every call): such a parameter defaults to UNSET, meaning "the model's
    # default", and is passed on only when given.
    mutable = [f for f in fields if isinstance(f.default, (list, dict))]
    params = [
        f"{parameter_name(p.field)}: {types.field_annotation(p.field)}"
        + field_default(p.field, api)
        for p in method.parameters
    ]
    params += [
        f"{parameter_name(f)}: {types.field_annotation(f)}"
        + (" = UNSET" if f in mutable else field_default(f, api))
        for f in fields
    ]
    build_body = _build_body(method.request, mutable) if method.request else ""
    prepare, has_query, has_headers = param_code.prepare(
        method, types.open_enums, listed
    )
    prepare = param_code.checks(method, patterns) + prepare
    helper = f"_{'_'.join(group.path)}_{method.name}_event"
    if method.stream:
        event = method.stream.event
        returns = f"Stream[{event.name}]"
        event_helper = _event_helper(code, helper, method.stream)
        terminator = (
            py_str(method.stream.terminator) if method.stream.terminator else "None"
        )
        answer = None
    else:
        returns, event_helper, terminator = "", "", "None"
        answer = answers.answer(method.responses)
    return MethodView(
        params=params,
        returns=answer.returns if answer else returns,
        doc=method.doc or method.summary or method.name,
        prepare=prepare,
        path=param_code.path_expression(method, types.open_enums),
        query="_query" if has_query else "",
        headers="_headers" if has_headers else "",
        build_body=build_body,
        body=_body_expression(method),
        unstructure=unstructure_name(method.request.name) if method.request else "",
        event_structure=helper if method.stream else "",
        event_helper=event_helper,
        terminator=terminator,
        accept=answer.accept if answer else "text/event-stream",
        async_returns=answer.async_returns if answer else f"Async{returns}",
        unread=answer.unread if answer else "True",
        finish=answer.finish if answer else "",
        async_finish=answer.async_finish if answer else "",
        uses_response=answer.uses_response if answer else True,
        error_parsers=error_parsers_name(s for s, _ in method.errors)
        if method.errors
        else "",
    )


def _forms_imports(api: ir.Api, methods: Iterable[MethodView]) -> list[str]:
    """What the client module takes from ``_forms``: the body builders its methods
    use, and ``param_text`` (how the SDK spells a value) when a parameter needs it."""
    names = {f"{m.body}_body" for m in _methods(api) if m.body in ("multipart", "form")}
    helpers = ("comma_object_pair", "comma_pair", "deep_object_pairs")
    for helper in ("param_text", "query_pairs", *helpers):
        if any(f"{helper}(" in v.prepare + v.path for v in methods):
            names.add(helper)
    return sorted(names)


def _body_expression(method: ir.Method) -> str:
    """The JSON value of the body, or the ``FormBody`` of a multipart or form one."""
    if method.request is None:
        return "None"
    values = f"{unstructure_name(method.request.name)}(body)"
    if method.body == "form":
        return f"form_body({values})"
    if method.body == "multipart":
        files = [
            py_str(f.wire_name)
            for f in method.request.fields
            if f.type == ir.PrimitiveType("bytes")
        ]
        return f"multipart_body({values}, ({', '.join(files)}{',' if len(files) == 1 else ''}))"
    return values


def _build_body(request: ir.Model, mutable: list[ir.Field]) -> str:
    args = "".join(
        f"            {f.python_name}={parameter_name(f)},\n"
        for f in request.fields
        if f not in mutable
    )
    build_body = (
        f"        body = {request.name}(\n{args}        )"
        if args
        else f"        body = {request.name}()"
    )
    for field in mutable:
        build_body += (
            f"\n        if {parameter_name(field)} is not UNSET:"
            f"\n            body.{field.python_name} = {parameter_name(field)}"
        )
    return build_body + "\n"


def _event_helper(code: ConverterCode, helper: str, stream: ir.Stream) -> str:
    """The function that makes a stream's event model of an SSE frame: ``data`` from
    its JSON, and the fields named after the frame's own (``event``) from those."""
    event = stream.event
    values = {"data": code.structure(stream.data, "raw")}
    for field in _frame_fields(event):
        values[field.python_name] = (
            f"{structure_name(field.type.name)}(frame.event)"
            if isinstance(field.type, ir.NamedType)
            else "frame.event"
        )
    head = f"def {helper}(raw: Any, frame: _SSEFrame) -> {event.name}:\n"
    if {f.python_name for f in event.fields} != values.keys():
        args = ", ".join(f"{name}={value}" for name, value in values.items())
        return f"{head}    return {event.name}({args})"
    # Every field is set here: the instance is made without a call of ``__init__``
    # with keywords (a model has no validators or hooks), once per event.
    sets = "".join(f"    event.{name} = {value}\n" for name, value in values.items())
    return f"{head}    event = new_instance({event.name})\n{sets}    return event"


def _frame_fields(event: ir.Model) -> list[ir.Field]:
    """The event model's ``event`` field (a str or an enum): the frame's event name."""
    return [
        f
        for f in event.fields
        if f.wire_name == "event"
        and (
            f.type == ir.PrimitiveType("str")
            or (isinstance(f.type, ir.NamedType) and f.type.kind == "enum")
        )
    ]


def _event_structures(api: ir.Api) -> set[str]:
    names = set()
    for method in _methods(api):
        if method.stream is None:
            continue
        if isinstance(method.stream.data, ir.NamedType):
            names.add(structure_name(method.stream.data.name))
        names.update(
            structure_name(f.type.name)
            for f in _frame_fields(method.stream.event)
            if isinstance(f.type, ir.NamedType)
        )
    return names


def _model_imports(api: ir.Api) -> list[str]:
    names = {"UNSET", "UnsetType"}
    for method in _methods(api):
        if method.request:
            names.add(method.request.name)
        for response in method.responses:
            if isinstance(response.type, ir.NamedType):
                names.add(response.type.name)
        if method.stream:
            names.add(method.stream.event.name)
        for field in (*method.body_fields, *(p.field for p in method.parameters)):
            inner = ir.innermost(field.type)
            if isinstance(inner, ir.NamedType):
                names.add(inner.name)
            elif inner == ir.PrimitiveType("bytes"):
                names.add("FileContent")
            # A union's default may be a member of one of its variants' enums.
            if field.has_default:
                names.update(_enums_spelled(default_value(field, api), api))
    return isort_order(sorted(names))


def _enums_spelled(expression: str, api: ir.Api) -> set[str]:
    """The enums an expression names (``ToolChoiceEnum.AUTO``)."""
    spelled = set(re.findall(r"\b([A-Za-z_][A-Za-z0-9_]*)\.", expression))
    return {enum.name for enum in api.enums if enum.name in spelled}
