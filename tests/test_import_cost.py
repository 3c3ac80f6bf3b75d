"""What importing the whole API's package loads, counted in a fresh interpreter
(issue 14: import time): the models package loads no group's module until one of its
names is used, a name loads its group's module and the shared one, and the client
loads no converter or cattrs until a client is made."""

from __future__ import annotations

import ast
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import GENERATED

MODEL_MODULES = sorted(
    f"mistral.models.{path.stem}"
    for path in (GENERATED / "mistral" / "models").glob("_*.py")
    if path.stem != "__init__"
)

LOADED = (
    "import json, sys\n"
    "def ours():\n"
    "    return sorted(m for m in sys.modules if m.split('.')[0] in ('mistral', 'cattrs'))\n"
    "from mistral import Client\n"
    "imported = ours()\n"
    "Client(api_key='key').close()\n"
    "print(json.dumps([imported, ours()]))\n"
)


def loaded(code: str) -> list[str]:
    """The modules of ``mistral`` that ``code`` leaves loaded, in a fresh interpreter."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code + "\nimport json, sys\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'mistral')))",
        ],
        env={"PYTHONPATH": str(GENERATED)},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    found: list[str] = json.loads(done.stdout)
    return found


def test_the_whole_api_has_a_module_per_group() -> None:
    assert "mistral.models._shared" in MODEL_MODULES
    assert {"mistral.models._chat", "mistral.models._fine_tuning_jobs"} <= set(
        MODEL_MODULES
    )


@pytest.mark.parametrize("code", ["import mistral", "import mistral.models"])
def test_importing_the_models_imports_no_group_module(code: str) -> None:
    assert loaded(code) == ["mistral", "mistral.models"]


@pytest.mark.parametrize(
    "code",
    [
        "import mistral.models\nmistral.models.ChatCompletionRequest",
        "from mistral.models import ChatCompletionRequest",
        "from mistral import ChatCompletionRequest",
    ],
)
def test_touching_one_groups_model_imports_that_group_alone(code: str) -> None:
    assert loaded(code) == [
        "mistral",
        "mistral.models",
        "mistral.models._chat",
        "mistral.models._shared",
    ]


def test_a_group_module_imports_no_other_group_module() -> None:
    roots = [GENERATED, *sorted((Path(__file__).parent / "cases").glob("*/expected"))]
    seen = 0
    for path in sorted(
        p for root in roots for p in root.glob("*/models/_*.py") if p.stem != "__init__"
    ):
        tree = ast.parse(path.read_text("utf-8"))
        sources = {n.module for n in tree.body if isinstance(n, ast.ImportFrom)}
        relative = sources - {"__future__", "typing", None}
        allowed = {"_files"} | ({"_shared"} if path.stem != "_shared" else set())
        assert relative <= allowed, path
        seen += 1
    assert seen > len(MODEL_MODULES)


def test_a_model_is_one_class_whichever_way_it_is_reached() -> None:
    import mistral
    import mistral.models
    import mistral.models._chat
    from mistral.models import ChatCompletionRequest, UserMessage

    assert mistral.ChatCompletionRequest is ChatCompletionRequest
    assert mistral.models.ChatCompletionRequest is ChatCompletionRequest
    assert mistral.models._chat.ChatCompletionRequest is ChatCompletionRequest
    assert ChatCompletionRequest.__module__ == "mistral.models._chat"
    request = ChatCompletionRequest(model="m", messages=[UserMessage(content="hi")])
    assert pickle.loads(pickle.dumps(request)) == request
    assert repr(request).startswith("ChatCompletionRequest(model='m', ")
    assert {"ChatCompletionRequest", "UNSET"} <= set(dir(mistral.models))
    assert set(mistral.models.__all__) <= set(dir(mistral.models))
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        mistral.models.Nope  # noqa: B018


def test_the_client_imports_no_converter_until_a_client_is_made() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LOADED],
        env={"PYTHONPATH": str(GENERATED)},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    imported, constructed = json.loads(done.stdout)
    assert imported == sorted(
        [
            "mistral",
            "mistral._binary",
            "mistral._body",
            "mistral._deadline",
            "mistral._files",
            "mistral._forms",
            "mistral._http",
            "mistral._sse",
            "mistral.client",
            "mistral.errors",
            "mistral.models",
            *MODEL_MODULES,
        ]
    )
    added = sorted(set(constructed) - set(imported))
    assert added[:2] == ["cattrs", "cattrs._compat"]
    assert {"mistral._convert", "mistral.converters"} <= set(added)
    assert all(m.startswith("cattrs") for m in added if not m.startswith("mistral"))
