"""The typed intermediate representation every renderer reads.

Frozen attrs classes built once by :mod:`specbind.resolve`; renderers never see YAML.
Names here are final: Python names are already safe, wire names are as on the wire.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import attrs

Primitive = Literal[
    "str", "int", "float", "bool", "any", "datetime", "date", "uuid", "bytes"
]
NamedKind = Literal["model", "union", "enum"]
Location = Literal["path", "query", "header"]
# How a request body is encoded: JSON, multipart/form-data or x-www-form-urlencoded.
BodyKind = Literal["json", "multipart", "form"]
ResponseKind = Literal["json", "binary", "empty"]
# The words `response:` takes besides a type name; no type may be named so.
RESPONSE_WORDS: dict[str, ResponseKind] = {"binary": "binary", "empty": "empty"}
# The methods whose requests carry no body (and so no Content-Type).
BODILESS_METHODS = frozenset({"GET", "DELETE", "HEAD", "OPTIONS"})


class _NoValue:
    """Marks a default or example the spec does not give (``None`` is a real value)."""

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Any = _NoValue()


@attrs.frozen
class PrimitiveType:
    name: Primitive


@attrs.frozen
class ListType:
    item: TypeExpr


@attrs.frozen
class DictType:
    value: TypeExpr


@attrs.frozen
class NamedType:
    name: str
    kind: NamedKind


TypeExpr = PrimitiveType | ListType | DictType | NamedType


def innermost(type_: TypeExpr) -> TypeExpr:
    """The type inside any lists and dicts: ``list[dict[str, X]]`` -> ``X``."""
    while isinstance(type_, (ListType, DictType)):
        type_ = type_.item if isinstance(type_, ListType) else type_.value
    return type_


def is_text(type_: TypeExpr, lists: bool = True) -> bool:
    """Whether values of the type are sent as text (a form or multipart field, a query,
    path or header parameter): a scalar or an enum, or with ``lists`` a list of those."""
    if isinstance(type_, ListType) and lists:
        type_ = type_.item
    if isinstance(type_, PrimitiveType):
        return type_.name not in ("any", "bytes")
    return isinstance(type_, NamedType) and type_.kind == "enum"


def is_plain_json(type_: TypeExpr) -> bool:
    """Whether values of the type are JSON as they are (no hook writes them): str,
    int, float, bool, any and uuid, and lists and dicts of those."""
    inner = innermost(type_)
    return isinstance(inner, PrimitiveType) and inner.name not in (
        "datetime",
        "date",
        "bytes",
    )


def is_query_object(type_: TypeExpr) -> bool:
    """Whether a query parameter of the type is an object, sent exploded (OpenAPI's
    default ``style: form, explode: true``): a ``key=value`` pair per dict entry or per
    model field that is set, as the official SDK sends it."""
    if isinstance(type_, DictType):
        return True
    return isinstance(type_, NamedType) and type_.kind == "model"


@attrs.frozen
class Field:
    wire_name: str
    python_name: str
    type: TypeExpr
    required: bool
    nullable: bool
    doc: str = ""
    example: Any = NO_VALUE
    default: Any = NO_VALUE
    server_default: Any = NO_VALUE
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    multiple_of: float | None = None
    pattern: str | None = None  # a Python regex, searched (as JSON Schema's pattern)
    min_items: int | None = None
    max_items: int | None = None
    const: Any = NO_VALUE

    @property
    def presence(self) -> str:
        """The docs' three-state wrapper: ``Nullable``, ``Optional``, ``OptionalNullable`` or ``""``."""
        if self.required:
            return "Nullable" if self.nullable else ""
        return "OptionalNullable" if self.nullable else "Optional"

    @property
    def has_default(self) -> bool:
        return self.default is not NO_VALUE

    @property
    def has_const(self) -> bool:
        return self.const is not NO_VALUE

    @property
    def has_constraints(self) -> bool:
        return self.has_const or any(
            bound is not None
            for bound in (
                self.minimum,
                self.maximum,
                self.min_length,
                self.max_length,
                self.exclusive_minimum,
                self.exclusive_maximum,
                self.multiple_of,
                self.pattern,
                self.min_items,
                self.max_items,
            )
        )


@attrs.frozen
class Model:
    name: str
    fields: tuple[Field, ...]
    doc: str = ""
    forbid_unknown: bool = False

    def field(self, wire_name: str) -> Field | None:
        return next((f for f in self.fields if f.wire_name == wire_name), None)


