"""The renderers of the harmonisation report (``reports/harmonise``) over a hand-written
harmonise JSON (tests/fixtures/harmonise_report.json: Drammen, Nedre Eiker and Svelvik against
the harmonised Drammen set) and over a stress case (13 steps, long names, numbers to 100,000).
"""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, HtmlChecker
from svg_layout import collisions, outside, svgs

from tildeling.i18n.catalogue import CATALOGUE
from tildeling.reports.harmonise.tables import FIGURE_COLUMNS, change_rows
from tildeling.reports.harmonise_report import render, to_csv, to_html, to_markdown, write_parquet

FIXTURE = ROOT / "tests" / "fixtures" / "harmonise_report.json"
CHROMIUM = Path("/usr/bin/chromium") if Path("/usr/bin/chromium").exists() else shutil.which("chromium")


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def stress_data() -> dict:
    """One municipality with every step 1–13 and «no step», long service names and counts up to
    100,000: the layout's worst case."""
    steps = [str(s) for s in range(1, 14)] + ["none"]
    before = {s: 100_000 if i == 5 else 7 * i + 1 for i, s in enumerate(steps)}
    after = {s: 99_999 if i == 6 else (i * 4567) % 100_000 for i, s in enumerate(steps)}
    names = ["Psykisk helse- og rustjeneste i hjemmet med oppfølging i egen bolig og lavterskeltilbud",
             "Brukerstyrt personlig assistanse (BPA) etter pasient- og brukerrettighetsloven § 2-1 d",
             "Praktisk bistand og opplæring", "Trygghetsalarm"]
    n = len(steps)
    services = []
    for k, name in enumerate(names):
        rows = [[(i * 37 + j * 11 + k) % 100_001 for j in range(n)] for i in range(n)]
        services.append({"service": f"tjeneste_{k}", "name": name, "assessments": sum(map(sum, rows)),
                         "outcome_matrix": {"labels": ["innvilget", "delvis_innvilget", "avslag", "uavklart",
                                                       "ikke_beskrevet"],
                                            "rows": [[100_000, 3, 0, 0, 0], [0] * 5, [99_999, 1, 0, 0, 0],
                                                     [0, 0, 0, 12, 0], [0] * 5]},
                         "step_matrix": {"labels": steps, "rows": rows},
                         "directions": {"gain": 100_000 - 999 * k, "loss": 100_000 if k == 0 else 3 * k,
                                        "unchanged": 5, "unranked": 99_999},
                         "steps": {"higher": 100_000, "lower": 1, "same": 0},
                         "amounts": [{"unit": "timer per uke i inntil tre måneder (opplæring)", "more": 100_000,
                                      "fewer": 2, "same": 3, "before": 123_456.5, "after": 99_999.25}]})
    muni = {"municipality": "Nedre Eiker", "rule_sets": ["nedre-eiker-2019 2019.1"], "cases": 100_000,
            "assessments": 100_000, "directions": {"gain": 1, "loss": 2, "unchanged": 3, "unranked": 4},
            "steps": {"higher": 1, "lower": 2, "same": 3}, "amounts": [],
            "step_distribution": {"before": before, "after": after}, "services": services,
            "causes": [], "changes": [], "changes_omitted": 0}
    return {"report": "harmonise", "merger": {"municipality": "Drammen", "harmonised": [], "legacy": []},
            "counted": {"cases": 100_000, "assessments": 100_000, "covered_cases": 100_000, "not_covered": 0,
                        "failed": 0},
            "municipalities": [muni], "not_covered": [], "outside_validity": [], "errors": [], "warnings": []}


# --- the fixture is honest ---------------------------------------------------------------------

