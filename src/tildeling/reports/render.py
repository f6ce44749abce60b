"""Presentation: outcomes as JSON, terminal text or a decision letter (Markdown), and
diagnostics with a caret under the problem. Styling lives here and nowhere else.

The same input gives the same bytes: JSON keys keep the contract's order, the terminal
width is fixed when output is not a terminal, and nothing depends on time or locale.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, TextIO

from tildeling.core.diagnostics import Diagnostic, caret_snippet
from tildeling.core.errors import TildelingError
from tildeling.explain.explanation import show_value
from tildeling.files.outcome import AppealReview, CaseOutcome, Decision, to_plain
from tildeling.files.yamlload import read_text_limited
from tildeling.i18n.diagnostic_messages import render as render_message
from tildeling.i18n.messages import msg
from tildeling.reports.plaintext import PlainConsole, escape

if TYPE_CHECKING:
    from rich.console import Console

_STYLE = {"innvilget": "bold green", "delvis_innvilget": "bold yellow", "avslag": "bold red",
          "uavklart": "bold magenta"}


def to_json(data: object) -> str:
    """JSON as ``evaluate``, ``validate`` and ``rules`` print it: an outcome (or a list of
    them) through :func:`~tildeling.files.outcome.to_plain`, keys in the contract's order."""
    return json.dumps(to_plain(data), ensure_ascii=False, indent=2) + "\n"


def _console(stream: TextIO | None = None, width: int = 100) -> Any:
    """Where :func:`to_text` prints when no terminal console is given: a plain console (rich
    only for markup it does not handle, :mod:`tildeling.reports.plaintext`)."""
    return PlainConsole(stream or io.StringIO(), width)


def _rich_console(stream: TextIO | None = None, width: int = 100) -> Console:
    """The rich console :func:`_console` stands in for (tests compare the two)."""
    from rich.console import Console

    return Console(file=stream or io.StringIO(), width=width, color_system=None, highlight=False,
                   emoji=False, soft_wrap=True, force_terminal=False)


