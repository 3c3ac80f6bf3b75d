"""mkdocs hooks of the docs site: its navigation and its icons.

``specbind generate`` writes ``index.md`` with one section per kind (operations, models,
unions, enums, other outputs), each a list of links; the site's navigation has the same
sections, so it follows the spec without a hand-kept list in ``mkdocs.yml``. With
several specs, each spec's home page (linked from the site's) gives its own sections.

The SDK-style pages mark required fields with GitHub's ``:heavy_check_mark:`` and
``:heavy_minus_sign:``; the site draws them with the theme's own icons, inline SVG, so
it needs no emoji images from a CDN.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markdown import Markdown
from material.extensions.emoji import twemoji
from mkdocs.config.defaults import MkDocsConfig

_SECTION = re.compile(r"^## (.+)$")
_LINK = re.compile(r"^\* \[(.+?)\]\(([^)#]+)\)")
SHORTCODE_ICONS = {
    ":heavy_check_mark:": ":material-check-bold:",
    ":heavy_minus_sign:": ":material-minus:",
}


def navigation(
    index: str, read: Callable[[str], str] | None = None, home: str = "index.md"
) -> list[Any]:
    """``mkdocs.yml``'s ``nav`` for a generated home page: Home, then its sections.

    A link to another spec's home page (``<folder>/index.md``, on the home page of
    several specs) becomes that spec's own navigation, read with ``read``.
    """
    folder = posixpath.dirname(home)
    nav: list[Any] = [{"Home": home}]
    pages: list[dict[str, Any]] = []
    for line in index.splitlines():
        if section := _SECTION.match(line):
            pages = []
            nav.append({section[1]: pages})
        elif (link := _LINK.match(line)) and len(nav) > 1:
            target = posixpath.normpath(posixpath.join(folder, link[2]))
            if read is not None and posixpath.basename(target) == "index.md":
                pages.append({link[1]: navigation(read(target), None, target)})
            else:
                pages.append({link[1]: target})
    return nav


def emoji_index(options: dict[str, Any], md: Markdown) -> dict[str, Any]:
    """The theme's index (twemoji and its icons), with the SDK's shortcodes as icons."""
    index: dict[str, Any] = twemoji(options, md)
    return {**index, "aliases": {**index["aliases"], **SHORTCODE_ICONS}}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not config.nav:

        def read(page: str) -> str:
            return Path(config.docs_dir, page).read_text("utf-8")

        config.nav = navigation(read("index.md"), read)
    config.mdx_configs["pymdownx.emoji"]["emoji_index"] = emoji_index
    return config
