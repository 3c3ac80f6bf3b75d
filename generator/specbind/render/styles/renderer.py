"""``styles/<package>_<style>.py``: the JSON Schema rendered by datamodel-code-generator.

Four more ways to hold the same payloads (pydantic, msgspec, TypedDict, dataclasses),
each generated from ``schema/<package>.schema.json`` with fixed, deterministic options,
plus ``styles.md`` in the spec's docs folder: what each style keeps of the spec and what it loses.
datamodel-code-generator is imported only when this renderer runs (it is slow to load),
and the styles the cache does not have are rendered at once, one process each (each is
a whole parse of the schema, and the parses share nothing).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import multiprocessing
import os
import re
import sys
import textwrap
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import attrs

from ... import ir
from ..shared.base import SINGLE_SPEC, Layout, OutputFile, make_env, python_header
from ..shared.jsonschema import schema_path, schema_text
from ..shared.markdown import cell_text
from ..shared.types import PythonTypes
from . import cache
from .catalog import FEATURES, STYLES, Style

_env = make_env(Path(__file__).parent / "templates")
DCG_VERSION = "0.89.0"


@attrs.frozen
class Rendered:
    """One style's module, and the warnings datamodel-code-generator gave rendering it."""

    code: str
    warnings: tuple[str, ...] = ()


class StylesRenderer:
    name = "styles"

    def __init__(self) -> None:
        self._started: dict[str, Pending] = {}

    def start(self, api: ir.Api, layout: Layout = SINGLE_SPEC) -> None:
        """Send the styles the cache does not have to the workers now, so that they
        render while the other outputs do; ``render`` collects them."""
        if api.package not in self._started:
            self._started[api.package] = start_styles(api, schema_text(api), STYLES)

    def close(self) -> None:
        """Give up the styles started and not collected (a run that failed)."""
        for pending in self._started.values():
            pending.cancel()
        self._started.clear()

    def render(self, api: ir.Api, layout: Layout = SINGLE_SPEC) -> Iterator[OutputFile]:
        self.start(api, layout)
        rendered = self._started.pop(api.package).results()
        for style, result in zip(STYLES, rendered, strict=True):
            yield OutputFile(f"styles/{api.package}_{style.name}.py", result.code)
        text = _env.get_template("styles.md.j2").render(
            api=api,
            styles=STYLES,
            schema=schema_path(api),
            version=DCG_VERSION,
            matrix=matrix(),
            uses_files=PythonTypes(api).uses_files(),
            undecodable=undecodable_unions([w for r in rendered for w in r.warnings]),
        )
        yield OutputFile(layout.doc("styles.md"), text)


# datamodel-code-generator's warning for a union of untagged Structs (msgspec needs a
# tag to tell the Structs of a union apart, so it refuses such a type when decoding).
_UNDECODABLE = re.compile(
    r"msgspec cannot decode the union (\w+): its Struct types (.+?) are not all tagged"
)


def undecodable_unions(messages: Sequence[str]) -> list[str]:
    """The unions msgspec cannot decode, as lines of styles.md (the union and its
    untagged Structs). Any other warning is passed on, as datamodel-code-generator
    gave it."""
    lines = set()
    for message in messages:
        found = _UNDECODABLE.search(message)
        if found:
            structs = ", ".join(f"`{n}`" for n in found[2].split(", "))
            lines.add(f"`{found[1]}`: its variants {structs} are untagged `Struct`s")
        else:
            warnings.warn(f"datamodel-code-generator: {message}", stacklevel=2)
    return sorted(lines)


def _untitled(schema: str) -> str:
    """The schema without its root title: datamodel-code-generator names the (skipped)
    root model after it, and rejects a title that is not a valid class name; and with
    the unions whose member enum holds a field's default spelled in place."""
    document = json.loads(schema)
    document.pop("title", None)
    union_defaults_in_place(document.get("$defs", {}))
    return json.dumps(document, indent=2, ensure_ascii=False)


