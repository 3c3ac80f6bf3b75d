"""Property: every model of the default spec round-trips through the converter and JSON
(a field with a ``default`` left ``UNSET`` is not sent, so it comes back as the default)."""

from __future__ import annotations

import json

import mistral_fim
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specbind.resolve import load_api

from .conftest import ROOT
from .strategies import JSON, Instances, with_defaults

API = load_api(ROOT / "spec" / "mistral_fim.yaml")
INSTANCES = Instances(API, mistral_fim.models)
MODELS = [m.name for m in API.models]


@pytest.mark.parametrize("name", MODELS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_structure_unstructure_round_trip(name: str, data: st.DataObject) -> None:
    cls = getattr(mistral_fim, name)
    instance = data.draw(INSTANCES.named(name))
    wire = json.loads(json.dumps(mistral_fim.converter.unstructure(instance)))
    expected = with_defaults(instance, API, mistral_fim.UNSET)
    assert mistral_fim.converter.structure(wire, cls) == expected


@pytest.mark.parametrize("name", MODELS)
@settings(max_examples=60, deadline=None)
@given(payload=JSON)
def test_random_json_is_rejected_with_a_path_or_accepted_exactly(
    name: str, payload: object
) -> None:
    """Arbitrary JSON either fails with ``@ $...`` messages or survives a round trip."""
    cls = getattr(mistral_fim, name)
    try:
        instance = mistral_fim.converter.structure(payload, cls)
    except Exception as exc:
        messages = mistral_fim.converters.describe_error(exc)
        assert messages
        assert all(" @ $" in m for m in messages)
    else:
        model = API.model(name)
        assert isinstance(payload, dict)
        known = {f.wire_name for f in model.fields}
        assert model.forbid_unknown is False or payload.keys() <= known
        defaulted = {f.wire_name for f in model.fields if f.has_default}
        out = mistral_fim.converter.unstructure(instance)
        assert out.keys() == (payload.keys() & known) | defaulted
        assert mistral_fim.converter.structure(out, cls) == instance
