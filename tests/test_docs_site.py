"""The published docs site: mkdocs builds generated/docs, a browser shows the field table.

Needs ``mkdocs`` (with mkdocs-material) and Debian's ``chromium``; ``nox -s docs``
installs the first and ``.ci/run`` the second. Without them the test is skipped.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import ROOT

FIM_FIELDS = [
    "model",
    "prompt",
    "temperature",
    "top_p",
    "max_tokens",
    "stream",
    "stop",
    "random_seed",
    "suffix",
    "min_tokens",
]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _mkdocs() -> list[str] | None:
    try:
        import material  # noqa: F401  (the theme mkdocs.yml names)
        import mkdocs  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "mkdocs"]


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built into a temporary folder and served on 127.0.0.1; yields its URL."""
    mkdocs, chromium = _mkdocs(), _chromium()
    if mkdocs is None:
        pytest.skip(
            "mkdocs and mkdocs-material are not installed (nox -s docs has them)"
        )
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [*mkdocs, "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def dump_dom(url: str, profile: Path) -> str:
    """The page's DOM after its scripts ran, as headless Chromium serialises it."""
    chromium = _chromium()
    assert chromium is not None
    result = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


class _Tables(HTMLParser):
    """Every table's body rows, as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self._in_body:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def test_fim_request_page_shows_every_field(site: str, tmp_path: Path) -> None:
    html = dump_dom(f"{site}/models/fimcompletionrequest/", tmp_path / "profile")
    assert "<h1" in html and "FIMCompletionRequest" in html
    fields = tables(html)[0]
    assert [row[0] for row in fields] == FIM_FIELDS
    assert all(len(row) == len(fields[0]) for row in fields)


def test_index_links_every_page(site: str, tmp_path: Path) -> None:
    html = dump_dom(f"{site}/", tmp_path / "profile")
    for target in (
        "models/fimcompletionrequest/",
        "models/contentchunk/",
        "models/finishreason/",
        "sdks/fim/",
        "styles/",
    ):
        assert f'href="{target}"' in html, target
