"""A municipal merger as the rule sets describe it, and the former municipality of a case.

A *merger* is named by its harmonised rule set (its id, or its municipality): the versions of
that set, and the *legacy* rule sets — the union of ``supersedes:`` over those versions, in the
order they are named there. The *legacy municipalities* are the ``municipality:`` of the legacy
sets (Drammen: Drammen, Nedre Eiker, Svelvik; Alver: Meland, Radøy, Lindås).

The former municipality of a case (:meth:`Merger.former_municipality`), the rules of
docs/harmonisering.md:

1. the case gives ``former_municipality`` → it must be one of the legacy municipalities
   (spelling and case do not matter), else the case is not covered
   (``former-municipality-unknown``, with «mente du …?»);
2. else ``municipality`` names a legacy municipality other than the merged one («Svelvik»,
   any date), or names the merged one and the case is dated before the harmonised set's first
   ``valid_from`` → that legacy municipality (a legacy municipality of the same name, as
   «Drammen» before 2020);
3. else not covered: ``former-municipality-missing`` («Drammen» dated 2022 without
   ``former_municipality``: which of the three it was is not known, and never guessed), or
   ``municipality-not-in-merger`` for a municipality outside the merger.

>>> from tildeling.rules.resolve import catalog
>>> from pathlib import Path
>>> m = find_merger(catalog(Path("rules")), "drammen")
>>> m.municipalities
('Drammen', 'Nedre Eiker', 'Svelvik')
>>> m.former_municipality("Svelvik", None, _dt.date(2021, 3, 1)).municipality
'Svelvik'
>>> m.former_municipality("Drammen", None, _dt.date(2022, 3, 1)).code
'former-municipality-missing'
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Sequence

from tildeling.core.diagnostics import suggest
from tildeling.rules.resolve import CatalogEntry

FORMER_UNKNOWN = "former-municipality-unknown"
FORMER_MISSING = "former-municipality-missing"
NOT_IN_MERGER = "municipality-not-in-merger"


def norm(name: str) -> str:
    """A municipality name as compared: case and spacing do not matter («nedre  EIKER»)."""
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class Former:
    """Where a case belongs in a merger: its legacy municipality, or why it is not covered
    (``code``, and a suggestion for a misspelt ``former_municipality``)."""

    municipality: str | None
    code: str | None = None
    suggestion: str | None = None

    @property
    def covered(self) -> bool:
        return self.municipality is not None


@dataclass(frozen=True)
class Merger:
    """The harmonised rule set's versions and the legacy rule sets it supersedes."""

    municipality: str  # the merged municipality («Drammen»)
    harmonised: tuple[CatalogEntry, ...]  # its versions, oldest first
    legacy: tuple[CatalogEntry, ...]  # every version of each superseded id, in supersedes order

    @property
    def harmonised_id(self) -> str:
        return self.harmonised[0].id

    @property
    def starts(self) -> _dt.date:
        """The first ``valid_from`` of the harmonised set: the merger's date."""
        return self.harmonised[0].valid_from

    @property
    def municipalities(self) -> tuple[str, ...]:
        """The legacy municipalities, in the order of ``supersedes`` (each once)."""
        out: list[str] = []
        for e in self.legacy:
            if norm(e.municipality) not in {norm(m) for m in out}:
                out.append(e.municipality)
        return tuple(out)

    def former_municipality(self, municipality: str, former: str | None, on: _dt.date) -> Former:
        """The legacy municipality a case of ``municipality`` (with ``former_municipality``
        ``former``, dated ``on``) belongs to, by the rules of the module docstring."""
        known = {norm(m): m for m in self.municipalities}
        place = norm(municipality)
        merged = norm(self.municipality)
        if place != merged and place not in known:
            return Former(None, NOT_IN_MERGER)
        if former is not None:  # rule 1
            hit = known.get(norm(former))
            if hit is not None:
                return Former(hit)
            found = suggest(norm(former), known)
            return Former(None, FORMER_UNKNOWN, known[found[0]] if found else None)
        if place != merged:  # rule 2: a legacy municipality named, any date
            return Former(known[place])
        if on < self.starts and place in known:  # rule 2: the merged name, before the merger
            return Former(known[place])
        return Former(None, FORMER_MISSING)  # rule 3

    def legacy_entry(self, municipality: str, on: _dt.date) -> CatalogEntry:
        """The legacy rule set of ``municipality`` in force ``on``, else the nearest in time."""
        return nearest([e for e in self.legacy if norm(e.municipality) == norm(municipality)], on)

    def harmonised_entry(self, on: _dt.date) -> CatalogEntry:
        """The version of the harmonised set in force ``on``, else the nearest in time."""
        return nearest(list(self.harmonised), on)

    def legacy_entries(self) -> tuple[CatalogEntry, ...]:
        return self.legacy


def nearest(entries: Sequence[CatalogEntry], on: _dt.date) -> CatalogEntry:
    """The entry in force ``on`` (the latest starting, if several), else the one nearest in time."""
    in_force = [e for e in entries if e.in_force(on)]
    if in_force:
        return max(in_force, key=lambda e: (e.valid_from, e.id))
    return min(entries, key=lambda e: (distance(e, on), e.valid_from, e.id))


def distance(e: CatalogEntry, on: _dt.date) -> int:
    """Days from ``on`` to the entry's validity window (0 inside it)."""
    if on < e.valid_from:
        return (e.valid_from - on).days
    if e.valid_to is not None and on > e.valid_to:
        return (on - e.valid_to).days
    return 0


def window_date(valid_from: _dt.date, valid_to: _dt.date | None, on: _dt.date) -> _dt.date | None:
    """The date inside ``[valid_from, valid_to]`` nearest to ``on``; ``None`` when ``on`` is inside."""
    if on < valid_from:
        return valid_from
    if valid_to is not None and on > valid_to:
        return valid_to
    return None


def find_merger(entries: Sequence[CatalogEntry], name: str) -> Merger | None:
    """The merger named ``name``: a harmonised rule set's id or its municipality (any case).
    ``None`` when no rule set of that id or municipality supersedes others."""
    target = norm(name)
    matching = [e for e in entries if e.supersedes and (norm(e.id) == target or norm(e.municipality) == target)]
    if not matching:
        return None
    newest = max(matching, key=lambda e: (e.valid_from, e.id))
    versions = tuple(sorted((e for e in entries if e.id == newest.id), key=lambda e: e.valid_from))
    order: list[str] = []
    for v in versions:
        for sid in v.supersedes:
            if sid not in order and sid != newest.id:
                order.append(sid)
    legacy = tuple(e for sid in order for e in sorted((e for e in entries if e.id == sid), key=lambda e: e.valid_from))
    return Merger(newest.municipality, versions, legacy)


def mergers(entries: Sequence[CatalogEntry]) -> list[str]:
    """The ids of the rule sets that supersede others (the mergers one can name)."""
    return sorted({e.id for e in entries if e.supersedes})


__all__ = ["Former", "Merger", "find_merger", "mergers", "nearest", "distance", "window_date", "norm",
           "FORMER_UNKNOWN", "FORMER_MISSING", "NOT_IN_MERGER"]
