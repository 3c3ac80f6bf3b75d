"""Names the generated modules share: hook names and the order of ``__all__`` and imports."""

from __future__ import annotations

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


def isort_order(names: list[str]) -> list[str]:
    """Constants, then classes, then the rest, as isort and ruff's RUF022 sort them."""

    def key(name: str) -> tuple[int, str, str]:
        kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
        return kind, name.lower(), name

    return sorted(names, key=key)


def parameter_name(field: ir.Field) -> str:
    """A field's keyword argument in a client method: renamed when it would clash with
    a call option."""
    name = field.python_name
    return f"{name}_" if name in naming.CALL_OPTIONS else name
