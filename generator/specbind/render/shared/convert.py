"""The Python expressions and statements of the converter hooks, worked out per type.

Structuring is strict: each type maps to a checking function (``_str``, ``_float``,
``structure_usage_info`` ...). Unstructuring is the identity wherever a value is
already JSON (primitives and containers of them), so hooks do no needless work.
"""

from __future__ import annotations

from ... import ir, naming
from . import python
from .names import structure_name, unstructure_name
from .types import PythonTypes

_CHECKERS = {"str": "_str", "int": "_int", "float": "_float", "bool": "_bool"}
_JSON_KINDS = {
    "str": "str",
    "int": "int",
    "float": "number",
    "bool": "bool",
    "any": "any",
}


def call(indent: int, func: str, args: list[str], *, prefix: str = "") -> str:
    """``prefix func(args)`` on one line, or exploded with a magic trailing comma."""
    pad = " " * indent
    line = f"{pad}{prefix}{func}({', '.join(args)})"
    if len(line) <= python.LINE_LENGTH:
        return line
    inner = "".join(f"{pad}    {arg},\n" for arg in args)
    return f"{pad}{prefix}{func}(\n{inner}{pad})"


def def_line(name: str, params: list[str], returns: str) -> str:
    """A module-level ``def`` line, exploded one parameter a line when too long."""
    line = f"def {name}({', '.join(params)}) -> {returns}:"
    if len(line) <= python.LINE_LENGTH:
        return line
    inner = "".join(f"    {p},\n" for p in params)
    return f"def {name}(\n{inner}) -> {returns}:"


def constraint_checks(field: ir.Field, target: str, indent: int) -> list[str]:
    """The calls that enforce a field's bounds on the local ``target``."""
    checks = []
    if field.minimum is not None or field.maximum is not None:
        args = [target, repr(field.minimum), repr(field.maximum)]
        checks.append(call(indent, "_check_range", args))
    if field.min_length is not None or field.max_length is not None:
        args = [target, repr(field.min_length), repr(field.max_length)]
        checks.append(call(indent, "_check_length", args))
    return checks


