"""The tracer: what the evaluator did, recorded as typed events.

The evaluator calls the tracer only when one is given (``tracer=None`` costs one ``is None``
test per condition). Explanations, ``--explain`` output and the first point of divergence
in a diff are pure functions over these events; nothing is built from log lines.

>>> t = Tracer()
>>> t.test("praktisk_bistand", "pb-ingen-behov", False, {"funksjon.husarbeid": 4})
>>> t.events[0].rule
'pb-ingen-behov'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Event:
    """``kind``: ``test`` (a condition with its value), ``split`` (an unknown condition:
    both ways were tried), ``leaf`` (an outcome reached), ``nomatch``."""

    kind: str
    service: str
    rule: str
    value: Any = None
    facts: tuple[tuple[str, Any], ...] = ()
    depth: int = 0


@dataclass
class Tracer:
    events: list[Event] = field(default_factory=list)
    depth: int = 0

    def test(self, service: str, rule: str, value: Any, facts: dict[str, Any]) -> None:
        self.events.append(Event("test", service, rule, value, tuple(sorted(facts.items())), self.depth))

    def split(self, service: str, rule: str) -> None:
        self.events.append(Event("split", service, rule, None, (), self.depth))

    def leaf(self, service: str, rule: str, outcome: str) -> None:
        self.events.append(Event("leaf", service, rule, outcome, (), self.depth))

    def nomatch(self, service: str) -> None:
        self.events.append(Event("nomatch", service, "", None, (), self.depth))

    def for_service(self, service: str) -> list[Event]:
        return [e for e in self.events if e.service == service]
