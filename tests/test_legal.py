"""Tests for tildeling.rules.legal: citation parsing, register checks and date-dependent citing."""

from __future__ import annotations

import filecmp
from datetime import date
from pathlib import Path

import pytest

from tildeling.rules.legal import Citation, CitationSyntaxError, LegalRegister, Problem, load_register, parse_citation

SHARED = Path("/work/shared/legal")
PACKAGED = Path(__file__).resolve().parents[1] / "src" / "tildeling" / "data" / "legal"


@pytest.fixture(scope="module")
def reg() -> LegalRegister:
    return load_register()


def check(reg: LegalRegister, text: str, valid_from: date, valid_to: date | None = None):
    return reg.check(parse_citation(text), valid_from, valid_to)


def codes(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.code, p.severity) for p in problems]


Y2019 = (date(2019, 1, 1), date(2019, 12, 31))


# ------------------------------------------------------------------ packaged data

@pytest.mark.skipif(not SHARED.exists(), reason="no shared legal/ directory")
@pytest.mark.parametrize("name", ["sections.yaml", "README.md"])
def test_packaged_copy_is_byte_identical(name):
    assert filecmp.cmp(SHARED / name, PACKAGED / name, shallow=False)


def test_default_register_is_cached_and_path_loading_works():
    assert load_register() is load_register()
    other = load_register(PACKAGED / "sections.yaml")
    assert other is not load_register()
    assert other.act_title("pbrl").startswith("Lov om pasient- og brukerrettigheter")


# ------------------------------------------------------------------ parsing

@pytest.mark.parametrize("text, act, sections, ledd, nr, bokstav", [
    ("hol § 3-2 første ledd nr. 6 bokstav b", "hol", ("3-2",), 1, 6, "b"),
    ("hol § 3-6 første ledd nr. 2", "hol", ("3-6",), 1, 2, None),
    ("hol § 3-2 a", "hol", ("3-2 a",), None, None, None),
    ("pbrl § 2-1 a andre ledd", "pbrl", ("2-1 a",), 2, None, None),
    ("pbrl § 2-1 d", "pbrl", ("2-1 d",), None, None, None),
    ("pbrl § 2-1 e", "pbrl", ("2-1 e",), None, None, None),
    ("pbrl § 7-5", "pbrl", ("7-5",), None, None, None),
    ("fvl § 25", "fvl", ("25",), None, None, None),
    ("fvl §§ 24–25", "fvl", ("24", "25"), None, None, None),
    ("fvl §§ 28 og 29", "fvl", ("28", "29"), None, None, None),
    ("sotjl § 15", "sotjl", ("15",), None, None, None),
    ("integreringsloven § 20 tredje ledd", "integreringsloven", ("20",), 3, None, None),
    ("introduksjonsloven § 8", "introduksjonsloven", ("8",), None, None, None),
    ("egenandelsforskriften § 10 andre ledd", "egenandelsforskriften", ("10",), 2, None, None),
    ("pbrl § 4A-3", "pbrl", ("4A-3",), None, None, None),
    ("sotjl § 20 a første ledd", "sotjl", ("20 a",), 1, None, None),
])
def test_parse_canonical_formats(text, act, sections, ledd, nr, bokstav):
    c = parse_citation(text)
    assert (c.act, c.sections, c.ledd, c.nr, c.bokstav, c.local) == (
        act, sections, ledd, nr, bokstav, False)
    assert c.raw == text
    assert c.text == text  # canonical input round-trips unchanged


def test_parse_range_and_list_are_distinguished():
    assert parse_citation("fvl §§ 24–25").is_range is True
    assert parse_citation("fvl §§ 28 og 29").is_range is False
    assert parse_citation("fvl §§ 11, 17 og 25").sections == ("11", "17", "25")


@pytest.mark.parametrize("word, n", [("første", 1), ("andre", 2), ("tredje", 3), ("fjerde", 4),
                                     ("femte", 5), ("sjette", 6), ("sjuende", 7), ("syvende", 7),
                                     ("åttende", 8), ("niende", 9), ("tiende", 10)])
