"""The styles cache: a hit gives exactly what datamodel-code-generator would write now.

Each test gets an empty cache (the ``empty_cache`` fixture), and counts the runs of
datamodel-code-generator to tell a hit from a miss.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from specbind.generate import load_project, render_all
from specbind.render import OUTPUTS, renderers
from specbind.render.shared.jsonschema import schema_text
from specbind.render.styles import cache, renderer
from specbind.render.styles.catalog import STYLES
from specbind.resolve import load_api

from .conftest import GENERATED, ROOT, laid_out

API = load_api(ROOT / "spec" / "mistral_fim.yaml")
SCHEMA = schema_text(API)
PYDANTIC = STYLES[0]


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The options of every datamodel-code-generator run from now on."""
    calls: list[dict[str, Any]] = []
    real = renderer._run_generator

    def counted(prepared: str, options: dict[str, Any]) -> renderer.Rendered:
        calls.append(options)
        return real(prepared, options)

    monkeypatch.setattr(renderer, "_run_generator", counted)
    return calls


def entries(folder: Path) -> list[Path]:
    return sorted((folder / "styles").glob(f"*{cache.SUFFIX}"))


def test_a_cache_hit_equals_a_fresh_render(
    empty_cache: Path, runs: list[dict[str, Any]]
) -> None:
    fresh = {s.name: renderer.render_style(API, SCHEMA, s) for s in STYLES}
    assert len(runs) == len(entries(empty_cache)) == len(STYLES)
    assert {s.name: renderer.render_style(API, SCHEMA, s) for s in STYLES} == fresh
    assert len(runs) == len(STYLES)  # every second render was a hit
    committed = GENERATED / "styles" / "mistral_fim_pydantic.py"
    assert committed.read_text("utf-8") == laid_out(
        "mistral_fim", "pydantic", fresh["pydantic"]
    )


