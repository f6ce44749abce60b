"""A policy author's mistakes get exact positions, stable codes and hints — all of them."""

from __future__ import annotations

import pytest
from helpers import MINI, line_col, variant

from tildeling.core.errors import RuleSetError
from tildeling.rules.ruleset import load_ruleset


def errors_of(path):
    with pytest.raises(RuleSetError) as exc:
        load_ruleset(path)
    return exc.value.diagnostics


def test_fixture_is_valid():
    rs = load_ruleset(MINI)
    assert set(rs.services) == {"praktisk_bistand", "langtidsopphold"}
    assert [r.id for r in rs.services["praktisk_bistand"].rules()] == ["pb-ingen-behov", "pb-husstand", "pb-innvilget"]


def test_misspelt_fact_in_multiline_condition_points_at_file_line_column(tmp_path):
    p = variant(tmp_path, "            og husstand.annen_voksen_vil_bidra", "            og husstand.annen_voksen_vil_bidraa")
    diags = errors_of(p)
    d = [d for d in diags if d.code == "unknown-name"]
    assert len(d) == 1
    text = p.read_text(encoding="utf-8")
    assert (d[0].span.file, d[0].span.line, d[0].span.column) == (str(p), *line_col(text, "husstand.annen_voksen_vil_bidraa"))
    assert "husstand.annen_voksen_vil_bidra" in d[0].hint


def test_every_error_is_reported_not_only_the_first(tmp_path):
    p = variant(tmp_path, "when: husholdsbehov < 3", "when: husholdsbehov < 3 og funksjon.husarbied > 1")
    text = p.read_text(encoding="utf-8").replace("    step: 6\n", "    step: 14\n").replace("outcome: innvilget\n        discretion: true",
                                                                                  "outcome: innvilgt\n        discretion: true")
    p.write_text(text, encoding="utf-8")
    codes = sorted(d.code for d in errors_of(p))
    assert codes == ["invalid-value", "unknown-name", "unknown-step"]


def test_unknown_key_suggests_the_right_one(tmp_path):
    p = variant(tmp_path, "    legal_basis: [hol § 3-2 a, pbrl § 2-1 e]", "    legal_bassis: [hol § 3-2 a, pbrl § 2-1 e]")
    diags = errors_of(p)
    unknown = [d for d in diags if d.code == "unknown-key"]
    assert unknown and unknown[0].hint == "mente du «legal_basis»?"
    assert unknown[0].span.line == line_col(p.read_text(encoding="utf-8"), "legal_bassis")[0]
    assert any(d.code == "missing-key" for d in diags)  # and the real key is missing


def test_expression_syntax_error_position(tmp_path):
    p = variant(tmp_path, "when: søker.alder < 67", "when: søker.alder < < 67")
    d = [d for d in errors_of(p) if d.code == "expression-syntax"][0]
    line, col = line_col(p.read_text(encoding="utf-8"), "< < 67")
    assert d.span.line == line and d.span.column == col + 2


def test_type_mismatch_and_unknown_enum_value(tmp_path):
    p = variant(tmp_path, "when: søker.alder < 67", 'when: søker.alder < "gammel" eller tilstand.kognitiv_svikt == "moderate"')
    codes = {d.code for d in errors_of(p)}
    assert {"type-mismatch", "unknown-value"} <= codes


def test_condition_must_be_yes_no(tmp_path):
    p = variant(tmp_path, "when: søker.alder < 67", "when: søker.alder + 1")
    assert [d.code for d in errors_of(p)] == ["type-mismatch"]


def test_unknown_parameter(tmp_path):
    p = variant(tmp_path, "when: søker.alder < 67", "when: søker.alder < parameter.aldersgrens")
    d = errors_of(p)[0]
    assert d.code == "unknown-name" and "Ukjent parameter" in d.message


