"""The input models: rule sets, shared pieces (vocabulary, staircase, parameters) and cases.

These pydantic models define what a YAML file may contain (``extra="forbid"``: a misspelt
key is an error, not silently ignored) and generate the JSON Schemas in ``schemas/``.
Structural keys are English (as in docs/json-utfall.md); the domain vocabulary — facts, services,
outcomes, texts — is Norwegian. Expressions stay strings here (``LocatedStr`` keeps their
position); :mod:`tildeling.loader` parses and checks them.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema, model_validator

from tildeling.files.literals import OUTCOMES, Addressee, Initiative, Language, Layer, Outcome  # noqa: F401
from tildeling.i18n.diagnostic_messages import KeyedValueError



def _keep_str(value: Any) -> str:
    # Keep LocatedStr instances (their position is needed for diagnostics).
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise KeyedValueError("model.expected_expression")
    return value if isinstance(value, str) else str(value)


Expression = Annotated[
    str,
    PlainValidator(_keep_str),
    WithJsonSchema({"type": ["string", "number"], "description": "Et uttrykk i regelspråket, f.eks. "
                    "«funksjon.husarbeid >= 3 og søker.alder >= 67»."}),
]
LegalRef = Annotated[
    str,
    PlainValidator(_keep_str),
    WithJsonSchema({"type": "string", "description": "Lovhenvisning, f.eks. «hol § 3-2 første ledd nr. 6 "
                    "bokstav b», eller «lokal: …» for kommunens egne forskrifter og retningslinjer."}),
]
Identifier = Annotated[str, Field(pattern=r"^[^\W\d][\w]*(\.[^\W\d][\w]*)*$")]
RuleId = Annotated[str, Field(pattern=r"^[\w][\w.\-]*$", max_length=120)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class Text(Strict):
    """A text in bokmål and/or nynorsk. ``{fakta.sti}`` is replaced by the fact's value."""

    nb: str | None = None
    nn: str | None = None
    en: str | None = None

    @model_validator(mode="after")
    def _one_language(self):
        if not (self.nb or self.nn or self.en):
            raise KeyedValueError("model.text_needs_language")
        return self

    def get(self, lang: str) -> str:
        order = {"nb": ("nb", "nn", "en"), "nn": ("nn", "nb", "en"), "en": ("en", "nb", "nn")}[lang]
        for key in order:
            value = getattr(self, key)
            if value:
                return value
        return ""


# --- shared pieces ---------------------------------------------------------------------------

ParamValue = Union[bool, int, float, _dt.date, str]


class Derivation(Strict):
    """One way a fact follows from other facts (used when the fact is not given)."""

    when: Expression = Field(description="Når dette er sant, har faktumet verdien `value`.")
    value: ParamValue = Field(description="Verdien faktumet får (av faktumets type).")
    basis: Text = Field(description="Grunnlaget, slik forklaringen viser det: «bor alene ⇒ ingen annen voksen "
                                    "i husstanden».")
    legal_basis: list[LegalRef] = []


class FactDef(Strict):
    type: Literal["janei", "tall", "heltall", "iplos", "valg", "tekst", "dato", "liste", "historikk"]
    label: Text
    values: list[str] | None = Field(None, description="Lovlige verdier for valg og liste (for historikk: "
                                                       "tjeneste-id-ene).")
    range: tuple[float, float] | None = Field(None, description="[minst, størst] for tall og heltall.")
    unit: str | None = None
    description: Text | None = None
    derived: list[Derivation] = Field(default_factory=list, description=(
        "Utledning fra andre fakta, brukt når faktumet ikke er oppgitt: den første med sann `when` gir verdien."))
    assessed: bool = Field(False, description="Oppgitt verdi er saksbehandlerens skjønnsmessige vurdering.")

    @model_validator(mode="after")
    def _domain(self):
        if self.type in ("valg", "liste", "historikk") and not self.values:
            raise KeyedValueError("model.type_needs_values", type=self.type)
        if self.values and self.type not in ("valg", "liste", "historikk"):
            raise KeyedValueError("model.values_only_for_choice")
        if self.range and self.type not in ("tall", "heltall"):
            raise KeyedValueError("model.range_only_for_numbers")
        if self.range and self.range[0] > self.range[1]:
            raise KeyedValueError("model.range_shape")
        return self


