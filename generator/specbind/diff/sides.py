"""The two sides of a diff: spec files, ``REF:PATH`` from git, or every ``spec/*.yaml``
of the work tree against the same files at a git ref.

Each side goes through the normal pipeline (load, validate, resolve); a side that
cannot be read or built is a :class:`BadInput` carrying clean messages.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

import attrs

from ..diagnostics import Diagnostic, SpecError, display_path
from ..generate import Claims, Project
from ..parse.load import Document, load_file, load_text
from ..resolve import build_api
from .compare import Version
from .places import Positions, Source


class BadInput(Exception):
    """A side that cannot be compared; ``lines`` say why, one problem per line."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


class AnOverlay(BadInput):
    """A side that is an OpenAPI Overlay: it changes a document, it is not a version
    of one (``--against`` skips it; its effect shows in the spec imported with it)."""

    def __init__(self, label: str) -> None:
        super().__init__(
            [
                f"{label}: an OpenAPI overlay, not a spec or an OpenAPI document; "
                "give it with --overlay"
            ]
        )


@attrs.frozen
class Importing:
    """How a side that is an OpenAPI document is imported: the overlays applied to it,
    in order, and whether what cannot be imported is left out (else an error)."""

    overlays: tuple[Path, ...] = ()
    skip_unsupported: bool = False


@attrs.frozen
class Loaded:
    label: str
    project: Project
    doc: Document
    imported: bool = False  # an OpenAPI document, imported in memory
    # For an imported side: where each place of its spec stands in the document.
    places: Mapping[tuple[str | int, ...], Source] | None = None
    # What loading an OpenAPI document read past or left out (repairs, skipped
    # constructs): they change what is compared, so the command shows them.
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def version(self) -> Version:
        api = self.project.apis[0]
        return Version(self.label, Positions(self.doc, api, self.places), api)


def _build(doc: Document, label: str) -> Loaded:
    try:
        api = build_api(doc)
    except SpecError as exc:
        raise BadInput([str(d) for d in exc.diagnostics]) from None
    return Loaded(label, Project((api,), (Claims.of(doc),)), doc)


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *args], capture_output=True, text=True, check=False, timeout=60
        )
    except OSError as exc:
        raise BadInput([f"specbind: cannot run git: {exc}"]) from None


def check_ref(ref: str) -> None:
    done = _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if done.returncode != 0:
        raise BadInput([f"specbind: '{ref}' is not a git commit, branch or tag here"])


def from_git(ref: str, path: str, importing: Importing = Importing()) -> Loaded:
    """``path`` as it is at ``ref``: a spec, or an OpenAPI document imported."""
    check_ref(ref)
    label = f"{ref}:{path}"
    spec = path if path.startswith("/") else f"./{path}"
    done = _git("show", f"{ref}:{spec}")
    if done.returncode != 0:
        raise BadInput([f"{label}: no such file at {ref}"])
    try:
        doc = load_text(done.stdout, label)
    except SpecError as exc:
        raise BadInput([str(d) for d in exc.diagnostics]) from None
    if is_openapi(doc):
        return from_openapi(label, importing, text=done.stdout)
    if is_overlay(doc):
        raise AnOverlay(label)
    return _build(doc, label)


def is_openapi(doc: Document) -> bool:
    return isinstance(doc.data, dict) and "openapi" in doc.data


def is_overlay(doc: Document) -> bool:
    """An OpenAPI Overlay (``overlay:`` at its top): what an import applies, not a spec."""
    return isinstance(doc.data, dict) and "overlay" in doc.data


def from_file(path: Path, importing: Importing = Importing()) -> Loaded:
    """A spec file, or an OpenAPI document (``openapi:`` at its top) imported."""
    label = display_path(path)
    if not path.is_file():
        raise BadInput([f"{label}: no such file"])
    try:
        doc = load_file(path, label)
    except SpecError as exc:
        raise BadInput([str(d) for d in exc.diagnostics]) from None
    if is_openapi(doc):
        return from_openapi(label, importing)
    if is_overlay(doc):
        raise AnOverlay(label)
    return _build(doc, label)


def from_openapi(label: str, importing: Importing, text: str | None = None) -> Loaded:
    """The spec ``specbind import`` makes of the document at ``label`` (or of
    ``text``, read from git and named ``label``), in memory; its places are the
    document's, from the import's source map."""
    from ..importer import import_document, package_name
    from ..importer.document import load_document

    try:
        document, warnings = load_document(
            label,
            overlays=tuple(str(o) for o in importing.overlays),
            skip_unsupported=importing.skip_unsupported,
            text=text,
        )
        imported = import_document(
            document,
            # One name for every document: the file names of two versions differ.
            package_name("api"),
            skip_unsupported=importing.skip_unsupported,
            source=Path(label.rpartition(":")[2] if text else label).name,
        )
        if imported.errors:
            raise BadInput([str(d) for d in sorted(imported.errors)])
        doc = load_text(imported.text, f"{label} (imported)")
    except SpecError as exc:
        raise BadInput(
            [str(d) for d in exc.diagnostics if d.severity == "error"]
        ) from None
    return attrs.evolve(
        _build(doc, label),
        imported=True,
        warnings=tuple(warnings),
        places=imported.places,
    )


def load_side(argument: str, importing: Importing = Importing()) -> Loaded:
    """A spec file or an OpenAPI document, else ``REF:PATH``."""
    path = Path(argument)
    if path.exists() or ":" not in argument:
        return from_file(path, importing)
    ref, _, spec = argument.partition(":")
    return from_git(ref, spec, importing)


def against(
    ref: str, spec_dir: Path = Path("spec")
) -> list[tuple[str, str | None, Path | None]]:
    """(spec path, the same file at ``ref`` or ``None``, the work tree's or ``None``)
    for every ``spec/*.yaml`` on either side."""
    check_ref(ref)
    here = {str(p.as_posix()): p for p in sorted(spec_dir.glob("*.yaml"))}
    listed = _git("ls-tree", "--name-only", f"{ref}", f"./{spec_dir.as_posix()}/")
    there = {
        line.strip()
        for line in listed.stdout.splitlines()
        if line.strip().endswith(".yaml")
    }
    prefix = _git("rev-parse", "--show-prefix").stdout.strip()
    there = {name.removeprefix(prefix) for name in there}
    pairs = []
    for name in sorted(set(here) | there):
        pairs.append((name, name if name in there else None, here.get(name)))
    return pairs
