"""Response bodies decoded as they arrive, in bounded pieces.

httpx inflates a whole raw chunk at once, so 2 KB of nested gzip can become 1 GiB in
one call. Here gzip and deflate are inflated at most ``PIECE`` bytes at a time, so a
reader can stop at its limit having held no more than that.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import httpx

__all__ = ["PIECE", "Inflater", "inflater"]

PIECE = 64 * 1024
_WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16}


class _Stage:
    """One content coding: gzip, or deflate (zlib-wrapped or raw, as httpx accepts)."""

    def __init__(self, coding: str) -> None:
        self._raw_fallback = coding == "deflate"
        self._zlib = zlib.decompressobj(_WBITS.get(coding, zlib.MAX_WBITS))

    def pieces(self, data: bytes) -> Iterator[bytes]:
        while not self._zlib.eof:
            try:
                out = self._zlib.decompress(data, PIECE)
            except zlib.error as exc:
                if self._raw_fallback:  # deflate without its zlib header
                    self._raw_fallback = False
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise httpx.DecodingError(f"the body is damaged ({exc})") from None
            self._raw_fallback = False
            data = self._zlib.unconsumed_tail
            if out:
                yield out
            if not data and len(out) < PIECE:
                return  # all input used and nothing held back


class Inflater:
    """Undoes the response's content codings, last applied first."""

    def __init__(self, codings: list[str]) -> None:
        self._stages = [_Stage(coding) for coding in reversed(codings)]

    def pieces(self, raw: bytes) -> Iterator[bytes]:
        """The decoded bytes of a raw chunk, at most ``PIECE`` at a time."""
        return self._through(0, raw)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self._stages):
            if data:
                yield data
            return
        for piece in self._stages[index].pieces(data):
            yield from self._through(index + 1, piece)


def inflater(headers: httpx.Headers) -> Inflater | None:
    """An ``Inflater`` for the body, or ``None`` when httpx must decode it.

    ``None`` means a coding other than gzip and deflate (br, zstd): httpx decodes it,
    and a limit is then checked once per decoded chunk.
    """
    if "content-encoding" not in headers:  # one look-up, not get_list's parsing
        return Inflater([])
    codings = [
        coding.strip().lower()
        for coding in headers.get_list("content-encoding", split_commas=True)
    ]
    codings = [c for c in codings if c and c != "identity"]
    if any(c not in ("gzip", "x-gzip", "deflate") for c in codings):
        return None
    return Inflater(codings)
