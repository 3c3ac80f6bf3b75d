"""The spec as YAML a person reads: the document's key order, block style, long
descriptions wrapped, multi-line ones as literal blocks; the same spec, the same bytes."""

from __future__ import annotations

from typing import Any

import yaml

WIDTH = 88


# libyaml's emitter when PyYAML has it (several times faster on a large document);
# both emitters write the same bytes for the same spec.
_Base: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_Base):  # type: ignore[misc,valid-type]
    def ignore_aliases(self, data: Any) -> bool:
        return True  # the same dict twice is written twice, never as &anchor/*alias


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value.strip("\n") and not any(
        line != line.rstrip() for line in value.split("\n")
    ):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def spec_yaml(spec: dict[str, Any], source: str) -> str:
    header = (
        "# yaml-language-server: $schema=specbind.schema.json\n"
        "# Imported by `specbind import` from:\n"
        f"#   {source}\n"
        "# Edit the document (or an overlay) and import again rather than this file.\n"
    )
    body = yaml.dump(
        spec,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=WIDTH,
    )
    return header + body