def test_parse_ordinals(word, n):
    assert parse_citation(f"fvl § 2 {word} ledd").ledd == n


def test_parse_normalises_spacing_case_and_letter_suffix():
    c = parse_citation("Hol  §3-2a\u00a0første ledd nr.6 bokstav B")
    assert (c.act, c.sections, c.ledd, c.nr, c.bokstav) == ("hol", ("3-2 a",), 1, 6, "b")
    assert c.text == "hol § 3-2 a første ledd nr. 6 bokstav b"
    assert parse_citation("fvl §§ 24 – 25").text == "fvl §§ 24–25"


@pytest.mark.parametrize("text, body", [
    ("lokal: Forskrift om tildeling av langtidsopphold, Drammen kommune § 4",
     "Forskrift om tildeling av langtidsopphold, Drammen kommune § 4"),
    ("lokal:  Retningslinje for plassar i vekstbedrift, pkt. 2",
     "Retningslinje for plassar i vekstbedrift, pkt. 2"),
])
def test_parse_local(text, body, reg):
    c = parse_citation(text)
    assert c.local is True and c.act is None and c.sections == ()
    assert reg.check(c, date(2020, 1, 1), None) == []
    assert reg.cite_on(c, date(2020, 1, 1)) == body
    assert reg.title(c) is None


@pytest.mark.parametrize("text", [
    "", "   ", "garbage", "§ 3-2", "hol 3-2", "hol §", "hol § første ledd", "hol § 3-2 første",
    "hol § 3-2 ledd", "hol § 3-2 første ledd nr. x", "hol § 3-2 2. ledd", "lokal:",
    "fvl §§ 24", "fvl § 24 og 25", "fvl §§ 24–25 første ledd", "hol § 3-2 nr. 6 bokstav b",
    "fvl §§ 24–25–26",
])
def test_parse_rejects_garbage(text):
    with pytest.raises(CitationSyntaxError) as info:
        parse_citation(text)
    assert isinstance(info.value, ValueError)
    assert str(info.value)  # a message is always given


def test_annet_ledd_is_rejected_with_hint():
    with pytest.raises(CitationSyntaxError) as info:
        parse_citation("pbrl § 2-1 a annet ledd")
    assert "andre ledd" in str(info.value)
    assert info.value.hint == "skriv «pbrl § 2-1 a andre ledd»"


def test_missing_ledd_hint_suggests_forste_ledd():
    with pytest.raises(CitationSyntaxError) as info:
        parse_citation("hol § 3-2 nr. 6 bokstav b")
    assert "hol § 3-2 første ledd nr. 6 bokstav b" in info.value.hint


# ------------------------------------------------------------------ check: existence

def test_valid_subsection_has_no_problems(reg):
    assert check(reg, "hol § 3-2 første ledd nr. 6 bokstav b", date(2020, 1, 1)) == []


def test_unknown_bokstav(reg):
    problems = check(reg, "hol § 3-2 første ledd nr. 6 bokstav e", date(2020, 1, 1))
    assert codes(problems) == [("unknown-subsection", "error")]
    assert "a–c" in problems[0].hint


def test_unknown_nr_and_bokstav_without_nr(reg):
    assert codes(check(reg, "hol § 3-2 første ledd nr. 8", date(2020, 1, 1))) == [
        ("unknown-subsection", "error")]
    assert codes(check(reg, "hol § 3-2 første ledd bokstav a", date(2020, 1, 1))) == [
        ("unknown-subsection", "error")]


