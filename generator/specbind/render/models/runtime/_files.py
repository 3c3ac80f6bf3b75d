"""What a file part (a ``bytes`` field) holds: the type of the models' file fields.

``bytes``, a binary file object (streamed, never read whole), or a ``(filename,
content, content_type)`` triple. The models annotate their file fields with it and the
multipart body (``_forms``) sends it, so it lives beside the models: a package
rendered without its client still imports.
"""

from __future__ import annotations

from typing import IO, TypeAlias

__all__ = ["FileContent"]

FileContent: TypeAlias = bytes | IO[bytes] | tuple[str, bytes | IO[bytes], str | None]
