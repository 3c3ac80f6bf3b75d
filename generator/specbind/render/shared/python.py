"""Python source fragments that are safe for any spec text.

Templates lay code out and the format step (``specbind.formatting``) breaks long
lines; these helpers make the pieces whose content depends on the data: string
literals, and docstrings, which ruff never rewraps.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ... import formats, ir, naming

LINE_LENGTH = 88
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(text: str, quote: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch == quote:
            out.append("\\" + ch)
        elif not ch.isprintable() or ch in "\u2028\u2029":
            code = ord(ch)
            out.append(
                f"\\x{code:02x}"
                if code < 0x100
                else f"\\u{code:04x}"
                if code < 0x10000
                else f"\\U{code:08x}"
            )
        else:
            out.append(ch)
    return "".join(out)


def py_str(text: str) -> str:
    """A string literal quoted the way ruff prefers: double, unless that needs more escapes."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    return f"{quote}{_escape(text, quote)}{quote}"


def py_value(value: Any, type_: ir.TypeExpr, api: ir.Api | None = None) -> str:
    """A Python literal for a spec default of the given type (enum members by name)."""
    if value is None:
        return "None"
    if isinstance(type_, ir.NamedType) and type_.kind == "union" and api is not None:
        # The first variant the value fits, as the converter tries them: an enum's
        # value is its member, never a plain string.
        variants = api.union(type_.name).variants
        chosen = next((v for v in variants if _fits(value, v, api)), variants[0])
        return py_value(value, chosen, api)
    if (
        isinstance(type_, ir.NamedType)
        and type_.kind == "model"
        and api is not None
        and isinstance(value, dict)
    ):
        # A model's default is built as the model, its keys being wire names.
        fields = {f.wire_name: f for f in api.model(type_.name).fields}
        args = ", ".join(
            f"{fields[k].python_name}={py_value(v, fields[k].type, api)}"
            for k, v in value.items()
        )
        return f"{type_.name}({args})"
    if isinstance(type_, ir.NamedType) and type_.kind == "enum" and api is not None:
        members = api.enum(type_.name).members
        names = naming.enum_members([m.name for m in members])
        index = [m.value for m in members].index(value)
        return f"{type_.name}.{names[index]}"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str) and type_ == ir.PrimitiveType("datetime"):
        return repr(formats.parse_datetime(value))  # datetime.datetime(2024, ...)
    if isinstance(value, str) and type_ == ir.PrimitiveType("date"):
        return repr(formats.parse_date(value))
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, float) or (
        isinstance(type_, ir.PrimitiveType) and type_.name == "float"
    ):
        return repr(float(value))
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, list):
        item = type_.item if isinstance(type_, ir.ListType) else ir.PrimitiveType("any")
        return "[" + ", ".join(py_value(v, item, api) for v in value) + "]"
    if isinstance(value, dict):
        item = (
            type_.value if isinstance(type_, ir.DictType) else ir.PrimitiveType("any")
        )
        return (
            "{"
            + ", ".join(
                f"{py_str(k)}: {py_value(v, item, api)}" for k, v in value.items()
            )
            + "}"
        )
    raise TypeError(f"no literal for {value!r}")


def _fits(value: Any, type_: ir.TypeExpr, api: ir.Api) -> bool:
    """Whether a JSON value is a value of the type (models by shape only)."""
    if isinstance(type_, ir.PrimitiveType):
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return {
            "str": isinstance(value, str),
            "int": number and isinstance(value, int),
            "float": number,
            "bool": isinstance(value, bool),
            "any": True,
            "datetime": formats.fits_format(value, "datetime"),
            "date": formats.fits_format(value, "date"),
            "uuid": formats.fits_format(value, "uuid"),
            "bytes": isinstance(value, str),  # a file part's example: its file name
        }[type_.name]
    if isinstance(type_, ir.ListType):
        return isinstance(value, list) and all(_fits(v, type_.item, api) for v in value)
    if isinstance(type_, ir.DictType):
        return isinstance(value, dict) and all(
            _fits(v, type_.value, api) for v in value.values()
        )
    if type_.kind == "enum":
        values = [m.value for m in api.enum(type_.name).members]
        return value in values and type(value) in {type(v) for v in values}
    if type_.kind == "union":
        return any(_fits(value, v, api) for v in api.union(type_.name).variants)
    return isinstance(value, dict)


def _docstring_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch != "\n" and (not ch.isprintable() or ch in "\u2028\u2029"):
            out.append(_escape(ch, '"'))
        else:
            out.append(ch)
    return "".join(out).replace('"""', '\\"\\"\\"')


def docstring(text: str, indent: int = 0) -> str:
    """A docstring for ``text``, wrapped to the line length, indented for its block.

    Returns the literal with its first line unindented (the template places it).
    """
    width = LINE_LENGTH - indent
    lines: list[str] = []
    for number, line in enumerate(_docstring_text(text.strip()).split("\n")):
        stripped = line.rstrip()
        lead = stripped[: len(stripped) - len(stripped.lstrip())]
        quotes = '"""' if number == 0 else ""  # the opening quotes share the first line
        wrapped = textwrap.wrap(
            stripped.lstrip(),
            width=width - len(lead),
            initial_indent=quotes,
            break_long_words=False,
            break_on_hyphens=False,
        )
        if wrapped:
            wrapped[0] = wrapped[0].removeprefix(quotes)
            lines.extend(lead + w for w in wrapped)
        else:
            lines.append("")
    if not lines:
        lines = [""]
    last = lines[-1]
    escapes = len(last[:-1]) - len(last[:-1].rstrip("\\"))
    if last.endswith('"') and escapes % 2 == 0:  # a bare quote would close the literal
        lines[-1] = last[:-1] + '\\"'
    pad = " " * indent
    if len(lines) == 1 and indent + len(lines[0]) + 6 > LINE_LENGTH:
        # ruff joins a lone closing quote back onto a one-line docstring: leave room
        # for it on the first line, or keep one line when no space can break it.
        lines = (
            textwrap.wrap(
                lines[0],
                width=width - 6,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or lines
        )
    if len(lines) == 1:
        return f'"""{lines[0]}"""'
    body = "\n".join(pad + line if line else "" for line in lines[1:])
    return f'"""{lines[0]}\n{body}\n{pad}"""' if body else f'"""{lines[0]}\n{pad}"""'


def assign(indent: int, target: str, value: str, *, prefix: str = "") -> str:
    """``target = value`` at ``indent``; the format step breaks it if it is too long.

    ``prefix`` is an optional ``A if C else`` head of a conditional expression.
    """
    rhs = f"{prefix} {value}" if prefix else value
    return f"{' ' * indent}{target} = {rhs}"


def returns(indent: int, value: str) -> str:
    """``return value`` at ``indent``, like :func:`assign`."""
    return f"{' ' * indent}return {value}"
