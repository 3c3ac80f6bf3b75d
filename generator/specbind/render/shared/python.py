"""Python source fragments that are safe for any spec text and already ruff-formatted.

Templates lay code out; these helpers make the pieces whose shape depends on the data:
string literals, docstrings and statements that must wrap the way ``ruff format`` would.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ... import ir, naming

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
    if isinstance(type_, ir.NamedType) and type_.kind == "enum" and api is not None:
        members = api.enum(type_.name).members
        names = naming.enum_members([m.name for m in members])
        index = [m.value for m in members].index(value)
        return f"{type_.name}.{names[index]}"
    if isinstance(value, bool):
        return "True" if value else "False"
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
    if len(lines) == 1 and indent + len(lines[0]) + 6 <= LINE_LENGTH:
        return f'"""{lines[0]}"""'
    body = "\n".join(pad + line if line else "" for line in lines[1:])
    return f'"""{lines[0]}\n{body}\n{pad}"""' if body else f'"""{lines[0]}\n{pad}"""'


def assign(indent: int, target: str, value: str, *, prefix: str = "") -> str:
    """``target = value`` wrapped as ruff wraps a right-hand side that does not fit.

    ``prefix`` is an optional ``A if C else`` head of a conditional expression.
    """
    return _statement(indent, f"{target} = ", value, prefix)


def returns(indent: int, value: str) -> str:
    """``return value``, wrapped like :func:`assign`."""
    return _statement(indent, "return ", value, "")


def _statement(indent: int, keyword: str, value: str, prefix: str) -> str:
    pad = " " * indent
    head = f"{pad}{keyword}"
    rhs = f"{prefix} {value}" if prefix else value
    if len(head) + len(rhs) <= LINE_LENGTH:
        return head + rhs
    inner = pad + "    "
    opening = None if prefix else _opening_of_last_bracket(rhs)
    # Like ruff, split inside the trailing brackets when the line up to them fits...
    if opening is not None and len(head) + opening + 1 <= LINE_LENGTH:
        content = rhs[opening + 1 : -1]
        if len(inner) + len(content) > LINE_LENGTH and rhs[opening] == "(":
            content = "".join(f"{arg},\n{inner}" for arg in _top_level_args(content))
            content = content.removesuffix(f"\n{inner}")
        return f"{head}{rhs[: opening + 1]}\n{inner}{content}\n{pad}{rhs[-1]}"
    # ...else wrap the whole right-hand side in parentheses; a conditional expression
    # too long for that gets a line for each of its three parts.
    if prefix and len(inner) + len(rhs) > LINE_LENGTH:
        first, _, cond = prefix.partition(" if ")
        cond = cond.removesuffix(" else")
        last = _split_line(f"{inner}else {value}")
        return f"{head}(\n{inner}{first}\n{inner}if {cond}\n{last}\n{pad})"
    return f"{head}(\n{inner}{rhs}\n{pad})"


def _split_line(line: str) -> str:
    """A too-long line that ends in brackets, split inside them as ruff would."""
    opening = _opening_of_last_bracket(line)
    if len(line) <= LINE_LENGTH or opening is None:
        return line
    pad = line[: len(line) - len(line.lstrip())]
    return f"{line[: opening + 1]}\n{pad}    {line[opening + 1 : -1]}\n{pad}{line[-1]}"


def _top_level_args(text: str) -> list[str]:
    """``a, f(b, c), d`` -> ``["a", "f(b, c)", "d"]``: split on commas outside brackets."""
    args, depth, start = [], 0, 0
    for index, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(text[start:index].strip())
            start = index + 1
    args.append(text[start:].strip())
    return args


def _opening_of_last_bracket(text: str) -> int | None:
    """The index of the bracket that the final closing bracket of ``text`` closes."""
    pairs = {")": "(", "]": "[", "}": "{"}
    if not text or text[-1] not in pairs:
        return None
    depth, quote = 0, None
    for index in range(len(text) - 1, -1, -1):
        ch = text[index]
        if quote:
            if ch == quote and (index == 0 or text[index - 1] != "\\"):
                quote = None
            continue
        if ch in "\"'":
            quote = ch
        elif ch in pairs:
            depth += 1
        elif ch in "([{":
            depth -= 1
            if depth == 0:
                return index
    return None
