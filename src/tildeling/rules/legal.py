"""Law citations: parse them, check them against the section register, cite them by date.

Rule sets cite law as text in the format of ``data/legal/README.md`` (``hol § 3-2 første ledd
nr. 6 bokstav b``, ``fvl §§ 24–25``, ``lokal: Retningslinje for …, pkt. 2``). This module
parses such text into a :class:`Citation`, checks it against the packaged section register
(``data/legal/sections.yaml``) and a rule set's validity window, and renders it in the
numbering in force on a case's date.

>>> from datetime import date
>>> c = parse_citation("pbrl § 2-1 a  andre ledd")
>>> (c.act, c.sections, c.ledd, c.text)
('pbrl', ('2-1 a',), 2, 'pbrl § 2-1 a andre ledd')
>>> reg = load_register()
>>> reg.cite_on(c, date(2025, 1, 1))
'pbrl § 2-1 andre ledd'
>>> [(p.code, p.hint) for p in reg.check(c, date(2024, 6, 1), None)]
[('legal-ref-not-in-force', 'bruk «pbrl § 2-1 andre ledd» fra 2024-06-01')]
>>> reg.check(c, date(2019, 1, 1), date(2019, 12, 31))
[]

Dates: ``in_force_from``/``repealed_from``/act ``repealed`` are the first day a state holds;
``until`` (former numbers, titles, sub-items) is the last day. A rule set's ``valid_to`` is
its last day (inclusive); ``None`` means open-ended.

A number can be reused (hol § 3-9 a meant the children-in-care section until 2024-12-31 and
the immigration-detention section from 2025-01-01). :meth:`LegalRegister.cite_on` therefore
takes an optional ``written_on`` (the rule set's ``valid_from``) saying when the citation was
written; without it the number is read as of the case date, which is only ambiguous for
reused numbers.

Ledd lists in the register are not always exhaustive. A cited ledd missing from a list that
runs 1..n (n >= 2) is an ``unknown-subsection`` error; beyond a partial list (gaps, or only
«første ledd») it is a warning; inside a gap it is accepted. Nr./bokstav lists are taken as
complete. A section (or ledd) without a sub-item list accepts any sub-item.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast, overload

import yaml

from tildeling.core.packaged import packaged
from tildeling.i18n.diagnostic_messages import Joined, Phrase, phrase

__all__ = ["Citation", "CitationSyntaxError", "LegalRegister", "Problem", "load_register",
           "parse_citation"]

ORDINALS = {"første": 1, "andre": 2, "tredje": 3, "fjerde": 4, "femte": 5, "sjette": 6,
            "sjuende": 7, "syvende": 7, "sjuande": 7, "åttende": 8, "åttande": 8,
            "niende": 9, "niande": 9, "tiende": 10, "tiande": 10}
_ORDINAL_WORD = {1: "første", 2: "andre", 3: "tredje", 4: "fjerde", 5: "femte", 6: "sjette",
                 7: "sjuende", 8: "åttende", 9: "niende", 10: "tiende"}
_NOT_IN_FORCE = {"ikke i kraft", "vedtatt, ikke i kraft"}
_DAY = timedelta(days=1)


def _joined(parts: list) -> Phrase | None:
    """Hint parts joined with «; » (``None`` when there are none)."""
    items = tuple(p for p in parts if p is not None)
    if not items:
        return None
    return items[0] if len(items) == 1 else phrase("text", text=Joined(items, "; "))


class CitationSyntaxError(ValueError):
    """A citation is not in the canonical format. ``str(e)`` is the bokmål message;
    ``phrase``/``hint_phrase`` render it in other languages."""

    def __init__(self, message: Phrase, hint: Phrase | None = None):
        self.phrase = message
        self.hint_phrase = hint
        self.message = message.text("nb")
        self.hint = hint.text("nb") if hint is not None else None
        super().__init__(self.message)


@dataclass(frozen=True)
class Problem:
    """Something wrong with a legal reference, as a phrase to show."""

    code: str
    severity: str  # "error" | "warning"
    phrase: Phrase
    hint_phrase: Phrase | None = None

    @property
    def message(self) -> str:
        return self.phrase.text("nb")

    @property
    def hint(self) -> str | None:
        return self.hint_phrase.text("nb") if self.hint_phrase is not None else None


@dataclass(frozen=True)
class Citation:
    """A parsed legal reference: act, sections and the parts of a section cited."""

    raw: str
    act: str | None  # None for local sources
    sections: tuple[str, ...]
    ledd: int | None = None
    nr: int | None = None
    bokstav: str | None = None
    local: bool = False
    is_range: bool = False  # «§§ 24–25» (as opposed to «§§ 28 og 29»)
    punktum: int | None = None

    @property
    def text(self) -> str:
        """The normalised citation text (local sources keep their «lokal:» prefix)."""
        if self.local:
            return "lokal: " + _local_body(self.raw)
        return _render(self.act or "", self.sections, self.is_range, self.ledd, self.nr,
                       self.bokstav, self.punktum)


# --------------------------------------------------------------------------- parsing

_SEC = r"\d+[A-Z]?(?:-\d+)?(?: ?[a-z](?![a-zæøå0-9]))?"
_SEP = r"(?: ?(?:–|—| - |,) ?| og )"
_HEAD = re.compile(rf"^(?P<act>[A-Za-zÆØÅæøå]+)\.? ?(?P<sign>§§?) ?(?P<secs>{_SEC}(?:{_SEP}{_SEC})*)"
                   r"(?P<rest>.*)$")
_REST = re.compile(r"^(?: (?P<ledd>\S+) ledd)?(?: nr\.? ?(?P<nr>\d+))?"
                   r"(?: bokstav (?P<bokstav>[A-Za-zÆØÅæøå]))?(?: (?P<pkt>\S+) punktum)?$")
_SEC_PARTS = re.compile(r"^(\d+[A-Z]?(?:-\d+)?) ?([a-z])?$")
_EXAMPLE = Phrase("legal.example")


def _normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def _local_body(raw: str) -> str:
    return _normalise_space(raw)[len("lokal:"):].strip()


def _render(act: str, sections, is_range: bool, ledd=None, nr=None, bokstav=None,
            punktum=None) -> str:
    if len(sections) == 1:
        out = f"{act} § {sections[0]}"
    elif is_range:
        out = f"{act} §§ {sections[0]}–{sections[-1]}"
    else:
        out = f"{act} §§ {', '.join(sections[:-1])} og {sections[-1]}"
    if ledd is not None:
        out += f" {_ORDINAL_WORD.get(ledd, f'{ledd}.')} ledd"
    if nr is not None:
        out += f" nr. {nr}"
    if bokstav is not None:
        out += f" bokstav {bokstav}"
    if punktum is not None:
        out += f" {_ORDINAL_WORD.get(punktum, f'{punktum}.')} punktum"
    return out


def _ordinal(word: str, what: str, text: str) -> int:
    if word.lower() in ORDINALS:
        return ORDINALS[word.lower()]
    if word.lower() == "annet":
        fixed = re.sub(rf"\bannet {what}\b", f"andre {what}", text)
        raise CitationSyntaxError(phrase("legal.write_andre", what=what, text=text),
                                  phrase("hint.write", text=fixed))
    raise CitationSyntaxError(phrase("legal.bad_ordinal", what=what, word=word, text=text),
                              phrase("legal.bad_ordinal.hint", what=what))


def parse_citation(text: str) -> Citation:
    """Parse a citation; raise :class:`CitationSyntaxError` if it is not in the canonical format."""
    if not isinstance(text, str):
        raise CitationSyntaxError(phrase("legal.not_text", type=type(text).__name__))
    norm = _normalise_space(text)
    if not norm:
        raise CitationSyntaxError(Phrase("legal.empty"), _EXAMPLE)
    if norm.lower().startswith("lokal:"):
        if not norm[len("lokal:"):].strip():
            raise CitationSyntaxError(Phrase("legal.local_needs_name"), Phrase("legal.local_needs_name.hint"))
        return Citation(raw=text, act=None, sections=(), local=True)
    if norm.endswith(".") and not norm.endswith("nr."):
        norm = norm[:-1]
    m = _HEAD.match(norm)
    if m is None:
        hint = _EXAMPLE
        if norm.startswith("§"):
            hint = phrase("legal.act_first.hint", example=_EXAMPLE)
        elif "§" not in norm:
            hint = phrase("legal.form.hint", example=_EXAMPLE)
        raise CitationSyntaxError(phrase("legal.cannot_parse", text=norm), hint)
    act = m["act"].lower()
    sections = tuple(_SEC_PARTS.sub(lambda p: p[1] + (f" {p[2]}" if p[2] else ""), s)
                     for s in re.findall(_SEC, m["secs"]))
    is_range = bool(re.search(r"–|—| - ", m["secs"]))
    if is_range and len(sections) != 2:
        raise CitationSyntaxError(phrase("legal.range_two_ends", text=norm), Phrase("legal.range_two_ends.hint"))
    if m["sign"] == "§" and len(sections) > 1:
        raise CitationSyntaxError(phrase("legal.several_sections", text=norm),
                                  phrase("hint.write", text=_render(act, sections, is_range)))
    if m["sign"] == "§§" and len(sections) == 1:
        hint = phrase("hint.write", text=_render(act, sections, False))
        if re.fullmatch(r"\d+-\d+", sections[0]):
            hint = phrase("legal.write_or_range.hint", text=_render(act, sections, False),
                          range=f"{act} §§ {sections[0].replace('-', '–')}")
        raise CitationSyntaxError(phrase("legal.double_sign_one", text=norm), hint)
    rest = _REST.match(m["rest"])
    if rest is None:
        if re.search(r"\bannet (ledd|punktum)\b", m["rest"]):
            _ordinal("annet", re.search(r"\bannet (ledd|punktum)\b", m["rest"])[1], norm)  # type: ignore[index]  # it matched just above
        raise CitationSyntaxError(phrase("legal.cannot_parse_rest", rest=m["rest"].strip(), text=norm),
                                  phrase("legal.order.hint", example=_EXAMPLE))
    ledd = _ordinal(rest["ledd"], "ledd", norm) if rest["ledd"] else None
    punktum = _ordinal(rest["pkt"], "punktum", norm) if rest["pkt"] else None
    nr = int(rest["nr"]) if rest["nr"] else None
    bokstav = rest["bokstav"].lower() if rest["bokstav"] else None
    if len(sections) > 1 and (ledd or nr or bokstav or punktum):
        raise CitationSyntaxError(phrase("legal.one_section_only", text=norm), Phrase("legal.one_section_only.hint"))
    if ledd is None and (nr is not None or bokstav is not None):
        guess = _render(act, sections, False, 1, nr, bokstav, punktum)
        raise CitationSyntaxError(phrase("legal.ledd_first", text=norm), phrase("legal.ledd_first.hint", text=guess))
    return Citation(raw=text, act=act, sections=sections, ledd=ledd, nr=nr, bokstav=bokstav,
                    is_range=is_range, punktum=punktum)


# --------------------------------------------------------------------------- register model

@overload
def _d(value: None) -> None: ...
@overload
def _d(value: date | str) -> date: ...
def _d(value: Any) -> date | None:  # values read from the register's YAML are Any to mypy: so is _d of them
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@dataclass
class _Span:
    """The period in which one number denotes one register entry."""

    number: str
    start: date | None  # None: since the act came into force
    end: date | None  # first day it no longer holds; None: still holds

    def contains(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass
class _Entry:
    """One entry of the legal register with the numbers it has had over time."""

    data: dict
    spans: list[_Span]  # chronological; the last one carries the current number

    @property
    def number(self) -> str:
        return self.spans[-1].number

    def number_on(self, day: date) -> str | None:
        return next((s.number for s in self.spans if s.contains(day)), None)


@dataclass
class _Window:
    """When the cited thing is in force, and what to cite around it."""

    start: date | None = None
    end: date | None = None
    never: bool = False
    before: str | None = None  # exact citation text in force before ``start``
    after: str | None = None  # exact citation text in force from ``end``
    before_hint: Phrase | None = None
    after_hint: Phrase | None = None


@dataclass
class _Move:
    """A sub-item moved to another place (hol § 3-2 nr. 6 bokstav d → § 3-6 nr. 2)."""

    old_key: tuple
    old_text: str
    new: Citation
    switch: date


def _item_window(item: dict) -> _Window:
    return _Window(start=_d(item.get("in_force_from")), end=_d(item.get("repealed_from")),
                   never=item.get("status") in _NOT_IN_FORCE)


def _find(items, field: str, value):
    return next((i for i in items or () if str(i.get(field)) == str(value)), None)


class LegalRegister:
    """The section register: acts, sections, sub-items and their numbering over time."""

    def __init__(self, data: dict):
        self._acts: dict[str, dict] = {}
        self._by_number: dict[str, dict[str, list[tuple[_Entry, int]]]] = {}
        self._moves_old: dict[tuple, _Move] = {}
        self._moves_new: dict[tuple, _Move] = {}
        for key, act in data.items():
            if not isinstance(act, dict) or "sections" not in act:
                continue
            self._acts[key] = act
            index = self._by_number[key] = {}
            for sec in act["sections"]:
                entry = self._entry(sec)
                for i, span in enumerate(entry.spans):
                    index.setdefault(span.number, []).append((entry, i))
        for key, index in self._by_number.items():
            for entry in {id(e): e for cands in index.values() for e, _ in cands}.values():
                self._collect_moves(key, entry)

    def chapter_of(self, act: str | None, section: str) -> str | None:
        """The chapter a section belongs to (as the register gives it), or None.

        >>> load_register().chapter_of("sotjl", "18"), load_register().chapter_of("sotjl", "99")
        ('4', None)
        """
        for entry, _ in self._by_number.get(act or "", {}).get(section, ()):
            chapter = entry.data.get("chapter")
            if chapter is not None:
                return str(chapter)
        return None

    @staticmethod
    def _entry(sec: dict) -> _Entry:
        formers = sec.get("former_number") or []
        formers = sorted([formers] if isinstance(formers, dict) else formers,
                         key=lambda f: _d(f["until"]))
        spans, start = [], _d(sec.get("in_force_from"))
        for f in formers:
            end = _d(f["until"]) + _DAY
            spans.append(_Span(str(f["section"]), start, end))
            start = end
        spans.append(_Span(str(sec["section"]), start, _d(sec.get("repealed_from"))))
        return _Entry(sec, spans)

    def _collect_moves(self, act: str, entry: _Entry) -> None:
        for ledd in entry.data.get("ledd") or []:
            parents = [(ledd, None)] + [(n, n.get("nr")) for n in ledd.get("nr") or []]
            for parent, nr in parents:
                for old in parent.get("former_bokstav") or []:
                    if not old.get("moved_to") or not old.get("until"):
                        continue
                    switch = _d(old["until"]) + _DAY
                    number = entry.number_on(switch - _DAY) or entry.number
                    old_key = (act, entry.number, ledd.get("ledd"), nr, str(old["bokstav"]))
                    move = _Move(old_key, _render(act, (number,), False, ledd.get("ledd"), nr,
                                                  str(old["bokstav"])),
                                 parse_citation(old["moved_to"]), switch)
                    self._moves_old[old_key] = move
                    new_entry = self._resolve(move.new.act, move.new.sections[0], switch)  # type: ignore[arg-type]  # moved_to cites an act
                    if new_entry is not None:
                        self._moves_new[self._key(move.new, new_entry[0])] = move

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _key(c: Citation, entry: _Entry) -> tuple:
        return (c.act, entry.number, c.ledd, c.nr, c.bokstav)

    def _resolve(self, act: str, number: str, when: date | None) -> tuple[_Entry, int] | None:
        candidates = self._by_number.get(act, {}).get(number, [])
        if not candidates:
            return None

        def distance(cand):
            entry, i = cand
            span, current = entry.spans[i], i == len(entry.spans) - 1
            if when is None:
                return (0 if current else 1, 0)
            if span.contains(when):
                return (0, 0 if current else 1)
            gap = (span.start - when) if span.start and when < span.start else (when - span.end)
            return (gap.days, 0 if current else 1)

        return min(candidates, key=distance)

    def acts(self) -> list[str]:
        return list(self._acts)

    def act_title(self, act: str) -> str:
        if act not in self._acts:
            raise KeyError(f"Ukjent lov «{act}».")
        return self._acts[act]["title"]

    # ------------------------------------------------------------------ title / cite_on

    def title(self, citation: Citation, on: date | None = None) -> str | None:
        """The heading of the cited section(s) (as of ``on``; None: the current heading)."""
        if citation.local or citation.act not in self._acts:
            return None
        titles = []
        for number in citation.sections:
            resolved = self._resolve(citation.act, number, on)
            if resolved is None:
                continue
            entry = resolved[0]
            title = entry.data["title"]
            if on is not None and entry.number == number:
                former = sorted((f for f in entry.data.get("former_titles") or [] if f.get("until")),
                                key=lambda f: _d(f["until"]))
                title = next((f["title"] for f in former if on <= _d(f["until"])), title)
            titles.append(title)
        return "; ".join(titles) or None

    def cite_on(self, citation: Citation, on: date, *, written_on: date | None = None) -> str:
        """The citation in the numbering in force on ``on``.

        ``written_on`` (e.g. the rule set's ``valid_from``) fixes which provision a reused
        number means; by default it is read as of ``on``.
        """
        if citation.local:
            return _local_body(citation.raw)
        act = citation.act
        if act not in self._acts:
            return citation.text
        ref = written_on or on
        sections, entries = [], []
        for number in citation.sections:
            resolved = self._resolve(act, number, ref)
            entries.append(resolved[0] if resolved else None)
            sections.append((resolved[0].number_on(on) if resolved else None) or number)
        if len(entries) == 1 and entries[0] is not None:
            key = self._key(citation, entries[0])
            if key in self._moves_old and on >= self._moves_old[key].switch:
                return self._moves_old[key].new.text
            if key in self._moves_new and on < self._moves_new[key].switch:
                return self._moves_new[key].old_text
        if citation.is_range:
            sections = list(citation.sections)
        return _render(act, tuple(sections), citation.is_range, citation.ledd, citation.nr,
                       citation.bokstav, citation.punktum)

    # ------------------------------------------------------------------ check

    def check(self, citation: Citation, valid_from: date, valid_to: date | None) -> list[Problem]:
        """Problems with ``citation`` in a rule set in force ``valid_from``–``valid_to``."""
        if citation.local:
            return []
        act = citation.act
        if act not in self._acts:
            return [self._unknown_act(act)]
        problems = self._evaluate(citation.text, self._act_window(act), valid_from, valid_to)
        act_error = any(p.severity == "error" for p in problems)
        for number in citation.sections:
            problems += self._check_section(citation, number, valid_from, valid_to,
                                            temporal=not act_error)
        return problems

    def _unknown_act(self, act: str | None) -> Problem:
        import difflib  # only for a misspelt name (cold start)

        aliases = {str(a.get(f)).lower(): k for k, a in self._acts.items()
                   for f in ("short_name", "abbreviation") if a.get(f)}
        best = aliases.get(act or "") or next(
            iter(difflib.get_close_matches(act or "", list(self._acts), n=1, cutoff=0)), None)
        return Problem("unknown-act", "error", phrase("legal.unknown_act", act=act, acts=", ".join(self._acts)),
                       phrase("hint.did_you_mean", name=best) if best else None)

    def _act_window(self, act: str) -> _Window:
        data = self._acts[act]
        successor = next((k for k, a in self._acts.items()
                          if str(a.get("replaces", "")).split(" ")[0] == act), None)
        predecessor = str(data.get("replaces") or "").split(" ")[0] or None
        return _Window(start=_d(data.get("in_force_from")), end=_d(data.get("repealed")),
                       before_hint=phrase("legal.predecessor.hint", date=str(data.get("in_force_from")),
                                          act=predecessor) if predecessor in self._acts else None,
                       after_hint=_joined([phrase("legal.use_act.hint", act=successor) if successor else None,
                                           phrase("text", text=str(data["repeal_note"]))
                                           if data.get("repeal_note") else None]))

    def _check_section(self, c: Citation, number: str, valid_from: date,
                       valid_to: date | None, temporal: bool) -> list[Problem]:
        import difflib  # only for a misspelt name (cold start)

        act = cast(str, c.act)  # check() has ruled out local sources and unknown acts
        resolved = self._resolve(act, number, valid_from)
        if resolved is None:
            numbers = list(self._by_number[act])
            best = difflib.get_close_matches(number, numbers, n=1, cutoff=0)
            return [Problem("unknown-section", "error", phrase("legal.unknown_section", act=act, number=number),
                            phrase("hint.did_you_mean", name=f"{act} § {best[0]}") if best else None)]
        entry, i = resolved
        one = len(c.sections) == 1
        text = _render(act, (number,), False, c.ledd, c.nr, c.bokstav, c.punktum) if one \
            else f"{act} § {number}"
        sub = dict(ledd=c.ledd, nr=c.nr, bokstav=c.bokstav, punktum=c.punktum) if one else {}
        span = entry.spans[i]
        window = _Window(start=span.start, end=span.end,
                         never=entry.data.get("status") in _NOT_IN_FORCE)
        if i > 0 and entry.spans[i - 1].end == span.start:
            window.before = _render(act, (entry.spans[i - 1].number,), False, **sub)
        if i + 1 < len(entry.spans):
            window.after = _render(act, (entry.spans[i + 1].number,), False, **sub)
            reuse = [e for e, j in self._by_number[act].get(number, [])
                     if e is not entry and e.spans[j].start == span.end]
            if reuse:
                window.after_hint = phrase("legal.number_reused.hint", act=act, number=number,
                                           date=str(span.end), title=str(reuse[0].data["title"]))
        elif span.end is not None:
            window.after_hint = phrase("text", text=str(entry.data["note"])) if entry.data.get("note") else None
        windows, problems = [window], []
        if one:
            problems, sub_windows = self._check_subitems(c, entry, text)
            windows += sub_windows
        if entry.data.get("status") == "opphevet" and not entry.data.get("repealed_from"):
            problems.append(Problem("legal-ref-repealed", "warning", phrase("legal.repealed_no_date", text=text),
                                    Phrase("legal.repealed_no_date.hint")))
        if temporal and not any(p.severity == "error" for p in problems):
            for w in windows:
                found = self._evaluate(text, w, valid_from, valid_to)
                problems += found
                if any(p.severity == "error" for p in found):
                    break
        return problems

    def _check_subitems(self, c: Citation, entry: _Entry, text: str):
        act, number = c.act, entry.number
        ledd_list = entry.data.get("ledd") or []
        whole = len(ledd_list) == 1 and " ledd" not in str(ledd_list[0].get("cite", " ledd"))
        if c.ledd is None or not ledd_list or whole:
            return [], []
        ledd = _find(ledd_list, "ledd", c.ledd)
        if ledd is None:
            nums = sorted(int(x["ledd"]) for x in ledd_list)
            if c.ledd < nums[-1]:
                return [], []  # a gap in a partial list: the ledd exists, it is just not described
            complete = len(nums) >= 2 and nums == list(range(1, len(nums) + 1))
            known = ", ".join(_ORDINAL_WORD.get(n, str(n)) for n in nums)
            return [Problem("unknown-subsection", "error" if complete else "warning",
                            phrase("legal.unknown_ledd", text=text, known=known, act=act, number=number),
                            phrase("legal.ledd_count.hint", act=act, number=number, count=len(nums)) if complete
                            else Phrase("legal.partial_ledd.hint"))], []
        windows = [_item_window(ledd)]
        parent = ledd
        if c.nr is not None:
            nrs = ledd.get("nr")
            if not nrs and ledd.get("bokstav"):
                return [self._unknown_sub(text, ledd, "bokstav")], windows
            if not nrs:
                return [], windows
            item = _find(nrs, "nr", c.nr)
            if item is None:
                return [self._unknown_sub(text, ledd, "nr")], windows
            windows.append(_item_window(item))
            parent = item
        move = self._moves_new.get(self._key(c, entry))
        if move is not None:
            windows.append(_Window(start=move.switch, before=move.old_text))
        if c.bokstav is None:
            return [], windows
        letters, former = parent.get("bokstav"), _find(parent.get("former_bokstav"), "bokstav", c.bokstav)
        if c.nr is None and ledd.get("nr"):
            return [self._unknown_sub(text, ledd, "nr")], windows
        if not letters and not parent.get("former_bokstav"):
            return [], windows
        item = _find(letters, "bokstav", c.bokstav)
        if item is not None:
            windows.append(_item_window(item))
        elif former is not None:
            move = self._moves_old.get(self._key(c, entry))
            windows.append(_Window(end=_d(former.get("until")) + _DAY if former.get("until") else None,
                                   after=move.new.text if move else None))
        else:
            return [self._unknown_sub(text, parent, "bokstav")], windows
        return [], windows

    @staticmethod
    def _unknown_sub(text: str, parent: dict, level: str) -> Problem:
        values = [str(x.get(level)) for x in parent.get(level) or []]
        where = str(parent["cite"]) if parent.get("cite") else Phrase("legal.this_part")
        hint = (phrase("legal.sub_range.hint", where=where, level="nr." if level == "nr" else "bokstav",
                       first=values[0], last=values[-1]) if values
                else phrase("legal.not_divided.hint", where=where, level=level))
        return Problem("unknown-subsection", "error", phrase("legal.unknown_sub", text=text), hint)

    @staticmethod
    def _evaluate(text: str, w: _Window, valid_from: date, valid_to: date | None) -> list[Problem]:
        if w.never:
            return [Problem("legal-ref-not-in-force", "error", phrase("legal.never_in_force", text=text),
                            Phrase("legal.never_in_force.hint"))]
        if w.start is not None and valid_from < w.start:
            hint = (phrase("legal.use_before.hint", text=w.before, date=str(w.start)) if w.before
                    else w.before_hint or phrase("legal.start_later.hint", date=str(w.start)))
            return [Problem("legal-ref-not-in-force", "error",
                            phrase("legal.not_yet", text=text, start=str(w.start), valid_from=str(valid_from)),
                            hint)]
        if w.end is None:
            return []
        last = w.end - _DAY
        if valid_from >= w.end:
            if w.after:
                return [Problem("legal-ref-not-in-force", "error",
                                phrase("legal.ended_renumbered", text=text, last=str(last), end=str(w.end),
                                       after=w.after, valid_from=str(valid_from)),
                                phrase("legal.use_from.hint", text=w.after, date=str(w.end)))]
            return [Problem("legal-ref-not-in-force", "error",
                            phrase("legal.repealed_before", text=text, end=str(w.end), valid_from=str(valid_from)),
                            w.after_hint)]
        if valid_to is not None and w.end > valid_to:
            return []
        period = f"{valid_from}–{valid_to}" if valid_to else phrase("legal.period_open", start=str(valid_from))
        if w.after:
            extra = phrase("legal.in_parentheses", text=w.after_hint) if w.after_hint else ""
            return [Problem("legal-ref-renumbered", "warning",
                            phrase("legal.renumbered", text=text, after=w.after, end=str(w.end), extra=extra,
                                   period=period),
                            phrase("legal.renumbered.hint", end=str(w.end)))]
        return [Problem("legal-ref-repealed", "warning",
                        phrase("legal.repealed_within", text=text, end=str(w.end), period=period),
                        w.after_hint or phrase("legal.repealed_within.hint", last=str(last)))]


# --------------------------------------------------------------------------- loading

#: libyaml's safe loader when available (the register is about 60 KB: ~10× faster than pure Python).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=1)
def _default_register() -> LegalRegister:
    from tildeling.rules.cache import parsed_data

    ref = packaged("legal", "sections.yaml")
    return LegalRegister(parsed_data("register", ref.read_text(encoding="utf-8"),
                                     lambda text: yaml.load(text, Loader=_LOADER)))


def load_register(path: str | Path | None = None) -> LegalRegister:
    """Load a register file; without ``path`` the packaged one (loaded once, then cached)."""
    if path is None:
        return _default_register()
    return LegalRegister(yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_LOADER))