def test_the_fixture_keeps_the_invariants_of_the_design(data):
    """gain + loss + unchanged + unranked = assessments; matrix totals = the service's
    assessments; the services add up to the municipality; so does the step distribution."""
    total = 0
    for m in data["municipalities"]:
        assert sum(m["directions"].values()) == m["assessments"] == sum(m["steps"].values())
        assert sum(s["assessments"] for s in m["services"]) == m["assessments"]
        for side in ("before", "after"):
            assert sum(m["step_distribution"][side].values()) == m["assessments"]
        for s in m["services"]:
            assert sum(s["directions"].values()) == s["assessments"]
            for key in ("outcome_matrix", "step_matrix"):
                assert sum(map(sum, s[key]["rows"])) == s["assessments"]
            assert sum(s["steps"].values()) == s["assessments"]
        for d in m["directions"]:
            assert m["directions"][d] == sum(s["directions"][d] for s in m["services"])
        changed = m["assessments"] - m["directions"]["unchanged"]
        assert sum(c["count"] for c in m["causes"]) == changed == len(m["changes"]) + m["changes_omitted"]
        total += m["assessments"]
    c = data["counted"]
    assert total == c["assessments"] and c["cases"] == c["covered_cases"] + c["not_covered"] + c["failed"]
    assert c["not_covered"] == len(data["not_covered"])


# --- Markdown ----------------------------------------------------------------------------------

def test_markdown_has_a_heading_per_municipality_and_right_aligned_numbers(data):
    md = to_markdown(data, "nb")
    assert md.startswith("# Harmonisering av tildelingskriterier: Drammen\n")
    for name in ("Drammen", "Nedre Eiker", "Svelvik"):
        assert f"\n## Tidligere kommune: {name}\n" in md
    # the counted units in words
    assert "Vurderinger er sak × tjeneste" in md and "personer = saker" in md
    assert "| Saker (= personer) | 20 |" in md and "| Vurderinger (sak × tjeneste) | 18 |" in md
    # the overview: numbers right-aligned, the text column left
    assert "| Svelvik | 5 | 6 | 4 | 0 | 0 | 2 |" in md
    assert "| --- | ---: | ---: | ---: | ---: | ---: | ---: |" in md
    # every table's caption says what it counts
    for caption in re.findall(r"^####? (.*)$", md, flags=re.M):
        assert re.search(r"\((vurderinger|saker)\)|vurderinger", caption) or caption.startswith("Tidligere kommune"), \
            caption
    # the matrices per service come last, as an appendix, so the paper reads without them
    appendix = md.index("\n## Vedlegg: utfall og trinn før og etter per tjeneste\n")
    assert md.index("#### Utfall før og etter: Trygghetsalarm (vurderinger)") > appendix > md.index("## Tidligere kommune: Svelvik")
    # the Drammen changes were capped by the data: two listed... and one more announced
    assert "1 endret vurdering til er ikke listet (--max-changes)" in md
    assert "Saken gjelder den sammenslåtte kommunen etter sammenslåingen" in md
    assert "`former-municipality-missing`" in md
    assert "| `dr-012` | tidligere | svelvik-2019 2019.1 | 2020-03-02 | gyldig 2018-01-01 – 2019-12-31 |" in md
    assert "dr-999.yaml:7:3:" in md
    assert "12,5" in md  # a sum of hours with a decimal comma


def test_markdown_in_nynorsk_and_english(data):
    nn, en = to_markdown(data, "nn"), to_markdown(data, "en")
    assert "## Tidlegare kommune: Svelvik" in nn and "Vinst" in nn and "Vurderingar (sak × teneste)" in nn
    assert "## Former municipality: Svelvik" in en and "| Cases (= persons) | 20 |" in en
    assert "12.5" in en


def test_markdown_escapes_what_the_data_says(data):
    d = copy.deepcopy(data)
    d["municipalities"][0]["services"][0]["name"] = "Tjeneste | med *stjerne* <b>"
    md = to_markdown(d, "nb")
    assert "Tjeneste \\| med \\*stjerne\\* \\<b\\>" in md and "<b>" not in md


def test_every_key_the_renderers_name_is_in_the_catalogue_in_every_language():
    named = set()
    for p in (ROOT / "src" / "tildeling" / "reports" / "harmonise").glob("*.py"):
        named |= set(re.findall(r"\bsay(?:_n)?\(\s*[\"']([\w.]+)[\"']", p.read_text(encoding="utf-8")))
        named |= {f"{p}:{k}" for k in re.findall(r"\bsay(?:_n)?\(\s*f[\"']", p.read_text(encoding="utf-8"))} - {""}
    keys = {k for k in named if ":" not in k}
    assert len(keys) > 40
    for lang in ("nb", "nn", "en"):
        missing = sorted(k for k in keys if f"harmonise_report.{k}" not in CATALOGUE)
        assert not missing, missing
    for prefix, values in (("direction.", ("gain", "loss", "unchanged", "unranked")),
                           ("step.", ("higher", "lower", "same")), ("side.", ("legacy", "harmonised")),
                           ("amount.", ("more", "fewer", "same", "before", "after")),
                           ("not_covered.", ("former_municipality_unknown", "former_municipality_missing",
                                             "municipality_not_in_merger"))):
        for v in values:
            assert f"harmonise_report.{prefix}{v}" in CATALOGUE


