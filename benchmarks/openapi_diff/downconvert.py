"""OpenAPI 3.1 -> 3.0 for npm ``openapi-diff`` 0.24.1, whose parser reads 3.0 only.

``@apiture/openapi-down-convert`` does most of it; what it leaves, and what
``openapi-diff`` then refuses, is fixed here (docs/diff.md, "Compared with npm
openapi-diff"):

- a ``{type: 'null'}`` variant of ``anyOf``/``oneOf`` becomes ``nullable: true``;
  ``type: 'null'`` alone too;
- ``const`` becomes a one-value ``enum``; 3.1's numeric ``exclusiveMinimum`` /
  ``exclusiveMaximum`` become 3.0's bound plus flag; a list of ``examples`` its first
  ``example``;
- keywords 3.0 lacks (``$defs``, ``prefixItems``, ``contentMediaType``...) are dropped;
- the 2024 document's ``items: [schema]`` slip is read as ``items: schema``, as
  specbind's importer repairs it;
- recursive references (``FilterGroup``, ``WorkflowExecutionTraceSummarySpan``) become
  ``{}``: ``openapi-diff`` stops at "Circular $ref pointer found" otherwise.

    python downconvert.py IN.yaml OUT.json    # needs `npm install` in this folder
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
BIN = HERE / "node_modules" / ".bin"
PREFIX = "#/components/schemas/"
NULL = {"type": "null"}
# JSON Schema 2020-12 keywords that OpenAPI 3.0's schema object does not have.
NOT_IN_30 = (
    "contentMediaType", "contentEncoding", "$schema", "$id", "$defs", "propertyNames",
    "prefixItems", "unevaluatedProperties", "dependentRequired",
)  # fmt: skip


def tool(name: str) -> Path:
    path = BIN / name
    if not path.exists():
        sys.exit(f"{path} is missing: run `npm install` in {HERE} first")
    return path


def down_convert(source: Path) -> dict[str, Any]:
    """The 3.0 document ``openapi-down-convert`` makes of ``source``, fixed up."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "converted.yaml"
        subprocess.run(
            [tool("openapi-down-convert"), "--input", source, "--output", out],
            check=True,
            timeout=600,
        )
        doc = yaml.safe_load(out.read_text("utf-8"))
    doc = fix(doc)
    broken = break_cycles(doc)
    if broken:
        print(f"{source}: cycles broken at {', '.join(broken)}", file=sys.stderr)
    return doc


def fix(node: Any) -> Any:
    if isinstance(node, list):
        return [fix(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: fix(v) for k, v in node.items()}
    for key in ("anyOf", "oneOf"):
        variants = node.get(key)
        if isinstance(variants, list) and NULL in variants:
            rest = [v for v in variants if v != NULL]
            del node[key]
            if len(rest) == 1 and "$ref" in rest[0]:
                node["allOf"] = rest  # 3.0 ignores a $ref's siblings
            elif len(rest) == 1:
                node.update(rest[0])
            else:
                node[key] = rest
            node["nullable"] = True
    items = node.get("items")
    if isinstance(items, list) and len(items) == 1:
        node["items"] = items[0]
    if node.get("type") == "null":
        del node["type"]
        node["nullable"] = True
    if "const" in node:
        node["enum"] = [node.pop("const")]
    examples = node.get("examples")
    if isinstance(examples, list) and ("type" in node or "properties" in node):
        del node["examples"]
        if examples:
            node.setdefault("example", examples[0])
    for exclusive, bound in (
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ):
        value = node.get(exclusive)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            node[bound] = value
            node[exclusive] = True
    for key in NOT_IN_30:
        node.pop(key, None)
    return node


def break_cycles(doc: dict[str, Any]) -> list[str]:
    """Replace each ``$ref`` back to a schema on the current path by ``{}``; the
    references replaced, sorted."""
    schemas = doc.get("components", {}).get("schemas", {})
    broken: set[str] = set()
    done: set[str] = set()

    def target(value: Any) -> str | None:
        ref = value.get("$ref") if isinstance(value, dict) else None
        if isinstance(ref, str) and ref.startswith(PREFIX):
            return ref.removeprefix(PREFIX)
        return None

    def walk(node: Any, stack: frozenset[str]) -> None:
        children = (
            list(node.items())
            if isinstance(node, dict)
            else list(enumerate(node))
            if isinstance(node, list)
            else []
        )
        for key, value in children:
            name = target(value)
            if name is not None and name in stack:
                broken.add(name)
                node[key] = {}
            elif name is not None:
                visit(name, stack)
            else:
                walk(value, stack)

    def visit(name: str, stack: frozenset[str]) -> None:
        if name in done or name in stack or name not in schemas:
            return
        walk(schemas[name], stack | {name})
        done.add(name)

    for name in list(schemas):
        visit(name, frozenset())
    return sorted(broken)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: python downconvert.py IN.yaml OUT.json")
    doc = down_convert(Path(sys.argv[1]))
    Path(sys.argv[2]).write_text(json.dumps(doc, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
