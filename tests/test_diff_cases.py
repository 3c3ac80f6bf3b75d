"""The golden cases of ``specbind diff``: one folder per rule, run both ways.

``tests/diff_cases/<rule>/`` holds ``old.yaml`` and ``new.yaml``, the exact text
report OLD -> NEW in ``expected.txt`` and NEW -> OLD in ``expected_reverse.txt``.
Each case must report its own rule, the other way round the rule's ``reverse``, and
a breaking wire rule that can be proven must come with a payload. Every payload of
every report is then run again, by this file's own code, through both sides'
generated converters: a report cannot claim evidence that was not run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from specbind import ir
from specbind.diff.command import compare
from specbind.diff.evidence import package_for
from specbind.diff.report import Report, as_json, text
from specbind.diff.rules import RULES
from specbind.diff.sides import load_side

CASES = Path(__file__).parent / "diff_cases"
FOLDERS = sorted(p for p in CASES.iterdir() if p.is_dir())
UPDATE = os.environ.get("SPECBIND_UPDATE_DIFF_CASES") == "1"

# This file's own runner: import each side's generated package (both sides usually
# share a name, so the first one's modules are dropped before the second), structure.
_CHECK = """
import importlib, json, sys
import httpx

def call(package, name, arguments):
    sent = []
    def answer(request):
        sent.append({
            "line": request.method + " " + request.url.raw_path.decode(),
            "query": list(request.url.params.keys()),
            "header": [k.lower() for k in request.headers.keys()],
        })
        return httpx.Response(418)
    http = httpx.Client(transport=httpx.MockTransport(answer))
    target = package.Client("k", max_retries=0, http_client=http)
    for part in name.split("."):
        target = getattr(target, part)
    try:
        target(**arguments)
    except Exception:
        pass
    return sent

said = []
for folder, name, items in json.load(sys.stdin):
    sys.path.insert(0, folder)
    package = importlib.import_module(name)
    errors = importlib.import_module(name + ".converters").describe_error
    out = []
    for type_name, payload, arguments in items:
        if arguments is not None:
            out.append(call(package, type_name, arguments))
            continue
        try:
            package.converter.structure(payload, getattr(package.models, type_name))
            out.append(None)
        except Exception as exc:
            out.append(errors(exc))
    said.append(out)
    sys.path.remove(folder)
    for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[module]
