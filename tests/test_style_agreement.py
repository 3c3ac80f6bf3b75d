"""The attrs bindings and every style that keeps three states send the same JSON.

For random valid payloads of every model of the default spec and of every golden case:
parse with each style and dump it back, as docs/styles.md tells a user to; with every
absent ``default`` and ``server_default`` filled in, all agree. The bindings themselves
fill in exactly the ``default``s (a structured payload is what its constructor makes).
"""

from __future__ import annotations

import functools
import importlib
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import msgspec
import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specbind import ir
from specbind.render.styles.catalog import STYLES
from specbind.resolve import load_api

from .conftest import GENERATED, ROOT
from .strategies import Instances, complete, missing_tag

CASES = Path(__file__).parent / "cases"
THREE_STATE = [s.name for s in STYLES if "three_states" in s.keeps]


@attrs.frozen
class Package:
    api: ir.Api
    bindings: ModuleType
    styles: dict[str, ModuleType]

    @functools.cached_property
    def instances(self) -> Instances:
        return Instances(self.api, self.bindings.models)


def load(spec: Path, root: Path, styles: Path) -> Package:
    api = load_api(spec)
    for folder in (root, styles):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    bindings = importlib.import_module(api.package)
    modules = {s: importlib.import_module(f"{api.package}_{s}") for s in THREE_STATE}
    if not usable_by_pydantic(modules["typeddict"]):
        del modules["typeddict"]
    return Package(api, bindings, modules)


def usable_by_pydantic(module: ModuleType) -> bool:
    """docs/styles.md: a module that imports ``typing.TypedDict`` (as the functional
    ``TypedDict(...)`` form does) is refused by pydantic before Python 3.12."""
    source = Path(module.__file__ or "").read_text("utf-8")
    typing_import = re.search(r"^from typing import .*\bTypedDict\b", source, re.M)
    return sys.version_info >= (3, 12) or typing_import is None


PACKAGES = [
    load(ROOT / "spec" / "mistral_fim.yaml", GENERATED, GENERATED / "styles"),
    *(
        load(spec, spec.parent / "expected", spec.parent / "expected" / "styles")
        for spec in sorted(CASES.glob("*/spec.yaml"))
        if (spec.parent / "expected" / "styles").is_dir()
    ),
]
# A model with a file part is a multipart body, never a JSON payload.
MODELS = [
    (p, m.name)
    for p in PACKAGES
    for m in p.api.models
    if all(f.type != ir.PrimitiveType("bytes") for f in m.fields)
]


@functools.cache
def adapter(cls: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(cls)


def round_trip(style: str, cls: Any, text: str) -> Any:
    """Parse JSON text with a style and dump it back, as docs/styles.md says."""
    if style == "pydantic":
        return cls.model_validate(json.loads(text)).model_dump(
            mode="json", by_alias=True, exclude_unset=True
        )
    if style == "msgspec":
        return msgspec.to_builtins(msgspec.json.decode(text, type=cls))
    value = adapter(cls).validate_json(text, strict=True)
    return adapter(cls).dump_python(value, mode="json")


# The types msgspec decodes from a JSON string (a uuid is a str in the msgspec style).
_STR_LIKE = {"str": "str", "uuid": "str", "datetime": "datetime", "date": "date"}


def untagged_structs(api: ir.Api, name: str) -> bool:
    """Does model ``name`` reach a union msgspec cannot decode: two or more models
    without a discriminator (its ``Struct`` variants must be tagged, and
    datamodel-code-generator warns so), or two types it decodes from a string
    (``datetime | date``)?"""
    seen: set[str] = set()

    def reaches(type_: ir.TypeExpr) -> bool:
        inner = ir.innermost(type_)
        if not isinstance(inner, ir.NamedType) or inner.name in seen:
            return False
        seen.add(inner.name)
        if inner.kind == "model":
            return any(reaches(f.type) for f in api.model(inner.name).fields)
        if inner.kind == "union":
            union = next(u for u in api.unions if u.name == inner.name)
            models = [
                v
                for v in union.variants
                if isinstance(v, ir.NamedType) and v.kind == "model"
            ]
            if len(models) > 1 and not union.discriminator:
                return True
            if (
                len(
                    {_STR_LIKE.get(getattr(v, "name", ""), "") for v in union.variants}
                    - {""}
                )
                > 1
            ):
                return True  # msgspec decodes one str-like type per union
            return any(reaches(v) for v in union.variants)
        return False

    return reaches(ir.NamedType(name, "model"))


def wire(package: Package, instance: Any) -> Any:
    """The instance's JSON, or ``None`` when an ``any`` field holds a non-finite float."""
    try:
        unstructured = package.bindings.converter.unstructure(instance)
        return json.loads(json.dumps(unstructured, allow_nan=False))
    except ValueError:
        return None


@pytest.mark.parametrize(
    ("package", "name"), MODELS, ids=[f"{p.api.package}.{n}" for p, n in MODELS]
)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_three_state_styles_send_what_the_bindings_send(
    package: Package, name: str, data: st.DataObject
) -> None:
    payload = wire(package, data.draw(package.instances.named(name)))
    if payload is None:
        return
    api, converter = package.api, package.bindings.converter
    value = converter.structure(payload, getattr(package.bindings, name))
    sent = converter.unstructure(value)
    assert sent == complete(payload, value, api, server=False)
    everything = complete(sent, value, api, server=True)
    for style, module in package.styles.items():
        if style == "msgspec" and untagged_structs(api, name):
            continue
        given_payload = payload
        if style == "msgspec" and missing_tag(api, payload, value):
            given_payload = complete(payload, value, api, server=False)
        out = round_trip(style, getattr(module, name), json.dumps(given_payload))
        assert complete(out, value, api, server=True) == everything, style
