"""`airflowspec ssm push`."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from airflowspec import api
from airflowspec.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    IgnoreOption,
    QuietOption,
    app,
    exit_code,
    leave_out,
    print_diagnostics,
    say,
)
from airflowspec.diagnostics import warning
from airflowspec.spec import Spec

if TYPE_CHECKING:
    from airflowspec.ssm_push import Options as PushOptions

ssm_app = typer.Typer(
    name="ssm", help="SSM Parameter Store, where MWAA reads connections and variables.", no_args_is_help=True
)
app.add_typer(ssm_app)


@ssm_app.command("push")
def ssm_push(
    spec: Annotated[Path, typer.Argument(help="The spec file.", show_default=False)],
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Show what would change; write nothing. Needs neither the secrets nor AWS credentials: "
            "without credentials it lists what would be written instead of comparing with SSM.",
        ),
    ] = False,
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
    profile: Annotated[str | None, typer.Option(help="AWS profile; AWS_PROFILE when omitted.")] = None,
    region: Annotated[
        str | None,
        typer.Option(help="AWS region; when omitted AWS_REGION, then AWS_DEFAULT_REGION, then the profile's region."),
    ] = None,
    ignore: IgnoreOption = None,
    quiet: QuietOption = False,
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
    --dry-run writes nothing and needs neither the secrets nor AWS credentials: it lists every
    parameter (a secret that is not set shows as `value missing: secret 'NAME'` and is still an AS501
    error), and compares with SSM only when there are credentials and a region (otherwise an AS505
    warning says why). Prints one line per parameter, never a value. Honours the usual AWS settings
    (AWS_PROFILE, AWS_ENDPOINT_URL, ...); the region is --region, else AWS_REGION, else
    AWS_DEFAULT_REGION, else the profile's. Exits 0 when done, 1 when the spec or a secret is missing
    something (a dry run lists what it can first) or a parameter belongs to someone else, 2 when AWS
    refuses or fails.
    """
    leave_out(ignore, quiet)
    validation = api.validate(spec, ["mwaa"])
    print_diagnostics(validation.diagnostics, sys.stderr)
    if not validation.ok or validation.spec is None:
        raise typer.Exit(exit_code(validation))
    if importlib.util.find_spec("boto3") is None:
        say(f"{validation.file}: error AS503 ssm push needs boto3: pip install 'airflowspec[aws]'", err=True)
        raise typer.Exit(EXIT_USAGE)
    from airflowspec import ssm_push as pushing

    options = pushing.Options(prune=prune, adopt=adopt, profile=profile, region=region)
    raise typer.Exit((_preview if dry_run else _push)(validation, validation.spec, options))


def _preview(validation: api.Validation, spec: Spec, options: PushOptions) -> int:
    from airflowspec import ssm_preview
    from airflowspec.ssm_actions import summary

    try:
        preview = ssm_preview.preview(spec, options, os.environ)
    except Exception as exc:
        return _stopped_before_writing(validation, exc)
    print_diagnostics(tuple(validation.locate(preview.unread)), sys.stderr)
    if preview.warning:  # like any warning: --ignore, --quiet and the spec's acknowledge leave it out
        unread = warning("AS505", preview.warning, ("targets", "mwaa", "ssm"), on_key=True)
        print_diagnostics(tuple(validation.locate([unread])), sys.stderr)
    for action in preview.actions:
        say(action.describe(dry_run=True))
    typer.echo(summary(preview.actions, dry_run=True, compared=not preview.not_compared))
    return EXIT_INVALID if preview.unread else EXIT_OK


def _push(validation: api.Validation, spec: Spec, options: PushOptions) -> int:
    from airflowspec import ssm_push as pushing

    done = []
    try:
        for action in pushing.push(spec, options, os.environ):
            done.append(action)
            say(action.describe(dry_run=False))
    except pushing.PushStopped as stopped:  # say what was and was not done; a bug still reaches main
        for line in [*stopped.lines(), stopped.summary(done)]:
            say(line)
        text = pushing.describe_aws_error(stopped.cause)
        if text is None:
            raise stopped.cause from None
        message = f"{text}; the push stopped midway, as listed above; a re-run finishes it"
        say(f"{validation.file}: error AS503 {message}", err=True)
        return EXIT_USAGE
    except Exception as exc:
        return _stopped_before_writing(validation, exc)
    typer.echo(pushing.summary(done, dry_run=False))
    return EXIT_OK


def _stopped_before_writing(validation: api.Validation, exc: Exception) -> int:
    """The spec's problems (exit 1) or an AWS error (exit 2) found before anything was written; a bug
    is raised again, for main's boundary."""
    from airflowspec import ssm_push as pushing

    if isinstance(exc, pushing.PushProblems):
        print_diagnostics(tuple(validation.locate(exc.diagnostics)), sys.stderr)
        return EXIT_INVALID
    text = pushing.describe_aws_error(exc)
    if text is None:
        raise exc
    say(f"{validation.file}: error AS503 {text}", err=True)
    return EXIT_USAGE
