"""A cache of checked rule sets on disk, so that a new process need not read, parse and
check a rule set it has seen before (issue 9, cold start).

What is stored is data, never code: the checked :class:`RuleSet` written as JSON — its
own data classes (frozen dataclasses, the pydantic models of ``files/model.py``, enums),
containers, dates and located strings, tagged with the class name. Reading it back builds
only classes defined in tildeling that are data (dataclasses, enums, and for the pydantic
models their plain twins of ``files/plainmodel.py``, so that no pydantic is imported);
anything else in an entry makes it unusable, and it is ignored. The compiled plan (the
generated functions) is built again from it by the compiler as before.

An entry is keyed by the sha256 of the rule-set file, the name it is shown by and the
working directory (positions in diagnostics name files relative to it), tildeling's version,
this format's version and the size and time of change of the code that checks rule sets; it records the files the rule set used besides its own (the
vocabulary, the staircase, parameter files, the legal register) with their sha256, and is
used only when they are all unchanged.

Where: ``$TILDELING_CACHE_DIR``, else ``$XDG_CACHE_HOME/tildeling``, else
``~/.cache/tildeling``; ``TILDELING_CACHE=0`` turns it off. The cache never makes a command
fail: an unreadable, corrupt or outdated entry is ignored (and written again), and a
folder that cannot be written is left alone. Entries are written atomically (a temporary
file renamed into place), only the user's own entries are read (the folder is made private),
and beyond :data:`MAX_ENTRIES` the oldest are removed. Cases are never stored.
"""

from __future__ import annotations

import datetime as _dt
import enum
import hashlib
import importlib
import json
import os
import sys
from dataclasses import is_dataclass
from pathlib import Path
from typing import Any

from tildeling.core.source import LocatedStr, SourceSpan
from tildeling.files.plainmodel import TWINS, PlainModel

#: The module of the pydantic file models, whose objects are read back as their plain twins
#: (:mod:`tildeling.files.plainmodel`): a rule set from the cache needs no pydantic.
_MODELS = "tildeling.files.model"

#: Bumped whenever the stored form or the classes it holds change shape.
FORMAT = 2


# --- where and whether ------------------------------------------------------------------------

