"""What importing the whole API's client loads, counted in a fresh interpreter: the
models, the client and its runtime, never the converters or cattrs, which the first
client binds (issue 14: import time)."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import GENERATED

LOADED = (
    "import json, sys\n"
    "def ours():\n"
    "    return sorted(m for m in sys.modules if m.split('.')[0] in ('mistral', 'cattrs'))\n"
    "from mistral import Client\n"
    "imported = ours()\n"
    "Client(api_key='key').close()\n"
    "print(json.dumps([imported, ours()]))\n"
)


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
    assert imported == [
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
    ]
    added = sorted(set(constructed) - set(imported))
    assert added[:2] == ["cattrs", "cattrs._compat"]
    assert {"mistral._convert", "mistral.converters"} <= set(added)
    assert all(m.startswith("cattrs") for m in added if not m.startswith("mistral"))
