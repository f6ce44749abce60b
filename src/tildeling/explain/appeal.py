"""The review of an appeal as the outcome shows it: the assessment of
:mod:`tildeling.evaluation.appeal` with its reasons written out in the reader's language and
its legal citations in the numbering in force on the date.

A pure function of the assessment, the rule set and the date.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from tildeling.evaluation.appeal import AppealAssessment, add_weeks, assess_appeal, scheme_of
from tildeling.evaluation.plan import CompiledRuleSet
from tildeling.explain.explanation import STATSFORVALTER_FROM, show_value
from tildeling.files.model import AppealFile
from tildeling.files.outcome import AppealedDecision, AppealReview, OtherDeadline, Reason
from tildeling.i18n.messages import msg, msg_n
from tildeling.rules.legal import Citation, parse_citation

_CITES: dict[str, tuple[Citation, ...]] = {}


def _legal(crs: CompiledRuleSet, refs: str, on: _dt.date) -> str:
    """``refs`` («; »-separated) cited in the numbering in force ``on``."""
    found = _CITES.get(refs)
    if found is None:
        found = _CITES[refs] = tuple(parse_citation(r) for r in refs.split("; "))
    return crs.cite(found, on)


# The law each step of the assessment rests on, per scheme (see tildeling.evaluation.appeal).
RULE_BASIS = {"pbrl": "pbrl § 7-2 første ledd; pbrl § 7-5 første ledd",
              "sotjl": "sotjl § 47; fvl § 29 første ledd",
              "fvl": "fvl § 29 første ledd"}
ROUTE_BASIS = {"pbrl": "pbrl § 7-7 første ledd; fvl § 33",
               "sotjl": "sotjl § 47; fvl § 33",
               "fvl": "fvl § 28 andre ledd; fvl § 33"}
REPRESENTATION_BASIS = {"pbrl": "pbrl § 7-2 tredje ledd", "sotjl": "fvl § 12", "fvl": "fvl § 12"}
TIMELY_BASIS = "fvl § 30"
LATE_BASIS = {"ingen_klageopplysning": "fvl § 31 første ledd bokstav a; fvl § 27 tredje ledd",
              "lengre_frist_i_vedtaket": "fvl § 31 første ledd bokstav a",
              "sykdom_eller_fravær": "fvl § 31 første ledd bokstav a",
              "særlige_grunner": "fvl § 31 første ledd bokstav b"}
REJECT_BASIS = "fvl § 31 første ledd; fvl § 33; fvl § 2 tredje ledd"
OVER_A_YEAR_BASIS = "fvl § 31 tredje ledd; fvl § 33; fvl § 2 tredje ledd"
UNSETTLED_BASIS = "fvl § 31 første ledd; fvl § 17 første ledd"


def appeal_body(crs: CompiledRuleSet, scheme: str, env: dict[str, Any], on: _dt.date, lang: str) -> str:
    """The appeal body on ``on``: Statsforvalteren from 2021-01-01, Fylkesmannen before — the
    full name from the rule set's dated ``klageinstans`` when it names the office of that date;
    the municipality's own appeal body (fvl § 28 andre ledd) for decisions under other acts."""
    if scheme == "fvl":
        return msg("appeal.body.kommunal", lang)
    body = "Statsforvalteren" if on >= STATSFORVALTER_FROM else "Fylkesmannen"
    name = env.get("parameter.klageinstans")
    stem = "Statsforvalt" if body == "Statsforvalteren" else "Fylkesmann"
    if isinstance(name, str) and name.startswith(stem):
        return name
    return msg("appeal_body." + body, lang)


def review_appeal(crs: CompiledRuleSet, appeal: AppealFile, env: dict[str, Any], on: _dt.date,
                  lang: str) -> AppealReview:
    """Assess ``appeal`` under ``crs`` on ``on`` and write the review in ``lang``."""
    service = crs.services.get(appeal.vedtak.tjeneste)
    reg = crs.ruleset.register
    basis = [(c.act, reg.chapter_of(c.act, c.sections[0]) if c.sections else None)
             for c in (service.legal if service is not None else ())]
    weeks = env.get("parameter.klagefrist_uker", 4)
    a = assess_appeal(appeal, scheme_of(basis), weeks if isinstance(weeks, int) else 4, on)
    name = service.name.get(lang) if service is not None else appeal.vedtak.tjeneste
    municipality = crs.ruleset.meta.municipality
    reviewer = msg("appeal.reviewer." + ("nav" if a.scheme == "sotjl" else "kommune"), lang,
                   municipality=municipality)
    body = appeal_body(crs, a.scheme, env, on, lang)
    return AppealReview(
        appealed=AppealedDecision(appeal.vedtak.tjeneste, name or appeal.vedtak.tjeneste,
                                  appeal.vedtak.vedtaksdato.isoformat(), _iso(appeal.vedtak.mottatt)),
        outcome=a.outcome, timely=a.timely, deadline=_iso(a.deadline), deadline_rule=a.rule, weeks=a.weeks,
        legal_basis=_legal(crs, RULE_BASIS[a.scheme] + "; " + TIMELY_BASIS, on),
        not_applicable=OtherDeadline(a.other_rule, a.other_weeks, _iso(a.other_deadline)),
        filed=_iso(a.filed), filed_by=a.filed_by, days_late=a.days_late, late=a.late, late_grounds=a.grounds,
        letter_weeks=a.letter_weeks, letter_wrong=a.letter_wrong, representation=a.representation,
        reviewer=reviewer, appeal_body=body,
        reasons=tuple(_reasons(crs, a, appeal, _in_sentence(name or appeal.vedtak.tjeneste), reviewer, body, on,
                                        lang)),
        missing=a.missing)


