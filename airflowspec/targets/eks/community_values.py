"""Compile a spec into `values.yaml` for the community chart (airflow-helm/charts 8.x).

Secret parts of connections and variables never enter the values: each becomes a `${NAME}`
placeholder that the chart's sync pod fills from the Kubernetes Secret named in
`connectionsTemplates` / `variablesTemplates`.
"""

from __future__ import annotations

import json
import posixpath
from typing import Any

from airflowspec.spec import Connection, EksTarget, Pool, SecretRef, Spec
from airflowspec.targets.eks import community_chart as chart

Values = dict[str, Any]


def compile_values(spec: Spec, eks: EksTarget) -> Values:
    kubernetes_executor = spec.airflow.executor.value in chart.KUBERNETES_EXECUTORS
    values: Values = {"airflow": _airflow(spec, eks, kubernetes_executor)}
    values.update(_components(spec, eks))
    if _logs_on_a_volume(spec, eks):
        values["scheduler"] = {"logCleanup": {"enabled": False}}
        if values["workers"]["enabled"]:
            values["workers"]["logCleanup"] = {"enabled": False}
    values["dags"] = _dags(spec)
    if eks.service_account is not None:
        values["serviceAccount"] = _service_account(eks)
    values.update(_database(spec, eks))
    return values


def _airflow(spec: Spec, eks: EksTarget, kubernetes_executor: bool) -> Values:
    image = eks.image
    section: Values = {
        "legacyCommands": False,
        "image": {
            "repository": image.repository if image else "apache/airflow",
            "tag": (image.tag if image and image.tag else spec.airflow.version),
        },
        "executor": spec.airflow.executor.value,
    }
    section.update(_core_secrets(spec, eks))
    section["config"] = _config(spec)
    section["users"] = []
    section.update(_objects(spec))
    section.update(_volumes(spec))
    if spec.packages:
        section["extraPipPackages"] = list(spec.packages)
        if kubernetes_executor:
            section["kubernetesPodTemplate"] = {"extraPipPackages": list(spec.packages)}
    return section


def _core_secrets(spec: Spec, eks: EksTarget) -> Values:
    """Fernet and webserver keys come from Secrets through extraEnv; the chart's defaults are emptied."""
    values: Values = {}
    env = []
    for ref, variable, key in (
        (eks.fernet_key, "AIRFLOW__CORE__FERNET_KEY", "airflow.fernetKey"),
        (eks.webserver_secret_key, "AIRFLOW__WEBSERVER__SECRET_KEY", "airflow.webserverSecretKey"),
    ):
        if ref is None:
            continue
        env.append({"name": variable, "valueFrom": {"secretKeyRef": _secret_key_ref(spec, ref)}})
        if chart.has_key(eks.chart_version, key):
            values[key.split(".")[1]] = ""
    if env:
        values["extraEnv"] = env
    return values


def _config(spec: Spec) -> Values:
    return {
        f"AIRFLOW__{section.upper()}__{option.upper()}": _config_text(value)
        for section, options in spec.airflow.config.items()
        for option, value in options.items()
    }


