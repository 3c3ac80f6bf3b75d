"""specbind's bindings and clients against their peers, all measured in one run.

Run it through nox, which installs the peers in a venv of its own::

    nox -s bench                 # everything; writes benchmarks/RESULTS.md
    nox -s bench -- --quick      # fewer repeats
    nox -s bench -- --only a,b   # some sections (a b c d e f g h i)
    nox -s bench -- --profile b  # cProfile of our side of one section

Sections:
  a. request model -> JSON bytes        d. one request on a loopback server
  b. JSON bytes -> validated models     e. SSE events per second, one stream
  c. import time in a fresh interpreter f. code generation time
  g. decoding at API scale (chat completion with tool calls, 100 files), with a floor
  h. events per second over one 100,000-event chat stream, against raw httpx
  i. per request against raw httpx: JSON, GET with parameters, upload, download
  j. import time of the whole-API package (spec/mistral.yaml) against the SDK
g, h and i use benchmarks/bench_api.yaml, generated into a directory of the run.

Every number is a median of interleaved repeats (the candidates of a section take
turns, so a noisy neighbour hits them all alike); the targets are ratios between
numbers of the same run, never absolute times.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import importlib
import importlib.metadata
import io
import json
import os
import platform
import pstats
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
STYLES = GENERATED / "styles"
FIM_OPENAPI = Path(__file__).resolve().parent / "fim-openapi.yaml"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"

sys.path[:0] = [str(GENERATED), str(STYLES)]

# The payloads: what Mistral's FIM endpoint sends (the shapes of tests/server.py).
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


def chunk(index: int) -> dict[str, Any]:
    return {
        "id": "cmpl-1",
        "object": "chat.completion.chunk",
        "created": 1702256327,
        "model": "codestral-latest",
        "choices": [
            {"index": 0, "delta": {"content": f"x{index}"}, "finish_reason": None}
        ],
    }


REQUEST = {
    "model": "codestral-latest",
    "prompt": "def fibonacci(n: int) -> int:\n    ",
    "suffix": "\n\nprint(fibonacci(10))",
    "temperature": 0.2,
    "max_tokens": 64,
    "stop": ["\n\n"],
}
COMPLETION_BYTES = json.dumps(COMPLETION).encode()
CHUNK_BYTES = json.dumps(chunk(7)).encode()
SSE_EVENTS = 10_000


def sse_body(events: int) -> bytes:
    lines = [f"data: {json.dumps(chunk(i))}\n\n" for i in range(events)]
    lines.append("data: [DONE]\n\n")
    return "".join(lines).encode()


# -- measuring -----------------------------------------------------------------


class Row:
    """One candidate's result in a section: a median time, or why there is none."""

    def __init__(
        self,
        section: str,
        name: str,
        seconds: float | None,
        *,
        note: str = "",
        unit: str = "time",
        events: int = SSE_EVENTS,
    ) -> None:
        self.section, self.name, self.seconds = section, name, seconds
        self.note, self.unit, self.events = note, unit, events


ROWS: list[Row] = []

# What race() and the stream and download sections time: this process's CPU time (all
# its threads, the loopback server's too, user and system) unless --wall is given. On
# a shared machine wall time is mostly waiting for a core, which CPU time leaves out.
TIMER: list[Callable[[], float]] = [time.process_time]


def calibrate(fn: Callable[[], Any], budget: float) -> int:
    """How many calls take about ``budget`` seconds."""
    number = 1
    while True:
        start = TIMER[0]()
        for _ in range(number):
            fn()
        took = TIMER[0]() - start
        if took >= budget / 4 or number >= 1 << 22:
            return max(1, int(number * budget / max(took, 1e-9)))
        number *= 4


def race(
    candidates: dict[str, Callable[[], Any] | None],
    *,
    repeats: int,
    budget: float = 0.02,
) -> dict[str, float | None]:
    """Median seconds per call of each candidate, the candidates taking turns."""
    live = {name: fn for name, fn in candidates.items() if fn is not None}
    numbers = {name: calibrate(fn, budget) for name, fn in live.items()}
    samples: dict[str, list[float]] = {name: [] for name in live}
    for _ in range(repeats):
        for name, fn in live.items():
            number = numbers[name]
            gc.collect()
            start = TIMER[0]()
            for _ in range(number):
                fn()
            samples[name].append((TIMER[0]() - start) / number)
    return {
        name: statistics.median(samples[name]) if name in samples else None
        for name in candidates
    }


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.2f} µs"


def record(
    section: str, results: dict[str, float | None], notes: dict[str, str]
) -> None:
    for name, seconds in results.items():
        ROWS.append(Row(section, name, seconds, note=notes.get(name, "")))


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


# -- the candidates ------------------------------------------------------------


def load_style(name: str) -> tuple[Any | None, str]:
    """A datamodel-code-generator style module of generated/styles, if it is there."""
    path = STYLES / f"mistral_fim_{name}.py"
    if not path.exists():
        return None, f"n/a: {path.relative_to(ROOT)} does not exist"
    try:
        return importlib.import_module(f"mistral_fim_{name}"), ""
    except Exception as exc:  # a missing library, a style that does not import
        return None, f"n/a: {type(exc).__name__}: {exc}"


def load_sdk() -> tuple[Any | None, str]:
    try:
        import mistralai  # noqa: F401
        from mistralai import models, utils
    except Exception as exc:
        return None, f"n/a: {type(exc).__name__}: {exc}"
    return (models, utils), ""


def section_a(repeats: int) -> None:
    from mistral_fim import _http, converter
    from mistral_fim.converters import unstructure_fim_completion_request
    from mistral_fim.models import FIMCompletionRequest

    ours_req = FIMCompletionRequest(**REQUEST)
    dumps = _http.dumps
    std_dumps = _http._std_dumps
    unstructure = converter.unstructure

    candidates: dict[str, Callable[[], Any] | None] = {
        "ours (converter.unstructure + dumps)": lambda: dumps(unstructure(ours_req)),
        "ours, stdlib json": lambda: std_dumps(unstructure(ours_req)),
        "ours, client path (generated hook + dumps)": lambda: dumps(
            unstructure_fim_completion_request(ours_req)
        ),
    }
    # The client path in its two parts: what the hook costs, and what encoding the
    # dict it returns costs (the floor of any dict-building encoder).
    built = unstructure_fim_completion_request(ours_req)
    candidates["ours, the generated hook alone"] = lambda: (
        unstructure_fim_completion_request(ours_req)
    )
    candidates["ours, dumps of the hook's dict alone"] = lambda: dumps(built)
    notes: dict[str, str] = {}
    if dumps is std_dumps:
        notes["ours (converter.unstructure + dumps)"] = "orjson is not installed"

    sdk, why = load_sdk()
    if sdk:
        models, utils = sdk
        sdk_req = models.FIMCompletionRequest(**REQUEST)

        def sdk_serialize() -> bytes:
            body = utils.serialize_request_body(
                sdk_req, False, False, "json", models.FIMCompletionRequest
            )
            return body.content.encode()

        candidates["mistralai 1.2.0 (serialize_request_body)"] = sdk_serialize
    else:
        candidates["mistralai 1.2.0 (serialize_request_body)"] = None
        notes["mistralai 1.2.0 (serialize_request_body)"] = why

    pyd, why = load_style("pydantic")
    name = "pydantic style (model_dump_json)"
    try:
        assert pyd is not None, why
        pyd_req = pyd.FIMCompletionRequest(**REQUEST)
        to_json = type(pyd_req).__pydantic_serializer__.to_json
        # With pydantic's MISSING sentinel absent fields are dropped by a plain dump;
        # without it only exclude_unset keeps absent apart from a default.
        missing = "MISSING" in Path(pyd.__file__).read_text()
        candidates[name] = (
            (lambda: to_json(pyd_req))
            if missing
            else (lambda: to_json(pyd_req, exclude_unset=True))
        )
        notes[name] = "MISSING sentinel" if missing else "exclude_unset=True"
    except Exception as exc:
        candidates[name] = None
        notes[name] = why or f"n/a: {type(exc).__name__}: {exc}"

    ms, why = load_style("msgspec")
    name = "msgspec style (msgspec.json.encode)"
    try:
        assert ms is not None, why
        import msgspec

        ms_req = ms.FIMCompletionRequest(**REQUEST)
        encode = msgspec.json.Encoder().encode
        candidates[name] = lambda: encode(ms_req)
    except Exception as exc:
        candidates[name] = None
        notes[name] = why or f"n/a: {type(exc).__name__}: {exc}"

    record("a", race(candidates, repeats=repeats), notes)


