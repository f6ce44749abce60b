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
    "test.outcome": {"nb": "forventet {expected}, fikk {got} (regel {rule}{missing})",
                     "nn": "venta {expected}, fekk {got} (regel {rule}{missing})",
                     "en": "expected {expected}, got {got} (rule {rule}{missing})"},
    "test.outcome_missing": {"nb": "; mangler {facts}", "nn": "; manglar {facts}", "en": "; missing {facts}"},
    "test.step": {"nb": "forventet trinn {expected}, fikk {got}", "nn": "venta trinn {expected}, fekk {got}",
                  "en": "expected step {expected}, got {got}"},
    "test.reason": {"nb": "forventet begrunnelse fra regel «{rule}», fikk {got}",
                    "nn": "venta grunngjeving frå regel «{rule}», fekk {got}",
                    "en": "expected a reason from rule «{rule}», got {got}"},
    "test.missing": {"nb": "forventet manglende opplysninger {expected}, fikk {got}",
                     "nn": "venta manglande opplysningar {expected}, fekk {got}",
                     "en": "expected missing facts {expected}, got {got}"},
    "test.alternatives": {"nb": "forventet alternativene {expected}, fikk {got}",
                          "nn": "venta alternativa {expected}, fekk {got}",
                          "en": "expected the alternatives {expected}, got {got}"},
    "test.amount": {"nb": "forventet omfang {expected}, fikk {got}", "nn": "venta omfang {expected}, fekk {got}",
                    "en": "expected amount {expected}, got {got}"},
    "test.decided_by": {"nb": "forventet avgjort av {expected}, fikk {got}",
                        "nn": "venta avgjort av {expected}, fekk {got}",
                        "en": "expected decided by {expected}, got {got}"},
    "test.not_applied": {"nb": "tjenesten er ikke søkt om i saken (applied_for)",
                         "nn": "tenesta er ikkje søkt om i saka (applied_for)",
                         "en": "the case does not apply for this service (applied_for)"},
    "test.bad_case": {"nb": "ugyldig saksfil:", "nn": "ugyldig saksfil:", "en": "invalid case file:"},
    "test.fail": {"nb": "FEIL", "nn": "FEIL", "en": "FAIL"},
    "test.why": {"nb": "hvorfor", "nn": "kvifor", "en": "why"},
    "test.coverage_title": {"nb": "Dekning (grener, utfall og trinn som ingen sak når):",
                            "nn": "Dekning (greiner, utfall og trinn som inga sak når):",
                            "en": "Coverage (branches, outcomes and steps no case reaches):"},
    "test.invalid_rule_set": {"nb": "ugyldig regelsett (kjør tildeling validate)",
                              "nn": "ugyldig regelsett (køyr tildeling validate)",
                              "en": "invalid rule set (run tildeling validate)"},
    "test.branches": {"nb": "{reached}/{total} grener nådd", "nn": "{reached}/{total} greiner nådde",
                      "en": "{reached}/{total} branches reached"},
    "test.branch_missed": {"nb": "gren ikke nådd", "nn": "grein ikkje nådd", "en": "branch not reached"},
    "test.outcome_missed": {"nb": "utfall ikke nådd", "nn": "utfall ikkje nådd", "en": "outcome not reached"},
    "test.steps_missed": {"nb": "trinn ikke nådd", "nn": "trinn ikkje nådde", "en": "steps not reached"},
    "test.cases": {"nb": "{n} saker med forventninger", "nn": "{n} saker med forventningar",
                   "en": "{n} cases with expectations"},
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
    # --- what a newcomer trips on (refused formats, empty test runs, schemas) ------------------
    "cli.unknown_format": {
        "nb": "Ukjent format «{value}» for --format; bruk {formats}.",
        "nn": "Ukjent format «{value}» for --format; bruk {formats}.",
        "en": "Unknown format «{value}» for --format; use {formats}.",
    },
    "test.no_tests": {
        "nb": "Fant ingen regeltester (saker med expect:) i {paths}; ingenting er testet.",
        "nn": "Fann ingen regeltestar (saker med expect:) i {paths}; ingenting er testa.",
        "en": "Found no rule tests (cases with expect:) in {paths}; nothing was tested.",
    },
    "cli.cannot_write": {
        "nb": "kunne ikke skrive «{path}»: {reason}",
        "nn": "kunne ikkje skrive «{path}»: {reason}",
        "en": "could not write «{path}»: {reason}",
    },
    "schemas.wrote": {"nb": "skrev {path}", "nn": "skreiv {path}", "en": "wrote {path}"},
    "schemas.no_vocabulary": {
        "nb": "Fant ikke faktavokabularet «{path}».",
        "nn": "Fann ikkje faktavokabularet «{path}».",
        "en": "The fact vocabulary «{path}» was not found.",
    },
}


