"""The expression language: parser, printer, type checker, semantics, code generator."""

from __future__ import annotations

import datetime as dt
import io
import keyword
import tokenize

import pytest

from tildeling.core.errors import ExpressionError, RuleSetError
from tildeling.core.source import LocatedStr, SourceSpan
from tildeling.evaluation.codegen import compile_expression, compile_expression_source
from tildeling.files.yamlload import load_yaml_text
from tildeling.language.expressions import Binary, Call, Conditional, ListLiteral, Literal, Name, Unary
from tildeling.language.functions import FUNCTIONS, canonical_name
from tildeling.language.interpreter import interpret
from tildeling.language.logic import UNKNOWN, and_, compare, not_, or_
from tildeling.language.parser import parse_expression
from tildeling.language.printer import to_source
from tildeling.language.scope import Scope, Symbol
from tildeling.language.typecheck import annotate, check_expression, fact_dependencies
from tildeling.language.types import BOOL, DATE, IPLOS, NUMBER, TEXT, Kind, Type

pytestmark = pytest.mark.filterwarnings("error::SyntaxWarning")

VALG = Type(Kind.TEXT, values=("ingen", "lett", "moderat", "alvorlig"))


def make_scope() -> Scope:
    scope = Scope()
    for path, t in [
        ("funksjon.husarbeid", IPLOS),
        ("funksjon.hukommelse", IPLOS),
        ("funksjon.syn", IPLOS),
        ("søker.alder", Type(Kind.NUMBER, minimum=0, maximum=130, integer=True)),
        ("søker.fødselsdato", DATE),
        ("søker.bor_alene", BOOL),
        ("søker.navn", TEXT),
        ("søker.diagnoser", Type(Kind.LIST, values=("demens", "kols", "diabetes"))),
        ("tilstand.kognitiv_svikt", VALG),
        ("pårørende.omsorgstimer_per_uke", Type(Kind.NUMBER, minimum=0)),
        ("vedtak.dato", DATE),
    ]:
        scope.add(Symbol(path, "fact", t))
    scope.add(Symbol("parameter.bpa_timer_rett", "parameter", NUMBER))
    scope.add(Symbol("parameter.aldersgrense", "parameter", NUMBER))
    scope.add(Symbol("trenger_praktisk_bistand", "definition", BOOL,
                     parse_expression("funksjon.husarbeid >= 3 or søker.bor_alene")))
    scope.add(Symbol("kognitiv_skår", "definition", IPLOS,
                     parse_expression("snitt(funksjon.hukommelse, funksjon.syn)")))
    scope.add(Symbol("eldre", "definition", BOOL,
                     parse_expression("søker.alder >= parameter.aldersgrense")))
    return scope


SCOPE = make_scope()


def codes(text: str, scope: Scope = SCOPE, **kw) -> list[str]:
    _, diags = check_expression(parse_expression(text), scope, **kw)
    return [d.code for d in diags]


def evaluate(text: str, env: dict, scope: Scope = SCOPE):
    """Evaluate with both the interpreter and the compiled code; they must agree."""
    expr = parse_expression(text)
    _, diags = check_expression(expr, scope)
    assert not [d for d in diags if d.severity == "error"], diags
    expected = interpret(expr, env, scope)
    got = compile_expression(expr, scope)(env)
    assert (got is UNKNOWN) == (expected is UNKNOWN), (text, env, got, expected)
    if expected is not UNKNOWN:
        assert got == expected and type(got) is type(expected), (text, env, got, expected)
    return expected


def syntax_error(text: str):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    assert len(info.value.diagnostics) == 1
    diag = info.value.diagnostics[0]
    assert diag.severity == "error"
    return diag


# --- parsing -------------------------------------------------------------------------------

N = Name
L = Literal


@pytest.mark.parametrize("text, expected", [
    ("3", L(3)),
    ("1.5", L(1.5)),
    ("007", L(7)),
    ('"moderat"', L("moderat")),
    ("'moderat'", L("moderat")),
    ('"si \\"hei\\"\\n\\t\\\\ \\u{e5}"', L('si "hei"\n\t\\ å')),
    ("true", L(True)), ("sann", L(True)), ("false", L(False)), ("usann", L(False)),
    ("2020-01-01", L(dt.date(2020, 1, 1))),
    ("2020-01-01 - 1", Binary("-", L(dt.date(2020, 1, 1)), L(1))),
    ("2020 - 01 - 01", Binary("-", Binary("-", L(2020), L(1)), L(1))),
    ('["a", "b"]', ListLiteral((L("a"), L("b")))),
    ("[]", ListLiteral(())),
    ("søker.alder", N("søker.alder")),
    ("pårørende.omsorgstimer_per_uke", N("pårørende.omsorgstimer_per_uke")),
    ("_intern.x1", N("_intern.x1")),
    ("android", N("android")),  # keywords are whole words only
    ("i_alt", N("i_alt")),
    ("-x", Unary("-", N("x"))),
    ("- -x", Unary("-", Unary("-", N("x")))),
    ("not a", Unary("not", N("a"))),
    ("ikke ikke a", Unary("not", Unary("not", N("a")))),
    ("a og b", Binary("and", N("a"), N("b"))),
    ("a eller b", Binary("or", N("a"), N("b"))),
    ("x i [1]", Binary("in", N("x"), ListLiteral((L(1),)))),
    ("x in liste", Binary("in", N("x"), N("liste"))),
    ("hvis a så 1 ellers 2", Conditional(N("a"), L(1), L(2))),
    ("if a then 1 else 2", Conditional(N("a"), L(1), L(2))),
    ("snitt(a, b)", Call("mean", (N("a"), N("b")))),
    ("antall(a)", Call("count", (N("a"),))),
    ("noen(a, b)", Call("any", (N("a"), N("b")))),
    ("alle(a)", Call("all", (N("a"),))),
    ("alder(f, d)", Call("age", (N("f"), N("d")))),
    ("dager_mellom(f, d)", Call("days_between", (N("f"), N("d")))),
    ("kjent(x)", Call("known", (N("x"),))),
    ("mangler(x)", Call("missing", (N("x"),))),
    ("min(1, 2)", Call("min", (L(1), L(2)))),
    ("ukjent_funksjon()", Call("ukjent_funksjon", ())),  # reported by the type checker
])
def test_parses(text, expected):
    assert parse_expression(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("a or b and c", "a or (b and c)"),
    ("a and b or c", "(a and b) or c"),
    ("not a and b", "(not a) and b"),
    ("not a == b", "not (a == b)"),
    ("a + b * c", "a + (b * c)"),
    ("a - b - c", "(a - b) - c"),
    ("a / b / c", "(a / b) / c"),
    ("-a * b", "(-a) * b"),
    ("a + b >= c * d", "(a + b) >= (c * d)"),
    ("x in [1] and y", "(x in [1]) and y"),
    ("if a then b else c or d", "if a then b else (c or d)"),
    ("if a then if b then 1 else 2 else 3", "if a then (if b then 1 else 2) else 3"),
    ("a og b eller ikke c", "(a and b) or (not c)"),
])
def test_precedence(text, expected):
    assert parse_expression(text) == parse_expression(expected)


