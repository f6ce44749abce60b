"""The command line: ``tildeling evaluate | validate | test | diff | rules | schemas | corpus``.

Exit codes (contract): evaluate 0 evaluated / 1 invalid input / 2 usage error;
validate 0 all valid / 1 errors; test 0 all passed / 1 any failed; diff 0 done
(1 with --fail-on-change and changes) / 1 invalid input; rules 0. Every command: 3 internal
error (a bug in tildeling: a short message asking to report it; the traceback only with the
global option ``--debug``, as in ``tildeling --debug evaluate sak.yaml``).

Each command lives in a module of its own; importing them (``tildeling.cli.commands``)
registers them on the app. The common ``evaluate`` call runs without typer
(:mod:`tildeling.cli.lean`), everything else through it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tildeling.cli.lean import evaluate_arguments
from tildeling.cli.output import _err, _error_line
from tildeling.core.errors import InternalError, TildelingError, UsageError
from tildeling.i18n.diagnostic_messages import LANGUAGES, render


def __getattr__(name: str) -> object:
    # The typer app (and with it typer, click and every command) is loaded when first used.
    if name == "app":
        from tildeling.cli.commands import app

        return app
    raise AttributeError(f"module 'tildeling.cli' has no attribute {name!r}")


EXIT_INTERNAL = 3


def main() -> None:
    # tildeling validates its own files with pydantic; looking for third-party pydantic
    # plugins (a scan of every installed package's metadata) is a good part of a cold start
    # and of no use here. A value the user set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        plain = evaluate_arguments(sys.argv[1:])
        if plain is None:
            from tildeling.cli.commands import app

            app()
        else:  # the common `tildeling evaluate` call: without typer (cold start)
            sys.exit(_plain(plain))
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


def _plain(arguments: dict) -> int:
    """Run ``evaluate`` as typer's standalone mode would: a closed pipe ends quietly with 1
    and an interrupt prints «Aborted!» and ends with 1 (click's behaviour)."""
    from tildeling.cli.evaluate import evaluate_cases

    try:
        return evaluate_cases(**arguments)
    except (EOFError, KeyboardInterrupt):
        _err("\nAborted!")
        return 1
    except BrokenPipeError:
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)  # nothing more to flush into the closed pipe
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _internal(exc: BaseException) -> None:
    """Report a bug without a traceback (unless --debug) and without any value from the input."""
    import traceback  # only for a bug (cold start)

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