# `tildeling diff` (the auditors' report): labels in the text, Markdown and HTML reports.
_CATALOG.update({
    "diff.title": {"nb": "Sammenligning av regelsett", "nn": "Samanlikning av regelsett", "en": "Rule set comparison"},
    "diff.old": {"nb": "Gammelt regelsett", "nn": "Gammalt regelsett", "en": "Old rule set"},
    "diff.new": {"nb": "Nytt regelsett", "nn": "Nytt regelsett", "en": "New rule set"},
    "diff.old_short": {"nb": "Gammelt", "nn": "Gammalt", "en": "Old"},
    "diff.new_short": {"nb": "Nytt", "nn": "Nytt", "en": "New"},
    "diff.as_of": {"nb": "Vurdert per", "nn": "Vurdert per", "en": "Evaluated as of"},
    "diff.as_of_application": {"nb": "hver saks søknadsdato", "nn": "søknadsdatoen til kvar sak",
                               "en": "each case's application date"},
    "diff.versions": {"nb": "flere versjoner", "nn": "fleire versjonar", "en": "several versions"},
    "diff.used_in": {"nb": "brukt i {n} vurderinger", "nn": "brukt i {n} vurderingar", "en": "used in {n} evaluations"},
    "diff.summary": {"nb": "Sammendrag", "nn": "Samandrag", "en": "Summary"},
    "diff.files": {"nb": "Saksfiler", "nn": "Saksfiler", "en": "Case files"},
    "diff.cases": {"nb": "Saker vurdert", "nn": "Saker vurderte", "en": "Cases evaluated"},
    "diff.services": {"nb": "Tjenester vurdert (sak × tjeneste)", "nn": "Tenester vurderte (sak × teneste)",
                      "en": "Services evaluated (case × service)"},
    "diff.changed": {"nb": "Endret", "nn": "Endra", "en": "Changed"},
    "diff.unchanged": {"nb": "Uendret", "nn": "Uendra", "en": "Unchanged"},
    "diff.gains": {"nb": "Gevinst for søkeren", "nn": "Gevinst for søkjaren", "en": "Gains for the applicant"},
    "diff.losses": {"nb": "Tap for søkeren", "nn": "Tap for søkjaren", "en": "Losses for the applicant"},
    "diff.other": {"nb": "Annen endring", "nn": "Anna endring", "en": "Other change"},
    "diff.errors": {"nb": "Saksfiler med feil", "nn": "Saksfiler med feil", "en": "Case files with errors"},
    "diff.kind.gain": {"nb": "gevinst", "nn": "gevinst", "en": "gain"},
    "diff.kind.loss": {"nb": "tap", "nn": "tap", "en": "loss"},
    "diff.kind.other": {"nb": "annen endring", "nn": "anna endring", "en": "other change"},
    "diff.kind.unchanged": {"nb": "uendret", "nn": "uendra", "en": "unchanged"},
    "diff.kinds_note": {
        "nb": "Gevinst: søkeren får et bedre utfall (for eksempel avslag → innvilget). Tap: et dårligere utfall "
              "(for eksempel innvilget → avslag). Annen endring: samme utfall med annet trinn eller omfang, "
              "eller en endring til eller fra uavklart.",
        "nn": "Gevinst: søkjaren får eit betre utfall (til dømes avslag → innvilga). Tap: eit dårlegare utfall "
              "(til dømes innvilga → avslag). Anna endring: same utfall med anna trinn eller omfang, "
              "eller ei endring til eller frå uavklart.",
        "en": "Gain: a better outcome for the applicant (e.g. refused → granted). Loss: a worse outcome "
              "(e.g. granted → refused). Other change: the same outcome with another step or amount, "
              "or a change to or from undetermined.",
    },
    "diff.matrix_outcome": {"nb": "Overgangsmatrise for utfall", "nn": "Overgangsmatrise for utfall",
                            "en": "Transition matrix of outcomes"},
    "diff.matrix_step": {"nb": "Overgangsmatrise for trinn i trappen", "nn": "Overgangsmatrise for trinn i trappa",
                         "en": "Transition matrix of staircase steps"},
    "diff.matrix_note": {"nb": "Rader: gammelt regelsett. Kolonner: nytt regelsett.",
                         "nn": "Rader: gammalt regelsett. Kolonnar: nytt regelsett.",
                         "en": "Rows: old rule set. Columns: new rule set."},
    "diff.total": {"nb": "Sum", "nn": "Sum", "en": "Total"},
    "diff.no_step": {"nb": "uten trinn", "nn": "utan trinn", "en": "no step"},
    "diff.evaluated": {"nb": "Vurdert", "nn": "Vurdert", "en": "Evaluated"},
    "diff.by_service": {"nb": "Per tjeneste", "nn": "Per teneste", "en": "By service"},
    "diff.service": {"nb": "Tjeneste", "nn": "Teneste", "en": "Service"},
    "diff.chart": {"nb": "Gevinst og tap per tjeneste", "nn": "Gevinst og tap per teneste",
                   "en": "Gains and losses by service"},
    "diff.changes": {"nb": "Endrede saker", "nn": "Endra saker", "en": "Changed cases"},
    "diff.no_changes": {"nb": "Ingen sak endrer utfall, trinn eller omfang.",
                        "nn": "Inga sak endrar utfall, trinn eller omfang.",
                        "en": "No case changes outcome, step or amount."},
    "diff.change": {"nb": "Endring", "nn": "Endring", "en": "Change"},
    "diff.cause": {"nb": "Årsak", "nn": "Årsak", "en": "Cause"},
    "diff.rule": {"nb": "regel", "nn": "regel", "en": "rule"},
    "diff.decisive": {"nb": "Avgjørende regel", "nn": "Avgjerande regel", "en": "Decisive rule"},
    "diff.divergence": {"nb": "Første forskjell (punkt {n} i sporet)", "nn": "Første skilnad (punkt {n} i sporet)",
                        "en": "First divergence (event {n} of the trace)"},
    "diff.divergence2": {"nb": "Første forskjell (punkt {i} i gammelt og punkt {j} i nytt spor)",
                         "nn": "Første skilnad (punkt {i} i gammalt og punkt {j} i nytt spor)",
                         "en": "First divergence (event {i} of the old and {j} of the new trace)"},
    "diff.no_divergence": {
        "nb": "De samme vilkårene gir de samme svarene (vilkår som bare finnes i ett av settene og ikke slo til, er hoppet over).",
        "nn": "Dei same vilkåra gir dei same svara (vilkår som berre finst i eitt av setta og ikkje slo til, er hoppa over).",
        "en": "The same conditions give the same answers (conditions only one set has that did not fire are skipped).",
    },
    "diff.trace_ends": {"nb": "(sporet slutter her)", "nn": "(sporet sluttar her)", "en": "(the trace ends here)"},
    "diff.facts_involved": {"nb": "Opplysninger som inngår", "nn": "Opplysningar som inngår", "en": "Facts involved"},
    "diff.facts_hidden": {"nb": "Helseopplysninger (faktaverdier) vises bare med --show-facts; tekster viser {plassholdere}.",
                          "nn": "Helseopplysningar (faktaverdiar) blir viste berre med --show-facts; tekstar viser {plasshaldarar}.",
                          "en": "Health data (fact values) are shown only with --show-facts; texts show {placeholders}."},
    "diff.parameter": {"nb": "Parameter endret", "nn": "Parameter endra", "en": "Parameter changed"},
    "diff.cause.value": {"nb": "Vilkåret «{rule}» gir ulikt svar: {old} i gammelt, {new} i nytt regelsett.",
                         "nn": "Vilkåret «{rule}» gir ulikt svar: {old} i gammalt, {new} i nytt regelsett.",
                         "en": "The condition «{rule}» answers differently: {old} in the old, {new} in the new rule set."},
    "diff.cause.removed": {"nb": "Regelen «{rule}» finnes ikke i det nye regelsettet.",
                           "nn": "Regelen «{rule}» finst ikkje i det nye regelsettet.",
                           "en": "The rule «{rule}» is not in the new rule set."},
    "diff.cause.replaced": {"nb": "Det gamle settet prøver «{old}» der det nye prøver «{new}»; ingen av dem finnes i det andre settet.",
                            "nn": "Det gamle settet prøver «{old}» der det nye prøver «{new}»; ingen av dei finst i det andre settet.",
                            "en": "The old set tests «{old}» where the new set tests «{new}»; neither exists in the other set."},
    "diff.cause.added": {"nb": "Regelen «{rule}» er ny i det nye regelsettet.",
                         "nn": "Regelen «{rule}» er ny i det nye regelsettet.",
                         "en": "The rule «{rule}» is new in the new rule set."},
    "diff.cause.moved": {"nb": "Reglene prøves i en annen rekkefølge: «{old}» (gammelt) mot «{new}» (nytt).",
                         "nn": "Reglane blir prøvde i ei anna rekkjefølgje: «{old}» (gammalt) mot «{new}» (nytt).",
                         "en": "The rules are tried in another order: «{old}» (old) against «{new}» (new)."},
    "diff.cause.none": {"nb": "Samme vilkår og samme avgjørende regel «{rule}»; {what} er endret.",
                        "nn": "Same vilkår og same avgjerande regel «{rule}»; {what} er endra.",
                        "en": "The same conditions and decisive rule «{rule}»; {what} changed."},
    "diff.field.outcome": {"nb": "utfallet", "nn": "utfallet", "en": "the outcome"},
    "diff.field.step": {"nb": "trinnet", "nn": "trinnet", "en": "the step"},
    "diff.field.amount": {"nb": "omfanget", "nn": "omfanget", "en": "the amount"},
    "diff.and": {"nb": "og", "nn": "og", "en": "and"},
    "diff.outside": {
        "nb": "«{rule_set}» ({side}) er brukt for {n} saker utenfor gyldighetsperioden ({valid}); bruk --as-of "
              "for å vurdere per en dato der settet gjelder.",
        "nn": "«{rule_set}» ({side}) er brukt for {n} saker utanfor gyldigheitsperioden ({valid}); bruk --as-of "
              "for å vurdere per ein dato der settet gjeld.",
        "en": "«{rule_set}» ({side}) was used for {n} cases outside its validity period ({valid}); use --as-of "
              "to evaluate on a date when it applies.",
    },
    "diff.warnings": {"nb": "Merknader", "nn": "Merknader", "en": "Notes"},
    "diff.cause.unrelated": {
        "nb": "Regelsettene har ingen felles regel-id-er for tjenesten (de er ikke avledet av hverandre) og skiller lag "
              "fra første vilkår; sammenlign de avgjørende reglene.",
        "nn": "Regelsetta har ingen felles regel-id-ar for tenesta (dei er ikkje avleidde av kvarandre) og skil lag "
              "frå første vilkår; samanlikn dei avgjerande reglane.",
        "en": "The rule sets share no rule ids for the service (they are not derived from one another) and differ "
              "from the first condition; compare the decisive rules.",
    },
    "diff.cause.not_described.old": {"nb": "Det gamle regelsettet har ingen kriterier for tjenesten.",
                                     "nn": "Det gamle regelsettet har ingen kriterium for tenesta.",
                                     "en": "The old rule set has no criteria for the service."},
    "diff.cause.not_described.new": {"nb": "Det nye regelsettet har ingen kriterier for tjenesten.",
                                     "nn": "Det nye regelsettet har ingen kriterium for tenesta.",
                                     "en": "The new rule set has no criteria for the service."},
    "diff.error_title": {"nb": "Saksfiler som ikke kunne vurderes", "nn": "Saksfiler som ikkje kunne vurderast",
                         "en": "Case files that could not be evaluated"},
    "diff.intro": {
        "nb": "Hver sak i utvalget er vurdert etter begge regelsettene. En endring betyr at utfallet, trinnet i "
              "omsorgstrappen eller omfanget blir et annet. Tallene gjelder sakene i utvalget, ikke alle innbyggere, "
              "og regelmotoren er beslutningsstøtte: hvert vedtak bygger på en individuell vurdering.",
        "nn": "Kvar sak i utvalet er vurdert etter begge regelsetta. Ei endring tyder at utfallet, trinnet i "
              "omsorgstrappa eller omfanget blir eit anna. Tala gjeld sakene i utvalet, ikkje alle innbyggjarar, "
              "og regelmotoren er avgjerdsstøtte: kvart vedtak byggjer på ei individuell vurdering.",
        "en": "Every case in the corpus was evaluated under both rule sets. A change means that the outcome, the "
              "staircase step or the amount differs. The figures concern the cases in the corpus, not all "
              "residents, and the engine supports decisions: every decision rests on an individual assessment.",
    },
})


def msg(key: str, lang: str = "nb", **kwargs) -> str:
    entry = _CATALOG[key]
    text = entry.get(lang) or entry["nb"]
    return text.format(**kwargs) if kwargs else text
