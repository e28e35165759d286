"""What a push does to each entry of a store, by its ownership, and carrying that out: the same for SSM
Parameter Store and Secrets Manager, which differ only in the calls a `Store` makes.

An entry is this environment's when its `airflowspec:environment` tag names the spec. One whose value
(and, in SSM, type) already matches is left alone, whoever owns it. One that would change is updated
only when it is this environment's; another's, or one made by hand, is refused (AS504) before anything
is written, unless `--adopt` takes it over (tagged first, then written). `--prune` deletes only this
environment's entries under the spec's two prefixes (and its package indexes' credentials,
`/airflowspec/<name>/package-index/`) that the spec no longer has.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Protocol

from airflowspec.diagnostics import Diagnostic, error, quote
from airflowspec.push_actions import Action, PushStopped, Step
from airflowspec.targets.mwaa.package_indexes import index_prefix
from airflowspec.targets.mwaa.secret_stores import Parameter, SecretStore

TAG_KEY = "airflowspec:environment"
Tags = tuple[tuple[str, str], ...]


@dataclasses.dataclass(frozen=True)
class Options:
    prune: bool = False
    adopt: bool = False
    profile: str | None = None
    region: str | None = None


@dataclasses.dataclass(frozen=True)
class Current:
    """An entry as the store holds it. `tags` are read only for those the push would change (SSM), or
    with the entry (Secrets Manager). `deleted`: a secret scheduled for deletion, whose value cannot be read."""

    value: str | None = dataclasses.field(repr=False)  # None: not text, or not readable
    type: str
    tags: Tags = ()
    deleted: bool = False

    @property
    def owner(self) -> str | None:
        return dict(self.tags).get(TAG_KEY)

    def holds(self, entry: Parameter) -> bool:
        return not self.deleted and (self.value, self.type) == (entry.value, entry.type)


@dataclasses.dataclass(frozen=True)
class Plan:
    actions: list[Action]
    before: dict[str, Current]  # each existing entry that an action changes, as it was


class PushProblems(Exception):
    """The spec cannot be pushed as the store stands; nothing was written."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} problems")
        self.diagnostics = diagnostics


class Store(Protocol):
    """The calls a push makes to one store."""

    info: SecretStore
    delete_batch: int  # how many entries one deletion takes

    def current(self, names: list[str]) -> dict[str, Current]: ...

    def tags(self, name: str) -> Tags: ...

    def owned_under(self, prefix: str, environment: str) -> Iterator[str]: ...

    def write(self, action: Action, entry: Parameter, before: Current | None, environment: str, step: Step) -> None:
        """Create, update, restore or adopt (`action.verb`) one entry, tagged for `environment`."""

    def delete(self, names: list[str]) -> None: ...


def plan(
    store: Store,
    desired: list[Parameter],
    environment: str,
    options: Options,
    missing: Mapping[str, tuple[str, ...]] | None = None,
) -> Plan:
    """What to do per entry; raises PushProblems (AS504) for each entry of another owner that would
    change, unless `options.adopt`. With `options.prune`, also delete this environment's entries that
    are no longer desired. `missing` (a dry run's) names the entries whose value is not known: only their
    existence and type are compared, and one whose type matches is `write`."""
    missing = missing or {}
    found = store.current([entry.name for entry in desired])
    changing = [e.name for e in desired if e.name in found and _differs(found[e.name], e, e.name in missing)]
    before = {name: dataclasses.replace(found[name], tags=store.tags(name)) for name in changing}
    actions: list[Action] = []
    problems: list[Diagnostic] = []
    for entry in desired:
        action = _action(store.info, entry, entry.name in found, before.get(entry.name), environment, options.adopt)
        if isinstance(action, Diagnostic):
            problems.append(action)
        elif entry.name in missing:
            verb = "write" if action.verb == "unchanged" else action.verb
            actions.append(dataclasses.replace(action, verb=verb, missing=missing[entry.name]))
        else:
            actions.append(action)
    if problems:
        raise PushProblems(problems)
    if options.prune:
        wanted = {entry.name for entry in desired}
        prefixes = (*store.info.prefixes, index_prefix(environment, store.info))
        owned = {name for prefix in prefixes for name in store.owned_under(prefix, environment)}
        actions += [Action("delete", name) for name in sorted(owned - wanted)]
    return Plan(actions, before)


def apply(store: Store, planned: Plan, desired: list[Parameter], environment: str) -> Iterator[Action]:
    """Carry out the plan, yielding each action once it is done; raises PushStopped when one fails."""
    by_name = {entry.name: entry for entry in desired}
    groups = list(_groups(planned.actions, store.delete_batch))
    for index, group in enumerate(groups):
        step, first = Step(), group[0]
        try:
            if first.verb == "delete":
                store.delete([action.name for action in group])
            elif first.verb != "unchanged":
                store.write(first, by_name[first.name], planned.before.get(first.name), environment, step)
        except BaseException as exc:  # also an interrupt: whatever stops the push, say what it left
            left = [action for later in groups[index:] for action in later]
            raise PushStopped(exc, first, step, left[1:]) from exc
        yield from group


def _action(
    store: SecretStore, entry: Parameter, exists: bool, before: Current | None, environment: str, adopt: bool
) -> Action | Diagnostic:
    """`before` is set for an existing entry whose value or type differs."""
    name, kind = entry.name, entry.type
    if not exists:
        return Action("create", name, kind)
    if before is None:
        return Action("unchanged", name, kind)
    old_type = before.type if before.type != kind else ""
    if before.owner == environment:
        return Action("restore" if before.deleted else "update", name, kind, old_type)
    if adopt:
        return Action("adopt", name, kind, old_type, owner=before.owner)
    owned = "has no airflowspec tag (made by hand or by another tool)"
    if before.owner is not None:
        owned = f"belongs to another environment {quote(before.owner)}"
    owned += " and is scheduled for deletion" if before.deleted else ""
    message = f"{store.item} {name} {owned}, so push will not change it"
    return error("AS504", message, entry.source, "pass --adopt to take it over", on_key=True)


def _groups(actions: list[Action], batch: int) -> Iterator[list[Action]]:
    """Each write alone; the deletions (last in a plan) as many at a time as the store takes them."""
    deletions = [action for action in actions if action.verb == "delete"]
    yield from ([action] for action in actions if action.verb != "delete")
    for start in range(0, len(deletions), batch):
        yield deletions[start : start + batch]


def _differs(current: Current, entry: Parameter, value_unknown: bool) -> bool:
    if current.deleted:
        return True
    return current.type != entry.type if value_unknown else not current.holds(entry)


def error_code(exc: BaseException) -> str:
    """The AWS error code of a refusal (botocore's ClientError); empty for anything else."""
    response = getattr(exc, "response", None)
    return str(response.get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""