print(json.dumps(said))
"""


def test_every_rule_has_a_case_and_every_case_a_rule() -> None:
    assert sorted(p.name for p in FOLDERS) == sorted(RULES)
    assert len(RULES) >= 60


def _report(old: str, new: str) -> Report:
    return Report((compare(load_side(old), load_side(new)),))


def _structure(jobs: dict[str, list[tuple[str, Any, Any]]]) -> dict[str, list[Any]]:
    """What each spec's generated package says of each (type, payload, arguments):
    the converter's messages, or the request lines a client method sent."""
    runs = []
    for spec, items in jobs.items():
        package = package_for(load_side(spec).project)
        assert package.problem() is None
        runs.append((str(package.folder), package.name, items))
    done = subprocess.run(
        [sys.executable, "-c", _CHECK],
        input=json.dumps(runs),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return dict(zip(jobs, json.loads(done.stdout), strict=True))


def _evidence(report: Report) -> list[dict[str, Any]]:
    return [
        c["evidence"]
        for comparison in json.loads(as_json(report))["comparisons"]
        for c in comparison["changes"]
        if c["evidence"] is not None
    ]


def _recheck(forward: Report, reverse: Report) -> int:
    """Run every payload of both reports through both generated packages again."""
    # (evidence, the spec its "old" side is, the spec its "new" side is)
    runs = [(e, "old.yaml", "new.yaml") for e in _evidence(forward)]
    runs += [(e, "new.yaml", "old.yaml") for e in _evidence(reverse)]
    if not runs:
        return 0
    items: dict[str, list[tuple[str, Any, Any]]] = {"old.yaml": [], "new.yaml": []}
    for e, was, now in runs:
        if e["kind"] == "route":  # the old client again; the new spec has no server
            items[was].append((e["old_type"], None, e["arguments"]))
            continue
        items[was].append((e["old_type"], e["payload"], None))
        items[now].append((e["new_type"], e["payload"], None))
    said = {spec: iter(answers) for spec, answers in _structure(items).items()}
    for e, was, now in runs:
        if e["kind"] == "route":
            (sent,) = next(said[was])
            assert sent["line"] == e["payload"]
            api = load_side(now).project.apis[0]
            if e["lacks"] is None:
                assert not _served(api, e["payload"]), e
                continue
            where, name = e["lacks"]["in"], e["lacks"]["name"]
            assert (name.lower() if where == "header" else name) not in sent[where], e
            assert (where, name) in _read_by(api, e["payload"]), e
            continue
        o, n = next(said[was]), next(said[now])
        accepted, refused = (o, n) if e["accepted_by"] == "old" else (n, o)
        assert accepted is None, (e, accepted)
        assert refused and e["refusal"] in refused, (e, refused)
    return len(runs)


def _served(api: ir.Api, line: str) -> bool:
    """Whether a method of ``api`` (nested groups included) answers ``line``."""
    return bool(_answering(api, line))


def _read_by(api: ir.Api, line: str) -> set[tuple[str, str]]:
    """The (location, name) of the parameters the methods answering ``line`` read,
    and the header the API key travels in (every method reads it)."""
    methods = _answering(api, line)
    key = {("header", api.auth.header)} if api.auth and methods else set()
    return key | {
        (p.location, p.field.wire_name) for m in methods for p in m.parameters
    }


def _answering(api: ir.Api, line: str) -> list[ir.Method]:
    verb, _, target = line.partition(" ")
    path = target.partition("?")[0]
    found = []
    groups = list(api.groups)
    while groups:
        group = groups.pop()
        groups.extend(group.groups)
        for m in group.methods:
            pattern = "".join(
                "[^/]+" if part.startswith("{") else re.escape(part)
                for part in re.split(r"(\{[^}]*\})", m.path)
            )
            if m.http_method == verb and re.fullmatch(pattern, path):
                found.append(m)
    return found


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_case(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder)
    rule = RULES[folder.name]
    forward = _report("old.yaml", "new.yaml")
    reverse = _report("new.yaml", "old.yaml")
    if UPDATE:
        (folder / "expected.txt").write_text(text(forward))
        (folder / "expected_reverse.txt").write_text(text(reverse))
    assert text(forward) == (folder / "expected.txt").read_text()
    assert text(reverse) == (folder / "expected_reverse.txt").read_text()

    assert rule.id in {c.rule.id for c in forward.changes}
    if rule.reverse is not None:
        assert rule.reverse in {c.rule.id for c in reverse.changes}
    if (
        rule.category == "wire"
        and rule.severity == "breaking"
        and rule.evidence != "none"
    ):
        mine = [c for c in forward.changes if c.rule.id == rule.id]
        assert all(c.severity == "breaking" and c.evidence for c in mine), mine
    checked = _recheck(forward, reverse)
    if rule.evidence != "none" and rule.severity == "breaking":
        assert checked


def test_an_api_key_header_changing_only_its_case_is_no_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTTP header names have no case: X-Shop-Key -> x-shop-key sends the same."""
    case = CASES / "wire.auth-changed"
    new = (case / "new.yaml").read_text()
    (tmp_path / "old.yaml").write_text(new)
    (tmp_path / "new.yaml").write_text(new.replace("X-Shop-Key", "x-shop-key"))
    (tmp_path / "other.yaml").write_text(new.replace("X-Shop-Key", "X-Other-Key"))
    monkeypatch.chdir(tmp_path)
    assert _report("old.yaml", "new.yaml").changes == []
    changed = _report("old.yaml", "other.yaml").changes
    assert [(c.rule.id, c.severity) for c in changed] == [
        ("wire.auth-changed", "breaking")
    ]


def test_an_api_key_the_new_server_needs_breaks_old_clients(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No auth -> an API key: old clients send no key at all (breaking, proven by the
    old client's request); the other way, the key the new server ignores breaks no one."""
    case = CASES / "wire.auth-changed"
    new = (case / "new.yaml").read_text()
    auth = "auth:\n  api_key:\n    header: X-Shop-Key\n    env: SHOP_API_KEY\n"
    assert auth in new
    (tmp_path / "keyless.yaml").write_text(new.replace(auth, ""))
    (tmp_path / "keyed.yaml").write_text(new)
    monkeypatch.chdir(tmp_path)
    added = _report("keyless.yaml", "keyed.yaml").changes
    assert [(c.rule.id, c.severity) for c in added] == [
        ("wire.auth-changed", "breaking")
    ]
    assert "instead of not at all" in added[0].finding.sentence()
    assert _report("keyed.yaml", "keyless.yaml").changes == []


@pytest.mark.parametrize("forward", [True, False], ids=["bearer->key", "key->bearer"])
def test_a_key_moving_between_bearer_and_a_plain_authorization_header_breaks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forward: bool
) -> None:
    """Bearer and an API key in a header named Authorization both send Authorization,
    with other values (``Bearer KEY`` against ``KEY``): breaking either way, proven by
    the value the old client's request carries."""
    bearer = (CASES / "wire.auth-changed" / "old.yaml").read_text()
    plain = bearer.replace(
        "  bearer:\n    env: SHOP_API_KEY\n",
        "  api_key:\n    header: Authorization\n    env: SHOP_API_KEY\n",
    )
    assert plain != bearer
    (tmp_path / "bearer.yaml").write_text(bearer)
    (tmp_path / "plain.yaml").write_text(plain)
    monkeypatch.chdir(tmp_path)
    old, new = (
        ("bearer.yaml", "plain.yaml") if forward else ("plain.yaml", "bearer.yaml")
    )
    changed = _report(old, new).changes
    assert [(c.rule.id, c.severity) for c in changed] == [
        ("wire.auth-changed", "breaking")
    ]
    evidence = changed[0].evidence
    assert evidence is not None and evidence.kind == "route"
    sent, expected = ("'Bearer specbind'", "'specbind'")
    if not forward:
        sent, expected = expected, sent
    assert evidence.refusal == (
        f"the new spec reads the API key from the Authorization header as {expected}; "
        f"this request sends {sent}"
    )
