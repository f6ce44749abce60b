"""``tildeling diff``: the auditors' comparison of two rule sets over a corpus of cases.

The legacy differences asserted here are the ones docs/harmonisering-drammen.md documents:
#3 «helt avhengig» (Svelvik IPLOS ≥ 4, harmonised IPLOS ≥ 3), #8 documented fall risk for a
safety alarm (Svelvik only), #11 BPA at 25–32 hours (Svelvik refused by default), and #17
kommunal husleiestøtte (not described in the Svelvik set).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, HtmlChecker, line_col

from tildeling.compare.diff import align, collect_files, parse_spec, run_diff
from tildeling.engine import Engine
from tildeling.files.outcome import TraceEvent
from tildeling.reports.diff_report import CSV_COLUMNS, render

DRAMMEN = ROOT / "cases" / "drammen"


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "tildeling", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def engine():
    return Engine(ROOT / "rules")


@pytest.fixture(scope="module")
def reports(engine):
    """The Svelvik → Drammen diff over cases/drammen, run twice — in this process, then on two
    worker processes — each rendered in every format (the runs are the costly part of this
    module: one diff over the corpus, about 190 cases, is shared by every test that reads it)."""
    out = []
    for workers in (1, 2):
        rep = run_diff(engine, parse_spec(engine, "svelvik-2019"), parse_spec(engine, "drammen"),
                       collect_files([DRAMMEN]), as_of=_dt.date(2020, 6, 1), workers=workers)
        assert not rep.errors and not rep.rule_set_errors  # what exit code 0 of the command says
        out.append({f: render(rep, f) for f in ("text", "json", "csv", "markdown", "html")})
    return out


@pytest.fixture(scope="module")
def svelvik_json(reports):
    """The JSON report (what ``tildeling diff svelvik-2019 drammen --cases cases/drammen --as-of
    2020-06-01 --format json`` prints: the command writes the bytes :func:`render` gives)."""
    return json.loads(reports[1]["json"])


def _item(report: dict, case: str, service: str, key: str = "items") -> dict:
    found = [i for i in report[key] if i["case"] == case and i["service"] == service]
    assert len(found) == 1, f"{case}/{service} not in {key}"
    return found[0]


@pytest.fixture()
def small_corpus(tmp_path):
    """Three Svelvik cases with documented differences, in a folder of their own."""
    d = tmp_path / "saker"
    d.mkdir()
    for name in ("dr-001.yaml", "dr-040.yaml", "dr-010.yaml"):
        shutil.copy(DRAMMEN / name, d / name)
    return d


# --- the report on the shipped corpus -------------------------------------------------------------

def test_json_has_the_stable_keys_and_consistent_totals(svelvik_json):
    out = svelvik_json
    assert set(out) >= {"old", "new", "summary", "matrix", "changes", "errors"}
    for side in ("old", "new"):
        assert set(out[side]) >= {"id", "version", "sha256"}
    assert (out["old"]["id"], out["old"]["version"]) == ("svelvik-2019", "2019.1")
    assert (out["new"]["id"], out["new"]["version"]) == ("drammen", "2020.1")  # in force on 2020-06-01
    assert re.fullmatch(r"[0-9a-f]{64}", out["new"]["sha256"])
    s = out["summary"]
    assert s["cases"] == len(list(DRAMMEN.glob("*.yaml"))) and s["errors"] == 0
    assert s["changed"] > 0 and s["changed"] == len(out["changes"]) == s["gains"] + s["losses"] + s["other"]
    assert s["services"] == len(out["items"]) == s["changed"] + s["unchanged"]
    m = out["matrix"]["outcome"]
    assert m["labels"] == ["innvilget", "delvis_innvilget", "avslag", "uavklart"]
    assert sum(map(sum, m["counts"])) == s["services"]
    off_diagonal = sum(c for i, row in enumerate(m["counts"]) for j, c in enumerate(row) if i != j)
    assert off_diagonal <= s["changed"]
    steps = out["matrix"]["step"]
    assert sum(map(sum, steps["counts"])) == s["services"] and 6 in steps["labels"]
    # avslag → innvilget is a gain, innvilget → avslag a loss.
    assert m["counts"][2][0] > 0 and s["gains"] >= m["counts"][2][0]
    assert m["counts"][0][2] > 0 and s["losses"] >= m["counts"][0][2]


def test_helt_avhengig_difference_names_the_svelvik_rule(svelvik_json):
    """Difference #3: Svelvik demanded IPLOS ≥ 4; dr-001 scores 3 on husarbeid."""
    c = _item(svelvik_json, "dr-001", "praktisk_bistand", "changes")
    assert (c["old"]["outcome"], c["new"]["outcome"]) == ("avslag", "innvilget")
    assert c["kind"] == "gain" and c["changed"] is True
    assert c["old"]["rule"] == "pb-ikke-helt-avhengig" and c["new"]["rule"] == "pb-innvilget"
    assert c["new"]["amount"] == 3  # rengjøring hver 3. uke
    div = c["divergence"]
    assert div["index"] == 0
    assert div["old"]["rule"] == "pb-ikke-helt-avhengig" and div["old"]["value"] is True
    assert div["old"]["condition"] == "husholdsbehov < 4"
    assert div["old"]["where"].startswith("rules/drammen/svelvik-2019.yaml:")
    assert div["new"]["rule"] == "pb-ingen-behov" and div["new"]["value"] is False
    assert div["new"]["condition"] == "husholdsbehov < 3"
    assert "funksjon.husarbeid" in div["old"]["facts"]
    assert c["cause"]["rule"] == "pb-ikke-helt-avhengig"
    assert c["decisive"]["old"]["rule"] == "pb-ikke-helt-avhengig"
    assert c["decisive"]["new"]["rule"] == "pb-innvilget"


