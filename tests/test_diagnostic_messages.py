"""Diagnostics in bokmål, nynorsk and English: one catalogue, the same codes and positions."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from helpers import ROOT, line_col, variant

from tildeling.core.diagnostics import Diagnostic, make
from tildeling.core.errors import ExpressionError, RuleSetError
from tildeling.i18n.diagnostic_messages import CATALOGUE, LANGUAGES, placeholders, render
from tildeling.language.parser import parse_expression
from tildeling.language.typecheck import check_expression
from tildeling.reports.render import format_diagnostic, format_diagnostics
from tildeling.rules.ruleset import load_ruleset


def cli(*args):
    return subprocess.run([sys.executable, "-m", "tildeling", *args], capture_output=True, text=True, cwd=ROOT)


# --- the catalogue ------------------------------------------------------------------------------

@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_key_has_all_languages_with_the_same_placeholders(key):
    entry = CATALOGUE[key]
    assert set(entry) == set(LANGUAGES), key
    forms = {lang: entry[lang] if isinstance(entry[lang], tuple) else (entry[lang],) for lang in LANGUAGES}
    assert len({len(f) for f in forms.values()}) == 1, (key, "plural forms differ between languages")
    for lang in LANGUAGES:
        assert all(f.strip() for f in forms[lang]), (key, lang)
        # every plural form of every language takes the same arguments as the bokmål singular
        assert all(placeholders(f) == placeholders(forms["nb"][0]) for f in forms[lang]), (key, lang)


# Bokmål forms that must not slip into nynorsk text (keywords of the expression language and
# quoted examples, written «…», are left out before looking).
_BOKMAAL = ["ikke", "også", "hvis", "mangler", "være", "finnes", "navn", "noe", "uten", "utenfor", "hele",
            "samme", "skrives", "brukes", "fikk", "forventet", "ukjent nøkkel", "enten", "mer", "dypt", "høyst",
            "tjeneste", "tjenester", "verdier", "nøkler", "lovlige", "kjente", "sammenlign", "gjelder", "fra"]


def test_nynorsk_texts_have_no_bokmaal_words():
    for key, entry in CATALOGUE.items():
        nn = " ".join(entry["nn"]) if isinstance(entry["nn"], tuple) else entry["nn"]
        text = re.sub(r"«[^»]*»|\{[^}]*\}|\w+\([^)]*\)", " ", nn).lower()
        words = set(re.findall(r"[\wæøå]+(?: nøkkel)?", text))
        assert not words & set(_BOKMAAL), (key, entry["nn"])


def test_render_falls_back_to_bokmaal_and_capitalises_on_request():
    assert render("types.must_be", "nn", {"what": "vilkåret", "wanted": "ja/nei", "actual": "tal"}) == \
        "Vilkåret må vere ja/nei, men er tal."
    assert render("hint.did_you_mean", "se", {"name": "x"}) == "mente du «x»?"


def test_make_keeps_the_bokmaal_text_as_message_and_hint():
    d = make("unknown-fact", "error", "case.unknown_fact", None, path="a.b",
             hint_key="hint.did_you_mean", hint_args={"name": "a.c"})
    assert (d.message, d.hint) == ("Ukjent faktum «a.b».", "mente du «a.c»?")
    assert d.text("en") == "Unknown fact «a.b»." and d.hint_text("nn") == "meinte du «a.c»?"
    assert d.to_json("en")["hint"] == "did you mean «a.c»?" and d.to_json()["message"] == d.message
    plain = Diagnostic("invalid-case", "error", "Fritt formulert.", None, "et hint")
    assert plain.text("nn") == "Fritt formulert." and plain.hint_text("en") == "et hint"


# --- the arguments real diagnostics carry ---------------------------------------------------------

_BAD_EXPRESSIONS = [
    "a = b", "a && b", "a || b", "a AND b", "a Og b", "a =< 3", "a ≥ 3", "!a", "a < b < c", "a ==", "(a",
    "hvis a så b", "1,5 > x", "a b", "f(a,)", '"abc', "3x", "", "a in b in c", "a % 2", "a # b", "a; b",
    '"a\\qb"', "2020-02-30", "x.if", "TRUE", "a.", "«a»", "ikke.x", "1" * 400,
]


def _syntax_diagnostics():
    out = []
    for text in _BAD_EXPRESSIONS:
        try:
            parse_expression(text)
        except ExpressionError as exc:
            out.extend(exc.diagnostics)
    return out


def _type_diagnostics():
    from tildeling.language.scope import Scope, Symbol
    from tildeling.language.types import BOOL, DATE, IPLOS, NUMBER, TEXT, Kind, Type
    scope = Scope()
    for path, t in {"funksjon.husarbeid": IPLOS, "søker.alder": Type(Kind.NUMBER, None, 0, 120, True),
                    "søker.bor_alene": BOOL, "søknad.dato": DATE, "søker.navn": TEXT, "x.tall": NUMBER,
                    "tilstand.kognitiv_svikt": Type(Kind.TEXT, ("ingen", "lett", "moderat", "alvorlig")),
                    "tjenester.forsøkt": Type(Kind.LIST, ("a", "b"))}.items():
        scope.add(Symbol(path, "fact", t))
    texts = ["funksjon.husarbeid + 1", "søker.bor_alene < søker.bor_alene", "søker.alder == søknad.dato",
             "funksjon.husarbied > 1", "parameter.grens > 1", 'tilstand.kognitiv_svikt == "moderate"',
             'tilstand.kognitiv_svikt == "zzzz"', "funksjon.husarbeid > 9", "funksjon.husarbeid == 7",
             "søker.alder == 200", "søker.alder == 2.5", "maks(1, 2)", "fooo(1)", "age(søknad.dato)",
             "sum(søker.bor_alene)", "mean(søker.navn)", "not søker.alder", "-søker.navn",
             "hvis søker.alder så 1 ellers 2", "hvis søker.bor_alene så 1 ellers \"a\"", "søknad.dato in [1, 2]",
             '[1, "a"] == 1', '"a" in søker.alder', "søker.alder in tjenester.forsøkt",
             '1 in ["a", "b"]', "søker.alder and søker.bor_alene", "søker.alder + søker.navn"]
    out = []
    for text in texts:
        _t, diags = check_expression(parse_expression(text), scope, expected=Kind.BOOL)
        out.extend(diags)
    return out


def _ruleset_diagnostics(tmp_path):
    p = _broken_rule_set(tmp_path)
    with pytest.raises(RuleSetError) as exc:
        load_ruleset(p)
    return exc.value.diagnostics


def test_every_real_diagnostic_renders_in_every_language(tmp_path):
    diags = _syntax_diagnostics() + _type_diagnostics() + _ruleset_diagnostics(tmp_path)
    keys = {d.key for d in diags} | {d.hint_key for d in diags if d.hint_key}
    assert len(keys) > 40, sorted(keys)
    for d in diags:
        assert d.key is not None, d
        assert d.text("nb") == d.message and d.hint_text("nb") == d.hint
        for lang in LANGUAGES:
            text = d.text(lang)
            assert text and "{" not in text.replace("\\u{…}", ""), (d.key, lang, text)
            if d.hint_key:
                assert d.hint_text(lang)
        if d.key not in ("located", "text") and CATALOGUE[d.key]["nn"] != CATALOGUE[d.key]["nb"]:
            assert d.text("nn") != d.message


def test_legal_problems_render_in_nynorsk():
    from datetime import date

    from tildeling.rules.legal import load_register, parse_citation
    reg = load_register()
    problems = reg.check(parse_citation("pbrl § 2-1 andre ledd"), date(2020, 1, 1), None)
    assert problems[0].hint == "bruk «pbrl § 2-1 a andre ledd» før 2024-06-01"
    assert problems[0].phrase.text("nn").endswith("gjeld først frå 2024-06-01, men regelsettet gjeld frå 2020-01-01.")
    assert problems[0].hint_phrase.text("en") == "use «pbrl § 2-1 a andre ledd» before 2024-06-01"


# --- the command line ---------------------------------------------------------------------------

def _broken_rule_set(tmp_path):
    """Four of a policy author's everyday mistakes in one file."""
    p = variant(tmp_path, "            og husstand.annen_voksen_vil_bidra",
                "            og husstand.annen_voksen_vil_bidraa")            # misspelt fact
    text = p.read_text(encoding="utf-8")
    text = text.replace("    legal_basis: [hol § 3-2 a, pbrl § 2-1 e]",
                        "    legal_bassis: [hol § 3-2 a, pbrl § 2-1 e]")     # unknown key
    text = text.replace("outcome: innvilget\n        discretion: true",
                        "outcome: innvilgt\n        discretion: true")        # bad outcome
    text = text.replace("pbrl § 2-1 a andre ledd", "pbrl § 2-1 andre ledd")  # not in force in 2018–2019
    p.write_text(text, encoding="utf-8")
    return p


