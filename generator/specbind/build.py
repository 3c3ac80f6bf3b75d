"""Spec -> IR: resolve names and inline unions, derive Python names, check every value.

All problems of a spec are collected and raised together as one :class:`SpecError`.
"""

from __future__ import annotations

import difflib
import hashlib
import math
from pathlib import Path
from typing import Any

from . import ir, naming
from .diagnostics import Diagnostic, SpecError
from .spec.load import Document, Path_, load_file
from .spec.types import (
    PRIMITIVES,
    DictOf,
    ListOf,
    Syntax,
    TypeSyntaxError,
    UnionOf,
    parse_type,
)
from .spec.validate import check_schema


def load_api(path: Path, display: str | None = None) -> ir.Api:
    """Load, validate and build the IR of the spec at ``path``."""
    return build_api(load_file(path, display))


def build_api(doc: Document) -> ir.Api:
    diagnostics = check_schema(doc)
    if diagnostics:
        raise SpecError(diagnostics)
    builder = _Builder(doc)
    api = builder.build()
    if builder.errors:
        raise SpecError(builder.errors)
    return api


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        self.errors: list[Diagnostic] = []
        self.kinds: dict[str, ir.NamedKind] = {}
        self.inline_unions: list[ir.Union] = []

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
            pos = self.doc.at(path)
            self.errors.append(
                Diagnostic(
                    self.doc.file,
                    pos.line,
                    pos.column + self._offset(path, text, exc.offset),
                    str(exc),
                )
            )
            return None

    def _offset(self, path: Path_, text: str, offset: int) -> int:
        """Column offset of ``text[offset]`` when the scalar stands verbatim on its line."""
        pos = self.doc.at(path)
        lines = self.doc.text.splitlines()
        if pos.line <= len(lines) and lines[pos.line - 1][pos.column - 1 :].startswith(
            text
        ):
            return offset
        return 0

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
            self.declare(inline_name, "union", path)
            self.inline_unions.append(
                ir.Union(inline_name, tuple(v for v in variants if v), inline_doc)
            )
            return ir.NamedType(inline_name, "union")
        if syntax.name in PRIMITIVES:
            return ir.PrimitiveType(syntax.name)  # type: ignore[arg-type]
        if syntax.name in self.kinds:
            return ir.NamedType(syntax.name, self.kinds[syntax.name])
        known = [*PRIMITIVES, "list", "dict", *self.kinds]
        close = difflib.get_close_matches(syntax.name, known, n=1)
        pos = self.doc.at(path)
        self.errors.append(
            Diagnostic(
                self.doc.file,
                pos.line,
                pos.column + self._offset(path, text, syntax.offset),
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
            return {
                "str": lambda v: isinstance(v, str),
                "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
                "float": lambda v: (
                    isinstance(v, (int, float))
                    and not isinstance(v, bool)
                    and math.isfinite(v)
                ),
                "bool": lambda v: isinstance(v, bool),
                "any": lambda v: True,
            }[type_.name](value)
        if isinstance(type_, ir.ListType):
            return isinstance(value, list) and all(
                self.fits(v, type_.item, False) for v in value
            )
        if isinstance(type_, ir.DictType):
            return isinstance(value, dict) and all(
                self.fits(v, type_.value, False) for v in value.values()
            )
        if type_.kind == "enum":
            values = self.data.get("enums", {}).get(type_.name, {}).get("values", {})
            return value in values.values() and type(value) in {
                type(v) for v in values.values()
            }
        if type_.kind == "union":
            union = next((u for u in self.inline_unions if u.name == type_.name), None)
            variants = (
                union.variants if union else self.union_variants.get(type_.name, ())
            )
            return any(self.fits(value, v, False) for v in variants)
        return isinstance(value, dict)  # a model: checked by shape only

    # -- parts -----------------------------------------------------------------------

    def build(self) -> ir.Api:
        data = self.data
        for section, kind in (
            ("models", "model"),
            ("unions", "union"),
            ("enums", "enum"),
        ):
            for name in data.get(section, {}):
                self.declare(name, kind, (section, name))  # type: ignore[arg-type]
        self.union_variants: dict[str, tuple[ir.TypeExpr, ...]] = {}
        unions = [
            u
            for u in (self.build_union(n, s) for n, s in data.get("unions", {}).items())
            if u
        ]
        enums = [self.build_enum(n, s) for n, s in data.get("enums", {}).items()]
        models_by_name = {}
        for name, spec in data.get("models", {}).items():
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
            for n, s in data.get("operations", {}).items()
        )
        digest = hashlib.sha256(self.doc.text.encode("utf-8")).hexdigest()
        return ir.Api(
            package=data["package"],
            spec_name=Path(self.doc.file).name,
            spec_sha256=digest,
            models=models,
            unions=all_unions,
            enums=tuple(enums),
            groups=groups,
            title=data.get("title", ""),
            doc=data.get("doc", ""),
            server=data.get("server", ""),
            auth_env=data.get("auth", {}).get("bearer", {}).get("env"),
        )

    def model_fields(
        self, name: str, spec: dict[str, Any], seen: tuple[str, ...]
    ) -> list[tuple[str, dict[str, Any], Path_, str]]:
        """Fields in order as ``(wire name, spec, path, owner)``, following ``is`` chains."""
        own = [
            (k, v, ("models", name, "fields", k), name)
            for k, v in spec.get("fields", {}).items()
        ]
        base_name = spec.get("is")
        if base_name is None:
            return own
        models = self.data.get("models", {})
        if base_name in seen or base_name == name:
            self.error(
                ("models", name, "is"),
                f"'is' forms a cycle: {' -> '.join((*seen, name, base_name))}",
            )
            return own
        if base_name not in models:
            close = difflib.get_close_matches(base_name, list(models), n=1)
            self.error(
                ("models", name, "is"),
                f"'is' names an unknown model '{base_name}'",
                hint=f"did you mean '{close[0]}'?" if close else "",
            )
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
            type_ = self.type_of(
                spec["type"], (*path, "type"), inline, spec.get("doc", "")
            )
            python = spec.get("python_name") or naming.python_attribute(wire)
            base, n = python, 2
            while python in used:
                python, n = f"{base}_{n}", n + 1
            used.add(python)
            if type_ is None:
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
            if not self.fits(value, field.type, field.nullable):
                self.error(
                    (*path, name),
                    f"{name} {value!r} is not a valid value of the field's type",
                    key=True,
                )
            elif name != "example" and not self.in_range(value, field):
                self.error(
                    (*path, name),
                    f"{name} {value!r} is outside the field's constraints",
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
                model = (
                    models.get(variant.name)
                    if isinstance(variant, ir.NamedType)
                    else None
                )
                field = model and next(
                    (f for f in model.fields if f.wire_name == union.discriminator),
                    None,
                )
                if (
                    not field
                    or not isinstance(field.type, ir.NamedType)
                    or field.type.kind != "enum"
                ):
                    self.error(
                        path,
                        f"every variant must be a model whose '{union.discriminator}' field is a one-value enum",
                    )
                    return
                if len(self.data["enums"][field.type.name]["values"]) != 1:
                    self.error(
                        path,
                        f"'{field.type.name}' must have exactly one value to tag {variant.name}",
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
            union = union_by_name[name]
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
            stack, seen = [(start, (start,))], set()
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
        close = difflib.get_close_matches(value, list(models), n=1)
        self.error(
            path,
            f"'{value}' is not a model",
            hint=f"did you mean '{close[0]}'?" if close else "",
        )
        return None

    def build_group(
        self, name: str, spec: dict[str, Any], models: dict[str, ir.Model]
    ) -> ir.Group:
        methods = []
        for method_name, m in spec["methods"].items():
            path = ("operations", name, "methods", method_name)

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
                if event and not data_field:
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
