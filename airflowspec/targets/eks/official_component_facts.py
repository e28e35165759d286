"""What each pod of the official chart (apache-airflow/airflow 1.21) can be given, per `targets.eks.components` name.

Read from the chart's values.yaml and templates at 1.21.0: which components have a PodDisruptionBudget
template, a `safeToEvict` annotation, a `replicas` count, an `enabled` switch, a volume of their own, and
whether the pod reads the chart's global placement (`nodeSelector`, `affinity`, `tolerations`: every pod
but the PostgreSQL subchart's), `airflowPodAnnotations` and `securityContexts.pod` (Airflow's own pods and
flower; not statsd, pgbouncer or Redis, which read only their own).
"""

from __future__ import annotations

from typing import NamedTuple

from airflowspec.spec import Spec
from airflowspec.targets.eks import official_chart as chart


class ChartPod(NamedTuple):
    pdb: bool = True
    safe_to_evict: bool = True
    replicas: bool = True
    enabled: bool = True
    persistence: bool = False
    airflow_pod: bool = True  # reads airflowPodAnnotations and securityContexts.pod
    service_account: bool = True


#: By spec name (snake_case field of `Components`).
PODS = {
    "scheduler": ChartPod(),
    "webserver": ChartPod(safe_to_evict=False),
    "workers": ChartPod(enabled=False, persistence=True),
    "triggerer": ChartPod(persistence=True),
    "dag_processor": ChartPod(),
    "flower": ChartPod(pdb=False, safe_to_evict=False, replicas=False),
    "statsd": ChartPod(pdb=False, safe_to_evict=False, replicas=False, airflow_pod=False),
    "pgbouncer": ChartPod(safe_to_evict=False, airflow_pod=False),
    "redis": ChartPod(pdb=False, replicas=False, persistence=True, airflow_pod=False),
    "postgresql": ChartPod(
        pdb=False, safe_to_evict=False, replicas=False, persistence=True, airflow_pod=False, service_account=False
    ),
}

#: The spec's camelCase names, for messages.
SPEC_NAMES = {
    "scheduler": "scheduler",
    "webserver": "webserver",
    "workers": "workers",
    "triggerer": "triggerer",
    "dag_processor": "dagProcessor",
    "flower": "flower",
    "statsd": "statsd",
    "pgbouncer": "pgbouncer",
    "redis": "redis",
    "postgresql": "postgresql",
}


def values_key(name: str, spec: Spec) -> str:
    """The chart's values key for a component (workers: see `worker_keys`)."""
    if name == "webserver":
        return "apiServer" if chart.is_airflow_3(spec.airflow.version) else "webserver"
    return {"dag_processor": "dagProcessor"}.get(name, name)


def celery(spec: Spec) -> bool:
    return "CeleryExecutor" in spec.airflow.executor.value or "CeleryKubernetes" in spec.airflow.executor.value


def kubernetes_pods(spec: Spec) -> bool:
    return "KubernetesExecutor" in spec.airflow.executor.value


def worker_keys(spec: Spec, version: str) -> tuple[str, ...]:
    """Where the task pods' settings go in 1.21.0: `workers.celery` (Celery workers) and
    `workers.kubernetes` (the KubernetesExecutor's pod template); the deprecated `workers.*` is left to the
    chart's defaults. Before, both read `workers.*` (1.19.0 and 1.20.0 have a few of the new keys only):
    no key below it (empty)."""
    from airflowspec.data.chart_facts import chart_has  # read on first use, not when validating

    if not chart_has("official", version, "workers.celery.safeToEvict"):
        return ()
    keys = ("celery",) if celery(spec) else ()
    return (*keys, "kubernetes") if kubernetes_pods(spec) else keys
