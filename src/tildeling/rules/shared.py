"""The shared pieces a rule set uses (vocabulary, staircase, parameter files), read and
checked once per process and file version: every rule set that names the same file shares
the parsed model and its diagnostics."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from tildeling.core.diagnostics import DiagnosticBag
from tildeling.files.yamlload import YamlLoadError, load_yaml_file

_SHARED_CACHE: dict[tuple, Any] = {}


def load_shared(path: Path, model: type, bag: DiagnosticBag, display: str):
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_mtime_ns, st.st_size, model.__name__)
    except OSError:
        key = None
    if key is not None and key in _SHARED_CACHE:
        obj, diags, digest = _SHARED_CACHE[key]
        bag.extend(diags)
        return obj, digest
    diags = []
    obj = None
    digest = ""
    try:
        from tildeling.files.modelcheck import validate_document  # pydantic: only when a file is read

        doc = load_yaml_file(path, display)
        digest = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        obj, diags = validate_document(doc, model)
    except YamlLoadError as exc:
        diags = [exc.diagnostic]
    if key is not None:
        _SHARED_CACHE[key] = (obj, diags, digest)
    bag.extend(diags)
    return obj, digest
