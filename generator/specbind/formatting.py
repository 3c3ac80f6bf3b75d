"""The format step: the pinned ruff formatter lays out every generated Python module.

Templates emit correct code; ruff decides where its lines break, as gofmt does for
protoc-gen-go and sqlc, so names and text of any length stay within the line length.
All modules go through one ``ruff format`` process, in a temporary folder, before the
writer sees them; nothing is written when ruff rejects one. The styles modules
(datamodel-code-generator's code, written unformatted) are laid out by it too, after
one ``ruff check --select I --fix`` sorts their imports; the rest of this step leaves
them as datamodel-code-generator wrote them.

Two things ruff leaves alone are done after it: a docstring too wide for its line is
rewrapped (as ``render.shared.python.docstring`` wraps, which ruff keeps), and a line
still too long (a string literal from the spec, which no formatter splits) is marked
``# noqa: E501``. Both look only at the rare too-wide lines, so they cost little.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import io
import re
import subprocess
import sys
import tempfile
import tokenize
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import attrs

from .render.shared.base import OutputFile
from .render.shared.python import LINE_LENGTH, docstring

NOQA = "  # noqa: E501"

# The settings the generated code is checked with; --isolated ignores any ruff
# configuration around the output or the temporary folder.
RUFF_FORMAT = (
    "format",
    "--isolated",
    "--no-cache",
    "--line-length",
    "88",
    "--target-version",
    "py310",
)
# The styles' imports sorted as ruff's isort rules would have them (the only rule
# fixed in them: their code is datamodel-code-generator's).
RUFF_SORT_IMPORTS = (
    "check",
    "--isolated",
    "--no-cache",
    "--quiet",
    "--select",
    "I",
    "--fix",
    "--target-version",
    "py310",
)


class FormatError(Exception):
    """ruff could not format a generated module: a generator bug, not a spec problem."""


def _ruff() -> list[str]:
    """The ruff executable installed with specbind (its wheel has no type hints)."""
    try:
        find_ruff_bin = importlib.import_module("ruff.__main__").find_ruff_bin
        return [str(find_ruff_bin())]
    except (ImportError, FileNotFoundError):  # pragma: no cover - a broken install
        return [sys.executable, "-m", "ruff"]


def format_python(
    files: Sequence[OutputFile], packages: Sequence[str]
) -> list[OutputFile]:
    """``files`` with every module of the generated ``packages`` formatted by ruff, and
    the packages' styles modules (``styles/<package>_<style>.py``, which
    datamodel-code-generator writes unformatted) with their imports sorted first."""
    prefixes = tuple(f"{package}/" for package in packages)
    styles = tuple(f"styles/{package}_" for package in packages)
    chosen = [
        i
        for i, f in enumerate(files)
        if f.path.endswith(".py") and f.path.startswith(prefixes + styles)
    ]
    if not chosen:
        return list(files)
    sorted_imports = [files[i].path for i in chosen if files[i].path.startswith(styles)]
    out = list(files)
    with tempfile.TemporaryDirectory(prefix="specbind-format-") as tmp:
        root = Path(tmp)
        for i in chosen:
            target = root / files[i].path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[i].content, "utf-8", newline="")
        if sorted_imports:
            _run_ruff([*RUFF_SORT_IMPORTS, *sorted_imports], root)
        _run_ruff([*RUFF_FORMAT, *(files[i].path for i in chosen)], root)
        for i in chosen:
            text = (root / files[i].path).read_text("utf-8")
            if not files[i].path.startswith(styles):
                text = mark_long_lines(wrap_docstrings(text))
            out[i] = attrs.evolve(files[i], content=text)
    return out


def _run_ruff(arguments: list[str], root: Path) -> None:
    try:
        result = subprocess.run(
            [*_ruff(), *arguments],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        raise FormatError(f"cannot run ruff: {exc}") from exc
    if result.returncode != 0:
        raise FormatError(_failure(result.stderr or result.stdout, root))


def _failure(message: str, root: Path) -> str:
    """ruff's message with the temporary folder taken out of its paths."""
    text = message.replace(f"{root}/", "").replace(str(root), "").strip()
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)  # no colour codes in the report
    return f"ruff format rejected the generated code:\n{text}"


