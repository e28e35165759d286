"""The command line: parse options, call the core, print, choose the exit code.

Exit codes: 0 valid (warnings allowed), 1 the spec has errors, 2 usage or I/O problems,
3 a bug in airflowspec (reported in one line; AIRFLOWSPEC_TRACEBACK=1 shows the traceback).
"""

from __future__ import annotations

import enum
import importlib.util
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional, TextIO

import typer

from airflowspec import __version__, api
from airflowspec.diagnostics import Diagnostic, shell_word
from airflowspec.printable import printable
from airflowspec.reporters import REPORTER_BY_NAME
from airflowspec.spec import Spec

if TYPE_CHECKING:
    from airflowspec import render_check
    from airflowspec.diff.run import DiffOutcome
    from airflowspec.ssm_push import Options as PushOptions

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
    airflowspec validate airflowspec.yaml             file:line:col errors
    airflowspec render airflowspec.yaml -t eks -o rendered/eks
    airflowspec diff old.yaml new.yaml -t mwaa        what a change does, secrets masked
    airflowspec ssm push airflowspec.yaml             connections and variables for MWAA

    Field reference: docs/spec.md. Exit codes: 0 fine, 1 the spec has errors (diff: differences),
    2 usage or I/O trouble, 3 a bug in airflowspec.
    """


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


@app.command()
def validate(
    specs: SpecsArgument, target: TargetsOption = None, output_format: FormatOption = OutputFormat.text
) -> None:
    """Check specs: YAML, schema, cross-field rules and each target's rules.

    Prints one line per problem as FILE:LINE:COL: SEVERITY CODE MESSAGE (or JSON, or GitHub workflow
    commands). Exits 0 when every spec is valid (warnings allowed), 1 when a spec has errors, 2 when a
    file cannot be read.
    """
    code = EXIT_OK
    names = [t.value for t in target] if target else None
    found: list[Diagnostic] = []
    for spec in specs:
        result = api.validate(spec, names)
        found += result.diagnostics
        code = max(code, _exit_code(result))
    reporter = REPORTER_BY_NAME[output_format.value]
    sys.stdout.write(reporter(found, output_format is OutputFormat.text and _use_colour()))
    raise typer.Exit(code)


@app.command()
def render(
    specs: Annotated[list[Path], typer.Argument(help="The spec file (several with --check).", show_default=False)],
    target: Annotated[
        Optional[TargetName],  # noqa: UP045
        typer.Option(
            "--target", "-t", help="Platform to render for; with --check, default every one found.", show_default=False
        ),
    ] = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", help="Directory to write into; stdout when omitted.", show_default=False),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing: exit 1 and show what differs when the rendered files are stale."),
    ] = False,
) -> None:
    """Render a spec into the files its target installs from.

    eks: values.yaml. mwaa: template.yaml, requirements.txt and ssm-parameters.json.
    Without -o, each file is printed behind a `# Source: FILE` line. Nothing is written when the
    spec has errors. With -o, the old files are replaced only once every new file is complete.
    With --check, the files in -o (by default `rendered/<target>/` beside each spec) are compared
    with what the spec renders to now.
    """
    if check:
        raise typer.Exit(_check_rendered(specs, target, output))
    if len(specs) != 1 or target is None:
        typer.echo("airflowspec render: give one SPEC and --target (several specs only with --check)", err=True)
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(_render(specs[0], target.value, output))


def _render(spec: Path, target: str, output: Path | None) -> int:
    result, artifacts = api.render(spec, target)
    _print(result.diagnostics, sys.stderr)
    if not artifacts:
        return _exit_code(result)
    if output is None:
        for artifact in artifacts:  # as `helm template` prints its manifests
            sys.stdout.write(f"# Source: {artifact.path}\n{artifact.text}")
        return EXIT_OK
    from airflowspec.inputs import folder_within
    from airflowspec.output import OutputProblem, write_artifacts

    try:
        write_artifacts(folder_within(output, spec.parent), artifacts, spec)
    except OutputProblem as exc:
        _say(f"{exc.where}: error {exc.code} will not write the output there: it {exc.message}", err=True)
        return EXIT_USAGE
    except OSError as exc:
        _say(f"{output}: error AS001 cannot write the output: {exc.strerror or exc}", err=True)
        return EXIT_USAGE
    return EXIT_OK


def _check_rendered(specs: list[Path], target: TargetName | None, output: Path | None) -> int:
    from airflowspec import render_check
    from airflowspec.diff.report import text_report
    from airflowspec.inputs import folder_within

    if output is not None and (len(specs) != 1 or target is None):
        typer.echo("airflowspec render --check: -o goes with one SPEC and --target", err=True)
        return EXIT_USAGE
    code = EXIT_OK
    for spec in specs:
        validation = api.validate(spec)
        if validation.spec is None or (target is None and not validation.ok):
            _print(validation.diagnostics, sys.stderr)  # an invalid spec is never "current"
            code = max(code, _exit_code(validation))
            continue
        for name in [target.value] if target else api.declared_targets(validation.spec):
            folder = folder_within(output, spec.parent) if output else render_check.rendered_folder(spec, name)
            if target is None and not (folder.path.exists() or folder.path.is_symlink()):
                continue  # nothing rendered for this target: nothing to keep current
            checked = render_check.check(spec, name, folder)
            _print(checked.validation.diagnostics, sys.stderr)
            code = max(code, _report_check(checked, spec, name, text_report))
    return code


def _report_check(checked: render_check.Checked, spec: Path, target: str, text_report: Callable[..., str]) -> int:
    if checked.problem:
        _say(checked.problem, err=True)
        return EXIT_USAGE
    if not checked.validation.ok:
        return _exit_code(checked.validation)
    if checked.current:
        return EXIT_OK
    command = f"airflowspec render {shell_word(str(spec))} --target {target} -o {shell_word(str(checked.directory))}"
    _say(f"{checked.directory}: stale; run `{command}`")
    for name in checked.missing:
        _say(f"  + {name}: not rendered yet")
    if checked.stale:
        sys.stdout.write(text_report(checked.stale))
    return EXIT_INVALID


ssm_app = typer.Typer(
    name="ssm", help="SSM Parameter Store, where MWAA reads connections and variables.", no_args_is_help=True
)
app.add_typer(ssm_app)


@ssm_app.command("push")
def ssm_push(
    spec: Annotated[Path, typer.Argument(help="The spec file.", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="Delete this environment's parameters that the spec no longer has.")
    ] = False,
    adopt: Annotated[
        bool,
        typer.Option(
            "--adopt",
            help="Take over parameters of another environment, or made by hand, whose value or type differs: "
            "write them and tag them as this environment's.",
        ),
    ] = False,
    profile: Annotated[Optional[str], typer.Option(help="AWS profile; AWS_PROFILE when omitted.")] = None,  # noqa: UP045
    region: Annotated[Optional[str], typer.Option(help="AWS region; AWS_REGION when omitted.")] = None,  # noqa: UP045
) -> None:
    """Write the spec's connections and variables to SSM Parameter Store for MWAA.

    Each secret is read from its `env` source now; a missing or empty one stops the push before
    anything is written. A parameter belongs to this environment when its airflowspec:environment
    tag is the spec's name; written ones are tagged so. Parameters whose value and type already match
    are left alone, whoever owns them. Push never changes a parameter of another environment or one
    made by hand: it refuses (AS504) before writing anything, unless --adopt takes it over. --prune
    deletes only this environment's parameters. A type change (String/SecureString) that SSM cannot
    make in place is a delete and a create; if the create fails, the old value is put back. If AWS
    fails midway, it says what was written, what was not, and any value lost; a re-run finishes.
    Prints one line per parameter, never a value. Honours the usual AWS settings (AWS_PROFILE,
    AWS_REGION, AWS_ENDPOINT_URL, ...). Exits 0 when done, 1 when the spec or a secret is missing
    something or a parameter belongs to someone else, 2 when AWS refuses or fails.
    """
    validation = api.validate(spec, ["mwaa"])
    _print(validation.diagnostics, sys.stderr)
    if not validation.ok or validation.spec is None:
        raise typer.Exit(_exit_code(validation))
    if importlib.util.find_spec("boto3") is None:
        _say(f"{validation.file}: error AS503 ssm push needs boto3: pip install 'airflowspec[aws]'", err=True)
        raise typer.Exit(EXIT_USAGE)
    from airflowspec import ssm_push as pushing

    options = pushing.Options(dry_run=dry_run, prune=prune, adopt=adopt, profile=profile, region=region)
    raise typer.Exit(_push(validation, validation.spec, options))


def _push(validation: api.Validation, spec: Spec, options: PushOptions) -> int:
    from airflowspec import ssm_push as pushing

    done = []
    try:
        for action in pushing.push(spec, options, os.environ):
            done.append(action)
            _say(action.describe(options.dry_run))
    except pushing.PushProblems as problems:
        _print(tuple(validation.locate(problems.diagnostics)), sys.stderr)
        return EXIT_INVALID
    except pushing.PushStopped as stopped:  # say what was and was not done; a bug still reaches main
        for line in [*stopped.lines(), stopped.summary(done)]:
            _say(line)
        text = pushing.describe_aws_error(stopped.cause)
        if text is None:
            raise stopped.cause from None
        message = f"{text}; the push stopped midway, as listed above; a re-run finishes it"
        _say(f"{validation.file}: error AS503 {message}", err=True)
        return EXIT_USAGE
    except Exception as exc:
        text = pushing.describe_aws_error(exc)
        if text is None:
            raise
        _say(f"{validation.file}: error AS503 {text}", err=True)
        return EXIT_USAGE
    typer.echo(pushing.summary(done, options.dry_run))
    return EXIT_OK


@app.command()
def diff(
    old: Annotated[
        Path, typer.Argument(help="The spec as it is (or the only spec, with --against).", show_default=False)
    ],
    target: Annotated[TargetName, typer.Option("--target", "-t", help="Platform to compare for.", show_default=False)],
    new: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Argument(help="The spec as it will be.", show_default=False),
    ] = None,
    against: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            help="Compare the spec with what is deployed: a `render -o` directory, `helm get values -o yaml`, "
            "`aws mwaa get-environment` or `aws ssm get-parameters-by-path --with-decryption` output "
            "(`-` reads it from standard input).",
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
) -> None:
    """Show what a change does to the platform: artifact by artifact, path by path, with its impact.

    Secrets are masked. Exits 0 when there is no difference, 1 when there are differences,
    2 when a spec is invalid or an input cannot be read (the convention of diff(1)).
    """
    from airflowspec.diff.run import diff_against, diff_specs

    if (new is None) == (against is None):
        typer.echo("airflowspec diff: give either NEW or --against, not both or neither", err=True)
        raise typer.Exit(EXIT_USAGE)
    if against is not None:
        outcome = diff_against(old, against, target.value, os.environ, show_secrets)
    else:
        assert new is not None
        outcome = diff_specs(old, new, target.value, show_secrets)
    raise typer.Exit(_report_diff(outcome, output_format))


def _report_diff(outcome: DiffOutcome, output_format: OutputFormat) -> int:
    from airflowspec.diff.report import github_report, json_report, text_report

    for validation in outcome.validations:
        _print(validation.diagnostics, sys.stderr)
    for line in (outcome.problem, *outcome.warnings):
        if line:
            _say(line, err=True)
    if outcome.failed:
        return EXIT_USAGE
    if output_format is OutputFormat.json:
        sys.stdout.write(json_report(outcome.changes))
    elif output_format is OutputFormat.github:
        sys.stdout.write(github_report(outcome.changes))
    else:
        sys.stdout.write(text_report(outcome.changes, _colour if _use_colour() else _plain))
    return EXIT_INVALID if outcome.changes else EXIT_OK


_COLOURS = {"add": typer.colors.GREEN, "change": typer.colors.YELLOW, "remove": typer.colors.RED}


def _colour(text: str, kind: str) -> str:
    return typer.style(text, fg=_COLOURS[kind])


def _plain(text: str, kind: str) -> str:
    return text


def _use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the spec.")] = Path("airflowspec.yaml"),
    target: Annotated[TargetName, typer.Option("--target", "-t", help="The platform to start for.")] = TargetName.eks,
) -> None:
    """Write a commented starter spec that validates and renders as written. Never overwrites a file."""
    from airflowspec.starter import starter_spec

    if path.exists():
        _say(f"{path}: error AS001 already exists; airflowspec init does not overwrite", err=True)
        raise typer.Exit(EXIT_USAGE)
    text = starter_spec(target.value, path)
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except OSError as exc:
        _say(f"{path}: error AS001 cannot write it: {exc.strerror or exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    typer.echo(f"wrote {shell_word(str(path))}; next: airflowspec validate {shell_word(str(path))}")


@app.command()
def schema() -> None:
    """Print the spec's JSON Schema (the same file as schema/airflowspec.schema.json)."""
    from airflowspec.schema_file import schema_text

    sys.stdout.write(schema_text())


def _say(text: str, err: bool = False) -> None:
    """A line that may carry untrusted text (a path, a name read from AWS): nothing a terminal acts on."""
    typer.echo(printable(text), err=err)


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
