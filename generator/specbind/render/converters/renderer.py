"""``converters.py``: a cattrs converter whose hooks are generated, straight-line code,
and ``_convert.py``, the fixed part it imports (copied verbatim from ``runtime/``)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from ... import ir, naming
from ..shared import python
from ..shared.base import (
    SINGLE_SPEC,
    Layout,
    OutputFile,
    doc_title,
    make_env,
    python_header,
)
from ..shared.convert import ConverterCode, private_name
from ..shared.names import isort_order, public_names, structure_name, unstructure_name
from ..shared.types import PythonTypes

_env = make_env(
    Path(__file__).parent / "templates",
    {"py_str": python.py_str, "upper_snake": lambda name: naming.snake(name).upper()},
)

RUNTIME = Path(__file__).parent / "runtime" / "_convert.py"


class ConvertersRenderer:
    name = "converters"

    def render(self, api: ir.Api, layout: Layout = SINGLE_SPEC) -> Iterator[OutputFile]:
        code = ConverterCode(api)
        types = PythonTypes(api)
        context = {
            "api": api,
            "header": python_header(api),
            "title": doc_title(api),
            "code": code,
            "types": types,
            "unions": types.unions_in_order(),
            "assign": python.assign,
            "returns": python.returns,
            "structure_name": structure_name,
            "unstructure_name": unstructure_name,
            "private_name": private_name,
            "named": ir.NamedType,
            "hook_tables": _hook_tables(api, code, types),
            "uses_datetime": types.uses_datetime(),
        }
        template = _env.get_template("converters.py.j2")
        # The runtime names to import are those the module uses: render, then look.
        draft = template.render(context, imports=[], runtime_imports=[])
        imports = _imports(api)
        if "FileContent" in draft:  # an optional file part's annotation
            imports = isort_order([*imports, "FileContent"])
        text = template.render(
            context, imports=imports, runtime_imports=_runtime_imports(draft)
        )
        yield OutputFile(f"{api.package}/converters.py", text)
        runtime = python_header(api) + RUNTIME.read_text("utf-8")
        yield OutputFile(f"{api.package}/{RUNTIME.name}", runtime)


@cache
def runtime_names() -> frozenset[str]:
    """The module-level names ``_convert.py`` defines."""
    names: set[str] = set()
    nodes = list(ast.parse(RUNTIME.read_text("utf-8")).body)
    for node in nodes:
        if isinstance(node, ast.If):  # ``if TYPE_CHECKING: ... else: ...``
            nodes += [*node.body, *node.orelse]
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return frozenset(names - {"__all__"})


@cache
def _runtime_name_pattern() -> re.Pattern[str]:
    names = sorted(runtime_names(), key=len, reverse=True)
    return re.compile(rf"(?<![\w.])({'|'.join(map(re.escape, names))})\b")


def _runtime_imports(body: str) -> list[str]:
    """The runtime names ``body`` uses, and the two the module re-exports."""
    used = set(_runtime_name_pattern().findall(body))  # one pass over the body
    return isort_order(sorted(used | {"InvalidValueError", "describe_error"}))


def _imports(api: ir.Api) -> list[str]:
    unset = any(not f.required for m in api.models for f in m.fields)
    return [n for n in public_names(api) if unset or n not in ("UNSET", "UnsetType")]


def _hook_tables(
    api: ir.Api, code: ConverterCode, types: PythonTypes
) -> list[tuple[str, list[str]]]:
    """The entries of ``converter.add_hooks``: ``Type: (structure, unstructure)``."""
    enums = [
        _entry(
            e.name,
            structure_name(e.name),
            unstructure_name(e.name) if e.open else "None",
        )
        for e in api.enums
    ]
    unions = [
        _entry(
            u.name,
            structure_name(u.name),
            unstructure_name(u.name)
            if code.needs_unstructure(ir.NamedType(u.name, "union"))
            else "None",
        )
        for u in types.unions_in_order()
    ]
    models = [
        _entry(m.name, structure_name(m.name), unstructure_name(m.name))
        for m in api.models
    ]
    return [("enums", enums), ("unions", unions), ("models", models)]


def _entry(name: str, structure: str, unstructure: str) -> str:
    """``Name: (structure, unstructure)`` at indent 8, split the way ruff splits it."""
    line = f"{name}: ({structure}, {unstructure})"
    if 8 + len(line) + 1 <= python.LINE_LENGTH:
        return line
    return f"{name}: (\n            {structure},\n            {unstructure},\n        )"