def test_multi_line_expression():
    text = "funksjon.husarbeid >= 3\n  og (søker.alder >= 67\n       eller tilstand.kognitiv_svikt i [\"moderat\",\n\"alvorlig\"])"
    expr = parse_expression(text)
    assert expr == parse_expression(
        'funksjon.husarbeid >= 3 and (søker.alder >= 67 or tilstand.kognitiv_svikt in ["moderat", "alvorlig"])')
    inner = expr.right.left.left  # søker.alder
    assert inner == N("søker.alder")
    assert (inner.span.line, inner.span.column, inner.span.end_column) == (2, 7, 18)


def test_spans_in_plain_string():
    expr = parse_expression("snitt(a, 3) >= 2")
    assert expr.span == SourceSpan("<uttrykk>", 1, 1, 1, 17)
    assert expr.left.span == SourceSpan("<uttrykk>", 1, 1, 1, 12)
    assert expr.left.args[1].span == SourceSpan("<uttrykk>", 1, 10, 1, 11)


def test_keywords_are_reserved():
    for word in ("and", "og", "if", "så", "i", "in", "ikke", "ellers", "then", "else", "or", "eller", "not", "hvis"):
        syntax_error(f"x == {word}")
        syntax_error(f"{word}.x > 1") if word not in ("if", "hvis", "not", "ikke") else None
    assert parse_expression("x == sann") == Binary("==", N("x"), L(True))


def test_function_aliases_come_from_the_table():
    for fn in FUNCTIONS.values():
        assert canonical_name(fn.name) == fn.name
        for alias in fn.aliases:
            assert parse_expression(f"{alias}(x)") == Call(fn.name, (N("x"),))


# --- syntax errors ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, column, hint_part", [
    ("a = b", 3, "«==»"),
    ("a && b", 3, "«and»"),
    ("a || b", 3, "«or»"),
    ("a AND b", 3, "«and»"),
    ("a Og b", 3, "«og»"),
    ("a =< 3", 3, "«<=»"),
    ("a ≥ 3", 3, "«>=»"),
    ("!a", 1, "«not»"),
    ("a < b < c", 7, "a < b and b < c"),
    ("a ==", 5, "forventet et tall, et navn eller «(»"),
    ("(a", 3, "«)»"),
    ("hvis a så b", 12, "«else»"),
    ("hvis a b", 8, None),
    ("1,5 > x", 2, "punktum"),
    ("a b", 3, "operator"),
    ("f(a,)", 5, "forventet et tall, et navn eller «(»"),
    ('"abc', 1, "avslutt"),
    ("3x", 1, None),
    ("TRUE", None, None),  # parses as a name (case matters): checked elsewhere
])
def test_syntax_errors_have_position_and_hint(text, column, hint_part):
    if column is None:
        assert parse_expression(text) == N(text)
        return
    diag = syntax_error(text)
    assert diag.code == "expression-syntax"
    assert diag.span.file == "<uttrykk>"
    assert (diag.span.line, diag.span.column) == (1, column), diag
    if hint_part is not None:
        assert hint_part in (diag.hint or ""), diag


def test_syntax_error_messages_are_norwegian():
    assert syntax_error("").message == "Uttrykket er tomt."
    assert syntax_error("a ==").message == "Uttrykket slutter for tidlig."
    assert "lenkes" in syntax_error("a == b == c").message
    assert "dato" in syntax_error("2020-02-30").message
    diag = syntax_error('"a\\qb"')
    assert "escape" in diag.message and diag.span.column == 3


def test_syntax_error_is_a_rule_set_error():
    with pytest.raises(RuleSetError):
        parse_expression("a +")


def test_syntax_error_on_second_line():
    diag = syntax_error("a >= 3\n  and && b")
    assert (diag.span.line, diag.span.column) == (2, 7)


@pytest.mark.parametrize("text", [
    "a or " * 2100 + "a",                # longer than 10 000 characters
    "(" * 65 + "a" + ")" * 65,           # parentheses nested too deeply
    "not " * 65 + "a",                   # AST nested too deeply
    "-" * 65 + "1",
    " + ".join(["a"] * 66),               # a long chain is deep, too
    "(" * 5000,                          # would break a recursive parser
    "[" * 3000 + "]" * 3000,
])
def test_too_complex(text):
    diag = syntax_error(text)
    assert diag.code == "expression-too-complex"


def test_depth_64_is_fine():
    expr = parse_expression(" and ".join(["a"] * 64))
    assert isinstance(expr, Binary)


# --- YAML positions ---------------------------------------------------------------------------

