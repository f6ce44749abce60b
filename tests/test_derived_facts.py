"""Derived facts (issue 7, item 4): facts that follow from others are not asked for; a given
fact wins over its derivation; derivations are checked like conditions (located errors, no
cycles); explanations say which facts were given, derived or assessed.

Written as a policy author would: a case file (and where needed a small rule set next to it)
per test, judged by the shipped rule sets or by the small one."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import ROOT

from tildeling.core.errors import RuleSetError
from tildeling.engine import Engine
from tildeling.rules.cases import load_case
from tildeling.rules.ruleset import load_ruleset

FELLES = ROOT / "rules" / "felles"


@pytest.fixture(scope="module")
def engine():
    return Engine(ROOT / "rules")


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def decide(engine, tmp_path: Path, case_text: str, **kw):
    case = engine.read_case(write(tmp_path, "sak.yaml", case_text))
    out = engine.evaluate(case, **kw)
    return out, {d.service: d for d in out.decisions}


# --- the shipped derivations, with the Drammen rule set ------------------------------------------

LIVES_ALONE = """\
    id: bor-alene
    municipality: Drammen
    application_date: 2023-05-02
    applied_for: [praktisk_bistand]
    facts:
      søker: {alder: 81, bor_alene: true}
      funksjon: {husarbeid: 4, innkjøp: 4, matlaging: 4}
      helse: {rehabiliteringspotensial: false}
      behov: {opplæring_kan_gi_mestring: false}
    expect:
      praktisk_bistand:
        outcome: innvilget
        reasons: [pb-innvilget]
        missing: []
        why: >-
          Husarbeid IPLOS 4 er behov for personlig hjelp (hol § 3-2 første ledd nr. 6 bokstav b),
          og den som bor alene har ingen annen voksen i husstanden som kan overta oppgavene.
    """


def test_living_alone_is_never_asked_about_another_adult(engine, tmp_path):
    out, d = decide(engine, tmp_path, LIVES_ALONE)
    pb = d["praktisk_bistand"]
    assert pb.outcome == "innvilget" and pb.reasons[0].rule == "pb-innvilget"
    assert not [f for f in pb.missing if f.startswith("husstand.")]
    reason = pb.reasons[0]
    # The household facts the rule used are shown, as derived, with the basis in the text.
    assert reason.facts["husstand.annen_voksen_kan_utføre"] is False
    assert reason.sources["husstand.annen_voksen_kan_utføre"] == "utledet"
    assert reason.sources["husstand.annen_voksen_vil_bidra"] == "utledet"
    assert reason.sources["funksjon.husarbeid"] == "oppgitt"
    assert "Bor alene ⇒ ingen annen voksen i husstanden (utledet)." in reason.text
    assert reason.text.count("(utledet)") == 1  # one basis, however many facts it settles
    plain = out.to_dict()["decisions"][0]["reasons"][0]["sources"]
    assert plain["husstand.annen_voksen_kan_utføre"] == "utledet"


def test_living_alone_without_the_scores_asks_only_for_the_scores(engine, tmp_path):
    text = LIVES_ALONE.replace("funksjon: {husarbeid: 4, innkjøp: 4, matlaging: 4}", "funksjon: {innkjøp: 2}")
    _, d = decide(engine, tmp_path, text)
    pb = d["praktisk_bistand"]
    assert pb.outcome == "uavklart"
    assert pb.missing and not [f for f in pb.missing if f.startswith("husstand.")]


def test_not_saying_whether_one_lives_alone_asks_for_it(engine, tmp_path):
    # Without søker.bor_alene the household facts are unknown; living alone would settle them.
    text = LIVES_ALONE.replace("søker: {alder: 81, bor_alene: true}", "søker: {alder: 81}")
    _, d = decide(engine, tmp_path, text)
    pb = d["praktisk_bistand"]
    assert pb.outcome == "uavklart"
    assert "søker.bor_alene" in pb.missing


def test_given_fact_wins_over_the_derivation(engine, tmp_path):
    # The case says another adult can and will help (the applicant was registered as living
    # alone, but the caseworker found otherwise): what is given is what counts.
    text = LIVES_ALONE.replace("      behov: {opplæring_kan_gi_mestring: false}\n",
                               "      behov: {opplæring_kan_gi_mestring: false}\n"
                               "      husstand: {annen_voksen_kan_utføre: true, annen_voksen_vil_bidra: true}\n")
    text = text[:text.index("    expect:")]
    _, d = decide(engine, tmp_path, text)
    pb = d["praktisk_bistand"]
    assert pb.outcome == "avslag" and pb.reasons[0].rule == "pb-husstand"
    assert pb.reasons[0].sources["husstand.annen_voksen_kan_utføre"] == "oppgitt"
    assert "(utledet)" not in pb.reasons[0].text


def test_discharge_ready_patient_is_not_asked_about_a_doctor_round_the_clock(engine, tmp_path):
    out, d = decide(engine, tmp_path, """\
        id: utskrivningsklar
        municipality: Drammen
        application_date: 2023-05-02
        applied_for: [korttidsopphold]
        facts:
          søker: {alder: 79}
          helse: {utskrivningsklar: true, legevurdering_foreligger: true, rehabiliteringspotensial: true}
        """)
    kt = d["korttidsopphold"]
    # A patient the hospital has declared ready for discharge needs no doctor round the clock.
    assert kt.outcome == "innvilget" and kt.reasons[0].rule == "kt-rehabilitering"
    assert "helse.behov_lege_døgnet_rundt" not in kt.missing and kt.missing == ()


def test_discharge_ready_patient_is_not_asked_about_hospital_for_kad(engine, tmp_path):
    _, d = decide(engine, tmp_path, """\
        id: kad
        municipality: Drammen
        application_date: 2023-05-02
        applied_for: [kad]
        facts:
          helse: {utskrivningsklar: true, akutt_forverring: true, legevurdering_foreligger: true}
        """)
    kad = d["kad"]
    assert kad.outcome == "innvilget" and "helse.trenger_sykehus" not in kad.missing
    assert kad.reasons[0].facts["helse.trenger_sykehus"] is False
    assert kad.reasons[0].sources["helse.trenger_sykehus"] == "utledet"


def test_dementia_diagnosis_is_a_lasting_impairment(engine, tmp_path):
    # Alver: «heildøgnsbehov og tilstand.varig_funksjonssvikt og tjenester.lavere_nivå_vurdert».
    _, d = decide(engine, tmp_path, """\
        id: demens
        municipality: Alver
        application_date: 2023-05-02
        applied_for: [langtidsopphold]
        facts:
          søker: {alder: 88}
          tilstand: {demensdiagnose: true}
          helse: {behov_tilsyn_døgnet_rundt: true}
          tjenester: {lavere_nivå_vurdert: true}
          vurdering: {eneste_forsvarlige_langtidsopphold: false, forsvarlig_hjemme: false}
        """)
    lt = d["langtidsopphold"]
    assert "tilstand.varig_funksjonssvikt" not in lt.missing
    facts = {k: v for r in lt.reasons for k, v in r.facts.items()}
    sources = {k: v for r in lt.reasons for k, v in r.sources.items()}
    assert facts.get("tilstand.varig_funksjonssvikt") is True
    assert sources["tilstand.varig_funksjonssvikt"] == "utledet"
    # The caseworker's assessments are shown as such.
    assert sources["vurdering.forsvarlig_hjemme"] == "skjønn"


def test_only_forsvarlig_offer_derived_from_the_history(engine, tmp_path):
    out, d = decide(engine, tmp_path, """\
        id: eneste-forsvarlige
        municipality: Drammen
        application_date: 2023-05-02
        applied_for: [langtidsopphold]
        facts:
          søker: {alder: 90}
          helse: {behov_tilsyn_døgnet_rundt: true}
          tjenester:
            forsøkt:
              - {tjeneste: helsetjenester_i_hjemmet, resultat: ikke_nok, fra: 2022-10-01, til: 2023-03-31}
              - {tjeneste: korttidsopphold, resultat: ikke_nok}
        expect:
          langtidsopphold:
            outcome: innvilget
            reasons: [lt-eneste-forsvarlige]
            why: >-
              Hjemmesykepleie og korttidsopphold er forsøkt uten å være nok, og behovet er tilsyn
              hele døgnet: langtidsopphold er det eneste forsvarlige tilbudet (pbrl § 2-1 e).
        """)
    lt = d["langtidsopphold"]
    assert lt.outcome == "innvilget" and lt.reasons[0].rule == "lt-eneste-forsvarlige"
    assert lt.decided_by == "lovkrav"
    assert lt.reasons[0].sources["vurdering.eneste_forsvarlige_langtidsopphold"] == "utledet"
    assert ("Hjelpen kan ikke gis forsvarlig hjemme, og korttidsopphold er forsøkt uten å være nok ⇒ "
            "langtidsopphold er det eneste forsvarlige tilbudet (utledet).") in lt.reasons[0].text


def test_assessment_given_by_the_caseworker_wins_and_is_shown_as_skjonn(engine, tmp_path):
    _, d = decide(engine, tmp_path, """\
        id: skjønn
        municipality: Drammen
        application_date: 2023-05-02
        applied_for: [langtidsopphold]
        facts:
          søker: {alder: 90}
          helse: {behov_tilsyn_døgnet_rundt: true}
          tjenester:
            lavere_nivå_vurdert: true
            forsøkt:
              - {tjeneste: helsetjenester_i_hjemmet, resultat: ikke_nok}
              - {tjeneste: korttidsopphold, resultat: ikke_nok}
          vurdering: {eneste_forsvarlige_langtidsopphold: false, forsvarlig_hjemme: true}
        """)
    lt = d["langtidsopphold"]
    # The caseworker found home care forsvarlig in the waiting time: venteliste (a grant with a
    # place when one is free, pbrl § 2-1 e andre ledd; issue 8).
    assert lt.outcome == "innvilget" and lt.reasons[0].rule == "lt-venteliste"
    assert lt.reasons[0].sources["vurdering.forsvarlig_hjemme"] == "skjønn"
    assert "skjønnsmessige vurdering" in lt.reasons[0].text


# --- derivations are checked: located errors ------------------------------------------------------

def small_rule_set(tmp_path: Path, facts_yaml: str, when: str = "a") -> Path:
    write(tmp_path, "fakta.yaml", "id: fakta\nversion: '1'\nfacts:\n" + textwrap.indent(textwrap.dedent(facts_yaml), "  "))
    return write(tmp_path, "liten-2023.yaml", f"""\
        id: liten
        municipality: Liten
        version: "1"
        valid_from: 2023-01-01
        status: draft
        uses: {{vocabulary: fakta.yaml, staircase: {FELLES / 'trapp-13.yaml'}}}
        services:
          praktisk_bistand:
            name: {{nb: Praktisk bistand}}
            legal_basis: [hol § 3-2 første ledd nr. 6 bokstav b]
            step: 6
            decision:
              - {{id: ja, when: "{when}", outcome: innvilget, reason: {{nb: Ja.}}}}
              - {{id: nei, else: true, outcome: avslag, reason: {{nb: Nei.}}}}
        """)


def errors(path: Path) -> list:
    with pytest.raises(RuleSetError) as exc:
        load_ruleset(path)
    return [d for d in exc.value.diagnostics if d.severity == "error"]


def test_derivation_cycle_is_a_located_error(tmp_path):
    p = small_rule_set(tmp_path, """\
        g.a:
          type: janei
          label: {nb: a}
          derived: [{when: g.b, value: true, basis: {nb: b ⇒ a}}]
        g.b:
          type: janei
          label: {nb: b}
          derived: [{when: ikke g.a, value: false, basis: {nb: ikke a ⇒ ikke b}}]
        """, when="g.a")
    found = errors(p)
    assert [d.code for d in found] == ["derivation-cycle"]
    d = found[0]
    assert d.span is not None and d.span.file.endswith("fakta.yaml") and d.span.line == 7
    assert "g.a → g.b → g.a" in d.message and d.hint


def test_derivation_when_is_type_checked_with_located_errors(tmp_path):
    p = small_rule_set(tmp_path, """\
        g.a:
          type: janei
          label: {nb: a}
          derived:
            - {when: g.n + 1, value: true, basis: {nb: x}}
            - {when: g.nn > 3, value: true, basis: {nb: y}}
            - {when: g.n > 3, value: 7, basis: {nb: z}}
        g.n: {type: tall, label: {nb: n}}
        """, when="g.a")
    found = sorted(errors(p), key=lambda d: d.span.line)
    assert [d.code for d in found] == ["type-mismatch", "unknown-name", "type-mismatch"]
    assert [d.span.line for d in found] == [8, 9, 10]
    assert all(d.span.file.endswith("fakta.yaml") for d in found)
    assert "mente du «g.n»?" in (found[1].hint or "")
    assert "«g.a»" in found[2].message  # the value 7 does not fit a yes/no fact


CHAIN = """\
    g.a: {type: janei, label: {nb: a}}
    g.b:
      type: janei
      label: {nb: b}
      derived: [{when: g.a, value: true, basis: {nb: a ⇒ b}}]
    g.c:
      type: janei
      label: {nb: c}
      derived:
        - {when: g.b, value: true, basis: {nb: b ⇒ c}}
        - {when: ikke g.a, value: false, basis: {nb: ikke a ⇒ ikke c}}
    """


@pytest.mark.parametrize("facts, outcome, missing", [
    ("{g: {a: true}}", "innvilget", ()),
    # a false: b's derivation fails, so b is an input again; c's first derivation (b) comes
    # before «ikke a», so b given true would still make c true: b is asked for.
    ("{g: {a: false}}", "uavklart", ("g.b",)),
    ("{g: {a: false, b: false}}", "avslag", ()),
    ("{}", "uavklart", ("g.a", "g.b")),
    ("{g: {c: false, a: true}}", "avslag", ()),  # given wins over the chain
    ("{g: {b: false, a: true}}", "uavklart", ("g.c",)),  # b given false: c's derivations all fail
])
def test_derived_fact_chain_and_given_facts(tmp_path, facts, outcome, missing):
    p = small_rule_set(tmp_path, CHAIN, when="g.c")
    case = write(tmp_path, "sak.yaml", f"id: x\nmunicipality: Liten\napplication_date: 2023-05-02\n"
                                       f"applied_for: [praktisk_bistand]\nfacts: {facts}\n")
    d = Engine(tmp_path).evaluate(load_case(case), rules=p).decisions[0]
    assert (d.outcome, d.missing) == (outcome, missing)


def test_validate_checks_the_derivations_of_a_vocabulary_file(tmp_path):
    import subprocess
    import sys
    p = write(tmp_path, "fakta.yaml", """\
        id: fakta
        version: '1'
        facts:
          g.a:
            type: janei
            label: {nb: a}
            derived: [{when: g.b, value: true, basis: {nb: b ⇒ a}}]
          g.b:
            type: janei
            label: {nb: b}
            derived: [{when: g.a, value: true, basis: {nb: a ⇒ b}}]
        """)
    run = subprocess.run([sys.executable, "-m", "tildeling", "validate", str(p)], capture_output=True, text=True)
    assert run.returncode == 1
    assert f"{p}:7:" in run.stdout and "feil[derivation-cycle]" in run.stdout


@pytest.mark.parametrize("fmt, line", [
    ("text", "husstand.annen_voksen_kan_utføre = nei (utledet)"),
    ("markdown", "- annen voksen i husstanden kan utføre oppgavene: nei (utledet)"),
])
def test_text_and_letter_mark_derived_facts(tmp_path, fmt, line):
    import subprocess
    import sys
    p = write(tmp_path, "sak.yaml", LIVES_ALONE)
    run = subprocess.run([sys.executable, "-m", "tildeling", "evaluate", str(p), "--format", fmt,
                          "--rules-dir", str(ROOT / "rules")], capture_output=True, text=True, check=True)
    assert line in run.stdout
    assert "Bor alene ⇒ ingen annen voksen i husstanden (utledet)." in run.stdout


def test_derivation_legal_basis_is_checked(tmp_path):
    p = small_rule_set(tmp_path, """\
        g.a: {type: janei, label: {nb: a}}
        g.b:
          type: janei
          label: {nb: b}
          derived: [{when: g.a, value: true, basis: {nb: a ⇒ b}, legal_basis: [pbrl § 2-1 e annet ledd]}]
        """, when="g.b")
    (d,) = errors(p)
    assert d.code == "citation-syntax" and d.span.file.endswith("fakta.yaml") and d.span.line == 8


def test_living_alone_is_never_asked_about_another_adult_in_an_application_with_parts(tmp_path):
    """The same derivation holds when the application names parts (the long form of
    applied_for): completing the undecided parts follows the derivations, so a person who
    lives alone is never asked whether another adult in the household can or will help
    (hol § 3-2 første ledd nr. 6 bokstav b assesses the household; there is none)."""
    from helpers import ROOT

    from tildeling.engine import Engine
    from tildeling.rules.cases import load_case
    case = tmp_path / "sak.yaml"
    case.write_text("""id: alene-deler
