"""`airflowspec secrets push` (and `ssm push`): write the spec's connections and variables to the store
it chose, SSM Parameter Store or Secrets Manager (`targets.mwaa.secretsBackend`).

Secrets are read from their `env` source at push time, all of them before anything is written. What is
done to each entry, by its ownership, is `push_plan`'s and the same for both stores; each store's calls
are `ssm_store`'s and `secrets_manager_store`'s. When a push fails midway, `PushStopped` says what was
written, what was not, and any value lost; a re-run converges. What is printed names entries, never values.

The region is the AWS CLI's: `--region`, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile's
`region`. botocore reads the last two itself; AWS_REGION it ignores, so `aws_session` reads it. A dry run
is `airflowspec.push_preview`.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator, Mapping
from typing import Any

from airflowspec.diagnostics import quote
from airflowspec.push_actions import Action, PushStopped, summary
from airflowspec.push_plan import TAG_KEY, Options, PushProblems, Store, apply, plan
from airflowspec.push_values import desired
from airflowspec.secrets_manager_store import SecretsManagerStore
from airflowspec.spec import Spec
from airflowspec.ssm_store import SsmStore
from airflowspec.targets.mwaa.secret_stores import SecretStore, chosen_store

NO_REGION = "no AWS region is set (--region, AWS_REGION, AWS_DEFAULT_REGION or the profile's region)"
#: botocore's service-specific endpoint variable, named in the message about a bad endpoint URL.
_ENDPOINT_VARIABLES = {"ssm": "AWS_ENDPOINT_URL_SSM", "secretsManager": "AWS_ENDPOINT_URL_SECRETS_MANAGER"}

__all__ = ["TAG_KEY", "Action", "Options", "PushProblems", "PushStopped", "summary"]


class EndpointError(Exception):
    """The endpoint URL (AWS_ENDPOINT_URL and the like) is not one botocore can use."""


def push(spec: Spec, options: Options, environ: Mapping[str, str]) -> Iterator[Action]:
    """Plan and carry out the push to the spec's store; each action is yielded once done. `environ`
    gives the secrets' values and AWS_REGION.

    Raises PushProblems before any write (every secret must be set); EndpointError and boto3's errors
    before any write; and PushStopped, naming what was and was not done, when a write fails."""
    store = spec_store(spec)
    wanted = desired(spec, store, environ)
    if wanted.unread or wanted.problems:
        raise PushProblems([*wanted.unread, *wanted.problems])
    client = store_client(store, aws_session(options, environ))
    planned = plan(client, wanted.parameters, spec.name, options)
    return apply(client, planned, wanted.parameters, spec.name)


def spec_store(spec: Spec) -> SecretStore:
    mwaa = spec.targets.mwaa
    assert mwaa is not None  # the mwaa rules report a missing block first
    return chosen_store(mwaa)


def store_client(store: SecretStore, session: Any) -> Store:
    """The calls to `store`, through a client of `session`."""
    if store.key == "ssm":
        return SsmStore(ssm_client(session), store)
    return SecretsManagerStore(secrets_manager_client(session), store)


def describe_aws_error(exc: BaseException, store: SecretStore) -> str | None:
    """One line for an error of boto3 or of the store's API; None for anything else. API errors are told
    by their code only: their messages may quote what was sent."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError, ProfileNotFound

    if isinstance(exc, EndpointError):
        where = f"check AWS_ENDPOINT_URL, {_ENDPOINT_VARIABLES[store.key]} or the profile's endpoint_url"
        return f"the {store.title} endpoint URL is not valid: {quote(str(exc), 200)}; {where}"
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "an error")
        return f"{store.title} refused {exc.operation_name}: {code}"
    if isinstance(exc, (NoCredentialsError, ProfileNotFound)):
        return f"no AWS credentials: {exc}"
    if isinstance(exc, NoRegionError):
        return NO_REGION
    if isinstance(exc, BotoCoreError):
        return f"cannot reach {store.title}: {exc}"
    return None


def aws_session(options: Options, environ: Mapping[str, str]) -> Any:
    """A boto3 session in the region the AWS CLI would use; the one place the region is chosen."""
    import boto3  # the `aws` extra; imported here so that other commands start without it

    region = options.region or environ.get("AWS_REGION") or None  # then botocore's: AWS_DEFAULT_REGION, profile
    return boto3.Session(profile_name=options.profile, region_name=region)


def ssm_client(session: Any) -> Any:
    return _client(session, "ssm")


def secrets_manager_client(session: Any) -> Any:
    return _client(session, "secretsmanager")


def _client(session: Any, service: str) -> Any:
    from botocore.exceptions import BotoCoreError

    try:
        client = session.client(service)
        # botocore reads the port only when it signs the first request, where a bad one is a ValueError
        if urllib.parse.urlsplit(client.meta.endpoint_url).port == 0:
            raise ValueError("port 0")
    except ValueError as exc:
        if isinstance(exc, BotoCoreError):  # a bad region, for example: described as botocore's errors are
            raise
        raise EndpointError(str(exc)) from exc
    return client
