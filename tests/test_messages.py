"""The message catalogue as translator files: compiled files up to date, plural forms, every key
the code names present, and YAML syntax problems in the user's language."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest
import yaml
from helpers import ROOT

from tildeling.files.yamlload import YamlLoadError, load_yaml_text
from tildeling.i18n.catalogue import CATALOGUE, LANGUAGES, is_plural
from tildeling.i18n.diagnostic_messages import keyed, localize, phrase_n, render, render_n
from tildeling.i18n.yaml_problems import _TABLE, problem_key


def _compile_script():
    spec = importlib.util.spec_from_file_location("compile_messages", ROOT / "scripts" / "compile_messages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_mo_files_are_compiled_from_the_po_files():
    """Fails when a .po file was edited without running ``python scripts/compile_messages.py``."""
    pytest.importorskip("babel")
    stale = _compile_script().run(check=True)
    assert not stale, stale


def test_po_files_declare_their_plural_rule():
    for lang in LANGUAGES:
        po = (ROOT / "src/tildeling/i18n/locale" / lang / "LC_MESSAGES" / "tildeling.po").read_text(encoding="utf-8")
        assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in po, lang
        assert f'"Language: {lang}\\n"' in po


def test_the_runtime_does_not_import_babel():
    code = ("import sys, tildeling.cli; from tildeling.i18n.messages import msg; msg('test.fail', 'nn'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'babel'))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and r.stdout.strip() == "[]", r.stdout + r.stderr


@pytest.mark.parametrize("lang, one, many", [
    ("nb", "1 fil sjekket: 1 feil, 1 advarsel", "2 filer sjekket: 0 feil, 3 advarsler"),
    ("nn", "1 fil sjekka: 1 feil, 1 åtvaring", "2 filer sjekka: 0 feil, 3 åtvaringar"),
    ("en", "1 file checked: 1 error, 1 warning", "2 files checked: 0 errors, 3 warnings"),
])
def test_counts_take_the_plural_form_of_their_language(lang, one, many):
    def summary(files, errors, warnings):
        return render("validate.summary", lang, {"files": phrase_n("count.files_checked", files),
                                                 "errors": phrase_n("count.errors", errors),
                                                 "warnings": phrase_n("count.warnings", warnings)})
    assert summary(1, 1, 1) == one
    assert summary(2, 0, 3) == many


def test_plural_keys_are_rendered_with_a_count():
    assert is_plural("test.cases") and not is_plural("test.fail")
    assert render_n("test.cases", 1, "nn") == "1 sak med forventningar"
    with pytest.raises(KeyError):
        render_n("no.such.key", 2)
    with pytest.raises(KeyError):
        render("no.such.key")


def test_an_unknown_language_and_a_missing_translation_fall_back_to_bokmaal():
    assert render("word.or", "de") == "eller"
    assert render_n("count.files_checked", 2, "se") == "2 filer sjekket"


def test_keyed_messages_are_bokmaal_strings_that_translate_later():
    m = keyed("error.not_found", path="x.yaml")
    assert isinstance(m, str) and m == "Fant ikke «x.yaml»."
    assert localize(m, "nn") == "Fann ikkje «x.yaml»." and localize(m, "en") == "«x.yaml» not found."
    assert localize("plain text", "en") == "plain text"


# Calls that name a catalogue key as a literal: render("k"), msg("k"), keyed("k"), phrase("k"),
# make("code", "severity", "k", …), _t("k") in the diff report (prefix "diff.").
_CALL = re.compile(r"\b(render_message|render_n|render|msg_n|msg|keyed|phrase_n|phrase|Phrase|KeyedValueError|_t_n|_t)"
                   r"\(\s*[\"']([\w.]+)[\"']\s*[,)]")  # a whole key, not a prefix: msg("outcome." + o)
_MAKE = re.compile(r"\bmake\(\s*\"[\w-]+\",\s*\"\w+\",\s*\"([\w.]+)\"")
_HINT = re.compile(r"\bhint_key=\"([\w.]+)\"")


def test_every_key_the_code_names_is_in_the_catalogue():
    named: set[tuple[str, str]] = set()
    for p in (ROOT / "src" / "tildeling").rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        # a module's _t/_t_n prefix its keys: msg(f"diff.{key}", …) in the diff report
        prefix = re.search(r"def _t\(.*\n\s*return msg\(f[\"']([\w.]+)\{key\}", text)
        for fn, key in _CALL.findall(text):
            named.add((str(p.relative_to(ROOT)),
                       f"{prefix[1] if prefix else 'diff.'}{key}" if fn in ("_t", "_t_n") else key))
        for rx in (_MAKE, _HINT):
            named.update((str(p.relative_to(ROOT)), key) for key in rx.findall(text))
    assert len(named) > 150
    missing = sorted((f, k) for f, k in named if k not in CATALOGUE)
    assert not missing, missing


# --- YAML syntax problems ------------------------------------------------------------------------

_BROKEN_YAML = {
    "a: b: c": "mapping_values", "a:\n\tb: 1": "tab", "a: x\n\t- y": "tab", "a: >\n\tfoo": "tab",
    "a: *x": "undefined_alias", "a: [1, 2": "unclosed_list", "a: {b: 1": "unclosed_mapping",
    "a: 'abc": "unclosed_quote", 'a: "abc': "unclosed_quote", "- a\nb: 1": "indentation",
    "a: b\n- c": "indentation", "a: &x 1\nb: &x 2": "duplicate_anchor", "a: b\nc": "expected_colon",
    "---\na\n---\nb": "several_documents", "[a, b]]": "after_end", 'a: "\\q"': "escape",
    "%YAML 2.0\n---\na": "directive", "a: ,b": "node_content", "a: &  x": "anchor_name", "a: |0\n x": "block_scalar",
    "a: x\x00": "control_character",
}


@pytest.mark.parametrize("loader", [getattr(yaml, "CSafeLoader", yaml.SafeLoader), yaml.SafeLoader],
                         ids=["libyaml", "python"])
@pytest.mark.parametrize("text, key", sorted(_BROKEN_YAML.items()))
def test_yaml_problems_are_named_in_norwegian_with_a_hint(loader, text, key):
    try:
        node = loader(text)
        try:
            node.get_single_node()
        finally:
            node.dispose()
    except yaml.YAMLError as exc:
        from tildeling.i18n.yaml_problems import describe
        problem, hint = describe(exc, text)
        assert problem.key == f"yaml.problem.{key}", (exc, problem.key)
        assert hint.key == f"yaml.problem.{key}.hint"
    else:
        pytest.fail("not a YAML error")


def test_a_yaml_syntax_error_reads_as_norwegian_in_the_diagnostic():
    with pytest.raises(YamlLoadError) as exc:
        load_yaml_text("a:\n\tb: 1\n", "f.yaml")
    d = exc.value.diagnostic
    assert d.code == "yaml-syntax" and (d.span.line, d.span.column) == (2, 1)
    assert d.message == "YAML-feil: tabulatortegn i innrykket."
    assert d.hint == "bruk mellomrom, ikke tabulator, til innrykk"
    assert d.text("nn") == "YAML-feil: tabulatorteikn i innrykket." and d.hint_text("en") == "indent with spaces, not tabs"
    assert "mapping values" not in load_error_text("a: b: c") and "found" not in load_error_text("a: *x")


def load_error_text(text: str) -> str:
    try:
        load_yaml_text(text, "f.yaml")
    except YamlLoadError as exc:
        return exc.diagnostic.text("en") + " " + exc.diagnostic.text("nb")
    raise AssertionError("no error")


def test_unknown_yaml_problems_get_the_generic_message_and_every_table_entry_has_texts():
    assert problem_key("something libyaml may say one day") == "invalid"
    for _, key in _TABLE:
        for k in (f"yaml.problem.{key}", f"yaml.problem.{key}.hint"):
            assert k in CATALOGUE, k
    assert "yaml.problem.invalid.hint" in CATALOGUE
