"""The published docs site as a reader sees it, in headless Chromium.

mkdocs builds generated/docs (``mkdocs.yml``, ``docs_site/``) into a temporary folder,
served on 127.0.0.1; Playwright drives Debian's ``chromium``. ``nox -s docs`` installs
mkdocs, mkdocs-material and Playwright, ``.ci/run`` installs chromium. Without one of
them the tests are skipped, with how to install it; under ``CI=true`` they fail.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from .conftest import ROOT
from .test_roots import project

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
LAPTOP = {"width": 1366, "height": 768}
REQUEST_PAGE = "models/fimcompletionrequest/"
SHORTCODE = re.compile(r":[a-z0-9_+-]+:")

# For each cell of the page's first table: the words the browser broke over two lines,
# and whether the cell stands inside the part of the table the reader can see.
_TABLE_LAYOUT_JS = """
() => {
  const table = document.querySelector("article table");
  const frame = (table.closest(".md-typeset__scrollwrap") || table.parentElement)
    .getBoundingClientRect();
  const broken = [];
  const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set(
        [...range.getClientRects()].filter((r) => r.width > 0).map((r) => r.top)
      );
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  const hidden = [...table.querySelectorAll("th, td")]
    .filter((cell) => {
      const box = cell.getBoundingClientRect();
      return box.left < frame.left - 1 || box.right > frame.right + 1
        || cell.scrollWidth > cell.clientWidth + 1;
    })
    .map((cell) => cell.innerText.trim().slice(0, 40));
  const rows = [...table.querySelectorAll("tbody tr")].map(
    (row) => [...row.cells].map((cell) => cell.innerText.trim())
  );
  return {broken, hidden, rows, width: frame.width};
}
"""


def missing(what: str, how: str) -> NoReturn:
    """Skip for want of a tool, saying how to get it; under CI, fail instead."""
    message = f"{what} is not installed ({how})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must run the docs site tests", pytrace=False)
    pytest.skip(message)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        missing("chromium", "apt-get install chromium")
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built into a temporary folder and served on 127.0.0.1; yields its URL."""
    try:
        import material  # noqa: F401  (the theme mkdocs.yml names)
        import mkdocs  # noqa: F401
    except ImportError:
        missing("mkdocs with mkdocs-material", "nox -s docs installs them")
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
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
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser(site: str) -> Iterator[Any]:
    executable = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright", "nox -s docs installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh tab the size of a laptop screen."""
    context = browser.new_context(viewport=LAPTOP)
    context.set_default_timeout(30_000)
    try:
        yield context.new_page()
    finally:
        context.close()


# The request's fields: the model's page, and the parameters of `fim.complete`.
@pytest.mark.parametrize(
    ("path", "title"),
    [(REQUEST_PAGE, "FIMCompletionRequest"), ("sdks/fim/", "Fim")],
)
def test_request_table_shows_every_field_whole_on_a_laptop(
    site: str, page: Any, path: str, title: str
) -> None:
    page.goto(site + path)
    assert page.locator("h1").inner_text().startswith(title)
    layout = page.evaluate(_TABLE_LAYOUT_JS)
    # The operation's parameters go on with the per-call options (timeout=, ...).
    assert [row[0] for row in layout["rows"]][: len(FIM_FIELDS)] == FIM_FIELDS
    assert all(len(row) == 5 for row in layout["rows"])
    assert layout["broken"] == [], "words broken over two lines"
    assert layout["hidden"] == [], "cells cut off or scrolled out of view"
    assert layout["width"] > 800


@pytest.mark.parametrize("path", ["", REQUEST_PAGE, "sdks/fim/", "styles/"])
def test_no_shortcode_text_is_visible(site: str, page: Any, path: str) -> None:
    page.goto(site + path)
    assert SHORTCODE.findall(page.locator("article").inner_text()) == []


def test_required_column_draws_icons(site: str, page: Any) -> None:
    page.goto(site + REQUEST_PAGE)
    cells = page.locator("article table tbody td:nth-child(3)")
    assert cells.count() == len(FIM_FIELDS)
    assert page.locator("article table tbody td:nth-child(3) svg").count() == len(
        FIM_FIELDS
    )


def test_code_examples_are_highlighted(site: str, page: Any) -> None:
    page.goto(site + "sdks/fim/")
    first = page.locator("article .highlight code").first
    assert first.inner_text().startswith("import os")
    # Pygments' token classes: `import` is a keyword (kn), `os` a name (nn).
    assert first.locator("span.kn").first.inner_text() == "import"
    color = first.locator("span.kn").first.evaluate("e => getComputedStyle(e).color")
    plain = first.evaluate("e => getComputedStyle(e).color")
    assert color != plain


def test_navigation_is_by_operation_group_and_kind(site: str, page: Any) -> None:
    page.goto(site)
    nav = page.locator("nav.md-nav--primary")
    sections = nav.locator(".md-nav__item--section > label.md-nav__link")
    assert [s.inner_text().strip() for s in sections.all()] == [
        "Operations",
        "Models",
        "Unions",
        "Enums",
        "Other outputs",
        "Other APIs",  # the whole Mistral API's pages (spec/mistral.yaml)
    ]
    links = [a.inner_text().strip() for a in nav.locator("a.md-nav__link").all()]
    assert "Fim" in links and "FIMCompletionRequest" in links
    assert "ContentChunk" in links and "FinishReason" in links
    assert "Sdks" not in nav.inner_text()


def test_search_for_a_field_finds_the_request_page(site: str, page: Any) -> None:
    with page.expect_response(lambda r: r.url.endswith("search_index.json")):
        page.goto(site)
    search = page.locator(".md-search__input")
    search.click()
    search.press_sequentially("temperature")
    # Waits (bounded by the page's timeout) for a result that links to the page.
    found = page.locator(f'.md-search-result__item a[href*="/{REQUEST_PAGE}"]')
    found.first.wait_for()
    assert "FIMCompletionRequest" in found.first.inner_text()


def test_index_links_every_page(site: str, page: Any) -> None:
    page.goto(site)
    hrefs = {a.get_attribute("href") for a in page.locator("article a[href]").all()}
    for target in (
        REQUEST_PAGE,
        "models/contentchunk/",
        "models/finishreason/",
        "sdks/fim/",
        "styles/",
    ):
        assert target in hrefs, target


def _outcome_without_chromium(monkeypatch: pytest.MonkeyPatch) -> BaseException:
    """What looking for chromium raises (a failure or a skip) when none is on PATH."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    try:
        chromium()
    except (pytest.fail.Exception, pytest.skip.Exception) as outcome:
        return outcome
    raise AssertionError("a missing chromium went unnoticed")


