"""Spec -> IR: resolve names and inline unions, derive Python names, check every value.

All problems of a spec are collected and raised together as one :class:`SpecError`.
"""

from __future__ import annotations

import difflib
import hashlib
import keyword
import math
import re
from pathlib import Path
from typing import Any, TypeVar

from . import ir, naming
from .diagnostics import Diagnostic, SpecError
from .spec.load import Document, Path_, Position, load_file
from .spec.types import (
    MAX_DEPTH,
    PRIMITIVES,
    DictOf,
    ListOf,
    Syntax,
    TypeSyntaxError,
    UnionOf,
    parse_type,
)
from .spec.validate import schema_problems

T = TypeVar("T")
_TYPE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SECTIONS = ("models", "unions", "enums", "operations")
# The key under a section entry whose entries are parts of their own.
_SUBSECTIONS = {"models": "fields", "operations": "methods"}


def load_api(path: Path, display: str | None = None) -> ir.Api:
    """Load, validate and build the IR of the spec at ``path``."""
    return build_api(load_file(path, display))


def _part(path: Path_) -> Path_ | None:
    """The smallest part of a spec that holds ``path`` and can be skipped on its own.

    A top-level key, a model, union, enum or group, a field or a method; ``None`` when
    the problem is with a whole section, so that nothing in it can be checked.
    """
    if not path:
        return None
    section = path[0]
    if section not in _SECTIONS:
        return path[:1]
    if len(path) < 2:
        return None
    sub = _SUBSECTIONS.get(str(section))
    if sub is not None and len(path) >= 4 and path[2] == sub:
        return path[:4]
    return path[:2]


def build_api(doc: Document) -> ir.Api:
    """Check the document and build its IR; every problem is raised in one SpecError.

    The parts of the spec that break the schema are reported and left out, and the
    rest is still checked, so one run reports every error of the file.
    """
    problems = schema_problems(doc)
    diagnostics = [*doc.problems, *(p.diagnostic for p in problems)]
    damaged = [*doc.spoiled, *(p.damaged for p in problems if p.damaged is not None)]
    parts = {_part(path) for path in damaged}
    if None in parts:
        raise SpecError(diagnostics)
    builder = _Builder(doc, frozenset(p for p in parts if p is not None))
    api = builder.build()
    diagnostics.extend(builder.errors)
    if diagnostics:
        raise SpecError(diagnostics)
    return api


def _depth(value: Any) -> int:
    """How deeply lists and mappings nest in ``value``; a scalar is 0."""
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


