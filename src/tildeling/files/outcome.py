"""The outcome of one evaluated case as typed data — the one place its shape is written.

:mod:`tildeling.explain` builds a :class:`CaseOutcome`; every presenter (terminal text,
decision letter, JSON, ``diff``, the rule-test runner) reads its attributes;
:func:`to_plain` is the one serializer behind ``evaluate --format json``, and
``schemas/outcome.schema.json`` is generated from these classes (:func:`json_schema`).

The JSON contract: keys may be added; none may be renamed or dropped. A class's fields, in
order, are its object's keys, in order — so the same input gives the same bytes.

The classes are slotted dataclasses that are not ``frozen``: a frozen dataclass's
``__init__`` assigns through ``object.__setattr__`` (measured on CPython 3.11: 1.1–1.9 µs
for the 14 fields of a :class:`Decision`, against 0.15 µs unfrozen with positional
arguments and 0.4 µs for the dict it replaces), and explanations build a dozen of them per
case. Treat an outcome as read-only.

>>> reason = Reason(rule="pb-innvilget", legal_basis="hol. § 3-2", text="Søkeren trenger hjelp.",
...                 facts={"funksjon.husarbeid": 4})
>>> to_plain(reason)
{'rule': 'pb-innvilget', 'legal_basis': 'hol. § 3-2', 'text': 'Søkeren trenger hjelp.', 'facts': {'funksjon.husarbeid': 4}, 'sources': {}}
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from tildeling.files.literals import Addressee, Initiative, Layer, Outcome

if TYPE_CHECKING:
    # pydantic reads the annotations only to make the schema (json_schema imports it then):
    # an outcome is built and printed without pydantic (cold start).
    from pydantic import ConfigDict, Field

Lang = Literal["nb", "nn", "en"]
LANGUAGES: tuple[Lang, ...] = ("nb", "nn", "en")
TraceKind = Literal["test", "split", "leaf", "nomatch"]

# Objects may carry keys a later version adds.
_OPEN: ConfigDict = {"extra": "allow"}
_OMIT_IF_NONE = {"omit_if_none": True}
_OMIT_IF_EMPTY = {"omit_if_none": True, "omit_if_empty": True}


@dataclass(slots=True)
class RuleSetRef:
    """The rule set a case was judged by."""

    __pydantic_config__ = _OPEN

    id: str
    version: str
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    municipality: str
    example: bool


@dataclass(slots=True)
class Reason:
    """One reason for a decision: the rule, the law it rests on, the text and the facts used."""

    __pydantic_config__ = _OPEN

    rule: Annotated[str, Field(description="Stabil regel-id.")]
    legal_basis: str
    text: str
    facts: Annotated[dict[str, Any], Field(description="Faktaverdiene regelen bygde på.")]
    sources: Annotated[dict[str, Literal["oppgitt", "utledet", "skjønn"]],
                       Field(description="For hvert faktum: oppgitt i saken, utledet av andre fakta, eller "
                                         "saksbehandlerens skjønn.")] = field(default_factory=dict)


@dataclass(slots=True)
class Alternative:
    """A lower-level service considered (LEON), with whether the applicant has tried it."""

    __pydantic_config__ = _OPEN

    service: str
    step: int
    name: str
    text: str
    tried: bool | None


@dataclass(slots=True)
class ScoreComponent:
    __pydantic_config__ = _OPEN

    id: str
    label: str
    weight: float
    points: float | None


@dataclass(slots=True)
class Score:
    __pydantic_config__ = _OPEN

    value: float | None
    components: tuple[ScoreComponent, ...]


@dataclass(slots=True)
class Amount:
    __pydantic_config__ = _OPEN

    value: float
    unit: str


@dataclass(slots=True)
class Applied:
    """What the application asked for, in the long form of ``applied_for`` (None: not said)."""

    __pydantic_config__ = _OPEN

    amount: float | None
    parts: tuple[str, ...] | None
    form: str | None


@dataclass(slots=True)
class PartDecision:
    """The decision on one part applied for, with its own reasons and legal basis. A part of a
    service whose own tree refused (or could not decide) has that decision and its reasons."""

    __pydantic_config__ = _OPEN

    part: str
    name: str
    outcome: Outcome
    amount: Amount | None
    outside_right: Annotated[bool, Field(description="Delen er unntatt fra retten (f.eks. pbrl § 2-1 d).")]
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...]


@dataclass(slots=True)
class Decision:
    """The outcome for one service: applied for, or decided on the municipality's own initiative."""

    __pydantic_config__ = _OPEN

    service: str
    service_name: str
    legal_basis: str
    outcome: Outcome
    step: int | None
    score: Score | None
    reasons: tuple[Reason, ...]
    missing: Annotated[tuple[str, ...], Field(description="Fakta som må innhentes før saken kan avgjøres.")]
    alternatives: Annotated[tuple[Alternative, ...], Field(description="Lavere trinn som er vurdert (LEON).")]
    decided_by: Layer | None
    discretion: bool
    addressee: Addressee
    amount: Amount | None
    rule_path: Annotated[tuple[str, ...], Field(description="Regel-id-ene på veien gjennom beslutningstreet.")]
    form: Annotated[str | None, Field(description="Formen tjenesten er innvilget i (tjenestens `forms`).")] = field(
        default=None, metadata=_OMIT_IF_NONE)
    applied: Annotated[Applied | None, Field(description="Det som er søkt om (den lange formen av applied_for).")] = \
        field(default=None, metadata=_OMIT_IF_NONE)
    parts: Annotated[tuple[PartDecision, ...], Field(description="Vedtaket for hver del det er søkt om.")] = field(
        default=(), metadata=_OMIT_IF_EMPTY)
    initiative: Annotated[Initiative, Field(description="søknad: vedtaket svarer på søknaden; kommunen: vedtaket "
                                                        "er fattet på kommunens eget initiativ (det er ikke søkt "
                                                        "om tjenesten).")] = "søknad"
    vedtak: Annotated[bool, Field(description="false: et tilbud uten vedtak, ikke et enkeltvedtak (fvl § 2): en "
                                              "tjeneste på et trinn uten vedtak (trappens `vedtak: false`) som "
                                              "kommunen tilbyr på eget initiativ. Brevet har ingen klagetekst for "
                                              "det. Svar på en søknad er alltid vedtak.")] = True
    waiting_list: Annotated[bool | None, Field(description="true: vedtak om venteliste – kriteriene er oppfylt, "
                                                          "og plass gis når den blir ledig, men ikke nå (pbrl "
                                                          "§ 2-1 e andre ledd). Utelatt ellers.")] = field(
        default=None, metadata=_OMIT_IF_NONE)


