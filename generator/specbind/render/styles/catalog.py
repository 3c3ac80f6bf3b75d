"""The four styles: datamodel-code-generator options, and what each keeps and loses.

``FEATURES`` are the things the spec says about a payload; each style says which it
keeps. The styles page and every module's header are rendered from this table, and
``tests/test_styles.py`` checks each claim against the generated code, so the docs
cannot drift from what the styles do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import attrs

from ... import ir


@attrs.frozen
class Feature:
    key: str
    label: str


FEATURES: tuple[Feature, ...] = (
    Feature("validates", "validates a payload by itself"),
    Feature("wire_names", "keys that are not Python names (`from`, `top-p`)"),
    Feature("three_states", "absent, `null` and a value kept apart"),
    Feature("null_rejected", "`null` rejected where the field is not nullable"),
    Feature("defaults", "`default` filled in when the key is absent"),
    Feature("server_default_unsent", "a `server_default` is never sent"),
    Feature(
        "constraints",
        "bounds, `multiple_of`, lengths, item counts and `pattern` checked",
    ),
    Feature(
        "dates",
        "`datetime`/`date` as Python dates, a date-time without offset rejected",
    ),
    Feature("unknown_keys", "unknown keys rejected (`unknown_fields: forbid`)"),
    Feature("strict", 'no coercion (`"0.2"` is not a float, `1.9` not an int)'),
    Feature("open_enums", "unknown values of an open enum kept"),
    Feature("tag_optional", "a tagged union's member without its tag accepted"),
    Feature("docs", "field and model docs"),
    Feature("examples", "examples"),
)


@attrs.frozen
class Style:
    """One output module and how to use it; ``keeps`` are keys of ``FEATURES``."""

    name: str
    title: str
    model_type: str  # a datamodel_code_generator.DataModelType value
    parse: str  # how to validate a JSON payload
    dump: str  # how to get JSON back, keeping what the style keeps
    keeps: frozenset[str]
    notes: dict[str, str] = attrs.field(factory=dict)
    options: Callable[[ir.Api], dict[str, Any]] = lambda api: {}
    prepare: Callable[[str], str] = lambda schema: schema

    def lost(self) -> list[Feature]:
        return [f for f in FEATURES if f.key not in self.keeps]


def _tagged(schema: str) -> str:
    """``x-discriminator`` -> ``discriminator``, the keyword datamodel-code-generator reads
    to tag msgspec Structs (msgspec cannot decode a union of untagged Structs)."""
    document = json.loads(schema)
    for definition in document.get("$defs", {}).values():
        if "x-discriminator" in definition:
            definition["discriminator"] = definition.pop("x-discriminator")
    return json.dumps(document, indent=2, ensure_ascii=False)


# date-time and date as datetime.datetime and datetime.date (the default is str),
# for the styles that do not use pydantic's AwareDatetime.
_STDLIB_DATES = {"output_datetime_class": "datetime"}


def _pydantic(api: ir.Api) -> dict[str, Any]:
    return {
        "strict_types": ["str", "int", "float", "bool"],
        "use_missing_sentinel": True,
        "target_pydantic_version": "2.14",  # `from pydantic import MISSING`
    }


def _msgspec(api: ir.Api) -> dict[str, Any]:
    # A fresh dict per model: datamodel-code-generator adds its own keys (the tags) to them.
    forbid = {
        m.name: {"base_class_kwargs": {"forbid_unknown_fields": True}}
        for m in api.models
        if m.forbid_unknown
    }
    return {
        "enum_field_as_literal": "all",
        "use_msgspec_tagged_unions": True,
        "extra_template_data": forbid,
        **_STDLIB_DATES,
    }


def _docstrings(api: ir.Api) -> dict[str, Any]:
    return {"use_field_description": True, **_STDLIB_DATES}


_ALL = frozenset(f.key for f in FEATURES)

STYLES: tuple[Style, ...] = (
    Style(
        "pydantic",
        "pydantic v2 `BaseModel`",
        "pydantic_v2.BaseModel",
        parse="Model.model_validate(data)",
        dump='m.model_dump(mode="json", by_alias=True, exclude_unset=True)',
        keeps=_ALL,
        notes={
            "three_states": "an absent field is pydantic's `MISSING` (pydantic 2.14+)",
            "defaults": "read as the attribute; `exclude_unset` does not send it; a `datetime` or `date` default is its string, not a date (datamodel-code-generator writes it so)",
            "server_default_unsent": "read as the attribute's default, but `exclude_unset` does not send it",
            "strict": "`StrictStr`/`StrictInt`/`StrictFloat`/`StrictBool`",
            "open_enums": "`Enum | str`",
            "tag_optional": "a plain (smart mode) union",
            "dates": "`AwareDatetime`; a `uuid` is a `uuid.UUID`, written back in lowercase (the attrs bindings keep the `str` as sent)",
        },
        options=_pydantic,
    ),
    Style(
        "msgspec",
        "msgspec `Struct`",
        "msgspec.Struct",
        parse="msgspec.json.decode(text, type=Model)",
        dump="msgspec.to_builtins(m)",
        keeps=_ALL - {"server_default_unsent", "tag_optional", "dates"},
        notes={
            "three_states": "`UNSET` for fields without a default; a field with one is filled in and sent back",
            "defaults": "filled in; a `datetime` or `date` default is its string, not a date (datamodel-code-generator writes it so)",
            "server_default_unsent": "the JSON Schema's `default` is all it sees: filled in and sent",
            "unknown_keys": "`forbid_unknown_fields=True` on the models that forbid them",
            "constraints": "but a `const` of a bool is a plain `bool` (no `Literal[False]`), and a `pattern`'s `$` also matches before a final newline (Python's `re`)",
            "open_enums": "`Literal[...] | str` (msgspec cannot mix an `Enum` and `str`)",
            "tag_optional": "a tagged `Struct` needs its tag in a union",
            "dates": "`datetime`, naive when the string has no offset",
        },
        options=_msgspec,
        prepare=_tagged,
    ),
    Style(
        "typeddict",
        "`TypedDict`",
        "typing.TypedDict",
        parse="pydantic.TypeAdapter(Model).validate_json(text, strict=True)",
        dump="m  # already a dict",
        keeps=_ALL - {"validates", "defaults", "constraints", "examples", "dates"},
        notes={
            "validates": "a type for dicts; validate with pydantic's `TypeAdapter`",
            "wire_names": "the functional `TypedDict(...)` form, which imports `typing.TypedDict`: pydantic needs `typing_extensions.TypedDict` before Python 3.12",
            "three_states": "`NotRequired[...]`",
            "defaults": "an absent key stays absent",
            "unknown_keys": "`closed=True` (PEP 728), checked by pydantic",
            "strict": "with `strict=True`",
            "docs": "attribute docstrings (none in the functional form)",
            "dates": "`datetime`, naive when the string has no offset",
        },
        options=_docstrings,
    ),
    Style(
        "dataclasses",
        "`dataclasses`",
        "dataclasses.dataclass",
        parse="pydantic.TypeAdapter(Model).validate_json(text, strict=True)",
        dump='pydantic.TypeAdapter(Model).dump_python(m, mode="json")',
        keeps=frozenset({"strict", "open_enums", "tag_optional", "docs", "defaults"}),
        notes={
            "validates": "validate with pydantic's `TypeAdapter` (or cattrs)",
            "wire_names": "renamed (`from_`) with nowhere to keep the JSON name",
            "three_states": "an optional field without a default is `X | None = None`: absent reads as `null` and is sent as `null`",
            "null_rejected": "an optional field without a default accepts `null`",
            "defaults": "filled in; a `datetime` or `date` default is its string, not a date (datamodel-code-generator writes it so)",
            "server_default_unsent": "a plain default: filled in and sent",
            "constraints": "dropped",
            "unknown_keys": "ignored",
            "strict": "with `strict=True`",
            "docs": "attribute docstrings",
            "dates": "`datetime`, naive when the string has no offset",
        },
        options=_docstrings,
    ),
)
