"""``models.py``: attrs classes, enums, union aliases and the UNSET sentinel."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ... import ir, naming
from ..base import OutputFile, doc_title, make_env, python_header
from ..python import assign, docstring, py_str, py_value
from ..types import PythonTypes

_env = make_env(
    Path(__file__).parent / "templates",
    {
        "docstring": docstring,
        "py_str": py_str,
        "py_literal": lambda value: py_value(value, ir.PrimitiveType("any")),
    },
)


class ModelsRenderer:
    name = "models"

    def render(self, api: ir.Api) -> Iterator[OutputFile]:
        types = PythonTypes(api)
        exports = public_names(api)
        context = {
            "api": api,
            "header": python_header(api),
            "types": types,
            "unions": types.unions_in_order(),
            "field_line": lambda field: _field_line(field, types, api),
            "enum_members": lambda enum: list(
                zip(
                    naming.enum_members([m.name for m in enum.members]),
                    enum.members,
                    strict=True,
                )
            ),
            "enum_doc": _enum_doc,
            "exports": exports,
            "typing_imports": [
                *(["Any"] if types.uses_any() else []),
                "Final",
                "Literal",
                *(["TypeAlias"] if api.unions else []),
            ],
            "all_names": isort_order(
                [*exports, "converter"]
                + (["AsyncClient", "Client"] if api.groups else [])
            ),
            "title": doc_title(api),
        }
        for name in ("models.py", "__init__.py", "py.typed"):
            yield OutputFile(
                f"{api.package}/{name}", _env.get_template(f"{name}.j2").render(context)
            )


def _field_line(field: ir.Field, types: PythonTypes, api: ir.Api) -> str:
    """A field's class attribute, wrapped as ruff wraps a long default."""
    target = f"{field.python_name}: {types.field_annotation(field)}"
    default = field_default(field, api)
    if not default:
        return f"    {target}"
    return assign(4, target, default.removeprefix(" = "))


def field_default(field: ir.Field, api: ir.Api) -> str:
    """The right-hand side of a field's class attribute, empty for a required field."""
    if field.required:
        return ""
    if not field.has_default:
        return " = UNSET"
    literal = py_value(field.default, field.type, api)
    if isinstance(field.default, (list, dict)):  # a fresh one for every instance
        if not field.default:
            return f" = attrs.field(factory={type(field.default).__name__})"
        if isinstance(ir.innermost(field.type), ir.NamedType):
            # `[Status.DRAFT]` would be inferred as list[Status], which mypy will not
            # take for list[Status | str]: build it as the annotated type instead.
            literal = f"{PythonTypes(api).annotation(field.type)}({literal})"
        return f" = attrs.field(factory=lambda: {literal})"
    return f" = {literal}"


def _enum_doc(enum: ir.Enum) -> str:
    doc = enum.doc or f"{enum.name}, an enum."
    if enum.open:
        doc += f"\n\nOpen: a value this version does not know is kept as a plain {enum.value_type}."
    return doc


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
