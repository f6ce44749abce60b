"""Synthetic populations: applicants for municipal health and care services, drawn from
documented distributions (docs/populasjon.md gives them with their sources).

One person is drawn at a time in the sense of the model, but a whole chunk of people is
drawn at once with numpy (vectorised): 1,000,000 cases take seconds. The model:

1. **Age band** (0–17, 18–49, 50–66, 67–79, 80–89, 90+) from the age profile of recipients
   of home-based services (SSB/KPR, approximate); age uniform within the band.
2. **Functional loss** ``L`` in [0, 1], a Beta draw whose mean rises with the band; the
   IPLOS distribution by band (KOSTRA: «noe/avgrenset», «middels til stort», «omfattende»
   bistandsbehov) is matched roughly.
3. **Dementia** with a probability that rises with age and with ``L``; **cognitive
   impairment** follows from it.
4. The **17 IPLOS variables** of the vocabulary: a score 1–5 from ``L`` weighted per variable
   (household tasks are lost first, eating last; memory, decisions and behaviour follow
   cognition; sight and hearing follow age), with noise; 9 («ikke relevant») for children on
   the household variables.
5. **Household** (lives alone, other adults), **diagnoses** (mental illness, substance use,
   intellectual disability, terminal illness), **health needs**, **next of kin**,
   **medication**, **safety**, **services received** and **tried**, all tied to age, ``L``
   and dementia; every other fact of the vocabulary plainly (:func:`_background`), so that
   with ``missing`` 0 a case is complete.
6. **Services applied for**: one, sometimes two, weighted by need (alarm and practical help
   for light needs, home nursing and short stays for more, long-term places for the most).
7. Every fact is **unknown** (left out) with probability ``missing`` (default 10 %; the birth
   date a fifth as often, 2 %), independently: a real file is rarely complete.

8. For a **merged municipality**, the applicant's **former municipality** (``former_municipality``),
   drawn by the population shares of the legacy municipalities (:data:`LEGACY_POPULATION`,
   approximate SSB figures for 2019) from a random stream of its own, so that every other
   column is the same as without it.

Deterministic: the same ``n``, ``seed``, municipality, date and ``missing`` give the same
cases (numpy's PCG64 generator, chunks drawn in order).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Iterator

CHUNK = 100_000  # people drawn at once

BANDS = ("0-17", "18-49", "50-66", "67-79", "80-89", "90+")
BAND_P = (0.05, 0.16, 0.16, 0.22, 0.27, 0.14)  # share of applicants per band
BAND_AGES = ((3, 17), (18, 49), (50, 66), (67, 79), (80, 89), (90, 102))
LOSS_MEAN = (0.30, 0.30, 0.34, 0.40, 0.52, 0.62)  # mean functional loss per band
LOSS_CONCENTRATION = 4.0  # Beta(a, b) with a + b = 4: wide spread within a band
DEMENTIA_P = (0.0, 0.002, 0.02, 0.10, 0.26, 0.40)  # at average loss; scaled by (0.4 + 1.2 L)
ALONE_P = (0.0, 0.42, 0.48, 0.50, 0.62, 0.74)
PSYCH_P = (0.06, 0.32, 0.20, 0.08, 0.05, 0.04)
SUBSTANCE_P = (0.0, 0.12, 0.09, 0.03, 0.01, 0.005)
DISABILITY_P = (0.18, 0.08, 0.03, 0.005, 0.0, 0.0)
TERMINAL_P = (0.002, 0.004, 0.02, 0.03, 0.03, 0.04)
KIN_P = 0.78

# IPLOS: variable → (weight on functional loss, weight on cognition, weight on age)
IPLOS = {
    "sosial_deltakelse": (0.75, 0.35, 0.0),
    "beslutninger": (0.25, 0.85, 0.0),
    "atferd": (0.10, 0.55, 0.0),
    "hukommelse": (0.25, 0.95, 0.05),
    "kommunikasjon": (0.35, 0.55, 0.05),
    "syn": (0.25, 0.0, 0.35),
    "hørsel": (0.25, 0.0, 0.45),
    "husarbeid": (1.35, 0.15, 0.0),
    "innkjøp": (1.30, 0.20, 0.0),
    "matlaging": (1.20, 0.25, 0.0),
    "egen_helse": (1.05, 0.35, 0.0),
    "personlig_hygiene": (0.95, 0.15, 0.0),
    "påkledning": (0.85, 0.15, 0.0),
    "spise": (0.50, 0.10, 0.0),
    "toalett": (0.75, 0.10, 0.0),
    "bevege_innendørs": (0.75, 0.0, 0.05),
    "bevege_utendørs": (1.10, 0.05, 0.10),
}
CHILD_NOT_RELEVANT = ("husarbeid", "innkjøp", "matlaging", "egen_helse")

# Services applied for: id → weight as a function of (loss, age band, dementia, psych, kin)
SERVICES = ("trygghetsalarm", "praktisk_bistand", "hverdagsrehabilitering", "helsetjenester_i_hjemmet",
            "legemiddelhåndtering", "dagaktivitetstilbud", "korttidsopphold", "langtidsopphold", "omsorgsbolig",
            "heldøgns_bolig", "avlastning", "omsorgsstønad", "bpa", "støttekontakt", "psykisk_helse_rus")

# Inhabitants of the legacy municipalities in 2019 (approximate SSB figures, recalled, not re-read:
# docs/populasjon.md): the weights of ``former_municipality`` in a generated merged population.
LEGACY_POPULATION = {"drammen": 69_000, "nedre eiker": 25_000, "svelvik": 6_700,
                     "lindås": 15_800, "meland": 8_300, "radøy": 5_100}
FORMER_STREAM = 1  # the random stream of former_municipality: PCG64([seed, 1])

MISSING = 0.10  # default share of facts left out
BIRTH_DATE_SHARE = 0.2  # the birth date is unknown a fifth as often as other facts (2 % by default)


@dataclass(frozen=True)
class Coded:
    """A column of texts as codes into ``labels`` (vectorised; -1: absent)."""

    codes: Any
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Slots:
    """A column of lists of texts: item ``k`` is ``labels[slots[k][i]]`` when that code is
    not -1; the lists keep the order of the slots."""

    slots: tuple[Any, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Population:
    """What to draw: ``n`` cases of ``municipality`` with application dates in the year up
    to ``date``; ``services``: the services they may apply for (those every rule set of the
    municipality describes)."""

    n: int
    seed: int
    municipality: str
    date: _dt.date
    services: tuple[str, ...] = SERVICES
    missing: float = MISSING
    prefix: str = "syn"
    background: tuple[tuple[str, str, float | None, float | None, tuple[str, ...]], ...] = ()
    """The other facts of the vocabulary: (path, type, minimum, maximum, values), drawn
    plainly (:func:`_background`) so that a case can be complete (``missing`` 0)."""
    former: tuple[tuple[str, float], ...] = ()
    """For a merged municipality: its legacy municipalities with their weights (inhabitants);
    each case's ``former_municipality`` is drawn from them. Empty: no such column."""


