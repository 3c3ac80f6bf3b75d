"""Evidence: payloads that show a breaking wire change, found by running both sides'
generated converters.

Each side's package is generated once per run through the normal pipeline
(:func:`specbind.generate.render_all`) into a temporary folder, and its converter runs
in a subprocess of its own (both sides' packages usually share a name). A change is
kept breaking only when a payload was accepted by one side and refused by the other
at the change's own JSON path; otherwise it is reported as a warning saying why.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..diagnostics import SpecError
from ..generate import Project
from ..render import render_api, renderers
from ..render.shared.base import OutputFile
from .findings import Change, Evidence, Finding, Probe

_RUNNER = Path(__file__).with_name("_runner.py")
_TIMEOUT = 120
# The outputs of the Python package; the docs, JSON Schema and styles do not bear on
# what a converter accepts (and the styles run datamodel-code-generator).
PACKAGE_OUTPUTS = ("models", "converters", "client")


def package_files(project: Project) -> list[OutputFile]:
    """The generated package of the project's spec, as rendered: not laid out by ruff,
    which changes no statement (its output parses to the same AST) and took most of the
    generation time of a large spec."""
    api = project.apis[0]
    return list(
        render_api(api, renderers(PACKAGE_OUTPUTS), layout=project.layouts()[0])
    )


class Package:
    """One side's generated package, generated on first use."""

    def __init__(self, project: Project, folder: Path) -> None:
        self.project = project
        self.folder = folder
        self._problem: str | None = None
        self._ready = False

    @property
    def name(self) -> str:
        return self.project.apis[0].package

    def problem(self) -> str | None:
        """Why the package cannot be run, or ``None`` once it is generated."""
        if not self._ready:
            self._ready = True
            try:
                files = package_files(self.project)
            except SpecError as exc:
                self._problem = f"its package could not be generated: {exc}"
                return self._problem
            for file in files:
                if file.path.startswith(f"{self.name}/"):
                    target = self.folder / file.path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(file.content, encoding="utf-8")
        return self._problem

    def job(self, items: Sequence[dict[str, Any]]) -> dict[str, Any]:
        return {"folder": str(self.folder), "package": self.name, "items": list(items)}


def structure(jobs: Sequence[dict[str, Any]]) -> list[list[list[str] | None]]:
    """What each job's converter says about each of its payloads, in one subprocess."""
    done = subprocess.run(
        [sys.executable, "-I", str(_RUNNER)],
        input=json.dumps(list(jobs)),
        capture_output=True,
        text=True,
        timeout=_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"the generated converters did not run: {last}")
    results: list[list[list[str] | None]] = json.loads(done.stdout)
    return results


def _path_of(message: str) -> str:
    return message.rpartition(" @ ")[2] if " @ " in message else "$"


def _names(message: str, at: str, mention: str) -> bool:
    """Whether the refusal is about ``at`` (and names ``mention``)."""
    path = _path_of(message)
    if mention:  # an unknown key is reported at its object, naming the key
        word = rf"(?<![\w-]){re.escape(mention)}(?![\w-])"
        return path == at and re.search(word, message) is not None
    return path == at or path.startswith((f"{at}.", f"{at}["))


def refusal(messages: list[str] | None, probe: Probe) -> str | None:
    """The message that refuses the payload for the probe's reason, if any."""
    for message in messages or ():
        if _names(message, probe.at, probe.mention):
            return message
    return None


_packages: dict[tuple[str, str], Package] = {}
_folder: tempfile.TemporaryDirectory[str] | None = None


def package_for(project: Project) -> Package:
    """The project's package, generated once per run (by spec text) into a temporary
    folder removed when the run ends."""
    global _folder
    api = project.apis[0]
    key = (api.spec_sha256, api.package)
    if key not in _packages:
        if _folder is None:
            _folder = tempfile.TemporaryDirectory(prefix="specbind-diff-")
        _packages[key] = Package(project, Path(_folder.name) / str(len(_packages)))
    return _packages[key]


def prove(findings: Sequence[Finding], old: Project, new: Project) -> list[Change]:
    """Each finding with its final severity, and evidence for breaking wire changes."""
    wanted = [
        f
        for f in findings
        if f.rule.category == "wire" and f.rule.severity == "breaking"
    ]
    found: dict[int, Evidence | str] = {}
    probes = [f for f in wanted if f.probe is not None]
    if probes:
        found = _search(probes, package_for(old), package_for(new))
    changes = []
    for finding in findings:
        if finding not in wanted:
            changes.append(Change(finding, finding.rule.severity))
            continue
        if finding.probe is None:
            changes.append(Change(finding, "warning", note=_unproven(finding)))
            continue
        result = found[id(finding)]
        if isinstance(result, Evidence):
            changes.append(Change(finding, "breaking", result))
        else:
            changes.append(Change(finding, "warning", note=result))
    return changes


def _unproven(finding: Finding) -> str:
    return f"no payload can show it: {finding.rule.unproven}"


