"""``tildeling harmonise`` (issue 10): each case under its own former municipality's legacy rule
set and under the harmonised set, never a set against itself; the former municipality found by
the rules of docs/harmonisering.md (or the case not covered); parameters of a set used outside
its validity taken on the nearest date inside it; and the ``diff auto`` fix that shares it.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from helpers import ROOT

from tildeling import load_case
from tildeling.compare import harmonise as harmonise_module
from tildeling.compare.diff import parse_spec, run_diff
from tildeling.compare.harmonise import DIRECTIONS, direction, run_harmonise
from tildeling.corpus.read import iter_sources
from tildeling.engine import Engine, case_environment, evaluate_with
from tildeling.rules.merger import find_merger

DRAMMEN = ROOT / "cases" / "drammen"
ALVER = ROOT / "cases" / "alver"


@pytest.fixture(scope="module")
def engine():
    return Engine(ROOT / "rules")


def _run(engine, name, *paths, **kw):
    return run_harmonise(engine, name, iter_sources([Path(p) for p in paths]), **kw).to_json()


@pytest.fixture(scope="module")
def drammen(engine):
    return _run(engine, "drammen", DRAMMEN)


@pytest.fixture(scope="module")
def alver(engine):
    return _run(engine, "alver", ALVER)


def _heads(folder: Path) -> list[tuple[str, str, _dt.date]]:
    out = []
    for p in sorted(folder.glob("*.yaml")):
        d = yaml.safe_load(p.read_text(encoding="utf-8"))
        out.append((d["id"], d["municipality"], d["application_date"]))
    return out


# --- the merger and the former municipality ------------------------------------------------------

def test_the_merger_lists_its_legacy_sets_in_supersedes_order(engine):
    d = find_merger(engine.catalog(), "Drammen")
    assert d.municipalities == ("Drammen", "Nedre Eiker", "Svelvik")
    assert [e.version for e in d.harmonised] == ["2020.1", "2021.1"]
    assert find_merger(engine.catalog(), "alver").municipalities == ("Meland", "Radøy", "Lindås")
    assert find_merger(engine.catalog(), "svelvik-2019") is None  # supersedes nothing: not a merger
    assert find_merger(engine.catalog(), "gotham") is None


@pytest.mark.parametrize("municipality,former,on,expected", [
    ("Drammen", "svelvik", _dt.date(2022, 3, 1), ("Svelvik", None, None)),  # rule 1, any case
    ("Drammen", " Nedre  EIKER ", _dt.date(2022, 3, 1), ("Nedre Eiker", None, None)),
    ("Drammen", "Svelvk", _dt.date(2022, 3, 1), (None, "former-municipality-unknown", "Svelvik")),
    ("Drammen", "Oslo", _dt.date(2022, 3, 1), (None, "former-municipality-unknown", None)),
    ("Svelvik", None, _dt.date(2022, 3, 1), ("Svelvik", None, None)),  # rule 2: a legacy name, any date
    ("Svelvik", None, _dt.date(2019, 3, 1), ("Svelvik", None, None)),
    ("Drammen", None, _dt.date(2019, 12, 31), ("Drammen", None, None)),  # rule 2: before the merger
    ("Drammen", None, _dt.date(2020, 1, 1), (None, "former-municipality-missing", None)),  # rule 3
    ("Bærum", None, _dt.date(2022, 3, 1), (None, "municipality-not-in-merger", None)),
    ("Bærum", "Svelvik", _dt.date(2022, 3, 1), (None, "municipality-not-in-merger", None)),
])
def test_former_municipality_rules(engine, municipality, former, on, expected):
    f = find_merger(engine.catalog(), "drammen").former_municipality(municipality, former, on)
    assert (f.municipality, f.code, f.suggestion) == expected


def test_a_merged_name_no_legacy_municipality_had_is_never_placed(engine):
    alver = find_merger(engine.catalog(), "alver")
    assert alver.former_municipality("Alver", None, _dt.date(2019, 6, 1)).code == "former-municipality-missing"
    assert alver.former_municipality("Alver", "Radøy", _dt.date(2023, 6, 1)).municipality == "Radøy"


def test_the_legacy_and_harmonised_versions_are_those_in_force_else_the_nearest(engine):
    d = find_merger(engine.catalog(), "drammen")
    assert d.legacy_entry("Svelvik", _dt.date(2023, 1, 1)).id == "svelvik-2019"
    assert d.harmonised_entry(_dt.date(2019, 5, 2)).version == "2020.1"  # nearest, not the latest
    assert d.harmonised_entry(_dt.date(2020, 6, 1)).version == "2020.1"
    assert d.harmonised_entry(_dt.date(2024, 6, 1)).version == "2021.1"


# --- parameters on another date --------------------------------------------------------------------

def test_parameters_on_moves_only_the_parameters(engine):
    case = load_case(DRAMMEN / "dr-060.yaml")
    crs = engine.choose(case)[0]
    env, on = case_environment(crs, case)
    moved, on2 = case_environment(crs, case, parameters_on=_dt.date(2018, 6, 1))
    assert on2 == on  # judged on the case's own date
    params = {k for k in env if k.startswith("parameter.")}
    assert {k: v for k, v in moved.items() if not k.startswith("parameter.")} == \
           {k: v for k, v in env.items() if not k.startswith("parameter.")}
    expected = crs.ruleset.parameter_env(_dt.date(2018, 6, 1))
    assert {k: moved[k] for k in moved if k.startswith("parameter.")} == expected
    assert (moved["parameter.grunnbeløp"], env["parameter.grunnbeløp"]) == (96883, 99858)  # dr-060: 2020-02-17
    assert params  # the rule set has parameters at all
    # the case's own date as parameters_on is exactly the ordinary evaluation
    assert evaluate_with(crs, case, parameters_on=on) == evaluate_with(crs, case)


# --- the report on the shipped cases ---------------------------------------------------------------

def _expected_groups(folder: Path, merger_start: _dt.date, legacy: set[str]) -> tuple[Counter, int]:
    groups: Counter = Counter()
    not_covered = 0
    for _, municipality, on in _heads(folder):
        if municipality in legacy and (municipality != _merged(folder) or on < merger_start):
            groups[municipality] += 1
        else:
            not_covered += 1
    return groups, not_covered


def _merged(folder: Path) -> str:
    return {"drammen": "Drammen", "alver": "Alver"}[folder.name]


@pytest.mark.parametrize("name,folder", [("drammen", DRAMMEN), ("alver", ALVER)])
def test_each_legacy_municipality_is_counted_under_its_own_set(engine, drammen, alver, name, folder):
    data = drammen if name == "drammen" else alver
    merger = find_merger(engine.catalog(), name)
    groups, not_covered = _expected_groups(folder, merger.starts, set(merger.municipalities))
    assert [g["municipality"] for g in data["municipalities"]] == list(merger.municipalities)
    assert {g["municipality"]: g["cases"] for g in data["municipalities"]} == {m: groups[m] for m in
                                                                               merger.municipalities}
    assert all(g["cases"] > 0 for g in data["municipalities"])
    c = data["counted"]
    assert c["not_covered"] == not_covered == len(data["not_covered"])
    assert c["cases"] == c["persons"] == len(_heads(folder)) == c["covered_cases"] + c["not_covered"]
    assert set(c["not_covered_by_code"]) == {"former-municipality-missing"}
    legacy_ids = {e["id"] for e in data["merger"]["legacy"]}
    for g in data["municipalities"]:
        # each municipality under its own legacy set, and never the harmonised one on both sides
        own = {f"{e['id']} {e['version']}" for e in data["merger"]["legacy"] if e["municipality"] == g["municipality"]}
        assert set(g["rule_sets"]) <= own
        for ch in g["changes"]:
            assert ch["before"]["rule_set"].split()[0] in legacy_ids
            assert ch["after"]["rule_set"].split()[0] == data["merger"]["harmonised"][0]["id"]


def test_svelvik_2019_cases_are_compared_with_svelvik_2019_and_drammen_2022_cases_are_not_covered(drammen):
    svelvik = next(g for g in drammen["municipalities"] if g["municipality"] == "Svelvik")
    assert svelvik["rule_sets"] == ["svelvik-2019 2019.1"]
    dated = {case: (m, on) for case, m, on in _heads(DRAMMEN)}
    not_covered = {e["case"] for e in drammen["not_covered"]}
    assert not_covered == {c for c, (m, on) in dated.items() if m == "Drammen" and on.year >= 2020}
    assert all(e["code"] == "former-municipality-missing" and "cases/drammen/dr-" in e["source"]
               for e in drammen["not_covered"])


def test_the_figures_add_up(drammen, alver):
    for data in (drammen, alver):
        total = 0
        for g in data["municipalities"]:
            n = g["assessments"]
            total += n
            assert sum(g["directions"][d] for d in DIRECTIONS) == n
            assert sum(g["steps"].values()) == n
            assert sum(g["step_distribution"]["before"].values()) == sum(g["step_distribution"]["after"].values()) == n
            assert sum(s["assessments"] for s in g["services"]) == n
            changed = n - g["directions"]["unchanged"]
            assert sum(c["count"] for c in g["causes"]) == changed == len(g["changes"]) + g["changes_omitted"]
            for s in g["services"]:
                for key in ("outcome_matrix", "step_matrix"):
                    assert sum(map(sum, s[key]["rows"])) == s["assessments"], key
                diagonal = sum(s["outcome_matrix"]["rows"][i][i] for i in range(len(s["outcome_matrix"]["labels"])))
                assert diagonal >= s["directions"]["unchanged"]
            for a in g["amounts"]:
                assert a["more"] + a["fewer"] + a["same"] + a["not_comparable"] <= n
        assert total == data["counted"]["assessments"]


def test_directions():
    from tildeling.compare.diff import Side

    def side(outcome, step=3, amount=None, unit=""):
        return Side("x 1", outcome, step, amount, unit, "r", [])

    assert direction(side("avslag"), side("delvis_innvilget")) == "gain"
    assert direction(side("innvilget"), side("avslag")) == "loss"
    assert direction(side("innvilget", 3, 4, "t"), side("innvilget", 3, 2, "t")) == "loss"
    assert direction(side("innvilget", 3, 4, "t"), side("innvilget", 3, 4, "t")) == "unchanged"
    assert direction(side("innvilget", 3), side("innvilget", 4)) == "unranked"  # only the step
    assert direction(side("uavklart"), side("innvilget")) == "unranked"
    assert direction(side("innvilget"), side("ikke_beskrevet")) == "unranked"
    assert direction(side("innvilget", 3, 4, "t"), side("innvilget", 3, 6, "d")) == "unranked"  # other unit


def test_dates_outside_a_sets_validity_are_flagged_and_its_parameters_taken_inside(engine, drammen):
    flags = {(e["case"], e["side"]): e for e in drammen["outside_validity"]}
    # dr-001: Svelvik, 2019-05-02 — the harmonised set begins 2020-01-01
    e = flags[("dr-001", "harmonised")]
    assert (e["rule_set"], e["date"], e["valid_from"]) == ("drammen 2020.1", "2019-05-02", "2020-01-01")
    assert ("dr-001", "legacy") not in flags
    later = [c for c, m, on in _heads(DRAMMEN) if m == "Svelvik" and on.year >= 2020]
    assert later and all((c, "legacy") in flags for c in later)
    assert all(flags[(c, "legacy")]["valid_to"] == "2019-12-31" for c in later)
    total = sum(w["cases"] for w in drammen["warnings"])
    assert total == len(drammen["outside_validity"])
    # what was counted for a flagged case is the evaluation with the parameters of the window's end
    case = load_case(DRAMMEN / f"{later[0]}.yaml")
    crs = engine.compiled(ROOT / "rules" / "drammen" / "svelvik-2019.yaml")
    out = evaluate_with(crs, case, parameters_on=_dt.date(2019, 12, 31))
    svelvik = next(g for g in drammen["municipalities"] if g["municipality"] == "Svelvik")
    shown = [ch for ch in svelvik["changes"] if ch["case"] == later[0]]
    for ch in shown:
        d = next(d for d in out.decisions if d.service == ch["service"].split("/")[0])
        assert ch["before"]["outcome"] in (d.outcome, "ikke_beskrevet")


def test_never_a_set_against_itself(engine, monkeypatch):
    """Were the merger ever to offer the harmonised set as a legacy set, the case fails loudly
    (an internal error in the report), it is never compared with itself."""
    from tildeling.rules import merger as merger_module

    monkeypatch.setattr(merger_module.Merger, "legacy_entry", lambda self, m, on: self.harmonised_entry(on))
    rep = run_harmonise(engine, "drammen", iter_sources([DRAMMEN / "dr-001.yaml"]))
    assert rep.assessments == 0
    assert [e["code"] for e in rep.errors] == ["internal-error"]


def test_the_same_bytes_for_any_number_of_workers(engine):
    runs = [json.dumps(_run(engine, "drammen", DRAMMEN, ALVER, workers=w, chunk_size=16, max_changes=7),
                       ensure_ascii=False) for w in (1, 2)]
    assert runs[0] == runs[1]
    data = json.loads(runs[0])
    assert all(len(g["changes"]) <= 7 for g in data["municipalities"])
    assert data["counted"]["not_covered_by_code"]["municipality-not-in-merger"] == len(_heads(ALVER))


def test_no_fact_value_or_description_unless_asked(engine):
    descriptions = []
    for p in sorted(DRAMMEN.glob("*.yaml")):
        d = yaml.safe_load(p.read_text(encoding="utf-8"))
        if d.get("description"):
            descriptions.append(" ".join(d["description"].split())[:40])
    plain = json.dumps(_run(engine, "drammen", DRAMMEN), ensure_ascii=False)
    assert "fact_values" not in plain
    assert not any(text in plain for text in descriptions)
    asked = _run(engine, "drammen", DRAMMEN, show_facts=True, include_personal_data=True)
    text = json.dumps(asked, ensure_ascii=False)
    assert "fact_values" in text
    assert any("description" in e for e in asked["not_covered"])


def test_a_misspelt_former_municipality_is_not_covered_with_a_suggestion(engine, tmp_path):
    text = (DRAMMEN / "dr-004.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(re.sub(r"^municipality: Drammen$", "municipality: Drammen\nformer_municipality: "
                                            "Svelvk", text, count=1, flags=re.M), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(re.sub(r"^municipality: Drammen$", "municipality: Drammen\nformer_municipality: "
                                            "svelvik", text, count=1, flags=re.M).replace("id: dr-004", "id: b"),
                                     encoding="utf-8")
    data = _run(engine, "drammen", tmp_path)
    [left] = data["not_covered"]
    assert (left["code"], left["suggestion"]) == ("former-municipality-unknown", "Svelvik")
    assert "mente du «Svelvik»?" in left["message"]
    assert [g["cases"] for g in data["municipalities"]] == [0, 0, 1]


def test_a_generated_population_covers_every_legacy_municipality(engine, tmp_path):
    out = tmp_path / "pop.parquet"
    r = _cli("corpus", "generate", "--n", "600", "--seed", "3", "--municipality", "alver", "-o", str(out))
    assert r.returncode == 0, r.stderr
    data = _run(engine, "alver", out, workers=1)
    assert data["counted"]["not_covered"] == 0 and data["counted"]["failed"] == 0
    cases = {g["municipality"]: g["cases"] for g in data["municipalities"]}
    assert sum(cases.values()) == 600 and all(n > 0 for n in cases.values())
    assert cases["Lindås"] > cases["Meland"] > cases["Radøy"]  # population shares 54 / 28 / 18 %


# --- the command ----------------------------------------------------------------------------------

def _cli(*args):
    return subprocess.run([sys.executable, "-m", "tildeling", *args], capture_output=True, text=True, cwd=ROOT)


def test_the_command_prints_text_and_json_and_gates_on_change():
    r = _cli("harmonise", "alver", "--cases", "cases/alver", "--workers", "1")
    assert r.returncode == 0, r.stderr
    for label in ("Meland", "Radøy", "Lindås", "Ikke dekket", "Vurderinger (sak × tjeneste)"):
        assert label in r.stdout
    r = _cli("harmonise", "Alver", "--cases", "cases/alver", "--format", "json", "--workers", "1", "--fail-on-change")
    assert r.returncode == 1, r.stderr
    assert json.loads(r.stdout)["report"] == "harmonise"
    r = _cli("harmonise", "drammn", "--cases", "cases/alver")
    assert r.returncode == 2 and "Mente du «drammen»?" in r.stderr


def test_other_formats_are_a_usage_error_until_their_renderer_is_there():
    try:
        import tildeling.reports.harmonise_report  # noqa: F401
    except ImportError:
        r = _cli("harmonise", "alver", "--cases", "cases/alver", "--format", "markdown")
        assert r.returncode == 2 and "harmonise_report" in r.stderr
    else:  # the renderers are there: every format from the command's own JSON
        for fmt in ("markdown", "csv", "html"):
            r = _cli("harmonise", "alver", "--cases", "cases/alver", "--format", fmt, "--workers", "1")
            assert r.returncode == 0 and r.stdout, (fmt, r.stderr)
        r = _cli("harmonise", "alver", "--cases", "cases/alver", "--format", "parquet")
        assert r.returncode == 2 and "--output" in r.stderr


# --- diff auto --------------------------------------------------------------------------------------

def test_diff_auto_is_each_case_against_its_own_legacy_set(engine):
    rep = run_diff(engine, parse_spec(engine, "auto"), parse_spec(engine, "drammen"),
                   iter_sources([DRAMMEN, ALVER]), workers=1)
    data = rep.to_json()
    assert all(i["old"]["rule_set"].split()[0] != "drammen" for i in data["items"])  # never drammen vs drammen
    codes = Counter(e["code"] for e in data["not_covered"])
    assert codes == {"former-municipality-missing": 127, "municipality-not-in-merger": len(_heads(ALVER))}
    h = _run(engine, "drammen", DRAMMEN)
    assert data["summary"]["services"] == h["counted"]["assessments"]  # the same cases as harmonise


def test_diff_leaves_out_cases_no_rule_set_of_the_diff_covers(engine):
    rep = run_diff(engine, parse_spec(engine, "svelvik-2019"), parse_spec(engine, "drammen"),
                   iter_sources([ALVER / "al-001.yaml", DRAMMEN / "dr-001.yaml"]), workers=1)
    data = rep.to_json()
    assert [(e["case"], e["code"]) for e in data["not_covered"]] == [("al-001", "municipality-not-covered")]
    assert {i["case"] for i in data["items"]} == {"dr-001"}
    # auto on both sides would compare each case with itself: not covered instead
    rep = run_diff(engine, parse_spec(engine, "auto"), parse_spec(engine, "auto"),
                   iter_sources([DRAMMEN / "dr-001.yaml"]), workers=1)
    assert [e["code"] for e in rep.to_json()["not_covered"]] == ["same-rule-set"]