def test_fall_risk_documentation_difference(svelvik_json):
    """Difference #8: Svelvik required a documented fall-risk assessment before an alarm."""
    c = _item(svelvik_json, "dr-001", "trygghetsalarm", "changes")
    assert (c["old"]["outcome"], c["new"]["outcome"], c["kind"]) == ("avslag", "innvilget", "gain")
    assert c["cause"] == {"kind": "rule", "rule": "ta-fallrisiko-udokumentert", "status": "removed",
                          "fields": ["outcome"]}
    assert c["divergence"]["old"]["rule"] == "ta-fallrisiko-udokumentert"
    # The condition before it is shared and answered the same way on both sides.
    assert c["divergence"]["index"] == 1
    assert c["decisive"]["new"]["rule"] == "ta-innvilget"


def test_bpa_default_refusal_difference(svelvik_json):
    """Difference #11: Svelvik refused BPA at 25–32 hours by default; the law gives a right."""
    c = _item(svelvik_json, "dr-040", "bpa", "changes")
    assert (c["old"]["outcome"], c["new"]["outcome"]) == ("avslag", "innvilget")
    assert c["old"]["rule"] == "bpa-25-32-avslag" and c["new"]["rule"] == "bpa-rett-25"
    assert c["divergence"]["old"]["rule"] == "bpa-25-32-avslag"


def test_service_the_old_set_does_not_describe_is_uavklart_on_that_side(svelvik_json):
    """Difference #17: Svelvik had no kommunal husleiestøtte."""
    items = [i for i in svelvik_json["changes"] if i["service"] == "kommunal_bostøtte"]
    assert items
    for c in items:
        assert c["old"]["outcome"] == "uavklart" and c["old"]["rule"] == "tjeneste-ikke-beskrevet"
        assert c["cause"]["kind"] == "not_described" and c["cause"]["status"] == "old"


def test_unchanged_items_carry_no_cause_and_are_not_in_changes(svelvik_json):
    same = _item(svelvik_json, "dr-010", "trygghetsalarm")
    assert same["changed"] is False and same["kind"] == "unchanged"
    assert not [c for c in svelvik_json["changes"] if c["case"] == "dr-010" and c["service"] == "trygghetsalarm"]


def test_health_data_stays_out_unless_asked(svelvik_json, engine, small_corpus):
    c = _item(svelvik_json, "dr-001", "praktisk_bistand", "changes")
    assert "fact_values" not in c["divergence"]["old"] and "fact_values" not in c["decisive"]["old"]
    # The reason text shows its placeholder, not the case's value (the rule set's own numbers stay).
    assert "{husholdsbehov}" in c["decisive"]["old"]["text"] and "Høyeste skår er 3" not in c["decisive"]["old"]["text"]
    assert "hver 3. uke" in c["decisive"]["new"]["text"]
    rep = run_diff(engine, parse_spec(engine, "svelvik-2019"), parse_spec(engine, "drammen"),
                   collect_files([small_corpus]), as_of=_dt.date(2020, 6, 1), show_facts=True).to_json()
    c = _item(rep, "dr-001", "praktisk_bistand", "changes")
    assert c["divergence"]["old"]["fact_values"]["funksjon.husarbeid"] == 3
    assert "Høyeste skår er 3" in c["decisive"]["old"]["text"]