def to_text(outcome: CaseOutcome, *, explain: bool = False, console: Console | None = None,
            fact_labels: dict[str, str] | None = None) -> str:
    """Terminal text. When ``console`` is given (a real terminal) it prints there, with colour.

    Rule ids are shown only in the ``explain`` trace (for caseworkers), never beside the
    reasons; an undecided service says that it is not a decision yet."""
    lang = outcome.language
    labels = fact_labels or {}
    buf = io.StringIO()
    con = console or _console(buf)
    rs = outcome.rule_set
    con.print(f"[bold]{msg('case', lang)} {escape(str(outcome.case))}[/bold] · {msg('rule_set', lang)} "
              f"{escape(rs.id)} {escape(rs.version)} ({escape(rs.municipality)}) · "
              f"{msg('as_of', lang)} {outcome.as_of}")
    for w in outcome.warnings:
        con.print(f"[yellow]! {escape(w)}[/yellow]")
    if outcome.samlevedtak:
        con.print(escape(_samlevedtak(outcome)))
    for d in outcome.decisions:
        con.print()
        step = f" ({msg('step', lang)} {d.step})" if d.step else ""
        con.print(f"[bold]■ {escape(d.service_name)}[/bold] — "
                  f"[{_STYLE[d.outcome]}]{msg('outcome.' + d.outcome, lang)}[/]{step}")
        if d.initiative == "kommunen":
            con.print(f"  {escape(msg('initiative.kommunen', lang))}")
        if not d.vedtak and d.outcome != "uavklart":
            con.print(f"  {escape(msg('text.offer', lang))}")
        if d.waiting_list:
            con.print(f"  [yellow]{escape(msg('waiting_list', lang))}[/yellow]")
        if d.legal_basis:
            con.print(f"  {msg('legal_basis', lang)}: {escape(d.legal_basis)}")
        for r in d.reasons:
            _print_reason(con, r, d.legal_basis, lang)
            if r.facts:
                facts = ", ".join(f"{k} = {_show_json(v, lang)}{_source(r.sources.get(k), lang)}"
                                  for k, v in r.facts.items())
                con.print(f"    [dim]{escape(facts)}[/dim]")
        if d.decided_by:
            con.print(f"  {escape(msg('decided_by.' + d.decided_by, lang))}")
        if d.discretion:
            con.print(f"  [yellow]{escape(msg('discretion', lang))}[/yellow]")
        if d.addressee == "pårørende":
            con.print(f"  {escape(msg('addressee.pårørende', lang))}")
        if d.amount:
            con.print(f"  {msg('amount', lang)}: {_show_json(d.amount.value, lang)} {escape(d.amount.unit)}")
        if d.applied is not None and d.applied.amount is not None:
            unit = f" {d.amount.unit}" if d.amount else ""
            con.print(f"  {msg('applied_amount', lang)}: {_show_json(d.applied.amount, lang)}{escape(unit)}")
        if d.form:
            con.print(f"  {msg('form', lang)}: {escape(d.form.replace('_', ' '))}")
        if d.parts:
            con.print(f"  {msg('parts.title', lang)}:")
            for p in d.parts:
                outside = f" ({msg('parts.outside_right', lang)})" if p.outside_right else ""
                con.print(f"    – {escape(p.name)}{escape(outside)}: "
                          f"[{_STYLE[p.outcome]}]{msg('outcome.' + p.outcome, lang)}[/]")
                for r in p.reasons:
                    con.print(f"      • {escape(r.text)}")
                    if r.legal_basis and r.legal_basis != d.legal_basis:
                        con.print(f"        {msg('legal_basis', lang)}: {escape(r.legal_basis)}")
        if d.score:
            parts = ", ".join(f"{c.label} {_show_json(c.points, lang)}" for c in d.score.components)
            con.print(f"  {msg('score', lang)}: {_show_json(d.score.value, lang)} ({escape(parts)})")
        if d.outcome == "uavklart":
            con.print(f"  [magenta]{escape(msg('text.request', lang))}[/magenta]")
        if d.missing:
            missing = ", ".join(labels.get(k, k) for k in d.missing)
            con.print(f"  [magenta]{msg('missing_title', lang)}:[/magenta] {escape(missing)}")
        if d.alternatives:
            con.print(f"  {msg('alternatives', lang)}:")
            for a in d.alternatives:
                tried = ""
                if a.tried is not None:
                    tried = f" – {msg('tried' if a.tried else 'not_tried', lang)}"
                text = f": {a.text}" if a.text else ""
                con.print(f"    – {escape(a.name)} ({msg('step', lang)} {a.step}){tried}{escape(text)}")
        events = [e for e in outcome.trace or ()  # the service's own tree, then its parts'
                  if e.service == d.service or e.service.startswith(d.service + ".")] if explain else []
        if events:
            con.print(f"  {msg('trace_title', lang)}:")
            for e in events:
                indent = "    " + "  " * e.depth
                if e.kind == "test" and e.applies:
                    facts = ", ".join(f"{k}={_show_json(v, lang)}" for k, v in e.facts.items())
                    con.print(f"[dim]{indent}? {escape(e.rule)} → {_show_json(e.value, lang)}  {escape(facts)}[/dim]")
                elif e.kind == "test" and not e.applies:
                    con.print(f"[dim]{indent}– {escape(e.rule)}: {msg('not_applicable', lang)}[/dim]")
                elif e.kind == "split":
                    con.print(f"[dim]{indent}⑂ {escape(e.rule)}: {msg('split', lang)}[/dim]")
                elif e.kind == "leaf":
                    con.print(f"[dim]{indent}✓ {escape(e.rule)} → {escape(str(e.value))}[/dim]")
    if outcome.appeal_review is not None:
        _appeal_text(con, outcome.appeal_review, lang)
    if outcome.staircase_step:
        con.print()
        con.print(f"{msg('staircase_step', lang)}: {outcome.staircase_step}")
    if _appealable(outcome):
        appeal = outcome.appeal
        con.print(escape(msg("text.appeal", lang, weeks=appeal.weeks, basis=appeal.legal_basis,
                             body=appeal.body_name or msg("appeal_body." + appeal.body, lang))))
    return buf.getvalue() if console is None else ""


