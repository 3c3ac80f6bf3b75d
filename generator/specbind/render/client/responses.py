"""How a generated method turns its response into what it returns, sync and async."""

from __future__ import annotations

import attrs

from ... import ir
from ..shared.names import structure_name

_ACCEPT = {"json": "application/json", "binary": "application/octet-stream"}


@attrs.frozen
class Answer:
    """The parts of a method that depend on its responses (not for event streams)."""

    returns: str  # the sync annotation
    async_returns: str
    accept: str
    unread: str  # send()'s stream=: the 2xx bodies left unread
    finish: str  # the statements after send(), sync
    uses_response: bool  # whether they read the response (send() is then assigned)
    async_finish: str
    structures: frozenset[str]  # converter functions used


def answer(responses: tuple[ir.Response, ...]) -> Answer:
    binary = {r.status for r in responses if r.kind == "binary"}
    if binary == {r.status for r in responses} and len(responses) == 1:
        unread = "True"  # one binary answer: any 2xx is that body
    elif binary:
        unread = f"frozenset({{{', '.join(map(str, sorted(binary)))}}})"
    else:
        unread = "False"
    kinds = dict.fromkeys(r.kind for r in responses if r.kind in _ACCEPT)
    return Answer(
        returns=_annotation(responses, "BinaryResponse"),
        async_returns=_annotation(responses, "AsyncBinaryResponse"),
        accept=", ".join(_ACCEPT[k] for k in kinds) or "application/json",
        unread=unread,
        finish=_finish(responses, "BinaryResponse"),
        uses_response=[r.kind for r in responses] != ["empty"],
        async_finish=_finish(responses, "AsyncBinaryResponse"),
        structures=frozenset(
            structure_name(r.type.name)
            for r in responses
            if isinstance(r.type, ir.NamedType)
        ),
    )


def uses(responses: tuple[ir.Response, ...], kind: ir.ResponseKind) -> bool:
    return any(r.kind == kind for r in responses)


def _python_type(response: ir.Response, binary: str) -> str:
    if isinstance(response.type, ir.NamedType):
        return response.type.name
    return binary if response.kind == "binary" else "None"


def _annotation(responses: tuple[ir.Response, ...], binary: str) -> str:
    types = list(dict.fromkeys(_python_type(r, binary) for r in responses))
    if "None" in types:  # last, as Python writes optional types
        types.remove("None")
        types.append("None")
    return " | ".join(types)


def _value(response: ir.Response, binary: str) -> str:
    if isinstance(response.type, ir.NamedType):
        return f"parse_body(response, {structure_name(response.type.name)})"
    if response.kind == "binary":
        return f"{binary}(response, self._client.max_response_size)"
    return "None"


def _finish(responses: tuple[ir.Response, ...], binary: str) -> str:
    pad = " " * 8
    if len(responses) == 1:  # one response answers every 2xx status
        return f"{pad}return {_value(responses[0], binary)}\n"
    lines = [
        f"{pad}if response.status_code == {r.status}:\n{pad}    return {_value(r, binary)}\n"
        for r in responses
    ]
    statuses = ", ".join(str(r.status) for r in responses)
    lines.append(f"{pad}raise unexpected_status(response, ({statuses}))\n")
    return "".join(lines)
