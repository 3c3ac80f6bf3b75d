"""The README's examples, run as a reader runs them: its setup line, its interpreter line.

Each ``python`` block runs in a fresh interpreter started as the README says
(``PYTHONPATH=generated``, from the repository's root), with ``MISTRAL_API_KEY`` set
and the client pointed at the loopback server. A value written as a comment after an
expression (``describe_error(exc)  # [...]``, or on the next line) is the README's
claim about it: the test checks each one, and that each was reached.
"""

from __future__ import annotations

import ast
import importlib.metadata
import io
import json
import os
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from .conftest import GENERATED, ROOT
from .server import LoopbackServer, Recorded, Reply, chunk, sse

README = (ROOT / "README.md").read_text("utf-8")
EXAMPLES = re.findall(r"^```python\n(.*?)^```", README, flags=re.S | re.M)
# The line the README gives for running its examples, and its first setup line.
INTERPRETER = re.search(r"`PYTHONPATH=(\S+) \.venv/bin/python`", README)
SETUP = re.search(
    r"^python3 -m venv \.venv && \.venv/bin/pip install (.+?) &&", README, re.M
)

# Runs one example: the client's default server is the loopback one, and each
# `expect(value, claimed, line)` the transform put in checks a commented result.
_RUNNER = """
import json, sys
import mistral_fim.client

mistral_fim.client.DEFAULT_SERVER_URL = sys.argv[1]
checked = []

def expect(value, claimed, line):
    assert value == claimed, f"README line {line}: {value!r} != {claimed!r}"
    checked.append(line)

exec(compile(sys.stdin.read(), "README.md", "exec"), {"expect": expect})
print("\\nchecked:", json.dumps(checked))
"""


def _comments(code: str) -> dict[int, tuple[str, bool]]:
    """Each comment by line: its text, and whether it stands alone on its line."""
    out = {}
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if token.type == tokenize.COMMENT:
            alone = not token.line[: token.start[1]].strip()
            out[token.start[0]] = (token.string[1:].strip(), alone)
    return out


def _claimed(text: str) -> ast.expr | None:
    try:
        ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None
    return ast.parse(text, mode="eval").body


class _ExpectResults(ast.NodeTransformer):
    """``EXPR  # VALUE`` (or VALUE alone on the next line) -> ``expect(EXPR, VALUE, line)``."""

    def __init__(self, comments: dict[int, tuple[str, bool]]) -> None:
        self.comments = comments
        self.lines: list[int] = []

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        end = node.end_lineno or node.lineno
        trailing = self.comments.get(end, ("", True))
        below = self.comments.get(end + 1, ("", False))
        text = trailing[0] if not trailing[1] else below[0] if below[1] else ""
        claimed = _claimed(text)
        if claimed is None or isinstance(node.value, ast.Constant):
            return node
        self.lines.append(end)
        call = ast.Call(
            ast.Name("expect", ast.Load()),
            [node.value, claimed, ast.Constant(end)],
            [],
        )
        return ast.copy_location(ast.Expr(call), node)


def with_expectations(code: str) -> tuple[str, list[int]]:
    transform = _ExpectResults(_comments(code))
    tree = ast.fix_missing_locations(transform.visit(ast.parse(code)))
    return ast.unparse(tree), transform.lines


def _reply(record: Recorded) -> Reply | None:
    if record.json().get("stream"):
        return Reply.events(sse([chunk(i, "tok") for i in range(3)]))
    return None


@pytest.mark.parametrize(
    "code", EXAMPLES, ids=[f"example{i}" for i in range(len(EXAMPLES))]
)
def test_example_runs_as_written(code: str, server: LoopbackServer) -> None:
    assert INTERPRETER is not None, "the README names no interpreter line"
    server.on_request = _reply
    source, claims = with_expectations(code)
    result = subprocess.run(
        [sys.executable, "-c", _RUNNER, server.url],
        input=source,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PYTHONPATH": INTERPRETER[1],
            "MISTRAL_API_KEY": "sk-readme",
        },
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    checked = json.loads(result.stdout.rsplit("checked:", 1)[1])
    assert checked == claims, "a result the README claims was never reached"
    calls = "Client(" in code
    assert bool(server.requests) == calls
    for request in server.requests:
        assert request.headers["Authorization"] == "Bearer sk-readme"


def test_examples_are_found_and_checked() -> None:
    assert len(EXAMPLES) >= 2
    claims = [line for code in EXAMPLES for line in with_expectations(code)[1]]
    assert len(claims) >= 2


def test_the_claim_check_catches_a_wrong_claim() -> None:
    source, claims = with_expectations("x = [1]\nlen(x)  # 2\n")
    assert claims == [2]
    with pytest.raises(AssertionError, match="README line 2"):
        exec(source, {"expect": _expect_for_test})


def _expect_for_test(value: object, claimed: object, line: int) -> None:
    assert value == claimed, f"README line {line}"


def _third_party_imports(package: Path) -> set[str]:
    names = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"__future__", package.name}


def _with_dependencies(distributions: set[str]) -> set[str]:
    """The distributions and everything they need (in this environment)."""
    seen: set[str] = set()
    todo = [d.lower() for d in distributions]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for line in importlib.metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name.lower())
    return seen


def test_the_setup_line_installs_what_the_generated_package_imports() -> None:
    assert SETUP is not None, "the README's first line installs nothing"
    installed = _with_dependencies(set(SETUP[1].replace("-e .", "specbind").split()))
    owners = importlib.metadata.packages_distributions()
    imports = _third_party_imports(GENERATED / "mistral_fim")
    assert {"attrs", "cattrs", "httpx"} <= imports
    for module in sorted(imports):
        dists = {d.lower() for d in owners.get(module, [])}
        assert dists & installed, (
            f"{module} is imported but not installed by the README"
        )
