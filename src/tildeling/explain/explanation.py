"""Explanations: turn raw decisions (and, with ``--explain``, the trace) into the outcome
that the JSON contract, the terminal and the decision letter show.

Everything here is a pure function of what the evaluator recorded: the rules taken, the
facts they used, the leaf's reason template, the citations. Legal references are printed
in the numbering in force on the case's date.
"""

from __future__ import annotations

import datetime as _dt
from operator import attrgetter, itemgetter
from typing import Any, Callable, Iterable

from tildeling.evaluation.decision import RawDecision, Walk
from tildeling.evaluation.initiative import RULE_SUFFIX
from tildeling.evaluation.plan import Citation, CompiledRuleSet, CService
from tildeling.evaluation.trace import Tracer
# STATSFORVALTER_FROM, jsonable, render_template and show_value are also imported from here.
from tildeling.explain.appeal_rights import STATSFORVALTER_FROM, appeal, appeal_of  # noqa: F401
from tildeling.explain.sources import GIVEN, sources_function, with_notes
from tildeling.explain.texts import Env, jsonable, render_template, show_value, template_function  # noqa: F401
from tildeling.files.outcome import LANGUAGES, Alternative, Amount, Appeal, CaseOutcome, Decision, Lang, Reason, RuleSetRef, Score, ScoreComponent, TraceEvent
from tildeling.i18n.messages import msg
from tildeling.language.logic import UNKNOWN
from tildeling.rules.checked import RuleSet

_PLAIN = frozenset((bool, int, str))
_ABSENT = object()
#: How a prebuilt decision is explained: (constant, explain, shared, key, table) (see _prebuilt_explainer).
Explainer = tuple[Any, Callable[[Env], Decision], bool, Any, Any]
#: What every outcome of a rule set, language and date shares: (rule set, as_of, language).
Head = tuple[RuleSetRef, str, Lang]


def _cite(crs: CompiledRuleSet, citations: tuple[Citation, ...], on: _dt.date) -> str:
    return crs.cite(citations, on)


def _fact_keys(service: CService, path: tuple[str, ...]) -> tuple[str, ...]:
    """The facts an explanation shows for a path: what its conditions and texts used."""
    keys = service.facts_cache.get(path)
    if keys is None:
        used: set[str] = set()
        for rid in path:
            r = service.index.get(rid)
            if r is not None:
                used |= r.depends_on
                if r.reason is not None:
                    used |= r.reason.placeholder_facts
        keys = tuple(sorted(used))
        service.facts_cache[path] = keys
    return keys


def _relied_on(service: CService, path: tuple[str, ...]) -> tuple[str, ...]:
    """The facts of every condition the decision went through: the rules on ``path`` and
    the rules tested (and not taken) before each of them in its list. Derived and assessed
    facts among these are shown with their source (:mod:`tildeling.explain.sources`)."""
    key = ("relied", path)
    found = service.facts_cache.get(key)
    if found is None:
        used: set[str] = set()
        rules = service.tree
        for rid in path:
            before: set[str] = set()
            for r in rules:
                before |= r.depends_on
                if r.id == rid:
                    used |= before
                    rules = r.children or ()
                    break
            else:  # a rule of a nested list (an undecided rule): its own facts only
                nested = service.index.get(rid)
                if nested is not None:
                    used |= nested.depends_on
                break
        found = tuple(sorted(used))
        service.facts_cache[key] = found
    return found


def _reason(crs: CompiledRuleSet, service: CService, rule: str, legal: str, text: str, path: tuple[str, ...],
            env: Env, lang: str) -> Reason:
    """A reason with the facts of ``path``, derived ones included, and their sources."""
    keys = _fact_keys(service, path)
    facts = {f: jsonable(env[f]) for f in keys if f in env}
    found = sources_function(crs, service, keys, lang, jsonable, _relied_on(service, path))
    if found is None:
        return Reason(rule, legal, text, facts, dict.fromkeys(facts, GIVEN))
    facts, sources, notes = found.fn(facts, env)
    return Reason(rule, legal, with_notes(text, notes), facts, sources)


