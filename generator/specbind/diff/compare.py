"""IR -> changes: models, fields, enums and unions of two versions of one spec.

Fields are matched by wire name for the wire rules and by Python name for the Python
rules, so a field renamed on one level only is a change on that level only. A model's
wire rules depend on which way it travels: a model reachable from a method's request
gets the ``request`` rules, one reachable from a response, a stream or an error the
``response`` rules; a model no method reaches gets both.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Literal

from .. import ir
from . import domains
from .domains import Side
from .findings import Finding, Probe, Spot
from .places import Positions
from .rules import CONSTRAINTS, rule

Role = Literal["request", "response"]
_ROLES: tuple[Role, ...] = ("request", "response")
BOTH: frozenset[Role] = frozenset(_ROLES)
UNKNOWN_KEY = "specbind_unknown_key"


def show(value: Any) -> str:
    """A value as a caller reads it in a sentence: JSON."""
    if value is ir.NO_VALUE:
        return "nothing"
    return json.dumps(value, ensure_ascii=False)


class Version:
    """One side of a comparison: the spec's document, IR and positions."""

    def __init__(self, label: str, positions: Positions, api: ir.Api) -> None:
        self.label = label
        self.positions = positions
        self.api = api
        declared = frozenset((positions.doc.data.get("unions") or {}).keys())
        self.side = Side(api, declared)
        self.roles = _roles(api)
        self.tag_enums = _tag_enums(self.side)

    def role_of(self, name: str) -> frozenset[Role]:
        return self.roles.get(name, BOTH)


def _roles(api: ir.Api) -> dict[str, frozenset[Role]]:
    side = Side(api)
    found: dict[str, set[Role]] = {}

    def visit(type_: ir.TypeExpr, role: Role) -> None:
        named = ir.innermost(type_)
        if not isinstance(named, ir.NamedType):
            return
        roles = found.setdefault(named.name, set())
        if role in roles:
            return
        roles.add(role)
        if named.name in side.models:
            for field in side.models[named.name].fields:
                visit(field.type, role)
        elif named.name in side.unions:
            for variant in side.unions[named.name].variants:
                visit(variant, role)

    def model(m: ir.Model | None, role: Role) -> None:
        if m is not None:
            visit(ir.NamedType(m.name, "model"), role)

    for group in api.every_group():
        for method in group.methods:
            model(method.request, "request")
            for parameter in method.parameters:
                visit(parameter.field.type, "request")
            for response in method.responses:  # a model, a union, each status's
                if response.type is not None:
                    visit(response.type, "response")
            if method.stream is not None:
                model(method.stream.event, "response")
            for _, error in method.errors:
                model(error, "response")
    return {name: frozenset(roles) for name, roles in found.items()}


def _tag_enums(side: Side) -> frozenset[str]:
    """The one-value enums that tag the variants of discriminated unions."""
    tags = set()
    for union in side.unions.values():
        if union.discriminator is None:
            continue
        for variant in union.variants:
            if isinstance(variant, ir.NamedType) and variant.name in side.models:
                field = side.models[variant.name].field(union.discriminator)
                if field is not None and isinstance(field.type, ir.NamedType):
                    tags.add(field.type.name)
    return frozenset(tags)


def tag_of(side: Side, union: ir.Union, variant: str) -> str | int | None:
    model = side.models.get(variant)
    field = model.field(union.discriminator) if model and union.discriminator else None
    if field is None or not isinstance(field.type, ir.NamedType):
        return None
    enum = side.enums.get(field.type.name)
    return enum.members[0].value if enum and enum.members else None


