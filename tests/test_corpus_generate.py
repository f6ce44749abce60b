"""Synthetic populations (``tildeling corpus generate``): valid for every rule set of the
merger, deterministic by seed, the same cases in Parquet and JSON Lines, and shaped as
docs/populasjon.md says (older → more functional loss; facts unknown at the documented rate).
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tildeling.cli import app
from tildeling.core.errors import CaseError
from tildeling.corpus.generate import merger, population_for, write_jsonl, write_parquet
from tildeling.corpus.read import iter_sources, load_source
from tildeling.corpus.records import to_record
from tildeling.engine import Engine, judged_date
from tildeling.rules.cases import check_facts

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"


@pytest.fixture(scope="module")
def engine():
    return Engine(RULES)


def _cases(path: Path):
    return [load_source(s) for s in iter_sources([path])]


@pytest.mark.parametrize("municipality,legacy", [("drammen", ["drammen-2019", "nedre-eiker-2019", "svelvik-2019"]),
                                                 ("alver", ["lindas-2019", "meland-2019", "radoy-2019"])])
def test_every_generated_case_is_valid_under_every_rule_set_of_the_merger(engine, tmp_path, municipality, legacy):
    sets = merger(engine.catalog(), municipality)
    assert set(legacy) < {e.id for e in sets} and municipality in {e.id for e in sets}
    cases = []
    for date, seed in ((_dt.date(2019, 12, 31), 1), (_dt.date(2021, 12, 31), 2)):  # legacy years and harmonised
        pop = population_for(engine.catalog(), municipality, 1000, seed, date, 0.10)
        write_parquet(pop, tmp_path / f"{seed}.parquet")
        cases += _cases(tmp_path / f"{seed}.parquet")
    assert len(cases) == 2000
    for e in sets:
        crs = engine.compiled(e.path)
        for case in cases:  # what evaluate checks before it decides: the services, then the facts
            engine.choose(case, rules=e.path)
            problems = check_facts(case, crs.ruleset.vocabulary, judged_date(crs, case))
            assert not problems, (e.id, case.id, [d.code for d in problems])
    # and decided in full (a sample: deciding a case with unknown facts is the slow part), under
    # every rule set, and by date under the one in force
    for case in cases[::50]:
        for e in sets:
            engine.evaluate(case, rules=e.path)
        assert engine.evaluate(case).decisions


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_cases(engine, tmp_path):
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        pop = population_for(engine.catalog(), "drammen", 3000, seed, None, 0.1)
        write_parquet(pop, tmp_path / f"{name}.parquet")
        write_jsonl(pop, tmp_path / f"{name}.jsonl")
    for ext in ("parquet", "jsonl"):
        assert (tmp_path / f"a.{ext}").read_bytes() == (tmp_path / f"b.{ext}").read_bytes()
        assert (tmp_path / f"a.{ext}").read_bytes() != (tmp_path / f"c.{ext}").read_bytes()


def test_parquet_and_json_lines_hold_the_same_cases(engine, tmp_path):
    pop = population_for(engine.catalog(), "alver", 1500, 3, None, 0.1)
    write_parquet(pop, tmp_path / "p.parquet")
    write_jsonl(pop, tmp_path / "p.jsonl")
    a = [to_record(c) for c in _cases(tmp_path / "p.parquet")]
    b = [to_record(c) for c in _cases(tmp_path / "p.jsonl")]
    assert len(a) == 1500
    canon = lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False)  # noqa: E731
    assert [canon(r) for r in a] == [canon(r) for r in b]


def test_the_population_is_shaped_as_documented(engine, tmp_path):
    import polars as pl
    pop = population_for(engine.catalog(), "drammen", 20000, 11, _dt.date(2021, 12, 31), 0.10)
    write_parquet(pop, tmp_path / "s.parquet")
    df = pl.read_parquet(tmp_path / "s.parquet")
    age = ((pl.col("application_date") - pl.col("søker.fødselsdato")).dt.total_days() / 365.25).floor()
    df = df.with_columns(age.alias("age"))
    by_band = (df.filter(pl.col("funksjon.husarbeid").is_between(1, 5))
               .with_columns(sum((pl.col("age") > b).cast(pl.Int8) for b in (17, 49, 66, 79, 89)).alias("band"))
               .group_by("band").agg(pl.col("funksjon.husarbeid").mean().alias("m"),
                                     pl.col("funksjon.personlig_hygiene").mean().alias("h"))
               .sort("band"))
    means = by_band["m"].to_list()
    assert means[-1] > means[3] > means[2]  # 90+ > 67–79 > 50–66: older, more functional loss
    dementia = df.group_by(pl.col("age") >= 80).agg(pl.col("tilstand.demensdiagnose").mean())
    rates = dict(zip(dementia["age"].to_list(), dementia["tilstand.demensdiagnose"].to_list()))
    assert rates[True] > 2 * rates[False]
    unknown = df["funksjon.husarbeid"].null_count() / df.height
    assert 0.08 < unknown < 0.12  # the default 10 %
    assert df["søker.fødselsdato"].null_count() / df.height < 0.04  # the birth date: 2 %
    assert df["applied_for"].list.len().min() >= 1
    services = set(df["applied_for"].explode().unique().to_list())
    common = set.intersection(*(set(e.services) for e in merger(engine.catalog(), "drammen")))
    assert services <= common and {"praktisk_bistand", "helsetjenester_i_hjemmet", "langtidsopphold"} <= services


def test_the_generate_command(tmp_path):
    run = lambda *a: CliRunner().invoke(app, ["corpus", "generate", *a, "--rules-dir", str(RULES)])  # noqa: E731
    r = run("--n", "50", "--seed", "1", "--municipality", "Alver", "--output", str(tmp_path / "x.jsonl"))
    assert r.exit_code == 0 and "skrev 50 syntetiske saker for Alver" in r.stderr
    assert len((tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()) == 50
    r = run("--n", "5", "--municipality", "drammn", "--output", str(tmp_path / "y.parquet"))
    assert r.exit_code == 2 and "mente du «drammen»?" in r.stderr
    r = run("--n", "5", "--municipality", "drammen", "--output", str(tmp_path / "y.csv"))
    assert r.exit_code == 2
    r = run("--n", "5", "--municipality", "drammen", "--missing", "1.5", "--output", str(tmp_path / "y.jsonl"))
    assert r.exit_code == 2
    r = run("--n", "0", "--municipality", "drammen", "--output", str(tmp_path / "z.parquet"))
    assert r.exit_code == 0 and list(iter_sources([tmp_path / "z.parquet"])) == []


def test_a_generated_case_fails_nowhere_in_evaluate(tmp_path):
    out = tmp_path / "e.jsonl"
    assert CliRunner().invoke(app, ["corpus", "generate", "--n", "20", "--seed", "4", "--municipality", "drammen",
                                    "--output", str(out), "--rules-dir", str(RULES)]).exit_code == 0
    engine = Engine(RULES)
    for case in _cases(out):
        try:
            engine.evaluate(case)
        except CaseError as exc:  # pragma: no cover - the message says which
            pytest.fail(f"{case.id}: {[d.code for d in exc.diagnostics]}")


@pytest.mark.parametrize("municipality", ["drammen", "alver"])
def test_all_facts_and_none_missing_gives_complete_cases(engine, tmp_path, municipality):
    pop = population_for(engine.catalog(), municipality, 100, 8, None, 0.0, all_facts=True)
    write_parquet(pop, tmp_path / "c.parquet")
    cases = _cases(tmp_path / "c.parquet")
    outcomes = []
    for e in merger(engine.catalog(), municipality):
        for case in cases:
            outcomes += [d.outcome for d in engine.evaluate(case, rules=e.path).decisions]
    assert len(outcomes) >= 500
    assert outcomes.count("uavklart") <= len(outcomes) // 50  # known facts: decided (dates are not drawn)
    assert {"innvilget", "avslag"} <= set(outcomes)
