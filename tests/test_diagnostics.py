"""Spec diagnostics through the real CLI: ``FILE:LINE:COL: error: MESSAGE``, exit 2.

Every failing run must report all problems of the file at once, print no traceback
and write nothing: the output folder is not created, or left exactly as it was.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specbind.cli import main
from specbind.output import MANIFEST

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = ROOT / "spec" / "mistral_fim.yaml"
DIAGNOSTIC = re.compile(r"^(?P<where>[^:]+:\d+:\d+): error: (?P<message>.+)$")
SUMMARY = re.compile(r"^\d+ errors?; nothing was written$")


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m specbind ARGS`` in ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", "specbind", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def run_spec(
    tmp_path: Path, source: str | bytes, name: str = "spec.yaml"
) -> tuple[int, list[str]]:
    """Write ``source`` (dedented when text) as a spec, generate it, return the exit
    code and the stderr lines.

    Checks what holds for every run: no traceback, and a failing run wrote nothing
    and printed only diagnostics and the closing summary.
    """
    spec = tmp_path / name
    if isinstance(source, bytes):
        spec.write_bytes(source)
    else:
        spec.write_text(textwrap.dedent(source), encoding="utf-8")
    out = tmp_path / "out"
    result = cli(tmp_path, "generate", str(spec), "--out", str(out))
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    if result.returncode != 0:
        assert not out.exists(), "a failing run must write nothing"
        assert lines, "a failing run must say why"
        assert SUMMARY.match(lines[-1]), lines[-1]
        for line in lines[:-1]:
            assert DIAGNOSTIC.match(line), f"not FILE:LINE:COL: error: ...: {line!r}"
    return result.returncode, lines


def diagnostics(lines: list[str]) -> list[tuple[str, str]]:
    """``(FILE:LINE:COL, message)`` of each diagnostic line."""
    return [
        (m["where"], m["message"]) for line in lines if (m := DIAGNOSTIC.match(line))
    ]


def assert_error(lines: list[str], where: str, *fragments: str) -> None:
    """One diagnostic stands at ``where`` and its text holds every fragment."""
    at = [message for place, message in diagnostics(lines) if place == where]
    assert at, f"no error at {where}; got:\n" + "\n".join(lines)
    assert any(all(f in message for f in fragments) for message in at), (
        f"no error at {where} with {fragments}; got:\n" + "\n".join(lines)
    )


def fails(tmp_path: Path, source: str | bytes, count: int = 1) -> list[str]:
    """Run a bad spec: exit 2 with ``count`` diagnostics; return the stderr lines."""
    code, lines = run_spec(tmp_path, source)
    assert code == 2, lines
    assert len(diagnostics(lines)) == count, "\n".join(lines)
    summary = f"{count} error{'s' * (count != 1)}; nothing was written"
    assert lines[-1] == summary
    return lines


# -- YAML -------------------------------------------------------------------------


def test_yaml_syntax_error(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            fields: {a: [1, 2}
        """,
    )
    assert_error(lines, "spec.yaml:5:22", "invalid YAML", "expected ',' or ']'")
    assert "while parsing a flow sequence at line 5, column 17" in lines[0]


def test_unclosed_quote(tmp_path: Path) -> None:
    lines = fails(tmp_path, 'specbind: 1\npackage: bad\ntitle: "abc\n')
    assert_error(lines, "spec.yaml:4:1", "invalid YAML", "end of stream")
    assert "while scanning a quoted scalar at line 3, column 8" in lines[0]


def test_tab_used_for_indentation(tmp_path: Path) -> None:
    source = (
        "specbind: 1\npackage: bad\nmodels:\n  A:\n    fields:\n\t\ta: {type: int}\n"
    )
    lines = fails(tmp_path, source)
    assert_error(
        lines, "spec.yaml:6:1", "tab character in the indentation", "spaces only"
    )