class GroupDef(Strict):
    label: Text


class VocabularyFile(Strict):
    id: str
    version: str
    groups: dict[str, GroupDef] = {}
    facts: dict[str, FactDef]


class StaircaseStep(Strict):
    step: int = Field(ge=1, le=20)
    name: Text
    examples: Text | None = None
    vedtak: bool = True


class StaircaseCategory(Strict):
    id: int
    name: Text
    steps: list[int]


class StaircaseFile(Strict):
    id: str
    name: Text
    categories: list[StaircaseCategory] = []
    steps: list[StaircaseStep]


class DatedValue(Strict):
    from_: _dt.date = Field(alias="from")
    value: ParamValue
    legal_basis: LegalRef | None = None


class ParameterDef(Strict):
    label: Text | None = None
    unit: str | None = None
    legal_basis: LegalRef | None = None
    source: str | None = None
    note: str | None = None
    values: list[DatedValue] = Field(min_length=1)


class ParametersFile(Strict):
    id: str
    parameters: dict[str, ParameterDef]


# --- service maps ------------------------------------------------------------------------------

class ServiceMapEntry(Strict):
    """One service id of another source, and the project's service (``None``: no service)."""
    tjeneste: str | None = None
    del_: str | None = Field(default=None, alias="del")
    form: str | None = None
    mangler: bool = False
    merknad: str | None = None


class ServiceMapNote(Strict):
    """A part, a form or a history value the map notes: where it comes from, which cases use it."""
    fra: str | None = None
    saker: list[str] = []
    steg: int | None = None
    mangler: bool = False
    merknad: str | None = None


class ServiceMapFile(Strict):
    """A service map (``tjenestekart``): from another source's service ids to the project's.
    Not a case: ``test``, ``evaluate`` and ``diff`` skip it (counted as «hoppet over»)."""
    kart: dict[str, ServiceMapEntry]
    deler: dict[str, dict[str, ServiceMapNote]] = {}
    former: dict[str, dict[str, ServiceMapNote]] = {}
    historikkverdier: dict[str, ServiceMapNote] = {}


# --- rule sets ---------------------------------------------------------------------------------

class Uses(Strict):
    vocabulary: str = Field(description="Sti til faktavokabularet, relativt til regelsettfila.")
    staircase: str = Field(description="Sti til trappen (aktivitets- og mestringstrappen).")
    parameters: list[str] = Field(default_factory=list, description="Filer med daterte parametere.")


class Amount(Strict):
    value: Expression
    unit: Text


class Branch(Strict):
    """One rule of a decision tree: a condition leading to an outcome or to a nested tree."""

    id: RuleId
    when: Expression | None = None
    else_: bool = Field(False, alias="else", description="Siste regel i en node: gjelder når ingen andre slo til.")
    outcome: Outcome | None = None
    step: int | None = Field(None, ge=1, le=20, description="Trinn for dette utfallet, hvis et annet enn tjenestens.")
    reason: Text | None = None
    legal_basis: list[LegalRef] = []
    discretion: bool = Field(False, description="Utfallet krever skjønnsmessig vurdering (skjønn).")
    layer: Layer = Field(
        "kommunalt", description="lovkrav: en lovfestet rett eller forsvarlighetskravet; kommunalt: kommunens skjønn.")
    amount: Amount | None = None
    decision: list["Branch"] | None = None
    form: str | None = Field(None, description="Formen tjenesten innvilges i (en av tjenestens `forms`).")
    waiting_list: bool = Field(
        False, description="Vedtak om venteliste (pbrl § 2-1 e andre ledd): tjenesten er innvilget, med plass når "
                           "den blir ledig. Et annet vedtak enn plass nå, også når utfallet er det samme.")
    applies_when: Expression | None = Field(
        None, description="Regelen gjelder bare når dette er sant: usant hopper over regelen (ikke spurt, "
                          "ikke manglende), ukjent prøves begge veier som et vanlig vilkår.")

    @model_validator(mode="after")
    def _shape(self):
        if self.else_ and self.when is not None:
            raise KeyedValueError("model.when_and_else")
        if self.else_ and self.applies_when is not None:
            raise KeyedValueError("model.applies_when_and_else")
        if not self.else_ and self.when is None:
            raise KeyedValueError("model.rule_needs_when")
        if (self.outcome is None) == (self.decision is None):
            raise KeyedValueError("model.rule_needs_outcome")
        if self.decision is not None and (self.reason or self.amount or self.step or self.form):
            raise KeyedValueError("model.outcome_fields")
        return self


