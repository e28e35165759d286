"""`targets.eks.components` on the community chart: each pod's size, placement and scheduling.

`webserver` is the chart's `web`. `defaults` becomes the chart's own defaults, which a component's
setting replaces (`airflow.defaultNodeSelector`, `defaultAffinity`, `defaultTolerations`,
`defaultSecurityContext`), and `airflow.podAnnotations`, which the chart adds to every Airflow pod
next to the component's own; the chart has no default pod labels, so `defaults.labels` is merged into
each pod's `podLabels` (a component's label wins). The chart applies none of its defaults to the
embedded Redis and PostgreSQL, so their placement is copied there. Worker autoscaling is the chart's
HorizontalPodAutoscaler: `workers.replicas` is its minimum, and it scales on the use of each resource
the workers request (80% of the request). Refusals live in community_component_rules.
"""

from __future__ import annotations

from typing import Any

from packaging.version import Version
from pydantic import BaseModel

from airflowspec.spec import EksTarget, Spec
from airflowspec.spec.components import BundledStore, Component, Components, Placement, WorkersComponent
from airflowspec.targets.eks import community_chart as chart
from airflowspec.targets.eks.values_tree import merge

Values = dict[str, Any]

#: The chart's key for each spec component that is an Airflow pod of its own.
CHART_KEYS = {
    "scheduler": "scheduler",
    "webserver": "web",
    "workers": "workers",
    "triggerer": "triggerer",
    "flower": "flower",
    "pgbouncer": "pgbouncer",
}
#: Components the chart can switch off (it always runs the scheduler and the web server).
SWITCHABLE = ("workers", "triggerer", "flower", "pgbouncer")
SAFE_TO_EVICT = "cluster-autoscaler.kubernetes.io/safe-to-evict"
#: The target use of a requested resource before the autoscaler adds a worker (the chart's docs' 80%).
TARGET_UTILIZATION = 80
#: Requests for the workers' sidecars, which a utilization metric needs on every container (the
#: chart's autoscaling docs: "IMPORTANT! for autoscaling to work with gitSync / logCleanup").
SIDECAR_REQUESTS = {"cpu": "10m", "memory": "64Mi"}
#: 8.5.0 and 8.5.1 left flower out of the chart's defaults (fixed in 8.5.2, #405).
FLOWER_DEFAULTS_SINCE = "8.5.2"


def compile_components(spec: Spec, eks: EksTarget) -> Values:
    components = eks.components
    if components is None:
        return {}
    values: Values = {}
    version = eks.effective_chart_version()
    if components.defaults is not None:
        merge(values, _defaults(spec, components, components.defaults, version))
    for name, key in CHART_KEYS.items():
        component = getattr(components, name)
        if component is not None:
            merge(values, {key: _component(key, component)})
    labels = components.defaults.labels if components.defaults else None
    if labels:
        merge(values, _default_labels(spec, components, labels))
    if components.workers is not None and components.workers.autoscaling is not None:
        merge(values, _autoscaling(spec, components.workers))
    for name in embedded_stores(spec, eks):
        store = _store(name, getattr(components, name), components.defaults)
        if store:
            merge(values, {name: store})
    return values


def embedded_stores(spec: Spec, eks: EksTarget) -> list[str]:
    """The bundled stores the chart runs: PostgreSQL without `database`, Redis for Celery without `redis`."""
    stores = [] if eks.redis is not None or spec.airflow.executor.value == "KubernetesExecutor" else ["redis"]
    return [*stores, "postgresql"] if eks.database is None else stores


def dump(model: BaseModel | None) -> Any:
    """A spec model as the Kubernetes object it stands for: camelCase keys, unset fields left out."""
    return None if model is None else model.model_dump(by_alias=True, exclude_none=True, mode="json")


def _placement(placement: Placement) -> Values:
    values: Values = {}
    for key, value in (
        ("nodeSelector", placement.node_selector),
        ("affinity", placement.affinity),
        ("tolerations", [dump(toleration) for toleration in placement.tolerations or ()] or None),
        ("securityContext", dump(placement.security_context)),
    ):
        if value is not None:
            values[key] = value
    return values