def former_weights(municipalities: list[str]) -> tuple[tuple[str, float], ...]:
    """The legacy municipalities with their weights: inhabitants in 2019 where
    :data:`LEGACY_POPULATION` knows every one of them, else equal weights."""
    known = [LEGACY_POPULATION.get(" ".join(m.casefold().split())) for m in municipalities]
    if all(k is not None for k in known):
        return tuple((m, float(k)) for m, k in zip(municipalities, known))  # type: ignore[arg-type]
    return tuple((m, 1.0) for m in municipalities)


def chunks(pop: Population, size: int = CHUNK) -> Iterator[dict[str, Any]]:
    """The population in chunks of ``size`` people, each a dict of columns in the flat
    Parquet schema (:mod:`tildeling.corpus.parquet`): numpy arrays (masked where unknown:
    ``(values, known)`` pairs; texts as :class:`Coded`, lists as :class:`Slots`)."""
    import numpy as np
    rng = np.random.Generator(np.random.PCG64(pop.seed))
    former = np.random.Generator(np.random.PCG64([pop.seed, FORMER_STREAM])) if pop.former else None
    for start in range(0, pop.n, size):
        n = min(size, pop.n - start)
        cols = _draw(rng, pop, start, n)
        if former is not None:
            weights = np.array([w for _, w in pop.former], dtype=float)
            cols["former_municipality"] = Coded(former.choice(len(pop.former), size=n, p=weights / weights.sum()),
                                                tuple(m for m, _ in pop.former))
        yield cols


