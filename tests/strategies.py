"""Hypothesis strategies for the instances of a generated package, derived from its IR."""

from __future__ import annotations

import datetime
import math
from types import ModuleType
from typing import Any

import attrs
from attrs import Factory
from hypothesis import strategies as st

from specbind import formats, ir

JSON_SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3)
    ),
    max_leaves=8,
)


# Offsets RFC 3339 can write: whole minutes, less than a day.
OFFSETS = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(
    lambda minutes: datetime.timezone(datetime.timedelta(minutes=minutes))
)
AWARE_DATETIMES = st.datetimes(timezones=OFFSETS | st.just(datetime.timezone.utc))
# Lowercase, as pydantic's uuid.UUID writes them back (the bindings keep any case).
UUIDS = st.uuids().map(str)


class Instances:
    """Strategies for valid Python values of every type of ``api`` in ``models``."""

    def __init__(self, api: ir.Api, models: ModuleType) -> None:
        self.api = api
        self.models = models
        self._cache: dict[str, st.SearchStrategy[Any]] = {}

    def named(self, name: str) -> st.SearchStrategy[Any]:
        if name not in self._cache:
            self._cache[name] = st.deferred(lambda: self._build(name))
        return self._cache[name]

    def _build(self, name: str) -> st.SearchStrategy[Any]:
        kinds = {m.name: m for m in self.api.models}
        if name in kinds:
            return self.model(kinds[name])
        if name in {e.name for e in self.api.enums}:
            enum = self.api.enum(name)
            members = st.sampled_from(list(getattr(self.models, name)))
            unknown = st.text(min_size=1).filter(
                lambda v: v not in {m.value for m in enum.members}
            )
            return (
                members | unknown if enum.open and enum.value_type == "str" else members
            )
        union = self.api.union(name)
        return st.one_of([self.type(v) for v in union.variants])

    def type(self, type_: ir.TypeExpr) -> st.SearchStrategy[Any]:
        if isinstance(type_, ir.PrimitiveType):
            return {
                "str": st.text(),
                "int": st.integers(),
                "float": st.floats(allow_nan=False, allow_infinity=False),
                "bool": st.booleans(),
                "any": JSON,
                "datetime": AWARE_DATETIMES,
                "date": st.dates(),
                "uuid": UUIDS,
                # File parts that compare equal (a file object would not)
                "bytes": st.binary(max_size=16)
                | st.tuples(st.text(), st.binary(max_size=16), st.none() | st.text()),
            }[type_.name]
        if isinstance(type_, ir.ListType):
            return st.lists(self.type(type_.item), max_size=3)
        if isinstance(type_, ir.DictType):
            return st.dictionaries(st.text(), self.type(type_.value), max_size=3)
        return self.named(type_.name)

    def field(self, field: ir.Field) -> st.SearchStrategy[Any]:
        value = self.type(field.type)
        if field.minimum is not None or field.maximum is not None:
            if field.type == ir.PrimitiveType("int"):
                value = st.integers(
                    min_value=_int(field.minimum), max_value=_int(field.maximum)
                )
            else:
                value = st.floats(
                    min_value=field.minimum,
                    max_value=field.maximum,
                    allow_nan=False,
                    allow_infinity=False,
                )
        if field.exclusive_minimum is not None or field.exclusive_maximum is not None:
            value = _exclusive(field)
        if field.multiple_of is not None:
            value = _multiples(field)
        if field.min_length is not None or field.max_length is not None:
            value = self._sized(field)
        if field.min_items is not None or field.max_items is not None:
            assert isinstance(field.type, ir.ListType)
            low = field.min_items or 0
            high = field.max_items if field.max_items is not None else max(low, 3)
            value = st.lists(self.type(field.type.item), min_size=low, max_size=high)
        if field.pattern is not None:
            high = field.max_length
            value = st.from_regex(formats.python_pattern(field.pattern)).filter(
                lambda v: (
                    (high is None or len(v) <= high)
                    and len(v) >= (field.min_length or 0)
                )
            )
        if field.has_const:
            value = st.just(field.const)
            if field.type == ir.PrimitiveType("float"):
                value = st.just(float(field.const))
        if field.nullable:
            value = st.none() | value
        if not field.required:
            value = st.just(self.models.UNSET) | value
        return value

    def _sized(self, field: ir.Field) -> st.SearchStrategy[Any]:
        """A string or list within the field's length bounds, drawn at that size
        (filtering for it would discard most draws)."""
        low = field.min_length or 0
        high = field.max_length if field.max_length is not None else max(low, 3)
        if isinstance(field.type, ir.ListType):
            return st.lists(self.type(field.type.item), min_size=low, max_size=high)
        return st.text(min_size=low, max_size=high)

    def model(self, model: ir.Model) -> st.SearchStrategy[Any]:
        cls = getattr(self.models, model.name)
        return st.builds(cls, **{f.python_name: self.field(f) for f in model.fields})


