"""What comparing finds: a rule at a place, where it stands on each side, and how to
look for a payload that shows it."""

from __future__ import annotations

import json
from typing import Any, Literal

import attrs

from .rules import CATEGORIES, SEVERITIES, Rule, Severity


@attrs.frozen(order=True)
class Spot:
    """``FILE:LINE:COL`` of one side's spec."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@attrs.frozen
class Probe:
    """Candidate payloads for one change, tried against both generated converters.

    ``request``: the old converter must accept the payload and the new refuse it at
    ``at`` (a JSON path; ``mention`` must then appear in the refusal); ``response``:
    the new accepts, the old refuses. ``old_type``/``new_type`` are the Python names
    of the model, union or enum structured on each side. ``route``: the old client's
    method ``old_type`` (``group.method``) is called with the candidate's keyword
    arguments (JSON values by Python name), and the request it sends must match none
    of the new spec's ``routes`` (``METHOD /path/{param}``).
    """

    kind: Literal["request", "response", "route"]
    old_type: str
    new_type: str
    candidates: tuple[Any, ...]
    at: str = "$"
    mention: str = ""
    routes: tuple[str, ...] = ()
    # a parameter probe: (location, wire name) the old client's request must lack
    # while the new spec reads it there
    lacks: tuple[str, str] | None = None
    # for an auth probe: what the new client sends in that header (the old request
    # must not carry it with this value)
    sends: str | None = None


@attrs.frozen
class Evidence:
    """A payload both generated converters were run on."""

    kind: Literal["request", "response", "route"]
    payload: Any  # for a route: the request line the old client sent
    old_type: str
    new_type: str
    accepted_by: Literal["old", "new"]
    refusal: str  # what the refusing converter said
    arguments: Any = None  # for a route: the keyword arguments the old client got
    lacks: tuple[str, str] | None = None  # the parameter the request did not carry

    @property
    def refused_by(self) -> Literal["old", "new"]:
        return "new" if self.accepted_by == "old" else "old"

    def payload_json(self) -> str:
        return json.dumps(self.payload, ensure_ascii=False, sort_keys=True)


@attrs.frozen
class Finding:
    rule: Rule
    place: str
    old: Spot | None
    new: Spot | None
    facts: tuple[tuple[str, str], ...] = ()
    probe: Probe | None = None

    def sentence(self) -> str:
        return self.rule.sentence.format(place=self.place, **dict(self.facts))


@attrs.frozen
class Change:
    """A finding with its final severity and, for breaking wire changes, evidence."""

    finding: Finding
    severity: Severity
    evidence: Evidence | None = None
    note: str = ""  # why a breaking wire change was reported as a warning

    @property
    def rule(self) -> Rule:
        return self.finding.rule

    def sort_key(self) -> tuple[int, int, str, str, str]:
        spot = self.finding.new or self.finding.old
        return (
            SEVERITIES.index(self.severity),
            CATEGORIES.index(self.rule.category),
            str(spot.file) if spot else "",
            f"{spot.line:08d}:{spot.column:04d}" if spot else "",
            self.rule.id + self.finding.place,
        )
