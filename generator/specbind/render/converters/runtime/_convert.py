"""What every generated ``converters.py`` shares: the strict checks of JSON values, the
error notes cattrs reads, and the converter class that calls the generated hooks.

Copied verbatim into each package. The generated module imports the ``_`` names it
uses; they are private so that no name of a spec's type can collide with them.
"""

from __future__ import annotations

import datetime
import enum
import functools
import importlib
import math
import re
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

__all__ = ["InvalidValueError", "NaiveDatetimeError", "describe_error"]

_T = TypeVar("_T")
_E = TypeVar("_E", bound=enum.Enum)

StructureHook = Callable[[Any, Any], Any]
UnstructureHook = Callable[[Any], Any]

# How deep a payload may nest recursive types (serde_json's limit). The hooks of a
# recursive type count their depth, so input nested deeper fails with its path, never
# with a RecursionError; a reporting path takes about three frames a level.
_MAX_DEPTH = 128


# One call's outcomes of the variants a recursive union tried: (function, id(input
# object)) -> the result, or the _Failure. The input outlives the call, so ids are
# stable.
_Memo = dict[tuple[Callable[..., Any], int], Any]


class _Failure:
    """A remembered exception (a result may be any value, an exception included)."""

    __slots__ = ("exc",)

    def __init__(self, exc: Exception) -> None:
        self.exc = exc


def _remembered(
    func: Callable[[Any, int, _Memo], _T], value: Any, depth: int, memo: _Memo
) -> _T:
    """``func(value, depth, memo)``, run once per ``value`` in a call: a union that
    tries its variants in turn no longer walks a subtree once per enclosing try.

    A dict that appears twice in one input (built in Python; JSON cannot share) gets
    one model object for both places."""
    key = (func, id(value))
    outcome = memo.get(key, memo)  # the memo itself: not seen yet
    if outcome is memo:
        try:
            outcome = func(value, depth, memo)
        except Exception as exc:
            outcome = _Failure(exc)
        memo[key] = outcome
    if type(outcome) is _Failure:
        raise outcome.exc.with_traceback(None)
    result: _T = outcome
    return result


def _closest(tried: list[Exception]) -> Exception:
    """Of the errors of a union's variants, that of the variant with the fewest
    required keys missing (the last one tried on a tie)."""

    def missing(exc: Exception) -> int:
        problems = exc.exceptions if isinstance(exc, BaseValidationError) else (exc,)
        return sum(isinstance(problem, KeyError) for problem in problems)

    return min(reversed(tried), key=missing)


class InvalidValueError(ValueError):
    """A value of the right JSON type that the spec does not allow.

    Out of range, too long or short, not one of a closed enum's values, an unknown tag.
    """


class _Mismatch(Exception):
    """Leaves a hook's fast path for the path that reports every problem."""


class _Expected(str):
    """Names a union in error messages: cattrs reads ``__name__``, which unions lack."""

    @property
    def __name__(self) -> str:
        return str(self)


def describe_error(exc: BaseException) -> list[str]:
    """One ``message @ $.path`` line per problem in a structuring error."""

    def format_exception(exc: BaseException, type_: Any) -> str:
        if isinstance(exc, InvalidValueError):
            return str(exc)
        if isinstance(exc, RecursionError):  # deeper than the JSON decoder goes
            return str(_too_deep())
        return cattrs.v.format_exception(exc, type_)

    return cattrs.transform_error(exc, format_exception=format_exception)


def _wrong(expected: str, value: Any) -> TypeError:
    return TypeError(f"expected {expected}, got {type(value).__name__}")


def _too_deep() -> InvalidValueError:
    return InvalidValueError(f"nested deeper than {_MAX_DEPTH} levels")


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise _wrong("a string", value)


def _int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise _wrong("an integer", value)


def _float(value: Any) -> float:
    if isinstance(value, float):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    raise _wrong("a number", value)


