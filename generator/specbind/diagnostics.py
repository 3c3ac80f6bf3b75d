"""Diagnostics: every problem with a spec, reported with its place in the file."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

import attrs


@attrs.frozen(order=True)
class Diagnostic:
    """One problem, printed as ``FILE:LINE:COL: error: MESSAGE``.

    A problem in an OpenAPI document also names the JSON pointer (RFC 6901) of what it
    is about, printed before the message; ``severity`` is ``"warning"`` for what was
    read past (a repaired mistake, a skipped construct).
    """

    file: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: str = "error"
    pointer: str | None = attrs.field(
        default=None, order=lambda p: (p is not None, p or "")
    )

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}: {self.severity}: "
        if self.pointer is not None:
            where += f"#{self.pointer}: "
        text = where + self.message
        return f"{text} ({self.hint})" if self.hint else text


class SpecError(Exception):
    """Raised with every diagnostic of a spec once none of it can be generated."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(set(diagnostics))
        super().__init__("\n".join(map(str, self.diagnostics)))


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """The hint for a misspelt name: ``did you mean 'X'?``, or ``""`` when none is close."""
    close = difflib.get_close_matches(word, options, n=1)
    return f"did you mean '{close[0]}'?" if close else ""


def display_path(path: Path) -> str:
    """How a diagnostic names a file: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
