"""The ``models`` package: attrs classes, enums, union aliases and the UNSET sentinel,
one module per operation group behind a lazy ``__init__`` (see ``shared.modules``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ... import ir, naming
from ..shared.base import (
    SINGLE_SPEC,
    Layout,
    OutputFile,
    doc_title,
    make_env,
    python_header,
)
from ..shared.modules import SHARED, ModelModule, imported_names, model_modules
from ..shared.names import dunder_all_order, isort_order, public_names
from ..shared.python import docstring, py_str, py_value
from ..shared.types import PythonTypes, field_default

# The type of a file part, copied verbatim into each package.
FILES_RUNTIME = Path(__file__).parent / "runtime" / "_files.py"

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

    def render(self, api: ir.Api, layout: Layout = SINGLE_SPEC) -> Iterator[OutputFile]:
        types = PythonTypes(api)
        exports = public_names(api)
        if types.uses_files():  # re-exported, for annotating what a caller passes
            exports = isort_order([*exports, "FileContent"])
        # The package exports the converter and the clients only when they are rendered.
        with_converter = "converters" in layout.outputs
        with_client = bool(api.groups) and "client" in layout.outputs
        lazy = (["converter"] if with_converter else []) + (
            ["AsyncClient", "Client"] if with_client else []
        )
        modules = model_modules(api)
        context = {
            "api": api,
            "header": python_header(api),
            "types": types,
            "exports": exports,
            "all_names": dunder_all_order([*exports, *lazy]),
            "lazy_doc": _lazy_doc(with_client, with_converter),
            "with_converter": with_converter,
            "with_client": with_client,
            "title": doc_title(api),
        }
        package = f"{api.package}/models"
        yield OutputFile(
            f"{package}/__init__.py",
            _env.get_template("models_init.py.j2").render(
                context,
                split=len(modules) > 1,
                models_all=dunder_all_order(exports),
                type_checking=_type_checking(modules, types.uses_files()),
                modules_of=_modules_of(modules, exports),
            ),
        )
        known = {name for module in modules for name in module.names}
        template = _env.get_template("models.py.j2")
        for module in modules:
            yield OutputFile(
                f"{package}/{module.name}.py",
                template.render(context, **_module_context(module, api, types, known)),
            )
        for name in ("__init__.py", "py.typed"):
            yield OutputFile(
                f"{api.package}/{name}", _env.get_template(f"{name}.j2").render(context)
            )
        # Written when imported: by models with a file part, or by the client's
        # runtime (its multipart bodies send file parts).
        if types.uses_files() or with_client:
            yield OutputFile(
                f"{api.package}/{FILES_RUNTIME.name}",
                python_header(api) + FILES_RUNTIME.read_text("utf-8"),
            )


def _module_context(
    module: ModelModule, api: ir.Api, types: PythonTypes, known: set[str]
) -> dict[str, object]:
    shared = module.group is None
    fields = [f for m in module.models for f in m.fields]
    imports = imported_names(module, api, known)
    if not shared:
        if any(not f.required for f in fields):
            imports.append("UnsetType")
        if any(field_default(f, api) == " = UNSET" for f in fields):
            imports.append("UNSET")
    any_ = ir.PrimitiveType("any")
    module_types = list(module.types())
    names = module.names + (["UNSET", "UnsetType"] if shared else [])
    title = doc_title(api)
    return {
        "module": module,
        "module_doc": _module_doc(module, title, alone=len(names) == len(known) + 2),
        "imports": isort_order(imports),
        "module_all": dunder_all_order(names),
        "typing_imports": [
            *(["Any"] if any(ir.innermost(t) == any_ for t in module_types) else []),
            *(["Final", "Literal"] if shared else []),
            *(["TypeAlias"] if module.unions else []),
        ],
        "uses_datetime": types.uses_datetime(module_types),
        "uses_files": ir.PrimitiveType("bytes") in module_types,
        "field_line": lambda field: _field_line(field, types, api),
        "enum_members": lambda enum: list(
            zip(
                naming.enum_members([m.name for m in enum.members]),
                enum.members,
                strict=True,
            )
        ),
        "enum_doc": _enum_doc,
    }


def _module_doc(module: ModelModule, title: str, alone: bool) -> str:
    if alone:  # the one module: the spec has fewer than two groups
        return f"The models of the {title}: attrs classes whose absent fields are ``UNSET``."
    if module.group is None:
        return (
            f"The models of the {title} that several operation groups share, or none "
            "reaches, and ``UNSET``."
        )
    return (
        f"The models of the {title} that only the ``{module.group.dotted}`` "
        "operations reach."
    )


def _type_checking(
    modules: list[ModelModule], uses_files: bool
) -> list[tuple[str, list[str]]]:
    """The imports mypy and IDEs read: every name, from the module that defines it."""
    found = [(f".{m.name}", m.names) for m in modules]
    found = [
        (name, [*names, "UNSET", "UnsetType"] if name == f".{SHARED}" else names)
        for name, names in found
    ]
    if uses_files:
        found.append((".._files", ["FileContent"]))
    return sorted((name, isort_order(names)) for name, names in found if names)


def _modules_of(
    modules: list[ModelModule], exports: list[str]
) -> list[tuple[str, str]]:
    home = {name: f".{m.name}" for m in modules for name in m.names}
    home.update(UNSET=f".{SHARED}", UnsetType=f".{SHARED}", FileContent=".._files")
    return [(name, home[name]) for name in dunder_all_order(exports)]


def _lazy_doc(with_client: bool, with_converter: bool) -> str:
    parts = ["a model's module"]
    if with_client:
        parts.append("the clients")
    if with_converter:
        parts.append("the converter")
    return ", ".join(parts[:-1]) + " or " + parts[-1] if len(parts) > 1 else parts[0]


def _field_line(field: ir.Field, types: PythonTypes, api: ir.Api) -> str:
    """A field's class attribute: ``name: annotation = default``."""
    return f"    {field.python_name}: {types.field_annotation(field)}{field_default(field, api)}"


def _enum_doc(enum: ir.Enum) -> str:
    doc = enum.doc or f"{enum.name}, an enum."
    if enum.open:
        doc += f"\n\nOpen: a value this version does not know is kept as a plain {enum.value_type}."
    return doc
