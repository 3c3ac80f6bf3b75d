"""Sessions: `nox` runs every check; `nox -s generate` regenerates `generated/`."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import nox

nox.options.sessions = ["lint", "typecheck", "sync", "tests", "wire", "docs"]
nox.options.reuse_existing_virtualenvs = True

PYTHON_SOURCES = ["generator", "tests", "noxfile.py", "generated", "docs_site"]
CASES = Path("tests/cases")
# The newest Mistral document: 173 operations, 481 schemas (typecheck: _whole_api).
WHOLE_API = "tests/reference/mistral-openapi-2026-07-15.yaml"


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite, CLI runs included; the docs site's browser tests are `docs`'s."""
    session.install("-e", ".[test]")
    # The SDK comparisons need mistralai (and its httpx 0.27): `wire` runs them.
    wire = ["tests/test_wire.py", "tests/test_wire_rest.py", "tests/test_wire_pages.py"]
    session.run(
        "pytest",
        "-n",
        "2",
        "--ignore=tests/test_docs_site.py",
        *(f"--ignore={path}" for path in wire),
        *session.posargs,
    )


@nox.session
def wire(session: nox.Session) -> None:
    """Wire compatibility with the official SDK, and the client tests on its httpx.

    mistralai 1.2.0 pins httpx<0.28, so this also runs the client (and its fault
    suite) on httpx 0.27.
    """
    session.install("-e", ".[test]", "mistralai==1.2.0")
    session.run("python", "-c", "import httpx; print('httpx', httpx.__version__)")
    session.run(
        "pytest",
        "-m",
        "wire",
        "tests/test_wire.py",
        "tests/test_wire_rest.py",
        "tests/test_wire_pages.py",
        *session.posargs,
    )
    session.run(
        "pytest",
        "tests/test_client.py",
        "tests/test_sse.py",
        "tests/test_faults.py",
        *session.posargs,
    )


