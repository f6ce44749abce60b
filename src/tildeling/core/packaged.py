"""Files packaged with tildeling (``tildeling/data/…``), found without
``importlib.resources`` where the package is a folder on disk: importing it (with
``tempfile``, ``zipfile`` and their imports) is a noticeable part of a cold start (issue 9)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any


def packaged(*parts: str) -> Any:
    """``tildeling/data/<parts…>``: a :class:`~pathlib.Path` when the package is a folder (the
    same path ``importlib.resources.files`` gives then), else the resource itself."""
    package = sys.modules["tildeling"]
    where = Path(str(package.__file__)).parent.joinpath("data", *parts)
    if where.exists():
        return where
    from importlib import resources

    return resources.files("tildeling").joinpath("data", *parts)