def test_id_with_several_versions_takes_the_one_in_force_and_warns_outside_validity(engine):
    files = [DRAMMEN / "dr-001.yaml", DRAMMEN / "dr-101.yaml"]  # dated 2019 and 2024
    rep = run_diff(engine, parse_spec(engine, "drammen-2019"), parse_spec(engine, "drammen"), files).to_json()
    versions = {v["version"] for v in rep["new"]["versions"]}
    assert "2021.1" in versions
    assert rep["new"]["version"] is None or rep["new"]["version"] in versions
    assert any(w["rule_set"] == "drammen-2019 2019.1" and w["side"] == "old" for w in rep["warnings"])


# --- exit codes and input problems --------------------------------------------------------------

def test_identical_rule_sets_give_no_changes_and_exit_0_with_fail_on_change(small_corpus):
    r = cli("diff", "drammen", "drammen", "--cases", str(small_corpus), "--format", "json", "--fail-on-change")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["summary"]["changed"] == 0 and out["changes"] == [] and out["summary"]["services"] > 0
    m = out["matrix"]["outcome"]["counts"]
    assert all(c == 0 for i, row in enumerate(m) for j, c in enumerate(row) if i != j)


def test_fail_on_change_exits_1_when_something_changes(small_corpus):
    r = cli("diff", "svelvik-2019", "drammen", "--cases", str(small_corpus), "--as-of", "2020-06-01",
            "--fail-on-change")
    assert r.returncode == 1 and "dr-001" in r.stdout


def test_invalid_rule_set_file_exits_1_with_file_line_column(tmp_path, small_corpus):
    text = (ROOT / "rules" / "drammen" / "svelvik-2019.yaml").read_text(encoding="utf-8")
    text = text.replace("../felles/", str(ROOT / "rules" / "felles") + "/")
    bad = text.replace("when: husholdsbehov < 4", "when: husholdsbehov <", 1)
    assert bad != text
    path = tmp_path / "svelvik-ugyldig.yaml"
    path.write_text(bad, encoding="utf-8")
    line, _ = line_col(bad, "when: husholdsbehov <")
    r = cli("diff", str(path), "drammen", "--cases", str(small_corpus))
    assert r.returncode == 1
    assert re.search(rf"svelvik-ugyldig\.yaml:{line}:\d+: feil\[", r.stderr), r.stderr
    # The report is written all the same: every case failed, the rule set's errors once.
    assert "[rule-set-invalid]" in r.stdout and "Regelsett med feil (1)" in r.stdout
    assert re.search(rf"svelvik-ugyldig\.yaml:{line}:\d+: ", r.stdout)
    n = len(list(small_corpus.rglob("*.yaml")))
    assert f"lest {n} filer = ferdig 0 + feilet {n}" in r.stdout


def test_broken_case_file_is_reported_and_the_rest_evaluated(small_corpus):
    (small_corpus / "zz-ødelagt.yaml").write_text(
        "id: zz\nmunicipality: Svelvik\napplication_date: 2019-03-01\napplied_for: [praktisk_bistand\n",
        encoding="utf-8")
    (small_corpus / "zz-ukjent-faktum.yaml").write_text(
        "id: zz2\nmunicipality: Svelvik\napplication_date: 2019-03-01\napplied_for: [praktisk_bistand]\n"
        "facts:\n  funksjon: {husarbied: 3}\n", encoding="utf-8")
    r = cli("diff", "svelvik-2019", "drammen", "--cases", str(small_corpus), "--format", "json")
    assert r.returncode == 1  # invalid input, but the report is complete
    out = json.loads(r.stdout)
    assert out["summary"]["cases"] == 3 and out["summary"]["errors"] == 2 and out["summary"]["files"] == 5
    by_file = {Path(e["file"]).name: e for e in out["errors"]}
    assert by_file["zz-ødelagt.yaml"]["line"] >= 4 and by_file["zz-ødelagt.yaml"]["column"] >= 1
    assert by_file["zz-ukjent-faktum.yaml"]["line"] == 6 and "husarbied" in by_file["zz-ukjent-faktum.yaml"]["message"]
    assert re.search(r"zz-ukjent-faktum\.yaml:6:\d+:", r.stderr)


