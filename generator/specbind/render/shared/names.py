"""Names the generated modules share: hook names and the order of ``__all__`` and imports."""

from __future__ import annotations

import functools

from ... import ir, naming


def structure_name(name: str) -> str:
    return f"structure_{naming.snake(name)}"


def unstructure_name(name: str) -> str:
    return f"unstructure_{naming.snake(name)}"


def public_names(api: ir.Api) -> list[str]:
    names = (
        [e.name for e in api.enums]
        + [m.name for m in api.models]
        + [u.name for u in api.unions]
    )
    return isort_order([*names, "UNSET", "UnsetType"])


def _kind(name: str) -> int:
    """isort's member types: CONSTANTS, then Classes, then everything else."""
    return 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2


def _natural(a: str, b: str) -> int:
    """Compare as ruff's natural order does (the ``natord`` crate): runs of digits by
    value, except that a run with a leading zero compares digit by digit."""
    i = j = 0
    while True:
        if i == len(a) or j == len(b):
            return (i < len(a)) - (j < len(b))
        if a[i].isdigit() and b[j].isdigit():
            fractional = a[i] == "0" or b[j] == "0"
            bias = 0
            while True:
                da = i < len(a) and a[i].isdigit()
                db = j < len(b) and b[j].isdigit()
                if not da or not db:
                    if da != db:
                        return 1 if da else -1
                    if bias:
                        return bias
                    break
                if a[i] != b[j]:
                    if fractional:
                        return -1 if a[i] < b[j] else 1
                    bias = bias or (-1 if a[i] < b[j] else 1)
                i, j = i + 1, j + 1
            continue
        if a[i] != b[j]:
            return -1 if a[i] < b[j] else 1
        i, j = i + 1, j + 1


def _import_order(a: str, b: str) -> int:
    return (
        (_kind(a) > _kind(b)) - (_kind(a) < _kind(b))
        or _natural(a.lower(), b.lower())
        or _natural(a, b)
    )


def _dunder_all_order(a: str, b: str) -> int:
    return (_kind(a) > _kind(b)) - (_kind(a) < _kind(b)) or _natural(a, b)


def isort_order(names: list[str]) -> list[str]:
    """Names in the order ruff's isort (rule I001) sorts the members of an import."""
    return sorted(names, key=functools.cmp_to_key(_import_order))


def parameter_name(field: ir.Field) -> str:
    """A field's keyword argument in a client method: renamed when it would clash with
    a call option."""
    name = field.python_name
    return f"{name}_" if name in naming.CALL_OPTIONS else name


def dunder_all_order(names: list[str]) -> list[str]:
    """Names in the order ruff's RUF022 sorts ``__all__``: case-sensitive, unlike imports."""
    return sorted(names, key=functools.cmp_to_key(_dunder_all_order))
