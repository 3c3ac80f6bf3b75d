"""The pipeline in one place: specs -> IR -> renderers -> files in memory.

Where each spec's files go: its package, schema and styles are named after its
package, so they never meet another spec's (two specs may not share a package). Its
docs pages have fixed names, so they go in a folder of their own: ``docs/`` for a
lone spec, ``docs/<package>/`` beside other specs, or the spec's ``output: {docs:
FOLDER}``. The site's home page is ``docs/index.md``: the home page of the spec whose
folder is ``docs`` (listing the other specs' home pages), else one linking them all.

Which outputs a spec has is its ``output: {render: [...]}`` (default: all of them),
narrowed for one run by ``--only``; an output is rendered with what it needs or not
at all (``render.NEEDS``); a renderer's module (the docs' too, whose index links
several specs) is imported only when its output is rendered.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import attrs

from . import ir
from .diagnostics import Diagnostic, SpecError, display_path
from .formatting import format_python
from .parse.load import Document, Position, load_file
from .render import close_started, render_api, renderers, start_slow, unmet_needs
from .render.shared.base import OUTPUTS, SINGLE_SPEC, Layout, OutputFile
from .resolve import build_api

DOCS_ROOT = SINGLE_SPEC.docs
_DOCS_KEY = ("output", "docs")
_RENDER_KEY = ("output", "render")
_START = Position(1, 1)


@attrs.frozen
class Claims:
    """What a spec says about where its files go, and where it says it."""

    file: str = ""
    package: Position = _START
    docs: str | None = None
    docs_key: Position = _START
    render: frozenset[str] = frozenset(OUTPUTS)
    render_key: Position = _START

    @classmethod
    def of(cls, doc: Document) -> Claims:
        output = doc.data.get("output") if isinstance(doc.data, dict) else None
        docs = output.get("docs") if isinstance(output, dict) else None
        render = output.get("render") if isinstance(output, dict) else None
        return cls(
            doc.file,
            doc.at(("package",), key=True),
            docs if isinstance(docs, str) else None,
            doc.at(_DOCS_KEY, key=True),
            frozenset(render) if isinstance(render, list) else frozenset(OUTPUTS),
            doc.at(_RENDER_KEY, key=True),
        )


@attrs.frozen
class Project:
    """The specs of one run: their IR, and what each claims (in the same order)."""

    apis: tuple[ir.Api, ...]
    claims: tuple[Claims, ...] = ()
    # The outputs of this run (``--only``); None: every spec's own selection.
    only: frozenset[str] | None = None

    def claim(self, api: ir.Api) -> Claims:
        found = (c for a, c in zip(self.apis, self.claims, strict=False) if a is api)
        return next(found, Claims())

    def outputs(self, api: ir.Api) -> frozenset[str]:
        """The outputs rendered for ``api`` in this run: its spec's, narrowed by
        ``--only``. (What they say of each other, such as the package's exports,
        follows the spec's, so a narrowed run writes what a full one does.)"""
        selected = self.claim(api).render
        return selected if self.only is None else selected & self.only

    def layouts(self) -> list[Layout]:
        """Each spec's docs folder and outputs; the one in ``docs`` links the others
        (those that have docs)."""
        lone = len(self.apis) == 1
        folders = [
            self.claim(api).docs
            or (DOCS_ROOT if lone else f"{DOCS_ROOT}/{api.package}")
            for api in self.apis
        ]
        homes = [
            (api.title or api.package, f"{folder}/index.md")
            for api, folder in zip(self.apis, folders, strict=True)
        ]

        def others(folder: str) -> tuple[tuple[str, str], ...]:
            if lone or folder != DOCS_ROOT:
                return ()
            return tuple(
                (title, posixpath.relpath(home, folder))
                for (title, home), other, api in zip(
                    homes, folders, self.apis, strict=True
                )
                if other != folder and "docs" in self.claim(api).render
            )

        return [
            Layout(folder, others(folder), self.claim(api).render)
            for folder, api in zip(folders, self.apis, strict=True)
        ]

    def where(self, api: ir.Api, path: str, layout: Layout) -> Position:
        """The key that puts ``path`` where it is: ``output.docs`` or ``package``."""
        claim = self.claim(api)
        if claim.docs is not None and path.startswith(f"{layout.docs}/"):
            return claim.docs_key
        return claim.package


def bundled_spec() -> Path:
    """The example spec shipped with specbind (Mistral's FIM API)."""
    return Path(
        str(resources.files("specbind").joinpath("default_spec/mistral_fim.yaml"))
    )


def default_specs(spec_dir: Path = Path("spec")) -> list[Path]:
    """``spec/*.yaml`` of the project in the working folder, else the bundled example.

    ``*.overlay.yaml`` files are OpenAPI overlays that ``specbind import`` reads, not specs.
    """
    found = (
        sorted(
            p for p in spec_dir.glob("*.yaml") if not p.name.endswith(".overlay.yaml")
        )
        if spec_dir.is_dir()
        else []
    )
    return found or [bundled_spec()]


def load_project(specs: Sequence[Path], only: frozenset[str] | None = None) -> Project:
    """Build every spec, collecting the diagnostics of all of them before failing;
    ``only`` narrows every spec's outputs for this run."""
    apis: list[ir.Api] = []
    claims: list[Claims] = []
    diagnostics: list[Diagnostic] = []
    for spec in specs:
        try:
            doc = load_file(spec, display_path(spec))
            api = build_api(doc)
        except SpecError as exc:
            diagnostics.extend(exc.diagnostics)
            continue
        apis.append(api)
        claims.append(Claims.of(doc))
        at = claims[-1].render_key
        diagnostics.extend(
            Diagnostic(doc.file, at.line, at.column, problem)
            for problem in unmet_needs(claims[-1].render)
        )
    project = Project(tuple(apis), tuple(claims), only)
    diagnostics.extend(_shared_packages(project))
    if diagnostics:
        raise SpecError(diagnostics)
    return project


def load_all(specs: Sequence[Path]) -> list[ir.Api]:
    return list(load_project(specs).apis)


def _diagnostic(
    project: Project, api: ir.Api, pos: Position, message: str
) -> Diagnostic:
    file = project.claim(api).file or api.spec_name
    return Diagnostic(file, pos.line, pos.column, message)


def _at(project: Project, api: ir.Api, pos: Position) -> str:
    return f"{project.claim(api).file or api.spec_name}:{pos.line}:{pos.column}"


def _shared_packages(project: Project) -> list[Diagnostic]:
    first: dict[str, ir.Api] = {}
    found = []
    for api in project.apis:
        if (owner := first.setdefault(api.package, api)) is not api:
            found.append(
                _diagnostic(
                    project,
                    api,
                    project.claim(api).package,
                    f"package '{api.package}' is also generated by "
                    f"{_at(project, owner, project.claim(owner).package)}; give each "
                    "spec its own package (its outputs are named after it)",
                )
            )
    return found


def render_all(apis: Sequence[ir.Api] | Project) -> list[OutputFile]:
    """Render every API, its Python formatted by ruff; two specs may not claim the
    same output file."""
    project = apis if isinstance(apis, Project) else Project(tuple(apis))
    layouts = project.layouts()
    owner: dict[str, tuple[ir.Api, Layout]] = {}
    files: list[OutputFile] = []
    clashes: dict[tuple[str, str], Diagnostic] = {}
    selections = [renderers(project.outputs(api)) for api in project.apis]
    runs = list(zip(project.apis, selections, layouts, strict=True))
    # Every spec's slow outputs (the styles) start before any spec renders.
    for api, selected, layout in runs:
        start_slow(api, selected, layout)
    try:
        for api, selected, layout in runs:
            for file in render_api(api, selected=selected, layout=layout):
                first, first_layout = owner.setdefault(file.path, (api, layout))
                if first is not api:
                    claimed = project.where(first, file.path, first_layout)
                    clashes.setdefault(
                        (first.spec_name, api.spec_name),
                        _diagnostic(
                            project,
                            api,
                            project.where(api, file.path, layout),
                            f"'{file.path}' is generated by "
                            f"{_at(project, first, claimed)} too",
                        ),
                    )
                files.append(file)
    finally:
        for selected in selections:
            close_started(selected)
    if clashes:
        raise SpecError(list(clashes.values()))
    documented = [
        (api, layout)
        for api, layout in zip(project.apis, layouts, strict=True)
        if "docs" in layout.outputs
    ]
    roots = [layout.docs for _, layout in documented]
    docs_now = project.only is None or "docs" in project.only
    if len(layouts) > 1 and documented and docs_now and DOCS_ROOT not in roots:
        from .render.docs.renderer import apis_index  # only when docs are rendered

        homes = [posixpath.relpath(f"{root}/index.md", DOCS_ROOT) for root in roots]
        index = apis_index([api for api, _ in documented], homes, DOCS_ROOT)
        files.append(attrs.evolve(index, owner=":docs"))
    return format_python(files, [api.package for api in project.apis])