def test_broken_case_file_in_the_text_report(engine, small_corpus):
    (small_corpus / "zz-ødelagt.yaml").write_text("id: [\n", encoding="utf-8")
    rep = run_diff(engine, parse_spec(engine, "svelvik-2019"), parse_spec(engine, "drammen"),
                   collect_files([small_corpus]))
    text = render(rep, "text")
    assert "zz-ødelagt.yaml:" in text and "dr-040" in text and rep.cases == 3


@pytest.mark.parametrize("args", [
    ("finnes-ikke", "drammen"),
    ("svelvik-2019", "drammen", "--format", "xml"),
    ("svelvik-2019", "drammen", "--as-of", "2020-13-01"),
    ("rules/finnes-ikke.yaml", "drammen"),
])
def test_usage_errors_exit_2(args, small_corpus):
    from typer.testing import CliRunner

    from tildeling.cli import app
    r = CliRunner().invoke(app, ["diff", *args, "--cases", str(small_corpus)])
    assert r.exit_code == 2, r.output
    assert "feil:" in r.stderr


def test_rule_set_files_and_auto_can_be_compared(small_corpus):
    files = sorted(str(p) for p in small_corpus.glob("*.yaml"))  # --cases PATH… takes several paths
    r = cli("diff", "auto", "rules/drammen/drammen-2020.yaml", "--cases", *files, "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    # `auto` against a harmonised set: each case under the legacy set of its former municipality,
    # never the harmonised set against itself: dr-001 (Svelvik, 2019), dr-010 (Drammen, 2019),
    # dr-040 (Svelvik, 2020: still Svelvik's set, the nearest in time, flagged as outside its validity).
    assert {(v["id"], v["version"]) for v in out["old"]["versions"]} == {
        ("svelvik-2019", "2019.1"), ("drammen-2019", "2019.1")}
    assert any(w["rule_set"] == "svelvik-2019 2019.1" and w["side"] == "old" for w in out["warnings"])
    assert out["not_covered"] == []
    assert out["old"]["version"] is None
    assert out["new"]["id"] == "drammen" and out["new"]["version"] == "2020.1"
    assert _item(out, "dr-001", "praktisk_bistand")["changed"] is True
    assert out["summary"]["cases"] == 3


# --- formats ----------------------------------------------------------------------------------

def test_every_format_is_byte_identical_across_runs(reports):
    for fmt in reports[0]:
        assert reports[0][fmt] == reports[1][fmt], fmt


def test_cli_output_is_byte_identical_and_output_option_writes_the_file(tmp_path, small_corpus):
    """Two processes, one to stdout and one to --output: the same bytes."""
    a = cli("diff", "svelvik-2019", "drammen", "--cases", str(small_corpus), "--format", "markdown")
    assert a.returncode == 0 and a.stdout.startswith("# Sammenligning av regelsett")
    target = tmp_path / "rapport.md"
    c = cli("diff", "svelvik-2019", "drammen", "--cases", str(small_corpus), "--format", "markdown",
            "--output", str(target))
    assert c.returncode == 0 and c.stdout == ""
    assert target.read_text(encoding="utf-8") == a.stdout


def test_csv_has_a_header_and_a_row_per_case_and_service(reports):
    rows = list(csv.reader(io.StringIO(reports[0]["csv"], newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    summary = json.loads(reports[0]["json"])["summary"]
    assert len(rows) - 1 == summary["services"]
    records = [dict(zip(rows[0], r)) for r in rows[1:]]
    assert len({(r["case"], r["service"]) for r in records}) == len(records)
    r = next(r for r in records if (r["case"], r["service"]) == ("dr-001", "praktisk_bistand"))
    assert (r["old_outcome"], r["new_outcome"], r["changed"], r["kind"]) == ("avslag", "innvilget", "true", "gain")
    assert r["divergence_old_rule"] == "pb-ikke-helt-avhengig"
    # A unit with a comma is quoted, and the quoted field reads back whole.
    assert r["new_unit"] == "uker mellom hver rengjøring (1,5 timer per gang)"
    assert sum(1 for r in records if r["changed"] == "true") == summary["changed"]


def test_html_is_well_formed_self_contained_and_has_an_svg_chart(reports):
    doc = reports[0]["html"]
    p = HtmlChecker()
    p.feed(doc)
    p.close()
    assert p.problems == [] and p.stack == []
    assert doc.startswith("<!DOCTYPE html>") and "<svg" in doc and "<rect" in doc
    assert {"table", "svg", "title", "style"} <= set(p.tags)
    assert not {"script", "link", "img", "iframe"} & set(p.tags)
    for name, value in p.attrs:
        if name in ("src", "href"):
            pytest.fail(f"external resource: {name}={value}")
    assert "pb-ikke-helt-avhengig" in doc and "Overgangsmatrise for utfall" in doc


def test_html_escapes_everything(tmp_path, engine):
    text = (DRAMMEN / "dr-001.yaml").read_text(encoding="utf-8").replace("id: dr-001", 'id: "dr-<b>001</b>&"')
    f = tmp_path / "x.yaml"
    f.write_text(text, encoding="utf-8")
    rep = run_diff(engine, parse_spec(engine, "svelvik-2019"), parse_spec(engine, "drammen"), [f],
                   as_of=_dt.date(2020, 6, 1))
    doc = render(rep, "html")
    assert "<b>001" not in doc and "dr-&lt;b&gt;001&lt;/b&gt;&amp;" in doc
    md = render(rep, "markdown")
    assert "<b>" not in md


def test_markdown_has_summary_matrices_and_changed_cases(reports):
    md = reports[0]["markdown"]
    for heading in ("# Sammenligning av regelsett", "## Sammendrag", "## Overgangsmatrise for utfall",
                    "## Overgangsmatrise for trinn i trappen", "## Endrede saker"):
        assert heading in md
    assert "| **Avslag** |" in md and "`dr-001`" in md and "pb-ikke-helt-avhengig" in md


def test_text_report_shows_matrix_and_the_cause(reports):
    text = reports[0]["text"]
    assert "Overgangsmatrise for utfall" in text and "Første forskjell" in text
    assert "pb-ikke-helt-avhengig: husholdsbehov < 4 → ja" in text


def test_nynorsk_labels(small_corpus):
    r = cli("diff", "svelvik-2019", "drammen", "--cases", str(small_corpus), "--as-of", "2020-06-01", "--lang", "nn")
    assert r.returncode == 0, r.stderr
    for label in ("Samanlikning av regelsett", "Gammalt regelsett", "Endra saker", "Innvilga", "Første skilnad"):
        assert label in r.stdout
    assert "Sammenligning" not in r.stdout


def test_nynorsk_markdown_and_html(engine, small_corpus):
    rep = run_diff(engine, parse_spec(engine, "svelvik-2019"), parse_spec(engine, "drammen"),
                   collect_files([small_corpus]), as_of=_dt.date(2020, 6, 1), lang="nn")
    h = render(rep, "html")
    assert '<html lang="nn">' in h and "Samanlikning av regelsett" in h and "Gevinst og tap per teneste" in h
    md = render(rep, "markdown")
    assert "## Samandrag" in md and "Kvar sak i utvalet" in md


# --- the alignment of two traces ---------------------------------------------------------------

def _ev(rule, value, kind="test"):
    return TraceEvent(kind=kind, service="s", rule=rule, value=value, facts={}, depth=0)


def test_align_finds_the_first_differing_value():
    old = [_ev("a", False), _ev("b", True), _ev("b", "avslag", "leaf")]
    new = [_ev("a", False), _ev("b", False), _ev("c", True), _ev("c", "innvilget", "leaf")]
    assert align(old, new, {"a", "b", "c"}, {"a", "b", "c"}) == ((1, 1), [])


def test_align_skips_a_new_condition_that_did_not_fire():
    old = [_ev("a", False), _ev("z", True), _ev("z", "innvilget", "leaf")]
    new = [_ev("a", False), _ev("ny", False), _ev("z", True), _ev("z", "innvilget", "leaf")]
    assert align(old, new, {"a", "z"}, {"a", "ny", "z"}) == (None, ["ny"])


def test_align_reports_a_replaced_rule_as_a_pair():
    old = [_ev("gammel", True), _ev("gammel", "avslag", "leaf")]
    new = [_ev("ny", False), _ev("z", True), _ev("z", "innvilget", "leaf")]
    assert align(old, new, {"gammel", "z"}, {"ny", "z"}) == ((0, 0), [])


# --- optional: the HTML in a real browser -------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (apt-get install chromium)")
def test_html_renders_in_a_headless_browser(tmp_path, reports):
    page = tmp_path / "rapport.html"
    page.write_text(reports[0]["html"], encoding="utf-8")
    shot = tmp_path / "out.png"
    profile = tmp_path / "profile"
    profile.mkdir()
    r = subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={shot}",
                        "--window-size=1280,2000", page.as_uri()], capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000, r.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