class Comparer:
    def __init__(self, old: Version, new: Version) -> None:
        self.old = old
        self.new = new
        self.findings: list[Finding] = []
        self.renames: dict[str, str] = {}

    # --- reporting

    def add(
        self,
        rule_id: str,
        place: str,
        at_old: Spot | None = None,
        at_new: Spot | None = None,
        *,
        probe: Probe | None = None,
        facts: dict[str, str] | None = None,
        **more: str,
    ) -> None:
        self.findings.append(
            Finding(
                rule(rule_id),
                place,
                at_old,
                at_new,
                tuple(sorted({**(facts or {}), **more}.items())),
                probe=probe,
            )
        )

    # --- the whole API

    def run(self) -> list[Finding]:
        from .operations import compare_operations

        self._api()
        self._types()
        compare_operations(self)
        return self.findings

    def _api(self) -> None:
        o, n = self.old.api, self.new.api
        op, np_ = self.old.positions, self.new.positions
        if o.package != n.package:
            self.add(
                "python.package-renamed",
                n.package,
                op.top("package"),
                np_.top("package"),
                old=o.package,
                new=n.package,
            )
        if o.server != n.server:
            self.add(
                "wire.server-changed",
                "server",
                op.top("server"),
                np_.top("server"),
                old=o.server or "none",
                new=n.server or "none",
            )
        # A key the new server ignores breaks nobody; one it now needs breaks all.
        if n.auth and (o.auth is None or _sent_as(o.auth) != _sent_as(n.auth)):
            from .operations import auth_probe

            self.add(
                "wire.auth-changed",
                "auth",
                op.top("auth"),
                np_.top("auth"),
                probe=auth_probe(self, n.auth),
                old=key_way(o.auth),
                new=key_way(n.auth),
            )
        if o.auth and n.auth and o.auth_env != n.auth_env:
            self.add(
                "python.auth-env-changed",
                "auth",
                op.top("auth"),
                np_.top("auth"),
                old=str(o.auth_env),
                new=str(n.auth_env),
            )
        if o.title != n.title:
            self.add(
                "docs.title-changed",
                "title",
                op.top("title"),
                np_.top("title"),
                old=show(o.title),
                new=show(n.title),
            )
        if o.doc != n.doc:
            self.add(
                "docs.description-changed", "the API", op.top("doc"), np_.top("doc")
            )

    # --- named types

    def _named(self, version: Version) -> dict[str, tuple[str, Any]]:
        side = version.side
        named: dict[str, tuple[str, Any]] = {}
        for name, m in side.models.items():
            named[name] = ("model", m)
        for name, u in side.unions.items():
            if name in side.declared_unions:
                named[name] = ("union", u)
        for name, e in side.enums.items():
            named[name] = ("enum", e)
        return named

    def _position(self, version: Version, kind: str, name: str) -> Any:
        p = version.positions
        return {"model": p.model, "union": p.union, "enum": p.enum}[kind](name)

    def _types(self) -> None:
        old, new = self._named(self.old), self._named(self.new)
        removed = [n for n in old if n not in new]
        added = [n for n in new if n not in old]
        for name in removed:
            kind, value = old[name]
            twin = next(
                (
                    a
                    for a in added
                    if new[a][0] == kind and _same_shape(value, new[a][1])
                ),
                None,
            )
            if twin is not None:
                added.remove(twin)
                self.renames[name] = twin
                self.add(
                    "python.class-renamed",
                    twin,
                    self._position(self.old, kind, name),
                    self._position(self.new, kind, twin),
                    kind=kind,
                    old=name,
                    new=twin,
                )
            else:
                self.add(
                    "python.class-removed",
                    name,
                    self._position(self.old, kind, name),
                    kind=kind,
                )
        for name in added:
            kind, _ = new[name]
            self.add(
                "python.class-added",
                name,
                at_new=self._position(self.new, kind, name),
                kind=kind,
            )
        for name, (kind, value) in old.items():
            target = self.renames.get(name, name)
            if target not in new or new[target][0] != kind:
                continue
            other = new[target][1]
            if kind == "model":
                self.model(value, other)
            elif kind == "enum":
                self.enum(value, other)
            else:
                self.union(value, other)
        # inline unions: their variants, at the field that declares them
        inline = set(self.new.side.unions) - self.new.side.declared_unions
        for name, union in self.old.side.unions.items():
            if name not in self.old.side.declared_unions and name in inline:
                self.union(union, self.new.side.unions[name])

    # --- models

    def model(
        self,
        old: ir.Model,
        new: ir.Model,
        roles: frozenset[Role] | None = None,
        place: str | None = None,
    ) -> None:
        """Compare two versions of a model; with ``roles`` given (a method that took or
        answered another model), only what travels: the classes themselves are
        compared under their own names."""
        wire_only = roles is not None
        place = place or new.name
        if roles is None:
            roles = self.old.role_of(old.name) | self.new.role_of(new.name)
        op, np_ = self.old.positions, self.new.positions
        at_old, at_new = op.model(old.name), np_.model(new.name)
        if old.doc != new.doc and not wire_only:
            self.add("docs.description-changed", place, at_old, at_new)
        for role in _ROLES:
            if role in roles:
                self._wire_fields(old, new, role, place)
        if not wire_only:
            self._python_fields(old, new, place)

    def _spots(self, old: ir.Model, new: ir.Model, wire: str) -> tuple[Any, Any]:
        o = self.old.positions.field(old.name, wire) if old.field(wire) else None
        n = self.new.positions.field(new.name, wire) if new.field(wire) else None
        return o, n

    def _probe(
        self,
        role: Role,
        old: ir.Model,
        new: ir.Model,
        vary: str,
        values: list[Any],
        *,
        omit: bool = False,
        mention: str = "",
    ) -> Probe:
        """Payloads of the accepting side's model, ``vary`` left out or set to each value."""
        accept, refuse = (
            (self.old, self.new) if role == "request" else (self.new, self.old)
        )
        a_model, r_model = (old, new) if role == "request" else (new, old)
        base = domains.model_payload(accept.side, a_model)
        fuller = dict(base)
        for field in r_model.fields:  # what only the refusing side requires
            if (
                field.required
                and field.wire_name not in base
                and field.wire_name != vary
            ):
                fuller[field.wire_name] = domains.minimal(
                    refuse.side, field.type, field
                )
        candidates: list[Any] = []
        for start in (base, fuller):
            without = {k: v for k, v in start.items() if k != vary}
            if omit:
                candidates.append(without)
            for value in values:
                candidates.append({**without, vary: value})
        at = "$" if mention else f"$.{vary}"
        return Probe(role, old.name, new.name, tuple(_unique(candidates)), at, mention)

    def _values(self, *fields: tuple[Version, ir.Field | None]) -> list[Any]:
        values: list[Any] = []
        for version, field in fields:
            if field is not None:
                values.extend(domains.samples(version.side, field))
        values.extend(domains.FOREIGN)
        return values

    def _wire_fields(
        self, old: ir.Model, new: ir.Model, role: Role, model_place: str
    ) -> None:
        probe: Probe | None
        old_wire = {f.wire_name: f for f in old.fields}
        new_wire = {f.wire_name: f for f in new.fields}
        facts: dict[str, str] = {"model": model_place}
        at_old, at_new = (
            self.old.positions.model(old.name),
            self.new.positions.model(new.name),
        )
        for wire, field in old_wire.items():
            if wire in new_wire:
                continue
            place = f"{model_place}.{wire}"
            o, _ = self._spots(old, new, wire)
            if role == "request":
                if new.forbid_unknown:
                    values = self._values((self.old, field))
                    probe = self._probe(role, old, new, wire, values, mention=wire)
                    self.add(
                        "wire.request.field-removed-forbidden",
                        place,
                        o,
                        at_new,
                        probe=probe,
                        facts=facts,
                    )
                else:
                    self.add(
                        "wire.request.field-removed-ignored",
                        place,
                        o,
                        at_new,
                        facts=facts,
                    )
            elif field.required:
                probe = self._probe(role, old, new, wire, [], omit=True)
                self.add(
                    "wire.response.required-field-removed",
                    place,
                    o,
                    at_new,
                    probe=probe,
                    facts=facts,
                )
            else:
                self.add(
                    "wire.response.optional-field-removed",
                    place,
                    o,
                    at_new,
                    facts=facts,
                )
        for wire, field in new_wire.items():
            if wire in old_wire:
                continue
            place = f"{model_place}.{wire}"
            _, n = self._spots(old, new, wire)
            if role == "request":
                if field.required:
                    probe = self._probe(role, old, new, wire, [], omit=True)
                    self.add(
                        "wire.request.field-added-required",
                        place,
                        at_old,
                        n,
                        probe=probe,
                        facts=facts,
                    )
                else:
                    self.add(
                        "wire.request.field-added-optional",
                        place,
                        at_old,
                        n,
                        facts=facts,
                    )
            elif old.forbid_unknown:
                values = self._values((self.new, field))
                probe = self._probe(role, old, new, wire, values, mention=wire)
                self.add(
                    "wire.response.field-added-forbidden",
                    place,
                    at_old,
                    n,
                    probe=probe,
                    facts=facts,
                )
            else:
                self.add("wire.response.field-added", place, at_old, n, facts=facts)
        if old.forbid_unknown != new.forbid_unknown:
            side = "request" if role == "request" else "response"
            if new.forbid_unknown:
                probe = None
                if role == "request":
                    probe = self._probe(
                        role, old, new, UNKNOWN_KEY, [0], mention=UNKNOWN_KEY
                    )
                self.add(
                    f"wire.{side}.unknown-fields-forbidden",
                    model_place,
                    at_old,
                    at_new,
                    probe=probe,
                )
            else:
                self.add(
                    f"wire.{side}.unknown-fields-ignored", model_place, at_old, at_new
                )
        for wire, field in old_wire.items():
            if wire in new_wire:
                self._wire_field(
                    old, new, field, new_wire[wire], role, f"{model_place}.{wire}"
                )

    def _wire_field(
        self,
        old_m: ir.Model,
        new_m: ir.Model,
        old: ir.Field,
        new: ir.Field,
        role: Role,
        place: str,
    ) -> None:
        o, n = self._spots(old_m, new_m, old.wire_name)
        wire = old.wire_name
        values = self._values((self.old, old), (self.new, new))
        if old.required != new.required:
            if role == "request":
                rule_id = (
                    "wire.request.field-became-required"
                    if new.required
                    else "wire.request.field-became-optional"
                )
                probe = (
                    self._probe(role, old_m, new_m, wire, [], omit=True)
                    if new.required
                    else None
                )
            else:
                rule_id = (
                    "wire.response.field-may-be-absent"
                    if old.required
                    else "wire.response.field-became-required"
                )
                probe = (
                    self._probe(role, old_m, new_m, wire, [], omit=True)
                    if old.required
                    else None
                )
            self.add(rule_id, place, o, n, probe=probe)
        if old.nullable != new.nullable:
            if role == "request":
                if old.nullable:
                    probe = self._probe(role, old_m, new_m, wire, [None])
                    self.add("wire.request.lost-nullability", place, o, n, probe=probe)
                else:
                    self.add("wire.request.gained-nullability", place, o, n)
            elif new.nullable:
                probe = self._probe(role, old_m, new_m, wire, [None])
                self.add("wire.response.may-be-null", place, o, n, probe=probe)
            else:
                self.add("wire.response.lost-nullability", place, o, n)
        kind = domains.relation(
            old.type, self.old.side, new.type, self.new.side, "wire", self.renames
        )
        if kind != "same":
            types: dict[str, str] = {
                "old": domains.spell(old.type, self.old.side),
                "new": domains.spell(new.type, self.new.side),
            }
            side = role
            breaking = {
                "request": {"narrower": "type-narrowed", "changed": "type-changed"},
                "response": {"wider": "type-widened", "changed": "type-changed"},
            }[role]
            quiet = {
                "request": {"wider": "type-widened"},
                "response": {"narrower": "type-narrowed"},
            }[role]
            if kind in breaking:
                probe = self._probe(role, old_m, new_m, wire, values)
                self.add(
                    f"wire.{side}.{breaking[kind]}",
                    place,
                    o,
                    n,
                    probe=probe,
                    facts=types,
                )
            else:
                self.add(f"wire.{side}.{quiet[kind]}", place, o, n, facts=types)
        for key, words in CONSTRAINTS:
            before, after = getattr(old, key), getattr(new, key)
            if key == "const":
                before = None if before is ir.NO_VALUE else before
                after = None if after is ir.NO_VALUE else after
            if before == after:
                continue
            tighter, looser = _direction(key, before, after)
            facts: dict[str, str] = {
                "old": _bound(before),
                "new": _bound(after),
                "constraint": words,
            }
            slug = key.replace("_", "-")
            if role == "request":
                if tighter:
                    probe = self._probe(role, old_m, new_m, wire, values)
                    self.add(
                        f"wire.request.{slug}-tightened",
                        place,
                        o,
                        n,
                        probe=probe,
                        facts=facts,
                    )
                else:
                    self.add(
                        "wire.request.constraint-loosened", place, o, n, facts=facts
                    )
            elif looser:
                probe = self._probe(role, old_m, new_m, wire, values)
                self.add(
                    f"wire.response.{slug}-loosened",
                    place,
                    o,
                    n,
                    probe=probe,
                    facts=facts,
                )
            else:
                self.add("wire.response.constraint-tightened", place, o, n, facts=facts)

    def _python_fields(self, old: ir.Model, new: ir.Model, model_place: str) -> None:
        old_py = {f.python_name: f for f in old.fields}
        new_py = {f.python_name: f for f in new.fields}
        new_wire = {f.wire_name: f for f in new.fields}
        renamed_to = set()
        for name, field in old_py.items():
            if name in new_py:
                continue
            place = f"{model_place}.{field.wire_name}"
            o = self.old.positions.field(old.name, field.wire_name)
            twin = new_wire.get(field.wire_name)
            if twin is not None and twin.python_name not in old_py:
                renamed_to.add(twin.python_name)
                n = self.new.positions.field(new.name, field.wire_name)
                self.add(
                    "python.field-renamed", place, o, n, old=name, new=twin.python_name
                )
            else:
                self.add(
                    "python.field-removed",
                    place,
                    o,
                    self.new.positions.model(new.name),
                    python=name,
                )
        for name, field in new_py.items():
            if name in old_py or name in renamed_to:
                continue
            place = f"{model_place}.{field.wire_name}"
            n = self.new.positions.field(new.name, field.wire_name)
            at_old = self.old.positions.model(old.name)
            rule_id = (
                "python.field-added-required"
                if field.required
                else "python.field-added"
            )
            self.add(rule_id, place, at_old, n, python=name, model=model_place)
        for name, field in old_py.items():
            if name not in new_py:
                continue
            other = new_py[name]
            place = f"{model_place}.{other.wire_name}"
            o = self.old.positions.field(old.name, field.wire_name)
            n = self.new.positions.field(new.name, other.wire_name)
            self._python_field(field, other, place, o, n, model_place)

    def _python_field(
        self, old: ir.Field, new: ir.Field, place: str, o: Any, n: Any, model: str
    ) -> None:
        if old.required != new.required:
            rule_id = (
                "python.field-became-required"
                if new.required
                else "python.field-became-optional"
            )
            self.add(rule_id, place, o, n, python=new.python_name, model=model)
        kind = domains.relation(
            old.type, self.old.side, new.type, self.new.side, "python", self.renames
        )
        if kind != "same":
            rule_id = {
                "narrower": "python.field-type-narrowed",
                "wider": "python.field-type-widened",
                "changed": "python.field-type-changed",
            }[kind]
            self.add(
                rule_id,
                place,
                o,
                n,
                old=domains.spell(old.type, self.old.side),
                new=domains.spell(new.type, self.new.side),
            )
        self.defaults(old, new, place, o, n, "python.default")
        self.texts(old, new, place, o, n)

    def defaults(
        self, old: ir.Field, new: ir.Field, place: str, o: Any, n: Any, prefix: str
    ) -> None:
        if old.default == new.default and type(old.default) is type(new.default):
            return
        if prefix == "python.parameter-default":
            self.add(
                "python.parameter-default-changed",
                place,
                o,
                n,
                old=show(old.default),
                new=show(new.default),
            )
        elif not old.has_default:
            self.add("python.default-added", place, o, n, new=show(new.default))
        elif not new.has_default:
            self.add("python.default-removed", place, o, n, old=show(old.default))
        else:
            self.add(
                "python.default-changed",
                place,
                o,
                n,
                old=show(old.default),
                new=show(new.default),
            )

    def texts(self, old: ir.Field, new: ir.Field, place: str, o: Any, n: Any) -> None:
        if old.doc != new.doc:
            self.add("docs.description-changed", place, o, n)
        if old.example != new.example:
            self.add(
                "docs.example-changed",
                place,
                o,
                n,
                old=show(old.example),
                new=show(new.example),
            )
        if old.server_default != new.server_default:
            self.add(
                "docs.server-default-changed",
                place,
                o,
                n,
                old=show(old.server_default),
                new=show(new.server_default),
            )

    # --- enums

    def enum(self, old: ir.Enum, new: ir.Enum) -> None:
        roles = self.old.role_of(old.name) | self.new.role_of(new.name)
        op, np_ = self.old.positions, self.new.positions
        at_old, at_new = op.enum(old.name), np_.enum(new.name)
        place = new.name
        if old.doc != new.doc:
            self.add("docs.description-changed", place, at_old, at_new)
        old_values = {m.value: m for m in old.members}
        new_values = {m.value: m for m in new.members}
        tag = old.name in self.old.tag_enums or new.name in self.new.tag_enums
        removed = [v for v in old_values if v not in new_values]
        added = [v for v in new_values if v not in old_values]
        for role in _ROLES:
            if role not in roles or tag:
                continue
            for value in removed:
                o = op.member(old.name, old_values[value].name)
                if role == "request":
                    probe = Probe("request", old.name, new.name, (value,))
                    self.add(
                        "wire.request.enum-value-removed",
                        place,
                        o,
                        at_new,
                        probe=probe,
                        value=show(value),
                    )
                else:
                    self.add(
                        "wire.response.enum-value-removed",
                        place,
                        o,
                        at_new,
                        value=show(value),
                    )
            for value in added:
                n = np_.member(new.name, new_values[value].name)
                if role == "request":
                    self.add(
                        "wire.request.enum-value-added",
                        place,
                        at_old,
                        n,
                        value=show(value),
                    )
                elif old.open:
                    self.add(
                        "wire.response.open-enum-value-added",
                        place,
                        at_old,
                        n,
                        value=show(value),
                    )
                else:
                    probe = Probe("response", old.name, new.name, (value,))
                    self.add(
                        "wire.response.enum-value-added",
                        place,
                        at_old,
                        n,
                        probe=probe,
                        value=show(value),
                    )
            if old.open != new.open:
                unlisted = (
                    (domains.UNLISTED, 0)
                    if new.value_type == "int"
                    else (domains.UNLISTED,)
                )
                if role == "request":
                    if old.open:
                        probe = Probe("request", old.name, new.name, unlisted)
                        self.add(
                            "wire.request.enum-closed",
                            place,
                            at_old,
                            at_new,
                            probe=probe,
                        )
                    else:
                        self.add("wire.request.enum-opened", place, at_old, at_new)
                elif new.open:
                    probe = Probe("response", old.name, new.name, unlisted)
                    self.add(
                        "wire.response.enum-opened", place, at_old, at_new, probe=probe
                    )
                else:
                    self.add("wire.response.enum-closed", place, at_old, at_new)
        old_names = {m.name: m for m in old.members}
        new_names = {m.name: m for m in new.members}
        renamed = set()
        for name, member in old_names.items():
            if name in new_names:
                continue
            o = op.member(old.name, name)
            twin = new_values.get(member.value)
            if twin is not None and twin.name not in old_names:
                renamed.add(twin.name)
                n = np_.member(new.name, twin.name)
                self.add(
                    "python.enum-member-renamed",
                    f"{place}.{name}",
                    o,
                    n,
                    old=name,
                    new=twin.name,
                    value=show(member.value),
                )
            else:
                self.add("python.enum-member-removed", f"{place}.{name}", o, at_new)
        for name in new_names:
            if name not in old_names and name not in renamed:
                self.add(
                    "python.enum-member-added",
                    f"{place}.{name}",
                    at_old,
                    np_.member(new.name, name),
                )

    # --- unions

    def union(self, old: ir.Union, new: ir.Union) -> None:
        roles = self.old.role_of(old.name) | self.new.role_of(new.name)
        op, np_ = self.old.positions, self.new.positions
        place = np_.union_place(new.name)
        at_old, at_new = op.union(old.name), np_.union(new.name)
        if old.doc != new.doc and new.name in self.new.side.declared_unions:
            self.add("docs.description-changed", place, at_old, at_new)
        os_, ns = self.old.side, self.new.side
        removed = [
            (i, v)
            for i, v in enumerate(old.variants)
            if not any(
                domains.relation(v, os_, w, ns, "wire", self.renames) == "same"
                for w in new.variants
            )
        ]
        added = [
            (i, v)
            for i, v in enumerate(new.variants)
            if not any(
                domains.relation(w, os_, v, ns, "wire", self.renames) == "same"
                for w in old.variants
            )
        ]
        if old.discriminator and new.discriminator:
            for i, variant in enumerate(old.variants):
                if not isinstance(variant, ir.NamedType):
                    continue
                name = self.renames.get(variant.name, variant.name)
                if not any(
                    isinstance(v, ir.NamedType) and v.name == name for v in new.variants
                ):
                    continue
                before, after = tag_of(os_, old, variant.name), tag_of(ns, new, name)
                if before == after or before is None or after is None:
                    continue
                removed = [(j, v) for j, v in removed if v != variant]
                added = [
                    (j, v)
                    for j, v in added
                    if not (isinstance(v, ir.NamedType) and v.name == name)
                ]
                for role in _ROLES:
                    if role not in roles:
                        continue
                    accept = os_ if role == "request" else ns
                    sample = domains.minimal(
                        accept,
                        ir.NamedType(
                            variant.name if role == "request" else name, "model"
                        ),
                    )
                    probe = Probe(role, old.name, new.name, (sample,))
                    self.add(
                        f"wire.{role}.discriminator-tag-changed",
                        place,
                        op.variant(old.name, i),
                        np_.variant(new.name, i),
                        probe=probe,
                        variant=name,
                        old=show(before),
                        new=show(after),
                    )
        for role in _ROLES:
            if role not in roles:
                continue
            for i, variant in removed:
                spelled = domains.spell(variant, os_)
                if role == "request":
                    values = [
                        domains.minimal(os_, variant),
                        *domains._type_samples(os_, variant, None),
                    ]
                    probe = Probe("request", old.name, new.name, tuple(_unique(values)))
                    self.add(
                        "wire.request.variant-removed",
                        place,
                        op.variant(old.name, i),
                        at_new,
                        probe=probe,
                        value=spelled,
                    )
                else:
                    self.add(
                        "wire.response.variant-removed",
                        place,
                        op.variant(old.name, i),
                        at_new,
                        value=spelled,
                    )
            for i, variant in added:
                spelled = domains.spell(variant, ns)
                if role == "request":
                    self.add(
                        "wire.request.variant-added",
                        place,
                        at_old,
                        np_.variant(new.name, i),
                        value=spelled,
                    )
                else:
                    values = [
                        domains.minimal(ns, variant),
                        *domains._type_samples(ns, variant, None),
                    ]
                    probe = Probe(
                        "response", old.name, new.name, tuple(_unique(values))
                    )
                    self.add(
                        "wire.response.variant-added",
                        place,
                        at_old,
                        np_.variant(new.name, i),
                        probe=probe,
                        value=spelled,
                    )


