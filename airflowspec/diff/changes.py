"""Changes as reviewers read them: a path, old and new, masked where a secret could show, and the
impact on the platform."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from airflowspec.diff.compare import HIDDEN_ITEM, MISSING, Difference, Kind, Path, format_path
from airflowspec.diff.impact import MWAA_STARTUP_RETIRED, PACKAGE_NOTES, impact
from airflowspec.diff.masking import PLACEHOLDER, hides, redact
from airflowspec.sensitive import URL_WITH_PASSWORD

Location = tuple[str, int, int]  # file, line, column


@dataclasses.dataclass(frozen=True)
class Change:
    artifact: str
    path: str
    kind: Kind
    old: Any
    new: Any
    masked: bool
    impact: str
    #: Where in the spec the value comes from (see `origin`): the file, and 1-based line and column or 0.
    file: str = ""
    line: int = 0
    col: int = 0

    def as_json(self) -> dict[str, Any]:
        shown = not self.masked
        return {
            "artifact": self.artifact,
            "path": self.path,
            "kind": self.kind,
            "old": self.old if shown and self.old is not MISSING else None,
            "new": self.new if shown and self.new is not MISSING else None,
            "masked": self.masked,
            "impact": self.impact,
            "file": self.file,
            "line": self.line,
            "col": self.col,
        }


@dataclasses.dataclass(frozen=True)
class Context:
    """What the changes of one artifact are judged by."""

    target: str
    chart: str
    artifact: str
    strategy: str | None = None  # MWAA's WorkerReplacementStrategy in the new spec
    store: str = "ssm-parameters.json"  # the file of the secrets store the new spec chose (MWAA)
    show_secrets: bool = False
    old_is_live: bool = False  # the old side was read from a running system
    from_secret: Callable[[Path], bool] = lambda path: False  # a resolved secret is at or below this path
    origin: Callable[[Path], Location] = lambda path: ("", 0, 0)  # where the spec sets the value at this path
    packages: Callable[[], str] = lambda: ""  # a package change's note's tail: was the new set resolved?
    retired: bool = False  # the new spec renders no such file (MWAA's startup.sh): every line goes


def changes(context: Context, differences: Iterable[Difference]) -> list[Change]:
    return [_change(context, difference) for difference in differences]


def _change(context: Context, difference: Difference) -> Change:
    path = difference.path
    leaf = not isinstance(difference.old, (dict, list)) and not isinstance(difference.new, (dict, list))
    values = (difference.old, difference.new)
    sensitive = hides(path, values) or any(_credential_value(value) for value in values)
    sensitive = sensitive or (leaf and any(_has_placeholder(value) for value in values))
    secret_value = context.from_secret(path) or (context.old_is_live and sensitive)
    masked = secret_value or (sensitive and not context.show_secrets)
    keep = context.show_secrets and not secret_value and not context.old_is_live
    old, new = (value if value is MISSING else redact(value, keep, path) for value in (difference.old, difference.new))
    note = impact(context.target, context.chart, context.artifact, path, context.strategy, values, context.store)
    if context.retired:
        note = MWAA_STARTUP_RETIRED
    if note in PACKAGE_NOTES:
        note += context.packages()
    shown_path = format_path(_opaque(path) if masked else path)
    return Change(context.artifact, shown_path, difference.kind, old, new, masked, note, *context.origin(path))


def _credential_value(value: Any) -> bool:
    return value is not MISSING and bool(URL_WITH_PASSWORD.search(repr(value)))


def _opaque(path: Path) -> Path:
    """A masked change's path: items of plain-value lists (which name the value itself) hidden."""
    return tuple(HIDDEN_ITEM if isinstance(part, tuple) and not part[0] else part for part in path)


def _has_placeholder(value: Any) -> bool:
    return value is not MISSING and bool(PLACEHOLDER.search(repr(value)))
