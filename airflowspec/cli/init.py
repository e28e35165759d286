"""`airflowspec init`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from airflowspec.cli.common import EXIT_USAGE, TargetName, app, write_new_file
from airflowspec.diagnostics import shell_word


@app.command()
def init(
    path: Annotated[
        str,
        typer.Argument(
            metavar="PATH",
            help="The spec file to write, or a folder (an existing one, or PATH/) to write airflowspec.yaml into; "
            "missing folders are made.",
        ),
    ] = "airflowspec.yaml",
    target: Annotated[
        TargetName, typer.Option("--target", "-t", metavar="TARGET", help="The platform to start for: eks or mwaa.")
    ] = TargetName.eks,
    environments: Annotated[
        bool, typer.Option("--environments", help="Write it with two environments, dev and prod, to start from.")
    ] = False,
) -> None:
    """Write a commented starter spec that validates and renders as written. Never overwrites a file."""
    from airflowspec.starter import SCHEMA_FILE, starter_spec

    spec = Path(path, "airflowspec.yaml") if path.endswith("/") or Path(path).is_dir() else Path(path)
    if not write_new_file(spec, starter_spec(target.value, spec, environments)):
        raise typer.Exit(EXIT_USAGE)
    typer.echo(f"wrote {shell_word(str(spec))}; next: airflowspec validate {shell_word(str(spec))}")
    schema = spec.parent / SCHEMA_FILE
    if not os.path.lexists(schema):
        typer.echo(f"for completion in editors: airflowspec schema > {shell_word(str(schema))}")
