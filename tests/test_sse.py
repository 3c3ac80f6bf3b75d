"""The SSE push decoder of the generated package: line ends, fields, chunking."""

from __future__ import annotations

import codecs
import itertools
from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mistral_fim import _sse
from mistral_fim._sse import Event, EventDecoder, EventTooLargeError


def decode(*chunks: bytes) -> list[Event]:
    decoder = EventDecoder()
    return [event for chunk in chunks for event in decoder.feed(chunk)]


def ends_in_event(*chunks: bytes) -> bool:
    decoder = EventDecoder()
    for chunk in chunks:
        decoder.feed(chunk)
    return decoder.in_event


def data(events: Iterable[Event]) -> list[str]:
    return [event.data for event in events]


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"], ids=["CRLF", "CR", "LF"])
def test_every_line_end(newline: str) -> None:
    stream = f"data: a{newline}{newline}data: b{newline}data: c{newline}{newline}"
    assert decode(stream.encode()) == [Event("a"), Event("b\nc")]


def test_mixed_line_ends_in_one_stream() -> None:
    stream = b"data: a\r\n\ndata: b\r\rdata: c\n\r\n"
    assert data(decode(stream)) == ["a", "b", "c"]


def test_crlf_split_across_two_feeds_is_one_line_end() -> None:
    decoder = EventDecoder()
    assert decoder.feed(b"data: a\r") == []
    assert decoder.feed(b"\ndata: b\r") == []
    assert decoder.feed(b"\n\r") == [Event("a\nb")]
    assert decoder.feed(b"\n") == []


def test_crlf_split_by_an_empty_chunk_is_still_one_line_end() -> None:
    """An empty feed between the CR and the LF must not forget the pending CR."""
    decoder = EventDecoder()
    assert decoder.feed(b"data: a\r") == []
    assert decoder.feed(b"") == []
    assert decoder.feed(b"\ndata: b\r\n\r\n") == [Event("a\nb")]


def test_a_lone_cr_followed_by_a_line_is_a_line_end() -> None:
    decoder = EventDecoder()
    assert decoder.feed(b"data: a\r") == []
    assert decoder.feed(b"data: b\r\r") == [Event("a\nb")]


def test_comments_are_ignored() -> None:
    stream = b": ping\n\n:\ndata: a\n: in between\ndata: b\n\n: bye\n\n"
    assert decode(stream) == [Event("a\nb")]


def test_multi_line_data_joins_with_newlines() -> None:
    stream = b"data: one\ndata:\ndata: three\n\n"
    assert decode(stream) == [Event("one\n\nthree")]


def test_a_line_without_a_colon_is_a_field_with_an_empty_value() -> None:
    assert decode(b"data\ndata\n\n") == [Event("\n")]


def test_event_id_and_retry_fields() -> None:
    stream = b"event: error\nid: 7\nretry: 1500\ndata: {}\n\ndata: next\n\n"
    assert decode(stream) == [
        Event("{}", event="error", id="7", retry=1500),
        # The event type resets per event; the last event id and retry persist.
        Event("next", event="message", id="7", retry=1500),
    ]


def test_bad_id_and_retry_values_are_ignored() -> None:
    stream = "id: 1\nretry: 10\ndata: a\n\nid: x\0y\nretry: 1s\nretry: ²\ndata: b\n\n"
    assert decode(stream.encode()) == [
        Event("a", id="1", retry=10),
        Event("b", id="1", retry=10),
    ]


def test_only_one_space_after_the_colon_is_dropped() -> None:
    stream = b"data:no-space\n\ndata:  two\n\nevent:custom\ndata:x\n\n"
    assert decode(stream) == [
        Event("no-space"),
        Event(" two"),
        Event("x", event="custom"),
    ]


def test_the_value_may_contain_colons() -> None:
    assert decode(b'data: {"a": "b:c"}\n\n') == [Event('{"a": "b:c"}')]


def test_unknown_fields_are_ignored() -> None:
    assert decode(b"foo: bar\ndata: a\nbaz\n\n") == [Event("a")]