YAML = """\
tjenester:
  hjemmesykepleie:
    navn: Hjemmesykepleie
    vilkår: |
      funksjon.husarbeid >= 3
        and (søker.alder >= 67
             or funksjon.hukomelse >= 4)
"""


def _file_position(text: str, needle: str) -> tuple[int, int]:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


def test_unknown_name_reported_at_yaml_file_position():
    doc = load_yaml_text(YAML, "regler/hjemmetjenester.yaml")
    condition = doc.data["tjenester"]["hjemmesykepleie"]["vilkår"]
    assert isinstance(condition, LocatedStr)
    expr = parse_expression(condition)
    _, diags = check_expression(expr, SCOPE, expected=Kind.BOOL)
    assert [d.code for d in diags] == ["unknown-name"]
    diag = diags[0]
    assert diag.span.file == "regler/hjemmetjenester.yaml"
    assert (diag.span.line, diag.span.column) == _file_position(YAML, "funksjon.hukomelse") == (7, 17)
    assert diag.span.end_column == 17 + len("funksjon.hukomelse")
    assert diag.message == "Ukjent faktum eller definisjon «funksjon.hukomelse»."
    assert "funksjon.hukommelse" in diag.hint


def test_syntax_error_reported_at_yaml_file_position():
    text = YAML.replace("or funksjon.hukomelse", "|| funksjon.hukomelse")
    condition = load_yaml_text(text, "r.yaml").data["tjenester"]["hjemmesykepleie"]["vilkår"]
    diag = syntax_error(condition)
    assert (diag.span.file, diag.span.line, diag.span.column) == ("r.yaml", 7, 14)
    assert "«or»" in diag.hint


def test_folded_yaml_scalar_positions():
    text = "v: >\n  søker.alder >=\n  67 og x\n"
    condition = load_yaml_text(text, "f.yaml").data["v"]
    _, diags = check_expression(parse_expression(condition), SCOPE)
    assert [(d.code, d.span.line, d.span.column) for d in diags] == [("unknown-name", 3, 9)]


# --- printer ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, canonical", [
    ("a og (b eller c)", "a and (b or c)"),
    ("(a og b) eller c", "a and b or c"),
    ("a - (b - c)", "a - (b - c)"),
    ("(a - b) - c", "a - b - c"),
    ("-(a * b)", "-(a * b)"),
    ("(-a) * b", "-a * b"),
    ("- -a", "- -a"),
    ("ikke (a == b)", "not a == b"),
    ("(ikke a) == b", "(not a) == b"),
    ("hvis a så 1 ellers (hvis b så 2 ellers 3)", "if a then 1 else if b then 2 else 3"),
    ("(hvis a så 1 ellers 2) + 1", "(if a then 1 else 2) + 1"),
    ("x i ['a', \"b\"]", 'x in ["a", "b"]'),
    ("snitt(a, 2.50)", "mean(a, 2.5)"),
    ("2020-01-01", "2020-01-01"),
    ("sann", "true"),
    ("(a < b) == c", "(a < b) == c"),
    ('"a\\"b\\\\c\\nd"', '"a\\"b\\\\c\\nd"'),
    ("100000000000000000000000.0", "100000000000000000000000.0"),
    ("0.0000001", "0.0000001"),
])
def test_printer_canonical(text, canonical):
    expr = parse_expression(text)
    assert to_source(expr) == canonical
    assert parse_expression(canonical) == expr


def test_printer_round_trips_strange_strings():
    for value in ['"); __import__(\'os\').system(\'x\') #', "\x00\x07\u2028", "æøå «»", "\\u{41}", "'"]:
        expr = Binary("==", N("søker.navn"), L(value))
        assert parse_expression(to_source(expr)) == expr


# --- type checking ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected_codes", [
    ("funksjon.husarbeid >= 3", []),
    ("funksjon.husarbeid >= funksjon.syn", []),
    ("søker.alder >= 67 and søker.bor_alene", []),
    ("søker.bor_alene == true", []),
    ("søker.bor_alene < true", ["type-mismatch"]),
    ("søker.fødselsdato < 2000-01-01", []),
    ("søker.fødselsdato < 3", ["type-mismatch"]),
    ('søker.navn == "Kari"', []),
    ('søker.navn == 3', ["type-mismatch"]),
    ("søker.alder and søker.bor_alene", ["type-mismatch"]),
    ("not søker.alder", ["type-mismatch"]),
    ("søker.alder + 1 > 3", []),
    ("-søker.alder < 0", []),
    ('søker.navn + "x" == "y"', ["type-mismatch", "type-mismatch"]),
    ("funksjon.husarbeid + 1 > 3", ["type-mismatch"]),
    ("-funksjon.husarbeid < 0", ["type-mismatch"]),
    ('tilstand.kognitiv_svikt == "moderat"', []),
    ('tilstand.kognitiv_svikt == "moderate"', ["unknown-value"]),
    ('"moderate" != tilstand.kognitiv_svikt', ["unknown-value"]),
    ('tilstand.kognitiv_svikt in ["moderat", "alvorli"]', ["unknown-value"]),
    ('tilstand.kognitiv_svikt in ["moderat", 3]', ["type-mismatch"]),
    ('"demens" in søker.diagnoser', []),
    ('"demenz" in søker.diagnoser', ["unknown-value"]),
    ("søker.alder in søker.diagnoser", ["type-mismatch"]),
    ("søker.alder in [60, 67]", []),
    ("funksjon.husarbeid in [4, 5, 9]", []),
    ("funksjon.husarbeid in [4, 7]", ["value-out-of-domain"]),
    ("søker.alder in 67", ["type-mismatch"]),
    ("søker.bor_alene in [true]", ["type-mismatch"]),
    ("funksjon.husarbeid == 7", ["value-out-of-domain"]),
    ("funksjon.husarbeid == 9", []),
    ("funksjon.husarbeid >= 9", ["iplos-not-relevant-order"]),
    ("søker.alder == 200", ["value-out-of-domain"]),
    ("søker.alder == 66.5", ["value-out-of-domain"]),
    ("søker.alder >= 200", ["value-out-of-domain"]),  # ordering too (test_domain_comparisons.py)
    ("snitt(funksjon.husarbeid, funksjon.syn) >= 3", []),
    ("min(funksjon.husarbeid, søker.alder) >= 3", []),
    ("sum(søker.alder, 1) > 3", []),
    ("sum(funksjon.husarbeid, 1) > 3", ["type-mismatch"]),
    ("max(søker.navn) > 3", ["type-mismatch"]),
    ("antall(søker.bor_alene, søker.alder > 3) >= 1", []),
    ("antall(søker.alder) >= 1", ["type-mismatch"]),
    ("noen(søker.bor_alene, 3)", ["type-mismatch"]),
    ("alder(søker.fødselsdato, vedtak.dato) >= 67", []),
    ("alder(søker.fødselsdato) >= 67", ["wrong-arity"]),
    ("alder(søker.alder, vedtak.dato) >= 67", ["type-mismatch"]),
    ("dager_mellom(søker.fødselsdato, vedtak.dato, vedtak.dato) > 1", ["wrong-arity"]),
    ("kjent(søker.navn) and mangler(søker.diagnoser)", []),
    ("max() > 1", ["wrong-arity"]),
    ("snit(funksjon.syn) > 1", ["unknown-function"]),
    ("if søker.bor_alene then 1 else 2", []),
    ("if søker.alder then 1 else 2", ["type-mismatch"]),
    ('if søker.bor_alene then 1 else "to"', ["type-mismatch"]),
    ("trenger_praktisk_bistand and eldre", []),
    ("kognitiv_skår >= 3", []),
    ("parameter.bpa_timer_rett * 2 > pårørende.omsorgstimer_per_uke", []),
    ("søker.alder == [1]", ["type-mismatch"]),
])
def test_type_rules(text, expected_codes):
    assert codes(text) == expected_codes


