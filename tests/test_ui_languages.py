"""``--lang nn`` is nynorsk throughout and ``--lang en`` English throughout.

What the program itself writes (headers, labels, error messages, hints, summaries) comes from
the message catalogue and must be in the chosen language. What policy staff wrote in a rule
set — reason texts, service names, units, rule ids, conditions in the expression language — is
*content*, in the rule set's own language (Alver's rule sets are nynorsk, Drammen's bokmål):
with ``--lang en`` a reason text with no English version is shown as written. So the checker
first removes every text found in the rule and case files, then looks for bokmål words that
never occur in nynorsk or English.
"""

from __future__ import annotations

import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from helpers import ROOT

from tildeling.i18n.catalogue import CATALOGUE

# Bokmål words with a different nynorsk form, that English does not use either. (Not «mellom»,
# «feil», «også», «saken» or «ukjent» — nynorsk has them too: «eit ukjent namn» — nor «innvilget»,
# an outcome code.)
BOKMAAL_ONLY = frozenset("""
ikke hvis noen noe mente hva hvor hvorfor hvordan hver hvert bare mangler manglende være finnes
uten utenfor fikk forventet forventninger fant sjekket advarsel advarsler gjelder fra
opplysninger opplysningene tjeneste tjenesten tjenester søkeren endret endrede sammenligning
hjemmel begrunnelse regler reglene gammelt vurderinger mer flere filen nøkler verdier lovlige
kjente saksbehandler dypt høyst
""".split())

# With --lang en, no Norwegian word of the program's own either (after the content is cut out).
NORWEGIAN_UI = BOKMAAL_ONLY | frozenset("""
ugyldig ugyldige ukjent ukjend feil ikkje sak saker saka opplysningar regelsett mappe filer fila ingen eller
""".split())

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_WORD = re.compile(r"[a-zæøå]+")


