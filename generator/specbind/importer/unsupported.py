"""What specbind cannot import, found before the import so that nothing is dropped
silently: each construct is an error, or with ``skip`` a warning and removed.

Removal keeps what remains true to the API: an optional cookie parameter is dropped
from its operation, a required one (the operation cannot be called without it) drops
the operation; a media type is dropped from its body or response, and a success
response or request body left with none drops the operation too.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from ..diagnostics import Diagnostic
from .document import (
    OpenAPIDocument,
    Parts,
    operation_name,
    operations,
    pointer,
    resolve,
)
from .security import is_bearer, key_header

# Media types the importer reads: JSON (and +json), multipart, form, an event stream,
# and raw bytes.
_MEDIA_TYPES = (
    "application/json",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "text/event-stream",
    "application/octet-stream",
)
# JSON, +json, with or without parameters (``application/json; charset=utf-8``).
JSON_MEDIA = re.compile(r"^application/([\w.+-]+\+)?json\s*(;.*)?$", re.IGNORECASE)
_DEFAULT_STYLE = {"path": "simple", "query": "form", "header": "simple"}


def parameter_style(param: dict[str, Any]) -> str | None:
    """The spec's ``style`` for an OpenAPI parameter's ``style`` and ``explode``:
    ``form`` (the default of each place), ``comma`` (a query ``form`` with ``explode:
    false``) or ``deep_object`` (a query ``deepObject``); None when a spec cannot say
    it (``json`` parameters are given by ``content``: see ``json_parameter_media``)."""
    place = str(param.get("in"))
    default = _DEFAULT_STYLE.get(place)
    style = param.get("style", default)
    explode = param.get("explode", style == "form")
    if style == default and explode == (style == "form"):
        return "form"
    if place != "query":
        return None
    if style == "form":
        return "comma"
    # deepObject is only defined exploded; documents often leave explode out
    return "deep_object" if style == "deepObject" else None


def json_parameter_media(param: dict[str, Any]) -> str | None:
    """The media type of a parameter given by ``content`` that specbind sends as JSON
    text (``style: json``): its one media type, JSON, with a schema; else None."""
    content = param.get("content")
    if not isinstance(content, dict) or len(content) != 1:
        return None
    media, entry = next(iter(content.items()))
    if not JSON_MEDIA.match(str(media)) or not isinstance(entry, dict):
        return None
    return str(media) if "schema" in entry else None


def supported_media_type(name: str) -> bool:
    essence = name.split(";")[0].strip().lower()
    return essence in _MEDIA_TYPES or (
        essence.startswith("application/") and essence.endswith("+json")
    )


@attrs.frozen
class Finding:
    """One construct: where, what, whom it affects, and what to remove to skip it."""

    at: Parts
    what: str
    affects: str
    remove: Parts
    key: bool = True


class _Scan:
    def __init__(self, doc: OpenAPIDocument) -> None:
        self.doc = doc
        self.found: list[Finding] = []

    def add(
        self, at: Parts, what: str, affects: str, remove: Parts | None = None
    ) -> None:
        self.found.append(Finding(at, what, affects, at if remove is None else remove))

    def run(self) -> list[Finding]:
        doc = self.doc
        if isinstance(doc.data.get("webhooks"), dict) and doc.data["webhooks"]:
            self.add(("webhooks",), "webhooks", "the document")
        for template, item in _dict(doc.data.get("paths")).items():
            if isinstance(item, dict) and "servers" in item:
                self.add(
                    ("paths", template, "servers"),
                    "servers of one path",
                    f"path '{template}'",
                )
        for _, _, op in operations(doc):
            self.operation(op)
        self.security_schemes()
        return self.found

    def operation(self, op: Parts) -> None:
        doc, name = self.doc, operation_name(self.doc, op)
        for keyword, what in (
            ("callbacks", "callbacks"),
            ("servers", "servers of one operation"),
        ):
            if keyword in _dict(doc.get(op)):
                self.add((*op, keyword), what, name)
        for holder in (op, op[:2]):
            params = doc.get((*holder, "parameters"))
            for i in range(len(params) if isinstance(params, list) else 0):
                self.parameter(op, (*holder, "parameters", i), name)
        body_at, body = resolve(doc, (*op, "requestBody"))
        if isinstance(body, dict):
            self.content(body_at, name, required=True, whole=op)
            if body_media(_dict(body.get("content")))[1] == "multipart":
                self.multipart_parts(body_at, name, op)
        for status in _dict(doc.get((*op, "responses"))):
            response_at, response = resolve(doc, (*op, "responses", status))
            if not isinstance(response, dict):
                continue
            if "links" in response:
                self.add((*response_at, "links"), "links", name)
            success = str(status).startswith("2")
            self.content(
                response_at,
                name,
                required=success,
                whole=op if success else (*op, "responses", status),
            )

    def parameter(self, op: Parts, at: Parts, name: str) -> None:
        param_at, param = resolve(self.doc, at)
        if not isinstance(param, dict):
            return
        place = param.get("in")
        label = f"parameter '{param.get('name')}'"
        # An operation that needs what is skipped cannot be called: it goes too.
        remove = op if param.get("required") is True else at
        if place == "cookie":
            self.add((*param_at, "in"), f"cookie {label}", name, remove)
            return
        style = param.get("style", _DEFAULT_STYLE.get(str(place)))
        if parameter_style(param) is None and style != _DEFAULT_STYLE.get(str(place)):
            self.add(
                (*param_at, "style"),
                f"{place} {label} with style '{style}'",
                name,
                remove,
            )
        elif parameter_style(param) is None:
            self.add(
                (*param_at, "explode"),
                f"{label} with explode: {str(param['explode']).lower()}",
                name,
                remove,
            )
        if "content" in param and json_parameter_media(param) is None:
            media = ", ".join(map(repr, _dict(param.get("content"))))
            self.add(
                (*param_at, "content"),
                f"{label} given by 'content' of media type {media} (JSON only)",
                name,
                remove,
            )
        elif "content" in param and place == "path":
            self.add(
                (*param_at, "content"),
                f"path {label} given as JSON content (a path segment is text)",
                name,
                remove,
            )
        if param.get("allowReserved") is True:
            self.add(
                (*param_at, "allowReserved"),
                f"{label} with allowReserved",
                name,
                remove,
            )

    def content(self, at: Parts, name: str, *, required: bool, whole: Parts) -> None:
        content = self.doc.get((*at, "content"))
        if not isinstance(content, dict):
            return
        unsupported = [m for m in content if not supported_media_type(m)]
        left = len(content) - len(unsupported)
        for media_type in unsupported:
            what = f"media type '{media_type}'"
            kind = (
                "request body"
                if at[-1] == "requestBody" or "requestBodies" in at
                else f"response {at[-1]}"
            )
            # The last media type of a body or success response: the operation goes.
            remove = whole if required and not left else (*at, "content", media_type)
            self.add(
                (*at, "content", media_type), f"{what} of the {kind}", name, remove
            )

    def multipart_parts(self, at: Parts, name: str, whole: Parts) -> None:
        """A multipart body's parts are text or one file each: a structured value
        (OpenAPI's default sends it as a JSON part) or a list of files is not a part
        the spec can say. An optional one is left out; a required one, the operation."""
        media = "multipart/form-data"
        schema_at, schema = resolve(self.doc, (*at, "content", media, "schema"))
        if not isinstance(schema, dict):
            return
        holders = [(schema_at, schema)]
        for i in range(len(schema.get("allOf") or ())):
            holders.append(resolve(self.doc, (*schema_at, "allOf", i)))
        required = {
            r for _, held in holders if isinstance(held, dict)
            for r in held.get("required") or () if isinstance(r, str)
        }  # fmt: skip
        for holder_at, held in holders:
            if not isinstance(held, dict):
                continue
            for prop in _dict(held.get("properties")):
                prop_at = (*holder_at, "properties", prop)
                what = self._part_kind(prop_at)
                if what is not None:
                    remove = whole if prop in required else prop_at
                    self.add(prop_at, f"{what} (part '{prop}')", name, remove)

    def _part_kind(self, at: Parts) -> str | None:
        """What a multipart property is that the spec cannot send, or None."""
        _, schema = resolve(self.doc, at)
        if not isinstance(schema, dict):
            return None
        if self._structured(at):
            return "a structured value in a multipart body"
        if schema.get("type") == "array" or "items" in schema:
            _, item = resolve(self.doc, (*at, "items"))
            if isinstance(item, dict) and item.get("format") == "binary":
                return "a list of files in a multipart body"
            if self._structured((*at, "items")):
                return "a list of structured values in a multipart body"
        return None

    def _structured(self, at: Parts, seen: frozenset[Parts] = frozenset()) -> bool:
        """An object, or a union of which some member is one: not text on the wire."""
        at, schema = resolve(self.doc, at)
        if not isinstance(schema, dict) or at in seen:
            return False
        if schema.get("type") == "object" or "properties" in schema:
            return True
        return any(
            self._structured((*at, keyword, i), seen | {at})
            for keyword in ("oneOf", "anyOf", "allOf")
            for i in range(len(schema.get(keyword) or ()))
        )

    def security_schemes(self) -> None:
        schemes = _dict(_dict(self.doc.data.get("components")).get("securitySchemes"))
        for scheme_name in schemes:
            _, scheme = resolve(
                self.doc, ("components", "securitySchemes", scheme_name)
            )
            if not isinstance(scheme, dict):
                continue
            kind = scheme.get("type")
            if is_bearer(scheme) or key_header(scheme) is not None:
                continue
            described = (
                f"{kind} in {scheme.get('in')}" if kind == "apiKey" else str(kind)
            )
            if kind == "http":
                described = f"http {scheme.get('scheme')}"
            if kind == "apiKey" and scheme.get("in") == "header":
                described = (
                    f"apiKey in header {scheme.get('name')!r}, not a header a spec "
                    "can name: an HTTP header name the client does not write itself"
                )
            users = self.secured_by(scheme_name)
            self.add(
                ("components", "securitySchemes", scheme_name),
                f"security scheme '{scheme_name}' ({described})",
                f"{len(users)} operation{'s' * (len(users) != 1)} it may secure",
            )

    def secured_by(self, scheme: str) -> list[Parts]:
        """The operations whose security requirements (their own, or else the
        document's) name ``scheme``."""
        top = self.doc.data.get("security")
        users = []
        for _, _, op in operations(self.doc):
            requirements = self.doc.get((*op, "security"), top)
            if isinstance(requirements, list) and any(
                isinstance(r, dict) and scheme in r for r in requirements
            ):
                users.append(op)
        return users


_BODY_KINDS = {
    "multipart/form-data": "multipart",
    "application/x-www-form-urlencoded": "form",
}


def body_media(content: dict[str, Any]) -> tuple[str, str | None]:
    """The media type of a body that is imported (the first one a spec can say) and
    its ``body:`` kind; ``("", None)`` when there is none."""
    for media in content:
        kind = "json" if JSON_MEDIA.match(media) else _BODY_KINDS.get(media)
        if kind is not None:
            return media, kind
    return "", None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def scan(doc: OpenAPIDocument, *, skip: bool = False) -> list[Diagnostic]:
    """What ``doc`` holds that specbind cannot import; with ``skip`` each is a warning
    and removed from ``doc.data`` (with what depends on it)."""
    findings = _Scan(doc).run()
    severity = "warning" if skip else "error"
    diagnostics = []
    for finding in findings:
        if finding.remove == finding.at:
            removed = "skipped"
        elif finding.remove[0] == "paths" and len(finding.remove) == 3:
            removed = "the operation is skipped"
        else:
            removed = f"skipped (#{pointer(finding.remove)})"
        message = f"{finding.what} cannot be imported, in {finding.affects}"
        diagnostics.append(
            doc.diagnostic(
                finding.at,
                f"{message}; {removed}" if skip else message,
                severity=severity,
                hint="" if skip else "import the rest with --skip-unsupported",
                key=finding.key,
            )
        )
    if skip:
        _remove(doc, [f.remove for f in findings])
    return diagnostics


def _remove(doc: OpenAPIDocument, targets: list[Parts]) -> None:
    schemes = {t[2] for t in targets if t[:2] == ("components", "securitySchemes")}
    # Deepest and last first, and nothing inside what is already removed.
    for parts in sorted(set(targets), reverse=True):
        if any(parts[: len(t)] == t and parts != t for t in targets):
            continue
        if doc.get(parts, None) is not None or parts[-1] in _dict(doc.get(parts[:-1])):
            doc.remove(parts)
    if schemes:
        _drop_requirements(doc, schemes)


def _drop_requirements(doc: OpenAPIDocument, schemes: set[Any]) -> None:
    """Security requirements naming a removed scheme go with it."""
    holders: list[Parts] = [()] + [op for _, _, op in operations(doc)]
    for holder in holders:
        requirements = doc.get((*holder, "security"))
        if not isinstance(requirements, list):
            continue
        for i in reversed(range(len(requirements))):
            if isinstance(requirements[i], dict) and schemes & set(requirements[i]):
                doc.remove((*holder, "security", i))
