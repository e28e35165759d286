"""`airflowspec render`, and `render --check`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from airflowspec import api
from airflowspec.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    TargetName,
    app,
    exit_code,
    print_diagnostics,
    say,
)
from airflowspec.diagnostics import shell_word

if TYPE_CHECKING:
    from airflowspec import render_check


@app.command()
def render(
    specs: Annotated[list[Path], typer.Argument(help="The spec file (several with --check).", show_default=False)],
    target: Annotated[
        TargetName | None,
        typer.Option(
            "--target", "-t", help="Platform to render for; with --check, default every one found.", show_default=False
        ),
    ] = None,
    output: Annotated[
        Path | None,
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
    print_diagnostics(result.diagnostics, sys.stderr)
    if not artifacts:
        return exit_code(result)
    if output is None:
        for artifact in artifacts:  # as `helm template` prints its manifests
            sys.stdout.write(f"# Source: {artifact.path}\n{artifact.text}")
        return EXIT_OK
    from airflowspec.inputs import folder_within
    from airflowspec.output import OutputProblem, write_artifacts

    try:
        write_artifacts(folder_within(output, spec.parent), artifacts, spec)
    except OutputProblem as exc:
        say(f"{exc.where}: error {exc.code} will not write the output there: it {exc.message}", err=True)
        return EXIT_USAGE
    except OSError as exc:
        say(f"{output}: error AS001 cannot write the output: {exc.strerror or exc}", err=True)
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
            print_diagnostics(validation.diagnostics, sys.stderr)  # an invalid spec is never "current"
            code = max(code, exit_code(validation))
            continue
        for name in [target.value] if target else api.declared_targets(validation.spec):
            folder = folder_within(output, spec.parent) if output else render_check.rendered_folder(spec, name)
            if target is None and not (folder.path.exists() or folder.path.is_symlink()):
                continue  # nothing rendered for this target: nothing to keep current
            checked = render_check.check(spec, name, folder)
            print_diagnostics(checked.validation.diagnostics, sys.stderr)
            code = max(code, _report_check(checked, spec, name, text_report))
    return code


def _report_check(checked: render_check.Checked, spec: Path, target: str, text_report: Callable[..., str]) -> int:
    if checked.problem:
        say(checked.problem, err=True)
        return EXIT_USAGE
    if not checked.validation.ok:
        return exit_code(checked.validation)
    if checked.current:
        return EXIT_OK
    command = f"airflowspec render {shell_word(str(spec))} --target {target} -o {shell_word(str(checked.directory))}"
    say(f"{checked.directory}: stale; run `{command}`")
    for name in checked.missing:
        say(f"  + {name}: not rendered yet")
    if checked.stale:
        sys.stdout.write(text_report(checked.stale))
    return EXIT_INVALID
