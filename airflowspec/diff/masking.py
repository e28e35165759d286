"""What `diff` hides: secret values, never their neighbours.

A value is hidden where a name on its path says it is a secret (Airflow's list, `airflowspec.sensitive`):
a key, or the name of a list item (`{name: SNOWFLAKE_PASSWORD, value: ...}`). Names that hold credentials
without saying so (`AIRFLOW_CONN_*`, `sql_alchemy_conn`, `broker_url`, `metadataConnection`, ...) hide
text, which may be a URI with a password; the data such a name holds (a connection in Airflow's JSON
form, a mapping) is walked, and its own keys decide: its `host` shows, its `password` does not.

Not secrets, whatever name is above them: true, false and null; and what names a Kubernetes Secret or a
key in one (`secretKeyRef.key`, `secretName`, `passwordSecretKey`, the community chart's
`connectionsTemplates` entries): a reference, whose value is a name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from airflowspec.diff.compare import IDENTITY_KEYS, MAX_NESTING, MISSING, OPAQUE, Part, Path, held
from airflowspec.sensitive import is_sensitive_name

#: How secret references look in rendered files: the community chart's templates, MWAA's placeholders.
PLACEHOLDER = re.compile(r"\$\{[A-Za-z0-9_]+\}|<secret:[^<>]+>")
REDACTED = "(sensitive value)"
#: In place of data that is not walked (see compare.OPAQUE and MAX_NESTING), which a secret could be in.
NOT_SHOWN = "(not shown: nested too deeply, or too large)"

#: Names that hold credentials without saying so: Airflow's sensitive options, connection URIs.
_CREDENTIAL_NAMES = re.compile(
    r"(?:^|[_.-])(?:pass|sql_alchemy_conn|broker_url|result_backend|metadataConnection)\Z|dsn\Z|^AIRFLOW_CONN_",
    re.IGNORECASE,
)

#: Keys of the two charts whose value names a Secret, or a key in one (besides `…SecretName`).
SECRET_NAME_KEYS = frozenset(
    {
        *("basicAuthSecret", "basicAuthSecretKey", "credentialsSecret", "existingSecret", "existingSecretKey"),
        *("existingSecretPasswordKey", "httpSecret", "httpSecretPasswordKey", "httpSecretUsernameKey"),
        *("passwordSecret", "passwordSecretKey", "pullSecret", "sshKeySecret", "sshSecret", "sshSecretKey"),
        *("statsSecretKey", "userSecret", "userSecretKey"),
    }
)
#: Kubernetes' selectors of a Secret (an env var's `valueFrom.secretKeyRef`, `envFrom[].secretRef`): their fields.
_SELECTOR_FIELDS = {"secretKeyRef": ("name", "key"), "secretRef": ("name",)}
#: The community chart's `airflow.connectionsTemplates` and `variablesTemplates`: NAME -> {kind, name, key}.
_TEMPLATES = ("connectionsTemplates", "variablesTemplates")


def hides(path: Path, values: Sequence[Any]) -> bool:
    """Whether the values at `path` (old and new; MISSING where none) are secret by the names above them.
    Mappings and lists are not hidden whole: `redact` walks them."""
    present = [value for value in values if value is not MISSING]
    if all(value is None or isinstance(value, bool) for value in present):
        return False
    if all(isinstance(value, (dict, list)) for value in present) or is_reference(path):
        return False
    for index, part in enumerate(path):
        name = _name(part)
        if is_sensitive_name(name):
            return True
        if _CREDENTIAL_NAMES.search(name) and _text_at(path[index + 1 :], part, present):
            return True
    return False


def names_a_secret(name: str) -> bool:
    """A key or an item's name that says its value is a secret or holds credentials."""
    return is_sensitive_name(name) or bool(_CREDENTIAL_NAMES.search(name))


def is_reference(path: Path) -> bool:
    """Whether `path` ends at the name of a Kubernetes Secret or of a key in one."""
    last = path[-1] if path else None
    if not isinstance(last, str):
        return False
    if last.endswith(("SecretName", "secretName")) or last in SECRET_NAME_KEYS:
        return True
    parent = path[-2] if len(path) > 1 else None
    if isinstance(parent, str) and last in _SELECTOR_FIELDS.get(parent, ()):
        return True
    if len(path) == 3 and path[0] == "secret" and last == "secretKey":  # the official chart's `secret` list
        return True
    return len(path) > 2 and path[-3] in _TEMPLATES and last in ("kind", "name", "key")


def _text_at(rest: Path, part: Part, values: list[Any]) -> bool:
    """A credential name hides the text at it, or at a field of the item it names (the `value` of
    `{name: AIRFLOW_CONN_X, value: ...}`); data held there is walked instead."""
    at_value = not rest or (isinstance(part, tuple) and len(rest) == 1)
    return at_value and not all(isinstance(value, str) and _holds_data(value) for value in values)


def _holds_data(text: str) -> bool:
    data = held(text)
    return data is not None and data is not OPAQUE


def _name(part: Part) -> str:
    return str(part[1]) if isinstance(part, tuple) else str(part)


def redact(value: Any, keep_literals: bool = False, path: Path = (), depth: int = 0) -> Any:
    """`value` (found at `path`) fit to print: what `hides` would hide, and secret references, replaced, at
    any depth of mappings and lists. Data held in a string (see compare.held) is redacted inside and
    written back as JSON."""
    if isinstance(value, (dict, list)) and depth >= MAX_NESTING:
        return NOT_SHOWN
    if isinstance(value, dict):
        return _redact_mapping(value, keep_literals, path, depth)
    if isinstance(value, list):
        return [redact(item, keep_literals, (*path, index), depth + 1) for index, item in enumerate(value)]
    if isinstance(value, str):
        return _redact_text(value, keep_literals, path, depth)
    return value


def _redact_mapping(value: dict[Any, Any], keep_literals: bool, path: Path, depth: int) -> dict[Any, Any]:
    named = _item_path(path, value)
    shown = {}
    for key, item in value.items():
        where = (*named, str(key))
        hidden = key not in IDENTITY_KEYS and not is_reference((*path, str(key))) and hides(where, (item,))
        shown[key] = REDACTED if hidden and not keep_literals else redact(item, keep_literals, where, depth + 1)
    return shown


def _item_path(path: Path, item: dict[Any, Any]) -> Path:
    """The path of a mapping that is named like a list item (by an identity key), as compare names it: by
    a name that says secret first, so that the item's other values are hidden."""
    names: list[tuple[str, str]] = [(key, item[key]) for key in IDENTITY_KEYS if isinstance(item.get(key), str)]
    secret = [pair for pair in names if names_a_secret(pair[1])]
    if path and isinstance(path[-1], (int, tuple)):  # an item of a list: named by one of its names
        chosen = secret or names
        return (*path[:-1], chosen[0]) if chosen else path
    return (*path, secret[0]) if secret else path


def _redact_text(text: str, keep_literals: bool, path: Path, depth: int) -> Any:
    data = held(text)
    if data is OPAQUE:
        return text if keep_literals else NOT_SHOWN
    if data is not None:
        return json.dumps(redact(data, keep_literals, path, depth + 1), ensure_ascii=False)
    return REDACTED if PLACEHOLDER.search(text) and not keep_literals else text
