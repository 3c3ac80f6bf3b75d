"""Paths -> the spec's operation groups and methods: parameters, bodies, responses.

Each operation's types are reached in Speakeasy's order, which decides who wins a
contested name: its responses, then its parameters, then its body.
"""

from __future__ import annotations

import re
from typing import Any

from ..ir import BODILESS_METHODS
from ..parse.validate import spec_schema
from .context import Context, Unsupported, pointer_join
from .document import pointer_parts
from .fields import ordered, typed_field
from .names import class_name, snake_case
from .schemas import Naming, Schemas
from .unsupported import JSON_MEDIA as _JSON
from .unsupported import body_media, json_parameter_media, parameter_style

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_BINARY = ("application/octet-stream", "application/pdf", "image/", "audio/", "video/")
_IN = {"query": "QueryParam", "path": "PathParam", "header": "HeaderParam"}
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
# The keys a spec's parameter takes, read from the spec language's own schema.
PARAMETER_KEYS = frozenset(spec_schema()["$defs"]["parameter"]["properties"])
# What a style: json parameter may hold inside its lists and dicts (ir.is_plain_json).
_PLAIN_JSON = frozenset({"str", "int", "float", "bool", "any", "uuid"})


class Operations:
    def __init__(self, ctx: Context, schemas: Schemas) -> None:
        self.ctx = ctx
        self.schemas = schemas
        self.tags = {
            t["name"]: t
            for t in ctx.doc.data.get("tags", []) or []
            if isinstance(t, dict) and isinstance(t.get("name"), str)
        }
        # status -> the error model the client raises for it (one per status)
        self.error_models: dict[str, str] = {}
        # group path (("fine_tuning", "jobs")) -> method name -> method spec
        self.groups: dict[tuple[str, ...], dict[str, dict[str, Any]]] = {}
        self.group_docs: dict[tuple[str, ...], str] = {}

    def build(self) -> dict[str, Any]:
        paths = self.ctx.doc.data.get("paths") or {}
        self.schemas.file_bodies = self._multipart_bodies(paths)
        index = len(self.ctx.schemas)
        for path, item in paths.items():
            if not isinstance(item, dict):
                continue
            for method in (m for m in item if m in HTTP_METHODS):
                pointer = pointer_join("#/paths", path, method)
                operation = item[method]
                if not isinstance(operation, dict):
                    continue
                index += 1
                self.ctx.anchors.append(index)
                try:
                    self._operation(path, method, item, operation, pointer)
                except Unsupported as exc:
                    what = operation.get("operationId") or f"{method.upper()} {path}"
                    self.ctx.unsupported(exc, f"operation '{what}'")
                finally:
                    self.ctx.anchors.pop()
        return self._tree()

    def _tree(self) -> dict[str, Any]:
        tree: dict[str, Any] = {}
        for path, methods in self.groups.items():
            node: dict[str, Any] = {"groups": tree}
            for depth, part in enumerate(path):
                groups = node.setdefault("groups", {})
                node = groups.setdefault(part, {})
                if (
                    doc := self.group_docs.get(path[: depth + 1])
                ) and "doc" not in node:
                    node["doc"] = doc
            node["methods"] = methods
        return {name: _group_order(group) for name, group in tree.items()}

    # -- one operation --------------------------------------------------------------

    def _operation(
        self,
        path: str,
        method: str,
        item: dict[str, Any],
        operation: dict[str, Any],
        pointer: str,
    ) -> None:
        for key in ("callbacks", "webhooks"):
            if operation.get(key):
                raise Unsupported(
                    pointer_join(pointer, key), f"'{key}' cannot be imported"
                )
        op_id = operation.get("operationId") or f"{method}_{path}"
        op_name = class_name(op_id)
        group = self._group(operation, pointer)
        name = operation.get("x-speakeasy-name-override") or snake_case(op_id)
        if not isinstance(name, str) or not _IDENTIFIER.fullmatch(name):
            raise Unsupported(
                pointer, f"method name {name!r} is not a Python identifier"
            )
        successes, errors, stream = self._responses(operation, pointer, op_name)
        params, params_at = self._parameters(item, operation, path, pointer, op_name)
        for placeholder in re.findall(r"\{([^{}]+)\}", path):
            if params.get(placeholder, {}).get("in") != "path":
                raise Unsupported(
                    pointer,
                    f"path parameter '{placeholder}' of '{path}' is not declared in parameters",
                )
        body = self._body(operation, pointer, op_name)
        if body is not None and method.upper() in BODILESS_METHODS:
            problem = Unsupported(
                pointer_join(pointer, "requestBody"),
                f"a {method.upper()} request cannot have a body in a spec",
            )
            self.ctx.unsupported(problem, f"the body of operation '{op_id}'")
            body = None
        spec: dict[str, Any] = {}
        if isinstance(operation.get("summary"), str):
            spec["summary"] = operation["summary"]
        if isinstance(operation.get("description"), str) and operation["description"]:
            spec["doc"] = operation["description"]
        spec["http"] = f"{method.upper()} {path}"
        if params:
            spec["params"] = params
            spec["request_name"] = f"{op_name}Request"
        if body is not None:
            spec["request"] = body[0]
            if body[1] != "json":
                spec["body"] = body[1]
        methods = self.groups.setdefault(group, {})
        if successes:
            method_spec = {**spec, **_responses_spec(successes)}
            if errors:
                method_spec["errors"] = errors
            self._add(methods, name, method_spec, pointer)
            self._sources(group, name, method_spec, pointer, params_at)
        if stream is not None:
            stream_spec = dict(spec)
            if body is not None and successes:
                stream_spec["request"] = self._stream_request(
                    body[0], operation, pointer
                )
            stream_spec["stream"] = stream
            if errors:
                stream_spec["errors"] = errors
            stream_name = operation.get("x-specbind-stream-name") or (
                f"{name}_stream" if successes else name
            )
            self._add(methods, stream_name, stream_spec, pointer)
            self._sources(group, stream_name, stream_spec, pointer, params_at)

    def _add(
        self, methods: dict[str, Any], name: str, spec: dict[str, Any], pointer: str
    ) -> None:
        if name in methods:
            raise Unsupported(
                pointer,
                f"method name '{name}' is taken in its group; set x-speakeasy-name-override",
            )
        methods[name] = spec

    def _sources(
        self,
        group: tuple[str, ...],
        name: str,
        spec: dict[str, Any],
        pointer: str,
        params_at: dict[str, str],
    ) -> None:
        """Record where the method and its parts come from in the document."""
        path: tuple[str, ...] = ("operations", group[0])
        for part in group[1:]:
            path = (*path, "groups", part)
        sources = self.ctx.sources
        # A group stands where its first operation does (a tag declares no place).
        sources.setdefault(path, pointer)
        method: tuple[str | int, ...] = (*path, "methods", name)

        def put(at: str, *keys: str | int) -> None:
            sources[method + keys] = at

        put(pointer)
        for param in spec.get("params", {}):
            put(params_at[param], "params", param)
        for key in ("request", "body"):
            if key in spec:
                put(pointer_join(pointer, "requestBody"), key)
        responses = pointer_join(pointer, "responses")
        for status in spec.get("responses", {}):
            put(pointer_join(responses, status), "responses", status)
        if "response" in spec:
            status = _success_status(self.ctx.doc.data, pointer, stream=False)
            put(pointer_join(responses, status), "response")
        for code in spec.get("errors", {}):
            put(pointer_join(responses, code), "errors", code)
        if "stream" in spec:
            status = _success_status(self.ctx.doc.data, pointer, stream=True)
            stream = pointer_join(responses, status, "content", "text/event-stream")
            put(stream, "stream")

    def _group(self, operation: dict[str, Any], pointer: str) -> tuple[str, ...]:
        group = operation.get("x-speakeasy-group")
        tags = operation.get("tags") or []
        if isinstance(group, str) and group:
            path = tuple(snake_case(part) for part in group.split("."))
        elif tags and isinstance(tags[0], str):
            path = (snake_case(tags[0]),)
        else:
            path = ("default",)
        if tags and isinstance(tags[0], str) and path not in self.group_docs:
            tag = self.tags.get(tags[0], {})
            doc = tag.get("description") or tag.get("x-displayName")
            if isinstance(doc, str):
                self.group_docs[path] = doc
        return path

    # -- responses --------------------------------------------------------------------

    def _responses(
        self, operation: dict[str, Any], pointer: str, op_name: str
    ) -> tuple[dict[int, str], dict[str, str], dict[str, Any] | None]:
        responses = operation.get("responses") or {}
        successes: dict[int, str] = {}
        errors: dict[str, str] = {}
        stream: dict[str, Any] | None = None
        for status, response in responses.items():
            where = pointer_join(pointer, "responses", status)
            response = self._deref(response, where, "responses")
            code = str(status)
            if not re.fullmatch(r"[1-5][0-9][0-9]", code):
                self.ctx.warn(where, f"response '{code}' has no status code; left out")
                continue
            content = response.get("content") or {}
            if code.startswith("2"):
                kinds = self._success(content, where, op_name, response)
                for kind in kinds:
                    if isinstance(kind, dict):
                        stream = kind
                    else:
                        successes[int(code)] = kind
                if not content:
                    successes[int(code)] = "empty"
            elif int(code) >= 400:
                error = self._error(content, where, op_name)
                known = self.error_models.setdefault(code, error) if error else None
                if error is not None and known != error:
                    self.ctx.warn(
                        where,
                        f"status {code} is '{known}' in another operation and a client has "
                        f"one error class per status; '{error}' is left out here (the "
                        "error is an APIError with the body)",
                    )
                elif error is not None:
                    errors[code] = error
        return successes, errors, stream

    def _success(
        self,
        content: dict[str, Any],
        pointer: str,
        op_name: str,
        response: dict[str, Any],
    ) -> list[Any]:
        kinds: list[Any] = []
        for media, entry in content.items():
            where = pointer_join(pointer, "content", media)
            schema = entry.get("schema", {}) if isinstance(entry, dict) else {}
            if _JSON.match(media):
                kinds.append(
                    self._named(schema, where, op_name, response, "Response", wrap=True)
                )
            elif media == "text/event-stream":
                event = self._named(schema, where, op_name, response, "Event")
                if event not in self.ctx.models:
                    raise Unsupported(
                        where, "a stream's events must be an object schema"
                    )
                stream: dict[str, Any] = {"event": event}
                sentinel = entry.get("x-speakeasy-sse-sentinel") or response.get(
                    "x-speakeasy-sse-sentinel"
                )
                if isinstance(sentinel, str):
                    stream["terminator"] = sentinel
                kinds.append(stream)
            elif media.startswith(_BINARY) or (
                isinstance(schema, dict) and schema.get("format") == "binary"
            ):
                kinds.append("binary")
            else:
                raise Unsupported(where, f"a '{media}' response cannot be imported")
        return kinds

    def _named(
        self,
        schema: Any,
        pointer: str,
        op_name: str,
        holder: dict[str, Any],
        suffix: str,
        *,
        wrap: bool = False,
    ) -> str:
        """The model or union a response (or body) schema is, named after the operation;
        with ``wrap``, a list or scalar becomes a union of that one type."""
        title = schema.get("title") if isinstance(schema, dict) else None
        own = class_name(title) if isinstance(title, str) and title.strip() else suffix
        doc = (
            holder.get("description")
            if isinstance(holder.get("description"), str)
            else ""
        )
        naming = Naming((f"{op_name}{own}",), doc or "", titled=False)
        typed = self.schemas.type_of(schema, pointer_join(pointer, "schema"), naming)
        named = typed.type in self.ctx.models or typed.type in self.ctx.unions
        if not named and wrap:
            # A list or a scalar: a response names a type, so a union of that one.
            name = self.ctx.names.claim(naming.candidates)
            spec = (
                {"doc": doc, "variants": [typed.type]}
                if doc
                else {"variants": [typed.type]}
            )
            self.ctx.add(self.ctx.unions, name, spec, pointer)
            return name
        if not named:
            raise Unsupported(
                pointer,
                f"a body of type '{typed.type}' (not an object or a union) cannot be imported",
            )
        return typed.type

    def _error(self, content: dict[str, Any], pointer: str, op_name: str) -> str | None:
        for media, entry in content.items():
            if _JSON.match(media) and isinstance(entry, dict) and "schema" in entry:
                where = pointer_join(pointer, "content", media)
                name = self._named(entry["schema"], where, op_name, {}, "Error")
                if name in self.ctx.models:
                    return name
                self.ctx.warn(
                    where, "an error body that is not an object is read as text"
                )
        return None

    # -- parameters -------------------------------------------------------------------

    def _parameters(
        self,
        item: dict[str, Any],
        operation: dict[str, Any],
        path: str,
        pointer: str,
        op_name: str,
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """The parameters' specs, and where each is declared."""
        declared: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for owner, where in ((item, pointer.rsplit("/", 1)[0]), (operation, pointer)):
            for index, raw in enumerate(owner.get("parameters") or []):
                at = pointer_join(where, "parameters", index)
                param = self._deref(raw, at, "parameters")
                key = (str(param.get("in")), str(param.get("name")))
                declared[key] = (param, at)
        params: dict[str, Any] = {}
        params_at: dict[str, str] = {}
        for (location, name), (param, at) in declared.items():
            try:
                spec = self._parameter(location, name, param, at, op_name)
            except Unsupported as exc:
                op_id = operation.get("operationId") or pointer
                self.ctx.unsupported(exc, f"parameter '{name}' of operation '{op_id}'")
                continue
            if name in params:
                raise Unsupported(
                    at, f"two parameters are named '{name}'; specbind keys them by name"
                )
            params[name] = spec
            params_at[name] = at
        return params, params_at

    def _parameter(
        self, location: str, name: str, param: dict[str, Any], at: str, op_name: str
    ) -> dict[str, Any]:
        if location == "cookie":
            raise Unsupported(at, f"cookie parameter '{name}' cannot be imported")
        if location not in _IN:
            raise Unsupported(at, f"parameter location {location!r} is unknown")
        schema_at = pointer_join(at, "schema")
        style = parameter_style(param) or "form"  # others are reported before
        if "schema" not in param:
            media = json_parameter_media(param)
            if media is None:
                raise Unsupported(
                    at,
                    f"parameter '{name}' has no schema, and no content of one JSON "
                    "media type",
                )
            schema_at, style = pointer_join(at, "content", media, "schema"), "json"
            param = {**param, "schema": param["content"][media]["schema"]}
        naming = Naming(
            (
                class_name(name),
                f"{_IN[location]}{class_name(name)}",
                f"{op_name}Request{class_name(name)}",
            ),
            param.get("description") or "",
            titled=False,
        )
        typed = self.schemas.type_of(param["schema"], schema_at, naming)
        if style == "json":
            self._check_json(typed.type, location, name, schema_at)
        elif style != "form" and self._is_text(typed.type):
            style = "form"  # one value: the same text in every style
        elif style != "form":
            self._check_styled(typed.type, style, name, schema_at)
        else:
            self._check_sendable(typed.type, location, name, at)
        required = location == "path" or param.get("required") is True
        spec = {"in": location, **typed_field(typed, required and location != "path")}
        if style != "form":
            spec["style"] = style
        if location == "path":
            spec.pop("nullable", None)
        if style == "json" and "example" not in param:
            media_entry = next(iter(param["content"].values()))
            param = {**media_entry, **param}  # its example or examples, if any
        if "example" in param:
            spec["example"] = param["example"]
        elif isinstance(param.get("examples"), dict) and param["examples"]:
            first = next(iter(param["examples"].values()))
            if isinstance(first, dict) and "value" in first:
                spec["example"] = first["value"]
        if isinstance(param.get("description"), str) and param["description"]:
            spec["doc"] = param["description"]
        dropped = sorted(spec.keys() - PARAMETER_KEYS)
        if dropped:
            self.ctx.warn(
                schema_at,
                f"parameter '{name}': {', '.join(dropped)} cannot be said of a parameter; "
                "left out",
            )
        return ordered({k: v for k, v in spec.items() if k in PARAMETER_KEYS})

    def _check_sendable(
        self, type_: str, location: str, name: str, pointer: str
    ) -> None:
        """specbind sends scalars and enums outside the body; in the query also lists
        of them, and objects exploded (OpenAPI's default ``style: form, explode: true``):
        dicts of them or of ``any``, and models whose fields are them. Unions there
        have no spelling yet."""
        if self._is_text(type_) or self._is_text_union(type_, location == "query"):
            return
        at = pointer_join(pointer, "schema")
        if location == "query":
            if type_.startswith("list[") and self._is_text(type_[5:-1]):
                return
            if type_.startswith("dict[str, "):
                value = type_[len("dict[str, ") : -1]
                if value == "any" or self._is_text(value):
                    return
            if type_ in self.ctx.models:
                for wire, field in self._fields(type_):
                    if not self._is_text(str(field.get("type"))):
                        raise Unsupported(
                            at,
                            f"query parameter '{name}' of type '{type_}' cannot be sent: "
                            "a model in the query is sent one key=value pair per field, "
                            f"and its field '{wire}' is not a scalar or an enum",
                        )
                return
        what = "scalars and enums, and unions of them"
        if location == "query":
            what = (
                "scalars and enums, lists of them, unions of those, dicts of scalars, "
                "enums or any, and models of scalars and enums"
            )
        raise Unsupported(
            at,
            f"{location} parameter '{name}' of type '{type_}' cannot be sent (only {what})",
        )

    def _check_styled(self, type_: str, style: str, name: str, at: str) -> None:
        """A ``comma`` query parameter is a list of text or an object, a
        ``deep_object`` one an object, of the values an object sends exploded."""
        is_dict = type_.startswith("dict[str, ")
        is_object = is_dict or type_ in self.ctx.models
        is_list = type_.startswith("list[") and self._is_text(type_[5:-1])
        if is_dict and not self._is_text(type_[len("dict[str, ") : -1]):
            raise Unsupported(
                at,
                f"query parameter '{name}' of type '{type_}' cannot be sent in style "
                f"{style}: a dict's values are sent as text, so they are scalars or "
                "enums",
            )
        if is_object or (style == "comma" and is_list):
            self._check_sendable(type_, "query", name, at.rpartition("/schema")[0])
            return
        what = "a list of text or an object" if style == "comma" else "an object"
        raise Unsupported(
            at,
            f"query parameter '{name}' of type '{type_}' cannot be sent in style "
            f"{style} (only {what})",
        )

    def _check_json(self, type_: str, location: str, name: str, at: str) -> None:
        """A parameter given by JSON ``content`` is sent as its JSON text (``style:
        json``) in the query or a header (a path one is reported before): a model,
        or a value that is JSON as it is."""
        inner = type_
        while inner.startswith(("list[", "dict[str, ")):
            inner = inner[inner.index("[") + 1 : -1].removeprefix("str, ")
        if type_ in self.ctx.models or inner in _PLAIN_JSON:
            return
        raise Unsupported(
            at,
            f"{location} parameter '{name}' of type '{type_}' cannot be sent as JSON "
            "(only a model, or str, int, float, bool, any or uuid, and lists and dicts "
            "of those)",
        )

    def _is_text(self, type_: str) -> bool:
        """A scalar or an enum: what a parameter sends as one text value."""
        return not (
            type_ in self.ctx.models
            or type_ in self.ctx.unions
            or type_ in ("any", "bytes")
            or type_.startswith(("list[", "dict["))
            or "|" in type_
        )

    def _is_text_union(self, type_: str, lists: bool) -> bool:
        """A union sent as the value it holds: its variants are scalars or enums (with
        ``lists``, in the query, also lists of them)."""
        if type_ not in self.ctx.unions:
            return False
        variants = [str(v) for v in self.ctx.unions[type_].spec.get("variants", [])]
        return all(
            self._is_text(v)
            or (lists and v.startswith("list[") and self._is_text(v[5:-1]))
            for v in variants
        )

    def _fields(self, model: str) -> list[tuple[str, dict[str, Any]]]:
        """A model's fields, those it derives (``is:``) first."""
        spec = self.ctx.models[model].spec
        inherited = (
            self._fields(spec["is"]) if spec.get("is") in self.ctx.models else []
        )
        own = [(w, f) for w, f in spec.get("fields", {}).items() if isinstance(f, dict)]
        return inherited + own

    # -- bodies -----------------------------------------------------------------------

    def _multipart_bodies(self, paths: dict[str, Any]) -> set[str]:
        """Where the schemas sent as multipart bodies are (components by their own
        pointer), found before any schema is typed: whichever operation reaches a
        schema first, its ``format: binary`` fields are file parts."""
        found: set[str] = set()
        for path, item in paths.items():
            for method in HTTP_METHODS:
                operation = item.get(method) if isinstance(item, dict) else None
                if not isinstance(operation, dict) or "requestBody" not in operation:
                    continue
                where = pointer_join("#/paths", path, method, "requestBody")
                try:
                    body = self._deref(operation["requestBody"], where, "requestBodies")
                    media, kind = body_media(body.get("content") or {})
                    if kind != "multipart":
                        continue
                    at = pointer_join(where, "content", media, "schema")
                    schema = body["content"][media].get("schema", {})
                    found.add(self.schemas.deref(schema, at)[1])
                except (Unsupported, AttributeError):
                    continue  # reported when the operation is imported
        return found

    def _body(
        self, operation: dict[str, Any], pointer: str, op_name: str
    ) -> tuple[str, str] | None:
        if "requestBody" not in operation:
            return None
        where = pointer_join(pointer, "requestBody")
        body = self._deref(operation["requestBody"], where, "requestBodies")
        content = body.get("content") or {}
        media, kind = body_media(content)
        if kind is not None:
            entry = content[media]
            at = pointer_join(where, "content", media)
            schema = entry.get("schema", {}) if isinstance(entry, dict) else {}
            name = self._named(schema, at, op_name, {}, "RequestBody")
            if name not in self.ctx.models:
                raise Unsupported(at, "a request body must be an object schema")
            others = [m for m in content if m != media]
            if others:
                self.ctx.warn(
                    where, f"imported the '{media}' body; left out {', '.join(others)}"
                )
            return name, kind
        media = ", ".join(content) or "no content"
        raise Unsupported(where, f"a request body of {media} cannot be imported")

    def _stream_request(
        self, request: str, operation: dict[str, Any], pointer: str
    ) -> str:
        """The twin of a ``...Request`` with a ``stream`` flag, defaulting to true, that
        the stream method sends (``ChatCompletionStreamRequest``), as Speakeasy makes it."""
        fields = self.ctx.models[request].spec.get("fields", {})
        if fields.get("stream", {}).get("type") != "bool":
            return request
        twin = (
            f"{request.removesuffix('Request')}StreamRequest"
            if request.endswith("Request")
            else f"{request}Stream"
        )
        if twin in self.ctx.models:
            return twin
        key = next(
            (k for k, n in self.schemas.component_names.items() if n == request), None
        )
        if key is None:
            return request
        self.ctx.names.taken.add(twin)
        schema = self.ctx.schemas[key]
        stream = {"type": "boolean", "default": True}
        twin_schema = {
            **schema,
            "properties": {**schema.get("properties", {}), "stream": stream},
        }
        twin_schema.pop("description", None)
        self.schemas.type_of(
            twin_schema, pointer_join("#/components/schemas", key), Naming(fixed=twin)
        )
        return twin

    def _deref(self, value: Any, pointer: str, section: str) -> dict[str, Any]:
        seen: set[str] = set()
        while isinstance(value, dict) and "$ref" in value:
            ref = value["$ref"]
            prefix = f"#/components/{section}/"
            if not isinstance(ref, str) or not ref.startswith(prefix) or ref in seen:
                raise Unsupported(pointer, f"$ref {ref!r} cannot be resolved here")
            seen.add(ref)
            found = (self.ctx.doc.data.get("components") or {}).get(section, {})
            value = (
                found.get(ref.removeprefix(prefix)) if isinstance(found, dict) else None
            )
        if not isinstance(value, dict):
            raise Unsupported(pointer, "expected a mapping")
        return value


def _success_status(data: Any, pointer: str, *, stream: bool) -> str:
    """The 2xx status of the operation at ``pointer`` that answers with a stream
    (``stream``) or otherwise; the first 2xx one if none does."""
    operation = data
    for part in pointer_parts(pointer, data):
        operation = operation.get(part) if isinstance(operation, dict) else None
    responses = operation.get("responses") if isinstance(operation, dict) else None
    first = ""
    for status, response in (responses or {}).items():
        code = str(status)
        if not code.startswith("2"):
            continue
        first = first or code
        content = response.get("content") if isinstance(response, dict) else None
        media = set(content) if isinstance(content, dict) else set()
        streams = "text/event-stream" in media
        if (streams and stream) or (not stream and media - {"text/event-stream"}):
            return code
        if not stream and not media:
            return code
    return first


def _responses_spec(successes: dict[int, str]) -> dict[str, Any]:
    if len(successes) == 1:
        return {"response": next(iter(successes.values()))}
    return {"responses": dict(sorted(successes.items()))}


def _group_order(group: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {k: group[k] for k in ("doc", "methods") if k in group}
    if "groups" in group:
        out["groups"] = {k: _group_order(v) for k, v in group["groups"].items()}
    return out