def _draw(rng: Any, pop: Population, start: int, n: int) -> dict[str, Any]:
    import numpy as np
    band = rng.choice(len(BANDS), size=n, p=np.array(BAND_P) / sum(BAND_P))
    lo = np.array([a for a, _ in BAND_AGES])[band]
    hi = np.array([b for _, b in BAND_AGES])[band]
    age = lo + np.floor(rng.random(n) ** (1.6 * (band == 5) + 1.0 * (band != 5)) * (hi - lo + 1)).astype(np.int64)
    mean = np.array(LOSS_MEAN)[band]
    loss = rng.beta(mean * LOSS_CONCENTRATION, (1 - mean) * LOSS_CONCENTRATION)
    dementia = rng.random(n) < np.minimum(np.array(DEMENTIA_P)[band] * (0.4 + 1.2 * loss) / 0.8, 0.95)
    # cognition 0..1: 0 none, about .3 light, .6 moderate, .9 severe
    severity = np.where(dementia, rng.choice(3, size=n, p=[0.30, 0.45, 0.25]) + 1,
                        np.where(rng.random(n) < 0.04 + 0.10 * (band >= 4), 1, 0))
    cognition = severity / 3.0
    cols: dict[str, Any] = {}
    app_offset = rng.integers(0, 365, size=n)
    application = np.datetime64(pop.date) - app_offset.astype("timedelta64[D]")
    born_days = rng.integers(0, 363, size=n)
    born = application - (age * 365.25 + born_days).astype("timedelta64[D]") - np.timedelta64(1, "D")
    # the age derived from the birth date must be the drawn age: born ``age`` years and some days earlier
    cols["start"] = start
    cols["n"] = n
    cols["application_date"] = application
    facts: dict[str, tuple[Any, Any]] = {}

    def known(rate: float = pop.missing) -> Any:
        return rng.random(n) >= rate

    facts["søker.fødselsdato"] = (born, known(pop.missing * BIRTH_DATE_SHARE))
    alone = (rng.random(n) < np.array(ALONE_P)[band]) & (band > 0)
    facts["søker.bor_alene"] = (alone, known())
    others = np.where(alone, 0, np.where(band == 0, 2, 1 + (rng.random(n) < 0.12)))
    facts["husstand.andre_voksne"] = (others.astype(np.int64), known())
    # IPLOS
    age_factor = np.clip((age - 60) / 40.0, 0, 1)
    for var, (w_loss, w_cog, w_age) in IPLOS.items():
        x = w_loss * loss + w_cog * cognition + w_age * age_factor + rng.normal(0, 0.12, n) - 0.04
        score = 1 + np.floor(np.clip(x, 0, 0.999) * 5).astype(np.int64)
        if var in CHILD_NOT_RELEVANT:
            score = np.where((band == 0) & (rng.random(n) < 0.7), 9, score)
        facts[f"funksjon.{var}"] = (score, known())
    # cognition and diagnoses
    grades = ("ingen", "lett", "moderat", "alvorlig")
    facts["tilstand.kognitiv_svikt"] = (Coded(severity, grades), known())
    diagnosed = dementia & (rng.random(n) < 0.8)
    facts["tilstand.demensdiagnose"] = (diagnosed, known() & (diagnosed | ~dementia | (rng.random(n) < 0.5)))
    facts["tilstand.kognitiv_svikt_utredet"] = (diagnosed | (rng.random(n) < 0.2), known())
    psych = rng.random(n) < np.array(PSYCH_P)[band]
    psych_level = np.where(psych, rng.choice(3, size=n, p=[0.45, 0.40, 0.15]) + 1, 0)
    facts["tilstand.psykisk_lidelse"] = (Coded(psych_level, grades), known())
    substance = rng.random(n) < np.array(SUBSTANCE_P)[band]
    facts["tilstand.rus"] = (Coded(np.where(substance, np.where(rng.random(n) < 0.4, 2, 1), 0),
                                   ("ingen", "risikofylt", "avhengighet")), known())
    facts["tilstand.utviklingshemming"] = (rng.random(n) < np.array(DISABILITY_P)[band], known())
    terminal = rng.random(n) < np.array(TERMINAL_P)[band] * (0.5 + loss)
    facts["tilstand.terminal"] = (terminal, known())
    facts["tilstand.plutselig_funksjonsfall"] = (rng.random(n) < 0.06 + 0.10 * loss, known())
    facts["tilstand.sammensatte_behov"] = ((loss > 0.6) & (psych | dementia | substance), known())
    # health
    facts["helse.behov_tilsyn_døgnet_rundt"] = ((loss > 0.82) | (severity == 3) | terminal, known())
    facts["helse.nattlig_behov"] = ((loss > 0.65) & (rng.random(n) < 0.7) | (severity >= 2) & (rng.random(n) < 0.4),
                                    known())
    treatment = np.digitize(loss + rng.normal(0, 0.12, n), [0.3, 0.55, 0.8])
    facts["helse.medisinsk_behandlingsbehov"] = (Coded(treatment, ("ingen", "lite", "moderat", "omfattende")),
                                                 known())
    facts["helse.rehabiliteringspotensial"] = (rng.random(n) < 0.75 - 0.6 * loss, known())
    facts["helse.motivert_for_trening"] = (rng.random(n) < 0.7 - 0.3 * cognition, known())
    facts["helse.utskrivningsklar"] = (rng.random(n) < 0.05 + 0.08 * (band >= 3), known())
    facts["helse.fall_siste_3_mnd"] = (np.minimum(rng.poisson(0.1 + 1.4 * loss * age_factor), 100), known())
    facts["helse.gått_seg_bort_antall"] = (np.where(dementia, np.minimum(rng.poisson(0.4 * severity), 100), 0),
                                           known())
    facts["helse.forlatt_hjemmet_om_natten"] = (dementia & (rng.random(n) < 0.1 * severity), known())
    facts["helse.sårbehandling"] = (rng.random(n) < 0.03 + 0.08 * loss, known())
    facts["helse.kan_reise_til_fastlege"] = (loss + rng.normal(0, 0.1, n) < 0.55, known())
    # next of kin
    kin = rng.random(n) < KIN_P
    relations = ("ektefelle", "forelder_til_barn_under_18", "forelder_til_voksen", "barn", "annen")
    relation = Coded(np.where(band == 0, 1, np.where(~alone & (band >= 3), 0,
                                                     np.where(band <= 2, np.where(band == 1, 2, 4), 3))), relations)
    facts["pårørende.finnes"] = (kin, known())
    facts["pårørende.relasjon"] = (relation, known() & kin)  # no next of kin: no relation to name
    hours = np.round(np.minimum(rng.gamma(1.5, 4 + 16 * loss), 168), 1)
    facts["pårørende.omsorgstimer_per_uke"] = (np.where(kin, hours, 0.0), known())
    facts["pårørende.ønsker_avlastning"] = (kin & (rng.random(n) < 0.15 + 0.4 * loss), known())
    facts["pårørende.helse_svekket"] = (kin & (rng.random(n) < 0.1 + 0.2 * loss * (band >= 3)), known())
    facts["pårørende.fødselsdato"] = (application - ((np.where(band >= 3, 45, 30) + rng.integers(0, 30, n)) * 365.25
                                                     ).astype("timedelta64[D]"), known() & kin)
    # medication, safety
    facts["legemidler.trenger_hjelp_dosering"] = ((loss > 0.5) | (severity >= 2), known())
    facts["legemidler.trenger_hjelp_huske"] = (severity >= 1, known())
    facts["legemidler.egnet_for_multidose"] = (rng.random(n) < 0.7, known())
    facts["trygghet.kan_utløse_alarm"] = (severity <= 1, known())
    facts["trygghet.utrygghet"] = (rng.random(n) < 0.1 + 0.3 * alone * age_factor, known())
    facts["trygghet.risiko_plutselig_hjelpebehov"] = (rng.random(n) < 0.1 + 0.4 * loss * age_factor, known())
    facts["aktivitet.sosialt_isolert"] = (rng.random(n) < 0.1 + 0.3 * alone, known())
    facts["behov.timer_per_uke"] = (np.round(np.minimum(40 * loss ** 1.7 + rng.gamma(1.2, 1.0, n), 168), 1), known())
    # services received and tried (ids only)
    receives = [rng.random(n) < p for p in (np.clip(1.2 * loss - 0.2, 0, 0.9),      # praktisk_bistand
                                            np.clip(1.3 * loss - 0.45, 0, 0.9),     # helsetjenester_i_hjemmet
                                            0.5 * age_factor * (0.5 + alone))]       # trygghetsalarm
    names = ("praktisk_bistand", "helsetjenester_i_hjemmet", "trygghetsalarm")
    facts["tjenester.mottar"] = (Slots(tuple(np.where(r, k, -1) for k, r in enumerate(receives)), names), known())
    tried_rehab = (band >= 3) & (rng.random(n) < 0.2)
    facts["tjenester.forsøkt"] = (Slots((np.where(tried_rehab, 0, -1),), ("hverdagsrehabilitering",)), known())
    cols["applied_for"] = _applied(rng, pop, n, band, loss, dementia, psych | substance, kin)
    for path, kind, lo, hi, values in pop.background:
        if path not in facts:
            drawn = _background(rng, n, path, kind, lo, hi, values, loss)
            if drawn is not None and path.startswith("pårørende.") and isinstance(drawn, np.ndarray):
                drawn = kin & drawn if drawn.dtype == bool else np.where(kin, drawn, 0)  # no next of kin: none
            if drawn is not None:
                facts[path] = (drawn, known())
    cols["facts"] = facts
    return cols


