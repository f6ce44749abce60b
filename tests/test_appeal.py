"""Appeals (klage): the deadline rule (pbrl § 7-5 / fvl § 29), counting across month and year
ends, timeliness (fvl § 30), late appeals (fvl § 31), representation, the appeal body by date,
and located diagnostics for bad appeal input."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest

from tildeling import load_case
from tildeling.core.errors import CaseError
from tildeling.engine import Engine
from tildeling.evaluation.appeal import assess_appeal, scheme_of
from tildeling.explain import appeal as explain_appeal
from tildeling.files.model import AppealExpectation, AppealFile
from tildeling.rules.legal import load_register, parse_citation
from tildeling.ruletest.runner import compare_appeal

from helpers import ROOT

D = dt.date


def appeal(**kw) -> AppealFile:
    vedtak = {"tjeneste": "x", "vedtaksdato": "2021-03-01"}
    vedtak.update(kw.pop("vedtak", {}))
    return AppealFile.model_validate({"vedtak": vedtak, **kw})


# --- the deadline -------------------------------------------------------------------------------

@pytest.mark.parametrize("basis, scheme", [
    ([("hol", "3"), ("pbrl", "2")], "pbrl"), ([("hol", "3")], "pbrl"), ([("pbrl", "2")], "pbrl"),
    ([("sotjl", "4")], "sotjl"), ([("sotjl", None)], "sotjl"), ([("sotjl", "3"), ("hol", "3")], "pbrl"),
    ([("sotjl", "3")], "fvl"), ([("integreringsloven", None)], "fvl"), ([(None, None)], "fvl")])
def test_the_legal_basis_of_the_service_decides_the_scheme(basis, scheme):
    assert scheme_of(basis) == scheme


def test_a_municipal_rental_under_sotjl_15_goes_to_the_municipal_appeal_body(tmp_path):
    text = """\
        id: kl-3
        municipality: Drammen
        application_date: 2022-05-02
        klage:
          vedtak: {tjeneste: kommunal_utleiebolig, vedtaksdato: 2022-04-01, mottatt: 2022-04-04}
          sendt: 2022-04-25
        """
    r = Engine(ROOT / "rules").evaluate(load_case(write_case(tmp_path, text))).appeal_review
    assert r is not None
    assert (r.deadline_rule, r.deadline, r.timely, r.reviewer) == ("fvl § 29", "2022-04-25", True, "Drammen kommune")
    assert r.appeal_body == "kommunens klageorgan (fvl § 28 andre ledd)"


@pytest.mark.parametrize("scheme, received, deadline", [
    ("pbrl", D(2020, 12, 9), D(2021, 1, 6)),     # four weeks over the year end (P39)
    ("fvl", D(2020, 12, 9), D(2020, 12, 30)),    # three weeks
    ("sotjl", D(2024, 2, 5), D(2024, 2, 26)),    # sosialtjenesteloven: fvl § 29 (P40)
    ("pbrl", D(2024, 2, 5), D(2024, 3, 4)),      # across a leap-year February
    ("pbrl", D(2023, 2, 1), D(2023, 3, 1)),      # across an ordinary February
    ("fvl", D(2021, 12, 15), D(2022, 1, 5)),     # three weeks over the year end
    ("pbrl", D(2021, 1, 31), D(2021, 2, 28)),    # from the last day of a month
])
def test_deadline_is_weeks_from_the_day_the_decision_reached_the_party(scheme, received, deadline):
    a = appeal(vedtak={"vedtaksdato": received - dt.timedelta(days=2), "mottatt": received}, sendt=deadline)
    r = assess_appeal(a, scheme, 4, deadline)
    assert r.deadline == deadline
    assert r.rule == ("pbrl § 7-5" if scheme == "pbrl" else "fvl § 29")
    assert r.timely is True and r.days_late == 0 and r.outcome == "behandles"


def test_the_other_rule_s_deadline_is_shown_as_not_applicable():
    a = appeal(vedtak={"vedtaksdato": "2024-02-02", "mottatt": "2024-02-05"}, sendt="2024-02-28")
    r = assess_appeal(a, "sotjl", 4, D(2024, 2, 28))
    assert (r.other_rule, r.other_weeks, r.other_deadline) == ("pbrl § 7-5", 4, D(2024, 3, 4))


def test_a_deadline_on_a_saturday_is_not_moved_the_register_says_nothing_about_it():
    # 2022-01-01 is a Saturday (and a public holiday); three weeks later is Saturday 2022-01-22.
    a = appeal(vedtak={"vedtaksdato": "2021-12-30", "mottatt": "2022-01-01"}, sendt="2022-01-24")
    r = assess_appeal(a, "fvl", 4, D(2022, 1, 24))
    assert r.deadline == D(2022, 1, 22)
    assert r.timely is False and r.days_late == 2


def test_the_day_after_the_deadline_is_late_by_one_day():
    a = appeal(vedtak={"mottatt": "2021-03-03"}, sendt="2021-03-25")
    r = assess_appeal(a, "fvl", 4, D(2021, 3, 25))
    assert (r.deadline, r.timely, r.days_late) == (D(2021, 3, 24), False, 1)


def test_pbrl_weeks_follow_the_rule_set_parameter():
    a = appeal(vedtak={"mottatt": "2021-03-03"}, sendt="2021-03-25")
    assert assess_appeal(a, "pbrl", 6, D(2021, 3, 25)).deadline == D(2021, 4, 14)


# --- in time (fvl § 30) -----------------------------------------------------------------------

def test_received_by_the_municipality_before_the_deadline_is_in_time_without_the_sending_date():
    a = appeal(vedtak={"mottatt": "2021-03-03"}, mottatt_av_kommunen="2021-03-31")
    r = assess_appeal(a, "pbrl", 4, D(2021, 3, 31))
    assert (r.timely, r.filed_by, r.missing) == (True, "mottatt_av_kommunen", ())


def test_received_after_the_deadline_without_the_sending_date_is_unsettled():
    a = appeal(vedtak={"mottatt": "2021-03-03"}, mottatt_av_kommunen="2021-04-02")
    r = assess_appeal(a, "pbrl", 4, D(2021, 4, 2))
    assert (r.timely, r.outcome, r.missing) == (None, "uavklart", ("klage.sendt",))


def test_without_the_date_the_decision_arrived_an_appeal_within_the_period_from_the_decision_date_is_in_time():
    a = appeal(sendt="2021-03-29")  # vedtaksdato 2021-03-01 + 4 weeks = 2021-03-29
    r = assess_appeal(a, "pbrl", 4, D(2021, 3, 29))
    assert (r.timely, r.deadline, r.missing) == (True, None, ())


def test_without_the_date_the_decision_arrived_a_later_appeal_is_unsettled():
    a = appeal(sendt="2021-03-30")
    r = assess_appeal(a, "pbrl", 4, D(2021, 3, 30))
    assert (r.timely, r.outcome, r.missing) == (None, "uavklart", ("klage.vedtak.mottatt",))


def test_without_any_date_of_the_appeal_both_are_asked_for():
    r = assess_appeal(appeal(), "pbrl", 4, D(2021, 3, 30))
    assert r.missing == ("klage.vedtak.mottatt", "klage.sendt")


# --- late appeals (fvl § 31) ------------------------------------------------------------------

LATE = {"vedtak": {"tjeneste": "x", "vedtaksdato": "2024-02-02", "mottatt": "2024-02-05", "oppgitt_klagefrist_uker": 3},
        "sendt": "2024-02-28"}


def late(**kw) -> AppealFile:
    data = json.loads(json.dumps(LATE))
    vedtak = kw.pop("vedtak", {})
    data["vedtak"].update(vedtak)
    data.update(kw)
    return AppealFile.model_validate(data)


def test_late_and_not_excused_is_rejected():
    r = assess_appeal(late(grunn_for_forsinkelse="Eg gløymde det.", sykdom_eller_fravær=False), "sotjl", 4,
                      D(2024, 2, 28))
    assert (r.timely, r.days_late, r.late, r.outcome, r.grounds, r.missing) == (False, 2, "avvises", "avvises", (), ())


def test_late_with_illness_is_heard():
    r = assess_appeal(late(grunn_for_forsinkelse="Innlagd", sykdom_eller_fravær=True), "sotjl", 4, D(2024, 2, 28))
    assert (r.late, r.outcome, r.grounds) == ("behandles", "behandles", ("sykdom_eller_fravær",))


def test_late_with_special_reasons_is_heard_even_when_the_party_is_to_blame():
    r = assess_appeal(late(grunn_for_forsinkelse="glemte", sykdom_eller_fravær=False, særlige_grunner=True),
                      "sotjl", 4, D(2024, 2, 28))
    assert (r.outcome, r.grounds) == ("behandles", ("særlige_grunner",))


def test_late_without_appeal_information_in_the_letter_is_heard():
    r = assess_appeal(late(vedtak={"oppgitt_klagefrist_uker": None, "klageopplysning": False}), "sotjl", 4,
                      D(2024, 2, 28))
    assert (r.outcome, r.grounds) == ("behandles", ("ingen_klageopplysning",))


def test_late_but_within_a_longer_deadline_printed_in_the_letter_is_heard():
    r = assess_appeal(late(vedtak={"oppgitt_klagefrist_uker": 4}), "sotjl", 4, D(2024, 2, 28))
    assert (r.outcome, r.grounds, r.letter_wrong) == ("behandles", ("lengre_frist_i_vedtaket",), True)


def test_a_shorter_deadline_in_the_letter_does_not_shorten_the_law_s():
    a = appeal(vedtak={"vedtaksdato": "2020-12-07", "mottatt": "2020-12-09", "oppgitt_klagefrist_uker": 3},
               sendt="2021-01-04")
    r = assess_appeal(a, "pbrl", 4, D(2021, 1, 4))
    assert (r.timely, r.letter_wrong, r.letter_weeks) == (True, True, 3)


def test_late_with_the_reason_unknown_is_unsettled_with_the_missing_facts():
    r = assess_appeal(late(), "sotjl", 4, D(2024, 2, 28))
    assert (r.late, r.outcome) == ("uavklart", "uavklart")
    assert r.missing == ("klage.sykdom_eller_fravær", "klage.grunn_for_forsinkelse")


def test_late_without_knowing_whether_the_letter_informed_is_unsettled():
    r = assess_appeal(late(vedtak={"oppgitt_klagefrist_uker": None}, grunn_for_forsinkelse="glemte",
                           sykdom_eller_fravær=False), "sotjl", 4, D(2024, 2, 28))
    assert (r.outcome, r.missing) == ("uavklart", ("klage.vedtak.klageopplysning",))


def test_more_than_a_year_after_the_decision_is_always_rejected():
    a = appeal(vedtak={"vedtaksdato": "2020-02-29", "mottatt": "2020-03-02"}, sendt="2021-03-01",
               sykdom_eller_fravær=True)
    r = assess_appeal(a, "pbrl", 4, D(2021, 3, 1))
    assert (r.over_a_year, r.outcome) == (True, "avvises")


# --- representation ------------------------------------------------------------------------------

@pytest.mark.parametrize("kw, status, missing", [
    ({}, "parten", ()),
    ({"fremsatt_av": "parten"}, "parten", ()),
    ({"fremsatt_av": "fullmektig", "skriftlig_fullmakt": True}, "i_orden", ()),
    ({"fremsatt_av": "fullmektig", "skriftlig_fullmakt": False}, "mangler_fullmakt", ()),
    ({"fremsatt_av": "fullmektig"}, "uavklart", ("klage.skriftlig_fullmakt",)),
    ({"fremsatt_av": "advokat"}, "i_orden", ()),
    ({"fremsatt_av": "verge"}, "i_orden", ()),
])
def test_representation(kw, status, missing):
    r = assess_appeal(appeal(vedtak={"mottatt": "2021-03-03"}, sendt="2021-03-10", **kw), "pbrl", 4, D(2021, 3, 10))
    assert (r.representation, r.missing, r.outcome) == (status, missing, "behandles")


# --- the engine: rule sets, appeal body by date, output -------------------------------------------

def write_case(tmp_path: Path, text: str, name: str = "klage.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


DRAMMEN_2020 = """\
    id: kl-1
    municipality: Drammen
    application_date: 2020-11-30
    klage:
      vedtak: {tjeneste: praktisk_bistand, vedtaksdato: 2020-11-02, mottatt: 2020-11-04}
      sendt: 2020-11-30
    """


def test_fylkesmannen_is_the_appeal_body_before_2021(tmp_path):
    out = Engine(ROOT / "rules").evaluate(load_case(write_case(tmp_path, DRAMMEN_2020)))
    r = out.appeal_review
    assert r is not None and out.decisions == ()
    assert (r.deadline, r.timely, r.deadline_rule) == ("2020-12-02", True, "pbrl § 7-5")
    assert (r.reviewer, r.appeal_body) == ("Drammen kommune", "Fylkesmannen i Oslo og Viken")


def test_statsforvalteren_from_2021_and_the_route_names_the_reconsideration(tmp_path):
    text = DRAMMEN_2020.replace("2020-11-30", "2021-01-04").replace("2020-11-02", "2020-12-07") \
        .replace("2020-11-04", "2020-12-09")
    out = Engine(ROOT / "rules").evaluate(load_case(write_case(tmp_path, text)))
    r = out.appeal_review
    assert r is not None and r.appeal_body == "Statsforvalteren i Oslo og Viken"
    route = [x for x in r.reasons if x.rule == "klage-saksgang"][0]
    assert "Drammen kommune (underinstansen)" in route.text and "fvl § 33" in route.legal_basis


def test_a_sosialtjenesteloven_decision_has_three_weeks_and_nav_reconsiders(tmp_path):
    text = """\
        id: kl-2
        municipality: Alver
        application_date: 2024-02-28
        klage:
          vedtak: {tjeneste: økonomisk_stønad, vedtaksdato: 2024-02-02, mottatt: 2024-02-05, oppgitt_klagefrist_uker: 3}
          sendt: 2024-02-28
          grunn_for_forsinkelse: "Eg gløymde det."
          sykdom_eller_fravær: false
        """
    out = Engine(ROOT / "rules").evaluate(load_case(write_case(tmp_path, text)))
    r = out.appeal_review
    assert r is not None
    assert (r.deadline_rule, r.deadline, r.days_late, r.outcome) == ("fvl § 29", "2024-02-26", 2, "avvises")
    assert (r.reviewer, r.appeal_body) == ("NAV Alver", "Statsforvaltaren i Vestland")
    assert r.legal_basis == "sotjl § 47; fvl § 29 første ledd; fvl § 30"
    rejected = [x for x in r.reasons if x.rule == "klage-for-sent-avvises"][0]
    assert "fvl § 2 tredje ledd" in rejected.legal_basis and "Statsforvaltaren i Vestland" in rejected.text


def test_the_review_is_written_in_every_language_and_the_json_has_it(tmp_path):
    path = write_case(tmp_path, DRAMMEN_2020)
    engine = Engine(ROOT / "rules")
    texts = {}
    for lang, word in (("nb", "klagen"), ("nn", "klaga"), ("en", "appeal")):
        out = engine.evaluate(load_case(path), lang=lang)
        assert out.appeal_review is not None
        texts[lang] = " ".join(r.text for r in out.appeal_review.reasons)
        assert word in texts[lang].lower() and "{" not in texts[lang]
    assert len(set(texts.values())) == 3
    plain = out.to_dict()
    assert list(plain)[:9] == ["case", "rule_set", "as_of", "decisions", "staircase_step", "samlevedtak",
                               "language", "warnings", "appeal"]
    assert plain["appeal_review"]["deadline"] == "2020-12-02"


def test_a_case_without_an_appeal_has_no_appeal_review_key():
    out = Engine(ROOT / "rules").evaluate(load_case(ROOT / "cases" / "drammen" / "dr-060.yaml"))
    assert "appeal_review" not in out.to_dict()


def test_every_citation_the_review_uses_is_in_the_register_on_its_dates():
    reg = load_register()
    refs = set()
    for table in (explain_appeal.RULE_BASIS, explain_appeal.ROUTE_BASIS, explain_appeal.REPRESENTATION_BASIS,
                  explain_appeal.LATE_BASIS):
        for v in table.values():
            refs.update(v.split("; "))
    refs.update((explain_appeal.TIMELY_BASIS + "; " + explain_appeal.REJECT_BASIS + "; "
                 + explain_appeal.OVER_A_YEAR_BASIS + "; " + explain_appeal.UNSETTLED_BASIS).split("; "))
    for ref in sorted(refs):
        for on in (D(2020, 6, 1), D(2025, 6, 1)):
            problems = [p for p in reg.check(parse_citation(ref), on, on) if p.severity == "error"]
            assert not problems, (ref, on, [p.message for p in problems])


# --- bad input ----------------------------------------------------------------------------------

def diagnostics(path: Path) -> list:
    with pytest.raises(CaseError) as info:
        Engine(ROOT / "rules").read_case(path)
    return info.value.diagnostics


def test_a_date_of_the_wrong_type_is_a_located_error(tmp_path):
    path = write_case(tmp_path, DRAMMEN_2020.replace("sendt: 2020-11-30", "sendt: i går"))
    [d] = diagnostics(path)
    assert d.code == "invalid-date" and d.span.line == 6 and "klage.sendt" in d.message


def test_an_appeal_sent_before_the_decision_is_a_located_error(tmp_path):
    path = write_case(tmp_path, DRAMMEN_2020.replace("sendt: 2020-11-30", "sendt: 2020-10-30"))
    [d] = diagnostics(path)
    assert (d.code, d.span.line, d.span.column) == ("appeal-before-decision", 6, 10)
    assert d.message == "klage.sendt er før vedtaksdatoen: en klage kan ikke komme før vedtaket den gjelder."


def test_a_decision_received_before_it_was_made_is_a_located_error(tmp_path):
    path = write_case(tmp_path, DRAMMEN_2020.replace("mottatt: 2020-11-04", "mottatt: 2020-10-04"))
    [d] = diagnostics(path)
    assert (d.code, d.span.line) == ("appeal-date-order", 5)


def test_an_appeal_received_before_it_was_sent_is_a_located_error(tmp_path):
    path = write_case(tmp_path, DRAMMEN_2020.replace("sendt: 2020-11-30", "sendt: 2020-11-30\n      mottatt_av_kommunen: 2020-11-20"))
    [d] = diagnostics(path)
    assert (d.code, d.span.line) == ("appeal-date-order", 7)
    assert "klage.mottatt_av_kommunen kan ikke være før klage.sendt" in d.message


def test_an_unknown_service_in_the_appeal_is_located_with_a_suggestion(tmp_path):
    path = write_case(tmp_path, DRAMMEN_2020.replace("tjeneste: praktisk_bistand", "tjeneste: praktisk_bistan"))
    case = load_case(path)
    engine = Engine(ROOT / "rules")
    with pytest.raises(CaseError) as info:
        engine.choose(case)
    [d] = info.value.diagnostics
    assert (d.code, d.span.line, d.hint) == ("unknown-service", 5, "mente du «praktisk_bistand»?")


def test_a_case_with_neither_an_application_nor_an_appeal_is_an_error(tmp_path):
    path = write_case(tmp_path, "id: x\nmunicipality: Drammen\napplication_date: 2021-01-04\n")
    [d] = diagnostics(path)
    assert d.code == "missing-key" and "klage" in d.message


# --- expectations ---------------------------------------------------------------------------------

def test_the_runner_compares_only_the_stated_appeal_expectations(tmp_path):
    out = Engine(ROOT / "rules").evaluate(load_case(write_case(tmp_path, DRAMMEN_2020)))
    assert out.appeal_review is not None
    ok = AppealExpectation(rettidig=True, frist=D(2020, 12, 2), why="fire uker")
    assert compare_appeal(ok, out.appeal_review) == []
    bad = AppealExpectation(rettidig=False, klageinstans="Statsforvalteren i Oslo og Viken", why="feil")
    assert compare_appeal(bad, out.appeal_review) == [
        "klagen: rettidig forventet false, fikk true",
        "klagen: klageinstans forventet Statsforvalteren i Oslo og Viken, fikk Fylkesmannen i Oslo og Viken"]


def test_the_acceptance_appeals_pass():
    from tildeling.ruletest.runner import run_cases
    report = run_cases(Engine(ROOT / "rules"), [ROOT / "cases" / "fagscenarier" / "P39.yaml",
                                                ROOT / "cases" / "fagscenarier" / "P40.yaml"])
    assert (report.passed, report.failed) == (2, 0), [f.message for f in report.failures]


def test_dates_at_the_end_of_the_calendar_do_not_crash(tmp_path):
    text = DRAMMEN_2020.replace("vedtaksdato: 2020-11-02, mottatt: 2020-11-04",
                                "vedtaksdato: 9999-12-20, mottatt: 9999-12-30").replace("sendt: 2020-11-30",
                                                                                       "sendt: 9999-12-31")
    out = Engine(ROOT / "rules").evaluate(load_case(write_case(tmp_path, text)))
    assert out.appeal_review is not None and out.appeal_review.deadline == "9999-12-31"