# --- CSV and Parquet -----------------------------------------------------------------------------

def test_csv_is_every_figure_in_long_form(data):
    rows = list(csv.DictReader(io.StringIO(to_csv(data))))
    assert tuple(rows[0]) == FIGURE_COLUMNS
    assert {r["table"] for r in rows} == {"counted", "direction", "step_change", "amount", "step_distribution",
                                          "outcome_matrix", "step_matrix"}
    for m in data["municipalities"]:
        name = m["municipality"]
        dirs = {r["category"]: int(r["value"]) for r in rows
                if r["municipality"] == name and r["service"] == "" and r["table"] == "direction"}
        assert dirs == m["directions"]
        for s in m["services"]:
            cells = [r for r in rows if r["municipality"] == name and r["service"] == s["service"]
                     and r["table"] == "outcome_matrix"]
            assert len(cells) == 25 and sum(int(r["value"]) for r in cells) == s["assessments"]
            assert all(r["unit"] == "assessments" and r["service_name"] == s["name"] for r in cells)
        before = {r["legacy"]: int(r["value"]) for r in rows
                  if r["municipality"] == name and r["table"] == "step_distribution" and r["legacy"]}
        assert before == m["step_distribution"]["before"]
    sums = [r for r in rows if r["category"] == "sum_before" and r["municipality"] == "Drammen" and not r["service"]]
    assert [(r["value"], r["unit"], r["amount_unit"]) for r in sums] == [("12.5", "timer/uke", "timer/uke")]
    # counted rows say what they count
    assert {(r["category"], r["unit"]) for r in rows if r["table"] == "counted" and not r["municipality"]} == {
        ("cases", "cases"), ("covered_cases", "cases"), ("assessments", "assessments"), ("not_covered", "cases"),
        ("failed", "cases"), ("skipped", "files")}


def test_parquet_tables_are_tidy_and_byte_identical(data, tmp_path):
    pl = pytest.importorskip("polars")
    first = write_parquet(data, tmp_path / "a")
    second = write_parquet(json.loads(json.dumps(data, sort_keys=True)), tmp_path / "b")
    assert [p.name for p in first] == ["figures.parquet", "changes.parquet", "causes.parquet", "not_covered.parquet",
                                       "outside_validity.parquet"]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    figures = pl.read_parquet(first[0])
    assert figures.columns == list(FIGURE_COLUMNS) and figures["value"].dtype == pl.Float64
    assert figures.height == len(to_csv(data).splitlines()) - 1
    changes = pl.read_parquet(first[1])
    assert changes.height == sum(len(m["changes"]) for m in data["municipalities"])
    assert changes["legacy_step"].dtype == pl.Int64 and changes["harmonised_amount"].dtype == pl.Float64
    assert set(changes["direction"]) <= {"gain", "loss", "unranked"}
    causes = pl.read_parquet(first[2])
    assert causes["count"].sum() == sum(c["count"] for m in data["municipalities"] for c in m["causes"])
    assert causes["cases"].dtype == pl.List(pl.Utf8)
    assert pl.read_parquet(first[3])["code"].to_list() == [e["code"] for e in data["not_covered"]]
    assert pl.read_parquet(first[4]).height == 2