def explain_decision(crs: CompiledRuleSet, raw: RawDecision, env: Env, on: _dt.date, lang: str) -> Decision:
    """The outcome of one service, with its reasons in ``lang``. A decision made on the
    municipality's own initiative says so, and why (its last reason)."""
    if raw.initiative == "kommunen":
        return _own_initiative(crs, _explain(crs, raw, env, on, lang), env, on, lang)
    # The common case inline (one call per decision instead of three): a service of the rule
    # set, applied for in the short form, whose tree reached a leaf with every condition known.
    service = crs.services.get(raw.service)
    walk = raw.walk
    if (service is not None and raw.applied is None and raw.form is None and walk is not None
            and walk.leaf is not None and not walk.assumed):
        build = service.explain_cache.get((walk.path, lang, on))
        if build is not None:
            return build(raw, env)
    return _explain(crs, raw, env, on, lang)


def _own_initiative(crs: CompiledRuleSet, d: Decision, env: Env, on: _dt.date, lang: str) -> Decision:
    oi = crs.initiative[d.service]
    d.initiative = "kommunen"  # d is a new object (builders make one per call)
    d.reasons = d.reasons + (Reason(d.service + RULE_SUFFIX, _cite(crs, oi.legal, on) or d.legal_basis,
                                    render_template(oi.reason, env, lang),
                                    {f: jsonable(env[f]) for f in oi.deps if f in env}),)
    return d


def _explain(crs: CompiledRuleSet, raw: RawDecision, env: Env, on: _dt.date, lang: str) -> Decision:
    service = crs.services.get(raw.service)
    if service is None:
        return _not_described(crs, raw, lang)
    if raw.applied is not None:
        from tildeling.explain.parts import explain_application
        return explain_application(crs, service, raw, env, on, lang)
    decision = explain_service(crs, service, raw, env, on, lang)
    if raw.form is not None:  # a leaf that names the form it grants
        decision.form = raw.form
    return decision


def explain_service(crs: CompiledRuleSet, service: CService, raw: RawDecision, env: Env, on: _dt.date,
                    lang: str) -> Decision:
    """The decision of one service's tree (or a part's list), with its reasons in ``lang``."""
    walk = raw.walk
    if walk is not None and walk.leaf is not None and not walk.assumed:
        # The common case: a leaf reached with every condition known. A builder holding
        # everything that does not depend on the case is made once per (path, language, date).
        key = (walk.path, lang, on)
        build = service.explain_cache.get(key)
        if build is None:
            build = _decision_builder(crs, service, walk, on, lang)
            if len(service.explain_cache) < 50_000:
                service.explain_cache[key] = build
        return build(raw, env)
    return _undecided_decision(crs, service, raw, env, on, lang)


def _decision_builder(crs: CompiledRuleSet, service: CService, walk: Walk, on: _dt.date,
                      lang: str) -> Callable[[RawDecision, Env], Decision]:
    leaf = walk.leaf
    path = walk.path
    base = _cite(crs, service.legal, on)
    leaf_legal = _cite(crs, leaf.legal, on) or base
    text = template_function(leaf.reason, lang)
    fixed_text, text_fn = (text, None) if isinstance(text, str) else ("", text)
    fact_keys = _fact_keys(service, path)
    found = sources_function(crs, service, fact_keys, lang, jsonable, _relied_on(service, path))
    sources_fn = found.fn if found is not None else None
    given_when = found.all_given_when if found is not None else frozenset()
    sid, name, addressee = service.id, service.name.get(lang), service.addressee
    layer, discretion, rid = leaf.layer, leaf.discretion, leaf.id
    has_score, has_alternatives = bool(service.score), bool(service.alternatives)
    plain, absent = _PLAIN, _ABSENT
    # The sources when every fact shown is given (the common case): one dict, shared by the
    # outcomes this builder makes (an outcome is read-only), instead of one per case.
    all_given = dict.fromkeys(fact_keys, GIVEN)
    n_keys = len(fact_keys)

    def build(raw: RawDecision, env: Env) -> Decision:
        facts = {f: (v if type(v) in plain else jsonable(v)) for f in fact_keys
                 if (v := env.get(f, absent)) is not absent}
        reason_text = fixed_text if text_fn is None else text_fn(env)
        if sources_fn is None or (given_when is not None and env.keys() >= given_when):
            sources = all_given if len(facts) == n_keys else dict.fromkeys(facts, GIVEN)
        else:
            facts, sources, notes = sources_fn(facts, env)
            reason_text = with_notes(reason_text, notes)
        # Positional arguments, in the order of Decision's fields (the fastest call).
        return Decision(
            sid,  # service
            name,  # service_name
            base,  # legal_basis
            raw.outcome,  # outcome
            raw.step,  # step
            _score(service, raw, lang) if has_score else None,  # score
            (Reason(
                rid,  # rule
                leaf_legal,  # legal_basis
                reason_text,  # text
                facts,  # facts
                sources,  # sources
            ),),  # reasons
            (),  # missing
            _alternatives(service, raw, env, lang) if has_alternatives else (),  # alternatives
            layer,  # decided_by
            discretion,  # discretion
            addressee,  # addressee
            _amount(service, raw.walk, raw, lang) if raw.amount is not None else None,  # amount
            path,  # rule_path
        )

    return build