def test_one_line_events_among_others_keep_every_rule() -> None:
    # Events of one ``data: `` line after a blank line are taken whole, the others
    # line by line: the id and retry those set carry on, a type does not.
    stream = (
        b"data: a\n\ndata: b\n\nid: 7\nevent: e\ndata: c\n\ndata: d\n\n"
        b"data: e1\ndata: e2\n\ndata:f\n\ndata: \n\ndata:  g\n\nretry: 5\n\n"
        b"data: h\n\n: note\n\ndata: i\n\n\n\ndata: j\n\ndata: k"
    )
    expected = [
        Event("a"),
        Event("b"),
        Event("c", event="e", id="7"),
        Event("d", id="7"),
        Event("e1\ne2", id="7"),
        Event("f", id="7"),
        Event("", id="7"),
        Event(" g", id="7"),
        Event("h", id="7", retry=5),
        Event("i", id="7", retry=5),
        Event("j", id="7", retry=5),
    ]
    assert decode(stream) == expected
    assert decode(*(stream[i : i + 7] for i in range(0, len(stream), 7))) == expected
    assert ends_in_event(stream)


def test_a_one_line_event_over_the_limit_raises() -> None:
    line = b"data: " + b"x" * 995  # 1001 characters
    with pytest.raises(EventTooLargeError, match="a line"):
        EventDecoder(max_size=1000).feed(b"data: a\n\n" + line + b"\n\ndata: b\n\n")
    events = EventDecoder(max_size=1001).feed(b"data: a\n\n" + line + b"\n\n")
    assert [len(event.data) for event in events] == [1, 995]


def test_a_blank_line_without_data_dispatches_nothing_and_resets_the_type() -> None:
    assert decode(b"event: custom\n\ndata: a\n\n") == [Event("a")]


def test_an_unterminated_event_is_not_dispatched_and_is_reported() -> None:
    decoder = EventDecoder()
    assert decoder.feed(b"data: a\n\ndata: b\n") == [Event("a")]
    assert decoder.in_event
    assert decoder.feed(b"\n") == [Event("b")]
    assert not decoder.in_event
    assert decode(b"data: a\n\ndata: b") == [Event("a")]
    assert ends_in_event(b"data: a\n\ndata: b")  # half a line
    assert ends_in_event(b"data: a\n\n\xc3")  # half a character
    assert not ends_in_event(b"data: a\n\n: comment\n")


def test_a_utf8_character_split_across_feeds() -> None:
    text = "data: é€😀\n\n".encode()
    for cut in range(1, len(text)):
        assert decode(text[:cut], text[cut:]) == [Event("é€😀")], cut


def test_invalid_utf8_is_replaced_not_raised() -> None:
    assert decode(b"data: \xff\xfe\n\n") == [Event("\ufffd\ufffd")]


def test_byte_at_a_time_equals_one_feed() -> None:
    stream = (
        ": hi\r\nevent: a\r\ndata: α\r\ndata: β\r\n\r\nid: 9\rdata: γ\r\r"
        "data: δ\n\ndata: tail"
    ).encode()
    whole = decode(stream)
    assert whole == [
        Event("α\nβ", event="a"),
        Event("γ", id="9"),
        Event("δ", id="9"),
    ]
    assert decode(*(stream[i : i + 1] for i in range(len(stream)))) == whole


# A stream built from events, with the events it must decode to.

LINE = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=12)
NAME = st.text(st.characters(codec="utf-8", exclude_characters="\r\n\0"), max_size=8)


@st.composite
def streams(draw: st.DrawFn) -> tuple[bytes, list[Event]]:
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    lines: list[str] = []
    expected: list[Event] = []
    last_id: str | None = None
    retry: int | None = None
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.booleans()):
            lines.append(":" + draw(LINE))
        event = draw(st.none() | NAME)
        if event is not None:
            space = " " if event.startswith(" ") else draw(st.sampled_from(["", " "]))
            lines.append(f"event:{space}{event}")
        if draw(st.booleans()):
            last_id = draw(NAME)
            lines.append(f"id: {last_id}")
        if draw(st.booleans()):
            retry = draw(st.integers(0, 10**6))
            lines.append(f"retry: {retry}")
        values = draw(st.lists(LINE, min_size=1, max_size=3))
        lines.extend(f"data: {value}" for value in values)
        lines.append("")
        expected.append(Event("\n".join(values), event or "message", last_id, retry))
    if draw(st.booleans()):
        lines.append("data: never dispatched")
    text = newline.join(lines) + (newline if lines and lines[-1] == "" else "")
    return text.encode(), expected


@settings(max_examples=200, deadline=None)
@given(case=streams(), data=st.data())
def test_random_splits_decode_like_one_feed(
    case: tuple[bytes, list[Event]], data: st.DataObject
) -> None:
    stream, expected = case
    cuts = sorted(
        data.draw(st.lists(st.integers(0, len(stream)), max_size=len(stream) + 2))
    )
    if data.draw(st.booleans()):  # split every CRLF between its CR and its LF
        cuts = sorted({*cuts, *(i + 1 for i, b in enumerate(stream) if b == 13)})
    bounds = [0, *cuts, len(stream)]
    chunks = [stream[a:b] for a, b in itertools.pairwise(bounds)]
    if data.draw(st.booleans()):  # an empty read between any two chunks
        chunks = [piece for chunk in chunks for piece in (chunk, b"")]
    assert decode(stream) == expected
    assert decode(*chunks) == expected
    assert ends_in_event(*chunks) == stream.endswith(b"never dispatched")


