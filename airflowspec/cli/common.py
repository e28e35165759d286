"""What every command shares: the app, exit codes, option types, and printing that escapes untrusted text."""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import Annotated, Optional, TextIO

import typer

from airflowspec import api
from airflowspec.diagnostics import Diagnostic
from airflowspec.printable import printable

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3

app = typer.Typer(
    name="airflowspec",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class TargetName(str, enum.Enum):
    eks = "eks"
    mwaa = "mwaa"


SpecsArgument = Annotated[list[Path], typer.Argument(help="Spec files to check.", show_default=False)]
TargetsOption = Annotated[
    Optional[list[TargetName]],  # noqa: UP045 - typer reads the annotation at run time on 3.10
    typer.Option(
        "--target", "-t", help="Check the rules of this target (repeatable); default: the targets the spec declares."
    ),
]


class OutputFormat(str, enum.Enum):
    text = "text"
    json = "json"
    github = "github"


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        help="text for people; json for tools (validate: JSON Lines, diff: one document); github for annotations.",
    ),
]


_COLOURS = {"add": typer.colors.GREEN, "change": typer.colors.YELLOW, "remove": typer.colors.RED}


def colour(text: str, kind: str) -> str:
    return typer.style(text, fg=_COLOURS[kind])


def plain(text: str, kind: str) -> str:
    return text


def use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def say(text: str, err: bool = False) -> None:
    """A line that may carry untrusted text (a path, a name read from AWS): nothing a terminal acts on."""
    typer.echo(printable(text), err=err)


def print_diagnostics(diagnostics: tuple[Diagnostic, ...], stream: TextIO) -> None:
    for diagnostic in diagnostics:
        stream.write(f"{diagnostic}\n")


def exit_code(result: api.Validation) -> int:
    if result.io_error:
        return EXIT_USAGE
    return EXIT_OK if result.ok else EXIT_INVALID
