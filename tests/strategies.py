"""Hypothesis strategies for the instances of a generated package, derived from its IR."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from hypothesis import strategies as st

from specbind import ir

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
        if field.min_length is not None or field.max_length is not None:
            value = self._sized(field)
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


def _int(bound: float | None) -> int | None:
    return None if bound is None else int(bound)
