"""The converter registers a group's hooks when it first meets one of the group's
types (issue 14: import time), and behaves as though every hook had been registered
at import: strict from the first call, and a hook a caller registered first is kept.
Each test runs in a fresh interpreter, so that nothing is loaded before it starts."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import GENERATED

REQUEST = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}


def run(code: str) -> object:
    """What ``code`` leaves in ``out``, and the modules of ``mistral`` it loaded."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, sys\nout = None\n"
            + code
            + "\nprint(json.dumps([out, sorted(m for m in sys.modules"
            " if m.split('.')[0] == 'mistral')]))",
        ],
        env={"PYTHONPATH": str(GENERATED)},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result: object = json.loads(done.stdout)
    return result


def test_structuring_one_groups_model_loads_that_groups_hooks_alone() -> None:
    out, loaded = run(
        "from mistral import converter\n"
        "from mistral.models import ChatCompletionRequest\n"
        f"request = converter.structure({REQUEST!r}, ChatCompletionRequest)\n"
        "out = converter.unstructure(request)['messages']\n"
    )
    assert out == REQUEST["messages"]
    assert loaded == [
        "mistral",
        "mistral._convert",
        "mistral.converters",
        "mistral.converters._chat",
        "mistral.converters._shared",
        "mistral.models",
        "mistral.models._chat",
        "mistral.models._shared",
    ]


def test_a_hook_function_loads_its_module_alone() -> None:
    _, loaded = run("from mistral.converters import structure_job_in")
    assert "mistral.converters._fine_tuning_jobs" in loaded
    assert "mistral.converters._chat" not in loaded
    assert "mistral.models._chat" not in loaded


def test_a_union_alias_first_met_inside_a_list_is_strict() -> None:
    """``Messages`` is an alias of the chat module: the converter recognises it by
    value and registers the chat hooks, whose errors name the variants tried."""
    out, loaded = run(
        "from mistral import converter\n"
        "from mistral.models import Messages\n"
        "from mistral.converters import describe_error\n"
        "try:\n"
        "    converter.structure([{'role': 'user', 'content': 1}], list[Messages])\n"
        "except Exception as exc:\n"
        "    out = describe_error(exc)\n"
    )
    assert isinstance(out, list) and out, out
    assert all("@ $[0]" in line for line in out), out
    assert "mistral.converters._chat" in loaded


def test_a_hook_registered_before_its_group_loads_is_kept() -> None:
    out, _ = run(
        "from mistral import converter\n"
        "from mistral.models import ChatCompletionRequest, Messages\n"
        "converter.register_structure_hook(ChatCompletionRequest, lambda v, _: 'mine')\n"
        "mine = converter.structure({}, ChatCompletionRequest)\n"
        "from mistral.converters import describe_error\n"
        "try:\n"
        "    converter.structure({'role': 'user', 'content': 1}, Messages)\n"
        "except Exception as exc:\n"
        "    out = [mine, describe_error(exc)]\n"
    )
    assert out == [
        "mine",  # and the group's other hooks are the generated ones
        ["invalid value for type, expected str | list[ContentChunk] @ $.content"],
    ]


def test_a_copy_made_before_any_load_is_strict() -> None:
    out, _ = run(
        "from mistral import converter\n"
        "from mistral.models import ChatCompletionRequest\n"
        "copy = converter.copy()\n"
        "try:\n"
        "    copy.structure({'model': 1, 'messages': []}, ChatCompletionRequest)\n"
        "    out = 'coerced'\n"
        "except Exception as exc:\n"
        "    out = type(exc).__name__\n"
    )
    assert out == "ClassValidationError"
