"""The calls a push makes to SSM Parameter Store (see `push_plan` for what it decides to do).

SSM cannot change a parameter's type in place (AWS documents HierarchyTypeMismatchException), so a
type change is tried in place first and, when refused, is a delete and a create; should the create
fail, the old value (read before anything is written) is put back.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any

from airflowspec.push_actions import Action, Step
from airflowspec.push_plan import TAG_KEY, Current, Tags, error_code
from airflowspec.targets.mwaa.secret_stores import Parameter, SecretStore

_BATCH = 10  # GetParameters and DeleteParameters take at most ten names
_TYPE_IN_PLACE_REFUSED = "HierarchyTypeMismatchException"


@dataclasses.dataclass
class SsmStore:
    client: Any
    info: SecretStore
    delete_batch: int = _BATCH

    def current(self, names: list[str]) -> dict[str, Current]:
        found = {}
        for start in range(0, len(names), _BATCH):
            response = self.client.get_parameters(Names=names[start : start + _BATCH], WithDecryption=True)
            for parameter in response["Parameters"]:
                found[parameter["Name"]] = Current(parameter["Value"], parameter["Type"])
        return found

    def tags(self, name: str) -> Tags:
        response = self.client.list_tags_for_resource(ResourceType="Parameter", ResourceId=name)
        return tuple((tag["Key"], tag["Value"]) for tag in response.get("TagList", []))

    def owned_under(self, prefix: str, environment: str) -> Iterator[str]:
        filters = [
            {"Key": "Path", "Option": "Recursive", "Values": [prefix.rstrip("/")]},
            {"Key": f"tag:{TAG_KEY}", "Values": [environment]},
        ]
        for page in self.client.get_paginator("describe_parameters").paginate(ParameterFilters=filters):
            for parameter in page["Parameters"]:
                yield parameter["Name"]

    def write(self, action: Action, entry: Parameter, before: Current | None, environment: str, step: Step) -> None:
        # Intelligent-Tiering takes the Advanced tier only when a value needs it, and never fails on a
        # value that shrinks back under the Standard limit.
        fields = {"Name": entry.name, "Value": entry.value, "Type": entry.type, "Tier": "Intelligent-Tiering"}
        tags = [{"Key": TAG_KEY, "Value": environment}]
        if action.verb == "create":
            self.client.put_parameter(**fields, Tags=tags)  # never Overwrite: one made since the plan is not taken over
            return
        assert before is not None
        if action.verb == "adopt":  # tagged first: should the write fail, a re-run updates it without --adopt
            self.client.add_tags_to_resource(ResourceType="Parameter", ResourceId=entry.name, Tags=tags)
            step.tagged = True
        try:
            self.client.put_parameter(**fields, Overwrite=True)  # tags cannot go with Overwrite
        except Exception as exc:
            if not action.old_type or error_code(exc) != _TYPE_IN_PLACE_REFUSED:
                raise
            self._recreate(fields, before, environment, step)

    def delete(self, names: list[str]) -> None:
        self.client.delete_parameters(Names=names)  # one gone since the plan: as good as deleted

    def _recreate(self, fields: dict[str, str], before: Current, environment: str, step: Step) -> None:
        """A type change as SSM allows it: delete, create; if the create fails, put the old value back."""
        assert before.value is not None  # SSM always returns a parameter's value
        tags = {key: value for key, value in before.tags if not key.startswith("aws:")} | {TAG_KEY: environment}
        tag_list = [{"Key": key, "Value": value} for key, value in tags.items()]
        self.client.delete_parameter(Name=fields["Name"])
        step.deleted = True
        try:
            self.client.put_parameter(**fields, Tags=tag_list)
        except BaseException:
            with contextlib.suppress(Exception):  # if this fails too, the report says the value is lost
                self.client.put_parameter(**fields | {"Value": before.value, "Type": before.type}, Tags=tag_list)
                step.restored = True
            raise