def test_tab_between_tokens(tmp_path: Path) -> None:
    lines = fails(tmp_path, "specbind: 1\npackage:\tbad\n")
    assert_error(lines, "spec.yaml:2:9", "tab character here")


def test_duplicate_key_at_top_level(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        title: One
        package: other
        """,
    )
    assert_error(
        lines, "spec.yaml:4:1", "duplicate key 'package'", "first defined at line 2"
    )


def test_duplicate_key_deep_inside_a_field(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            fields:
              a:
                type: int
                doc: The first.
                type: str
        """,
    )
    assert_error(
        lines, "spec.yaml:9:9", "duplicate key 'type'", "first defined at line 7"
    )


def test_several_documents(tmp_path: Path) -> None:
    lines = fails(tmp_path, "specbind: 1\npackage: bad\n---\nspecbind: 1\n")
    assert_error(
        lines,
        "spec.yaml:3:1",
        "expected a single document in the stream, but found another document",
    )


def test_anchors_and_aliases_are_refused(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            fields:
              a: &field {type: int}
              b: *field
        """,
        count=2,
    )
    assert_error(lines, "spec.yaml:6:10", "anchors (&field) are not allowed")
    assert_error(lines, "spec.yaml:7:10", "aliases (*field) are not allowed")


def test_merge_keys_are_refused(tmp_path: Path) -> None:
    lines = fails(tmp_path, "specbind: 1\npackage: bad\n<<: {title: x}\n")
    assert_error(lines, "spec.yaml:3:1", "merge keys (<<) are not allowed")


def test_non_json_tags_and_numbers(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            fields:
              a: {type: str, default: !!binary aGk=}
              b: {type: float, default: .inf}
              c: {type: str, doc: !custom x}
              d: {type: str, default: 2024-01-31}
        """,
        count=3,
    )
    assert_error(lines, "spec.yaml:6:31", "the YAML tag !!binary is not allowed")
    assert_error(lines, "spec.yaml:7:33", "'.inf' is not allowed", "no NaN or infinity")
    assert_error(lines, "spec.yaml:8:27", "the YAML tag !custom is not allowed")
    # A date-like scalar is a string (line 9 is fine), not a datetime.date.


def test_control_character(tmp_path: Path) -> None:
    lines = fails(tmp_path, "specbind: 1\npackage: bad\ntitle: a\x01b\n")
    assert_error(lines, "spec.yaml:3:9", "control character U+0001")


def test_nul_byte(tmp_path: Path) -> None:
    lines = fails(tmp_path, "specbind: 1\npackage: bad\ntitle: a\x00b\n")
    assert_error(lines, "spec.yaml:3:9", "NUL byte")


# -- the file as a whole --------------------------------------------------------


@pytest.mark.parametrize("source", ["", "\n\n", "# only a comment\n", "---\n", "~\n"])
def test_empty_file(tmp_path: Path, source: str) -> None:
    lines = fails(tmp_path, source)
    assert_error(lines, "spec.yaml:1:1", "the spec is empty")


def test_top_level_list(tmp_path: Path) -> None:
    lines = fails(tmp_path, "# a list\n- specbind: 1\n- package: bad\n")
    assert_error(lines, "spec.yaml:2:1", "must be a mapping with 'specbind: 1'")


def test_top_level_scalar(tmp_path: Path) -> None:
    lines = fails(tmp_path, "specbind\n")
    assert_error(lines, "spec.yaml:1:1", "must be a mapping with 'specbind: 1'")


def test_not_utf8_utf16_bom(tmp_path: Path) -> None:
    source = "specbind: 1\npackage: bad\n".encode("utf-16-le")
    lines = fails(tmp_path, b"\xff\xfe" + source)
    assert_error(lines, "spec.yaml:1:1", "not UTF-8 (byte 0xff)", "looks like UTF-16")