def _strings(value, out: set[str]) -> None:
    if isinstance(value, str):
        out.add(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            _strings(str(k), out)
            _strings(v, out)
    elif isinstance(value, list):
        for v in value:
            _strings(v, out)


@lru_cache(maxsize=None)
def _content_fragments(extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Every text in the rule files (and the given case files), split at its placeholders,
    longest first: what to cut out of an output before looking for UI words."""
    texts: set[str] = set()
    for p in [*(ROOT / "rules").rglob("*.yaml"), *map(Path, extra)]:
        try:
            _strings(yaml.safe_load(p.read_text(encoding="utf-8")), texts)
        except (yaml.YAMLError, UnicodeDecodeError):
            pass
    frags = {" ".join(f.split()) for t in texts for f in _PLACEHOLDER.split(t)}
    return tuple(sorted((f for f in frags if len(f) >= 3), key=len, reverse=True))


def bokmaal_words(text: str, content_files: tuple[str, ...] = (), markers: frozenset[str] = BOKMAAL_ONLY) -> set[str]:
    """The bokmål-only words (or other ``markers``) in ``text`` outside rule-set and case content."""
    flat = " ".join(text.replace("\\", "").split())
    for frag in _content_fragments(content_files):
        if frag in flat:
            flat = flat.replace(frag, " ")
    return set(_WORD.findall(flat.lower())) & markers


def test_the_checker_finds_bokmaal_and_spares_content():
    assert bokmaal_words("2 filer sjekket: 1 feil, 0 advarsler") == {"sjekket", "advarsler"}
    assert bokmaal_words("2 filer sjekka: 1 feil, 0 åtvaringar") == set()
    reason = ("Søkeren har ikke behov for tilsyn og pleie hele døgnet som ikke kan dekkes forsvarlig\n"
              "  med tjenester hjemme eller i omsorgsbolig.")  # the nb text of a rule in rules/alver
    assert bokmaal_words(f"  • {reason}  [lt-avslag]\n  Avgjort etter kriteria til kommunen.") == set()
    assert bokmaal_words(f"  • {reason}  [lt-avslag]\n  Avgjort etter kommunens kriterier hvis …") == {"hvis"}


@pytest.mark.parametrize("lang", ["nn", "en"])
def test_no_catalogue_text_has_bokmaal_only_words(lang):
    for key, entry in CATALOGUE.items():
        text = " ".join(entry[lang]) if isinstance(entry[lang], tuple) else entry[lang]
        # quoted examples and function signatures are rule text: «skriv «fvl § 17»», dager_mellom(fra, til)
        text = re.sub(r"«[^»]*»|\w+\([^)]*\)", " ", _PLACEHOLDER.sub(" ", text)).lower()
        assert not set(_WORD.findall(text)) & BOKMAAL_ONLY, (key, lang, entry[lang])


# --- the commands ------------------------------------------------------------------------------

def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tildeling", *args], capture_output=True, text=True, cwd=ROOT)


ALVER = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "cases" / "alver").glob("*.yaml"))[:4]
DRAMMEN = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "cases" / "drammen").glob("*.yaml"))[:4]


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> dict[str, Path]:
    """A broken rule set; under ``tests``: a case with a wrong value and a misspelt key, one
    with an unknown municipality, a YAML syntax error, a tab, and a failing expectation."""
    d = tmp_path_factory.mktemp("broken")
    rules = (ROOT / "rules" / "alver" / "alver-2020.yaml").read_text(encoding="utf-8")
    rules = rules.replace("language: nn", "language: nn\nlanguag: nn").replace("outcome: avslag", "outcome: avslagg", 1)
    (d / "rules").mkdir()
    (d / "rules" / "alver-broken.yaml").write_text(rules, encoding="utf-8")
    case = (ROOT / ALVER[0]).read_text(encoding="utf-8")
    tests = d / "tests"
    tests.mkdir()
    (tests / "wrong-value.yaml").write_text(case.replace("kognitiv_svikt: moderat", "kognitiv_svikt: moderatt")
                                            .replace("applied_for:", "applied_forr: []\napplied_for:"), encoding="utf-8")
    (tests / "unknown-municipality.yaml").write_text(case.replace("municipality: Alver", "municipality: Alvre"),
                                                     encoding="utf-8")
    (tests / "syntax.yaml").write_text("id: x\nmunicipality: Alver\n  application_date: 2022-01-01\n", encoding="utf-8")
    (tests / "tab.yaml").write_text("id: x\nfacts:\n\tsøker: {}\n", encoding="utf-8")
    first = re.search(r"expect:\n  (\w+):\n    outcome: (\w+)", case)
    assert first, "the first Alver case has an expectation"
    other = "innvilget" if first.group(2) != "innvilget" else "avslag"
    (tests / "failing.yaml").write_text(case.replace(first.group(0), first.group(0)[:-len(first.group(2))] + other, 1),
                                        encoding="utf-8")
    return {"rules": d / "rules" / "alver-broken.yaml", "tests": tests}


def _check(r: subprocess.CompletedProcess, lang: str, content: tuple[str, ...] = ()) -> None:
    out = r.stdout + "\n" + r.stderr
    assert "Traceback" not in out
    found = bokmaal_words(out, content, NORWEGIAN_UI if lang == "en" else BOKMAAL_ONLY)
    assert not found, (sorted(found), out[-3000:])


@pytest.mark.parametrize("lang", ["nn", "en"])
def test_validate_speaks_the_language(lang, broken):
    files = sorted(str(p) for p in broken["tests"].glob("*.yaml"))
    r = cli("validate", "--lang", lang, str(broken["rules"]), *files)
    assert r.returncode == 1
    assert ("YAML-feil" if lang == "nn" else "YAML error") in r.stdout
    assert ("tabulator" if lang == "nn" else "tabs") in r.stdout
    _check(r, lang, tuple(files))


@pytest.mark.parametrize("lang", ["nn", "en"])
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_evaluate_speaks_the_language(lang, fmt, broken):
    cases = ALVER if lang == "nn" else ALVER[:2] + DRAMMEN[:2]
    bad = [str(broken["tests"] / n) for n in ("wrong-value.yaml", "syntax.yaml", "unknown-municipality.yaml")]
    r = cli("evaluate", "--lang", lang, "--format", fmt, *cases, *bad)
    assert r.stdout.strip()
    _check(r, lang, tuple(cases) + tuple(bad))


@pytest.mark.parametrize("lang", ["nn", "en"])
def test_test_speaks_the_language(lang, broken):
    r = cli("test", "--lang", lang, "--coverage", "-v", str(broken["tests"]))
    assert r.returncode == 1
    assert re.search(r"^\d+ passed, \d+ failed$", r.stdout.splitlines()[-1])  # the contract stays as it is
    _check(r, lang, tuple(str(p) for p in broken["tests"].glob("*.yaml")))


@pytest.mark.parametrize("lang", ["nn", "en"])
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_diff_speaks_the_language(lang, fmt, broken):
    bad = [str(broken["tests"] / n) for n in ("wrong-value.yaml", "syntax.yaml")]
    cases = [*ALVER, *bad] if lang == "nn" else [*DRAMMEN, *ALVER[:1], *bad]
    old, new = ("meland-2019", "alver") if lang == "nn" else ("svelvik-2019", "drammen")
    r = cli("diff", old, new, "--lang", lang, "--format", fmt, "--cases", *cases)
    assert r.stdout.strip()
    _check(r, lang, tuple(cases))