class ConverterCode:
    """Code fragments for one API, used by the converters template."""

    def __init__(self, api: ir.Api) -> None:
        self.api = api
        self.types = PythonTypes(api)
        self.kinds = {m.name: "model" for m in api.models}
        self.unions = {u.name: u for u in api.unions}
        self.enums = {e.name: e for e in api.enums}

    # -- structuring ------------------------------------------------------------------

    def checker(self, type_: ir.TypeExpr, depth: int = 0) -> str | None:
        """A callable that structures a value of ``type_``; ``None`` for ``any``."""
        if isinstance(type_, ir.PrimitiveType):
            return _CHECKERS.get(type_.name)
        if isinstance(type_, ir.NamedType):
            return structure_name(type_.name)
        var = f"v{depth}"
        return f"lambda {var}: {self.structure(type_, var, depth + 1)}"

    def structure(self, type_: ir.TypeExpr, var: str, depth: int = 0) -> str:
        """An expression structuring ``var`` as ``type_``."""
        if isinstance(type_, ir.ListType):
            item = self.checker(type_.item, depth) or "_any"
            return f"_list({var}, {item}, {self.note_type(type_.item)})"
        if isinstance(type_, ir.DictType):
            value = self.checker(type_.value, depth) or "_any"
            return f"_dict({var}, {value}, {self.note_type(type_.value)})"
        checker = self.checker(type_, depth)
        return f"{checker}({var})" if checker else var

    def structure_checked(self, type_: ir.TypeExpr, var: str) -> str:
        """Like :meth:`structure`, for a value whose JSON shape was already tested."""
        if isinstance(type_, ir.PrimitiveType) and type_.name != "float":
            return var
        if type_ == ir.PrimitiveType("float"):
            return f"float({var})"
        return self.structure(type_, var)

    def note_type(self, type_: ir.TypeExpr) -> str:
        """What ``cattrs.transform_error`` names as the expected type."""
        if isinstance(type_, ir.PrimitiveType):
            return "object" if type_.name == "any" else type_.name
        if isinstance(type_, ir.ListType):
            return "list"
        if isinstance(type_, ir.DictType):
            return "dict"
        if type_.name in self.unions:
            return f"_Expected({python.py_str(self.types.union_annotation(self.unions[type_.name]))})"
        return type_.name

    def field_structure(self, field: ir.Field, indent: int) -> str:
        """The statements that set the local ``field.python_name`` from ``_data``."""
        pad = " " * indent
        key = python.py_str(field.wire_name)
        target = field.python_name
        lines = []
        if field.nullable:
            lines.append(f"{pad}_raw = _data[{key}]")
            value = self.structure(field.type, "_raw")
            if value == "_raw":
                lines.append(f"{pad}{target} = _raw")
            else:
                lines.append(
                    python.assign(
                        indent, target, value, prefix="None if _raw is None else"
                    )
                )
        else:
            lines.append(
                python.assign(
                    indent, target, self.structure(field.type, f"_data[{key}]")
                )
            )
        lines += constraint_checks(field, target, indent)
        return "\n".join(lines)

    def field_note(self, field: ir.Field, indent: int) -> str:
        return call(
            indent,
            "_errors.append",
            [
                f"_at(_exc, {python.py_str(field.wire_name)}, {self.note_type(field.type)})"
            ],
        )

    # -- the fast path of a model hook ---------------------------------------------
    #
    # A model hook first tries a fast path: exact JSON types tested inline, nested
    # values structured by their own hooks, no per-field error bookkeeping. Anything
    # unexpected (a wrong type, a missing key, an unknown key, a nested failure, a value
    # out of range) leaves it for the reporting path, which decides. So the fast path
    # only ever returns what the reporting path would, and is never the one to fail.

    def fast_field(self, field: ir.Field, index: int, indent: int) -> str:
        """Statements setting ``_f<index>`` from ``_data``; raise on anything unusual."""
        pad = " " * indent
        var = f"_f{index}"
        key = python.py_str(field.wire_name)
        body: list[str] = []
        inner = indent + 4 if not field.required else indent
        ipad = " " * inner
        exact = (
            field.type.name
            if isinstance(field.type, ir.PrimitiveType)
            and field.type.name in ("str", "int", "bool")
            else None
        )
        if exact is not None:
            body.append(python.assign(inner, var, f"_data[{key}]"))
            test = f"type({var}) is not {exact}"
            if field.nullable:
                test = f"{var} is not None and {test}"
            body += [f"{ipad}if {test}:", f"{ipad}    raise _Mismatch"]
        elif (steps := self.fast_steps(field.type, var)) is not None:
            body.append(python.assign(inner, var, f"_data[{key}]"))
            if field.nullable:
                body.append(f"{ipad}if {var} is not None:")
            step_indent = inner + 4 if field.nullable else inner
            body += [self._indent(step, step_indent) for step in steps]
        elif field.nullable:
            body.append(python.assign(inner, var, f"_data[{key}]"))
            value = self.structure(field.type, var)
            if value != var:
                body += [
                    f"{ipad}if {var} is not None:",
                    python.assign(inner + 4, var, value),
                ]
        else:
            body.append(
                python.assign(inner, var, self.structure(field.type, f"_data[{key}]"))
            )
        body += constraint_checks(field, var, inner)
        if field.required:
            return "\n".join(body)
        if len(body) == 1 and "\n" not in body[0]:
            # One assignment: a conditional expression, as ruff's SIM108 asks, if it fits.
            value = body[0].strip().removeprefix(f"{var} = ")
            line = f"{pad}{var} = {value} if {key} in _data else UNSET"
            if len(line) <= python.LINE_LENGTH:
                return line
        annotation = self.types.field_annotation(field)
        return "\n".join(
            [f"{pad}{var}: {annotation} = UNSET", f"{pad}if {key} in _data:", *body]
        )

    def fast_steps(self, type_: ir.TypeExpr, var: str) -> list[str] | None:
        """Statements (at indent 0) structuring ``var`` in place without a call, for
        string enums and lists of named types; ``None`` for other types."""
        if isinstance(type_, ir.NamedType) and type_.name in self.enums:
            enum = self.enums[type_.name]
            if enum.value_type != "str":
                return None
            members = f"_{naming.snake(enum.name).upper()}"
            if not enum.open:
                return [python.assign(0, var, f"{members}[{var}]")]
            return [
                f"if type({var}) is not str:",
                "    raise _Mismatch",
                python.assign(0, var, f"{members}.get({var}, {var})"),
            ]
        if isinstance(type_, ir.ListType) and isinstance(type_.item, ir.NamedType):
            item = structure_name(type_.item.name)
            return [
                f"if type({var}) is not list:",
                "    raise _Mismatch",
                f"{var} = [{item}(v) for v in {var}]",
            ]
        return None

    @staticmethod
    def _indent(step: str, indent: int) -> str:
        """A step written at indent 0, moved to ``indent`` (and re-wrapped if needed)."""
        if step.startswith(("if ", "    ")) or "\n" in step:
            return "\n".join(" " * indent + line for line in step.split("\n"))
        target, _, value = step.partition(" = ")
        return python.assign(indent, target, value)

    def fast_construct(self, model: ir.Model, indent: int) -> str:
        args = [f"{f.python_name}=_f{i}" for i, f in enumerate(model.fields)]
        return call(indent, model.name, args, prefix="return ")

    def construct(self, model: ir.Model, indent: int) -> str:
        args = [f"{f.python_name}={f.python_name}" for f in model.fields]
        return call(indent, model.name, args, prefix="return ")

    def raise_errors(self, model: ir.Model, indent: int) -> str:
        message = python.py_str(f"While structuring {model.name}")
        return call(
            indent, "raise ClassValidationError", [message, "_errors", model.name]
        )

    def known_keys(self, model: ir.Model) -> str:
        keys = [python.py_str(f.wire_name) for f in model.fields]
        line = f"frozenset({{{', '.join(keys)}}})" if keys else "frozenset()"
        if len(line) + len(naming.snake(model.name)) + 10 <= python.LINE_LENGTH:
            return line
        return (
            "frozenset(\n    {\n"
            + "".join(f"        {k},\n" for k in keys)
            + "    }\n)"
        )

    def def_line(self, name: str, params: list[str], returns: str) -> str:
        return def_line(name, params, returns)

    # -- unions -----------------------------------------------------------------------

    def json_check(self, type_: ir.TypeExpr, var: str) -> str:
        """A cheap test of whether ``var`` has the JSON shape of ``type_``."""
        if isinstance(type_, ir.PrimitiveType):
            return {
                "str": f"isinstance({var}, str)",
                "int": f"isinstance({var}, int) and not isinstance({var}, bool)",
                "float": f"isinstance({var}, (int, float)) and not isinstance({var}, bool)",
                "bool": f"isinstance({var}, bool)",
                "any": "True",
            }[type_.name]
        if isinstance(type_, ir.ListType):
            return f"isinstance({var}, list)"
        if isinstance(type_, ir.DictType) or self.kinds.get(type_.name) == "model":
            return f"isinstance({var}, dict)"
        if type_.name in self.enums:
            kind = self.enums[type_.name].value_type
            return self.json_check(ir.PrimitiveType(kind), var)
        return "True"  # a nested union decides for itself

    def python_check(self, type_: ir.TypeExpr, var: str) -> str:
        """A test of whether a Python value ``var`` is an instance of the variant ``type_``."""
        if isinstance(type_, ir.NamedType) and type_.kind in ("model", "enum"):
            check = f"isinstance({var}, {type_.name})"
            if type_.kind == "enum" and self.enums[type_.name].open:
                check = f"isinstance({var}, ({type_.name}, {self.enums[type_.name].value_type}))"
            return check
        if isinstance(type_, ir.NamedType):
            return "True"
        return self.json_check(type_, var)

    def needs_unstructure(self, type_: ir.TypeExpr) -> bool:
        if isinstance(type_, ir.PrimitiveType):
            return False
        if isinstance(type_, ir.ListType):
            return self.needs_unstructure(type_.item)
        if isinstance(type_, ir.DictType):
            return self.needs_unstructure(type_.value)
        if type_.name in self.unions:
            return any(
                self.needs_unstructure(v) for v in self.unions[type_.name].variants
            )
        return True

    def unstructure(self, type_: ir.TypeExpr, var: str, depth: int = 0) -> str:
        """An expression turning ``var`` (of ``type_``) into JSON-ready values."""
        if not self.needs_unstructure(type_):
            return var
        if isinstance(type_, ir.ListType):
            item = f"v{depth}"
            return (
                f"[{self.unstructure(type_.item, item, depth + 1)} for {item} in {var}]"
            )
        if isinstance(type_, ir.DictType):
            item = f"v{depth}"
            return f"{{k{depth}: {self.unstructure(type_.value, item, depth + 1)} for k{depth}, {item} in {var}.items()}}"
        assert isinstance(type_, ir.NamedType)
        if type_.name in self.enums and not self.enums[type_.name].open:
            return f"{var}.value"
        return f"{unstructure_name(type_.name)}({var})"

    def field_unstructure(self, field: ir.Field, indent: int, var: str) -> str:
        key = python.py_str(field.wire_name)
        value = self.unstructure(field.type, var)
        if field.nullable and value != var:
            return python.assign(
                indent, f"_data[{key}]", value, prefix=f"None if {var} is None else"
            )
        return python.assign(indent, f"_data[{key}]", value)
