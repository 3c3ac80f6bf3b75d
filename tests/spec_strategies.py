"""A hypothesis strategy for whole specs: names, types, nesting, unions, enums, odd text."""

from __future__ import annotations

import keyword
from typing import Any

from hypothesis import strategies as st

from specbind import naming

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


# Names from 1 to 80 characters, as a spec may give them, long ones as often as short.
LENGTHS = st.sampled_from([1, 2, 3, 20, 40, 60, 79, 80]) | st.integers(1, 80)
UPPER, LOWER, DIGITS = (
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
)


def _names(first: str, rest: str) -> st.SearchStrategy[str]:
    return LENGTHS.flatmap(
        lambda n: st.builds(
            str.__add__,
            st.sampled_from(first),
            st.text(st.sampled_from(rest), min_size=n - 1, max_size=n - 1),
        )
    )


# Type names have no `_`, so the `<Model>_U<n>` names of inline unions never clash.
TYPE_NAMES = _names(UPPER, UPPER + LOWER + DIGITS).filter(
    lambda n: not naming.is_reserved_type_name(n) and n not in naming.AMBIGUOUS
)
WIRE_NAMES = st.sampled_from(AWKWARD_NAMES) | _names(
    UPPER + LOWER + "_$-", UPPER + LOWER + DIGITS + "_$- "
)
PYTHON_NAMES = _names(LOWER, LOWER + DIGITS + "_").filter(
    lambda n: (
        not keyword.iskeyword(n)
        and n not in naming.AMBIGUOUS
        and n != "builtins"
        and not n.startswith("__")
    )
)
TITLES = NASTY_TEXT | _names(UPPER, UPPER + LOWER + DIGITS + " .,()-")


@st.composite
def specs(draw: st.DrawFn, package: str) -> dict[str, Any]:
    """A valid spec whose unions have variants of distinct JSON shapes (so they round-trip)."""
    type_names = draw(st.lists(TYPE_NAMES, min_size=1, max_size=6, unique_by=str.lower))
    enum_count = draw(st.integers(0, min(2, len(type_names) - 1)))
    enum_names = type_names[:enum_count]
    model_names = type_names[enum_count : enum_count + 3]
    union_names = type_names[enum_count + 3 :]
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
        wire_names = draw(st.lists(WIRE_NAMES, min_size=1, max_size=5, unique=True))
        fields = {}
        for wire in wire_names:
            field: dict[str, Any] = {"type": draw(scalar_type(earlier))}
            if (
                "|" in field["type"]
            ):  # `top-p` and `top_p` would both name it <Model>TopP
                field["name"] = f"{name}_U{len(fields)}"
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
        "title": draw(TITLES),
        "models": models,
    }
    if enums:
        spec["enums"] = enums
    if union_names:
        # Variants of distinct JSON shapes: a scalar, a list, then a model (an object).
        spec["unions"] = {
            name: {"variants": ["int", "list[str]", model_names[0]][: 2 + (i % 2)]}
            for i, name in enumerate(union_names)
        }
    spec["operations"] = draw(_operations(model_names, type_names))
    if not spec["operations"]:
        del spec["operations"]
    return spec


@st.composite
def _operations(
    draw: st.DrawFn, models: list[str], type_names: list[str]
) -> dict[str, Any]:
    """Groups of JSON methods over the spec's models, named from 1 to 80 characters."""
    taken = {n.lower() for n in type_names}
    groups = draw(
        st.lists(
            PYTHON_NAMES.filter(
                lambda n: (
                    n not in naming.client_attributes()
                    and naming.pascal(n).lower() not in taken
                    and f"async{naming.pascal(n)}".lower() not in taken
                    and naming.pascal(n) not in naming.AMBIGUOUS
                    and not n.startswith("async")
                )  # AsyncX is the async class of x
            ),
            max_size=2,
            unique_by=lambda n: naming.pascal(n).lower(),
        )
    )
    out: dict[str, Any] = {}
    for group in groups:
        methods = draw(st.lists(PYTHON_NAMES, min_size=1, max_size=3, unique=True))
        out[group] = {
            "doc": draw(NASTY_TEXT),
            "methods": {
                method: {
                    "http": f"POST /v1/{group}/{index}",
                    "request": draw(st.sampled_from(models)),
                    "response": draw(st.sampled_from(models)),
                    "doc": draw(NASTY_TEXT),
                }
                for index, method in enumerate(methods)
            },
        }
    return out


def is_python_keyword(name: str) -> bool:
    return keyword.iskeyword(name)
