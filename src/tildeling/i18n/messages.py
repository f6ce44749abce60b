"""Texts tildeling itself writes to users (explanations, letters, the test runner, ``diff``),
in bokmål, nynorsk and English, from the one message catalogue (:mod:`tildeling.i18n.catalogue`).

>>> msg("outcome.innvilget", "nn")
'Innvilga'
>>> msg("missing", "nb", facts="søker.alder")
'Saken kan ikke avgjøres før disse opplysningene er innhentet (fvl § 17): søker.alder.'
>>> msg_n("test.cases", 1, "nb"), msg_n("test.cases", 3, "en")
('1 sak med forventninger', '3 cases with expectations')
"""

from __future__ import annotations

from typing import Any

from tildeling.i18n.catalogue import LANGUAGES
from tildeling.i18n.diagnostic_messages import render, render_n

__all__ = ["LANGUAGES", "msg", "msg_n"]


def msg(key: str, lang: str = "nb", **kwargs: Any) -> str:
    """The text of ``key`` in ``lang`` with ``kwargs`` filled in."""
    return render(key, lang, kwargs)


def msg_n(key: str, n: int, lang: str = "nb", **kwargs: Any) -> str:
    """The plural form of ``key`` for the count ``n`` (``{n}`` in the text), with ``kwargs``."""
    return render_n(key, n, lang, kwargs)
