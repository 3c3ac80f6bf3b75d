"""One renderer per output; each turns the IR into files in memory and never writes."""

from __future__ import annotations

from collections.abc import Iterator

from .. import ir
from .client.renderer import ClientRenderer
from .converters.renderer import ConvertersRenderer
from .docs.renderer import DocsRenderer
from .jsonschema.renderer import JsonSchemaRenderer
from .models.renderer import ModelsRenderer
from .shared.base import SINGLE_SPEC, Layout, OutputFile, Renderer
from .styles.renderer import StylesRenderer

RENDERERS: tuple[Renderer, ...] = (
    ModelsRenderer(),
    ConvertersRenderer(),
    ClientRenderer(),
    DocsRenderer(),
    JsonSchemaRenderer(),
    StylesRenderer(),
)


def render_api(
    api: ir.Api,
    renderers: tuple[Renderer, ...] = RENDERERS,
    *,
    layout: Layout = SINGLE_SPEC,
) -> Iterator[OutputFile]:
    for renderer in renderers:
        yield from renderer.render(api, layout)