class Alternative(Strict):
    """A lower-level alternative to consider first (LEON)."""

    service: str
    step: int = Field(ge=1, le=20)
    name: Text | None = None
    when: Expression | None = Field(None, description="Vis alternativet bare når dette er sant.")
    reason: Text | None = None


class ScoreComponent(Strict):
    id: RuleId
    label: Text
    value: Expression = Field(description="Et tall, eller ja/nei (sann = 1).")
    weight: float = 1.0


class Score(Strict):
    components: list[ScoreComponent] = Field(min_length=1)
    note: Text | None = None


class Part(Strict):
    """A part of a service (a task, a time of day) with its own decision list."""

    name: Text
    outside_right: bool = Field(False, description="Delen er unntatt fra retten (f.eks. BPA om natten, "
                                "pbrl § 2-1 d): avgjørelsen av den tar aldri retten som helhet.")
    legal_basis: list[LegalRef] = []
    amount: Amount | None = None
    implied_when: str | None = Field(
        None, description="En søknad om hele tjenesten (kortformen) omfatter delen når uttrykket er sant, "
        "f.eks. BPA om natten når behovet om natten finnes: da avgjøres delen for seg, og unntaket tar "
        "bare den delen (pbrl § 2-1 d andre ledd).")
    decision: list[Branch] = Field(min_length=1)


class Form(Strict):
    """A form a service can be given in (respite in an institution or hourly at home)."""

    name: Text
    step: int = Field(ge=1, le=20)
    equivalent_to: str | None = Field(None, description="En annen form denne er likeverdig med etter loven "
                                      "(f.eks. heldøgns bolig for sykehjemsplass, pbrl § 2-1 e).")
    legal_basis: list[LegalRef] = []


class OwnInitiative(Strict):
    """When the municipality decides a service of its own accord, applied for or not
    (pbrl § 2-1 a andre ledd: the need is assessed as a whole)."""

    when: Expression = Field(description="Tjenesten vurderes av eget tiltak når dette er sant; kan bruke "
                                          "søknad.tjenester, vedtak.<tjeneste> og vedtak.<tjeneste>.deler_avslått.")
    reason: Text = Field(description="Hvorfor kommunen vurderer tjenesten uten søknad (vises i vedtaket).")
    legal_basis: list[LegalRef] = []
    vedtak: bool = Field(True, description="false: kommunen tilbyr tjenesten uten enkeltvedtak når ingen har "
                         "søkt (f.eks. individuell plan, pbrl § 2-5); som trinn med `vedtak: false` i trappen.")


class Service(Strict):
    name: Text
    legal_basis: list[LegalRef] = Field(min_length=1)
    step: int | None = Field(ge=1, le=20, description="Trinnet i trappen; `null` for en tjeneste utenfor trappen (f.eks. økonomisk stønad etter sosialtjenesteloven).")
    addressee: Addressee = "søker"
    description: Text | None = None
    score: Score | None = None
    amount: Amount | None = None
    alternatives: list[Alternative] = []
    decision: list[Branch] = Field(min_length=1)
    parts: dict[str, Part] = Field(default_factory=dict, description="Delene det kan søkes om, hver med "
                                   "egen beslutningsliste.")
    forms: dict[str, Form] = Field(default_factory=dict, description="Formene tjenesten kan gis i.")
    own_initiative: OwnInitiative | None = None


class RuleSetFile(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9æøå][a-z0-9æøå\-.]*$")]
    municipality: str
    version: str
    valid_from: _dt.date
    valid_to: _dt.date | None = None
    status: Literal["draft", "adopted"]
    adopted_by: str | None = None
    supersedes: list[str] = []
    language: Language = "nb"
    judged_on: Literal["application_date", "decision_date"] = Field(
        "application_date", description="Datoen alder, parametere, regelsettvalg og lovhenvisninger vurderes på: "
                                        "søknadsdatoen (standard) eller vedtaksdatoen.")
    example: bool = Field(False, description="Sann for illustrative eksempler (ikke en kommunes vedtatte forskrift).")
    disclaimer: str | None = None
    sources: list[str] = []
    description: Text | None = None
    uses: Uses
    parameters: dict[str, ParameterDef] = {}
    definitions: dict[str, Expression] = {}
    services: dict[str, Service] = Field(min_length=1)

    @model_validator(mode="after")
    def _window(self):
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise KeyedValueError("model.valid_to_before_from")
        if self.example and not self.disclaimer:
            raise KeyedValueError("model.example_needs_disclaimer")
        return self


