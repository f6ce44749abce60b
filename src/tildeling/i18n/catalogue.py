"""The message catalogue: gettext ``.mo`` files compiled from the translators' ``.po`` files.

The sources are ``locale/<lang>/LC_MESSAGES/tildeling.po`` (bokmål ``nb``, nynorsk ``nn``,
English ``en``); message ids are stable keys such as ``validate.summary``. The compiled
``.mo`` files are committed beside them, so the runtime needs only the standard library's
:mod:`gettext` (no Babel) and loads a language on first use. Recompile after editing a
``.po`` file with ``python scripts/compile_messages.py`` (see ``docs/oversetting.md``).

A text missing in a language falls back to bokmål; an unknown language is bokmål.

>>> template("word.or", "nn"), template_n("count.warnings", 2, "en")
('eller', '{n} warnings')
>>> "kind.bool" in CATALOGUE, CATALOGUE["kind.number"]["nn"]
(True, 'tal')
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Mapping

LANGUAGES = ("nb", "nn", "en")
DEFAULT = "nb"
DOMAIN = "tildeling"
LOCALE_DIR = Path(__file__).with_name("locale")


def mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.GNUTranslations:
    """The compiled catalogue of ``lang`` with bokmål behind it (bokmål for unknown languages)."""
    if lang not in LANGUAGES:
        lang = DEFAULT
    with open(mo_path(lang), "rb") as fp:
        t = gettext.GNUTranslations(fp)
    if lang != DEFAULT:
        t.add_fallback(translations(DEFAULT))
    return t


def template(key: str, lang: str = DEFAULT) -> str:
    """The unformatted text of ``key`` in ``lang``; ``KeyError`` if no language has it."""
    text = translations(lang).gettext(key)
    if text == key and key not in CATALOGUE:
        raise KeyError(key)
    return text


def template_n(key: str, n: int, lang: str = DEFAULT) -> str:
    """The plural form of ``key`` that fits the count ``n`` (by the language's Plural-Forms)."""
    text = translations(lang).ngettext(key, key, n)
    if text == key:
        raise KeyError(key)
    return text


class _Catalogue(Mapping[str, dict[str, object]]):
    """Read-only view of every key: ``CATALOGUE[key][lang]`` is the text, or for a key with
    plural forms the tuple of forms. Built on first use (tests and membership checks)."""

    @staticmethod
    @lru_cache(maxsize=None)
    def _data() -> dict[str, dict[str, object]]:
        out: dict[str, dict[str, object]] = {}
        for lang in LANGUAGES:
            with open(mo_path(lang), "rb") as fp:
                raw: dict = getattr(gettext.GNUTranslations(fp), "_catalog")  # msgid → text, (msgid, i) → form i
            forms: dict[str, list[tuple[int, str]]] = {}
            for k, v in raw.items():
                if isinstance(k, tuple):
                    forms.setdefault(k[0], []).append((k[1], v))
                elif k:
                    out.setdefault(k, {})[lang] = v
            for k, fs in forms.items():
                out.setdefault(k, {})[lang] = tuple(v for _, v in sorted(fs))
        return out

    def __getitem__(self, key: str) -> dict[str, object]:
        return self._data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())

    def __contains__(self, key: object) -> bool:
        return key in self._data()


CATALOGUE = _Catalogue()


def is_plural(key: str) -> bool:
    return isinstance(CATALOGUE[key][DEFAULT], tuple)
