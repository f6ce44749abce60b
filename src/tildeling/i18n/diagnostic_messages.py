"""The texts of diagnostics in bokmål, nynorsk and English, in one catalogue.

Every problem message and hint is a catalogue key with ``str.format`` placeholders; the
place that finds a problem records the key and its arguments, and the text is rendered when
it is shown (:meth:`tildeling.core.diagnostics.Diagnostic.text`). The bokmål text is also kept on
the diagnostic as ``message`` for tests and JSON consumers.

Arguments may themselves be translatable: a :class:`Phrase` (a key with arguments), a
:class:`~tildeling.language.types.Kind` (rendered as ``kind.<value>``) or a :class:`Either` list
("a, b eller c"). A placeholder written ``{what!u}`` starts with a capital letter.

>>> render("hint.did_you_mean", "nn", {"name": "legal_basis"})
'meinte du «legal_basis»?'
>>> from tildeling.language.types import Kind
>>> render("types.must_be", "en", {"what": Phrase("types.operand_of", (("op", "not"),)),
...        "wanted": Either((Kind.BOOL,)), "actual": Kind.NUMBER})
'The operand of «not» must be yes/no, but is number.'
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Iterable, Mapping


LANGUAGES = ("nb", "nn", "en")


@dataclass(frozen=True, slots=True)
class Phrase:
    """A catalogue key with its arguments, rendered in whatever language is asked for."""

    key: str
    args: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str = "nb") -> str:
        return render(self.key, lang, self.args)


def phrase(key: str, **args: Any) -> Phrase:
    return Phrase(key, tuple(args.items()))


@dataclass(frozen=True, slots=True)
class Either:
    """Alternatives joined with the language's «or»: ``list`` style gives "a, b eller c",
    ``chain`` style "a eller b eller c". Items may be plain strings, phrases or kinds."""

    items: tuple[Any, ...]
    style: str = "list"


@dataclass(frozen=True, slots=True)
class Joined:
    """Items joined with a fixed separator (no translation of the separator)."""

    items: tuple[Any, ...]
    sep: str = "; "


class KeyedValueError(ValueError):
    """A ``ValueError`` raised in a pydantic validator that knows its catalogue key.

    ``str(e)`` is the bokmål text, so pydantic's own message stays readable."""

    def __init__(self, key: str, **args: Any):
        self.key = key
        self.args_ = tuple(args.items())
        super().__init__(render(key, "nb", self.args_))


def _m(nb: str, nn: str, en: str) -> dict[str, str]:
    return {"nb": nb, "nn": nn, "en": en}


_SAME = "{text}"

