"""Changes as reviewers read them: a path, old and new, masked where a secret could show, and the
impact on the platform."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from airflowspec.diff.compare import (
    HIDDEN_ITEM,
    IDENTITY_KEYS,
    MAX_NESTING,
    MISSING,
    OPAQUE,
    Difference,
    Kind,
    Path,
    format_path,
    held,
)
from airflowspec.diff.impact import impact
from airflowspec.sensitive import URL_WITH_PASSWORD, is_sensitive_name

#: How secret references look in rendered files: the community chart's templates, MWAA's placeholders.
PLACEHOLDER = re.compile(r"\$\{[A-Za-z0-9_]+\}|<secret:[^<>]+>")


@dataclasses.dataclass(frozen=True)
class Change:
    artifact: str
    path: str
    kind: Kind
    old: Any
    new: Any
    masked: bool
    impact: str

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
        }


REDACTED = "(sensitive value)"
#: In place of data that is not walked (see compare.OPAQUE and MAX_NESTING), which a secret could be in.
NOT_SHOWN = "(not shown: nested too deeply, or too large)"


def redact(value: Any, keep_literals: bool = False, depth: int = 0) -> Any:
    """A structure fit to print: values at secret-like keys, and secret references, replaced, at any
    depth of mappings and lists. Data held in a string (see compare.held) is redacted inside and written
    back as JSON."""
    if isinstance(value, (dict, list)) and depth >= MAX_NESTING:
        return NOT_SHOWN
    if isinstance(value, dict):
        hidden = () if keep_literals else _hidden_keys(value)
        return {
            key: REDACTED if key in hidden else redact(item, keep_literals, depth + 1) for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item, keep_literals, depth + 1) for item in value]
    if isinstance(value, str):
        return _redact_text(value, keep_literals, depth)
    return value


def _hidden_keys(item: dict[Any, Any]) -> tuple[Any, ...]:
    """Keys whose values are secret: secret-like keys, and every key but its name in an item named like a
    secret (`{name: SNOWFLAKE_PASSWORD, value: ...}`, as in env lists)."""
    names = [item[key] for key in IDENTITY_KEYS if isinstance(item.get(key), str)]
    if any(names_a_secret(name) for name in names):
        return tuple(key for key in item if key not in IDENTITY_KEYS)
    return tuple(key for key in item if is_sensitive_name(str(key)))


def _redact_text(text: str, keep_literals: bool, depth: int) -> Any:
    data = held(text)
    if data is OPAQUE:
        return text if keep_literals else NOT_SHOWN
    if data is not None:
        return json.dumps(redact(data, keep_literals, depth + 1), ensure_ascii=False)
    return REDACTED if PLACEHOLDER.search(text) and not keep_literals else text


@dataclasses.dataclass(frozen=True)
class Context:
    """What the changes of one artifact are judged by."""

    target: str
    chart: str
    artifact: str
    strategy: str | None = None  # MWAA's WorkerReplacementStrategy in the new spec
    show_secrets: bool = False
    old_is_live: bool = False  # the old side was read from a running system
    from_secret: Callable[[Path], bool] = lambda path: False  # a resolved secret is at or below this path


def changes(context: Context, differences: Iterable[Difference]) -> list[Change]:
    return [_change(context, difference) for difference in differences]


def _change(context: Context, difference: Difference) -> Change:
    path = difference.path
    leaf = not isinstance(difference.old, (dict, list)) and not isinstance(difference.new, (dict, list))
    values = (difference.old, difference.new)
    sensitive = _sensitive(path) or any(_credential_value(value) for value in values)
    sensitive = sensitive or (leaf and any(_has_placeholder(value) for value in values))
    secret_value = context.from_secret(path) or (context.old_is_live and sensitive)
    masked = secret_value or (sensitive and not context.show_secrets)
    keep = context.show_secrets and not secret_value and not context.old_is_live
    old, new = (value if value is MISSING else redact(value, keep) for value in (difference.old, difference.new))
    note = impact(context.target, context.chart, context.artifact, path, context.strategy, values)
    shown_path = format_path(_opaque(path) if masked else path)
    return Change(context.artifact, shown_path, difference.kind, old, new, masked, note)


#: Names that hold credentials without saying so: Airflow's sensitive options, connection URIs.
_CREDENTIAL_NAMES = re.compile(
    r"(?:^|[_.-])(?:pass|sql_alchemy_conn|broker_url|result_backend|metadataConnection)\Z|dsn\Z|^AIRFLOW_CONN_",
    re.IGNORECASE,
)


def _sensitive(path: Path) -> bool:
    return any(names_a_secret(str(part[1]) if isinstance(part, tuple) else str(part)) for part in path)


def names_a_secret(name: str) -> bool:
    """A key or an item's name that says its value is a secret or holds credentials."""
    return is_sensitive_name(name) or bool(_CREDENTIAL_NAMES.search(name))


def _credential_value(value: Any) -> bool:
    return value is not MISSING and bool(URL_WITH_PASSWORD.search(repr(value)))


def _opaque(path: Path) -> Path:
    """A masked change's path: items of plain-value lists (which name the value itself) hidden."""
    return tuple(HIDDEN_ITEM if isinstance(part, tuple) and not part[0] else part for part in path)


def _has_placeholder(value: Any) -> bool:
    return value is not MISSING and bool(PLACEHOLDER.search(repr(value)))
