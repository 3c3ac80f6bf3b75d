"""A real HTTP server on loopback for client tests: scripted replies, recorded requests.

Runs in a thread of the test process. Each test queues the replies it wants; requests
beyond the queue get the default reply. Every request is recorded with its body.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs

COMPLETION = {
    "id": "cmpl-e5cc70bb28c444948073e77776eb30ef",
    "object": "chat.completion",
    "model": "codestral-latest",
    "usage": {"prompt_tokens": 16, "completion_tokens": 34, "total_tokens": 50},
    "created": 1702256327,
    "choices": [
        {
            "index": 0,
            "message": {
                "content": "return a + b",
                "role": "assistant",
                "tool_calls": None,
                "prefix": False,
            },
            "finish_reason": "stop",
        }
    ],
}


def chunk(index: int, text: str = "x", finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "cmpl-1",
        "object": "chat.completion.chunk",
        "created": 1702256327,
        "model": "codestral-latest",
        "choices": [
            {
                "index": 0,
                "delta": {"content": f"{text}{index}"},
                "finish_reason": finish,
            }
        ],
    }


def sse(payloads: Sequence[Any], *, done: bool = True, newline: str = "\n") -> bytes:
    """An event stream of JSON payloads, ended by ``data: [DONE]`` when ``done``."""
    lines = [f"data: {json.dumps(p)}{newline}{newline}" for p in payloads]
    if done:
        lines.append(f"data: [DONE]{newline}{newline}")
    return "".join(lines).encode()


@attrs.define
class Reply:
    """What the server answers: a status, headers and a body sent in ``chunks``.

    ``cut_after`` closes the connection after that many chunks, leaving a declared
    Content-Length unmet; ``delay`` sleeps before answering.
    """

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = attrs.Factory(dict)
    chunks: Sequence[bytes] | None = None
    cut_after: int | None = None
    delay: float = 0.0
    chunk_delay: float = 0.0

    @classmethod
    def json(cls, data: Any, status: int = 200, **kwargs: Any) -> Reply:
        headers = {"Content-Type": "application/json", **kwargs.pop("headers", {})}
        return cls(
            status=status, body=json.dumps(data).encode(), headers=headers, **kwargs
        )

    @classmethod
    def events(cls, body: bytes, *, size: int | None = None, **kwargs: Any) -> Reply:
        pieces = (
            [body]
            if size is None
            else [body[i : i + size] for i in range(0, len(body), size)]
        )
        return cls(
            body=body,
            chunks=pieces,
            headers={"Content-Type": "text/event-stream"},
            **kwargs,
        )


@attrs.define
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    port: int = 0  # the client's port: one per connection

    def json(self) -> Any:
        return json.loads(self.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Clients that hang up mid-reply: expected in the fault tests, counted, not printed.
    disconnects = 0

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            self.disconnects += 1
            return
        super().handle_error(request, client_address)


class LoopbackServer:
    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.default = Reply.json(COMPLETION)
        self.requests: list[Recorded] = []
        self.on_request: Callable[[Recorded], Reply | None] | None = None
        self.sent = 0  # body bytes written, of every reply
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *_: Any) -> None:
                pass

            def body(self) -> bytes:
                """The request body: by Content-Length, or chunked (a streamed file)."""
                if "chunked" not in self.headers.get("Transfer-Encoding", "").lower():
                    return self.rfile.read(int(self.headers.get("Content-Length") or 0))
                pieces = []
                while size := int(self.rfile.readline().split(b";")[0], 16):
                    pieces.append(self.rfile.read(size))
                    self.rfile.readline()
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(pieces)

            def do_POST(self) -> None:
                record = Recorded(
                    self.command,
                    self.path,
                    dict(self.headers.items()),
                    self.body(),
                    self.client_address[1],
                )
                server.requests.append(record)
                reply = server.on_request(record) if server.on_request else None
                if reply is None:
                    reply = (
                        server.replies.popleft() if server.replies else server.default
                    )
                self.answer(reply)

            do_GET = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_POST

            def answer(self, reply: Reply) -> None:
                time.sleep(reply.delay)
                chunks = (
                    list(reply.chunks) if reply.chunks is not None else [reply.body]
                )
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                if reply.cut_after is not None:
                    self.send_header("Connection", "close")
                self.end_headers()
                for index, piece in enumerate(chunks):
                    if reply.cut_after is not None and index >= reply.cut_after:
                        self.close_connection = True
                        self.wfile.flush()
                        return
                    try:
                        self.wfile.write(piece)
                        self.wfile.flush()
                    except OSError:  # the client has gone: stop quietly
                        self.close_connection = True
                        return
                    server.sent += len(piece)
                    time.sleep(reply.chunk_delay)

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def disconnects(self) -> int:
        """How many connections the clients broke off while the server used them."""
        return self._server.disconnects

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        self.replies.clear()
        self.requests.clear()
        self.default = Reply.json(COMPLETION)
        self.on_request = None
        self.sent = 0

    def queue(self, *replies: Reply) -> None:
        self.replies.extend(replies)


def serve() -> Iterator[LoopbackServer]:
    server = LoopbackServer().start()
    try:
        yield server
    finally:
        server.stop()


class RawServer:
    """A socket server on loopback that answers each connection with ``talk``.

    For faults an HTTP server will not produce: headers sent a byte at a time, say.
    ``talk`` gets the connected socket; it may write whatever it likes. ``sent``
    counts what it wrote before the client went away.
    """

    def __init__(self, talk: Callable[[RawServer, socket.socket], None]) -> None:
        self._talk = talk
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._stopping = threading.Event()
        self.sent = 0
        self.connections = 0
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"http://{host}:{port}"

    def send(self, sock: socket.socket, data: bytes) -> bool:
        """Write ``data``; False once the client has gone."""
        if self._stopping.is_set():
            return False
        try:
            sock.sendall(data)
        except OSError:
            return False
        self.sent += len(data)
        return True

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        with sock:
            sock.settimeout(5)
            try:
                sock.recv(65536)  # the request: its content does not matter here
                self._talk(self, sock)
            except OSError:
                pass

    def stop(self) -> None:
        self._stopping.set()
        self._listener.close()
        self._thread.join(timeout=5)
