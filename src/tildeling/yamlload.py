"""Safe YAML loading that keeps source positions and enforces size limits.

Only the safe subset of YAML is understood (``yaml.SafeLoader``'s composer and resolver):
no Python tags, no object construction. Strings come back as :class:`LocatedStr`; every
mapping key and value and every list item has its span recorded in a ``spans`` table keyed
by its path, so that a validation error at ``("services", "bpa", "step")`` can be reported
at the right line and column.

>>> doc = load_yaml_text("a:\\n  b: [1, 2]\\n", "x.yaml")
>>> doc.data
{'a': {'b': [1, 2]}}
>>> doc.spans[("a", "b", 1)].short()
'x.yaml:2:10'
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic
from .source import LocatedStr, SourceSpan

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000

Path_ = tuple
# libyaml's composer when available (about 14× faster; same marks, same safe subset).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SAFE_TAGS = frozenset("tag:yaml.org,2002:" + t for t in
                       ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))


@dataclass
class YamlDocument:
    file: str
    text: str
    data: Any
    spans: dict[Path_, SourceSpan] = field(default_factory=dict)
    key_spans: dict[Path_, SourceSpan] = field(default_factory=dict)

    def span_for(self, path: Path_, *, key: bool = False) -> SourceSpan | None:
        """The span of the node at ``path``, or of its nearest existing ancestor."""
        table = self.key_spans if key else self.spans
        p = tuple(path)
        while True:
            if p in table:
                return table[p]
            if key and p in self.spans:
                return self.spans[p]
            if not p:
                return None
            p = p[:-1]


class YamlLoadError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _span(file: str, node: Node) -> SourceSpan:
    s, e = node.start_mark, node.end_mark
    return SourceSpan(file, s.line + 1, s.column + 1, e.line + 1, e.column + 1)


class _Builder:
    def __init__(self, file: str, text: str, doc: YamlDocument):
        self.file = file
        self.text = text
        self.doc = doc
        self.count = 0
        self.constructor = yaml.SafeLoader("")  # used only to construct scalars

    def build(self, node: Node, path: tuple, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlLoadError(Diagnostic("yaml-too-large", "error",
                                           f"Filen har mer enn {MAX_NODES} YAML-noder.",
                                           _span(self.file, node)))
        if depth > MAX_DEPTH:
            raise YamlLoadError(Diagnostic("yaml-too-deep", "error",
                                           f"Filen er nøstet dypere enn {MAX_DEPTH} nivåer.",
                                           _span(self.file, node)))
        span = _span(self.file, node)
        self.doc.spans[path] = span
        if node.tag not in _SAFE_TAGS:
            raise YamlLoadError(Diagnostic("yaml-unsafe-tag", "error",
                                           f"YAML-merket «{node.tag}» er ikke tillatt; bare vanlige verdier, lister og tabeller.",
                                           span))
        if isinstance(node, ScalarNode):
            try:
                value = self.constructor.construct_object(node, deep=True)
            except (ValueError, OverflowError) as exc:
                code = "invalid-date" if node.tag.endswith(":timestamp") else "yaml-syntax"
                raise YamlLoadError(Diagnostic(code, "error", f"Ugyldig verdi «{node.value}» ({exc}).", span)) from None
            if isinstance(value, str):
                raw = self.text[node.start_mark.index:node.end_mark.index]
                return LocatedStr(value, span, raw)
            if isinstance(value, float) and value != value:  # .nan
                raise YamlLoadError(Diagnostic("yaml-syntax", "error", "NaN er ikke en gyldig verdi.", span))
            return value
        if isinstance(node, SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            out: dict = {}
            for knode, vnode in node.value:
                if not isinstance(knode, ScalarNode):
                    raise YamlLoadError(Diagnostic("yaml-syntax", "error",
                                                   "Nøkler må være enkle verdier.", _span(self.file, knode)))
                key = self.constructor.construct_object(knode, deep=True)
                if isinstance(key, (_dt.date, bool, int, float)) or key is None:
                    key = knode.value  # keep the text: "2020-01-01", "ja", "1"
                key = LocatedStr(str(key), _span(self.file, knode))
                if key in out:
                    raise YamlLoadError(Diagnostic("duplicate-key", "error",
                                                   f"Nøkkelen «{key}» står to ganger.", _span(self.file, knode)))
                self.doc.key_spans[path + (str(key),)] = _span(self.file, knode)
                out[key] = self.build(vnode, path + (str(key),), depth + 1)
            return out
        raise YamlLoadError(Diagnostic("yaml-syntax", "error", "Ukjent YAML-node.", span))


def load_yaml_text(text: str, file: str) -> YamlDocument:
    """Parse one YAML document from ``text``; raise :class:`YamlLoadError` on bad input."""
    doc = YamlDocument(file=file, text=text, data=None)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise YamlLoadError(Diagnostic("file-too-large", "error",
                                       f"Filen er større enn {MAX_FILE_BYTES // 1_000_000} MB.",
                                       SourceSpan(file, 1, 1, 1, 1)))
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (exc.problem or exc.context or "ugyldig YAML").strip()
        raise YamlLoadError(Diagnostic("yaml-syntax", "error", f"YAML-feil: {problem}.",
                                       SourceSpan(file, line, col, line, col + 1))) from None
    except yaml.YAMLError as exc:
        raise YamlLoadError(Diagnostic("yaml-syntax", "error", f"YAML-feil: {exc}.",
                                       SourceSpan(file, 1, 1, 1, 1))) from None
    if node is None:
        doc.data = None
        return doc
    try:
        doc.data = _Builder(file, text, doc).build(node, (), 0)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlLoadError(Diagnostic("yaml-syntax", "error", f"YAML-feil: {exc.problem}.",
                                       SourceSpan(file, line, col, line, col + 1))) from None
    except RecursionError:
        raise YamlLoadError(Diagnostic("yaml-too-deep", "error", "Filen er nøstet for dypt.",
                                       SourceSpan(file, 1, 1, 1, 1))) from None
    return doc


def load_yaml_file(path: str | Path, display: str | None = None) -> YamlDocument:
    """Read and parse a YAML file (UTF-8), with the file size checked before reading."""
    p = Path(path)
    name = display or str(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise YamlLoadError(Diagnostic("file-not-found", "error",
                                       f"Fant ikke filen ({exc.strerror}).", SourceSpan(name, 1, 1, 1, 1))) from None
    if size > MAX_FILE_BYTES:
        raise YamlLoadError(Diagnostic("file-too-large", "error",
                                       f"Filen er større enn {MAX_FILE_BYTES // 1_000_000} MB.",
                                       SourceSpan(name, 1, 1, 1, 1)))
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlLoadError(Diagnostic("file-encoding", "error",
                                       f"Filen er ikke UTF-8 (byte {exc.start}).", SourceSpan(name, 1, 1, 1, 1))) from None
    except OSError as exc:
        raise YamlLoadError(Diagnostic("file-not-found", "error",
                                       f"Kunne ikke lese filen ({exc.strerror}).", SourceSpan(name, 1, 1, 1, 1))) from None
    return load_yaml_text(text, name)
