"""Service histories (issue 7, item 7): what was tried and how it went, what is received and
how often. Records are checked against the vocabulary with located errors («mente du …?»);
old cases with a plain list of service ids keep working."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import ROOT

from tildeling.core.errors import CaseError
from tildeling.engine import Engine


@pytest.fixture(scope="module")
def engine():
    return Engine(ROOT / "rules")


def write_case(tmp_path: Path, forsøkt: str) -> Path:
    p = tmp_path / "sak.yaml"
    p.write_text(textwrap.dedent("""\
        id: historikk
        municipality: Drammen
        application_date: 2023-05-02
        applied_for: [langtidsopphold]
        facts:
          søker: {alder: 90}
          helse: {behov_tilsyn_døgnet_rundt: true}
          tjenester:
            forsøkt:
        """) + textwrap.indent(textwrap.dedent(forsøkt), "          "), encoding="utf-8")
    return p


def problems(engine, path: Path) -> list:
    case = engine.read_case(path)
    with pytest.raises(CaseError) as exc:
        engine.evaluate(case)
    return exc.value.diagnostics


def test_unknown_service_in_a_record_is_located_with_a_suggestion(engine, tmp_path):
    p = write_case(tmp_path, """\
        - hverdagsrehabilitering
        - {tjeneste: korttidsopphld, resultat: ikke_nok}
        """)
    (d,) = problems(engine, p)
    assert d.code == "fact-value" and d.span.line == 11
    assert d.hint == "mente du «korttidsopphold»?"
    assert "korttidsopphld" not in d.message  # a case's values are never quoted


def test_unknown_result_is_located_at_the_result(engine, tmp_path):
    p = write_case(tmp_path, """\
        - tjeneste: korttidsopphold
          resultat: ikke-nok
        """)
    (d,) = problems(engine, p)
    assert d.code == "fact-value" and (d.span.line, d.span.column) == (11, 23)
    assert d.hint == "mente du «ikke_nok»?"
    assert "virket, ikke_nok, pågår, avslått_av_søker" in d.message


def test_unknown_key_and_bad_period(engine, tmp_path):
    p = write_case(tmp_path, """\
        - {tjeneste: korttidsopphold, resulat: ikke_nok}
        - {tjeneste: avlastning, fra: 2023-03-01, til: 2023-01-01}
        - {tjeneste: helsetjenester_i_hjemmet, besøk_per_uke: -2}
        """)
    found = problems(engine, p)
    assert [(d.code, d.span.line) for d in found] == [("fact-value", 10), ("fact-value", 11), ("fact-value", 12)]
    assert found[0].hint == "mente du «resultat»?"


def test_unknown_service_in_the_old_list_form(engine, tmp_path):
    p = write_case(tmp_path, "- hverdagsrehab\n")
    (d,) = problems(engine, p)
    assert d.code == "fact-value" and d.span.line == 10 and d.hint == "mente du «hverdagsrehabilitering»?"


def test_old_string_lists_work_unchanged(engine, tmp_path):
    # «"x" i tjenester.forsøkt» is membership by service id, whatever the form of the entry.
    p = write_case(tmp_path, "- helsetjenester_i_hjemmet\n- korttidsopphold\n")
    out = engine.evaluate(engine.read_case(p))
    lt = out.decisions[0]
    # Without results the history cannot say the help at home was not enough: the assessment
    # is asked for (or the results), not assumed.
    assert lt.outcome == "uavklart" and "tjenester.forsøkt" in lt.missing


def test_received_services_and_frequency(engine, tmp_path):
    # Round-the-clock supervision, help at night, and home nursing three times a day already:
    # not forsvarlig at home (hol § 4-1), so no waiting list (pbrl § 2-1 e andre ledd) - when no
    # other adult at home can and will help at night (issue 8: she lives alone).
    p = tmp_path / "sak.yaml"
    p.write_text(textwrap.dedent("""\
        id: mottar
        municipality: Drammen
        application_date: 2023-05-02
        applied_for: [langtidsopphold]
        facts:
          søker: {alder: 90, bor_alene: true}
          helse: {behov_tilsyn_døgnet_rundt: true, nattlig_behov: true}
          tjenester:
            lavere_nivå_vurdert: true
            forsøkt: [korttidsopphold]
            mottar:
              - {tjeneste: helsetjenester_i_hjemmet, besøk_per_uke: 21}
          vurdering: {eneste_forsvarlige_langtidsopphold: false}
        """), encoding="utf-8")
    lt = engine.evaluate(engine.read_case(p)).decisions[0]
    assert lt.outcome == "innvilget" and lt.reasons[0].rule == "lt-innvilget"
    sources = {k: v for r in lt.reasons for k, v in r.sources.items()}
    assert sources["vurdering.forsvarlig_hjemme"] == "utledet"
    assert sources["vurdering.eneste_forsvarlige_langtidsopphold"] == "skjønn"