@pytest.mark.parametrize(
    "option",
    [
        {"use_schema_description": False},  # one of the renderer's fixed options
        {"use_field_description": True},  # one of a style's own options
        {"custom_file_header": "# another header"},
    ],
    ids=["fixed", "style", "header"],
)
def test_a_changed_option_is_a_miss(
    option: dict[str, Any],
    empty_cache: Path,
    runs: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = renderer.render_style(API, SCHEMA, PYDANTIC)
    real = renderer.generator_options

    def changed(*args: Any) -> dict[str, Any]:
        return {**real(*args), **option}

    monkeypatch.setattr(renderer, "generator_options", changed)
    after = renderer.render_style(API, SCHEMA, PYDANTIC)
    assert len(runs) == 2 and runs[1].items() >= option.items()
    assert after != before
    monkeypatch.setenv(cache.OFF_VARIABLE, "1")
    assert after == renderer.render_style(API, SCHEMA, PYDANTIC)


@pytest.mark.parametrize(
    "change",
    [
        ("installed_generator_version", lambda: "0.88.0"),
        ("renderer_digest", lambda: "another renderer"),
    ],
    ids=["generator-version", "renderer-code"],
)
def test_another_generator_or_renderer_is_a_miss(
    change: tuple[str, Any],
    empty_cache: Path,
    runs: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    renderer.render_style(API, SCHEMA, PYDANTIC)
    monkeypatch.setattr(renderer, *change)
    renderer.render_style(API, SCHEMA, PYDANTIC)
    assert len(runs) == 2
    assert len(entries(empty_cache)) == 2


def test_another_schema_or_python_is_another_key() -> None:
    options = renderer.generator_options(API, PYDANTIC)
    keys = {
        renderer.cache_key("{}", options),
        renderer.cache_key('{"type": "object"}', options),
        renderer.cache_key("{}", {**options, "target_python_version": "3.11"}),
    }
    assert len(keys) == 3
    assert renderer.cache_key("{}", options) == renderer.cache_key("{}", dict(options))


def test_the_renderer_digest_covers_its_code_and_templates(tmp_path: Path) -> None:
    copy = tmp_path / "styles"
    shutil.copytree(
        Path(renderer.__file__).parent,
        copy,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    assert renderer.folder_digest(copy) == renderer.renderer_digest()
    for edited in (copy / "templates" / "styles.md.j2", copy / "catalog.py"):
        before = renderer.folder_digest(copy)
        edited.write_text(edited.read_text("utf-8") + "\n", "utf-8")
        assert renderer.folder_digest(copy) != before


def test_only_the_most_recently_used_entries_are_kept(
    empty_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    for key in ("k0", "k1", "k2"):
        cache.put(key, key)
    assert cache.get("k0") == "k0"  # used: now the newest
    cache.put("k3", "k3")
    cache.put("k4", "k4")
    assert [p.stem for p in entries(empty_cache)] == ["k0", "k3", "k4"]
    assert cache.get("k1") is None and cache.get("k2") is None


def test_a_full_render_keeps_the_bound(
    empty_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    for style in STYLES:
        renderer.render_style(API, SCHEMA, style)
    assert len(list((empty_cache / "styles").iterdir())) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data.replace(b"class", b"klass", 1),  # text changed
        lambda data: b"\xff\xfe" + data,  # not even the digest line
        lambda data: b"",
    ],
    ids=["truncated", "edited", "garbage", "empty"],
)
def test_a_damaged_entry_is_ignored_and_rewritten(
    damage: Any, empty_cache: Path, runs: list[dict[str, Any]]
) -> None:
    fresh = renderer.render_style(API, SCHEMA, PYDANTIC)
    [entry] = entries(empty_cache)
    entry.write_bytes(damage(entry.read_bytes()))
    assert renderer.render_style(API, SCHEMA, PYDANTIC) == fresh
    assert len(runs) == 2  # the damaged entry was not used...
    assert json.loads(cache.get(entry.stem) or "")["code"] == fresh  # ...written again


def test_a_failed_write_leaves_no_entry_and_no_temp_file(
    empty_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    fresh = renderer.render_style(API, SCHEMA, PYDANTIC)
    assert fresh.startswith("# Generated by specbind")
    assert list((empty_cache / "styles").iterdir()) == []


def test_the_cache_can_be_turned_off(
    empty_cache: Path, runs: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.OFF_VARIABLE, "1")
    renderer.render_style(API, SCHEMA, PYDANTIC)
    renderer.render_style(API, SCHEMA, PYDANTIC)
    assert len(runs) == 2
    assert not empty_cache.exists()


def test_an_unwritable_cache_is_only_slower(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.DIR_VARIABLE, str(blocker))
    assert renderer.render_style(API, SCHEMA, PYDANTIC).startswith(
        "# Generated by specbind"
    )


def test_the_default_location_is_the_platform_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cache.DIR_VARIABLE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.location() == tmp_path / "specbind" / "styles"


def test_the_suite_never_writes_the_home_cache(
    tmp_path: Path, private_caches: Path
) -> None:
    """conftest gives the run its own cache, inherited by every `specbind` subprocess;
    the default location is a stand-in (not the home folder) and stays empty."""
    own = Path(os.environ[cache.DIR_VARIABLE])
    assert not own.is_relative_to(Path.home())
    assert not private_caches.is_relative_to(Path.home())
    subprocess.run(
        [sys.executable, "-m", "specbind", "generate", "--out", str(tmp_path / "out")],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    assert len(entries(own)) >= len(STYLES)
    assert not (private_caches / "specbind").exists()


def test_old_and_abandoned_files_are_removed_on_the_next_write(
    empty_cache: Path,
) -> None:
    """A temp file of a killed writer, or an entry of the old format (``<key>.py``)."""
    folder = empty_cache / "styles"
    folder.mkdir(parents=True)
    old, recent = folder / "0123.py", folder / "tmpabc.tmp"
    for path in (old, recent):
        path.write_text("left over")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    cache.put("k", "text")
    assert sorted(p.name for p in folder.iterdir()) == ["k.entry", "tmpabc.tmp"]


def test_the_styles_not_cached_are_rendered_in_processes_of_their_own(
    empty_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each style is a whole parse of the schema: the missing ones go to a pool at
    once (side by side), and a warm cache starts no pool at all."""
    submitted: list[str] = []
    senders: set[threading.Thread] = set()
    real = renderer.ProcessPoolExecutor

    class Counted(real):  # type: ignore[misc, valid-type]
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            submitted.append(args[1]["output_model_type"])
            senders.add(threading.current_thread())
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(renderer, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    cold = renderer.render_styles(API, SCHEMA, STYLES)
    assert sorted(submitted) == sorted(s.model_type for s in STYLES)
    # Sent by a thread of their own: starting the workers waits for the fork
    # server's preload, and the main thread renders the other outputs meanwhile.
    assert len(senders) == 1 and threading.main_thread() not in senders
    assert [
        laid_out("mistral_fim", s.name, r.code)
        for s, r in zip(STYLES, cold, strict=True)
    ] == [
        (GENERATED / "styles" / f"mistral_fim_{s.name}.py").read_text("utf-8")
        for s in STYLES
    ]
    assert renderer.render_styles(API, SCHEMA, STYLES) == cold
    assert len(submitted) == len(STYLES)


def test_the_styles_render_while_the_other_outputs_do(
    empty_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every spec's styles go to the workers before any output is rendered, and each
    spec's are collected after its other outputs: the parses run meanwhile."""
    events: list[str] = []
    real_submit = renderer._WORKERS.submit
    real_results = renderer.Pending.results

    def submit(jobs: Any) -> Any:
        events.append("styles sent")
        return real_submit(jobs)

    def results(self: renderer.Pending) -> list[renderer.Rendered]:
        events.append("styles collected")
        return real_results(self)

    def recorded(cls: Any) -> None:
        real = cls.render

        def render(self: Any, api: Any, layout: Any) -> Any:
            events.append(cls.name)
            yield from real(self, api, layout)

        monkeypatch.setattr(cls, "render", render)

    for output in OUTPUTS[:-1]:
        recorded(type(renderers([output])[0]))
    monkeypatch.setattr(renderer._WORKERS, "submit", submit)
    monkeypatch.setattr(renderer.Pending, "results", results)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    specs = [
        ROOT / "tests" / "cases" / c / "spec.yaml" for c in ("three_state", "recursive")
    ]
    files = render_all(load_project(specs))
    one_spec = [*OUTPUTS[:-1], "styles collected"]
    assert events == ["styles sent", "styles sent", *one_spec, *one_spec]
    assert {f.path for f in files} >= {
        f"styles/{p}_{s.name}.py" for p in ("three_state", "recursive") for s in STYLES
    }
    assert renderer._WORKERS._pool is None  # shut down with the last collected


def test_msgspec_warnings_are_in_styles_md_not_on_stderr(
    empty_cache: Path, tmp_path: Path
) -> None:
    """datamodel-code-generator warns of unions msgspec cannot decode; specbind
    says so in styles.md instead, the same on a cold and on a warm cache."""
    spec = ROOT / "tests" / "cases" / "recursive_union" / "spec.yaml"
    pages = []
    for run in ("cold", "warm"):
        result = subprocess.run(
            [sys.executable, "-m", "specbind", "generate", str(spec), "--out", run],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            text=True,
        )
        assert "Warning" not in result.stderr
        pages.append((tmp_path / run / "docs" / "styles.md").read_text("utf-8"))
    assert pages[0] == pages[1]
    assert "- `Number`: its variants `Even`, `Odd` are untagged `Struct`s" in pages[0]
