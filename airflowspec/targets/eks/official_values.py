"""Compile a spec into `values.yaml` for the official chart (apache-airflow/airflow 1.x).

The chart has no connections or variables of its own: they reach every Airflow container,
KubernetesExecutor pods included, as `AIRFLOW_CONN_<ID>` (Airflow's JSON form) and `AIRFLOW_VAR_<KEY>`
environment variables. A secret never enters the values: a variable that is a secret reads its
Kubernetes Secret directly (`secret:`); a connection with secret parts gets each part from a helper
variable read from its Secret, which Kubernetes substitutes into the JSON with `$(NAME)`. Kubernetes
expands `$(...)` and turns `$$` into `$` in every env value, so literal `$` are doubled.
"""

from __future__ import annotations

import json
from typing import Any

from airflowspec.airflow_forms import connection_json, variable_text
from airflowspec.emit import to_yaml
from airflowspec.spec import Connection, EksTarget, GitSource, SecretRef, Spec
from airflowspec.spec.airflow import option_text
from airflowspec.targets.eks import official_chart as chart
from airflowspec.targets.eks.kubernetes import dag_persistence, pod_volumes, token

Values = dict[str, Any]
SECRET_ENV_PREFIX = "AIRFLOWSPEC_SECRET_"


def compile_values(spec: Spec, eks: EksTarget) -> Values:
    image = eks.image
    values: Values = {
        "airflowVersion": spec.airflow.version,
        "images": {
            "airflow": {
                "repository": image.repository if image else "apache/airflow",
                "tag": image.tag if image and image.tag else spec.airflow.version,
            }
        },
        "executor": spec.airflow.executor.value,
    }
    environment = _Environment(spec)
    environment.add_objects()
    values |= _core_secrets(spec, eks, environment)
    if eks.pip_install_at_start and spec.packages:
        environment.plain("_PIP_ADDITIONAL_REQUIREMENTS", " ".join(spec.packages))
    values |= environment.values()
    values["config"] = _config(spec)
    values |= _volumes(spec)
    values["dags"] = _dags(spec)
    values |= _service_accounts(spec, eks)
    values |= _backing_services(spec, eks)
    return values


class _Environment:
    """The chart's three env lists, in the order the chart renders them: `env`, `secret`, `extraEnv`."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.env: list[dict[str, str]] = []
        self.secret: list[dict[str, str]] = []
        self.extra: list[dict[str, str]] = []

    def plain(self, name: str, text: str) -> None:
        self.env.append({"name": name, "value": _k8s_literal(text)})

    def from_secret(self, name: str, ref: SecretRef) -> None:
        source = self.spec.secrets[ref.secret].kubernetes
        assert source is not None  # official_rules reports AS308 before compiling
        entry = {"envName": name, "secretName": source.name, "secretKey": source.key}
        if entry not in self.secret:
            self.secret.append(entry)

    def add_objects(self) -> None:
        for key, value in self.spec.variables.items():
            name = f"AIRFLOW_VAR_{key.upper()}"
            if isinstance(value, SecretRef):
                self.from_secret(name, value)
            else:
                self.plain(name, variable_text(value))
        for conn_id, conn in self.spec.connections.items():
            self._connection(f"AIRFLOW_CONN_{conn_id.upper()}", conn)

    def _connection(self, name: str, conn: Connection) -> None:
        # Each secret part is first a marker that JSON writes as \u0000NAME\u0000 (YAML input cannot
        # hold a NUL, so no literal text looks like it), then a $(VARIABLE) that Kubernetes fills.
        refs = _secret_parts(conn)
        document = connection_json(conn, lambda ref: f"\0{ref.secret}\0")
        text = _k8s_literal(json.dumps(document, ensure_ascii=False, separators=(",", ":")))
        if not refs:
            self.env.append({"name": name, "value": text})
            return
        for ref in refs:
            self.from_secret(_secret_env(ref), ref)
            text = text.replace(f"\\u0000{ref.secret}\\u0000", f"$({_secret_env(ref)})")
        self.extra.append({"name": name, "value": text})

    def values(self) -> Values:
        values: Values = {}
        if self.env:
            values["env"] = self.env
        if self.secret:
            values["secret"] = self.secret
        if self.extra:  # a string the chart passes through `tpl`
            values["extraEnv"] = _tpl_literal(to_yaml(self.extra))
        return values


def _secret_parts(conn: Connection) -> list[SecretRef]:
    parts = (conn.host, conn.login, conn.password, conn.schema_, *(conn.extra or {}).values())
    return [part for part in parts if isinstance(part, SecretRef)]


def _secret_env(ref: SecretRef) -> str:
    return SECRET_ENV_PREFIX + token(ref.secret)


def _k8s_literal(text: str) -> str:
    """An env value Kubernetes gives back unchanged: it turns `$$` into `$` and expands `$(NAME)`."""
    return text.replace("$", "$$")


def _tpl_literal(text: str) -> str:
    """Text that Helm's `tpl` gives back unchanged."""
    return text.replace("{{", '{{ "{{" }}')