def test_not_utf8_column_counts_characters(tmp_path: Path) -> None:
    # A UTF-8 "é" (two bytes) comes before the stray Latin-1 one: column 13, not 14.
    lines = fails(tmp_path, b"specbind: 1\npackage: bad\ntitle: Caf\xc3\xa9 \xe9t\n")
    assert_error(lines, "spec.yaml:3:13", "not UTF-8 (byte 0xe9)")


def test_a_missing_spec_file(tmp_path: Path) -> None:
    result = cli(tmp_path, "generate", "missing.yaml", "--out", "out")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "missing.yaml:1:1: error: cannot read the spec: No such file or directory"
    )
    assert not (tmp_path / "out").exists()


# -- the schema -------------------------------------------------------------------


def test_unknown_key_in_a_field_with_hint(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            fields:
              a:
                type: int
                requred: true
        """,
    )
    assert_error(
        lines,
        "spec.yaml:8:9",
        "unknown key 'requred' in models.A.fields.a",
        "(did you mean 'required'?)",
    )


def test_unknown_top_level_key_with_hint(tmp_path: Path) -> None:
    lines = fails(tmp_path, "specbind: 1\npackage: bad\nmodel: {}\n")
    assert_error(
        lines, "spec.yaml:3:1", "unknown key 'model'", "did you mean 'models'?"
    )


def test_missing_required_keys(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        models:
          A:
            fields:
              a: {required: true}
        """,
        count=2,
    )
    assert_error(lines, "spec.yaml:1:1", "missing required key 'package'")
    assert_error(
        lines, "spec.yaml:5:7", "missing required key 'type' in models.A.fields.a"
    )


def test_wrong_value_types(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 2
        package: bad
        models:
          A:
            unknown_fields: allow
            fields:
              a: int
              b: {type: int, minimum: "0"}
          B: []
        """,
        count=5,
    )
    assert_error(lines, "spec.yaml:1:11", "expected 1 in specbind, found 2")
    assert_error(lines, "spec.yaml:5:21", 'expected one of "ignore", "forbid"')
    assert_error(
        lines, "spec.yaml:7:10", 'expected a mapping in models.A.fields.a, found "int"'
    )
    assert_error(lines, "spec.yaml:8:31", "expected a number", 'found "0"')
    assert_error(lines, "spec.yaml:9:6", "expected a mapping in models.B, found a list")


def test_invalid_names_point_at_the_key(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: Bad-Package
        models:
          Good: {}
          1Bad: {}
        enums:
          E: {values: {ok: a, 2x: b}}
        operations:
          Bad-Group:
            methods:
              m: {http: POST /x, request: Good, response: Good}
        """,
        count=4,
    )
    assert_error(lines, "spec.yaml:2:10", 'invalid value "Bad-Package" in package')
    assert_error(lines, "spec.yaml:5:3", "invalid name '1Bad' in models")
    assert_error(lines, "spec.yaml:7:23", "invalid name '2x' in enums.E.values")
    assert_error(lines, "spec.yaml:9:3", "invalid name 'Bad-Group' in operations")


def test_method_needs_response_or_stream(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A: {fields: {a: {type: int}}}
        operations:
          g:
            methods:
              m: {http: FETCH /x, request: A}
        """,
        count=2,
    )
    assert_error(lines, "spec.yaml:8:10", "needs 'response', 'responses' or 'stream'")
    assert_error(lines, "spec.yaml:8:17", 'invalid value "FETCH /x"', "METHOD /path")


# -- types and names --------------------------------------------------------------


def test_unknown_type_in_list_points_at_the_word(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            fields:
              a:
                type: list[flaot]
        """,
    )
    assert_error(
        lines, "spec.yaml:7:20", "unknown type 'flaot'", "(did you mean 'float'?)"
    )


