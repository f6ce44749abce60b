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
import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tildeling.core.diagnostics import Diagnostic, make
from tildeling.core.errors import TildelingError
from tildeling.core.numbers import NUMBER_LIMIT_TEXT, number_problem
from tildeling.core.source import LocatedStr, SourceSpan
from tildeling.i18n.diagnostic_messages import Phrase, phrase
from tildeling.i18n.yaml_problems import describe as describe_yaml_error

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000
MAX_ALIAS_NODES = 10_000  # items reached again through aliases

Path_ = tuple
# libyaml's composer when available (about 14× faster; same marks, same safe subset).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SAFE_TAGS = frozenset("tag:yaml.org,2002:" + t for t in
                       ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))


@dataclass
class YamlDocument:
    """A parsed YAML file: its text, its data and the place of every key and value."""

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


class YamlLoadError(TildelingError):
    """A file that is not readable, safe, bounded YAML; ``diagnostic`` says where and why."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message, [diagnostic])
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
        self.built: set[int] = set()  # collection nodes built once (a second time is an alias)
        self.repeating = 0
        self.repeated = 0

    def scalar(self, node: ScalarNode, span: SourceSpan, *, check_range: bool = True) -> Any:
        """The value of a scalar; impossible dates and numbers out of range are located errors."""
        try:
            value = self.constructor.construct_object(node, deep=True)
        except Exception as exc:  # noqa: BLE001 - a pure function of the scalar's text
            # PyYAML's constructors fail in many ways on text an explicit tag does not fit
            # (``!!bool ja`` KeyError, ``!!timestamp x`` AttributeError, ``!!float`` with no
            # value IndexError, ``!!int 1e5`` ValueError) and on impossible dates.
            if node.tag.endswith(":timestamp"):
                raise YamlLoadError(make("invalid-date", "error", "yaml.invalid_date", span)) from None
            if isinstance(exc, OverflowError) or "exceeds the limit" in str(exc).lower():
                raise YamlLoadError(make("number-out-of-range", "error", "number.out_of_range", span,
                                         limit=NUMBER_LIMIT_TEXT)) from None
            raise YamlLoadError(make("yaml-syntax", "error", "yaml.value_for_tag", span, value=node.value[:80],
                                     tag=node.tag.replace("tag:yaml.org,2002:", "!!"))) from None
        if check_range and isinstance(value, (int, float)) and not isinstance(value, bool):
            problem = number_problem(value, span)
            if problem is not None:
                raise YamlLoadError(problem)
        return value

    def build(self, node: Node, path: tuple, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlLoadError(make("yaml-too-large", "error", "yaml.too_many_nodes",
                                     _span(self.file, node), max=MAX_NODES))
        if isinstance(node, (SequenceNode, MappingNode)):
            if id(node) in self.built or self.repeating:  # an alias (*a) expands its anchor again
                self.repeated += len(node.value)
                if self.repeated > MAX_ALIAS_NODES:  # "billion laughs": small text, huge data
                    raise YamlLoadError(make("yaml-too-large", "error", "yaml.too_many_alias_nodes",
                                             _span(self.file, node), max=MAX_ALIAS_NODES))
                self.repeating += 1
                try:
                    return self._build(node, path, depth)
                finally:
                    self.repeating -= 1
            self.built.add(id(node))
        return self._build(node, path, depth)

    def _build(self, node: Node, path: tuple, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise YamlLoadError(make("yaml-too-deep", "error", "yaml.too_deep",
                                     _span(self.file, node), max=MAX_DEPTH))
        span = _span(self.file, node)
        self.doc.spans[path] = span
        if node.tag not in _SAFE_TAGS:
            raise YamlLoadError(make("yaml-unsafe-tag", "error", "yaml.unsafe_tag", span, tag=node.tag))
        if isinstance(node, ScalarNode):
            value = self.scalar(node, span)
            if isinstance(value, str):
                raw = self.text[node.start_mark.index:node.end_mark.index]
                return LocatedStr(value, span, raw)
            return value
        if isinstance(node, SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            out: dict = {}
            for knode, vnode in node.value:
                if not isinstance(knode, ScalarNode):
                    raise YamlLoadError(make("yaml-syntax", "error", "yaml.complex_key",
                                             _span(self.file, knode)))
                kspan = _span(self.file, knode)
                if knode.tag not in _SAFE_TAGS:
                    raise YamlLoadError(make("yaml-unsafe-tag", "error", "yaml.unsafe_tag", kspan, tag=knode.tag))
                key = self.scalar(knode, kspan, check_range=False)
                if isinstance(key, (_dt.date, bool, int, float)) or key is None:
                    key = knode.value  # keep the text: "2020-01-01", "ja", "1"
                key = LocatedStr(str(key), kspan)
                if key in out:
                    raise YamlLoadError(make("duplicate-key", "error", "yaml.duplicate_key",
                                             _span(self.file, knode), name=str(key)))
                self.doc.key_spans[path + (str(key),)] = _span(self.file, knode)
                out[key] = self.build(vnode, path + (str(key),), depth + 1)
            return out
        raise YamlLoadError(make("yaml-syntax", "error", "yaml.unknown_node", span))


def load_yaml_text(text: str, file: str) -> YamlDocument:
    """Parse one YAML document from ``text``; raise :class:`YamlLoadError` on bad input."""
    doc = YamlDocument(file=file, text=text, data=None)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise YamlLoadError(make("file-too-large", "error", "file.too_large",
                                 SourceSpan(file, 1, 1, 1, 1), mb=MAX_FILE_BYTES // 1_000_000))
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem, hint = describe_yaml_error(exc, text)
        raise YamlLoadError(make("yaml-syntax", "error", "yaml.syntax",
                                 SourceSpan(file, line, col, line, col + 1), problem=problem,
                                 hint_key=hint)) from None
    except yaml.YAMLError as exc:
        problem, hint = describe_yaml_error(exc, text)
        raise YamlLoadError(make("yaml-syntax", "error", "yaml.syntax",
                                 SourceSpan(file, 1, 1, 1, 1), problem=problem, hint_key=hint)) from None
    if node is None:
        doc.data = None
        return doc
    try:
        doc.data = _Builder(file, text, doc).build(node, (), 0)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem, hint = describe_yaml_error(exc, text)
        raise YamlLoadError(make("yaml-syntax", "error", "yaml.syntax",
                                 SourceSpan(file, line, col, line, col + 1), problem=problem,
                                 hint_key=hint)) from None
    except RecursionError:
        raise YamlLoadError(make("yaml-too-deep", "error", "yaml.nested_too_deep",
                                 SourceSpan(file, 1, 1, 1, 1))) from None
    return doc


def read_text_limited(path: str | Path, display: str | None = None, limit: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of ``path``, read only if it is at most ``limit`` bytes.

    Regular files are refused by their size before anything is read; devices, pipes and
    files whose size the system does not report (``/dev/zero``, ``/proc``) are read at most
    ``limit + 1`` bytes, so no input is ever read without bound.
    """
    name = display or str(path)
    where = SourceSpan(name, 1, 1, 1, 1)
    too_large = make("file-too-large", "error", "file.too_large", where, mb=limit // 1_000_000)
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
            if stat.S_ISREG(st.st_mode) and st.st_size > limit:
                raise YamlLoadError(too_large)
            chunks: list[bytes] = []
            got = 0
            while got <= limit:
                chunk = fh.read(limit + 1 - got)
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
    except FileNotFoundError:
        raise YamlLoadError(make("file-not-found", "error", "file.missing", where)) from None
    except OSError as exc:
        raise YamlLoadError(make("file-not-found", "error", "file.unreadable", where,
                                 reason=os_reason(exc))) from None
    if got > limit:
        raise YamlLoadError(too_large)
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlLoadError(make("file-encoding", "error", "file.encoding", where, pos=exc.start)) from None


def os_reason(exc: OSError) -> Phrase:
    """Why the operating system refused, in the user's language (not the C library's English)."""
    name = errno.errorcode.get(exc.errno or 0, "")
    if name in ("EACCES", "EPERM", "EISDIR", "ELOOP", "ENOTDIR"):
        return phrase(f"oserror.{name}")
    return phrase("oserror.other", code=name or str(exc.errno))


def load_yaml_file(path: str | Path, display: str | None = None) -> YamlDocument:
    """Read (bounded, see :func:`read_text_limited`) and parse a YAML file."""
    name = display or str(path)
    return load_yaml_text(read_text_limited(path, name), name)