def union_defaults_in_place(defs: dict[str, Any]) -> None:
    """A field whose type is a named union and whose default is a value of one of the
    union's enums gets the union's members in place of the ``$ref``.

    datamodel-code-generator (``set_default_enum_member``) turns a default into an enum
    member only through the field's own types, not through a type alias, so
    ``tool_choice: ChatCompletionRequestToolChoice = "auto"`` (a str where the type is
    ``ToolChoice | ToolChoiceEnum``) would fail mypy; in place it is
    ``ToolChoice | ToolChoiceEnum = ToolChoiceEnum.auto``, the same type."""
    for definition in defs.values():
        for name, field in definition.get("properties", {}).items():
            union = _union_of(field, defs)
            if union is None or not _enum_holds(union, field["default"], defs):
                continue
            members = {k: union[k] for k in ("anyOf", "oneOf") if k in union}
            rest = {k: v for k, v in field.items() if k != "$ref"}
            definition["properties"][name] = {**members, **rest}


def _union_of(field: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any] | None:
    """The named union a field with a default refers to, or None."""
    if "default" not in field or "$ref" not in field:
        return None
    target = defs.get(field["$ref"].rpartition("/")[2], {})
    return target if "anyOf" in target or "oneOf" in target else None


def _enum_holds(union: dict[str, Any], value: Any, defs: dict[str, Any]) -> bool:
    members = union.get("anyOf", []) + union.get("oneOf", [])
    for member in members:
        target = defs.get(str(member.get("$ref", "")).rpartition("/")[2], {})
        if value in target.get("enum", ()):
            return True
    return False


def matrix() -> str:
    """Features down, styles across: ✓ or ✗, then the style's note on that feature."""
    rows = []
    for feature in FEATURES:
        row = [cell_text(feature.label)]
        for style in STYLES:
            mark = "✓" if feature.key in style.keeps else "✗"
            note = style.notes.get(feature.key)
            row.append(cell_text(f"{mark} {note}" if note else mark))
        rows.append(row)
    header = ["Feature", *(cell_text(s.title) for s in STYLES)]
    return "\n".join(
        "| " + " | ".join(cells) + " |"
        for cells in [header, ["---"] * len(header), *rows]
    )


def module_header(api: ir.Api, style: Style) -> str:
    """specbind's header, then what the style is, how to use it and what it loses."""
    lines = [
        f"Style: {style.title}, rendered by datamodel-code-generator {DCG_VERSION}",
        f"from {schema_path(api)} (see docs/styles.md).",
        f"Parse: {style.parse}",
        f"Dump:  {style.dump}",
    ]
    lost = style.lost()
    lines.append("Loses:" if lost else "Loses nothing the spec says.")
    for feature in lost:
        note = style.notes.get(feature.key)
        lines += _bullet(f"{feature.label}" + (f": {note}" if note else ""))
    kept_notes = [f for f in FEATURES if f.key in style.keeps and f.key in style.notes]
    if kept_notes:
        lines.append("Keeps, with a caveat:")
    for feature in kept_notes:
        lines += _bullet(f"{feature.label}: {style.notes[feature.key]}")
    return python_header(api) + "".join(f"# {line}".rstrip() + "\n" for line in lines)


def _bullet(text: str) -> list[str]:
    return textwrap.wrap(text, 84, initial_indent="- ", subsequent_indent="  ")


def render_style(api: ir.Api, schema: str, style: Style) -> str:
    """One style's module, from the cache when the same inputs were rendered before."""
    return render_styles(api, schema, [style])[0].code


def render_styles(api: ir.Api, schema: str, styles: Sequence[Style]) -> list[Rendered]:
    """Each style's module and warnings, in order: the cached ones from the cache, the
    others rendered side by side in processes of their own when there are several."""
    return start_styles(api, schema, styles).results()


