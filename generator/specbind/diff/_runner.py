"""Run in a subprocess by :mod:`specbind.diff.evidence`: structure payloads with
generated packages' converters and print what each converter said.

stdin: a JSON list of jobs ``{"folder", "package", "items": [{"type", "payload"}]}``;
stdout: for each job, a list with ``null`` where the converter accepted the payload,
else the list of its messages (``... @ $.path``). Jobs may name the same package in
different folders (the two sides of a diff): each job's modules are dropped before the
next job imports its own. Kept free of specbind imports: it sees only the packages.
"""

import importlib
import inspect
import json
import sys
import typing
from typing import Any


def _drop(package: str) -> None:
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]


def _call(package: Any, item: dict[str, Any]) -> list[str] | None:
    """What the client's method sends, called with the item's values (by keyword
    argument name) for its required keyword arguments and any other it names: the
    request line, then the query's keys, the headers' names and, for ``key_header``,
    the value the client sent in it, as JSON. The client's API key is ``specbind``."""
    import httpx

    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if not sent:
            sent.append(f"{request.method} {request.url.raw_path.decode()}")
            names = {
                "query": sorted(set(request.url.params.keys())),
                "header": sorted(request.headers.keys()),
            }
            if "key_header" in item:
                names["key_value"] = request.headers.get(item["key_header"])
            sent.append(json.dumps(names))
        return httpx.Response(418, json={})

    transport = httpx.MockTransport(answer)
    with package.Client(
        "specbind", max_retries=0, http_client=httpx.Client(transport=transport)
    ) as client:
        target = client
        for part in item["call"].split("."):
            target = getattr(target, part)
        try:
            hints = typing.get_type_hints(target)
        except Exception:  # then the values go in as JSON
            hints = {}
        values = item["payload"]
        kwargs = {}
        for name, parameter in inspect.signature(target).parameters.items():
            given = name in values or name.rstrip("_") in values
            required = parameter.default is parameter.empty
            if parameter.kind is parameter.KEYWORD_ONLY and (required or given):
                raw = values.get(name, values.get(name.rstrip("_")))
                try:
                    kwargs[name] = package.converter.structure(raw, hints[name])
                except Exception:
                    kwargs[name] = raw
        try:
            result = target(**kwargs)
            getattr(result, "close", lambda: None)()
        except Exception:  # the answer is a 418: only the request counts
            pass
    return sent or None


def _run(job: dict[str, Any]) -> list[list[str] | None]:
    sys.path.insert(0, job["folder"])
    try:
        package = importlib.import_module(job["package"])
        models = importlib.import_module(job["package"] + ".models")
        converters = importlib.import_module(job["package"] + ".converters")
        results: list[list[str] | None] = []
        for item in job["items"]:
            if "call" in item:
                results.append(_call(package, item))
                continue
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
