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
    EnvOption,
    IgnoreOption,
    QuietOption,
    TargetName,
    app,
    environment_missing,
    exit_code,
    leave_out,
    print_diagnostics,
    say,
    write_output,
)
from airflowspec.diagnostics import shell_word
from airflowspec.targets import TARGETS

if TYPE_CHECKING:
    from airflowspec import render_check
    from airflowspec.inputs import Folder
    from airflowspec.targets import Artifact


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
    env: EnvOption = None,
    every: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Render every environment and each target it declares (or -t) into the folders --check reads.",
        ),
    ] = False,
    ignore: IgnoreOption = None,
    quiet: QuietOption = False,
) -> None:
    """Render a spec into the files its target installs from.

    eks: values.yaml. mwaa: template.yaml, requirements.txt, the stores' entries (ssm-parameters.json,
    secretsmanager-secrets.json) and, when a package index needs credentials, startup.sh.
    Without -o, each file is printed behind a `# Source: FILE` line. Nothing is written when the
    spec has errors. With -o, the old files are replaced only once every new file is complete.
    With --check, the files in -o, by default those beside each spec in rendered/TARGET/
    (rendered/NAME/TARGET/ for NAME.airflowspec.yaml), are compared with what the spec renders to now.
    A spec with `environments:` renders one with --env ENV, into rendered/[NAME/]ENV/TARGET/ by
    convention; --check (without --env) and --all take every environment.
    """
    leave_out(ignore, quiet)
    if check:
        raise typer.Exit(_check_rendered(specs, target, output, env))
    if every:
        if output is not None or env is not None:
            typer.echo(
                "airflowspec render --all: writes each environment's conventional folder; no -o or --env", err=True
            )
            raise typer.Exit(EXIT_USAGE)
        raise typer.Exit(_render_all(specs, target.value if target else None))
    if len(specs) != 1:
        typer.echo("airflowspec render: give one SPEC (several only with --check or --all)", err=True)
        raise typer.Exit(EXIT_USAGE)
    name = target.value if target else _only_target(specs[0], env)
    raise typer.Exit(name if isinstance(name, int) else _render(specs[0], name, output, env))


def _only_target(spec: Path, env: str | None) -> str | int:
    """The one target the spec (the environment) declares, or the exit code after saying why there is
    none to choose."""
    validation = api.validate(spec, [], env)
    if environment_missing(validation, env, "render"):
        return EXIT_USAGE
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


def _render(spec: Path, target: str, output: Path | None, env: str | None) -> int:
    result, artifacts = api.render(spec, target, env)
    if environment_missing(result, env, "render"):
        return EXIT_USAGE
    print_diagnostics(result.diagnostics, sys.stderr)
    if not artifacts:
        return exit_code(result)
    if output is None:
        for artifact in artifacts:  # as `helm template` prints its manifests
            sys.stdout.write(f"# Source: {artifact.path}\n{artifact.text}")
        return EXIT_OK
    from airflowspec.inputs import folder_within

    return write_output(spec, folder_within(output, spec.parent), artifacts, target=target)


def _render_all(specs: list[Path], target: str | None) -> int:
    """Every environment of every spec, each target it declares (or `target`), into its conventional
    folder; nothing is written unless all of them render."""
    planned: list[tuple[Path, Folder, list[Artifact], str]] = []
    code = EXIT_OK
    for spec in specs:
        validation = api.validate(spec)
        print_diagnostics(validation.diagnostics, sys.stderr)
        if not validation.ok:
            code = max(code, exit_code(validation))
            continue
        for variant in validation.variants[1:] if validation.environments else validation.variants:
            assert variant.spec is not None  # validation.ok: every variant parsed
            for name in [target] if target else api.declared_targets(variant.spec):
                result, artifacts = api.render(spec, name, variant.env)
                if not artifacts:  # -t names a target this environment does not declare
                    print_diagnostics(result.diagnostics, sys.stderr)
                    code = max(code, exit_code(result))
                planned.append((spec, rendered_folders.rendered_folder(spec, name, variant.env), artifacts, name))
    if code != EXIT_OK:
        return code
    for spec, folder, artifacts, name in planned:
        code = max(code, write_output(spec, folder, artifacts, target=name))
        if code == EXIT_OK:
            say(f"wrote {folder.path}")
    return code


def _check_rendered(paths: list[Path], target: TargetName | None, output: Path | None, env: str | None) -> int:
    from airflowspec.inputs import folder_within

    if output is not None:
        if len(paths) != 1:
            typer.echo("airflowspec render --check: -o goes with one SPEC", err=True)
            return EXIT_USAGE
        name = target.value if target else _only_target(paths[0], env)
        if isinstance(name, int):
            return name
        return _check_folder(paths[0], name, folder_within(output, paths[0].parent), env)
    wanted, problems = rendered_folders.wanted(paths)
    for problem in problems:
        say(problem, err=True)
    code = EXIT_USAGE if problems else EXIT_OK
    for one in wanted:
        code = max(code, _check_spec(one, target.value if target else None, env))
    return code


