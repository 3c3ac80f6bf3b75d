"""The styles agree with the attrs bindings, and lose exactly what docs/styles.md says.

Payloads come from the IR (``tests/strategies.py`` builds attrs instances; their JSON is
what the bindings send). hypothesis-jsonschema would generate them from the schema, but
its 0.23 release no longer runs on current hypothesis. Every payload is parsed by every
style and by the attrs bindings, turned back into JSON, and compared: equal JSON where a
style keeps the three states, equal after filling in what the style fills in elsewhere.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import mistral_fim
import msgspec
import pydantic
import pytest
from cattrs.errors import BaseValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specbind import ir
from specbind.render.shared.jsonschema import schema_text
from specbind.render.styles.catalog import FEATURES, STYLES
from specbind.render.styles.renderer import render_style
from specbind.resolve import load_api

from .conftest import GENERATED, ROOT, laid_out
from .strategies import Instances, complete, missing_tag

API = load_api(ROOT / "spec" / "mistral_fim.yaml")
INSTANCES = Instances(API, mistral_fim.models)
STYLE_DIR = GENERATED / "styles"
sys.path.insert(0, str(STYLE_DIR))
MODULES = {s.name: importlib.import_module(f"mistral_fim_{s.name}") for s in STYLES}
KEEPS = {s.name: s.keeps for s in STYLES}
MODELS = [m.name for m in API.models]
VALID_REQUEST: dict[str, Any] = {"model": "codestral-latest", "prompt": "def"}


# --- parsing and dumping, as docs/styles.md tells a user to ------------------------


@functools.cache
def adapter(style: str, name: str) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(getattr(MODULES[style], name))


def round_trip(style: str, name: str, payload: Any) -> Any:
    """Parse a JSON payload with one style, and give back its JSON."""
    text = json.dumps(payload)
    if style == "attrs":
        cls = getattr(mistral_fim, name)
        return mistral_fim.converter.unstructure(
            mistral_fim.converter.structure(json.loads(text), cls)
        )
    cls = getattr(MODULES[style], name)
    if style == "pydantic":
        return cls.model_validate(json.loads(text)).model_dump(
            mode="json", by_alias=True, exclude_unset=True
        )
    if style == "msgspec":
        return msgspec.to_builtins(msgspec.json.decode(text, type=cls))
    value = adapter(style, name).validate_json(text, strict=True)
    return adapter(style, name).dump_python(value, mode="json")


def rejects(style: str, name: str, payload: Any) -> bool:
    """Does the style refuse the payload with a validation error (not any other bug)?"""
    try:
        round_trip(style, name, payload)
    except (pydantic.ValidationError, msgspec.ValidationError, BaseValidationError):
        return True
    return False


# --- what a style fills in: walk the JSON beside its attrs instance -------------------


def fill(payload: Any, value: Any, *, nulls: bool) -> Any:
    """``payload`` with every absent field that has a default (or ``server_default``) set
    to it, and with ``nulls`` every other absent optional field set to ``null``.

    ``value`` is the attrs instance the bindings made of ``payload``: it says which model
    (and which union member) each JSON object is, so the walk needs no union logic.
    """
    if attrs.has(type(value)):
        model = API.model(type(value).__name__)
        out = dict(payload)
        for field in model.fields:
            if field.wire_name in payload:
                inner = getattr(value, field.python_name)
                if payload[field.wire_name] is not None:
                    out[field.wire_name] = fill(
                        payload[field.wire_name], inner, nulls=nulls
                    )
            elif field.has_default:
                out[field.wire_name] = field.default
            elif field.server_default is not ir.NO_VALUE:
                out[field.wire_name] = field.server_default
            elif nulls:
                out[field.wire_name] = None
        return out
    if isinstance(payload, list) and isinstance(value, list):
        return [fill(p, v, nulls=nulls) for p, v in zip(payload, value, strict=True)]
    if isinstance(payload, dict) and isinstance(value, dict):
        return {k: fill(payload[k], value[k], nulls=nulls) for k in payload}
    return payload


def expected(style: str, name: str, payload: Any) -> Any:
    """The JSON a style gives back for ``payload``, by what docs/styles.md says it keeps."""
    keeps = KEEPS[style]
    if "three_states" in keeps and style != "msgspec":
        return payload
    instance = mistral_fim.converter.structure(payload, getattr(mistral_fim, name))
    return fill(payload, instance, nulls="three_states" not in keeps)


def _json(instance: Any) -> Any:
    """The instance's JSON, or ``None`` when an ``any`` field holds a non-finite float."""
    try:
        text = json.dumps(mistral_fim.converter.unstructure(instance), allow_nan=False)
    except ValueError:
        return None
    return json.loads(text)