def _bool(value: Any) -> bool:
    if value is True or value is False:
        return value
    raise _wrong("true or false", value)


if TYPE_CHECKING:

    def _new(cls: type[_T]) -> _T: ...

else:
    # An instance with no field set yet: a model hook sets every field itself.
    _new = object.__new__


def _any(value: Any) -> Any:
    return value


def _list_fast(value: Any, item: Callable[[Any], _T]) -> list[_T]:
    """A list for a fast path: the first bad item raises, and the caller reports."""
    if type(value) is not list:
        raise _Mismatch
    return [item(v) for v in value]


def _dict_fast(value: Any, item: Callable[[Any], _T]) -> dict[str, _T]:
    if type(value) is not dict:
        raise _Mismatch
    return {_str(k): item(v) for k, v in value.items()}


def _list_any(value: Any) -> list[Any]:
    """``list[any]``: a copy of a list, with no call per item."""
    if type(value) is list:
        return value.copy()
    return _list(value, _any, object)


def _dict_any(value: Any) -> dict[str, Any]:
    """``dict[str, any]``: a copy, with no call per item, once every key is a
    ``str`` (as every JSON key is); anything else goes the reporting way."""
    if type(value) is dict:
        for key in value:
            if type(key) is not str:
                break
        else:
            return value.copy()
    return _dict(value, _any, object)


def _list(value: Any, item: Callable[[Any], _T], item_type: Any) -> list[_T]:
    """A list for a reporting path: every bad item is reported with its index."""
    if not isinstance(value, list):
        raise _wrong("a list", value)
    result: list[_T] = []
    errors: list[Exception] = []
    for index, v in enumerate(value):
        try:
            result.append(item(v))
        except Exception as exc:
            errors.append(_at_item(exc, index, item_type))
    if errors:
        raise IterableValidationError("While structuring a list", errors, list)
    return result


def _dict(value: Any, item: Callable[[Any], _T], item_type: Any) -> dict[str, _T]:
    if not isinstance(value, dict):
        raise _wrong("an object", value)
    result: dict[str, _T] = {}
    errors: list[Exception] = []
    for key, v in value.items():
        try:
            result[_str(key)] = item(v)
        except Exception as exc:
            errors.append(_at_item(exc, key, item_type))
    if errors:
        raise IterableValidationError("While structuring an object", errors, dict)
    return result


def _check_range(value: float | None, low: float | None, high: float | None) -> None:
    if value is None:
        return
    if low is not None and value < low:
        raise InvalidValueError(f"must be >= {low}, got {value}")
    if high is not None and value > high:
        raise InvalidValueError(f"must be <= {high}, got {value}")


def _check_length(value: Any, minimum: int | None, maximum: int | None) -> None:
    if value is None:
        return
    if minimum is not None and len(value) < minimum:
        raise InvalidValueError(f"length must be >= {minimum}, got {len(value)}")
    if maximum is not None and len(value) > maximum:
        raise InvalidValueError(f"length must be <= {maximum}, got {len(value)}")


def _check_exclusive(
    value: float | None, low: float | None, high: float | None
) -> None:
    if value is None:
        return
    if low is not None and value <= low:
        raise InvalidValueError(f"must be > {low}, got {value}")
    if high is not None and value >= high:
        raise InvalidValueError(f"must be < {high}, got {value}")


def _check_multiple(value: float | None, step: float) -> None:
    """JSON Schema's ``multipleOf``, computed as the ``jsonschema`` package does."""
    if value is None:
        return
    if isinstance(step, float):
        quotient = value / step
        fits = math.isfinite(quotient) and int(quotient) == quotient
    else:
        fits = value % step == 0
    if not fits:
        raise InvalidValueError(f"must be a multiple of {step}, got {value}")


def _check_pattern(value: str | None, pattern: re.Pattern[str]) -> None:
    if value is not None and pattern.search(value) is None:
        raise InvalidValueError(f"must match {pattern.pattern!r}, got {value!r}")