def test_inferred_types():
    def kind(text):
        t, diags = check_expression(parse_expression(text), SCOPE)
        assert not [d for d in diags if d.severity == "error"], diags
        return t.kind
    assert kind("funksjon.husarbeid") is Kind.IPLOS
    assert kind("snitt(funksjon.husarbeid, funksjon.syn)") is Kind.IPLOS
    assert kind("max(funksjon.husarbeid, funksjon.syn)") is Kind.IPLOS
    assert kind("max(funksjon.husarbeid, 3)") is Kind.NUMBER
    assert kind("antall(søker.bor_alene)") is Kind.NUMBER
    assert kind("alder(søker.fødselsdato, vedtak.dato)") is Kind.NUMBER
    assert kind("kjent(søker.alder)") is Kind.BOOL
    assert kind("if søker.bor_alene then 2020-01-01 else vedtak.dato") is Kind.DATE
    t, _ = check_expression(parse_expression("tilstand.kognitiv_svikt"), SCOPE)
    assert t == VALG  # the declared type, with its values


def test_unknown_names_messages_and_hints():
    _, diags = check_expression(parse_expression("parameter.bpa_timer_ret > funksjon.husarbied"), SCOPE)
    assert [d.code for d in diags] == ["unknown-name", "unknown-name"]
    assert diags[0].message == "Ukjent parameter «parameter.bpa_timer_ret»."
    assert diags[0].hint == "mente du «parameter.bpa_timer_rett»?"
    assert diags[0].span.column == 1
    assert diags[1].message == "Ukjent faktum eller definisjon «funksjon.husarbied»."
    assert diags[1].hint == "mente du «funksjon.husarbeid»?"
    assert diags[1].span.column == 27


def test_unknown_value_hint_and_span():
    _, diags = check_expression(parse_expression('tilstand.kognitiv_svikt == "alvorli"'), SCOPE)
    (diag,) = diags
    assert diag.hint == "mente du «alvorlig»?"
    assert diag.span.column == 28 and diag.severity == "error"


def test_value_out_of_domain_is_a_warning():
    _, diags = check_expression(parse_expression("funksjon.husarbeid == 6"), SCOPE)
    assert [(d.code, d.severity) for d in diags] == [("value-out-of-domain", "warning")]


def test_iplos_arithmetic_message():
    _, diags = check_expression(parse_expression("funksjon.husarbeid * 2 > 3"), SCOPE)
    assert "IPLOS-skårer er ordinale" in diags[0].message
    assert diags[0].span.column == 1


def test_unknown_function_suggestion_and_arity_message():
    _, diags = check_expression(parse_expression("gjennomsnitt(1) + dager_mellom(vedtak.dato)"), SCOPE)
    assert [d.code for d in diags] == ["unknown-function", "wrong-arity"]
    _, diags = check_expression(parse_expression("maks(1, 2)"), SCOPE)
    assert diags[0].hint == "mente du «max»?"


def test_all_diagnostics_are_collected():
    text = 'funksjon.husarbied >= 3 and søker.alder + "x" > 1 and tilstand.kognitiv_svikt == "moderate" and snit(1)'
    assert codes(text) == ["unknown-name", "type-mismatch", "unknown-value", "unknown-function"]


def test_expected_kind():
    assert codes("søker.alder + 1", expected=Kind.BOOL) == ["type-mismatch"]
    assert codes("søker.alder >= 67", expected=Kind.BOOL) == []
    assert codes("funksjon.husarbeid", expected=Kind.NUMBER) == ["type-mismatch"]
    _, diags = check_expression(parse_expression("søker.alder + 1"), SCOPE, expected=Kind.BOOL)
    assert diags[0].message == "Forventet ja/nei, men uttrykket er tall."


