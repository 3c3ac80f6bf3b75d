"""The Python expressions and statements of the converter hooks, worked out per type.

Structuring is strict: each type maps to a checking function (``_str``, ``_float``,
``structure_usage_info`` ...). Unstructuring is the identity wherever a value is
already JSON (primitives and containers of them), so hooks do no needless work.

A model (and a union that holds one) has three structuring functions, one per
:class:`Path`: the public hook ``structure_x`` tries the fast path ``_fast_x`` and, if
that raises anything, runs the reporting path ``_report_x`` once. A fast path calls
only fast paths and a reporting path only reporting paths, so a payload is walked at
most twice, however deep the problem is. The functions of a recursive type also count
their depth, so a payload nested too deeply fails with a path, not a RecursionError.

A recursive union whose variants share a JSON shape (``A | B``, both objects) tries
them in turn, and each try walks the whole subtree: nested, that is exponential. Those
tries go through ``_remembered``, a memo of each (variant, input object) outcome that
lives for one call, so each part of the input is structured once per variant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from ... import formats, ir, naming
from . import python
from .names import structure_name, unstructure_name
from .types import PythonTypes, default_value

_CHECKERS = {
    "str": "_str",
    "int": "_int",
    "float": "_float",
    "bool": "_bool",
    "datetime": "_datetime",
    "date": "_date",
    "uuid": "_uuid",
    "bytes": "_file",
}
# The primitives that are not JSON as they are, and what writes them.
_WRITERS = {"datetime": "_datetime_out", "date": "_date_out"}


@attrs.frozen
class Path:
    """Which functions structuring code calls: ``public``, ``fast`` or ``report``;
    ``counted`` when the code is in a hook that has a ``_depth``, ``memo`` when it
    also has a ``_memo``."""

    mode: str = "public"
    counted: bool = False
    memo: bool = False


PUBLIC = Path()


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


def constraint_checks(
    field: ir.Field, target: str, indent: int, patterns: dict[str, str]
) -> list[str]:
    """The calls that enforce a field's constraints on the local ``target``; a field
    without constraints gets none. ``patterns`` names each regex's compiled constant."""
    checks = []
    for func, args in (
        ("_check_range", (field.minimum, field.maximum)),
        ("_check_exclusive", (field.exclusive_minimum, field.exclusive_maximum)),
        ("_check_length", (field.min_length, field.max_length)),
        ("_check_items", (field.min_items, field.max_items)),
    ):
        if any(arg is not None for arg in args):
            checks.append(call(indent, func, [target, *map(repr, args)]))
    if field.multiple_of is not None:
        checks.append(
            call(indent, "_check_multiple", [target, repr(field.multiple_of)])
        )
    if field.pattern is not None:
        checks.append(call(indent, "_check_pattern", [target, patterns[field.pattern]]))
    if field.has_const:
        const = python.py_value(field.const, field.type)
        checks.append(call(indent, "_check_const", [target, const]))
    return checks


def pattern_constants(api: ir.Api) -> dict[str, str]:
    """Each distinct ``pattern`` of the API -> the name of its compiled constant."""
    patterns: dict[str, str] = {}
    for model in api.models:
        for field in model.fields:
            if field.pattern is not None and field.pattern not in patterns:
                patterns[field.pattern] = f"_PATTERN_{len(patterns)}"
    return patterns


def private_name(kind: str, name: str) -> str:
    """A generated module-level private name: ``_fast_usage_info``, ``_KEYS_USAGE_INFO``.

    Each kind has its own prefix and no runtime name starts with one, so two of these
    never collide with each other or with the runtime's names (spec type names never
    start with ``_``)."""
    snake = naming.snake(name)
    return f"_{kind}_{snake.upper() if kind.isupper() else snake}"


