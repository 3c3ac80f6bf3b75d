"""``styles/<package>_<style>.py``: the JSON Schema rendered by datamodel-code-generator.

Four more ways to hold the same payloads (pydantic, msgspec, TypedDict, dataclasses),
each generated from ``schema/<package>.schema.json`` with fixed, deterministic options,
plus ``docs/styles.md``: what each style keeps of the spec and what it loses.
datamodel-code-generator is imported only when this renderer runs (it is slow to load).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ... import ir
from ..shared.base import OutputFile, make_env, python_header
from ..shared.jsonschema import schema_path, schema_text
from ..shared.markdown import cell_text
from .catalog import FEATURES, STYLES, Style

_env = make_env(Path(__file__).parent / "templates")
DCG_VERSION = "0.89.0"


class StylesRenderer:
    name = "styles"

    def render(self, api: ir.Api) -> Iterator[OutputFile]:
        schema = schema_text(api)
        for style in STYLES:
            yield OutputFile(
                f"styles/{api.package}_{style.name}.py",
                render_style(api, schema, style),
            )
        text = _env.get_template("styles.md.j2").render(
            api=api,
            styles=STYLES,
            schema=schema_path(api),
            version=DCG_VERSION,
            matrix=matrix(),
        )
        yield OutputFile("docs/styles.md", text)


def _untitled(schema: str) -> str:
    """The schema without its root title: datamodel-code-generator names the (skipped)
    root model after it, and rejects a title that is not a valid class name."""
    document = json.loads(schema)
    document.pop("title", None)
    return json.dumps(document, indent=2, ensure_ascii=False)


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
    """One style's module, from the cache when the same input was rendered before."""
    header = module_header(api, style).rstrip("\n")
    prepared = style.prepare(_untitled(schema))
    key = hashlib.sha256(
        json.dumps(
            [DCG_VERSION, style.name, header, prepared, style.options(api)],
            sort_keys=True,
            default=str,
        ).encode()
    ).hexdigest()
    cached = _cache_get(key)
    if cached is not None:
        return cached
    code = _run_generator(api, style, header, prepared)
    _cache_put(key, code)
    return code


def _cache_dir() -> Path | None:
    """Where rendered styles are kept: a pure function of their input, so a hit is
    exact. ``SPECBIND_NO_CACHE=1`` turns the cache off."""
    if os.environ.get("SPECBIND_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "specbind" / "styles"


def _cache_get(key: str) -> str | None:
    folder = _cache_dir()
    try:
        return (folder / f"{key}.py").read_text("utf-8") if folder else None
    except OSError:
        return None


def _cache_put(key: str, code: str) -> None:
    folder = _cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(code)
        os.replace(temp, folder / f"{key}.py")
    except OSError:
        pass  # a cache that cannot be written is only slower


def _run_generator(api: ir.Api, style: Style, header: str, prepared: str) -> str:
    """datamodel-code-generator's output for one style, under specbind's header."""
    # Imported here: datamodel-code-generator is slow to load, and only this needs it.
    from datamodel_code_generator import (
        CustomFileHeaderMode,
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

    options: dict[str, Any] = {
        "input_file_type": InputFileType.JsonSchema,
        "output_model_type": style.model_type,
        "target_python_version": PythonVersion.PY_310,
        "disable_timestamp": True,
        "formatters": [Formatter.BUILTIN],
        "custom_file_header": header,
        "custom_file_header_mode": CustomFileHeaderMode.Replace,
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
        **style.options(api),
    }
    code = generate(prepared, **options)
    assert isinstance(code, str)
    return code.rstrip("\n") + "\n"
