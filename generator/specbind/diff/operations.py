"""Groups, methods and parameters of two versions: routes, bodies, streams, errors."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import attrs

from .. import ir
from . import domains
from .findings import Probe
from .places import GroupPath

if TYPE_CHECKING:
    from .compare import Comparer

_PLACEHOLDER = re.compile(r"\{[^}]*\}")
# How a parameter's style: reads in a finding's sentence.
_STYLE_WORDS = {
    "form": "as text, exploded (style form)",
    "comma": "joined by commas (style comma)",
    "deep_object": "as name[key]=value (style deep_object)",
    "json": "as its JSON text (style json)",
}


def _route(method: ir.Method) -> str:
    return f"{method.http_method} {_PLACEHOLDER.sub('{}', method.path)}"


def _route_probe(
    c: Comparer,
    path: GroupPath,
    method: ir.Method,
    lacks: tuple[str, str] | None = None,
    passing: ir.Field | None = None,
) -> Probe:
    """Call the old client's method with a minimal value for each required argument
    (and for ``passing``); the request it sends must match none of the new spec's
    routes or, with ``lacks``, must not carry that parameter."""
    side = c.old.side
    values = {
        f.python_name: domains.minimal(side, f.type, f)
        for f in (*(p.field for p in method.parameters), *method.body_fields)
        if f.required or f is passing
    }
    routes = tuple(
        f"{m.http_method} {m.path}"
        for group in c.new.api.every_group()
        for m in group.methods
    )
    call = ".".join((*path, method.name))
    return Probe("route", call, call, (values,), routes=routes, lacks=lacks)


# The API key the evidence runner gives the old client (``diff/_runner.py``).
PROBE_KEY = "specbind"


def auth_probe(c: Comparer, auth: ir.Auth) -> Probe | None:
    """Call the old client's first method: its request must not carry the header
    where the new spec's key travels with the value the new client sends there
    (None when the old spec has no method)."""
    sends = f"Bearer {PROBE_KEY}" if auth.scheme == "bearer" else PROBE_KEY
    for group in c.old.api.every_group():
        for method in group.methods:
            probe = _route_probe(c, group.path, method, lacks=("header", auth.header))
            return attrs.evolve(probe, sends=sends)
    return None


def _answer(method: ir.Method, c: Comparer, side: str) -> str:
    """What the method answers, as a sentence names it: ``a stream of Event``,
    ``JobOut``, ``a binary body``, ``no content``, or each status's
    (``200: JobOut, 204: no content``)."""
    if method.stream is not None:
        return f"a stream of {method.stream.event.name}"
    kinds = {"binary": "a binary body", "empty": "no content"}
    answers = [kinds.get(r.kind) or _spell_answer(r, c, side) for r in method.responses]
    if len(answers) == 1:
        return answers[0]
    return ", ".join(
        f"{r.status}: {a}" for r, a in zip(method.responses, answers, strict=True)
    )


def compare_operations(c: Comparer) -> None:
    old_groups = {g.path: g for g in c.old.api.every_group()}
    new_groups = {g.path: g for g in c.new.api.every_group()}
    old_routes = {_route(m) for g in old_groups.values() for m in g.methods}
    new_routes = {_route(m) for g in new_groups.values() for m in g.methods}
    op, np_ = c.old.positions, c.new.positions
    moved = _moved(old_groups, new_groups)
    for path, group in old_groups.items():
        name = ".".join(path)
        target = moved.get(path, path)
        if target not in new_groups:
            c.add("python.group-removed", name, op.group(path))
            for method in group.methods:
                _removed(c, path, method, new_routes)
            continue
        other = new_groups[target]
        if target != path:
            c.add(
                "python.group-moved",
                ".".join(target),
                op.group(path),
                np_.group(target),
                old=name,
                new=".".join(target),
            )
        if group.doc != other.doc:
            c.add("docs.description-changed", name, op.group(path), np_.group(target))
        _methods(c, (path, target), group, other, new_routes, old_routes)
    arrived = set(moved.values())
    for path, group in new_groups.items():
        if path not in old_groups and path not in arrived:
            c.add("python.group-added", ".".join(path), at_new=np_.group(path))
            for method in group.methods:
                _added(c, path, method, old_routes)


def _moved(
    old: dict[GroupPath, ir.Group], new: dict[GroupPath, ir.Group]
) -> dict[GroupPath, GroupPath]:
    """Groups gone from their path whose methods (names and routes) now form a group
    at another path: ``jobs`` -> ``fine_tuning.jobs``."""

    def shape(group: ir.Group) -> frozenset[tuple[str, str]]:
        return frozenset((m.name, _route(m)) for m in group.methods)

    arrivals = {
        path: shape(group)
        for path, group in new.items()
        if path not in old and group.methods
    }
    found = {}
    for path, group in old.items():
        if path in new or not group.methods:
            continue
        twin = next((p for p, s in arrivals.items() if s == shape(group)), None)
        if twin is not None:
            found[path] = twin
            del arrivals[twin]
    return found


def _removed(
    c: Comparer, path: GroupPath, method: ir.Method, new_routes: set[str]
) -> None:
    place = ".".join((*path, method.name))
    at = c.old.positions.method(path, method.name)
    c.add("python.method-removed", place, at)
    if _route(method) not in new_routes:
        c.add(
            "wire.operation-removed",
            place,
            at,
            probe=_route_probe(c, path, method),
            old=f"{method.http_method} {method.path}",
        )


def _added(
    c: Comparer, path: GroupPath, method: ir.Method, old_routes: set[str]
) -> None:
    place = ".".join((*path, method.name))
    at = c.new.positions.method(path, method.name)
    c.add("python.method-added", place, at_new=at)
    if _route(method) not in old_routes:
        c.add(
            "wire.operation-added",
            place,
            at_new=at,
            new=f"{method.http_method} {method.path}",
        )


def _methods(
    c: Comparer,
    paths: tuple[GroupPath, GroupPath],
    old: ir.Group,
    new: ir.Group,
    new_routes: set[str],
    old_routes: set[str],
) -> None:
    old_methods = {m.name: m for m in old.methods}
    new_methods = {m.name: m for m in new.methods}
    added = [m for name, m in new_methods.items() if name not in old_methods]
    for name, method in old_methods.items():
        if name in new_methods:
            _method(c, paths, method, new_methods[name])
            continue
        twin = next((m for m in added if _route(m) == _route(method)), None)
        if twin is None:
            _removed(c, paths[0], method, new_routes)
            continue
        added.remove(twin)
        c.add(
            "python.method-renamed",
            ".".join((*paths[1], twin.name)),
            c.old.positions.method(paths[0], name),
            c.new.positions.method(paths[1], twin.name),
            old=".".join((*paths[0], name)),
            new=".".join((*paths[1], twin.name)),
        )
        _method(c, paths, method, twin)
    for method in added:
        _added(c, paths[1], method, old_routes)


def _method(
    c: Comparer, paths: tuple[GroupPath, GroupPath], old: ir.Method, new: ir.Method
) -> None:
    place = ".".join((*paths[1], new.name))
    op, np_ = c.old.positions, c.new.positions
    route_o, route_n = op.route(paths[0], old.name), np_.route(paths[1], new.name)
    if old.http_method != new.http_method:
        c.add(
            "wire.http-method-changed",
            place,
            route_o,
            route_n,
            probe=_route_probe(c, paths[0], old),
            old=old.http_method,
            new=new.http_method,
        )
    if _PLACEHOLDER.sub("{}", old.path) != _PLACEHOLDER.sub("{}", new.path):
        c.add(
            "wire.path-changed",
            place,
            route_o,
            route_n,
            probe=_route_probe(c, paths[0], old),
            old=old.path,
            new=new.path,
        )
    if old.summary != new.summary:
        c.add(
            "docs.summary-changed",
            place,
            op.method(paths[0], old.name),
            np_.method(paths[1], new.name),
        )
    if old.doc != new.doc:
        c.add(
            "docs.description-changed",
            place,
            op.method(paths[0], old.name),
            np_.method(paths[1], new.name),
        )
    _bodies(c, paths, place, old, new)
    _answers(c, paths, place, old, new)
    _errors(c, paths, place, old, new)
    _parameters(c, paths, place, old, new)


def _bodies(
    c: Comparer,
    paths: tuple[GroupPath, GroupPath],
    place: str,
    old: ir.Method,
    new: ir.Method,
) -> None:
    at_o = c.old.positions.method(paths[0], old.name, "request")
    at_n = c.new.positions.method(paths[1], new.name, "request")
    if old.body is not None and new.body is not None and old.body != new.body:
        c.add(
            "wire.body-encoding-changed",
            place,
            c.old.positions.method(paths[0], old.name, "body"),
            c.new.positions.method(paths[1], new.name, "body"),
            old=old.body,
            new=new.body,
        )
    if old.request is not None and new.request is None:
        c.add(
            "wire.request-body-removed",
            place,
            at_o,
            c.new.positions.method(paths[1], new.name),
            old=old.request.name,
        )
    elif old.request is None and new.request is not None:
        c.add(
            "wire.request-body-added",
            place,
            c.old.positions.method(paths[0], old.name),
            at_n,
            new=new.request.name,
        )
    elif (
        old.request is not None
        and new.request is not None
        and c.renames.get(old.request.name, old.request.name) != new.request.name
    ):
        c.add(
            "wire.request-model-changed",
            place,
            at_o,
            at_n,
            old=old.request.name,
            new=new.request.name,
        )
        c.model(old.request, new.request, frozenset({"request"}), f"{place}(request)")


def _answers(
    c: Comparer,
    paths: tuple[GroupPath, GroupPath],
    place: str,
    old: ir.Method,
    new: ir.Method,
) -> None:
    op, np_ = c.old.positions, c.new.positions
    if (old.stream is None) != (new.stream is None):
        c.add(
            "wire.response-became-stream",
            place,
            op.method(paths[0], old.name),
            np_.method(paths[1], new.name),
            old=_answer(old, c, "old"),
            new=_answer(new, c, "new"),
        )
        return
    if old.stream is not None and new.stream is not None:
        if old.stream.terminator != new.stream.terminator:
            c.add(
                "wire.stream-terminator-changed",
                place,
                op.method(paths[0], old.name, "stream"),
                np_.method(paths[1], new.name, "stream"),
                old=domains_show(old.stream.terminator),
                new=domains_show(new.stream.terminator),
            )
        return
    _statuses(c, paths, place, old, new)


def _spell_answer(response: ir.Response, c: Comparer, side: str) -> str:
    if response.kind != "json" or response.type is None:
        return response.kind
    version = c.old if side == "old" else c.new
    return domains.spell(response.type, version.side)


def _statuses(
    c: Comparer,
    paths: tuple[GroupPath, GroupPath],
    place: str,
    old: ir.Method,
    new: ir.Method,
) -> None:
    """The success answers, status by status."""
    op, np_ = c.old.positions, c.new.positions
    at_o, at_n = op.method(paths[0], old.name), np_.method(paths[1], new.name)
    old_by = {r.status: r for r in old.responses}
    new_by = {r.status: r for r in new.responses}
    lone = len(old_by) == len(new_by) == 1
    for status, answer in old_by.items():
        if status not in new_by and not lone:
            c.add(
                "wire.response-status-removed",
                place,
                at_o,
                at_n,
                value=str(status),
                old=_spell_answer(answer, c, "old"),
            )
    for status, answer in new_by.items():
        if status not in old_by and not lone:
            c.add(
                "wire.response-status-added",
                place,
                at_o,
                at_n,
                value=str(status),
                new=_spell_answer(answer, c, "new"),
            )
    pairs = [(old_by[s], new_by[s]) for s in old_by if s in new_by]
    if lone:  # one answer each: compared whatever its status
        pairs = [(next(iter(old_by.values())), next(iter(new_by.values())))]
    for before, after in pairs:
        if before.kind != after.kind:
            c.add(
                "wire.response-kind-changed",
                place,
                at_o,
                at_n,
                old=_spell_answer(before, c, "old"),
                new=_spell_answer(after, c, "new"),
            )
        elif before.model is not None and after.model is not None:
            if c.renames.get(before.model.name, before.model.name) != after.model.name:
                c.add(
                    "wire.response-model-changed",
                    place,
                    op.method(paths[0], old.name, "response"),
                    np_.method(paths[1], new.name, "response"),
                    old=before.model.name,
                    new=after.model.name,
                )
                c.model(
                    before.model,
                    after.model,
                    frozenset({"response"}),
                    f"{place}(response)",
                )
        elif (probe := _became_union(c, before, after)) is not None:
            c.add(
                "wire.response-became-union",
                place,
                at_o,
                at_n,
                old=_spell_answer(before, c, "old"),
                new=_spell_answer(after, c, "new"),
                probe=probe,
            )
        elif (
            before.type is not None
            and after.type is not None
            and domains.relation(
                before.type, c.old.side, after.type, c.new.side, "wire", c.renames
            )
            != "same"
        ):
            c.add(
                "wire.response-model-changed",
                place,
                at_o,
                at_n,
                old=_spell_answer(before, c, "old"),
                new=_spell_answer(after, c, "new"),
            )


def _became_union(c: Comparer, before: ir.Response, after: ir.Response) -> Probe | None:
    """A probe when a model answer became a union of models: a payload of each other
    variant, which the new converter reads and the old one may refuse."""
    old_type, new_type = before.type, after.type
    if not (
        before.model is not None
        and isinstance(new_type, ir.NamedType)
        and new_type.kind == "union"
        and new_type.name in c.new.side.unions
        and isinstance(old_type, ir.NamedType)
    ):
        return None
    kept = c.renames.get(old_type.name, old_type.name)
    others = [
        variant
        for variant in c.new.side.unions[new_type.name].variants
        if not (isinstance(variant, ir.NamedType) and variant.name == kept)
    ]
    candidates = tuple(domains.minimal(c.new.side, variant) for variant in others)
    return Probe("response", old_type.name, new_type.name, candidates)


def domains_show(terminator: str | None) -> str:
    return "the connection's end" if terminator is None else f"'{terminator}'"


def _errors(
    c: Comparer,
    paths: tuple[GroupPath, GroupPath],
    place: str,
    old: ir.Method,
    new: ir.Method,
) -> None:
    old_errors, new_errors = dict(old.errors), dict(new.errors)
    op, np_ = c.old.positions, c.new.positions
    for status, model in old_errors.items():
        if status not in new_errors:
            c.add(
                "wire.error-status-removed",
                place,
                op.method(paths[0], old.name, "errors", str(status)),
                np_.method(paths[1], new.name),
                value=str(status),
                old=model.name,
            )
    for status, model in new_errors.items():
        if status not in old_errors:
            c.add(
                "wire.error-status-added",
                place,
                op.method(paths[0], old.name),
                np_.method(paths[1], new.name, "errors", str(status)),
                value=str(status),
                new=model.name,
            )


def _parameters(
    c: Comparer,
    paths: tuple[GroupPath, GroupPath],
    place: str,
    old: ir.Method,
    new: ir.Method,
) -> None:
    op, np_ = c.old.positions, c.new.positions
    old_params = {p.field.wire_name: p for p in old.parameters}
    new_params = {p.field.wire_name: p for p in new.parameters}
    old_python = {p.field.python_name for p in old.parameters}
    at_old_m, at_new_m = op.method(paths[0], old.name), np_.method(paths[1], new.name)
    for wire, param in old_params.items():
        where = f"{place}({wire})"
        at = op.parameter(paths[0], old.name, wire)
        if wire not in new_params:
            c.add(
                "wire.parameter-removed", where, at, at_new_m, location=param.location
            )
            if param.field.python_name not in {
                p.field.python_name for p in new.parameters
            }:
                c.add(
                    "python.parameter-removed",
                    where,
                    at,
                    at_new_m,
                    python=param.field.python_name,
                )
            continue
        other = new_params[wire]
        at_n = np_.parameter(paths[1], new.name, wire)
        f, g = param.field, other.field
        if param.location != other.location:
            c.add(
                "wire.parameter-moved",
                where,
                at,
                at_n,
                probe=_route_probe(
                    c, paths[0], old, (other.location, wire), passing=param.field
                ),
                old=param.location,
                new=other.location,
            )
        if f.required != g.required:
            side = "required" if g.required else "optional"
            probe = (
                _route_probe(c, paths[0], old, (other.location, wire))
                if g.required
                else None
            )
            c.add(f"wire.parameter-became-{side}", where, at, at_n, probe=probe)
            c.add(
                f"python.parameter-became-{side}", where, at, at_n, python=g.python_name
            )
        if (
            domains.relation(f.type, c.old.side, g.type, c.new.side, "wire", c.renames)
            != "same"
        ):
            c.add(
                "wire.parameter-type-changed",
                where,
                at,
                at_n,
                old=domains.spell(f.type, c.old.side),
                new=domains.spell(g.type, c.new.side),
            )
        if param.style != other.style:
            c.add(
                "wire.parameter-style-changed",
                where,
                at,
                at_n,
                old=_STYLE_WORDS[param.style],
                new=_STYLE_WORDS[other.style],
            )
        if f.python_name != g.python_name:
            c.add(
                "python.parameter-renamed",
                where,
                at,
                at_n,
                old=f.python_name,
                new=g.python_name,
            )
        c.defaults(f, g, where, at, at_n, "python.parameter-default")
        c.texts(f, g, where, at, at_n)
    for wire, param in new_params.items():
        if wire in old_params:
            continue
        where = f"{place}({wire})"
        at = np_.parameter(paths[1], new.name, wire)
        side = "required" if param.field.required else "optional"
        probe = (
            _route_probe(c, paths[0], old, (param.location, wire))
            if param.field.required
            else None
        )
        c.add(
            f"wire.parameter-added-{side}",
            where,
            at_old_m,
            at,
            probe=probe,
            location=param.location,
        )
        if param.field.python_name not in old_python:
            c.add(
                f"python.parameter-added-{side}",
                where,
                at_old_m,
                at,
                python=param.field.python_name,
            )
