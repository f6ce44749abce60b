"""What a YAML file is — a rule set, a case or a shared file — told by its content.

The top-level keys decide, never the file's size, name or folder: each kind has keys that
no other kind has (``services``, ``uses``, ``valid_from`` for a rule set; ``applied_for``,
``application_date`` for a case; ``groups`` for a fact vocabulary; ``steps`` for a
staircase; ``kart`` for a service map, which ``test``, ``evaluate`` and ``diff`` skip). The kind with most of its own keys wins. With none of those, a kind that allows
every key the file has and shares at least two with it, the most specific first (a
parameter file is ``id`` and ``parameters`` only, keys a rule set may have too). A file that
is empty, is not a mapping, matches no kind or two kinds equally is :data:`UNKNOWN`, with
the reason.

>>> file_kind({"id": "x", "applied_for": ["bpa"], "municipality": "Alver"}).kind
'case'
>>> file_kind({"id": "p", "parameters": {}}).kind
'parameters'
>>> file_kind({"kart": {}}).kind
'tjenestekart'
>>> file_kind(["a"]).reason.key
'filekind.not_mapping'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

from tildeling.i18n.diagnostic_messages import Phrase, phrase

RULESET = "ruleset"
CASE = "case"
VOCABULARY = "vocabulary"
STAIRCASE = "staircase"
PARAMETERS = "parameters"
SERVICE_MAP = "tjenestekart"
UNKNOWN = "unknown"
SHARED = frozenset({VOCABULARY, STAIRCASE, PARAMETERS, SERVICE_MAP})
SKIPPED = frozenset({SERVICE_MAP})  # not a case: skipped and counted by test, evaluate and diff

#: The top-level keys of each kind: the fields (by alias) of its model in
#: :mod:`tildeling.files.model`, written out so that telling a file's kind needs no pydantic
#: (cold start). tests/test_coldstart.py checks they are the models' fields.
KEYS: dict[str, frozenset[str]] = {
    RULESET: frozenset({"id", "municipality", "version", "valid_from", "valid_to", "status", "adopted_by",
                        "supersedes", "language", "judged_on", "example", "disclaimer", "sources", "description",
                        "uses", "parameters", "definitions", "services"}),
    CASE: frozenset({"id", "municipality", "former_municipality", "application_date", "decision_date", "description",
                     "applied_for", "facts", "klage", "expect", "expect_by_rule_set", "known_deviation"}),
    VOCABULARY: frozenset({"id", "version", "groups", "facts"}),
    STAIRCASE: frozenset({"id", "name", "categories", "steps"}),
    PARAMETERS: frozenset({"id", "parameters"}),
    SERVICE_MAP: frozenset({"kart", "deler", "former", "historikkverdier"}),
}


def __getattr__(name: str) -> Any:
    # MODELS (the pydantic model of each kind) imports pydantic: only when asked for.
    if name == "MODELS":
        from tildeling.files.model import (CaseFile, ParametersFile, RuleSetFile, ServiceMapFile, StaircaseFile,
                                           VocabularyFile)

        return {RULESET: RuleSetFile, CASE: CaseFile, VOCABULARY: VocabularyFile, STAIRCASE: StaircaseFile,
                PARAMETERS: ParametersFile, SERVICE_MAP: ServiceMapFile}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class FileKind:
    """What a YAML file is (a rule set, a case, a shared file), or why that is unknown."""

    kind: str
    reason: Phrase | None = None  # why it is UNKNOWN

    @property
    def known(self) -> bool:
        return self.kind != UNKNOWN

    def name(self) -> Phrase:
        """«et regelsett», «en sak», … for messages."""
        return Phrase(f"filekind.{self.kind}")


def _keys() -> dict[str, frozenset[str]]:
    return KEYS


@lru_cache(maxsize=None)
def _own_keys() -> dict[str, frozenset[str]]:
    keys = _keys()
    return {k: ks - frozenset().union(*(o for j, o in keys.items() if j != k)) for k, ks in keys.items()}


def file_kind(data: Any) -> FileKind:
    """The kind of a parsed YAML document (its ``data``)."""
    if data is None:
        return FileKind(UNKNOWN, Phrase("filekind.empty"))
    if not isinstance(data, dict):
        return FileKind(UNKNOWN, Phrase("filekind.not_mapping"))
    present = frozenset(str(k) for k in data)
    own = {k: len(present & ks) for k, ks in _own_keys().items()}
    best = _best(own)
    if best is None:
        fits = {k: len(present) / len(ks) for k, ks in _keys().items() if present <= ks and len(present) >= 2}
        best = _best(fits)
    if isinstance(best, tuple):
        a, b = best
        return FileKind(UNKNOWN, phrase("filekind.mixed", a=Phrase(f"filekind.{a}"), b=Phrase(f"filekind.{b}")))
    if best is None:
        return FileKind(UNKNOWN, Phrase("filekind.no_known_keys"))
    return FileKind(best)


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)", re.M)


def kind_of_text(text: str) -> FileKind:
    """The kind of a file that is not valid YAML, told by the keys that start its lines
    (so that a rule author still sees the lines around a syntax error, and a case's lines
    stay hidden).

    >>> kind_of_text("id: x\\nservices:\\n  bpa: {name: [\\n").kind
    'ruleset'
    """
    return file_kind(dict.fromkeys(_TOP_KEY.findall(text)) or None)


def _best(scores: Mapping[str, float]) -> str | tuple[str, str] | None:
    """The kind with the highest positive score; a pair when two tie; None when all are 0."""
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] <= 0:
        return None
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return (ranked[0][0], ranked[1][0])
    return ranked[0][0]


__all__ = ["FileKind", "file_kind", "kind_of_text", "RULESET", "CASE", "VOCABULARY", "STAIRCASE", "PARAMETERS", "SERVICE_MAP",
           "UNKNOWN", "SHARED", "SKIPPED", "MODELS", "KEYS"]
