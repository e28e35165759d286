"""`airflowspec init`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from airflowspec.cli.common import EXIT_USAGE, TargetName, app, say
from airflowspec.diagnostics import shell_word


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the spec.")] = Path("airflowspec.yaml"),
    target: Annotated[TargetName, typer.Option("--target", "-t", help="The platform to start for.")] = TargetName.eks,
) -> None:
    """Write a commented starter spec that validates and renders as written. Never overwrites a file."""
    from airflowspec.starter import starter_spec

    if path.exists():
        say(f"{path}: error AS001 already exists; airflowspec init does not overwrite", err=True)
        raise typer.Exit(EXIT_USAGE)
    text = starter_spec(target.value, path)
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except OSError as exc:
        say(f"{path}: error AS001 cannot write it: {exc.strerror or exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    typer.echo(f"wrote {shell_word(str(path))}; next: airflowspec validate {shell_word(str(path))}")
