"""The one place where names are made: Python attribute names, module-level names, files."""

from __future__ import annotations

import ast
import builtins
import functools
import keyword
import re
from collections.abc import Container
from pathlib import Path

# Names that would shadow something a generated class body or module relies on.
_RESERVED = (
    frozenset(keyword.kwlist)
    | frozenset(keyword.softkwlist)
    | {name for name in dir(builtins) if not name.startswith("_")}
)
# Builtins are only a problem at module level; as attribute names they are fine and
# far more readable (``id``, ``type``, ``object``), so fields only avoid keywords.
_KEYWORDS = frozenset(keyword.kwlist)
# ...except the names the generated annotations themselves spell.
_SHADOWED_IN_ANNOTATIONS = frozenset(
    {
        "self",
        "str",
        "int",
        "float",
        "bool",
        "list",
        "dict",
        "Any",
        "UNSET",
        "UnsetType",
        "attrs",
        "datetime",
    }
)


# Names ruff rejects as ambiguous with 1 and 0 in many fonts (E741, E742, E743).
AMBIGUOUS = frozenset({"l", "I", "O"})


def ambiguous_message(name: str, subject: str = "") -> str:
    """Why an ambiguous name is refused; ``subject`` says what would carry it."""
    return (
        f"{subject or repr(name)} reads as 1 or 0 in many fonts, and Python linters "
        "reject it (E741); choose a longer name"
    )


def python_attribute(wire_name: str) -> str:
    """A Python attribute name for a JSON key: ``top-p`` -> ``top_p``, ``from`` -> ``from_``."""
    name = re.sub(r"\W", "_", wire_name, flags=re.ASCII)
    name = re.sub(r"_+", "_", name) if name.strip("_") else name
    # attrs drops leading underscores from __init__ parameters: `_ref` would become `ref`.
    name = name.lstrip("_")
    if not name or name[0].isdigit():
        name = f"field_{name}"
    if name in _KEYWORDS or name in _SHADOWED_IN_ANNOTATIONS or name in AMBIGUOUS:
        name = f"{name}_"
    return name


def pascal(text: str) -> str:
    """``image_url`` -> ``ImageUrl``; the suffix of inline union names."""
    return "".join(
        part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", text) if part
    )


def group_class(dotted: str) -> str:
    """A group's client class: ``fine_tuning.jobs`` -> ``FineTuningJobs``, and
    ``true`` -> ``True_`` (a group may be called what only a class may not)."""
    name = pascal(dotted)
    return f"{name}_" if keyword.iskeyword(name) else name


def snake(name: str) -> str:
    """``FIMCompletionRequest`` -> ``fim_completion_request``; hook function names."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return name.lower()


def doc_file(name: str) -> str:
    """The docs page of a named type, as Speakeasy names it: ``fimcompletionrequest.md``."""
    return f"{name.lower()}.md"


# Module-level names of the generated modules that a model, union or enum must not take.
_GENERATED_NAMES = frozenset(
    {
        "Any", "AsyncBase", "AsyncClient", "AsyncStream", "Callable", "Client",
        "ErrorParser", "Final", "InvalidValueError", "Literal", "Mapping", "Stream",
        "SyncBase", "Timeout", "TypeAlias", "TypeVar", "UNSET", "UnsetType",
        "attrs", "cattrs", "converter", "describe_error", "enum", "errors", "httpx",
        "loads", "models", "parse_body", "DEFAULT_MAX_RETRIES", "DEFAULT_SERVER_URL",
        "DEFAULT_TIMEOUT", "DEFAULT_MAX_CONNECTIONS", "DEFAULT_MAX_EVENT_SIZE",
        "DEFAULT_MAX_RESPONSE_SIZE", "FileContent", "TYPE_CHECKING", "annotations",
        "builtins", "datetime", "re", "BinaryResponse", "AsyncBinaryResponse",
        "error_body", "form_body", "json_text", "multipart_body", "param_text", "query_pairs",
        "segment", "unexpected_status", "comma_pair", "comma_object_pair",
        "deep_object_pairs", "importlib", "new_instance",
    }
)  # fmt: skip
# The client's constants of each method's typed errors: ``ERRORS_400_422``.
ERROR_MAP_PREFIX = "ERRORS_"
_GENERATED_PREFIXES = ("_", ERROR_MAP_PREFIX)


# The module the generated clients inherit from, copied verbatim into each package.
CLIENT_RUNTIME = Path(__file__).parent / "render" / "client" / "runtime" / "_http.py"
CLIENT_BASES = ("SyncBase", "AsyncBase")


@functools.cache
def client_attributes() -> frozenset[str]:
    """Every attribute of the clients' base classes, read from the runtime's source:
    methods, class attributes and ``self.x =`` assignments. An operation group's
    attribute must not take one of them."""
    tree = ast.parse(CLIENT_RUNTIME.read_text("utf-8"))
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    names: set[str] = set()
    pending = list(CLIENT_BASES)
    while pending:
        cls = classes[pending.pop()]
        pending.extend(
            b.id for b in cls.bases if isinstance(b, ast.Name) and b.id in classes
        )
        for node in ast.walk(cls):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names.add(node.name)
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
            ):
                names.add(node.attr)
        for stmt in cls.body:
            targets = (
                stmt.targets
                if isinstance(stmt, ast.Assign)
                else [stmt.target]
                if isinstance(stmt, ast.AnnAssign)
                else []
            )
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return frozenset(names)


# Keyword arguments every client method takes besides the request's fields.
CALL_OPTIONS = frozenset({"timeout", "max_retries", "extra_headers"})


def is_reserved_type_name(name: str) -> bool:
    """A type name that would shadow a builtin or a name the generated modules use."""
    return (
        name in _RESERVED
        or name in _GENERATED_NAMES
        or name.startswith(_GENERATED_PREFIXES)
    )


# Enum members may not be keywords, `mro`, or _sunder_/__dunder__ names, and in a
# `str` enum they must not shadow a str method (mypy rejects `title = "x"`).
_ENUM_RESERVED = (
    frozenset(keyword.kwlist)
    | frozenset(dir(str))
    | {"mro", "name", "value"}
    | AMBIGUOUS
)


def enum_member(name: str) -> str:
    """A Python member name for a spec enum member name."""
    member = name.lstrip("_") or "VALUE"
    if member[0].isdigit():
        member = f"V{member}"
    return f"{member}_" if member in _ENUM_RESERVED else member


def enum_members(names: list[str]) -> list[str]:
    """Python member names for an enum's spec names, unique after renaming."""
    out: list[str] = []
    for name in names:
        out.append(unique(enum_member(name), out))
    return out


def unique(name: str, taken: Container[str]) -> str:
    """``name``, else the first of ``name_2``, ``name_3``... that is not taken."""
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    return candidate