def _config_text(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def _objects(spec: Spec) -> Values:
    section: Values = {}
    variables = _Templated(spec, any(isinstance(value, SecretRef) for value in spec.variables.values()))
    section["variables"] = [{"key": key, "value": variables.text(value)} for key, value in spec.variables.items()]
    section["variablesTemplates"] = variables.templates
    connections = _Templated(spec, any(_has_secret(conn) for conn in spec.connections.values()))
    section["connections"] = [_connection(conn_id, conn, connections) for conn_id, conn in spec.connections.items()]
    section["connectionsTemplates"] = connections.templates
    section["pools"] = [_pool(name, pool) for name, pool in spec.pools.items()]
    return {key: value for key, value in section.items() if value}


def _has_secret(conn: Connection) -> bool:
    fields = (conn.host, conn.login, conn.password, conn.schema_, *(conn.extra or {}).values())
    return any(isinstance(value, SecretRef) for value in fields)


def _pool(name: str, pool: Pool) -> Values:
    item: Values = {"name": name, "slots": pool.slots, "description": pool.description or name}
    if pool.include_deferred is not None:
        item["include_deferred"] = pool.include_deferred
    return item


class _Templated:
    """Text for fields that the chart's sync script passes through `string.Template.safe_substitute`.

    A secret becomes `${NAME}`, naming a template entry that points at its Kubernetes Secret. When
    templates are in use, every literal `$` is doubled so that substitution gives it back unchanged.
    """

    def __init__(self, spec: Spec, active: bool) -> None:
        self.spec = spec
        self.active = active
        self.templates: Values = {}

    def text(self, value: Any) -> str:
        """A field's text: a placeholder, a string, or any other value as JSON text."""
        if isinstance(value, SecretRef):
            return self._placeholder(value)
        return self._escape(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))

    def json(self, value: Any) -> Any:
        """A JSON value with placeholders for secrets and escaped literal strings, for `extra`."""
        if isinstance(value, SecretRef):
            return self._placeholder(value)
        if isinstance(value, str):
            return self._escape(value)
        if isinstance(value, dict):
            return {key: self.json(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.json(item) for item in value]
        return value

    def _placeholder(self, ref: SecretRef) -> str:
        source = self.spec.secrets[ref.secret].kubernetes
        assert source is not None  # community_rules reports AS308 before compiling
        name = chart.template_name(ref.secret)
        self.templates[name] = {"kind": "secret", "name": source.name, "key": source.key}
        return f"${{{name}}}"

    def _escape(self, text: str) -> str:
        return text.replace("$", "$$") if self.active else text


def _connection(conn_id: str, conn: Connection, templated: _Templated) -> Values:
    item: Values = {"id": conn_id, "type": conn.type}
    if conn.description:
        item["description"] = conn.description
    for key, value in (
        ("host", conn.host),
        ("login", conn.login),
        ("password", conn.password),
        ("schema", conn.schema_),
    ):
        if value is not None:
            item[key] = templated.text(value)
    if conn.port is not None:
        item["port"] = conn.port
    if conn.extra is not None:
        item["extra"] = json.dumps(templated.json(conn.extra), ensure_ascii=False)
    return item


def _volumes(spec: Spec) -> Values:
    if not spec.volumes:
        return {}
    volumes = [
        {"name": name, "persistentVolumeClaim": {"claimName": volume.claim}} for name, volume in spec.volumes.items()
    ]
    mounts = []
    for name, volume in spec.volumes.items():
        mount: Values = {"name": name, "mountPath": volume.mount_path}
        if volume.sub_path:
            mount["subPath"] = volume.sub_path
        if volume.read_only:
            mount["readOnly"] = True
        mounts.append(mount)
    return {"extraVolumes": volumes, "extraVolumeMounts": mounts}


def _components(spec: Spec, eks: EksTarget) -> Values:
    executor = spec.airflow.executor.value
    if executor == "KubernetesExecutor":
        return {"workers": {"enabled": False}, "flower": {"enabled": False}, "redis": {"enabled": False}}
    values: Values = {"workers": {"enabled": True}, "flower": {"enabled": True}}
    if eks.redis is None:
        values["redis"] = {"enabled": True}
        return values
    redis = eks.redis
    external: Values = {"host": redis.host, "port": redis.port, "databaseNumber": redis.database_number}
    if redis.password is not None:
        ref = _secret_key_ref(spec, redis.password)
        external |= {"passwordSecret": ref["name"], "passwordSecretKey": ref["key"]}
    if redis.properties:
        external["properties"] = redis.properties
    values |= {"redis": {"enabled": False}, "externalRedis": external}
    return values


def _logs_on_a_volume(spec: Spec, eks: EksTarget) -> bool:
    """A volume covers logs.path: it holds the logs, and the chart refuses its log-cleanup sidecars."""
    covered = any(chart.covers_logs_path(volume.mount_path) for volume in spec.volumes.values())
    return covered and chart.has_key(eks.chart_version, "scheduler.logCleanup")


def _dags(spec: Spec) -> Values:
    dags: Values = {"path": spec.dags.path}
    source = spec.dags.from_
    if source is not None and source.volume is not None:
        volume = spec.volumes[source.volume]
        inside = posixpath.relpath(posixpath.normpath(spec.dags.path), posixpath.normpath(volume.mount_path))
        sub_path = posixpath.normpath(posixpath.join(volume.sub_path or "", inside)).lstrip("./")
        persistence: Values = {"enabled": True, "existingClaim": volume.claim}
        if sub_path:
            persistence["subPath"] = sub_path
        persistence["accessMode"] = "ReadOnlyMany" if volume.read_only else "ReadWriteMany"
        dags["persistence"] = persistence
    elif source is not None and source.git is not None:
        dags["gitSync"] = _git_sync(spec, source.git)
    return dags


def _git_sync(spec: Spec, git: Any) -> Values:
    sync: Values = {"enabled": True, "repo": git.repo, "branch": git.ref}
    if git.sub_path:
        sync["repoSubPath"] = git.sub_path
    if git.sync_interval is not None:
        sync["syncWait"] = git.sync_interval
    credentials = git.credentials
    if credentials is not None and credentials.ssh_key is not None:
        ref = _secret_key_ref(spec, credentials.ssh_key)
        sync |= {"sshSecret": ref["name"], "sshSecretKey": ref["key"]}
    elif credentials is not None and credentials.username and credentials.password:
        user = _secret_key_ref(spec, credentials.username)
        password = _secret_key_ref(spec, credentials.password)
        sync |= {
            "httpSecret": user["name"],
            "httpSecretUsernameKey": user["key"],
            "httpSecretPasswordKey": password["key"],
        }
    if git.known_hosts:
        sync["sshKnownHosts"] = git.known_hosts
    return sync


def _service_account(eks: EksTarget) -> Values:
    account = eks.service_account
    assert account is not None
    values: Values = {}
    if account.name:
        values["name"] = account.name
    if account.role_arn:
        values["annotations"] = {"eks.amazonaws.com/role-arn": account.role_arn}
    return values


def _database(spec: Spec, eks: EksTarget) -> Values:
    database = eks.database
    if database is None:
        return {}
    external: Values = {
        "type": database.type,
        "host": database.host,
        "port": database.port or (5432 if database.type == "postgres" else 3306),
        "database": database.database,
    }
    if isinstance(database.user, SecretRef):
        ref = _secret_key_ref(spec, database.user)
        external |= {"userSecret": ref["name"], "userSecretKey": ref["key"]}
    else:
        external["user"] = database.user
    password = _secret_key_ref(spec, database.password)
    external |= {"passwordSecret": password["name"], "passwordSecretKey": password["key"]}
    if database.properties:
        external["properties"] = database.properties
    return {"postgresql": {"enabled": False}, "externalDatabase": external}


def _secret_key_ref(spec: Spec, ref: SecretRef) -> dict[str, str]:
    source = spec.secrets[ref.secret].kubernetes
    assert source is not None  # community_rules reports AS308 before compiling
    return {"name": source.name, "key": source.key}
