"""The string formats of ``datetime``, ``date`` and ``uuid`` values, for checking the
spec's defaults and examples and writing them as Python literals.

The generated converter has its own copy (``_convert.py`` imports nothing of specbind);
the tests hold the two to the same answers.
"""

from __future__ import annotations

import datetime
import re

_DATETIME = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d+))?"
    r"(?:(?P<utc>[Zz])|(?P<sign>[+-])(\d\d):(\d\d))",
    re.ASCII,
)
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)", re.ASCII)
_UUID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}", re.ASCII)


def parse_datetime(text: str) -> datetime.datetime | None:
    """An RFC 3339 date-time (its offset required) as an aware datetime, else ``None``."""
    match = _DATETIME.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = map(int, match.groups()[:6])
    fraction = match[7]
    try:
        if match["utc"]:
            tz = datetime.timezone.utc
        else:
            offset = datetime.timedelta(hours=int(match[10]), minutes=int(match[11]))
            tz = datetime.timezone(-offset if match["sign"] == "-" else offset)
        micro = int((fraction or "").ljust(6, "0")[:6])
        return datetime.datetime(
            year, month, day, hour, minute, second, micro, tzinfo=tz
        )
    except ValueError:
        return None


def parse_date(text: str) -> datetime.date | None:
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return datetime.date(*map(int, match.groups()))
    except ValueError:
        return None


def is_uuid(text: str) -> bool:
    return _UUID.fullmatch(text) is not None


def fits_format(value: object, name: str) -> bool:
    """Whether ``value`` is a wire value of the primitive ``name`` (datetime, date, uuid)."""
    if not isinstance(value, str):
        return False
    if name == "datetime":
        return parse_datetime(value) is not None
    if name == "date":
        return parse_date(value) is not None
    return is_uuid(value)


def python_pattern(pattern: str) -> str:
    """A JSON Schema ``pattern`` (ECMA-262) for Python's ``re.search``: each ``$`` outside
    a character class becomes ``\\Z``, since Python's ``$`` also matches before a final
    newline (``"a\\n"`` would pass ``^[a-z]+$``, which pydantic and ECMA-262 refuse)."""
    out: list[str] = []
    in_class = escaped = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            out.append(r"\Z")
            continue
        out.append(char)
    return "".join(out)