def _check_spec(wanted: rendered_folders.Wanted, target: str | None, env: str | None) -> int:
    """Each environment and target of the spec whose rendered files exist (or that -t names) against
    what it renders to now."""
    spec = wanted.spec
    validation = api.validate(spec, None, env)
    if validation.spec is None or (target is None and not validation.ok):
        print_diagnostics(validation.diagnostics, sys.stderr)  # an invalid spec is never "current"
        return exit_code(validation)
    if target is None:  # each problem once, naming its environments; not again for each folder
        print_diagnostics(validation.diagnostics, sys.stderr)
    variants = (validation,) if env is not None else validation.variants
    code = EXIT_OK
    if validation.environments and env is None:  # the base renders nowhere; each environment does
        variants = variants[1:]
        code = _left_behind(wanted, validation)
    for variant in variants:
        # With -t an environment may not have parsed (without, an invalid spec stopped above): its check says why.
        declared = api.declared_targets(variant.spec) if variant.spec is not None else []
        every_environment = validation.environments and env is None
        if every_environment and target is not None and variant.spec is not None and target not in declared:
            continue  # -t of a spec with environments: those that deploy to it
        code = max(code, _check_variant(wanted, variant.env, declared, target))
    return code


def _check_variant(wanted: rendered_folders.Wanted, env: str | None, declared: list[str], target: str | None) -> int:
    spec = wanted.spec
    if target is not None:
        return _check_folder(spec, target, rendered_folders.rendered_folder(spec, target, env), env, shown=False)
    code = EXIT_OK
    for name in [t.value for t in TargetName]:
        folder = rendered_folders.rendered_folder(spec, name, env)
        named = (env, name) in wanted.targets
        # Given the spec itself: each target it declares, and any whose folder it left behind (stale).
        if not named and not (wanted.every and (name in declared or _exists(folder.path))):
            continue
        if name not in declared:
            if (env, name) not in wanted.maybe:
                which = f"environment {env} of {spec}" if env else str(spec)
                say(f"{folder.path}: {which} declares no {name} target; delete the folder or declare the target")
                code = max(code, EXIT_INVALID)
        elif named or _exists(folder.path) or rendered_folders.earlier_folder(spec, name):
            code = max(code, _check_folder(spec, name, folder, env, shown=True))
    return code


def _left_behind(wanted: rendered_folders.Wanted, validation: api.Validation) -> int:
    """Rendered files named for an environment the spec does not declare, or for its base (which a spec
    with environments does not render), and given the spec, such folders beside it: stale, to delete."""
    code = EXIT_OK
    found = rendered_folders.environment_folders(wanted.spec) if wanted.every else []
    for env, name in dict.fromkeys([*wanted.targets, *found]):
        if (env is not None and env in validation.environments) or (env, name) in wanted.maybe:
            continue
        folder = rendered_folders.rendered_folder(wanted.spec, name, env).path
        what = f"no environment {env}" if env else f"environments ({', '.join(validation.environments)})"
        say(f"{folder}: {wanted.spec} declares {what}; delete the folder")
        code = EXIT_INVALID
    if wanted.every:
        for name in TARGETS:
            folder = rendered_folders.rendered_folder(wanted.spec, name).path
            if _exists(folder) and (None, name) not in wanted.targets:
                say(f"{folder}: {wanted.spec} renders each of its environments into rendered/ENV/; delete the folder")
                code = EXIT_INVALID
    return code


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _check_folder(spec: Path, target: str, folder: Folder, env: str | None, shown: bool = False) -> int:
    """`shown`: the spec's diagnostics are printed already."""
    from airflowspec import render_check
    from airflowspec.diff.report import text_report

    checked = render_check.check(spec, target, folder, env)
    if not shown:
        print_diagnostics(checked.validation.diagnostics, sys.stderr)
    return _report_check(checked, spec, target, env, text_report)


def _report_check(
    checked: render_check.Checked, spec: Path, target: str, env: str | None, text_report: Callable[..., str]
) -> int:
    if checked.problem:
        say(checked.problem, err=True)
        return EXIT_USAGE
    if not checked.validation.ok:
        return exit_code(checked.validation)
    if checked.current:
        return EXIT_OK
    which = f" --env {env}" if env else ""
    command = (
        f"airflowspec render {shell_word(str(spec))}{which} --target {target} -o {shell_word(str(checked.directory))}"
    )
    say(f"{checked.directory}: stale; run `{command}`")
    earlier = rendered_folders.earlier_folder(spec, target)
    if earlier is not None and not _exists(checked.directory):
        say(f"  ({earlier} is airflowspec.yaml's folder; {spec.name} renders into {checked.directory} now)")
    for name in checked.missing:
        say(f"  + {name}: not rendered yet")
    if checked.stale:
        sys.stdout.write(text_report(checked.stale))
    return EXIT_INVALID