# A byte-order mark, and the limits.


def test_one_leading_byte_order_mark_is_skipped() -> None:
    bom = "\ufeff".encode()
    assert decode(bom + b"data: a\n\n") == [Event("a")]
    for cut in range(1, len(bom) + 1):  # split anywhere, even before the first line
        assert decode(bom[:cut], bom[cut:] + b"data: a\n\n") == [Event("a")]
    # Only the first: a second one is part of a field name (unknown, so ignored).
    assert decode(bom + bom + b"data: a\n\ndata: b\n\n") == [Event("b")]
    assert decode(b"data: a\n\n" + bom + b"data: b\n\n") == [Event("a")]


class CountingText(str):
    """Decoded text that counts the characters string operations go over.

    The decoder's work is in C string methods (join, split, replace, search);
    counting the characters each call touches measures it without timing it.
    """

    touched = 0

    def _count(self, size: int) -> None:
        CountingText.touched += size

    def __add__(self, other: str) -> CountingText:
        self._count(len(self) + len(other))
        return CountingText(str(self) + other)

    def __radd__(self, other: str) -> CountingText:
        self._count(len(self) + len(other))
        return CountingText(other + str(self))

    def __contains__(self, item: object) -> bool:
        self._count(len(self))
        return str.__contains__(self, item)  # type: ignore[operator]

    def replace(self, *args: Any) -> str:
        self._count(len(self))
        return str.replace(self, *args)

    def split(self, *args: Any) -> list[str]:  # type: ignore[override]
        self._count(len(self))
        return [CountingText(part) for part in str.split(self, *args)]

    def find(self, *args: Any) -> int:
        self._count(len(self))
        return str.find(self, *args)


class CountingDecoder:
    def __init__(self) -> None:
        self._inner = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def decode(self, data: bytes, final: bool = False) -> str:
        return CountingText(self._inner.decode(data, final))

    def getstate(self) -> tuple[bytes, int]:
        return self._inner.getstate()


def test_decoding_is_linear_in_the_bytes_received(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_sse, "_utf8_decoder", CountingDecoder)
    CountingText.touched = 0
    decoder = EventDecoder()
    line = b"data: " + b"x" * (2 * 1024 * 1024)
    size = 1024  # 2,048 chunks of one long line, then its end
    for start in range(0, len(line), size):
        assert decoder.feed(line[start : start + size]) == []
    [event] = decoder.feed(b"\n\n")
    assert len(event.data) == len(line) - len(b"data: ")
    # A decoder that rescans what it holds goes over ~2,048 * 1 MiB characters.
    assert CountingText.touched < 10 * len(line)


def test_a_line_longer_than_the_limit_raises_as_soon_as_it_is() -> None:
    decoder = EventDecoder(max_size=1000)
    assert decoder.feed(b"data: " + b"x" * 900) == []
    with pytest.raises(EventTooLargeError, match=r"a line .* longer than 1000"):
        decoder.feed(b"x" * 200)
    with pytest.raises(EventTooLargeError, match="a line"):
        EventDecoder(max_size=1000).feed(b"data: " + b"x" * 2000 + b"\n")


@pytest.mark.parametrize("line", [b"data: " + b"x" * 995, b"data:" + b"x" * 996])
def test_a_data_line_over_the_limit_raises_though_its_value_fits(line: bytes) -> None:
    # The value with its newline is 996 or 997 characters, the line 1001.
    with pytest.raises(EventTooLargeError, match="a line"):
        EventDecoder(max_size=1000).feed(line + b"\n\n")
    assert EventDecoder(max_size=1001).feed(line + b"\n\n")


def test_an_event_longer_than_the_limit_raises() -> None:
    decoder = EventDecoder(max_size=1000)
    lines = b"data: " + b"y" * 400 + b"\n"
    assert decoder.feed(lines * 2) == []
    with pytest.raises(EventTooLargeError, match="an event"):
        decoder.feed(lines)


def test_events_within_the_limit_are_decoded() -> None:
    decoder = EventDecoder(max_size=1000)
    event = b"data: " + b"z" * 990 + b"\n\n"
    assert [len(e.data) for e in decoder.feed(event * 3)] == [990] * 3