def payloads(name: str) -> st.SearchStrategy[Any]:
    return INSTANCES.named(name).map(_json).filter(lambda payload: payload is not None)


# --- agreement --------------------------------------------------------------------


@pytest.mark.parametrize("name", MODELS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_style_reads_what_the_bindings_send(
    name: str, data: st.DataObject
) -> None:
    payload = data.draw(payloads(name))
    instance = mistral_fim.converter.structure(payload, getattr(mistral_fim, name))
    # The bindings fill in an absent key's `default` (never a `server_default`).
    sent = complete(payload, instance, API, server=False)
    assert round_trip("attrs", name, payload) == sent
    for style in MODULES:
        if "tag_optional" not in KEEPS[style] and missing_tag(API, payload, instance):
            # docs/styles.md: a tagged Struct needs its tag in a union.
            assert rejects(style, name, payload), style
            tagged = fill(payload, instance, nulls=False)
            assert round_trip(style, name, tagged) == expected(style, name, tagged)
            continue
        assert round_trip(style, name, payload) == expected(style, name, payload), style


@pytest.mark.parametrize("style", list(MODULES))
def test_the_fim_example_agrees(style: str) -> None:
    payload = {
        "model": None,
        "prompt": "def add(a, b):",
        "suffix": "return a + b",
        "temperature": 0.2,
        "stop": ["\n\n"],
        "random_seed": None,
    }
    attrs_json = round_trip("attrs", "FIMCompletionRequest", payload)
    assert attrs_json == {**payload, "top_p": 1.0, "stream": False}
    assert round_trip(style, "FIMCompletionRequest", payload) == expected(
        style, "FIMCompletionRequest", payload
    )


# --- rejection, claim by claim ----------------------------------------------------

INVALID: list[tuple[str, dict[str, Any]]] = [
    ("strict", {"temperature": "0.2"}),
    ("strict", {"max_tokens": 1.9}),
    ("strict", {"stream": "false"}),
    ("strict", {"prompt": 123}),
    ("strict", {"stop": 5}),
    ("strict", {"stop": ["a", 1]}),
    ("constraints", {"temperature": 1.6}),
    ("constraints", {"top_p": -0.5}),
    ("constraints", {"max_tokens": -1}),
    ("constraints", {"min_tokens": -3}),
    ("always", {"top_p": None}),  # not nullable, and has a default: never `X | None`
    ("always", {"stream": None}),
    ("null_rejected", {"stop": None}),
    ("unknown_keys", {"seed": 1}),
]


@pytest.mark.parametrize("style", ["attrs", *MODULES])
@pytest.mark.parametrize(("feature", "change"), INVALID)
def test_invalid_payloads_are_rejected_where_the_style_checks(
    style: str, feature: str, change: dict[str, Any]
) -> None:
    keeps = KEEPS.get(style, frozenset(f.key for f in FEATURES)) | {"always"}
    payload = {**VALID_REQUEST, **change}
    assert rejects(style, "FIMCompletionRequest", payload) == (feature in keeps)


@pytest.mark.parametrize("style", ["attrs", *MODULES])
def test_missing_required_keys_are_rejected(style: str) -> None:
    assert rejects(style, "FIMCompletionRequest", {"model": "m"})
    assert rejects(style, "FIMCompletionRequest", {"prompt": "p"})
    assert rejects(style, "UsageInfo", {"prompt_tokens": 1, "total_tokens": 2})


@pytest.mark.parametrize("style", list(MODULES))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_wrong_types_anywhere_in_a_request_are_rejected(
    style: str, data: st.DataObject
) -> None:
    payload = data.draw(payloads("FIMCompletionRequest"))
    field = data.draw(st.sampled_from(API.model("FIMCompletionRequest").fields))
    wrong: dict[str, Any] = {
        "str": 1,
        "int": data.draw(st.sampled_from([0.5, "1", True])),
        "float": data.draw(st.sampled_from(["0.5", False, [1.0]])),
        "bool": data.draw(st.sampled_from(["true", 1, 0])),
    }
    type_ = field.type
    bad = wrong[type_.name] if isinstance(type_, ir.PrimitiveType) else {"x": 1}
    payload[field.wire_name] = bad
    assert rejects("attrs", "FIMCompletionRequest", payload)
    assert rejects(style, "FIMCompletionRequest", payload)


# --- the other claims of docs/styles.md -------------------------------------------


@pytest.mark.parametrize("style", list(MODULES))
def test_defaults_and_server_defaults(style: str) -> None:
    keeps = KEEPS[style]
    back = round_trip(style, "FIMCompletionRequest", VALID_REQUEST)
    assert ("suffix" not in back) == ("server_default_unsent" in keeps)
    text = json.dumps(VALID_REQUEST)
    module = MODULES[style]
    if style == "pydantic":
        parsed: Any = module.FIMCompletionRequest.model_validate_json(text)
    elif style == "msgspec":
        parsed = msgspec.json.decode(text, type=module.FIMCompletionRequest)
    else:
        parsed = adapter(style, "FIMCompletionRequest").validate_json(text, strict=True)
    top_p = parsed.get("top_p") if isinstance(parsed, dict) else parsed.top_p
    assert (top_p == 1.0) == ("defaults" in keeps)


@pytest.mark.parametrize("style", list(MODULES))
def test_open_enums_keep_unknown_values(style: str) -> None:
    payload = {"index": 0, "message": {}, "finish_reason": "a_new_reason"}
    back = round_trip(style, "ChatCompletionChoice", payload)
    assert (back["finish_reason"] == "a_new_reason") == ("open_enums" in KEEPS[style])
    assert rejects(style, "AssistantMessage", {"role": "user"})  # closed


@pytest.mark.parametrize("style", list(MODULES))
def test_tagged_union_members_without_their_tag(style: str) -> None:
    payload = {"content": [{"text": "x"}, {"type": "image_url", "image_url": "u"}]}
    accepted = not rejects(style, "AssistantMessage", payload)
    assert accepted == ("tag_optional" in KEEPS[style])
    assert not rejects("attrs", "AssistantMessage", payload)
    tagged = {"content": [{"type": "text", "text": "x"}]}
    assert not rejects(style, "AssistantMessage", tagged)
    assert rejects(
        style, "AssistantMessage", {"content": [{"type": "text", "image_url": "u"}]}
    )


@pytest.mark.parametrize("style", list(MODULES))
def test_three_states(style: str) -> None:
    absent = {"index": 0, "delta": {}, "finish_reason": None}
    null = {"index": 0, "delta": {"role": None}, "finish_reason": None}
    value = {"index": 0, "delta": {"role": "assistant"}, "finish_reason": "stop"}
    backs = [
        round_trip(style, "CompletionResponseStreamChoice", p)
        for p in (absent, null, value)
    ]
    kept = backs == [absent, null, value]
    assert kept == ("three_states" in KEEPS[style])
    assert len({json.dumps(b, sort_keys=True) for b in backs}) == (
        3 if "three_states" in KEEPS[style] else 2
    )


@pytest.mark.parametrize("style", list(MODULES))
def test_docs_and_examples_in_the_source(style: str) -> None:
    source = (STYLE_DIR / f"mistral_fim_{style}.py").read_text("utf-8")
    assert ("The text/code to complete." in source) == ("docs" in KEEPS[style])
    assert ('"codestral-2405"' in source) == ("examples" in KEEPS[style])


def test_wire_names_that_are_not_python_names() -> None:
    """The names_and_text case's styles: ``from``, ``top-p``, ``2fa`` and ``$ref``."""
    folder = ROOT / "tests" / "cases" / "names_and_text" / "expected" / "styles"
    sys.path.insert(0, str(folder))
    try:
        modules: dict[str, Any] = {
            s.name: importlib.import_module(f"names_and_text_{s.name}") for s in STYLES
        }
    finally:
        sys.path.remove(str(folder))
    payload = {"from": "x", "top-p": 0.5, "top_p": 0.25, "2fa": True, "$ref": "#/a|b"}
    kept = {
        "pydantic": modules["pydantic"]
        .Awkward.model_validate(payload)
        .model_dump(mode="json", by_alias=True, exclude_unset=True)
        == payload,
        "msgspec": {
            k: v
            for k, v in msgspec.to_builtins(
                msgspec.json.decode(
                    json.dumps(payload), type=modules["msgspec"].Awkward
                )
            ).items()
            if k != "note"  # a default, filled in
        }
        == payload,
        "typeddict": set(payload) <= set(modules["typeddict"].Awkward.__annotations__),
        "dataclasses": set(payload)
        <= {f for f in modules["dataclasses"].Awkward.__dataclass_fields__},
    }
    for style, keeps in kept.items():
        assert keeps == ("wire_names" in KEEPS[style]), style


# --- the files themselves ---------------------------------------------------------


def test_every_feature_is_in_the_table() -> None:
    page = (GENERATED / "docs" / "styles.md").read_text("utf-8")
    for feature in FEATURES:
        assert feature.label.replace("|", "\\|") in page
    for style in STYLES:
        header = (STYLE_DIR / f"mistral_fim_{style.name}.py").read_text("utf-8")
        assert header.startswith("# Generated by specbind from mistral_fim.yaml")
        for feature in style.lost():
            assert f"# - {feature.label}" in header


def test_styles_are_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    """datamodel-code-generator's output must not depend on set or dict order.

    Each run has its own empty cache, so datamodel-code-generator really runs in it.
    """
    code = (
        "import sys, hashlib\n"
        "from pathlib import Path\n"
        "from specbind.resolve import load_api\n"
        "from specbind.render.styles.renderer import StylesRenderer\n"
        "api = load_api(Path(sys.argv[1]))\n"
        "for f in StylesRenderer().render(api):\n"
        "    print(f.path, hashlib.sha256(f.content.encode()).hexdigest())\n"
    )
    runs = []
    for seed in ("0", "1", "4242"):
        cache = tmp_path / f"cache-{seed}"
        result = subprocess.run(
            [sys.executable, "-c", code, str(ROOT / "spec" / "mistral_fim.yaml")],
            capture_output=True,
            text=True,
            check=True,
            env={
                "PYTHONHASHSEED": seed,
                "PATH": "/usr/bin:/bin",
                "SPECBIND_CACHE_DIR": str(cache),
            },
            cwd=tmp_path,
        )
        assert len(list((cache / "styles").glob("*.entry"))) == len(STYLES)
        runs.append(result.stdout)
    assert runs[0] == runs[1] == runs[2]
    assert len(runs[0].splitlines()) == len(STYLES) + 1


def test_committed_styles_are_the_rendered_ones(empty_cache: Path) -> None:
    schema = schema_text(API)
    for style in STYLES:
        text = (STYLE_DIR / f"mistral_fim_{style.name}.py").read_text("utf-8")
        assert text == laid_out(
            "mistral_fim", style.name, render_style(API, schema, style)
        )
    assert len(list((empty_cache / "styles").glob("*.entry"))) == len(STYLES)


@pytest.mark.parametrize("style", list(MODULES))
def test_style_imports_alone(style: str) -> None:
    """Each module needs only its own library (and typing_extensions)."""
    allowed: dict[str, set[str]] = {
        "pydantic": {"pydantic", "typing_extensions"},
        "msgspec": {"msgspec"},
        "typeddict": {"typing_extensions"},
        "dataclasses": set(),
    }
    source = (STYLE_DIR / f"mistral_fim_{style}.py").read_text("utf-8")
    imported = {
        line.split()[1].split(".")[0]
        for line in source.splitlines()
        if line.startswith(("import ", "from "))
    }
    assert imported - set(sys.stdlib_module_names) - {"__future__"} == allowed[style]


UNION_ENUM_DEFAULT = ROOT / "tests" / "cases" / "union_enum_default" / "spec.yaml"


def test_a_union_default_is_its_enum_member_and_passes_mypy(
    tmp_path: Path, empty_cache: Path
) -> None:
    """A default that is a value of a named union's enum (Mistral's ``tool_choice``):
    datamodel-code-generator writes it as the member, so every style passes --strict."""
    api = load_api(UNION_ENUM_DEFAULT)
    schema = schema_text(api)
    paths = []
    for style in STYLES:
        path = tmp_path / f"{api.package}_{style.name}.py"
        path.write_text(render_style(api, schema, style), "utf-8")
        paths.append(str(path))
    cache = ["--cache-dir", str(tmp_path / "mypy-cache")]
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *cache, *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout
    dataclasses_style = (tmp_path / f"{api.package}_dataclasses.py").read_text("utf-8")
    assert "tool_choice: ToolChoice | ToolChoiceEnum = ToolChoiceEnum.auto" in (
        dataclasses_style
    )


def test_a_script_without_a_main_guard_still_gets_every_style(tmp_path: Path) -> None:
    """Each styles worker imports the program's main module again; a script that runs
    specbind at its top level kills them. specbind then renders the styles itself,
    says why, and the output is the same."""
    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "out"
    script = tmp_path / "script.py"
    script.write_text(
        "from specbind.cli import main\n"
        f"print('exit', main(['generate', {str(root / 'spec/mistral_fim.yaml')!r},"
        f" '--out', {str(out)!r}]))\n",
        "utf-8",
    )
    run = subprocess.run(
        [sys.executable, str(script)],
        env={**os.environ, "SPECBIND_CACHE_DIR": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert (run.returncode, run.stdout.splitlines()[-1:]) == (0, ["exit 0"]), run.stderr
    assert 'needs an `if __name__ == "__main__":` guard' in run.stderr
    written = sorted(p.name for p in (out / "styles").glob("*.py"))
    assert written == [
        f"mistral_fim_{style.name}.py" for style in sorted(STYLES, key=lambda s: s.name)
    ]
    for name in written:
        expected = (root / "generated" / "styles" / name).read_text("utf-8")
        assert (out / "styles" / name).read_text("utf-8") == expected
