"""A small on-disk cache of rendered styles: the text stored under a key, or nothing.

The caller makes the key from every input of the text (``renderer.cache_key``), so a hit
is exact. The cache lives in ``$SPECBIND_CACHE_DIR/styles`` or, by default, in the
platform's user cache folder (``~/.cache/specbind/styles`` on Linux);
``SPECBIND_NO_CACHE=1`` turns it off. It keeps the ``MAX_ENTRIES`` most recently used
entries and deletes the rest. Each entry is written atomically and starts with the
sha256 of its text: an entry that does not match it is a miss, and is written again.
A cache that cannot be read or written only makes rendering slower.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path

import platformdirs

DIR_VARIABLE = "SPECBIND_CACHE_DIR"
OFF_VARIABLE = "SPECBIND_NO_CACHE"
MAX_ENTRIES = 64
SUFFIX = ".entry"
# Seconds: any other file this old in the folder is a temp file of a killed writer or an
# entry in an older specbind's format (``<key>.py``), and is removed.
_ABANDONED_AFTER = 600


def location() -> Path | None:
    """The folder of the entries, or ``None`` when the cache is off."""
    if os.environ.get(OFF_VARIABLE):
        return None
    root = os.environ.get(DIR_VARIABLE) or platformdirs.user_cache_dir("specbind")
    return Path(root) / "styles"


def get(key: str) -> str | None:
    folder = location()
    if folder is None:
        return None
    path = folder / f"{key}{SUFFIX}"
    try:
        digest, _, text = path.read_bytes().partition(b"\n")
        if digest.decode("ascii") != hashlib.sha256(text).hexdigest():
            return None  # damaged: the caller renders it again and puts it back
        _touch(path)
        return text.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def put(key: str, text: str) -> None:
    folder = location()
    if folder is None:
        return
    data = text.encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(hashlib.sha256(data).hexdigest().encode("ascii"))
                handle.write(b"\n" + data)
            path = folder / f"{key}{SUFFIX}"
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
        _touch(path)
        _evict(folder)
    except OSError:
        pass


def _touch(path: Path) -> None:
    """Mark an entry as just used (its mtime orders the entries for eviction)."""
    now = time.time_ns()
    os.utime(path, ns=(now, now))


def _evict(folder: Path) -> None:
    """Delete all but the ``MAX_ENTRIES`` most recently used entries."""
    entries = []
    for path in folder.iterdir():
        try:
            mtime = path.stat().st_mtime_ns
            if path.suffix == SUFFIX:
                entries.append((mtime, path.name, path))
            elif mtime < time.time_ns() - _ABANDONED_AFTER * 10**9:
                path.unlink()
        except OSError:
            continue  # removed meanwhile by another run
    entries.sort(reverse=True)
    for _, _, path in entries[MAX_ENTRIES:]:
        path.unlink(missing_ok=True)