def _check_items(
    value: list[Any] | None, minimum: int | None, maximum: int | None
) -> None:
    if value is None:
        return
    if minimum is not None and len(value) < minimum:
        raise InvalidValueError(f"must have at least {minimum} items, got {len(value)}")
    if maximum is not None and len(value) > maximum:
        raise InvalidValueError(f"must have at most {maximum} items, got {len(value)}")


def _check_const(value: Any, const: Any) -> None:
    # `True == 1 == 1.0`: the type must match too (an int const takes no float).
    if value is not None and (value != const or type(value) is not type(const)):
        raise InvalidValueError(f"must be {const!r}, got {value!r}")


# RFC 3339 section 5.6; the offset is optional here only to say what is missing.
_DATETIME = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d+))?"
    r"(?:(?P<utc>[Zz])|(?P<sign>[+-])(\d\d):(\d\d))?",
    re.ASCII,
)
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)", re.ASCII)
_UUID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}", re.ASCII)
# What a fast path tests a UUID string with, inline: a call fewer than ``_uuid``.
_UUID_MATCH = _UUID.fullmatch


def _datetime(value: Any) -> datetime.datetime:
    """An RFC 3339 date-time with its offset, as a timezone-aware datetime."""
    if not isinstance(value, str):
        raise _wrong("an RFC 3339 date-time string", value)
    match = _DATETIME.fullmatch(value)
    if match is None:
        raise InvalidValueError(f"{value!r} is not an RFC 3339 date-time")
    if match["utc"] is None and match["sign"] is None:
        raise InvalidValueError(
            f"{value!r} has no UTC offset; an RFC 3339 date-time ends in Z or +hh:mm"
        )
    year, month, day, hour, minute, second, fraction = match.groups()[:7]
    try:
        if match["utc"]:
            tz = datetime.timezone.utc
        else:
            hours, minutes = int(match[10]), int(match[11])
            offset = datetime.timedelta(hours=hours, minutes=minutes)
            tz = datetime.timezone(-offset if match["sign"] == "-" else offset)
        return datetime.datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int((fraction or "").ljust(6, "0")[:6]),
            tzinfo=tz,
        )
    except ValueError as exc:  # day 31 of April, hour 24, a leap second, offset 24:00
        raise InvalidValueError(f"{value!r} is not a valid date-time: {exc}") from None


def _date(value: Any) -> datetime.date:
    if not isinstance(value, str):
        raise _wrong("a date string (YYYY-MM-DD)", value)
    match = _DATE.fullmatch(value)
    if match is None:
        raise InvalidValueError(f"{value!r} is not a date (YYYY-MM-DD)")
    try:
        return datetime.date(*map(int, match.groups()))
    except ValueError as exc:
        raise InvalidValueError(f"{value!r} is not a valid date: {exc}") from None


def _uuid(value: Any) -> str:
    """A UUID, kept as the string the server sent (its case included)."""
    if not isinstance(value, str):
        raise _wrong("a UUID string", value)
    if _UUID.fullmatch(value) is None:
        raise InvalidValueError(f"{value!r} is not a UUID")
    return value


def _file(value: Any) -> Any:
    """A file part as given: bytes, a binary file object, or a (name, content, type)."""
    if isinstance(value, tuple):
        ok = (
            len(value) == 3
            and isinstance(value[0], str)
            and _file_like(value[1])
            and isinstance(value[2], (str, type(None)))
        )
    else:
        ok = _file_like(value)
    if ok:
        return value
    raise _wrong("bytes, a binary file or a (filename, content, content_type)", value)


def _file_like(value: Any) -> bool:
    return isinstance(value, bytes) or callable(getattr(value, "read", None))


class NaiveDatetimeError(ValueError):
    """A datetime to send has no timezone: RFC 3339 needs an offset."""