def test_unknown_ledd_in_complete_and_partial_lists(reg):
    assert codes(check(reg, "pbrl § 2-1 sjette ledd", date(2025, 1, 1))) == [
        ("unknown-subsection", "error")]
    # integreringsloven § 8 lists only første, tredje and fjerde ledd: andre exists, sjette unknown
    assert check(reg, "integreringsloven § 8 andre ledd", date(2022, 1, 1)) == []
    assert codes(check(reg, "integreringsloven § 8 sjette ledd", date(2022, 1, 1))) == [
        ("unknown-subsection", "warning")]
    # pbrl § 7-5 describes only «første ledd»: a later ledd may exist
    assert codes(check(reg, "pbrl § 7-5 andre ledd", date(2022, 1, 1))) == [
        ("unknown-subsection", "warning")]


def test_section_without_structure_accepts_any_ledd(reg):
    assert check(reg, "fvl § 11 femte ledd", date(2020, 1, 1)) == []
    assert check(reg, "sotjl § 15 andre ledd", date(2020, 1, 1)) == []  # «sotjl § 15» = whole


def test_unknown_section_with_hint(reg):
    problems = check(reg, "hol § 3-99", date(2020, 1, 1))
    assert codes(problems) == [("unknown-section", "error")]
    assert problems[0].hint == "mente du «hol § 3-9»?"


def test_unknown_act_with_hint(reg):
    problems = check(reg, "hl § 3-2", date(2020, 1, 1))
    assert codes(problems) == [("unknown-act", "error")]
    assert "«hol»" in problems[0].hint
    assert "«fvl»" in check(reg, "forvaltningsloven § 17", date(2020, 1, 1))[0].hint


def test_range_validates_each_section(reg):
    assert check(reg, "fvl §§ 24–25", date(2020, 1, 1)) == []
    assert check(reg, "fvl §§ 28 og 29", date(2020, 1, 1)) == []
    problems = check(reg, "fvl §§ 28 og 99", date(2020, 1, 1))
    assert codes(problems) == [("unknown-section", "error")]
    assert "§ 99" in problems[0].message


# ------------------------------------------------------------------ check: time

def test_pbrl_2_1_a_in_2019_is_fine(reg):
    assert check(reg, "pbrl § 2-1 a", *Y2019) == []
    assert check(reg, "pbrl § 2-1 a andre ledd", *Y2019) == []


def test_pbrl_2_1_a_after_renumbering_is_an_error(reg):
    problems = check(reg, "pbrl § 2-1 a andre ledd", date(2024, 6, 1))
    assert codes(problems) == [("legal-ref-not-in-force", "error")]
    assert problems[0].hint == "bruk «pbrl § 2-1 andre ledd» fra 2024-06-01"


def test_pbrl_2_1_a_open_window_warns_renumbered(reg):
    problems = check(reg, "pbrl § 2-1 a", date(2020, 1, 1), None)
    assert codes(problems) == [("legal-ref-renumbered", "warning")]
    assert "«pbrl § 2-1»" in problems[0].message and "2024-06-01" in problems[0].message
    # a closed window that ends before the change gives nothing
    assert check(reg, "pbrl § 2-1 a", date(2020, 1, 1), date(2024, 5, 31)) == []
    assert codes(check(reg, "pbrl § 2-1 a", date(2020, 1, 1), date(2024, 6, 1))) == [
        ("legal-ref-renumbered", "warning")]


def test_pbrl_2_1_before_renumbering_is_an_error(reg):
    problems = check(reg, "pbrl § 2-1", *Y2019)
    assert codes(problems) == [("legal-ref-not-in-force", "error")]
    assert problems[0].hint == "bruk «pbrl § 2-1 a» før 2024-06-01"
    assert check(reg, "pbrl § 2-1 andre ledd", date(2024, 6, 1)) == []


def test_integreringsloven_from_2021(reg):
    problems = check(reg, "integreringsloven § 20", *Y2019)
    assert codes(problems) == [("legal-ref-not-in-force", "error")]
    assert "introduksjonsloven" in problems[0].hint
    assert check(reg, "integreringsloven § 20", date(2021, 1, 1), date(2021, 12, 31)) == []
    assert check(reg, "integreringsloven § 20 tredje ledd", date(2021, 1, 1), None) == []