_CAPABLE = ("kan_", "har_", "samtykke", "egnet", "motivert", "forstår", "finnes", "håndterer")


def _background(rng: Any, n: int, path: str, kind: str, lo: float | None, hi: float | None,
                values: tuple[str, ...], loss: Any) -> Any:
    """A plain draw for a fact the model does not describe: yes/no facts true for 5–20 %
    (rising with functional loss), or for 30–80 % when the fact names a capability or
    something present (``kan_…``, ``har_…``, ``samtykker…``, ``egnet``; falling with loss);
    numbers small (a gamma draw with mean 2, within the fact's range); choices mostly
    ``ingen`` where that is a value; lists empty. Dates and texts are not drawn."""
    import numpy as np
    key = path.partition(".")[2]
    if kind == "janei":
        capable = any(key.startswith(c) or c in key for c in _CAPABLE)
        return rng.random(n) < ((0.8 - 0.5 * loss) if capable else (0.05 + 0.15 * loss))
    if kind in ("tall", "heltall"):
        x = rng.gamma(1.0, 2.0, n)
        x = np.clip(x, lo if lo is not None else 0.0, hi if hi is not None else 1e6)
        return np.floor(x).astype(np.int64) if kind == "heltall" else np.round(x, 1)
    if kind == "valg" and values:
        first = values.index("ingen") if "ingen" in values else 0
        return Coded(np.where(rng.random(n) < 0.8, first, rng.integers(0, len(values), n)), values)
    if kind in ("liste", "historikk"):
        return Slots((np.full(n, -1),), ("",))
    return None


