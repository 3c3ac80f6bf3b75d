"""``datetime``, ``date`` and ``uuid`` fields and the constraints beyond the bounds, on the
golden case ``types_and_constraints``: what they accept, what they reject (on the fast
path and the reporting path, with the ``$.path``), how they are written, and how the
docs show them."""

from __future__ import annotations

import datetime
import functools
import importlib
import json
import re
import sys
from pathlib import Path
from typing import Any

import attrs
import msgspec
import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specbind import formats, ir
from specbind.render.docs.tables import type_cell
from specbind.render.styles.catalog import STYLES

from .goldens import golden
from .server import LoopbackServer, Reply
from .strategies import AWARE_DATETIMES, with_defaults

CASE = golden("types_and_constraints")
JOB = CASE.models.Job
CONVERTERS = CASE.package.converters
HOOKS = importlib.import_module(f"{CASE.api.package}.converters._shared")  # one group
RUNTIME = importlib.import_module(f"{CASE.api.package}._convert")
converter = CASE.package.converter
SDK_MODELS = (
    Path("/work/shared/reference/mistral-sdk-1.2.0-docs/whole-api-sample/models")
    if Path("/work/shared/reference").exists()
    else Path(__file__).parent / "reference" / "sdk-models"
)
VALID: dict[str, Any] = {
    "id": "497f6eca-6276-4993-bfeb-53cbbbba6f09",
    "created_at": "2024-05-01T12:30:00Z",
    "due": "2024-02-29",
    "version": 1,
}


def problems(payload: dict[str, Any]) -> list[str]:
    return problems_of(payload, JOB)


def problems_of(payload: dict[str, Any], cls: type) -> list[str]:
    try:
        converter.structure(payload, cls)
    except Exception as exc:
        return CONVERTERS.describe_error(exc)
    return []


# One change to a valid payload that breaks one rule, and the message it must get.
BROKEN = [
    ({"created_at": "2024-05-01T12:30:00"}, "has no UTC offset", "$.created_at"),
    ({"created_at": "2024-05-01 12:30:00Z"}, "not an RFC 3339", "$.created_at"),
    ({"created_at": "2024-04-31T12:30:00Z"}, "not a valid date-time", "$.created_at"),
    ({"created_at": "2024-05-01T12:30:00+24:00"}, "not a valid", "$.created_at"),
    ({"created_at": 1714566600}, "expected datetime", "$.created_at"),
    ({"finished_at": "yesterday"}, "not an RFC 3339", "$.finished_at"),
    ({"due": "2023-02-29"}, "not a valid date", "$.due"),
    ({"due": "2024-2-01"}, "is not a date", "$.due"),
    ({"id": "497f6eca-6276-4993-bfeb-53cbbbba6f0"}, "is not a UUID", "$.id"),
    ({"checkpoints": []}, "at least 1 items", "$.checkpoints"),
    ({"checkpoints": ["2024-05-01T12:30:00Z"] * 4}, "at most 3 items", "$.checkpoints"),
    ({"checkpoints": ["2024-05-01"]}, "not an RFC 3339", "$.checkpoints[0]"),
    ({"holidays": ["2024-05-01", "2024-13-01"]}, "not a valid date", "$.holidays[1]"),
    ({"tags": ["a", "b", "c"]}, "at most 2 items", "$.tags"),
    ({"suffix": "Has-Upper"}, "must match", "$.suffix"),
    ({"suffix": "ab\n"}, "must match", "$.suffix"),  # `$` is the end, as in ECMA-262
    ({"learning_rate": 0}, "must be > 0", "$.learning_rate"),
    ({"learning_rate": 1.0}, "must be < 1", "$.learning_rate"),
    ({"epochs": 5}, "multiple of 2", "$.epochs"),
    ({"step": 0.3}, "multiple of 0.5", "$.step"),
    ({"version": 2}, "must be 1", "$.version"),
    ({"object": "file"}, "must be 'job'", "$.object"),
    ({"dry_run": True}, "must be False", "$.dry_run"),
]


@pytest.mark.parametrize(("change", "message", "path"), BROKEN, ids=str)
def test_a_broken_value_is_reported_at_its_path(
    change: dict[str, Any], message: str, path: str
) -> None:
    payload = {**VALID, **change}
    (problem,) = problems(payload)
    assert message in problem and problem.endswith(f" @ {path}"), problem
    # The fast path must not accept it either (it would return an invalid Job).
    with pytest.raises(Exception):  # noqa: B017 (any exception leaves it)
        HOOKS._fast_job(payload)


def test_the_valid_payload_takes_the_fast_path() -> None:
    job = HOOKS._fast_job(VALID)
    assert job.created_at == datetime.datetime(
        2024, 5, 1, 12, 30, tzinfo=datetime.timezone.utc
    )
    assert job.due == datetime.date(2024, 2, 29)
    assert job.id == VALID["id"]  # uuid: the str as sent
    upper = {**VALID, "id": VALID["id"].upper()}
    assert converter.unstructure(converter.structure(upper, JOB))["id"] == upper["id"]


