"""The command line: parse options, call the core, print, choose the exit code.

Exit codes: 0 valid (warnings allowed), 1 the spec has errors, 2 usage or I/O problems,
3 a bug in airflowspec (reported in one line; AIRFLOWSPEC_TRACEBACK=1 shows the traceback).
"""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import Annotated, Optional, TextIO

import typer

from airflowspec import __version__, api
from airflowspec.diagnostics import Diagnostic

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3

app = typer.Typer(
    name="airflowspec",
    help="One typed spec file for an Airflow environment: validate it, render it for its platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class TargetName(str, enum.Enum):
    eks = "eks"


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
    """One typed spec file for an Airflow environment: validate it, render it for its platform."""


SpecsArgument = Annotated[list[Path], typer.Argument(help="Spec files to check.", show_default=False)]
TargetsOption = Annotated[
    Optional[list[TargetName]],  # noqa: UP045 - typer reads the annotation at run time on 3.10
    typer.Option(
        "--target", "-t", help="Check the rules of this target (repeatable); default: the targets the spec declares."
    ),
]


@app.command()
def validate(specs: SpecsArgument, target: TargetsOption = None) -> None:
    """Check specs: YAML, schema, cross-field rules and each target's rules.

    Prints one line per problem as FILE:LINE:COL: SEVERITY CODE MESSAGE.
    Exits 0 when every spec is valid (warnings allowed), 1 when a spec has errors, 2 when a file cannot be read.
    """
    code = EXIT_OK
    names = [t.value for t in target] if target else None
    for spec in specs:
        result = api.validate(spec, names)
        _print(result.diagnostics, sys.stdout)
        code = max(code, _exit_code(result))
    raise typer.Exit(code)


@app.command()
def render(
    spec: Annotated[Path, typer.Argument(help="The spec file.", show_default=False)],
    target: Annotated[TargetName, typer.Option("--target", "-t", help="Platform to render for.", show_default=False)],
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", help="Directory to write into; stdout when omitted.", show_default=False),
    ] = None,
) -> None:
    """Render a spec into the files its target installs from (for eks: values.yaml).

    Nothing is written when the spec has errors. With -o, the old files are replaced only
    once every new file is complete.
    """
    result, artifacts = api.render(spec, target.value)
    _print(result.diagnostics, sys.stderr)
    if not artifacts:
        raise typer.Exit(_exit_code(result))
    if output is None:
        for artifact in artifacts:
            sys.stdout.write(artifact.text)
        raise typer.Exit(EXIT_OK)
    from airflowspec.output import write_artifacts

    try:
        write_artifacts(output, artifacts)
    except OSError as exc:
        typer.echo(f"{output}: error AS001 cannot write the output: {exc.strerror or exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    raise typer.Exit(EXIT_OK)


@app.command()
def schema() -> None:
    """Print the spec's JSON Schema (the same file as schema/airflowspec.schema.json)."""
    from airflowspec.schema_file import schema_text

    sys.stdout.write(schema_text())


def _print(diagnostics: tuple[Diagnostic, ...], stream: TextIO) -> None:
    for diagnostic in diagnostics:
        stream.write(f"{diagnostic}\n")


def _exit_code(result: api.Validation) -> int:
    if result.io_error:
        return EXIT_USAGE
    return EXIT_OK if result.ok else EXIT_INVALID


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
