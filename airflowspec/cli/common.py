"""What every command shares: the app, exit codes, option types, and printing that escapes untrusted text."""

from __future__ import annotations

import contextvars
import dataclasses
import enum
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TextIO

import typer
import typer.core

from airflowspec import api
from airflowspec.diagnostics import Diagnostic, Severity
from airflowspec.printable import printable

if TYPE_CHECKING:
    from airflowspec.inputs import Folder
    from airflowspec.targets import Artifact

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3

app = typer.Typer(
    name="airflowspec",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Command(typer.core.TyperCommand):
    """A command whose --help reads like the README: `validate [OPTIONS] SPEC...`, `init [PATH]`,
    `--target TARGET`. An argument shows its metavar, else its name in capitals; an option that takes a
    value its metavar, else its long name in capitals (as argparse does); never a Python type.
    Contexts and formatters are typed Any: they are click's, bundled inside typer since 0.2x."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.metavar is not None or getattr(param, "is_flag", False) or getattr(param, "count", False):
                continue
            if param.param_type_name == "argument":
                param.metavar = (param.name or "").upper()
            else:
                param.metavar = max(param.opts, key=len).lstrip("-").upper()

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        return pieces + [_argument_name(param) for param in self.get_params(ctx) if param.param_type_name == "argument"]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        sections: dict[str, list[tuple[str, str]]] = {"Arguments": [], "Options": []}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                sections["Arguments"].append((_argument_name(param), record[1]))
            else:
                sections["Options"].append(record)
        for title, records in sections.items():
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


def _argument_name(argument: Any) -> str:
    name = f"{argument.metavar}..." if argument.nargs != 1 else str(argument.metavar)
    return name if argument.required else f"[{name}]"


def use_readme_help(typer_app: typer.Typer) -> None:
    """Every command of `typer_app` and of the groups added to it prints its help as `Command` does."""
    for command in typer_app.registered_commands:
        if command.cls in (None, typer.core.TyperCommand):  # typer's default: no class of the command's own
            command.cls = Command
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            use_readme_help(group.typer_instance)


class TargetName(str, enum.Enum):
    eks = "eks"
    mwaa = "mwaa"


SpecsArgument = Annotated[list[Path], typer.Argument(metavar="SPEC", help="Spec files to check.", show_default=False)]
TargetsOption = Annotated[
    Optional[list[TargetName]],  # noqa: UP045 - typer reads the annotation at run time on 3.10
    typer.Option(
        "--target",
        "-t",
        metavar="TARGET",
        help="Check the rules of this target, eks or mwaa (repeatable); default: the targets the spec declares.",
    ),
]


EnvOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--env",
        "-e",
        metavar="ENV",
        help="The environment of the spec's `environments:` to use; a spec that declares some needs one.",
        show_default=False,
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
        metavar="FORMAT",
        help="text for people; json for tools (validate: JSON Lines, diff: one document); github for annotations.",
    ),
]


IgnoreOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--ignore",
        metavar="CODE",
        help="Do not print warnings with this code, e.g. AS315 (repeatable); errors always print. "
        "A spec can also list codes it has acknowledged under `acknowledge:`.",
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print no warnings; errors always print.")]


@dataclasses.dataclass(frozen=True)
class Noise:
    """Which warnings a command leaves out (`--ignore CODE`, `--quiet`); an error is never left out."""

    ignore: frozenset[str] = frozenset()
    quiet: bool = False

    @classmethod
    def of(cls, ignore: list[str] | None, quiet: bool) -> Noise:
        codes = frozenset(code.upper() for code in ignore or ())
        unknown = sorted(code for code in codes if not _CODE.fullmatch(code))
        if unknown:
            say(f"airflowspec: --ignore takes codes like AS315, not {', '.join(unknown)}", err=True)
            raise typer.Exit(EXIT_USAGE)
        return cls(codes, quiet)

    def keep(self, diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
        return tuple(
            d for d in diagnostics if d.severity is Severity.ERROR or not (self.quiet or d.code in self.ignore)
        )


_CODE = re.compile(r"AS[0-9]{3}")
#: The warnings the running command leaves out: set by the command from its options, reset for each run.
NOISE: contextvars.ContextVar[Noise] = contextvars.ContextVar("noise", default=Noise())  # noqa: B039 - frozen


def leave_out(ignore: list[str] | None, quiet: bool) -> Noise:
    """Take the command's `--ignore`/`--quiet` for everything it prints from now on."""
    noise = Noise.of(ignore, quiet)
    NOISE.set(noise)
    return noise


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
    for diagnostic in NOISE.get().keep(diagnostics):
        stream.write(f"{diagnostic}\n")


def environment_missing(validation: api.Validation, env: str | None, command: str) -> bool:
    """Says so when the spec declares environments and the command was given none: the base alone is
    no deployment, and writing or pushing it would be a mistake."""
    if env is not None or not validation.environments:
        return False
    names = ", ".join(validation.environments)
    say(
        f"{validation.file}: error AS116 the spec declares environments ({names}); choose one with --env ENV"
        + (" or use --all" if command == "render" else ""),
        err=True,
    )
    return True


def write_output(
    spec: Path, folder: Folder, artifacts: list[Artifact], what: str = "the output", target: str | None = None
) -> int:
    """Write `artifacts` into `folder` through the one writer (no link followed, `spec` never
    overwritten, the old files whole on failure); the exit code, after saying why when it could not.
    With `target`, a file it renders for other specs, left there by an earlier render, is removed."""
    from airflowspec.output import OutputProblem, write_artifacts
    from airflowspec.targets import TARGETS

    rendered = {artifact.path for artifact in artifacts}
    retired = [name for name in TARGETS[target].optional if name not in rendered] if target else []
    try:
        write_artifacts(folder, artifacts, spec, retired)
    except OutputProblem as exc:
        say(f"{exc.where}: error {exc.code} will not write {what} there: it {exc.message}", err=True)
        return EXIT_USAGE
    except OSError as exc:
        say(f"{folder.path}: error AS001 cannot write {what}: {exc.strerror or exc}", err=True)
        return EXIT_USAGE
    return EXIT_OK


def write_new_file(path: Path, text: str) -> bool:
    """Write `text` as the new file `path` (never over one, missing folders made, nothing left behind on
    failure); False after saying why it could not be written."""
    from airflowspec.inputs import folder_within
    from airflowspec.new_file import create_file
    from airflowspec.output import OutputProblem

    working = Path.cwd() if path.is_absolute() else Path()
    try:
        create_file(folder_within(path.parent, working), path.name, text)
    except OutputProblem as exc:
        say(f"{exc.where}: error {exc.code} {exc.message}", err=True)
        return False
    except OSError as exc:
        say(f"{path}: error AS001 cannot write it: {exc.strerror or exc}", err=True)
        return False
    return True


def exit_code(result: api.Validation) -> int:
    if result.io_error:
        return EXIT_USAGE
    return EXIT_OK if result.ok else EXIT_INVALID