@settings(max_examples=200, deadline=None)
@given(job=CASE.instances.named("Job"))
def test_valid_jobs_round_trip(job: Any) -> None:
    payload = converter.unstructure(job)
    back = converter.structure(payload, JOB)
    assert back == with_defaults(job, CASE.api, CASE.models.UNSET)
    assert converter.unstructure(converter.structure(payload, JOB)) == (
        converter.unstructure(back)
    )
    assert back.created_at.utcoffset() == job.created_at.utcoffset()


@settings(max_examples=200, deadline=None)
@given(value=AWARE_DATETIMES)
def test_datetimes_are_written_in_rfc_3339_and_read_back_equal(
    value: datetime.datetime,
) -> None:
    text = RUNTIME._datetime_out(value, "x")
    assert formats.parse_datetime(text) == value
    assert RUNTIME._datetime(text) == value
    assert text.endswith("Z") == (value.utcoffset() == datetime.timedelta(0))


# Strings close to RFC 3339 date-times, many of them wrong.
NEAR_DATETIMES = st.from_regex(
    r"\A\d{4}-[01]\d-[0-3]\d[Tt ][0-2]\d:[0-6]\d:[0-6]\d(\.\d{1,9})?([Zz]|[+-][0-2]\d:[0-6]\d)?\Z"
)


@settings(max_examples=300, deadline=None)
@given(text=NEAR_DATETIMES)
def test_the_generator_and_the_converter_agree_on_date_times(text: str) -> None:
    """specbind checks defaults with formats.py; the package has its own copy."""
    expected = formats.parse_datetime(text)
    try:
        actual = RUNTIME._datetime(text)
    except ValueError:
        actual = None
    assert actual == expected


def test_a_naive_datetime_is_refused_when_sent() -> None:
    job = converter.structure(VALID, JOB)
    naive = datetime.datetime(2024, 5, 1, 12, 30)
    cases = [
        (attrs.evolve(job, created_at=naive), "Job.created_at"),
        (attrs.evolve(job, checkpoints=[naive]), "Job.checkpoints"),
    ]
    for bad, where in cases:
        with pytest.raises(RUNTIME.NaiveDatetimeError) as info:
            converter.unstructure(bad)
        assert str(info.value).startswith(f"{where}: 2024-05-01T12:30:00 is a naive")
    with pytest.raises(TypeError, match=r"Job\.due: expected a datetime\.date"):
        converter.unstructure(attrs.evolve(job, due=naive))


def test_a_union_of_datetime_and_date_keeps_them_apart() -> None:
    moment = CASE.models.Moment
    for wire in ("2024-05-01", "2024-05-01T00:00:00+02:00"):
        value = converter.structure({"when": wire, "at": [wire]}, moment)
        assert converter.unstructure(value) == {"when": wire, "at": [wire]}
    value = converter.structure({"when": "2024-05-01"}, moment)
    assert type(value.when) is datetime.date
    assert problems_of({"when": "soon"}, moment) == [
        "'soon' is not a date (YYYY-MM-DD) @ $.when"
    ]
    naive = datetime.datetime(2024, 5, 1)
    with pytest.raises(RUNTIME.NaiveDatetimeError, match=r"^MomentWhen: "):
        converter.unstructure(moment(when=naive))
    with pytest.raises(RUNTIME.NaiveDatetimeError, match=r"^MomentAt: "):
        converter.unstructure(moment(when=naive.date(), at=[naive]))


def test_the_schema_spells_every_format_and_constraint() -> None:
    props = CASE.schema["$defs"]["Job"]["properties"]
    assert props["created_at"] == {
        "type": "string",
        "format": "date-time",
        "description": "When the job was created (RFC 3339, with an offset).",
        "examples": ["2024-05-01T12:30:00Z"],
    }
    assert (
        props["due"]["type"] == ["string", "null"] and props["due"]["format"] == "date"
    )
    assert props["id"]["format"] == "uuid"
    assert props["checkpoints"]["items"]["format"] == "date-time"
    assert (props["checkpoints"]["minItems"], props["checkpoints"]["maxItems"]) == (
        1,
        3,
    )
    assert props["suffix"]["pattern"] == "^[a-z0-9-]+$"
    lr = props["learning_rate"]
    assert (lr["exclusiveMinimum"], lr["exclusiveMaximum"]) == (0, 1)
    assert props["epochs"]["multipleOf"] == 2
    assert props["version"]["const"] == 1
    assert props["object"]["const"] == "job"


def _sdk_cell(page: str, field: str) -> str:
    for line in (SDK_MODELS / page).read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == f"`{field}`":
            return cells[1]
    raise AssertionError(f"{field} not in {page}")


