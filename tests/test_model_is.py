"""What `is` copies: the fields and unknown_fields (the model_is golden case)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from specbind.parse.load import load_text
from specbind.resolve import build_api

CASE = Path(__file__).parent / "cases" / "model_is"


@pytest.fixture(scope="module")
def package() -> Iterator[ModuleType]:
    sys.path.insert(0, str(CASE / "expected"))
    try:
        import model_is

        yield model_is
    finally:
        sys.path.remove(str(CASE / "expected"))


def test_is_copies_unknown_fields_and_the_model_may_override_it() -> None:
    api = build_api(load_text((CASE / "spec.yaml").read_text("utf-8"), "spec.yaml"))
    forbid = {m.name: m.forbid_unknown for m in api.models}
    assert forbid == {
        "Request": True,
        "StreamRequest": True,
        "ChainedRequest": True,
        "LenientRequest": False,
    }
    fields = {m.name: [f.wire_name for f in m.fields] for m in api.models}
    assert fields["StreamRequest"] == ["prompt", "stop", "stream", "extra"]
    assert fields["ChainedRequest"] == fields["StreamRequest"]
    assert fields["LenientRequest"] == ["prompt", "stop", "stream"]
    assert api.model("ChainedRequest").doc.startswith("Two steps")
    assert api.model("StreamRequest").doc == ""  # the doc is not copied


def test_a_derived_request_rejects_unknown_keys(package: ModuleType) -> None:
    payload = {"prompt": "x", "surprise": 1}
    for name in ("StreamRequest", "ChainedRequest"):
        with pytest.raises(Exception) as info:
            package.converter.structure(payload, getattr(package, name))
        assert "surprise" in " ".join(package.converters.describe_error(info.value))
    lenient = package.converter.structure(payload, package.LenientRequest)
    assert lenient.prompt == "x"