@nox.session
def lint(session: nox.Session) -> None:
    """ruff on all Python, generated code included: templates emit formatted code."""
    session.install("ruff==0.17.6")
    session.run("ruff", "check", *PYTHON_SOURCES)
    session.run("ruff", "format", "--check", *PYTHON_SOURCES)
    session.run(
        "ruff",
        "format",
        "--check",
        "--no-respect-gitignore",
        *map(str, CASES.glob("*/expected")),
    )


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the generator, the generated package and every golden case."""
    session.install("-e", ".[test]", "mypy==2.4.1", "types-PyYAML", "types-jsonschema")
    session.run("mypy", "--strict", "generator/specbind")
    for package in ("mistral_fim", "mistral"):
        session.run("mypy", "--strict", "-p", package, env={"MYPYPATH": "generated"})
    # datamodel-code-generator's styles (pydantic, msgspec, TypedDict, dataclasses) of
    # both specs pass --strict as generated; ruff formats them but does not lint them
    # (see pyproject.toml).
    session.run(
        "mypy",
        "--strict",
        *map(str, sorted(Path("generated/styles").glob("*.py"))),
    )
    for expected in sorted(CASES.glob("*/expected")):
        packages = [p.name for p in expected.iterdir() if (p / "__init__.py").exists()]
        for package in packages:
            session.run(
                "mypy", "--strict", "-p", package, env={"MYPYPATH": str(expected)}
            )
    _whole_api(session)


def _whole_api(session: nox.Session) -> None:
    """The newest Mistral document imports (its skips are listed with
    --skip-unsupported), generates every output, and the package passes mypy --strict,
    ruff check and ruff format --check."""
    session.install("ruff==0.17.6")
    # Outside .nox: ruff's default excludes skip anything under it, even when named.
    root = Path(tempfile.mkdtemp(prefix="specbind-whole-api-"))
    spec, out = root / "mistral_2026.yaml", root / "out"
    session.run(
        "specbind", "import", WHOLE_API, "--skip-unsupported", "--out", str(spec),
        silent=True,
    )  # fmt: skip
    session.run("specbind", "generate", str(spec), "--out", str(out), silent=True)
    session.run(
        "mypy", "--strict", "--cache-dir", str(root / "mypy"), "-p", "mistral_2026",
        env={"MYPYPATH": str(out)},
    )  # fmt: skip
    package = str(out / "mistral_2026")
    session.run("ruff", "check", "--no-cache", "--config", "pyproject.toml", package)
    session.run(
        "ruff", "format", "--check", "--no-cache", "--config", "pyproject.toml", package
    )
    shutil.rmtree(root, ignore_errors=True)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the docs site from generated/docs into site/, then check it in Chromium.

    Playwright drives the system's chromium (`apt-get install chromium`); it downloads
    no browser of its own.
    """
    session.install(
        "-e", ".[test]", "mkdocs==1.6.1", "mkdocs-material==9.8.1", "playwright==1.65.2"
    )
    env = {"NO_MKDOCS_2_WARNING": "1"}  # mkdocs-material's banner about MkDocs 2.0
    session.run("mkdocs", "build", "--strict", env=env)
    session.run("pytest", "tests/test_docs_site.py", *session.posargs, env=env)


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate `generated/` from `spec/*.yaml`."""
    session.install("-e", ".")
    session.run("specbind", "generate", *session.posargs)


@nox.session
def sync(session: nox.Session) -> None:
    """Fail with a diff when the committed `generated/` tree is stale, or when
    `spec/mistral.yaml` is not what `specbind import` makes today."""
    session.install("-e", ".")
    session.run("specbind", "generate", "--check")
    session.run(
        "specbind",
        "import",
        "tests/reference/mistral-openapi-2024-11-07.yaml",
        "--overlay",
        "spec/mistral.overlay.yaml",
        "--check",
        "--out",
        "spec/mistral.yaml",
    )


@nox.session
def goldens(session: nox.Session) -> None:
    """Rewrite `tests/cases/*/expected` from each spec; review the diff by eye."""
    session.install("-e", ".")
    for spec in sorted(CASES.glob("*/spec.yaml")):
        if (spec.parent / "errors.txt").exists():
            continue
        session.run(
            "specbind", "generate", str(spec), "--out", str(spec.parent / "expected")
        )


BENCH_PACKAGES = [
    "-e",
    ".",
    "attrs",
    "cattrs==26.2.1",
    "mistralai==1.2.0",  # pins httpx<0.28; the generated client works on 0.27 too
    "pydantic",
    "msgspec",
    "orjson",
    "openapi-python-client==0.29.1",
    "datamodel-code-generator==0.89.0",  # the styles renderer of `specbind generate`
]


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against the peers; writes benchmarks/RESULTS.md (not run by CI)."""
    session.install(*BENCH_PACKAGES)
    session.run("python", "benchmarks/run.py", *session.posargs)


def _default_branch() -> str:
    """origin's default branch when the clone knows it, else ``main``."""
    done = subprocess.run(
        ["git", "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "main"


@nox.session
def breaking(session: nox.Session) -> None:
    """`specbind diff` of the work tree's specs against the merge base with the default
    branch (or `$SPECBIND_BASE`); fails on a breaking change. Arguments after `--` go
    to `specbind diff` (e.g. `-- --format github`)."""
    session.install("-e", ".[test]")  # cattrs: the evidence runs the converters
    base = os.environ.get("SPECBIND_BASE")
    if not base:
        branch = _default_branch()
        done = subprocess.run(
            ["git", "merge-base", "HEAD", branch],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            session.error(f"no merge base with {branch}; set SPECBIND_BASE to a ref")
        base = done.stdout.strip()
    session.log(f"comparing spec/*.yaml with {base}")
    session.run(
        "specbind", "diff", "--against", base, "--fail-on", "breaking", *session.posargs
    )