def _bound(value: Any) -> str:
    return "none" if value is None else show(value)


def _direction(key: str, before: Any, after: Any) -> tuple[bool, bool]:
    """(tighter, looser): a changed pattern, constant or step is both."""
    if before is None:
        return True, False
    if after is None:
        return False, True
    if key in ("minimum", "exclusive_minimum", "min_length", "min_items"):
        return after > before, after < before
    if key in ("maximum", "exclusive_maximum", "max_length", "max_items"):
        return after < before, after > before
    if key == "multiple_of":
        finer = (before / after).is_integer()
        coarser = (after / before).is_integer()
        return not finer, not coarser
    return True, True


def _same_shape(old: Any, new: Any) -> bool:
    """Two types alike in all but their name (a rename)."""
    if isinstance(old, ir.Model) and isinstance(new, ir.Model):
        return old.fields == new.fields and old.forbid_unknown == new.forbid_unknown
    if isinstance(old, ir.Enum) and isinstance(new, ir.Enum):
        return old.members == new.members and old.open == new.open
    if isinstance(old, ir.Union) and isinstance(new, ir.Union):
        return old.variants == new.variants and old.discriminator == new.discriminator
    return False


def _unique(values: list[Any]) -> Iterator[Any]:
    seen = set()
    for value in values:
        key = json.dumps(value, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            yield value


def _sent_as(auth: ir.Auth) -> tuple[str, str]:
    """What the server sees of how the key is sent (header names have no case)."""
    return auth.scheme, auth.header.lower()


def key_way(auth: ir.Auth | None) -> str:
    """How a client sends the API key, in words."""
    if auth is None:
        return "not at all (no auth)"
    if auth.scheme == "bearer":
        return "as an Authorization bearer token"
    return f"in the {auth.header} header"
