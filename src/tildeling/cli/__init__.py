"""The command line: ``tildeling evaluate | validate | test | diff | rules | schemas``.

Exit codes (contract): evaluate 0 evaluated / 1 invalid input / 2 usage error;
validate 0 all valid / 1 errors; test 0 all passed / 1 any failed; diff 0 done
(1 with --fail-on-change and changes) / 1 invalid input; rules 0.

Each command lives in a module of its own; importing them registers them on the app.
"""

from __future__ import annotations

import sys

import typer

from tildeling import __version__
# The commands register themselves on the app, in the order --help lists them.
from tildeling.cli import evaluate, validate, test, diff, catalog  # noqa: F401,I001
from tildeling.cli.common import _err, _error_line, _out, app
from tildeling.core.errors import TildelingError


def version_callback(value: bool) -> None:
    if value:
        _out(f"tildeling {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                       help="Show the version.")) -> None:
    pass


def main() -> None:
    try:
        app()
    except TildelingError as exc:  # a bug if it gets here; still no traceback for users
        _err(_error_line(exc.message))
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
