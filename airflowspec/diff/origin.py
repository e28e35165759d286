"""Where in the spec a changed value comes from: a rendered file's path mapped back to the spec's, so that
a `--format github` annotation (and a JSON change) can point at the line.

Best effort, by fixed rules: variables, connections (their fields too), pools, configuration options,
packages, secrets, the Airflow version and executor, each component's settings, the external database
and Redis, and each MWAA property map to what sets them; anything else to the target's block. The spec
path is then found in the spec as written, a key matching whatever its case, `-` and `_`
(`AIRFLOW_CONN_WAREHOUSE` finds `connections.warehouse`), down to the deepest part that is there: a value
the spec no longer has points at what held it. Of an environment, the spec as merged: a value its
overlay sets points at the overlay's line.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from airflowspec.diagnostics import SpecPath
from airflowspec.diff.compare import Path
from airflowspec.document import Position, YamlMap
from airflowspec.spec import Spec
from airflowspec.targets.mwaa.secret_stores import chosen_store, secrets_manager_store, ssm_store
from airflowspec.targets.mwaa.secrets_backend import uses_secrets_backend

#: Environment variables that carry a spec setting rather than a variable, connection or option.
_ENV = {
    "AIRFLOW__CORE__FERNET_KEY": ("targets", "eks", "fernetKey"),
    "AIRFLOW__WEBSERVER__SECRET_KEY": ("targets", "eks", "webserverSecretKey"),
    "AIRFLOW__API__SECRET_KEY": ("targets", "eks", "webserverSecretKey"),
    "AIRFLOW__API_AUTH__JWT_SECRET": ("targets", "eks", "jwtSecret"),
    "_PIP_ADDITIONAL_REQUIREMENTS": ("packages",),
}
#: The official chart's top-level keys that are not under a component.
_OFFICIAL = {
    "airflowVersion": ("airflow", "version"),
    "images": ("airflow", "version"),
    "executor": ("airflow", "executor"),
    "dags": ("dags",),
    "data": ("targets", "eks", "database"),
    "fernetKeySecretName": ("targets", "eks", "fernetKey"),
    "webserverSecretKeySecretName": ("targets", "eks", "webserverSecretKey"),
    "apiSecretKeySecretName": ("targets", "eks", "webserverSecretKey"),
    "jwtSecretName": ("targets", "eks", "jwtSecret"),
}
#: Each chart's keys of a component (community `web`, official `webserver`/`apiServer`): the spec sizes and
#: places it under `targets.eks.components`.
_COMPONENTS = {
    "scheduler": "scheduler",
    "web": "webserver",
    "webserver": "webserver",
    "apiServer": "webserver",
    "workers": "workers",
    "triggerer": "triggerer",
    "dagProcessor": "dagProcessor",
    "flower": "flower",
    "statsd": "statsd",
    "pgbouncer": "pgbouncer",
}
#: The community chart's keys for what the spec sets under `targets.eks`.
_COMMUNITY = {
    "externalDatabase": ("targets", "eks", "database"),
    "externalRedis": ("targets", "eks", "redis"),
}
#: MWAA properties whose spec key is not the property's name.
_MWAA = {
    "Name": ("name",),
    "AirflowVersion": ("airflow", "version"),
    "MinWorkers": ("targets", "mwaa", "workers", "min"),
    "MaxWorkers": ("targets", "mwaa", "workers", "max"),
    "MinWebservers": ("targets", "mwaa", "webservers", "min"),
    "MaxWebservers": ("targets", "mwaa", "webservers", "max"),
    "WeeklyMaintenanceWindowStart": ("targets", "mwaa", "maintenanceWindow"),
    "NetworkConfiguration": ("targets", "mwaa", "network"),
    "LoggingConfiguration": ("targets", "mwaa", "logging"),
}


def spec_path(spec: Spec, artifact: str, path: Path) -> SpecPath:
    """The spec path that the value at `path` of the rendered `artifact` comes from."""
    if artifact == "requirements.txt":
        return ("packages",)
    if artifact == "startup.sh":
        return ("packageIndex",) if spec.package_index is not None else ("extraPackageIndexes",)
    if artifact in ("ssm-parameters.json", "secretsmanager-secrets.json"):
        return _entry(spec, artifact, path)
    if artifact == "template.yaml":
        return _mwaa(spec, path)
    return _values(path)


def _values(path: Path) -> SpecPath:
    """Both charts' values.yaml: the community chart keeps Airflow's settings under `airflow`."""
    if not path:
        return ("targets", "eks")
    if "extraPipPackages" in path:  # also the KubernetesExecutor's pod template's
        return ("packages",)
    for index, (part, item) in enumerate(pairwise(path)):
        if part in ("env", "extraEnv", "secret") and isinstance(item, tuple):
            return _env(item[1], path[index + 2 :])
    head, rest = (path[1], path[2:]) if path[:1] == ("airflow",) and len(path) > 1 else (path[0], path[1:])
    names = [_name(part) for part in rest]
    if head in ("variables", "connections", "pools"):
        return (str(head), *names)
    if head in ("connectionsTemplates", "variablesTemplates"):
        return ("secrets", *names[:1])
    if head == "config":
        return ("airflow", "config", *(_option(names[0]) if path[:1] == ("airflow",) and names else names[:2]))
    if head == "image":
        return ("airflow", "version")
    if path[:1] != ("airflow",) and head in _COMPONENTS:
        return ("targets", "eks", "components", _COMPONENTS[str(head)], *names)
    if head in _COMMUNITY:
        return (*_COMMUNITY[str(head)], *names)
    return _OFFICIAL.get(str(head), ("airflow", str(head)) if path[:1] == ("airflow",) else ("targets", "eks"))


def _env(name: str, rest: Path) -> SpecPath:
    """An environment variable (official `env`/`secret`, community `extraEnv`), and the path in its value."""
    if name.startswith("AIRFLOW_VAR_"):
        return ("variables", name[len("AIRFLOW_VAR_") :])
    if name.startswith("AIRFLOW_CONN_"):
        fields = [_name(part) for part in rest[1:]] if rest[:1] == ("value",) else []
        return ("connections", name[len("AIRFLOW_CONN_") :], *_connection_fields(fields))
    if name in _ENV:
        return _ENV[name]
    if name.startswith("GITSYNC_"):
        return ("dags",)
    if name in ("PIP_INDEX_URL", "AIRFLOWSPEC_PIP_INDEX_USERNAME", "AIRFLOWSPEC_PIP_INDEX_PASSWORD"):
        return ("packageIndex",)
    if name.startswith(("PIP_EXTRA_INDEX_URL", "AIRFLOWSPEC_PIP_EXTRA_INDEX_")):
        return ("extraPackageIndexes",)
    return ("airflow", "config", *_option(name))


def _option(name: str) -> SpecPath:
    """`AIRFLOW__CORE__LOAD_EXAMPLES` -> (core, load_examples)."""
    parts = name.split("__")
    return (parts[1].lower(), parts[2].lower()) if len(parts) == 3 and parts[0] == "AIRFLOW" else ()


def _mwaa(spec: Spec, path: Path) -> SpecPath:
    if path[:1] == ("Parameters",) and len(path) > 1:
        return ("targets", "mwaa", _name(path[1]))
    if len(path) < 4 or path[:3] != ("Resources", "Environment", "Properties"):
        return ("targets", "mwaa")
    prop, rest = _name(path[3]), [_name(part) for part in path[4:]]
    if prop == "AirflowConfigurationOptions" and rest:
        if rest[0] in ("secrets.backend", "secrets.backend_kwargs") and uses_secrets_backend(spec):
            return _backend(spec, rest[0])
        return ("airflow", "config", *rest[0].split(".", 1))
    if prop == "LoggingConfiguration" and rest:
        return (*_MWAA[prop], rest[0].removesuffix("Logs"))
    return (*_MWAA.get(prop, ("targets", "mwaa", prop)), *rest[:1])


def _entry(spec: Spec, artifact: str, path: Path) -> SpecPath:
    """`parameters[name=PREFIX/ID].value.FIELD` (`entries[...]` for Secrets Manager): the connection or
    variable ID (and the field)."""
    mwaa = spec.targets.mwaa
    if mwaa is None or len(path) < 2 or not isinstance(path[1], tuple):
        return ("targets", "mwaa")
    store = ssm_store(mwaa) if artifact == "ssm-parameters.json" else secrets_manager_store(mwaa)
    if store.key != mwaa.secrets_backend:  # entries that left the store the spec no longer chooses
        return ("targets", "mwaa", "secretsBackend")
    name = path[1][1]
    fields = [_name(part) for part in path[3:]] if path[2:3] == ("value",) else []
    for section, prefix in zip(("connections", "variables"), store.prefixes, strict=True):
        if name.startswith(prefix.rstrip("/") + "/"):
            return (section, name[len(prefix.rstrip("/")) + 1 :], *_connection_fields(fields))
    return store.block


def _backend(spec: Spec, option: str) -> SpecPath:
    """airflowspec's `secrets.backend` (from `secretsBackend`) and its kwargs (from the chosen store's prefixes)."""
    mwaa = spec.targets.mwaa
    if mwaa is None or option == "secrets.backend":
        return ("targets", "mwaa", "secretsBackend")
    return chosen_store(mwaa).block


def _connection_fields(fields: list[str]) -> list[str]:
    """A connection in Airflow's JSON form names its type `conn_type`; the spec, `type`."""
    return ["type", *fields[1:]] if fields[:1] == ["conn_type"] else fields


def _name(part: Any) -> str:
    return str(part[1]) if isinstance(part, tuple) else str(part)


def position(document: YamlMap | None, path: Sequence[str | int]) -> Position | None:
    """Where the deepest part of `path` that the spec holds is written (a key of any case, `-` or `_`);
    None when the spec holds not even its first part."""
    node: Any = document
    found = None
    for part in path:
        key = _key(node, str(part))
        if key is None:
            break
        found = node.key_positions[key]
        node = node[key]
    return found


def _key(node: Any, part: str) -> str | None:
    if not isinstance(node, YamlMap):
        return None
    if part in node:
        return part
    wanted = _fold(part)
    return next((key for key in node if _fold(key) == wanted), None)


def _fold(key: str) -> str:
    return "".join(char for char in key.lower() if char.isalnum())