class RuleSetHeader(RuleSetFile):
    """A rule set's metadata and shared parts, with services left unchecked (the loader checks
    each service on its own, so that one broken service does not hide the others' errors)."""

    services: dict[str, Any] = Field(default_factory=dict)


# --- cases ---------------------------------------------------------------------------------------

class PartsExpectation(Strict):
    granted: list[str] = Field(default_factory=list, description="Delene som skal innvilges.")
    refused: list[str] = Field(default_factory=list, description="Delene som skal avslås.")


class Expectation(Strict):
    outcome: Outcome
    step: int | None = None
    reasons: list[str] = Field(default_factory=list, description="Regel-id-er som skal være blant begrunnelsene.")
    missing: list[str] | None = Field(None, description="Nøyaktig disse faktaene skal mangle.")
    alternatives: list[str] | None = Field(None, description="Disse alternativene skal foreslås.")
    amount: float | None = None
    decided_by: Layer | None = None
    initiative: Initiative | None = Field(None, description="søknad: svar på søknaden; kommunen: vedtak av eget tiltak.")
    why: str = Field(min_length=3, description="Hvorfor kriteriene krever dette utfallet.")
    form: str | None = Field(None, description="Formen tjenesten skal innvilges i.")
    parts: PartsExpectation | None = Field(None, description="Delene som skal innvilges og avslås.")
    applied_amount: float | None = Field(None, description="Omfanget det er søkt om.")
    waiting_list: bool | None = Field(None, description="true: vedtaket skal være vedtak om venteliste; false: "
                                      "det skal ikke være det.")
    vedtak: bool | None = Field(None, description="false: avgjørelsen skal være et tilbud uten enkeltvedtak; "
                                "true: et enkeltvedtak.")
    addressee: Addressee | None = Field(None, description="Parten vedtaket retter seg til: søker, eller "
                                        "pårørende (omsorgsyteren, pbrl § 2-8).")


class AppealExpectation(Strict):
    """What the assessment of the case's appeal (``klage:``) should give (``expect: {klage: …}``)."""

    rettidig: bool | None = Field(None, description="Klagen er kommet inn i tide (fvl § 30).")
    frist: _dt.date | None = Field(None, description="Siste dag i klagefristen.")
    fristregel: Literal["pbrl § 7-5", "fvl § 29"] | None = Field(
        None, description="Regelen fristen følger: pbrl § 7-5 (fire uker) eller fvl § 29 (tre uker).")
    dager_for_sent: int | None = Field(None, ge=0, description="Hvor mange dager for sent klagen kom.")
    oversittelse: Literal["behandles", "avvises", "uavklart"] | None = Field(
        None, description="Vurderingen etter fvl § 31 av en klage som kom for sent.")
    klageinstans: str | None = Field(None, description="Klageinstansen på datoen, med fullt navn.")
    underinstans: str | None = Field(None, description="Den som vurderer klagen først (fvl § 33).")
    representasjon: Literal["parten", "i_orden", "mangler_fullmakt", "uavklart"] | None = Field(
        None, description="Om den som klager, kan klage for parten (pbrl § 7-2 tredje ledd, fvl § 12).")
    feil_klagefrist_i_vedtaket: bool | None = Field(
        None, description="Vedtaket oppga en annen klagefrist enn loven.")
    missing: list[str] | None = Field(None, description="Nøyaktig disse opplysningene skal mangle.")
    why: str = Field(min_length=3, description="Hvorfor loven krever dette.")


