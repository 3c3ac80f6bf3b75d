from __future__ import annotations

from collections.abc import Iterator

from ... import ir
from ..base import OutputFile


class ModelsRenderer:
    name = "models"

    def render(self, api: ir.Api) -> Iterator[OutputFile]:
        return iter(())