def test_cyclic_definitions(tmp_path):
    p = variant(tmp_path, "  husholdsbehov: max(funksjon.husarbeid, funksjon.innkjøp, funksjon.matlaging)",
                "  husholdsbehov: max(funksjon.husarbeid, a)\n  a: husholdsbehov")
    d = [d for d in errors_of(p) if d.code == "cyclic-definition"]
    assert d and "husholdsbehov" in d[0].message and "a" in d[0].message


def test_duplicate_rule_ids(tmp_path):
    p = variant(tmp_path, "- id: lt-avslag", "- id: lt-alder")
    d = [d for d in errors_of(p) if d.code == "duplicate-id"]
    assert d and "lt-alder" in d[0].message


def test_invalid_date_and_validity_window(tmp_path):
    p = variant(tmp_path, "valid_to: 2019-12-31", "valid_to: 2019-13-31")
    assert {d.code for d in errors_of(p)} == {"invalid-date"}
    p = variant(tmp_path, "valid_to: 2019-12-31", "valid_to: 2017-12-31")
    assert {d.code for d in errors_of(p)} == {"invalid-validity"}


def test_legal_reference_must_be_in_force_in_the_window(tmp_path):
    # pbrl § 2-1 (without «a») is the numbering from 1 June 2024; a 2018–2019 set must cite § 2-1 a.
    p = variant(tmp_path, "pbrl § 2-1 a andre ledd", "pbrl § 2-1 andre ledd")
    d = [d for d in errors_of(p) if d.code == "legal-ref-not-in-force"]
    assert d and "2-1 a" in (d[0].hint or "")


def test_unreachable_rule_after_else(tmp_path):
    p = variant(tmp_path, """        reason: {nb: Lavere omsorgsnivå skal forsøkes først.}""",
                """        reason: {nb: Lavere omsorgsnivå skal forsøkes først.}
      - id: lt-etter-else
        when: søker.alder > 100
        outcome: avslag""")
    assert [d.code for d in errors_of(p)] == ["unreachable-rule"]


def test_yaml_syntax_error_has_position(tmp_path):
    p = variant(tmp_path, "status: adopted", "status: [adopted")
    d = errors_of(p)
    assert d[0].code == "yaml-syntax" and d[0].span.line > 1


def test_unsafe_yaml_tags_are_rejected(tmp_path):
    p = variant(tmp_path, "status: adopted", "status: !!python/object/apply:os.system ['true']")
    assert errors_of(p)[0].code == "yaml-unsafe-tag"


def test_size_and_nesting_limits(tmp_path):
    from tildeling.files.yamlload import YamlLoadError, load_yaml_text
    with pytest.raises(YamlLoadError) as exc:
        load_yaml_text("a: " + "[" * 100 + "]" * 100, "deep.yaml")
    assert exc.value.diagnostic.code == "yaml-too-deep"
    with pytest.raises(YamlLoadError) as exc:
        load_yaml_text("a: &x [1,2,3,4,5,6,7,8,9]\n" + "".join(f"b{i}: &x{i} [*x, *x, *x, *x, *x, *x, *x, *x, *x, *x]\n" if i == 0 else f"b{i}: &x{i} [*x{i-1}, *x{i-1}, *x{i-1}, *x{i-1}, *x{i-1}, *x{i-1}, *x{i-1}, *x{i-1}, *x{i-1}, *x{i-1}]\n" for i in range(8)), "bomb.yaml")
    assert exc.value.diagnostic.code == "yaml-too-large"


def test_parameter_without_value_when_the_rule_set_starts_is_a_warning(tmp_path):
    # The co-payment cap starts in 2024; a 2018–2019 rule set using it would meet an unknown.
    p = variant(tmp_path, "when: søker.alder < 67", "when: søker.alder < parameter.egenandel_praktisk_bistand_under_2g_mnd")
    rs = load_ruleset(p)
    w = [d for d in rs.warnings if d.code == "parameter-not-in-force"]
    assert len(w) == 1 and "2024-01-01" in w[0].message