def _not_described(crs: CompiledRuleSet, raw: RawDecision, lang: str) -> Decision:
    reason = Reason(rule="tjeneste-ikke-beskrevet", legal_basis="", facts={},
                    text=msg("not_described", lang, rule_set=crs.ruleset.id, service=raw.service))
    return Decision(service=raw.service, service_name=raw.service, legal_basis="", outcome="uavklart", step=None,
                    score=None, reasons=(reason,), missing=(), alternatives=(), decided_by=None, discretion=False,
                    addressee="søker", amount=None, rule_path=())


def _score(service: CService, raw: RawDecision, lang: str) -> Score:
    labels = {c.id: c for c in service.score}
    # Positional arguments (id, label, weight, points) and (value, components): the fastest call.
    return Score(jsonable(raw.score), tuple([ScoreComponent(cid, labels[cid].label.get(lang), labels[cid].weight,
                                                            jsonable(pts)) for cid, pts in raw.score_parts]))


def _amount(service: CService, walk: Walk | None, raw: RawDecision, lang: str) -> Amount | None:
    if raw.amount is None or raw.amount is UNKNOWN:
        return None
    leaf_unit = walk.leaf.amount_unit if walk and walk.leaf and walk.leaf.amount else None
    unit = leaf_unit or service.amount_unit
    return Amount(jsonable(raw.amount), unit.get(lang) if unit else "")  # (value, unit)


def _alternatives(service: CService, raw: RawDecision, env: Env, lang: str) -> tuple[Alternative, ...]:
    tried = env.get("tjenester.forsøkt", ())
    known = "tjenester.forsøkt" in env and tried is not UNKNOWN
    out = []
    for alt in service.alternatives:
        if raw.step is not None and alt.step > raw.step:
            continue
        # Offered only when its condition holds: an unknown condition is not an offer.
        if alt.when is not None and alt.when(env) is not True:
            continue
        out.append(Alternative(  # positional, in field order: the fastest call
            alt.service,  # service
            alt.step,  # step
            alt.name.get(lang) if alt.name else alt.service.replace("_", " "),  # name
            render_template(alt.reason, env, lang),  # text
            (alt.service in tried) if known else None,  # tried
        ))
    return tuple(out)


def _undecided_decision(crs: CompiledRuleSet, service: CService, raw: RawDecision, env: Env, on: _dt.date,
                        lang: str) -> Decision:
    """Outcomes that needed both ways of an unknown condition, or no rule matched."""
    rs = crs.ruleset
    base_legal = _cite(crs, service.legal, on)
    walk = raw.walk
    reasons = []
    missing: tuple[str, ...] = ()
    decided_by = None
    discretion = False
    if walk is None or walk.leaf is None:
        if walk is None:
            reasons.append(Reason(rule=f"{service.id}.ingen-regel", legal_basis=base_legal,
                                  text=msg("no_rule", lang), facts={}))
        else:
            missing = tuple(sorted(walk.missing))
            labels = ", ".join(_fact_label(rs, f, lang) for f in missing)
            r = walk.undecided[0]
            # One reason names every missing fact; the rules involved are in rule_path.
            reasons.append(_reason(crs, service, r.id, _cite(crs, r.legal, on) or base_legal,
                                   msg("missing", lang, facts=labels), (r.id,), env, lang))
    else:
        leaf = walk.leaf
        decided_by = leaf.layer
        discretion = leaf.discretion
        reasons.append(_reason(crs, service, leaf.id, _cite(crs, leaf.legal, on) or base_legal,
                               render_template(leaf.reason, env, lang), walk.path, env, lang))
        if walk.assumed:
            reasons.append(Reason(rule=walk.assumed[0], legal_basis="",
                                  text=msg("assumed_plain", lang), facts={}))
    return Decision(
        service=service.id,
        service_name=service.name.get(lang),
        legal_basis=base_legal,
        outcome=raw.outcome,
        step=_undecided_step(service, raw) if raw.outcome == "uavklart" else raw.step,
        score=_score(service, raw, lang) if service.score else None,
        reasons=tuple(reasons),
        missing=missing,
        alternatives=_alternatives(service, raw, env, lang) if service.alternatives else (),
        decided_by=decided_by,
        discretion=discretion,
        addressee=service.addressee,
        amount=_amount(service, walk, raw, lang),
        rule_path=walk.path if walk else (),
    )