_HEAD = re.compile(r"^(\S+:\d+:\d+): (\w+)\[([\w-]+)\]: ", re.M)


def test_validate_in_nynorsk(tmp_path):
    p = _broken_rule_set(tmp_path)
    nb = cli("validate", str(p))
    nn = cli("validate", "--lang", "nn", str(p))
    assert nb.returncode == nn.returncode == 1
    out = nn.stdout
    for phrase in ("Ukjend nøkkel «legal_bassis».", "meinte du «legal_basis»?",
                   "Nøkkelen «legal_basis» manglar.", "lovlege verdiar: 'innvilget', 'delvis_innvilget', 'avslag' "
                   "eller 'uavklart'", "gjeld først frå 2024-06-01, men regelsettet gjeld frå 2018-01-01",
                   "meinte du «husstand.annen_voksen_vil_bidra»?", "1 fil sjekka: 5 feil, 0 åtvaringar"):
        assert phrase in out, phrase
    messages = "\n".join(line for line in out.splitlines() if _HEAD.match(line) or line.startswith("  hint:"))
    for word in ("ikke", "Ukjent nøkkel", "mente du", "mangler", "lovlige", "gjelder", "sjekket", "advarsler"):
        assert word not in messages, word
    # the same problems at the same places, in the same order
    assert [m[::2] for m in _HEAD.findall(out)] == [m[::2] for m in _HEAD.findall(nb.stdout)]
    assert len(_HEAD.findall(out)) == 5
    line, col = line_col(p.read_text(encoding="utf-8"), "legal_bassis")
    assert f"{p}:{line}:{col}: feil[unknown-key]: Ukjend nøkkel «legal_bassis»." in out


