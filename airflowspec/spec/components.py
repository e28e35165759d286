"""`targets.eks.components` — each Airflow pod's size, placement and scheduling, and the bundled parts.

One block per component, named the same for both charts: `webserver` is the community chart's `web`
and the official chart's `webserver` (Airflow 2) or `apiServer` (Airflow 3). `defaults` applies to every
pod; a component's own setting replaces the default's, as both charts do. A field the chart (or chart
version) does not have is an error at its line that names the chart.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Discriminator, Field, StrictBool, StrictInt, Tag, model_validator

from airflowspec.spec.base import SpecModel, off_or_settings
from airflowspec.spec.kubernetes import (
    Affinity,
    Annotations,
    Labels,
    Persistence,
    PodDisruptionBudget,
    PodSecurityContext,
    Resources,
    Toleration,
)
from airflowspec.spec.routing import Ingress, Service
from airflowspec.spec.service_account import ComponentServiceAccount


class Placement(SpecModel):
    """Where a pod runs and what it carries: the part `defaults` can give every pod."""

    node_selector: Labels | None = Field(default=None, description="Node labels the pod must run on.")
    tolerations: tuple[Toleration, ...] | None = Field(default=None, description="Taints the pod tolerates.")
    affinity: Affinity | None = Field(
        default=None, description="Kubernetes affinity: `nodeAffinity`, `podAffinity`, `podAntiAffinity`."
    )
    annotations: Annotations | None = Field(default=None, description="Pod annotations.")
    labels: Labels | None = Field(default=None, description="Pod labels.")
    security_context: PodSecurityContext | None = Field(default=None, description="Pod security context.")


class Component(Placement):
    enabled: StrictBool | None = Field(default=None, description="Run this component; the chart's default when unset.")
    replicas: StrictInt | None = Field(default=None, ge=0, le=1000, description="Number of pods.")
    resources: Resources | None = Field(default=None, description="CPU and memory requests and limits.")
    pod_disruption_budget: PodDisruptionBudget | None = Field(
        default=None, description="A PodDisruptionBudget for the component's pods."
    )
    safe_to_evict: StrictBool | None = Field(
        default=None,
        description="The cluster autoscaler's `safe-to-evict` annotation: may it move these pods to scale down.",
    )
    service_account: ComponentServiceAccount | None = Field(
        default=None, description="This component's own service account (official chart)."
    )


class WebComponent(Component):
    service: Service | None = Field(default=None, description="The Kubernetes Service in front of the UI.")
    ingress: Ingress | None = Field(default=None, description="An Ingress for the UI.")


class Autoscaling(SpecModel):
    min_replicas: StrictInt = Field(default=1, ge=0, le=1000, description="Fewest workers.")
    max_replicas: StrictInt = Field(ge=1, le=1000, description="Most workers.", examples=[10])

    @model_validator(mode="after")
    def _ordered(self) -> Autoscaling:
        if self.min_replicas > self.max_replicas:
            raise ValueError("`minReplicas` is larger than `maxReplicas`")
        return self


#: A claim the chart makes for the component, or `false` for none.
PersistenceOrOff = Annotated[
    Annotated[Persistence, Tag("<settings>")] | Annotated[Literal[False], Tag("<off>")], Discriminator(off_or_settings)
]


class WorkersComponent(Component):
    autoscaling: Autoscaling | None = Field(
        default=None,
        description="Scale Celery workers between two counts: KEDA on the official chart (by queued "
        "tasks), a HorizontalPodAutoscaler on the community chart (by CPU and memory).",
    )
    persistence: PersistenceOrOff | None = Field(
        default=None, description="Official chart: each worker's log volume (a StatefulSet), or false for none."
    )


class TriggererComponent(Component):
    persistence: PersistenceOrOff | None = Field(
        default=None, description="Official chart: the triggerer's log volume, or false for none."
    )


class BundledStore(Component):
    persistence: PersistenceOrOff | None = Field(
        default=None, description="The embedded store's volume, or false to keep its data in the pod."
    )


class Components(SpecModel):
    defaults: Placement | None = Field(default=None, description="Applied to every pod the chart runs.")
    scheduler: Component | None = Field(default=None, description="The scheduler.")
    webserver: WebComponent | None = Field(
        default=None, description="The UI: `web` (community), `webserver` or `apiServer` on Airflow 3 (official)."
    )
    workers: WorkersComponent | None = Field(default=None, description="Celery workers.")
    triggerer: TriggererComponent | None = Field(default=None, description="The triggerer.")
    dag_processor: Component | None = Field(
        default=None, description="The standalone DAG processor (official chart; always on with Airflow 3)."
    )
    flower: WebComponent | None = Field(default=None, description="Flower, the Celery monitor.")
    statsd: Component | None = Field(default=None, description="The StatsD exporter (official chart).")
    pgbouncer: Component | None = Field(default=None, description="PgBouncer in front of the metadata database.")
    redis: BundledStore | None = Field(default=None, description="The embedded Redis (Celery broker).")
    postgresql: BundledStore | None = Field(default=None, description="The embedded PostgreSQL (metadata database).")
