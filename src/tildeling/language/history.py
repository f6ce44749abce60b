"""Service histories: the ``historikk`` facts (``tjenester.forsøkt``, ``tjenester.mottar``).

A history is a list whose entries are a service id or a record ``{tjeneste, resultat?, fra?,
til?, besøk_per_uke?, timer_per_uke?}``. At run time it is a :class:`History`: a tuple of the
service ids (so ``"x" i tjenester.forsøkt`` is plain tuple membership, as for a ``liste``)
that also holds the last record of each service and the date each service was first given
(the earliest ``fra`` of its records). The functions ``resultat``, ``hyppighet``, ``timer``,
``fra`` and ``antall_med_resultat`` (:mod:`tildeling.language.functions`) read it; what a
record does not state is unknown.

>>> h = History.from_entries(["hverdagsrehabilitering",
...                           {"tjeneste": "korttidsopphold", "resultat": "ikke_nok"}])
>>> "korttidsopphold" in h, h == ("hverdagsrehabilitering", "korttidsopphold")
(True, True)
>>> h.entries["korttidsopphold"].resultat
'ikke_nok'
>>> b = History.from_entries([{"tjeneste": "bpa", "fra": _dt.date(2018, 9, 1)},
...                           {"tjeneste": "bpa", "fra": _dt.date(2023, 10, 1)}])
>>> b.starts["bpa"]
datetime.date(2018, 9, 1)
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
    """The service ids of a history, in order, with ``entries``: service id → its last entry,
    and ``starts``: service id → the earliest start date of its entries (None when an entry
    of the service does not state its start: then the first start is unknown)."""

    entries: dict[str, Entry]
    starts: dict[str, _dt.date | None]

    def __new__(cls, ids: Iterable[str], entries: dict[str, Entry] | None = None,
                starts: dict[str, _dt.date | None] | None = None) -> "History":
        self = super().__new__(cls, ids)
        self.entries = entries if entries is not None else {}
        self.starts = starts if starts is not None else {}
        return self

    def __reduce__(self):
        return (History, (tuple(self), self.entries, self.starts))

    @staticmethod
    def from_entries(items: Iterable[Any]) -> "History":
        """A history from a case's list (strings and records, already checked)."""
        ids: list[str] = []
        entries: dict[str, Entry] = {}
        starts: dict[str, _dt.date | None] = {}
        for item in items:
            if isinstance(item, str):
                entry = Entry(item)
            else:
                entry = Entry(str(item["tjeneste"]), item.get("resultat"), item.get("fra"), item.get("til"),
                              item.get("besøk_per_uke"), item.get("timer_per_uke"))
            ids.append(entry.tjeneste)
            entries[entry.tjeneste] = entry
            # An entry without a start could have begun before any other: the first start
            # is then unknown, whatever the other entries say.
            if entry.fra is None or (entry.tjeneste in starts and starts[entry.tjeneste] is None):
                starts[entry.tjeneste] = None
            else:
                known = starts.get(entry.tjeneste)
                starts[entry.tjeneste] = entry.fra if known is None else min(known, entry.fra)
        return History(ids, entries, starts)
