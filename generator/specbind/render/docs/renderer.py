"""Markdown pages for every model, union and enum, byte for byte in the SDK docs' style."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from ... import ir, naming
from ..shared import markdown
from ..shared.base import SINGLE_SPEC, Layout, OutputFile, make_env
from . import operations, tables

_env = make_env(
    Path(__file__).parent / "templates",
    {
        "python_type": tables.python_type,
        "table": lambda rows: tables.table(*rows),
        "prose": markdown.body_text,
    },
)


_BYTES = ir.PrimitiveType("bytes")


class DocsRenderer:
    name = "docs"

    def render(self, api: ir.Api, layout: Layout = SINGLE_SPEC) -> Iterator[OutputFile]:
        for model in api.models:
            yield self._page(
                layout,
                "model.md.j2",
                model.name,
                rows=tables.field_rows(model.fields),
                doc=model.doc,
            )
        for union in api.unions:
            yield self._page(
                layout, "union.md.j2", union.name, union=union, doc=union.doc
            )
        for enum in api.enums:
            yield self._page(
                layout,
                "enum.md.j2",
                enum.name,
                rows=tables.value_rows(enum),
                doc=enum.doc,
            )
        if any(f.type == _BYTES for m in api.models for f in m.fields):
            # The SDK's page of the file part every bytes field links to.
            text = (Path(__file__).parent / "templates" / "file.md").read_text("utf-8")
            yield OutputFile(layout.doc("models/file.md"), text)
        if api.auth is not None and not _named(api, "Security"):
            # The SDK's page of the credential; a type of the spec's own so named wins.
            yield self._page(
                layout,
                "model.md.j2",
                "Security",
                rows=tables.field_rows([security_field(api.auth)]),
                doc="",
            )
        for group in api.every_group():
            for method in group.methods:
                if method.request_name:
                    yield self._page(
                        layout,
                        "model.md.j2",
                        method.request_name,
                        rows=tables.field_rows(request_fields(method)),
                        doc="",
                    )
        for group in api.every_group():
            if not operations.has_page(group):
                continue
            pages = [operations.method_page(api, group, m) for m in group.methods]
            text = _env.get_template("operations.md.j2").render(
                api=api,
                group=group,
                pages=pages,
                title=operations.group_title(group),
                sub_pages=operations.sub_pages(group),
            )
            yield OutputFile(layout.doc(operations.page_path(group)), text)
        yield OutputFile(layout.doc("index.md"), self._index(api, layout))

    @staticmethod
    def _index(api: ir.Api, layout: Layout) -> str:
        """The docs site's home: every page, the operations first."""
        return _env.get_template("index.md.j2").render(
            api=api,
            others=layout.others,
            styles="styles" in layout.outputs,
            title=api.title or api.package,
            group_title=operations.group_title,
            pages=[g for g in api.every_group() if operations.has_page(g)],
            page_path=operations.page_path,
            doc_file=naming.doc_file,
        )

    @staticmethod
    def _page(
        layout: Layout, template: str, name: str, **context: object
    ) -> OutputFile:
        text = _env.get_template(template).render(name=name, **context)
        return OutputFile(layout.doc(f"models/{naming.doc_file(name)}"), text)


def request_fields(method: ir.Method) -> list[ir.Field]:
    """A request page's fields: the parameters, then the JSON body as one required field
    named after its model (``update_ft_model_in``), as Speakeasy's request models have."""
    fields = [parameter.field for parameter in method.parameters]
    if method.request is not None:
        wire = naming.snake(method.request.name)
        body = ir.NamedType(method.request.name, "model")
        fields.append(ir.Field(wire, wire, body, required=True, nullable=False))
    return fields


def _named(api: ir.Api, name: str) -> bool:
    types: list[ir.Model | ir.Union | ir.Enum] = [*api.models, *api.unions, *api.enums]
    return any(t.name == name for t in types)


def security_field(auth: ir.Auth) -> ir.Field:
    """The SDK's ``Security`` model: the credential as one optional field, named as
    the client's constructor argument that takes it; a key in a header of its own
    says which (a bearer token is described by the SDK's page as it is)."""
    doc = f"Sent in the `{auth.header}` header." if auth.scheme == "api_key" else ""
    return ir.Field(
        "api_key",
        "api_key",
        ir.PrimitiveType("str"),
        required=False,
        nullable=False,
        doc=doc,
    )


def apis_index(apis: Sequence[ir.Api], homes: Sequence[str], root: str) -> OutputFile:
    """The home page of several specs' docs: a link to each one's own home page
    (``homes``, relative to ``root``)."""
    text = _env.get_template("apis.md.j2").render(
        entries=[
            (api.title or api.package, home, api.doc)
            for api, home in zip(apis, homes, strict=True)
        ],
        specs=[api.spec_name for api in apis],
    )
    return OutputFile(f"{root}/index.md", text)
