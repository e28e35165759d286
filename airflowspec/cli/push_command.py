"""What `secrets push` and `ssm push` share: the command itself (options, validation, a push or a dry
run); each differs only in its help and in `ssm push` refusing a spec that chose Secrets Manager."""

from __future__ import annotations

import importlib.util
import os
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
    EnvOption,
    IgnoreOption,
    QuietOption,
    environment_missing,
    exit_code,
    leave_out,
    print_diagnostics,
    say,
)
from airflowspec.diagnostics import error, warning
from airflowspec.spec import Spec
from airflowspec.targets.mwaa.secret_stores import chosen_store

if TYPE_CHECKING:
    from airflowspec.push_plan import Options as PushOptions

SpecArgument = Annotated[Path, typer.Argument(help="The spec file.", show_default=False)]
DryRunOption = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Show what would change; write nothing. Needs neither the secrets nor AWS credentials: "
        "without credentials it lists what would be written instead of comparing with the store.",
    ),
]
PruneOption = Annotated[
    bool, typer.Option("--prune", help="Delete this environment's entries that the spec no longer has.")
]
AdoptOption = Annotated[
    bool,
    typer.Option(
        "--adopt",
        help="Take over entries of another environment, or made by hand, whose value or type differs: "
        "write them and tag them as this environment's.",
    ),
]
ProfileOption = Annotated[str | None, typer.Option(help="AWS profile; AWS_PROFILE when omitted.")]
RegionOption = Annotated[
    str | None,
    typer.Option(help="AWS region; when omitted AWS_REGION, then AWS_DEFAULT_REGION, then the profile's region."),
]


def push_command(command: str, help_text: str) -> Callable[..., None]:
    """The typer command `command` (`secrets push` or `ssm push`), with `help_text` as its help."""

    def push(
        spec: SpecArgument,
        env: EnvOption = None,
        dry_run: DryRunOption = False,
        prune: PruneOption = False,
        adopt: AdoptOption = False,
        profile: ProfileOption = None,
        region: RegionOption = None,
        ignore: IgnoreOption = None,
        quiet: QuietOption = False,
    ) -> None:
        leave_out(ignore, quiet)
        from airflowspec.push_plan import Options

        options = Options(prune=prune, adopt=adopt, profile=profile, region=region)
        raise typer.Exit(run_push(spec, options, dry_run, command, env))

    push.__doc__ = help_text
    return push


def run_push(spec: Path, options: PushOptions, dry_run: bool, command: str, env: str | None = None) -> int:
    """Validate the spec (the environment) for MWAA, then push (or preview) to its store. `command` is
    `ssm push`, which pushes only to SSM, or `secrets push`, which pushes to the store the spec chose."""
    validation = api.validate(spec, ["mwaa"], env)
    if environment_missing(validation, env, "push"):
        return EXIT_USAGE
    print_diagnostics(validation.diagnostics, sys.stderr)
    if not validation.ok or validation.spec is None:
        return exit_code(validation)
    if command == "ssm push" and _refused_by_ssm_push(validation, validation.spec):
        return EXIT_USAGE
    if importlib.util.find_spec("boto3") is None:
        say(f"{validation.file}: error AS503 {command} needs boto3: pip install 'airflowspec[aws]'", err=True)
        return EXIT_USAGE
    return (_preview if dry_run else _push)(validation, validation.spec, options)


def _refused_by_ssm_push(validation: api.Validation, spec: Spec) -> bool:
    """`ssm push` writes SSM parameters only: for a spec that chose Secrets Manager it would write what
    the environment never reads, and leave unwritten what it does."""
    mwaa = spec.targets.mwaa
    assert mwaa is not None  # validated for mwaa
    if mwaa.secrets_backend == "ssm":
        return False
    refusal = error(
        "AS506",
        "the spec keeps connections and variables in Secrets Manager, where `ssm push` does not write",
        ("targets", "mwaa", "secretsBackend"),
        "run `airflowspec secrets push`, which writes to the store the spec chose",
    )
    print_diagnostics(tuple(validation.locate([refusal])), sys.stderr)
    return True


def _preview(validation: api.Validation, spec: Spec, options: PushOptions) -> int:
    from airflowspec import push_preview
    from airflowspec.push_actions import summary

    try:
        preview = push_preview.preview(spec, options, os.environ)
    except Exception as exc:
        return _stopped_before_writing(validation, spec, exc)
    print_diagnostics(tuple(validation.locate(preview.unread)), sys.stderr)
    if preview.warning:  # like any warning: --ignore, --quiet and the spec's acknowledge leave it out
        unread = warning("AS505", preview.warning, preview.store.block, on_key=True)
        print_diagnostics(tuple(validation.locate([unread])), sys.stderr)
    for action in preview.actions:
        say(action.describe(dry_run=True))
    typer.echo(summary(preview.actions, dry_run=True, compared=not preview.not_compared, store=preview.store.title))
    return EXIT_INVALID if preview.unread else EXIT_OK


def _push(validation: api.Validation, spec: Spec, options: PushOptions) -> int:
    from airflowspec import secrets_push as pushing

    done = []
    try:
        for action in pushing.push(spec, options, os.environ):
            done.append(action)
            say(action.describe(dry_run=False))
    except pushing.PushStopped as stopped:  # say what was and was not done; a bug still reaches main
        for line in [*stopped.lines(), stopped.summary(done)]:
            say(line)
        text = pushing.describe_aws_error(stopped.cause, pushing.spec_store(spec))
        if text is None:
            raise stopped.cause from None
        message = f"{text}; the push stopped midway, as listed above; a re-run finishes it"
        say(f"{validation.file}: error AS503 {message}", err=True)
        return EXIT_USAGE
    except Exception as exc:
        return _stopped_before_writing(validation, spec, exc)
    typer.echo(pushing.summary(done, dry_run=False))
    return EXIT_OK


def _stopped_before_writing(validation: api.Validation, spec: Spec, exc: Exception) -> int:
    """The spec's problems (exit 1) or an AWS error (exit 2) found before anything was written; a bug
    is raised again, for main's boundary."""
    from airflowspec import secrets_push as pushing

    if isinstance(exc, pushing.PushProblems):
        print_diagnostics(tuple(validation.locate(exc.diagnostics)), sys.stderr)
        return EXIT_INVALID
    mwaa = spec.targets.mwaa
    assert mwaa is not None  # validated for mwaa
    text = pushing.describe_aws_error(exc, chosen_store(mwaa))
    if text is None:
        raise exc
    say(f"{validation.file}: error AS503 {text}", err=True)
    return EXIT_USAGE