def test_fact_dependencies_through_definitions():
    expr = parse_expression("trenger_praktisk_bistand and eldre and kognitiv_skår >= 2 and parameter.bpa_timer_rett > 1")
    assert fact_dependencies(expr, SCOPE) == {
        "funksjon.husarbeid", "søker.bor_alene", "søker.alder", "funksjon.hukommelse", "funksjon.syn"}
    assert fact_dependencies(parse_expression("ukjent.x > 1"), SCOPE) == frozenset()


def test_fact_dependencies_tolerate_cycles():
    scope = make_scope()
    scope.add(Symbol("a", "definition", BOOL, parse_expression("b and søker.bor_alene")))
    scope.add(Symbol("b", "definition", BOOL, parse_expression("a")))
    assert fact_dependencies(parse_expression("a"), scope) == {"søker.bor_alene"}


def test_annotate_covers_definition_bodies():
    expr = parse_expression("kognitiv_skår >= 3")
    types = annotate(expr, SCOPE)
    assert types[id(expr.left)].kind is Kind.IPLOS
    body = SCOPE.lookup("kognitiv_skår").expr
    assert types[id(body)].kind is Kind.IPLOS
    assert types[id(body.args[0])].kind is Kind.IPLOS


# --- three-valued logic -------------------------------------------------------------------------

T, F, U = True, False, UNKNOWN

AND_TABLE = [(T, T, T), (T, F, F), (T, U, U), (F, T, F), (F, F, F), (F, U, F), (U, T, U), (U, F, F), (U, U, U)]
OR_TABLE = [(T, T, T), (T, F, T), (T, U, T), (F, T, T), (F, F, F), (F, U, U), (U, T, T), (U, F, U), (U, U, U)]


def _env(**values):
    mapping = {"a": "søker.bor_alene", "b": "trenger_b"}
    return {mapping.get(k, k): v for k, v in values.items() if v is not UNKNOWN}


def _bool_scope() -> Scope:
    scope = Scope()
    scope.add(Symbol("a", "fact", BOOL))
    scope.add(Symbol("b", "fact", BOOL))
    return scope


@pytest.mark.parametrize("a, b, expected", AND_TABLE)
def test_and_truth_table(a, b, expected):
    assert and_(a, b) is expected
    env = {k: v for k, v in (("a", a), ("b", b)) if v is not UNKNOWN}
    assert evaluate("a and b", env, _bool_scope()) is expected
    assert evaluate("a og b", env, _bool_scope()) is expected


@pytest.mark.parametrize("a, b, expected", OR_TABLE)
def test_or_truth_table(a, b, expected):
    assert or_(a, b) is expected
    env = {k: v for k, v in (("a", a), ("b", b)) if v is not UNKNOWN}
    assert evaluate("a or b", env, _bool_scope()) is expected


@pytest.mark.parametrize("a, expected", [(T, F), (F, T), (U, U)])
def test_not_truth_table(a, expected):
    assert not_(a) is expected
    env = {} if a is UNKNOWN else {"a": a}
    assert evaluate("not a", env, _bool_scope()) is expected


def test_unknown_cannot_be_truth_tested():
    with pytest.raises(TypeError):
        bool(UNKNOWN)
    with pytest.raises(TypeError):
        if UNKNOWN:  # noqa: SIM108
            pass
    assert repr(UNKNOWN) == "ukjent"


def test_missing_fact_is_unknown_not_false_or_zero():
    assert evaluate("søker.alder >= 1", {}) is UNKNOWN
    assert evaluate("søker.alder < 1", {}) is UNKNOWN
    # Exact three-valued logic: the declared range (alder 0..) decides what every age agrees on.
    assert evaluate("søker.alder >= 0", {}) is True
    assert evaluate("søker.alder < 0", {}) is False
    assert evaluate("søker.alder + 1 > 0", {}) is UNKNOWN
    assert evaluate("not søker.bor_alene", {}) is UNKNOWN
    assert evaluate("søker.bor_alene == false", {}) is UNKNOWN
    assert evaluate("false and søker.alder > 3", {}) is False
    assert evaluate("true or søker.alder > 3", {}) is True
    assert evaluate("søker.alder > 3 and false", {}) is False
    assert evaluate("søker.alder > 3 or true", {}) is True


def test_known_and_missing_are_never_unknown():
    assert evaluate("kjent(søker.alder)", {}) is False
    assert evaluate("mangler(søker.alder)", {}) is True
    assert evaluate("kjent(søker.alder)", {"søker.alder": 0}) is True
    assert evaluate("mangler(søker.alder + 1)", {"søker.alder": 3}) is False
    assert evaluate("kjent(søker.alder / (søker.alder - 3))", {"søker.alder": 3}) is False


def test_conditional_with_unknown_condition():
    assert evaluate("if søker.bor_alene then 1 else 2", {}) is UNKNOWN
    assert evaluate("if søker.bor_alene then 1 else 1", {}) == 1
    assert evaluate("if søker.bor_alene then søker.alder else 5", {"søker.alder": 5}) == 5
    assert evaluate("if søker.bor_alene then søker.alder else søker.alder", {}) is UNKNOWN
    assert evaluate("if søker.bor_alene then 1 else 2", {"søker.bor_alene": False}) == 2
    assert evaluate("hvis søker.bor_alene så 1 ellers 2", {"søker.bor_alene": True}) == 1


def test_membership_with_unknown():
    assert evaluate('tilstand.kognitiv_svikt in ["moderat", "alvorlig"]', {}) is UNKNOWN
    assert evaluate('tilstand.kognitiv_svikt in ["moderat"]', {"tilstand.kognitiv_svikt": "lett"}) is False
    assert evaluate('tilstand.kognitiv_svikt i ["moderat"]', {"tilstand.kognitiv_svikt": "moderat"}) is True
    assert evaluate('"kols" in søker.diagnoser', {}) is UNKNOWN
    assert evaluate('"kols" in søker.diagnoser', {"søker.diagnoser": ("kols",)}) is True
    assert evaluate('"kols" in søker.diagnoser', {"søker.diagnoser": ()}) is False
    # a list with an UNKNOWN item: Kleene OR over the equalities
    assert evaluate("søker.navn in [søker.navn, \"x\"]", {"søker.navn": "x"}) is True
    assert evaluate("\"x\" in [søker.navn, \"x\"]", {}) is True
    assert evaluate("\"y\" in [søker.navn, \"x\"]", {}) is UNKNOWN
    assert evaluate("\"y\" in [\"x\"]", {}) is False
    assert evaluate("søker.alder in []", {"søker.alder": 3}) is False


