"""The straight-line code that puts a method's parameters in its path, query and headers."""

from __future__ import annotations

from ... import ir
from ..shared.convert import constraint_checks
from ..shared.names import parameter_name, unstructure_name
from ..shared.python import py_str


def text_of(type_: ir.TypeExpr, value: str, open_enums: set[str]) -> str:
    """An expression for ``value`` (of ``type_``) as the SDK spells it on the wire."""
    if type_ == ir.PrimitiveType("str"):
        return value
    if type_ in (ir.PrimitiveType("int"), ir.PrimitiveType("float")):
        return f"str({value})"
    if type_ == ir.PrimitiveType("bool"):
        return f'("true" if {value} else "false")'
    if (
        isinstance(type_, ir.NamedType)
        and type_.kind == "enum"
        and type_.name not in open_enums
    ):
        return f"str({value}.value)"  # a closed enum
    return f"param_text({value})"  # open enums, unions, and scalars without a fast path


def path_expression(method: ir.Method, open_enums: set[str]) -> str:
    """The route as an f-string (or a plain literal when it has no parameters)."""
    route = method.path
    if not method.located("path"):
        return py_str(route)
    # Braces of the literal text are doubled before the placeholders are filled.
    out = route.replace("{", "{{").replace("}", "}}")
    for parameter in method.located("path"):
        field = parameter.field
        text = text_of(field.type, parameter_name(field), open_enums)
        out = out.replace("{{" + field.wire_name + "}}", "{segment(" + text + ")}", 1)
    return "f" + py_str(out)


def _guard(field: ir.Field) -> str:
    name = parameter_name(field)
    checks = []
    if not field.required:
        checks.append(f"{name} is not UNSET")
    if field.nullable:
        checks.append(f"{name} is not None")
    return " and ".join(checks)


def _json_text(field: ir.Field, header: bool = False) -> str:
    """A ``style: json`` parameter's JSON text: a model through its hook."""
    value = parameter_name(field)
    if isinstance(field.type, ir.NamedType):  # a model: the only named type allowed
        value = f"{unstructure_name(field.type.name)}({value})"
    return f"json_text({value}, ascii_only=True)" if header else f"json_text({value})"


def _object_pairs(field: ir.Field) -> str:
    """The ``(key, text)`` pairs of an object parameter: a model's set fields by wire
    name, or a dict's entries, those not None."""
    name = parameter_name(field)
    if isinstance(field.type, ir.NamedType):
        return f"query_pairs({unstructure_name(field.type.name)}({name}))"
    return f"query_pairs({name})"


def _joined_lines(parameter: ir.Parameter, open_enums: set[str]) -> list[str]:
    """``comma``: a list as ``a,b``, an object as ``k1,v1,k2,v2``, in one pair (none
    when empty); ``deep_object``: an object as ``name[key]=value`` pairs."""
    field = parameter.field
    name = parameter_name(field)
    key = py_str(field.wire_name)
    if parameter.style == "deep_object":
        return [f"_query.extend(deep_object_pairs({key}, {_object_pairs(field)}))"]
    if isinstance(field.type, ir.ListType):
        item = text_of(field.type.item, "item", open_enums)
        return [f"_query.extend(comma_pair({key}, ({item} for item in {name})))"]
    return [f"_query.extend(comma_object_pair({key}, {_object_pairs(field)}))"]


def _query_lines(
    parameter: ir.Parameter, open_enums: set[str], listed: frozenset[str]
) -> list[str]:
    field = parameter.field
    name = parameter_name(field)
    key = py_str(field.wire_name)
    if parameter.style == "json":
        return [f"_query.append(({key}, {_json_text(field)}))"]
    if parameter.style != "form":
        return _joined_lines(parameter, open_enums)
    if isinstance(field.type, ir.NamedType) and field.type.name in listed:
        # A union with a list variant: a list is sent once per item, as a list is.
        return [
            f"if isinstance({name}, list):",
            f"    _query.extend(({key}, param_text(item)) for item in {name})",
            "else:",
            f"    _query.append(({key}, param_text({name})))",
        ]
    if isinstance(field.type, ir.NamedType) and field.type.kind == "model":
        # A model goes as its fields' wire names and JSON values, those set only.
        return [
            f"_query.extend(query_pairs({unstructure_name(field.type.name)}({name})))"
        ]
    if isinstance(field.type, ir.DictType):
        return [f"_query.extend(query_pairs({name}))"]
    if isinstance(field.type, ir.ListType):
        item = text_of(field.type.item, "item", open_enums)
        return [f"_query.extend(({key}, {item}) for item in {name})"]
    return [f"_query.append(({key}, {text_of(field.type, name, open_enums)}))"]


def _header_lines(
    parameter: ir.Parameter, open_enums: set[str], listed: frozenset[str]
) -> list[str]:
    field = parameter.field
    if parameter.style == "json":
        text = _json_text(field, header=True)
    else:
        text = text_of(field.type, parameter_name(field), open_enums)
    return [f"_headers[{py_str(field.wire_name)}] = {text}"]


def prepare(
    method: ir.Method, open_enums: set[str], listed: frozenset[str] = frozenset()
) -> tuple[str, bool, bool]:
    """The statements that build ``_query`` and ``_headers`` (8-space indented), and
    whether each is built; ``listed`` are the unions with a list variant."""
    lines: list[str] = []
    query = method.located("query")
    headers = method.located("header")
    if query:
        lines.append("_query: list[tuple[str, str]] = []")
    if headers:
        lines.append("_headers: dict[str, str] = {}")
    for parameter in method.parameters:
        if parameter.location == "path":
            continue
        build = (_query_lines if parameter.location == "query" else _header_lines)(
            parameter, open_enums, listed
        )
        guard = _guard(parameter.field)
        if guard:
            lines.append(f"if {guard}:")
            lines.extend(f"    {line}" for line in build)
        else:
            lines.extend(build)
    text = "".join(f"        {line}\n" for line in lines)
    return text, bool(query), bool(headers)


def checks(method: ir.Method, patterns: dict[str, str]) -> str:
    """The statements (8-space indented) that check each parameter's constraints before
    anything is sent, with the converter's checks; a broken one raises
    ``errors.InvalidParameterError`` naming the keyword argument."""
    lines: list[str] = []
    for parameter in method.parameters:
        field = parameter.field
        name = parameter_name(field)
        guard = "" if field.required else f"if {name} is not UNSET:"
        calls = constraint_checks(field, name, 16 if guard else 12, patterns)
        if not calls:
            continue
        lines.append("        try:")
        if guard:
            lines.append(f"            {guard}")
        lines.extend(calls)
        lines.append("        except InvalidValueError as exc:")
        lines.append(
            f"            raise errors.InvalidParameterError({py_str(name)}, exc) from None"
        )
    return "".join(f"{line}\n" for line in lines)


def listed_unions(api: ir.Api) -> frozenset[str]:
    """The unions with a list variant (a parameter of one is a value or a list)."""
    return frozenset(
        u.name
        for u in api.unions
        if any(isinstance(v, ir.ListType) for v in u.variants)
    )


def pattern_constants(api: ir.Api) -> dict[str, str]:
    """Each distinct ``pattern`` of a parameter -> the name of its compiled constant."""
    patterns: dict[str, str] = {}
    for group in api.every_group():
        for method in group.methods:
            for parameter in method.parameters:
                pattern = parameter.field.pattern
                if pattern is not None and pattern not in patterns:
                    patterns[pattern] = f"_PARAM_PATTERN_{len(patterns)}"
    return patterns
