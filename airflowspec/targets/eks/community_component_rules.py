"""What the community chart cannot do with `targets.eks.components`, each at the spec line that asks.

Facts from the chart's templates and CHANGELOG (8.3.0 to 8.9.0): which pods it has, which keys each
release added, and which Kubernetes API versions older releases hard-code that EKS no longer serves.
"""

from __future__ import annotations

from collections.abc import Iterator

from packaging.version import Version

from airflowspec.diagnostics import Diagnostic, SpecPath, error
from airflowspec.spec import EksTarget, Spec
from airflowspec.spec.components import Component, Components
from airflowspec.targets.eks.community_components import CHART_KEYS, SAFE_TO_EVICT

COMPONENTS: SpecPath = ("targets", "eks", "components")
#: Settings the chart's values have for no embedded store (Redis and PostgreSQL are subcharts).
STORE_LACKS = ("replicas", "podDisruptionBudget", "securityContext", "labels")
#: Python names of the spec keys above that differ.
ATTRIBUTES = {
    "podDisruptionBudget": "pod_disruption_budget",
    "securityContext": "security_context",
    "nodeSelector": "node_selector",
}
#: (what, key in `defaults`, release that added it).
DEFAULTS_SINCE = (
    ("airflow.defaultNodeSelector", "nodeSelector", "8.5.0"),
    ("airflow.defaultAffinity", "affinity", "8.5.0"),
    ("airflow.defaultTolerations", "tolerations", "8.5.0"),
    ("airflow.defaultSecurityContext", "securityContext", "8.5.0"),
    ("pod labels on its sync, migration and task pods", "labels", "8.6.0"),
)
COMPONENT_SINCE = {"pgbouncer": ("PgBouncer", "8.5.0"), "triggerer": ("triggerer", "8.6.0")}
#: Kubernetes removed these; every EKS version AWS supports is newer. (object, API, removed in, chart fix)
PDB_API = ("PodDisruptionBudget", "policy/v1beta1", "1.25", "8.7.0")
HPA_API = ("HorizontalPodAutoscaler", "autoscaling/v2beta2", "1.26", "8.7.0")
INGRESS_API = ("Ingress", "networking.k8s.io/v1beta1", "1.22", "8.5.0")