def test_polars_is_imported_only_to_write_parquet():
    code = ("import sys, json; from tildeling.reports.harmonise_report import render; "
            f"d = json.load(open({str(FIXTURE)!r}, encoding='utf-8')); "
            "[render(d, f, 'nb') for f in ('markdown', 'csv', 'html')]; print('polars' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and r.stdout.strip() == "False", r.stderr


# --- HTML ----------------------------------------------------------------------------------------

def test_html_is_one_self_contained_accessible_page(data):
    page = to_html(data, "nb")
    p = HtmlChecker()
    p.feed(page)
    p.close()
    assert not p.problems and not p.stack, (p.problems, p.stack)
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(p.tags)
    assert all(v.startswith("#") for k, v in p.attrs if k in ("src", "href") and v), "only links within the page"
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"nb\">")
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert csp and "default-src 'none'" in csp[1] and "script-src" not in csp[1]
    # nothing to fetch: no script, no stylesheet link, no remote url (the SVG namespace is a name, not a load)
    assert "<script" not in page and "<link" not in page and "@import" not in page and "@font-face" not in page
    assert not re.findall(r"(?:https?:)?//(?!www\.w3\.org/2000/svg\")", page.replace("http://www.w3.org/2000/svg", ""))
    assert not re.findall(r"url\((?!#)", page)
    # sections: counted words, per municipality two charts, matrices per service, causes, changes
    assert "Vurderinger er sak × tjeneste" in page and "personer = saker" in page
    n_services = sum(len(m["services"]) for m in data["municipalities"])
    assert page.count("<svg") == 2 * len(data["municipalities"])
    assert page.count('<table class="matrix">') == 2 * n_services
    assert page.count('<table class="causes">') == 3 and page.count('<table class="changes">') == 3
    assert "1 endret vurdering til er ikke listet" in page
    assert 'aria-labelledby="not-covered-h"' in page and "former-municipality-unknown" in page
    assert 'aria-labelledby="outside-h"' in page and "dr-999.yaml:7:3" in page
    # accessible: every header cell has a scope, every chart a title and a label
    assert len(re.findall(r"<th[ >]", page)) == len(re.findall(r'<th scope="(?:col|row)">', page)) > 50
    for svg in re.findall(r"<svg\b[^>]*>\s*<title>[^<]+</title>", page):
        assert 'role="img"' in svg and "aria-label=" in svg
    assert len(re.findall(r"<svg\b[^>]*>\s*<title>[^<]+</title>", page)) == page.count("<svg")
    # colour is not alone: the hatched «after» series and the legend's words and arrows
    assert "-hatch" in page and "← tap" in page and "gevinst →" in page


def test_html_in_nynorsk_and_english(data):
    nn, en = to_html(data, "nn"), to_html(data, "en")
    assert '<html lang="nn">' in nn and "Vinst og tap per teneste: Svelvik" in nn
    assert '<html lang="en">' in en and "Steps before and after: Svelvik (assessments)" in en


def test_html_escapes_what_the_data_says(data):
    d = copy.deepcopy(data)
    d["municipalities"][2]["services"][0]["name"] = "<img src=x onerror=alert(1)> & «tjeneste»"
    d["not_covered"][0]["source"] = "\"><script>alert(1)</script>"
    page = to_html(d, "nb")
    assert "<img" not in page and "<script" not in page and "&lt;img src=x" in page


def test_the_renderers_are_deterministic(data):
    """The same input gives the same bytes, however its keys were ordered."""
    shuffled = json.loads(json.dumps(data, sort_keys=True))
    for fmt in ("markdown", "csv", "html"):
        for lang in ("nb", "en"):
            assert render(data, fmt, lang) == render(shuffled, fmt, lang) == render(copy.deepcopy(data), fmt, lang)


def test_the_renderers_take_an_empty_report():
    empty = {"report": "harmonise", "merger": {"municipality": "Alver", "harmonised": [], "legacy": []},
             "counted": {"cases": 0, "assessments": 0, "covered_cases": 0, "not_covered": 0, "failed": 0},
             "municipalities": [{"municipality": "Radøy", "rule_sets": [], "cases": 0, "assessments": 0,
                                 "directions": {}, "steps": {}, "amounts": [], "step_distribution": {},
                                 "services": [], "causes": [], "changes": [], "changes_omitted": 0}],
             "not_covered": [], "outside_validity": [], "errors": [], "warnings": ["Ingen saker funnet."]}
    md = to_markdown(empty, "nb")
    assert "Ingen vurdering endrer utfall" in md and "> Ingen saker funnet." in md
    page = to_html(empty, "nb")
    assert "Ingen gevinst eller tap." in page and "Ingen vurderinger." in page
    for svg in svgs(page):
        assert not collisions(svg) and not outside(svg)
    assert to_csv(empty).count("\r\n") == 8  # header, five counted rows, two for the municipality


# --- labels never collide with numbers --------------------------------------------------------------

