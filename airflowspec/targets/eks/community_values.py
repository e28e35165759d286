"""Compile a spec into `values.yaml` for the community chart (airflow-helm/charts 8.x)."""

from __future__ import annotations

from typing import Any

from packaging.version import Version

from airflowspec.spec import EksTarget, GitSource, SecretRef, Spec
from airflowspec.spec.airflow import option_text
from airflowspec.targets.eks import community_chart as chart
from airflowspec.targets.eks.community_access import compile_access
from airflowspec.targets.eks.community_components import compile_components
from airflowspec.targets.eks.community_objects import compile_objects, secret_key_ref
from airflowspec.targets.eks.index_env import pip_environment
from airflowspec.targets.eks.kubernetes import dag_persistence, pod_volumes
from airflowspec.targets.eks.logs_values import community_logs
from airflowspec.targets.eks.package_rules import community_form
from airflowspec.targets.eks.values_tree import merge

Values = dict[str, Any]


def compile_values(spec: Spec, eks: EksTarget) -> Values:
    values: Values = {"airflow": _airflow(spec, eks)}
    values.update(_components(spec, eks))
    values["dags"] = _dags(spec)
    if eks.service_account is not None:
        values["serviceAccount"] = _service_account(eks)
    values.update(_database(spec, eks))
    merge(values, compile_components(spec, eks))
    merge(values, compile_access(spec, eks))
    merge(values, community_logs(spec, eks))
    return values


def _airflow(spec: Spec, eks: EksTarget) -> Values:
    image = eks.image
    section: Values = {
        "legacyCommands": False,
        "image": {
            "repository": image.repository if image else "apache/airflow",
            "tag": image.tag if image and image.tag else spec.airflow.version,
        },
        "executor": spec.airflow.executor.value,
    }
    section.update(_core_secrets(spec, eks))
    section["config"] = {
        f"AIRFLOW__{section_name.upper()}__{option.upper()}": option_text(value)
        for section_name, options in spec.airflow.config.items()
        for option, value in options.items()
    }
    section["users"] = []
    section.update(compile_objects(spec))
    section.update(_volumes(spec))
    section.update(_packages(spec))
    return section


def _core_secrets(spec: Spec, eks: EksTarget) -> Values:
    """Fernet and webserver keys come from Secrets through extraEnv, and the chart's defaults are emptied;
    so do connections kept whole in a secret, as AIRFLOW_CONN_<ID>, which Airflow reads before its database,
    and the package indexes' credentials, before the pip variables that name them (`index_env`)."""
    values: Values = {}
    env = []
    for ref, variable, key in (
        (eks.fernet_key, "AIRFLOW__CORE__FERNET_KEY", "airflow.fernetKey"),
        (eks.webserver_secret_key, "AIRFLOW__WEBSERVER__SECRET_KEY", "airflow.webserverSecretKey"),
    ):
        if ref is None:
            continue
        env.append({"name": variable, "valueFrom": {"secretKeyRef": secret_key_ref(spec, ref)}})
        if chart.has_key(eks.effective_chart_version(), key):
            values[key.split(".")[1]] = ""
    for conn_id, ref in spec.secret_connections().items():
        env.append(
            {"name": f"AIRFLOW_CONN_{conn_id.upper()}", "valueFrom": {"secretKeyRef": secret_key_ref(spec, ref)}}
        )
    pip = pip_environment(spec)
    env += [{"name": name, "valueFrom": {"secretKeyRef": secret_key_ref(spec, ref)}} for name, ref in pip.secrets]
    env += [{"name": name, "value": url} for name, url in pip.urls.items()]
    if env:
        values["extraEnv"] = env
    return values


def _packages(spec: Spec) -> Values:
    """The chart writes each requirement in single quotes (`echo '...'`): markers get double quotes."""
    packages = [community_form(text) for text in spec.packages]
    if not packages:
        return {}
    values: Values = {"extraPipPackages": packages}
    if spec.airflow.executor.value in chart.KUBERNETES_EXECUTORS:
        values["kubernetesPodTemplate"] = {"extraPipPackages": packages}
    return values


