"""What a push does to each entry (an SSM parameter or a Secrets Manager secret), and how it is told:
one line per entry, a summary, and, when a push stops midway, what was written, what was not, and any
value lost. Names only, never values.

A dry run adds `write`: an entry it could not compare with the store (no AWS access, or its value needs
a secret that is not set), and names the secrets whose values are missing. Secrets Manager adds
`restore`: a secret of this environment scheduled for deletion (by `--prune`) that the spec has again.
"""

from __future__ import annotations

import collections
import dataclasses
from typing import Literal

from airflowspec.diagnostics import quote

Verb = Literal["create", "update", "restore", "adopt", "unchanged", "delete", "write"]
_PAST = {
    "create": "created",
    "update": "updated",
    "restore": "restored",
    "adopt": "adopted",
    "unchanged": "unchanged",
    "delete": "deleted",
    "write": "written",
}
_WRITES = ("create", "update", "restore", "adopt")


@dataclasses.dataclass(frozen=True)
class Action:
    verb: Verb
    name: str
    type: str = ""
    old_type: str = ""  # set when a write changes the type, which SSM may make a delete and a create
    owner: str | None = None  # for `adopt`: the environment that owned it; None when it had no tag
    missing: tuple[str, ...] = ()  # on a dry run: the secrets its value needs that are not set

    @property
    def kind(self) -> str:
        return f"{self.old_type} -> {self.type}" if self.old_type else self.type

    def describe(self, dry_run: bool) -> str:
        done = f"would be {_PAST[self.verb]}" if dry_run and self.verb != "unchanged" else _PAST[self.verb]
        text = f"{done} {self.name}" + (f" ({self.kind})" if self.kind else "")
        if self.verb == "restore":
            text += ", which was scheduled for deletion"
        if self.verb == "adopt":
            text += (
                ", which had no airflowspec tag"
                if self.owner is None
                else f" from another environment {quote(self.owner)}"
            )
        if self.missing:
            secrets = ", ".join(quote(name) for name in self.missing)
            text += f", value missing: secret{'s' if len(self.missing) > 1 else ''} {secrets}"
        return text


@dataclasses.dataclass
class Step:
    """How far the action under way got before it failed."""

    tagged: bool = False  # an adopted parameter now carries this environment's tag
    deleted: bool = False  # deleted to change its type
    restored: bool = False  # ... and its old value put back after the create failed
    undeleted: bool = False  # a secret scheduled for deletion restored, with its old value, before the write

    @property
    def lost(self) -> bool:
        return self.deleted and not self.restored


class PushStopped(Exception):
    """A write failed midway: `failed` got as far as `step`, and `rest` was not started."""

    def __init__(self, cause: BaseException, failed: Action, step: Step, rest: list[Action]) -> None:
        super().__init__(f"the push stopped at {failed.name}")
        self.cause, self.failed, self.step, self.rest = cause, failed, step, rest

    def lines(self) -> list[str]:
        """One line for the action that failed, then one for each not started."""
        return [_failed_line(self.failed, self.step), *(_left_line(action) for action in self.rest)]

    def summary(self, done: list[Action]) -> str:
        """The summary of what was done (parameters left unchanged count as such), then what was not."""
        left = [self.failed, *self.rest]
        unwritten = sum(1 for action in left if action.verb in _WRITES) - (1 if self.step.lost else 0)
        undeleted = sum(1 for action in left if action.verb == "delete")
        tail = [f"{unwritten} not written"]
        tail += [f"{undeleted} not deleted"] if undeleted else []
        tail += ["1 value lost"] if self.step.lost else []
        unchanged = [action for action in self.rest if action.verb == "unchanged"]
        return f"{summary(done + unchanged, dry_run=False)}; stopped: {', '.join(tail)}"


def summary(actions: list[Action], dry_run: bool, compared: bool = True, store: str = "SSM") -> str:
    """`2 created, 1 updated, 5 unchanged, 0 deleted` (with `would be` on a dry run; `N restored`, `N adopted`
    when any). A dry run adds `N would be written (not compared)` and `; N with a value missing` when any; one
    that could not read the store (`compared` false) says `N would be written, not compared with SSM`."""
    counts = collections.Counter(action.verb for action in actions)
    missing = sum(1 for action in actions if action.missing)
    tail = f"; {missing} with a value missing" if missing else ""
    if not compared:
        return f"{counts['write']} would be written, not compared with {store}{tail}"
    done = "would be " if dry_run else ""
    parts = [f"{counts['create']} {done}created", f"{counts['update']} {done}updated"]
    parts += [f"{counts['restore']} {done}restored"] if counts["restore"] else []
    parts += [f"{counts['adopt']} {done}adopted"] if counts["adopt"] else []
    parts += [f"{counts['unchanged']} unchanged", f"{counts['delete']} {done}deleted"]
    parts += [f"{counts['write']} would be written (not compared)"] if counts["write"] else []
    return ", ".join(parts) + tail


def _failed_line(action: Action, step: Step) -> str:
    if step.lost:
        return (
            f"deleted {action.name} ({action.old_type}), not created again as {action.type}: "
            "its value is gone; a re-run creates it"
        )
    line = _left_line(action)
    if step.restored:
        line += ": deleted to change its type, then put back with its old value"
    if step.undeleted:
        line += (
            ": restored from its scheduled deletion with its old value, which Airflow reads until a re-run writes it"
        )
    if step.tagged:
        line += ", but now tagged for this environment: a re-run updates it"
    return line


def _left_line(action: Action) -> str:
    if action.verb == "unchanged":
        return action.describe(dry_run=False)
    if action.verb == "delete":
        return f"not deleted {action.name}"
    return f"not written {action.name}" + (f" ({action.kind})" if action.kind else "")  # a secret has no type
