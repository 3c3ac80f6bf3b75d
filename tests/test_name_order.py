"""``__all__`` and import lists come out in the order ruff's RUF022 and I001 want."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from specbind.render.shared.names import dunder_all_order, isort_order

RUFF_CHECK = [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache"]
# Case, digits (with and without leading zeros), underscores and one-letter names:
# RUF022 compares case-sensitively, isort's member order ignores case first.
NAMES = [
    "a01", "a1", "a001", "a0", "a00", "a010", "a10", "a2", "a02b", "a2a", "a_", "a",
    "a0b", "ab0", "a9z", "a09", "AB", "ABC1", "A_1", "A", "Ab", "Abc_def", "B",
    "HTTPError", "HttpError", "Item2", "Item10", "X2y", "X10y", "X_y", "Xa", "aB",
    "a_b", "aa", "ab", "A1", "Ab1", "AB_2", "AB2", "ABThing", "AaThing", "UNSET",
    "UnsetType", "converter",
]  # fmt: skip


def test_ruff_accepts_both_orders(tmp_path: Path) -> None:
    exported = ", ".join(f'"{n}"' for n in dunder_all_order(list(reversed(NAMES))))
    imported = "".join(f"    {n},\n" for n in isort_order(list(reversed(NAMES))))
    source = tmp_path / "m.py"
    source.write_text(
        f"from m import (\n{imported})\n\n__all__ = [{exported}]\n", "utf-8"
    )
    result = subprocess.run(
        [*RUFF_CHECK, "--select", "I001,RUF022", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