@pytest.mark.parametrize("which", ["fixture", "stress"])
@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_no_chart_label_overlaps_another_or_a_bar(data, which, lang):
    d = data if which == "fixture" else stress_data()
    charts = svgs(to_html(d, lang))
    assert len(charts) == 2 * len(d["municipalities"])
    for svg in charts:
        title = svg.find("{http://www.w3.org/2000/svg}title").text
        assert not collisions(svg), (title, collisions(svg)[:5])
        assert not outside(svg), (title, outside(svg)[:5])


def test_the_stress_chart_turns_its_labels_and_keeps_every_number():
    charts = svgs(to_html(stress_data(), "nb"))
    step_chart = charts[1]
    texts = [t for t in step_chart.iter("{http://www.w3.org/2000/svg}text")]
    shown = [t.text for t in texts]
    assert "100\u00a0000" in shown and "99\u00a0999" in shown and "uten trinn" in shown
    assert any("rotate(-90" in (t.get("transform") or "") for t in texts)  # numbers stand on end
    assert any("rotate(-45" in (t.get("transform") or "") for t in texts)  # axis labels slant
    long_name = [t for t in charts[0].iter("{http://www.w3.org/2000/svg}text") if (t.text or "").endswith("…")]
    assert long_name and long_name[0].find("{http://www.w3.org/2000/svg}title").text.startswith("Psykisk helse-")


# --- in a real browser ---------------------------------------------------------------------------------

def _chromium(tmp_path: Path, page: Path, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    profile.mkdir()
    return subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                           "--no-first-run", "--disable-background-networking", "--disable-component-update",
                           "--disable-sync", f"--user-data-dir={profile}", *extra, page.as_uri()],
                          capture_output=True, timeout=120)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_html_renders_in_a_headless_browser(data, tmp_path):
    page = tmp_path / "harmonisering.html"
    page.write_text(to_html(data, "nb"), encoding="utf-8")
    shot = tmp_path / "page.png"
    r = _chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1280,2400")
    assert shot.exists() and shot.stat().st_size > 20_000, r.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dom = _chromium(tmp_path, page, "--dump-dom").stdout.decode("utf-8")
    assert dom.count("<svg") == 6 and dom.count("<rect") > 20
    assert dom.count("<table") == to_html(data, "nb").count("<table") > 20
    assert "Tidligere kommune: Svelvik" in dom


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_the_page_policy_stops_every_request(data, tmp_path):
    """A probe image, stylesheet and font pointed at a local server: with the page's own
    Content-Security-Policy the server hears nothing; without it (the control) it does."""
    import http.server
    import threading

    heard: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            heard.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        probe = (f'<link rel="stylesheet" href="{base}/probe.css"><img src="{base}/probe.png" alt="">'
                 f'<style>@font-face{{font-family:p;src:url({base}/probe.woff)}}body{{font-family:p}}</style>')
        page = to_html(data, "nb").replace("<body>", "<body>" + probe, 1)
        guarded = tmp_path / "guarded.html"
        guarded.write_text(page, encoding="utf-8")
        _chromium(tmp_path, guarded, "--dump-dom")
        assert heard == []
        open_page = tmp_path / "open.html"
        open_page.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page), encoding="utf-8")
        _chromium(tmp_path, open_page, "--dump-dom")
        assert "/probe.png" in heard  # the probe works: without the policy the browser does fetch
    finally:
        server.shutdown()


def test_the_overlap_check_itself_sees_overlaps():
    from svg_layout import Box, overlap, text_box
    a = text_box(100, 50, 40, 12, "start", "", "a")
    assert overlap(a, text_box(130, 52, 40, 12, "start", "", "b"))  # shares 10 px
    assert not overlap(a, text_box(145, 50, 40, 12, "start", "", "c"))  # 5 px apart
    # two slanted labels 40 px apart: their bounding boxes overlap, the labels do not
    s1, s2 = (text_box(x, 200, 80, 12, "end", f"rotate(-45 {x} 200)", "s") for x in (100, 140))
    assert not overlap(s1, s2)
    assert overlap(s1, Box("bar", ((60, 220), (70, 220), (70, 260), (60, 260))))


