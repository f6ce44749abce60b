"""Corpora as data: YAML folders, JSON Lines and Parquet hold the same cases.

Every case under cases/ goes YAML → record → JSON Lines and Parquet and back, and reads
into the same case (same model, same facts) and the same outcome; a broken line or row is
one reported failure with its position and a stable code, and the rest is read; the order
of the sources is the order of the files, lines and rows.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
from pathlib import Path

import pytest

from tildeling.core.errors import CaseError
from tildeling.corpus import jsonl, parquet
from tildeling.corpus.read import iter_sources, load_source
from tildeling.corpus.records import to_record
from tildeling.corpus.source import Source
from tildeling.engine import Engine
from tildeling.files.discover import InputFailure
from tildeling.rules.cases import SkippedInput, load_case

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"


def _yaml_cases():
    out = []
    for s in iter_sources([ROOT / "cases"]):
        if isinstance(s, InputFailure):
            continue
        try:
            out.append(load_source(s))
        except (CaseError, SkippedInput):
            continue
    return out


@pytest.fixture(scope="module")
def cases():
    found = _yaml_cases()
    assert len(found) > 300
    return found


@pytest.fixture(scope="module")
def engine():
    return Engine(RULES)


def _write_jsonl(path: Path, records) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        jsonl.write_lines(records, fh)


def _read(paths):
    out = []
    for s in iter_sources(paths):
        assert isinstance(s, Source), s
        out.append((s.name, load_source(s)))
    return out


def _same(a, b):
    assert a.model == b.model, a.id
    assert a.facts == b.facts, a.id
    assert a.applications == b.applications


def _outcome(engine, case):
    try:
        return engine.evaluate(case).to_dict()
    except CaseError as exc:
        return [d.code for d in exc.diagnostics]


# --- round trips ---------------------------------------------------------------------------------

def test_every_case_round_trips_through_json_lines(cases, engine, tmp_path):
    path = tmp_path / "k.jsonl"
    _write_jsonl(path, (to_record(c) for c in cases))
    read = _read([path])
    assert [n for n, _ in read] == [f"{path.as_posix()}:{i}" for i in range(1, len(cases) + 1)]
    for original, (_, again) in zip(cases, read):
        _same(original, again)
    for original, (_, again) in list(zip(cases, read))[::7]:  # outcomes too (a sample: the engine is slow-ish)
        assert _outcome(engine, original) == _outcome(engine, again), original.id


def test_every_case_round_trips_through_parquet(cases, engine, tmp_path):
    path = tmp_path / "k.parquet"
    n = parquet.write_rows((to_record(c) for c in cases), path, batch_rows=100)  # several batches
    assert n == len(cases)
    read = []
    for s in parquet.list_rows(str(path), "k.parquet", batch_rows=64):
        read.append((s.name, load_source(s)))
    assert [name for name, _ in read] == [f"k.parquet#{i}" for i in range(len(cases))]
    for original, (_, again) in zip(cases, read):
        _same(original, again)
    for original, (_, again) in list(zip(cases, read))[::7]:
        assert _outcome(engine, original) == _outcome(engine, again), original.id


def test_json_lines_and_parquet_are_byte_deterministic(cases, tmp_path):
    for i in (1, 2):
        _write_jsonl(tmp_path / f"{i}.jsonl", (to_record(c) for c in cases))
        parquet.write_rows((to_record(c) for c in cases), tmp_path / f"{i}.parquet", batch_rows=100)
    assert (tmp_path / "1.jsonl").read_bytes() == (tmp_path / "2.jsonl").read_bytes()
    assert (tmp_path / "1.parquet").read_bytes() == (tmp_path / "2.parquet").read_bytes()


def test_parquet_keeps_whole_numbers_and_plain_columns(tmp_path):
    records = [
        {"id": "a", "municipality": "Drammen", "application_date": "2021-03-01", "applied_for": ["bpa"],
         "facts": {"behov": {"timer_per_uke": 2}, "søker": {"fødselsdato": "1940-01-02", "bor_alene": True}}},
        {"id": "b", "municipality": "Drammen", "application_date": "2021-03-01",
         "applied_for": [{"service": "bpa", "amount": 30}],
         "facts": {"behov": {"timer_per_uke": 2.5}, "tilstand": {"psykisk_lidelse": {"en_av": ["lett", "moderat"]}}}},
    ]
    path = tmp_path / "x.parquet"
    parquet.write_rows(records, path)
    import polars as pl
    df = pl.read_parquet(path)
    assert df.schema["søker.fødselsdato"] == pl.Date and df.schema["søker.bor_alene"] == pl.Boolean
    assert df.schema["applied_for"] == pl.List(pl.String) and df["applied_for"][1] is None
    back = [parquet.unflatten({k: v for k, v in json.loads(s.record).items() if v is not None})
            for s in parquet.list_rows(str(path), "x.parquet")]
    assert back[0]["facts"]["behov"]["timer_per_uke"] == 2 and isinstance(back[0]["facts"]["behov"]["timer_per_uke"], int)
    assert back[1]["applied_for"] == [{"service": "bpa", "amount": 30}]
    assert back[1]["facts"]["tilstand"] == {"psykisk_lidelse": {"en_av": ["lett", "moderat"]}}


# --- broken lines and rows ---------------------------------------------------------------------

GOOD = {"id": "g", "municipality": "Drammen", "application_date": "2021-03-01", "applied_for": ["praktisk_bistand"],
        "facts": {"funksjon": {"husarbeid": 4}}}


def _line(**changes) -> str:
    rec = dict(GOOD)
    rec.update(changes)
    return json.dumps(rec, ensure_ascii=False)


BROKEN_LINES = [  # (text of the line, where the code is found: load or evaluate, the code, the column)
    (_line(id="ok-1"), None, None, None),
    ('{"id": "b1", "municipality": "Drammen",', "load", "json-syntax", 40),
    (_line(id="b2", applicant={}), "load", "unknown-key", 1),
    (_line(id="b3", application_date="2021-02-30"), "load", "invalid-date", 1),
    ('[1, 2]', "load", "wrong-type", 1),
    ('{"id": "b5", "x": NaN}', "load", "number-not-finite", 1),
    (_line(id="b6", facts={"funksjon": {"husarbied": 4}}), "evaluate", "unknown-fact", 1),
    (_line(id="b7", facts={"funksjon": {"husarbeid": 7}}), "evaluate", "fact-value", 1),
    ("", None, None, None),  # blank: not a case
    (_line(id="ok-2"), None, None, None),
]


def test_a_broken_line_is_one_failure_and_the_rest_is_read(tmp_path, engine):
    path = tmp_path / "b.jsonl"
    path.write_text("".join(t + "\n" for t, *_ in BROKEN_LINES) + "\xff", encoding="utf-8", errors="surrogateescape")
    path.write_bytes(path.read_bytes().replace("\xff".encode(), b"\xff\x00"))
    sources = list(iter_sources([path]))
    assert all(isinstance(s, Source) for s in sources)
    name = path.as_posix()
    expected_lines = [i + 1 for i, (t, *_) in enumerate(BROKEN_LINES) if t] + [len(BROKEN_LINES) + 1]
    assert [s.name for s in sources] == [f"{name}:{n}" for n in expected_lines]
    done = []
    for s, (text, stage, code, column) in zip(sources, [b for b in BROKEN_LINES if b[0]]):
        if stage == "load":
            with pytest.raises(CaseError) as exc:
                load_source(s)
            d = exc.value.diagnostics[0]
        else:
            case = load_source(s)
            if stage is None:
                done.append(engine.evaluate(case).case)
                continue
            with pytest.raises(CaseError) as exc:
                engine.evaluate(case)
            d = exc.value.diagnostics[0]
        assert d.code == code, (text, d)
        assert (d.span.file, d.span.line, d.span.column) == (name, s.line, column), (text, d.span)
    assert done == ["ok-1", "ok-2"]
    with pytest.raises(CaseError) as exc:  # the last line: not UTF-8
        load_source(sources[-1])
    assert exc.value.diagnostics[0].code == "file-encoding"


def test_a_broken_line_names_no_value(tmp_path):
    path = tmp_path / "v.jsonl"
    path.write_text(_line(id="v", facts={"funksjon": {"husarbeid": "01017012345"}}) + "\n"
                    + '{"id": "01017012345", "x": [1,,]}\n', encoding="utf-8")
    engine = Engine(RULES)
    texts = []
    for s in iter_sources([path]):
        try:
            engine.evaluate(load_source(s))
        except CaseError as exc:
            texts += [d.text("nb") for d in exc.diagnostics] + [d.text("en") for d in exc.diagnostics]
    assert len(texts) == 4 and not any("01017012345" in t for t in texts)


def test_a_broken_row_is_one_failure_and_the_rest_is_read(tmp_path):
    import polars as pl
    path = tmp_path / "b.parquet"
    pl.DataFrame({
        "id": ["r0", "r1", None, "r3"],
        "municipality": ["Drammen"] * 4,
        "application_date": ["2021-03-01", "2021-03-01", "2021-03-01", "2021-13-01"],
        "applied_for": [["praktisk_bistand"]] * 4,
        "funksjon.husarbeid": [4, None, 3, 2],
        "extra": [None, "{not json", None, None],
    }).write_parquet(path)
    results = []
    for s in iter_sources([path]):
        try:
            results.append((s.name, load_source(s).id))
        except CaseError as exc:
            results.append((s.name, exc.diagnostics[0].code))
    name = path.as_posix()
    assert results == [(f"{name}#0", "r0"), (f"{name}#1", "json-syntax"), (f"{name}#2", "missing-key"),
                       (f"{name}#3", "invalid-date")]


def test_a_file_that_is_not_parquet_is_one_failure(tmp_path):
    path = tmp_path / "ikke.parquet"
    path.write_text("id: x\n", encoding="utf-8")
    (tmp_path / "ok.jsonl").write_text(_line(id="ok") + "\n", encoding="utf-8")
    got = list(iter_sources([tmp_path]))
    assert isinstance(got[0], InputFailure) and got[0].code == "parquet-unreadable"
    assert [s.name for s in got[1:]] == [f"{(tmp_path / 'ok.jsonl').as_posix()}:1"]


# --- order and shipping ------------------------------------------------------------------------

def test_sources_come_in_file_then_line_order_and_pickle(tmp_path):
    (tmp_path / "b.jsonl").write_text(_line(id="b1") + "\n" + _line(id="b2") + "\n", encoding="utf-8")
    (tmp_path / "a.yaml").write_text((ROOT / "cases" / "drammen" / "dr-001.yaml").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    parquet.write_rows([dict(GOOD, id="c0"), dict(GOOD, id="c1")], tmp_path / "c.parquet")
    first = [s.name for s in iter_sources([tmp_path])]
    assert first == [s.name for s in iter_sources([tmp_path])]
    base = tmp_path.as_posix()
    assert first == [f"{base}/a.yaml", f"{base}/b.jsonl:1", f"{base}/b.jsonl:2", f"{base}/c.parquet#0",
                     f"{base}/c.parquet#1"]
    for s in iter_sources([tmp_path]):
        again = pickle.loads(pickle.dumps(s))
        assert again == s
        assert load_source(again).id == load_source(s).id


def test_a_record_reads_as_its_yaml_file(tmp_path):
    case = load_case(ROOT / "cases" / "drammen" / "dr-001.yaml")
    (tmp_path / "one.jsonl").write_text(jsonl.dumps(to_record(case)) + "\n", encoding="utf-8")
    [(_, again)] = _read([tmp_path / "one.jsonl"])
    _same(case, again)


# --- the fast path for plain records agrees with the full path ---------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tildeling.corpus.records import case_from_record, plain_model  # noqa: E402
from tildeling.files.model import CaseFile  # noqa: E402
from tildeling.core.source import SourceSpan  # noqa: E402

_dates = st.one_of(st.sampled_from(["2021-03-01", "2019-12-31", "2021-02-30", "2021-3-1", "1940-01-02", "2020-02-29",
                                    "2021-02-29", "0000-01-01"]),
                   st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 1, 1)))  # as Parquet has them
_texts = st.one_of(st.text(max_size=6), _dates)
_numbers = st.one_of(st.integers(min_value=-10**16, max_value=10**16), st.floats(allow_nan=True, allow_infinity=True),
                     st.sampled_from([10**15, 10**15 + 1, -10**15 - 1, 1e15, 1.5e15, -1e16, 0, 9]))  # the edges
_scalars = st.one_of(st.booleans(), _numbers, _texts, st.none())
_values = st.one_of(_scalars, st.lists(_texts, max_size=3), st.lists(_scalars, max_size=2),
                    st.fixed_dictionaries({"en_av": st.lists(_scalars, max_size=3)}))
_fact_keys = st.sampled_from(["alder", "fødselsdato", "husarbeid", "id", "form", "bor_alene", "x"])
_groups = st.dictionaries(st.sampled_from(["søker", "funksjon", "tjenester", "tilstand"]),
                          st.one_of(st.dictionaries(_fact_keys, _values, max_size=4), _scalars), max_size=3)
_services = st.sampled_from(["praktisk_bistand", "trygghetsalarm", "bpa", "praktisk_bistand"])
_applied = st.one_of(st.lists(_services, max_size=3), st.lists(st.one_of(_services, st.fixed_dictionaries(
    {"service": _services}, optional={"amount": _numbers, "form": st.text(max_size=3)})), max_size=2), _scalars)
_plain_facts = st.dictionaries(st.sampled_from(["søker", "funksjon", "tjenester"]), st.dictionaries(
    _fact_keys, st.one_of(st.booleans(), _numbers, _texts, st.lists(_texts, max_size=3)), max_size=4), max_size=3)
_plain_records = st.fixed_dictionaries(  # mostly plain: the fast path's own ground, and its edges
    {"id": st.text(max_size=5), "municipality": st.just("Drammen"), "application_date": _dates,
     "applied_for": st.lists(_services, min_size=1, max_size=3)},
    optional={"decision_date": _dates, "description": st.text(max_size=4), "facts": _plain_facts})
_any_records = st.fixed_dictionaries({}, optional={
    "id": st.one_of(st.text(max_size=5), _dates, st.integers()),
    "municipality": st.one_of(st.just("Drammen"), st.integers()),
    "application_date": st.one_of(_dates, st.integers(), st.none()),
    "decision_date": st.one_of(_dates, st.none(), st.booleans()),
    "description": st.one_of(st.text(max_size=4), st.none(), st.integers()),
    "applied_for": _applied,
    "facts": st.one_of(_groups, _scalars),
    "known_deviation": st.text(max_size=5),
    "applicant": st.just({}),
})
_records = st.one_of(_plain_records, _any_records)


def _result(record, fast):
    try:
        case = case_from_record(record, "r.jsonl:1", SourceSpan("r.jsonl", 1, 1, 1, 1), fast=fast)
    except (CaseError, SkippedInput) as exc:
        return ("error", type(exc).__name__, [(d.code, d.key, d.args, d.span) for d in getattr(exc, "diagnostics", [])])
    m = case.model
    return ("ok", m.__dict__, m.model_fields_set, m.model_dump(), case.facts, case.applications, case.path)


_PLAIN_SEEN = [0]


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_records)
def test_the_fast_path_accepts_and_rejects_exactly_what_the_full_path_does(record):
    if plain_model(record) is not None:
        _PLAIN_SEEN[0] += 1
    assert _result(record, True) == _result(record, False)


def test_the_fast_path_was_exercised_and_builds_every_field():
    assert _PLAIN_SEEN[0] > 30  # the property test above took the fast path often enough to mean something
    model = plain_model(dict(GOOD))
    assert model is not None and set(model.__dict__) == set(CaseFile.model_fields)  # a new field: update plain_model
    assert model == CaseFile.model_validate({**GOOD, "application_date": "2021-03-01"})


# --- tildeling corpus convert ------------------------------------------------------------------

from typer.testing import CliRunner  # noqa: E402

from tildeling.cli import app  # noqa: E402


def _cli(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def _canonical_lines(path: Path) -> list[str]:
    return sorted(json.dumps(json.loads(line), sort_keys=True, ensure_ascii=False)
                  for line in path.read_text(encoding="utf-8").splitlines())


def test_convert_round_trips_yaml_jsonl_parquet_and_back(tmp_path):
    first = tmp_path / "a.jsonl"
    r = _cli("corpus", "convert", str(ROOT / "cases"), "--output", str(first))
    assert r.exit_code == 0, r.stderr
    assert "ferdig" in r.stderr and "feilet 0" in r.stderr
    r = _cli("corpus", "convert", str(first), "--output", str(tmp_path / "b.parquet"))
    assert r.exit_code == 0, r.stderr
    r = _cli("corpus", "convert", str(tmp_path / "b.parquet"), "--to", "yaml", "--output", str(tmp_path / "c"))
    assert r.exit_code == 0, r.stderr
    r = _cli("corpus", "convert", str(tmp_path / "c"), "--output", str(tmp_path / "d.jsonl"))
    assert r.exit_code == 0, r.stderr
    assert _canonical_lines(first) == _canonical_lines(tmp_path / "d.jsonl")  # nothing lost on the way
    assert len(_canonical_lines(first)) > 300
    # and the cases in YAML again still pass their tests
    r = _cli("test", str(tmp_path / "c"), "--rules-dir", str(RULES))
    assert r.stdout.splitlines()[-1].endswith(" 0 failed"), r.stdout[-500:]


def test_convert_is_byte_deterministic(tmp_path):
    for i in (1, 2):
        for fmt in ("jsonl", "parquet", "yaml"):
            out = tmp_path / f"{i}.{fmt}" if fmt != "yaml" else tmp_path / f"y{i}"
            assert _cli("corpus", "convert", str(ROOT / "cases" / "drammen"), "--to", fmt, "--output",
                        str(out)).exit_code == 0
    assert (tmp_path / "1.jsonl").read_bytes() == (tmp_path / "2.jsonl").read_bytes()
    assert (tmp_path / "1.parquet").read_bytes() == (tmp_path / "2.parquet").read_bytes()
    names = sorted(p.name for p in (tmp_path / "y1").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "y2").iterdir())
    assert all((tmp_path / "y1" / n).read_bytes() == (tmp_path / "y2" / n).read_bytes() for n in names)


def test_convert_reports_a_broken_line_and_writes_the_rest(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(t + "\n" for t, *_ in BROKEN_LINES), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = _cli("corpus", "convert", str(src), "--output", str(out))
    assert r.exit_code == 1
    assert f"{src.as_posix()}:2:40: feil[json-syntax]" in r.stderr
    assert f"{src.as_posix()}:3:1: feil[unknown-key]" in r.stderr
    # unknown facts and values out of range are carried over: convert does not judge facts
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == ["ok-1", "b6", "b7", "ok-2"]
    assert "lest 9 saker = ferdig 4 + feilet 5" in r.stderr  # records of a corpus: counted as cases


def test_convert_usage_errors(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.yaml").write_text("x: 1\n", encoding="utf-8")
    r = _cli("corpus", "convert", str(ROOT / "cases" / "drammen"), "--output", str(tmp_path / "full"))
    assert r.exit_code == 2 and "er ikke tom" in r.stderr
    r = _cli("corpus", "convert", str(ROOT / "cases" / "drammen"), "--to", "csv", "--output", str(tmp_path / "x"))
    assert r.exit_code == 2 and "Ukjent format «csv»" in r.stderr
    r = _cli("corpus", "convert", str(ROOT / "cases" / "drammen"), "--output", str(tmp_path / "nei" / "x.jsonl"))
    assert r.exit_code == 2 and "finnes ikke" in r.stderr


_json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8),
                                      _dates),
                            lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                    st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                            max_leaves=12)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=60), st.text(max_size=60).map(str.encode),
                 st.dictionaries(st.sampled_from(list(GOOD) + ["klage", "expect", "x"]), _json_values, max_size=6)
                 .map(lambda d: json.dumps({**GOOD, **d}, default=str).encode())))
def test_only_documented_errors_escape_for_any_line(line):
    source = Source("f.jsonl:1", "jsonl", "f.jsonl", line.replace(b"\n", b" ") + b"\n", 1)
    try:
        case = load_source(source)
    except (CaseError, SkippedInput) as exc:
        for d in getattr(exc, "diagnostics", []):
            assert d.span is None or (d.span.file, d.span.line) == ("f.jsonl", 1)
        return
    assert case.path == "f.jsonl:1"


def test_a_program_can_hand_over_a_record():
    case = load_source(Source("mine#1", "record", None, dict(GOOD)))
    assert case.id == "g" and case.path == "mine#1"
