"""mkdocs hooks of the docs site: its navigation and its icons.

``specbind generate`` writes ``index.md`` with one section per kind (operations, models,
unions, enums, other outputs), each a list of links; the site's navigation has the same
sections, so it follows the spec without a hand-kept list in ``mkdocs.yml``.

The SDK-style pages mark required fields with GitHub's ``:heavy_check_mark:`` and
``:heavy_minus_sign:``; the site draws them with the theme's own icons, inline SVG, so
it needs no emoji images from a CDN.
"""

from __future__ import annotations

import re
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


def navigation(index: str) -> list[Any]:
    """``mkdocs.yml``'s ``nav`` for a generated home page: Home, then its sections."""
    nav: list[Any] = [{"Home": "index.md"}]
    pages: list[dict[str, str]] = []
    for line in index.splitlines():
        if section := _SECTION.match(line):
            pages = []
            nav.append({section[1]: pages})
        elif (link := _LINK.match(line)) and len(nav) > 1:
            pages.append({link[1]: link[2]})
    return nav


def emoji_index(options: dict[str, Any], md: Markdown) -> dict[str, Any]:
    """The theme's index (twemoji and its icons), with the SDK's shortcodes as icons."""
    index: dict[str, Any] = twemoji(options, md)
    return {**index, "aliases": {**index["aliases"], **SHORTCODE_ICONS}}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not config.nav:
        index = Path(config.docs_dir, "index.md").read_text("utf-8")
        config.nav = navigation(index)
    config.mdx_configs["pymdownx.emoji"]["emoji_index"] = emoji_index
    return config
