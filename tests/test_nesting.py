"""Structuring costs O(size of input), valid or not, and deep input fails cleanly.

The package is the golden case ``tests/cases/recursive`` (``Node {children:
list[Node]}``, ``Folder`` that holds itself through a nullable field and a union in a
dict), imported as committed; ``test_cases.py`` keeps it in step with the generator.
"""

from __future__ import annotations

import itertools
import sys
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from cattrs.errors import ClassValidationError

from .server import LoopbackServer, Reply

sys.path.insert(0, str(Path(__file__).parent / "cases" / "recursive" / "expected"))

import recursive
from recursive import Folder, Node, converter, errors
from recursive.converters import describe_error

PACKAGE = Path(recursive.__file__).parent


class OverBudget(BaseException):
    """Stops a run that makes too many calls (the hooks catch only ``Exception``)."""


def tree(depth: int, leaf: dict[str, Any]) -> dict[str, Any]:
    node = leaf
    for _ in range(depth):
        node = {"name": "n", "children": [node]}
    return node


def calls(payload: Any, cls: type, budget: int = 10_000) -> Counter[str]:
    """The Python calls structuring makes, by function name, within the package."""
    counts: Counter[str] = Counter()

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" and Path(frame.f_code.co_filename).parent == PACKAGE:
            counts[frame.f_code.co_name] += 1
            if counts.total() > budget:
                raise OverBudget

    sys.setprofile(profile)
    try:
        converter.structure(payload, cls)
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


@pytest.mark.parametrize(
    ("depth", "message"),
    [
        (200, "nested deeper than 128 levels @ $.children[0].children[0]."),
        # Too deep for the JSON decoder itself: the converter never sees it.
        (10_000, "nested too deeply (maximum recursion depth exceeded"),
    ],
)
def test_client_reports_a_deep_response(
    server: LoopbackServer, depth: int, message: str
) -> None:
    headers = {"Content-Type": "application/json"}
    server.queue(Reply(body=deep_body(depth), headers=headers))
    client = recursive.Client("key", server_url=server.url, max_retries=0)
    with client, pytest.raises(errors.ResponseValidationError) as info:
        client.trees.get(root="r")
    [problem] = info.value.errors
    assert problem.startswith(message)