def test_introduksjonsloven_until_2021(reg):
    assert check(reg, "introduksjonsloven § 8", *Y2019) == []
    problems = check(reg, "introduksjonsloven § 8", date(2022, 1, 1), date(2022, 12, 31))
    assert codes(problems) == [("legal-ref-not-in-force", "error")]
    assert "integreringsloven" in problems[0].hint
    assert codes(check(reg, "introduksjonsloven § 8", date(2020, 1, 1), None)) == [
        ("legal-ref-repealed", "warning")]


def test_moved_bokstav_d(reg):
    old = "hol § 3-2 første ledd nr. 6 bokstav d"
    assert check(reg, old, date(2016, 1, 1), date(2016, 12, 31)) == []
    problems = check(reg, old, date(2018, 1, 1))
    assert codes(problems) == [("legal-ref-not-in-force", "error")]
    assert problems[0].hint == "bruk «hol § 3-6 første ledd nr. 2» fra 2017-10-01"
    assert codes(check(reg, old, date(2017, 1, 1), None)) == [("legal-ref-renumbered", "warning")]
    new = check(reg, "hol § 3-6 første ledd nr. 2", date(2016, 1, 1))
    assert codes(new) == [("legal-ref-not-in-force", "error")]
    assert new[0].hint == f"bruk «{old}» før 2017-10-01"


def test_hol_3_9_renumbering_2025(reg):
    # § 3-9 a meant children in care until 2024 (now § 3-9 b); from 2025 it is a new section
    problems = check(reg, "hol § 3-9 a", date(2024, 1, 1), None)
    assert codes(problems) == [("legal-ref-renumbered", "warning")]
    assert "«hol § 3-9 b»" in problems[0].message
    assert check(reg, "hol § 3-9 a", date(2025, 1, 1), None) == []
    problems = check(reg, "hol § 3-9 c", date(2024, 1, 1), date(2024, 12, 31))
    assert codes(problems) == [("legal-ref-not-in-force", "error")]
    assert problems[0].hint == "bruk «hol § 3-9 b» før 2025-01-01"


def test_repealed_and_never_in_force(reg):
    repealed = check(reg, "hol § 3-7", date(2024, 1, 1))
    assert codes(repealed) == [("legal-ref-not-in-force", "error")]
    assert "sotjl § 15" in repealed[0].hint  # the register's note points to the new provision
    assert codes(check(reg, "hol § 3-7", date(2020, 1, 1))) == [("legal-ref-repealed", "warning")]
    assert check(reg, "hol § 3-7", date(2020, 1, 1), date(2023, 6, 30)) == []
    assert codes(check(reg, "hol § 4-2 b", date(2026, 1, 1))) == [("legal-ref-not-in-force", "error")]
    assert codes(check(reg, "hol § 3-2 a tredje ledd", date(2020, 1, 1))) == [
        ("legal-ref-not-in-force", "error")]
    assert check(reg, "hol § 3-2 a fjerde ledd", date(2020, 1, 1)) == []


def test_subitem_in_force_date(reg):
    problems = check(reg, "integreringsloven § 20 fjerde ledd", date(2021, 1, 1))
    assert codes(problems) == [("legal-ref-not-in-force", "error")]
    assert check(reg, "integreringsloven § 20 fjerde ledd", date(2024, 7, 1)) == []


# ------------------------------------------------------------------ cite_on

