"""The one writer: compare, diff, or atomically write a tree of generated files.

A manifest in the output root lists what specbind wrote last time, so regeneration
removes only its own stale files and never touches anything else in the folder.
"""

from __future__ import annotations

import difflib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import attrs

from .render.shared.base import OutputFile

MANIFEST = ".specbind-manifest.json"


@attrs.frozen
class Plan:
    """What writing ``files`` into ``root`` would change."""

    root: Path
    files: dict[str, str]
    changed: tuple[str, ...]
    stale: tuple[str, ...]

    @property
    def in_sync(self) -> bool:
        return not self.changed and not self.stale

    def diff(self) -> str:
        """A unified diff from the tree on disk to the generated one."""
        chunks: list[str] = []
        for path in sorted({*self.changed, *self.stale}):
            old = _read(self.root / path)
            new = self.files.get(path)
            chunks.extend(
                difflib.unified_diff(
                    (old or "").splitlines(keepends=True),
                    (new or "").splitlines(keepends=True),
                    fromfile=f"a/{path}" if old is not None else "/dev/null",
                    tofile=f"b/{path}" if new is not None else "/dev/null",
                )
            )
            if chunks and not chunks[-1].endswith("\n"):
                chunks[-1] += "\n\\ No newline at end of file\n"
        return "".join(chunks)


def _read(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def manifest_text(files: dict[str, str]) -> str:
    return (
        json.dumps({"generator": "specbind", "files": sorted(files)}, indent=2) + "\n"
    )


def previous_files(root: Path) -> set[str]:
    text = _read(root / MANIFEST)
    if text is None:
        return set()
    try:
        listed = json.loads(text).get("files", [])
    except (json.JSONDecodeError, AttributeError):
        return set()
    return {
        p
        for p in listed
        if isinstance(p, str)
        and ".." not in Path(p).parts
        and not Path(p).is_absolute()
    }


def plan(root: Path, outputs: Iterable[OutputFile]) -> Plan:
    files = {f.path: f.content for f in outputs}
    files[MANIFEST] = manifest_text(files)
    changed = tuple(sorted(p for p, text in files.items() if _read(root / p) != text))
    stale = tuple(
        sorted(p for p in previous_files(root) - files.keys() if (root / p).exists())
    )
    return Plan(root, files, changed, stale)


def write(plan: Plan) -> None:
    """Stage every changed file next to its target, then move them all into place.

    Nothing is replaced until every file has been written in full, and each replace is
    atomic, so a failure leaves the old tree, never a half-written one.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path in plan.changed:
            target = plan.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
            )
            staged.append((Path(name), target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(plan.files[path])
    except BaseException:
        for staged_file, _ in staged:
            staged_file.unlink(missing_ok=True)
        raise
    # The manifest goes last: until it is in place, the old one still names every file.
    staged.sort(key=lambda pair: pair[1].name == MANIFEST)
    for staged_file, target in staged:
        os.replace(staged_file, target)
    for path in plan.stale:
        (plan.root / path).unlink(missing_ok=True)
        parent = (plan.root / path).parent
        while parent != plan.root and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def write_text(target: Path, text: str) -> None:
    """Write one file atomically (a temporary file beside it, then a replace)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
