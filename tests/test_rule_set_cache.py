"""The rule-set cache (tildeling.rules.cache): a hit gives the same rule set and the same
outcomes as reading the file; a changed file, a changed shared piece, a corrupt or old
entry, a folder that cannot be written and ``TILDELING_CACHE=0`` never change an outcome."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from tildeling.engine import Engine
from tildeling.rules import cache
from tildeling.rules.cache import FORMAT, cache_dir, decode, encode, load_checked
from tildeling.rules.ruleset import load_ruleset

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
CASE = ROOT / "cases" / "drammen" / "dr-001.yaml"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    where = tmp_path / "cache"
    monkeypatch.setenv("TILDELING_CACHE_DIR", str(where))
    monkeypatch.delenv("TILDELING_CACHE", raising=False)
    return where


@pytest.fixture
def rules_copy(tmp_path):
    """A private copy of the Drammen rule sets and the shared pieces (to change them)."""
    dest = tmp_path / "rules"
    shutil.copytree(RULES / "drammen", dest / "drammen")
    shutil.copytree(RULES / "felles", dest / "felles")
    return dest


def _entries(folder: Path) -> list[Path]:
    """The rule-set entries (not the catalogue's or the legal register's)."""
    return sorted(p for p in folder.glob("*.json") if "-" not in p.name) if folder.exists() else []


def _outcome(rules_dir: Path, lang: str = "nb") -> str:
    engine = Engine(rules_dir)
    outcome = engine.evaluate(engine.read_case(CASE), lang=lang)
    return json.dumps(outcome.to_dict(), ensure_ascii=False, sort_keys=True, default=str)


def _loads(monkeypatch) -> list[str]:
    """Count the rule sets read from their files (a cache miss)."""
    seen: list[str] = []
    import tildeling.engine as engine_module
    import tildeling.rules.ruleset as ruleset_module

    real = ruleset_module.load_ruleset

    def spy(path, **kw):
        seen.append(str(path))
        return real(path, **kw)

    monkeypatch.setattr(ruleset_module, "load_ruleset", spy)
    monkeypatch.setattr(engine_module, "load_ruleset", spy)
    return seen


def test_round_trip_is_the_same_rule_set():
    for path in ("drammen/drammen-2021.yaml", "alver/alver-2020.yaml", "baerum/baerum-2023.yaml"):
        rs = replace(load_ruleset(RULES / path), register=None)
        stored = json.loads(json.dumps(encode(rs), ensure_ascii=False, allow_nan=False))
        back = decode(stored)
        assert back == rs
        assert encode(back) == encode(rs)  # spans, located strings and shared objects too


def test_miss_then_hit_gives_the_same_outcome(folder, rules_copy, monkeypatch):
    seen = _loads(monkeypatch)
    first = _outcome(rules_copy)
    assert len(_entries(folder)) == 1 and len(seen) == 1
    second = _outcome(rules_copy)
    assert second == first and len(seen) == 1  # the second process-like run read no rule file
    monkeypatch.setenv("TILDELING_CACHE", "0")
    assert _outcome(rules_copy) == first and len(seen) == 2


def test_cached_rule_set_equals_the_loaded_one(folder):
    path = RULES / "drammen" / "drammen-2020.yaml"
    fresh = load_checked(path, display="rules/drammen/drammen-2020.yaml")
    hit = load_checked(path, display="rules/drammen/drammen-2020.yaml")
    assert hit is not fresh and hit == fresh
    assert hit.register is fresh.register  # the packaged register, read once per process


def test_changed_rule_set_is_a_miss(folder, rules_copy, monkeypatch):
    seen = _loads(monkeypatch)
    _outcome(rules_copy)
    for p in (rules_copy / "drammen").glob("*.yaml"):  # whichever the case resolves to
        p.write_text(p.read_text(encoding="utf-8") + "\n# endret\n", encoding="utf-8")
    _outcome(rules_copy)
    assert len(seen) == 2 and len(_entries(folder)) == 2


def test_changed_vocabulary_is_a_miss(folder, rules_copy, monkeypatch):
    seen = _loads(monkeypatch)
    _outcome(rules_copy)
    vocab = rules_copy / "felles" / "fakta.yaml"
    vocab.write_text(vocab.read_text(encoding="utf-8") + "\n# endret\n", encoding="utf-8")
    _outcome(rules_copy)
    assert len(seen) == 2


def test_corrupt_or_old_entry_is_ignored_and_written_again(folder, rules_copy, monkeypatch):
    first = _outcome(rules_copy)
    [entry] = _entries(folder)
    seen = _loads(monkeypatch)
    for broken in (b"{not json", b"", json.dumps({"format": FORMAT - 1}).encode(),
                   entry.read_bytes().replace(b'"O"', b'"Q"', 1),
                   entry.read_bytes().replace(b'"tildeling.', b'"os.', 1)):
        entry.write_bytes(broken)
        assert _outcome(rules_copy) == first
        assert entry.read_bytes() != broken  # written again
    assert len(seen) == 5


def test_disabled(folder, rules_copy, monkeypatch):
    monkeypatch.setenv("TILDELING_CACHE", "0")
    assert cache_dir() is None
    _outcome(rules_copy)
    assert _entries(folder) == []


def test_folder_that_cannot_be_written_is_ignored(tmp_path, rules_copy, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TILDELING_CACHE_DIR", str(blocker / "cache"))
    assert _outcome(rules_copy) == _outcome(rules_copy)


def test_catalogue_and_register_come_from_the_cache(folder, rules_copy, monkeypatch):
    from tildeling.rules import resolve

    first = resolve.catalog(rules_copy)
    assert any(p.name.startswith("catalog-") for p in folder.glob("*.json"))
    calls: list[Path] = []
    real = resolve.read_metadata
    monkeypatch.setattr(resolve, "read_metadata", lambda p: calls.append(p) or real(p))
    assert resolve.catalog(rules_copy) == first and calls == []  # nothing parsed again
    changed = rules_copy / "drammen" / "drammen-2021.yaml"
    changed.write_text(changed.read_text(encoding="utf-8").replace('version: "2021.1"', 'version: "2021.2"'),
                       encoding="utf-8")
    again = resolve.catalog(rules_copy)
    assert calls == [changed]
    assert [e.version for e in again if e.path == changed] == ["2021.2"]


def test_default_folders(monkeypatch, tmp_path):
    monkeypatch.delenv("TILDELING_CACHE", raising=False)
    monkeypatch.delenv("TILDELING_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "tildeling"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "tildeling"


def test_invalid_rule_set_is_not_cached(folder, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    from tildeling.core.errors import RuleSetError

    for _ in range(2):
        with pytest.raises(RuleSetError):
            load_checked(bad)
    assert _entries(folder) == []


def test_only_data_is_stored():
    with pytest.raises(cache.NotData):
        encode(lambda: None)
    with pytest.raises(cache.NotData):
        encode(os.environ)
    with pytest.raises(cache.NotData):  # a class outside tildeling is never built
        decode({"layouts": [["os:_Environ"]], "files": [], "value": ["O", 0, 0]})
    with pytest.raises(cache.NotData):
        decode({"layouts": [], "files": [], "value": ["G", "os", "system"]})


def test_entry_of_a_class_whose_fields_changed_is_not_used():
    with pytest.raises(cache.NotData):  # SourceSpan stored without its line and columns
        decode({"layouts": [["tildeling.core.source:SourceSpan", "file"]], "files": [], "value": ["O", 0, 0, "x"]})


def test_lazy_compile_gives_the_same_plan_and_outcomes():
    """A rule set from the cache is compiled service by service as cases need them
    (evaluation/lazy.py): the same services in the same order, the same outcomes."""
    from tildeling.engine import evaluate_with
    from tildeling.evaluation.compiler import compile_ruleset
    from tildeling.rules.cases import load_case

    for name in ("drammen/drammen-2021.yaml", "drammen/drammen-2019.yaml", "alver/alver-2020.yaml",
                 "baerum/baerum-2023.yaml"):
        rs = load_ruleset(RULES / name)
        eager, lazy = compile_ruleset(rs), compile_ruleset(rs, lazy=True)
        assert (eager.implied, eager.application, list(eager.initiative)) == \
            (lazy.implied, lazy.application, list(lazy.initiative))
        assert len(lazy.services) == len(eager.services) and len(lazy.fast) == len(eager.fast)
        folder = ROOT / "cases" / name.split("/")[0]
        for path in sorted(folder.glob("*.yaml"))[:40]:
            try:
                case = load_case(path)
                one = evaluate_with(eager, case, explain=True).to_dict()
            except Exception as exc:  # noqa: BLE001 - the lazy plan must fail the same way
                with pytest.raises(type(exc)):
                    evaluate_with(lazy, load_case(path), explain=True)
                continue
            assert evaluate_with(lazy, case, explain=True).to_dict() == one
        assert list(lazy.services) == list(eager.services) and list(lazy.fast) == list(eager.fast)
        assert list(lazy.services.items())[0][0] == list(eager.services)[0]


def test_oldest_entries_are_removed(folder, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    folder.mkdir(parents=True)
    for i in range(4):
        (folder / f"old-{i}.json").write_text("{}")
        os.utime(folder / f"old-{i}.json", ns=(i * 10**9, i * 10**9))
    load_checked(RULES / "baerum" / "baerum-2023.yaml")
    left = sorted(p.name for p in folder.glob("*.json"))
    assert len(left) == 2 and "old-0.json" not in left and any("-" not in n for n in left)


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs to give a file away (root)")
def test_an_entry_someone_else_owns_is_not_read(folder, monkeypatch):
    path = RULES / "baerum" / "baerum-2023.yaml"
    load_checked(path)
    [entry] = _entries(folder)
    os.chown(entry, 12345, -1)
    seen = _loads(monkeypatch)
    load_checked(path)
    assert len(seen) == 1