def test_a_schema_error_does_not_hide_a_bad_type_beside_it(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            unknown_fields: sometimes
            fields:
              a: {type: Strng, required: maybe}
        """,
        count=3,
    )
    assert_error(lines, "spec.yaml:5:21", "expected one of", "unknown_fields")
    assert_error(lines, "spec.yaml:7:34", "expected true or false")
    assert_error(lines, "spec.yaml:7:17", "unknown type 'Strng'")


def test_a_required_value_that_breaks_the_schema_skips_its_field_only(
    tmp_path: Path,
) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            fields:
              a: {type: 3}
              b: {type: Strng}
        """,
        count=2,
    )
    assert_error(lines, "spec.yaml:6:17", "expected a string")
    assert_error(lines, "spec.yaml:7:17", "unknown type 'Strng'")


@pytest.mark.parametrize(
    ("written", "where"),
    [
        ('{type: "list[flaot]"}', "spec.yaml:6:23"),
        ("{type: 'list[flaot]'}", "spec.yaml:6:23"),
        ('{type: "dict[str, flaot]"}', "spec.yaml:6:28"),
        ('{type: "str | list[flaot]"}', "spec.yaml:6:29"),
        ("\n        type: >-\n          list[flaot]", "spec.yaml:8:16"),
        ("\n        type: |\n          list[flaot]", "spec.yaml:8:16"),
    ],
    ids=["double-quoted", "single-quoted", "dict", "union", "folded", "literal"],
)
def test_unknown_type_column_in_every_scalar_style(
    tmp_path: Path, written: str, where: str
) -> None:
    source = (
        f"specbind: 1\npackage: bad\nmodels:\n  A:\n    fields:\n      a: {written}\n"
    )
    lines = fails(tmp_path, source)
    assert_error(lines, where, "unknown type 'flaot'", "did you mean 'float'?")


def test_every_unknown_name_of_a_union_is_reported(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          Item: {fields: {a: {type: int}}}
          A:
            fields:
              a: {type: "Iten | list[Itme] | int"}
        """,
        count=2,
    )
    assert_error(lines, "spec.yaml:7:18", "unknown type 'Iten'", "did you mean 'Item'?")
    assert_error(lines, "spec.yaml:7:30", "unknown type 'Itme'", "did you mean 'Item'?")


def test_type_syntax_error_points_at_the_fault(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            fields:
              a: {type: "list[int"}
              b: {type: "dict[int, str]"}
              c: {type: list}
        """,
        count=3,
    )
    assert_error(lines, "spec.yaml:6:26", "expected ']' in type, found the end")
    assert_error(lines, "spec.yaml:7:23", "dict keys must be str")
    assert_error(lines, "spec.yaml:8:17", "list needs its item type")


def test_deeply_nested_type(tmp_path: Path) -> None:
    deep = "list[" * 40 + "int" + "]" * 40
    lines = fails(
        tmp_path,
        f"specbind: 1\npackage: bad\nmodels:\n  A:\n    fields:\n      a:\n        type: {deep}\n",
    )
    # The 33rd `list` starts at offset 32 * 5 = 160 of the scalar, which is at col 15.
    assert_error(lines, "spec.yaml:7:175", "nests more than 32 levels deep")


def test_deeply_nested_values(tmp_path: Path) -> None:
    deep = "[" * 40 + "]" * 40
    lines = fails(
        tmp_path,
        f"specbind: 1\npackage: bad\nmodels:\n  A:\n    fields:\n      a: {{type: any, example: {deep}}}\n",
    )
    assert_error(lines, "spec.yaml:6:22", "example nests more than 32 levels deep")


def test_nesting_too_deep_for_the_yaml_parser(tmp_path: Path) -> None:
    deep = "[" * 5000 + "]" * 5000
    lines = fails(tmp_path, f"specbind: 1\npackage: bad\ntitle: {deep}\n")
    assert_error(lines, "spec.yaml:1:1", "nests too deeply")


