"""Run in a subprocess by :mod:`specbind.diff.evidence`: structure payloads with
generated packages' converters and print what each converter said.

stdin: a JSON list of jobs ``{"folder", "package", "items": [{"type", "payload"}]}``;
stdout: for each job, a list with ``null`` where the converter accepted the payload,
else the list of its messages (``... @ $.path``). Jobs may name the same package in
different folders (the two sides of a diff): each job's modules are dropped before the
next job imports its own. Kept free of specbind imports: it sees only the packages.
"""

import importlib
import json
import sys
from typing import Any


def _drop(package: str) -> None:
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]


def _run(job: dict[str, Any]) -> list[list[str] | None]:
    sys.path.insert(0, job["folder"])
    try:
        package = importlib.import_module(job["package"])
        models = importlib.import_module(job["package"] + ".models")
        converters = importlib.import_module(job["package"] + ".converters")
        results: list[list[str] | None] = []
        for item in job["items"]:
            target = getattr(models, item["type"], None)
            if target is None:
                results.append([f"the package has no type {item['type']}"])
                continue
            try:
                package.converter.structure(item["payload"], target)
            except Exception as exc:
                try:
                    results.append([str(m) for m in converters.describe_error(exc)])
                except Exception:
                    results.append([f"{type(exc).__name__}: {exc}"])
            else:
                results.append(None)
        return results
    finally:
        sys.path.remove(job["folder"])
        _drop(job["package"])
        importlib.invalidate_caches()


json.dump([_run(job) for job in json.load(sys.stdin)], sys.stdout)
