"""Rendering texts from the message catalogue in bokmål, nynorsk and English.

The texts themselves live in gettext files (:mod:`tildeling.i18n.catalogue`,
``locale/<lang>/LC_MESSAGES/tildeling.po``); this module fills in their ``str.format``
placeholders. Every problem message and hint is a catalogue key; the place that finds a
problem records the key and its arguments, and the text is rendered when it is shown
(:meth:`tildeling.core.diagnostics.Diagnostic.text`). The bokmål text is also kept on the
diagnostic as ``message`` for tests and JSON consumers.

Arguments may themselves be translatable: a :class:`Phrase` (a key with arguments, and a
count for keys with plural forms), a :class:`~tildeling.language.types.Kind` (rendered as
``kind.<value>``) or an :class:`Either` list ("a, b eller c"). A placeholder written
``{what!u}`` starts with a capital letter. Keys with plural forms are rendered with
:func:`render_n`, which also fills in ``{n}``.

>>> render("hint.did_you_mean", "nn", {"name": "legal_basis"})
'meinte du «legal_basis»?'
>>> from tildeling.language.types import Kind
>>> render("types.must_be", "en", {"what": Phrase("types.operand_of", (("op", "not"),)),
...        "wanted": Either((Kind.BOOL,)), "actual": Kind.NUMBER})
'The operand of «not» must be yes/no, but is number.'
>>> render_n("count.files_checked", 1), render_n("count.files_checked", 2, "nn")
('1 fil sjekket', '2 filer sjekka')
>>> keyed("cli.unknown_rule_set", id="x"), localize(keyed("cli.unknown_rule_set", id="x"), "en")
('Ukjent regelsett «x».', 'Unknown rule set «x».')
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from tildeling.i18n.catalogue import CATALOGUE, LANGUAGES, template, template_n

__all__ = ["CATALOGUE", "LANGUAGES", "Either", "Joined", "KeyedStr", "KeyedValueError", "Phrase", "keyed",
           "localize", "phrase", "phrase_n", "placeholders", "render", "render_n"]


@dataclass(frozen=True, slots=True)
class Phrase:
    """A catalogue key with its arguments (and count ``n`` for a key with plural forms),
    rendered in whatever language is asked for."""

    key: str
    args: tuple[tuple[str, Any], ...] = ()
    n: int | None = None

    def text(self, lang: str = "nb") -> str:
        if self.n is not None:
            return render_n(self.key, self.n, lang, self.args)
        return render(self.key, lang, self.args)


def phrase(key: str, **args: Any) -> Phrase:
    return Phrase(key, tuple(args.items()))


def phrase_n(key: str, n: int, **args: Any) -> Phrase:
    """A phrase whose plural form follows the count ``n`` (``{n}`` in the text)."""
    return Phrase(key, tuple(args.items()), n)


@dataclass(frozen=True, slots=True)
class Either:
    """Alternatives joined with the language's «or»: ``list`` style gives "a, b eller c",
    ``chain`` style "a eller b eller c". Items may be plain strings, phrases or kinds."""

    items: tuple[Any, ...]
    style: str = "list"


@dataclass(frozen=True, slots=True)
class Joined:
    """Items joined with a fixed separator (no translation of the separator)."""

    items: tuple[Any, ...]
    sep: str = "; "


class KeyedValueError(ValueError):
    """A ``ValueError`` raised in a pydantic validator that knows its catalogue key.

    ``str(e)`` is the bokmål text, so pydantic's own message stays readable."""

    def __init__(self, key: str, **args: Any):
        self.key = key
        self.args_ = tuple(args.items())
        super().__init__(render(key, "nb", self.args_))


class KeyedStr(str):
    """A bokmål text that remembers its catalogue key, so that it can be shown in another
    language later (:func:`localize`). It *is* a ``str``: exception messages and JSON stay
    plain strings."""

    phrase: Phrase

    def __new__(cls, p: Phrase) -> "KeyedStr":
        self = super().__new__(cls, p.text("nb"))
        self.phrase = p
        return self


def keyed(key: str, /, **args: Any) -> KeyedStr:
    """The bokmål text of ``key``, keeping the key: for messages made before the language is
    known, such as an exception's ``message``. (For a count, ``KeyedStr(phrase_n(…))``.)"""
    return KeyedStr(Phrase(key, tuple(args.items())))


def localize(value: Any, lang: str = "nb") -> str:
    """A text in ``lang``: a :class:`KeyedStr` or :class:`Phrase` is rendered again, anything
    else is shown as it is."""
    p = value.phrase if isinstance(value, KeyedStr) else value
    if isinstance(p, Phrase):
        return p.text(lang)
    return str(value)


# --- rendering ---------------------------------------------------------------------------------

class _Formatter(string.Formatter):
    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "u":
            text = str(value)
            return text[:1].upper() + text[1:]
        return super().convert_field(value, conversion)


_FORMATTER = _Formatter()


def _value(value: Any, lang: str) -> Any:
    if isinstance(value, Phrase):
        return value.text(lang)
    if isinstance(value, KeyedStr):
        return value.phrase.text(lang)
    key = getattr(value, "catalogue_key", None)  # e.g. a type Kind: rendered as its own entry
    if isinstance(key, str):
        return render(key, lang, ())
    if isinstance(value, Either):
        items = [_item(v, lang) for v in value.items]
        if len(items) <= 1:
            return "".join(items)
        word = render("word.or", lang, ())
        if value.style == "chain":
            return f" {word} ".join(items)
        return ", ".join(items[:-1]) + f" {word} " + items[-1]
    if isinstance(value, Joined):
        return value.sep.join(_item(v, lang) for v in value.items)
    return value


def _item(value: Any, lang: str) -> str:
    return str(_value(value, lang))


def _fill(text: str, lang: str, args: Mapping[str, Any] | Iterable[tuple[str, Any]], **extra: Any) -> str:
    pairs = args.items() if isinstance(args, Mapping) else args
    values = {k: _value(v, lang) for k, v in pairs}
    values.update(extra)
    return _FORMATTER.format(text, **values)


def render(key: str, lang: str = "nb", args: Mapping[str, Any] | Iterable[tuple[str, Any]] = ()) -> str:
    """The text of ``key`` in ``lang`` (falling back to bokmål) with ``args`` filled in."""
    return _fill(template(key, lang), lang, args)


def render_n(key: str, n: int, lang: str = "nb", args: Mapping[str, Any] | Iterable[tuple[str, Any]] = ()) -> str:
    """The plural form of ``key`` for the count ``n`` in ``lang``, with ``{n}`` and ``args`` filled in."""
    return _fill(template_n(key, n, lang), lang, args, n=n)


def placeholders(template: str) -> set[str]:
    """The placeholder names of a template (conversions and format specs left out)."""
    return {name.split(".")[0].split("[")[0]
            for _, name, _, _ in _FORMATTER.parse(template) if name is not None}
