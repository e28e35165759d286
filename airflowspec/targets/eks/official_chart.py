"""Facts about the official chart (apache-airflow/airflow 1.x) that its rules and compiler share.

Source: the chart's values.yaml, values.schema.json and templates of each release (reference:
official-chart.md; commits in tests/charts/setup_charts.py). What keys a release has is in
`airflowspec.data.chart_facts`.
"""

from __future__ import annotations

from packaging.version import Version

from airflowspec.spec.targets import DEFAULT_CHART_VERSIONS

CHART_VERSIONS = ("1.18.0", "1.19.0", "1.20.0", "1.21.0")
DEFAULT_CHART_VERSION = DEFAULT_CHART_VERSIONS["official"]
#: The oldest Airflow each release runs. 1.20.0 dropped Airflow before 2.11: its check-values.yaml
#: refuses an older `airflowVersion`. 1.18.0 and 1.19.0 document "1.10+, 2.0+, 3.0+" and their templates
#: still branch on 1.10.12, 2.0 ... 2.8 and 3.0; airflowspec runs Airflow 2.0 and later on every target.
#: No release names a newest Airflow (the templates branch on `>=3.0.0` only).
OLDEST_AIRFLOW = {"1.18.0": "2.0.0", "1.19.0": "2.0.0", "1.20.0": "2.11.0", "1.21.0": "2.11.0"}
#: The last release for Airflow before 2.11.
LAST_FOR_AIRFLOW_2_10 = "1.19.0"

#: Executors the chart runs (its schema lets more through); the hybrid ones only with Airflow 2.
AIRFLOW_3_EXECUTORS = ("CeleryExecutor", "KubernetesExecutor", "LocalExecutor")
EXECUTORS = (*AIRFLOW_3_EXECUTORS, "CeleryKubernetesExecutor", "LocalKubernetesExecutor")

#: Secret keys the chart reads by fixed name.
GIT_SSH_KEY = "gitSshKey"  # dags.gitSync.sshKeySecret
CONNECTION_KEY = "connection"  # data.metadataSecretName, data.brokerUrlSecretName

#: airflow.cfg options the chart sets, from values or from its own Secrets through environment
#: variables (which win over `config`): a value in `config` would be ignored.
CHART_OWNED_OPTIONS = {
    ("core", "executor"): "set `airflow.executor` instead",
    ("core", "dags_folder"): "set `dags.path` instead",
    ("core", "fernet_key"): "set `targets.eks.fernetKey: {secret: NAME}` instead",
    ("database", "sql_alchemy_conn"): "set `targets.eks.database.url: {secret: NAME}` instead",
    ("core", "sql_alchemy_conn"): "set `targets.eks.database.url: {secret: NAME}` instead",
    ("celery", "broker_url"): "set `targets.eks.redis.url: {secret: NAME}` instead",
    ("webserver", "secret_key"): "set `targets.eks.webserverSecretKey: {secret: NAME}` instead",
    ("api", "secret_key"): "set `targets.eks.webserverSecretKey: {secret: NAME}` instead",
    ("api_auth", "jwt_secret"): "set `targets.eks.jwtSecret: {secret: NAME}` instead",
}

#: Files the chart mounts into Airflow containers.
CHART_FILES = {
    "/opt/airflow/airflow.cfg": "airflow.cfg",
    "/opt/airflow/config/airflow_local_settings.py": "airflow_local_settings.py",
    "/opt/airflow/pod_templates/pod_template_file.yaml": "the pod template",
    "/opt/airflow/logs": "the logs",
}
#: `<release>-run-airflow-migrations` must fit a 63-character Job name label.
MAX_RELEASE_NAME = 40


def is_airflow_3(version: str) -> bool:
    return Version(version).major >= 3