@dataclass(slots=True)
class Appeal:
    """The appeal deadline (weeks) and its legal basis, for the decision letter."""

    __pydantic_config__ = _OPEN

    weeks: int
    legal_basis: str
    body: Annotated[str, Field(description="Klageinstansen på datoen: Statsforvalteren fra 2021-01-01, "
                                           "Fylkesmannen før.")] = "Statsforvalteren"
    health_and_care: Annotated[bool, Field(description="Sann når klagen følger pbrl § 7-5 (helse- og "
                                                       "omsorgstjenester); usann for andre lover (fvl § 29).")] = True
    body_name: Annotated[str | None, Field(description="Klageinstansens fulle navn på datoen, fra regelsettets "
                                                       "daterte parameter «klageinstans» (f.eks. «Statsforvalteren i "
                                                       "Oslo og Viken»); null når regelsettet ikke oppgir det.")] = None


@dataclass(slots=True)
class AppealedDecision:
    """The decision an appeal concerns (the case's ``klage.gjelder``)."""

    __pydantic_config__ = _OPEN

    service: str
    service_name: str
    decision_date: Annotated[str, Field(description="Vedtaksdatoen.")]
    received: Annotated[str | None, Field(description="Da vedtaket kom fram til parten (fristen løper fra da); "
                                                      "null når det ikke er opplyst.")]


@dataclass(slots=True)
class OtherDeadline:
    """The deadline rule that does not apply, and the deadline it would have given."""

    __pydantic_config__ = _OPEN

    rule: Literal["pbrl § 7-5", "fvl § 29"]
    weeks: int
    deadline: str | None


@dataclass(slots=True)
class AppealReview:
    """The assessment of an appeal the case carries (``klage:``): the deadline and the rule it
    follows, whether the appeal came in time (fvl § 30), a late appeal under fvl § 31, who may
    appeal for the party, and the route (underinstans, then the appeal body on the date)."""

    __pydantic_config__ = _OPEN

    appealed: AppealedDecision
    outcome: Annotated[Literal["behandles", "avvises", "uavklart"],
                       Field(description="behandles: underinstansen vurderer klagen; avvises: klagen kom for "
                                         "sent og tas ikke under behandling (fvl § 31); uavklart: opplysninger "
                                         "mangler (se missing).")]
    timely: Annotated[bool | None, Field(description="Klagen kom i tide (fvl § 30); null: kan ikke avgjøres ennå.")]
    deadline: Annotated[str | None, Field(description="Siste dag i klagefristen; null når datoen vedtaket kom "
                                                      "fram, ikke er kjent.")]
    deadline_rule: Annotated[Literal["pbrl § 7-5", "fvl § 29"],
                             Field(description="Stabil nøkkel for fristregelen: pbrl § 7-5 (fire uker) for "
                                               "rettigheter etter pbrl kapittel 2, ellers fvl § 29 (tre uker).")]
    weeks: int
    legal_basis: Annotated[str, Field(description="Hjemlene for klagen og fristen, slik de siteres på datoen.")]
    not_applicable: Annotated[OtherDeadline, Field(description="Fristregelen som ikke gjelder, og fristen den "
                                                                "ville gitt.")]
    filed: Annotated[str | None, Field(description="Datoen som avgjør om klagen kom i tide.")]
    filed_by: Literal["sendt", "mottatt_av_kommunen"] | None
    days_late: Annotated[int | None, Field(description="Dager etter fristen (0 når klagen kom i tide).")]
    late: Annotated[Literal["behandles", "avvises", "uavklart"] | None,
                    Field(description="Vurderingen etter fvl § 31 av en klage som kom for sent; null ellers.")]
    late_grounds: Annotated[tuple[str, ...], Field(description="Hvorfor en for sen klage likevel behandles: "
                                                               "ingen_klageopplysning, lengre_frist_i_vedtaket, "
                                                               "sykdom_eller_fravær, særlige_grunner.")]
    letter_weeks: Annotated[int | None, Field(description="Klagefristen vedtaket oppga, i uker.")]
    letter_wrong: Annotated[bool | None, Field(description="Vedtaket oppga en annen klagefrist enn loven.")]
    representation: Annotated[Literal["parten", "i_orden", "mangler_fullmakt", "uavklart"],
                              Field(description="Om den som klager, kan klage for parten (pbrl § 7-2 tredje "
                                                "ledd, fvl § 12).")]
    reviewer: Annotated[str, Field(description="Underinstansen som vurderer klagen først (fvl § 33).")]
    appeal_body: Annotated[str, Field(description="Klageinstansen på datoen.")]
    reasons: tuple[Reason, ...]
    missing: Annotated[tuple[str, ...], Field(description="Opplysninger som må innhentes (fvl § 17).")]


