"""The tracer: what the evaluator did, recorded as typed events.

The evaluator records to a tracer only when one is given (``tracer=None`` costs nothing on
the fast path: a different generated function runs). Recording is cheap — a tuple per
event; the fact values an event used are read from the (unchanged) environment only when
:attr:`Tracer.events` is asked for. Explanations, ``--explain`` output, coverage and the
first point of divergence in a diff are functions over these events, never log lines.

>>> t = Tracer({"funksjon.husarbeid": 4})
>>> t.test("praktisk_bistand", "pb-ingen-behov", False, ("funksjon.husarbeid",))
>>> t.events[0].facts
(('funksjon.husarbeid', 4),)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from typing import Literal

from tildeling.files.literals import Outcome

#: What the tracer records; ``skip`` is shown in the JSON trace as a ``test`` with ``applies`` false.
RecordKind = Literal["test", "split", "leaf", "nomatch", "skip"]


@dataclass(frozen=True, slots=True)
class Event:
    """``kind``: ``test`` (a condition with its value; ``else`` records True), ``split``
    (an unknown condition: both ways were tried), ``leaf`` (an outcome reached), ``nomatch``,
    ``skip`` (the rule's ``applies_when`` is false: «gjelder ikke», its condition not asked)."""

    kind: RecordKind
    service: str
    rule: str
    value: Any = None
    facts: tuple[tuple[str, Any], ...] = ()
    depth: int = 0


class Tracer:
    __slots__ = ("records", "env", "depth")

    def __init__(self, env: dict | None = None):
        self.records: list[tuple] = []  # (kind, service, rule, value, depth, fact keys)
        self.env = env if env is not None else {}
        self.depth = 0

    def test(self, service: str, rule: str, value: Any, deps: tuple[str, ...] = ()) -> None:
        self.records.append(("test", service, rule, value, self.depth, deps))

    def split(self, service: str, rule: str) -> None:
        self.records.append(("split", service, rule, None, self.depth, ()))

    def leaf(self, service: str, rule: str, outcome: Outcome | None) -> None:
        self.records.append(("leaf", service, rule, outcome, self.depth, ()))

    def skip(self, service: str, rule: str, deps: tuple[str, ...] = ()) -> None:
        self.records.append(("skip", service, rule, False, self.depth, deps))

    def nomatch(self, service: str) -> None:
        self.records.append(("nomatch", service, "", None, self.depth, ()))

    @property
    def events(self) -> list[Event]:
        env = self.env
        return [Event(kind, service, rule, value, tuple((k, env[k]) for k in deps if k in env), depth)
                for kind, service, rule, value, depth, deps in self.records]
