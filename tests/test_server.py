"""The loopback server itself: a client hanging up is a fault scenario, not a test failure."""

from __future__ import annotations

import socket
import struct
import threading
import time

import pytest

from .server import LoopbackServer, Recorded, Reply


def _wait_for(condition: object, what: str) -> None:
    deadline = time.monotonic() + 10
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.01)


def test_a_client_that_hangs_up_leaves_stderr_clean(
    capfd: pytest.CaptureFixture[str],
) -> None:
    hung_up = threading.Event()

    def reply_after_the_hang_up(record: Recorded) -> Reply:
        hung_up.wait(10)
        return Reply(body=b"x" * 1_000_000)

    server = LoopbackServer().start()
    server.on_request = reply_after_the_hang_up
    try:
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            # Linger 0: close() resets the connection, as a killed client does.
            sock.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            sock.sendall(b"POST /v1/x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
            _wait_for(lambda: server.requests, "the request")
        hung_up.set()
        _wait_for(lambda: server.disconnects, "the server to see the reset")
    finally:
        hung_up.set()
        server.stop()
    assert server.disconnects == 1
    assert capfd.readouterr().err == ""
