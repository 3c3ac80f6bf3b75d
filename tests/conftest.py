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