def check_components(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    components = eks.components
    if components is None:
        return
    version = eks.effective_chart_version()
    yield from _absent(components)
    yield from _versions(components, version)
    yield from _embedded(spec, eks, components)
    yield from _executor(spec, components)
    yield from _autoscaling(components, version)
    yield from _budgets(components, version)
    yield from _annotations(components)


def removed_api(api: tuple[str, str, str, str], version: str, path: SpecPath) -> Iterator[Diagnostic]:
    kind, name, removed, fixed = api
    if Version(version) < Version(fixed):
        message = (
            f"community chart {version} writes its {kind} as {name}, which Kubernetes {removed} and later "
            "(every EKS version) no longer serve"
        )
        yield error("AS355", message, path, f"set `targets.eks.chartVersion` to {fixed} or later", on_key=True)


def _settings(components: Components) -> Iterator[tuple[str, Component]]:
    for name in (*CHART_KEYS, "dagProcessor", "statsd", "redis", "postgresql"):
        component = getattr(components, "dag_processor" if name == "dagProcessor" else name)
        if component is not None:
            yield name, component


def _absent(components: Components) -> Iterator[Diagnostic]:
    for name, what in (("dagProcessor", "standalone DAG processor (its scheduler parses DAGs)"), ("statsd", "StatsD")):
        if name in dict(_settings(components)):
            yield error("AS352", f"the community chart has no {what}", (*COMPONENTS, name), "remove it", on_key=True)
    for name, component in _settings(components):
        path = (*COMPONENTS, name)
        if component.service_account is not None:
            yield error(
                "AS353",
                "the community chart has no per-component service account; set targets.eks.serviceAccount",
                (*path, "serviceAccount"),
                "every pod runs as the one account",
                on_key=True,
            )
        if name in ("workers", "triggerer") and getattr(component, "persistence", None) is not None:
            message = f"the community chart has no volume of its own for the {name}"
            yield error("AS352", message, (*path, "persistence"), "keep logs on `targets.eks.logs`", on_key=True)
        if name in ("scheduler", "webserver") and component.enabled is False:
            message = f"the community chart always runs the {name}"
            yield error("AS352", message, (*path, "enabled"), "remove `enabled: false`")
        if name == "pgbouncer" and component.replicas is not None:
            yield error("AS352", "the community chart runs one PgBouncer pod", (*path, "replicas"), on_key=True)
        if name in ("redis", "postgresql"):
            yield from _store_lacks(name, component, path)


def _store_lacks(name: str, component: Component, path: SpecPath) -> Iterator[Diagnostic]:
    for key in STORE_LACKS:
        if getattr(component, ATTRIBUTES.get(key, key)) is not None:
            message = f"the community chart exposes no `{key}` for its embedded {name}"
            yield error("AS352", message, (*path, key), "remove it", on_key=True)
    if component.enabled is not None:
        setting = "database" if name == "postgresql" else "redis"
        message = f"the community chart runs its embedded {name} unless `targets.eks.{setting}` is set"
        yield error("AS352", message, (*path, "enabled"), f"set `targets.eks.{setting}` for your own", on_key=True)


def _versions(components: Components, version: str) -> Iterator[Diagnostic]:
    def since(what: str, added: str, path: SpecPath) -> Iterator[Diagnostic]:
        if Version(version) < Version(added):
            message = f"community chart {version} has no {what} (added in {added})"
            yield error("AS354", message, path, f"set `targets.eks.chartVersion` to {added} or later", on_key=True)

    defaults = components.defaults
    for what, key, added in DEFAULTS_SINCE if defaults else ():
        if getattr(defaults, ATTRIBUTES.get(key, key)) is not None:
            yield from since(what, added, (*COMPONENTS, "defaults", key))
    for name, (what, added) in COMPONENT_SINCE.items():
        if getattr(components, name) is not None:
            yield from since(what, added, (*COMPONENTS, name))


def _embedded(spec: Spec, eks: EksTarget, components: Components) -> Iterator[Diagnostic]:
    for name, setting, external in (("postgresql", "database", eks.database), ("redis", "redis", eks.redis)):
        if getattr(components, name) is not None and external is not None:
            message = f"`targets.eks.{setting}` is set, so the community chart runs no embedded {name}"
            yield error("AS356", message, (*COMPONENTS, name), "remove these settings", on_key=True)
    if components.pgbouncer is not None and eks.database is not None and eks.database.type != "postgres":
        message = "the community chart runs PgBouncer only in front of PostgreSQL"
        yield error("AS356", message, (*COMPONENTS, "pgbouncer"), "remove it", on_key=True)


def _executor(spec: Spec, components: Components) -> Iterator[Diagnostic]:
    executor = spec.airflow.executor.value
    workers = components.workers
    if executor == "KubernetesExecutor":
        for name in ("workers", "flower", "redis"):
            if getattr(components, name) is not None:
                message = f"KubernetesExecutor runs no Celery {name}, so the community chart has none"
                yield error("AS357", message, (*COMPONENTS, name), "remove it, or use CeleryExecutor", on_key=True)
    elif workers is not None and workers.enabled is False:
        message = f"{executor} runs tasks on Celery workers; the community chart refuses `workers.enabled: false`"
        yield error("AS357", message, (*COMPONENTS, "workers", "enabled"), "remove it")
    triggerer = components.triggerer
    if triggerer is not None and triggerer.enabled and Version(spec.airflow.version) < Version("2.2.0"):
        message = f"Airflow {spec.airflow.version} has no triggerer (added in 2.2.0)"
        yield error("AS357", message, (*COMPONENTS, "triggerer", "enabled"), "remove it")


def _autoscaling(components: Components, version: str) -> Iterator[Diagnostic]:
    workers = components.workers
    if workers is None or workers.autoscaling is None:
        return
    path = (*COMPONENTS, "workers")
    yield from removed_api(HPA_API, version, (*path, "autoscaling"))
    requests = (workers.resources.requests if workers.resources else None) or {}
    if not {"cpu", "memory"} & set(requests):
        message = (
            "the community chart scales workers by the share they use of the CPU and memory they request, "
            "and no request is given"
        )
        yield error("AS358", message, (*path, "autoscaling"), "add `resources: {requests: {memory: 2Gi}}`", on_key=True)
    if workers.replicas is not None:
        message = "with autoscaling the community chart takes the replica count from `autoscaling.minReplicas`"
        yield error("AS358", message, (*path, "replicas"), "remove `replicas`", on_key=True)
    if workers.autoscaling.min_replicas == 0:
        message = "a HorizontalPodAutoscaler keeps at least one worker"
        yield error("AS358", message, (*path, "autoscaling", "minReplicas"), "set `minReplicas: 1` or more")


def _budgets(components: Components, version: str) -> Iterator[Diagnostic]:
    for name, component in _settings(components):
        budget = component.pod_disruption_budget
        if budget is None or name in ("redis", "postgresql", "dagProcessor", "statsd"):
            continue
        path = (*COMPONENTS, name, "podDisruptionBudget")
        yield from removed_api(PDB_API, version, path)
        for key, value in (("maxUnavailable", budget.max_unavailable), ("minAvailable", budget.min_available)):
            if value == 0:
                message = (
                    f"the community chart leaves `{key}: 0` out of the PodDisruptionBudget (it tests the value "
                    "for truth), which then limits nothing"
                )
                yield error("AS359", message, (*path, key), 'write it as a percentage: `"0%"`')


def _annotations(components: Components) -> Iterator[Diagnostic]:
    """The chart writes `airflow.podAnnotations` and the component's own into the same mapping."""
    defaults = (components.defaults.annotations if components.defaults else None) or {}
    for name in CHART_KEYS:
        component: Component | None = getattr(components, name)
        if component is None or not defaults:
            continue
        path = (*COMPONENTS, name)
        for key in sorted(set(component.annotations or {}) & set(defaults)):
            yield _twice(key, (*path, "annotations", key))
        if component.safe_to_evict is False and SAFE_TO_EVICT in defaults:
            yield _twice(SAFE_TO_EVICT, (*path, "safeToEvict"))


def _twice(key: str, path: SpecPath) -> Diagnostic:
    message = (
        f"annotation {key} is also in `defaults.annotations`, and the community chart writes both into the pod: "
        "the key would appear twice"
    )
    return error("AS360", message, path, "set it in one place", on_key=True)
