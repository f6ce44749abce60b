"""A progress bar for long corpus runs, on stderr, only for a person at a terminal.

Nothing is drawn when stderr is not a terminal (a pipe, a file, a test runner) or under CI
(``$CI`` set, as GitHub Actions, GitLab and most others set it), so logs and captured output
stay byte-identical. The bar is redrawn from the caller's own updates, at most ten times a
second, with no thread of its own (worker processes are forked while it runs).
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import Callable, Iterator, Optional

from tildeling.i18n.messages import msg


def wanted() -> bool:
    """Whether to draw a bar: stderr is a terminal, not a dumb one, and this is not CI."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def corpus_progress(lang: str, *, enabled: bool | None = None) -> Iterator[Optional[Callable[[int], None]]]:
    """``with corpus_progress("nb") as update:`` — ``update(n)`` says ``n`` inputs are done;
    ``update`` is ``None`` when no bar is drawn."""
    if not (wanted() if enabled is None else enabled):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}"),
                        TaskProgressColumn(show_speed=True), TimeElapsedColumn(),
                        console=Console(file=sys.stderr), auto_refresh=False, transient=True)
    task = progress.add_task(msg("diff.progress", lang), total=None)
    last = 0.0

    def update(n: int) -> None:
        nonlocal last
        now = time.monotonic()
        progress.update(task, completed=n)
        if now - last >= 0.1:
            last = now
            progress.refresh()

    with progress:
        yield update


__all__ = ["corpus_progress", "wanted"]