def _datetime_out(value: datetime.datetime, where: str = "") -> str:
    """RFC 3339, ``Z`` for UTC; a naive datetime is refused, never sent as it is."""
    if not isinstance(value, datetime.datetime):
        raise TypeError(
            f"{where}: expected a datetime.datetime, got {type(value).__name__}"
        )
    offset = value.utcoffset()
    if offset is None:
        raise NaiveDatetimeError(
            f"{where}: {value.isoformat()} is a naive datetime; give it a timezone, "
            "e.g. datetime.datetime.now(datetime.timezone.utc)"
        )
    if offset.total_seconds() % 60:
        raise NaiveDatetimeError(
            f"{where}: the UTC offset {offset} is not whole minutes, "
            "which RFC 3339 cannot write"
        )
    text = value.isoformat()
    return text[:-6] + "Z" if not offset else text


def _date_out(value: datetime.date, where: str = "") -> str:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise TypeError(
            f"{where}: expected a datetime.date, got {type(value).__name__}"
        )
    return value.isoformat()


def _members(enum_type: type[_E]) -> dict[Any, _E]:
    return {member.value: member for member in enum_type}


def _add_note(exc: Exception, note: str) -> Exception:
    # Exception.add_note is 3.11+; cattrs reads __notes__ on every version.
    setattr(exc, "__notes__", [*getattr(exc, "__notes__", []), note])  # noqa: B010
    return exc


def _at_item(exc: Exception, index: int | str, type_: Any) -> Exception:
    note = IterableValidationNote(f"Structuring item @ {index!r}", index, type_)
    return _add_note(exc, note)


def _at(exc: Exception, name: str, type_: Any) -> Exception:
    note = AttributeValidationNote(f"Structuring field @ {name}", name, type_)
    return _add_note(exc, note)


def _invalid(name: str, errors: list[Exception], cl: type) -> ClassValidationError:
    return ClassValidationError(f"While structuring {name}", errors, cl)


def _extra_keys(cl: type, keys: set[str]) -> ForbiddenExtraKeysError:
    return ForbiddenExtraKeysError(None, cl, keys)


def _enum_value(value: enum.Enum) -> Any:
    return value.value


_PRIMITIVES: dict[type, Callable[[Any], Any]] = {
    str: _str,
    int: _int,
    float: _float,
    bool: _bool,
    datetime.datetime: _datetime,
    datetime.date: _date,
}


class _Hooks(NamedTuple):
    """One module's generated hooks: ``Type: (structure, unstructure)``."""

    enums: Mapping[Any, tuple[StructureHook, UnstructureHook | None]]
    unions: Mapping[Any, tuple[StructureHook, UnstructureHook | None]]
    models: Mapping[Any, tuple[StructureHook, UnstructureHook]]