def start_styles(api: ir.Api, schema: str, styles: Sequence[Style]) -> Pending:
    """The styles of ``api``: those in the cache, and the others sent to the shared
    worker processes at once when there are several (one is rendered by ``results``,
    in this process)."""
    untitled = _untitled(schema)
    jobs = []
    for style in styles:
        prepared = style.prepare(untitled)
        options = generator_options(api, style)
        jobs.append(_Job(cache_key(prepared, options), prepared, options))
    pending = Pending(jobs, [_cached(job.key) for job in jobs])
    missing = pending.missing()
    if len(missing) > 1 and (os.cpu_count() or 1) > 1:
        pending.sent = _WORKERS.submit([jobs[i] for i in missing])
    return pending


@attrs.frozen
class _Job:
    key: str
    prepared: str
    options: dict[str, Any]


@attrs.define
class Pending:
    """Styles on their way: the cached results, and the workers' futures (sent by
    the workers' own thread: see ``_Workers``)."""

    jobs: list[_Job]
    results_: list[Rendered | None]
    sent: Future[list[Future[Rendered]]] | None = None

    def missing(self) -> list[int]:
        return [i for i, result in enumerate(self.results_) if result is None]

    def results(self) -> list[Rendered]:
        """Every style's result, waiting for the workers; a style whose worker could
        not run it is rendered here."""
        missing = self.missing()
        fresh: dict[int, Rendered] = {}
        if self.sent is not None:
            sent, self.sent = self.sent, None
            try:
                done = [future.result() for future in sent.result()]
                fresh = dict(zip(missing, done, strict=True))
            except BrokenProcessPool:
                sys.stderr.write(_NO_WORKERS)
            finally:
                _WORKERS.release()
        for i in missing:
            job = self.jobs[i]
            result = fresh.get(i) or _run_generator(job.prepared, job.options)
            cache.put(job.key, json.dumps(attrs.asdict(result), ensure_ascii=False))
            self.results_[i] = result
        return [r for r in self.results_ if r is not None]

    def cancel(self) -> None:
        if self.sent is not None:
            sent, self.sent = self.sent, None
            if not sent.cancel() and sent.exception() is None:
                for future in sent.result():
                    future.cancel()
            _WORKERS.release()


class _Workers:
    """One pool of worker processes for the styles of every spec of a run: started
    by the first styles sent, shut down when the last sent are collected.

    The jobs go to the pool from a thread of its own: starting a worker waits for the
    fork server's preload (importing datamodel-code-generator, a second or more),
    which the main thread spends rendering the other outputs instead."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._sender: ThreadPoolExecutor | None = None
        self._users = 0

    def submit(self, jobs: Sequence[_Job]) -> Future[list[Future[Rendered]]]:
        if self._sender is None:
            self._sender = ThreadPoolExecutor(1, thread_name_prefix="specbind-styles")
        self._users += 1
        return self._sender.submit(self._send, list(jobs))

    def _send(self, jobs: list[_Job]) -> list[Future[Rendered]]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                os.cpu_count() or 1, mp_context=_workers_context()
            )
        return [
            self._pool.submit(_run_generator, job.prepared, job.options) for job in jobs
        ]

    def release(self) -> None:
        self._users -= 1
        if self._users == 0 and self._sender is not None:
            sender, self._sender = self._sender, None
            sender.shutdown()  # every send is done: its pool is set
            if self._pool is not None:
                pool, self._pool = self._pool, None
                pool.shutdown(cancel_futures=True)


_WORKERS = _Workers()


# Each worker imports the program's main module again (Python's multiprocessing does);
# a script that runs specbind at its top level, with no ``__main__`` guard, kills them.
_NO_WORKERS = (
    "specbind: the styles' worker processes stopped before their work (a script that "
    'runs specbind needs an `if __name__ == "__main__":` guard); rendering the '
    "styles in this process instead\n"
)


def _workers_context() -> multiprocessing.context.BaseContext:
    """Where the workers start: forked from a fresh server process (the parent may
    have threads) that has imported datamodel-code-generator once for all of them;
    spawned where there is no fork."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([f"{__package__}._preload"])
    return context


