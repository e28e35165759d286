"""Facts about task logs on both charts that `targets.eks.logs` compiles to and is checked against.

Sources: community chart (airflow-helm/charts) templates/_helpers/validate-values.tpl, pods.tpl and
pvc-logs.yaml at 8.3.0 and 8.9.0, CHANGELOG 8.6.0; official chart (apache/airflow `chart/`)
values.yaml of 1.18.0-1.21.0 and the 1.21.0 templates (scheduler, triggerer, dag-processor and
worker Deployments, logs-persistent-volume-claim.yaml); Airflow's config.yml, whose `[logging]`
section has held `remote_logging`, `remote_base_log_folder` and `remote_log_conn_id` since 2.0.
"""

from __future__ import annotations

from packaging.version import Version

#: The airflow.cfg options `logs.remote` sets, in section `logging`.
REMOTE_OPTIONS = ("remote_logging", "remote_base_log_folder", "remote_log_conn_id")
#: Where Airflow 2 still reads the same options under their pre-2.0 section.
REMOTE_SECTIONS = ("logging", "core")

#: The community chart's log-cleanup sidecars (`scheduler.logCleanup`, `workers.logCleanup`) came in 8.6.0,
#: with its refusal to run them beside `logs.persistence` (validate-values.tpl).
COMMUNITY_CLEANUP_SINCE = "8.6.0"
MINUTES_PER_DAY = 24 * 60

#: The official chart's `logs.persistence.subPath` came in 1.19.0.
OFFICIAL_SUB_PATH_SINCE = "1.19.0"
#: 1.21.0 moved the Celery workers' settings to `workers.celery` (the old place still works, with a
#: deprecation note at install).
OFFICIAL_CELERY_WORKERS_SINCE = "1.21.0"
#: Components of the official chart with a `logGroomerSidecar` (workers: see `official_worker_groomer`).
OFFICIAL_GROOMED = ("scheduler", "triggerer", "dagProcessor")

#: The Airflow image's Amazon provider, which the S3 task handler lives in.
AMAZON_PROVIDER = "apache-airflow-providers-amazon"


def community_has_cleanup(chart_version: str) -> bool:
    return Version(chart_version) >= Version(COMMUNITY_CLEANUP_SINCE)


def official_has_sub_path(chart_version: str) -> bool:
    return Version(chart_version) >= Version(OFFICIAL_SUB_PATH_SINCE)


def official_worker_groomer(chart_version: str) -> tuple[str, ...]:
    """The values path of the Celery workers' log groomer for this chart version."""
    if Version(chart_version) >= Version(OFFICIAL_CELERY_WORKERS_SINCE):
        return ("workers", "celery", "logGroomerSidecar")
    return ("workers", "logGroomerSidecar")


def runs_celery_workers(executor: str) -> bool:
    return executor in ("CeleryExecutor", "CeleryKubernetesExecutor")
