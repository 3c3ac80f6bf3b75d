"""The type expression grammar: ``str``, ``list[T]``, ``dict[str, T]``, ``A | B``, names.

Parsed into a small syntax tree; names are resolved later, by the IR builder.
"""

from __future__ import annotations

import re

import attrs

PRIMITIVES = ("str", "int", "float", "bool", "any", "datetime", "date", "uuid", "bytes")
MAX_DEPTH = 32
# What the grammar reads as a name, and so what a model, union or enum may be called.
TYPE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOKEN = re.compile(rf"\s*(?:(?P<name>{TYPE_NAME.pattern})|(?P<punct>[\[\],|]))")


@attrs.frozen
class Name:
    name: str
    offset: int


@attrs.frozen
class ListOf:
    item: Syntax


@attrs.frozen
class DictOf:
    value: Syntax


@attrs.frozen
class UnionOf:
    variants: tuple[Syntax, ...]


Syntax = Name | ListOf | DictOf | UnionOf


class TypeSyntaxError(ValueError):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, int]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            match = _TOKEN.match(text, pos)
            if not match:
                offset = len(text) - len(text[pos:].lstrip())
                raise TypeSyntaxError(
                    f"unexpected character {text[offset]!r} in type", offset
                )
            kind = "name" if match.group("name") else "punct"
            self.tokens.append((match.group(kind), match.start(kind)))
            pos = match.end()
        self.index = 0
        self.depth = 0

    def peek(self) -> str | None:
        return self.tokens[self.index][0] if self.index < len(self.tokens) else None

    def offset(self) -> int:
        return (
            self.tokens[self.index][1]
            if self.index < len(self.tokens)
            else len(self.text)
        )

    def expect(self, token: str) -> None:
        if self.peek() != token:
            found = "the end" if self.peek() is None else repr(self.peek())
            raise TypeSyntaxError(
                f"expected {token!r} in type, found {found}", self.offset()
            )
        self.index += 1

    def union(self) -> Syntax:
        variants = [self.atom()]
        while self.peek() == "|":
            self.index += 1
            variants.append(self.atom())
        return variants[0] if len(variants) == 1 else UnionOf(tuple(variants))

    def atom(self) -> Syntax:
        token, offset = self.peek(), self.offset()
        if token is None or not (token[0].isalpha() or token[0] == "_"):
            found = "the end" if token is None else repr(token)
            raise TypeSyntaxError(f"expected a type name, found {found}", offset)
        self.index += 1
        if token in ("list", "dict") and self.peek() == "[":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise TypeSyntaxError(
                    f"the type nests more than {MAX_DEPTH} levels deep", offset
                )
            try:
                return self.container(token)
            finally:
                self.depth -= 1
        if token in ("list", "dict"):
            raise TypeSyntaxError(f"{token} needs its item type: {token}[...]", offset)
        return Name(token, offset)

    def container(self, token: str) -> Syntax:
        """``list[T]`` or ``dict[str, T]``, from the ``[`` on."""
        self.index += 1
        if token == "list":
            item = self.union()
            self.expect("]")
            return ListOf(item)
        key_offset = self.offset()
        key = self.atom()
        if key != Name("str", key_offset):
            raise TypeSyntaxError(
                "dict keys must be str (JSON object keys are strings)", key_offset
            )
        self.expect(",")
        value = self.union()
        self.expect("]")
        return DictOf(value)


def parse_type(text: str) -> Syntax:
    """Parse a type expression; raises :class:`TypeSyntaxError` with the offset of the fault."""
    parser = _Parser(text)
    result = parser.union()
    if parser.peek() is not None:
        raise TypeSyntaxError(
            f"unexpected {parser.peek()!r} after the type", parser.offset()
        )
    return result
