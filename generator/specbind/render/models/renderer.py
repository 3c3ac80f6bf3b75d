"""``models.py``: attrs classes, enums, union aliases and the UNSET sentinel."""

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
            "models_all": dunder_all_order(exports),
            "typing_imports": [
                *(["Any"] if types.uses_any() else []),
                "Final",
                "Literal",
                *(["TypeAlias"] if api.unions else []),
            ],
            "all_names": dunder_all_order([*exports, *lazy]),
            "lazy": bool(lazy),
            "with_converter": with_converter,
            "with_client": with_client,
            "title": doc_title(api),
            "uses_datetime": types.uses_datetime(),
            "uses_files": types.uses_files(),
        }
        for name in ("models.py", "__init__.py", "py.typed"):
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


def _field_line(field: ir.Field, types: PythonTypes, api: ir.Api) -> str:
    """A field's class attribute: ``name: annotation = default``."""
    return f"    {field.python_name}: {types.field_annotation(field)}{field_default(field, api)}"


def _enum_doc(enum: ir.Enum) -> str:
    doc = enum.doc or f"{enum.name}, an enum."
    if enum.open:
        doc += f"\n\nOpen: a value this version does not know is kept as a plain {enum.value_type}."
    return doc
