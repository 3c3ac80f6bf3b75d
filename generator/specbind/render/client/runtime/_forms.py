"""Multipart and form bodies: the parts as the official SDK sends them, files streamed.

A file part is ``bytes``, a binary file object, or a ``(filename, content,
content_type)`` triple; httpx streams a file object in 64 KiB reads, never whole, names
a part without a file name after the object's ``name`` (else ``upload``) and guesses a
missing content type from the file name, as for the SDK. Text
values are spelled as the SDK spells them (``true``/``false``, enum values, RFC 3339
with ``Z``); ``None`` and absent values are not sent. In a multipart body a list is sent
as one ``name[]`` part per item, in a form body as the key repeated.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Mapping
from typing import Any

from ._files import FileContent

__all__ = [
    "FormBody",
    "comma_object_pair",
    "comma_pair",
    "deep_object_pairs",
    "form_body",
    "multipart_body",
    "param_text",
    "query_pairs",
]


class FormBody:
    """A body for ``httpx.build_request``: text fields (``data``) and file parts.

    httpx seeks a file object back to its start before each attempt sends it. One
    that cannot seek would send only what is left of it, so ``replayable`` is then
    False and no retry is made once the body may have been read.
    """

    __slots__ = ("data", "files", "media_type", "replayable")

    def __init__(
        self,
        media_type: str,
        data: list[tuple[str, str]],
        files: list[tuple[str, FileContent]] | None = None,
    ) -> None:
        self.media_type = media_type
        self.data: dict[str, list[str]] = {}
        self.files: list[tuple[str, Any]] | None = files
        self.replayable = all(_seekable(part) for _, part in files or ())
        if media_type == "multipart/form-data" and not files:
            # httpx sends data without files as a form: text parts go as files without
            # a file name or content type, which httpx writes as plain fields.
            self.files = [(key, (None, value.encode())) for key, value in data]
            return
        for key, value in data:
            self.data.setdefault(key, []).append(value)


def _seekable(part: FileContent) -> bool:
    content = part[1] if isinstance(part, tuple) else part
    if isinstance(content, bytes):
        return True
    try:
        return bool(content.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def param_text(value: object) -> str:
    """A value as the official SDK spells it in a parameter or a form: enums by
    value, booleans in lowercase, datetimes in ISO 8601 with ``Z`` for UTC."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.isoformat().replace("+00:00", "Z")
    return str(value)


def query_pairs(values: Mapping[str, object]) -> list[tuple[str, str]]:
    """An object query parameter exploded, as the official SDK sends it (OpenAPI's
    ``style: form, explode: true``): one ``key=value`` pair per entry that is not
    ``None``, each value spelled as :func:`param_text` spells it (a nested list or dict
    as Python's ``str`` of it, which is what the SDK sends)."""
    return [
        (key, param_text(value)) for key, value in values.items() if value is not None
    ]


def comma_pair(name: str, texts: Iterable[str]) -> list[tuple[str, str]]:
    """A ``style: comma`` list (OpenAPI's ``form`` with ``explode: false``): its
    texts joined by commas in one ``name=a,b`` pair; none for an empty list."""
    items = list(texts)
    for item in items:
        if "," in item:  # it would read as two values
            raise ValueError(
                f"the parameter {name!r} is sent joined by commas, so its values "
                f"cannot hold one: {item!r}"
            )
    return [(name, ",".join(items))] if items else []


def comma_object_pair(
    name: str, pairs: Iterable[tuple[str, str]]
) -> list[tuple[str, str]]:
    """A ``style: comma`` object: its keys and values in one ``name=k1,v1,k2,v2``
    pair; none for an empty object."""
    return comma_pair(name, (text for pair in pairs for text in pair))


def deep_object_pairs(
    name: str, pairs: Iterable[tuple[str, str]]
) -> list[tuple[str, str]]:
    """A ``style: deep_object`` object (OpenAPI's ``deepObject``): one
    ``name[key]=value`` pair per entry."""
    return [(f"{name}[{key}]", value) for key, value in pairs]


def multipart_body(values: Mapping[str, Any], files: Iterable[str]) -> FormBody:
    """A multipart/form-data body from a model's unstructured ``values``; the keys in
    ``files`` are file parts."""
    file_keys = frozenset(files)
    data: list[tuple[str, str]] = []
    parts: list[tuple[str, FileContent]] = []
    for key, value in values.items():
        if value is None:
            continue
        if key in file_keys:
            parts.append((key, value))  # httpx names and types it as the SDK does
        elif isinstance(value, list):
            data.extend(
                (f"{key}[]", param_text(item)) for item in value if item is not None
            )
        else:
            data.append((key, param_text(value)))
    return FormBody("multipart/form-data", data, parts)


def form_body(values: Mapping[str, Any]) -> FormBody:
    """An application/x-www-form-urlencoded body from a model's unstructured values."""
    data: list[tuple[str, str]] = []
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, list):
            data.extend((key, param_text(item)) for item in value if item is not None)
        else:
            data.append((key, param_text(value)))
    return FormBody("application/x-www-form-urlencoded", data)
