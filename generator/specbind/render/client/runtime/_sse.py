"""Server-sent events: a push decoder shared by the sync and async streams.

Follows the WHATWG rules: one leading byte-order mark is skipped; lines end in CRLF,
LF or CR; a blank line dispatches an event; ``:`` starts a comment; ``data:`` lines
join with ``\\n``; one space after the colon is dropped; unknown fields are ignored.
A chunk is scanned a fixed number of times, so decoding is linear in the bytes
received, and a line or an event longer than ``max_size`` characters raises
``EventTooLargeError``.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

__all__ = ["Event", "EventDecoder", "EventTooLargeError"]


class Event(NamedTuple):
    """One dispatched event (a named tuple: one is made per event, and a frozen
    attrs class costs several times as much to make)."""

    data: str
    event: str = "message"
    id: str | None = None
    retry: int | None = None


# ``Event``'s own constructor is a Python function; this makes one with no call.
_make_event = tuple.__new__
# A blank line, then a line of data: where most events of most streams begin.
_NEXT_DATA = "\n\ndata: "


class EventTooLargeError(ValueError):
    """A line or an event is longer than the decoder's ``max_size``."""


class EventDecoder:
    """Feed it bytes as they arrive; it returns the events each chunk completes."""

    def __init__(self, max_size: int | None = None) -> None:
        self._max_size = max_size
        self._started = False
        self._pending_cr = False
        self._partial: list[str] = []  # the pieces of a line not yet ended
        self._partial_size = 0
        self._data: list[str] = []
        self._data_size = 0
        self._event = ""
        self._id: str | None = None
        self._retry: int | None = None
        self._decoder = _utf8_decoder()

    @property
    def in_event(self) -> bool:
        """Whether the bytes so far stop inside an event (a line or data not ended)."""
        undecoded, _ = self._decoder.getstate()
        return bool(self._partial or self._data or undecoded)

    def feed(self, chunk: bytes) -> list[Event]:
        text = self._decoder.decode(chunk)
        if not text:
            return []  # an empty read (or half a character) keeps a pending CR
        if not self._started:
            self._started = True
            text = text.removeprefix("\ufeff")
        if self._pending_cr and text.startswith("\n"):
            text = text[1:]  # the LF of a CRLF split across two chunks
        self._pending_cr = text.endswith("\r")
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        whole, newline, rest = text.rpartition("\n")
        events: list[Event] = []
        if newline:
            if self._partial:
                whole = "".join(self._partial) + whole
                self._partial, self._partial_size = [], 0
            events = self._lines(whole)
        if rest:
            self._partial.append(rest)
            self._partial_size += len(rest)
            self._check(self._partial_size, "a line")
        return events

    def _lines(self, whole: str) -> list[Event]:
        """The events the lines of ``whole`` complete (its last line ended too).

        Most events are one ``data: ...`` line and a blank line. Split at each blank
        line followed by ``data: ``, a piece with no line end in it is such an event's
        data, dispatched as it is; any other piece goes line by line."""
        pieces = whole.split(_NEXT_DATA)
        events: list[Event] = []
        if len(pieces) == 1:
            self._each_line(whole.split("\n"), events)
            return events
        last = pieces.pop()
        # The first piece may continue an event the last chunk began.
        self._each_line([*pieces[0].split("\n"), ""], events)
        del pieces[0]
        append = events.append
        room = len(whole) if self._max_size is None else self._max_size - 6
        last_id, retry = self._id, self._retry
        for data in pieces:
            # A blank line came before: no data is pending, the type is the default.
            if "\n" not in data and len(data) <= room:  # its line is 6 longer
                append(_make_event(Event, (data, "message", last_id, retry)))
            else:
                self._each_line([*("data: " + data).split("\n"), ""], events)
                last_id, retry = self._id, self._retry
        self._each_line(("data: " + last).split("\n"), events)
        return events

    def _each_line(self, lines: list[str], events: list[Event]) -> None:
        """Decode ``lines`` one by one, adding the events they complete."""
        limit = self._max_size
        data, size = self._data, self._data_size
        for line in lines:
            if not line:  # a blank line dispatches the event
                if data:
                    text = data[0] if len(data) == 1 else "\n".join(data)
                    fields = (text, self._event or "message", self._id, self._retry)
                    events.append(_make_event(Event, fields))
                    data = self._data = []
                    size = 0
                self._event = ""
            elif line.startswith("data:"):
                value = line[6:] if line[5:6] == " " else line[5:]
                data.append(value)
                size += len(value) + 1
                # The line is at most 5 longer than the size it adds: both fit then.
                if limit is not None and size + 5 > limit:
                    self._check(len(line), "a line")
                    self._check(size, "an event")
            else:
                self._check(len(line), "a line")
                self._data_size = size
                self._line(line)
                size = self._data_size
        self._data_size = size

    def _check(self, size: int, what: str) -> None:
        if self._max_size is not None and size > self._max_size:
            raise EventTooLargeError(
                f"{what} of the event stream is longer than {self._max_size} characters"
            )

    def _line(self, line: str) -> None:
        """A line that is neither blank nor ``data: ...``."""
        if line.startswith(":"):
            return
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
            self._data_size += len(value) + 1
            self._check(self._data_size, "an event")
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)


def _utf8_decoder() -> codecs.IncrementalDecoder:
    return codecs.getincrementaldecoder("utf-8")(errors="replace")
