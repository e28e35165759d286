"""`targets.eks.components` for the official chart: each pod's size, placement and scheduling.

`defaults` becomes the chart's global `nodeSelector`, `affinity`, `tolerations`, `labels`,
`airflowPodAnnotations` and `securityContexts.pod`; the pods that do not read the last two (statsd,
pgbouncer, Redis) and the PostgreSQL subchart (which reads none) get them as their own. A component's
own setting replaces the default's, as the chart does; pod annotations and labels merge key by key, as
the chart merges them. The UI is `webserver` on Airflow 2 and `apiServer` on Airflow 3; workers'
settings go to `workers.celery` (Celery workers) and `workers.kubernetes` (the KubernetesExecutor's task
pods), as 1.21 names them. Pod annotations pass through the chart's `tpl`, so `{{` is escaped.
"""

from __future__ import annotations

from typing import Any

from airflowspec.spec import EksTarget, Spec
from airflowspec.spec.components import Component, Placement, WebComponent
from airflowspec.spec.kubernetes import PodDisruptionBudget
from airflowspec.spec.service_account import ComponentServiceAccount
from airflowspec.targets.eks import official_component_facts as facts
from airflowspec.targets.eks.official_routing import routing_values
from airflowspec.targets.eks.values_tree import merge

Values = dict[str, Any]
ROLE_ANNOTATION = "eks.amazonaws.com/role-arn"


def components_values(spec: Spec, eks: EksTarget) -> Values:
    components = eks.components
    if components is None:
        return {}
    defaults = components.defaults or Placement()
    values: Values = _global_defaults(defaults)
    for name, pod in facts.PODS.items():
        component = getattr(components, name)
        if component is None and (pod.airflow_pod or not _runs(spec, eks, name)):
            continue  # Airflow's own pods read the defaults from the global keys
        if name == "postgresql":
            merge(values, {"postgresql": _bitnami(component, defaults)})
            continue
        settings = _pod_values(component, defaults, pod)
        if name == "workers":
            merge(values, {"workers": _workers(spec, eks.effective_chart_version(), settings, component)})
        elif settings:
            merge(values, {facts.values_key(name, spec): settings})
        if isinstance(component, WebComponent):
            merge(values, routing_values(spec, name, component))
    return values


def apply_service_accounts(values: Values, spec: Spec, eks: EksTarget) -> None:
    """A component's own account replaces what `targets.eks.serviceAccount` gave it (not merged into it)."""
    components = eks.components
    for name in facts.PODS:
        component = getattr(components, name) if components else None
        account = component.service_account if component else None
        if account is None:
            continue
        settings = service_account_values(account)
        if name != "workers":
            values.setdefault(facts.values_key(name, spec), {})["serviceAccount"] = settings
            continue
        workers = values.setdefault("workers", {})
        workers["serviceAccount"] = dict(settings)  # the pod template's fallback
        kinds = facts.worker_keys(spec, eks.effective_chart_version())
        for kind in kinds:
            workers.setdefault(kind, {})["serviceAccount"] = dict(settings)
        if account.create and account.name and len(kinds) == 2:
            workers["kubernetes"]["serviceAccount"] = {"create": False, "name": account.name}  # made once


def _runs(spec: Spec, eks: EksTarget, name: str) -> bool:
    """Whether a bundled pod that reads no global defaults runs, so that it needs them as its own."""
    if name == "postgresql":
        return eks.database is None
    if name == "redis":
        return facts.celery(spec) and eks.redis is None
    return name != "pgbouncer"  # off unless the spec turns it on


def _global_defaults(defaults: Placement) -> Values:
    values: Values = _placement(defaults)
    if defaults.annotations:
        values["airflowPodAnnotations"] = _annotations(defaults.annotations)
    if defaults.security_context is not None:
        values["securityContexts"] = {"pod": _dump(defaults.security_context)}
    return values


def _placement(placement: Placement) -> Values:
    values: Values = {}
    if placement.node_selector is not None:
        values["nodeSelector"] = dict(placement.node_selector)
    if placement.tolerations is not None:
        values["tolerations"] = [_dump(toleration) for toleration in placement.tolerations]
    if placement.affinity is not None:
        values["affinity"] = dict(placement.affinity)
    if placement.labels is not None:
        values["labels"] = dict(placement.labels)
    return values


