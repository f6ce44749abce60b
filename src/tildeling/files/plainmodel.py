"""Plain twins of the file models, for the cold path of ``tildeling evaluate`` (issue 9).

Importing pydantic and building the model classes of :mod:`tildeling.files.model` costs
about as much as the whole rest of a ``tildeling evaluate`` of one case. Yet a rule set
read from the cache (:mod:`tildeling.rules.cache`) and a plain case file
(:mod:`tildeling.files.plaincase`) were checked already, or need no check beyond what is done
by hand: what is wanted of their models is the values. Each class here stands for the
model of the same name in :mod:`tildeling.files.model` and holds what pydantic's validation
leaves in it — the field values (``__dict__``), the fields set in the file, the extra keys —
with the same methods the rest of tildeling uses (:meth:`Text.get`,
:attr:`Expectations.services`, ``model_fields_set``, ``model_extra``). Pydantic still checks
every file read (a cache miss, a case that is not plain) and makes the JSON Schemas; objects
of both kinds are read the same way. tests/test_coldstart.py checks that every model has its
twin, and that output is the same either way.
"""

from __future__ import annotations

from typing import Any, Iterator

_NEW = object.__new__
_SET = object.__setattr__


def _rebuild(cls: type, values: dict[str, Any], given: set[str], extra: dict[str, Any] | None) -> Any:
    return build(cls, dict(values), set(given), extra)


def build(cls: type, values: dict[str, Any], given: set[str], extra: dict[str, Any] | None = None) -> Any:
    """An object of the twin ``cls``: ``values`` of its fields (every field, in the model's
    order), ``given`` the fields set in the file, ``extra`` the extra keys (or ``None``)."""
    obj: Any = _NEW(cls)
    _SET(obj, "__dict__", values)
    _SET(obj, "__pydantic_fields_set__", given)
    _SET(obj, "__pydantic_extra__", extra)
    _SET(obj, "__pydantic_private__", None)
    return obj


class PlainModel:
    """The values of a checked model, read-only, as pydantic holds them (see the module)."""

    # The same attributes as pydantic's BaseModel: the cache stores either the same way.
    __slots__ = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __getattr__(self, name: str) -> Any:
        # Only for names not found otherwise: the extra keys, as pydantic gives them.
        if not name.startswith("__"):
            extra = object.__getattribute__(self, "__pydantic_extra__")
            if extra and name in extra:
                return extra[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def model_fields_set(self) -> set[str]:
        return self.__pydantic_fields_set__

    @property
    def model_extra(self) -> dict[str, Any] | None:
        return self.__pydantic_extra__

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Any:
        """A copy, with the fields in ``update`` replaced (as pydantic's ``model_copy``)."""
        import copy

        values = dict(self.__dict__)
        given = set(self.__pydantic_fields_set__)
        if update:
            values.update(update)
            given.update(update)
        extra = None if self.__pydantic_extra__ is None else dict(self.__pydantic_extra__)
        if deep:
            values, extra = copy.deepcopy(values), copy.deepcopy(extra)
        return build(type(self), values, given, extra)

    def model_dump(self) -> dict[str, Any]:
        """The fields and extra keys as plain data, nested models as dicts (as pydantic's
        ``model_dump()`` without options)."""
        out = {k: _dump(v) for k, v in self.__dict__.items() if not k.startswith("_")}
        out.update((k, _dump(v)) for k, v in (self.__pydantic_extra__ or {}).items())
        return out

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        yield from ((k, v) for k, v in self.__dict__.items() if not k.startswith("_"))
        if self.__pydantic_extra__:
            yield from self.__pydantic_extra__.items()

    def __eq__(self, value: object) -> bool:
        # Equal to a twin or to the pydantic model it stands for, holding the same values
        # (as pydantic compares two models).
        other: Any = value
        if type(other).__name__ != type(self).__name__ or not hasattr(other, "__pydantic_fields_set__"):
            return NotImplemented
        if type(other) is not type(self) and type(other).__module__ != "tildeling.files.model":
            return NotImplemented
        return (self.__dict__ == other.__dict__ and self.__pydantic_extra__ == other.__pydantic_extra__
                and self.__pydantic_private__ == other.__pydantic_private__)

    def __hash__(self) -> int:
        values = tuple(self.__dict__.values())  # as pydantic hashes a frozen model
        return hash(values[0] if len(values) == 1 else values)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self)
        return f"{type(self).__name__}({shown})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.__dict__, self.__pydantic_fields_set__, self.__pydantic_extra__))


