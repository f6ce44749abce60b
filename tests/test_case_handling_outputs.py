"""Outputs that respect case handling (issue 7, item 9) and rights before municipal rules
(item 3), as a policy author and a caseworker see them: the small rule set
``tests/fixtures/outputs/rules/omega-2020.yaml`` and its cases, through the command line."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers import FIXTURES, ROOT

HERE = FIXTURES / "outputs"
RULES_DIR = str(HERE / "rules")
SAMLE = str(HERE / "cases" / "omega-samle.yaml")  # 2020: one service decided, one undecided
UAVKLART = str(HERE / "cases" / "omega-uavklart.yaml")  # 2021: nothing can be decided
AVSLAG = str(HERE / "cases" / "omega-avslag.yaml")  # 2021: refused; alternative's condition unknown
RULE_IDS = ("pb-husstand", "pb-nødvendig-hjelp", "pb-egenomsorg", "lt-eneste-forsvarlige", "lt-avslag")


def cli(*args):
    r = subprocess.run([sys.executable, "-m", "tildeling", *args], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return r.stdout


def evaluate(case, *extra):
    return cli("evaluate", case, "--rules-dir", RULES_DIR, *extra)


def section(md: str, heading: str) -> str:
    """The text under a «## » heading up to the next one."""
    start = md.index("## " + heading)
    end = md.find("\n## ", start + 1)
    return md[start:] if end < 0 else md[start:end]


def test_undecided_case_is_a_request_for_information_not_a_decision():
    md = evaluate(UAVKLART, "--format", "markdown")
    assert md.startswith("# Innhenting av opplysninger")
    assert "Vedtak om" not in md and "Du kan klage" not in md and "Klagefristen" not in md
    assert "(fvl § 17)" in md and "Dette er ikke et vedtak og kan ikke påklages." in md
    # the fact to obtain, in the vocabulary's words, not its path
    assert "- langtidsopphold er det eneste forsvarlige tilbudet" in md
    assert "vurdering.eneste_forsvarlige_langtidsopphold" not in md
    text = evaluate(UAVKLART)
    assert "Ikke et vedtak ennå" in text and "Klage:" not in text


def test_samlevedtak_decides_what_it_can_and_asks_for_the_rest():
    md = evaluate(SAMLE, "--format", "markdown")
    assert md.startswith("# Vedtak om helse- og omsorgstjenester")
    decided = section(md, "Praktisk bistand")
    assert "Innvilget" in decided and "Hovedhensyn i vurderingen" in decided
    pending = section(md, "Langtidsopphold i sykehjem")
    assert "Ikke avgjort" in pending and "fvl § 17" in pending
    assert "Avslag" not in pending and "Uavklart" not in pending and "Hovedhensyn" not in pending
    assert "klage" not in pending.lower()
    assert md.count("## Du kan klage") == 1


def test_no_rule_ids_in_letter_or_text_but_in_json_and_explain():
    for case in (SAMLE, UAVKLART, AVSLAG):
        for out in (evaluate(case, "--format", "markdown"), evaluate(case),
                    evaluate(case, "--format", "markdown", "--lang", "nn")):
            assert not [rid for rid in RULE_IDS if rid in out], out
    data = json.loads(evaluate(SAMLE, "--format", "json"))
    assert data["decisions"][0]["reasons"][0]["rule"] == "pb-nødvendig-hjelp"
    assert "pb-nødvendig-hjelp" in evaluate(SAMLE, "--explain")


def test_alternative_with_unknown_condition_is_not_offered(tmp_path):
    data = json.loads(evaluate(AVSLAG, "--format", "json"))
    assert data["decisions"][0]["outcome"] == "avslag" and data["decisions"][0]["alternatives"] == []
    assert data["staircase_step"] is None
    case = tmp_path / "sak.yaml"
    case.write_text(open(AVSLAG, encoding="utf-8").read().replace("{alder: 80}", "{alder: 80, bor_alene: true}"),
                    encoding="utf-8")
    data = json.loads(evaluate(str(case), "--format", "json"))
    assert [a["service"] for a in data["decisions"][0]["alternatives"]] == ["varelevering"]
    assert "Varer kan leveres hjem." in evaluate(str(case), "--format", "markdown")


def test_appeal_body_follows_the_date_and_deadline_the_act():
    before = json.loads(evaluate(SAMLE, "--format", "json"))["appeal"]
    after = json.loads(evaluate(AVSLAG, "--format", "json"))["appeal"]
    assert before == {"weeks": 4, "legal_basis": "pbrl § 7-5", "body": "Fylkesmannen",
                      "health_and_care": True, "body_name": None}
    assert after == {"weeks": 4, "legal_basis": "pbrl § 7-5", "body": "Statsforvalteren",
                     "health_and_care": True, "body_name": None}
    assert "sender den klagen til Fylkesmannen" in evaluate(SAMLE, "--format", "markdown")
    assert "sender han klaga til Statsforvaltaren" in evaluate(AVSLAG, "--format", "markdown", "--lang", "nn")
    assert "Klage: 4 uker (pbrl § 7-5), klageinstans Statsforvalteren" in evaluate(AVSLAG)
    dec31 = json.loads(evaluate(AVSLAG, "--format", "json", "--as-of", "2020-12-31"))["appeal"]
    assert dec31["body"] == "Fylkesmannen"


def test_right_applies_before_a_municipal_rule_written_above_it():
    data = json.loads(evaluate(SAMLE, "--format", "json"))
    pb = data["decisions"][0]
    # pb-husstand (kommunalt) is written first and holds; the right to necessary help still wins
    assert pb["outcome"] == "innvilget" and pb["decided_by"] == "lovkrav"
    assert pb["rule_path"] == ["pb-nødvendig-hjelp"]


def test_validate_warns_about_a_municipal_rule_before_a_right():
    r = subprocess.run([sys.executable, "-m", "tildeling", "validate", str(HERE / "rules" / "omega-2020.yaml"),
                        "--format", "json"], capture_output=True, text=True, cwd=ROOT)
    out = json.loads(r.stdout)
    assert r.returncode == 0 and out["errors"] == 0
    assert [(d["code"], d["severity"], d["line"]) for d in out["diagnostics"]] == [
        ("municipal-before-right", "warning", 31)]
    assert "pb-husstand" in out["diagnostics"][0]["message"]