def _pod_values(component: Component | None, defaults: Placement, pod: facts.ChartPod) -> Values:
    values: Values = _placement(component) if component else {}
    annotations = dict(component.annotations or {}) if component else {}
    context = component.security_context if component else None
    running = component is None or component.enabled is not False
    if (
        not pod.airflow_pod and running
    ):  # statsd, pgbouncer, Redis read neither airflowPodAnnotations nor securityContexts.pod
        annotations = {**(defaults.annotations or {}), **annotations}
        context = context or defaults.security_context
    if annotations:
        values["podAnnotations"] = _annotations(annotations)
    if context is not None:
        values["securityContexts"] = {"pod": _dump(context)}
    if component is None:
        return values
    for field, key in (("enabled", "enabled"), ("replicas", "replicas"), ("safe_to_evict", "safeToEvict")):
        if getattr(component, field) is not None:
            values[key] = getattr(component, field)
    if component.resources is not None:
        values["resources"] = _dump(component.resources)
    if component.pod_disruption_budget is not None:
        values["podDisruptionBudget"] = _pdb(component.pod_disruption_budget)
    persistence = getattr(component, "persistence", None)
    if persistence is not None:
        values["persistence"] = _persistence(persistence)
    return values


def _workers(spec: Spec, version: str, settings: Values, component: Component | None) -> Values:
    """Celery-only settings go to `workers.celery`; the rest to each kind of task pod the executor runs.
    Before 1.19.0 every setting, KEDA included, is the deprecated `workers.*`'s, which both kinds read."""
    autoscaling = getattr(component, "autoscaling", None)
    kinds = facts.worker_keys(spec, version)
    if not kinds:
        if autoscaling is not None:
            counts = {"minReplicaCount": autoscaling.min_replicas, "maxReplicaCount": autoscaling.max_replicas}
            return {**settings, "keda": {"enabled": True, **counts}}
        return settings
    celery_only = {"replicas", "podDisruptionBudget", "persistence"}
    workers: Values = {}
    for kind in kinds:
        workers[kind] = {k: v for k, v in settings.items() if kind == "celery" or k not in celery_only}
    if autoscaling is not None and "celery" in workers:
        counts = {"minReplicaCount": autoscaling.min_replicas, "maxReplicaCount": autoscaling.max_replicas}
        workers["celery"]["keda"] = {"enabled": True, **counts}
    pdb = settings.get("podDisruptionBudget")
    if pdb is not None and pdb["config"].get("maxUnavailable") is None:
        # 1.21 merges workers.celery over the deprecated workers.*, whose maxUnavailable: 1 would stay.
        workers["podDisruptionBudget"] = {"config": {"maxUnavailable": None}}
    return workers


def _bitnami(component: Component | None, defaults: Placement) -> Values:
    """The PostgreSQL subchart (Bitnami 13.x) reads its own keys under `primary`, and no global ones."""
    primary: Values = {}
    own = component or Component()
    for field, key in (("node_selector", "nodeSelector"), ("tolerations", "tolerations"), ("affinity", "affinity")):
        value = getattr(own, field) if getattr(own, field) is not None else getattr(defaults, field)
        if value is not None:
            primary[key] = [_dump(item) for item in value] if field == "tolerations" else dict(value)
    labels = {**(defaults.labels or {}), **(own.labels or {})}
    annotations = {**(defaults.annotations or {}), **(own.annotations or {})}
    if labels:
        primary["podLabels"] = labels
    if annotations:
        primary["podAnnotations"] = annotations  # the subchart does not pass them through tpl
    context = own.security_context or defaults.security_context
    if context is not None:
        primary["podSecurityContext"] = {"enabled": True, **_dump(context)}
    if own.resources is not None:
        primary["resources"] = _dump(own.resources)
    persistence = getattr(own, "persistence", None)
    if persistence is not None:
        claim = _persistence(persistence)
        if "storageClassName" in claim:
            claim["storageClass"] = claim.pop("storageClassName")
        primary["persistence"] = claim
    values: Values = {"primary": primary} if primary else {}
    if own.enabled is not None:
        values["enabled"] = own.enabled
    return values


def service_account_values(account: ComponentServiceAccount) -> Values:
    values: Values = {"create": account.create}
    if account.name is not None:
        values["name"] = account.name
    if account.role_arn is not None:
        values["annotations"] = {ROLE_ANNOTATION: account.role_arn}
    return values


def _pdb(budget: PodDisruptionBudget) -> Values:
    # The chart's default config is `maxUnavailable: 1`: null removes it beside a `minAvailable`.
    if budget.min_available is not None:
        return {"enabled": True, "config": {"minAvailable": budget.min_available, "maxUnavailable": None}}
    return {"enabled": True, "config": {"maxUnavailable": budget.max_unavailable}}


def _persistence(persistence: Any) -> Values:
    if persistence is False:
        return {"enabled": False}
    values: Values = {"enabled": True, "size": persistence.size}
    if persistence.storage_class is not None:
        values["storageClassName"] = persistence.storage_class
    return values


def _annotations(annotations: dict[str, str]) -> dict[str, str]:
    """Pod annotations go through the chart's `tpl`."""
    return {key: value.replace("{{", '{{ "{{" }}') for key, value in annotations.items()}


def _dump(model: Any) -> Values:
    return model.model_dump(by_alias=True, exclude_none=True, mode="json")  # type: ignore[no-any-return]