def section_b(repeats: int) -> None:
    from mistral_fim import _http, converter
    from mistral_fim.converters import (
        structure_completion_chunk,
        structure_fim_completion_response,
    )
    from mistral_fim.models import CompletionChunk, FIMCompletionResponse

    loads, structure = _http.loads, converter.structure
    std_loads = json.loads
    for label, payload, model, hook in [
        (
            "FIMCompletionResponse",
            COMPLETION_BYTES,
            FIMCompletionResponse,
            structure_fim_completion_response,
        ),
        ("CompletionChunk", CHUNK_BYTES, CompletionChunk, structure_completion_chunk),
    ]:
        candidates: dict[str, Callable[[], Any] | None] = {
            "ours (loads + converter.structure)": (
                lambda p=payload, m=model: structure(loads(p), m)
            ),
            "ours, stdlib json": lambda p=payload, m=model: structure(std_loads(p), m),
            "ours, client path (loads + generated hook)": (
                lambda p=payload, h=hook: h(loads(p))
            ),
        }
        notes: dict[str, str] = {}
        text = payload.decode()
        sdk, why = load_sdk()
        sdk_name = "mistralai 1.2.0 (unmarshal_json)"
        if sdk:
            models, utils = sdk
            typ = getattr(models, label)
            candidates[sdk_name] = lambda t=text, typ=typ, u=utils: u.unmarshal_json(
                t, typ
            )
        else:
            candidates[sdk_name] = None
            notes[sdk_name] = why
        pyd, why = load_style("pydantic")
        name = "pydantic style (model_validate_json)"
        try:
            assert pyd is not None, why
            cls = getattr(pyd, label)
            cls.model_validate_json(payload)
            candidates[name] = lambda p=payload, c=cls: c.model_validate_json(p)
        except Exception as exc:
            candidates[name] = None
            notes[name] = why or f"n/a: {type(exc).__name__}: {exc}"
        ms, why = load_style("msgspec")
        name = "msgspec style (Decoder.decode)"
        try:
            assert ms is not None, why
            import msgspec

            decode = msgspec.json.Decoder(getattr(ms, label)).decode
            decode(payload)
            candidates[name] = lambda p=payload, d=decode: d(p)
        except Exception as exc:
            candidates[name] = None
            notes[name] = why or f"n/a: {type(exc).__name__}: {exc}"
        record(f"b:{label}", race(candidates, repeats=repeats), notes)


# -- c: imports ----------------------------------------------------------------


# httpx imports its command-line extras (click, rich, pygments) whenever they are
# installed, as they are here because openapi-python-client needs them; neither
# mistralai nor the generated client does. Section c hides them, as a default install
# of either library has them not; section c:installed times this venv as it is.
HIDE_HTTPX_CLI = "import sys; sys.modules.update(click=None, rich=None, pygments=None)"


def section_c(runs: int) -> None:
    """Fresh-interpreter wall time of an import, less that of ``python -c pass``."""
    with tempfile.TemporaryDirectory() as tmp:
        # A vendored package has its bytecode cached after the first import; the peers'
        # was compiled by pip. Compile ours likewise so that no one pays for compiling.
        shutil.copytree(GENERATED / "mistral_fim", Path(tmp) / "mistral_fim")
        if STYLES.is_dir():
            for style in STYLES.glob("mistral_fim_*.py"):
                shutil.copy(style, tmp)
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", tmp],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        env = {**os.environ, "PYTHONPATH": tmp}
        candidates = {
            "python -c pass": "pass",
            "import mistral_fim": "import mistral_fim",
            "from mistral_fim import Client": "from mistral_fim import Client",
            "from mistralai import Mistral": "from mistralai import Mistral",
        }
        notes: dict[str, str] = {}
        for module in ["mistral_fim_pydantic", "mistral_fim_msgspec"]:
            name = f"import {module} (style)"
            if (Path(tmp) / f"{module}.py").exists():
                candidates[name] = f"import {module}"
            else:
                notes[name] = "n/a: the style does not exist yet"
        for section, prefix in [("c", HIDE_HTTPX_CLI + "\n"), ("c:installed", "")]:
            time_imports(section, candidates, dict(notes), prefix, env, runs)


def time_imports(
    section: str,
    candidates: dict[str, str],
    notes: dict[str, str],
    prefix: str,
    env: dict[str, str],
    runs: int,
) -> None:
    usable = {}
    for name, code in candidates.items():
        probe = subprocess.run(
            [sys.executable, "-c", prefix + code],
            env=env,
            capture_output=True,
            text=True,
        )
        if probe.returncode == 0:
            usable[name] = prefix + code
        else:
            notes[name] = "n/a: " + probe.stderr.strip().splitlines()[-1]
    samples: dict[str, list[float]] = {name: [] for name in usable}
    for _ in range(runs):
        for name, code in usable.items():
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], env=env, check=True)
            samples[name].append(time.perf_counter() - start)
    base = statistics.median(samples["python -c pass"])
    results: dict[str, float | None] = {}
    for name in [*candidates, *notes]:
        if name == "python -c pass":
            continue
        results[name] = (
            statistics.median(samples[name]) - base if name in samples else None
        )
    notes["python -c pass"] = f"subtracted from each: {fmt_time(base)}"
    ROWS.append(Row(section, "python -c pass", base, note=notes["python -c pass"]))
    record(section, results, notes)


MISTRAL_SPEC = ROOT / "spec" / "mistral.yaml"
# ``-X importtime``'s heaviest modules (self time) of ``from mistral import Client``.
IMPORT_PROFILE: list[tuple[int, str]] = []


# What a user who touches one group does: the chat request, and one payload of it.
CHAT_REQUEST = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}


def import_candidates(package: str) -> dict[str, str]:
    """Section j's rows for ``package``: the models package loads a group's module on
    a name's first use, and the converter a group's hooks on a type's first use, so
    each row touches what it names."""
    one_model = f"import {package}.models\n{package}.models.ChatCompletionRequest"
    structure = (
        f"from {package} import converter\n"
        f"from {package}.models import ChatCompletionRequest\n"
        f"converter.structure({CHAT_REQUEST!r}, ChatCompletionRequest)"
    )
    return {
        "python -c pass": "pass",
        f"{package}.models + one group's model (models)": one_model,
        f"{package}.models, every model (reported)": (
            f"import {package}.models as m\nfor n in m.__all__: getattr(m, n)"
        ),
        "one group's model + structuring one payload (models + converter)": structure,
        f"{package}.converters, every group's hooks + that payload (reported)": (
            f"import {package}.converters as c\nfor n in c.__all__: getattr(c, n)\n"
            + structure
        ),
        f"from {package} import Client": f"from {package} import Client",
        "from mistralai import Mistral": "from mistralai import Mistral",
    }


