"""Facts about the community chart (airflow-helm/charts `airflow` 8.x) that rules and compiler share.

Source: the chart's templates, values.yaml, README support table and CHANGELOG at tag airflow-8.9.0.
"""

from __future__ import annotations

from packaging.version import Version

from airflowspec.spec import Spec
from airflowspec.spec.targets import DEFAULT_CHART_VERSIONS
from airflowspec.targets.eks.kubernetes import clean_path, mounted_volumes, token

CHART_VERSIONS = (
    *(f"8.0.{patch}" for patch in range(10)),
    "8.1.0", "8.1.1", "8.1.2", "8.1.3",
    "8.2.0",
    "8.3.0", "8.3.1", "8.3.2",
    "8.4.0", "8.4.1",
    "8.5.0", "8.5.1", "8.5.2", "8.5.3",
    "8.6.0", "8.6.1",
    "8.7.0", "8.7.1",
    "8.8.0",
    "8.9.0",
)  # fmt: skip
DEFAULT_CHART_VERSION = DEFAULT_CHART_VERSIONS["community"]

#: Values keys the compiler may emit that older 8.x releases lack, with the release that added them.
KEY_ADDED_IN = {
    "airflow.connectionsTemplates": "8.4.0",
    "airflow.variablesTemplates": "8.4.0",
    "airflow.webserverSecretKey": "8.5.0",
    "externalDatabase.userSecret": "8.6.0",
    "triggerer.enabled": "8.6.0",
}

#: 8.0.2 put the line break before `airflow.extraVolumes` / `extraVolumeMounts` in the pods' lists
#: (`{{ toYaml ... }}` instead of `{{- toYaml ... }}`): before it, `helm template` fails on any volume.
EXTRA_VOLUMES_SINCE = "8.0.2"

#: 8.6.1 made the chart notice a volume over `logs.path`: it then drops its own logs volume and
#: refuses its log-cleanup sidecars (validate-values.tpl rules 17 and 20).
LOGS_ON_VOLUMES_SINCE = "8.6.1"

#: `logs.path`; the chart's default, which airflowspec does not change.
LOGS_PATH = "/opt/airflow/logs"

EXECUTORS = ("CeleryExecutor", "CeleryKubernetesExecutor", "KubernetesExecutor")
KUBERNETES_EXECUTORS = ("CeleryKubernetesExecutor", "KubernetesExecutor")

#: (oldest Airflow minor, first chart release that supports it fully), from the README's table.
AIRFLOW_SUPPORT = (
    ("2.0", "8.0.0"),
    ("2.1", "8.0.0"),
    ("2.2", "8.6.0"),
    ("2.3", "8.6.1"),
    ("2.4", "8.6.1"),
    ("2.5", "8.6.1"),
    ("2.6", "8.7.1"),
    ("2.7", "8.8.0"),
    ("2.8", "8.8.0"),
    ("2.9", "8.9.0"),
)
NEWEST_SUPPORTED_AIRFLOW = "2.9"

#: airflow.cfg options the chart sets itself and refuses in `airflow.config` (validate-values.tpl
#: rules 10-15), plus their _SECRET forms, which would lose to the chart's _CMD anyway.
CHART_OWNED_OPTIONS = {
    ("core", "executor"): "set `airflow.executor` instead",
    ("core", "dags_folder"): "set `dags.path` instead",
    ("celery", "broker_url"): "the chart builds it; set `targets.eks.redis` for an external Redis",
    ("celery", "result_backend"): "the chart builds it from the metadata database",
    ("core", "sql_alchemy_conn"): "the chart builds it; set `targets.eks.database`",
    ("database", "sql_alchemy_conn"): "the chart builds it; set `targets.eks.database`",
    ("core", "fernet_key"): "set `targets.eks.fernetKey: {secret: NAME}` instead",
    ("webserver", "secret_key"): "set `targets.eks.webserverSecretKey: {secret: NAME}` instead",
    # Not refused by the chart, but set in the same Secret; the Service, probes and log volumes
    # assume the chart's values.
    ("webserver", "web_server_port"): "the chart's Service and probes use 8080",
    ("celery", "flower_port"): "the chart's flower Service uses 5555",
    ("logging", "base_log_folder"): "the chart sets it from its logs volume",
    ("logging", "dag_processor_manager_log_location"): "the chart sets it from its logs volume",
    ("scheduler", "child_process_log_directory"): "the chart sets it from its logs volume",
    ("logging", "worker_log_server_port"): "the chart's worker Service uses 8793",
    ("celery", "worker_log_server_port"): "the chart's worker Service uses 8793",
}

#: Volume names the chart gives its own volumes in the same pods.
RESERVED_VOLUME_NAMES = frozenset(
    {
        "airflow-local-settings",
        "dags-data",
        "git-known-hosts",
        "git-secret",
        "home-airflow-local",
        "logs-data",
        "pod-template",
        "scripts",
        "templates",
        "webserver-config",
    }
)
PIP_PACKAGES_PATH = "/home/airflow/.local"


def has_key(chart_version: str, key: str) -> bool:
    added = KEY_ADDED_IN.get(key)
    return added is None or Version(chart_version) >= Version(added)


def max_release_name(chart_version: str) -> int:
    """8.6.1 cut the limit from 43 to 40 characters (#589)."""
    return 40 if Version(chart_version) >= Version("8.6.1") else 43


def first_chart_for(airflow_version: str) -> str | None:
    """The first chart release that fully supports this Airflow minor; None when none does."""
    minor = ".".join(airflow_version.split(".")[:2])
    return dict(AIRFLOW_SUPPORT).get(minor)


def template_name(secret: str) -> str:
    """The `*Templates` key for a secret: `warehouse-password` -> `WAREHOUSE_PASSWORD`."""
    return token(secret)


def covers_logs_path(mount_path: str) -> bool:
    """The chart's `airflow._has_logs_path`: a plain string-prefix test, so `/opt/air` counts too."""
    return LOGS_PATH.startswith(clean_path(mount_path))


def logs_on_a_volume(spec: Spec, chart_version: str) -> list[str]:
    """Names of the volumes the chart takes as holding the logs (none before 8.6.1)."""
    if Version(chart_version) < Version(LOGS_ON_VOLUMES_SINCE):
        return []
    return [name for name, volume in mounted_volumes(spec).items() if covers_logs_path(volume.mount_path)]