def test_dangling_reference_in_an_operation(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          Request: {fields: {a: {type: int}}}
          Response: {fields: {a: {type: int}}}
        enums:
          Kind: {values: {A: a}}
        operations:
          g:
            methods:
              m:
                http: POST /x
                request: Requets
                response: Kind
                errors:
                  "422": Nothing
        """,
        count=3,
    )
    assert_error(
        lines, "spec.yaml:13:18", "'Requets' is not a model", "did you mean 'Request'?"
    )
    assert_error(lines, "spec.yaml:14:19", "'Kind' is an enum, not a model")
    assert_error(lines, "spec.yaml:16:18", "'Nothing' is not a model")


def test_duplicate_names_across_models_and_enums(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          Status: {fields: {a: {type: int}}}
        enums:
          Status: {values: {OK: ok}}
        """,
    )
    assert_error(lines, "spec.yaml:6:3", "'Status' is already defined as a model")


def test_names_differing_only_in_case(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          Foo: {fields: {a: {type: int}}}
          foo: {fields: {a: {type: int}}}
        """,
    )
    assert_error(
        lines, "spec.yaml:5:3", "'foo' and 'Foo' differ only in case", "foo.md"
    )


def test_is_cycle_is_reported_at_each_model(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            is: B
          B:
            is: A
          C:
            is: C
          D:
            is: A
        """,
        count=3,
    )
    assert_error(lines, "spec.yaml:5:9", "'is' forms a cycle: A -> B -> A")
    assert_error(lines, "spec.yaml:7:9", "'is' forms a cycle: B -> A -> B")
    assert_error(lines, "spec.yaml:9:9", "'is' forms a cycle: C -> C")


def test_is_names_an_unknown_model(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          Base: {fields: {a: {type: int}}}
          A: {is: Bsae}
          B: {is: Kind}
        enums:
          Kind: {values: {A: a}}
        """,
        count=2,
    )
    assert_error(
        lines, "spec.yaml:5:11", "unknown model 'Bsae'", "did you mean 'Base'?"
    )
    assert_error(lines, "spec.yaml:6:11", "'is' names the enum 'Kind'")


def test_required_model_cycle(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            fields:
              b: {type: B, required: true}
          B:
            fields:
              a: {type: A, required: true}
        """,
        count=2,
    )
    assert_error(lines, "spec.yaml:4:3", "'A' cannot be built", "A -> B -> A")
    assert_error(lines, "spec.yaml:7:3", "'B' cannot be built", "B -> A -> B")


def test_cycle_through_optional_nullable_or_list_is_accepted(tmp_path: Path) -> None:
    code, lines = run_spec(
        tmp_path,
        """\
        specbind: 1
        package: tree
        models:
          Node:
            fields:
              children: {type: "list[Node]", required: true}
              parent: {type: Node}
              next: {type: Node, required: true, nullable: true}
              pair: {type: Pair}
          Pair:
            fields:
              left: {type: Node, required: true}
        """,
    )
    assert code == 0, lines
    assert (tmp_path / "out" / "tree" / "models" / "__init__.py").is_file()


def test_required_cycle_through_a_broken_union_does_not_crash(tmp_path: Path) -> None:
    # A union whose variants do not resolve is declared but not built.
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            fields:
              u: {type: U, required: true, default: 1}
        unions:
          U: {variants: [A, Missing]}
        """,
        count=2,
    )
    assert_error(lines, "spec.yaml:8:21", "unknown type 'Missing'")
    assert_error(lines, "spec.yaml:6:36", "a required field cannot have a default")


# -- values -----------------------------------------------------------------------


def test_invalid_default_for_the_type(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            fields:
              n: {type: int, default: "x"}
              b: {type: int, default: true}
        """,
        count=2,
    )
    assert_error(lines, "spec.yaml:6:22", "default 'x' is not a valid value")
    assert_error(lines, "spec.yaml:7:22", "default True is not a valid value")


