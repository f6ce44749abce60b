"""Find rule sets and pick the one in force for a case (the resolution contract).

Where rule sets are found: ``--rules-dir DIR``, else ``$TILDELING_RULES``, else ``./rules``
when the working directory has one, else the rule sets shipped inside the package.

Which one applies: the rule set in force on the case's date (application date or
``--as-of``) whose municipality is the case's, or which supersedes (directly or through
other rule sets) a rule set of the case's municipality. A case from Svelvik dated 2019 is
judged by Svelvik's rules; dated 2021 by the harmonised Drammen rules.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

from tildeling.core.diagnostics import Diagnostic, make, suggest
from tildeling.core.errors import TildelingError, UsageError
from tildeling.core.packaged import packaged
from tildeling.core.source import SourceSpan
from tildeling.files.yamlload import load_yaml_file, read_text_limited
from tildeling.i18n.diagnostic_messages import keyed, phrase

ENV_VAR = "TILDELING_RULES"


@dataclass(frozen=True)
class CatalogEntry:
    """The metadata of one rule-set file: what choosing a rule set for a case needs."""

    path: Path
    id: str
    version: str
    municipality: str
    valid_from: _dt.date
    valid_to: _dt.date | None
    status: str
    supersedes: tuple[str, ...]
    language: str
    example: bool
    services: tuple[str, ...] = ()  # the service ids the rule set describes

    def in_force(self, on: _dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def validity(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.valid_from.isoformat()} – {end}"


def packaged_rules_dir() -> Path:
    return Path(str(packaged("rules")))


def rules_dir(option: str | None = None) -> Path:
    if option:
        p = Path(option)
        if not p.is_dir():
            raise UsageError(keyed("error.rules_dir_not_found", path=option))
        return p
    env = os.environ.get(ENV_VAR)
    if env:
        p = Path(env)
        if not p.is_dir():
            raise UsageError(keyed("error.env_not_a_directory", var=ENV_VAR, path=env))
        return p
    local = Path("rules")
    if local.is_dir():
        return local
    return packaged_rules_dir()


def _norm(name: str) -> str:
    return " ".join(name.casefold().split())


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SERVICES_LINE = re.compile(r"^services:[ \t]*(?:#.*)?$", re.M)
_PLAIN_KEY = re.compile(r"([^\s#:'\"{}\[\]&*!|>%@`,?-][^:#]*?):(?:[ \t]|$)")


def _header(text: str) -> dict | None:
    """The metadata of a rule set without parsing its services: the top-level keys before a
    block ``services:`` line, parsed, plus the service ids read from the block's keys. None
    when the file is not laid out that way (flow style, quoted or merged keys, more top-level
    keys after the services, tabs): the caller then parses the whole file."""
    m = _SERVICES_LINE.search(text)
    if m is None or "\t" in text:
        return None
    ids: list[str] = []
    indent = None
    for line in text[m.end():].split("\n")[1:]:
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        if stripped is line:  # back at column 0: a top-level key after the services
            return None
        depth = len(line) - len(stripped)
        if indent is None:
            indent = depth
        if depth < indent:
            return None
        if depth == indent:
            key = _PLAIN_KEY.match(stripped)
            if key is None or key.group(1).strip() == "<<":
                return None
            ids.append(key.group(1).strip())
    head = yaml.load(text[:m.start()], Loader=_LOADER)
    if not isinstance(head, dict) or "services" in head:
        return None
    head["services"] = dict.fromkeys(ids)
    return head


def read_metadata(path: Path) -> CatalogEntry | None:
    """Read a file's metadata cheaply (its header and service ids, :func:`_header`); ``None``
    when it is not a rule set (a shared piece)."""
    try:
        text = read_text_limited(path)
        data = _header(text)
        if data is None:
            data = yaml.load(text, Loader=_LOADER)
    except (TildelingError, yaml.YAMLError, ValueError, OverflowError, RecursionError):
        return None  # not readable as a rule set here; `validate` reports why (e.g. invalid-date)
    if not isinstance(data, dict) or "services" not in data or "id" not in data:
        return None
    try:
        vf = data.get("valid_from")
        vt = data.get("valid_to")
        if not isinstance(vf, _dt.date) or (vt is not None and not isinstance(vt, _dt.date)):
            return None
        return CatalogEntry(path, str(data["id"]), str(data.get("version", "")), str(data.get("municipality", "")),
                            vf, vt, str(data.get("status", "")), _ids(data.get("supersedes")),
                            str(data.get("language", "nb")), bool(data.get("example", False)),
                            _service_ids(data.get("services")))
    except (TypeError, ValueError):
        return None


def _entry(path: Path, fields: dict) -> CatalogEntry:
    return CatalogEntry(path, **fields)


def _service_ids(services: object) -> tuple[str, ...]:
    return tuple(sorted(str(s) for s in services)) if isinstance(services, dict) else ()


def catalog(directory: Path) -> list[CatalogEntry]:
    """Every rule set below ``directory``, sorted by municipality, id and date."""
    from tildeling.rules.cache import MetadataCache

    known = MetadataCache(directory)  # files unchanged since the last run are not parsed again
    entries = []
    for p in sorted(directory.rglob("*.yaml")):
        e = known.metadata(p, read_metadata, _entry)
        if e is not None:
            entries.append(e)
    known.save()
    entries.sort(key=lambda e: (_norm(e.municipality), e.id, e.valid_from))
    return entries


def _ids(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(s) for s in value if isinstance(s, (str, int, float)) and not isinstance(s, bool))
    return ()


def _covers(entry: CatalogEntry, municipality: str, by_id: dict[str, list[CatalogEntry]]) -> bool:
    """Whether ``entry`` is the municipality's or supersedes one of its rule sets (transitively).

    Each rule set is visited once, so cycles and repeats in ``supersedes`` cannot make
    resolution loop (they are reported by :func:`supersedes_problems`)."""
    seen: set[Path] = set()
    todo = [entry]
    while todo:
        e = todo.pop()
        if e.path in seen:
            continue
        seen.add(e.path)
        if _norm(e.municipality) == municipality:
            return True
        for sid in e.supersedes:
            todo.extend(by_id.get(sid, ()))
    return False


def supersedes_problems(entries: list[CatalogEntry], path: Path, display: str | None = None) -> list[Diagnostic]:
    """Problems with the ``supersedes`` list of the rule set in ``path``, against the catalogue:
    repeated ids (or the rule set's own id), ids no rule set has, and cycles."""
    target = path.resolve()
    entry = next((e for e in entries if e.path.resolve() == target), None)
    if entry is None:  # a rule set outside the catalogue's folder: judged against it all the same
        entry = read_metadata(path)
        if entry is None:
            return []
        entries = [*entries, entry]
    if not entry.supersedes:
        return []
    try:
        doc = load_yaml_file(path, display)
    except TildelingError:
        return []
    graph: dict[str, set[str]] = {}
    for e in entries:
        graph.setdefault(e.id, set()).update(e.supersedes)
    out: list[Diagnostic] = []
    seen: set[str] = set()
    for i, sid in enumerate(entry.supersedes):
        span = doc.span_for(("supersedes", i))
        if sid in seen or sid == entry.id:
            out.append(make("supersedes-repeated", "error",
                            "resolve.supersedes_self" if sid == entry.id else "resolve.supersedes_repeated",
                            span, id=sid))
        elif sid not in graph:
            found = suggest(sid, graph)
            out.append(make("supersedes-unknown", "error", "resolve.supersedes_unknown", span,
                            hint_key=phrase("hint.did_you_mean", name=found[0]) if found else None, id=sid))
        else:
            ring = _path_back(graph, sid, entry.id)
            if ring is not None:
                out.append(make("supersedes-cycle", "error", "resolve.supersedes_cycle", span,
                                cycle=" → ".join([entry.id, *ring])))
        seen.add(sid)
    return out


def _path_back(graph: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """The ids from ``start`` along ``supersedes`` to ``goal`` (breadth first), if any."""
    parent: dict[str, str | None] = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        if node == goal:
            chain = []
            cur: str | None = node
            while cur is not None:
                chain.append(cur)
                cur = parent[cur]
            return chain[::-1]
        for nxt in sorted(graph.get(node, ())):
            if nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    return None


def rule_sets_for(entries: list[CatalogEntry], municipality: str) -> list[CatalogEntry]:
    """The rule sets that may judge a case of ``municipality`` on some date: its own, and those
    that supersede them (directly or through others), in catalogue order."""
    target = _norm(municipality)
    by_id: dict[str, list[CatalogEntry]] = {}
    for e in entries:
        by_id.setdefault(e.id, []).append(e)
    return [e for e in entries if _covers(e, target, by_id)]


@dataclass(frozen=True)
class Resolution:
    """The rule set chosen for a municipality and date, with a warning when none was in force."""

    entry: CatalogEntry
    warning: str | None  # set when no rule set was in force on the date


def resolve(entries: list[CatalogEntry], municipality: str, on: _dt.date) -> Resolution | None:
    """The rule set for ``municipality`` in force ``on``; ``None`` if the municipality is unknown."""
    target = _norm(municipality)
    covering = rule_sets_for(entries, municipality)
    if not covering:
        return None
    in_force = [e for e in covering if e.in_force(on)]
    if in_force:
        # Prefer the municipality's own rule set, then the most recent one.
        in_force.sort(key=lambda e: (_norm(e.municipality) != target, -e.valid_from.toordinal(), e.id))
        return Resolution(in_force[0], None)

    # Outside every validity window: take the nearest one in time, and say so.
    def distance(e: CatalogEntry) -> int:
        if on < e.valid_from:
            return (e.valid_from - on).days
        return (on - e.valid_to).days if e.valid_to else 0

    covering.sort(key=lambda e: (distance(e), _norm(e.municipality) != target, e.id))
    return Resolution(covering[0], "no_rule_set_in_force")


def no_rule_set(municipality: str, span: SourceSpan | None, known: Iterable[str] = ()) -> Diagnostic:
    """``unknown-municipality``, with «mente du …?» when one of the ``known`` municipalities
    (those of the rule sets found) is close."""
    by_norm = {_norm(k): k for k in sorted(set(known))}
    found = suggest(_norm(municipality), by_norm)  # «svelvk», «SVELVIK», «Nedre-Eiker»
    if found:
        return make("unknown-municipality", "error", "resolve.no_rule_set", span,
                    hint_key="hint.did_you_mean", hint_args={"name": by_norm[found[0]]}, municipality=municipality)
    return make("unknown-municipality", "error", "resolve.no_rule_set", span,
                hint_key="resolve.no_rule_set.hint", municipality=municipality)
