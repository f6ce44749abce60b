"""Where the facts behind a reason come from: given (``oppgitt``), derived from other facts
(``utledet``, with the basis the vocabulary states) or the caseworker's discretionary
assessment (``skjønn``, a given value of a fact the vocabulary marks ``assessed: true``).

A derived fact is not in the case's facts; its value is computed here, for the explanation,
by the same generated code the decision used (:mod:`tildeling.evaluation.codegen`), and shown
among the reason's facts, after the given ones (in the order of their paths). The text of
the reason gains one sentence per basis used, e.g.
«Bor alene ⇒ ingen annen voksen i husstanden (utledet).»
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Literal

from tildeling.evaluation.codegen import compile_expression
from tildeling.evaluation.plan import CompiledRuleSet, CService
from tildeling.i18n.messages import msg
from tildeling.language.expressions import Name
from tildeling.language.logic import UNKNOWN

Source = Literal["oppgitt", "utledet", "skjønn"]
GIVEN: Source = "oppgitt"
DERIVED: Source = "utledet"
ASSESSED: Source = "skjønn"

Env = dict[str, Any]
_NO_NOTES: list[str] = []  # shared, never changed
_PLAIN = frozenset((bool, int, str))  # values shown as they are (as explanation._PLAIN)
# (facts shown, env) -> (facts shown with derived values added, sources, notes for the text)
SourcesFn = Callable[[dict[str, Any], Env], tuple[dict[str, Any], dict[str, Source], list[str]]]


@dataclass(frozen=True, slots=True)
class Sources:
    """How to complete a reason's facts (``fn``); ``all_given_when``: a set of facts whose
    presence in the case means every fact shown is given (then ``fn`` need not run), or
    None when ``fn`` must always run (an assessed fact may be shown)."""

    fn: SourcesFn
    all_given_when: frozenset[str] | None


def sources_function(crs: CompiledRuleSet, service: CService, keys: tuple[str, ...], lang: str,
                     jsonable: Callable[[Any], Any], relied: tuple[str, ...] = ()) -> Sources | None:
    """How to complete the facts ``keys`` of a reason with derived values and their sources;
    ``relied``: further facts the decision went through (conditions tested before it), of
    which the derived and assessed ones are shown too. None when none of them can be derived
    or assessed (then every fact shown is given)."""
    cache_key = ("sources", keys, relied, lang)
    if cache_key in service.explain_cache:
        found: Sources | None = service.explain_cache[cache_key]
        return found
    vocabulary = crs.ruleset.vocabulary
    scope = service.source.scope
    special = []
    shown = keys
    for f in sorted(set(keys) | set(relied)):
        info = vocabulary.facts.get(f)
        symbol = scope.lookup(f)
        if info is None or symbol is None or not (symbol.derived or info.assessed):
            continue
        value = compile_expression(Name(f), scope, name=f"{f}:utledet") if symbol.derived else None
        whens = tuple(compile_expression(w, scope, name=f"{f}:utledet:{i}") for i, (w, _) in enumerate(symbol.derived))
        # The notes are fixed per fact and language: rendered once here, not per case.
        bases = tuple(msg("derived_note", lang, basis=_capital(d.basis.get(lang))) for d in info.derived)
        assessed = msg("assessed_note", lang, label=info.label.get(lang)) if info.assessed else None
        special.append((f, value, whens, bases, assessed))
    result: Sources | None = None
    if special:
        # Nothing to add when every derivable fact is given and none is assessed (checked
        # with one set comparison: this runs for every explained case).
        derivable = frozenset(f for f, value, _, _, assessed in special if assessed is None)
        plain = len(derivable) == len(special)
        all_given = dict.fromkeys(shown, GIVEN)  # shared, read-only (see explanation._decision_builder)

        # The usual case with assessed facts: all of them given, no derivable fact missing.
        # Its notes and sources are the same every time: computed once.
        assessed_all = tuple(f for f, _, _, _, assessed in special if assessed is not None)
        assessed_keys = frozenset(assessed_all) | derivable
        notes_all = [assessed for _, _, _, _, assessed in special if assessed is not None]
        sources_all: dict[str, Source] = dict.fromkeys(shown, GIVEN)
        sources_all.update(dict.fromkeys(assessed_all, ASSESSED))

        def fn(facts: dict[str, Any], env: Env) -> tuple[dict[str, Any], dict[str, Source], list[str]]:
            if plain and env.keys() >= derivable:
                # Nothing added: the facts are some of ``shown``, all of them when as many.
                return facts, all_given if len(facts) == len(all_given) else dict.fromkeys(facts, GIVEN), _NO_NOTES
            if not plain and env.keys() >= assessed_keys:
                for f in assessed_all:
                    if f not in facts:
                        v = env[f]
                        facts[f] = v if type(v) in _PLAIN else jsonable(v)
                if len(facts) == len(sources_all):
                    return facts, sources_all, notes_all
                some: dict[str, Source] = dict.fromkeys(facts, GIVEN)
                some.update(dict.fromkeys(assessed_all, ASSESSED))
                return facts, some, notes_all
            kinds: dict[str, Source] = {}
            notes: list[str] = []
            for f, value, whens, bases, assessed in special:
                if f in env:
                    if assessed is not None:
                        if f not in facts:
                            v = env[f]
                            facts[f] = v if type(v) in _PLAIN else jsonable(v)
                        kinds[f] = ASSESSED
                        notes.append(assessed)
                    continue
                if value is None:
                    continue
                v = value(env)
                if v is UNKNOWN:
                    continue
                facts[f] = jsonable(v)
                kinds[f] = DERIVED
                for when, note in zip(whens, bases):
                    if when(env) is True:
                        if note not in notes:
                            notes.append(note)
                        break
            sources: dict[str, Source] = dict.fromkeys(facts, GIVEN)
            sources.update(kinds)
            return facts, sources, notes

        result = Sources(fn, derivable if plain else None)

    if len(service.explain_cache) < 50_000:
        service.explain_cache[cache_key] = result
    return result


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def with_notes(text: str, notes: list[str]) -> str:
    """The reason text followed by the notes on derived and assessed facts (``notes`` may be
    shared between outcomes: it is never changed)."""
    return text if not notes else " ".join([text, *notes]) if text else " ".join(notes)
