"""The cold path of ``tildeling evaluate`` (issue 9): a rule set from the cache and a plain
case are read into the plain twins of the file models (files/plainmodel.py), without
pydantic. These tests check that the path is what it claims — no pydantic, rich, typer or
lark imported (a structural check, not a timing one) — and that it prints exactly what the
full path (pydantic models, the cache off) prints, for every case under ``cases/``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import tildeling.cli.evaluate as evaluate_command
from tildeling.engine import Engine
from tildeling.files import model as models
from tildeling.files.kind import KEYS, MODELS
from tildeling.files.plainmodel import TWINS, PlainModel, build

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = sorted(p.relative_to(ROOT) for p in (ROOT / "cases").iterdir() if p.is_dir())
HEAVY = ("pydantic", "pydantic_core", "rich", "typer", "click", "lark", "tildeling.files.model",
         "tildeling.files.modelcheck", "importlib.metadata")

_PROBE = """
import json, os, sys
sys.argv = ["tildeling", *json.loads(os.environ["PROBE_ARGS"])]
from tildeling.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
with open(os.environ["PROBE_OUT"], "w") as fh:
    json.dump({"code": code, "modules": sorted(sys.modules)}, fh)
"""


def _probe(tmp_path: Path, args: list[str], env: dict[str, str]) -> tuple[int, set[str], str]:
    out = tmp_path / "probe.json"
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True,
                          env={**env, "PROBE_ARGS": json.dumps(args), "PROBE_OUT": str(out)})
    found = json.loads(out.read_text())
    return found["code"], set(found["modules"]), done.stdout


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_lean_evaluate_imports_no_heavy_library(tmp_path: Path, fmt: str) -> None:
    """With the rule-set cache warm, evaluating one plain case imports none of pydantic,
    rich, typer, click, lark, the pydantic file models or importlib.metadata."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TILDELING_")}
    env["TILDELING_CACHE_DIR"] = str(tmp_path / "cache")
    args = ["evaluate", "cases/drammen/dr-001.yaml", "--format", fmt]
    first_code, first_modules, first_out = _probe(tmp_path, args, env)  # a miss: read, checked, stored
    assert first_code == 0 and "pydantic" in first_modules
    code, modules, out = _probe(tmp_path, args, env)
    assert code == 0 and out == first_out
    assert sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY) == []


def test_every_model_has_a_twin() -> None:
    """Each pydantic model of files/model.py has its plain twin, with its methods."""
    found = {name for name, obj in vars(models).items()
             if isinstance(obj, type) and issubclass(obj, models.BaseModel) and obj.__module__ == models.__name__}
    assert found - {"Strict"} == set(TWINS)
    for name, twin in TWINS.items():
        model = getattr(models, name)
        own = {k for k, v in vars(model).items()
               if not k.startswith("_") and (callable(v) or isinstance(v, property))} - {"model_config"}
        assert own <= set(dir(twin)), name


def test_kind_keys_are_the_models_fields() -> None:
    for kind, model in MODELS.items():
        assert KEYS[kind] == frozenset(f.alias or n for n, f in model.model_fields.items()), kind


def test_twin_behaves_as_the_model() -> None:
    text = models.Text(nb="hei", nn="hei du")
    twin = build(TWINS["Text"], dict(vars(text)), set(text.model_fields_set))
    assert twin == text and text == twin and hash(twin) == hash(text)
    assert [twin.get(lang) for lang in ("nb", "nn", "en")] == [text.get(lang) for lang in ("nb", "nn", "en")]
    assert twin.model_fields_set == {"nb", "nn"} and repr(twin) == "Text(nb='hei', nn='hei du', en=None)"
    with pytest.raises(AttributeError):
        twin.nb = "x"
    import copy
    import pickle

    assert pickle.loads(pickle.dumps(twin)) == twin and copy.deepcopy(twin) == twin
    assert isinstance(twin, PlainModel)


# --- the lean path prints what the full path prints --------------------------------------------

def _run(engine: Engine, folder: Path, fmt: str, lang: str | None, explain: bool,
         capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    real = evaluate_command.Engine
    evaluate_command.Engine = lambda rules_dir: engine  # type: ignore[assignment,misc]
    try:
        capsys.readouterr()
        code = evaluate_command.evaluate_cases([folder], None, None, None, fmt, lang, explain)
        out, err = capsys.readouterr()
    finally:
        evaluate_command.Engine = real  # type: ignore[misc]
    return code, out, err


@pytest.fixture(scope="module")
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("coldstart-cache")


def test_lean_path_prints_what_the_full_path_prints(cache_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every case under cases/, text and JSON (and --explain, nynorsk): rule sets from a warm
    cache as plain twins and plain cases without pydantic, against the cache off and every
    case validated by pydantic."""
    import tildeling.rules.cases as cases_module

    variants = [("text", None, False), ("json", None, False), ("text", "nn", True), ("json", "nn", True)]
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        mp.setenv("TILDELING_CACHE_DIR", str(cache_folder))
        mp.delenv("TILDELING_CACHE", raising=False)
        filler = Engine(None)
        for folder in FOLDERS:  # fills the cache (a miss: read from the files, then stored)
            _run(filler, folder, "json", None, False, capsys)
        lean = Engine(None)
        lean_runs = {(str(f), *v): _run(lean, f, *v, capsys) for f in FOLDERS for v in variants}
        twins = [crs for crs in lean._compiled.values() if isinstance(crs.ruleset.meta, PlainModel)]
        assert twins and len(twins) == len(lean._compiled)  # every rule set came from the cache
        mp.setenv("TILDELING_CACHE", "0")
        mp.setattr(cases_module, "plain_case_model", lambda data: None)  # every case through pydantic
        full = Engine(None)
        full_runs = {(str(f), *v): _run(full, f, *v, capsys) for f in FOLDERS for v in variants}
        assert not any(isinstance(crs.ruleset.meta, PlainModel) for crs in full._compiled.values())
    assert lean_runs.keys() == full_runs.keys()
    for key, got in lean_runs.items():
        assert got == full_runs[key], key


def test_a_dict_extending_an_earlier_one_reads_back_the_same() -> None:
    """The cache writes a large dict that starts with the items of one written before as an
    extension of it ("X"); keys of another type (a located string with a place) or values
    that are not the very same objects are never taken from the earlier dict."""
    from tildeling.core.source import LocatedStr, SourceSpan
    from tildeling.rules.cache import decode, encode

    values = [[i] for i in range(40)]
    base = {f"k{i}": v for i, v in enumerate(values)}
    extended = {**base, "extra": [99]}
    located = {LocatedStr("k0", SourceSpan("f.yaml", 1, 1, 1, 3)): values[0],
               **{k: v for k, v in base.items() if k != "k0"}}
    copies = {k: list(v) for k, v in base.items()}  # equal values, not the same objects
    stored = json.loads(json.dumps(encode([base, extended, located, copies, {"inner": base}])))
    assert json.dumps(stored).count('["X"') == 1
    back = decode(stored)
    assert back == [base, extended, located, copies, {"inner": base}]
    b, e, loc, c, inner = back
    assert all(e[k] is b[k] for k in b) and list(e) == list(extended) and inner["inner"] is b
    assert [type(k) for k in loc] == [type(k) for k in located] and next(iter(loc)).span.line == 1
    assert all(c[k] is not b[k] for k in b)
