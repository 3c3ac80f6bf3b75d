"""The golden cases that generate a package, each with its IR and its committed output.

Each package is imported from ``tests/cases/<case>/expected`` under its own name (no two
cases share one), so tests can run its converter against strategies built from its IR.
"""

from __future__ import annotations

import functools
import importlib
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs

from specbind import ir
from specbind.resolve import load_api

from .strategies import Instances

CASES_DIR = Path(__file__).parent / "cases"
CASES = sorted(p.parent.name for p in CASES_DIR.glob("*/expected"))


@attrs.frozen
class Golden:
    name: str
    api: ir.Api
    package: ModuleType
    models: ModuleType
    schema: dict[str, Any]
    instances: Instances


@functools.cache
def golden(name: str) -> Golden:
    case = CASES_DIR / name
    api = load_api(case / "spec.yaml")
    expected = case / "expected"
    sys.path.insert(0, str(expected))
    try:
        package = importlib.import_module(api.package)
        models = importlib.import_module(f"{api.package}.models")
        package.converter  # noqa: B018 (imports the converters module now)
    finally:
        sys.path.remove(str(expected))
    schema_file = expected / "schema" / f"{api.package}.schema.json"
    schema = json.loads(schema_file.read_text("utf-8"))
    return Golden(name, api, package, models, schema, Instances(api, models))
