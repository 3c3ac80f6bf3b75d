"""Structuring costs O(size of input), valid or not, and deep input fails cleanly.

The packages are the golden cases ``tests/cases/recursive`` (``Node {children:
list[Node]}``, ``Folder`` that holds itself through a nullable field and a union in a
dict) and ``tests/cases/recursive_union`` (untagged unions of models that recurse
through themselves), imported as committed; ``test_cases.py`` keeps them in step with
the generator.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import orjson
import pytest
from cattrs.errors import ClassValidationError

from .server import LoopbackServer, Reply

sys.path.insert(0, str(Path(__file__).parent / "cases" / "recursive" / "expected"))
sys.path.insert(0, str(Path(__file__).parent / "cases/recursive_union/expected"))

import recursive
import recursive._http
import recursive_union
from recursive import Folder, Node, converter, errors
from recursive.converters import describe_error
from recursive_union import converter as union_converter  # loaded before any count
from recursive_union.converters import describe_error as describe_union_error

PACKAGE = Path(recursive.__file__).parent


class OverBudget(BaseException):
    """Stops a run that makes too many calls (the hooks catch only ``Exception``)."""


def tree(depth: int, leaf: dict[str, Any]) -> dict[str, Any]:
    node = leaf
    for _ in range(depth):
        node = {"name": "n", "children": [node]}
    return node


def calls(
    payload: Any, cls: type, budget: int = 10_000, package: Any = recursive
) -> Counter[str]:
    """The Python calls structuring makes, by function name, within ``package``."""
    counts: Counter[str] = Counter()
    folder = Path(package.__file__).parent

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" and folder in Path(frame.f_code.co_filename).parents:
            counts[frame.f_code.co_name] += 1
            if counts.total() > budget:
                raise OverBudget

    with contextlib.suppress(Exception):  # registers the hooks: not counted
        package.converter.structure(payload, cls)
    sys.setprofile(profile)
    try:
        package.converter.structure(payload, cls)
    except Exception:
        pass
    finally:
        sys.setprofile(None)
    return counts


DEPTHS = [5, 10, 15, 20]


@pytest.mark.parametrize("valid", [True, False], ids=["valid", "invalid"])
def test_calls_grow_linearly_with_depth(valid: bool) -> None:
    leaf = {"name": "leaf"} if valid else {"name": 1}
    totals = [calls(tree(d, leaf), Node, budget=100 * d).total() for d in DEPTHS]
    steps = {b - a for a, b in itertools.pairwise(totals)}
    assert len(steps) == 1, totals  # the same cost for every five more levels


@pytest.mark.parametrize("depth", DEPTHS)
def test_each_path_visits_each_node_once(depth: int) -> None:
    """Bad input at the bottom: one fast pass that stops there, one reporting pass."""
    counts = calls(tree(depth, {"name": 1}), Node, budget=100 * depth)
    assert counts["structure_node"] == 1
    assert counts["_fast_node"] == depth + 1
    assert counts["_report_node"] == depth + 1
    valid = calls(tree(depth, {"name": "leaf"}), Node, budget=100 * depth)
    assert valid["_fast_node"] == depth + 1
    assert valid["_report_node"] == 0


def chain(depth: int, leaf: dict[str, Any]) -> dict[str, Any]:
    """``A``s holding ``A | B``s: each level's ``A`` is tried first, and fits."""
    node = leaf
    for _ in range(depth):
        node = {"a": "n", "kids": [node]}
    return node


def numbers(depth: int, leaf: dict[str, Any]) -> dict[str, Any]:
    """``Odd``s holding ``Even | Odd``s: each level's ``Even`` is tried first, and
    fails only after its children are structured."""
    node = leaf
    for level in range(depth):
        node = {"children": [node], "value": level}
    return node


UNION_CASES = [
    (chain, recursive_union.A, {"a": "leaf"}, {"a": 1}),
    (numbers, recursive_union.Odd, {"children": [], "value": 1}, {"children": []}),
]


