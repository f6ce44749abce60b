"""The figures of a comparison, counted as the items arrive, so nothing is held per item.

A corpus diff adds each (case, service) item once, in any order; the summary, the per-service
rows, the outcome and step matrices and the changes by cause are then exactly what sorting and
counting the whole item list would give. The harmonisation report can keep one of these per
legacy municipality, per service or per any other group it shows.

>>> from tildeling.compare.diff import Item, Side
>>> old = Side("a 1", "avslag", 6, None, "", "r1", [])
>>> new = Side("b 1", "innvilget", 6, None, "", "r2", [])
>>> counts = ItemCounts()
>>> counts.add(Item("1", "1.yaml", "pb", "Praktisk bistand", old, new, True, "gain",
...                 {"cause": {"kind": "rule", "rule": "r1", "status": "removed"}}))
>>> counts.kinds["gain"], counts.outcome_matrix()["counts"][2][0]
(1, 1)
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tildeling.compare.diff import Item

OUTCOMES = ("innvilget", "delvis_innvilget", "avslag", "uavklart")
KINDS = ("gain", "loss", "other", "unchanged")
_PLURAL = {"gain": "gains", "loss": "losses", "other": "other"}


class ItemCounts:
    """Counters over items: by kind, per service, outcome and step transitions, and the
    changed items by cause (kind, status, rule)."""

    __slots__ = ("kinds", "services", "_names", "outcomes", "steps", "causes")

    def __init__(self) -> None:
        self.kinds: Counter[str] = Counter({k: 0 for k in KINDS})
        self.services: dict[str, list[int]] = {}  # service → [items, changed, gains, losses, other]
        self._names: dict[str, tuple[tuple, str]] = {}  # service → (first sort key, its name)
        self.outcomes: Counter[tuple[str, str]] = Counter()
        self.steps: Counter[tuple[Any, Any]] = Counter()
        self.causes: Counter[tuple[Any, Any, Any]] = Counter()

    @property
    def items(self) -> int:
        return sum(self.kinds.values())

    @property
    def changed(self) -> int:
        return self.items - self.kinds["unchanged"]

    def add(self, item: "Item") -> None:
        self.kinds[item.kind] += 1
        row = self.services.get(item.service)
        key = item.sort_key()
        if row is None:
            row = self.services[item.service] = [0, 0, 0, 0, 0]
            self._names[item.service] = (key, item.service_name)
        elif key < self._names[item.service][0]:
            # The name shown is the one of the service's first item in report order.
            self._names[item.service] = (key, item.service_name)
        row[0] += 1
        if item.changed:
            row[1] += 1
            row[2 + ("gain", "loss", "other").index(item.kind)] += 1
            cause = (item.cause or {}).get("cause") or {}
            self.causes[(cause.get("kind"), cause.get("status"), cause.get("rule"))] += 1
        self.outcomes[(item.old.outcome, item.new.outcome)] += 1
        self.steps[(item.old.step, item.new.step)] += 1

    def by_service(self) -> list[dict]:
        rows = [{"service": s, "service_name": self._names[s][1], "items": r[0], "changed": r[1], "gains": r[2],
                 "losses": r[3], "other": r[4]} for s, r in self.services.items()]
        return sorted(rows, key=lambda r: (r["service_name"].casefold(), r["service"]))

    def outcome_matrix(self) -> dict:
        return {"labels": list(OUTCOMES),
                "counts": [[self.outcomes.get((a, b), 0) for b in OUTCOMES] for a in OUTCOMES]}

    def step_matrix(self) -> dict:
        steps = {a for a, _ in self.steps} | {b for _, b in self.steps}
        labels = sorted(s for s in steps if s is not None) + ([None] if None in steps else [])
        return {"labels": labels, "counts": [[self.steps.get((a, b), 0) for b in labels] for a in labels]}

    def by_cause(self) -> list[dict]:
        """The changed items per cause, most frequent first (then by kind, status and rule)."""
        rows = [{"kind": k, "status": s, "rule": r, "items": n} for (k, s, r), n in self.causes.items()]
        return sorted(rows, key=lambda r: (-r["items"], str(r["kind"]), str(r["status"]), str(r["rule"])))


__all__ = ["ItemCounts", "OUTCOMES", "KINDS"]