_APPEAL_STYLE = {"behandles": "bold green", "avvises": "bold red", "uavklart": "bold magenta"}


def _print_reason(con: Console, reason: Any, legal_basis: str, lang: str) -> None:
    """One reason as a bullet, with its own legal basis when it differs from the decision's."""
    con.print(f"  • {escape(reason.text)}")
    if reason.legal_basis and reason.legal_basis != legal_basis:
        con.print(f"    {msg('legal_basis', lang)}: {escape(reason.legal_basis)}")


def _appeal_text(con: Console, r: AppealReview, lang: str) -> None:
    """The review of the case's appeal: outcome, deadline, appeal body and the reasons."""
    con.print()
    con.print(f"[bold]■ {msg('appeal.title', lang)}: {escape(r.appealed.service_name)}[/bold] — "
              f"[{_APPEAL_STYLE[r.outcome]}]{msg('appeal.outcome.' + r.outcome, lang)}[/]")
    con.print(f"  {msg('legal_basis', lang)}: {escape(r.legal_basis)}")
    if r.deadline is not None:
        weeks = msg("appeal.deadline_weeks", lang, weeks=r.weeks, rule=r.deadline_rule)
        con.print(f"  {msg('appeal.deadline_line', lang)}: {_show_json(_date(r.deadline), lang)} ({escape(weeks)})")
    con.print(f"  {msg('appeal.body_line', lang)}: {escape(r.appeal_body)}")
    for reason in r.reasons:
        _print_reason(con, reason, r.legal_basis, lang)
    if r.missing:
        con.print(f"  [magenta]{msg('missing_title', lang)}:[/magenta] {escape(', '.join(r.missing))}")


def _appeal_letter(r: AppealReview, lang: str) -> list[str]:
    """The appeal's review in the letter: outcome, the law applied and the reasons."""
    out = [f"## {msg('appeal.title', lang)}: {r.appealed.service_name} – {msg('appeal.outcome.' + r.outcome, lang)}",
           "", f"### {msg('letter.rules', lang)}", ""]
    seen: list[str] = []
    for ref in [r.legal_basis] + [x.legal_basis for x in r.reasons]:
        for part in (p.strip() for p in ref.split(";")):
            if part and part not in seen:
                seen.append(part)
    out += [f"- {ref}" for ref in seen] + ["", f"### {msg('letter.considerations', lang)}", ""]
    for reason in r.reasons:
        out += [reason.text, ""]
    if r.missing:
        out += [f"**{msg('missing_title', lang)}:** {', '.join(r.missing)}", ""]
    return out


def _date(iso: str) -> _dt.date:
    return _dt.date.fromisoformat(iso)


def _show_json(value: Any, lang: str) -> str:
    if value is None:
        return msg("unknown_value", lang)
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return show_value(value, lang)


def _samlevedtak(outcome: CaseOutcome) -> str:
    """The samlevedtak line: which decisions answer the application and which the
    municipality made on its own initiative (when it made any)."""
    lang = outcome.language
    offers = [d.service_name for d in outcome.decisions if not d.vedtak]
    own = [d.service_name for d in outcome.decisions if d.initiative == "kommunen" and d.vedtak]
    tail = " " + msg("letter.samlevedtak_offers", lang, offers=", ".join(offers)) if offers else ""
    if not own:
        return msg("letter.samlevedtak", lang) + tail
    applied = [d.service_name for d in outcome.decisions if d.initiative != "kommunen"]
    return msg("letter.samlevedtak_own", lang, applied=", ".join(applied), own=", ".join(own)) + tail


def _decided(outcome: CaseOutcome) -> bool:
    return any(d.outcome != "uavklart" for d in outcome.decisions)


def _appealable(outcome: CaseOutcome) -> bool:
    """Some decision is an individual decision (an offer without vedtak is not: fvl § 2)."""
    return any(d.outcome != "uavklart" and d.vedtak for d in outcome.decisions)