def test_default_outside_maximum(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            fields:
              top_p: {type: float, default: 2.0, minimum: 0, maximum: 1}
        """,
    )
    assert_error(
        lines, "spec.yaml:6:28", "default 2.0 is outside the field's constraints"
    )


def test_minimum_greater_than_maximum(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            fields:
              n: {type: int, minimum: 5, maximum: 1}
              s: {type: str, min_length: 3, max_length: 2}
        """,
        count=2,
    )
    assert_error(lines, "spec.yaml:6:22", "minimum 5 is greater than maximum 1")
    assert_error(lines, "spec.yaml:7:22", "min_length 3 is greater than max_length 2")


def test_enum_default_must_be_a_value(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            fields:
              k: {type: Kind, default: c}
        enums:
          Kind:
            values: {A: a, B: b}
        """,
    )
    assert_error(lines, "spec.yaml:6:23", "default 'c' is not a valid value")


def test_unsafe_python_names(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            fields:
              a: {type: int, python_name: class}
              b: {type: int, python_name: _b}
              c: {type: int, python_name: same}
              d: {type: int, python_name: same}
        """,
        count=3,
    )
    assert_error(lines, "spec.yaml:6:35", "'class' is a Python keyword", "use 'class_'")
    assert_error(lines, "spec.yaml:7:35", "starts with an underscore", "use 'b'")
    assert_error(lines, "spec.yaml:9:35", "'same' is already the name of another field")


# -- all at once ------------------------------------------------------------------


def test_several_errors_are_all_reported_at_once(tmp_path: Path) -> None:
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        pakage: typo
        models:
          A:
            fields:
              a: {type: flaot, requred: true}
              b: {type: int, default: "x"}
              c: {type: int}
              c: {type: str}
              d: {type: int, minimum: 5, maximum: 1}
          B:
            is: Nope
        enums:
          E: {values: {X: 1.5}}
        operations:
          g:
            methods:
              m: {http: POST /x, request: Aa, response: B}
        """,
        count=9,
    )
    assert [where for where, _ in diagnostics(lines)] == [
        "spec.yaml:3:1",  # unknown top-level key
        "spec.yaml:7:17",  # unknown type
        "spec.yaml:7:24",  # unknown field key
        "spec.yaml:8:22",  # default of the wrong type
        "spec.yaml:10:7",  # duplicate key
        "spec.yaml:11:22",  # minimum > maximum
        "spec.yaml:13:9",  # unknown base model
        "spec.yaml:15:19",  # enum value of the wrong type
        "spec.yaml:19:35",  # dangling request
    ]


def test_broken_parts_cause_no_follow_up_errors(tmp_path: Path) -> None:
    # U and E break the schema: a default of their type is not judged, the
    # discriminated union over A is not judged (A lost a field) and the stream event
    # whose `data` field has an unknown type does not also "lack" a data field.
    lines = fails(
        tmp_path,
        """\
        specbind: 1
        package: bad
        models:
          A:
            fields:
              kind: {type: Kind}
              x: {type: Missing}
              u: {type: U, default: "s"}
              e: {type: E, default: z}
          B:
            fields:
              kind: {type: Kind}
          Event:
            fields:
              data: {type: Chunk, required: true}
        unions:
          U: {variants: []}
          AB: {discriminator: kind, variants: [A, B]}
        enums:
          E: {values: {}}
          Kind: {values: {A: a}}
        operations:
          g:
            methods:
              s: {http: POST /x, request: B, stream: {event: Event}}
        """,
        count=4,
    )
    assert [where for where, _ in diagnostics(lines)] == [
        "spec.yaml:7:17",  # unknown type Missing
        "spec.yaml:15:20",  # unknown type Chunk
        "spec.yaml:17:17",  # a union of one variant
        "spec.yaml:20:15",  # an enum without values
    ]


def test_errors_of_every_spec_are_reported(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text("specbind: 1\npackage: one\nmodel: {}\n")
    (tmp_path / "two.yaml").write_text("specbind: 1\npackage: two\ntitle: [\n")
    result = cli(tmp_path, "generate", "one.yaml", "two.yaml", "--out", "out")
    assert result.returncode == 2
    places = [w for w, _ in diagnostics(result.stderr.splitlines())]
    assert places == ["one.yaml:3:1", "two.yaml:4:1"]
    assert not (tmp_path / "out").exists()


# -- nothing is written -----------------------------------------------------------


def test_a_bad_spec_leaves_an_existing_out_dir_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli(tmp_path, "generate", str(DEFAULT_SPEC), "--out", "out").returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    spec = tmp_path / "spec.yaml"
    spec.write_text("specbind: 1\npackage: mistral_fim\nmodels: {A: {is: A}}\n")
    result = cli(tmp_path, "generate", str(spec), "--out", "out")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_out_path_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder\n")
    for extra in ([], ["--check"]):
        result = cli(tmp_path, "generate", str(DEFAULT_SPEC), "--out", "out", *extra)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("specbind: cannot read out:")
    assert (tmp_path / "out").read_text() == "not a folder\n"


# -- the happy path ---------------------------------------------------------------


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    """A fresh copy of the default spec's output, with a hand-written file beside it."""
    result = cli(tmp_path, "generate", str(DEFAULT_SPEC), "--out", "out")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = tmp_path / "out"
    (out / "NOTES.md").write_text("mine, not specbind's\n")
    return out


