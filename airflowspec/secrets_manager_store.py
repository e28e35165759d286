"""The calls a push makes to Secrets Manager (see `push_plan` for what it decides to do).

Each entry is one secret holding the entry's text (SecretString), tagged for its environment. An update
is a new version (PutSecretValue), so the old value stays as AWSPREVIOUS. A deletion (`--prune`) is
DeleteSecret with Secrets Manager's recovery window (30 days): the secret can be restored meanwhile, and
its name is taken until then, so a secret of this environment scheduled for deletion that the spec has
again is restored, then written (`restore`). Entries are read with DescribeSecret and GetSecretValue,
which see a change at once; ListSecrets, which may lag by minutes, serves only `--prune`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from airflowspec.push_actions import Action, Step
from airflowspec.push_plan import TAG_KEY, Current, Tags, error_code
from airflowspec.targets.mwaa.secret_stores import Parameter, SecretStore

_NOT_FOUND = "ResourceNotFoundException"


@dataclasses.dataclass
class SecretsManagerStore:
    client: Any
    info: SecretStore
    delete_batch: int = 1  # DeleteSecret takes one secret
    _tags: dict[str, Tags] = dataclasses.field(default_factory=dict)  # read with each secret

    def current(self, names: list[str]) -> dict[str, Current]:
        found = {}
        for name in names:
            try:
                described = self.client.describe_secret(SecretId=name)
            except Exception as exc:
                if error_code(exc) == _NOT_FOUND:
                    continue
                raise
            tags = tuple((tag["Key"], tag["Value"]) for tag in described.get("Tags", []))
            self._tags[name] = tags
            deleted = described.get("DeletedDate") is not None
            found[name] = Current(None if deleted else self._value(name), "", tags, deleted)
        return found

    def tags(self, name: str) -> Tags:
        return self._tags.get(name, ())

    def owned_under(self, prefix: str, environment: str) -> Iterator[str]:
        """This environment's secrets under `prefix`, less those already scheduled for deletion. The
        name filter matches any name that starts with its value (in any case, on AWS): each is checked."""
        under = prefix.rstrip("/") + "/"
        for page in self.client.get_paginator("list_secrets").paginate(Filters=[{"Key": "name", "Values": [under]}]):
            for secret in page["SecretList"]:
                tags = {tag["Key"]: tag["Value"] for tag in secret.get("Tags", [])}
                if (
                    secret["Name"].startswith(under)
                    and tags.get(TAG_KEY) == environment
                    and not secret.get("DeletedDate")
                ):
                    yield secret["Name"]

    def write(self, action: Action, entry: Parameter, before: Current | None, environment: str, step: Step) -> None:
        tags = [{"Key": TAG_KEY, "Value": environment}]
        if action.verb == "create":  # fails if one was made since the plan: it is not taken over
            self.client.create_secret(Name=entry.name, SecretString=entry.value, Tags=tags)
            return
        assert before is not None
        if before.deleted:  # a secret scheduled for deletion takes no tag and no value until restored
            self.client.restore_secret(SecretId=entry.name)
            step.undeleted = True
        if action.verb == "adopt":  # tagged first: should the write fail, a re-run updates it without --adopt
            self.client.tag_resource(SecretId=entry.name, Tags=tags)
            step.tagged = True
        self.client.put_secret_value(SecretId=entry.name, SecretString=entry.value)

    def delete(self, names: list[str]) -> None:
        for name in names:
            try:
                self.client.delete_secret(SecretId=name)  # restorable for the recovery window
            except Exception as exc:
                if error_code(exc) != _NOT_FOUND:  # one gone since the plan: as good as deleted
                    raise

    def _value(self, name: str) -> str | None:
        """The secret's text; None for a binary secret, or one with no current version."""
        try:
            value = self.client.get_secret_value(SecretId=name).get("SecretString")
        except Exception as exc:
            if error_code(exc) == _NOT_FOUND:
                return None
            raise
        return value if isinstance(value, str) else None
