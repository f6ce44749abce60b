"""The command line: ``tildeling evaluate | validate | test | diff | rules | schemas | corpus``.

Exit codes (contract): evaluate 0 evaluated / 1 invalid input / 2 usage error;
validate 0 all valid / 1 errors; test 0 all passed / 1 any failed; diff 0 done
(1 with --fail-on-change and changes) / 1 invalid input; rules 0. Every command: 3 internal
error (a bug in tildeling: a short message asking to report it; the traceback only with the
global option ``--debug``, as in ``tildeling --debug evaluate sak.yaml``).

Each command lives in a module of its own; importing them registers them on the app.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

import typer

from tildeling import __version__
# The commands register themselves on the app, in the order --help lists them.
from tildeling.cli import evaluate, validate, test, diff, catalog, corpus  # noqa: F401,I001
from tildeling.cli.common import _err, _error_line, _out, app
from tildeling.core.errors import InternalError, TildelingError, UsageError
from tildeling.i18n.diagnostic_messages import LANGUAGES, render


def version_callback(value: bool) -> None:
    if value:
        _out(f"tildeling {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                       help="Show the version."),
          debug: bool = typer.Option(False, "--debug", help="Show the traceback of an internal error.")) -> None:
    if debug:  # per-input internal errors are logged with their traceback at debug level
        log = logging.getLogger("tildeling")
        log.addHandler(logging.StreamHandler(sys.stderr))
        log.setLevel(logging.DEBUG)


EXIT_INTERNAL = 3


def main() -> None:
    try:
        app()
    except UsageError as exc:
        _err(_error_line(exc.message))
        sys.exit(2)
    except InternalError as exc:
        _internal(exc)
    except TildelingError as exc:  # a bug if it gets here; still no traceback for users
        _err(_error_line(exc.message))
        sys.exit(1)
    except Exception as exc:  # the edge: anything else is a bug in tildeling
        _internal(exc)


def _internal(exc: BaseException) -> None:
    """Report a bug without a traceback (unless --debug) and without any value from the input."""
    argv = sys.argv[1:]
    if "--debug" in argv:
        traceback.print_exception(exc)
    lang = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--lang"), "nb")
    lang = lang if lang in LANGUAGES else "nb"
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames if "tildeling" in f.filename] or frames
    place = f"{Path(mine[-1].filename).name}:{mine[-1].lineno}" if mine else "?"
    _err(render("cli.internal_error", lang, {"type": type(exc).__name__, "place": place}))
    sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":  # pragma: no cover
    main()