def check(out: Path) -> subprocess.CompletedProcess[str]:
    return cli(out.parent, "generate", str(DEFAULT_SPEC), "--out", "out", "--check")


def test_default_spec_generates(generated: Path) -> None:
    manifest = json.loads((generated / MANIFEST).read_text())
    assert manifest["generator"] == "specbind"
    assert "mistral_fim/models/_shared.py" in manifest["files"]
    assert all((generated / f).is_file() for f in manifest["files"])


def test_check_a_fresh_copy(generated: Path) -> None:
    result = check(generated)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "in sync" in result.stdout


def test_check_an_edited_file(generated: Path) -> None:
    models = generated / "mistral_fim" / "models" / "_shared.py"
    text = models.read_text()
    models.write_text(text.replace("class ", "class  ", 1))
    result = check(generated)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "--- a/mistral_fim/models/_shared.py\n+++ b/mistral_fim/models/_shared.py\n@@ "
    )
    assert "\n-class  " in result.stdout
    assert "\n+class " in result.stdout
    assert "1 changed, 0 stale" in result.stderr
    assert models.read_text() != text  # --check writes nothing


def test_check_a_stale_file_then_regenerate(generated: Path) -> None:
    stale = generated / "mistral_fim" / "old.py"
    stale.write_text("OLD = 1\n")
    manifest = generated / MANIFEST
    data = json.loads(manifest.read_text())
    data["files"] = sorted([*data["files"], "mistral_fim/old.py"])
    manifest.write_text(json.dumps(data, indent=2) + "\n")

    result = check(generated)
    assert result.returncode == 1
    assert "--- a/mistral_fim/old.py\n+++ /dev/null\n" in result.stdout
    assert "\n-OLD = 1\n" in result.stdout
    assert "stale" in result.stderr
    assert stale.exists()

    regenerate = cli(generated.parent, "generate", str(DEFAULT_SPEC), "--out", "out")
    assert regenerate.returncode == 0, regenerate.stderr
    assert "1 removed" in regenerate.stdout
    assert not stale.exists()
    assert (generated / "NOTES.md").read_text() == "mine, not specbind's\n"
    assert check(generated).returncode == 0


def test_files_not_generated_by_specbind_are_never_removed(generated: Path) -> None:
    (generated / "mistral_fim" / "extra.py").write_text("# mine\n")
    shutil.rmtree(generated / "docs")
    result = cli(generated.parent, "generate", str(DEFAULT_SPEC), "--out", "out")
    assert result.returncode == 0, result.stderr
    assert (generated / "NOTES.md").exists()
    assert (generated / "mistral_fim" / "extra.py").read_text() == "# mine\n"
    assert (generated / "docs").is_dir()
    assert check(generated).returncode == 0