def _fact_label(rs: RuleSet, path: str, lang: str) -> str:
    info = rs.vocabulary.facts.get(path)
    return f"{info.label.get(lang)} ({path})" if info else path


def _undecided_step(service: CService, raw: RawDecision) -> int | None:
    """The step of an undecided decision: unknown (None) when the service has forms on
    different steps and neither the application nor the rule names the form — which form, and
    so which step, is itself open."""
    forms = service.source.forms
    if not forms or raw.form is not None or (raw.applied is not None and raw.applied.form is not None):
        return raw.step
    steps = {f.step for f in forms.values()}
    return raw.step if steps == {raw.step} else None


def _own_initiative_vedtak(rs: RuleSet, service: str) -> bool:
    """False when the service, decided on the municipality's own initiative, is offered
    without an individual decision (``own_initiative.vedtak: false``)."""
    sdef = rs.services.get(service)
    oi = sdef.own_initiative if sdef is not None else None
    return oi is None or oi.vedtak


def _step_of(crs: CompiledRuleSet, d: Decision) -> int | None:
    """The step of the decided service itself (not of a leaf: a refusal «at step 3» of a
    step-6 service is still a decision on the step-6 service)."""
    service = crs.services.get(d.service)
    return service.step if service is not None else None


def staircase_step(decisions: tuple[Decision, ...]) -> int | None:
    """The step the applicant ends up on: the highest granted step, else the highest
    lower-level alternative offered instead."""
    granted = [d.step for d in decisions if d.outcome in ("innvilget", "delvis_innvilget") and d.step]
    if granted:
        return max(granted)
    offered = [a.step for d in decisions if d.outcome == "avslag" for a in d.alternatives]
    return max(offered) if offered else None


def trace_events(tracer: Tracer) -> tuple[TraceEvent, ...]:
    """The tracer's events with their fact values as the JSON outcome shows them."""
    return tuple(TraceEvent(kind="test" if e.kind == "skip" else e.kind, service=e.service, rule=e.rule,
                            value=jsonable(e.value), facts={k: jsonable(v) for k, v in e.facts}, depth=e.depth,
                            applies=e.kind != "skip") for e in tracer.events)


def language(lang: str | None) -> Lang:
    """``lang`` if tildeling writes it (``nb``, ``nn``, ``en``), else ``nb``: texts fall
    back to bokmål for any other language, and the outcome says so.

    >>> language("nn"), language("de")
    ('nn', 'nb')
    """
    for known in LANGUAGES:
        if lang == known:
            return known
    return "nb"


def _explain_one(crs: CompiledRuleSet, raw: RawDecision, env: Env, on: _dt.date, lang: Lang) -> Decision:
    """One decision of a case, as the outcome shows it (a new object)."""
    d = explain_decision(crs, raw, env, on, lang)
    leaf = raw.walk.leaf if raw.walk is not None else None
    if leaf is not None and leaf.source.waiting_list and raw.outcome in ("innvilget", "delvis_innvilget"):
        d.waiting_list = True  # a place when one is free, not now (pbrl § 2-1 e andre ledd)
    if d.initiative == "kommunen":
        rs = crs.ruleset
        if _step_of(crs, d) in rs.staircase.without_vedtak or not _own_initiative_vedtak(rs, d.service):
            d.vedtak = False  # each decision is a new object (builders make one per call)
    return d


