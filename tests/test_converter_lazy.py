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


def test_two_threads_first_using_one_group_both_get_its_hooks() -> None:
    """The second thread starts once the first is importing the group's hooks
    (held 0.3 s): it must wait for them, not dispatch to cattrs' defaults."""
    out, _ = run(
        "import importlib, threading, time\n"
        "from mistral import converter, _convert\n"
        "from mistral.models import ChatCompletionRequest as A\n"
        "from mistral.models import ChatCompletionStreamRequest as B\n"
        "importing = threading.Event()\n"
        "class Slow:\n"
        "    @staticmethod\n"
        "    def import_module(name):\n"
        "        if name.endswith('._chat'):\n"
        "            importing.set()\n"
        "        time.sleep(0.3)\n"
        "        return importlib.import_module(name)\n"
        "_convert.importlib = Slow\n"
        "out = {}\n"
        "def use(cls, wait):\n"
        "    if wait:\n"
        "        importing.wait(10)\n"
        "    try:\n"
        f"        out[cls.__name__] = type(converter.structure({REQUEST!r}, cls)).__name__\n"
        "    except Exception as exc:\n"
        "        out[cls.__name__] = type(exc).__name__\n"
        "threads = [threading.Thread(target=use, args=(A, False)),\n"
        "           threading.Thread(target=use, args=(B, True))]\n"
        "[t.start() for t in threads]\n"
        "[t.join(20) for t in threads]\n"
    )
    assert out == {
        "ChatCompletionRequest": "ChatCompletionRequest",
        "ChatCompletionStreamRequest": "ChatCompletionStreamRequest",
    }


def test_an_unstructure_hook_registered_first_leaves_structuring_generated() -> None:
    out, _ = run(
        "from mistral import converter\n"
        "from mistral.models import DeleteModelOut\n"
        "converter.register_unstructure_hook(cls=DeleteModelOut, func=lambda v: 'mine')\n"
        "out = [repr(converter.structure({'id': 'x'}, DeleteModelOut)),\n"
        "       converter.unstructure(DeleteModelOut(id='x'))]\n"
    )
    assert out == ["DeleteModelOut(id='x', object='model', deleted=True)", "mine"]


def test_a_decorated_unstructure_hook_is_kept_for_its_parameters_type() -> None:
    out, _ = run(
        "from mistral import converter\n"
        "from mistral.models import DeleteModelOut\n"
        "@converter.register_unstructure_hook\n"
        "def mine(value: DeleteModelOut) -> dict:\n"
        "    return {'mine': True}\n"
        "out = [converter.unstructure(DeleteModelOut(id='x')),\n"
        "       [sorted(t.__name__ for t in s) for s in converter._registered]]\n"
    )
    assert out == [{"mine": True}, [[], ["DeleteModelOut"]]]


MINE_FOR_MESSAGES = (
    "converter.register_structure_hook(Messages, lambda v, _: 'mine')\n"
    "out = converter.structure({'role': 'user', 'content': 'hi'}, Messages)\n"
)


def test_a_union_alias_hook_registered_after_its_group_loads_wins() -> None:
    out, _ = run(
        "from mistral import converter\n"
        "from mistral.models import ChatCompletionRequest, Messages\n"
        "converter.structure({'model': 'm', 'messages': []}, ChatCompletionRequest)\n"
        + MINE_FOR_MESSAGES
    )
    assert out == "mine"


def test_a_copys_union_alias_hook_wins() -> None:
    out, _ = run(
        "from mistral import converter as original\n"
        "from mistral.models import ChatCompletionRequest, Messages\n"
        "original.structure({'model': 'm', 'messages': []}, ChatCompletionRequest)\n"
        "converter = original.copy()\n" + MINE_FOR_MESSAGES
    )
    assert out == "mine"


def test_an_equal_alias_of_another_group_loads_its_own_group() -> None:
    """``Two`` (classifiers) equals chat's ``Messages``; both modules imported."""
    _, loaded = run(
        "from mistral import converter\n"
        "from mistral.models import Messages, Two\n"
        "converter.structure([{'role': 'user', 'content': 'hi'}], list[Two])\n"
    )
    assert "mistral.converters._classifiers" in loaded
    assert "mistral.converters._chat" not in loaded


def test_a_callers_subclass_first_met_loads_its_bases_group() -> None:
    """The base's generated hooks serve the subclass (cattrs dispatches by MRO),
    whether or not the group was loaded before."""
    subclass = (
        "import attrs\n"
        "from mistral import converter\n"
        "from mistral.models import DeleteModelOut\n"
        "if loaded_first:\n"
        "    converter.structure({'id': 'x'}, DeleteModelOut)\n"
        "@attrs.define(kw_only=True)\n"
        "class Mine(DeleteModelOut):\n"
        "    pass\n"
        "out = [repr(converter.structure({'id': 'x'}, Mine)),\n"
        "       converter.unstructure(Mine(id='x'))]\n"
    )
    lazily, _ = run("loaded_first = False\n" + subclass)
    eagerly, _ = run("loaded_first = True\n" + subclass)
    assert lazily == eagerly
