"""How the UI (and flower) is reached: its Kubernetes Service and an Ingress, for the AWS Load Balancer
Controller and ingress-nginx alike (the controller is picked by `className`, its settings by annotations)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictStr

from airflowspec.spec.base import SpecModel
from airflowspec.spec.kubernetes import DNS_SUBDOMAIN, Annotations

#: A host an Ingress routes: a DNS name, optionally with a leading `*.` wildcard.
HOST = r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
CIDR = r"^([0-9]{1,3}\.){3}[0-9]{1,3}/[0-9]{1,2}$|^[0-9a-fA-F:]+/[0-9]{1,3}$"


class Service(SpecModel):
    type: Literal["ClusterIP", "NodePort", "LoadBalancer"] | None = Field(
        default=None, description="Service type; the chart's default (ClusterIP) when unset."
    )
    annotations: Annotations | None = Field(
        default=None,
        description="Service annotations, e.g. `service.beta.kubernetes.io/aws-load-balancer-scheme: internal`.",
    )
    load_balancer_source_ranges: tuple[Annotated[StrictStr, Field(pattern=CIDR)], ...] | None = Field(
        default=None, description="With `type: LoadBalancer`: the CIDR ranges allowed in."
    )


class IngressTls(SpecModel):
    secret_name: Annotated[StrictStr, Field(pattern=DNS_SUBDOMAIN, max_length=253)] | None = Field(
        default=None,
        description="Kubernetes Secret with the certificate; unset for a controller that terminates TLS "
        "itself (an ALB with an ACM certificate set by annotation).",
    )


class Ingress(SpecModel):
    class_name: Annotated[StrictStr, Field(pattern=DNS_SUBDOMAIN, max_length=253)] | None = Field(
        default=None, description="IngressClass: `alb`, `nginx`, …; the cluster's default when unset."
    )
    annotations: Annotations | None = Field(
        default=None, description="Ingress annotations, e.g. `alb.ingress.kubernetes.io/scheme: internet-facing`."
    )
    hosts: tuple[Annotated[StrictStr, Field(pattern=HOST, max_length=253)], ...] = Field(
        default=(), description="Host names routed to the UI; every host when empty."
    )
    path: Annotated[StrictStr, Field(pattern=r"^/[A-Za-z0-9/._~-]*$", max_length=256)] = Field(
        default="/", description="URL path of the UI. Below `/`, Airflow's base URL must say the same path."
    )
    tls: IngressTls | None = Field(default=None, description="Serve HTTPS for the hosts.")