@pytest.mark.parametrize("valid", [True, False], ids=["valid", "invalid"])
@pytest.mark.parametrize(
    ("build", "cls", "good", "bad"), UNION_CASES, ids=["first-field", "after-children"]
)
def test_recursive_union_calls_grow_linearly_with_depth(
    build: Any, cls: type, good: dict[str, Any], bad: dict[str, Any], valid: bool
) -> None:
    """Each variant of an untagged recursive union is tried once per object, however
    many enclosing tries there are (it was 2**depth: 63,528 calls at depth 12)."""
    leaf = good if valid else bad
    totals = [
        calls(build(d, leaf), cls, 100 * d, recursive_union).total() for d in DEPTHS
    ]
    steps = {b - a for a, b in itertools.pairwise(totals)}
    assert len(steps) == 1, totals  # the same cost for every five more levels


def test_recursive_union_tries_each_variant_once_per_object() -> None:
    depth = 12
    counts = calls(
        numbers(depth, {"children": []}), recursive_union.Odd, 10_000, recursive_union
    )
    for variant in ("even", "odd"):
        # the root is an Odd: its own hook, not a union's try, structures it first
        assert counts[f"_fast_{variant}"] <= depth + 1, counts
        assert counts[f"_report_{variant}"] <= depth + 1, counts


def test_recursive_union_reports_the_path() -> None:
    payload = chain(3, {"a": "leaf", "kids": [{"b": "x"}]})
    with pytest.raises(ClassValidationError) as info:
        union_converter.structure(payload, recursive_union.A)
    assert describe_union_error(info.value) == [
        "invalid value for type, expected int @ $.kids[0].kids[0].kids[0].kids[0].b"
    ]


@pytest.mark.parametrize(("build", "cls", "good", "_"), UNION_CASES)
def test_recursive_union_deeper_than_python_recurses_fails_with_a_path(
    build: Any, cls: type, good: dict[str, Any], _: Any
) -> None:
    with pytest.raises(ClassValidationError) as info:
        union_converter.structure(build(10_000, good), cls)
    messages = {m.partition(" @ ")[0] for m in describe_union_error(info.value)}
    assert messages == {"nested deeper than 128 levels"}


def folders(depth: int) -> dict[str, Any]:
    """Folders nested through ``parent`` and through the ``files`` union, alternately."""
    node: dict[str, Any] = {}
    for level in range(depth):
        node = {"parent": node} if level % 2 else {"files": {"f": node}}
    return node


@pytest.mark.parametrize(
    ("payload", "cls", "path"),
    [
        (tree(10_000, {"name": "leaf"}), Node, "$.children[0].children[0]."),
        (folders(10_000), Folder, "$.parent.files['f'].parent.files['f']."),
    ],
    ids=["list", "union-and-nullable"],
)
def test_input_deeper_than_python_recurses_fails_with_a_path(
    payload: Any, cls: type, path: str
) -> None:
    with pytest.raises(ClassValidationError) as info:
        converter.structure(payload, cls)
    [message] = describe_error(info.value)
    text, _, where = message.partition(" @ ")
    assert text == "nested deeper than 128 levels"
    assert where.startswith(path)


def test_nesting_up_to_the_limit_is_fine() -> None:
    node = converter.structure(tree(127, {"name": "leaf"}), Node)
    for _ in range(127):
        assert node.children is not recursive.UNSET
        [node] = node.children
    assert node.name == "leaf"


def deep_body(depth: int) -> bytes:
    return (
        '{"name": "n", "children": [' * depth + '{"name": "leaf"}' + "]}" * depth
    ).encode()


@pytest.mark.parametrize("loads", [json.loads, orjson.loads], ids=["json", "orjson"])
@pytest.mark.parametrize(
    ("depth", "message"),
    [
        (200, "nested deeper than 128 levels @ $.children[0].children[0]."),
        # Too deep for the JSON decoder itself (RecursionError from json, "depth limit
        # exceeded" from orjson): the converter never sees it, the message is the same.
        (10_000, "nested deeper than 128 levels @ $"),
    ],
)
def test_client_reports_a_deep_response(
    server: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
    loads: Callable[[bytes], Any],
    depth: int,
    message: str,
) -> None:
    monkeypatch.setattr(recursive._http, "loads", loads)
    headers = {"Content-Type": "application/json"}
    server.queue(Reply(body=deep_body(depth), headers=headers))
    client = recursive.Client("key", server_url=server.url, max_retries=0)
    with client, pytest.raises(errors.ResponseValidationError) as info:
        client.trees.get(root="r")
    [problem] = info.value.errors
    assert problem.startswith(message)
