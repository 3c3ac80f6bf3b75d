"""How IR types are spelled in the generated Python, shared by the Python renderers."""

from __future__ import annotations

from collections.abc import Iterable

from ... import ir
from .python import py_value

# How the primitives are spelled in annotations (and in the SDK docs' type names).
PRIMITIVE_ANNOTATIONS = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "any": "Any",
    "datetime": "datetime.datetime",
    "date": "datetime.date",
    "uuid": "str",  # kept as sent: the official SDK's type, and the server's spelling
    "bytes": "FileContent",  # a file part: bytes, a binary file object or a triple
}


# The builtins that annotations spell; a class attribute of the same name (a client
# method called ``list``) hides them in that class's annotations.
ANNOTATION_BUILTINS = frozenset({"str", "int", "float", "bool", "list", "dict"})


class PythonTypes:
    """Annotations and dependency order for one API's generated modules.

    ``shadowed`` are builtins that the class the annotations sit in defines itself:
    those are spelled ``builtins.list`` (the module then imports ``builtins``).
    """

    def __init__(self, api: ir.Api, shadowed: frozenset[str] = frozenset()) -> None:
        self.api = api
        self.open_enums = {e.name for e in api.enums if e.open}
        self.enum_values = {e.name: e.value_type for e in api.enums}
        self.shadowed = shadowed & ANNOTATION_BUILTINS

    def builtin(self, name: str) -> str:
        return f"builtins.{name}" if name in self.shadowed else name

    def annotation(self, type_: ir.TypeExpr) -> str:
        if isinstance(type_, ir.PrimitiveType):
            return self.builtin(PRIMITIVE_ANNOTATIONS[type_.name])
        if isinstance(type_, ir.ListType):
            return f"{self.builtin('list')}[{self.annotation(type_.item)}]"
        if isinstance(type_, ir.DictType):
            key = self.builtin("str")
            return f"{self.builtin('dict')}[{key}, {self.annotation(type_.value)}]"
        if type_.name in self.open_enums:
            return f"{type_.name} | {self.builtin(self.enum_values[type_.name])}"
        return type_.name

    def union_annotation(self, union: ir.Union) -> str:
        return " | ".join(self.annotation(v) for v in union.variants)

    def field_annotation(self, field: ir.Field) -> str:
        parts = [self.annotation(field.type)]
        if not field.required:
            parts.append("UnsetType")
        if field.nullable:
            parts.append("None")
        return " | ".join(parts)

    def uses_any(self) -> bool:
        any_ = ir.PrimitiveType("any")
        return any(ir.innermost(t) == any_ for t in self._all_types())

    def uses_datetime(self, types: Iterable[ir.TypeExpr] | None = None) -> bool:
        """Whether annotations of ``types`` (default: every type) spell ``datetime.``."""
        return any(
            ir.innermost(t) in (ir.PrimitiveType("datetime"), ir.PrimitiveType("date"))
            for t in (self._all_types() if types is None else types)
        )

    def uses_files(self) -> bool:
        """Whether a model has a file part (its annotation is ``FileContent``)."""
        return any(t == ir.PrimitiveType("bytes") for t in self._all_types())

    def _all_types(self) -> Iterable[ir.TypeExpr]:
        for model in self.api.models:
            yield from (f.type for f in model.fields)
        for union in self.api.unions:
            yield from union.variants

    def unions_in_order(self) -> list[ir.Union]:
        """Unions ordered so that every alias is defined before an alias that uses it."""
        by_name = {u.name: u for u in self.api.unions}
        done: dict[str, ir.Union] = {}

        def visit(union: ir.Union) -> None:
            if union.name in done:
                return
            for variant in union.variants:
                inner = ir.innermost(variant)
                used = (
                    by_name.get(inner.name) if isinstance(inner, ir.NamedType) else None
                )
                if used is not None and used.name != union.name:
                    visit(used)
            done[union.name] = union

        for union in self.api.unions:
            visit(union)
        return list(done.values())


def field_default(field: ir.Field, api: ir.Api) -> str:
    """The right-hand side of a field's class attribute, empty for a required field."""
    if field.required:
        return ""
    if not field.has_default:
        return " = UNSET"
    literal = default_value(field, api)
    if isinstance(field.default, (list, dict)):  # a fresh one for every instance
        if not field.default:
            return f" = attrs.field(factory={type(field.default).__name__})"
        return f" = attrs.field(factory=lambda: {literal})"
    return f" = {literal}"


def default_value(field: ir.Field, api: ir.Api) -> str:
    """An expression that makes a field's ``default`` (a new object each time it runs)."""
    literal = py_value(field.default, field.type, api)
    if (
        isinstance(field.default, (list, dict))
        and field.default
        and isinstance(ir.innermost(field.type), ir.NamedType)
        and not (isinstance(field.type, ir.NamedType) and field.type.kind == "model")
    ):  # a model's value is built as the model already
        # `[Status.DRAFT]` would be inferred as list[Status], which mypy will not
        # take for list[Status | str]: build it as the annotated type instead.
        literal = f"{PythonTypes(api).annotation(field.type)}({literal})"
    return literal
