"""`airflowspec ssm push`: `secrets push` for a spec that keeps its connections and variables in SSM."""

from __future__ import annotations

import typer

from airflowspec.cli.common import app
from airflowspec.cli.push_command import push_command

ssm_app = typer.Typer(
    name="ssm", help="SSM Parameter Store, where MWAA reads connections and variables.", no_args_is_help=True
)
app.add_typer(ssm_app)

SSM_PUSH_HELP = """Write the spec's connections and variables to SSM Parameter Store for MWAA.

The same as `airflowspec secrets push` for a spec whose `secretsBackend` is ssm (the default); a
spec that chose Secrets Manager is refused (AS506) before any secret or AWS is read.
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
refuses or fails, or the spec chose Secrets Manager.
"""
ssm_app.command("push")(push_command("ssm push", SSM_PUSH_HELP))
