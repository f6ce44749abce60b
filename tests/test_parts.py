"""Applications with parts, amounts and forms (issue 7, items 1, 3 and 8).

The rule set ``tests/fixtures/parts/rules/delta-2023.yaml`` and the cases beside it are
written as a policy author would write them; each case says why the law demands its
decision. Here: that they pass, what the outputs say, the located errors for bad input,
the warnings where a municipal rule could take from a right, and the property that a
decision with parts is ``uavklart`` exactly when the completions of its unknown facts differ.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import FIXTURES, ROOT, line_col

from tildeling import compile_ruleset, load_ruleset
from tildeling.engine import Engine
from tildeling.evaluation import parts as parts_module
from tildeling.evaluation.parts import application_key, decide_application
from tildeling.evaluation.completions import rules_in_order
from tildeling.evaluation.trace import Tracer
from tildeling.evaluation.walker import decide_service, environment
from tildeling.files.outcome import to_plain
from tildeling.language.interpreter import interpret
from tildeling.reports.render import to_markdown, to_text
from tildeling.rules.cases import AppliedFor, load_case
from tildeling.ruletest.runner import run_cases

PARTS = FIXTURES / "parts"
RULES = PARTS / "rules"
DELTA = RULES / "delta-2023.yaml"


def cli(*args):
    return subprocess.run([sys.executable, "-m", "tildeling", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def engine():
    return Engine(RULES)


def outcome(engine, name: str, lang: str = "nb"):
    return engine.evaluate(load_case(PARTS / "cases" / name), lang=lang)


def test_the_policy_authors_cases_pass(engine):
    report = run_cases(engine, sorted((PARTS / "cases").glob("*.yaml")))
    assert report.failures == []
    assert report.passed == 6


def test_cleaning_granted_shopping_refused_is_partly_granted_with_each_parts_reason(engine):
    out = outcome(engine, "pb-deler.yaml")
    [d] = out.decisions
    assert d.outcome == "delvis_innvilget"
    by_part = {p.part: p for p in d.parts}
    assert by_part["rengjøring"].outcome == "innvilget"
    assert by_part["innkjøp"].outcome == "avslag"
    assert by_part["innkjøp"].reasons[0].legal_basis == "pbrl § 2-1 a andre ledd"
    assert "hjemlevering" in by_part["innkjøp"].reasons[0].text
    plain = to_plain(out)["decisions"][0]
    assert plain["applied"] == {"amount": None, "parts": ["rengjøring", "innkjøp"], "form": None}
    assert [p["part"] for p in plain["parts"]] == ["rengjøring", "innkjøp"]
    assert plain["parts"][1]["reasons"][0]["rule"] == "pb-innkjøp-varelevering"
    text = to_text(out)
    assert "Rengjøring: Innvilget" in text and "Innkjøp: Avslag" in text
    letter = to_markdown(out)
    granted = letter.index("### Dette innvilges")
    refused = letter.index("### Dette avslås")
    assert granted < letter.index("**Rengjøring**") < refused < letter.index("**Innkjøp**")
    assert "dekket uten kommunal hjelp. (pbrl § 2-1 a andre ledd)" in letter
    assert "pb-rengjøring" not in letter and "pb-innkjøp" not in letter  # no rule ids in the letter
    nn = to_markdown(outcome(engine, "pb-deler.yaml", lang="nn"))
    assert "### Dette blir avslått" in nn


def test_twenty_hours_applied_ten_granted(engine):
    [d] = outcome(engine, "pb-omfang.yaml").decisions
    assert (d.outcome, d.amount.value, d.applied.amount) == ("delvis_innvilget", 10, 20)
    assert d.reasons[-1].text == "Det er søkt om 20 timer per uke. Det innvilges 10 timer per uke."


def test_respite_without_days_applied_for_is_decided(engine):
    [d] = outcome(engine, "av-uten-omfang.yaml").decisions
    assert d.outcome == "innvilget" and d.missing == () and d.amount.value == 6


def test_bpa_exclusions_take_parts_not_the_right(engine):
    [d] = outcome(engine, "bpa-deler.yaml").decisions
    assert (d.outcome, d.decided_by) == ("delvis_innvilget", "lovkrav")
    by_part = {p.part: p for p in d.parts}
    assert by_part["dagtid"].outcome == "innvilget" and not by_part["dagtid"].outside_right
    for pid in ("natt", "to_tjenesteytere"):
        assert by_part[pid].outcome == "avslag" and by_part[pid].outside_right
        assert by_part[pid].reasons[0].legal_basis == "pbrl § 2-1 d andre ledd"
    assert "ordinære tjenester" in by_part["natt"].reasons[0].text


def test_respite_in_two_forms_gives_two_decisions(engine):
    out = outcome(engine, "av-to-former.yaml")
    assert [(d.service, d.form, d.step, d.outcome) for d in out.decisions] == [
        ("avlastning", "institusjon", 11, "innvilget"), ("avlastning", "hjemme", 6, "innvilget")]
    assert out.samlevedtak


def test_equivalent_form_is_granted_with_the_form_stated(engine):
    [d] = outcome(engine, "lt-heldøgns-bolig.yaml").decisions
    assert (d.outcome, d.form, d.step) == ("innvilget", "heldøgns_bolig", 10)
    assert "likeverdig etter loven" in d.reasons[-1].text


def test_another_form_than_applied_without_equivalence_is_partly_granted(engine, tmp_path):
    case = (PARTS / "cases" / "lt-heldøgns-bolig.yaml").read_text(encoding="utf-8")
    rules = DELTA.read_text(encoding="utf-8").replace("        equivalent_to: sykehjem\n", "")
    p = tmp_path / "delta-2023.yaml"
    p.write_text(rules.replace("../../../../rules/felles/", str(ROOT / "rules" / "felles") + "/"), encoding="utf-8")
    c = tmp_path / "sak.yaml"
    c.write_text(case, encoding="utf-8")
    [d] = Engine(tmp_path).evaluate(load_case(c)).decisions
    assert (d.outcome, d.form, d.step) == ("delvis_innvilget", "heldøgns_bolig", 10)


def test_a_short_form_application_is_unchanged(engine, tmp_path):
    c = tmp_path / "sak.yaml"
    c.write_text((PARTS / "cases" / "pb-deler.yaml").read_text(encoding="utf-8").replace(
        "  - service: praktisk_bistand\n    parts: [rengjøring, innkjøp]\n", "  - praktisk_bistand\n"), encoding="utf-8")
    out = Engine(RULES).evaluate(load_case(c))
    [d] = to_plain(out)["decisions"]
    assert d["outcome"] == "innvilget"
    assert not {"form", "applied", "parts"} & set(d)  # the JSON of a short-form case is as before


# --- located errors in cases and rule sets -----------------------------------------------------

def _case(tmp_path, applied: str) -> Path:
    text = (PARTS / "cases" / "pb-deler.yaml").read_text(encoding="utf-8")
    start, end = text.index("applied_for:\n"), text.index("facts:\n")
    p = tmp_path / "sak.yaml"
    p.write_text(text[:start] + "applied_for:\n" + applied + text[end:], encoding="utf-8")
    return p


@pytest.mark.parametrize("applied, needle, expected", [
    ("  - {service: praktisk_bistand, parts: [rengjøring, innkjop]}\n", "innkjop",
     "feil[unknown-part]: Tjenesten «praktisk_bistand» har ingen del «innkjop».\n"),
    ("  - {service: avlastning, form: institusjonn}\n", "institusjonn",
     "feil[unknown-form]: Tjenesten «avlastning» har ingen form «institusjonn».\n"),
    ("  - {service: avlastning, form: hjemme}\n  - {service: avlastning, form: hjemme}\n", "{service: avlastning",
     "feil[duplicate-application]: Tjenesten «avlastning» er søkt om flere ganger uten ulike former.\n"),
    ("  - {service: praktisk_bistand, amount: -5}\n", "-5",
     "feil[amount-out-of-range]: Omfanget det søkes om for «praktisk_bistand» må være større enn 0 og høyst 10000.\n"),
])
def test_bad_applications_are_located_errors_in_norwegian(tmp_path, applied, needle, expected):
    p = _case(tmp_path, applied)
    occurrence = 2 if expected.startswith("feil[duplicate") else 1
    line, col = line_col(p.read_text(encoding="utf-8"), needle, occurrence)
    r = cli("validate", str(p), "--rules-dir", str(RULES))
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"{p}:{line}:{col}: {expected}" in r.stdout + "\n", r.stdout
    if "unknown-part" in expected:
        assert "hint: mente du «innkjøp»?" in r.stdout
    if "unknown-form" in expected:
        assert "hint: mente du «institusjon»?" in r.stdout


def _rules(tmp_path, old: str, new: str) -> Path:
    text = DELTA.read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "delta-2023.yaml"
    p.write_text(text.replace(old, new, 1).replace("../../../../rules/felles/", str(ROOT / "rules" / "felles") + "/"),
                 encoding="utf-8")
    return p


def test_an_unknown_form_in_a_rule_set_is_a_located_error(tmp_path):
    p = _rules(tmp_path, "        form: heldøgns_bolig\n", "        form: heldogns_bolig\n")
    line, col = line_col(p.read_text(encoding="utf-8"), "heldogns_bolig")
    r = cli("validate", str(p))
    assert r.returncode == 1
    assert f"{p}:{line}:{col}: feil[unknown-form]: Tjenesten «langtidsopphold» har ingen form «heldogns_bolig»." in r.stdout
    assert "hint: mente du «heldøgns_bolig»?" in r.stdout


def test_validate_warns_where_a_municipal_rule_could_take_from_a_right(tmp_path):
    # A municipal refusal of a BPA part (the right is granted as lovkrav) …
    p = _rules(tmp_path, "            outcome: avslag\n            layer: lovkrav\n            reason: {nb: \"Tjenester om natten",
               "            outcome: avslag\n            reason: {nb: \"Tjenester om natten")
    rs = load_ruleset(p)
    [w] = [w for w in rs.warnings if w.code == "municipal-refuses-right-part"]
    assert "«natt»" in w.message and "«bpa-natt»" in w.message
    # … and a right nested under a municipal condition.
    q = _rules(tmp_path, """      - id: bpa-rett
        layer: lovkrav
        when: behov.timer_per_uke >= parameter.bpa_timer_rett
        outcome: innvilget""", """      - id: bpa-kommunal-gruppe
        when: søker.alder < 50
        decision:
          - id: bpa-rett
            layer: lovkrav
            when: behov.timer_per_uke >= parameter.bpa_timer_rett
            outcome: innvilget""")
    text = q.read_text(encoding="utf-8").replace(
        "        legal_basis: [pbrl § 2-1 d fjerde ledd]\n        reason: {nb: \"Søkeren har et langvarig",
        "            legal_basis: [pbrl § 2-1 d fjerde ledd]\n            reason: {nb: \"Søkeren har et langvarig")
    text = text.replace("retten til BPA avgjør.\"}\n      - id: bpa-under-grensen",
                        "retten til BPA avgjør.\"}\n          - {id: bpa-gruppe-ellers, else: true, outcome: avslag}\n"
                        "      - id: bpa-under-grensen")
    q.write_text(text, encoding="utf-8")
    r = cli("validate", str(q))
    assert r.returncode == 0, r.stdout
    assert "advarsel[right-under-municipal-condition]: Lovkravet «bpa-rett» står under det kommunale vilkåret " \
           "«bpa-kommunal-gruppe»" in r.stdout
    assert not [w for w in load_ruleset(DELTA).warnings if w.code.startswith(("right-", "municipal-refuses"))]


# --- property: with parts, uavklart iff completions differ; fast path = generic walker -----------

FACTS = {
    "funksjon.husarbeid": (1, 2, 3, 4, 5, 9),
    "funksjon.matlaging": (1, 2, 3, 4, 5, 9),
    "behov.varelevering_tilgjengelig": (False, True),
    "husstand.annen_voksen_kan_utføre": (False, True),
}
CONDITIONS = [
    "funksjon.husarbeid {op} {k}",
    "funksjon.matlaging {op} {k}",
    "max(funksjon.husarbeid, funksjon.matlaging) {op} {k}",
    "behov.varelevering_tilgjengelig",
    "ikke husstand.annen_voksen_kan_utføre",
    "husstand.annen_voksen_kan_utføre eller funksjon.husarbeid {op} {k}",
]
OPS = ("<", "<=", ">", ">=")


@st.composite
def decision_list(draw, prefix: str, indent: str) -> str:
    lines = [f"{indent}decision:"]
    for i in range(draw(st.integers(0, 3))):
        cond = draw(st.sampled_from(CONDITIONS)).format(op=draw(st.sampled_from(OPS)), k=draw(st.integers(1, 5)))
        lines += [f"{indent}  - id: {prefix}{i}", f"{indent}    when: {cond}",
                  f"{indent}    outcome: {draw(st.sampled_from(['avslag', 'innvilget']))}"]
    lines += [f"{indent}  - id: {prefix}-ellers", f"{indent}    else: true",
              f"{indent}    outcome: {draw(st.sampled_from(['avslag', 'innvilget']))}"]
    return "\n".join(lines) + "\n"


@st.composite
def service_with_parts(draw) -> str:
    return ("    parts:\n"
            "      a:\n        name: {nb: A}\n" + draw(decision_list("a", "        "))
            + "      b:\n        name: {nb: B}\n" + draw(decision_list("b", "        "))
            + draw(decision_list("s", "    ")))


def _compile(block: str):
    text = DELTA.read_text(encoding="utf-8")
    start = text.index("  praktisk_bistand:\n")
    end = text.index("  avlastning:\n")
    service = ("  praktisk_bistand:\n    name: {nb: Praktisk bistand}\n    legal_basis: [hol § 3-2 første ledd nr. 6 bokstav b]\n"
               "    step: 6\n" + block + "\n")
    text = (text[:start] + service + text[end:]).replace("../../../../rules/felles/", str(ROOT / "rules" / "felles") + "/")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "delta-2023.yaml"
        path.write_text(text, encoding="utf-8")
        return compile_ruleset(load_ruleset(path))


APP = AppliedFor("praktisk_bistand", ("a", "b"))
ON = dt.date(2023, 6, 1)


def _decide(crs, facts: dict, how: str = "fast"):
    # Not living alone, so the household facts are inputs (living alone derives them: see
    # tests/test_derived_facts.py) and the brute force below enumerates exactly the inputs.
    env = environment(crs, {"søker.bor_alene": False, **facts}, ON)
    if how == "traced":
        return decide_application(crs, env, APP, Tracer(env))
    return decide_application(crs, env, APP)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(service_with_parts(), st.lists(st.fixed_dictionaries({}, optional={f: st.sampled_from(v) for f, v in FACTS.items()}),
                                      min_size=1, max_size=3))
def test_parts_uavklart_iff_completions_differ_and_paths_agree(block, cases):
    crs = _compile(block)
    service = crs.services["praktisk_bistand"]
    conditions = [(r.source.when, r.cond) for cs in [service] + [p.service for p in service.parts.values()]
                  for r in rules_in_order(cs.tree) if r.cond is not None]
    for facts in cases:
        env = environment(crs, {**facts, "søkt.deler": ("a", "b")}, ON)
        for when, fn in conditions:  # the generated code agrees with the reference interpreter
            expected = interpret(when, env, service.source.scope)
            assert fn(env) is expected or fn(env) == expected, (when, env)
        got = _decide(crs, facts)
        # the generated fast path, the traced path and the generic walker decide alike
        assert application_key(_decide(crs, facts, "traced")) == application_key(got)
        original = parts_module._decide
        try:
            parts_module._decide = lambda service, env, tracer, fast, traced: decide_service(service, env)
            assert application_key(_decide(crs, facts)) == application_key(got)
        finally:
            parts_module._decide = original
        missing = [f for f in FACTS if f not in facts]
        table = {}
        for combo in itertools.product(*(FACTS[f] for f in missing)):
            table[combo] = application_key(_decide(crs, {**facts, **dict(zip(missing, combo))}))
        keys = set(table.values())
        if got.outcome == "uavklart":
            assert len(keys) > 1, (block, facts, keys)
        else:
            assert keys == {application_key(got)}, (block, facts, got.outcome, keys)
        can_change = set()
        for i, f in enumerate(missing):
            for combo, key in table.items():
                if any(table[combo[:i] + (v,) + combo[i + 1:]] != key for v in FACTS[f]):
                    can_change.add(f)
        listed = set(got.walk.missing) if got.outcome == "uavklart" and got.walk is not None else set()
        assert listed == can_change, (block, facts, listed, can_change)


def test_a_part_left_open_makes_the_decision_open_and_lists_what_settles_it(engine, tmp_path):
    c = _case(tmp_path, "  - {service: praktisk_bistand, parts: [rengjøring, innkjøp]}\n")
    c.write_text(c.read_text(encoding="utf-8").replace("  behov: {varelevering_tilgjengelig: true}\n", ""),
                 encoding="utf-8")
    out = engine.evaluate(load_case(c))
    [d] = out.decisions
    assert d.outcome == "uavklart" and d.missing == ("behov.varelevering_tilgjengelig",)
    assert [p.outcome for p in d.parts] == ["innvilget", "uavklart"]
    assert json.loads(json.dumps(to_plain(out)))["decisions"][0]["missing"] == ["behov.varelevering_tilgjengelig"]


def test_application_names_in_rules(tmp_path):
    # søknad.tjenester (case-wide, always known) and søkt.deler (per service) in conditions; a
    # part id that the service does not declare is caught when the rule set is checked.
    _rules(tmp_path, "      - id: pb-ingen-behov\n        when: husholdsbehov < 3\n",
               "      - id: pb-ingen-behov\n        when: husholdsbehov < 3 eller (\"bpa\" i søknad.tjenester "
               "og ikke \"rengjøring\" i søkt.deler)\n")
    c = _case(tmp_path, "  - {service: praktisk_bistand, parts: [innkjøp]}\n  - {service: bpa, parts: [dagtid]}\n")
    engine = Engine(tmp_path)
    [pb, _bpa] = engine.evaluate(load_case(c)).decisions
    assert (pb.outcome, pb.reasons[0].rule) == ("avslag", "pb-ingen-behov")
    c2 = _case(tmp_path, "  - {service: praktisk_bistand, parts: [innkjøp]}\n")
    assert engine.evaluate(load_case(c2)).decisions[0].outcome == "avslag"  # refused by the innkjøp part
    bad = _rules(tmp_path, "      - id: pb-ingen-behov\n        when: husholdsbehov < 3\n",
                 "      - id: pb-ingen-behov\n        when: husholdsbehov < 3 eller \"rengjoring\" i søkt.deler\n")
    r = cli("validate", str(bad))
    assert r.returncode == 1, r.stdout
    assert "feil[unknown-value]: «rengjoring» er ikke en gyldig verdi for «søkt.deler»." in r.stdout
    assert "hint: mente du «rengjøring»?" in r.stdout


def test_what_is_not_said_in_a_short_form_application_is_never_asked_for(tmp_path):
    # drammen-2021 grants heldøgns bolig only when the application names a form
    # (kjent(søkt.form)); a short-form application open on forsvarlig_hjemme must ask for that
    # alone, not for the form applied for or the medical need that only the form makes relevant.
    c = tmp_path / "sak.yaml"
    c.write_text("""id: kort-lt
municipality: Drammen
application_date: 2021-12-06
applied_for: [langtidsopphold]
facts:
  søker: {alder: 88}
  helse: {behov_tilsyn_døgnet_rundt: true}
  tjenester: {lavere_nivå_vurdert: true}
  vurdering: {eneste_forsvarlige_langtidsopphold: false}
""", encoding="utf-8")
    [d] = Engine(ROOT / "rules").evaluate(load_case(c)).decisions
    # Whether home is still forsvarlig is a conclusion drawn from facts (item 7): the facts
    # behind it are asked for, never the form applied for or the medical need.
    assert d.outcome == "uavklart"
    # Issue 8: help at home can also be shown forsvarlig (home nursing works, another adult at
    # home can and will help at night, no wandering), so those facts are asked for too.
    assert d.missing == ("helse.forlatt_hjemmet_om_natten", "helse.nattlig_behov", "søker.bor_alene",
                         "tjenester.forsøkt", "tjenester.mottar")
    assert not any(f.startswith("søkt.") or f == "helse.medisinsk_behandlingsbehov" for f in d.missing)
    assert d.form is None and d.applied is None
