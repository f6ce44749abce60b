"""Application date and decision date (issue 7, item 10): a rule set says with ``judged_on``
which date ages, parameters, the choice of rule set, citations and the appeal body follow.

A small rule set of our own where a parameter changes on 1 January 2023 (the age limit
for practical help goes from 67 to 70), and cases whose two dates straddle the change,
or straddle 1 January 2021, when Fylkesmannen became Statsforvalteren."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import ROOT

from tildeling.engine import Engine
from tildeling.rules.cases import load_case

FELLES = ROOT / "rules" / "felles"


def rule_set(judged_on: str | None, *, rid: str = "liten", valid_from: str = "2020-01-01",
             valid_to: str | None = None, limit_2023: int = 70) -> str:
    return textwrap.dedent(f"""\
        id: {rid}
        municipality: Liten
        version: "1"
        valid_from: {valid_from}
        {"valid_to: " + valid_to if valid_to else ""}
        status: adopted
        {"judged_on: " + judged_on if judged_on else ""}
        uses: {{vocabulary: {FELLES / 'fakta.yaml'}, staircase: {FELLES / 'trapp-13.yaml'},
                parameters: [{FELLES / 'parametere.yaml'}]}}
        parameters:
          aldersgrense:
            values:
              - {{from: 2020-01-01, value: 67}}
              - {{from: 2023-01-01, value: {limit_2023}}}
        services:
          praktisk_bistand:
            name: {{nb: Praktisk bistand}}
            legal_basis: [hol § 3-2 første ledd nr. 6 bokstav b]
            step: 6
            decision:
              - id: pb-alder
                when: søker.alder >= parameter.aldersgrense
                outcome: innvilget
                reason: {{nb: "Søkeren er {{søker.alder}} år; grensen er {{parameter.aldersgrense}} år."}}
              - {{id: pb-under, else: true, outcome: avslag, reason: {{nb: "Under aldersgrensen ({{parameter.aldersgrense}} år)."}}}}
        """)


def case(application: str, decision: str | None, alder: str = "alder: 68") -> str:
    return textwrap.dedent(f"""\
        id: dato
        municipality: Liten
        application_date: {application}
        {"decision_date: " + decision if decision else ""}
        applied_for: [praktisk_bistand]
        facts:
          søker: {{{alder}}}
        """)


def evaluate(tmp_path: Path, rules: dict[str, str], case_text: str, **kw):
    folder = tmp_path / "regler"
    folder.mkdir(exist_ok=True)
    for name, text in rules.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = tmp_path / "sak.yaml"
    path.write_text(case_text, encoding="utf-8")
    return Engine(folder).evaluate(load_case(path), **kw)


STRADDLE = case("2022-12-20", "2023-01-10")


def test_judged_on_application_date_by_default(tmp_path):
    out = evaluate(tmp_path, {"liten.yaml": rule_set(None)}, STRADDLE)
    d = out.decisions[0]
    # Judged on the application date (2022-12-20) the limit is 67: 68 years is enough.
    assert (d.outcome, out.as_of) == ("innvilget", "2022-12-20")
    assert "grensen er 67 år" in d.reasons[0].text
    assert (out.application_date, out.decision_date) == ("2022-12-20", "2023-01-10")


def test_judged_on_decision_date_uses_the_parameter_then(tmp_path):
    out = evaluate(tmp_path, {"liten.yaml": rule_set("decision_date")}, STRADDLE)
    d = out.decisions[0]
    # Judged on the decision date (2023-01-10) the limit is 70: 68 years is not enough.
    assert (d.outcome, out.as_of) == ("avslag", "2023-01-10")
    assert "70 år" in d.reasons[0].text


def test_decision_date_absent_falls_back_to_application_date(tmp_path):
    out = evaluate(tmp_path, {"liten.yaml": rule_set("decision_date")}, case("2022-12-20", None))
    assert (out.decisions[0].outcome, out.as_of, out.decision_date) == ("innvilget", "2022-12-20", None)
    assert out.to_dict()["decision_date"] is None


def test_as_of_overrides_both(tmp_path):
    out = evaluate(tmp_path, {"liten.yaml": rule_set("decision_date")}, STRADDLE, as_of=dt.date(2022, 6, 1))
    assert (out.decisions[0].outcome, out.as_of) == ("innvilget", "2022-06-01")


def test_age_from_birth_date_on_the_decision_date(tmp_path):
    # Born 1955-01-05: 67 on the application date (2022-12-20), 68 on the decision date.
    text = case("2022-12-20", "2023-01-10", alder="fødselsdato: 1955-01-05")
    rules = {"liten.yaml": rule_set("decision_date", limit_2023=68)}
    out = evaluate(tmp_path, rules, text)
    assert out.decisions[0].outcome == "innvilget"
    assert out.decisions[0].reasons[0].facts["søker.alder"] == 68
    out = evaluate(tmp_path, {"liten.yaml": rule_set(None, limit_2023=68)}, text)
    assert out.decisions[0].reasons[0].facts["søker.alder"] == 67


@pytest.mark.parametrize("judged_on, body", [(None, "Fylkesmannen"), ("decision_date", "Statsforvalteren")])
def test_appeal_body_follows_the_date_judged_on(tmp_path, judged_on, body):
    # Applied for in December 2020 (Fylkesmannen), decided in January 2021 (Statsforvalteren).
    out = evaluate(tmp_path, {"liten.yaml": rule_set(judged_on)}, case("2020-12-15", "2021-01-05"))
    assert out.appeal.body == body


def test_rule_set_in_force_on_the_decision_date_is_chosen(tmp_path):
    rules = {
        "liten-2022.yaml": rule_set("decision_date", rid="liten-2022", valid_to="2022-12-31", limit_2023=67),
        "liten-2023.yaml": rule_set(None, rid="liten-2023", valid_from="2023-01-01", limit_2023=70),
    }
    out = evaluate(tmp_path, rules, STRADDLE)
    assert out.rule_set.id == "liten-2023" and out.as_of == "2023-01-10"
    assert out.decisions[0].outcome == "avslag"
    # Without a decision date, the set in force on the application date decides.
    out = evaluate(tmp_path, rules, case("2022-12-20", None))
    assert out.rule_set.id == "liten-2022" and out.decisions[0].outcome == "innvilget"


def test_json_has_both_dates(tmp_path):
    folder = tmp_path / "regler"
    folder.mkdir()
    (folder / "liten.yaml").write_text(rule_set("decision_date"), encoding="utf-8")
    path = tmp_path / "sak.yaml"
    path.write_text(STRADDLE, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "tildeling", "evaluate", str(path), "--format", "json",
                          "--rules-dir", str(folder)], capture_output=True, text=True, check=True, cwd=tmp_path)
    data = json.loads(run.stdout)
    assert (data["as_of"], data["application_date"], data["decision_date"]) == ("2023-01-10", "2022-12-20",
                                                                                "2023-01-10")
    assert list(data)[-2:] == ["application_date", "decision_date"]


def test_decision_before_application_is_a_located_error(tmp_path):
    from tildeling.core.errors import CaseError
    path = tmp_path / "sak.yaml"
    path.write_text(case("2023-01-10", "2022-12-20"), encoding="utf-8")
    with pytest.raises(CaseError) as exc:
        load_case(path)
    (d,) = exc.value.diagnostics
    assert d.code == "invalid-date" and d.span.line == 4 and "decision_date" in d.message