#: Explanations kept for sharing per compiled rule set, over all languages and dates (see
#: _prebuilt_explainer); beyond that they are made per case, as for any other decision.
SHARED_DECISIONS = 50_000
#: Languages and dates with explainers kept per compiled rule set; beyond that all are dropped.
EXPLAINED_DATES = 64


class _Kept:
    """How many more explanations a compiled rule set may keep for sharing."""

    __slots__ = ("left",)

    def __init__(self) -> None:
        self.left = SHARED_DECISIONS


def _prebuilt_explainer(crs: CompiledRuleSet, raw: RawDecision, on: _dt.date,
                        lang: Lang) -> Explainer:
    """How to explain a decision the fast path returns as it is (the same object for every
    case that reaches its leaf): ``(constant, explain, shared, key, table)``.

    When the explanation depends on the case only through the values of the facts it shows
    (a reason without placeholders, no derived or assessed facts, no score, alternatives or
    amount, not on a waiting list, no form), equal values give equal explanations: each is
    made once and shared by the outcomes that have it (outcomes are read-only, as the shared
    sources and appeal already are); ``constant`` is the one explanation when it shows no
    fact; ``key(env)`` gives the values (KeyError when one is not given) and ``table[key]`` the
    explanation kept for them (KeyError: not yet). Otherwise ``explain`` makes a new one for every
    case (``shared`` false)."""
    service = crs.services.get(raw.service)
    walk = raw.walk

    def fresh(env: Env) -> Decision:
        return _explain_one(crs, raw, env, on, lang)

    if (service is None or walk is None or walk.leaf is None or walk.assumed or raw.applied is not None
            or raw.form is not None or raw.initiative != "søknad" or raw.amount is not None
            or raw.score is not None or service.score or service.alternatives or walk.leaf.source.waiting_list
            or not isinstance(template_function(walk.leaf.reason, lang), str)):
        return None, fresh, False, None, None
    fact_keys = _fact_keys(service, walk.path)
    if sources_function(crs, service, fact_keys, lang, jsonable, _relied_on(service, walk.path)) is not None:
        return None, fresh, False, None, None
    if not fact_keys:
        made = fresh({})  # nothing of the case in it
        return made, lambda env: made, True, None, None
    absents = (_ABSENT,) * len(fact_keys)
    kept = crs.explainers.get("kept")
    if kept is None:
        kept = crs.explainers["kept"] = _Kept()
    shared: dict[Any, Decision] = {}
    get = shared.get
    values_of = itemgetter(*fact_keys)  # one key: the value; more: a tuple of them

    def explain(env: Env) -> Decision:
        # The key is the values: equal values are the same facts, as every value has its
        # fact's type (check_facts: a janei fact is a bool, a number never is), so True and 1
        # never meet at one fact. A fact not given shows as absent (the slower way).
        try:
            key = values_of(env)
        except KeyError:
            key = tuple(map(env.get, fact_keys, absents))
        try:
            found = get(key)
        except TypeError:  # a value that cannot be a key
            return fresh(env)
        if found is None:
            found = fresh(env)
            if kept.left > 0:
                kept.left -= 1
                shared[key] = found
        return found

    return None, explain, True, values_of, shared


class _CasePlan:
    """How to explain a case whose decisions are all prebuilt (see :func:`explain_case`):
    plain data, read by the one loop in :func:`explain_case` (no code per plan).

    ``template`` holds the decisions that are the same for every such case, None where one
    is made (or found shared) per case; ``shared`` says, per such place, how to find the
    shared explanation: ``(place, key, table)``, the explanation ``table[key(env)]`` (a
    KeyError or TypeError: not there, or a fact not given; then every place is explained by
    its ``slow`` function, which makes and keeps it); ``made`` are the places explained anew
    for every case. What the rest of the outcome depends on is fixed by the prebuilt
    decisions (outcome, step, vedtak: the appeal's services) or, when every decision is
    shared (``static``), also the staircase step (a shared decision offers no alternatives).

    A case's explanation touches the plan, its two tuples and what the prebuilt decisions
    share (the ``shared`` entries are interned per decision and place), so the memory read
    per case stays small however many combinations there are."""

    __slots__ = ("template", "shared", "made", "slow", "step", "static", "samlevedtak", "head", "decided",
                 "appeal", "appeal_params", "raws")

    def __init__(self, raws: list[RawDecision], template: tuple[Decision | None, ...],
                 shared: tuple[tuple[int, Any, Any], ...], made: tuple[tuple[int, Callable[[Env], Decision]], ...],
                 slow: tuple[tuple[int, Callable[[Env], Decision]], ...], step: int | None, static: bool,
                 head: Head, decided: tuple[str, ...]):
        self.template, self.shared, self.made, self.slow = template, shared, made, slow
        self.step, self.static, self.samlevedtak, self.head = step, static, len(template) > 1, head
        self.decided = decided
        self.appeal: Appeal | None = None
        self.appeal_params: tuple[Any, ...] = (_ABSENT,)  # no parameters seen yet
        self.raws = raws  # the prebuilt decisions it explains (kept alive with their numbers)

    def appeal_for(self, crs: CompiledRuleSet, env: Env, on: _dt.date) -> Appeal:
        """:func:`appeal_of` for the plan's services, kept for the parameters last seen."""
        params = (env.get("parameter.klagefrist_uker", 4), env.get("parameter.klageinstans"))
        found = self.appeal
        if found is None or params != self.appeal_params:
            found = self.appeal = appeal_of(crs, self.decided, env, on)
            self.appeal_params = params
        return found


