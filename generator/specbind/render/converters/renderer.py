"""The ``converters`` package: a cattrs converter whose hooks are generated,
straight-line code, one module per module of ``models``, registered on first need;
and ``_convert.py``, the fixed part they import (copied verbatim from ``runtime/``)."""

from __future__ import annotations

import ast
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
from ..shared.modules import SHARED, ModelModule, model_modules
from ..shared.names import (
    dunder_all_order,
    isort_order,
    structure_name,
    unstructure_name,
)
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
            "assign": python.assign,
            "returns": python.returns,
            "structure_name": structure_name,
            "unstructure_name": unstructure_name,
            "private_name": private_name,
            "named": ir.NamedType,
        }
        package = f"{api.package}/converters"
        modules = model_modules(api)
        home = {name: m.name for m in modules for name in m.names}
        home.update(UNSET=SHARED, UnsetType=SHARED)
        shared_names: frozenset[str] = frozenset()
        public: dict[str, list[str]] = {}
        for module in modules:  # the shared module first: the others import from it
            text, defined = _render_module(
                module, context, code, types, home, shared_names
            )
            if module.group is None:
                shared_names = defined
            public[module.name] = [n for n in defined if not n.startswith("_")]
            yield OutputFile(f"{package}/{module.name}.py", text)
        yield OutputFile(
            f"{package}/__init__.py",
            _env.get_template("converters_init.py.j2").render(
                context,
                modules=[m.name for m in modules],
                converters_all=dunder_all_order(
                    [
                        "InvalidValueError",
                        "converter",
                        "describe_error",
                        *(hook for hooks in public.values() for hook in hooks),
                    ]
                ),
                type_checking=sorted(
                    (f".{name}", isort_order(names))
                    for name, names in public.items()
                    if names
                ),
                modules_of=sorted(
                    (hook, f".{name}")
                    for name, hooks in public.items()
                    for hook in hooks
                ),
            ),
        )
        runtime = python_header(api) + RUNTIME.read_text("utf-8")
        yield OutputFile(f"{api.package}/{RUNTIME.name}", runtime)


def _render_module(
    module: ModelModule,
    context: dict[str, object],
    code: ConverterCode,
    types: PythonTypes,
    home: dict[str, str],
    shared_names: frozenset[str],
) -> tuple[str, frozenset[str]]:
    """One module's text, and the names it defines. Its imports are the names its
    code uses: rendered once without them, then read back."""
    template = _env.get_template("converters.py.j2")
    own = {
        "module": module,
        "shared": module.group is None,
        "module_doc": _module_doc(module, str(context["title"])),
        "hook_tables": _hook_tables(module, code),
    }
    draft = ast.parse(
        template.render(
            context, **own, stdlib_imports=[], local_imports=[], module_all=[]
        )
    )
    defined = frozenset(_defined(draft)) - {"__all__"}
    used = {n.id for n in ast.walk(draft) if isinstance(n, ast.Name)} - defined
    local: dict[str, list[str]] = {}
    runtime = sorted(used & runtime_names())
    if runtime:
        local[f"..{RUNTIME.stem}"] = runtime
    if "FileContent" in used:  # an optional file part's annotation
        local[".._files"] = ["FileContent"]
    for name in sorted(used & home.keys()):
        local.setdefault(f"..models.{home[name]}", []).append(name)
    if shared := sorted(used & shared_names):
        local[f".{SHARED}"] = shared
    stdlib = [f"import {m}" for m in ("datetime", "re") if m in used]
    if "Any" in used:
        stdlib.append("from typing import Any")
    text = template.render(
        context,
        **own,
        stdlib_imports=stdlib,
        local_imports=sorted((m, isort_order(names)) for m, names in local.items()),
        module_all=dunder_all_order([n for n in defined if not n.startswith("_")]),
    )
    return text, defined


def _defined(module: ast.Module) -> Iterator[str]:
    for node in module.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            yield node.name
        elif isinstance(node, ast.Assign):
            yield from (t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            yield node.target.id


def _module_doc(module: ModelModule, title: str) -> str:
    if module.group is None:
        return f"The hooks of the {title}'s ``models.{SHARED}`` module."
    return (
        f"The hooks of the {title}'s ``models.{module.name}`` module: the types only "
        f"the ``{module.group.dotted}`` operations reach."
    )


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


def _hook_tables(
    module: ModelModule, code: ConverterCode
) -> list[tuple[str, list[str]]]:
    """The entries of the module's ``_Hooks``: ``Type: (structure, unstructure)``."""
    enums = [
        _entry(
            e.name,
            structure_name(e.name),
            unstructure_name(e.name) if e.open else "None",
        )
        for e in module.enums
    ]
    unions = [
        _entry(
            u.name,
            structure_name(u.name),
            unstructure_name(u.name)
            if code.needs_unstructure(ir.NamedType(u.name, "union"))
            else "None",
        )
        for u in module.unions
    ]
    models = [
        _entry(m.name, structure_name(m.name), unstructure_name(m.name))
        for m in module.models
    ]
    return [("enums", enums), ("unions", unions), ("models", models)]


def _entry(name: str, structure: str, unstructure: str) -> str:
    """``Name: (structure, unstructure)`` at indent 8, split the way ruff splits it."""
    line = f"{name}: ({structure}, {unstructure})"
    if 8 + len(line) + 1 <= python.LINE_LENGTH:
        return line
    return f"{name}: (\n            {structure},\n            {unstructure},\n        )"