@pytest.mark.parametrize(
    ("page", "field"),
    [
        ("basemodelcard.md", "deprecation"),  # a date-time, optional and nullable
        ("jobsapiroutesfinetuninggetfinetuningjobsrequest.md", "created_after"),
    ],
)
def test_a_date_time_cell_is_the_sdk_one(page: str, field: str) -> None:
    sdk = _sdk_cell(page, field)
    for required, nullable in [
        (True, False),
        (True, True),
        (False, False),
        (False, True),
    ]:
        ours = ir.Field(field, field, ir.PrimitiveType("datetime"), required, nullable)
        assert type_cell(ours) == sdk
    uuid = ir.Field("id", "id", ir.PrimitiveType("uuid"), True, False)
    assert type_cell(uuid) == _sdk_cell("uploadfileout.md", "id")  # *str*


def test_patterns_are_compiled_once_at_import() -> None:
    source = Path(HOOKS.__file__).read_text("utf-8")
    assert re.findall(r"^_PATTERN_\d+ = re\.compile\(.*\)$", source, re.M) == [
        '_PATTERN_0 = re.compile("^[a-z0-9-]+\\\\Z")'  # `$` is the end, as in ECMA-262
    ]
    assert source.count("re.compile") == 1


# --- the styles: what datamodel-code-generator keeps of these ------------------------

STYLE_DIR = (
    Path(__file__).parent / "cases" / "types_and_constraints" / "expected" / "styles"
)


@functools.cache
def style_job(style: str) -> Any:
    sys.path.insert(0, str(STYLE_DIR))
    try:
        module = importlib.import_module(f"types_and_constraints_{style}")
    finally:
        sys.path.remove(str(STYLE_DIR))
    return module.Job


def style_parse(style: str, payload: dict[str, Any]) -> Any:
    """Parse as docs/styles.md tells a user to; ``None`` when the style rejects it."""
    text = json.dumps(payload)
    try:
        if style == "pydantic":
            return style_job(style).model_validate(json.loads(text))
        if style == "msgspec":
            return msgspec.json.decode(text, type=style_job(style))
        return pydantic.TypeAdapter(style_job(style)).validate_json(text, strict=True)
    except (pydantic.ValidationError, msgspec.ValidationError):
        return None


def _field(value: Any, name: str) -> Any:
    return value[name] if isinstance(value, dict) else getattr(value, name)


@pytest.mark.parametrize("style", [s.name for s in STYLES])
def test_every_style_reads_dates_as_python_dates(style: str) -> None:
    job = style_parse(style, VALID)
    assert job is not None
    assert _field(job, "created_at") == datetime.datetime(
        2024, 5, 1, 12, 30, tzinfo=datetime.timezone.utc
    )
    assert _field(job, "due") == datetime.date(2024, 2, 29)


@pytest.mark.parametrize("style", [s.name for s in STYLES])
def test_styles_reject_what_their_table_row_says(style: str) -> None:
    keeps = next(s.keeps for s in STYLES if s.name == style)
    naive = {**VALID, "created_at": "2024-05-01T12:30:00"}
    assert (style_parse(style, naive) is None) == ("dates" in keeps)
    for change, message, _ in BROKEN:
        key = next(iter(change))
        constraint = message.startswith(("must", "at "))
        quirk = style == "msgspec" and change == {"suffix": "ab\n"}  # Python's `$`
        if constraint and not quirk and key not in ("version", "object", "dry_run"):
            rejected = style_parse(style, {**VALID, **change}) is None
            assert rejected == ("constraints" in keeps), change
        if key in ("version", "object") or (key == "dry_run" and style != "msgspec"):
            # const: a Literal in every style (msgspec has no Literal of a bool)
            assert style_parse(style, {**VALID, **change}) is None, change


@pytest.mark.parametrize("style", ["pydantic", "msgspec", "dataclasses"])
def test_a_date_default_is_a_string_in_the_styles(style: str) -> None:
    """What their `defaults` note says: datamodel-code-generator writes the string."""
    job = style_parse(style, VALID)
    assert _field(job, "not_before") == "2024-01-01T00:00:00+02:00"


def test_the_client_sends_rfc_3339_and_never_a_naive_datetime() -> None:
    """On a loopback server: an aware datetime goes out as RFC 3339 and the response's
    comes back aware; a naive one raises before anything is sent."""
    client_module = importlib.import_module(f"{CASE.api.package}.client")
    server = LoopbackServer().start()
    try:
        at = "2024-05-01T12:30:00+02:00"
        server.queue(Reply.json({"when": "2024-05-01", "at": [at]}))
        tz = datetime.timezone(datetime.timedelta(hours=2))
        with client_module.Client(api_key="sk-test", server_url=server.url) as client:
            res = client.jobs.schedule(
                when=datetime.datetime(2024, 5, 1, 12, 30, tzinfo=tz),
                at=[datetime.date(2024, 5, 2)],
            )
            with pytest.raises(RUNTIME.NaiveDatetimeError, match=r"^MomentWhen: "):
                client.jobs.schedule(when=datetime.datetime(2024, 5, 1))
        [request] = server.requests
        assert request.json() == {"when": at, "at": ["2024-05-02"]}
        assert res.when == datetime.date(2024, 5, 1)
        assert res.at == [datetime.datetime(2024, 5, 1, 12, 30, tzinfo=tz)]
    finally:
        server.stop()