def test_aggregates_with_unknown():
    env = {"søker.bor_alene": True}
    assert evaluate("noen(søker.bor_alene, søker.alder > 3)", env) is True
    assert evaluate("noen(false, søker.alder > 3)", env) is UNKNOWN
    assert evaluate("noen(false, false)", env) is False
    assert evaluate("alle(false, søker.alder > 3)", env) is False
    assert evaluate("alle(true, søker.alder > 3)", env) is UNKNOWN
    assert evaluate("alle(true, søker.bor_alene)", env) is True
    assert evaluate("antall(true, søker.alder > 3)", env) is UNKNOWN
    assert evaluate("antall(true, søker.bor_alene, false)", env) == 2
    assert evaluate("sum(1, søker.alder)", env) is UNKNOWN
    assert evaluate("sum(1, 2.5, 3)", env) == 6.5
    assert evaluate("snitt(1, søker.alder)", env) is UNKNOWN
    assert evaluate("min(4, søker.alder)", env) is UNKNOWN
    assert evaluate("max(4, 2, 7)", env) == 7


def test_comparison_with_unknown_parameter():
    assert evaluate("eldre", {"søker.alder": 70}) is UNKNOWN
    assert evaluate("eldre", {"søker.alder": 70, "parameter.aldersgrense": 67}) is True


def test_unknown_value_in_env_means_unknown():
    assert evaluate("søker.alder > 3", {"søker.alder": UNKNOWN}) is UNKNOWN


# --- IPLOS 9 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value, expected", [
    ("funksjon.husarbeid >= 3", 9, False),
    ("funksjon.husarbeid > 3", 9, False),
    ("funksjon.husarbeid < 3", 9, True),
    ("funksjon.husarbeid <= 3", 9, True),
    ("funksjon.husarbeid >= 3", 3, True),
    ("funksjon.husarbeid >= 3", 2, False),
    ("funksjon.husarbeid < 3", 2, True),
    ("3 <= funksjon.husarbeid", 9, False),
    ("3 > funksjon.husarbeid", 9, True),
    ("3 > funksjon.husarbeid", 4, False),
    ("funksjon.husarbeid == 9", 9, True),
    ("funksjon.husarbeid != 9", 9, False),
    ("funksjon.husarbeid == 3", 9, False),
    ("funksjon.husarbeid >= 1", 9, False),
    ("funksjon.husarbeid >= 9", 9, True),   # rank(9) >= 9 is false for 9 > every score... see below
    ("funksjon.husarbeid > 0", 9, False),
    ("funksjon.husarbeid in [9]", 9, True),
])
def test_iplos_nine_ordering(text, value, expected):
    scope = SCOPE
    if text == "funksjon.husarbeid >= 9":
        # The literal 9 is a *number*, not an IPLOS score: rank(9) = -inf is below it.
        expected = False
    assert evaluate(text, {"funksjon.husarbeid": value}, scope) is expected


def test_iplos_comparisons_exhaustively():
    """Every operator, both sides, several literals, every IPLOS value: compiled code,
    interpreter and ``logic.compare`` agree (the compiled code inlines special cases)."""
    scope = Scope()
    scope.add(Symbol("p", "fact", IPLOS))
    scope.add(Symbol("q", "fact", IPLOS))
    for op in ("==", "!=", "<", "<=", ">", ">="):
        for lit in (1, 3, 5, 9, 2.5, 0, 10):
            for text, left_ip in ((f"p {op} {lit}", True), (f"{lit} {op} p", False)):
                expr = parse_expression(text)
                fn = compile_expression(expr, scope)
                for value in (1, 2, 3, 4, 5, 9, None):
                    env = {} if value is None else {"p": value}
                    expected = interpret(expr, env, scope)
                    assert fn(env) is expected, (text, value)
                    if value is not None:
                        a, b = (value, lit) if left_ip else (lit, value)
                        assert expected is compare(op, a, b, left_ip, not left_ip)
                        rank = float("-inf") if value == 9 else value
                        ra, rb = (rank, lit) if left_ip else (lit, rank)
                        if op in ("==", "!="):
                            ra, rb = a, b
                        assert expected is eval(f"ra {op} rb")  # noqa: S307 - the definition
        expr = parse_expression(f"p {op} q")
        fn = compile_expression(expr, scope)
        for a in (1, 3, 5, 9, None):
            for b in (1, 3, 5, 9, None):
                env = {k: v for k, v in (("p", a), ("q", b)) if v is not None}
                assert fn(env) is interpret(expr, env, scope)


def test_iplos_nine_between_two_iplos_facts():
    def cmp(op, a, b):
        return evaluate(f"funksjon.husarbeid {op} funksjon.syn", {"funksjon.husarbeid": a, "funksjon.syn": b})
    assert cmp("<", 9, 1) is True
    assert cmp(">", 1, 9) is True
    assert cmp(">=", 9, 9) is True
    assert cmp(">", 9, 9) is False
    assert cmp("==", 9, 9) is True
    assert cmp("<", 5, 9) is False


def test_iplos_nine_is_not_missing():
    assert evaluate("kjent(funksjon.husarbeid)", {"funksjon.husarbeid": 9}) is True
    assert evaluate("funksjon.husarbeid >= 3 or søker.bor_alene", {"funksjon.husarbeid": 9}) is UNKNOWN
    assert evaluate("funksjon.husarbeid >= 3 and søker.bor_alene", {"funksjon.husarbeid": 9}) is False