class Expectations(BaseModel):
    """``expect:``: the outcome per service id (``tjeneste`` or ``tjeneste/form``), and for a
    case with an appeal, ``klage:``."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True, defer_build=True)
    __pydantic_extra__: dict[str, Expectation] = Field(init=False)

    klage: AppealExpectation | None = Field(None, description="Vurderingen av klagen (saken har `klage:`).")

    @property
    def services(self) -> dict[str, Expectation]:
        """The expectations per service, in file order."""
        return dict(self.model_extra or {})

    def __bool__(self) -> bool:
        return self.klage is not None or bool(self.model_extra)


class AppealedDecision(Strict):
    """The decision appealed against."""

    tjeneste: str = Field(description="Tjenesten vedtaket gjaldt (en tjeneste-id i regelsettet). Regelsettet "
                                      "vet tjenestens hjemmel, og den avgjør klagefristen.")
    vedtaksdato: _dt.date = Field(description="Datoen vedtaket ble truffet.")
    mottatt: _dt.date | None = Field(
        None, description="Datoen vedtaket kom fram til parten, eller parten fikk kunnskap om det (fristen "
                          "løper fra denne datoen: fvl § 29 første ledd, pbrl § 7-5).")
    klageopplysning: bool | None = Field(
        None, description="Vedtaket opplyste om klageadgangen (fvl § 27 tredje ledd).")
    oppgitt_klagefrist_uker: int | None = Field(
        None, ge=1, le=52, description="Klagefristen vedtaket oppga, i uker (slik det står i brevet).")


class AppealFile(Strict):
    """An appeal of a decision (``klage:``): the facts of the appeal, never the conclusion."""

    vedtak: AppealedDecision = Field(description="Vedtaket det klages på.")
    sendt: _dt.date | None = Field(
        None, description="Datoen klagen ble sendt (postlagt, levert eller sendt elektronisk) (fvl § 30).")
    mottatt_av_kommunen: _dt.date | None = Field(
        None, description="Datoen kommunen (eller NAV-kontoret) mottok klagen.")
    fremsatt_av: Literal["parten", "fullmektig", "advokat", "verge"] | None = Field(
        None, description="Hvem som klager: parten selv, en fullmektig, en advokat eller en verge.")
    skriftlig_fullmakt: bool | None = Field(
        None, description="En fullmektig som ikke er advokat, har lagt fram skriftlig fullmakt.")
    grunn_for_forsinkelse: str | None = Field(
        None, description="Partens egen forklaring på hvorfor klagen kom for sent (med partens ord).")
    sykdom_eller_fravær: bool | None = Field(
        None, description="Parten var syk eller borte i klagefristen, så klagen ikke kunne sendes i tide.")
    særlige_grunner: bool | None = Field(
        None, description="Saksbehandlerens vurdering: det er særlige grunner til at en for sen klage bør "
                          "prøves (fvl § 31 første ledd bokstav b).")


class Application(Strict):
    """The long form of a service applied for: what is asked for, in parts, amount and form."""

    service: str
    parts: list[str] | None = Field(None, description="Delene det søkes om (id-er tjenesten deklarerer).")
    amount: float | None = Field(None, description="Omfanget det søkes om, i tjenestens enhet.")
    form: str | None = Field(None, description="Formen det søkes om (en av tjenestens `forms`).")


class CaseFile(Strict):
    id: str
    municipality: str
    former_municipality: str | None = Field(
        None, description="Kommunen søkeren hørte til før en kommunesammenslåing (valgfri), f.eks. «Svelvik» for en "
        "sak i Drammen etter 2020. `tildeling harmonise` bruker den til å velge den gamle kommunens regelsett.")
    application_date: _dt.date
    decision_date: _dt.date | None = Field(None, description="Vedtaksdatoen (valgfri).")
    description: str | None = None
    applied_for: list[Union[str, Application]] = Field(
        default_factory=list, description="Tjenestene det søkes om: en id (hele tjenesten), eller "
        "{service, parts, amount, form}. Minst én, med mindre saken er en klage (`klage:`).")
    facts: dict[str, dict[str, Any]] = {}
    klage: AppealFile | None = Field(None, description="En klage på et vedtak (klagesak).")
    expect: Expectations | None = None
    expect_by_rule_set: dict[str, Expectations] | None = None
    known_deviation: str | None = Field(
        None, min_length=3,
        description="Kjent avvik: saken består ikke ennå, og her står hvorfor. `tildeling test` teller den "
        "som kjent avvik, ikke som feil; består den likevel, feiler den til feltet fjernes.")

    @model_validator(mode="after")
    def _something_to_decide(self) -> "CaseFile":
        if not self.applied_for and self.klage is None:
            raise KeyedValueError("model.nothing_applied_for")
        return self
