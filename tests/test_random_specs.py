"""Property: any valid spec generates a package that imports, round-trips and type-checks."""

from __future__ import annotations

import importlib
import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from specbind.generate import render_all
from specbind.parse.load import load_text
from specbind.resolve import build_api

from .spec_strategies import specs
from .strategies import Instances

_counter = itertools.count()
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def generate(spec: dict[str, Any], root: Path) -> tuple[Any, Path]:
    text = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
    api = build_api(load_text(text, "random.yaml"))
    for file in render_all([api]):
        target = root / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file.content, "utf-8")
    return api, root / api.package


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("random_specs")
    sys.path.insert(0, str(root))
    yield root
    sys.path.remove(str(root))


@SETTINGS
@given(data=st.data())
def test_random_spec_generates_a_working_package(
    workdir: Path, data: st.DataObject
) -> None:
    package = f"random_{next(_counter)}"
    spec = data.draw(specs(package))
    api, _ = generate(spec, workdir)
    module = importlib.import_module(package)
    instances = Instances(api, module.models)
    for model in api.models:
        cls = getattr(module, model.name)
        for _ in range(3):
            instance = data.draw(instances.named(model.name))
            wire = json.loads(json.dumps(module.converter.unstructure(instance)))
            assert module.converter.structure(wire, cls) == instance
    docs = [p for p in (workdir / "docs" / "models").glob("*.md")]
    assert {d.name for d in docs} >= {f"{m.name.lower()}.md" for m in api.models}


def test_generated_code_type_checks_and_is_formatted(tmp_path: Path) -> None:
    """A batch of random specs through mypy --strict, ruff check and ruff format --check,
    in one run each (the tools of this interpreter: the test extra installs them)."""
    mypy, ruff = [sys.executable, "-m", "mypy"], [sys.executable, "-m", "ruff"]
    packages: list[str] = []

    @seed(20261126)
    @settings(max_examples=12, deadline=None, database=None)
    @given(data=st.data())
    def collect(data: st.DataObject) -> None:
        package = f"checked_{len(packages)}"
        generate(data.draw(specs(package)), tmp_path)
        packages.append(package)

    collect()
    assert len(packages) == 12
    mypy_args = [
        *mypy,
        "--strict",
        "--no-incremental",
        *itertools.chain.from_iterable(("-p", p) for p in packages),
    ]
    result = subprocess.run(
        mypy_args, cwd=tmp_path, capture_output=True, text=True, check=False
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert not errors, result.stdout[-4000:]
    assert "Success" in result.stdout or result.returncode == 1, result.stderr
    result = subprocess.run(
        [*ruff, "format", "--check", "--isolated", "--no-cache", *packages],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    result = subprocess.run(
        [
            *ruff,
            "check",
            "--isolated",
            "--no-cache",
            "--target-version",
            "py310",
            "--select",
            "E,F,W,I,B,UP,SIM,RUF",
            "--ignore",
            "RUF001,RUF002,RUF003",
            *packages,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:]
