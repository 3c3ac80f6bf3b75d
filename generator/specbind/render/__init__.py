"""One renderer per output; each turns the IR into files in memory and never writes.

A spec (``output: {render: [...]}``) and the command line (``--only``) select which
outputs are rendered. A renderer's module is imported only when its output is
selected, so an output nobody wants costs nothing (the styles renderer, which runs
datamodel-code-generator, is the expensive one).
"""

from __future__ import annotations

import importlib
from collections.abc import Collection, Iterable, Iterator

from .. import ir
from .shared.base import OUTPUTS, SINGLE_SPEC, Layout, OutputFile, Renderer

__all__ = [
    "NEEDS",
    "OUTPUTS",
    "close_started",
    "render_api",
    "renderers",
    "start_slow",
    "unmet_needs",
]

# Each output (``OUTPUTS``, in rendering order) and the class that renders it.
_RENDERERS = {
    "models": "models.renderer:ModelsRenderer",
    "converters": "converters.renderer:ConvertersRenderer",
    "client": "client.renderer:ClientRenderer",
    "docs": "docs.renderer:DocsRenderer",
    "jsonschema": "jsonschema.renderer:JsonSchemaRenderer",
    "styles": "styles.renderer:StylesRenderer",
}
assert tuple(_RENDERERS) == OUTPUTS

# What each output needs beside it: the converters and the client import the models
# (and the client the converters); the docs pages show calls of the client; the
# styles are the JSON Schema rendered by datamodel-code-generator, and say so.
NEEDS: dict[str, tuple[str, ...]] = {
    "converters": ("models",),
    "client": ("models", "converters"),
    "docs": ("models", "converters", "client"),
    "styles": ("jsonschema",),
}


def unmet_needs(selected: Collection[str]) -> list[str]:
    """A sentence per selected output whose needs are not selected with it."""
    problems = []
    for output in OUTPUTS:
        missing = [n for n in NEEDS.get(output, ()) if n not in selected]
        if output in selected and missing:
            problems.append(
                f"output '{output}' needs {_and(missing)}; select "
                f"{'it' if len(missing) == 1 else 'them'} too, or leave '{output}' out"
            )
    return problems


def _and(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return " and ".join(
        [", ".join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted
    )


def renderers(selected: Iterable[str] = OUTPUTS) -> tuple[Renderer, ...]:
    """The renderers of the ``selected`` outputs, in rendering order (each imported
    on first use)."""
    chosen = set(selected)
    return tuple(_renderer(name) for name in OUTPUTS if name in chosen)


def _renderer(name: str) -> Renderer:
    module, _, cls = _RENDERERS[name].partition(":")
    renderer: Renderer = getattr(importlib.import_module(f".{module}", __name__), cls)()
    return renderer


def start_slow(
    api: ir.Api, selected: tuple[Renderer, ...], layout: Layout = SINGLE_SPEC
) -> None:
    """Let each renderer that does its work in other processes (the styles) start it
    now, so that it runs while the others render."""
    for renderer in selected:
        start = getattr(renderer, "start", None)
        if start is not None:
            start(api, layout)


def close_started(selected: Iterable[Renderer]) -> None:
    """Give up the work started and not collected (a run that failed meanwhile)."""
    for renderer in selected:
        close = getattr(renderer, "close", None)
        if close is not None:
            close()


def render_api(
    api: ir.Api,
    selected: tuple[Renderer, ...] | None = None,
    *,
    layout: Layout = SINGLE_SPEC,
) -> Iterator[OutputFile]:
    """Every file of the outputs ``layout`` selects (or of the ``selected`` renderers),
    each marked with the output that made it; the slow renderers start first."""
    chosen = selected if selected is not None else renderers(layout.outputs)
    start_slow(api, chosen, layout)
    try:
        for renderer in chosen:
            owner = f"{api.package}:{renderer.name}"
            for file in renderer.render(api, layout):
                yield OutputFile(file.path, file.content, owner)
    finally:
        close_started(chosen)