_CORE_SECRETS = (
    # (spec field, Airflow 3?, values key naming the Secret, env var the chart would set itself)
    ("fernet_key", None, "fernetKeySecretName", "AIRFLOW__CORE__FERNET_KEY"),
    ("webserver_secret_key", False, "webserverSecretKeySecretName", "AIRFLOW__WEBSERVER__SECRET_KEY"),
    ("webserver_secret_key", True, "apiSecretKeySecretName", "AIRFLOW__API__SECRET_KEY"),
    ("jwt_secret", True, "jwtSecretName", "AIRFLOW__API_AUTH__JWT_SECRET"),
)


def _core_secrets(spec: Spec, eks: EksTarget, environment: _Environment) -> Values:
    """Each key from the user's Secret, whatever its key name: the chart's own env var is switched off,
    ours reads the Secret, and naming the Secret stops the chart from generating one."""
    airflow_3 = chart.is_airflow_3(spec.airflow.version)
    values: Values = {}
    builtins: Values = {}
    for field, for_airflow_3, secret_name_key, variable in _CORE_SECRETS:
        ref = getattr(eks, field)
        if ref is None or (for_airflow_3 is not None and for_airflow_3 != airflow_3):
            continue
        source = spec.secrets[ref.secret].kubernetes
        assert source is not None  # official_rules reports AS308 before compiling
        values[secret_name_key] = source.name
        builtins[variable] = False
        environment.from_secret(variable, ref)
    if builtins:
        values["enableBuiltInSecretEnvVars"] = builtins
    return values


def _config(spec: Spec) -> Values:
    return {
        section: {option: _tpl_literal(option_text(value)) for option, value in options.items()}
        for section, options in spec.airflow.config.items()
    }


def _volumes(spec: Spec) -> Values:
    volumes, mounts = pod_volumes(spec)
    return {"volumes": volumes, "volumeMounts": mounts} if volumes else {}


def _dags(spec: Spec) -> Values:
    dags: Values = {"mountPath": spec.dags.path}
    source = spec.dags.from_
    if source is not None and source.volume is not None:
        dags["persistence"] = dag_persistence(spec, spec.volumes[source.volume])
    elif source is not None and source.git is not None:
        dags["gitSync"] = _git_sync(spec, source.git)
    return dags


def _git_sync(spec: Spec, git: GitSource) -> Values:
    # git-sync v4 (the chart's default image) follows `ref`, a branch, tag or commit; v3 reads branch and rev.
    sync: Values = {
        "enabled": True,
        "repo": git.repo,
        "branch": git.ref,
        "ref": git.revision or git.ref,
        "rev": git.revision or "HEAD",
        "subPath": git.sub_path or "",
    }
    if git.sync_interval is not None:
        sync["period"] = f"{git.sync_interval}s"
    credentials = git.credentials
    if credentials is not None and credentials.ssh_key is not None:
        source = spec.secrets[credentials.ssh_key.secret].kubernetes
        assert source is not None  # official_rules reports AS308 before compiling
        sync["sshKeySecret"] = source.name
    elif credentials is not None and credentials.username and credentials.password:
        sync["env"] = [
            _secret_env_var("GITSYNC_USERNAME", spec, credentials.username),
            _secret_env_var("GITSYNC_PASSWORD", spec, credentials.password),
        ]
    if git.known_hosts:
        sync["knownHosts"] = git.known_hosts
    return sync


def _secret_env_var(name: str, spec: Spec, ref: SecretRef) -> Values:
    source = spec.secrets[ref.secret].kubernetes
    assert source is not None  # official_rules reports AS308 before compiling
    return {"name": name, "valueFrom": {"secretKeyRef": {"name": source.name, "key": source.key}}}


def _service_accounts(spec: Spec, eks: EksTarget) -> Values:
    """IRSA on each component that runs tasks, parses DAGs or serves the API (there is no global one)."""
    account = eks.service_account
    if account is None:
        return {}
    settings: Values = {"create": False, "name": account.name} if account.name else {}
    if account.role_arn:
        settings["annotations"] = {"eks.amazonaws.com/role-arn": account.role_arn}
    web = "apiServer" if chart.is_airflow_3(spec.airflow.version) else "webserver"
    values: Values = {
        name: {"serviceAccount": dict(settings)} for name in ("scheduler", web, "triggerer", "dagProcessor")
    }
    values["workers"] = {"celery": {"serviceAccount": dict(settings)}, "kubernetes": {"serviceAccount": dict(settings)}}
    return values


def _backing_services(spec: Spec, eks: EksTarget) -> Values:
    values: Values = {}
    data: Values = {}
    if eks.database is not None and eks.database.url is not None:
        values["postgresql"] = {"enabled": False}
        data["metadataSecretName"] = _secret_name(spec, eks.database.url)
    if eks.redis is not None and eks.redis.url is not None:
        values["redis"] = {"enabled": False}
        data["brokerUrlSecretName"] = _secret_name(spec, eks.redis.url)
    if data:
        values["data"] = data
    return values


def _secret_name(spec: Spec, ref: SecretRef) -> str:
    source = spec.secrets[ref.secret].kubernetes
    assert source is not None  # official_rules reports AS308 before compiling
    return source.name
