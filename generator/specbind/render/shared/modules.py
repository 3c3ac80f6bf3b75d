"""Which module of the ``models`` package each named type lives in.

One module per operation group holds the types only that group's operations reach
(its requests, responses, stream events, errors and parameters, and everything those
refer to); ``_shared`` holds the rest: types several groups reach, types no group
reaches, and what those refer to. A spec with fewer than two groups has ``_shared``
alone, since one group reaches nearly everything and a split would save nothing.
A group module imports only from ``_shared``, never from another group's module, so
touching a model loads its group's module and the shared one, and nothing else.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

import attrs

from ... import ir, naming
from .types import PythonTypes, field_default

SHARED = "_shared"


@attrs.frozen
class ModelModule:
    """One module of the ``models`` package and the types it defines, in order."""

    name: str  # ``_shared``, ``_chat``, ``_fine_tuning_jobs``
    group: ir.Group | None  # None: the shared module
    enums: tuple[ir.Enum, ...]
    models: tuple[ir.Model, ...]
    unions: tuple[ir.Union, ...]  # aliases before the aliases that use them

    @property
    def names(self) -> list[str]:
        return [
            *(e.name for e in self.enums),
            *(m.name for m in self.models),
            *(u.name for u in self.unions),
        ]

    def types(self) -> Iterator[ir.TypeExpr]:
        """Every type the module's annotations spell."""
        for model in self.models:
            yield from (f.type for f in model.fields)
        for union in self.unions:
            yield from union.variants


def model_modules(api: ir.Api) -> list[ModelModule]:
    """The shared module first, then one per group that has a type of its own."""
    home = module_of(api)
    ordered = PythonTypes(api).unions_in_order()
    names = [SHARED, *dict.fromkeys(home.values())]
    groups = dict(zip(_module_names(api), api.every_group(), strict=True))
    return [
        ModelModule(
            name=name,
            group=groups.get(name),
            enums=tuple(e for e in api.enums if home[e.name] == name),
            models=tuple(m for m in api.models if home[m.name] == name),
            unions=tuple(u for u in ordered if home[u.name] == name),
        )
        for name in dict.fromkeys(names)
    ]


def module_of(api: ir.Api) -> dict[str, str]:
    """Each enum, model and union name -> the module that defines it."""
    refers = _references(api)
    owners: dict[str, set[str]] = {name: set() for name in refers}
    groups = list(zip(_module_names(api), api.every_group(), strict=True))
    for module, group in groups:
        for name in _closure(refers, _roots(group)):
            owners[name].add(module)
    # What no group reaches is shared, and so is everything it refers to.
    unreached = [name for name, found in owners.items() if not found]
    for name in _closure(refers, unreached):
        owners[name].add(SHARED)
    split = len(groups) >= 2
    return {
        name: next(iter(found)) if split and len(found) == 1 else SHARED
        for name, found in owners.items()
    }


def _module_names(api: ir.Api) -> list[str]:
    """``_<group path>`` per group (``_fine_tuning_jobs``), every_group's order;
    a name already taken (by ``_shared`` or an earlier group) gets a number."""
    taken = {SHARED}
    names = []
    for group in api.every_group():
        base = "_" + "_".join(naming.snake(part) for part in group.path)
        name, number = base, 1
        while name in taken:
            number += 1
            name = f"{base}_{number}"
        taken.add(name)
        names.append(name)
    return names


def _named(types: Iterable[ir.TypeExpr | None]) -> Iterator[str]:
    for type_ in types:
        inner = ir.innermost(type_) if type_ is not None else None
        if isinstance(inner, ir.NamedType):
            yield inner.name


def _references(api: ir.Api) -> dict[str, set[str]]:
    """Each type name -> the type names it refers to directly."""
    refers: dict[str, set[str]] = {e.name: set() for e in api.enums}
    for model in api.models:
        refers[model.name] = set(_named(f.type for f in model.fields))
    for union in api.unions:
        refers[union.name] = set(_named(union.variants))
    return refers


def _roots(group: ir.Group) -> Iterator[str]:
    """The type names a group's own methods name."""
    for method in group.methods:
        if method.request is not None:
            yield method.request.name
        for response in method.responses:
            if response.model is not None:
                yield response.model.name
            yield from _named([response.type])
        if method.stream is not None:
            yield method.stream.event.name
            yield from _named([method.stream.data])
        yield from (model.name for _, model in method.errors)
        yield from _named(p.field.type for p in method.parameters)


def _closure(refers: dict[str, set[str]], roots: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    todo = [name for name in roots if name in refers]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(refers[name] - seen)
    return seen


def imported_names(module: ModelModule, api: ir.Api, known: set[str]) -> list[str]:
    """The types of other modules (of ``known``, every type name) that ``module``
    spells: in annotations, and in defaults (``= Status.DRAFT``)."""
    own = set(module.names)
    used = set(_named(module.types()))
    for model in module.models:
        for field in model.fields:
            used.update(_spelled(field_default(field, api)))
    return sorted((used & known) - own)


def _spelled(default: str) -> set[str]:
    """The names a default's expression reads (``Status.DRAFT``, ``Model(...)``),
    not words inside its string literals."""
    expression = default.removeprefix(" = ")
    if not expression:
        return set()
    tree = ast.parse(expression, mode="eval")
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