def _volumes(spec: Spec) -> Values:
    volumes, mounts = pod_volumes(spec)
    return {"extraVolumes": volumes, "extraVolumeMounts": mounts} if volumes else {}


def _components(spec: Spec, eks: EksTarget) -> Values:
    executor = spec.airflow.executor.value
    celery = executor != "KubernetesExecutor"
    values: Values = {"workers": {"enabled": celery}, "flower": {"enabled": celery}}
    if chart.logs_on_a_volume(spec, eks.effective_chart_version()):
        values["scheduler"] = {"logCleanup": {"enabled": False}}
        if celery:
            values["workers"]["logCleanup"] = {"enabled": False}
    if Version(spec.airflow.version) < Version("2.2.0") and chart.has_key(
        eks.effective_chart_version(), "triggerer.enabled"
    ):
        # A custom image hides the version from the chart, which then deploys a triggerer anyway.
        values["triggerer"] = {"enabled": False}
    values.update(_redis(spec, eks) if celery else {"redis": {"enabled": False}})
    return values


def _redis(spec: Spec, eks: EksTarget) -> Values:
    redis = eks.redis
    if redis is None:
        return {"redis": {"enabled": True}}
    assert redis.host is not None  # community_rules reports AS325 for a url-only Redis
    external: Values = {"host": redis.host, "port": redis.port, "databaseNumber": redis.database_number}
    if redis.password is not None:
        ref = secret_key_ref(spec, redis.password)
        external |= {"passwordSecret": ref["name"], "passwordSecretKey": ref["key"]}
    if redis.properties:
        external["properties"] = redis.properties
    return {"redis": {"enabled": False}, "externalRedis": external}


def _dags(spec: Spec) -> Values:
    dags: Values = {"path": spec.dags.path}
    source = spec.dags.from_
    if source is not None and source.volume is not None:
        dags["persistence"] = dag_persistence(spec, spec.volumes[source.volume], "storageClass")
    if source is not None and source.git is not None:  # with a volume: git-sync into it (official chart only)
        dags["gitSync"] = _git_sync(spec, source.git)
    return dags


def _git_sync(spec: Spec, git: GitSource) -> Values:
    sync: Values = {"enabled": True, "repo": git.repo, "branch": git.ref}
    if git.revision:
        sync["revision"] = git.revision
    if git.sub_path:
        sync["repoSubPath"] = git.sub_path
    if git.sync_interval is not None:
        sync["syncWait"] = git.sync_interval
    if git.depth is not None:
        sync["depth"] = git.depth
    if git.max_failures is not None:
        sync["maxFailures"] = git.max_failures
    credentials = git.credentials
    if credentials is not None and credentials.ssh_key is not None:
        ref = secret_key_ref(spec, credentials.ssh_key)
        sync |= {"sshSecret": ref["name"], "sshSecretKey": ref["key"]}
    elif credentials is not None and credentials.username and credentials.password:
        user = secret_key_ref(spec, credentials.username)
        password = secret_key_ref(spec, credentials.password)
        sync |= {
            "httpSecret": user["name"],
            "httpSecretUsernameKey": user["key"],
            "httpSecretPasswordKey": password["key"],
        }
    if git.known_hosts:
        sync["sshKnownHosts"] = git.known_hosts
    return sync


def _service_account(eks: EksTarget) -> Values:
    """A named account with a role is made by the chart with the IRSA annotation; a named account
    without one is taken as it exists (the chart makes none), as on the official chart."""
    account = eks.service_account
    assert account is not None
    values: Values = {}
    if account.name:
        values |= {"create": bool(account.role_arn), "name": account.name}
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
        ref = secret_key_ref(spec, database.user)
        external |= {"userSecret": ref["name"], "userSecretKey": ref["key"]}
    else:
        external["user"] = database.user
    assert database.password is not None  # community_rules reports AS325 for a url-only database
    password = secret_key_ref(spec, database.password)
    external |= {"passwordSecret": password["name"], "passwordSecretKey": password["key"]}
    if database.properties:
        external["properties"] = database.properties
    return {"postgresql": {"enabled": False}, "externalDatabase": external}
