"""No name in a generated ``converters`` module is bound twice, whatever the spec names.

A spec's type names are imported into the module; the generated private names have one
prefix per kind (``_fast_``, ``_report_``, ``_MEMBERS_``, ``_KEYS_``), and the fixed
helpers live in ``_convert.py``. A second binding would silently replace the first, as an
enum named ``E`` once replaced the converter's ``TypeVar`` ``_E``.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from .conftest import GENERATED

CASES = Path(__file__).parent / "cases"
MODULES = sorted(
    [*GENERATED.glob("*/converters/*.py"), *CASES.glob("*/expected/*/converters/*.py")]
)


def bindings(module: ast.Module) -> list[str]:
    """The names the module's top-level statements bind, once per binding."""
    names: list[str] = []
    for node in module.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names += [(a.asname or a.name).split(".")[0] for a in node.names]
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: f"{p.parents[1].name}/{p.name}")
def test_no_module_level_name_is_bound_twice(path: Path) -> None:
    counts = Counter(bindings(ast.parse(path.read_text("utf-8"))))
    assert [name for name, n in counts.items() if n > 1] == []


def test_the_golden_cases_cover_the_clashes() -> None:
    """``enum_named_e`` names an enum ``E`` and one ``HolderKeys`` next to a ``forbid``
    model ``Holder``; ``union_str_field_enum`` mixes a model and an enum in a union."""
    text = (
        CASES / "enum_named_e/expected/enum_named_e/converters/_shared.py"
    ).read_text()
    assert "_MEMBERS_E = _members(E)" in text
    assert "_MEMBERS_HOLDER_KEYS = _members(HolderKeys)" in text
    assert "_KEYS_HOLDER = frozenset(" in text
