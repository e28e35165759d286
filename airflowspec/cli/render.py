"""`airflowspec render`, and `render --check`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from airflowspec import api, rendered_folders
from airflowspec.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    IgnoreOption,
    QuietOption,
    TargetName,
    app,
    exit_code,
    leave_out,
    print_diagnostics,
    say,
)
from airflowspec.diagnostics import shell_word

if TYPE_CHECKING:
    from airflowspec import render_check
    from airflowspec.inputs import Folder


@app.command()
def render(
    specs: Annotated[
        list[Path],
        typer.Argument(
            metavar="SPEC",
            help="The spec file; with --check, several, or files rendered from them (what the pre-commit hook passes).",
            show_default=False,
        ),
    ],
    target: Annotated[
        TargetName | None,
        typer.Option(
            "--target",
            "-t",
            metavar="TARGET",
            help="eks or mwaa; default: the one target the spec declares (with --check: each one rendered).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Directory to write into; standard output when omitted.",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing: exit 1 and show what differs when the rendered files are stale."),
    ] = False,
    ignore: IgnoreOption = None,
    quiet: QuietOption = False,
) -> None:
    """Render a spec into the files its target installs from.

    eks: values.yaml. mwaa: template.yaml, requirements.txt and ssm-parameters.json.
    Without -o, each file is printed behind a `# Source: FILE` line. Nothing is written when the
    spec has errors. With -o, the old files are replaced only once every new file is complete.
    With --check, the files in -o, by default those beside each spec in rendered/TARGET/
    (rendered/NAME/TARGET/ for NAME.airflowspec.yaml), are compared with what the spec renders to now.
    """
    leave_out(ignore, quiet)
    if check:
        raise typer.Exit(_check_rendered(specs, target, output))
    if len(specs) != 1:
        typer.echo("airflowspec render: give one SPEC (several only with --check)", err=True)
        raise typer.Exit(EXIT_USAGE)
    name = target.value if target else _only_target(specs[0])
    raise typer.Exit(name if isinstance(name, int) else _render(specs[0], name, output))


def _only_target(spec: Path) -> str | int:
    """The one target the spec declares, or the exit code after saying why there is none to choose."""
    validation = api.validate(spec, [])
    if validation.spec is None:
        print_diagnostics(validation.diagnostics, sys.stderr)
        return exit_code(validation)
    declared = api.declared_targets(validation.spec)
    if len(declared) == 1:
        return declared[0]
    choices = " or ".join(f"--target {name.value}" for name in TargetName)
    which = " and ".join(declared) if declared else "no target"
    say(f"airflowspec render: {spec} declares {which}; choose one with {choices}", err=True)
    return EXIT_USAGE


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


def _check_rendered(paths: list[Path], target: TargetName | None, output: Path | None) -> int:
    from airflowspec.inputs import folder_within

    if output is not None:
        if len(paths) != 1:
            typer.echo("airflowspec render --check: -o goes with one SPEC", err=True)
            return EXIT_USAGE
        name = target.value if target else _only_target(paths[0])
        if isinstance(name, int):
            return name
        return _check_folder(paths[0], name, folder_within(output, paths[0].parent))
    wanted, problems = rendered_folders.wanted(paths)
    for problem in problems:
        say(problem, err=True)
    code = EXIT_USAGE if problems else EXIT_OK
    for one in wanted:
        code = max(code, _check_spec(one, target.value if target else None))
    return code


def _check_spec(wanted: rendered_folders.Wanted, target: str | None) -> int:
    """Each target of the spec whose rendered files exist (or that -t names) against what it renders to now."""
    spec = wanted.spec
    validation = api.validate(spec)
    if validation.spec is None or (target is None and not validation.ok):
        print_diagnostics(validation.diagnostics, sys.stderr)  # an invalid spec is never "current"
        return exit_code(validation)
    declared = api.declared_targets(validation.spec)
    if target is not None:
        return _check_folder(spec, target, rendered_folders.rendered_folder(spec, target))
    code = EXIT_OK
    for name in [t.value for t in TargetName]:
        folder = rendered_folders.rendered_folder(spec, name)
        # Given the spec itself: each target it declares, and any whose folder it left behind (stale).
        if name not in wanted.targets and not (wanted.every and (name in declared or _exists(folder.path))):
            continue
        if name not in declared:
            say(f"{folder.path}: {spec} declares no {name} target; delete the folder or declare the target")
            code = max(code, EXIT_INVALID)
        elif name in wanted.targets or _exists(folder.path) or rendered_folders.earlier_folder(spec, name):
            code = max(code, _check_folder(spec, name, folder))
    return code


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _check_folder(spec: Path, target: str, folder: Folder) -> int:
    from airflowspec import render_check
    from airflowspec.diff.report import text_report

    checked = render_check.check(spec, target, folder)
    print_diagnostics(checked.validation.diagnostics, sys.stderr)
    return _report_check(checked, spec, target, text_report)


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
    earlier = rendered_folders.earlier_folder(spec, target)
    if earlier is not None and not _exists(checked.directory):
        say(f"  ({earlier} is airflowspec.yaml's folder; {spec.name} renders into {checked.directory} now)")
    for name in checked.missing:
        say(f"  + {name}: not rendered yet")
    if checked.stale:
        sys.stdout.write(text_report(checked.stale))
    return EXIT_INVALID
