"""What deciding one service yields, before any text is written: the outcome, the step,
the path of rule ids taken through the tree, the missing facts, score and amount."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tildeling.files.literals import Initiative, Outcome


@dataclass(frozen=True, slots=True)
class Walk:
    """Where a decision tree led: a leaf (with the rule ids taken), or undecided."""

    leaf: Any  # CRule | None
    path: tuple[str, ...]
    undecided: tuple = ()  # CRule, …
    missing: frozenset[str] = frozenset()
    assumed: tuple[str, ...] = ()  # unknown conditions whose both branches agreed

    @property
    def outcome_key(self):
        """What two branches must share to be the same decision: a refusal is a refusal
        whichever rule or step gives it; a grant must agree on step and amount expression."""
        if self.leaf is None:
            return None
        if self.leaf.outcome == "avslag":
            return ("avslag",)
        return (self.leaf.outcome, self.leaf.step, self.leaf.amount, self.leaf.source.form,
                self.leaf.source.waiting_list)


@dataclass(frozen=True, slots=True)
class RawDecision:
    """The decision for one service before it is explained: outcome, step, amount and path."""

    service: str
    outcome: Outcome
    step: int | None
    walk: Walk | None  # None when the rule set does not describe the service
    score: Any
    score_parts: tuple[tuple[str, Any], ...]
    amount: Any
    form: str | None = None  # the form granted (a leaf's ``form:``, else the form applied for)
    applied: Any = None  # AppliedFor, for an application in the long form
    parts: tuple["RawPart", ...] = ()  # the parts applied for, each decided
    initiative: Initiative = "søknad"  # "kommunen": decided on the municipality's own initiative
    # The number of a decision the fast path returns as it is (prebuilt, shared by every case
    # reaching its leaf: evaluation/fastpath.py), by which the explanation finds what it made
    # for it; None for any other. Not part of what the decision is (not compared, not hashed),
    # and not copied by dataclasses.replace (a changed copy is another decision).
    prebuilt: int | None = field(default=None, init=False, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class RawPart:
    """One part applied for: decided by its own list (``own``), or sharing the decision of a
    service tree that refused or could not decide."""

    part: str
    decision: RawDecision
    own: bool