@pytest.mark.parametrize("text, on, expected", [
    ("pbrl § 2-1 andre ledd", date(2020, 3, 1), "pbrl § 2-1 a andre ledd"),
    ("pbrl § 2-1 andre ledd", date(2024, 6, 1), "pbrl § 2-1 andre ledd"),
    ("pbrl § 2-1 a andre ledd", date(2025, 1, 1), "pbrl § 2-1 andre ledd"),
    ("pbrl § 2-1 a andre ledd", date(2024, 5, 31), "pbrl § 2-1 a andre ledd"),
    ("hol § 3-2 første ledd nr. 6 bokstav d", date(2019, 1, 1), "hol § 3-6 første ledd nr. 2"),
    ("hol § 3-2 første ledd nr. 6 bokstav d", date(2017, 9, 30),
     "hol § 3-2 første ledd nr. 6 bokstav d"),
    ("hol § 3-2 første ledd nr. 6 bokstav d", date(2017, 10, 1), "hol § 3-6 første ledd nr. 2"),
    ("hol § 3-6 første ledd nr. 2", date(2017, 10, 1), "hol § 3-6 første ledd nr. 2"),
    ("hol § 3-6 første ledd nr. 2", date(2016, 1, 1), "hol § 3-2 første ledd nr. 6 bokstav d"),
    ("hol § 3-9 c", date(2024, 6, 1), "hol § 3-9 b"),
    ("fvl  §§ 24–25", date(2020, 1, 1), "fvl §§ 24–25"),
    ("pbrl §§ 2-1 a og 2-1 e", date(2025, 1, 1), "pbrl §§ 2-1 og 2-1 e"),
    ("hol §3-2 a", date(2020, 1, 1), "hol § 3-2 a"),
    ("xyz § 1", date(2020, 1, 1), "xyz § 1"),
])
def test_cite_on(reg, text, on, expected):
    assert reg.cite_on(parse_citation(text), on) == expected


def test_cite_on_reused_number_needs_written_on(reg):
    c = parse_citation("hol § 3-9 a")
    assert reg.cite_on(c, date(2025, 6, 1)) == "hol § 3-9 a"
    assert reg.cite_on(c, date(2025, 6, 1), written_on=date(2024, 1, 1)) == "hol § 3-9 b"
    b = parse_citation("hol § 3-9 b")
    assert reg.cite_on(b, date(2024, 6, 1), written_on=date(2025, 1, 1)) == "hol § 3-9 a"


# ------------------------------------------------------------------ titles

def test_title(reg):
    assert reg.title(parse_citation("hol § 3-2 a")) == (
        "Kommunens ansvar for tilbud om opphold i sykehjem eller tilsvarende bolig særskilt "
        "tilrettelagt for heldøgns tjenester")
    assert reg.title(parse_citation("hol § 3-6"), date(2016, 1, 1)) == "Omsorgslønn"
    assert reg.title(parse_citation("hol § 3-6"), date(2017, 9, 30)) == "Omsorgslønn"
    assert reg.title(parse_citation("hol § 3-6"), date(2017, 10, 1)) == (
        "Kommunens ansvar overfor pårørende")
    assert reg.title(parse_citation("hol § 3-6")) == "Kommunens ansvar overfor pårørende"
    assert reg.title(parse_citation("pbrl § 2-1 a"), date(2020, 1, 1)) == (
        "Rett til nødvendig hjelp fra kommunens helse- og omsorgstjeneste")
    assert reg.title(parse_citation("hol § 3-9 a"), date(2024, 1, 1)).endswith("barnevernsloven")
    assert reg.title(parse_citation("hol § 3-9 a"), date(2025, 1, 1)).endswith("utlendingsinternat")
    assert reg.title(parse_citation("hol § 3-99")) is None


def test_act_title(reg):
    assert reg.act_title("hol") == (
        "Lov om kommunale helse- og omsorgstjenester m.m. (helse- og omsorgstjenesteloven)")
    with pytest.raises(KeyError):
        reg.act_title("xyz")


def test_citation_positional_construction_and_hash():
    c = Citation("fvl § 25", "fvl", ("25",), None, None, None, False)
    assert parse_citation("fvl § 25") == c
    assert len({c, parse_citation("fvl § 25")}) == 1


def test_module_doctest():
    import doctest

    import tildeling.rules.legal

    result = doctest.testmod(tildeling.rules.legal)
    assert result.attempted > 0 and result.failed == 0
