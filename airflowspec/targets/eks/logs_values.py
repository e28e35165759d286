"""`targets.eks.logs` in each chart's values: remote task logs, the logs volume and log cleanup.

- `remote` sets Airflow's `[logging] remote_logging`, `remote_base_log_folder` and `remote_log_conn_id`:
  on the community chart as `airflow.config` environment variables (AIRFLOW__LOGGING__*), on the
  official chart in `config.logging` (airflow.cfg), where it replaces the chart's own
  `remote_logging`, which follows `elasticsearch.enabled`/`opensearch.enabled` (both stay off).
  `encrypt_s3_logs` is left to `airflow.config`: it asks S3 for SSE-S3 (AES256), which a bucket
  that requires SSE-KMS refuses.
- `persistence` is the chart's `logs.persistence`: an existing ReadWriteMany claim (with `subPath`) or
  one the chart makes (`size`, StorageClass). The community chart then refuses its log-cleanup
  sidecars, so they are turned off; the official chart keeps its log groomers on the shared volume.
- `cleanup` is the community chart's `scheduler.logCleanup`/`workers.logCleanup` (retention in
  minutes) and the official chart's `logGroomerSidecar` of the scheduler, triggerer, DAG processor
  and Celery workers (retention in days); `false` turns them all off.
"""

from __future__ import annotations

from airflowspec.spec import EksTarget, Spec
from airflowspec.spec.eks import LogClaim, LogCleanup, Logs
from airflowspec.targets.eks import logs_chart as facts
from airflowspec.targets.eks.values_tree import Values, merge, nested


def community_logs(spec: Spec, eks: EksTarget) -> Values:
    """The community chart's part for `logs`; empty when the spec has none."""
    logs = eks.logs
    if logs is None:
        return {}
    values: Values = {}
    if logs.remote is not None:
        options = _remote_options(logs)
        config = {f"AIRFLOW__LOGGING__{option.upper()}": text for option, text in options.items()}
        values["airflow"] = {"config": config}
    if logs.persistence is not None:
        values["logs"] = {"persistence": _persistence(logs, "storageClass")}
    cleanup = _community_cleanup(spec, eks, logs)
    if cleanup is not None:
        components = ["scheduler"] + (["workers"] if facts.runs_celery_workers(spec.airflow.executor.value) else [])
        merge(values, {component: {"logCleanup": cleanup} for component in components})
    return values


def official_logs(spec: Spec, eks: EksTarget) -> Values:
    """The official chart's part for `logs`; empty when the spec has none."""
    logs = eks.logs
    if logs is None:
        return {}
    values: Values = {}
    if logs.remote is not None:
        values["config"] = {"logging": _remote_options(logs)}
    if logs.persistence is not None:
        values["logs"] = {"persistence": _persistence(logs, "storageClassName")}
    if logs.cleanup is not None:
        groomer = _official_groomer(logs.cleanup)
        for component in facts.OFFICIAL_GROOMED:
            merge(values, {component: {"logGroomerSidecar": dict(groomer)}})
        if facts.runs_celery_workers(spec.airflow.executor.value):
            path = facts.official_worker_groomer(eks.effective_chart_version())
            merge(values, nested(path, dict(groomer)))
    return values


def _remote_options(logs: Logs) -> dict[str, str]:
    remote = logs.remote
    assert remote is not None
    return {"remote_logging": "True", "remote_base_log_folder": remote.url, "remote_log_conn_id": remote.connection}


def _persistence(logs: Logs, storage_class_key: str) -> Values:
    """`logs.persistence` of either chart, which differ only in the StorageClass key's name."""
    persistence = logs.persistence
    if isinstance(persistence, LogClaim):
        claim: Values = {"enabled": True, "existingClaim": persistence.claim}
        if persistence.sub_path:
            claim["subPath"] = persistence.sub_path
        return claim
    assert persistence is not None
    made: Values = {"enabled": True, "size": persistence.size}
    if persistence.storage_class:
        made[storage_class_key] = persistence.storage_class
    return made


def _community_cleanup(spec: Spec, eks: EksTarget, logs: Logs) -> Values | None:
    """The sidecars' settings: off beside `logs.persistence` (the chart refuses both; the rules refuse a
    retention there), none on charts before 8.6.0, which have no sidecars."""
    if not facts.community_has_cleanup(eks.effective_chart_version()):
        return None
    if logs.persistence is not None or logs.cleanup is False:
        return {"enabled": False}
    if isinstance(logs.cleanup, LogCleanup):
        return {"enabled": True, "retentionMinutes": logs.cleanup.retention_days * facts.MINUTES_PER_DAY}
    return None


def _official_groomer(cleanup: LogCleanup | bool) -> Values:
    if isinstance(cleanup, LogCleanup):
        return {"enabled": True, "retentionDays": cleanup.retention_days}
    return {"enabled": False}
