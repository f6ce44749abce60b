"""The typer app with every command on it (importing the command modules registers them),
and the global options ``--version`` and ``--debug``."""

from __future__ import annotations

import logging
import sys

import typer

from tildeling import __version__
# The commands register themselves on the app, in the order --help lists them.
from tildeling.cli import evaluate, validate, test, diff, harmonise, compare, catalog, corpus  # noqa: F401,I001
from tildeling.cli.common import _out, app

evaluate.register(app)  # first: --help lists it first, as before
# validate, test, diff, catalog and corpus registered themselves when imported above; typer lists
# commands in registration order, so they are moved behind evaluate.
app.registered_commands.sort(key=lambda c: getattr(c.callback, "__name__", "") != "evaluate")


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
