"""The inputs stamp: what a run was made from, so a run on unchanged inputs skips the work.

``specbind generate`` writes :data:`STAMP` into its output folder (the manifest lists it,
so it is removed with the rest): a digest of every input that determines the tree (the
specs' names and bytes, the selected outputs, specbind's own files, the installed
distributions and the Python) and the sha256 of each file it wrote. A later run whose
inputs digest is the same and whose files on disk still hash to what was recorded has
nothing to do: rendering is deterministic, so it would write those very files. Any
difference (an edited, deleted or replaced file, a changed spec, another specbind) means
the full run, so ``--check`` still prints the real diff. The stamp is a cache, never an
output: ``--check`` does not compare it, and it is not committed (``.gitignore``).

``specbind import`` keeps the same kind of stamp for the spec it writes, in the cache
folder (``$SPECBIND_CACHE_DIR/imports``; the spec's own folder is the user's), with the
warnings the import printed, which a skipped run prints again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from . import output

STAMP = output.STAMP
_FORMAT = "specbind-stamp/1"
_PACKAGE = Path(__file__).parent


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def environment_digest() -> str:
    """specbind's own files (code, templates, runtime) and everything around it that
    can change what it writes: each installed distribution's name and version (ruff and
    datamodel-code-generator among them) and the Python that runs it."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            digest.update(sha256(path.read_bytes()).encode() + b"\0")
    for folder in sys.path:
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):  # name-version.dist-info
                digest.update(f"{folder}/{name}\0".encode())
    digest.update(f"{sys.version}\0{sys.implementation.cache_tag}".encode())
    return digest.hexdigest()


def inputs_digest(files: Iterable[Path], options: Mapping[str, Any]) -> str | None:
    """A digest of ``files`` (each one's name as given and bytes), ``options`` and
    :func:`environment_digest`; ``None`` when a file cannot be read (the full run says
    why)."""
    digest = hashlib.sha256(f"{_FORMAT}\0{environment_digest()}\0".encode())
    digest.update(json.dumps(options, sort_keys=True).encode() + b"\0")
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        digest.update(f"{path}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


def stamp_text(inputs: str, files: Mapping[str, str], **extra: Any) -> str:
    """The stamp of a run with ``inputs`` that left ``files`` (path -> text)."""
    hashes = {
        path: sha256(text.encode("utf-8")) for path, text in sorted(files.items())
    }
    return json.dumps({"inputs": inputs, "files": hashes, **extra}, indent=1) + "\n"


def matching(stamp: Path, inputs: str | None, root: Path) -> dict[str, Any] | None:
    """The stamp at ``stamp`` when it was made from ``inputs`` and every file it lists
    (relative to ``root``) still has the bytes it recorded; else ``None``."""
    if inputs is None:
        return None
    try:
        data = json.loads(stamp.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("inputs") != inputs:
        return None
    files = data.get("files")
    if not isinstance(files, dict) or not files:
        return None
    for path, recorded in files.items():
        if not isinstance(path, str) or ".." in Path(path).parts:
            return None
        try:
            if sha256((root / path).read_bytes()) != recorded:
                return None
        except OSError:
            return None
    return data


# -- generate ----------------------------------------------------------------------


def generate_inputs(specs: Sequence[Path], only: Iterable[str] | None) -> str | None:
    """The inputs digest of ``specbind generate SPECS [--only ONLY]``."""
    options = {"only": None if only is None else sorted(only)}
    return inputs_digest(specs, options)


def unchanged_tree(root: Path, inputs: str | None) -> int | None:
    """How many files the stamp in ``root`` vouches for, when a run with ``inputs``
    would write nothing new; else ``None``."""
    data = matching(root / STAMP, inputs, root)
    if data is None or output.MANIFEST not in data["files"]:
        return None
    return len(data["files"])


def write_tree_stamp(root: Path, inputs: str | None, files: Mapping[str, str]) -> None:
    """Record that ``root`` holds ``files`` (the whole plan, manifest included) made
    from ``inputs``; without inputs, remove any stamp (it no longer vouches)."""
    if inputs is None:
        (root / STAMP).unlink(missing_ok=True)
        return
    output.write_text(root / STAMP, stamp_text(inputs, files))


# -- import ------------------------------------------------------------------------


def import_stamp_path(out: Path) -> Path | None:
    """Where the stamp of the spec at ``out`` lives, or ``None`` when the cache is off."""
    from .render.styles import cache

    folder = cache.location()
    if folder is None:
        return None
    key = sha256(str(out.resolve()).encode("utf-8"))
    return folder.parent / "imports" / f"{key}.json"