def _exclusive(field: ir.Field) -> st.SearchStrategy[Any]:
    low = field.exclusive_minimum
    high = field.exclusive_maximum
    if field.type == ir.PrimitiveType("int"):
        return st.integers(
            min_value=None if low is None else math.floor(low) + 1,
            max_value=None if high is None else math.ceil(high) - 1,
        )
    return st.floats(
        min_value=low,
        max_value=high,
        exclude_min=low is not None,
        exclude_max=high is not None,
        allow_nan=False,
        allow_infinity=False,
    )


def _multiples(field: ir.Field) -> st.SearchStrategy[Any]:
    """Multiples of the field's step within its (inclusive) bounds."""
    step = field.multiple_of
    assert step is not None
    low = None if field.minimum is None else math.ceil(field.minimum / step)
    high = None if field.maximum is None else math.floor(field.maximum / step)
    factors = st.integers(
        min_value=low if low is not None else -1000,
        max_value=high if high is not None else 1000,
    )
    if field.type == ir.PrimitiveType("int"):
        return factors.map(lambda k: int(k * step))
    return factors.map(lambda k: float(k * step))


def _int(bound: float | None) -> int | None:
    return None if bound is None else int(bound)


def with_defaults(value: Any, api: ir.Api, unset: Any) -> Any:
    """``value`` as its JSON structures back: a field with a ``default`` that is
    ``unset`` (so left out of the JSON) reads as that default, at any depth."""
    if attrs.has(type(value)):
        model = api.model(type(value).__name__)
        defaults = attrs.fields_dict(type(value))
        changes = {}
        for field in model.fields:
            inner = getattr(value, field.python_name)
            if inner is unset and field.has_default:
                default = defaults[field.python_name].default
                inner = default.factory() if isinstance(default, Factory) else default
            changes[field.python_name] = with_defaults(inner, api, unset)
        return attrs.evolve(value, **changes)
    if isinstance(value, list):
        return [with_defaults(v, api, unset) for v in value]
    if isinstance(value, dict):
        return {k: with_defaults(v, api, unset) for k, v in value.items()}
    return value


def complete(payload: Any, value: Any, api: ir.Api, *, server: bool) -> Any:
    """``payload`` with every absent key that has a ``default`` (and with ``server``, a
    ``server_default``) set to it, at any depth. ``value`` is the attrs instance of
    ``payload``: it says which model each JSON object is, so no union logic is needed."""
    if attrs.has(type(value)) and isinstance(payload, dict):
        out = dict(payload)
        for field in api.model(type(value).__name__).fields:
            key = field.wire_name
            if key in payload:
                inner = getattr(value, field.python_name)
                out[key] = complete(payload[key], inner, api, server=server)
            elif field.has_default:
                out[key] = field.default
            elif server and field.server_default is not ir.NO_VALUE:
                out[key] = field.server_default
        return out
    if isinstance(payload, list) and isinstance(value, list):
        return [
            complete(p, v, api, server=server)
            for p, v in zip(payload, value, strict=True)
        ]
    if isinstance(payload, dict) and isinstance(value, dict):
        return {k: complete(payload[k], value[k], api, server=server) for k in payload}
    return payload


def missing_tag(api: ir.Api, payload: Any, value: Any, *, top: bool = True) -> bool:
    """Does a member of a tagged union lack its tag inside ``payload``? (msgspec's
    tagged ``Struct`` needs it, as docs/styles.md says; the top level is no member.)"""
    if attrs.has(type(value)) and isinstance(payload, dict):
        tags = {
            v.name: u.discriminator
            for u in api.unions
            if u.discriminator
            for v in u.variants
            if isinstance(v, ir.NamedType)
        }
        tag = tags.get(type(value).__name__)
        if not top and tag is not None and tag not in payload:
            return True
        return any(
            missing_tag(
                api, payload[f.wire_name], getattr(value, f.python_name), top=False
            )
            for f in api.model(type(value).__name__).fields
            if payload.get(f.wire_name) is not None
        )
    if isinstance(payload, list) and isinstance(value, list):
        return any(
            missing_tag(api, p, v, top=False)
            for p, v in zip(payload, value, strict=True)
        )
    if isinstance(payload, dict) and isinstance(value, dict):
        return any(missing_tag(api, payload[k], value[k], top=False) for k in payload)
    return False