municipality: Drammen
application_date: 2021-03-08
applied_for:
  - service: praktisk_bistand
    parts: [rengjøring, innkjøp]
facts:
  søker: {alder: 82, bor_alene: true}
  funksjon: {husarbeid: 4, innkjøp: 3, matlaging: 2}
""", encoding="utf-8")
    (d,) = Engine(ROOT / "rules").evaluate(load_case(case)).decisions
    asked = set(d.missing) | {f for p in d.parts for f in p.missing}
    assert not any(f.startswith("husstand.") for f in asked), asked


# --- BPA granted before 67, from the service history (issue 8, rehab) ----------------------------

BPA_SINCE_63 = """\
    id: bpa-før-67
    municipality: Drammen
    application_date: 2023-10-02
    applied_for: [bpa]
    facts:
      søker: {fødselsdato: 1955-02-11}
      tilstand: {varig_funksjonssvikt: true, kognitiv_svikt: ingen}
      funksjon: {beslutninger: 1}
      behov: {timer_per_uke: 42, tjenester_om_natten: false, krever_flere_tjenesteytere: false%s}
      tjenester:
        mottar:
          - {tjeneste: bpa, timer_per_uke: 35, fra: 2018-09-01}
"""


def test_bpa_granted_before_67_is_derived_from_the_history_and_a_stated_value_wins(engine, tmp_path):
    # BPA since 2018-09-01, at 63: the right continues at 68 (pbrl § 2-1 d første ledd).
    _, d = decide(engine, tmp_path, BPA_SINCE_63 % "")
    assert d["bpa"].outcome == "innvilget"
    assert d["bpa"].reasons[0].sources["behov.bpa_innvilget_før_67"] == "utledet"
    # The caseworker's explicit value goes before the derivation.
    _, d = decide(engine, tmp_path, BPA_SINCE_63 % ", bpa_innvilget_før_67: false")
    assert d["bpa"].outcome == "avslag"
    assert d["bpa"].reasons[0].rule == "bpa-over-67-avslag"