@attrs.frozen
class Union:
    name: str
    variants: tuple[TypeExpr, ...]
    doc: str = ""
    discriminator: str | None = None


@attrs.frozen
class EnumMember:
    name: str
    value: str | int


@attrs.frozen
class Enum:
    name: str
    members: tuple[EnumMember, ...]
    value_type: Literal["str", "int"] = "str"
    open: bool = False
    doc: str = ""


@attrs.frozen
class Stream:
    event: Model
    data: TypeExpr
    terminator: str | None


@attrs.frozen
class Parameter:
    """A value sent outside the body: in the path, the query string or a header.

    ``field`` carries what a body field carries (wire name, Python name, type, flags,
    doc, example, default); a path parameter is always required and never nullable.
    """

    location: Location
    field: Field
    # form: as text, a list once per item, an object exploded; comma: a list or an
    # object in one pair, joined by commas; deep_object: name[key]=value pairs;
    # json: its JSON text
    style: Literal["form", "comma", "deep_object", "json"] = "form"


@attrs.frozen
class Response:
    """What a success status answers: a JSON ``type`` (a model or a union), a binary
    body streamed to the caller, or no content.

    ``model`` is the model ``type`` names, when it names one.
    """

    status: int
    kind: ResponseKind
    type: TypeExpr | None = None
    model: Model | None = None


@attrs.frozen
class Method:
    name: str
    http_method: str
    path: str
    request: Model | None  # the body's model (encoded as ``body`` says); None: no body
    responses: tuple[Response, ...]  # by status; () for a stream
    stream: Stream | None
    errors: tuple[tuple[int, Model], ...] = ()
    summary: str = ""
    doc: str = ""
    parameters: tuple[Parameter, ...] = ()
    body: BodyKind | None = None  # None exactly when ``request`` is None
    # The docs page of the operation's request (its parameters, then the JSON body as
    # one field), as Speakeasy names it: ``FilesAPIRoutesListFilesRequest``; "" for none.
    request_name: str = ""

    @property
    def response(self) -> Model | None:
        """The model of the one JSON response, when that is all the method answers."""
        if len(self.responses) == 1:
            return self.responses[0].model
        return None

    @property
    def body_fields(self) -> tuple[Field, ...]:
        return self.request.fields if self.request else ()

    def located(self, location: Location) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == location)


@attrs.frozen
class Group:
    """An operation group: ``client.<name>``, or nested, ``client.<parents>.<name>``."""

    name: str
    methods: tuple[Method, ...]
    doc: str = ""
    groups: tuple[Group, ...] = ()  # the sub-groups, attributes of this group
    parents: tuple[str, ...] = ()  # the names of the enclosing groups, outermost first

    @property
    def path(self) -> tuple[str, ...]:
        """The attribute names from the client down: ``("fine_tuning", "jobs")``."""
        return (*self.parents, self.name)

    @property
    def dotted(self) -> str:
        """``fine_tuning.jobs``: how a caller reaches the group from the client."""
        return ".".join(self.path)

    def walk(self) -> Iterator[Group]:
        """This group and every group inside it, depth first, parents first."""
        yield self
        for group in self.groups:
            yield from group.walk()


@attrs.frozen
class Auth:
    """How the client sends the API key: ``bearer`` as ``Authorization: Bearer KEY``,
    ``api_key`` as ``HEADER: KEY`` (the spec's ``auth.api_key.header``)."""

    scheme: Literal["bearer", "api_key"]
    env: str
    header: str = "Authorization"


@attrs.frozen
class Api:
    package: str
    spec_name: str
    spec_sha256: str
    models: tuple[Model, ...]
    unions: tuple[Union, ...]
    enums: tuple[Enum, ...]
    groups: tuple[Group, ...] = ()
    title: str = ""
    doc: str = ""
    server: str = ""
    auth: Auth | None = None

    @property
    def auth_env(self) -> str | None:
        """The environment variable the client reads the API key from."""
        return self.auth.env if self.auth else None

    def every_group(self) -> Iterator[Group]:
        """Every group at any depth, depth first, parents before their sub-groups."""
        for group in self.groups:
            yield from group.walk()

    def model(self, name: str) -> Model:
        return next(m for m in self.models if m.name == name)

    def union(self, name: str) -> Union:
        return next(u for u in self.unions if u.name == name)

    def enum(self, name: str) -> Enum:
        return next(e for e in self.enums if e.name == name)