def _component(key: str, component: Component) -> Values:
    values = _placement(component)
    annotations = dict(component.annotations or {})
    if component.safe_to_evict is not None:
        values["safeToEvict"] = component.safe_to_evict
        if not component.safe_to_evict:
            # The chart only ever writes "true"; say "false" so that no autoscaler's default applies.
            annotations.setdefault(SAFE_TO_EVICT, "false")
    if annotations:
        values["podAnnotations"] = annotations
    if component.labels:
        values["podLabels"] = dict(component.labels)
    if component.enabled is not None and key in SWITCHABLE:
        values["enabled"] = component.enabled
    if component.replicas is not None:
        values["replicas"] = component.replicas
    if component.resources is not None:
        values["resources"] = dump(component.resources)
    budget = component.pod_disruption_budget
    if budget is not None:
        values["podDisruptionBudget"] = {"enabled": True} | dump(budget)
    return values


def _defaults(spec: Spec, components: Components, defaults: Placement, version: str) -> Values:
    placement = _placement(defaults)
    airflow: Values = {f"default{key[0].upper()}{key[1:]}": value for key, value in placement.items()}
    if defaults.annotations:
        airflow["podAnnotations"] = dict(defaults.annotations)
        if spec.airflow.executor.value in chart.KUBERNETES_EXECUTORS:
            airflow["kubernetesPodTemplate"] = {"podAnnotations": dict(defaults.annotations)}
    values: Values = {"airflow": airflow}
    if Version(version) < Version(FLOWER_DEFAULTS_SINCE):
        own = _placement(components.flower) if components.flower else {}
        values["flower"] = {
            key: value for key, value in placement.items() if key not in own and key != "securityContext"
        }
    return values


def _default_labels(spec: Spec, components: Components, labels: dict[str, str]) -> Values:
    """The chart has no `airflow.podLabels`: every pod's own `podLabels` gets them, its own winning."""
    values: Values = {}
    for name, key in CHART_KEYS.items():
        own: Component | None = getattr(components, name)
        values[key] = {"podLabels": labels | dict((own.labels if own else None) or {})}
    pods = {"sync": {"podLabels": dict(labels)}, "dbMigrations": {"podLabels": dict(labels)}}
    if spec.airflow.executor.value in chart.KUBERNETES_EXECUTORS:
        pods["kubernetesPodTemplate"] = {"podLabels": dict(labels)}
    values["airflow"] = pods
    return values


def _autoscaling(spec: Spec, workers: WorkersComponent) -> Values:
    autoscaling, resources = workers.autoscaling, workers.resources
    assert autoscaling is not None  # the caller checked
    requested = sorted(name for name in (resources.requests or {}) if name in SIDECAR_REQUESTS) if resources else []
    metrics = [
        {
            "type": "Resource",
            "resource": {"name": name, "target": {"type": "Utilization", "averageUtilization": TARGET_UTILIZATION}},
        }
        for name in requested
    ]
    sidecars = {"requests": {name: SIDECAR_REQUESTS[name] for name in requested}}
    values: Values = {
        "workers": {
            "replicas": autoscaling.min_replicas,
            "autoscaling": {"enabled": True, "maxReplicas": autoscaling.max_replicas, "metrics": metrics},
            "logCleanup": {"resources": sidecars},
        }
    }
    source = spec.dags.from_
    if source is not None and source.git is not None:
        values["dags"] = {"gitSync": {"resources": sidecars}}
    return values


def _store(name: str, store: BundledStore | None, defaults: Placement | None) -> Values:
    """The embedded Redis or PostgreSQL: the keys the chart's values expose for the subchart
    (`master.*`, `persistence`), plus PostgreSQL's own top-level `resources`."""
    master: Values = {}
    for key, own, default in (
        ("nodeSelector", store and store.node_selector, defaults and defaults.node_selector),
        ("affinity", store and store.affinity, defaults and defaults.affinity),
        ("tolerations", store and store.tolerations, defaults and defaults.tolerations),
    ):
        chosen = own if own is not None else default
        if isinstance(chosen, tuple):  # tolerations
            master[key] = [dump(item) for item in chosen]
        elif chosen is not None:
            master[key] = chosen
    annotations = dict((store.annotations if store else None) or {})
    if store is not None and store.safe_to_evict is not None:
        annotations[SAFE_TO_EVICT] = "true" if store.safe_to_evict else "false"
    if annotations:
        master["podAnnotations"] = annotations
    values: Values = {"master": master} if master else {}
    if store is not None and store.resources is not None:
        target = values.setdefault("master", {}) if name == "redis" else values
        target["resources"] = dump(store.resources)
    if store is not None and store.persistence is not None:
        persistence = store.persistence
        claim: Values = {"enabled": False}
        if persistence is not False:
            claim = {"enabled": True, "size": persistence.size}
            if persistence.storage_class:
                claim["storageClass"] = persistence.storage_class
        target = values.setdefault("master", {}) if name == "redis" else values
        target["persistence"] = claim
    return values
