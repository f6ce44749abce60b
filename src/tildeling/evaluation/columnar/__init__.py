"""The columnar evaluator: a whole population decided at once from the compiled plan.

    from tildeling.evaluation.columnar import Population, evaluate, population_columns
    pop = population_columns(crs, Population(envs, ("praktisk_bistand",)))
    result = evaluate(crs, pop)          # ColumnarResult
    result.records()                      # per row: (service, outcome, step, amount, leaf id, initiative)

Input: fact environments (``walker.environment``: a case's runtime facts plus the
parameters in force; a missing key is an unknown fact) and, per row, the services applied
for. Output: per row and decision the outcome, step, amount and the id of the leaf reached,
exactly as the per-case evaluator (:func:`tildeling.evaluation.walker.decide`, or
:func:`tildeling.evaluation.parts.decide_applications` where the engine uses it) gives
them. numpy is imported only when a population is evaluated.

**Columnar** (numpy, one operation per expression node over every row; :mod:`.vector`):
facts of every type, definitions (computed once per group of rows), facts with
``derived:``, Kleene ``og``/``eller``/``ikke``, comparisons with the IPLOS-9 rule,
arithmetic, ``i``, ``hvis``, ``kjent``/``mangler``, ``snitt``/``min``/``max``/``sum``/
``antall``/``noen``/``alle``; first-hit decision lists and nested lists (``numpy.select``);
amounts; scores (``poengsum``); ``søknad.tjenester``; and the decisions the municipality
makes of its own initiative (its condition over ``vedtak.*`` and the service's tree).
The history functions, ``alder`` and ``dager_mellom`` are evaluated row by row with the
per-case implementation (exact, at Python speed).

**Delegated** to the per-case evaluator, row by row (:func:`.plan.decide_case`):

- a row where a condition met before the first true one is unknown (an unknown fact
  reaching a decision point: the per-case evaluator tries both ways, settles completions,
  uses bounds and ``en_av`` partial facts), a leaf whose amount is unknown, a leaf that
  leaves the case ``uavklart``, no rule holding;
- a row whose own-initiative condition is unknown, or whose own-initiative service is
  delegated by the above;
- the long form of ``applied_for`` (parts, forms, amounts applied for), and a short
  application for a service whose parts a short application implies (``implied_when``);
- a service the rule set does not describe; a value that does not fit its column (a
  number beyond 2**53, a value of the wrong type).

Appeals (``klage``) are not decisions on an application and are not part of the result;
explanations are built by :mod:`tildeling.explain` from per-case decisions, for the cases
a report shows. For plain applications whose facts are known, nothing is delegated.
"""

from tildeling.evaluation.columnar.columns import Col, Population
from tildeling.evaluation.columnar.plan import (ColumnarResult, columnar_plan, decide_case, evaluate,
                                                population_columns, raw_record)

__all__ = ["Col", "ColumnarResult", "Population", "columnar_plan", "decide_case", "evaluate", "population_columns",
           "raw_record"]