def _in_sentence(name: str) -> str:
    """A service name inside a sentence: «praktisk bistand», but «BPA» stays.

    >>> _in_sentence("Praktisk bistand"), _in_sentence("BPA – brukerstyrt")
    ('praktisk bistand', 'BPA – brukerstyrt')
    """
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _iso(day: _dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _reason(crs: CompiledRuleSet, rule: str, refs: str, text: str, on: _dt.date, **facts: Any) -> Reason:
    plain = {k.replace("__", "."): (v.isoformat() if isinstance(v, _dt.date) else v) for k, v in facts.items()}
    return Reason(rule=rule, legal_basis=_legal(crs, refs, on), text=text, facts=plain,
                  sources={k: "oppgitt" for k in plain})


def _reasons(crs: CompiledRuleSet, a: AppealAssessment, appeal: AppealFile, service: str, reviewer: str,
             body: str, on: _dt.date, lang: str) -> list[Reason]:
    def day(d: _dt.date | None) -> str:
        return show_value(d, lang)

    d = appeal.vedtak
    out = [_reason(crs, "klage-fristregel", RULE_BASIS[a.scheme],
                   msg("appeal.rule." + a.scheme, lang, service=service, weeks=a.weeks), on,
                   klage__vedtak__tjeneste=d.tjeneste)]
    if a.deadline is not None:
        out.append(_reason(crs, "klage-frist", RULE_BASIS[a.scheme],
                           msg("appeal.deadline", lang, received=day(d.mottatt), deadline=day(a.deadline))
                           + " " + msg("appeal.other_rule", lang, rule=a.other_rule, weeks=a.other_weeks,
                                       deadline=day(a.other_deadline)), on,
                           klage__vedtak__mottatt=d.mottatt))
    else:
        earliest = add_weeks(d.vedtaksdato, a.weeks)
        out.append(_reason(crs, "klage-frist", RULE_BASIS[a.scheme],
                           msg("appeal.deadline_unknown", lang, decided=day(d.vedtaksdato), earliest=day(earliest)),
                           on, klage__vedtak__vedtaksdato=d.vedtaksdato))
    if a.letter_wrong and a.letter_weeks is not None and a.letter_weeks < a.weeks:
        out.append(_reason(crs, "klage-feil-frist-i-vedtaket", RULE_BASIS[a.scheme],
                           msg("appeal.letter_shorter", lang, letter=a.letter_weeks, weeks=a.weeks), on,
                           klage__vedtak__oppgitt_klagefrist_uker=a.letter_weeks))
    if a.timely is True:
        out.append(_reason(crs, "klage-rettidig", TIMELY_BASIS,
                           msg("appeal.timely." + (a.filed_by or "sendt"), lang, filed=day(a.filed)), on,
                           **{"klage__" + (a.filed_by or "sendt"): a.filed}))
    elif a.timely is False:
        out.append(_reason(crs, "klage-for-sent", TIMELY_BASIS,
                           msg_n("appeal.late", a.days_late or 0, lang, filed=day(a.filed)), on,
                           klage__sendt=a.filed))
        out.append(_late_reason(crs, a, appeal, reviewer, body, on, lang))
    else:
        out.append(_reason(crs, "klage-rettidighet-uavklart", TIMELY_BASIS + "; fvl § 17 første ledd",
                           msg("appeal.timely_unknown", lang, facts=", ".join(a.missing)), on))
    representation = _representation(crs, a, appeal, on, lang)
    if representation is not None:
        out.append(representation)
    if a.outcome != "avvises":
        out.append(_reason(crs, "klage-saksgang", ROUTE_BASIS[a.scheme],
                           msg("appeal.route", lang, reviewer=reviewer, body=body), on))
    return out


def _late_reason(crs: CompiledRuleSet, a: AppealAssessment, appeal: AppealFile, reviewer: str, body: str,
                 on: _dt.date, lang: str) -> Reason:
    if a.over_a_year:
        return _reason(crs, "klage-avvist-over-ett-år", OVER_A_YEAR_BASIS,
                       msg("appeal.late.over_a_year", lang, reviewer=reviewer, body=body), on)
    if a.late == "behandles":
        grounds = "; ".join(msg("appeal.ground." + g, lang) for g in a.grounds)
        refs = "; ".join(dict.fromkeys(r for g in a.grounds for r in LATE_BASIS[g].split("; ")))
        return _reason(crs, "klage-for-sent-behandles", refs, msg("appeal.late.behandles", lang, grounds=grounds), on)
    if a.late == "avvises":
        return _reason(crs, "klage-for-sent-avvises", REJECT_BASIS, msg("appeal.late.avvises", lang, reviewer=reviewer, body=body), on,
                       klage__sykdom_eller_fravær=appeal.sykdom_eller_fravær,
                       klage__særlige_grunner=appeal.særlige_grunner)
    return _reason(crs, "klage-for-sent-uavklart", UNSETTLED_BASIS,
                   msg("appeal.late.uavklart", lang, facts=", ".join(a.missing)), on)


def _representation(crs: CompiledRuleSet, a: AppealAssessment, appeal: AppealFile, on: _dt.date,
                    lang: str) -> Reason | None:
    by = appeal.fremsatt_av
    if by is None or by == "parten":
        return None
    refs = REPRESENTATION_BASIS[a.scheme]
    if by in ("advokat", "verge"):
        refs = "fvl § 12" if by == "advokat" else refs
        key = "appeal.representation." + by
    else:
        key = "appeal.representation." + a.representation
    return _reason(crs, "klage-representasjon", refs, msg(key, lang, basis=_legal(crs, refs, on)), on,
                   klage__fremsatt_av=by, klage__skriftlig_fullmakt=appeal.skriftlig_fullmakt)


__all__ = ["appeal_body", "review_appeal"]