def width(line: str) -> int:
    """A line's width as ruff measures it: wide East Asian characters count twice."""
    if line.isascii():
        return len(line)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def _too_wide(line: str) -> bool:
    # No character is wider than two columns: most lines are decided by length alone.
    return len(line) > LINE_LENGTH or (
        2 * len(line) > LINE_LENGTH and width(line) > LINE_LENGTH
    )


def is_overlong(line: str) -> bool:
    """Whether ruff's E501 flags ``line``: too wide, and not one word, nor ending in a
    URL that starts within the limit."""
    if not _too_wide(line):
        return False
    chunks = line.split()
    if len(chunks) < 2:
        return False
    last = chunks[-1]
    return not ("://" in last and width(line[: line.rindex(last)]) <= LINE_LENGTH)


def wrap_docstrings(source: str) -> str:
    """``source`` with each docstring that has an overlong line rewrapped.

    A module of a big spec is megabytes, too much to parse for the odd wide line: the
    docstring is found around that line, and parsed alone to be sure it is one.
    """
    lines = source.splitlines(keepends=True)
    for number in reversed(range(len(lines))):
        if number < len(lines) and is_overlong(lines[number].rstrip("\n")):
            span = _docstring_around(lines, number)
            if span is not None:
                first, last, indent, text = span
                literal = docstring(inspect.cleandoc(text), indent)
                lines[first : last + 1] = [" " * indent + literal + "\n"]
    return "".join(lines)


# Lines looked back for a docstring's opening quotes: bounds the search from a wide
# line of code, which is in no docstring.
_LONGEST_DOCSTRING = 1000
# A docstring follows a complete line; one ending like this is inside an expression.
_CONTINUED = tuple("([{,=\\+-*/|&%<>")


def _docstring_around(
    lines: list[str], number: int
) -> tuple[int, int, int, str] | None:
    """``(first, last, indent, text)`` of the docstring that line ``number`` is in."""
    lowest = max(0, number - _LONGEST_DOCSTRING)
    first = next(
        (
            i
            for i in range(number, lowest - 1, -1)
            if lines[i].lstrip().startswith('"""')
        ),
        None,
    )
    if first is None:
        return None
    opening = lines[first].strip()
    if len(opening) >= 6 and opening.endswith('"""'):
        last = first
    else:
        last = next(
            (i for i in range(first + 1, len(lines)) if lines[i].strip() == '"""'), -1
        )
    if not first <= number <= last:
        return None
    before = next((ln.rstrip() for ln in reversed(lines[:first]) if ln.strip()), "")
    if before.endswith(_CONTINUED):
        return None
    snippet = lines[first].lstrip() + "".join(lines[first + 1 : last + 1])
    try:
        body = ast.parse(snippet).body
    except SyntaxError:
        return None
    if len(body) != 1 or not isinstance(body[0], ast.Expr):
        return None
    value = body[0].value
    if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
        return None
    indent = len(lines[first]) - len(lines[first].lstrip())
    return first, last, indent, value.value


def mark_long_lines(source: str) -> str:
    """``source`` with ``# noqa: E501`` after each too-long line that can take a comment."""
    lines = source.splitlines(keepends=True)
    long = {
        number for number, line in enumerate(lines, 1) if is_overlong(line.rstrip("\n"))
    }
    if not long:
        return source
    inside_strings: set[int] = set()  # lines that end inside a multi-line string
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.start[0] < token.end[0]:
            inside_strings.update(range(token.start[0], token.end[0]))
    for number in sorted(long - inside_strings):
        lines[number - 1] = lines[number - 1].rstrip("\n") + NOQA + "\n"
    return "".join(lines)
