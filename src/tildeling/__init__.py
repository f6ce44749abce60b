"""tildeling — a rules engine for the allocation criteria of Norwegian municipal health and
care services: write criteria as versioned YAML, test them, explain each outcome with the law
it rests on, and compare rule sets over a corpus of cases.

The public API is what ``__all__`` lists. Load and compile a rule set, load a case, evaluate:

>>> import tildeling
>>> rules = tildeling.compile_ruleset(tildeling.load_ruleset("rules/drammen/drammen-2020.yaml"))
>>> outcome = tildeling.evaluate(rules, tildeling.load_case("cases/drammen/dr-060.yaml"))
>>> [(d.service, d.outcome, d.step) for d in outcome.decisions]
[('langtidsopphold', 'innvilget', 12), ('heldøgns_bolig', 'avslag', 12)]

or let an :class:`Engine` pick the rule set in force for the case's municipality and date.
Everything a user can get wrong raises a :class:`TildelingError` carrying diagnostics:

>>> try:
...     tildeling.load_case("cases/finnes-ikke.yaml")
... except tildeling.TildelingError as exc:
...     print(exc.diagnostics[0].code)
file-not-found

Importing the package is cheap: the stages are imported when first used.
"""

# typing.TYPE_CHECKING without importing typing, and no ``from __future__ import annotations``
# (the annotations below are quoted instead): ``import tildeling`` imports nothing else.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as _dt
    from pathlib import Path

    from tildeling.core.errors import TildelingError
    from tildeling.engine import Engine
    from tildeling.evaluation.plan import CompiledRuleSet
    from tildeling.files.outcome import CaseOutcome
    from tildeling.rules.cases import Case
    from tildeling.rules.checked import RuleSet

__version__ = "0.1.0"

__all__ = ["Engine", "TildelingError", "__version__", "compile_ruleset", "evaluate", "load_case", "load_ruleset"]


def load_ruleset(path: "str | Path") -> "RuleSet":
    """Load, parse and check one rule-set file; raises :class:`TildelingError`
    (a ``RuleSetError``) listing every problem, each with its position.

    >>> rs = load_ruleset("rules/drammen/drammen-2021.yaml")
    >>> rs.id, rs.version, rs.meta.municipality
    ('drammen', '2021.1', 'Drammen')
    """
    from tildeling.rules.ruleset import load_ruleset as load

    return load(path)


def compile_ruleset(ruleset: "RuleSet") -> "CompiledRuleSet":
    """Compile a checked rule set for evaluation (done once; the result is immutable and
    can judge any number of cases).

    >>> crs = compile_ruleset(load_ruleset("rules/drammen/drammen-2021.yaml"))
    >>> sorted(crs.services)[:3]
    ['avlastning', 'bemannet_bolig', 'boligsosial_bistand']
    """
    from tildeling.evaluation.compiler import compile_ruleset as compile_

    return compile_(ruleset)


def load_case(path: "str | Path") -> "Case":
    """Load one case file (an application: municipality, date, services applied for and
    facts); raises :class:`TildelingError` (a ``CaseError``) with every structural problem.

    >>> case = load_case("cases/drammen/dr-060.yaml")
    >>> case.id, case.municipality, case.application_date.isoformat(), case.applied_for
    ('dr-060', 'Drammen', '2020-02-17', ['langtidsopphold', 'heldøgns_bolig'])
    """
    from tildeling.rules.cases import load_case as load

    return load(path)


def evaluate(ruleset: "CompiledRuleSet", case: "Case", *, as_of: "_dt.date | None" = None,
             lang: str | None = None, explain: bool = False) -> "CaseOutcome":
    """Evaluate one case under a compiled rule set: per service applied for, the outcome,
    step, reasons with their legal basis and the facts used, missing facts and lower-level
    alternatives. ``as_of`` defaults to the application date, ``lang`` (``nb``, ``nn``,
    ``en``) to the rule set's language; ``explain`` records every condition tested in
    ``outcome.trace``. Raises :class:`TildelingError` when the case's facts do not fit the
    rule set's vocabulary.

    >>> crs = compile_ruleset(load_ruleset("rules/drammen/drammen-2020.yaml"))
    >>> outcome = evaluate(crs, load_case("cases/drammen/dr-060.yaml"), lang="en")
    >>> d = outcome.decisions[0]
    >>> d.outcome, d.reasons[0].rule, d.reasons[0].facts
    ('innvilget', 'lt-eneste-forsvarlige', {'vurdering.eneste_forsvarlige_langtidsopphold': True})
    >>> outcome.to_dict()["staircase_step"]
    12
    """
    from tildeling.engine import evaluate_with

    return evaluate_with(ruleset, case, as_of=as_of, lang=lang, explain=explain)


def __getattr__(name: str) -> object:
    # The classes are imported on first use, so that ``import tildeling`` stays cheap.
    if name == "Engine":
        from tildeling.engine import Engine

        return Engine
    if name == "TildelingError":
        from tildeling.core.errors import TildelingError

        return TildelingError
    raise AttributeError(f"module 'tildeling' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