@pytest.mark.parametrize("text, env, expected", [
    ("snitt(funksjon.husarbeid, funksjon.syn)", {"funksjon.husarbeid": 9, "funksjon.syn": 4}, 4.0),
    ("snitt(funksjon.husarbeid, funksjon.syn)", {"funksjon.husarbeid": 9, "funksjon.syn": 9}, 9),
    ("snitt(funksjon.husarbeid, funksjon.syn)", {"funksjon.husarbeid": 2, "funksjon.syn": 5}, 3.5),
    ("min(funksjon.husarbeid, funksjon.syn)", {"funksjon.husarbeid": 9, "funksjon.syn": 4}, 4),
    ("max(funksjon.husarbeid, funksjon.syn)", {"funksjon.husarbeid": 9, "funksjon.syn": 4}, 4),
    ("max(funksjon.husarbeid, funksjon.syn)", {"funksjon.husarbeid": 9, "funksjon.syn": 9}, 9),
    ("max(funksjon.husarbeid, 2)", {"funksjon.husarbeid": 9}, 2),   # mixed: only IPLOS 9s are skipped
    ("max(søker.alder, 2)", {"søker.alder": 9}, 9),                  # a number 9 is just 9
    ("snitt(funksjon.husarbeid, funksjon.syn)", {"funksjon.husarbeid": 9}, UNKNOWN),
])
def test_iplos_aggregates_skip_nine(text, env, expected):
    got = evaluate(text, env)
    if expected is UNKNOWN:
        assert got is UNKNOWN
    else:
        assert got == expected


def test_mean_of_all_nine_ranks_as_not_relevant():
    env = {"funksjon.husarbeid": 9, "funksjon.syn": 9}
    assert evaluate("snitt(funksjon.husarbeid, funksjon.syn) >= 1", env) is False
    assert evaluate("snitt(funksjon.husarbeid, funksjon.syn) == 9", env) is True
    assert evaluate("kognitiv_skår < 1", {"funksjon.hukommelse": 9, "funksjon.syn": 9}) is True


# --- arithmetic and dates -------------------------------------------------------------------------

def test_division_by_zero_is_unknown():
    assert evaluate("søker.alder / (søker.alder - 3)", {"søker.alder": 3}) is UNKNOWN
    assert evaluate("søker.alder / (søker.alder - 3) > 1 or true", {"søker.alder": 3}) is True
    assert evaluate("søker.alder / 2", {"søker.alder": 3}) == 1.5
    assert evaluate("1 / søker.alder", {"søker.alder": 0.0}) is UNKNOWN


@pytest.mark.parametrize("text", ["søker.alder / 0", "søker.alder / 0.0", "søker.alder / -0", "1 + 2 / (-(0))"])
def test_division_by_a_literal_zero_is_an_error(text):
    _, diags = check_expression(parse_expression(text), SCOPE)
    assert [d.code for d in diags] == ["division-by-zero"]
    assert diags[0].span is not None and diags[0].span.column > text.index("/") + 1  # at the divisor


def test_arithmetic():
    assert evaluate("søker.alder * 2 - 1 + 0.5", {"søker.alder": 3}) == 5.5
    assert evaluate("-søker.alder", {"søker.alder": 3}) == -3
    assert evaluate("-søker.alder", {}) is UNKNOWN
    assert evaluate("parameter.bpa_timer_rett - pårørende.omsorgstimer_per_uke",
                    {"parameter.bpa_timer_rett": 25, "pårørende.omsorgstimer_per_uke": 7.5}) == 17.5


@pytest.mark.parametrize("birth, on, years", [
    (dt.date(1950, 5, 2), dt.date(2020, 5, 1), 69),
    (dt.date(1950, 5, 2), dt.date(2020, 5, 2), 70),
    (dt.date(1952, 2, 29), dt.date(2021, 2, 28), 68),   # leap-day birthday: 1 March in common years
    (dt.date(1952, 2, 29), dt.date(2021, 3, 1), 69),
    (dt.date(1952, 2, 29), dt.date(2024, 2, 29), 72),
    (dt.date(2020, 1, 1), dt.date(2019, 12, 31), -1),
])
def test_age(birth, on, years):
    env = {"søker.fødselsdato": birth, "vedtak.dato": on}
    assert evaluate("alder(søker.fødselsdato, vedtak.dato)", env) == years


def test_age_with_literal_date_and_unknown():
    assert evaluate("alder(søker.fødselsdato, 2024-05-01) >= 67", {"søker.fødselsdato": dt.date(1957, 5, 1)}) is True
    assert evaluate("alder(søker.fødselsdato, 2024-05-01) >= 67", {"søker.fødselsdato": dt.date(1957, 5, 2)}) is False
    assert evaluate("alder(søker.fødselsdato, 2024-05-01)", {}) is UNKNOWN


def test_days_between():
    env = {"søker.fødselsdato": dt.date(2024, 2, 28), "vedtak.dato": dt.date(2024, 3, 1)}
    assert evaluate("dager_mellom(søker.fødselsdato, vedtak.dato)", env) == 2
    assert evaluate("dager_mellom(vedtak.dato, søker.fødselsdato)", env) == -2
    assert evaluate("dager_mellom(2020-01-01, 2021-01-01)", {}) == 366
    assert evaluate("dager_mellom(søker.fødselsdato, vedtak.dato)", {"vedtak.dato": dt.date(2024, 1, 1)}) is UNKNOWN


def test_date_comparisons():
    env = {"vedtak.dato": dt.date(2024, 1, 1)}
    assert evaluate("vedtak.dato >= 2024-01-01", env) is True
    assert evaluate("vedtak.dato > 2024-01-01", env) is False
    assert evaluate("vedtak.dato == 2024-01-01", env) is True


