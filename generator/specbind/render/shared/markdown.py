"""Spec text made safe for Markdown, for the docs pages and ``styles.md``."""

from __future__ import annotations

# How a line break is written inside a table cell.
BREAK = "<br/>"


def cell_text(text: str) -> str:
    """Text safe inside one table cell: pipes escaped, line breaks as ``<br/>``."""
    text = body_text(text).replace("\\", "\\\\").replace("|", "\\|")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", BREAK)
    return "".join(
        ch if ch.isprintable() or ch == "\t" else f"\\x{ord(ch):02x}" for ch in text
    )


def body_text(text: str) -> str:
    """Spec prose as Markdown: raw HTML is shown as text, never run by a docs site."""
    return text.replace("<", "&lt;").replace(">", "&gt;")
