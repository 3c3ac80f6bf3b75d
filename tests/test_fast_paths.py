"""The fast paths behave exactly like the paths they shortcut.

- A model hook's fast path returns what its reporting path returns, and fails the same.
- libyaml's events build the same node tree (values and positions) as PyYAML's parser.
- ``import mistral_fim`` loads the models alone; the clients and the converter load
  on first use and are still importable by name.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any

import mistral_fim
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mistral_fim import converters
from mistral_fim.converters import _shared as hooks  # one group: one module

from specbind.naming import snake
from specbind.parse import load
from specbind.resolve import load_api

from .conftest import GENERATED, ROOT
from .strategies import JSON, Instances, with_defaults

API = load_api(ROOT / "spec" / "mistral_fim.yaml")
INSTANCES = Instances(API, mistral_fim.models)
MODELS = [m.name for m in API.models]


def outcome(hook: Any, payload: Any) -> tuple[str, Any]:
    try:
        return "ok", hook(payload)
    except Exception as exc:
        return type(exc).__name__, converters.describe_error(exc)


def both_paths(name: str) -> tuple[Any, Any]:
    public = getattr(converters, f"structure_{snake(name)}")
    reporting = getattr(hooks, f"_report_{snake(name)}")
    return public, reporting


@pytest.mark.parametrize("name", MODELS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fast_path_agrees_on_valid_payloads(name: str, data: st.DataObject) -> None:
    instance = data.draw(INSTANCES.named(name))
    wire = json.loads(json.dumps(mistral_fim.converter.unstructure(instance)))
    public, reporting = both_paths(name)
    expected = with_defaults(instance, API, mistral_fim.UNSET)
    assert outcome(public, wire) == outcome(reporting, wire) == ("ok", expected)


@pytest.mark.parametrize("name", MODELS)
@settings(max_examples=40, deadline=None)
@given(payload=JSON)
def test_fast_path_agrees_on_any_json(name: str, payload: object) -> None:
    public, reporting = both_paths(name)
    assert outcome(public, payload) == outcome(reporting, payload)


@pytest.mark.parametrize(
    "payload",
    [
        {"index": 0, "delta": {"content": "x"}, "finish_reason": None},
        {"index": True, "delta": {}, "finish_reason": None},  # bool is not an int
        {"index": 0, "delta": {}, "finish_reason": "unknown-but-open"},
        {"index": 0, "delta": {}},  # a required nullable key missing
        {"index": 0.0, "delta": {}, "finish_reason": None},
        {"index": 0, "delta": {"role": 3}, "finish_reason": None},
    ],
)
def test_fast_path_agrees_on_edge_cases(payload: dict[str, Any]) -> None:
    public, reporting = both_paths("CompletionResponseStreamChoice")
    assert outcome(public, payload) == outcome(reporting, payload)


def test_unset_as_a_value_is_not_absence() -> None:
    """A key present with the UNSET object is an error, as on the reporting path."""
    public, reporting = both_paths("FIMCompletionResponse")
    payload = {
        "id": "a",
        "object": "b",
        "model": "c",
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        "created": mistral_fim.UNSET,
    }
    assert outcome(public, payload)[0] != "ok"
    assert outcome(public, payload) == outcome(reporting, payload)


# -- libyaml ------------------------------------------------------------------------------

TEXTS = [
    (ROOT / "spec" / "mistral_fim.yaml").read_text(encoding="utf-8"),
    *(
        p.read_text(encoding="utf-8")
        for p in sorted(ROOT.glob("tests/cases/*/spec.yaml"))
    ),
    textwrap.dedent(
        """\
        # unicode, quoting, flow and block styles
        title: "Ünïcödé — API ✓"
        doc: |
          multi-line
            indented ∑
        folded: >-
          one
          two
        flow: {a: 1, "b": [x, 'y', 2.5, null, true, ~]}
        list:
          - {k: v}
          - - nested
          - 'it''s'
        empty: ""
        keys: {"é": 1, 2: two, 3.0: x}
        """
    ),
]


def tree(node: yaml.Node) -> Any:
    value = node.value
    if isinstance(node, yaml.MappingNode):
        value = [(tree(k), tree(v)) for k, v in value]
    elif isinstance(node, yaml.SequenceNode):
        value = [tree(v) for v in value]
    mark = node.start_mark
    return (type(node).__name__, node.tag, mark.line, mark.column, value)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
@pytest.mark.parametrize("text", TEXTS)
def test_libyaml_reads_the_same_tree(text: str) -> None:
    read = load._read_with_libyaml(text)
    assert read is not None
    _, fast = read
    slow = load._Loader(text).get_single_node()
    assert fast is not None and slow is not None
    assert tree(fast) == tree(slow)


@pytest.mark.parametrize(
    "text",
    ["a:\tb\n", "a: 1\r\nb: 2\r\n", "a: [1,\n", "a: &x 1\nb: *x\n", "a: b: c\n"],
)
def test_libyaml_leaves_risky_or_broken_text_to_pyyaml(text: str) -> None:
    read = load._read_with_libyaml(text)
    if read is None:
        return
    # Anchors and aliases parse; they are refused the same way by both readers.
    fast_loader, fast = read
    slow_loader = load._Loader(text)
    slow = slow_loader.get_single_node()
    assert fast is not None and slow is not None
    assert tree(fast) == tree(slow)
    assert fast_loader.refused == slow_loader.refused


# -- the package import --------------------------------------------------------------------


def run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(GENERATED), "PATH": ""},
    )
    return result.stdout.strip()


def test_import_loads_the_models_alone() -> None:
    loaded = run(
        "import sys, mistral_fim; "
        "print(sorted(m for m in ('httpx', 'cattrs', 'mistral_fim.client', "
        "'mistral_fim.converters') if m in sys.modules))"
    )
    assert loaded == "[]"


def test_lazy_names_import_on_first_use() -> None:
    out = run(
        "import sys, mistral_fim; from mistral_fim import Client, AsyncClient, converter; "
        "from mistral_fim.client import Client as C; "
        "print(Client is C, 'httpx' in sys.modules, 'Client' in dir(mistral_fim))"
    )
    assert out == "True True True"
    with pytest.raises(subprocess.CalledProcessError):
        run("import mistral_fim; mistral_fim.Nope")


def test_converter_shortcut_gives_way_to_registered_hooks() -> None:
    """The converter calls generated hooks directly only until any hook is registered."""
    out = run(
        "from mistral_fim import converter, FIMCompletionRequest as R\n"
        "r = R(model='m', prompt='p')\n"
        "wire = {'model': 'm', 'prompt': 'p', 'top_p': 1.0, 'stream': False}\n"
        "assert converter.unstructure(r) == wire\n"
        "assert converter.copy().unstructure(r) == wire\n"
        "converter.register_unstructure_hook(R, lambda o: {'custom': 1})\n"
        "@converter.register_structure_hook\n"
        "def custom(value, _) -> R:\n"
        "    return 'structured'\n"
        "print(converter.unstructure(r), converter.structure(wire, R))\n"
    )
    assert out == "{'custom': 1} structured"