def _dump(value: Any) -> Any:
    if isinstance(value, PlainModel):
        return value.model_dump()
    if type(value) is dict:
        return {k: _dump(v) for k, v in value.items()}
    if type(value) is list:
        return [_dump(v) for v in value]
    if type(value) is tuple:
        return tuple(_dump(v) for v in value)
    return value


class Text(PlainModel):
    """A text in bokmål and/or nynorsk (see :class:`tildeling.files.model.Text`)."""

    __slots__ = ()

    def get(self, lang: str) -> str:
        order = {"nb": ("nb", "nn", "en"), "nn": ("nn", "nb", "en"), "en": ("en", "nb", "nn")}[lang]
        values = self.__dict__
        for key in order:
            value = values[key]
            if value:
                return value
        return ""


class Expectations(PlainModel):
    """``expect:`` (see :class:`tildeling.files.model.Expectations`)."""

    __slots__ = ()

    @property
    def services(self) -> dict[str, Any]:
        """The expectations per service, in file order."""
        return dict(self.__pydantic_extra__ or {})

    def __bool__(self) -> bool:
        return self.__dict__["klage"] is not None or bool(self.__pydantic_extra__)


# The models with no methods of their own: the values are all there is.
class Derivation(PlainModel): __slots__ = ()  # noqa: E701
class FactDef(PlainModel): __slots__ = ()  # noqa: E701
class GroupDef(PlainModel): __slots__ = ()  # noqa: E701
class VocabularyFile(PlainModel): __slots__ = ()  # noqa: E701
class StaircaseStep(PlainModel): __slots__ = ()  # noqa: E701
class StaircaseCategory(PlainModel): __slots__ = ()  # noqa: E701
class StaircaseFile(PlainModel): __slots__ = ()  # noqa: E701
class DatedValue(PlainModel): __slots__ = ()  # noqa: E701
class ParameterDef(PlainModel): __slots__ = ()  # noqa: E701
class ParametersFile(PlainModel): __slots__ = ()  # noqa: E701
class ServiceMapEntry(PlainModel): __slots__ = ()  # noqa: E701
class ServiceMapNote(PlainModel): __slots__ = ()  # noqa: E701
class ServiceMapFile(PlainModel): __slots__ = ()  # noqa: E701
class Uses(PlainModel): __slots__ = ()  # noqa: E701
class Amount(PlainModel): __slots__ = ()  # noqa: E701
class Branch(PlainModel): __slots__ = ()  # noqa: E701
class Alternative(PlainModel): __slots__ = ()  # noqa: E701
class ScoreComponent(PlainModel): __slots__ = ()  # noqa: E701
class Score(PlainModel): __slots__ = ()  # noqa: E701
class Part(PlainModel): __slots__ = ()  # noqa: E701
class Form(PlainModel): __slots__ = ()  # noqa: E701
class OwnInitiative(PlainModel): __slots__ = ()  # noqa: E701
class Service(PlainModel): __slots__ = ()  # noqa: E701
class RuleSetFile(PlainModel): __slots__ = ()  # noqa: E701
class RuleSetHeader(PlainModel): __slots__ = ()  # noqa: E701
class PartsExpectation(PlainModel): __slots__ = ()  # noqa: E701
class Expectation(PlainModel): __slots__ = ()  # noqa: E701
class AppealExpectation(PlainModel): __slots__ = ()  # noqa: E701
class AppealedDecision(PlainModel): __slots__ = ()  # noqa: E701
class AppealFile(PlainModel): __slots__ = ()  # noqa: E701
class Application(PlainModel): __slots__ = ()  # noqa: E701
class CaseFile(PlainModel): __slots__ = ()  # noqa: E701


#: The twin of each model of :mod:`tildeling.files.model`, by the model's name.
TWINS: dict[str, type[PlainModel]] = {name: cls for name, cls in list(globals().items())
                                      if isinstance(cls, type) and issubclass(cls, PlainModel) and cls is not PlainModel}

__all__ = ["PlainModel", "TWINS", "build", *TWINS]
