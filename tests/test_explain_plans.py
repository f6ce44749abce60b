"""Explaining a case by its plan (explain/explanation.py: every decision prebuilt, the plan
read as data by explain_case) gives the outcome that explaining each decision by itself
gives, and explaining more cases never changes an outcome already given (outcomes share
their explanations and are read-only)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tildeling.evaluation.walker import decide
from tildeling.explain import explanation
from tildeling.explain.explanation import explain_case

ON = dt.date(2021, 6, 1)


def _json(outcome) -> str:
    return json.dumps(outcome.to_dict(), ensure_ascii=False)


def _peer():
    from test_fastpath import _peer as found
    return found()


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_a_planned_outcome_is_the_one_made_decision_by_decision(lang):
    found = _peer()
    if found is None:
        pytest.skip("the shared peer workload is absent")
    crs, services, cases = found
    given, planned = [], []
    for i, case in enumerate(cases):
        env = dict(case)
        raws = decide(crs, env, services)
        assert all(r.prebuilt is not None for r in raws)  # the plan's way, not the general one
        outcome = explain_case(crs, str(i), raws, env, ON, lang)
        alone = explanation._explained_one_by_one(crs, str(i), raws, env, ON, lang, (), None, None, None)
        assert _json(outcome) == _json(alone), i
        given.append(outcome)
        planned.append(_json(outcome))
    # Again, now from what the first pass kept (shared explanations, plans), and then the first
    # pass's outcomes are unchanged.
    for i, case in enumerate(cases):
        env = dict(case)
        assert _json(explain_case(crs, str(i), decide(crs, env, services), env, ON, lang)) == planned[i]
    assert [_json(o) for o in given] == planned


def test_a_planned_outcome_keeps_the_warnings_and_dates_of_its_case():
    found = _peer()
    if found is None:
        pytest.skip("the shared peer workload is absent")
    crs, services, cases = found
    env = dict(cases[0])
    raws = decide(crs, env, services)
    kwargs = dict(warnings=iter(["w"]), application_date=dt.date(2021, 5, 3), decision_date=dt.date(2021, 5, 20))
    got = explain_case(crs, "x", raws, env, ON, "nb", **kwargs)
    kwargs["warnings"] = ["w"]
    alone = explanation._explained_one_by_one(crs, "x", raws, env, ON, "nb", ["w"], None,
                                              kwargs["application_date"], kwargs["decision_date"])
    assert _json(got) == _json(alone)
    assert got.warnings == ("w",) and got.application_date == "2021-05-03" and got.decision_date == "2021-05-20"
