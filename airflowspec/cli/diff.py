"""`airflowspec diff`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from airflowspec.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    NOISE,
    EnvOption,
    FormatOption,
    IgnoreOption,
    OutputFormat,
    QuietOption,
    TargetName,
    app,
    colour,
    environment_missing,
    leave_out,
    plain,
    print_diagnostics,
    use_colour,
)

if TYPE_CHECKING:
    from airflowspec.diff.run import DiffOutcome


@app.command()
def diff(
    old: Annotated[
        Path, typer.Argument(help="The spec as it is (or the only spec, with --against).", show_default=False)
    ],
    target: Annotated[
        TargetName,
        typer.Option(
            "--target", "-t", metavar="TARGET", help="Platform to compare for: eks or mwaa.", show_default=False
        ),
    ],
    new: Annotated[
        Path | None,
        typer.Argument(help="The spec as it will be.", show_default=False),
    ] = None,
    against: Annotated[
        Path | None,
        typer.Option(
            metavar="DEPLOYED",
            help="Compare the spec with what is deployed: a `render -o` directory, `helm get values -o yaml`, "
            "`aws mwaa get-environment` or `aws ssm get-parameters-by-path --with-decryption` output "
            "(`-` reads it from standard input).",
            show_default=False,
        ),
    ] = None,
    env: EnvOption = None,
    to_env: Annotated[
        str | None,
        typer.Option(
            "--to-env",
            metavar="ENV",
            help="The environment to compare with: of NEW, or without NEW of the same spec (a promotion: "
            "--env staging --to-env prod). Default: --env.",
            show_default=False,
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.text,
    show_secrets: Annotated[
        bool,
        typer.Option(
            "--show-secrets", help="Show literal spec values at secret-like keys (never resolved or live ones)."
        ),
    ] = False,
    ignore: IgnoreOption = None,
    quiet: QuietOption = False,
) -> None:
    """Show what a change does to the platform: artifact by artifact, path by path, with its impact.

    A spec with `environments:` is compared as one environment, --env ENV; `--env staging --to-env prod`
    without NEW shows what promoting staging's settings to prod changes there.
    Secrets are masked. Exits 0 when there is no difference, 1 when there are differences,
    2 when a spec is invalid or an input cannot be read (the convention of diff(1)).
    """
    from airflowspec.diff.run import diff_against, diff_specs

    leave_out(ignore, quiet)
    promotion = new is None and against is None and to_env is not None
    if ((new is None) == (against is None) and not promotion) or (against is not None and to_env is not None):
        typer.echo("airflowspec diff: give NEW, --against or --to-env, one of them", err=True)
        raise typer.Exit(EXIT_USAGE)
    if against is not None:
        outcome = diff_against(old, against, target.value, os.environ, show_secrets, env)
    else:
        outcome = diff_specs(old, new or old, target.value, show_secrets, (env, to_env or env))
    if any(environment_missing(v, v.env, "diff") for v in outcome.validations if v.env is None):
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(_report_diff(outcome, output_format))


def _report_diff(outcome: DiffOutcome, output_format: OutputFormat) -> int:
    """Text: the diagnostics on standard error, as every command prints them. JSON and GitHub: everything
    on standard output, in that format."""
    from airflowspec.diff.report import github_report, json_report, text_report

    changes = None if outcome.failed else outcome.changes
    diagnostics = NOISE.get().keep(outcome.diagnostics)
    if output_format is OutputFormat.json:
        sys.stdout.write(json_report(changes, diagnostics))
    elif output_format is OutputFormat.github:
        sys.stdout.write(github_report(changes, diagnostics))
    else:
        print_diagnostics(diagnostics, sys.stderr)
        if changes is not None:
            sys.stdout.write(text_report(changes, colour if use_colour() else plain))
    if changes is None:
        return EXIT_USAGE
    return EXIT_INVALID if changes else EXIT_OK