#: Case plans kept per language and date (combinations of prebuilt decisions).
CASE_PLANS = 10_000

_PREBUILT = attrgetter("prebuilt")


def _case_plan(crs: CompiledRuleSet, raws: Iterable[RawDecision], numbers: tuple[int | None, ...],
               explainers: dict[Any, Any], on: _dt.date, head: Head) -> _CasePlan | None:
    """The plan for these decisions (by their numbers: RawDecision.prebuilt, unique in the
    process), or None when one is not a prebuilt decision of ``crs``."""
    raws = tuple(raws)
    prebuilt = crs.prebuilt
    if not raws or any(n is None or prebuilt.get(n) is not r for n, r in zip(numbers, raws)):
        return None
    lang = head[2]
    places = explainers.get("places")
    if places is None:
        places = explainers["places"] = {}
    fixed: list[Decision | None] = []
    shared, made, slow = [], [], []
    static = True
    for i, (raw, number) in enumerate(zip(raws, numbers)):
        explainer = explainers.get(number)
        if explainer is None:
            explainer = explainers[number] = _prebuilt_explainer(crs, raw, on, lang)
        constant, explain, is_shared, key, table = explainer
        fixed.append(constant)
        if constant is None:
            static = static and is_shared
            slow.append((i, explain))
            if key is not None:
                place = places.get((number, i))
                if place is None:  # one tuple per decision and place, for every plan that has it
                    place = places[(number, i)] = (i, key, table)
                shared.append(place)
            else:
                made.append((i, explain))
    # Outcome, step and vedtak of a prebuilt decision do not depend on the case (nor, when
    # every one is shared, do the alternatives: a shared decision has none).
    sample = tuple(d if d is not None else _explain_one(crs, raw, {}, on, lang) for d, raw in zip(fixed, raws))
    plan = _CasePlan(list(raws), tuple(fixed), tuple(shared), tuple(made), tuple(slow),
                     staircase_step(sample) if static else None, static, head,
                     tuple(d.service for d in sample if d.outcome != "uavklart" and d.vedtak))
    if len(explainers) < CASE_PLANS:
        explainers[numbers] = plan
    return plan


_MISSING = (KeyError, TypeError)