def _search(
    findings: Sequence[Finding], old: Package, new: Package
) -> dict[int, Evidence | str]:
    out: dict[int, Evidence | str] = {}
    for package in (old, new):
        problem = package.problem()
        if problem is not None:
            side = "old" if package is old else "new"
            return {
                id(f): f"not checked: the {side} spec's {problem}" for f in findings
            }
    old_items: list[dict[str, Any]] = []
    new_items: list[dict[str, Any]] = []
    slices = []
    for finding in findings:
        probe = finding.probe
        assert probe is not None
        old_at, new_at = len(old_items), len(new_items)
        for candidate in probe.candidates:
            if (
                probe.kind == "route"
            ):  # only the old client runs: the new one has no server
                item = {"call": probe.old_type, "payload": candidate}
                if probe.sends is not None and probe.lacks is not None:
                    item["key_header"] = probe.lacks[1]
                old_items.append(item)
                continue
            old_items.append({"type": probe.old_type, "payload": candidate})
            new_items.append({"type": probe.new_type, "payload": candidate})
        slices.append((finding, probe, old_at, new_at))
    try:
        old_said, new_said = structure([old.job(old_items), new.job(new_items)])
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        return {id(f): f"not checked: {exc}" for f in findings}
    for finding, probe, old_at, new_at in slices:
        count = len(probe.candidates)
        if probe.kind == "route":
            out[id(finding)] = _route(probe, old_said[old_at : old_at + count])
            continue
        tried = list(
            zip(
                probe.candidates,
                old_said[old_at : old_at + count],
                new_said[new_at : new_at + count],
                strict=True,
            )
        )
        out[id(finding)] = _choose(probe, tried)
    return out


def serves(routes: Sequence[str], line: str) -> bool:
    """Whether a request line (``GET /v1/x/a``) matches one of ``METHOD /v1/x/{id}``."""
    method, _, target = line.partition(" ")
    path = target.partition("?")[0]
    for route in routes:
        verb, _, template = route.partition(" ")
        pattern = re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template))
        if verb == method and re.fullmatch(pattern, path):
            return True
    return False


def carries(names: dict[str, list[str]], location: str, wire: str) -> bool:
    """Whether a sent request carries the parameter (header names are case-blind)."""
    if location == "header":
        return wire.lower() in names.get("header", ())
    return wire in names.get(location, ())


def _route(probe: Probe, sent: list[list[str] | None]) -> Evidence | str:
    lines = [s[0] for s in sent[:1] if s]
    if not lines:
        return f"not confirmed: the old client's {probe.old_type}() sent no request"
    if probe.lacks is not None:
        location, wire = probe.lacks
        names = json.loads(sent[0][1]) if sent[0] and len(sent[0]) > 1 else {}
        if not carries(names, location, wire):
            refusal = (
                f"the new spec reads the {location} parameter {wire}, "
                "which this request does not carry"
            )
        elif probe.sends is not None and names.get("key_value") != probe.sends:
            refusal = (
                f"the new spec reads the API key from the {wire} header as "
                f"{probe.sends!r}; this request sends {names.get('key_value')!r}"
            )
        else:
            return f"not confirmed: the old client's request carries the {location} parameter {wire}"
        return Evidence(
            "route",
            lines[0],
            probe.old_type,
            probe.new_type,
            "old",
            refusal,
            probe.candidates[0],
            probe.lacks,
        )
    if serves(probe.routes, lines[0]):
        return f"not confirmed: the new spec still serves {lines[0]}"
    return Evidence(
        "route",
        lines[0],
        probe.old_type,
        probe.new_type,
        "old",
        f"no operation of the new spec serves {lines[0]}",
        probe.candidates[0],
    )


def _choose(
    probe: Probe, tried: list[tuple[Any, list[str] | None, list[str] | None]]
) -> Evidence | str:
    shown: list[tuple[tuple[int, int], int, Any, str]] = []
    for payload, old, new in tried:
        accepted, refused = (old, new) if probe.kind == "request" else (new, old)
        message = refusal(refused, probe) if accepted is None else None
        if message is not None:
            # a payload refused for this reason alone, then the smallest
            others = sum(not _names(m, probe.at, probe.mention) for m in refused or ())
            size = len(json.dumps(payload, sort_keys=True))
            shown.append(((others, size), len(shown), payload, message))
    if not shown:
        accepting = "old" if probe.kind == "request" else "new"
        refusing = "new" if probe.kind == "request" else "old"
        return (
            f"not confirmed: none of {len(tried)} payloads was accepted by the {accepting} "
            f"converter and refused by the {refusing} one at {probe.at}"
        )
    _, _, payload, message = min(shown, key=lambda s: (s[0], s[1]))
    return Evidence(
        probe.kind,
        payload,
        probe.old_type,
        probe.new_type,
        "old" if probe.kind == "request" else "new",
        message,
    )
