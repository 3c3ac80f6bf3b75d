"""Where each type of the ``models`` package lives (``render.shared.modules``): a
group's module holds what only that group reaches, ``_shared`` everything else and
what that refers to, so a group's module never needs another group's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from specbind.render.shared.modules import model_modules, module_of
from specbind.resolve import load_api

SPEC = """\
specbind: 1
package: placed
title: Placed API
server: https://example.test
models:
  AOnly: {fields: {part: {type: APart, required: true}}}
  APart: {fields: {x: {type: int, required: true}}}
  Both: {fields: {x: {type: int, required: true}}}
  Unused: {fields: {a: {type: AFromUnused, required: true}}}
  AFromUnused: {fields: {x: {type: int, required: true}}}
  AReply: {fields: {both: {type: Both, required: true}, other: {type: AFromUnused}}}
  BReply: {fields: {both: {type: Both, required: true}}}
operations:
  {first}:
    methods:
      make: {http: POST /a, request: AOnly, response: AReply}
  {second}:
    methods:
      get: {http: GET /b, response: BReply}
"""


def placed(
    tmp_path: Path, first: str = "alpha", second: str = "beta"
) -> dict[str, str]:
    spec = tmp_path / "placed.yaml"
    spec.write_text(SPEC.replace("{first}", first).replace("{second}", second))
    return module_of(load_api(spec))


def test_a_type_one_group_reaches_is_in_its_module(tmp_path: Path) -> None:
    home = placed(tmp_path)
    assert {n: home[n] for n in ("AOnly", "APart", "AReply")} == dict.fromkeys(
        ("AOnly", "APart", "AReply"), "_alpha"
    )
    assert home["BReply"] == "_beta"


def test_what_several_groups_or_none_reach_is_shared(tmp_path: Path) -> None:
    home = placed(tmp_path)
    assert home["Both"] == "_shared"
    assert home["Unused"] == "_shared"
    # Only alpha's operations reach it, but so does Unused, which is shared.
    assert home["AFromUnused"] == "_shared"


def test_a_group_named_shared_gets_a_module_of_its_own(tmp_path: Path) -> None:
    home = placed(tmp_path, first="shared")
    assert home["AOnly"] == "_shared_2"
    assert home["Both"] == "_shared"


def test_one_group_has_the_shared_module_alone(tmp_path: Path) -> None:
    spec = tmp_path / "one.yaml"
    text = SPEC.replace("{first}", "alpha")
    spec.write_text(text[: text.index("  {second}:")])
    modules = model_modules(load_api(spec))
    assert [m.name for m in modules] == ["_shared"]
    assert len(modules[0].models) == 7


def test_a_default_string_that_names_a_type_imports_nothing(tmp_path: Path) -> None:
    """Only names a default's expression reads are imported: the words of a string
    default (``"See Pet.id (Pet(...))"``) are text, and the module imports."""
    spec = tmp_path / "spelled.yaml"
    spec.write_text(
        "specbind: 1\npackage: spelled\ntitle: Spelled\nserver: https://x.test\n"
        "models:\n"
        "  Pet: {fields: {id: {type: str, required: true}}}\n"
        '  Note: {fields: {text: {type: str, default: "See Pet.id (Pet(...))"}}}\n'
        "operations:\n"
        "  pets: {methods: {get: {http: GET /v1/pets, response: Pet}}}\n"
        "  notes: {methods: {get: {http: GET /v1/notes, response: Note}}}\n"
    )
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "specbind", "generate", str(spec), "--out", str(out),
         "--only", "models"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    imported = subprocess.run(
        [sys.executable, "-c", "from spelled.models import Note; print(Note().text)"],
        cwd=out, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert (imported.returncode, imported.stdout) == (0, "See Pet.id (Pet(...))\n")