CATALOGUE: dict[str, dict[str, str]] = {
    # --- shared pieces ---------------------------------------------------------------------
    "text": _m(_SAME, _SAME, _SAME),
    "located": _m("{where}: {text}", "{where}: {text}", "{where}: {text}"),
    "hint.did_you_mean": _m("mente du «{name}»?", "meinte du «{name}»?", "did you mean «{name}»?"),
    "hint.write": _m("skriv «{text}»", "skriv «{text}»", "write «{text}»"),
    "word.or": _m("eller", "eller", "or"),
    "word.true": _m("sann", "sann", "true"),
    "word.false": _m("usann", "usann", "false"),
    "kind.bool": _m("ja/nei", "ja/nei", "yes/no"),
    "kind.number": _m("tall", "tal", "number"),
    "kind.iplos": _m("IPLOS-skår", "IPLOS-skår", "IPLOS score"),
    "kind.text": _m("tekst", "tekst", "text"),
    "kind.date": _m("dato", "dato", "date"),
    "kind.list": _m("liste", "liste", "list"),
    # --- presentation ----------------------------------------------------------------------
    "severity.error": _m("feil", "feil", "error"),
    "severity.warning": _m("advarsel", "åtvaring", "warning"),
    "severity.info": _m("merknad", "merknad", "note"),
    "label.hint": _m("hint", "hint", "hint"),
    "validate.summary": _m("{files} filer sjekket: {errors} feil, {warnings} advarsler",
                           "{files} filer sjekka: {errors} feil, {warnings} åtvaringar",
                           "{files} file(s) checked: {errors} error(s), {warnings} warning(s)"),
    "cli.unknown_rule_set": _m("Ukjent regelsett «{id}».", "Ukjent regelsett «{id}».",
                               "Unknown rule set «{id}»."),
    "cli.internal_error": _m(
        "Intern feil i tildeling ({type} ved {place}). Dette er en feil i programmet, ikke i filene dine. "
        "Meld den gjerne til utviklerne, med kommandoen du kjørte; kjør med «tildeling --debug …» for detaljer.",
        "Intern feil i tildeling ({type} ved {place}). Dette er ein feil i programmet, ikkje i filene dine. "
        "Meld han gjerne til utviklarane, med kommandoen du køyrde; køyr med «tildeling --debug …» for detaljar.",
        "Internal error in tildeling ({type} at {place}). This is a bug in the program, not in your files. "
        "Please report it to the developers, with the command you ran; run «tildeling --debug …» for details."),
    # --- YAML and files (yamlload) -----------------------------------------------------------
    "yaml.too_many_nodes": _m("Filen har mer enn {max} YAML-noder.", "Fila har meir enn {max} YAML-nodar.",
                              "The file has more than {max} YAML nodes."),
    "yaml.too_many_alias_nodes": _m("Aliasene (*navn) i filen gjentar mer enn {max} elementer.",
                                    "Aliasa (*namn) i fila gjentek meir enn {max} element.",
                                    "The aliases (*name) in the file repeat more than {max} items."),
    "yaml.value_for_tag": _m("Verdien «{value}» passer ikke til YAML-merket «{tag}».",
                             "Verdien «{value}» passar ikkje til YAML-merket «{tag}».",
                             "The value «{value}» does not fit the YAML tag «{tag}»."),
    "yaml.too_deep": _m("Filen er nøstet dypere enn {max} nivåer.", "Fila er nøsta djupare enn {max} nivå.",
                        "The file is nested deeper than {max} levels."),
    "yaml.nested_too_deep": _m("Filen er nøstet for dypt.", "Fila er nøsta for djupt.",
                               "The file is nested too deeply."),
    "yaml.unsafe_tag": _m("YAML-merket «{tag}» er ikke tillatt; bare vanlige verdier, lister og tabeller.",
                          "YAML-merket «{tag}» er ikkje tillate; berre vanlege verdiar, lister og tabellar.",
                          "The YAML tag «{tag}» is not allowed; only plain values, lists and mappings."),
    "yaml.invalid_value": _m("Ugyldig verdi «{value}» ({detail}).", "Ugyldig verdi «{value}» ({detail}).",
                             "Invalid value «{value}» ({detail})."),
    "yaml.invalid_date": _m("Ugyldig dato: datoen finnes ikke eller er skrevet feil; skriv ÅÅÅÅ-MM-DD.",
                            "Ugyldig dato: datoen finst ikkje eller er skriven feil; skriv ÅÅÅÅ-MM-DD.",
                            "Invalid date: the date does not exist or is mistyped; write YYYY-MM-DD."),
    "number.out_of_range": _m("Tallet ligger utenfor det tillatte området (høyst ±{limit}).",
                              "Talet ligg utanfor det tillatne området (høgst ±{limit}).",
                              "The number is outside the allowed range (at most ±{limit})."),
    "number.not_finite": _m("Uendelig eller «ikke et tall» (.inf, .nan) er ikke en gyldig verdi.",
                            "Uendeleg eller «ikkje eit tal» (.inf, .nan) er ikkje ein gyldig verdi.",
                            "Infinity or «not a number» (.inf, .nan) is not a valid value."),
    "number.computed_out_of_range": _m(
        "Beregningen ga et tall utenfor det tillatte området (høyst ±{limit}); kontroller regnestykkene i "
        "regelsettet og tallene i saken.",
        "Utrekninga gav eit tal utanfor det tillatne området (høgst ±{limit}); kontroller reknestykka i "
        "regelsettet og tala i saka.",
        "The calculation gave a number outside the allowed range (at most ±{limit}); check the arithmetic in "
        "the rule set and the numbers in the case."),
    "yaml.nan": _m("NaN er ikke en gyldig verdi.", "NaN er ikkje ein gyldig verdi.", "NaN is not a valid value."),
    "yaml.complex_key": _m("Nøkler må være enkle verdier.", "Nøklar må vere enkle verdiar.",
                           "Keys must be plain values."),
    "yaml.duplicate_key": _m("Nøkkelen «{name}» står to ganger.", "Nøkkelen «{name}» står to gonger.",
                             "The key «{name}» appears twice."),
    "yaml.unknown_node": _m("Ukjent YAML-node.", "Ukjend YAML-node.", "Unknown YAML node."),
    "yaml.syntax": _m("YAML-feil: {problem}.", "YAML-feil: {problem}.", "YAML error: {problem}."),
    "yaml.invalid": _m("ugyldig YAML", "ugyldig YAML", "invalid YAML"),
    "file.too_large": _m("Filen er større enn {mb} MB.", "Fila er større enn {mb} MB.",
                         "The file is larger than {mb} MB."),
    "file.not_found": _m("Fant ikke filen ({reason}).", "Fann ikkje fila ({reason}).", "File not found ({reason})."),
    "file.unreadable": _m("Kunne ikke lese filen ({reason}).", "Kunne ikkje lese fila ({reason}).",
                          "Could not read the file ({reason})."),
    "file.encoding": _m("Filen er ikke UTF-8 (byte {pos}).", "Fila er ikkje UTF-8 (byte {pos}).",
                        "The file is not UTF-8 (byte {pos})."),
    # --- keys and values against the file models (modelcheck) --------------------------------
    "model.missing": _m("Nøkkelen «{name}» mangler.", "Nøkkelen «{name}» manglar.", "The key «{name}» is missing."),
    "model.unknown_key": _m("Ukjent nøkkel «{name}».", "Ukjend nøkkel «{name}».", "Unknown key «{name}»."),
    "model.allowed_keys": _m("lovlige nøkler her: {keys}", "lovlege nøklar her: {keys}", "allowed keys here: {keys}"),
    "model.literal": _m("Ugyldig verdi {value}; lovlige verdier: {expected}.",
                        "Ugyldig verdi {value}; lovlege verdiar: {expected}.",
                        "Invalid value {value}; allowed values: {expected}."),
    "model.expected_int": _m("Forventet et heltall, fikk {value}.", "Venta eit heiltal, fekk {value}.",
                             "Expected a whole number, got {value}."),
    "model.expected_number": _m("Forventet et tall, fikk {value}.", "Venta eit tal, fekk {value}.",
                                "Expected a number, got {value}."),
    "model.expected_bool": _m("Forventet true eller false, fikk {value}.", "Venta true eller false, fekk {value}.",
                              "Expected true or false, got {value}."),
    "model.expected_text": _m("Forventet tekst, fikk {value}.", "Venta tekst, fekk {value}.",
                              "Expected text, got {value}."),
    "model.expected_date": _m("Forventet en dato (ÅÅÅÅ-MM-DD), fikk {value}.",
                              "Venta ein dato (ÅÅÅÅ-MM-DD), fekk {value}.",
                              "Expected a date (YYYY-MM-DD), got {value}."),
    "model.invalid_date": _m("Ugyldig dato {value}; skriv ÅÅÅÅ-MM-DD.", "Ugyldig dato {value}; skriv ÅÅÅÅ-MM-DD.",
                             "Invalid date {value}; write YYYY-MM-DD."),
    "model.expected_mapping": _m("Forventet en oppslagstabell (nøkkel: verdi), fikk {value}.",
                                 "Venta ein oppslagstabell (nøkkel: verdi), fekk {value}.",
                                 "Expected a mapping (key: value), got {value}."),
    "model.expected_list": _m("Forventet en liste, fikk {value}.", "Venta ei liste, fekk {value}.",
                              "Expected a list, got {value}."),
    "model.too_short": _m("For få elementer (minst {min_length}).", "For få element (minst {min_length}).",
                          "Too few items (at least {min_length})."),
    "model.too_long": _m("For mange elementer (høyst {max_length}).", "For mange element (høgst {max_length}).",
                         "Too many items (at most {max_length})."),
    "model.at_least": _m("Verdien {value} må være minst {ge}.", "Verdien {value} må vere minst {ge}.",
                         "The value {value} must be at least {ge}."),
    "model.at_most": _m("Verdien {value} må være høyst {le}.", "Verdien {value} må vere høgst {le}.",
                        "The value {value} must be at most {le}."),
    "model.invalid_name": _m("Ugyldig navn {value}.", "Ugyldig namn {value}.", "Invalid name {value}."),
    "model.text_too_long": _m("Teksten er for lang.", "Teksten er for lang.", "The text is too long."),
    "model.text_too_short": _m("Teksten er for kort.", "Teksten er for kort.", "The text is too short."),
    "model.invalid_other": _m("Ugyldig verdi {value} ({detail}).", "Ugyldig verdi {value} ({detail}).",
                              "Invalid value {value} ({detail})."),
    "model.value_error": _m("{detail}", "{detail}", "{detail}"),
    "show.quoted": _m("«{value}»", "«{value}»", "«{value}»"),
    "show.mapping": _m("en oppslagstabell", "ein oppslagstabell", "a mapping"),
    "show.list": _m("en liste", "ei liste", "a list"),
    "show.nothing": _m("ingenting", "ingenting", "nothing"),
    # raised by the validators of the file models (model.py)
    "model.expected_expression": _m("Forventet et uttrykk (tekst).", "Venta eit uttrykk (tekst).",
                                    "Expected an expression (text)."),
    "model.text_needs_language": _m("Teksten må ha minst én av nb, nn.", "Teksten må ha minst éin av nb, nn.",
                                    "The text must have at least one of nb, nn."),
    "model.type_needs_values": _m("Type {type} krever «values».", "Type {type} krev «values».",
                                  "Type {type} requires «values»."),
    "model.values_only_for_choice": _m("«values» passer bare for valg og liste.",
                                       "«values» passar berre for valg og liste.",
                                       "«values» only applies to valg and liste."),
    "model.range_only_for_numbers": _m("«range» passer bare for tall og heltall.",
                                       "«range» passar berre for tall og heltall.",
                                       "«range» only applies to tall and heltall."),
    "model.range_shape": _m("«range» må være [minst, størst].", "«range» må vere [minst, størst].",
                            "«range» must be [lowest, highest]."),
    "model.when_and_else": _m("En regel kan ikke ha både «when» og «else».",
                              "Ein regel kan ikkje ha både «when» og «else».",
                              "A rule cannot have both «when» and «else»."),
    "model.rule_needs_when": _m("Regelen mangler «when» (eller «else: true» for siste regel).",
                                "Regelen manglar «when» (eller «else: true» for siste regel).",
                                "The rule has no «when» (or «else: true» for the last rule)."),
    "model.rule_needs_outcome": _m("Regelen må ha enten «outcome» eller en nøstet «decision».",
                                   "Regelen må ha anten «outcome» eller ein nøsta «decision».",
                                   "The rule must have either «outcome» or a nested «decision»."),
    "model.outcome_fields": _m("«reason», «amount» og «step» hører til regler med «outcome».",
                               "«reason», «amount» og «step» høyrer til reglar med «outcome».",
                               "«reason», «amount» and «step» belong to rules with «outcome»."),
    "model.valid_to_before_from": _m("Valid_to ligger før valid_from.", "Valid_to ligg før valid_from.",
                                     "Valid_to is before valid_from."),
    "model.example_needs_disclaimer": _m("Eksempelregelsett må ha «disclaimer».",
                                         "Eksempelregelsett må ha «disclaimer».",
                                         "Example rule sets must have «disclaimer»."),
    # --- rule sets (ruleset) -----------------------------------------------------------------
    "ruleset.no_services": _m("Regelsettet har ingen tjenester.", "Regelsettet har ingen tenester.",
                              "The rule set has no services."),
    "ruleset.vocabulary_not_found": _m("Fant ikke faktavokabularet.", "Fann ikkje faktavokabularet.",
                                       "The fact vocabulary was not found."),
    "ruleset.parameter_dates": _m("Parameteren «{name}» har to verdier fra samme dato.",
                                  "Parameteren «{name}» har to verdiar frå same dato.",
                                  "The parameter «{name}» has two values from the same date."),
    "ruleset.parameter_mixed": _m("Parameteren «{name}» blander verdier av ulik type.",
                                  "Parameteren «{name}» blandar verdiar av ulik type.",
                                  "The parameter «{name}» mixes values of different types."),
    "ruleset.parameter_not_in_force": _m(
        "Parameteren «{name}» har ingen verdi {start}, da regelsettet begynner å gjelde (første verdi er fra "
        "{first}); saker datert før det får en ukjent verdi.",
        "Parameteren «{name}» har ingen verdi {start}, då regelsettet byrjar å gjelde (første verdi er frå "
        "{first}); saker daterte før det får ein ukjend verdi.",
        "The parameter «{name}» has no value on {start}, when the rule set takes effect (its first value is "
        "from {first}); cases dated before then get an unknown value."),
    "ruleset.parameter_not_in_force.hint": _m("gi parameteren en verdi fra regelsettets startdato",
                                              "gje parameteren ein verdi frå startdatoen til regelsettet",
                                              "give the parameter a value from the rule set's start date"),
    "ruleset.definition_is_fact": _m("Definisjonen «{name}» har samme navn som et faktum.",
                                     "Definisjonen «{name}» har same namn som eit faktum.",
                                     "The definition «{name}» has the same name as a fact."),
    "ruleset.definition_is_parameter": _m("Definisjonen «{name}» har samme navn som et parameter.",
                                          "Definisjonen «{name}» har same namn som ein parameter.",
                                          "The definition «{name}» has the same name as a parameter."),
    "ruleset.score_reserved": _m("«{name}» er reservert for tjenestens poengsum.",
                                 "«{name}» er reservert for poengsummen til tenesta.",
                                 "«{name}» is reserved for the service's score."),
    "ruleset.cyclic_definitions": _m("Sirkulære definisjoner: {cycle}.", "Sirkulære definisjonar: {cycle}.",
                                     "Circular definitions: {cycle}."),
    "ruleset.unknown_step": _m("Trinn {step} finnes ikke i trappen «{staircase}».",
                               "Trinn {step} finst ikkje i trappa «{staircase}».",
                               "Step {step} does not exist in the staircase «{staircase}»."),
    "ruleset.score_component_type": _m("Poengkomponenten «{id}» må være et tall eller ja/nei.",
                                       "Poengkomponenten «{id}» må vere eit tal eller ja/nei.",
                                       "The score component «{id}» must be a number or yes/no."),
    "ruleset.amount_number": _m("Omfanget må være et tall.", "Omfanget må vere eit tal.",
                                "The amount must be a number."),
    "ruleset.duplicate_id": _m("Regel-id-en «{id}» er brukt før.", "Regel-id-en «{id}» er brukt før.",
                               "The rule id «{id}» is already in use."),
    "ruleset.duplicate_id_at": _m("Regel-id-en «{id}» er brukt før (først brukt på linje {line}).",
                                  "Regel-id-en «{id}» er brukt før (først brukt på linje {line}).",
                                  "The rule id «{id}» is already in use (first used on line {line})."),
    "ruleset.duplicate_id.hint": _m(
        "hver regel trenger en unik, stabil id – den brukes i begrunnelser, tester og diff",
        "kvar regel treng ein unik, stabil id – id-en vert brukt i grunngjevingar, testar og diff",
        "every rule needs a unique, stable id – it is used in reasons, tests and diff"),
    "ruleset.too_many_rules": _m("Beslutningslisten har flere enn {max} regler.",
                                 "Avgjerdslista har fleire enn {max} reglar.",
                                 "The decision list has more than {max} rules."),
    "ruleset.too_many_rules.hint": _m("del den opp med nøstede «decision»-lister",
                                      "del ho opp med nøsta «decision»-lister",
                                      "split it up with nested «decision» lists"),
    "ruleset.unreachable_rule": _m("Regelen «{id}» kan aldri nås: den står etter en «else»-regel.",
                                   "Regelen «{id}» kan aldri nåast: han står etter ein «else»-regel.",
                                   "The rule «{id}» can never be reached: it comes after an «else» rule."),
    "ruleset.missing_else": _m(
        "Noden har ingen «else»-regel; saker som ingen regel treffer, blir «uavklart».",
        "Noden har ingen «else»-regel; saker som ingen regel treffer, blir «uavklart».",
        "The node has no «else» rule; cases that no rule matches become «uavklart» (unresolved)."),
    "ruleset.missing_else.hint": _m("legg til en siste regel med «else: true»",
                                    "legg til ein siste regel med «else: true»",
                                    "add a last rule with «else: true»"),
    "ruleset.unknown_placeholder": _m("Ukjent navn «{name}» i teksten.", "Ukjent namn «{name}» i teksten.",
                                      "Unknown name «{name}» in the text."),
    "ruleset.citation_syntax": _m("Ugyldig lovhenvisning «{ref}»: {problem}",
                                  "Ugyldig lovtilvising «{ref}»: {problem}",
                                  "Invalid legal reference «{ref}»: {problem}"),
    "ruleset.citation_problem": _m("«{ref}»: {problem}", "«{ref}»: {problem}", "«{ref}»: {problem}"),
    # --- cases (cases, resolve) --------------------------------------------------------------
    "case.facts_group_type": _m("facts.{group}: forventet en oppslagstabell.",
                                "facts.{group}: venta ein oppslagstabell.",
                                "facts.{group}: expected a mapping."),
    "case.service_twice": _m("Tjenesten «{service}» er søkt to ganger.",
                             "Det er søkt om tenesta «{service}» to gonger.",
                             "The service «{service}» is applied for twice."),
    "case.unknown_fact": _m("Ukjent faktum «{path}».", "Ukjent faktum «{path}».", "Unknown fact «{path}»."),
    "case.fact_value": _m("{path} = {value}: {problem}.", "{path} = {value}: {problem}.",
                          "{path} = {value}: {problem}."),
    "fact.must_be_bool": _m("må være true eller false (ja/nei)", "må vere true eller false (ja/nei)",
                            "must be true or false (yes/no)"),
    "fact.must_be_iplos": _m("må være 1–5 eller 9 (ikke relevant)", "må vere 1–5 eller 9 (ikkje relevant)",
                             "must be 1–5 or 9 (not relevant)"),
    "fact.must_be_number": _m("må være et tall", "må vere eit tal", "must be a number"),
    "fact.must_be_integer": _m("må være et heltall", "må vere eit heiltal", "must be a whole number"),
    "fact.at_least": _m("må være minst {min}", "må vere minst {min}", "must be at least {min}"),
    "fact.at_most": _m("må være høyst {max}", "må vere høgst {max}", "must be at most {max}"),
    "fact.must_be_date": _m("må være en dato (ÅÅÅÅ-MM-DD)", "må vere ein dato (ÅÅÅÅ-MM-DD)",
                            "must be a date (YYYY-MM-DD)"),
    "fact.must_be_text": _m("må være tekst", "må vere tekst", "must be text"),
    "fact.one_of": _m("må være en av: {values}", "må vere ein av: {values}", "must be one of: {values}"),
    "fact.must_be_list": _m("må være en liste", "må vere ei liste", "must be a list"),
    "fact.unknown_list_value": _m("ukjent verdi «{value}»; lovlige verdier: {values}",
                                  "ukjend verdi «{value}»; lovlege verdiar: {values}",
                                  "unknown value «{value}»; allowed values: {values}"),
    "resolve.no_rule_set": _m("Fant ikke noe regelsett for kommunen «{municipality}».",
                              "Fann ikkje noko regelsett for kommunen «{municipality}».",
                              "No rule set found for the municipality «{municipality}»."),
    "resolve.no_rule_set.hint": _m(
        "bruk --rules for å velge regelsett, eller --rules-dir for en annen regelmappe",
        "bruk --rules for å velje regelsett, eller --rules-dir for ei anna regelmappe",
        "use --rules to choose a rule set, or --rules-dir for another rules directory"),
    "resolve.supersedes_repeated": _m("«{id}» står mer enn én gang i «supersedes».",
                                      "«{id}» står meir enn éin gong i «supersedes».",
                                      "«{id}» appears more than once in «supersedes»."),
    "resolve.supersedes_self": _m("Et regelsett kan ikke erstatte seg selv («{id}» i «supersedes»).",
                                  "Eit regelsett kan ikkje erstatte seg sjølv («{id}» i «supersedes»).",
                                  "A rule set cannot supersede itself («{id}» in «supersedes»)."),
    "resolve.supersedes_unknown": _m("Fant ikke noe regelsett med id «{id}» (i «supersedes»).",
                                     "Fann ikkje noko regelsett med id «{id}» (i «supersedes»).",
                                     "No rule set has the id «{id}» (in «supersedes»)."),
    "resolve.supersedes_cycle": _m("Regelsettene erstatter hverandre i ring: {cycle}.",
                                   "Regelsetta erstattar kvarandre i ring: {cycle}.",
                                   "The rule sets supersede each other in a ring: {cycle}."),
    "case.age_out_of_range": _m(
        "Alderen som følger av «søker.fødselsdato» på datoen saken vurderes, ligger utenfor {range} år.",
        "Alderen som følgjer av «søker.fødselsdato» på datoen saka vert vurdert, ligg utanfor {range} år.",
        "The age that follows from «søker.fødselsdato» on the assessment date is outside {range} years."),
    "case.age_out_of_range.hint": _m("kontroller fødselsdatoen og søknadsdatoen",
                                     "kontroller fødselsdatoen og søknadsdatoen",
                                     "check the birth date and the application date"),
    # --- expressions: types (typecheck) ------------------------------------------------------
    "types.invalid_expression": _m("Ugyldig uttrykk ({node}).", "Ugyldig uttrykk ({node}).",
                                   "Invalid expression ({node})."),
    "types.invalid_literal": _m("Ugyldig verdi «{value}».", "Ugyldig verdi «{value}».", "Invalid value «{value}»."),
    "types.unknown_parameter": _m("Ukjent parameter «{name}».", "Ukjend parameter «{name}».",
                                  "Unknown parameter «{name}»."),
    "types.unknown_name": _m("Ukjent faktum eller definisjon «{name}».",
                             "Ukjent faktum eller definisjon «{name}».",
                             "Unknown fact or definition «{name}»."),
    "types.iplos_ordinal": _m("IPLOS-skårer er ordinale og kan ikke regnes med ({what}).",
                              "IPLOS-skårar er ordinale og kan ikkje reknast med ({what}).",
                              "IPLOS scores are ordinal and cannot be used in arithmetic ({what})."),
    "types.iplos_ordinal.hint": _m(
        "sammenlign skåren direkte (f.eks. «funksjon.husarbeid >= 3») eller bruk mean()/min()/max()",
        "samanlikn skåren direkte (t.d. «funksjon.husarbeid >= 3») eller bruk mean()/min()/max()",
        "compare the score directly (e.g. «funksjon.husarbeid >= 3») or use mean()/min()/max()"),
    "types.must_be": _m("{what!u} må være {wanted}, men er {actual}.", "{what!u} må vere {wanted}, men er {actual}.",
                        "{what!u} must be {wanted}, but is {actual}."),
    "types.operand_of": _m("operanden til «{op}»", "operanden til «{op}»", "the operand of «{op}»"),
    "types.if_condition": _m("betingelsen i «if»", "vilkåret i «if»", "the condition of «if»"),
    "types.the_expression": _m("uttrykket", "uttrykket", "the expression"),
    "types.list_item": _m("Listen inneholder {item}, men venstre side av «in» er {left}.",
                          "Lista inneheld {item}, men venstre side av «in» er {left}.",
                          "The list contains {item}, but the left side of «in» is {left}."),
    "types.list_mixed": _m("Alle elementene i en liste må ha samme type ({first}), men dette er {actual}.",
                           "Alle elementa i ei liste må ha same type ({first}), men dette er {actual}.",
                           "All items of a list must have the same type ({first}), but this one is {actual}."),
    "types.division_by_zero": _m("Deling på null: uttrykket blir alltid ukjent.",
                                 "Deling på null: uttrykket blir alltid ukjent.",
                                 "Division by zero: the expression is always unknown."),
    "types.unknown_operator": _m("Ukjent operator «{op}».", "Ukjend operator «{op}».", "Unknown operator «{op}»."),
    "types.bool_order": _m("Ja/nei-verdier kan bare sammenlignes med «==» og «!=», ikke «{op}».",
                           "Ja/nei-verdiar kan berre samanliknast med «==» og «!=», ikkje «{op}».",
                           "Yes/no values can only be compared with «==» and «!=», not «{op}»."),
    "types.cannot_compare": _m("Kan ikke sammenligne {left} med {right} («{op}»).",
                               "Kan ikkje samanlikne {left} med {right} («{op}»).",
                               "Cannot compare {left} with {right} («{op}»)."),
    "types.in_left": _m("Venstre side av «in» må være tekst eller tall, men er {actual}.",
                        "Venstre side av «in» må vere tekst eller tal, men er {actual}.",
                        "The left side of «in» must be text or a number, but is {actual}."),
    "types.in_right": _m("Høyre side av «in» må være en liste, men er {actual}.",
                         "Høgre side av «in» må vere ei liste, men er {actual}.",
                         "The right side of «in» must be a list, but is {actual}."),
    "types.in_right.hint": _m('skriv f.eks. «x in ["a", "b"]»', 'skriv t.d. «x in ["a", "b"]»',
                              'write e.g. «x in ["a", "b"]»'),
    "types.in_text_list": _m("En liste inneholder tekst, men venstre side av «in» er {actual}.",
                             "Ei liste inneheld tekst, men venstre side av «in» er {actual}.",
                             "A list contains text, but the left side of «in» is {actual}."),
    "types.unknown_function": _m("Ukjent funksjon «{name}».", "Ukjend funksjon «{name}».",
                                 "Unknown function «{name}»."),
    "types.known_functions": _m("kjente funksjoner: {names}", "kjende funksjonar: {names}",
                                "known functions: {names}"),
    "types.wrong_arity": _m("Funksjonen «{name}» tar {arity} argument(er), men fikk {count}.",
                            "Funksjonen «{name}» tek {arity} argument, men fekk {count}.",
                            "The function «{name}» takes {arity} argument(s), but got {count}."),
    "types.arity_at_least": _m("minst {n}", "minst {n}", "at least {n}"),
    "types.function_args": _m("Argumentene til «{name}» må være {wanted}, men dette er {actual}.",
                              "Argumenta til «{name}» må vere {wanted}, men dette er {actual}.",
                              "The arguments of «{name}» must be {wanted}, but this one is {actual}."),
    "types.if_branches": _m("Grenene i «if» må ha samme type, men «then» er {then} og «else» er {otherwise}.",
                            "Greinene i «if» må ha same type, men «then» er {then} og «else» er {otherwise}.",
                            "The branches of «if» must have the same type, but «then» is {then} and «else» is "
                            "{otherwise}."),
    "types.iplos_9_order": _m(
        "IPLOS 9 (ikke relevant) rangeres under alle skårer, så «{op} 9» er alltid {always} for {name}.",
        "IPLOS 9 (ikkje relevant) vert rangert under alle skårar, så «{op} 9» er alltid {always} for {name}.",
        "IPLOS 9 (not relevant) ranks below every score, so «{op} 9» is always {always} for {name}."),
    "types.iplos_9_order.hint": _m("bruk «== 9» eller «!= 9» for å teste «ikke relevant»",
                                   "bruk «== 9» eller «!= 9» for å teste «ikkje relevant»",
                                   "use «== 9» or «!= 9» to test «not relevant»"),
    "types.iplos_value": _m("{value} er ikke en gyldig IPLOS-skår for {name} (1–5, eller 9 for ikke relevant).",
                            "{value} er ikkje ein gyldig IPLOS-skår for {name} (1–5, eller 9 for ikkje relevant).",
                            "{value} is not a valid IPLOS score for {name} (1–5, or 9 for not relevant)."),
    "types.out_of_range": _m(
        "{value} ligger utenfor verdiområdet til {name} ({range}{extra}), så sammenligningen er alltid {always}.",
        "{value} ligg utanfor verdiområdet til {name} ({range}{extra}), så samanlikninga er alltid {always}.",
        "{value} lies outside the range of {name} ({range}{extra}), so the comparison is always {always}."),
    "types.whole_numbers": _m(", hele tall", ", heile tal", ", whole numbers"),
    "types.unknown_value": _m("«{value}» er ikke en gyldig verdi for {name}.",
                              "«{value}» er ikkje ein gyldig verdi for {name}.",
                              "«{value}» is not a valid value for {name}."),
    "types.valid_values": _m("gyldige verdier: {values}", "gyldige verdiar: {values}", "valid values: {values}"),
    "types.too_deep": _m("Uttrykket er nøstet for dypt.", "Uttrykket er nøsta for djupt.",
                         "The expression is nested too deeply."),
    "types.expected": _m("Forventet {expected}, men uttrykket er {actual}.",
                         "Venta {expected}, men uttrykket er {actual}.",
                         "Expected {expected}, but the expression is {actual}."),
    # function descriptions, used as hints (functions.py keeps the bokmål text for documentation)
    "fn.mean": _m("gjennomsnittet av tallene (IPLOS 9 hoppes over)", "gjennomsnittet av tala (IPLOS 9 vert hoppa over)",
                  "the mean of the numbers (IPLOS 9 is skipped)"),
    "fn.min": _m("det minste tallet (IPLOS 9 hoppes over)", "det minste talet (IPLOS 9 vert hoppa over)",
                 "the smallest number (IPLOS 9 is skipped)"),
    "fn.max": _m("det største tallet (IPLOS 9 hoppes over)", "det største talet (IPLOS 9 vert hoppa over)",
                 "the largest number (IPLOS 9 is skipped)"),
    "fn.sum": _m("summen av tallene", "summen av tala", "the sum of the numbers"),
    "fn.count": _m("antall argumenter som er sanne", "talet på argument som er sanne",
                   "the number of arguments that are true"),
    "fn.any": _m("sann hvis minst ett argument er sant", "sann dersom minst eitt argument er sant",
                 "true if at least one argument is true"),
    "fn.all": _m("sann hvis alle argumentene er sanne", "sann dersom alle argumenta er sanne",
                 "true if every argument is true"),
    "fn.age": _m("alder i hele år: alder(fødselsdato, på_dato)", "alder i heile år: alder(fødselsdato, på_dato)",
                 "age in whole years: alder(fødselsdato, på_dato)"),
    "fn.days_between": _m("antall dager fra første til andre dato: dager_mellom(fra, til)",
                          "talet på dagar frå første til andre dato: dager_mellom(fra, til)",
                          "the number of days from the first to the second date: dager_mellom(fra, til)"),
    "fn.known": _m("sann hvis verdien er kjent", "sann dersom verdien er kjend", "true if the value is known"),
    "fn.missing": _m("sann hvis verdien mangler (er ukjent)", "sann dersom verdien manglar (er ukjend)",
                     "true if the value is missing (unknown)"),
    # --- expressions: syntax (parser) --------------------------------------------------------
    "parser.bad_escape": _m("Ugyldig escape-sekvens «\\{char}» i teksten.",
                            "Ugyldig escape-sekvens «\\{char}» i teksten.",
                            "Invalid escape sequence «\\{char}» in the text."),
    "parser.bad_escape.hint": _m(
        'bruk \\" for anførselstegn, \\\\ for omvendt skråstrek, \\n for linjeskift eller \\u{{…}} for et '
        "Unicode-tegn",
        'bruk \\" for hermeteikn, \\\\ for omvend skråstrek, \\n for linjeskift eller \\u{{…}} for eit '
        "Unicode-teikn",
        'use \\" for quotation marks, \\\\ for a backslash, \\n for a line break or \\u{{…}} for a Unicode '
        "character"),
    "parser.escape_in_text": _m("Ugyldig escape-sekvens i teksten.", "Ugyldig escape-sekvens i teksten.",
                                "Invalid escape sequence in the text."),
    "parser.escape_in_text.hint": _m('bruk \\" for anførselstegn og \\\\ for omvendt skråstrek',
                                     'bruk \\" for hermeteikn og \\\\ for omvend skråstrek',
                                     'use \\" for quotation marks and \\\\ for a backslash'),
    "parser.too_many_digits": _m("Tallet har for mange sifre.", "Talet har for mange siffer.",
                                 "The number has too many digits."),
    "parser.number_too_large": _m("Tallet er for stort.", "Talet er for stort.", "The number is too large."),
    "parser.bad_date": _m("«{value}» er ikke en gyldig dato.", "«{value}» er ikkje ein gyldig dato.",
                          "«{value}» is not a valid date."),
    "parser.bad_date.hint": _m("datoer skrives ÅÅÅÅ-MM-DD, f.eks. 2020-01-31",
                               "datoar skriv du ÅÅÅÅ-MM-DD, t.d. 2020-01-31",
                               "dates are written YYYY-MM-DD, e.g. 2020-01-31"),
    "parser.reserved_word": _m("«{word}» er et reservert ord og kan ikke brukes i et navn.",
                               "«{word}» er eit reservert ord og kan ikkje brukast i eit namn.",
                               "«{word}» is a reserved word and cannot be used in a name."),
    "parser.reserved_word.hint": _m("velg et annet navn", "vel eit anna namn", "choose another name"),
    "parser.too_long": _m("Uttrykket er for langt ({length} tegn; høyst {max}).",
                          "Uttrykket er for langt ({length} teikn; høgst {max}).",
                          "The expression is too long ({length} characters; at most {max})."),
    "parser.too_many_parentheses": _m("Uttrykket har for mange nivåer med parenteser (høyst {max}).",
                                      "Uttrykket har for mange nivå med parentesar (høgst {max}).",
                                      "The expression has too many levels of parentheses (at most {max})."),
    "parser.too_deep": _m("Uttrykket er nøstet for dypt ({depth} nivåer; høyst {max}).",
                          "Uttrykket er nøsta for djupt ({depth} nivå; høgst {max}).",
                          "The expression is nested too deeply ({depth} levels; at most {max})."),
    "parser.too_complex.hint": _m(
        "del uttrykket opp i definisjoner, eller bruk any()/all()/sum() i stedet for lange kjeder",
        "del opp uttrykket i definisjonar, eller bruk any()/all()/sum() i staden for lange kjeder",
        "split the expression into definitions, or use any()/all()/sum() instead of long chains"),
    "parser.token.number": _m("tallet «{value}»", "talet «{value}»", "the number «{value}»"),
    "parser.token.string": _m("teksten {value}", "teksten {value}", "the text {value}"),
    "parser.token.date": _m("datoen «{value}»", "datoen «{value}»", "the date «{value}»"),
    "parser.token.name": _m("navnet «{value}»", "namnet «{value}»", "the name «{value}»"),
    "parser.unexpected_token": _m("Uventet {token}.", "Uventa {token}.", "Unexpected {token}."),
    "parser.unexpected_token_operator": _m("Uventet {token} – mangler det en operator foran?",
                                           "Uventa {token} – manglar det ein operator framfor?",
                                           "Unexpected {token} – is an operator missing before it?"),
    "parser.unexpected": _m("Uventet «{value}».", "Uventa «{value}».", "Unexpected «{value}»."),
    "parser.unexpected_char": _m("Uventet tegn «{char}».", "Uventa teikn «{char}».", "Unexpected character «{char}»."),
    "parser.unexpected_name": _m("Uventet navn «{value}».", "Uventa namn «{value}».", "Unexpected name «{value}»."),
    "parser.unexpected_name_operator": _m("Uventet navn «{value}» – mangler det en operator foran?",
                                          "Uventa namn «{value}» – manglar det ein operator framfor?",
                                          "Unexpected name «{value}» – is an operator missing before it?"),
    "parser.keyword_here": _m("Nøkkelordet «{value}» kan ikke stå her.", "Nøkkelordet «{value}» kan ikkje stå her.",
                              "The keyword «{value}» cannot stand here."),
    "parser.keyword_case.hint": _m("mente du «{name}»? (nøkkelord skrives med små bokstaver)",
                                   "meinte du «{name}»? (nøkkelord skriv du med små bokstavar)",
                                   "did you mean «{name}»? (keywords are written in lower case)"),
    "parser.decimal_comma.hint": _m("desimaltall skrives med punktum: 1.5, ikke 1,5",
                                    "desimaltal skriv du med punktum: 1.5, ikkje 1,5",
                                    "decimals are written with a point: 1.5, not 1,5"),
    "parser.chained": _m("Sammenligninger kan ikke lenkes.", "Samanlikningar kan ikkje lenkjast.",
                         "Comparisons cannot be chained."),
    "parser.chained.hint": _m("skriv «a < b and b < c» i stedet for «a < b < c»",
                              "skriv «a < b and b < c» i staden for «a < b < c»",
                              "write «a < b and b < c» instead of «a < b < c»"),
    "parser.chained_in.hint": _m("sett parentes rundt den ene sammenligningen",
                                 "set parentes rundt den eine samanlikninga",
                                 "put parentheses around one of the comparisons"),
    "parser.empty": _m("Uttrykket er tomt.", "Uttrykket er tomt.", "The expression is empty."),
    "parser.ends_early": _m("Uttrykket slutter for tidlig.", "Uttrykket sluttar for tidleg.",
                            "The expression ends too early."),
    "parser.missing_paren.hint": _m("mangler «)»", "manglar «)»", "missing «)»"),
    "parser.invalid": _m("Ugyldig uttrykk.", "Ugyldig uttrykk.", "Invalid expression."),
    "parser.bad_operator": _m("Ugyldig operator «{op}».", "Ugyldig operator «{op}».", "Invalid operator «{op}»."),
    "parser.single_equals": _m("Enkelt «=» er ikke en operator.", "Enkel «=» er ikkje ein operator.",
                               "A single «=» is not an operator."),
    "parser.single_equals.hint": _m("mente du «==»? Likhet skrives med to likhetstegn",
                                    "meinte du «==»? Likskap skriv du med to likskapsteikn",
                                    "did you mean «==»? Equality is written with two equals signs"),
    "parser.unclosed_text": _m("Teksten er ikke avsluttet.", "Teksten er ikkje avslutta.", "The text is not closed."),
    "parser.unclosed_text.hint": _m("avslutt teksten med {quote} på samme linje",
                                    "avslutt teksten med {quote} på same linja",
                                    "close the text with {quote} on the same line"),
    "parser.bad_number": _m("Ugyldig tall «{word}».", "Ugyldig tal «{word}».", "Invalid number «{word}»."),
    "parser.bad_number.hint": _m("tall skrives som 3 eller 1.5 (med punktum), datoer som 2020-01-31",
                                 "tal skriv du som 3 eller 1.5 (med punktum), datoar som 2020-01-31",
                                 "numbers are written as 3 or 1.5 (with a point), dates as 2020-01-31"),
    "parser.stray_dot.hint": _m(
        "navn skrives som del.del uten mellomrom, desimaltall med siffer før punktum (0.5)",
        "namn skriv du som del.del utan mellomrom, desimaltal med siffer før punktum (0.5)",
        "names are written as part.part without spaces, decimals with a digit before the point (0.5)"),
    "parser.char.and": _m("mente du «and» (eller «og»)?", "meinte du «and» (eller «og»)?",
                          "did you mean «and» (or «og»)?"),
    "parser.char.or": _m("mente du «or» (eller «eller»)?", "meinte du «or» (eller «eller»)?",
                         "did you mean «or» (or «eller»)?"),
    # «ikke» is a keyword of the expression language, so it stays as it is in nynorsk too.
    "parser.char.not": _m("mente du «not» (eller «ikke»)? Ulikhet skrives «!=»",
                          "meinte du «not» (eller nøkkelordet «ikke»)? Ulikskap skriv du «!=»",
                          "did you mean «not» (or «ikke»)? Inequality is written «!=»"),
    "parser.char.quotes": _m('tekst skrives i vanlige anførselstegn: "moderat"',
                             'tekst skriv du i vanlege hermeteikn: "moderat"',
                             'text is written in plain quotation marks: "moderat"'),
    "parser.char.percent": _m("prosent skrives som en brøk, f.eks. 0.5", "prosent skriv du som ein brøk, t.d. 0.5",
                              "write a percentage as a fraction, e.g. 0.5"),
    "parser.char.hash": _m("kommentarer er ikke tillatt i uttrykk; skriv dem i YAML utenfor uttrykket",
                           "kommentarar er ikkje tillatne i uttrykk; skriv dei i YAML utanfor uttrykket",
                           "comments are not allowed in expressions; write them in the YAML outside the expression"),
    "parser.char.semicolon": _m("et uttrykk kan ikke deles med «;»; bruk «and» eller «or»",
                                "eit uttrykk kan ikkje delast med «;»; bruk «and» eller «or»",
                                "an expression cannot be split with «;»; use «and» or «or»"),
    "parser.expected": _m("forventet {what}", "venta {what}", "expected {what}"),
    "parser.expected_operand": _m("forventet et tall, et navn eller «(»", "venta eit tal, eit namn eller «(»",
                                  "expected a number, a name or «(»"),
    "parser.expected_then": _m("forventet «then» (eller «så»)", "venta «then» (eller «så»)",
                               "expected «then» (or «så»)"),
    "parser.expected_else": _m("forventet «else» (eller «ellers»)", "venta «else» (eller «ellers»)",
                               "expected «else» (or «ellers»)"),
    "parser.expected_other": _m("forventet noe annet her", "venta noko anna her", "expected something else here"),
    "parser.an_operator": _m("en operator (som «and», «==» eller «+»)", "ein operator (som «and», «==» eller «+»)",
                             "an operator (such as «and», «==» or «+»)"),
    "parser.end_of_expression": _m("slutten av uttrykket", "slutten av uttrykket", "the end of the expression"),
    # --- legal references (legal) ------------------------------------------------------------
    "legal.example": _m("f.eks. «hol § 3-2 første ledd nr. 6 bokstav b» eller «lokal: Retningslinje …, pkt. 2»",
                        "t.d. «hol § 3-2 første ledd nr. 6 bokstav b» eller «lokal: Retningslinje …, pkt. 2»",
                        "e.g. «hol § 3-2 første ledd nr. 6 bokstav b» or «lokal: Retningslinje …, pkt. 2»"),
    "legal.write_andre": _m("Skriv «andre {what}», ikke «annet {what}»: «{text}».",
                            "Skriv «andre {what}», ikkje «annet {what}»: «{text}».",
                            "Write «andre {what}», not «annet {what}»: «{text}»."),
    "legal.bad_ordinal": _m("Ukjent {what}-angivelse «{word}» i «{text}».",
                            "Ukjend nemning av {what}: «{word}» i «{text}».",
                            "Unknown {what} designation «{word}» in «{text}»."),
    "legal.bad_ordinal.hint": _m("skriv ordenstallet med bokstaver, f.eks. «andre {what}» eller «tredje {what}»",
                                 "skriv ordenstalet med bokstavar, t.d. «andre {what}» eller «tredje {what}»",
                                 "write the ordinal in (Norwegian) words, e.g. «andre {what}» or «tredje {what}»"),
    "legal.not_text": _m("En lovhenvisning må være tekst, ikke {type}.", "Ei lovtilvising må vere tekst, ikkje {type}.",
                         "A legal reference must be text, not {type}."),
    "legal.empty": _m("Tom lovhenvisning.", "Tom lovtilvising.", "Empty legal reference."),
    "legal.local_needs_name": _m("«lokal:» må følges av navnet på kilden.", "«lokal:» må følgjast av namnet på kjelda.",
                                 "«lokal:» must be followed by the name of the source."),
    "legal.local_needs_name.hint": _m(
        "f.eks. «lokal: Forskrift om tildeling av langtidsopphold, Drammen kommune § 4»",
        "t.d. «lokal: Forskrift om tildeling av langtidsopphald, Alver kommune § 4»",
        "e.g. «lokal: Forskrift om tildeling av langtidsopphold, Drammen kommune § 4»"),
    "legal.cannot_parse": _m("Kan ikke tolke lovhenvisningen «{text}».", "Kan ikkje tolke lovtilvisinga «{text}».",
                             "Cannot interpret the legal reference «{text}»."),
    "legal.act_first.hint": _m("angi loven foran «§», {example}", "skriv lova framfor «§», {example}",
                               "give the act before «§», {example}"),
    "legal.form.hint": _m("en lovhenvisning skrives «lov § paragraf …», {example}",
                          "ei lovtilvising skriv du «lov § paragraf …», {example}",
                          "a legal reference is written «lov § paragraf …» (act § section …), {example}"),
    "legal.range_two_ends": _m("Et paragrafintervall har to endepunkter: «{text}».",
                               "Eit paragrafintervall har to endepunkt: «{text}».",
                               "A section range has two end points: «{text}»."),
    "legal.range_two_ends.hint": _m("skriv f.eks. «fvl §§ 24–25» eller «fvl §§ 28 og 29»",
                                    "skriv t.d. «fvl §§ 24–25» eller «fvl §§ 28 og 29»",
                                    "write e.g. «fvl §§ 24–25» or «fvl §§ 28 og 29»"),
    "legal.several_sections": _m("Flere paragrafer skrives med «§§»: «{text}».",
                                 "Fleire paragrafar skriv du med «§§»: «{text}».",
                                 "Several sections are written with «§§»: «{text}»."),
    "legal.double_sign_one": _m("«§§» brukes bare om flere paragrafer: «{text}».",
                                "«§§» vert berre brukt om fleire paragrafar: «{text}».",
                                "«§§» is only used for several sections: «{text}»."),
    "legal.write_or_range.hint": _m("skriv «{text}», eller «{range}» (tankestrek) for et intervall",
                                    "skriv «{text}», eller «{range}» (tankestrek) for eit intervall",
                                    "write «{text}», or «{range}» (en dash) for a range"),
    "legal.cannot_parse_rest": _m("Kan ikke tolke «{rest}» i «{text}».", "Kan ikkje tolke «{rest}» i «{text}».",
                                  "Cannot interpret «{rest}» in «{text}»."),
    "legal.order.hint": _m("rekkefølgen er ledd, nr., bokstav, punktum; {example}",
                           "rekkjefølgja er ledd, nr., bokstav, punktum; {example}",
                           "the order is ledd, nr., bokstav, punktum; {example}"),
    "legal.one_section_only": _m("Ledd, nr. og bokstav kan bare angis for én paragraf: «{text}».",
                                 "Ledd, nr. og bokstav kan berre givast for éin paragraf: «{text}».",
                                 "Ledd, nr. and bokstav can only be given for one section: «{text}»."),
    "legal.one_section_only.hint": _m("skriv én henvisning per paragraf", "skriv éi tilvising per paragraf",
                                      "write one reference per section"),
    "legal.ledd_first": _m("Angi ledd før nr./bokstav: «{text}».", "Skriv ledd før nr./bokstav: «{text}».",
                           "Give the ledd before nr./bokstav: «{text}»."),
    "legal.ledd_first.hint": _m("skriv «{text}» hvis det er første ledd", "skriv «{text}» dersom det er første ledd",
                                "write «{text}» if it is the first ledd"),
    "legal.unknown_act": _m("Ukjent lov «{act}». Kjente lover: {acts}.", "Ukjend lov «{act}». Kjende lover: {acts}.",
                            "Unknown act «{act}». Known acts: {acts}."),
    "legal.unknown_section": _m("{act} § {number} finnes ikke i registeret.",
                                "{act} § {number} finst ikkje i registeret.",
                                "{act} § {number} is not in the register."),
    "legal.repealed_no_date": _m("«{text}» er opphevet; registeret oppgir ikke fra hvilken dato.",
                                 "«{text}» er oppheva; registeret seier ikkje frå kva dato.",
                                 "«{text}» is repealed; the register does not say from which date."),
    "legal.repealed_no_date.hint": _m("kontroller mot Lovdata at bestemmelsen gjaldt i hele gyldighetsperioden",
                                      "kontroller mot Lovdata at føresegna gjaldt i heile gyldigheitsperioden",
                                      "check against Lovdata that the provision applied throughout the validity "
                                      "period"),
    "legal.unknown_ledd": _m("«{text}»: registeret kjenner bare {known} ledd i {act} § {number}.",
                             "«{text}»: registeret kjenner berre {known} ledd i {act} § {number}.",
                             "«{text}»: the register only knows ledd {known} of {act} § {number}."),
    "legal.ledd_count.hint": _m("{act} § {number} har {count} ledd", "{act} § {number} har {count} ledd",
                                "{act} § {number} has {count} ledd"),
    "legal.partial_ledd.hint": _m("registeret beskriver ikke alle ledd; kontroller mot Lovdata",
                                  "registeret skildrar ikkje alle ledd; kontroller mot Lovdata",
                                  "the register does not describe every ledd; check against Lovdata"),
    "legal.unknown_sub": _m("«{text}» finnes ikke i registeret.", "«{text}» finst ikkje i registeret.",
                            "«{text}» is not in the register."),
    "legal.sub_range.hint": _m("«{where}» har {level} {first}–{last}", "«{where}» har {level} {first}–{last}",
                               "«{where}» has {level} {first}–{last}"),
    "legal.not_divided.hint": _m("«{where}» er ikke delt i {level}", "«{where}» er ikkje delt i {level}",
                                 "«{where}» is not divided into {level}"),
    "legal.this_part": _m("denne delen av paragrafen", "denne delen av paragrafen", "this part of the section"),
    "legal.never_in_force": _m("«{text}» er vedtatt, men ikke satt i kraft.",
                               "«{text}» er vedteken, men ikkje sett i kraft.",
                               "«{text}» is passed but not in force."),
    "legal.never_in_force.hint": _m("vis til bestemmelsen først når den er satt i kraft",
                                    "vis til føresegna først når ho er sett i kraft",
                                    "cite the provision only once it is in force"),
    "legal.not_yet": _m("«{text}» gjelder først fra {start}, men regelsettet gjelder fra {valid_from}.",
                        "«{text}» gjeld først frå {start}, men regelsettet gjeld frå {valid_from}.",
                        "«{text}» applies only from {start}, but the rule set applies from {valid_from}."),
    "legal.use_before.hint": _m("bruk «{text}» før {date}", "bruk «{text}» før {date}", "use «{text}» before {date}"),
    "legal.use_from.hint": _m("bruk «{text}» fra {date}", "bruk «{text}» frå {date}", "use «{text}» from {date}"),
    "legal.predecessor.hint": _m("før {date} gjaldt {act}", "før {date} gjaldt {act}", "before {date}, {act} applied"),
    "legal.start_later.hint": _m("la regelsettet gjelde tidligst fra {date}",
                                 "la regelsettet gjelde tidlegast frå {date}",
                                 "let the rule set apply from {date} at the earliest"),
    "legal.use_act.hint": _m("bruk {act}", "bruk {act}", "use {act}"),
    "legal.number_reused.hint": _m("nummeret {act} § {number} brukes fra {date} om «{title}»",
                                   "nummeret {act} § {number} vert brukt frå {date} om «{title}»",
                                   "the number {act} § {number} is used from {date} for «{title}»"),
    "legal.ended_renumbered": _m(
        "«{text}» gjaldt til og med {last}; fra {end} er det «{after}». Regelsettet gjelder fra {valid_from}.",
        "«{text}» gjaldt til og med {last}; frå {end} er det «{after}». Regelsettet gjeld frå {valid_from}.",
        "«{text}» applied up to and including {last}; from {end} it is «{after}». The rule set applies from "
        "{valid_from}."),
    "legal.repealed_before": _m("«{text}» er opphevet fra {end}, før regelsettet gjelder ({valid_from}).",
                                "«{text}» er oppheva frå {end}, før regelsettet gjeld ({valid_from}).",
                                "«{text}» is repealed from {end}, before the rule set applies ({valid_from})."),
    "legal.period_open": _m("fra {start} uten sluttdato", "frå {start} utan sluttdato", "from {start} with no end date"),
    "legal.in_parentheses": _m(" ({text})", " ({text})", " ({text})"),
    "legal.renumbered": _m(
        "«{text}» heter «{after}» fra {end}{extra}, og regelsettet gjelder {period}. For saker datert fra og med "
        "{end} siterer motoren «{after}».",
        "«{text}» heiter «{after}» frå {end}{extra}, og regelsettet gjeld {period}. For saker daterte frå og med "
        "{end} siterer motoren «{after}».",
        "«{text}» is called «{after}» from {end}{extra}, and the rule set applies {period}. For cases dated on or "
        "after {end} the engine cites «{after}»."),
    "legal.renumbered.hint": _m("del regelsettet ved {end} hvis begge numrene skal stå uttrykkelig",
                                "del regelsettet ved {end} dersom begge numra skal stå uttrykkeleg",
                                "split the rule set at {end} if both numbers must be cited explicitly"),
    "legal.repealed_within": _m(
        "«{text}» er opphevet fra {end}, innenfor regelsettets gyldighetsperiode ({period}).",
        "«{text}» er oppheva frå {end}, innanfor gyldigheitsperioden til regelsettet ({period}).",
        "«{text}» is repealed from {end}, within the rule set's validity period ({period})."),
    "legal.repealed_within.hint": _m("la regelsettet gjelde til og med {last}, eller finn ny hjemmel",
                                     "la regelsettet gjelde til og med {last}, eller finn ny heimel",
                                     "let the rule set apply up to and including {last}, or find a new legal basis"),
}