def to_markdown(outcome: CaseOutcome, *, fact_labels: dict[str, str] | None = None) -> str:
    """A draft decision letter structured as forvaltningsloven § 25 asks: the rules applied,
    the facts relied on and the main considerations, followed by appeal information.

    A service that is ``uavklart`` gets no decision and no appeal text: it gets a request for
    the missing information (fvl § 17), in the vocabulary's words. A letter where nothing is
    decided is only such a request. An offer without vedtak (``vedtak: false``) says that it
    is an offer and cannot be appealed; a letter with only offers has no appeal section. Rule
    ids stay out of the letter (they are in the JSON)."""
    lang = outcome.language
    labels = fact_labels or {}
    decided = _decided(outcome)
    appealable = _appealable(outcome)
    title = ("letter.title" if outcome.appeal.health_and_care else "letter.title_other") if appealable \
        else "letter.title_offer" if decided else "appeal.title" if outcome.appeal_review is not None \
        else "letter.request_title"
    out = [f"# {msg(title, lang)}", ""]
    rs = outcome.rule_set
    out.append(f"**{msg('case', lang)}:** {outcome.case}  ")
    out.append(f"**{msg('rule_set', lang)}:** {rs.id} {rs.version} ({rs.municipality}), "
               f"{msg('as_of', lang)} {outcome.as_of}")
    out.append("")
    if outcome.samlevedtak and decided:
        out += [_samlevedtak(outcome), ""]
    for w in outcome.warnings:
        out += [f"> {w}", ""]
    for d in outcome.decisions:
        if d.outcome == "uavklart":
            out += _request(d, labels, lang)
        else:
            out += _decision(d, labels, lang)
    if outcome.appeal_review is not None:
        out += _appeal_letter(outcome.appeal_review, lang)
    if appealable:
        appeal = outcome.appeal
        out.append(f"## {msg('letter.appeal_title', lang)}")
        out.append("")
        out.append(msg("letter.appeal_dated", lang, weeks=appeal.weeks, basis=appeal.legal_basis,
                       body=appeal.body_name or msg("appeal_body." + appeal.body, lang)))
        out.append("")
    elif not decided and outcome.appeal_review is None:
        out += [msg("letter.no_decision", lang), ""]
    out.append(f"*{msg('letter.support', lang)}*")
    out.append("")
    return "\n".join(out)


def _request(d: Decision, labels: dict[str, str], lang: str) -> list[str]:
    """fvl § 17: what must be found out before the service can be decided."""
    out = [f"## {d.service_name}: {msg('letter.pending', lang)}", ""]
    own = "_own" if d.initiative == "kommunen" else ""  # nobody applied for it: say why it is assessed
    if d.missing:
        out += [msg("letter.request" + own, lang, service=d.service_name), ""]
        out += [f"- {labels.get(k, k)}" for k in d.missing]
    else:
        out.append(msg("letter.request" + own + "_assess", lang, service=d.service_name))
    out.append("")
    return out