class _Converter(cattrs.Converter):
    """A cattrs ``Converter`` that calls a model's generated hook without dispatching.

    The shortcut holds while the generated hooks are the registered ones: registering
    any hook turns it off, and from then on cattrs decides everything.

    A module's hooks are registered when cattrs first dispatches on one of its types
    (:meth:`add_lazy_hooks`), as though they had been registered first: a hook
    registered for a type before then is kept.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._to_json: dict[Any, UnstructureHook] = {}
        self._from_json: dict[Any, Callable[[Any], Any]] = {}
        self._shortcuts = True  # until any hook is registered from outside
        self._adding = True  # registering the generated hooks, not a caller's
        # The types a caller registered hooks for: (structure, unstructure).
        self._registered: tuple[set[Any], set[Any]] = (set(), set())
        self._union_hooks: tuple[dict[Any, Any], dict[Any, Any]] = ({}, {})
        self._pending: dict[str, str] = {}  # models module -> its hooks' module
        self._shared = ""  # the hooks every other module's hooks call
        # Held while a module's hooks load: another thread's first use of the same
        # group waits for them instead of dispatching to cattrs' defaults.
        self._lock = threading.RLock()
        super().__init__(*args, **kwargs)
        for primitive, check in _PRIMITIVES.items():
            self.register_structure_hook(primitive, _ignore_type(check))
        self.register_unstructure_hook(datetime.datetime, _datetime_out)
        self.register_unstructure_hook(datetime.date, _date_out)
        # The generated unions: one factory each way, behind any registered later.
        from_json, to_json = self._union_hooks
        self.register_structure_hook_factory(from_json.__contains__, from_json.get)
        self.register_unstructure_hook_factory(to_json.__contains__, to_json.get)
        self._adding = False
        for dispatch in (self._structure_func, self._unstructure_func):
            cached = functools.lru_cache(maxsize=None)
            loading = cached(self._loading(dispatch.dispatch_without_caching))
            dispatch.dispatch = loading

    def _loading(self, dispatch: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """``dispatch`` that first registers the hooks of the type's module."""

        def load_then_dispatch(typ: Any) -> Any:
            if self._pending:
                with self._lock:
                    self._load_for(typ)
            return dispatch(typ)

        return load_then_dispatch

    def add_lazy_hooks(self, package: str, modules: Sequence[str]) -> None:
        """Register each of ``modules`` of ``package`` (the shared one first) when
        cattrs first dispatches on a type of the models module of the same name
        (``<package's parent>.models.<module>``), or on one of its union aliases."""
        models = package.rpartition(".")[0] + ".models"
        self._pending.update({f"{models}.{m}": f"{package}.{m}" for m in modules})
        self._shared = f"{package}.{modules[0]}"

    def _load_for(self, typ: Any) -> None:
        if isinstance(typ, type):  # a caller's subclass loads its generated base's
            module = next(
                (
                    self._pending[base.__module__]
                    for base in typ.__mro__
                    if getattr(base, "__module__", "") in self._pending
                ),
                None,
            )
        elif typ in self._union_hooks[0] or typ in self._union_hooks[1]:
            module = None
        else:  # a union alias is a value of its models module
            module = self._alias_module(typ)
        if module is not None:
            self._load(module)

    def _alias_module(self, typ: Any) -> str | None:
        """The hooks' module of a pending group with the alias ``typ``: the group
        that defines this very object first, else one with an equal alias."""
        loaded = [
            (hooks, models)
            for name, hooks in self._pending.items()
            if (models := sys.modules.get(name)) is not None
        ]
        for same in (lambda a, b: a is b, lambda a, b: a == b):
            for hooks, models in loaded:
                if any(same(typ, getattr(models, n)) for n in models.__all__):
                    return hooks
        return None

    def _load(self, module: str) -> None:
        if module not in self._pending.values():  # another thread loaded it
            return
        if module != self._shared and self._shared in self._pending.values():
            self._load(self._shared)
        hooks: _Hooks = importlib.import_module(module)._HOOKS
        self.add_hooks(enums=hooks.enums, unions=hooks.unions, models=hooks.models)
        self._pending = {k: v for k, v in self._pending.items() if v != module}

    def add_hooks(
        self,
        *,
        enums: Mapping[Any, tuple[StructureHook, UnstructureHook | None]],
        unions: Mapping[Any, tuple[StructureHook, UnstructureHook | None]],
        models: Mapping[Any, tuple[StructureHook, UnstructureHook]],
    ) -> None:
        """Register the generated hooks: a closed enum without an unstructure hook is
        written as its value, a union without one is already JSON. A type a caller
        registered a hook for keeps it."""
        mine_in, mine_out = self._registered
        self._adding = True
        try:
            for cl, (structure, unstructure) in enums.items():
                if cl not in mine_in:
                    self.register_structure_hook(cl, structure)
                if cl not in mine_out:
                    self.register_unstructure_hook(cl, unstructure or _enum_value)
            for cl, (structure, unstructure) in models.items():
                if cl not in mine_in:
                    self.register_structure_hook(cl, structure)
                if cl not in mine_out:
                    self.register_unstructure_hook(cl, unstructure)
        finally:
            self._adding = False
        from_json, to_json = self._union_hooks
        for union, (structure, unstructure) in unions.items():
            if union not in mine_in:
                from_json[union] = structure
            if unstructure is not None and union not in mine_out:
                to_json[union] = unstructure
        self._structure_func.clear_cache()
        self._unstructure_func.clear_cache()
        if self._shortcuts:
            self._from_json.update({cl: hooks[0] for cl, hooks in models.items()})
            self._to_json.update({cl: hooks[1] for cl, hooks in models.items()})

    def unstructure(self, obj: Any, unstructure_as: Any = None) -> Any:
        if unstructure_as is None:
            hook = self._to_json.get(obj.__class__)
            if hook is not None:
                return hook(obj)
        return super().unstructure(obj, unstructure_as)

    def structure(self, obj: Any, cl: type[_T]) -> _T:
        hook = self._from_json.get(cl)
        if hook is None:
            return super().structure(obj, cl)
        result: _T = hook(obj)
        return result

    def _caller_registers(self, target: Any, direction: int) -> None:
        """A hook registered from outside (``direction`` 0 structures, 1
        unstructures): no more shortcuts, and the generated hook of the type
        ``target`` that way is not registered over it later, nor kept ahead of it.

        A decorated function is no type: cattrs reads its annotations and calls
        the register method again with the type."""
        if self._adding:
            return
        self._shortcuts = False
        self._from_json.clear()
        self._to_json.clear()
        if target is None or (callable(target) and not isinstance(target, type)):
            return
        self._registered[direction].add(target)
        if self._union_hooks[direction].pop(target, None) is not None:
            self._structure_func.clear_cache()
            self._unstructure_func.clear_cache()

    if not TYPE_CHECKING:  # cattrs' own signatures (and overloads) are the typed ones

        def copy(self, *args, **kwargs):
            res = super().copy(*args, **kwargs)
            res._pending = dict(self._pending)
            res._shared = self._shared
            res._registered = (set(self._registered[0]), set(self._registered[1]))
            for mine, original, dispatch in zip(
                res._union_hooks,
                self._union_hooks,
                (res._structure_func, res._unstructure_func),
                strict=True,
            ):
                mine.update(original)
                # cattrs copied the original's factory, bound to its dicts: the
                # copy's own (registered first) serves its unions.
                pairs = dispatch._function_dispatch._handler_pairs
                pairs[:] = [
                    p for p in pairs if getattr(p[0], "__self__", None) is not original
                ]
                dispatch.clear_cache()
            res._shortcuts = False  # as a copy always was: cattrs dispatches
            return res

        def register_unstructure_hook(self, cls=None, *args, **kwargs):
            self._caller_registers(cls, 1)
            return super().register_unstructure_hook(cls, *args, **kwargs)

        def register_unstructure_hook_func(self, *args, **kwargs):
            self._caller_registers(None, 1)
            return super().register_unstructure_hook_func(*args, **kwargs)

        def register_unstructure_hook_factory(self, *args, **kwargs):
            self._caller_registers(None, 1)
            return super().register_unstructure_hook_factory(*args, **kwargs)

        def register_structure_hook(self, cl, *args, **kwargs):
            self._caller_registers(cl, 0)
            return super().register_structure_hook(cl, *args, **kwargs)

        def register_structure_hook_func(self, *args, **kwargs):
            self._caller_registers(None, 0)
            return super().register_structure_hook_func(*args, **kwargs)

        def register_structure_hook_factory(self, *args, **kwargs):
            self._caller_registers(None, 0)
            return super().register_structure_hook_factory(*args, **kwargs)


def _ignore_type(check: Callable[[Any], _T]) -> Callable[[Any, Any], _T]:
    """A cattrs hook (``value, type``) of a one-argument check."""
    return lambda value, _: check(value)
