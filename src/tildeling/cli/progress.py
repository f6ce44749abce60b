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

from tildeling.i18n.messages import msg, msg_n


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
    ``update`` is ``None`` when no bar is drawn.

    Every word on the bar is in ``lang``: the label («Sammenligner saker»), and the count and
    speed («1 234 saker», «812 saker/s», :func:`done_text`) — not rich's English «it/s»."""
    if not (wanted() if enabled is None else enabled):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[done]}"),
                        TimeElapsedColumn(), console=Console(file=sys.stderr), auto_refresh=False,
                        transient=True)
    task = progress.add_task(msg("diff.progress", lang), total=None, done=done_text(0, None, lang))
    start = last = time.monotonic()

    def update(n: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= 0.1:
            last = now
            progress.update(task, completed=n, done=done_text(n, n / (now - start), lang))
            progress.refresh()
        else:
            progress.update(task, completed=n)

    with progress:
        yield update


def done_text(n: int, rate: float | None, lang: str) -> str:
    """The count and speed on the bar, in ``lang``; numbers grouped by thousands as the
    language writes them.

    >>> done_text(12345, 812.4, "nb"), done_text(1, None, "nn"), done_text(2000, 1500.0, "en")
    ('12\u00a0345 saker, 812 saker/s', '1 sak', '2,000 cases, 1,500 cases/s')
    """
    count = msg_n("progress.cases", n, lang, count=_grouped(n, lang))
    if rate is None:
        return count
    return count + ", " + msg("progress.rate", lang, rate=_grouped(round(rate), lang))


def _grouped(n: int, lang: str) -> str:
    """``n`` with thousands grouped: a no-break space in Norwegian, a comma in English."""
    text = f"{n:,}"
    return text if lang == "en" else text.replace(",", "\u00a0")


__all__ = ["corpus_progress", "done_text", "wanted"]