_MEASURE = """<script>
const boxes = [];
for (const t of document.querySelectorAll("svg text")) {
  const b = t.getBBox();
  boxes.push([b.x, b.y, b.width, b.height, t.getAttribute("transform") || "", t.firstChild.nodeValue,
              Number(t.getAttribute("font-size")),
              t.closest("svg").querySelector("title").textContent]);
}
const pre = document.createElement("pre");
pre.id = "measured";
pre.textContent = JSON.stringify(boxes);
document.body.appendChild(pre);
</script>"""


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
@pytest.mark.parametrize("which", ["fixture", "stress"])
def test_labels_as_the_browser_draws_them_do_not_overlap(data, which, tmp_path):
    """The browser's own text boxes (getBBox, turned by each text's transform): no two overlap
    within a chart, and none is wider than the estimate the layout and the checks above use."""
    from svg_layout import CHAR_EM, Box, _rotated, overlap
    d = data if which == "fixture" else stress_data()
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", to_html(d, "nb"))
    path = tmp_path / "measure.html"
    path.write_text(page.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    dom = _chromium(tmp_path, path, "--dump-dom").stdout.decode("utf-8")
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, flags=re.S)
    assert found, dom[-500:]
    measured = json.loads(html.unescape(found[1]))
    assert len(measured) == sum(1 for svg in svgs(page) for _ in svg.iter("{http://www.w3.org/2000/svg}text")) > 20
    by_chart: dict[str, list[Box]] = {}
    for x, y, w, h, transform, text, size, chart in measured:
        assert w <= len(text) * size * CHAR_EM + 0.5, (text, w)
        angle, cx, cy = 0.0, 0.0, 0.0
        if transform:
            angle, cx, cy = (float(v) for v in re.findall(r"[-\d.]+", transform))
        by_chart.setdefault(chart, []).append(Box(text, _rotated(x, y, x + w, y + h, angle, cx, cy)))
    for chart, boxes in by_chart.items():
        hits = [(a.what, b.what) for i, a in enumerate(boxes) for b in boxes[i + 1:] if overlap(a, b)]
        assert not hits, (chart, hits[:5])


def test_a_cause_as_the_design_writes_it_and_as_diff_records_it(data):
    """The design's cause (four ids) and the cause ``tildeling diff`` records (paths, decisive
    rules) both render: the ids, and a sentence when the paths are there."""
    full = to_markdown(data, "nb")
    assert "Regelen «pb-husstand» finnes ikke i det nye regelsettet." in full
    plain = copy.deepcopy(data)
    for m in plain["municipalities"]:
        for c in m["changes"]:
            div = c["cause"]["divergence"]
            c["cause"] = {"legacy_rule": c["before"]["rule"], "harmonised_rule": c["after"]["rule"],
                          "divergence": div["old"]["rule"], "legal_basis": ["hol § 3-2", "pbrl § 2-1 a"]}
        for c in m["causes"]:
            c["divergence"] = c["divergence"]["rule"]
    md = to_markdown(plain, "nb")
    assert "| `dr-004` | Praktisk bistand og opplæring | Avslag (pb-husstand; drammen-2019 2019.1) |" in md
    assert "| Gevinst | `pb-husstand` | hol § 3-2; pbrl § 2-1 a |" in md
    rows = {r["case"]: r for r in change_rows(plain)}
    assert rows["dr-004"]["cause_divergence"] == "pb-husstand" and rows["dr-011"]["cause_legacy_rule"] is None


def test_a_step_matrix_leaves_out_steps_that_occur_on_neither_side():
    from tildeling.reports.harmonise.sections import matrix_table
    labels = [str(s) for s in range(1, 14)] + ["none"]
    rows = [[0] * 14 for _ in range(14)]
    rows[5][5], rows[5][6], rows[13][2] = 4, 1, 2  # 6 → 6, 6 → 7, none → 3
    t = matrix_table({"name": "Praktisk bistand", "step_matrix": {"labels": labels, "rows": rows}}, "step_matrix", "nb")
    assert t.head == ["Før \\ etter", "3", "6", "7", "uten trinn", "Sum"]
    assert t.rows == [["3", "0", "0", "0", "0", "0"], ["6", "0", "4", "1", "0", "5"], ["7", "0", "0", "0", "0", "0"],
                      ["uten trinn", "2", "0", "0", "0", "2"], ["Sum", "2", "4", "1", "0", "7"]]
    assert "utelatt" in t.note