def test_a_missing_tool_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    outcome = _outcome_without_chromium(monkeypatch)
    assert isinstance(outcome, pytest.fail.Exception)
    assert "apt-get install chromium" in str(outcome)


def test_a_missing_tool_elsewhere_skips_saying_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)
    outcome = _outcome_without_chromium(monkeypatch)
    assert isinstance(outcome, pytest.skip.Exception)
    assert "apt-get install chromium" in str(outcome)


@pytest.mark.parametrize(
    ("fim_docs", "fim"), [(None, "mistral_fim/"), ("docs", "")], ids=["apart", "home"]
)
def test_several_specs_each_have_their_pages_in_the_navigation(
    tmp_path: Path, fim_docs: str | None, fim: str
) -> None:
    """Two specs in one project: the site's navigation has each spec's sections, with
    the FIM spec in its own folder or at the site's home (``output: {docs: docs}``)."""
    try:
        import material  # noqa: F401
        import mkdocs  # noqa: F401
    except ImportError:
        missing("mkdocs with mkdocs-material", "nox -s docs installs them")
    root = project(tmp_path, fim_docs)
    shutil.copy(ROOT / "mkdocs.yml", root)
    shutil.copytree(ROOT / "docs_site", root / "docs_site")
    generate = subprocess.run(
        [sys.executable, "-m", "specbind", "generate"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert generate.returncode == 0, generate.stderr
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
        timeout=120,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    home = (root / "site" / "index.html").read_text("utf-8")
    links = set(re.findall(r'<a href="([^"]+)" class="md-nav__link', home))
    for spec_pages in (
        {f"{fim}sdks/fim/", f"{fim}models/loc/"},
        {"mistral_files/", "mistral_files/sdks/files/"},
    ):
        assert spec_pages <= links
    assert {
        f"{fim}models/httpvalidationerror/",
        "mistral_files/models/httpvalidationerror/",
    } <= links


def test_nested_groups_have_their_pages_in_the_navigation(tmp_path: Path) -> None:
    """The nested_groups golden's docs as a site: each group with methods has a page in
    the navigation, at any depth, and a parent's page links its sub-groups' pages
    (``mkdocs build --strict`` fails on a broken link)."""
    try:
        import material  # noqa: F401
        import mkdocs  # noqa: F401
    except ImportError:
        missing("mkdocs with mkdocs-material", "nox -s docs installs them")
    shutil.copytree(
        ROOT / "tests" / "cases" / "nested_groups" / "expected", tmp_path / "generated"
    )
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    shutil.copytree(ROOT / "docs_site", tmp_path / "docs_site")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
        timeout=120,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    links = set(re.findall(r'<a href="([^"]+)" class="md-nav__link', home))
    assert {
        "sdks/files/",
        "sdks/files/versions/",
        "sdks/fine_tuning/jobs/",
        "sdks/fine_tuning/jobs/events/",
        "sdks/batch/jobs/",
    } <= links
    files = (tmp_path / "site" / "sdks" / "files" / "index.html").read_text("utf-8")
    assert 'href="versions/"' in files