def _cached(key: str) -> Rendered | None:
    text = cache.get(key)
    if text is None:
        return None
    try:
        entry = json.loads(text)
        return Rendered(entry["code"], tuple(entry["warnings"]))
    except (ValueError, KeyError, TypeError):
        return None  # not an entry of this renderer: rendered again


FIXED_OPTIONS: dict[str, Any] = {
    "input_file_type": "jsonschema",
    "target_python_version": "3.10",
    "disable_timestamp": True,
    # No formatter: specbind's format step lays the modules out with ruff, in the one
    # ruff process of every generated module (datamodel-code-generator's builtin
    # formatter took a tenth of each style's time, and its layout is not ruff's).
    "formatters": [],
    "custom_file_header_mode": "replace",
    # deterministic, modern, typed output
    "strict_nullable": True,
    "skip_root_model": True,
    "use_annotated": True,
    "field_constraints": True,
    "use_double_quotes": True,
    "use_union_operator": True,
    "use_standard_collections": True,
    "use_type_alias": True,
    "use_schema_description": True,
    "set_default_enum_member": True,
}


def generator_options(api: ir.Api, style: Style) -> dict[str, Any]:
    """Every option datamodel-code-generator gets for ``style``, as plain JSON values
    (``_run_generator`` turns the enum-valued ones into its enums)."""
    return {
        **FIXED_OPTIONS,
        "output_model_type": style.model_type,
        "custom_file_header": module_header(api, style).rstrip("\n"),
        **style.options(api),
    }


def cache_key(prepared: str, options: dict[str, Any]) -> str:
    """A digest of everything the rendered text depends on: the schema, every option,
    the installed datamodel-code-generator, this renderer's own code, and Python."""
    inputs = {
        "schema": prepared,
        "options": options,
        "datamodel-code-generator": installed_generator_version(),
        "renderer": renderer_digest(),
        "python": list(sys.version_info[:2]),
    }
    text = json.dumps(inputs, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def installed_generator_version() -> str | None:
    """The installed datamodel-code-generator (read without importing it: that is slow)."""
    try:
        return importlib.metadata.version("datamodel-code-generator")
    except importlib.metadata.PackageNotFoundError:
        return None


@functools.cache
def renderer_digest() -> str:
    """A digest of this renderer's files: a change to them may change the output."""
    return folder_digest(Path(__file__).parent)


def folder_digest(folder: Path) -> str:
    """A digest of the names and bytes of every file under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _run_generator(prepared: str, options: dict[str, Any]) -> Rendered:
    """datamodel-code-generator's output for one style, under specbind's header, and
    the warnings it gave (recorded: styles.md says what they say)."""
    # Imported here: datamodel-code-generator is slow to load, and only this needs it.
    from datamodel_code_generator import (
        CustomFileHeaderMode,
        DatetimeClassType,
        InputFileType,
        PythonVersion,
        generate,
        get_version,
    )
    from datamodel_code_generator.format import Formatter

    if get_version() != DCG_VERSION:  # another version writes other code: --check fails
        raise RuntimeError(
            f"specbind renders styles with datamodel-code-generator=={DCG_VERSION}, "
            f"found {get_version()}: pip install datamodel-code-generator=={DCG_VERSION}"
        )
    enums = {
        "input_file_type": InputFileType(options["input_file_type"]),
        "target_python_version": PythonVersion(options["target_python_version"]),
        "formatters": [Formatter(f) for f in options["formatters"]],
        "custom_file_header_mode": CustomFileHeaderMode(
            options["custom_file_header_mode"]
        ),
    }
    if "output_datetime_class" in options:
        enums["output_datetime_class"] = DatetimeClassType(
            options["output_datetime_class"]
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = generate(prepared, **{**options, **enums})
    assert isinstance(code, str)
    return Rendered(
        code.rstrip("\n") + "\n",
        tuple(sorted({str(w.message) for w in caught})),
    )
