"""Type expressions (``list[str]``, ``A | B``, names) -> IR types, naming inline unions."""

from __future__ import annotations

from .. import ir
from ..diagnostics import did_you_mean
from ..parse.load import Path_, Position
from ..parse.types import (
    PRIMITIVES,
    DictOf,
    ListOf,
    Syntax,
    TypeSyntaxError,
    UnionOf,
    parse_type,
)
from .context import Context


def type_of(
    ctx: Context,
    text: str,
    path: Path_,
    inline_name: str | None = None,
    inline_doc: str = "",
) -> ir.TypeExpr | None:
    """The type the string scalar at ``path`` spells; ``None`` once reported as wrong.

    A union in it is declared as the inline union ``inline_name``; without a name, a
    union is an error (only a field's type may hold one).
    """
    try:
        syntax = parse_type(text)
    except TypeSyntaxError as exc:
        ctx.error_at(position_in(ctx, path, text, exc.offset), str(exc))
        return None
    return _resolve(ctx, syntax, path, text, inline_name, inline_doc)


def position_in(ctx: Context, path: Path_, text: str, offset: int) -> Position:
    """Where ``text[offset]`` of the string scalar at ``path`` stands in the file.

    Exact for a plain scalar, a quoted one without escapes and a one-line block
    scalar (``|`` or ``>``); otherwise the start of the scalar.
    """
    pos = ctx.doc.at(path)
    lines = ctx.lines
    if pos.line > len(lines):
        return pos
    rest = lines[pos.line - 1][pos.column - 1 :]
    if rest.startswith(text):
        return Position(pos.line, pos.column + offset)
    quote = rest[:1]
    if quote in ("'", '"') and rest[1:].startswith(text + quote):
        return Position(pos.line, pos.column + 1 + offset)
    content = text.rstrip("\n")
    if quote in ("|", ">") and content and "\n" not in content:
        body = next((n for n in range(pos.line, len(lines)) if lines[n].strip()), None)
        if body is not None and lines[body].strip() == content:
            indent = len(lines[body]) - len(lines[body].lstrip())
            return Position(body + 1, indent + 1 + offset)
    return pos


def _resolve(
    ctx: Context,
    syntax: Syntax,
    path: Path_,
    text: str,
    inline_name: str | None,
    inline_doc: str,
) -> ir.TypeExpr | None:
    if isinstance(syntax, ListOf):
        item = _resolve(ctx, syntax.item, path, text, inline_name, inline_doc)
        return None if item is None else ir.ListType(item)
    if isinstance(syntax, DictOf):
        value = _resolve(ctx, syntax.value, path, text, inline_name, inline_doc)
        return None if value is None else ir.DictType(value)
    if isinstance(syntax, UnionOf):
        if inline_name is None:
            ctx.error(
                path,
                "a union inside a union or a second union in one type; declare it under 'unions'",
            )
            return None
        variants = [_resolve(ctx, v, path, text, None, "") for v in syntax.variants]
        if any(v is None for v in variants):
            return None
        resolved = tuple(v for v in variants if v)
        ctx.declare(inline_name, "union", path)
        ctx.inline_unions.append(ir.Union(inline_name, resolved, inline_doc))
        ctx.union_variants.setdefault(inline_name, resolved)
        return ir.NamedType(inline_name, "union")
    if syntax.name in PRIMITIVES:
        return ir.PrimitiveType(syntax.name)  # type: ignore[arg-type]
    if syntax.name in ctx.kinds:
        return ir.NamedType(syntax.name, ctx.kinds[syntax.name])
    ctx.error_at(
        position_in(ctx, path, text, syntax.offset),
        f"unknown type '{syntax.name}'",
        did_you_mean(syntax.name, [*PRIMITIVES, "list", "dict", *ctx.kinds])
        or "expected str, int, float, bool, any, list[T], dict[str, T] or a declared name",
    )
    return None