def _decision(d: Decision, labels: dict[str, str], lang: str) -> list[str]:
    """One decided service: rules, facts and considerations (fvl § 25)."""
    out: list[str] = []
    step = f" ({msg('step', lang)} {d.step})" if d.step else ""
    out.append(f"## {d.service_name}: {msg('outcome.' + d.outcome, lang)}{step}")
    out.append("")
    if d.initiative == "kommunen":
        out += [msg("letter.own_initiative", lang), ""]
    if not d.vedtak:
        out += [msg("letter.offer", lang), ""]
    if d.waiting_list:
        out += [msg("waiting_list", lang), ""]
    if d.amount:
        out += [f"{msg('amount', lang)}: {_show_json(d.amount.value, lang)} {d.amount.unit}", ""]
    if d.form:
        out += [f"{msg('form', lang)}: {d.form.replace('_', ' ')}", ""]
    out += _parts(d, lang)
    if d.addressee == "pårørende":
        out += [msg("addressee.pårørende", lang), ""]
    out.append(f"### {msg('letter.rules' if d.vedtak else 'letter.rules_offer', lang)}")
    out.append("")
    refs = [d.legal_basis] + [r.legal_basis for r in d.reasons if r.legal_basis]
    refs += [r.legal_basis for p in d.parts for r in p.reasons if r.legal_basis]
    seen: list[str] = []
    for ref in refs:
        for part in (p.strip() for p in ref.split(";")):
            if part and part not in seen:
                seen.append(part)
    for ref in seen:
        out.append(f"- {ref}")
    out.append("")
    facts: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for r in d.reasons:
        facts.update(r.facts)
        sources.update(r.sources)
    if facts:
        out.append(f"### {msg('letter.facts', lang)}")
        out.append("")
        for k in sorted(facts):
            out.append(f"- {labels.get(k, k)}: {_show_json(facts[k], lang)}{_source(sources.get(k), lang)}")
        out.append("")
    out.append(f"### {msg('letter.considerations', lang)}")
    out.append("")
    for r in d.reasons:
        out.append(r.text)
        out.append("")
    if d.decided_by:
        out += [msg("decided_by." + d.decided_by, lang), ""]
    if d.discretion:
        out += [msg("discretion", lang), ""]
    if d.alternatives:
        out.append(f"**{msg('alternatives', lang)}:**")
        out.append("")
        for a in d.alternatives:
            text = f" – {a.text}" if a.text else ""
            out.append(f"- {a.name} ({msg('step', lang)} {a.step}){text}")
        out.append("")
    return out


def _parts(d: Decision, lang: str) -> list[str]:
    """The parts granted and refused, each with its reasons and legal basis (fvl § 24-25)."""
    out: list[str] = []
    for title, wanted in (("letter.parts_granted", ("innvilget", "delvis_innvilget")),
                          ("letter.parts_refused", ("avslag",))):
        chosen = [p for p in d.parts if p.outcome in wanted]
        if not chosen:
            continue
        out += [f"### {msg(title, lang)}", ""]
        for p in chosen:
            outside = f" ({msg('parts.outside_right', lang)})" if p.outside_right else ""
            texts = " ".join(r.text for r in p.reasons)
            bases = "; ".join(dict.fromkeys(r.legal_basis for r in p.reasons if r.legal_basis))
            basis = f" ({bases})" if bases else ""
            out.append(f"- **{p.name}**{outside}: {texts}{basis}")
        out.append("")
    return out


# --- diagnostics -----------------------------------------------------------------------------------

_TEXT_CACHE: dict[str, str | None] = {}


def _file_text(name: str) -> str | None:
    if name not in _TEXT_CACHE:
        try:  # bounded, and regular files only: a pipe or device is never opened a second time
            _TEXT_CACHE[name] = read_text_limited(name) if Path(name).is_file() else None
        except TildelingError:
            _TEXT_CACHE[name] = None
    return _TEXT_CACHE[name]


def format_diagnostic(d: Diagnostic, lang: str = "nb", *, source: bool = True) -> str:
    """One diagnostic with its position, a caret snippet and the hint, in ``lang``.

    ``source=False`` leaves out the snippet: the lines of a case file hold health data."""
    where = d.span.short() + ": " if d.span else ""
    severity = render_message(f"severity.{d.severity}", lang)
    lines = [f"{where}{severity}[{d.code}]: {d.text(lang)}"]
    if d.span is not None and source:
        snippet = caret_snippet(d.span, _file_text(d.span.file))
        if snippet:
            lines.append(snippet)
    hint = d.hint_text(lang)
    if hint:
        lines.append(f"  {render_message('label.hint', lang)}: {hint}")
    return "\n".join(lines)


def format_diagnostics(diags: Iterable[Diagnostic], lang: str = "nb", *, source: bool = True) -> str:
    return "\n".join(format_diagnostic(d, lang, source=source) for d in diags)


def _source(source: str | None, lang: str) -> str:
    """« (utledet)» or « (skjønn)» after a fact that was not simply given."""
    return f" ({msg('source.' + source, lang)})" if source in ("utledet", "skjønn") else ""
