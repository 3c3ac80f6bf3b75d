"""The one writer: compare, diff, or atomically write a tree of generated files.

A manifest in the output root lists what specbind wrote last time, and which spec and
output made each file, so regeneration removes only its own stale files and never
touches anything else in the folder. A run that renders some outputs only (``--only``)
leaves the files of the others as they are, and keeps them in the manifest. The
manifest lists the inputs stamp (:mod:`specbind.stamp`) too, which the command writes
after the tree and no plan compares.
"""

from __future__ import annotations

import difflib
import json
import os
import tempfile
from collections.abc import Collection, Iterable
from pathlib import Path

import attrs

from .render.shared.base import OutputFile

MANIFEST = ".specbind-manifest.json"
# The inputs stamp (:mod:`specbind.stamp`): listed with the files, never compared.
STAMP = ".specbind-stamp.json"


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


def manifest_text(owners: dict[str, str]) -> str:
    """The manifest of the files ``owners`` maps to ``<package>:<output>``."""
    outputs: dict[str, list[str]] = {}
    for path, owner in sorted(owners.items()):
        if owner:
            outputs.setdefault(owner, []).append(path)
    data = {"generator": "specbind", "files": sorted(owners), "outputs": outputs}
    return json.dumps(data, indent=2) + "\n"


def previous_files(root: Path) -> dict[str, str | None]:
    """The files the manifest in ``root`` lists, and the owner of each (``None`` when
    it does not say: a manifest from before owners were written)."""
    text = _read(root / MANIFEST)
    if text is None:
        return {}
    try:
        data = json.loads(text)
        listed = data.get("files", [])
        outputs = data.get("outputs", {})
        owners = {
            path: owner
            for owner, paths in outputs.items()
            if isinstance(owner, str) and isinstance(paths, list)
            for path in paths
            if isinstance(path, str)
        }
    except (json.JSONDecodeError, AttributeError):
        return {}
    if not isinstance(listed, list):
        return {}
    return {
        p: owners.get(p)
        for p in listed
        if isinstance(p, str)
        and ".." not in Path(p).parts
        and not Path(p).is_absolute()
    }


def plan(
    root: Path, outputs: Iterable[OutputFile], only: Collection[str] | None = None
) -> Plan:
    """What writing ``outputs`` changes. With ``only`` (the outputs this run renders),
    a file the last run wrote for another output is neither stale nor rewritten."""
    rendered = list(outputs)
    files = {f.path: f.content for f in rendered}
    owners = {f.path: f.owner for f in rendered}
    stale = []
    for path, owner in sorted(previous_files(root).items()):
        if path in files or path in (MANIFEST, STAMP):
            continue
        if only is not None and (owner is None or owner.partition(":")[2] not in only):
            owners[path] = owner or ""  # another output's: left alone
        elif (root / path).exists():
            stale.append(path)
    owners[STAMP] = ""  # the writer's, like the manifest
    files[MANIFEST] = manifest_text(owners)
    changed = tuple(sorted(p for p, text in files.items() if _read(root / p) != text))
    return Plan(root, files, changed, tuple(stale))


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