def cache_dir() -> Path | None:
    """The folder entries are kept in, or ``None`` when the cache is turned off."""
    if os.environ.get("TILDELING_CACHE", "1").strip().lower() in ("0", "false", "no", "off"):
        return None
    explicit = os.environ.get("TILDELING_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "tildeling"
    return Path.home() / ".cache" / "tildeling"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


#: The stages whose code builds (and compiles) a checked rule set: a change to any of their
#: files (a new version installed, or an edit in a checkout) makes every entry outdated.
_STAGES = ("core", "evaluation", "files", "i18n", "language", "rules")

#: Entries kept at most; writing one more removes the oldest (an edited rule set leaves its
#: old entries behind).
MAX_ENTRIES = 500


def _code_fingerprint() -> str:
    """tildeling's version and the size and time of change of the files of :data:`_STAGES`."""
    package = sys.modules["tildeling"]  # the package itself (importing it here would point up the stages)
    parts = [f"tildeling {package.__version__}", f"format {FORMAT}"]
    root = Path(str(package.__file__)).parent
    for stage in _STAGES:
        with os.scandir(root / stage) as found:
            for f in sorted(found, key=lambda e: e.name):
                if f.is_file() and f.name.endswith((".py", ".lark")):
                    st = f.stat()
                    parts.append(f"{stage}/{f.name} {st.st_size} {st.st_mtime_ns}")
    return "\n".join(parts)


def entry_key(text: bytes, display: str) -> str:
    """The key of a rule set whose file holds ``text`` and is shown as ``display``."""
    parts = [_code_fingerprint(), display, os.getcwd(), _sha(text)]
    return _sha("\n".join(parts).encode("utf-8"))


def _file_sha(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return _sha(fh.read())
    except OSError:
        return None


# --- reading and writing entries --------------------------------------------------------------

def read_entry(directory: Path, key: str) -> Any | None:
    """The rule set stored under ``key``, or ``None`` (no entry, an old or corrupt one, or a
    file it depends on has changed)."""
    try:
        stored = json.loads(_read_own(directory / f"{key}.json"))
        if not isinstance(stored, dict) or stored.get("format") != FORMAT or stored.get("key") != key:
            return None
        for path, digest in stored["depends"]:
            if _file_sha(path) != digest:
                return None
        return decode(stored["ruleset"])
    except Exception:  # noqa: BLE001 - a cache entry never breaks a command
        return None


def write_entry(directory: Path, key: str, ruleset: Any, depends: list[str]) -> bool:
    """Store ``ruleset`` under ``key`` with the files it depends on; ``False`` when it cannot
    be stored (a folder that cannot be written, or something in it that is not data)."""
    try:
        deps = []
        for path in depends:
            digest = _file_sha(path)
            if digest is None:
                return False
            deps.append([path, digest])
        body = json.dumps({"format": FORMAT, "key": key, "depends": deps, "ruleset": encode(ruleset)},
                          ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        _write_atomically(directory, f"{key}.json", body)
        _prune(directory)
        return True
    except Exception:  # noqa: BLE001 - a cache entry never breaks a command
        return False


# --- the stored form --------------------------------------------------------------------------
#
# ``{"layouts": [[class, name…]…], "files": [name…], "value": value}``, where in a value JSON scalars stand for themselves (str, int, bool, null; floats that are finite). Everything
# else is an array whose first item says what it is:
#   ["L", id, items…] list      ["D", id, k, v, k, v…] dict      ["S", id, items…] set
#   ["T", items…] tuple         ["F", items…] frozenset          ["f", "inf"] a float not finite
#   ["d", iso] date             ["t", iso] datetime               ["s", value, span, raw] LocatedStr
#                                                                 (raw 1: the same as the value)
#   ["E", class, value] enum    ["G", module, name] a module-level constant (kept identical)
#   ["p", file, line, column, end line, end column] a SourceSpan (``files[file]`` names it)
#   ["O", id, layout, value…] an object of a data class: ``layouts[layout]`` is its class
#                              and the names of its attributes, in the order of the values
#   ["R", id] the object, list, dict or set already read with that id (shared or cyclic)
#   ["X", id, base, k, v, k, v…] a dict that starts with every item of the dict read before
#                              with id ``base`` (the same keys and the very same values, in
#                              order), then has these: each service's scope extends the rule
#                              set's, and reading a copy of it is much cheaper than its items


#: A dict of at least this many items may be written as an extension of an earlier one ("X"),
#: looking back at most :data:`_BASES` large dicts.
_LARGE = 32
_BASES = 8


class NotData(TypeError):
    """Something in a rule set the cache does not store (the rule set is then not cached)."""


def _class_name(cls: type) -> str:
    if issubclass(cls, PlainModel):  # stored as the model it stands for: the same entry either way
        return f"{_MODELS}:{cls.__name__}"
    return f"{cls.__module__}:{cls.__qualname__}"


def _is_data_class(cls: type) -> bool:
    if not cls.__module__.startswith("tildeling."):
        return False
    return (is_dataclass(cls) or hasattr(cls, "__pydantic_fields__")
            or (isinstance(cls, type) and issubclass(cls, (enum.Enum, PlainModel))))


def _attributes(obj: Any) -> dict[str, Any]:
    values = dict(vars(obj)) if hasattr(obj, "__dict__") else {}
    for klass in type(obj).__mro__:
        for name in getattr(klass, "__slots__", ()):
            if name in ("__dict__", "__weakref__") or name in values:
                continue
            try:
                values[name] = object.__getattribute__(obj, name)
            except AttributeError:
                continue
    return values


def _constants() -> dict[int, tuple[str, str]]:
    """Module-level objects of the loaded tildeling modules, by id: written by name, so that
    one read back is the very same object (code compares some with ``is``)."""
    found: dict[int, tuple[str, str]] = {}
    for mname, module in list(sys.modules.items()):
        if not mname.startswith("tildeling.") or module is None:
            continue
        for name, value in list(vars(module).items()):
            if name.startswith("__") or isinstance(value, (type, str, int, float, bool, type(None))):
                continue
            if callable(value) and not _is_data_class(type(value)):
                continue
            found.setdefault(id(value), (mname, name))
    return found


def _ordered(items: set | frozenset) -> Any:
    """A set's items in a stable order where they are all strings (the entry is then the same
    from one process to the next); the order of a set is no part of its value."""
    return sorted(items) if all(type(x) is str for x in items) else items


def encode(value: Any) -> Any:
    """``value`` in the stored form; raises :class:`NotData` for anything it does not store."""
    memo: dict[int, int] = {}
    keep: list[Any] = []  # the objects given ids stay alive while encoding
    layouts: dict[tuple[str, ...], int] = {}  # (class, attribute names…) → its index
    files: dict[str, int] = {}  # the file names of spans → their index
    constants = _constants()
    bases: list[tuple[dict, int]] = []  # large dicts written in full, newest last (for "X")

    def base_of(d: dict) -> tuple[int, int] | None:
        """The id and size of a large dict written before whose items ``d`` starts with."""
        for b, bid in reversed(bases[-_BASES:]):
            if len(b) <= len(d) and all(bv is dv and (bk is dk or (type(bk) is str and type(dk) is str and bk == dk))
                                        for (bk, bv), (dk, dv) in zip(b.items(), d.items())):
                return bid, len(b)
        return None

    def enc(o: Any) -> Any:
        t = type(o)
        if o is None or t is str or t is bool or t is int:
            return o
        if t is float:
            return o if o == o and o not in (float("inf"), float("-inf")) else ["f", repr(o)]
        if t is tuple:
            return ["T", *(enc(x) for x in o)]
        if t is frozenset:
            return ["F", *(enc(x) for x in _ordered(o))]
        if t is _dt.date:
            return ["d", o.isoformat()]
        if t is _dt.datetime:
            return ["t", o.isoformat()]
        if t is SourceSpan:
            file = files.get(o.file)
            if file is None:
                file = files[o.file] = len(files)
            return ["p", file, o.line, o.column, o.end_line, o.end_column]
        if t is LocatedStr:
            value = str(o)
            return ["s", value, enc(o.span), 1 if o._raw == value else o._raw]
        oid = id(o)
        if oid in memo:
            return ["R", memo[oid]]
        if oid in constants:
            module, name = constants[oid]
            return ["G", module, name]
        if isinstance(o, enum.Enum):
            if not _is_data_class(t):
                raise NotData(_class_name(t))
            return ["E", _class_name(t), enc(o.value)]
        memo[oid] = len(memo)
        keep.append(o)
        if t is list:
            return ["L", memo[oid], *(enc(x) for x in o)]
        if t is set:
            return ["S", memo[oid], *(enc(x) for x in _ordered(o))]
        if t is dict:
            base = base_of(o) if len(o) >= _LARGE else None
            if base is not None:
                out: list[Any] = ["X", memo[oid], base[0]]
                items = list(o.items())[base[1]:]
            else:
                out = ["D", memo[oid]]
                items = list(o.items())
            for k, v in items:
                out.append(enc(k))
                out.append(enc(v))
            if base is None and len(o) >= _LARGE:
                bases.append((o, memo[oid]))  # written in full: read in full before any later dict
            return out
        if not _is_data_class(t):
            raise NotData(_class_name(t))
        attributes = _attributes(o)
        layout = (_class_name(t), *attributes)
        index = layouts.get(layout)
        if index is None:
            index = layouts[layout] = len(layouts)
        return ["O", memo[oid], index, *(enc(v) for v in attributes.values())]

    body = enc(value)
    return {"layouts": [list(k) for k in layouts], "files": list(files), "value": body}


def _check_layout(cls: type, names: tuple[str, ...]) -> None:
    """The attributes stored for ``cls`` must include every field it has now."""
    if issubclass(cls, PlainModel):
        return  # a model's twin: it holds whatever the model's fields were (the key covers the code)
    if is_dataclass(cls):
        from dataclasses import fields

        wanted = {f.name for f in fields(cls)}
    else:
        wanted = set(getattr(cls, "__pydantic_fields__", ()))
    if not wanted <= set(names):
        raise NotData(f"{_class_name(cls)}: fields changed")


def _load_class(name: str) -> type:
    module, _, qualname = name.partition(":")
    if not module.startswith("tildeling."):
        raise NotData(name)
    if module == _MODELS:  # a pydantic file model: read back as its plain twin (no pydantic)
        twin = TWINS.get(qualname)
        if twin is None:
            raise NotData(name)
        return twin
    cls: Any = importlib.import_module(module)
    for part in qualname.split("."):
        cls = getattr(cls, part)
    if not isinstance(cls, type) or not _is_data_class(cls):
        raise NotData(name)
    return cls


def decode(stored: Any) -> Any:
    """A value back from its stored form (:func:`encode`)."""
    memo: dict[int, Any] = {}
    classes: dict[str, type] = {}

    def cls_of(name: str) -> type:
        cls = classes.get(name)
        if cls is None:
            cls = classes[name] = _load_class(name)
        return cls

    layouts = [(cls_of(k[0]), tuple(k[1:])) for k in stored["layouts"]]
    for cls, names in layouts:
        _check_layout(cls, names)
    # Objects whose attributes all live in their __dict__ (no __slots__) are filled through it.
    in_dict = [not any(getattr(k, "__slots__", None) for k in cls.__mro__[:-1]) for cls, _ in layouts]
    files = stored["files"]
    setattr_ = object.__setattr__
    new = object.__new__

    def dec(s: Any) -> Any:
        if type(s) is not list:
            return s
        tag = s[0]
        if tag == "O":
            cls, names = layouts[s[2]]
            obj: Any = new(cls)
            memo[s[1]] = obj
            if in_dict[s[2]]:
                obj.__dict__.update(zip(names, [dec(v) if type(v) is list else v for v in s[3:]]))
            else:
                for name, v in zip(names, s[3:]):
                    setattr_(obj, name, dec(v) if type(v) is list else v)
            return obj
        if tag == "p":
            return SourceSpan(files[s[1]], s[2], s[3], s[4], s[5])
        if tag == "T":
            return tuple([dec(x) if type(x) is list else x for x in s[1:]])
        if tag == "D":
            d: dict = {}
            memo[s[1]] = d
            for i in range(2, len(s), 2):
                k, v = s[i], s[i + 1]
                d[dec(k) if type(k) is list else k] = dec(v) if type(v) is list else v
            return d
        if tag == "L":
            lst: list = []
            memo[s[1]] = lst
            lst.extend([dec(x) if type(x) is list else x for x in s[2:]])
            return lst
        if tag == "R":
            return memo[s[1]]
        if tag == "X":
            x = dict(memo[s[2]])
            memo[s[1]] = x
            for i in range(3, len(s), 2):
                k, v = s[i], s[i + 1]
                x[dec(k) if type(k) is list else k] = dec(v) if type(v) is list else v
            return x
        if tag == "s":
            return LocatedStr(s[1], dec(s[2]), s[1] if s[3] == 1 else s[3])
        if tag == "F":
            return frozenset([dec(x) if type(x) is list else x for x in s[1:]])
        if tag == "d":
            return _dt.date.fromisoformat(s[1])
        if tag == "E":
            return cls_of(s[1])(dec(s[2]))
        if tag == "G":
            if not s[1].startswith("tildeling."):
                raise NotData(s[1])
            return getattr(importlib.import_module(s[1]), s[2])
        if tag == "S":
            st: set = set()
            memo[s[1]] = st
            st.update([dec(x) if type(x) is list else x for x in s[2:]])
            return st
        if tag == "t":
            return _dt.datetime.fromisoformat(s[1])
        if tag == "f":
            return float(s[1])
        raise NotData(f"tag {tag!r}")

    return dec(stored["value"])


# --- the rule set, through the cache ----------------------------------------------------------

def _register_file() -> str | None:
    from tildeling.core.packaged import packaged

    ref = packaged("legal", "sections.yaml")
    return str(ref) if isinstance(ref, Path) or hasattr(ref, "__fspath__") else None


def _depends(path: Path, ruleset: Any) -> list[str] | None:
    """The files besides its own a rule set was built from, or ``None`` when one is unknown."""
    register = _register_file()
    if register is None:
        return None
    base = path.parent
    uses = ruleset.meta.uses
    files = [base / uses.vocabulary, base / uses.staircase, *(base / p for p in uses.parameters)]
    return [str(f.resolve()) for f in files] + [register]


class Lookup:
    """A rule-set file looked up in the cache: :attr:`ruleset` is the checked rule set when
    an entry was found (``None`` otherwise); after reading and compiling the file the usual
    way, :meth:`store` keeps it for the next process."""

    def __init__(self, path: str | Path, display: str | None = None) -> None:
        self.path = Path(path)
        self.display = display or str(self.path)
        self.ruleset: Any = None
        self._directory = cache_dir()
        self._key: str | None = None
        self._text = b""
        if self._directory is None:
            return
        try:
            self._text = self.path.read_bytes()
            self._key = entry_key(self._text, self.display)
        except OSError:
            return
        found = read_entry(self._directory, self._key)
        from tildeling.rules.ruleset import RuleSet

        if isinstance(found, RuleSet) and found.register is None:
            from tildeling.rules.legal import load_register

            found.register = load_register()
            self.ruleset = found

    def store(self, ruleset: Any) -> None:
        """Keep ``ruleset`` (read from this file, checked and compiled without error) —
        unless the file changed meanwhile or the cache is off."""
        if self._key is None or self._directory is None:
            return
        try:
            if self.path.read_bytes() != self._text:
                return
        except OSError:
            return
        depends = _depends(self.path, ruleset)
        if depends is not None:
            from dataclasses import replace

            write_entry(self._directory, self._key, replace(ruleset, register=None), depends)


def load_checked(path: str | Path, *, display: str | None = None) -> Any:
    """:func:`tildeling.rules.ruleset.load_ruleset` through the cache: the same rule set, or
    the same :class:`RuleSetError` for an invalid one (which is never stored). The rule set
    is stored once checked; :class:`Lookup` lets a caller store it only once compiled."""
    found = Lookup(path, display)
    if found.ruleset is not None:
        return found.ruleset
    from tildeling.rules.ruleset import load_ruleset

    ruleset = load_ruleset(path, display=display)
    found.store(ruleset)
    return ruleset


# --- the catalogue: each rule-set file's metadata, by its sha256 ------------------------------

class MetadataCache:
    """The metadata of the files of one rules folder (``rules/resolve.py``: what the list of
    rule sets needs), each kept with the sha256 of the file it was read from: a file whose
    content is unchanged is not parsed again. One entry per folder; written only when
    something in it changed."""

    def __init__(self, folder: Path) -> None:
        self._where = cache_dir()
        self._known: dict[str, Any] = {}
        self._seen: dict[str, Any] = {}
        self._changed = False
        self._key = ""
        if self._where is None:
            return
        try:
            self._key = _sha(f"{_code_fingerprint()}\n{folder.resolve()}".encode("utf-8"))
            stored = json.loads(_read_own(self._where / f"catalog-{self._key}.json"))
            if isinstance(stored, dict) and stored.get("format") == FORMAT and stored.get("key") == self._key:
                self._known = stored["files"]
        except Exception:  # noqa: BLE001 - a cache entry never breaks a command
            self._known = {}

    def metadata(self, path: Path, read: Any, build: Any) -> Any:
        """``read(path)`` (the metadata, or ``None``), or what was stored for the same content;
        ``build(path, fields)`` makes the result from stored fields."""
        if self._where is None:
            return read(path)
        try:
            with open(path, "rb") as fh:
                digest = _sha(fh.read())
        except OSError:
            return read(path)
        name = str(path)
        known = self._known.get(name)
        if isinstance(known, list) and len(known) == 2 and known[0] == digest:
            try:
                found = None if known[1] is None else build(path, decode(known[1]))
                self._seen[name] = known
                return found
            except Exception:  # noqa: BLE001 - an unusable entry is read again
                pass
        found = read(path)
        try:
            fields = None if found is None else encode({k: v for k, v in vars(found).items() if k != "path"})
        except NotData:
            return found
        self._seen[name] = [digest, fields]
        self._changed = True
        return found

    def save(self) -> None:
        """Write the entry when a file's metadata was read (atomically; errors ignored)."""
        if self._where is None or not (self._changed or set(self._seen) != set(self._known)):
            return
        try:
            body = json.dumps({"format": FORMAT, "key": self._key, "files": self._seen},
                              ensure_ascii=False, separators=(",", ":"), allow_nan=False)
            _write_atomically(self._where, f"catalog-{self._key}.json", body)
        except Exception:  # noqa: BLE001 - a cache entry never breaks a command
            pass


def _read_own(path: Path) -> bytes:
    """The bytes of an entry, if the user running tildeling owns it (an entry someone else
    could have written is never trusted: it is ignored, and written again)."""
    with open(path, "rb") as fh:
        if hasattr(os, "getuid") and os.fstat(fh.fileno()).st_uid != os.getuid():
            raise PermissionError(f"{path} is not the user's own")
        return fh.read()


def _prune(directory: Path) -> None:
    """Remove the oldest entries beyond :data:`MAX_ENTRIES`."""
    try:
        entries = [e for e in os.scandir(directory) if e.name.endswith(".json") and e.is_file()]
        if len(entries) <= MAX_ENTRIES:
            return
        entries.sort(key=lambda e: e.stat().st_mtime_ns)
        for e in entries[:len(entries) - MAX_ENTRIES]:
            os.unlink(e.path)
    except OSError:
        pass


def _write_atomically(directory: Path, name: str, body: str) -> None:
    if not directory.is_dir():
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)  # the cache is the user's own
    import tempfile  # only when writing (cold start)

    fd, tmp = tempfile.mkstemp(prefix=f".{name[:24]}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(body)
        os.replace(tmp, directory / name)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# --- parsed data files (the legal register) ---------------------------------------------------

def parsed_data(kind: str, text: str, parse: Any) -> Any:
    """``parse(text)`` — plain data (as from a YAML file: dicts, lists, strings, numbers,
    dates) — or what was stored for the same ``text``: reading JSON is much cheaper than
    parsing YAML."""
    where = cache_dir()
    if where is None:
        return parse(text)
    raw = text.encode("utf-8")
    key = _sha(f"{_code_fingerprint()}\n{kind}\n{_sha(raw)}".encode("utf-8"))
    name = f"{kind}-{key}.json"
    try:
        stored = json.loads(_read_own(where / name))
        if isinstance(stored, dict) and stored.get("format") == FORMAT and stored.get("key") == key:
            return decode(stored["data"])
    except Exception:  # noqa: BLE001 - a cache entry never breaks a command
        pass
    data = parse(text)
    try:
        body = json.dumps({"format": FORMAT, "key": key, "data": encode(data)},
                          ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        _write_atomically(where, name, body)
    except Exception:  # noqa: BLE001
        pass
    return data
