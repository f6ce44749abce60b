"""Service histories: the ``historikk`` facts (``tjenester.forsøkt``, ``tjenester.mottar``).

A history is a list whose entries are a service id or a record ``{tjeneste, resultat?, fra?,
til?, besøk_per_uke?, timer_per_uke?}``. At run time it is a :class:`History`: a tuple of the
service ids (so ``"x" i tjenester.forsøkt`` is plain tuple membership, as for a ``liste``)
that also holds the last record of each service. The functions ``resultat``, ``hyppighet``,
``timer`` and ``antall_med_resultat`` (:mod:`tildeling.language.functions`) read it; what a
record does not state is unknown.

>>> h = History.from_entries(["hverdagsrehabilitering",
...                           {"tjeneste": "korttidsopphold", "resultat": "ikke_nok"}])
>>> "korttidsopphold" in h, h == ("hverdagsrehabilitering", "korttidsopphold")
(True, True)
>>> h.entries["korttidsopphold"].resultat
'ikke_nok'
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Iterable

RESULTS = ("virket", "ikke_nok", "pågår", "avslått_av_søker")
NOT_TRIED = "ikke_forsøkt"
RECORD_KEYS = ("tjeneste", "resultat", "fra", "til", "besøk_per_uke", "timer_per_uke")


@dataclass(frozen=True, slots=True)
class Entry:
    """One service in a history; ``None`` where the entry does not say."""

    tjeneste: str
    resultat: str | None = None
    fra: _dt.date | None = None
    til: _dt.date | None = None
    besøk_per_uke: float | None = None
    timer_per_uke: float | None = None


class History(tuple):
    """The service ids of a history, in order, with ``entries``: service id → its last entry."""

    entries: dict[str, Entry]

    def __new__(cls, ids: Iterable[str], entries: dict[str, Entry] | None = None) -> "History":
        self = super().__new__(cls, ids)
        self.entries = entries if entries is not None else {}
        return self

    def __reduce__(self):
        return (History, (tuple(self), self.entries))

    @staticmethod
    def from_entries(items: Iterable[Any]) -> "History":
        """A history from a case's list (strings and records, already checked)."""
        ids: list[str] = []
        entries: dict[str, Entry] = {}
        for item in items:
            if isinstance(item, str):
                entry = Entry(item)
            else:
                entry = Entry(str(item["tjeneste"]), item.get("resultat"), item.get("fra"), item.get("til"),
                              item.get("besøk_per_uke"), item.get("timer_per_uke"))
            ids.append(entry.tjeneste)
            entries[entry.tjeneste] = entry
        return History(ids, entries)