def test_text_comparisons():
    env = {"søker.navn": "Kari"}
    assert evaluate('søker.navn == "Kari"', env) is True
    assert evaluate('søker.navn != "Kari"', env) is False
    assert evaluate('søker.navn < "Ola"', env) is True


# --- code generation ---------------------------------------------------------------------------------

_OUR_NAMES = {"env", "U", "_NINF", "_INF", "_cmpb", "_Bounds", "_Bounds", "_date", "_float", "_in", "_div", "_ifu", "get",
              "True", "False", "None"}


def _identifiers(source: str) -> set[str]:
    out = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NAME and not keyword.iskeyword(tok.string):
            out.add(tok.string)
    return out


def _assert_only_our_identifiers(source: str) -> None:
    for ident in _identifiers(source):
        assert (ident in _OUR_NAMES or ident.startswith(("_t", "_k", "_f_", "_b_"))), (ident, source)


def test_codegen_treats_hostile_strings_as_data():
    hostile = "\"); __import__('os').system('echo pwned') #"
    expr = Binary("==", N("søker.navn"), L(hostile))
    text = to_source(expr)
    assert parse_expression(text) == expr
    source = compile_expression_source(parse_expression(text), SCOPE)
    assert repr(hostile) in source
    _assert_only_our_identifiers(source)
    fn = compile_expression(parse_expression(text), SCOPE)
    assert fn({"søker.navn": hostile}) is True
    assert fn({"søker.navn": "x"}) is False


def test_codegen_treats_hostile_names_as_data():
    path = "x') or __import__('os').system('echo pwned') or ('"
    scope = Scope()
    scope.add(Symbol(path, "fact", NUMBER))
    expr = Binary(">", Name(path), Literal(1))
    source = compile_expression_source(expr, scope)
    _assert_only_our_identifiers(source)
    assert compile_expression(expr, scope)({path: 2}) is True


def test_codegen_has_no_builtins():
    fn = compile_expression(parse_expression("søker.alder > 1"), SCOPE)
    assert fn.__globals__["__builtins__"] == {}
    assert set(fn.__globals__) <= {"__builtins__", "U", "_NINF", "_INF", "_cmpb", "_Bounds", "_date", "_float", "_in", "_div",
                                   "_ifu", "_dv"} | {"_f_" + name for name in FUNCTIONS} | {
        "_b_" + name for name, f in FUNCTIONS.items() if f.bounds is not None}
    assert fn.__code__.co_filename == "<tildeling <uttrykk>>"
    named = compile_expression(parse_expression("søker.alder > 1"), SCOPE, name="hjemmesykepleie.vilkår")
    assert named.__code__.co_filename == "<tildeling hjemmesykepleie.vilkår>"


def test_codegen_source_for_every_construct_uses_only_our_identifiers():
    text = ('if trenger_praktisk_bistand and not eldre then snitt(funksjon.husarbeid, kognitiv_skår) '
            'else max(alder(søker.fødselsdato, 2024-01-01), dager_mellom(2020-01-01, vedtak.dato) / 365, '
            '-sum(1, 2.5)) + antall(noen(kjent(søker.navn)), alle(mangler(søker.alder)), '
            '"a" in [søker.navn, "b"], tilstand.kognitiv_svikt in ["lett"], "kols" in søker.diagnoser)')
    expr = parse_expression(text)
    _, diags = check_expression(expr, SCOPE)
    assert [d.code for d in diags] == ["type-mismatch"]  # iplos vs number branches
    text = text.replace("snitt(funksjon.husarbeid, kognitiv_skår)", "parameter.bpa_timer_rett")
    expr = parse_expression(text)
    assert check_expression(expr, SCOPE)[1] == []
    source = compile_expression_source(expr, SCOPE)
    _assert_only_our_identifiers(source)
    assert "'funksjon.husarbeid'" in source  # the definitions were inlined
    env = {"funksjon.husarbeid": 4, "søker.alder": 70, "parameter.aldersgrense": 67,
           "søker.fødselsdato": dt.date(1950, 1, 1), "vedtak.dato": dt.date(2024, 1, 1),
           "søker.navn": "a", "tilstand.kognitiv_svikt": "lett", "søker.diagnoser": ("kols",),
           "parameter.bpa_timer_rett": 10}
    assert compile_expression(expr, SCOPE)(env) == interpret(expr, env, SCOPE) == 74 + 4


def test_codegen_inlines_fast_paths():
    source = compile_expression_source(parse_expression("funksjon.husarbeid >= 3 and søker.alder >= 67"), SCOPE)
    assert "env.get('funksjon.husarbeid', U)" in source
    assert "!= 9" in source  # the IPLOS rule is inlined, no helper call
    assert "_f_" not in source and "_in(" not in source


def test_codegen_rejects_definition_cycles():
    scope = make_scope()
    scope.add(Symbol("a", "definition", BOOL, parse_expression("b")))
    scope.add(Symbol("b", "definition", BOOL, parse_expression("a")))
    with pytest.raises(ExpressionError):
        compile_expression(parse_expression("a"), scope)
    with pytest.raises(ExpressionError):
        interpret(parse_expression("a"), {}, scope)


def test_codegen_deepest_expressions_compile():
    shapes = [
        " and ".join(["søker.alder > 1"] * 63),
        "".join("(søker.bor_alene or " for _ in range(63)) + "søker.bor_alene" + ")" * 63,
        "not " * 63 + "søker.bor_alene",
        "max(" * 63 + "søker.alder" + ")" * 63,
        "".join("if søker.bor_alene then " for _ in range(31)) + "1" + " else 2" * 31,
        " / ".join(["søker.alder"] * 64),
    ]
    for text in shapes:
        expr = parse_expression(text)
        env = {"søker.alder": 2, "søker.bor_alene": True}
        assert compile_expression(expr, SCOPE)(env) == interpret(expr, env, SCOPE)
