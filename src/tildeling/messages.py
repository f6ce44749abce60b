"""Texts tildeling itself writes to users, in bokmål, nynorsk and English.

>>> msg("outcome.innvilget", "nn")
'Innvilga'
>>> msg("missing", "nb", facts="søker.alder")
'Saken kan ikke avgjøres før disse opplysningene er innhentet (fvl § 17): søker.alder.'
"""

from __future__ import annotations

LANGUAGES = ("nb", "nn", "en")

_CATALOG: dict[str, dict[str, str]] = {
    "outcome.innvilget": {"nb": "Innvilget", "nn": "Innvilga", "en": "Granted"},
    "outcome.delvis_innvilget": {"nb": "Delvis innvilget", "nn": "Delvis innvilga", "en": "Partly granted"},
    "outcome.avslag": {"nb": "Avslag", "nn": "Avslag", "en": "Refused"},
    "outcome.uavklart": {"nb": "Uavklart", "nn": "Uavklart", "en": "Undetermined"},
    "missing": {
        "nb": "Saken kan ikke avgjøres før disse opplysningene er innhentet (fvl § 17): {facts}.",
        "nn": "Saka kan ikkje avgjerast før desse opplysningane er henta inn (fvl § 17): {facts}.",
        "en": "The case cannot be decided until this information is obtained (fvl § 17): {facts}.",
    },
    "no_rule": {
        "nb": "Ingen regel i regelsettet passer saken; den må vurderes konkret av saksbehandler.",
        "nn": "Ingen regel i regelsettet passar saka; ho må vurderast konkret av saksbehandlar.",
        "en": "No rule in the rule set fits the case; a caseworker must assess it.",
    },
    "not_described": {
        "nb": "Regelsettet «{rule_set}» har ingen kriterier for tjenesten «{service}».",
        "nn": "Regelsettet «{rule_set}» har ingen kriterium for tenesta «{service}».",
        "en": "The rule set «{rule_set}» has no criteria for the service «{service}».",
    },
    "decided_by.lovkrav": {
        "nb": "Avgjort av et lovkrav (lovfestet rett eller forsvarlighetskravet), som går foran kommunalt skjønn.",
        "nn": "Avgjort av eit lovkrav (lovfesta rett eller kravet om forsvarlegheit), som går føre kommunalt skjønn.",
        "en": "Decided by a statutory requirement, which takes precedence over municipal discretion.",
    },
    "decided_by.kommunalt": {
        "nb": "Avgjort etter kommunens tildelingskriterier.",
        "nn": "Avgjort etter kommunen sine tildelingskriterium.",
        "en": "Decided under the municipality's allocation criteria.",
    },
    "discretion": {
        "nb": "Utfallet bygger på skjønn og krever en konkret, individuell vurdering.",
        "nn": "Utfallet byggjer på skjønn og krev ei konkret, individuell vurdering.",
        "en": "The outcome rests on discretion and requires a concrete, individual assessment.",
    },
    "assumed": {
        "nb": "Utfallet blir det samme uansett hva disse vilkårene gir: {rules}.",
        "nn": "Utfallet blir det same uansett kva desse vilkåra gir: {rules}.",
        "en": "The outcome is the same whatever these conditions give: {rules}.",
    },
    "trace_title": {"nb": "Vilkår som ble prøvd", "nn": "Vilkår som vart prøvde", "en": "Conditions tested"},
    "split": {"nb": "ukjent – prøver begge veier", "nn": "ukjend – prøver begge vegar",
              "en": "unknown – trying both ways"},
    "unknown_value": {"nb": "ukjent", "nn": "ukjend", "en": "unknown"},
    "yes": {"nb": "ja", "nn": "ja", "en": "yes"},
    "no": {"nb": "nei", "nn": "nei", "en": "no"},
    "not_relevant": {"nb": "9 (ikke relevant)", "nn": "9 (ikkje relevant)", "en": "9 (not relevant)"},
    "tried": {"nb": "forsøkt", "nn": "prøvd", "en": "tried"},
    "not_tried": {"nb": "ikke forsøkt", "nn": "ikkje prøvd", "en": "not tried"},
    "step": {"nb": "trinn", "nn": "trinn", "en": "step"},
    "score": {"nb": "Poengsum", "nn": "Poengsum", "en": "Score"},
    "amount": {"nb": "Omfang", "nn": "Omfang", "en": "Amount"},
    "alternatives": {"nb": "Lavere trinn som er vurdert (LEON)", "nn": "Lågare trinn som er vurderte (LEON)",
                     "en": "Lower-level alternatives considered (LEON)"},
    "missing_title": {"nb": "Opplysninger som mangler", "nn": "Opplysningar som manglar", "en": "Missing information"},
    "reasons": {"nb": "Begrunnelse", "nn": "Grunngjeving", "en": "Reasons"},
    "legal_basis": {"nb": "Hjemmel", "nn": "Heimel", "en": "Legal basis"},
    "staircase_step": {"nb": "Trinn i trappen", "nn": "Trinn i trappa", "en": "Staircase step"},
    "case": {"nb": "Sak", "nn": "Sak", "en": "Case"},
    "rule_set": {"nb": "Regelsett", "nn": "Regelsett", "en": "Rule set"},
    "as_of": {"nb": "vurdert per", "nn": "vurdert per", "en": "as of"},
    "addressee.pårørende": {"nb": "Vedtaket retter seg til omsorgsyteren, som er part (pbrl § 2-8).",
                            "nn": "Vedtaket rettar seg til omsorgsytaren, som er part (pbrl § 2-8).",
                            "en": "The decision is addressed to the family caregiver, who is a party (pbrl § 2-8)."},
    "letter.title": {"nb": "Vedtak om helse- og omsorgstjenester", "nn": "Vedtak om helse- og omsorgstenester",
                     "en": "Decision on health and care services"},
    "letter.samlevedtak": {"nb": "Samlet vedtak (samlevedtak) for alle tjenestene det er søkt om.",
                           "nn": "Samla vedtak (samlevedtak) for alle tenestene det er søkt om.",
                           "en": "One combined decision covering every service applied for."},
    "letter.decision": {"nb": "Vedtak", "nn": "Vedtak", "en": "Decision"},
    "letter.rules": {"nb": "Regler vedtaket bygger på", "nn": "Reglar vedtaket byggjer på",
                     "en": "Rules applied"},
    "letter.facts": {"nb": "Faktiske forhold vi har lagt til grunn", "nn": "Faktiske forhold vi har lagt til grunn",
                     "en": "Facts relied on"},
    "letter.considerations": {"nb": "Hovedhensyn i vurderingen", "nn": "Hovudomsyn i vurderinga",
                              "en": "Main considerations"},
    "letter.appeal_title": {"nb": "Du kan klage", "nn": "Du kan klage", "en": "Right of appeal"},
    "letter.appeal": {
        "nb": ("Du kan klage på vedtaket. Klagefristen er {weeks} uker fra du mottok vedtaket (pbrl § 7-5). "
               "Send klagen til kommunen, som vurderer saken på nytt. Gir kommunen deg ikke medhold, sender den "
               "klagen til Statsforvalteren (pbrl § 7-2). Du har rett til å se dokumentene i saken (fvl § 18)."),
        "nn": ("Du kan klage på vedtaket. Klagefristen er {weeks} veker frå du fekk vedtaket (pbrl § 7-5). "
               "Send klaga til kommunen, som vurderer saka på nytt. Gir kommunen deg ikkje medhald, sender han "
               "klaga til Statsforvaltaren (pbrl § 7-2). Du har rett til å sjå dokumenta i saka (fvl § 18)."),
        "en": ("You may appeal the decision within {weeks} weeks of receiving it (pbrl § 7-5). Send the appeal "
               "to the municipality, which reconsiders the case; if it upholds its decision, it forwards the appeal "
               "to Statsforvalteren (pbrl § 7-2). You have the right to see the case documents (fvl § 18)."),
    },
    "letter.support": {
        "nb": "Utkastet er laget med beslutningsstøtte (tildeling); vedtaket bygger på en individuell, faglig vurdering.",
        "nn": "Utkastet er laga med avgjerdsstøtte (tildeling); vedtaket byggjer på ei individuell, fagleg vurdering.",
        "en": "Drafted with decision support (tildeling); the decision rests on an individual professional assessment.",
    },
    "warning.no_rule_set_in_force": {
        "nb": "Ingen regelsett for {municipality} gjaldt {date}; brukte «{rule_set}» ({valid}).",
        "nn": "Ingen regelsett for {municipality} galdt {date}; brukte «{rule_set}» ({valid}).",
        "en": "No rule set for {municipality} was in force on {date}; used «{rule_set}» ({valid}).",
    },
}


def msg(key: str, lang: str = "nb", **kwargs) -> str:
    entry = _CATALOG[key]
    text = entry.get(lang) or entry["nb"]
    return text.format(**kwargs) if kwargs else text
