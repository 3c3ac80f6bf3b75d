"""Structuring fills in a ``default`` exactly as the model's constructor does:
``converter.structure(d, M) == M(**kwargs of d)`` for every model of the default spec and
of every golden case, on random payloads. A ``server_default`` is documentation only:
its absent key stays ``UNSET``.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specbind import ir
from specbind.resolve import load_api

from .conftest import GENERATED, ROOT
from .strategies import Instances, with_defaults

CASES = Path(__file__).parent / "cases"


def package_of(expected: Path) -> str:
    return next(p.name for p in expected.iterdir() if (p / "__init__.py").exists())


def packages() -> list[tuple[ir.Api, ModuleType]]:
    """The default spec's package and every golden case's, with their APIs."""
    out = [(load_api(ROOT / "spec" / "mistral_fim.yaml"), GENERATED / "mistral_fim")]
    for spec in sorted(CASES.glob("*/spec.yaml")):
        if (spec.parent / "expected").is_dir():
            expected = spec.parent / "expected"
            out.append((load_api(spec), expected / package_of(expected)))
    loaded = []
    for api, folder in out:
        if str(folder.parent) not in sys.path:
            sys.path.insert(0, str(folder.parent))
        loaded.append((api, importlib.import_module(folder.name)))
    return loaded


PACKAGES = packages()
# A model with a file part is a multipart body, never JSON.
MODELS = [
    (api, package, model)
    for api, package in PACKAGES
    for model in api.models
    if all(f.type != ir.PrimitiveType("bytes") for f in model.fields)
]
INSTANCES = {
    package.__name__: Instances(api, package.models) for api, package in PACKAGES
}


def wire(package: ModuleType, instance: Any) -> Any:
    """The instance's JSON, or ``None`` when an ``any`` field holds a non-finite float."""
    try:
        text = json.dumps(package.converter.unstructure(instance), allow_nan=False)
    except ValueError:
        return None
    return json.loads(text)


@pytest.mark.parametrize(
    ("api", "package", "model"),
    MODELS,
    ids=[f"{p.__name__}.{m.name}" for _, p, m in MODELS],
)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_structure_is_the_constructor_of_the_keys_present(
    api: ir.Api, package: ModuleType, model: ir.Model, data: st.DataObject
) -> None:
    instance = data.draw(INSTANCES[package.__name__].named(model.name))
    payload = wire(package, instance)
    if payload is None:
        return
    cls = getattr(package, model.name)
    # What each present key holds, as the bindings read it back (nested defaults too).
    kwargs = {
        f.python_name: with_defaults(
            getattr(instance, f.python_name), api, package.UNSET
        )
        for f in model.fields
        if f.wire_name in payload
    }
    assert package.converter.structure(payload, cls) == cls(**kwargs)


def test_a_list_default_is_a_new_list_each_time() -> None:
    unions_enums = importlib.import_module("unions_enums")
    payload = {"shapes": [], "status": None}
    first = unions_enums.converter.structure(payload, unions_enums.Drawing)
    second = unions_enums.converter.structure(payload, unions_enums.Drawing)
    assert first.history == [unions_enums.Status.DRAFT, unions_enums.Status.DONE]
    assert first.meta == {"source": None}
    assert first.history is not second.history
    assert first.meta is not second.meta


def test_a_server_default_stays_unset() -> None:
    three_state = importlib.import_module("three_state")
    settings = three_state.converter.structure(
        {"name": "a", "owner": None}, three_state.Settings
    )
    assert settings.limit == 10  # default: 10
    assert settings.label is three_state.UNSET  # server_default: ""
    assert three_state.converter.unstructure(settings) == {
        "name": "a",
        "owner": None,
        "limit": 10,
        "enabled": True,
    }
