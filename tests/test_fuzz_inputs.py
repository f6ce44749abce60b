"""Bad input of any shape gives our documented errors — never a traceback."""

from __future__ import annotations

from helpers import FIXTURES, MINI, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tildeling.core.errors import CaseError, RuleSetError, TildelingError
from tildeling.engine import Engine
from tildeling.files.yamlload import YamlLoadError, load_yaml_text
from tildeling.rules.cases import load_case
from tildeling.rules.ruleset import load_ruleset

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
RULE_TEXT = MINI.read_text(encoding="utf-8").replace("../../../rules/felles/", str(ROOT / "rules" / "felles") + "/")
CASE_TEXT = (FIXTURES / "cases" / "alfa-1.yaml").read_text(encoding="utf-8")
YAMLISH = st.lists(st.sampled_from(list("ab: -[]{}\n\"'|>&*!#%@`,?.0129æøå\t")
                                   + ["true", "2020-01-01", "!!str", "2019-02-30", "2021-04-31", "1" * 20,
                                      "1.0e+400", ".inf", ".nan", "!!bool", "!!timestamp", "!!int", "&a", "*a"]),
                   max_size=60).map("".join)


@SETTINGS
@given(st.one_of(st.text(max_size=300), YAMLISH))
def test_yaml_loader_raises_only_its_own_error(text):
    try:
        load_yaml_text(text, "x.yaml")
    except YamlLoadError as exc:
        assert exc.diagnostic.span is not None and exc.diagnostic.span.line >= 1


def _mutate(text: str, data) -> str:
    pos = data.draw(st.integers(0, len(text) - 1))
    length = data.draw(st.integers(0, 12))
    insert = data.draw(st.one_of(YAMLISH, st.sampled_from(["og", " < ", "funksjon.", "else: true", "\n  - id: x"])))
    return text[:pos] + insert + text[pos + length:]


@SETTINGS
@given(st.data())
def test_mutated_rule_sets_raise_only_rule_set_errors(tmp_path, data):
    p = tmp_path / "r.yaml"
    p.write_text(_mutate(RULE_TEXT, data), encoding="utf-8")
    try:
        load_ruleset(p)
    except RuleSetError as exc:
        assert exc.diagnostics, "an error must say what is wrong"
        for d in exc.diagnostics:
            assert d.code and d.message


@SETTINGS
@given(st.data())
def test_mutated_cases_raise_only_case_errors(tmp_path, data):
    p = tmp_path / "c.yaml"
    p.write_text(_mutate(CASE_TEXT, data), encoding="utf-8")
    try:
        load_case(p)
    except CaseError as exc:
        assert exc.diagnostics


ENGINE = Engine(FIXTURES / "rules")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mutated_cases_evaluate_or_raise_only_our_errors(tmp_path, data):
    p = tmp_path / "c.yaml"
    p.write_text(_mutate(CASE_TEXT, data), encoding="utf-8")
    try:
        ENGINE.evaluate(load_case(p), explain=data.draw(st.booleans()))
    except TildelingError as exc:
        assert exc.code and (exc.diagnostics or exc.code == "usage-error")
