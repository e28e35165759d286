"""Compile a spec into `values.yaml` for the official chart (apache-airflow/airflow 1.x).

The chart has no connections or variables of its own: they reach every Airflow container,
KubernetesExecutor pods included, as `AIRFLOW_CONN_<ID>` (Airflow's JSON form) and `AIRFLOW_VAR_<KEY>`
environment variables. A secret never enters the values, and its value is never pasted into other
text: a variable that is a secret, or a connection kept whole in a secret, reads its Kubernetes Secret
directly (`secret:`); a connection with a secret part is refused by the rules (Kubernetes' `$(NAME)`
would paste the value into the JSON unescaped). Kubernetes expands `$(...)` and turns `$$` into `$` in
every env value, so literal `$` are doubled.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from airflowspec.airflow_forms import connection_json, variable_text
from airflowspec.spec import EksTarget, GitSource, SecretRef, Spec
from airflowspec.spec.airflow import option_text
from airflowspec.targets.eks import official_auth, official_components
from airflowspec.targets.eks import official_chart as chart
from airflowspec.targets.eks.index_env import pip_environment
from airflowspec.targets.eks.kubernetes import dag_persistence, kubernetes_source, pod_volumes
from airflowspec.targets.eks.logs_values import official_logs
from airflowspec.targets.eks.values_tree import merge

Values = dict[str, Any]


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
        **_no_default_user(eks.effective_chart_version()),
    }
    environment = _Environment(spec)
    environment.add_objects()
    core_secrets = _core_secrets(spec, eks, environment)
    pip_indexes: Values = {}
    if eks.pip_install_at_start and spec.packages:
        environment.plain("_PIP_ADDITIONAL_REQUIREMENTS", " ".join(spec.packages))
        pip_indexes = _pip_indexes(spec, environment)
    parts = (
        core_secrets,
        pip_indexes,
        environment.values(),
        {"config": _config(spec)},
        _volumes(spec),
        {"dags": _dags(spec)},
        _service_accounts(spec, eks),
        _backing_services(spec, eks),
        official_components.components_values(spec, eks),
        official_auth.auth_values(spec, eks),
        official_logs(spec, eks),
    )
    for part in parts:  # components (scheduler, workers, ...) get settings from several parts
        merge(values, part)
    official_components.apply_service_accounts(values, spec, eks)
    return values


def _no_default_user(version: str) -> Values:
    """The chart's job would create user admin with password admin and the Admin role; before 1.19.0 the
    job follows `webserver.defaultUser.enabled`, even on Airflow 3."""
    from airflowspec.data.chart_facts import chart_has  # read on first use, not when validating

    if chart_has("official", version, "createUserJob.enabled"):
        return {"createUserJob": {"enabled": False}}
    return {"webserver": {"defaultUser": {"enabled": False}}}


class _Environment:
    """The chart's two env lists, in the order the chart renders them: `env`, then `secret`."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.env: list[dict[str, str]] = []
        self.secret: list[dict[str, str]] = []

    def plain(self, name: str, text: str) -> None:
        self.env.append({"name": name, "value": _k8s_literal(text)})

    def from_secret(self, name: str, ref: SecretRef) -> None:
        source = kubernetes_source(self.spec, ref)
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
            name = f"AIRFLOW_CONN_{conn_id.upper()}"
            if isinstance(conn, SecretRef):
                self.from_secret(name, conn)
            else:  # every part literal: the rules refuse secret parts, which would be pasted into the JSON
                self.plain(
                    name, json.dumps(connection_json(conn, _no_secret), ensure_ascii=False, separators=(",", ":"))
                )

    def values(self) -> Values:
        values: Values = {}
        if self.env:
            values["env"] = self.env
        if self.secret:
            values["secret"] = self.secret
        return values


def _pip_indexes(spec: Spec, environment: _Environment) -> Values:
    """The indexes' credentials join `secret`; the URLs that name them as `$(VARIABLE)` go in `extraEnv`,
    which the chart renders after `secret` (Kubernetes expands a variable listed before). `extraEnv` is
    YAML text that the chart passes through `tpl`; a URL holds no quote, `$` or brace (AS223)."""
    pip = pip_environment(spec)
    for name, ref in pip.secrets:
        environment.from_secret(name, ref)
    if not pip:
        return {}
    entries = [f"- name: {name}\n  value: {json.dumps(url)}\n" for name, url in pip.urls.items()]
    return {"extraEnv": _tpl_literal("".join(entries))}


def _no_secret(ref: SecretRef) -> str:
    raise AssertionError(f"secret '{ref.secret}' inside a connection reached the official chart's compiler")


def _k8s_literal(text: str) -> str:
    """An env value Kubernetes gives back unchanged: it turns `$$` into `$` and expands `$(NAME)`."""
    return text.replace("$", "$$")


def _tpl_literal(text: str) -> str:
    """Text that Helm's `tpl` gives back unchanged."""
    return text.replace("{{", '{{ "{{" }}')


@dataclasses.dataclass(frozen=True)
class _CoreSecret:
    field: str  # of EksTarget
    secret_name_key: str  # the values key that names the Secret, so that the chart makes none
    variable: str  # the env var the chart would set from its own Secret
    components: tuple[str, ...] = ()  # only these components' `env`; every Airflow container when empty