@dataclass(slots=True)
class TraceEvent:
    """One step of the evaluation (``--explain``): a condition tested with its value and the
    facts it used (``test``), an unknown condition tried both ways (``split``), an outcome
    reached (``leaf``) or no rule matched (``nomatch``)."""

    __pydantic_config__ = _OPEN

    kind: TraceKind
    service: str
    rule: str
    value: Any
    facts: dict[str, Any]
    depth: int
    applies: Annotated[bool, Field(description="false: regelen gjelder ikke saken (applies_when er usant), "
                                               "og vilkåret er ikke prøvd («gjelder ikke»).")] = True


@dataclass(slots=True)
class CaseOutcome:
    """One evaluated case (``tildeling evaluate --format json``)."""

    __pydantic_config__ = _OPEN

    case: str
    rule_set: RuleSetRef
    as_of: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    decisions: tuple[Decision, ...]
    staircase_step: int | None
    samlevedtak: bool
    language: Lang
    warnings: tuple[str, ...]
    appeal: Appeal
    trace: Annotated[tuple[TraceEvent, ...] | None,
                     Field(description="Hvert vilkår som ble prøvd (bare med --explain).")] = field(
        default=None, metadata=_OMIT_IF_NONE)
    application_date: Annotated[str | None, Field(description="Søknadsdatoen.")] = None
    decision_date: Annotated[str | None, Field(description="Vedtaksdatoen (null når saken ikke har den).")] = None
    appeal_review: Annotated[AppealReview | None, Field(description="Vurderingen av klagen saken har (`klage:`); "
                                                                    "utelatt når saken ikke har klage.")] = field(
        default=None, metadata=_OMIT_IF_NONE)

    def to_dict(self) -> dict[str, Any]:
        """The outcome as the JSON contract has it (plain dicts and lists, keys in order)."""
        plain: dict[str, Any] = to_plain(self)
        return plain


# --- serializing ---------------------------------------------------------------------------------

_KEYS: dict[type, tuple[tuple[str, bool, bool], ...]] = {}


def _keys(cls: type) -> tuple[tuple[str, bool, bool], ...]:
    keys = _KEYS.get(cls)
    if keys is None:
        keys = _KEYS[cls] = tuple((f.name, bool(f.metadata.get("omit_if_none")), bool(f.metadata.get("omit_if_empty")))
                                  for f in fields(cls))
    return keys


def to_plain(value: Any) -> Any:
    """``value`` as JSON data: a model object becomes a dict of its fields in order (a field
    marked ``omit_if_none`` is left out when it is ``None``, one marked ``omit_if_empty`` also
    when it is empty), tuples become lists. Anything
    else (the dicts of ``validate`` and ``rules``) is walked the same way."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        out = {}
        for name, omit, omit_empty in _keys(type(value)):
            v = getattr(value, name)
            if omit and (v is None or (omit_empty and v == ())):
                continue
            out[name] = to_plain(v)
        return out
    return value


def json_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`CaseOutcome`, generated from the classes above."""
    from pydantic import Field, TypeAdapter

    globals().setdefault("Field", Field)  # the annotations above name it
    schema: dict[str, Any] = TypeAdapter(CaseOutcome).json_schema(by_alias=True)
    return schema


__all__ = ["Alternative", "Amount", "Appeal", "AppealReview", "AppealedDecision", "OtherDeadline", "Applied", "PartDecision", "CaseOutcome", "Decision", "LANGUAGES", "Lang", "Reason",
           "RuleSetRef", "Score", "ScoreComponent", "TraceEvent", "json_schema", "to_plain"]
