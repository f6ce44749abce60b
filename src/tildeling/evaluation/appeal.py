"""Assessing an appeal (klage) of a decision: which deadline applies, whether the appeal came
in time, what a late appeal leads to, who may appeal for the party, and the route.

The law, in the order this module applies it:

- **Which rule.** An appeal of a decision on the rights in pasient- og brukerrettighetsloven
  chapter 2 — every municipal health and care service (hol; pbrl § 2-1 a andre ledd, § 2-1 d,
  § 2-1 e, § 2-8) — follows pbrl § 7-2, and its deadline is four weeks from when the party got
  or should have got knowledge of the decision (pbrl § 7-5; the rule set's dated
  ``klagefrist_uker``). Other decisions — sosialtjenesteloven (sotjl § 47) and the rest — have
  the three weeks of fvl § 29 første ledd from when the notice reached the party. The act
  follows from the legal basis of the service the decision concerned, as the rule set states
  it: the caseworker never enters the conclusion.
- **Counting.** A deadline in weeks ends on the same weekday as the day it runs from
  (``start + 7 × weeks``). The register says nothing about a deadline that ends on a weekend or
  a public holiday, so it is not moved. A deadline printed in the letter cannot shorten the
  statutory one.
- **In time.** The appeal is in time when it was handed to the post (or sent) before the
  deadline ran out, or reached the authority by then (fvl § 30). Without the date the decision
  reached the party, an appeal sent within the period from the decision date is still in time
  (the deadline cannot end earlier); otherwise it is unknown.
- **Late.** A late appeal may be heard when the party cannot be blamed (fvl § 31 første ledd
  bokstav a: no appeal information in the letter, a longer deadline printed than the law
  gives and kept, illness or absence) or there are special reasons (bokstav b, the
  caseworker's assessment); never more than a year after the decision (fvl § 31 tredje ledd).
  Otherwise it is rejected (avvist) — but only once the party's reason for the delay, illness
  or absence and the appeal information are known (fvl § 17); until then it is ``uavklart``.
- **Representation.** A representative who is not a lawyer must show a written authority
  (pbrl § 7-2 tredje ledd, fvl § 12); one missing is asked for, the appeal is not rejected.

>>> import datetime as dt
>>> from tildeling.files.model import AppealFile
>>> a = AppealFile.model_validate({"vedtak": {"tjeneste": "x", "vedtaksdato": "2020-12-07",
...     "mottatt": "2020-12-09"}, "sendt": "2021-01-04"})
>>> r = assess_appeal(a, "pbrl", 4, dt.date(2021, 1, 4))
>>> r.rule, r.deadline, r.timely, r.outcome, r.other_deadline
('pbrl § 7-5', datetime.date(2021, 1, 6), True, 'behandles', datetime.date(2020, 12, 30))
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Iterable, Literal

from tildeling.files.model import AppealFile

Scheme = Literal["pbrl", "sotjl", "fvl"]
Rule = Literal["pbrl § 7-5", "fvl § 29"]
AppealOutcome = Literal["behandles", "avvises", "uavklart"]
Representation = Literal["parten", "i_orden", "mangler_fullmakt", "uavklart"]
Ground = Literal["ingen_klageopplysning", "lengre_frist_i_vedtaket", "sykdom_eller_fravær", "særlige_grunner"]

#: Acts whose decisions are decisions on the rights in pbrl chapter 2 (appeal: pbrl § 7-2).
PBRL_ACTS = frozenset(("hol", "pbrl"))
FVL_WEEKS = 3  # fvl § 29 første ledd
PBRL_WEEKS = 4  # pbrl § 7-5 (the rule set's dated ``klagefrist_uker`` when it has one)

# Fact paths of the appeal block, as the missing facts name them.
F_RECEIVED = "klage.vedtak.mottatt"
F_SENT = "klage.sendt"
F_REASON = "klage.grunn_for_forsinkelse"
F_ILLNESS = "klage.sykdom_eller_fravær"
F_INFORMED = "klage.vedtak.klageopplysning"
F_AUTHORITY = "klage.skriftlig_fullmakt"


@dataclass(frozen=True, slots=True)
class AppealAssessment:
    """What the law says about one appeal, before any text is written (see the module doc)."""

    scheme: Scheme  # pbrl: pbrl § 7-2; sotjl: sotjl § 47 (NAV); fvl: fvl § 28 (municipal appeal body)
    rule: Rule
    weeks: int
    deadline: _dt.date | None  # None: the date the decision reached the party is unknown
    other_rule: Rule
    other_weeks: int
    other_deadline: _dt.date | None  # the deadline the rule that does not apply would give
    filed: _dt.date | None  # the date that settles timeliness (fvl § 30)
    filed_by: Literal["sendt", "mottatt_av_kommunen"] | None
    timely: bool | None
    days_late: int | None
    late: AppealOutcome | None  # fvl § 31, for a late appeal
    grounds: tuple[Ground, ...]  # why a late appeal is heard
    over_a_year: bool  # fvl § 31 tredje ledd: never heard
    outcome: AppealOutcome
    letter_weeks: int | None
    letter_wrong: bool | None  # the letter printed another deadline than the law's
    representation: Representation
    missing: tuple[str, ...]
    on: _dt.date  # the date the appeal is handled on (klageinstans by date)


def scheme_of(basis: Iterable[tuple[str | None, str | None]]) -> Scheme:
    """The appeal scheme for a decision whose legal basis cites ``basis``: (act, chapter of
    the cited section, None when unknown) pairs.

    hol and pbrl: pbrl § 7-2. sotjl: § 47 for the individual services of chapter 4 (or a
    section whose chapter is unknown); a decision resting only on the general duties of
    chapter 3 (§ 15, housing for the disadvantaged) is no decision on a right under the act
    and goes to the municipality's own appeal body (fvl § 28 andre ledd), as other acts do.

    >>> scheme_of([("hol", "3"), ("pbrl", "2")]), scheme_of([("sotjl", "4")]), scheme_of([("sotjl", None)])
    ('pbrl', 'sotjl', 'sotjl')
    >>> scheme_of([("sotjl", "3")]), scheme_of([("integreringsloven", None)]), scheme_of([(None, None)])
    ('fvl', 'fvl', 'fvl')
    """
    pairs = [(a, c) for a, c in basis if a]
    if any(a in PBRL_ACTS for a, _ in pairs):
        return "pbrl"
    if any(a == "sotjl" and c in (None, "4") for a, c in pairs):
        return "sotjl"
    return "fvl"


def add_weeks(day: _dt.date | None, weeks: int) -> _dt.date | None:
    """``day`` + ``weeks`` weeks: the same weekday (the last date there is, at the calendar's end).

    >>> add_weeks(_dt.date(2020, 12, 9), 4), add_weeks(_dt.date(9999, 12, 30), 3)
    (datetime.date(2021, 1, 6), datetime.date(9999, 12, 31))
    """
    if day is None:
        return None
    try:
        return day + _dt.timedelta(days=7 * weeks)
    except OverflowError:
        return _dt.date.max


def _one_year_after(day: _dt.date) -> _dt.date:
    if day.year == _dt.MAXYEAR:
        return _dt.date.max
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def assess_appeal(appeal: AppealFile, scheme: Scheme, pbrl_weeks: int, on: _dt.date) -> AppealAssessment:
    """Assess ``appeal`` of a decision under ``scheme`` (:func:`scheme_of`); ``pbrl_weeks`` is
    the rule set's ``klagefrist_uker`` on the date, ``on`` the date the appeal is handled."""
    decision = appeal.vedtak
    rule: Rule
    other_rule: Rule
    if scheme == "pbrl":
        rule, weeks, other_rule, other_weeks = "pbrl § 7-5", pbrl_weeks, "fvl § 29", FVL_WEEKS
    else:
        rule, weeks, other_rule, other_weeks = "fvl § 29", FVL_WEEKS, "pbrl § 7-5", pbrl_weeks
    start = decision.mottatt
    deadline = add_weeks(start, weeks)
    # Without the date it reached the party the deadline ends no earlier than this.
    earliest = deadline or add_weeks(decision.vedtaksdato, weeks)
    assert earliest is not None
    missing: list[str] = []
    filed: _dt.date | None = None
    filed_by: Literal["sendt", "mottatt_av_kommunen"] | None = None
    timely: bool | None = None
    if appeal.sendt is not None:
        filed, filed_by = appeal.sendt, "sendt"
    elif appeal.mottatt_av_kommunen is not None:
        filed, filed_by = appeal.mottatt_av_kommunen, "mottatt_av_kommunen"
    if filed is not None and filed <= earliest:
        timely = True
    elif filed is not None and deadline is not None and filed_by == "sendt":
        timely = False
    else:
        if deadline is None:
            missing.append(F_RECEIVED)
        if filed_by != "sendt":  # arrived after the deadline: it may have been posted in time
            missing.append(F_SENT)
    days_late = (filed - deadline).days if timely is False and filed is not None and deadline is not None else (
        0 if timely else None)

    late: AppealOutcome | None = None
    grounds: list[Ground] = []
    over_a_year = False
    if timely is False:
        assert filed is not None and start is not None
        over_a_year = filed > _one_year_after(decision.vedtaksdato)
        informed = decision.klageopplysning
        if informed is None and decision.oppgitt_klagefrist_uker is not None:
            informed = True  # a letter that printed a deadline informed of the right to appeal
        letter_deadline = add_weeks(start, decision.oppgitt_klagefrist_uker or 0)
        if informed is False:
            grounds.append("ingen_klageopplysning")
        if (decision.oppgitt_klagefrist_uker is not None and decision.oppgitt_klagefrist_uker > weeks
                and letter_deadline is not None and filed <= letter_deadline):
            grounds.append("lengre_frist_i_vedtaket")
        if appeal.sykdom_eller_fravær:
            grounds.append("sykdom_eller_fravær")
        if appeal.særlige_grunner:
            grounds.append("særlige_grunner")
        if over_a_year:
            late = "avvises"
        elif grounds:
            late = "behandles"
        else:
            unknown = [f for f, v in ((F_INFORMED, informed), (F_ILLNESS, appeal.sykdom_eller_fravær),
                                      (F_REASON, appeal.grunn_for_forsinkelse)) if v is None]
            late = "uavklart" if unknown else "avvises"
            missing += unknown

    representation: Representation = "parten"
    if appeal.fremsatt_av in ("advokat", "verge"):
        representation = "i_orden"
    elif appeal.fremsatt_av == "fullmektig":
        if appeal.skriftlig_fullmakt is None:
            representation = "uavklart"
            missing.append(F_AUTHORITY)
        else:
            representation = "i_orden" if appeal.skriftlig_fullmakt else "mangler_fullmakt"

    if timely is None:
        outcome: AppealOutcome = "uavklart"
    elif timely:
        outcome = "behandles"
    else:
        assert late is not None
        outcome = late
    letter_weeks = decision.oppgitt_klagefrist_uker
    return AppealAssessment(
        scheme=scheme, rule=rule, weeks=weeks, deadline=deadline, other_rule=other_rule, other_weeks=other_weeks,
        other_deadline=add_weeks(start, other_weeks), filed=filed, filed_by=filed_by, timely=timely,
        days_late=days_late, late=late, grounds=tuple(grounds), over_a_year=over_a_year, outcome=outcome,
        letter_weeks=letter_weeks, letter_wrong=(letter_weeks != weeks) if letter_weeks is not None else None,
        representation=representation, missing=tuple(missing), on=on)


__all__ = ["AppealAssessment", "AppealOutcome", "Ground", "PBRL_ACTS", "Representation", "Scheme", "add_weeks",
           "assess_appeal", "scheme_of"]