def test_validate_in_english(tmp_path):
    p = _broken_rule_set(tmp_path)
    r = cli("validate", "--lang", "en", str(p))
    assert r.returncode == 1
    for phrase in ("error[unknown-key]: Unknown key «legal_bassis».", "hint: did you mean «legal_basis»?",
                   "error[unknown-name]: Unknown fact or definition «husstand.annen_voksen_vil_bidraa».",
                   "allowed values: 'innvilget', 'delvis_innvilget', 'avslag' or 'uavklart'",
                   "applies only from 2024-06-01", "1 file checked: 5 errors, 0 warnings"):
        assert phrase in r.stdout, phrase
    assert "feil[" not in r.stdout and "Ukjent" not in r.stdout


def test_validate_default_is_bokmaal_and_unchanged(tmp_path):
    p = _broken_rule_set(tmp_path)
    default = cli("validate", str(p))
    assert default.stdout == cli("validate", "--lang", "nb", str(p)).stdout
    assert "feil[unknown-key]: Ukjent nøkkel «legal_bassis»." in default.stdout
    assert "  hint: mente du «legal_basis»?" in default.stdout
    assert default.stdout.splitlines()[-1] == "1 fil sjekket: 5 feil, 0 advarsler"


def test_validate_json_uses_the_language(tmp_path):
    p = _broken_rule_set(tmp_path)
    nb = json.loads(cli("validate", "--format", "json", str(p)).stdout)
    nn = json.loads(cli("validate", "--format", "json", "--lang", "nn", str(p)).stdout)
    assert [(d["code"], d["line"], d["column"]) for d in nb["diagnostics"]] == \
        [(d["code"], d["line"], d["column"]) for d in nn["diagnostics"]]
    by_code = {d["code"]: d for d in nn["diagnostics"]}
    assert by_code["unknown-key"]["message"] == "Ukjend nøkkel «legal_bassis»."
    assert {d["code"]: d for d in nb["diagnostics"]}["unknown-key"]["message"] == "Ukjent nøkkel «legal_bassis»."


def test_evaluate_prints_file_errors_in_the_chosen_language(tmp_path):
    p = _broken_rule_set(tmp_path)
    case = ROOT / "tests" / "fixtures" / "cases" / "alfa-1.yaml"
    if not case.exists():
        pytest.skip("no alfa case fixture")
    r = cli("evaluate", str(case), "--rules", str(p), "--lang", "nn")
    assert r.returncode == 1
    assert "Ukjend nøkkel «legal_bassis»." in r.stderr and "Ukjent nøkkel" not in r.stderr


def test_warnings_use_the_severity_word_of_the_language(tmp_path):
    p = variant(tmp_path, "when: søker.alder < 67",
                "when: søker.alder < parameter.egenandel_praktisk_bistand_under_2g_mnd")
    w = [d for d in load_ruleset(p).warnings if d.code == "parameter-not-in-force"][0]
    assert ": advarsel[parameter-not-in-force]: Parameteren" in format_diagnostic(w)
    nn = format_diagnostic(w, "nn")
    assert ": åtvaring[parameter-not-in-force]: Parameteren" in nn and "då regelsettet byrjar å gjelde" in nn
    assert "gje parameteren ein verdi" in nn
    assert ": warning[parameter-not-in-force]: The parameter" in format_diagnostics([w], "en")