def test_two_services_of_one_name_are_told_apart_by_their_ids(data):
    d = copy.deepcopy(data)
    services = d["municipalities"][2]["services"]
    services[0]["name"] = services[1]["name"] = "Langtidsopphold i sykehjem"
    md = to_markdown(d, "nb")
    assert f"| Langtidsopphold i sykehjem ({services[0]['service']}) |" in md
    assert "Utfall før og etter: Langtidsopphold i sykehjem (praktisk\\_bistand) (vurderinger)" in md
    assert "| Trygghetsalarm |" in md  # a name used once stays as it is


def test_fact_values_show_only_where_the_data_holds_them(data):
    """Fact names of the first divergence are shown; values only when the data has them (the
    command writes them only with --show-facts). Decisive reason texts are never shown."""
    d = copy.deepcopy(data)
    change = d["municipalities"][2]["changes"][0]
    change["cause"]["divergence"]["old"]["facts"] = ["funksjon.husarbeid"]
    change["cause"]["decisive"]["old"]["text"] = "Søkeren HEMMELIG"
    for fmt in ("markdown", "html", "csv"):
        out = render(d, fmt, "nb")
        assert "HEMMELIG" not in out and "husarbeid=" not in out
    assert "Opplysninger som inngår: funksjon.husarbeid." in to_markdown(d, "nb")
    change["cause"]["divergence"]["old"]["fact_values"] = {"funksjon.husarbeid": 3}
    assert "Opplysninger som inngår: funksjon.husarbeid=3." in to_markdown(d, "nb")


# Svelvik, Nedre Eiker, Drammen before the merger, and one Drammen case after it (not covered)
_SAMPLE = ("dr-001", "dr-002", "dr-007", "dr-012", "dr-003", "dr-005", "dr-006", "dr-011", "dr-010", "dr-061",
           "dr-076", "dr-004")


def test_the_command_writes_these_renderers_output_for_drammen(tmp_path):
    """``tildeling harmonise drammen --format json|html`` over a sample of cases/drammen: the
    page is exactly these renderers' output of the JSON, self-contained, with two charts per
    former municipality whose labels do not collide; the CSV agrees with the JSON."""
    sample = tmp_path / "saker"
    sample.mkdir()
    for name in _SAMPLE:
        shutil.copy(ROOT / "cases" / "drammen" / f"{name}.yaml", sample)

    def run(fmt: str, out: Path) -> None:
        r = subprocess.run([sys.executable, "-m", "tildeling", "harmonise", "drammen", "--cases", str(sample),
                            "--format", fmt, "--output", str(out), "--workers", "1"],
                           capture_output=True, text=True, cwd=ROOT)
        assert r.returncode == 0, r.stderr[-2000:]

    run("json", tmp_path / "r.json")
    real = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [m["municipality"] for m in real["municipalities"]] == ["Drammen", "Nedre Eiker", "Svelvik"]
    assert all(m["assessments"] for m in real["municipalities"]) and real["counted"]["not_covered"] >= 1
    run("html", tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page == to_html(real, "nb")
    assert "Content-Security-Policy" in page and "<script" not in page
    charts = svgs(page)
    assert len(charts) == 6 and not any(collisions(s) or outside(s) for s in charts)
    assert "dr-004" in page  # listed as not covered, by id
    rows = list(csv.DictReader(io.StringIO(to_csv(real))))
    for m in real["municipalities"]:
        got = {r["category"]: int(r["value"]) for r in rows
               if r["municipality"] == m["municipality"] and not r["service"] and r["table"] == "direction"}
        assert got == m["directions"] and sum(got.values()) == m["assessments"]


def test_descriptions_show_only_when_the_data_has_them(data):
    """A case's free text is in the JSON only with --include-personal-data; the reports show
    it then, and have no column for it otherwise."""
    assert "Beskrivelse" not in to_markdown(data, "nb") + to_html(data, "nb")
    d = copy.deepcopy(data)
    d["municipalities"][1]["changes"][0]["description"] = "Kvinne, 79 år, bor alene."
    d["not_covered"][1]["description"] = "Mann, 90 år."
    md = to_markdown(d, "nb")
    assert "Kvinne, 79 år, bor alene." in md and "Mann, 90 år." in md and md.count("| Beskrivelse |") == 2