# -- no input makes the generator crash ------------------------------------------


def _paths(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*path, index))
    return out


_SPEC_DATA = yaml.safe_load(DEFAULT_SPEC.read_text(encoding="utf-8"))
_SPEC_PATHS = _paths(_SPEC_DATA)[1:]
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(-2, 2, allow_nan=False),
    st.sampled_from(
        ["", "str", "int", "list[int]", "dict[str, any]", "A | B", "UsageInfo", "x y"]
    ),
    st.text(max_size=6),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=2)
        | st.dictionaries(st.sampled_from(["type", "doc", "x"]), inner, max_size=2)
    ),
    max_leaves=4,
)


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_specs_never_crash(data: st.DataObject) -> None:
    spec = json.loads(json.dumps(_SPEC_DATA))
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        path = data.draw(st.sampled_from(_SPEC_PATHS), label="path")
        parent = spec
        try:
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed it
        if isinstance(parent, dict) and data.draw(st.booleans(), label="delete"):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(_VALUES, label="value")
    stdout, stderr = io.StringIO(), io.StringIO()
    with tempfile.TemporaryDirectory() as tmp:
        spec_file = Path(tmp) / "spec.yaml"
        spec_file.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
        out = Path(tmp) / "out"
        with redirect_stdout(stdout), redirect_stderr(stderr):
            code = main(["generate", str(spec_file), "--out", str(out), "--check"])
        assert not out.exists()
    # 1: a valid spec, out of date as nothing was generated; 2: diagnostics.
    assert code in (1, 2), stderr.getvalue()
    if code == 2:
        *problems, summary = stderr.getvalue().splitlines()
        assert SUMMARY.match(summary)
        assert problems
        assert all(DIAGNOSTIC.match(line) for line in problems), problems


def test_generate_without_a_spec_folder_says_it_uses_the_bundled_example(
    tmp_path: Path,
) -> None:
    result = cli(tmp_path, "generate")
    assert result.returncode == 0, result.stderr
    assert "no spec/*.yaml" in result.stderr
    assert "bundled example" in result.stderr
    assert (tmp_path / "generated" / "mistral_fim" / "models" / "__init__.py").is_file()


def test_generate_in_a_project_names_no_bundled_example(tmp_path: Path) -> None:
    (tmp_path / "spec").mkdir()
    shutil.copy(DEFAULT_SPEC, tmp_path / "spec" / "mistral_fim.yaml")
    result = cli(tmp_path, "generate", "--check")
    assert "bundled" not in result.stderr


@pytest.mark.parametrize("other", [["--out", "elsewhere"], ["--check"]])
def test_dump_ir_refuses_options_it_would_ignore(
    tmp_path: Path, other: list[str]
) -> None:
    result = cli(tmp_path, "generate", str(DEFAULT_SPEC), "--dump-ir", *other)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--dump-ir" in result.stderr and other[0] in result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_dump_ir_alone_prints_the_ir(tmp_path: Path) -> None:
    result = cli(tmp_path, "generate", str(DEFAULT_SPEC), "--dump-ir")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["package"] == "mistral_fim"


def test_a_spec_without_problems_is_validated_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second pass over what is left when damaged values are left out runs only
    when something was left out (it doubled the build time of a large spec)."""
    from specbind import resolve
    from specbind.parse import validate
    from specbind.parse.load import Document, load_file
    from specbind.resolve import damage

    calls = []

    def counted(doc: Document) -> list[validate.Problem]:
        calls.append(doc)
        return validate.schema_problems(doc)

    monkeypatch.setattr(resolve, "schema_problems", counted)
    monkeypatch.setattr(damage, "schema_problems", counted)
    api = resolve.build_api(load_file(DEFAULT_SPEC))
    assert api.package == "mistral_fim"
    assert len(calls) == 1
