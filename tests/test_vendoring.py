"""The generated package vendored into a bare project: a fresh venv with attrs, cattrs
and httpx only, run from a directory outside the repository, against a loopback server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import GENERATED
from .server import COMPLETION, LoopbackServer, Reply, chunk, sse

SCRIPT = textwrap.dedent(
    """
    import asyncio, importlib.util, json, sys
    from pathlib import Path

    import mistral_fim
    from mistral_fim import AsyncClient, Client, errors

    url, key = sys.argv[1], sys.argv[2]
    here = Path.cwd().resolve()
    assert Path(mistral_fim.__file__).resolve().parent == here / "mistral_fim"
    assert importlib.util.find_spec("specbind") is None, "specbind is importable"
    try:
        import specbind  # noqa: F401
    except ImportError:
        pass
    else:
        raise AssertionError("import specbind worked")

    out = {}
    with Client(key, server_url=url, max_retries=0) as client:
        response = client.fim.complete(model="codestral-latest", prompt="def f():")
        out["complete"] = [response.id, response.choices[0].message.content]
        with client.fim.stream(model="codestral-latest", prompt="def f():") as items:
            out["stream"] = [e.data.choices[0].delta.content for e in items]
        try:
            client.fim.complete(model="codestral-latest", prompt="def f():")
        except errors.HTTPValidationError as exc:
            out["error"] = [exc.status_code, exc.data.detail[0].msg]

    async def run():
        async with AsyncClient(key, server_url=url, max_retries=0) as client:
            response = await client.fim.complete(model=None, prompt="x")
            async with await client.fim.stream(model=None, prompt="x") as items:
                return response.id, [e.data.choices[0].delta.content async for e in items]

    out["async"] = list(asyncio.run(run()))
    out["modules"] = sorted(
        {name.split(".")[0] for name in sys.modules} & {"attrs", "cattrs", "httpx", "pydantic", "mistralai", "specbind"}
    )
    print(json.dumps(out))
    """
)


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=clean_env(),
    )


def clean_env() -> dict[str, str]:
    """The environment minus anything that would put the repository on sys.path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.pop("VIRTUAL_ENV", None)
    return env


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_vendored_package_runs_in_a_bare_venv(
    tmp_path: Path, server: LoopbackServer
) -> None:
    project = tmp_path / "project"
    shutil.copytree(
        GENERATED / "mistral_fim",
        project / "mistral_fim",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    (project / "main.py").write_text(SCRIPT)
    venv = tmp_path / "venv"
    made = run(sys.executable, "-m", "venv", venv)
    assert made.returncode == 0, made.stderr
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    installed = run(
        python,
        "-m",
        "pip",
        "install",
        "--quiet",
        "attrs",
        "cattrs",
        "httpx",
        cwd=project,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr

    detail = [{"loc": ["body", "prompt"], "msg": "field required", "type": "missing"}]
    server.queue(
        Reply.json(COMPLETION),
        Reply.events(sse([chunk(0), chunk(1, finish="stop")]), size=5),
        Reply.json({"detail": detail}, status=422),
        Reply.json(COMPLETION),
        Reply.events(sse([chunk(2)])),
    )
    result = run(python, "-E", "-s", "main.py", server.url, "sk-vendored", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    out = json.loads(result.stdout)
    assert out == {
        "complete": [COMPLETION["id"], "return a + b"],
        "stream": ["x0", "x1"],
        "error": [422, "field required"],
        "async": [COMPLETION["id"], ["x2"]],
        "modules": ["attrs", "cattrs", "httpx"],
    }
    assert [r.json()["stream"] for r in server.requests] == [
        False,
        True,
        False,
        False,
        True,
    ]
    assert {r.headers["Authorization"] for r in server.requests} == {
        "Bearer sk-vendored"
    }

    # Nothing of the repository leaks in: not specbind, not the test tools.
    listed = run(python, "-m", "pip", "list", "--format=json")
    names = {p["name"].lower() for p in json.loads(listed.stdout)}
    assert names.isdisjoint({"specbind", "pytest", "hypothesis", "jinja2", "pyyaml"})