def explain_case(crs: CompiledRuleSet, case_id: str, raws: Iterable[RawDecision], env: Env, on: _dt.date,
                 lang: str, *, warnings: Iterable[str] = (), tracer: Tracer | None = None,
                 application_date: _dt.date | None = None, decision_date: _dt.date | None = None) -> CaseOutcome:
    """The outcome of a case: every decision explained in ``lang``, with the trace when a
    tracer recorded the evaluation.

    Explanations are built from the decisions only here, when asked for. A decision the fast
    path returned as it is (prebuilt: evaluation/fastpath.py) is explained once per language
    and date, and where its explanation shows no more of the case than some fact values,
    the explanation is shared by the cases with those values; a case made only of such
    decisions follows a plan made once for that combination. Outcomes are read-only."""
    explainers = crs.explainers.get((lang, on))
    plan = None
    if explainers is not None and tracer is None and raws.__class__ is list:
        # The common case, with nothing else looked up: the plan for these decisions (their
        # numbers are unique in the process: these are the plan's decisions).
        plan = explainers.get(tuple(map(_PREBUILT, raws)))
    if plan is None:
        if not isinstance(raws, (list, tuple)):
            raws = tuple(raws)
        plan = _plan_for(crs, raws, on, lang, tracer)
        if plan is None:
            return _explained_one_by_one(crs, case_id, raws, env, on, lang, warnings, tracer, application_date,
                                         decision_date)
    # The outcome by the plan (:class:`_CasePlan`): its decisions, the shared ones found by
    # the case's values, and the parts of the outcome the plan fixes.
    decisions: Any = list(plan.template)
    try:
        for i, key, table in plan.shared:
            decisions[i] = table[key(env)]
    except _MISSING:  # not kept yet, a fact not given, or a value that is no key: one by one
        for i, explain in plan.slow:
            decisions[i] = explain(env)
    else:
        for i, explain in plan.made:
            decisions[i] = explain(env)
    decisions = tuple(decisions)
    ref, as_of, out_lang = plan.head
    found = plan.appeal
    if found is None or (env.get("parameter.klagefrist_uker", 4),
                         env.get("parameter.klageinstans")) != plan.appeal_params:
        found = plan.appeal_for(crs, env, on)
    return CaseOutcome(  # positional, in field order: the fastest call
        case_id,  # case
        ref,  # rule_set
        as_of,  # as_of
        decisions,  # decisions
        plan.step if plan.static else staircase_step(decisions),  # staircase_step
        plan.samlevedtak,  # samlevedtak
        out_lang,  # language
        warnings if warnings.__class__ is tuple else tuple(warnings),  # warnings
        found,  # appeal
        None,  # trace
        None if application_date is None else application_date.isoformat(),  # application_date
        None if decision_date is None else decision_date.isoformat(),  # decision_date
    )


def _plan_for(crs: CompiledRuleSet, raws: tuple[RawDecision, ...] | list[RawDecision], on: _dt.date, lang: str,
              tracer: Tracer | None) -> _CasePlan | None:
    """The plan for a case's decisions (made now if need be), or None when they have none:
    traced, or not all prebuilt. Makes what the outcomes of ``lang`` and ``on`` share."""
    explainers = crs.explainers.get((lang, on))
    if explainers is None:
        if len(crs.explainers) > EXPLAINED_DATES:  # many dates: start again (memory stays bounded)
            crs.explainers.clear()
        out_lang = language(lang)
        explainers = crs.explainers[(lang, on)] = crs.explainers.setdefault((out_lang, on), {})
    head = explainers.get("outcome")
    if head is None:  # shared by the outcomes of this rule set, language and date (read-only)
        rs = crs.ruleset
        meta = rs.meta
        head = explainers["outcome"] = (RuleSetRef(rs.id, rs.version, rs.sha256, meta.municipality, meta.example),
                                        on.isoformat(), language(lang))
    if tracer is not None:
        return None
    numbers = tuple(map(_PREBUILT, raws))
    plan = explainers.get(numbers)
    if plan is None:
        plan = _case_plan(crs, raws, numbers, explainers, on, head)
    return plan


def _explained_one_by_one(crs: CompiledRuleSet, case_id: str, raws: tuple[RawDecision, ...] | list[RawDecision],
                          env: Env, on: _dt.date, lang: str, warnings: Iterable[str], tracer: Tracer | None,
                          application_date: _dt.date | None, decision_date: _dt.date | None) -> CaseOutcome:
    """The outcome of a case without a plan: each decision explained by itself."""
    ref, as_of, out_lang = crs.explainers[(lang, on)]["outcome"]
    decisions = tuple([_explain_one(crs, raw, env, on, out_lang) for raw in raws])
    return CaseOutcome(  # positional, in field order: the fastest call
        case_id,  # case
        ref,  # rule_set
        as_of,  # as_of
        decisions,  # decisions
        staircase_step(decisions),  # staircase_step
        len(decisions) > 1,  # samlevedtak
        out_lang,  # language
        tuple(warnings),  # warnings
        appeal(crs, decisions, env, on),  # appeal
        trace_events(tracer) if tracer is not None else None,  # trace
        application_date.isoformat() if application_date is not None else None,  # application_date
        decision_date.isoformat() if decision_date is not None else None,  # decision_date
    )
