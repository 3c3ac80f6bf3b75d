"""The format step: ruff lays out the generated modules, and a ruff failure is reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from specbind import cli, generate
from specbind.formatting import FormatError, format_python
from specbind.render.shared.base import OutputFile

SPEC = """\
specbind: 1
package: tiny
title: Tiny API
models:
  M:
    fields:
      x: {type: int}
"""


def test_long_lines_are_broken_and_other_files_left_alone() -> None:
    call = "value = function(" + ", ".join(f"argument_{i}" for i in range(12)) + ")\n"
    files = [
        OutputFile("pkg/models.py", call),
        OutputFile("styles/other_pydantic.py", call),  # not this run's package
        OutputFile("docs/index.md", call),
    ]
    out = format_python(files, ["pkg"])
    assert out[0].content.startswith("value = function(\n    argument_0,\n")
    assert max(map(len, out[0].content.splitlines())) <= 88
    assert out[1:] == files[1:]


def test_the_styles_are_laid_out_by_ruff_with_their_imports_sorted() -> None:
    """datamodel-code-generator writes the styles unformatted: the format step lays
    them out and sorts their imports, and leaves its text otherwise as it is (no
    docstring rewrapped, no ``noqa``)."""
    docstring = '    """' + " ".join(["word"] * 20) + '"""\n'
    code = (
        "from pydantic import BaseModel\nfrom enum import Enum\n\n"
        "class M(BaseModel):\n"
        f"{docstring}"
        "    x: Enum | None = None\n"
        "value = function(" + ", ".join(f"argument_{i}" for i in range(12)) + ")\n"
    )
    [out] = format_python([OutputFile("styles/pkg_pydantic.py", code)], ["pkg"])
    assert out.content.startswith(
        "from enum import Enum\n\nfrom pydantic import BaseModel\n\n\nclass M("
    )
    assert "value = function(\n    argument_0,\n" in out.content
    assert docstring in out.content and "noqa" not in out.content


def test_a_syntax_error_names_the_file_and_line() -> None:
    files = [
        OutputFile("pkg/ok.py", "x = 1\n"),
        OutputFile("pkg/bad.py", "x = 1\ndef (:\n"),
    ]
    with pytest.raises(FormatError) as info:
        format_python(files, ["pkg"])
    message = str(info.value)
    assert "pkg/bad.py:2:" in message
    assert "specbind-format-" not in message  # the temporary folder is not shown


def test_cli_reports_a_ruff_failure_and_writes_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A template bug that emits invalid Python: a clear error, no traceback, no files."""
    real = generate.render_api

    def broken(api: object, **options: Any) -> Iterator[OutputFile]:
        for file in real(api, **options):  # type: ignore[arg-type]
            if file.path == "tiny/models/_shared.py":
                file = OutputFile(file.path, file.content + "class (:\n")
            yield file

    monkeypatch.setattr(generate, "render_api", broken)
    spec = tmp_path / "tiny.yaml"
    spec.write_text(SPEC)
    out = tmp_path / "out"
    assert (
        cli.main(["generate", str(spec), "--out", str(out)]) == cli.EXIT_INTERNAL_ERROR
    )
    err = capsys.readouterr().err
    assert "internal error: ruff format rejected the generated code" in err
    assert "tiny/models/_shared.py:" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_a_docstring_too_wide_for_its_line_is_rewrapped() -> None:
    source = (
        "class A:\n"
        '    """Structures and unstructures every model, union and enum of the Mistral Embeddings API."""\n'
    )
    out = format_python([OutputFile("pkg/a.py", source)], ["pkg"])[0].content
    assert out == (
        "class A:\n"
        '    """Structures and unstructures every model, union and enum of the Mistral Embeddings\n'
        "    API.\n"
        '    """\n'
    )


def test_only_lines_that_ruff_would_flag_get_noqa() -> None:
    long_text = "w " * 50
    word = "w" * 100
    source = (
        f'X = "{long_text}"\n'  # a literal no formatter can split
        f"Z = [\n    {word},\n]\n"  # one word: E501 lets it be
        f'Y = """\n{long_text}\n"""\n'  # inside a string: a comment would change it
    )
    out = format_python([OutputFile("pkg/a.py", source)], ["pkg"])[
        0
    ].content.splitlines()
    assert out[0].endswith('"  # noqa: E501')
    assert out[2] == f"    {word},"
    assert out[5] == long_text
