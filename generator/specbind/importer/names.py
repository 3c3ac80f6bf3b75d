"""Names as Speakeasy gives them: class names, enum members, the claims of inline types.

Speakeasy (the official Mistral SDK's generator) PascalCases a schema's name word by
word and writes initialisms upper case; an inline type takes the first of its
candidate names that no other type has, component names being taken before any.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..naming import unique

# Words Speakeasy writes upper case inside class names (``ModelId`` -> ``ModelID``).
INITIALISMS = frozenset(
    {"api", "id", "url", "uri", "http", "https", "json", "uuid", "sse", "fim"}
)
# A word keeps the digits that follow it (``v1``, ``V1``), as Speakeasy's names do.
_WORD = re.compile(r"[A-Z]+(?![a-z])[0-9]*|[A-Z]?[a-z]+[0-9]*|[0-9]+")


def words(text: str) -> list[str]:
    """``retrieve_model__model_id__get`` and ``ImageURLChunk`` split into words."""
    return [w for part in re.split(r"[^0-9A-Za-z]+", text) for w in _WORD.findall(part)]


def class_name(text: str) -> str:
    """``files_api_routes_list_files`` -> ``FilesAPIRoutesListFiles``."""
    out = []
    for word in words(text):
        lower = word.lower()
        out.append(
            word.upper() if lower in INITIALISMS else word[:1].upper() + word[1:]
        )
    name = "".join(out)
    return f"Type{name}" if name[:1].isdigit() else name or "Type"


def snake_case(text: str) -> str:
    """``ModelID`` -> ``model_id``; ``fine-tuning`` -> ``fine_tuning``."""
    name = "_".join(w.lower() for w in words(text))
    return f"n_{name}" if name[:1].isdigit() else name or "default"


def enum_member(value: object) -> str:
    """``fine-tune`` -> ``FINE_TUNE``; ``3`` -> ``VALUE_3``; ``*`` -> ``VALUE``."""
    if isinstance(value, int):
        return f"VALUE_{value}".replace("-", "MINUS_")
    name = "_".join(w.upper() for w in words(str(value)))
    return f"VALUE_{name}" if name[:1].isdigit() else name or "VALUE"


def enum_members(values: Iterable[object]) -> list[str]:
    """Member names for an enum's values, unique after renaming (``A``, ``A_2``)."""
    taken: list[str] = []
    for value in values:
        taken.append(unique(enum_member(value), taken))
    return taken


ORDINALS = (
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
)


def ordinal(index: int) -> str:
    """``One``, ``Two``... for the unnamed members of a union (0-based ``index``)."""
    return ORDINALS[index] if index < len(ORDINALS) else f"Member{index + 1}"


class NameTable:
    """The class names handed out so far; the first free candidate wins."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.taken: set[str] = set(reserved)

    def claim(self, candidates: Iterable[str]) -> str:
        options = [c for c in candidates if c]
        for candidate in options:
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        base, n = options[-1], 2
        while f"{base}{n}" in self.taken:
            n += 1
        self.taken.add(f"{base}{n}")
        return f"{base}{n}"
