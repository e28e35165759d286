"""`airflowspec secrets push`."""

from __future__ import annotations

import typer

from airflowspec.cli.common import app
from airflowspec.cli.push_command import push_command

secrets_app = typer.Typer(
    name="secrets",
    help="The store MWAA reads connections and variables from: SSM Parameter Store or Secrets Manager.",
    no_args_is_help=True,
)
app.add_typer(secrets_app)

SECRETS_PUSH_HELP = """Write the spec's connections and variables for MWAA to the store the spec chose.

`targets.mwaa.secretsBackend` chooses: ssm (the default) writes SSM parameters, exactly as
`airflowspec ssm push` does; secretsManager writes Secrets Manager secrets, each named
PREFIX/ID and holding what ssm push would write (no type: every secret is encrypted).
Each secret is read from its `env` source now; a missing or empty one stops the push before
anything is written. An entry belongs to this environment when its airflowspec:environment tag is
the spec's name; written ones are tagged so. Entries whose value (and SSM type) already match are
left alone, whoever owns them. Push never changes an entry of another environment or one made by
hand: it refuses (AS504) before writing anything, unless --adopt takes it over. --prune deletes
only this environment's entries; Secrets Manager keeps a deleted secret restorable for 30 days,
and a push that finds one of this environment's, scheduled for deletion, that the spec has again
restores it and writes it. If AWS fails midway, it says what was written, what was not, and any
value lost; a re-run finishes. --dry-run writes nothing and needs neither the secrets nor AWS
credentials: it lists every entry (a secret that is not set shows as `value missing: secret
'NAME'` and is still an AS501 error), and compares with the store only when there are credentials
and a region (otherwise an AS505 warning says why). Prints one line per entry, never a value.
Honours the usual AWS settings (AWS_PROFILE, AWS_ENDPOINT_URL, ...); the region is --region, else
AWS_REGION, else AWS_DEFAULT_REGION, else the profile's. Exits 0 when done, 1 when the spec or a
secret is missing something (a dry run lists what it can first) or an entry belongs to someone
else, 2 when AWS refuses or fails.
"""
secrets_app.command("push")(push_command("secrets push", SECRETS_PUSH_HELP))