# --- rendering ---------------------------------------------------------------------------------

class _Formatter(string.Formatter):
    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "u":
            text = str(value)
            return text[:1].upper() + text[1:]
        return super().convert_field(value, conversion)


_FORMATTER = _Formatter()


def _value(value: Any, lang: str) -> Any:
    if isinstance(value, Phrase):
        return render(value.key, lang, value.args)
    key = getattr(value, "catalogue_key", None)  # e.g. a type Kind: rendered as its own entry
    if isinstance(key, str):
        return render(key, lang, ())
    if isinstance(value, Either):
        items = [_item(v, lang) for v in value.items]
        if len(items) <= 1:
            return "".join(items)
        word = render("word.or", lang, ())
        if value.style == "chain":
            return f" {word} ".join(items)
        return ", ".join(items[:-1]) + f" {word} " + items[-1]
    if isinstance(value, Joined):
        return value.sep.join(_item(v, lang) for v in value.items)
    return value


def _item(value: Any, lang: str) -> str:
    return str(_value(value, lang))


def render(key: str, lang: str = "nb", args: Mapping[str, Any] | Iterable[tuple[str, Any]] = ()) -> str:
    """The text of ``key`` in ``lang`` (falling back to bokmål) with ``args`` filled in."""
    entry = CATALOGUE[key]
    template = entry.get(lang) or entry["nb"]
    pairs = args.items() if isinstance(args, Mapping) else args
    values = {k: _value(v, lang) for k, v in pairs}
    return _FORMATTER.format(template, **values)


def placeholders(template: str) -> set[str]:
    """The placeholder names of a template (conversions and format specs left out)."""
    return {name.split(".")[0].split("[")[0]
            for _, name, _, _ in _FORMATTER.parse(template) if name is not None}
