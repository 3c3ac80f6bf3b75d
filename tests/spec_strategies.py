"""A hypothesis strategy for whole specs: names, types, nesting, unions, enums, odd text."""

from __future__ import annotations

import keyword
from typing import Any

from hypothesis import strategies as st

# Wire names chosen to stress renaming: keywords, builtins, non-identifiers, collisions.
AWKWARD_NAMES = [
    "from", "class", "id", "type", "str", "list", "self", "top-p", "top_p", "2fa", "$ref",
    "_private", "__dunder__", "data", "errors", "value", "UNSET", "None", "ünï", "a b", "x",
]  # fmt: skip
# Text that must never break Python, Markdown tables or templates.
NASTY_TEXT = st.sampled_from(
    [
        "quotes \"\"\" and '''",
        "back\\slash \\n not a newline",
        "a | pipe",
        "`code` and {{ jinja }} {% raw %}",
        "<script>alert(1)</script>",
        "line one\nline two",
        'trailing quote"',
        "nul \x00 and bell \x07 and esc \x1b",
        "ünïcödé ✓ 𝔘",
        "",
    ]
) | st.text(max_size=40)

PRIMITIVES = ["str", "int", "float", "bool", "any"]


def _identifier(prefix: str) -> st.SearchStrategy[str]:
    return st.from_regex(r"[A-Z][a-z]{2,6}", fullmatch=True).map(lambda s: prefix + s)


@st.composite
def specs(draw: st.DrawFn, package: str) -> dict[str, Any]:
    """A valid spec whose unions have variants of distinct JSON shapes (so they round-trip)."""
    enum_names = draw(st.lists(_identifier("E"), max_size=2, unique=True))
    model_names = draw(st.lists(_identifier("M"), min_size=1, max_size=3, unique=True))
    enums: dict[str, Any] = {}
    for name in enum_names:
        values = draw(st.lists(NASTY_TEXT, min_size=1, max_size=4, unique=True))
        members = {
            f"V{i}" if i % 2 else ["title", "value", "_x", "count"][i % 4]: v
            for i, v in enumerate(values)
        }
        enums[name] = {
            "values": members,
            "open": draw(st.booleans()),
            "doc": draw(NASTY_TEXT),
        }

    def scalar_type(known_models: list[str]) -> st.SearchStrategy[str]:
        named = [*enum_names, *known_models]
        atom = (
            st.sampled_from(PRIMITIVES + named)
            if named
            else st.sampled_from(PRIMITIVES)
        )
        return st.one_of(
            atom,
            atom.map(lambda t: f"list[{t}]"),
            atom.map(lambda t: f"dict[str, {t}]"),
            st.just("str | list[int]"),
            st.just("int | dict[str, bool]"),
        )

    models: dict[str, Any] = {}
    for index, name in enumerate(model_names):
        earlier = model_names[:index]  # references only go backwards: no infinite types
        wire_names = draw(
            st.lists(
                st.sampled_from(AWKWARD_NAMES), min_size=1, max_size=5, unique=True
            )
        )
        fields = {}
        for wire in wire_names:
            field: dict[str, Any] = {"type": draw(scalar_type(earlier))}
            if (
                "|" in field["type"]
            ):  # `top-p` and `top_p` would both name it <Model>TopP
                field["name"] = f"{name}U{len(fields)}"
            field["required"] = draw(st.booleans())
            field["nullable"] = draw(st.booleans())
            if draw(st.booleans()):
                field["doc"] = draw(NASTY_TEXT)
            if field["type"] == "int" and draw(st.booleans()):
                field["minimum"], field["maximum"] = -5, 5
            if field["type"] == "str" and draw(st.booleans()):
                field["example"] = draw(NASTY_TEXT)
            fields[wire] = field
        models[name] = {"fields": fields, "doc": draw(NASTY_TEXT)}
        if draw(st.booleans()):
            models[name]["unknown_fields"] = "forbid"
    spec: dict[str, Any] = {
        "specbind": 1,
        "package": package,
        "title": draw(NASTY_TEXT),
        "models": models,
    }
    if enums:
        spec["enums"] = enums
    return spec


def is_python_keyword(name: str) -> bool:
    return keyword.iskeyword(name)