def _applied(rng: Any, pop: Population, n: int, band: Any, loss: Any, dementia: Any, psych: Any,
             kin: Any) -> Slots:
    import numpy as np
    old = band >= 3
    w = {
        "trygghetsalarm": 1.2 * old * (loss < 0.5),
        "praktisk_bistand": 1.5 * (loss > 0.15) * (loss < 0.7),
        "hverdagsrehabilitering": 0.6 * old * (loss > 0.2) * (loss < 0.55),
        "helsetjenester_i_hjemmet": 1.8 * (loss > 0.35),
        "legemiddelhåndtering": 0.5 * (loss > 0.3) + 0.4 * dementia,
        "dagaktivitetstilbud": 1.0 * dementia * (loss < 0.8),
        "korttidsopphold": 0.8 * (loss > 0.55),
        "langtidsopphold": 1.4 * (loss > 0.75) * old,
        "omsorgsbolig": 0.3 * (loss > 0.45) * (loss < 0.8),
        "heldøgns_bolig": 0.4 * (loss > 0.7),
        "avlastning": 0.5 * kin * (loss > 0.45),
        "omsorgsstønad": 0.2 * kin * (loss > 0.5),
        "bpa": 0.5 * (band <= 2) * (loss > 0.45),
        "støttekontakt": 0.5 * (band <= 2) * (loss < 0.6),
        "psykisk_helse_rus": 1.5 * psych * (band >= 1),
    }
    allowed = [s for s in SERVICES if s in pop.services]
    weights = np.stack([np.asarray(w[s], dtype=float) + 0.02 for s in allowed], axis=1)
    cum = np.cumsum(weights, axis=1)
    cum /= cum[:, -1:]
    first = (rng.random((n, 1)) > cum).sum(axis=1)
    second = (rng.random((n, 1)) > cum).sum(axis=1)
    two = (rng.random(n) < 0.25) & (second != first)
    return Slots((first, np.where(two, second, -1)), tuple(allowed))


__all__ = ["BANDS", "CHUNK", "IPLOS", "MISSING", "Coded", "Population", "SERVICES", "Slots", "chunks"]