def section_j(runs: int) -> None:
    """Issue 14 target 2: import time of the whole-API package (spec/mistral.yaml),
    models alone, with the converter, and the client, against the SDK's; then the
    same for the package of the 2026 document."""
    from specbind.cli import main as specbind_main

    with tempfile.TemporaryDirectory() as tmp:
        with contextlib.redirect_stdout(io.StringIO()):
            code = specbind_main(["generate", str(MISTRAL_SPEC), "--out", tmp])
        if code:
            raise SystemExit(f"specbind generate {MISTRAL_SPEC} failed ({code})")
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", tmp],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        env = {**os.environ, "PYTHONPATH": tmp}
        time_imports(
            "j", import_candidates("mistral"), {}, HIDE_HTTPX_CLI + "\n", env, runs
        )
        # The 2026 document's package (173 operations, 481 schemas), for issue 12.
        # Its own folder: a second generate into ``tmp`` would remove the first package.
        folder_2026 = Path(tmp) / "api_2026"
        spec_2026 = folder_2026 / "mistral_2026.yaml"
        with (
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()),
        ):
            code = specbind_main(
                [
                    "import",
                    str(WHOLE_API),
                    "--skip-unsupported",
                    "--out",
                    str(spec_2026),
                ]
            ) or specbind_main(
                [
                    "generate",
                    str(spec_2026),
                    "--out",
                    str(folder_2026),
                    "--only",
                    "models,converters,client",
                ]
            )
        if code:
            raise SystemExit(f"specbind import/generate of {WHOLE_API} failed ({code})")
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", tmp],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        env_2026 = {**os.environ, "PYTHONPATH": str(folder_2026)}
        time_imports(
            "j:2026",
            import_candidates("mistral_2026"),
            {},
            HIDE_HTTPX_CLI + "\n",
            env_2026,
            runs,
        )
        done = subprocess.run(
            [
                sys.executable,
                "-X",
                "importtime",
                "-c",
                HIDE_HTTPX_CLI + "\nfrom mistral import Client",
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        rows = []
        for line in done.stderr.splitlines():
            parts = line.removeprefix("import time:").split("|")
            if len(parts) == 3 and parts[0].strip().isdigit():
                rows.append((int(parts[0]), parts[2].strip()))
        IMPORT_PROFILE[:] = sorted(rows, reverse=True)[:6]


# -- d and e: a loopback server ------------------------------------------------


class BenchServer:
    """A minimal HTTP/1.1 keep-alive server in a thread: canned replies, no parsing
    beyond the headers, so that the clients' own costs dominate what is measured."""

    def __init__(self, json_body: bytes, events: bytes) -> None:
        self.json_reply = self._reply("application/json", json_body)
        self.sse_reply = self._reply("text/event-stream", events)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.requests = 0
        threading.Thread(target=self._accept, daemon=True).start()

    @staticmethod
    def _reply(content_type: str, body: bytes) -> bytes:
        head = (
            f"HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\n"
            f"content-length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        buffer = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in buffer:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                length = 0
                lowered = head.lower()
                for line in lowered.split(b"\r\n"):
                    if line.startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                while len(buffer) < length:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffer += data
                buffer = buffer[length:]
                self.requests += 1
                try:
                    conn.sendall(self.reply_for(lowered))
                except OSError:  # a client that stopped reading early
                    return

    def reply_for(self, head: bytes) -> bytes:
        stream = b"accept: text/event-stream" in head
        return self.sse_reply if stream else self.json_reply

    def close(self) -> None:
        self.sock.close()


@contextlib.contextmanager
def bench_server() -> Iterator[BenchServer]:
    server = BenchServer(COMPLETION_BYTES, sse_body(SSE_EVENTS))
    try:
        yield server
    finally:
        server.close()


FIELDS = {
    "model": "codestral-latest",
    "prompt": "def fibonacci(n: int) -> int:\n    ",
    "suffix": "\n\nprint(fibonacci(10))",
}


def section_d(repeats: int) -> None:
    import httpx
    from mistral_fim import Client

    with bench_server() as server:
        ours = Client(api_key="key", server_url=server.url, max_retries=0)
        raw = httpx.Client()
        url = server.url + "/v1/fim/completions"
        body = json.dumps({**FIELDS, "top_p": 1.0, "stream": False}).encode()
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "Authorization": "Bearer key",
        }
        candidates: dict[str, Callable[[], Any] | None] = {
            "raw httpx (Client.post, bytes in, bytes out)": (
                lambda: raw.post(url, content=body, headers=headers).content
            ),
            "ours (Client.fim.complete)": lambda: ours.fim.complete(**FIELDS),
        }
        notes: dict[str, str] = {}
        sdk_name = "mistralai 1.2.0 (Mistral.fim.complete)"
        try:
            from mistralai import Mistral

            sdk = Mistral(api_key="key", server_url=server.url)
            sdk.fim.complete(**FIELDS)
            candidates[sdk_name] = lambda: sdk.fim.complete(**FIELDS)
        except Exception as exc:
            candidates[sdk_name] = None
            notes[sdk_name] = f"n/a: {type(exc).__name__}: {exc}"
        assert ours.fim.complete(**FIELDS).usage.total_tokens == 50
        record("d", race(candidates, repeats=repeats, budget=0.1), notes)
        ours.close()
        raw.close()


def section_e(repeats: int) -> None:
    from mistral_fim import Client

    def ours_stream(client: Any) -> int:
        count = 0
        with client.fim.stream(**FIELDS) as events:
            for _ in events:
                count += 1
        return count

    def sdk_stream(client: Any) -> int:
        count = 0
        for _ in client.fim.stream(**FIELDS):
            count += 1
        return count

    with bench_server() as server:
        ours = Client(api_key="key", server_url=server.url, max_retries=0)
        candidates: dict[str, Callable[[], Any] | None] = {
            "ours (Client.fim.stream)": lambda: ours_stream(ours),
        }
        notes: dict[str, str] = {}
        sdk_name = "mistralai 1.2.0 (Mistral.fim.stream)"
        try:
            from mistralai import Mistral

            sdk = Mistral(api_key="key", server_url=server.url)
            assert sdk_stream(sdk) == SSE_EVENTS
            candidates[sdk_name] = lambda: sdk_stream(sdk)
        except Exception as exc:
            candidates[sdk_name] = None
            notes[sdk_name] = f"n/a: {type(exc).__name__}: {exc}"
        assert ours_stream(ours) == SSE_EVENTS
        samples: dict[str, list[float]] = {n: [] for n, f in candidates.items() if f}
        for _ in range(repeats):
            for name, fn in candidates.items():
                if fn is None:
                    continue
                gc.collect()
                start = TIMER[0]()
                fn()
                samples[name].append(TIMER[0]() - start)
        for name in candidates:
            seconds = statistics.median(samples[name]) if name in samples else None
            ROWS.append(
                Row("e", name, seconds, note=notes.get(name, ""), unit="stream")
            )
        ours.close()


# -- g, h, i: a slice of the whole API (benchmarks/bench_api.yaml) -------------

BENCH_SPEC = Path(__file__).resolve().parent / "bench_api.yaml"
_BENCH_DIR: list[tempfile.TemporaryDirectory[str]] = []


def bench_api() -> Any:
    """``bench_api`` generated from benchmarks/bench_api.yaml (every output, its
    styles too) into a directory of this run, and imported."""
    if not _BENCH_DIR:
        tmp = tempfile.TemporaryDirectory()
        _BENCH_DIR.append(tmp)
        from specbind.cli import main as specbind_main

        with contextlib.redirect_stdout(io.StringIO()):
            code = specbind_main(["generate", str(BENCH_SPEC), "--out", tmp.name])
        if code:
            raise SystemExit(f"specbind generate {BENCH_SPEC} failed ({code})")
        sys.path[:0] = [tmp.name, str(Path(tmp.name) / "styles")]
    return importlib.import_module("bench_api")


def load_bench_style(name: str) -> tuple[Any | None, str]:
    bench_api()
    try:
        return importlib.import_module(f"bench_api_{name}"), ""
    except Exception as exc:
        return None, f"n/a: {type(exc).__name__}: {exc}"


CHAT_COMPLETION = {
    "id": "cf79f7daaee244b1a0ae5c7b1444424a",
    "object": "chat.completion",
    "model": "mistral-large-latest",
    "usage": {"prompt_tokens": 117, "completion_tokens": 43, "total_tokens": 160},
    "created": 1724319996,
    "choices": [
        {
            "index": 0,
            "message": {
                "content": "",
                "role": "assistant",
                "prefix": False,
                "tool_calls": [
                    {
                        "id": "D681PevKs",
                        "type": "function",
                        "function": {
                            "name": "retrieve_payment_status",
                            "arguments": '{"transaction_id": "T1001"}',
                        },
                    },
                    {
                        "id": "Yq7XvBbnR",
                        "type": "function",
                        "function": {
                            "name": "retrieve_payment_date",
                            "arguments": {"transaction_id": "T1001", "full": True},
                        },
                    },
                ],
            },
            "finish_reason": "tool_calls",
        }
    ],
}


def file_schema(index: int) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": str(uuid.UUID(int=0x497F6ECA62764993BFEB53CBBBBA6F08 + index)),
        "object": "file",
        "bytes": 13000 + index,
        "created_at": 1716963433 + index,
        "filename": f"train_{index}.jsonl",
        "purpose": "fine-tune",
        "sample_type": ("instruct", "pretrain", "batch_result")[index % 3],
        "source": "upload",
    }
    if index % 4:
        entry["num_lines"] = None if index % 4 == 1 else 100 + index
    return entry


FILES_LIST = {
    "data": [file_schema(i) for i in range(100)],
    "object": "list",
    "total": 100,
}
CHAT_BYTES = json.dumps(CHAT_COMPLETION).encode()
FILES_LIST_BYTES = json.dumps(FILES_LIST).encode()
FILE_BYTES = json.dumps(file_schema(1)).encode()
CHAT_STREAM_EVENTS = 100_000
UPLOAD_SIZE = 1 << 20
DOWNLOAD_SIZE = 100 << 20


def enum_members(enum_type: Any) -> dict[str, Any]:
    return {member.value: member for member in enum_type}


def floor_decoders() -> dict[str, Callable[[bytes], Any]]:
    """orjson.loads plus building the very objects the hooks build, by hand, with
    no checks at all: what decoding costs at the least with these classes."""
    import orjson
    from mistral_fim import models as fim

    api = bench_api().models
    fim_reason = enum_members(fim.FinishReason)
    fim_role = enum_members(fim.AssistantMessageRole)
    reason = enum_members(api.FinishReason)
    role = enum_members(api.AssistantMessageRole)
    tool_type = enum_members(api.ToolTypes)
    purpose = enum_members(api.FilePurpose)
    sample = enum_members(api.SampleType)
    source = enum_members(api.Source)
    unset = api.UNSET

    def fim_response(payload: bytes) -> Any:
        d = orjson.loads(payload)
        u = d["usage"]
        return fim.FIMCompletionResponse(
            id=d["id"],
            object=d["object"],
            model=d["model"],
            usage=fim.UsageInfo(
                prompt_tokens=u["prompt_tokens"],
                completion_tokens=u["completion_tokens"],
                total_tokens=u["total_tokens"],
            ),
            created=d["created"],
            choices=[
                fim.ChatCompletionChoice(
                    index=c["index"],
                    message=fim.AssistantMessage(
                        content=c["message"]["content"],
                        tool_calls=c["message"]["tool_calls"],
                        prefix=c["message"]["prefix"],
                        role=fim_role[c["message"]["role"]],
                    ),
                    finish_reason=fim_reason.get(
                        c["finish_reason"], c["finish_reason"]
                    ),
                )
                for c in d["choices"]
            ],
        )

    def chat_response(payload: bytes) -> Any:
        d = orjson.loads(payload)
        u = d["usage"]
        choices = []
        for c in d["choices"]:
            m = c["message"]
            calls = [
                api.ToolCall(
                    function=api.FunctionCall(
                        name=t["function"]["name"], arguments=t["function"]["arguments"]
                    ),
                    id=t["id"],
                    type=tool_type.get(t["type"], t["type"]),
                )
                for t in m["tool_calls"]
            ]
            choices.append(
                api.ChatCompletionChoice(
                    index=c["index"],
                    message=api.AssistantMessage(
                        content=m["content"],
                        tool_calls=calls,
                        prefix=m["prefix"],
                        role=role[m["role"]],
                    ),
                    finish_reason=reason.get(c["finish_reason"], c["finish_reason"]),
                )
            )
        return api.ChatCompletionResponse(
            id=d["id"],
            object=d["object"],
            model=d["model"],
            usage=api.UsageInfo(
                prompt_tokens=u["prompt_tokens"],
                completion_tokens=u["completion_tokens"],
                total_tokens=u["total_tokens"],
            ),
            created=d["created"],
            choices=choices,
        )

    def files_list(payload: bytes) -> Any:
        d = orjson.loads(payload)
        return api.ListFilesOut(
            data=[
                api.FileSchema(
                    id=f["id"],
                    object=f["object"],
                    bytes=f["bytes"],
                    created_at=f["created_at"],
                    filename=f["filename"],
                    purpose=purpose.get(f["purpose"], f["purpose"]),
                    sample_type=sample.get(f["sample_type"], f["sample_type"]),
                    source=source.get(f["source"], f["source"]),
                    num_lines=f.get("num_lines", unset),
                )
                for f in d["data"]
            ],
            object=d["object"],
            total=d["total"],
        )

    return {
        "FIMCompletionResponse": fim_response,
        "ChatCompletionResponse": chat_response,
        "ListFilesOut": files_list,
    }


DECODE_CASES = [
    # (label, payload, package, hook)
    (
        "FIMCompletionResponse",
        COMPLETION_BYTES,
        "mistral_fim",
        "fim_completion_response",
    ),
    ("ChatCompletionResponse", CHAT_BYTES, "bench_api", "chat_completion_response"),
    ("ListFilesOut", FILES_LIST_BYTES, "bench_api", "list_files_out"),
]


def section_g(repeats: int) -> None:
    """JSON bytes -> validated models on the client's path, against the pydantic and
    msgspec styles and the floor."""
    bench_api()
    floors = floor_decoders()
    for label, payload, package, hook_name in DECODE_CASES:
        http = importlib.import_module(f"{package}._http")
        hook = getattr(
            importlib.import_module(f"{package}.converters"), f"structure_{hook_name}"
        )
        loads = http.loads
        floor = floors[label]
        if floor(payload) != hook(loads(payload)):
            raise SystemExit(f"the floor of {label} builds other objects than ours")
        candidates: dict[str, Callable[[], Any] | None] = {
            "ours, client path (loads + generated hook)": (
                lambda p=payload, h=hook, ld=loads: h(ld(p))
            ),
            "floor (orjson.loads + the attrs classes, no checks)": (
                lambda p=payload, f=floor: f(p)
            ),
        }
        notes: dict[str, str] = {}
        load = load_style if package == "mistral_fim" else load_bench_style
        for style, name, make in [
            (
                "pydantic",
                "pydantic style (model_validate_json)",
                lambda cls: cls.model_validate_json,
            ),
            (
                "msgspec",
                "msgspec style (Decoder.decode)",
                lambda cls: __import__("msgspec").json.Decoder(cls).decode,
            ),
        ]:
            module, why = load(style)
            try:
                assert module is not None, why
                decode = make(getattr(module, label))
                decode(payload)
                candidates[name] = lambda p=payload, d=decode: d(p)
            except Exception as exc:
                candidates[name] = None
                notes[name] = why or f"n/a: {type(exc).__name__}: {exc}"
        record(f"g:{label}", race(candidates, repeats=repeats), notes)


class ApiServer(BenchServer):
    """BenchServer with a route per request line: the chat completion (JSON and a
    100,000-event stream), a file's metadata, an upload and a 100 MB download."""

    def __init__(self) -> None:
        self.routes = {
            b"post /v1/chat/completions": self._reply("application/json", CHAT_BYTES),
            b"get /v1/files/abc": self._reply("application/json", FILE_BYTES),
            b"post /v1/files": self._reply("application/json", FILE_BYTES),
            b"get /v1/files/abc/content": self._reply(
                "application/octet-stream", bytes(DOWNLOAD_SIZE)
            ),
        }
        events = [
            f"data: {json.dumps(chunk(i))}\n\n" for i in range(CHAT_STREAM_EVENTS)
        ]
        super().__init__(CHAT_BYTES, "".join([*events, "data: [DONE]\n\n"]).encode())

    def reply_for(self, head: bytes) -> bytes:
        if b"accept: text/event-stream" in head:
            return self.sse_reply
        method, target = head.split(b" ", 2)[:2]
        return self.routes[method + b" " + target.split(b"?", 1)[0]]


RAW_HEADERS = {"Accept": "application/json", "Authorization": "Bearer key"}
CHAT_FIELDS = {"model": "mistral-large-latest", "max_tokens": 64}


def chat_messages(api: Any) -> list[Any]:
    return [api.AssistantMessage(content="What is the status of T1001?")]


def section_h(repeats: int) -> None:
    """Events per second over one 100,000-event chat stream."""
    import httpx
    import orjson

    api = bench_api()
    server = ApiServer()
    try:
        ours = api.Client(api_key="key", server_url=server.url, max_retries=0)
        raw = httpx.Client()
        url = server.url + "/v1/chat/completions"
        body = orjson.dumps(
            {**CHAT_FIELDS, "messages": [{"content": "hi"}], "stream": True}
        )
        headers = {
            **RAW_HEADERS,
            "Accept": "text/event-stream",
            "Content-Type": "application/json",
        }
        messages = chat_messages(api.models)

        def raw_stream() -> int:
            count = 0
            with raw.stream("POST", url, content=body, headers=headers) as response:
                for line in response.iter_lines():
                    if line.startswith("data: "):
                        if line == "data: [DONE]":
                            break
                        orjson.loads(line[6:])
                        count += 1
            return count

        def ours_stream() -> int:
            count = 0
            with ours.chat.stream(messages=messages, **CHAT_FIELDS) as events:
                for _ in events:
                    count += 1
            return count

        candidates: dict[str, Callable[[], int] | None] = {
            "raw httpx (iter_lines + orjson.loads)": raw_stream,
            "ours (Client.chat.stream)": ours_stream,
        }
        notes = {"mistralai 1.2.0 (Mistral.chat.stream)": "one run (about a minute)"}
        sdk_name = "mistralai 1.2.0 (Mistral.chat.stream)"
        try:
            from mistralai import Mistral

            sdk = Mistral(api_key="key", server_url=server.url)

            def sdk_stream() -> int:
                count = 0
                for _ in sdk.chat.stream(
                    messages=[{"role": "user", "content": "hi"}], **CHAT_FIELDS
                ):
                    count += 1
                return count

            candidates[sdk_name] = sdk_stream
        except Exception as exc:
            candidates[sdk_name] = None
            notes[sdk_name] = f"n/a: {type(exc).__name__}: {exc}"
        samples: dict[str, list[float]] = {n: [] for n, f in candidates.items() if f}
        for round_ in range(repeats):
            for name, fn in candidates.items():
                if fn is None or (name == sdk_name and round_):
                    continue  # the SDK takes about a minute a stream: one run
                gc.collect()
                start = TIMER[0]()
                count = fn()
                samples[name].append(TIMER[0]() - start)
                if count != CHAT_STREAM_EVENTS:
                    raise SystemExit(f"{name} saw {count} events")
        for name in candidates:
            took = statistics.median(samples[name]) if name in samples else None
            ROWS.append(
                Row(
                    "h",
                    name,
                    took,
                    note=notes.get(name, ""),
                    unit="stream",
                    events=CHAT_STREAM_EVENTS,
                )
            )
        ours.close()
        raw.close()
    finally:
        server.close()


def section_i(repeats: int) -> None:
    """Per request on loopback, against raw httpx: a JSON call, a GET with path and
    query parameters, a 1 MB multipart upload and a 100 MB download."""
    import httpx
    import orjson

    api = bench_api()
    server = ApiServer()
    try:
        ours = api.Client(api_key="key", server_url=server.url, max_retries=0)
        raw = httpx.Client()
        base = server.url
        messages = chat_messages(api.models)
        chat_body = orjson.dumps(
            {
                **CHAT_FIELDS,
                "messages": [{"content": "What is the status of T1001?"}],
                "top_p": 1.0,
                "stream": False,
            }
        )
        json_headers = {**RAW_HEADERS, "Content-Type": "application/json"}
        query = {"page": "2", "page_size": "50", "purpose": "fine-tune"}
        upload = bytes(range(256)) * (UPLOAD_SIZE // 256)

        def raw_download() -> int:
            size = 0
            with raw.stream("GET", base + "/v1/files/abc/content") as response:
                for piece in response.iter_bytes():
                    size += len(piece)
            return size

        def ours_download() -> int:
            size = 0
            with ours.files.download(file_id="abc") as download:
                for piece in download.iter_bytes():
                    size += len(piece)
            return size

        cases: list[tuple[str, dict[str, Callable[[], Any]], float]] = [
            (
                "i:json",
                {
                    "raw httpx (Client.post, bytes in, bytes out)": lambda: (
                        raw.post(
                            base + "/v1/chat/completions",
                            content=chat_body,
                            headers=json_headers,
                        ).content
                    ),
                    "ours (Client.chat.complete)": lambda: ours.chat.complete(
                        messages=messages, **CHAT_FIELDS
                    ),
                },
                0.1,
            ),
            (
                "i:get",
                {
                    "raw httpx (Client.get, params=, bytes out)": lambda: (
                        raw.get(
                            base + "/v1/files/abc", params=query, headers=RAW_HEADERS
                        ).content
                    ),
                    "ours (Client.files.retrieve)": lambda: ours.files.retrieve(
                        file_id="abc", page=2, page_size=50, purpose="fine-tune"
                    ),
                },
                0.1,
            ),
            (
                "i:upload",
                {
                    "raw httpx (Client.post, files= and data=)": lambda: (
                        raw.post(
                            base + "/v1/files",
                            files={"file": ("upload", upload)},
                            data={"purpose": "fine-tune"},
                            headers=RAW_HEADERS,
                        ).content
                    ),
                    "ours (Client.files.upload)": lambda: ours.files.upload(
                        file=upload, purpose="fine-tune"
                    ),
                },
                0.2,
            ),
            (
                "i:download",
                {
                    "raw httpx (Client.stream, iter_bytes)": raw_download,
                    "ours (Client.files.download, iter_bytes)": ours_download,
                },
                0.5,
            ),
        ]
        for section, candidates, budget in cases:
            for fn in candidates.values():
                fn()  # warm up, and fail early
            record(section, race(candidates, repeats=repeats, budget=budget), {})
        assert ours_download() == raw_download() == DOWNLOAD_SIZE
        for name, fn in [
            ("raw httpx (Client.stream, iter_bytes)", raw_download),
            ("ours (Client.files.download, iter_bytes)", ours_download),
        ]:
            tracemalloc.start()
            fn()
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            DOWNLOAD_PEAKS[name] = peak
            row = find("i:download", name)
            assert row is not None
            row.note = f"peak memory {peak / (1 << 20):.2f} MiB (tracemalloc)"
        ours.close()
        raw.close()
    finally:
        server.close()


DOWNLOAD_PEAKS: dict[str, int] = {}
# Flat: what a download holds at once does not grow with the body (100 MB here).
FLAT_PEAK = 4 << 20


# -- f: generation -------------------------------------------------------------


def synthetic_spec(models: int) -> str:
    """A spec of ``models`` models of eight fields each (every presence, nesting,
    lists, an open enum, a union), one enum per ten models and an operation."""
    lines = [
        "specbind: 1",
        f"package: synthetic_{models}",
        f"title: Synthetic API of {models} models",
        "server: https://example.invalid",
        "auth:",
        "  bearer:",
        "    env: SYNTHETIC_API_KEY",
        "models:",
    ]
    for i in range(models):
        lines += [
            f"  Model{i}:",
            f"    doc: Model number {i}.",
            "    fields:",
            "      id: {type: str, required: true, example: abc}",
            "      count: {type: int, minimum: 0, maximum: 1000, nullable: true}",
            "      ratio: {type: float, default: 0.5}",
            "      flag: {type: bool, required: true, nullable: true}",
            "      tags: {type: 'list[str]'}",
            "      extra: {type: 'dict[str, any]'}",
            f"      status: {{type: Status{i // 10}}}",
        ]
        if i:
            lines.append(f"      parent: {{type: Model{i - 1}, nullable: true}}")
        else:
            lines.append("      choice: {type: 'str | list[int]'}")
    lines.append("enums:")
    for j in range((models + 9) // 10):
        lines += [
            f"  Status{j}:",
            "    open: true",
            "    values: {ACTIVE: active, RETIRED: retired, PENDING: pending}",
        ]
    lines += [
        "operations:",
        "  items:",
        "    doc: Items.",
        "    methods:",
        "      get_item:",
        "        summary: Get an item",
        "        doc: Get an item.",
        "        http: POST /v1/items",
        f"        request: Model{models - 1}",
        "        response: Model0",
    ]
    return "\n".join(lines) + "\n"


WITHOUT_STYLES = """
import sys
from specbind.cli import main
sys.exit(main([*sys.argv[1:], "--only", "models,converters,client,docs,jsonschema"]))
"""


def time_command(
    args: list[str], runs: int, *, cwd: Path, env: dict[str, str]
) -> float:
    samples = []
    for _ in range(runs):
        if "--out" in args:
            # A timed generate does the work: the inputs stamp of the run before would
            # skip it (section k times that run, nothing changed, on its own).
            out = Path(args[args.index("--out") + 1])
            (out / ".specbind-stamp.json").unlink(missing_ok=True)
        start = time.perf_counter()
        subprocess.run(
            args,
            cwd=cwd,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


SYNTHETIC_WITHOUT_STYLES = "specbind generate, without the styles, synthetic spec of"


def section_f(runs: int) -> None:
    bindir = Path(sys.executable).parent
    specbind = shutil.which("specbind", path=str(bindir)) or "specbind"
    oapc = shutil.which("openapi-python-client", path=str(bindir))
    # openapi-python-client runs `ruff` on what it wrote when ruff is on PATH; its
    # own dependencies bring ruff, so it is, as in any install of it.
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    notes: dict[str, str] = {}
    results: dict[str, float | None] = {}
    # An installed wheel has its bytecode compiled, as the peers' have: do the same
    # for the editable checkout (PYTHONDONTWRITEBYTECODE may be set), and warm jinja's
    # template cache with one run before timing.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "compileall",
            "-q",
            str(ROOT / "generator" / "specbind"),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        fim = str(ROOT / "spec" / "mistral_fim.yaml")
        commands: dict[str, list[str]] = {
            # The styles are a pure function of the JSON Schema, cached by content
            # like jinja's templates: a regeneration that changes the schema pays the
            # cold cost once, every other run the warm one.
            "specbind generate (Mistral FIM spec, all outputs, styles cache warm)": [
                specbind,
                "generate",
                fim,
                "--out",
                str(tmp / "sb"),
            ],
            "specbind generate, all outputs, styles cache off (cold)": [
                "env",
                "SPECBIND_NO_CACHE=1",
                specbind,
                "generate",
                fim,
                "--out",
                str(tmp / "sb3"),
            ],
            # The same outputs less the datamodel-code-generator styles, which
            # openapi-python-client has no counterpart of.
            "specbind generate, without the styles": [
                sys.executable,
                "-c",
                WITHOUT_STYLES,
                "generate",
                fim,
                "--out",
                str(tmp / "sb2"),
            ],
        }
        name = "openapi-python-client generate (FIM OpenAPI document)"
        if oapc is None:
            results[name] = None
            notes[name] = "n/a: openapi-python-client is not installed"
        else:
            args = [
                oapc,
                "generate",
                "--path",
                str(FIM_OPENAPI),
                "--output-path",
                str(tmp / "oapc"),
                "--overwrite",
            ]
            probe = subprocess.run(
                args, cwd=tmp, env=env, capture_output=True, text=True
            )
            if probe.returncode != 0:
                results[name] = None
                notes[name] = f"n/a: exit {probe.returncode}: {probe.stderr[-200:]}"
            else:
                commands[name] = args
                warned = "Warning" in probe.stdout + probe.stderr
                notes[name] = (
                    "runs ruff on its output; "
                    if shutil.which("ruff", path=str(bindir))
                    else "ruff not found: no post-hooks; "
                ) + ("exit 0 with warnings" if warned else "no warnings")
        samples: dict[str, list[float]] = {n: [] for n in commands}
        for round_ in range(runs + 1):  # the first round warms caches, untimed
            for n, args in commands.items():
                took = time_command(args, 1, cwd=tmp, env=env)
                if round_:
                    samples[n].append(took)
        for n in commands:
            results[n] = statistics.median(samples[n])
        record("f", results, notes)
        sizes: dict[str, float | None] = {}
        size_notes: dict[str, str] = {}
        for models in (50, 500, 2000):
            spec = tmp / f"synthetic_{models}.yaml"
            spec.write_text(synthetic_spec(models))
            name = f"{SYNTHETIC_WITHOUT_STYLES} {models} models"
            sizes[name] = time_command(
                [
                    sys.executable,
                    "-c",
                    WITHOUT_STYLES,
                    "generate",
                    str(spec),
                    "--out",
                    str(tmp / f"syn{models}"),
                ],
                max(3, runs // 2),
                cwd=tmp,
                env=env,
            )
        for models in (50, 500):
            # The styles are datamodel-code-generator's work: slow, so timed once.
            spec = tmp / f"synthetic_{models}.yaml"
            name = f"specbind generate, all outputs, synthetic spec of {models} models"
            sizes[name] = time_command(
                [specbind, "generate", str(spec), "--out", str(tmp / f"all{models}")],
                1,
                cwd=tmp,
                env=env,
            )
            size_notes[name] = "one run"
        record("f:synthetic", sizes, size_notes)


# -- g: a whole API -------------------------------------------------------------

WHOLE_API = ROOT / "tests" / "reference" / "mistral-openapi-2026-07-15.yaml"
BINDINGS = "models,converters,client,docs"  # the outputs a user of the client wants


def run_timed(steps: list[list[str]], *, cwd: Path, env: dict[str, str]) -> float:
    """Wall time of ``steps`` run one after another, each a whole process."""
    start = time.perf_counter()
    for args in steps:
        subprocess.run(
            args,
            cwd=cwd,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return time.perf_counter() - start


def section_k(runs: int) -> None:
    """`specbind import` + `specbind generate` of Mistral's 2026 document (173
    operations, 481 schemas) against openapi-python-client on the same document."""
    bindir = Path(sys.executable).parent
    specbind = shutil.which("specbind", path=str(bindir)) or "specbind"
    oapc = shutil.which("openapi-python-client", path=str(bindir))
    dcg = shutil.which("datamodel-codegen", path=str(bindir))
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    results: dict[str, float | None] = {}
    notes: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        spec, out = tmp / "mistral_2026.yaml", tmp / "out"
        imports = [
            specbind, "import", str(WHOLE_API), "--skip-unsupported", "--out", str(spec)
        ]  # fmt: skip
        generate = [specbind, "generate", str(spec), "--out", str(out)]
        cold_samples, warm_samples, check_samples, only_samples = [], [], [], []
        for round_ in range(runs):
            cache = tmp / f"cache{round_}"
            shutil.rmtree(out, ignore_errors=True)
            spec.unlink(missing_ok=True)
            cold_env = {**env, "SPECBIND_CACHE_DIR": str(cache)}
            cold_samples.append(run_timed([imports, generate], cwd=tmp, env=cold_env))
            warm_samples.append(run_timed([imports, generate], cwd=tmp, env=cold_env))
            check = [
                [*imports[:-2], "--check", "--out", str(spec)],
                [*generate, "--check"],
            ]
            check_samples.append(run_timed(check, cwd=tmp, env=cold_env))
            only = [*generate[:-1], str(tmp / "only"), "--only", BINDINGS]
            shutil.rmtree(tmp / "only", ignore_errors=True)
            only_samples.append(run_timed([imports, only], cwd=tmp, env=cold_env))
        ours = "specbind import + generate (2026 document"
        results[f"{ours}, every output, styles cache cold)"] = statistics.median(
            cold_samples
        )
        results[f"{ours}, warm: nothing changed)"] = statistics.median(warm_samples)
        results["specbind import --check + generate --check (unchanged tree)"] = (
            statistics.median(check_samples)
        )
        results[f"{ours}, --only {BINDINGS})"] = statistics.median(only_samples)
        name = "openapi-python-client generate (2026 document)"
        if oapc is None:
            results[name], notes[name] = None, "n/a: not installed"
        else:
            args = [
                oapc, "generate", "--path", str(WHOLE_API),
                "--output-path", str(tmp / "oapc"), "--overwrite",
            ]  # fmt: skip
            start = time.perf_counter()
            probe = subprocess.run(
                args, cwd=tmp, env=env, capture_output=True, text=True
            )
            took = time.perf_counter() - start
            if probe.returncode != 0:
                results[name] = None
                last = (probe.stdout + probe.stderr).strip().splitlines()[-1:]
                notes[name] = f"fails: exit {probe.returncode} ({' '.join(last)[:160]})"
            else:
                results[name] = took
                warned = probe.stdout.count("Warning") + probe.stderr.count("Warning")
                notes[name] = f"one run, runs ruff on its output; {warned} warnings"
        name = "datamodel-code-generator alone, one style (2026 document)"
        if dcg is not None:
            args = [
                dcg, "--input", str(WHOLE_API), "--input-file-type", "openapi",
                "--output-model-type", "pydantic_v2.BaseModel",
                "--output", str(tmp / "dcg.py"),
            ]  # fmt: skip
            start = time.perf_counter()
            done = subprocess.run(args, cwd=tmp, env=env, capture_output=True)
            results[name] = (
                time.perf_counter() - start if done.returncode == 0 else None
            )
            notes[name] = "one run" if done.returncode == 0 else "fails"
        record("k", results, notes)
        sizes: dict[str, float | None] = {}
        for models in (50, 500, 5000):
            syn = tmp / f"synthetic_{models}.yaml"
            syn.write_text(synthetic_spec(models))
            sizes[f"{SCALING} {models} models"] = run_timed(
                [[specbind, "generate", str(syn), "--out", str(tmp / f"s{models}"),
                  "--only", "models,converters,client,docs,jsonschema"]],
                cwd=tmp,
                env=env,
            )  # fmt: skip
        record("k:scaling", sizes, {})


SCALING = "specbind generate, every output but the styles, synthetic spec of"


# -- profiling -----------------------------------------------------------------


def profile(section: str) -> None:
    """cProfile of our side of one section, top functions by own time."""
    from mistral_fim import Client, _http, converter
    from mistral_fim.models import (
        CompletionChunk,
        FIMCompletionRequest,
        FIMCompletionResponse,
    )

    profiler = cProfile.Profile()
    if section == "a":
        req = FIMCompletionRequest(**REQUEST)
        profiler.enable()
        for _ in range(200_000):
            _http.dumps(converter.unstructure(req))
        profiler.disable()
    elif section == "b":
        profiler.enable()
        for _ in range(50_000):
            converter.structure(_http.loads(COMPLETION_BYTES), FIMCompletionResponse)
            converter.structure(_http.loads(CHUNK_BYTES), CompletionChunk)
        profiler.disable()
    elif section == "h":
        api = bench_api()
        server = ApiServer()
        client = api.Client(api_key="key", server_url=server.url, max_retries=0)
        messages = chat_messages(api.models)
        profiler.enable()
        with client.chat.stream(messages=messages, **CHAT_FIELDS) as events:
            for _ in events:
                pass
        profiler.disable()
        client.close()
        server.close()
    elif section in ("d", "e"):
        with bench_server() as server:
            client = Client(api_key="key", server_url=server.url, max_retries=0)
            profiler.enable()
            if section == "d":
                for _ in range(3000):
                    client.fim.complete(**FIELDS)
            else:
                for _ in range(3):
                    with client.fim.stream(**FIELDS) as events:
                        for _ in events:
                            pass
            profiler.disable()
    elif section == "f":
        from specbind.generate import load_all, render_all

        with tempfile.TemporaryDirectory() as tmp:
            spec = Path(tmp) / "synthetic_500.yaml"
            spec.write_text(synthetic_spec(500))
            profiler.enable()
            render_all(load_all([spec]))
            profiler.disable()
    else:
        raise SystemExit(f"no profile for section {section!r}")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(30)
    print(out.getvalue())


# -- the report ----------------------------------------------------------------

SECTION_TITLES = {
    "a": "a. Request model -> JSON bytes (FIMCompletionRequest, per call)",
    "b:FIMCompletionResponse": (
        "b. JSON bytes -> validated FIMCompletionResponse (per call)"
    ),
    "b:CompletionChunk": "b. JSON bytes -> validated CompletionChunk (per call)",
    "c": (
        "c. Import time in a fresh interpreter (wall time less `python -c pass`; "
        "httpx's CLI extras hidden, as in a default install)"
    ),
    "c:installed": (
        "c. Import time, this venv as installed (httpx also imports click, rich and "
        "pygments, which openapi-python-client brought)"
    ),
    "d": "d. One FIM request on a loopback server (per request)",
    "j": (
        "j. Import time of the whole-API package (spec/mistral.yaml) in a fresh "
        "interpreter (wall time less `python -c pass`)"
    ),
    "j:2026": (
        "j. Import time of the package of Mistral's 2026 document (173 operations, "
        "481 schemas) in a fresh interpreter (wall time less `python -c pass`)"
    ),
    "e": f"e. Server-sent events: one stream of {SSE_EVENTS:,} events",
    **{
        f"g:{label}": f"g. JSON bytes -> validated {label}, client path (per call)"
        for label, *_ in DECODE_CASES
    },
    "h": f"h. Server-sent events: one chat stream of {CHAT_STREAM_EVENTS:,} events",
    "i:json": "i. A chat completion (JSON in, JSON out) on a loopback server",
    "i:get": "i. A GET with path and query parameters on a loopback server",
    "i:upload": "i. A 1 MB multipart upload on a loopback server",
    "i:download": "i. A 100 MB binary download on a loopback server",
    "f": "f. Code generation (whole process)",
    "f:synthetic": "f. Code generation: synthetic specs",
    "k": "k. A whole API: Mistral's 2026 document (173 operations, 481 schemas)",
    "k:scaling": "k. A whole API: cost per schema, synthetic specs",
}


def find(section: str, prefix: str) -> Row | None:
    for row in ROWS:
        if row.section == section and row.name.startswith(prefix):
            return row
    return None


def seconds(section: str, prefix: str) -> float | None:
    row = find(section, prefix)
    return row.seconds if row else None


def targets() -> list[tuple[str, str, str, str]]:
    """(target, measured, met, how) for each target of the issue."""
    out: list[tuple[str, str, str, str]] = []

    def check(
        target: str,
        value: float | None,
        ok: Callable[[float], bool],
        how: str,
        show: Callable[[float], str] = lambda v: f"{v:.2f}x",
    ) -> None:
        if value is None:
            out.append((target, "n/a", "n/a", how))
        else:
            out.append((target, show(value), "yes" if ok(value) else "**no**", how))

    ours_a = seconds("a", "ours (")
    check(
        "a. ours <= 1.0x pydantic style",
        ratio(ours_a, seconds("a", "pydantic")),
        lambda v: v <= 1.0,
        "ours / pydantic style",
    )
    sdk_a = ratio(seconds("a", "mistralai"), ours_a)
    check(
        "a. ours >= 30x faster than the SDK",
        sdk_a,
        lambda v: v >= 30,
        "SDK / ours",
        lambda v: f"{v:.0f}x faster",
    )
    for label in ("FIMCompletionResponse", "CompletionChunk"):
        section = f"b:{label}"
        check(
            f"b. {label}: ours <= 1.2x pydantic style",
            ratio(seconds(section, "ours ("), seconds(section, "pydantic")),
            lambda v: v <= 1.2,
            "ours / pydantic style",
        )
    for section, how in [("c", ""), ("c:installed", " (venv as installed)")]:
        sdk_import = seconds(section, "from mistralai")
        check(
            f"c. `import mistral_fim` <= 0.2x the SDK's import{how}",
            ratio(seconds(section, "import mistral_fim"), sdk_import),
            lambda v: v <= 0.2,
            "ours / `from mistralai import Mistral`",
        )
        check(
            f"c. `from mistral_fim import Client` <= 0.5x the SDK's import{how}",
            ratio(seconds(section, "from mistral_fim import Client"), sdk_import),
            lambda v: v <= 0.5,
            "ours / `from mistralai import Mistral`",
        )
    sdk_import = seconds("j", "from mistralai")
    for label, prefix, bound in [
        ("models only", "mistral.models + one group's model", 0.2),
        ("models + converter", "one group's model + structuring", 0.3),
        ("the client", "from mistral import Client", 0.5),
    ]:
        check(
            f"2. import of the whole-API package, {label}: <= {bound}x the SDK's",
            ratio(seconds("j", prefix), sdk_import),
            lambda v, bound=bound: v <= bound,
            f"`{prefix.split(' (')[0]}` / `from mistralai import Mistral`",
        )
    check(
        "d. ours <= 1.25x raw httpx per request",
        ratio(seconds("d", "ours"), seconds("d", "raw httpx")),
        lambda v: v <= 1.25,
        "ours / raw httpx",
    )
    check(
        "e. ours >= 20x the SDK's events per second",
        ratio(seconds("e", "mistralai"), seconds("e", "ours")),
        lambda v: v >= 20,
        "SDK time / ours",
        lambda v: f"{v:.1f}x",
    )
    check(
        "4. encoding: ours (client path) <= 1.5x msgspec style",
        ratio(seconds("a", "ours, client path"), seconds("a", "msgspec")),
        lambda v: v <= 1.5,
        "ours, client path / msgspec style",
    )
    for label, *_ in DECODE_CASES:
        section = f"g:{label}"
        ours_g = seconds(section, "ours")
        check(
            f"3. decoding {label}: ours <= 1.0x pydantic style",
            ratio(ours_g, seconds(section, "pydantic")),
            lambda v: v <= 1.0,
            "ours, client path / pydantic style",
        )
        check(
            f"3. decoding {label}: ours <= 1.3x the floor",
            ratio(ours_g, seconds(section, "floor")),
            lambda v: v <= 1.3,
            "ours, client path / orjson.loads + attrs classes",
        )
    check(
        "5. streaming: ours >= 50% of raw httpx's events/s",
        ratio(seconds("h", "raw httpx"), seconds("h", "ours")),
        lambda v: v >= 0.5,
        "raw httpx time / ours",
        lambda v: f"{v:.0%}",
    )
    check(
        "5. streaming: ours >= 30x the SDK's events/s",
        ratio(seconds("h", "mistralai"), seconds("h", "ours")),
        lambda v: v >= 30,
        "SDK time / ours",
        lambda v: f"{v:.1f}x",
    )
    for section, what in [
        ("i:json", "a JSON call"),
        ("i:get", "a GET with path and query parameters"),
        ("i:upload", "a 1 MB multipart upload"),
    ]:
        check(
            f"6. {what}: ours <= 1.1x raw httpx",
            ratio(seconds(section, "ours"), seconds(section, "raw httpx")),
            lambda v: v <= 1.1,
            "ours / raw httpx",
        )
    check(
        "6. a 100 MB download: ours >= 0.9x raw httpx's throughput",
        ratio(seconds("i:download", "raw httpx"), seconds("i:download", "ours")),
        lambda v: v >= 0.9,
        "raw httpx time / ours",
    )
    peak = DOWNLOAD_PEAKS.get("ours (Client.files.download, iter_bytes)")
    check(
        "6. a 100 MB download: memory flat (peak <= 4 MiB)",
        None if peak is None else peak / (1 << 20),
        lambda v: v * (1 << 20) <= FLAT_PEAK,
        "tracemalloc peak during one download",
        lambda v: f"{v:.2f} MiB",
    )
    oapc = seconds("f", "openapi-python-client")
    check(
        "f. faster than openapi-python-client (like for like: without the styles)",
        ratio(seconds("f", "specbind generate, without"), oapc),
        lambda v: v < 1.0,
        "ours / openapi-python-client",
    )
    check(
        "f. faster than openapi-python-client (all outputs, styles cache warm)",
        ratio(seconds("f", "specbind generate (Mistral"), oapc),
        lambda v: v < 1.0,
        "ours / openapi-python-client",
    )
    check(
        "f. faster than openapi-python-client (all outputs, styles cache cold)",
        ratio(seconds("f", "specbind generate, all outputs, styles cache off"), oapc),
        lambda v: v < 1.0,
        "ours / openapi-python-client",
    )
    prefix = SYNTHETIC_WITHOUT_STYLES
    t50 = seconds("f:synthetic", f"{prefix} 50 ")
    t500 = seconds("f:synthetic", f"{prefix} 500 ")
    t2000 = seconds("f:synthetic", f"{prefix} 2000 ")
    if None not in (t50, t500, t2000):
        assert t50 is not None and t500 is not None and t2000 is not None
        low = (t500 - t50) / 450
        high = (t2000 - t500) / 1500
        check(
            "f. linear in model count",
            high / low if low > 0 else None,
            lambda v: v <= 1.5,
            f"per-model cost 500→2000 / 50→500 "
            f"({low * 1e3:.2f} ms, {high * 1e3:.2f} ms per model); linear if <= 1.5",
        )
    else:
        check("f. linear in model count", None, lambda v: False, "")
    whole = "specbind import + generate (2026 document"
    peer = seconds("k", "openapi-python-client") or seconds("k", "datamodel-code")
    against = (
        "openapi-python-client"
        if seconds("k", "openapi-python-client")
        else "datamodel-code-generator alone (openapi-python-client fails on it)"
    )
    for label, prefix, bound in (
        ("every output, styles cache cold", f"{whole}, every output", 1.0),
        ("warm, nothing changed", f"{whole}, warm", 0.25),
        ("import --check + generate --check", "specbind import --check", 0.25),
    ):
        check(
            f"k. whole API, {label}: <= {bound}x the peer",
            ratio(seconds("k", prefix), peer),
            lambda v, bound=bound: v <= bound,
            f"ours / {against}",
        )
    t500 = seconds("k:scaling", f"{SCALING} 500 ")
    t5000 = seconds("k:scaling", f"{SCALING} 5000 ")
    check(
        "k. per-schema cost at 5,000 within 1.3x of that at 500",
        ratio(t5000 / 5000, t500 / 500) if t500 and t5000 else None,
        lambda v: v <= 1.3,
        "(time / schemas) at 5,000 over at 500",
    )
    return out


def table_rows() -> list[tuple[str, str, str, str, str]]:
    """(section, candidate, median, vs ours, note) for every row."""
    rows = []
    for section in SECTION_TITLES:
        members = [r for r in ROWS if r.section == section]
        if not members:
            continue
        base = (
            members[0]
            if section == "d" or section.startswith(("h", "i:"))
            else next(
                (
                    r
                    for r in members
                    if r.name.startswith(("ours", "import mistral_fim", "specbind"))
                ),
                members[0],
            )
        )
        for r in members:
            if r.unit == "stream" and r.seconds:
                median = f"{fmt_time(r.seconds)} ({r.events / r.seconds:,.0f} events/s)"
            elif section == "i:download" and r.seconds:
                rate = DOWNLOAD_SIZE / r.seconds / 1e6
                median = f"{fmt_time(r.seconds)} ({rate:,.0f} MB/s)"
            else:
                median = fmt_time(r.seconds)
            if section == "f:synthetic" and r.seconds:
                models = int(r.name.rsplit(" ", 2)[-2])
                median += f" ({r.seconds / models * 1e3:.2f} ms/model)"
            rel = ratio(r.seconds, base.seconds)
            rows.append(
                (section, r.name, median, "" if rel is None else f"{rel:.2f}x", r.note)
            )
    return rows


def machine() -> list[str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions = []
    for package in [
        "specbind",
        "attrs",
        "cattrs",
        "httpx",
        "orjson",
        "mistralai",
        "pydantic",
        "pydantic-core",
        "msgspec",
        "openapi-python-client",
        "ruff",
    ]:
        try:
            versions.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    return [
        f"- CPU: {cpu}; {os.cpu_count()} cores ({platform.machine()})",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.release()}",
        f"- Packages: {', '.join(versions)}",
    ]


NOTES = [
    "- *ours* is the generated package: `converter.unstructure`/`converter.structure` "
    "with the client's JSON codec (`mistral_fim._http.dumps`/`loads`, orjson when "
    "installed); *client path* calls the generated hook directly, as the client does. "
    "The SDK rows run mistralai 1.2.0's own code: `utils.serialize_request_body` "
    "(which builds a pydantic model per call) and `utils.unmarshal_json`. The styles "
    "are `generated/styles/`, rendered by datamodel-code-generator from the same spec.",
    "- d and e use one minimal keep-alive HTTP server in a thread of the benchmark "
    "process, the same for every client; it shares the GIL with the client, so the "
    "absolute times include the server's share.",
    "- c hides httpx's command-line extras (click, rich, pygments) in its main table: "
    "httpx imports them whenever they are installed, and they are here only because "
    "openapi-python-client needs them. The second table times the venv as it is.",
    "- f times whole processes, bytecode compiled (as an installed wheel is) and "
    "caches warm (one untimed round first). openapi-python-client runs ruff on its "
    "output, as it does wherever ruff is installed (its dependencies bring ruff).",
]


def styles_per_model() -> str:
    all500 = seconds(
        "f:synthetic", "specbind generate, all outputs, synthetic spec of 500 "
    )
    own500 = seconds("f:synthetic", f"{SYNTHETIC_WITHOUT_STYLES} 500 ")
    if all500 is None or own500 is None or own500 <= 0:
        return ""
    return (
        f" On the 500-model spec the styles add {fmt_time(all500 - own500)}, "
        f"{(all500 - own500) / own500:.1f}x the time of all of specbind's own outputs."
    )


def why_not(target: str) -> str:
    """What a run's figures say about an unmet target."""
    if "cache cold" in target and target.startswith("f."):
        with_styles = seconds("f", "specbind generate, all outputs, styles cache off")
        without = seconds("f", "specbind generate, without")
        oapc = seconds("f", "openapi-python-client")
        if None in (with_styles, without, oapc):
            return "figures missing."
        assert with_styles is not None and without is not None and oapc is not None
        return (
            f"`specbind generate` also renders the four datamodel-code-generator "
            f"styles (pydantic, msgspec, TypedDict, dataclasses), which "
            f"openapi-python-client has no counterpart of. They take "
            f"{fmt_time(with_styles - without)} of its {fmt_time(with_styles)}, "
            f"nearly all of it inside datamodel-code-generator (importing it takes "
            f"about half a second, then it parses the JSON Schema once per style). "
            f"Without them specbind takes {fmt_time(without)}, "
            f"{without / oapc:.2f}x openapi-python-client's {fmt_time(oapc)}. "
            "specbind caches the rendered styles by their input's hash, so only a run "
            "whose JSON Schema changed pays this; the warm row is every other run."
            + styles_per_model()
        )
    if target.startswith("k. whole API"):
        return (
            "measured with `perf stat -e task-clock` (CPU of every process) on the "
            "2026 document: a cold `import` + `generate` is about 32 s of CPU (the "
            "import 5 s: the YAML read with positions and the OpenAPI validation; the "
            "bindings, client, docs and schema 7 s; datamodel-code-generator's four "
            "styles the rest, each a full parse of the 481 schemas), against about "
            "12 s for openapi-python-client with its ruff step. The styles run in two "
            "worker processes while the main process renders the other outputs, and "
            "specbind's ruff step lays them out (datamodel-code-generator's builtin "
            "formatter was a tenth of each style), so on two idle cores the wall is "
            "about half of that CPU after the import; on a loaded machine our three "
            "processes share the cores with every other, and the ratio grows with the "
            "load. 1.0x needs the styles' CPU about halved: one parse serving several "
            "styles, which datamodel-code-generator 0.89 does not offer (it picks its "
            "model classes per output type when the parser is built)."
            + (
                ""
                if "cold" in target
                else " A warm run and `--check` on unchanged inputs do no import or "
                "render (the inputs stamp vouches for the spec and the tree); what "
                "is left is two Python processes starting, specbind's command-line "
                "imports, and hashing the inputs and every generated file."
            )
        )
    if target.startswith("2. import"):
        heaviest = ", ".join(
            f"{name} {micros / 1e3:.0f} ms" for micros, name in IMPORT_PROFILE
        )
        models = GENERATED / "mistral" / "models"
        classes = {
            p.stem: p.read_text("utf-8").count("@attrs.define")
            for p in models.glob("_*.py")
        }
        sdk = seconds("j", "from mistralai")
        every = seconds("j", "mistral.models, every model")
        hooks = seconds("j", "mistral.converters, every group's hooks")
        figures = (
            f" Every model costs {fmt_time(every)} ({every / sdk:.2f}x), every group's "
            f"hooks with it {fmt_time(hooks)} ({hooks / sdk:.2f}x)."
            if sdk and every and hooks
            else ""
        )
        touched = classes.get("_chat", 0) + classes.get("_shared", 0)
        return (
            "the models are one module per operation group behind PEP 562 "
            "`__getattr__`, and the converter registers a group's hooks on the "
            "first use of one of its types; touching the chat request builds "
            f"`models/_chat` and `models/_shared`, {touched} of the "
            f"{sum(classes.values())} attrs classes (`_shared` holds every type "
            "several groups reach: the messages, tools and chunks that chat, "
            "agents and FIM share), and `attrs.define` writing and compiling each "
            f"class's methods is most of a module's time.{figures} The client "
            "imports every group's models (`client.py` names each request and "
            "response type at import) but no converter or cattrs (the first "
            "`Client` does). Heaviest modules by self time (`-X importtime` of "
            f"`from mistral import Client`): {heaviest}."
        )

    if target.startswith("4. encoding"):
        hook = seconds("a", "ours, the generated hook alone")
        built = seconds("a", "ours, dumps of the hook's dict alone")
        msgspec = seconds("a", "msgspec")
        if None not in (hook, built, msgspec):
            assert hook is not None and built is not None and msgspec is not None
            return (
                f"the client path is the generated hook ({fmt_time(hook)}: one "
                "attribute read and one `UNSET` test per field, into a new dict) "
                f"plus orjson encoding that dict ({fmt_time(built)}, "
                f"{built / msgspec:.2f}x msgspec's whole encode of "
                f"{fmt_time(msgspec)}). msgspec walks its Struct in C; a hook in "
                "Python that builds a dict for orjson cannot get under about twice "
                "that without dropping the three-state `UNSET` omission. Tried, in "
                "interleaved runs of the FIM request: a dict literal of the required "
                "fields then conditional stores of locals (0.56 against 0.57 us, "
                "minima of 15 runs), `UNSET` bound as a local (0.54 us): within the "
                "noise. For 1.5x the hook would have to cost about 0.33 us, less than "
                "its ten attribute reads and eight tests take in CPython 3.11; "
                "orjson has no option that omits a sentinel and does not encode "
                "attrs instances itself (a `default=` hook is a Python call per "
                "object)."
            )
    if target.startswith("5. streaming: ours >= 50%"):
        return (
            "each event is SSE-decoded (WHATWG line rules, size limits), parsed, and "
            "validated into a CompletionEvent of three nested attrs models; raw "
            "httpx only splits lines and parses JSON. The decoder now takes a "
            "one-line `data:` event whole (one split of the chunk, no per-line "
            "work), the event model is made without `__init__`, a list of models "
            "without a comprehension call, and a socket read takes 256 KiB: in "
            "interleaved runs of the 100,000-event stream that moved ours from "
            "about 42% to 48-57% of raw httpx's events per second, so the row sits "
            "on the bound and moves with the machine's load. A profile "
            "(`--profile h`) now gives the model hooks of CompletionChunk, its "
            "choice and its delta (with the event wrapper) about 58% of the "
            "per-event time, `orjson.loads` 13%, the stream generator 12% and the "
            "decoder 12%: validating one chunk alone costs about as much as raw "
            "httpx's whole per-event work."
        )
    if target.startswith("6. a JSON call") or target.startswith("6. a GET"):
        return (
            "the call also builds and validates the request model, encodes it, adds "
            "the Idempotency-Key and the deadline, and validates the response into "
            "models; raw httpx sends ready bytes and returns bytes. The client now "
            "hands httpx a URL parsed once (httpx parses a URL string in Python on "
            "every request) and the timeout's phases made once, which took the "
            "JSON call under raw httpx in interleaved runs; a GET's query still "
            "makes httpx parse the URL again with it, for both. The rows move "
            "around the bound from run to run on a loaded machine."
        )
    return (
        "not met in this run; the ratio is in the table above and the figures in its "
        "section below. Ratios near a bound move with the machine's load: rerun "
        "`nox -s bench` before reading more into it."
    )


def report(args: argparse.Namespace, started: float) -> str:
    lines = [
        "# Benchmarks: specbind against its peers",
        "",
        "Written by `nox -s bench` (`benchmarks/run.py`); every figure comes from the "
        "same run. Medians of interleaved repeats; ratios are between figures of this "
        "run. The machine is shared and noisy: read the ratios, not the absolute "
        "times.",
        "",
        "## Machine",
        "",
        *machine(),
        f"- Run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{time.perf_counter() - started:.0f} s, repeats {args.repeats}, "
        f"import runs {args.import_runs}, generation runs {args.gen_runs}",
        *(
            [
                f"- Sections run: {' '.join(sorted(args.only))}; the targets of the "
                "others read n/a (`nox -s bench` runs them all)."
            ]
            if set("abcdefghij") - set(args.only)
            else []
        ),
        "",
        "## Targets",
        "",
        "| target | measured | met | how |",
        "| --- | --- | --- | --- |",
    ]
    unmet = []
    for target, measured, met, how in targets():
        lines.append(f"| {target} | {measured} | {met} | {how} |")
        if met == "**no**":
            unmet.append(target)
    lines += ["", "## Not met, and why", ""]
    lines += [f"- {t}: {why_not(t)}" for t in unmet] or ["Every target was met."]
    lines += ["", "## How to read this", "", *NOTES]
    current = None
    for section, name, median, rel, note in table_rows():
        if section != current:
            current = section
            lines += [
                "",
                f"## {SECTION_TITLES[section]}",
                "",
                "| candidate | median | vs first ours | note |",
                "| --- | --- | --- | --- |",
            ]
        lines.append(f"| {name} | {median} | {rel} | {note} |")
    return "\n".join(lines) + "\n"


def print_table() -> None:
    current = None
    for section, name, median, rel, note in table_rows():
        if section != current:
            current = section
            print(f"\n{SECTION_TITLES[section]}")
        print(f"  {name:<58} {median:>32} {rel:>8}  {note}")
    print("\nTargets")
    for target, measured, met, how in targets():
        print(f"  {target:<62} {measured:>14}  {met:<6} {how}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        default="abcdefghijk",
        help="sections to run, e.g. 'a,b' (default: all)",
    )
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument(
        "--profile",
        metavar="SECTION",
        help="profile our side of a section (a b d e f h) and exit",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=RESULTS,
        help="where to write the report (default: benchmarks/RESULTS.md)",
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--wall",
        action="store_true",
        help="time wall-clock seconds instead of this process's CPU time",
    )
    args = parser.parse_args()
    if args.wall:
        TIMER[0] = time.perf_counter
    if args.profile:
        profile(args.profile)
        return
    args.repeats = 7 if args.quick else 21
    args.import_runs = 7 if args.quick else 21
    args.gen_runs = 3 if args.quick else 7
    stream_repeats = 3 if args.quick else 7
    only = set(args.only.replace(",", ""))
    args.only = only
    started = time.perf_counter()
    steps = {
        "a": lambda: section_a(args.repeats),
        "b": lambda: section_b(args.repeats),
        "c": lambda: section_c(args.import_runs),
        "d": lambda: section_d(args.repeats),
        "e": lambda: section_e(stream_repeats),
        "f": lambda: section_f(args.gen_runs),
        "g": lambda: section_g(args.repeats),
        "h": lambda: section_h(stream_repeats),
        "i": lambda: section_i(args.repeats),
        "j": lambda: section_j(args.import_runs),
        "k": lambda: section_k(1 if args.quick else 3),
    }
    for key, step in steps.items():
        if key in only:
            print(f"section {key} ...", file=sys.stderr, flush=True)
            step()
    print_table()
    if not args.no_write:
        args.out.write_text(report(args, started))
        print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
