"""The command line: parse options, call the core, print, choose the exit code.

Exit codes: 0 valid (warnings allowed), 1 the spec has errors, 2 usage or I/O problems,
3 a bug in airflowspec (reported in one line; AIRFLOWSPEC_TRACEBACK=1 shows the traceback).
Each command is a module of this package; importing them, in this order, registers them on `app`.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from airflowspec import __version__
from airflowspec.cli.common import EXIT_BUG, NOISE, Noise, app, use_readme_help


def _version(value: bool) -> None:
    if value:
        typer.echo(f"airflowspec {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """One typed spec file for an Airflow environment: validate it, render it for its platform.

    \b
    airflowspec init                                  a starter spec
    airflowspec import values.yaml -o spec.yaml       a spec from what is deployed
    airflowspec validate airflowspec.yaml             file:line:col errors
    airflowspec render airflowspec.yaml -t eks -o rendered/eks
    airflowspec diff old.yaml new.yaml -t mwaa        what a change does, secrets masked
    airflowspec secrets push airflowspec.yaml         connections and variables for MWAA

    Field reference: docs/spec.md. Exit codes: 0 fine, 1 the spec has errors (diff: differences),
    2 usage or I/O trouble, 3 a bug in airflowspec.
    """
    NOISE.set(Noise())  # each run starts printing every warning; a command's --ignore/--quiet narrow it


from airflowspec.cli import validate, render, secrets, ssm, diff, init, import_command, packages, schema  # noqa: E402, F401, I001 - registration order

use_readme_help(app)


def main() -> None:
    """Entry point: the one error boundary. A bug is one line on stderr and exit code 3."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # the boundary: anything else is a bug in airflowspec
        if os.environ.get("AIRFLOWSPEC_TRACEBACK"):
            raise
        sys.stderr.write(
            f"airflowspec: internal error: {type(exc).__name__}; please report it with the spec that caused it\n"
        )
        sys.exit(EXIT_BUG)