def _core_secrets_for(airflow_3: bool) -> tuple[_CoreSecret, ...]:
    fernet = _CoreSecret("fernet_key", "fernetKeySecretName", "AIRFLOW__CORE__FERNET_KEY")
    if not airflow_3:
        return (
            fernet,
            _CoreSecret("webserver_secret_key", "webserverSecretKeySecretName", "AIRFLOW__WEBSERVER__SECRET_KEY"),
        )
    return (
        fernet,
        _CoreSecret("webserver_secret_key", "apiSecretKeySecretName", "AIRFLOW__API__SECRET_KEY"),
        # Only what signs task tokens sees the JWT secret, as in the chart (`IncludeJwtSecret`).
        _CoreSecret("jwt_secret", "jwtSecretName", "AIRFLOW__API_AUTH__JWT_SECRET", ("scheduler", "apiServer")),
    )


def _core_secrets(spec: Spec, eks: EksTarget, environment: _Environment) -> Values:
    """Each key from the user's Secret, whatever its key name: the chart's own env var is switched off,
    ours reads the Secret, and naming the Secret stops the chart from generating one."""
    values: Values = {}
    builtins: Values = {}
    for core in _core_secrets_for(chart.is_airflow_3(spec.airflow.version)):
        ref = getattr(eks, core.field)
        if ref is None:
            continue
        source = kubernetes_source(spec, ref)
        values[core.secret_name_key] = source.name
        builtins[core.variable] = False
        if not core.components:
            environment.from_secret(core.variable, ref)
        for component in core.components:
            entry = {"name": core.variable, "valueFrom": {"secretKeyRef": {"name": source.name, "key": source.key}}}
            values.setdefault(component, {}).setdefault("env", []).append(entry)
    if builtins:
        values["enableBuiltInSecretEnvVars"] = builtins
    return values


def _config(spec: Spec) -> Values:
    """airflow.cfg, which Airflow reads with ConfigParser interpolation: a literal `%` is written `%%`."""
    return {
        section: {option: _tpl_literal(option_text(value).replace("%", "%%")) for option, value in options.items()}
        for section, options in spec.airflow.config.items()
    }


def _volumes(spec: Spec) -> Values:
    volumes, mounts = pod_volumes(spec)
    return {"volumes": volumes, "volumeMounts": mounts} if volumes else {}


def _dags(spec: Spec) -> Values:
    dags: Values = {"mountPath": spec.dags.path}
    source = spec.dags.from_
    if source is not None and source.volume is not None:
        dags["persistence"] = dag_persistence(spec, spec.volumes[source.volume], "storageClassName")
    if source is not None and source.git is not None:  # with a volume: git-sync into it (official chart only)
        dags["gitSync"] = _git_sync(spec, source.git)
    return dags


def _git_sync(spec: Spec, git: GitSource) -> Values:
    # git-sync v4 (the chart's default image) follows `ref`: a branch, tag or commit. The chart also
    # passes the v3 names; v4 refuses --branch and --rev beside --ref, and reads empty ones as unset.
    sync: Values = {
        "enabled": True,
        "repo": git.repo,
        "ref": git.revision or git.ref,
        "branch": "",
        "rev": "",
        "subPath": git.sub_path or "",
    }
    if git.sync_interval is not None:
        sync["period"] = f"{git.sync_interval}s"
    if git.depth is not None:
        sync["depth"] = git.depth
    if git.max_failures is not None:
        sync["maxFailures"] = git.max_failures
    credentials = git.credentials
    if credentials is not None and credentials.ssh_key is not None:
        sync["sshKeySecret"] = kubernetes_source(spec, credentials.ssh_key).name
    elif credentials is not None and credentials.username and credentials.password:
        sync["env"] = [
            _secret_env_var("GITSYNC_USERNAME", spec, credentials.username),
            _secret_env_var("GITSYNC_PASSWORD", spec, credentials.password),
        ]
    if git.known_hosts:
        sync["knownHosts"] = git.known_hosts
    return sync


def _secret_env_var(name: str, spec: Spec, ref: SecretRef) -> Values:
    source = kubernetes_source(spec, ref)
    return {"name": name, "valueFrom": {"secretKeyRef": {"name": source.name, "key": source.key}}}


def _service_accounts(spec: Spec, eks: EksTarget) -> Values:
    """IRSA on each component that runs tasks, parses DAGs or serves the API (there is no global one).

    A named account is one account: made by the chart (once, as the scheduler's) with the annotation
    when the spec gives a role, taken as it exists when it does not, as on the community chart."""
    account = eks.service_account
    if account is None:
        return {}
    annotations = {"eks.amazonaws.com/role-arn": account.role_arn} if account.role_arn else None
    if account.name:
        shared: Values = {"create": False, "name": account.name}
        owner: Values = {"create": True, "name": account.name, "annotations": annotations} if annotations else shared
    else:
        shared = owner = {"annotations": annotations} if annotations else {}
    web = "apiServer" if chart.is_airflow_3(spec.airflow.version) else "webserver"
    values: Values = {name: {"serviceAccount": dict(shared)} for name in (web, "triggerer", "dagProcessor")}
    values["scheduler"] = {"serviceAccount": dict(owner)}
    # From 1.21.0 the pod template falls back to the deprecated `workers.serviceAccount` when its own
    # is not created, so all three carry the same settings; before, `workers.serviceAccount` is the only one.
    values["workers"] = {"serviceAccount": dict(shared)}
    from airflowspec.data.chart_facts import chart_has

    for kind in ("celery", "kubernetes"):
        if chart_has("official", eks.effective_chart_version(), f"workers.{kind}.serviceAccount"):
            values["workers"][kind] = {"serviceAccount": dict(shared)}
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
    return kubernetes_source(spec, ref).name
