"""``schema/<package>.schema.json``: the document of :mod:`..shared.jsonschema`, written as is."""

from __future__ import annotations

from collections.abc import Iterator

from ... import ir
from ..shared.base import SINGLE_SPEC, Layout, OutputFile
from ..shared.jsonschema import schema_path, schema_text


class JsonSchemaRenderer:
    name = "jsonschema"

    def render(self, api: ir.Api, layout: Layout = SINGLE_SPEC) -> Iterator[OutputFile]:
        yield OutputFile(schema_path(api), schema_text(api, parameters=True))