def recursive_names(api: ir.Api) -> frozenset[str]:
    """The models and unions that can contain themselves, however indirectly."""
    edges: dict[str, set[str]] = {}
    for model in api.models:
        edges[model.name] = {_named(f.type) for f in model.fields} - {""}
    for union in api.unions:
        edges[union.name] = {_named(v) for v in union.variants} - {""}

    return frozenset(
        name
        for component in strongly_connected(edges)
        for name in component
        if len(component) > 1 or name in edges[name]
    )


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of ``edges``, iteratively (a spec's
    chain of references may be deeper than Python's recursion limit), in linear time."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next((c for c in children if c in edges), None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components


_NOTE_TYPES = {
    "any": "object",
    "datetime": "datetime.datetime",
    "date": "datetime.date",
    "uuid": "str",
}


def _written(type_: ir.TypeExpr) -> bool:
    """Whether a value of the primitive ``type_`` is written by a function."""
    return isinstance(type_, ir.PrimitiveType) and type_.name in _WRITERS


def _named(type_: ir.TypeExpr) -> str:
    inner = ir.innermost(type_)
    return inner.name if isinstance(inner, ir.NamedType) else ""


class ConverterCode:
    """Code fragments for one API, used by the converters template."""

    def __init__(self, api: ir.Api) -> None:
        self.api = api
        self.types = PythonTypes(api)
        self.kinds = {m.name: "model" for m in api.models}
        self.unions = {u.name: u for u in api.unions}
        self.enums = {e.name: e for e in api.enums}
        self.recursive = recursive_names(api)
        self.patterns = pattern_constants(api)
        self.memoized = self._memoized()
        # Models, recursive unions, and the unions that hold one: their fast and
        # reporting paths differ.
        self.two_paths = self._holding(set(self.kinds) | self.recursive)
        # Models, enums, unions of dates, and the unions that hold one: not JSON as
        # they are.
        dated = {
            u.name
            for u in api.unions
            if any(_written(ir.innermost(v)) for v in u.variants)
        }
        self.unstructured = self._holding(set(self.kinds) | set(self.enums) | dated)

    def _memoized(self) -> frozenset[str]:
        """The types of each recursive cycle that holds a union trying several
        variants of one JSON shape: their functions pass a ``_memo`` along."""
        edges: dict[str, set[str]] = {}
        for model in self.api.models:
            edges[model.name] = {_named(f.type) for f in model.fields} - {""}
        for union in self.api.unions:
            edges[union.name] = {_named(v) for v in union.variants} - {""}
        names: set[str] = set()
        for component in strongly_connected(edges):
            if any(
                name in self.unions
                and name in self.recursive
                and self._backtracks(self.unions[name])
                for name in component
            ):
                names.update(component)
        return frozenset(names)

    def _backtracks(self, union: ir.Union) -> bool:
        """Whether the union may try a recursive variant and then another."""
        return any(
            len(variants) > 1 and any(_named(v) in self.recursive for v in variants)
            for _, variants in self._groups(union)
        )

    def pattern_lines(self) -> list[str]:
        """``_PATTERN_0 = re.compile(...)``: each regex compiled once, at import."""
        return [
            python.assign(
                0, name, f"re.compile({python.py_str(formats.python_pattern(pattern))})"
            )
            for pattern, name in self.patterns.items()
        ]

    def _holding(self, names: set[str]) -> frozenset[str]:
        """``names`` and the unions that hold one of them, however indirectly."""
        changed = True
        while changed:
            changed = False
            for union in self.api.unions:
                if union.name not in names and any(
                    _named(v) in names for v in union.variants
                ):
                    names.add(union.name)
                    changed = True
        return frozenset(names)

    # -- the functions of a named type ------------------------------------------------

    def hook(self, name: str, mode: str) -> str:
        """The function that structures ``name`` on a path of ``mode``."""
        if mode == "public" or name not in self.two_paths:
            return structure_name(name)
        return private_name(mode, name)

    def params(self, name: str, var: str) -> list[str]:
        """The parameters of a fast or reporting function of ``name``."""
        if name not in self.recursive:
            return [f"{var}: Any"]
        if name in self.memoized:
            return [f"{var}: Any", "_depth: int", "_memo: _Memo"]
        return [f"{var}: Any", "_depth: int"]

    def path(self, name: str, mode: str) -> Path:
        """The path inside a function of ``name``."""
        inner = mode != "public"
        return Path(
            mode,
            counted=inner and name in self.recursive,
            memo=inner and name in self.memoized,
        )

    def depth_check(self, name: str) -> str:
        if name not in self.recursive:
            return ""
        return "    if _depth > _MAX_DEPTH:\n        raise _too_deep()\n"

    def public_body(self, name: str, var: str) -> str:
        """The body of the public hook: the fast path, else the reporting path, once."""
        args = f"{var}, 0" if name in self.recursive else var
        if name in self.memoized:
            args += ", {}"
        return (
            "    try:\n"
            f"        return {self.hook(name, 'fast')}({args})\n"
            "    except Exception:\n"
            "        pass  # the reporting path says what is wrong\n"
            f"    return {self.hook(name, 'report')}({args})"
        )

    def named_call(self, name: str, var: str, path: Path) -> str:
        hook = self.hook(name, path.mode)
        if path.mode == "public" or name not in self.recursive:
            return f"{hook}({var})"
        return f"{hook}({', '.join([var, *self._context(name, path)])})"

    def _context(self, name: str, path: Path) -> list[str]:
        """The ``_depth`` (and ``_memo``) arguments of a call of ``name``'s function."""
        depth = "_depth + 1" if path.counted else "0"
        if name not in self.memoized:
            return [depth]
        return [depth, "_memo" if path.memo else "{}"]

    # -- structuring ------------------------------------------------------------------

    def checker(
        self, type_: ir.TypeExpr, path: Path = PUBLIC, depth: int = 0
    ) -> str | None:
        """A callable that structures a value of ``type_``; ``None`` for ``any``."""
        if isinstance(type_, ir.PrimitiveType):
            return _CHECKERS.get(type_.name)
        if isinstance(type_, ir.NamedType) and (
            path.mode == "public" or type_.name not in self.recursive
        ):
            return self.hook(type_.name, path.mode)
        var = f"v{depth}"
        return f"lambda {var}: {self.structure(type_, var, path, depth + 1)}"

    def structure(
        self, type_: ir.TypeExpr, var: str, path: Path = PUBLIC, depth: int = 0
    ) -> str:
        """An expression structuring ``var`` as ``type_``."""
        if isinstance(type_, (ir.ListType, ir.DictType)):
            kind = "list" if isinstance(type_, ir.ListType) else "dict"
            inner = type_.item if isinstance(type_, ir.ListType) else type_.value
            item = self.checker(inner, path, depth)
            if item is None:  # ``any`` items: copied, no call per item
                return f"_{kind}_any({var})"
            if path.mode == "fast":
                return f"_{kind}_fast({var}, {item})"
            return f"_{kind}({var}, {item}, {self.note_type(inner)})"
        if isinstance(type_, ir.NamedType):
            return self.named_call(type_.name, var, path)
        checker = self.checker(type_, path, depth)
        return f"{checker}({var})" if checker else var

    def structure_checked(self, type_: ir.TypeExpr, var: str, path: Path) -> str:
        """Like :meth:`structure`, for a value whose JSON shape was already tested."""
        if isinstance(type_, ir.PrimitiveType) and type_.name in (
            "str",
            "int",
            "bool",
            "any",
        ):
            return var
        if type_ == ir.PrimitiveType("float"):
            return f"float({var})"
        return self.structure(type_, var, path)

    def note_type(self, type_: ir.TypeExpr) -> str:
        """What ``cattrs.transform_error`` names as the expected type."""
        if isinstance(type_, ir.PrimitiveType):
            return _NOTE_TYPES.get(type_.name, type_.name)
        if isinstance(type_, ir.ListType):
            return "list"
        if isinstance(type_, ir.DictType):
            return "dict"
        if type_.name in self.unions:
            return f"_Expected({python.py_str(self.types.union_annotation(self.unions[type_.name]))})"
        return type_.name

    def field_structure(
        self, field: ir.Field, var: str, indent: int, path: Path
    ) -> str:
        """Reporting path: the statements that set the local ``var`` from ``_data``."""
        pad = " " * indent
        key = python.py_str(field.wire_name)
        lines = []
        if field.nullable:
            lines.append(f"{pad}_raw = _data[{key}]")
            value = self.structure(field.type, "_raw", path)
            if value == "_raw":
                lines.append(f"{pad}{var} = _raw")
            else:
                lines.append(
                    python.assign(
                        indent, var, value, prefix="None if _raw is None else"
                    )
                )
        else:
            lines.append(
                python.assign(
                    indent, var, self.structure(field.type, f"_data[{key}]", path)
                )
            )
        lines += constraint_checks(field, var, indent, self.patterns)
        return "\n".join(lines)

    def report_field(self, field: ir.Field, index: int, path: Path) -> str:
        """Reporting path: set ``_f<index>``, or note what is wrong with the field."""
        var = f"_f{index}"
        indent = 8 if field.required else 12
        args = ["_exc", python.py_str(field.wire_name), self.note_type(field.type)]
        note = call(indent, "_errors.append", [f"_at({', '.join(args)})"])
        if any(len(line) > python.LINE_LENGTH for line in note.split("\n")):
            at = call(indent + 4, "_at", args).strip()
            note = f"{' ' * indent}_errors.append(\n{' ' * (indent + 4)}{at},\n{' ' * indent})"
        if field.required:
            return "\n".join(
                [
                    "    try:",
                    self.field_structure(field, var, 8, path),
                    "    except Exception as _exc:",
                    note,
                ]
            )
        body = [
            "        try:",
            self.field_structure(field, var, 12, path),
            "        except Exception as _exc:",
            note,
        ]
        return self.optional(field, var, 4, body)

    def absent(self, field: ir.Field) -> str:
        """The value of a field whose key is absent: its ``default`` (as the class
        would fill it in), else ``UNSET``. A ``server_default`` is only documented."""
        return default_value(field, self.api) if field.has_default else "UNSET"

    def optional(self, field: ir.Field, var: str, indent: int, body: list[str]) -> str:
        """``var`` set by ``body`` when the field's key is present, else its absent
        value; a default is made only when the key is absent (it may be a new list)."""
        pad = " " * indent
        annotation = self.types.field_annotation(field)
        present = f"{pad}if {python.py_str(field.wire_name)} in _data:"
        absent = self.absent(field)
        if absent == "UNSET":
            return "\n".join([f"{pad}{var}: {annotation} = UNSET", present, *body])
        otherwise = [f"{pad}else:", python.assign(indent + 4, var, absent)]
        return "\n".join([f"{pad}{var}: {annotation}", present, *body, *otherwise])

    # -- the fast path of a model ---------------------------------------------------
    #
    # Exact JSON types tested inline, nested values structured by their own fast
    # paths, no per-field error bookkeeping. Anything unexpected (a wrong type, a
    # missing key, an unknown key, a nested failure, a value out of range) raises, and
    # the public hook runs the reporting path, which decides. So the fast path only
    # ever returns what the reporting path would, and is never the one to fail.

    def fast_field(self, field: ir.Field, index: int, path: Path) -> str:
        """Statements setting ``_f<index>`` from ``_data``; raise on anything unusual."""
        indent = 4
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
        elif field.type == ir.PrimitiveType("uuid") and path.mode == "fast":
            body.append(python.assign(inner, var, f"_data[{key}]"))
            test = f"type({var}) is not str or _UUID_MATCH({var}) is None"
            if field.nullable:
                test = f"{var} is not None and ({test})"
            body += [f"{ipad}if {test}:", f"{ipad}    raise _Mismatch"]
        elif (steps := self.fast_steps(field.type, var, path)) is not None:
            body.append(python.assign(inner, var, f"_data[{key}]"))
            if field.nullable:
                body.append(f"{ipad}if {var} is not None:")
            step_indent = inner + 4 if field.nullable else inner
            body += [self._indent(step, step_indent) for step in steps]
        elif field.nullable:
            body.append(python.assign(inner, var, f"_data[{key}]"))
            value = self.structure(field.type, var, path)
            if value != var:
                body += [
                    f"{ipad}if {var} is not None:",
                    python.assign(inner + 4, var, value),
                ]
        else:
            body.append(
                python.assign(
                    inner, var, self.structure(field.type, f"_data[{key}]", path)
                )
            )
        body += constraint_checks(field, var, inner, self.patterns)
        if field.required:
            return "\n".join(body)
        absent = self.absent(field)
        if len(body) == 1 and "\n" not in body[0]:
            # One assignment: a conditional expression, as ruff's SIM108 asks, if it fits.
            value = body[0].strip().removeprefix(f"{var} = ")
            line = f"{pad}{var} = {value} if {key} in _data else {absent}"
            if value == f"_data[{key}]":  # taken as it is: SIM401's dict.get
                line = f"{pad}{var} = _data.get({key}, {absent})"
            if len(line) <= python.LINE_LENGTH:
                return line
        return self.optional(field, var, indent, body)

    def fast_steps(self, type_: ir.TypeExpr, var: str, path: Path) -> list[str] | None:
        """Statements (at indent 0) structuring ``var`` in place without a call, for
        string enums and lists of named types; ``None`` for other types."""
        if isinstance(type_, ir.NamedType) and type_.name in self.enums:
            enum = self.enums[type_.name]
            if enum.value_type != "str":
                return None
            members = private_name("MEMBERS", enum.name)
            if not enum.open:
                return [python.assign(0, var, f"{members}[{var}]")]
            return [
                f"if type({var}) is not str:",
                "    raise _Mismatch",
                python.assign(0, var, f"{members}.get({var}, {var})"),
            ]
        if isinstance(type_, ir.ListType) and isinstance(type_.item, ir.NamedType):
            # A loop, not a comprehension: before Python 3.12 a comprehension is a
            # function made and called per list, about as costly as a short list.
            # Names of the field's own: a loop variable outlives its loop.
            each, items = f"{var}_item", f"{var}_items"
            item = self.named_call(type_.item.name, each, path)
            return [
                f"if type({var}) is not list:",
                "    raise _Mismatch",
                f"{items} = []",
                f"for {each} in {var}:\n    {items}.append({item})",
                f"{var} = {items}",
            ]
        return None

    @staticmethod
    def _indent(step: str, indent: int) -> str:
        """A step written at indent 0, moved to ``indent`` (and re-wrapped if needed)."""
        if step.startswith(("if ", "    ")) or "\n" in step:
            return "\n".join(" " * indent + line for line in step.split("\n"))
        target, _, value = step.partition(" = ")
        return python.assign(indent, target, value)

    def construct(self, model: ir.Model, indent: int) -> str:
        """The instance from the ``_f<i>``: made by ``object.__new__`` and filled slot
        by slot, as the class's ``__init__`` would (it has no validators, converters
        or hooks), at a fraction of the cost of a call with keyword arguments."""
        pad = " " * indent
        lines = [f"{pad}_obj = _new({model.name})"]
        lines += [
            f"{pad}_obj.{f.python_name} = _f{i}" for i, f in enumerate(model.fields)
        ]
        return "\n".join([*lines, f"{pad}return _obj"])

    def raise_errors(self, model: ir.Model, indent: int) -> str:
        message = python.py_str(model.name)
        return call(indent, "raise _invalid", [message, "_errors", model.name])

    def known_keys(self, model: ir.Model) -> str:
        """``_KEYS_X = frozenset(...)``: the keys a ``forbid`` model accepts."""
        target = private_name("KEYS", model.name)
        keys = [python.py_str(f.wire_name) for f in model.fields]
        line = f"frozenset({{{', '.join(keys)}}})" if keys else "frozenset[str]()"
        return f"{target} = {line}"

    def def_line(self, name: str, params: list[str], returns: str) -> str:
        return def_line(name, params, returns)

    # -- unions -----------------------------------------------------------------------

    def union_body(self, union: ir.Union, path: Path) -> str:
        """The body of a union's structuring function on ``path``: the tag first, then
        each variant whose JSON shape fits, the last one of a shape without a ``try``."""
        lines: list[str] = []
        if union.discriminator:
            lines += [
                "    if isinstance(value, dict):",
                f"        tag = value.get({python.py_str(union.discriminator)})",
            ]
            for tag, variant in self._tags(union):
                lines += [
                    f"        if tag == {python.py_str(tag) if isinstance(tag, str) else tag}:",
                    python.returns(12, self.structure_checked(variant, "value", path)),
                ]
            message = python.py_str(f"unknown {union.discriminator} ")
            message = message.replace("{", "{{").replace("}", "}}")
            lines += [
                "        if tag is not None:",
                f"            raise InvalidValueError(f{message[:-1]}{{tag!r}}{message[-1]})",
            ]
        groups = self._groups(union)
        tried = "_tried: list[Exception]"  # annotated once: mypy refuses it twice
        for check, variants in groups:
            indent = 4 if check == "True" else 8
            if check != "True":
                lines.append(f"    if {check}:")
            pad = " " * indent
            tries = len(variants) > 1
            if tries and path.mode != "fast":
                # Report the variant that fits best, not merely the last one tried.
                lines.append(f"{pad}{tried} = []")
                tried = "_tried"
                for variant in variants:
                    lines += [
                        f"{pad}try:",
                        python.returns(indent + 4, self._variant(variant, path, tries)),
                        f"{pad}except Exception as _exc:",
                        f"{pad}    _tried.append(_exc)",
                    ]
                lines.append(f"{pad}raise _closest(_tried)")
                continue
            for variant in variants[:-1]:
                lines += [
                    f"{pad}try:",
                    python.returns(indent + 4, self._variant(variant, path, tries)),
                    f"{pad}except Exception:",
                    f"{pad}    pass",
                ]
            lines.append(
                python.returns(indent, self._variant(variants[-1], path, tries))
            )
        if not any(check == "True" for check, _ in groups):
            expected = python.py_str("one of " + self.types.union_annotation(union))
            lines.append(f"    raise _wrong({expected}, value)")
        return "\n".join(lines)

    def _variant(self, variant: ir.TypeExpr, path: Path, tries: bool) -> str:
        """Structuring ``value`` as one variant of a union; a recursive variant tried
        beside others of its shape is remembered, so it is never tried twice."""
        if (
            tries
            and path.memo
            and isinstance(variant, ir.NamedType)
            and variant.name in self.memoized
        ):
            hook = self.hook(variant.name, path.mode)
            return f"_remembered({hook}, value, _depth + 1, _memo)"
        return self.structure_checked(variant, "value", path)

    def _tags(self, union: ir.Union) -> list[tuple[str | int, ir.TypeExpr]]:
        """``(tag value, variant)`` of a discriminated union, from each variant's one-value enum."""
        out: list[tuple[str | int, ir.TypeExpr]] = []
        for variant in union.variants:
            assert isinstance(variant, ir.NamedType)
            field = next(
                f
                for f in self.api.model(variant.name).fields
                if f.wire_name == union.discriminator
            )
            assert isinstance(field.type, ir.NamedType)
            out.append((self.api.enum(field.type.name).members[0].value, variant))
        return out

    def _groups(self, union: ir.Union) -> list[tuple[str, list[ir.TypeExpr]]]:
        """Variants grouped by their JSON shape test, in the order the spec lists them."""
        return _grouped(union.variants, lambda v: self.json_check(v, "value"))

    def json_check(self, type_: ir.TypeExpr, var: str) -> str:
        """A cheap test of whether ``var`` has the JSON shape of ``type_``."""
        if isinstance(type_, ir.PrimitiveType):
            return {
                "str": f"isinstance({var}, str)",
                "int": f"isinstance({var}, int) and not isinstance({var}, bool)",
                "float": f"isinstance({var}, (int, float)) and not isinstance({var}, bool)",
                "bool": f"isinstance({var}, bool)",
                "any": "True",
                "datetime": f"isinstance({var}, str)",
                "date": f"isinstance({var}, str)",
                "uuid": f"isinstance({var}, str)",
                "bytes": f"isinstance({var}, bytes)",  # never a variant: checked
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
            return self._nested_union_check(type_.name, var)
        if isinstance(type_, ir.PrimitiveType) and type_.name == "datetime":
            return f"isinstance({var}, datetime.datetime)"
        if isinstance(type_, ir.PrimitiveType) and type_.name == "date":
            # a datetime is a date too
            return (
                f"isinstance({var}, datetime.date)"
                f" and not isinstance({var}, datetime.datetime)"
            )
        return self.json_check(type_, var)

    def _nested_union_check(self, name: str, var: str) -> str:
        """``isinstance(var, (A, B))`` for a nested union whose variants (its nested
        unions' too) are all classes; else ``True``: the union's hook decides."""
        classes: list[str] = []
        pending, seen = [name], set()
        while pending:
            union = pending.pop(0)
            if union in seen:
                continue
            seen.add(union)
            for variant in self.api.union(union).variants:
                if isinstance(variant, ir.NamedType) and variant.kind == "union":
                    pending.append(variant.name)
                    continue
                if isinstance(variant, ir.ListType):
                    classes.append("list")
                elif isinstance(variant, ir.DictType):
                    classes.append("dict")
                elif isinstance(variant, ir.NamedType):
                    classes.append(variant.name)
                    if variant.kind == "enum" and self.enums[variant.name].open:
                        classes.append(self.enums[variant.name].value_type)
                elif variant.name in ("str", "bool"):
                    classes.append(variant.name)
                else:
                    return "True"
        unique = list(dict.fromkeys(classes))
        if len(unique) == 1:
            return f"isinstance({var}, {unique[0]})"
        return f"isinstance({var}, ({', '.join(unique)}))"

    def needs_unstructure(self, type_: ir.TypeExpr) -> bool:
        """Whether a value of ``type_`` is not JSON as it is (it holds a model or enum)."""
        inner = ir.innermost(type_)
        if _written(inner):
            return True
        return isinstance(inner, ir.NamedType) and inner.name in self.unstructured

    def unstructure(
        self, type_: ir.TypeExpr, var: str, depth: int = 0, where: str = ""
    ) -> str:
        """An expression turning ``var`` (of ``type_``) into JSON-ready values;
        ``where`` (``Model.field``) is named when a datetime cannot be written."""
        if not self.needs_unstructure(type_):
            return var
        if isinstance(type_, ir.PrimitiveType):
            return f"{_WRITERS[type_.name]}({var}, {python.py_str(where)})"
        if isinstance(type_, ir.ListType):
            item = f"v{depth}"
            return f"[{self.unstructure(type_.item, item, depth + 1, where)} for {item} in {var}]"
        if isinstance(type_, ir.DictType):
            item = f"v{depth}"
            return f"{{k{depth}: {self.unstructure(type_.value, item, depth + 1, where)} for k{depth}, {item} in {var}.items()}}"
        assert isinstance(type_, ir.NamedType)
        if type_.name in self.enums and not self.enums[type_.name].open:
            return f"{var}.value"
        return f"{unstructure_name(type_.name)}({var})"

    def unstructure_branches(self, union: ir.Union) -> list[tuple[str, str]]:
        """``(test, expression)`` per runtime check of ``union``'s unstructure hook.

        Variants one isinstance test cannot tell apart (``list[A] | list[list[B]]``)
        share a branch that tells their items apart instead."""
        groups = self._by_check(list(union.variants), "value")
        return [
            (check, self._unstructure_any(types, "value", 0, union.name))
            for check, types in groups
            if any(map(self.needs_unstructure, types))
        ]

    def _by_check(
        self, types: list[ir.TypeExpr], var: str
    ) -> list[tuple[str, list[ir.TypeExpr]]]:
        """Types grouped by the ``isinstance`` test of their Python values."""
        return _grouped(types, lambda t: self.python_check(t, var))

    def _unstructure_any(
        self, types: list[ir.TypeExpr], var: str, depth: int, where: str
    ) -> str:
        """An expression unstructuring ``var``, a value of any of ``types``."""
        if len(types) == 1 or not any(map(self.needs_unstructure, types)):
            return self.unstructure(types[0], var, depth, where)
        item = f"v{depth}"
        if all(isinstance(t, ir.ListType) for t in types):
            items = [t.item for t in types if isinstance(t, ir.ListType)]
            return f"[{self._unstructure_any(items, item, depth + 1, where)} for {item} in {var}]"
        if all(isinstance(t, ir.DictType) for t in types):
            values = [t.value for t in types if isinstance(t, ir.DictType)]
            return f"{{k{depth}: {self._unstructure_any(values, item, depth + 1, where)} for k{depth}, {item} in {var}.items()}}"
        groups = self._by_check(types, var)
        check, last = groups[-1]
        expr = self._unstructure_any(last, var, depth, where)
        for check, group in reversed(groups[:-1]):
            expr = f"({self._unstructure_any(group, var, depth, where)} if {check} else {expr})"
        return expr

    def field_unstructure(
        self, field: ir.Field, indent: int, var: str, model: str = ""
    ) -> str:
        key = python.py_str(field.wire_name)
        value = self.unstructure(field.type, var, where=f"{model}.{field.wire_name}")
        if field.nullable and value != var:
            return python.assign(
                indent, f"_data[{key}]", value, prefix=f"None if {var} is None else"
            )
        return python.assign(indent, f"_data[{key}]", value)


def _grouped(
    types: Iterable[ir.TypeExpr], test: Callable[[ir.TypeExpr], str]
) -> list[tuple[str, list[ir.TypeExpr]]]:
    """``types`` grouped by their ``test`` (the code telling them apart), in their
    order; a test that passes anything (``True``: ``any``, a nested union or a union
    alias) must come after every specific one."""
    groups: dict[str, list[ir.TypeExpr]] = {}
    for type_ in types:
        groups.setdefault(test(type_), []).append(type_)
    return sorted(groups.items(), key=lambda group: group[0] == "True")
