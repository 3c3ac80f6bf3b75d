"""A default of a union with an enum variant is the enum's member (union_enum_default)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

EXPECTED = Path(__file__).parent / "cases" / "union_enum_default" / "expected"


@pytest.fixture(scope="module")
def package() -> Iterator[ModuleType]:
    sys.path.insert(0, str(EXPECTED))
    try:
        import union_enum_default

        yield union_enum_default
    finally:
        sys.path.remove(str(EXPECTED))


def test_the_default_is_the_enum_member(package: ModuleType) -> None:
    request = package.ChatRequest()
    assert request.tool_choice is package.ToolChoiceEnum.AUTO
    assert request.mode is package.ModeEnum.STRICT
    assert request.modes == [package.ModeEnum.LENIENT]
    assert request.level == 2
    assert package.converter.unstructure(request) == {
        "tool_choice": "auto",
        "mode": "strict",
        "level": 2,
        "modes": ["lenient"],
    }