def _show(value: Any, limit: int = 60) -> str:
    """A value in a message, shortened when long."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def _fits_primitive(value: Any, name: ir.Primitive) -> bool:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "str":
        return isinstance(value, str)
    if name == "int":
        return number and isinstance(value, int)
    if name == "float":
        return number and math.isfinite(value)
    if name == "bool":
        return isinstance(value, bool)
    return True  # any


class _Builder:
    def __init__(self, doc: Document, broken: frozenset[Path_] = frozenset()) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        self.lines = doc.text.splitlines()
        # Parts of the spec that break the schema: reported already, skipped here.
        self.broken = broken
        # Named types whose content is not fully known (a part of them is broken or
        # failed to build): checks that need their content give them the benefit.
        self.damaged: set[str] = set()
        self.errors: list[Diagnostic] = []
        self.kinds: dict[str, ir.NamedKind] = {}
        self.inline_unions: list[ir.Union] = []
        self.union_variants: dict[str, tuple[ir.TypeExpr, ...]] = {}
        self.enum_values: dict[str, tuple[str | int, ...]] = {}

    def error(
        self, path: Path_, message: str, *, key: bool = False, hint: str = ""
    ) -> None:
        self.errors.append(self.doc.error(path, message, key=key, hint=hint))

    # -- names -----------------------------------------------------------------------

    def declare(self, name: str, kind: ir.NamedKind, path: Path_) -> None:
        if name in self.kinds:
            self.error(
                path, f"'{name}' is already defined as a {self.kinds[name]}", key=True
            )
            return
        if naming.is_reserved_type_name(name):
            self.error(
                path, f"'{name}' would shadow a Python name; choose another", key=True
            )
            return
        folded = {n.lower(): n for n in self.kinds}
        if name.lower() in folded:
            other = folded[name.lower()]
            self.error(
                path,
                f"'{name}' and '{other}' differ only in case; their docs pages would share "
                f"the file {naming.doc_file(name)}",
                key=True,
            )
            return
        self.kinds[name] = kind

    # -- types -----------------------------------------------------------------------

    def parse(self, text: str, path: Path_) -> Syntax | None:
        try:
            return parse_type(text)
        except TypeSyntaxError as exc:
            pos = self.position_in(path, text, exc.offset)
            self.errors.append(
                Diagnostic(self.doc.file, pos.line, pos.column, str(exc))
            )
            return None

    def position_in(self, path: Path_, text: str, offset: int) -> Position:
        """Where ``text[offset]`` of the string scalar at ``path`` stands in the file.

        Exact for a plain scalar, a quoted one without escapes and a one-line block
        scalar (``|`` or ``>``); otherwise the start of the scalar.
        """
        pos = self.doc.at(path)
        if pos.line > len(self.lines):
            return pos
        rest = self.lines[pos.line - 1][pos.column - 1 :]
        if rest.startswith(text):
            return Position(pos.line, pos.column + offset)
        quote = rest[:1]
        if quote in ("'", '"') and rest[1:].startswith(text + quote):
            return Position(pos.line, pos.column + 1 + offset)
        content = text.rstrip("\n")
        if quote in ("|", ">") and content and "\n" not in content:
            body = next(
                (n for n in range(pos.line, len(self.lines)) if self.lines[n].strip()),
                None,
            )
            if body is not None and self.lines[body].strip() == content:
                indent = len(self.lines[body]) - len(self.lines[body].lstrip())
                return Position(body + 1, indent + 1 + offset)
        return pos

    def resolve(
        self,
        syntax: Syntax,
        path: Path_,
        text: str,
        inline_name: str | None,
        inline_doc: str,
    ) -> ir.TypeExpr | None:
        if isinstance(syntax, ListOf):
            item = self.resolve(syntax.item, path, text, inline_name, inline_doc)
            return None if item is None else ir.ListType(item)
        if isinstance(syntax, DictOf):
            value = self.resolve(syntax.value, path, text, inline_name, inline_doc)
            return None if value is None else ir.DictType(value)
        if isinstance(syntax, UnionOf):
            if inline_name is None:
                self.error(
                    path,
                    "a union inside a union or a second union in one type; declare it under 'unions'",
                )
                return None
            variants = [self.resolve(v, path, text, None, "") for v in syntax.variants]
            if any(v is None for v in variants):
                return None
            resolved = tuple(v for v in variants if v)
            self.declare(inline_name, "union", path)
            self.inline_unions.append(ir.Union(inline_name, resolved, inline_doc))
            self.union_variants.setdefault(inline_name, resolved)
            return ir.NamedType(inline_name, "union")
        if syntax.name in PRIMITIVES:
            return ir.PrimitiveType(syntax.name)  # type: ignore[arg-type]
        if syntax.name in self.kinds:
            return ir.NamedType(syntax.name, self.kinds[syntax.name])
        known = [*PRIMITIVES, "list", "dict", *self.kinds]
        close = difflib.get_close_matches(syntax.name, known, n=1)
        pos = self.position_in(path, text, syntax.offset)
        self.errors.append(
            Diagnostic(
                self.doc.file,
                pos.line,
                pos.column,
                f"unknown type '{syntax.name}'",
                f"did you mean '{close[0]}'?"
                if close
                else "expected str, int, float, bool, any, list[T], dict[str, T] or a declared name",
            )
        )
        return None

    def type_of(
        self,
        text: str,
        path: Path_,
        inline_name: str | None = None,
        inline_doc: str = "",
    ) -> ir.TypeExpr | None:
        syntax = self.parse(text, path)
        return (
            None
            if syntax is None
            else self.resolve(syntax, path, text, inline_name, inline_doc)
        )

    # -- values ----------------------------------------------------------------------

    def fits(self, value: Any, type_: ir.TypeExpr, nullable: bool) -> bool:
        """Whether a default or example is a valid wire value of the type."""
        if value is None:
            return nullable
        if isinstance(type_, ir.PrimitiveType):
            return _fits_primitive(value, type_.name)
        if isinstance(type_, ir.ListType):
            return isinstance(value, list) and all(
                self.fits(v, type_.item, False) for v in value
            )
        if isinstance(type_, ir.DictType):
            return isinstance(value, dict) and all(
                self.fits(v, type_.value, False) for v in value.values()
            )
        if type_.kind == "enum":
            values = self.enum_values.get(type_.name)
            if values is None:  # the enum is broken: its values are unknown
                return True
            return value in values and type(value) in {type(v) for v in values}
        if type_.kind == "union":
            variants = self.union_variants.get(type_.name)
            if variants is None:  # the union is broken: its variants are unknown
                return True
            return any(self.fits(value, v, False) for v in variants)
        return isinstance(value, dict)  # a model: checked by shape only

    # -- parts -----------------------------------------------------------------------

    def build(self) -> ir.Api:
        data = self.data
        sections: tuple[tuple[str, ir.NamedKind], ...] = (
            ("models", "model"),
            ("unions", "union"),
            ("enums", "enum"),
        )
        for section, kind in sections:
            for name in data.get(section, {}):
                if _TYPE_NAME.fullmatch(name):  # else the schema reported it
                    self.declare(name, kind, (section, name))
        unions = [
            u
            for n, s in self.entries("unions")
            if (u := self.build_union(n, s)) is not None
        ]
        enums = [self.build_enum(n, s) for n, s in self.entries("enums")]
        models_by_name = {}
        for name, spec in self.entries("models"):
            fields = self.model_fields(name, spec, ())
            models_by_name[name] = ir.Model(
                name,
                tuple(self.build_fields(name, fields)),
                spec.get("doc", ""),
                spec.get("unknown_fields") == "forbid",
            )
        models = tuple(models_by_name.values())
        all_unions = tuple(unions) + tuple(self.inline_unions)
        self.check_discriminators(all_unions, models_by_name)
        self.check_cycles(models, all_unions)
        groups = tuple(
            self.build_group(n, s, models_by_name)
            for n, s in self.entries("operations")
        )
        digest = hashlib.sha256(self.doc.text.encode("utf-8")).hexdigest()
        auth: dict[str, Any] = self.top("auth", {})
        return ir.Api(
            package=self.top("package", ""),
            spec_name=Path(self.doc.file).name,
            spec_sha256=digest,
            models=models,
            unions=all_unions,
            enums=tuple(enums),
            groups=groups,
            title=self.top("title", ""),
            doc=self.top("doc", ""),
            server=self.top("server", ""),
            auth_env=auth.get("bearer", {}).get("env"),
        )

    def top(self, key: str, default: T) -> T:
        """A top-level value, or ``default`` when it is absent or broken."""
        if (key,) in self.broken:
            return default
        value: T = self.data.get(key, default)
        return value

    def entries(self, section: str) -> list[tuple[str, dict[str, Any]]]:
        """The entries of a section that are not broken; broken ones are damaged names."""
        out = []
        for name, spec in self.data.get(section, {}).items():
            if (section, name) in self.broken:
                self.damaged.add(name)
            else:
                out.append((name, spec))
        return out

    def model_fields(
        self, name: str, spec: dict[str, Any], seen: tuple[str, ...]
    ) -> list[tuple[str, dict[str, Any], Path_, str]]:
        """Fields in order as ``(wire name, spec, path, owner)``, following ``is`` chains."""
        root = seen[0] if seen else name
        own = []
        for k, v in spec.get("fields", {}).items():
            path: Path_ = ("models", name, "fields", k)
            if path in self.broken:
                self.damaged.add(root)
            else:
                own.append((k, v, path, name))
        base_name = spec.get("is")
        if base_name is None:
            return own
        models = self.data.get("models", {})
        if base_name == root:
            self.error(
                ("models", root, "is"),
                f"'is' forms a cycle: {' -> '.join((*seen, name, base_name))}",
            )
            self.damaged.add(root)
            return own
        if base_name in seen:  # a cycle further up, reported at each of its models
            self.damaged.add(root)
            return own
        if base_name not in models:
            self.damaged.add(root)
            kind = self.kinds.get(base_name)
            if kind is not None:
                self.error(
                    ("models", name, "is"),
                    f"'is' names the {kind} '{base_name}'; only a model can be extended",
                )
                return own
            close = difflib.get_close_matches(base_name, list(models), n=1)
            self.error(
                ("models", name, "is"),
                f"'is' names an unknown model '{base_name}'",
                hint=f"did you mean '{close[0]}'?" if close else "",
            )
            return own
        if ("models", base_name) in self.broken:
            self.damaged.add(root)
            return own
        inherited = self.model_fields(base_name, models[base_name], (*seen, name))
        replaced = {k for k, *_ in own}
        merged = [
            (k, dict(v), p, name)
            if k not in replaced
            else next(o for o in own if o[0] == k)
            for k, v, p, _ in inherited
        ]
        merged += [o for o in own if o[0] not in {k for k, *_ in inherited}]
        return merged

    def build_fields(
        self, model: str, fields: list[tuple[str, dict[str, Any], Path_, str]]
    ) -> list[ir.Field]:
        out: list[ir.Field] = []
        used: set[str] = set()
        for wire, spec, path, owner in fields:
            inline = spec.get("name") or f"{model}{naming.pascal(wire)}"
            if owner != model and "name" in spec:
                inline = f"{model}{naming.pascal(wire)}"
            elif "name" in spec and not _TYPE_NAME.fullmatch(inline):
                self.error(
                    (*path, "name"),
                    f"invalid union name '{inline}'",
                    hint="expected letters, digits and underscores, not starting with a digit",
                )
            type_ = self.type_of(
                spec["type"], (*path, "type"), inline, spec.get("doc", "")
            )
            python = self.python_name(wire, spec, path, used)
            if type_ is None:
                self.damaged.add(model)
                continue
            field = ir.Field(
                wire_name=wire,
                python_name=python,
                type=type_,
                required=spec.get("required", False),
                nullable=spec.get("nullable", False),
                doc=spec.get("doc", ""),
                example=spec.get("example", ir.NO_VALUE),
                default=spec.get("default", ir.NO_VALUE),
                server_default=spec.get("server_default", ir.NO_VALUE),
                minimum=spec.get("minimum"),
                maximum=spec.get("maximum"),
                min_length=spec.get("min_length"),
                max_length=spec.get("max_length"),
            )
            self.check_field(field, path)
            out.append(field)
        return out

    def python_name(
        self, wire: str, spec: dict[str, Any], path: Path_, used: set[str]
    ) -> str:
        """The attribute name of a field: its ``python_name``, else one made unique."""
        chosen = spec.get("python_name")
        if chosen is not None:
            if chosen.startswith("_"):
                self.error(
                    (*path, "python_name"),
                    f"python_name '{chosen}' starts with an underscore, which attrs "
                    "drops from the __init__ parameter",
                    hint=f"use '{chosen.lstrip('_') or 'field'}'",
                )
            elif naming.python_attribute(chosen) == f"{chosen}_":
                self.error(
                    (*path, "python_name"),
                    f"python_name '{chosen}' is a Python keyword or a name the "
                    "generated code uses",
                    hint=f"use '{chosen}_'",
                )
            elif chosen in used:
                self.error(
                    (*path, "python_name"),
                    f"python_name '{chosen}' is already the name of another field",
                )
            used.add(chosen)
            return str(chosen)
        python = base = naming.python_attribute(wire)
        n = 2
        while python in used:
            python, n = f"{base}_{n}", n + 1
        used.add(python)
        return python

    def check_field(self, field: ir.Field, path: Path_) -> None:
        numeric = isinstance(field.type, ir.PrimitiveType) and field.type.name in (
            "int",
            "float",
        )
        sized = isinstance(field.type, ir.ListType) or field.type == ir.PrimitiveType(
            "str"
        )
        for bound in ("minimum", "maximum"):
            if getattr(field, bound) is not None and not numeric:
                self.error(
                    (*path, bound),
                    f"'{bound}' applies to int and float fields, not this one",
                    key=True,
                )
        for bound in ("min_length", "max_length"):
            if getattr(field, bound) is not None and not sized:
                self.error(
                    (*path, bound),
                    f"'{bound}' applies to str and list fields, not this one",
                    key=True,
                )
        for low, high in (("minimum", "maximum"), ("min_length", "max_length")):
            lo, hi = getattr(field, low), getattr(field, high)
            if lo is not None and hi is not None and lo > hi:
                self.error(
                    (*path, low), f"{low} {lo} is greater than {high} {hi}", key=True
                )
        if field.required and field.has_default:
            self.error(
                (*path, "default"),
                "a required field cannot have a default; use server_default to document one",
                key=True,
            )
        for name in ("default", "example", "server_default"):
            value = getattr(field, name)
            if value is ir.NO_VALUE:
                continue
            if _depth(value) > MAX_DEPTH:
                self.error(
                    (*path, name),
                    f"{name} nests more than {MAX_DEPTH} levels deep",
                    key=True,
                )
            elif not self.fits(value, field.type, field.nullable):
                self.error(
                    (*path, name),
                    f"{name} {_show(value)} is not a valid value of the field's type",
                    key=True,
                )
            elif name != "example" and not self.in_range(value, field):
                self.error(
                    (*path, name),
                    f"{name} {_show(value)} is outside the field's constraints",
                    key=True,
                )

    @staticmethod
    def in_range(value: Any, field: ir.Field) -> bool:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return not (
                (field.minimum is not None and value < field.minimum)
                or (field.maximum is not None and value > field.maximum)
            )
        if isinstance(value, (str, list)):
            return not (
                (field.min_length is not None and len(value) < field.min_length)
                or (field.max_length is not None and len(value) > field.max_length)
            )
        return True

    def build_union(self, name: str, spec: dict[str, Any]) -> ir.Union | None:
        path = ("unions", name, "variants")
        variants = [self.type_of(v, (*path, i)) for i, v in enumerate(spec["variants"])]
        if any(v is None for v in variants):
            self.damaged.add(name)
            return None
        resolved = tuple(v for v in variants if v)
        self.union_variants[name] = resolved
        for i, variant in enumerate(resolved):
            if variant in resolved[:i]:
                self.error((*path, i), "this variant is listed twice")
        return ir.Union(name, resolved, spec.get("doc", ""), spec.get("discriminator"))

    def build_enum(self, name: str, spec: dict[str, Any]) -> ir.Enum:
        value_type = spec.get("type", "str")
        members = []
        seen: dict[Any, str] = {}
        for member, value in spec["values"].items():
            path = ("enums", name, "values", member)
            if type(value).__name__ != value_type:
                self.error(
                    path, f"value {value!r} is not a {value_type}, the enum's type"
                )
            if value in seen:
                self.error(
                    path, f"value {value!r} is already the value of {seen[value]}"
                )
            seen[value] = member
            members.append(ir.EnumMember(member, value))
        self.enum_values[name] = tuple(m.value for m in members)
        return ir.Enum(
            name,
            tuple(members),
            value_type,
            spec.get("open", False),
            spec.get("doc", ""),
        )

    def check_discriminators(
        self, unions: tuple[ir.Union, ...], models: dict[str, ir.Model]
    ) -> None:
        for union in unions:
            if union.discriminator is None:
                continue
            path = ("unions", union.name, "discriminator")
            for variant in union.variants:
                name = variant.name if isinstance(variant, ir.NamedType) else ""
                if name in self.damaged:
                    continue  # its fields are not all known
                model = models.get(name)
                field = model and next(
                    (f for f in model.fields if f.wire_name == union.discriminator),
                    None,
                )
                tag = field.type if field else None
                if not isinstance(tag, ir.NamedType) or tag.kind != "enum":
                    self.error(
                        path,
                        f"every variant must be a model whose '{union.discriminator}' field is a one-value enum",
                    )
                    return
                values = self.enum_values.get(tag.name)
                if values is not None and len(values) != 1:
                    self.error(
                        path,
                        f"'{tag.name}' must have exactly one value to tag {name}",
                    )

    def check_cycles(
        self, models: tuple[ir.Model, ...], unions: tuple[ir.Union, ...]
    ) -> None:
        """Reject types that can only be satisfied by infinite values."""
        by_name = {m.name: m for m in models}
        union_by_name = {u.name: u for u in unions}

        def needs(name: str) -> list[str]:
            if name in by_name:
                return [
                    f.type.name
                    for f in by_name[name].fields
                    if f.required
                    and not f.nullable
                    and isinstance(f.type, ir.NamedType)
                    and f.type.kind != "enum"
                ]
            union = union_by_name.get(name)
            if union is None:  # broken: nothing is known about it
                return []
            named = [
                v.name
                for v in union.variants
                if isinstance(v, ir.NamedType) and v.kind != "enum"
            ]
            return (
                named if len(named) == len(union.variants) and len(named) == 1 else []
            )

        def union_only(name: str) -> list[str]:
            union = union_by_name.get(name)
            return (
                [
                    v.name
                    for v in union.variants
                    if isinstance(v, ir.NamedType) and v.kind == "union"
                ]
                if union
                else []
            )

        for start, section, edges in [(m.name, "models", needs) for m in models] + [
            (u.name, "unions", union_only) for u in unions
        ]:
            stack: list[tuple[str, tuple[str, ...]]] = [(start, (start,))]
            seen: set[str] = set()
            while stack:
                name, trail = stack.pop()
                for nxt in edges(name):
                    if nxt == start:
                        path = (
                            (section, start)
                            if start in self.data.get(section, {})
                            else ()
                        )
                        self.error(
                            path,
                            f"'{start}' cannot be built: it contains itself through {' -> '.join((*trail, nxt))}",
                            key=True,
                        )
                        stack = []
                        break
                    if nxt not in seen:
                        seen.add(nxt)
                        stack.append((nxt, (*trail, nxt)))

    def model_ref(
        self, models: dict[str, ir.Model], path: Path_, value: str
    ) -> ir.Model | None:
        if value in models:
            return models[value]
        kind = self.kinds.get(value)
        if kind == "model":  # declared but broken, and reported as such
            return None
        if kind is not None:
            self.error(
                path,
                f"'{value}' is {'an' if kind == 'enum' else 'a'} {kind}, not a model",
            )
            return None
        close = difflib.get_close_matches(value, list(models), n=1)
        self.error(
            path,
            f"'{value}' is not a model",
            hint=f"did you mean '{close[0]}'?" if close else "",
        )
        return None

    def check_python_name(self, name: str, path: Path_, what: str) -> None:
        """Group and method names become Python attributes and ``def`` names."""
        if keyword.iskeyword(name):
            self.error(
                path,
                f"'{name}' is a Python keyword and cannot name {what}",
                key=True,
                hint=f"use '{name}_'",
            )
        elif name.startswith("__"):
            self.error(
                path,
                f"'{name}' cannot name {what}: Python reserves names starting with '__'",
                key=True,
            )

    def build_group(
        self, name: str, spec: dict[str, Any], models: dict[str, ir.Model]
    ) -> ir.Group:
        self.check_python_name(name, ("operations", name), "an operation group")
        if name in naming.CLIENT_ATTRIBUTES:
            self.error(
                ("operations", name),
                f"'{name}' would hide the client's own '{name}'; choose another group name",
                key=True,
            )
        for cls in (naming.pascal(name), f"Async{naming.pascal(name)}"):
            if cls in self.kinds:
                self.error(
                    ("operations", name),
                    f"the group's client class '{cls}' would clash with the {self.kinds[cls]} '{cls}'",
                    key=True,
                )
        methods = []
        for method_name, m in spec["methods"].items():
            path: Path_ = ("operations", name, "methods", method_name)
            if path in self.broken:
                continue
            self.check_python_name(method_name, path, "a method")

            def model(
                key: str, value: str, sub: Path_ = (), at: Path_ = path
            ) -> ir.Model | None:
                return self.model_ref(models, (*at, *sub, key), value)

            verb, route = m["http"].split(" ", 1)
            request = model("request", m["request"])
            response = model("response", m["response"]) if "response" in m else None
            stream = None
            if "stream" in m:
                event = model("event", m["stream"]["event"], ("stream",))
                data_field = event and next(
                    (f for f in event.fields if f.wire_name == "data"), None
                )
                if event and not data_field and event.name not in self.damaged:
                    self.error(
                        (*path, "stream", "event"),
                        f"the stream event model '{event.name}' needs a 'data' field",
                    )
                if event and data_field:
                    stream = ir.Stream(
                        event, data_field.type, m["stream"].get("terminator")
                    )
            errors = tuple(
                (int(code), e)
                for code, target in m.get("errors", {}).items()
                if (e := model(code, target, ("errors",)))
            )
            if request:
                methods.append(
                    ir.Method(
                        method_name,
                        verb,
                        route,
                        request,
                        response,
                        stream,
                        errors,
                        m.get("summary", ""),
                        m.get("doc", ""),
                    )
                )
        return ir.Group(name, tuple(methods), spec.get("doc", ""))
