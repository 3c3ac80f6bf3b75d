"""Imported by the styles' fork server before it forks a worker: one tiny render of
each style loads the modules datamodel-code-generator imports on first use (about half
a second), so the workers share them instead of each importing them again."""

from __future__ import annotations

import json

from . import renderer
from .catalog import STYLES

_TINY = json.dumps(
    {"$defs": {"A": {"type": "object", "properties": {"a": {"type": "string"}}}}}
)

for _style in STYLES:
    try:
        renderer._run_generator(
            _TINY,
            {
                **renderer.FIXED_OPTIONS,
                "output_model_type": _style.model_type,
                "custom_file_header": "#",
            },
        )
    except Exception:  # a real render reports it, in its worker
        continue
