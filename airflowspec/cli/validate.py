"""`airflowspec validate`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from airflowspec import api
from airflowspec.cli.common import (
    EXIT_OK,
    EnvOption,
    FormatOption,
    IgnoreOption,
    OutputFormat,
    QuietOption,
    SpecsArgument,
    TargetsOption,
    app,
    exit_code,
    leave_out,
    say,
    use_colour,
)
from airflowspec.diagnostics import Diagnostic
from airflowspec.reporters import REPORTER_BY_NAME


@app.command()
def validate(
    specs: SpecsArgument,
    target: TargetsOption = None,
    env: EnvOption = None,
    constraints: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            metavar="FILE",
            help="Airflow's constraints file to check `packages` against; default: the one "
            "`airflowspec packages fetch-constraints` cached. Nothing is fetched here.",
            show_default=False,
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.text,
    ignore: IgnoreOption = None,
    quiet: QuietOption = False,
) -> None:
    """Check specs: YAML, schema, cross-field rules and each target's rules.

    Prints one line per problem as FILE:LINE:COL: SEVERITY CODE MESSAGE (or JSON, or GitHub workflow
    commands). A spec with `environments:` is checked as the base and as each environment merged over
    it (only ENV with --env); each problem names where it was found. Exits 0 when every spec is valid
    (warnings allowed), 1 when a spec has errors, 2 when a file cannot be read.
    """
    noise = leave_out(ignore, quiet)
    code = EXIT_OK
    names = [t.value for t in target] if target else None
    found: list[Diagnostic] = []
    notices: dict[str, None] = {}
    for spec in specs:
        result = api.validate(spec, names, env, constraints)
        found += result.diagnostics
        notices |= dict.fromkeys(result.notices)
        code = max(code, exit_code(result))
    for notice in notices if not quiet else ():
        say(f"airflowspec: notice: {notice}", err=True)
    reporter = REPORTER_BY_NAME[output_format.value]
    sys.stdout.write(reporter(list(noise.keep(found)), output_format is OutputFormat.text and use_colour()))
    raise typer.Exit(code)
