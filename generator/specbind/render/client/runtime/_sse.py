"""Server-sent events: a push decoder shared by the sync and async streams.

Follows the WHATWG rules: lines end in CRLF, LF or CR; a blank line dispatches an
event; ``:`` starts a comment; ``data:`` lines join with ``\\n``; one space after the
colon is dropped; unknown fields are ignored.
"""

from __future__ import annotations

import codecs

import attrs

__all__ = ["Event", "EventDecoder"]


@attrs.frozen
class Event:
    """One dispatched event."""

    data: str
    event: str = "message"
    id: str | None = None
    retry: int | None = None


class EventDecoder:
    """Feed it bytes as they arrive; it returns the events each chunk completes."""

    def __init__(self) -> None:
        self._buffer = ""
        self._pending_cr = False
        self._data: list[str] = []
        self._event = ""
        self._id: str | None = None
        self._retry: int | None = None
        self._decoder = _utf8_decoder()

    def feed(self, chunk: bytes) -> list[Event]:
        text = self._decoder.decode(chunk)
        if not text:
            return []  # an empty read (or half a character) keeps a pending CR
        if self._pending_cr and text.startswith("\n"):
            text = text[1:]  # the LF of a CRLF split across two chunks
        self._pending_cr = text.endswith("\r")
        self._buffer += text
        lines = self._buffer.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self._buffer = lines.pop()
        events = []
        for line in lines:
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def close(self) -> list[Event]:
        """The end of the stream: an event without its blank line is dropped."""
        self._buffer += self._decoder.decode(b"", final=True)
        self._buffer = ""
        return []

    def _line(self, line: str) -> Event | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> Event | None:
        if not self._data:
            self._event = ""
            return None
        event = Event(
            "\n".join(self._data), self._event or "message", self._id, self._retry
        )
        self._data, self._event = [], ""
        return event


def _utf8_decoder() -> codecs.IncrementalDecoder:
    return codecs.getincrementaldecoder("utf-8")(errors="replace")
