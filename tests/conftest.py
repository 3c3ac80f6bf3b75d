from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .server import LoopbackServer, serve

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
REFERENCE = Path(__file__).resolve().parent / "reference"

# The committed package, imported the way a downstream project vendors it.
sys.path.insert(0, str(GENERATED))


def laid_out(package: str, style: str, code: str) -> str:
    """A style's module as ``specbind generate`` writes it: datamodel-code-generator's
    code through the format step (ruff's layout, imports sorted)."""
    from specbind.formatting import format_python
    from specbind.render.shared.base import OutputFile

    module = OutputFile(f"styles/{package}_{style}.py", code)
    return format_python([module], [package])[0].content


@pytest.fixture(scope="session", autouse=True)
def private_caches(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The whole run uses a temporary styles cache (subprocesses inherit it), and the
    platform's default cache folder points at a stand-in where specbind writes nothing:
    no test writes into the user's home."""
    cache = tmp_path_factory.mktemp("specbind-cache")
    stand_in = tmp_path_factory.mktemp("xdg-cache-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPECBIND_CACHE_DIR", str(cache))
        patch.setenv("XDG_CACHE_HOME", str(stand_in))
        patch.delenv("SPECBIND_NO_CACHE", raising=False)
        yield stand_in
    # Other tools may cache here too (fontconfig under chromium); specbind must not.
    written = stand_in / "specbind"
    assert not written.exists(), f"a test wrote the default cache: {written}"


@pytest.fixture
def empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty styles cache: datamodel-code-generator really runs."""
    folder = tmp_path / "empty-cache"
    monkeypatch.setenv("SPECBIND_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def loopback() -> Iterator[LoopbackServer]:
    """One loopback HTTP server per test module."""
    yield from serve()


@pytest.fixture
def server(loopback: LoopbackServer) -> Iterator[LoopbackServer]:
    """The module's loopback server, with an empty queue and no recorded requests."""
    loopback.reset()
    yield loopback
    loopback.reset()
