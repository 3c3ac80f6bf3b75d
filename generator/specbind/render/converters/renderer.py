"""``converters.py``: a cattrs converter whose hooks are generated, straight-line code."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ... import ir, naming
from ..shared.base import OutputFile, doc_title, make_env, python_header
from ..shared.convert import ConverterCode, call
from ..shared.names import public_names, structure_name, unstructure_name
from ..shared.python import assign, py_str, returns
from ..shared.types import PythonTypes

_env = make_env(
    Path(__file__).parent / "templates",
    {"py_str": py_str, "upper_snake": lambda name: naming.snake(name).upper()},
)


class ConvertersRenderer:
    name = "converters"

    def render(self, api: ir.Api) -> Iterator[OutputFile]:
        code = ConverterCode(api)
        types = PythonTypes(api)
        context = {
            "api": api,
            "header": python_header(api),
            "title": doc_title(api),
            "code": code,
            "types": types,
            "unions": types.unions_in_order(),
            "call": call,
            "assign": assign,
            "returns": returns,
            "structure_name": structure_name,
            "unstructure_name": unstructure_name,
            "named": ir.NamedType,
            "primitive": ir.PrimitiveType,
            "tags": lambda union: _tags(api, union),
            "union_groups": lambda union: _groups(code, union),
            "union_has_catch_all": lambda union: any(
                c == "True" for c, _ in _groups(code, union)
            ),
        }
        text = _env.get_template("converters.py.j2").render(
            context, imports=_imports(api)
        )
        yield OutputFile(f"{api.package}/converters.py", text)


def _imports(api: ir.Api) -> list[str]:
    unset = _uses_unset_type(api)
    return [n for n in public_names(api) if unset or n not in ("UNSET", "UnsetType")]


def _uses_unset_type(api: ir.Api) -> bool:
    return any(not f.required for m in api.models for f in m.fields)


def _tags(api: ir.Api, union: ir.Union) -> list[tuple[str | int, ir.TypeExpr]]:
    """``(tag value, variant)`` of a discriminated union, from each variant's one-value enum."""
    out: list[tuple[str | int, ir.TypeExpr]] = []
    for variant in union.variants:
        assert isinstance(variant, ir.NamedType)
        field = next(
            f
            for f in api.model(variant.name).fields
            if f.wire_name == union.discriminator
        )
        assert isinstance(field.type, ir.NamedType)
        out.append((api.enum(field.type.name).members[0].value, variant))
    return out


def _groups(
    code: ConverterCode, union: ir.Union
) -> list[tuple[str, list[ir.TypeExpr]]]:
    """Variants grouped by their JSON shape test, in the order the spec lists them."""
    groups: dict[str, list[ir.TypeExpr]] = {}
    for variant in union.variants:
        groups.setdefault(code.json_check(variant, "value"), []).append(variant)
    # A catch-all test (``any`` or a nested union) must come after every specific one.
    ordered = sorted(groups.items(), key=lambda item: item[0] == "True")
    return [(check, variants) for check, variants in ordered]
