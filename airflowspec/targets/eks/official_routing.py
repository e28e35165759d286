"""The UI's (and flower's) Service and Ingress on the official chart.

`webserver` is `webserver.service` / `ingress.web` on Airflow 2 and `apiServer.service` /
`ingress.apiServer` on Airflow 3; flower is `flower.service` / `ingress.flower`. Hosts are the chart's
plain list of names; TLS is the chart's one `tls` block for them all (`secretName` unset: a TLS entry
without a Secret, which an ALB matches to an ACM certificate by host, and nginx serves with its default
certificate). The path's type is `Prefix`, which both the AWS Load Balancer Controller and ingress-nginx
read the same way (the chart's `ImplementationSpecific` is `/` only, to an ALB).
"""

from __future__ import annotations

from typing import Any

from airflowspec.spec import Spec
from airflowspec.spec.components import WebComponent
from airflowspec.spec.routing import Ingress, Service
from airflowspec.targets.eks import official_chart as chart

Values = dict[str, Any]


def routing_values(spec: Spec, name: str, component: WebComponent) -> Values:
    values: Values = {}
    service_key, ingress_key = _keys(spec, name)
    if component.service is not None:
        values[service_key] = {"service": _service(component.service)}
    if component.ingress is not None:
        values["ingress"] = {ingress_key: _ingress(component.ingress)}
    return values


def _keys(spec: Spec, name: str) -> tuple[str, str]:
    if name == "flower":
        return "flower", "flower"
    return ("apiServer", "apiServer") if chart.is_airflow_3(spec.airflow.version) else ("webserver", "web")


def _service(service: Service) -> Values:
    values: Values = {}
    if service.type is not None:
        values["type"] = service.type
    if service.annotations is not None:
        values["annotations"] = dict(service.annotations)
    if service.load_balancer_source_ranges is not None:
        values["loadBalancerSourceRanges"] = list(service.load_balancer_source_ranges)
    return values


def _ingress(ingress: Ingress) -> Values:
    values: Values = {"enabled": True, "path": ingress.path, "pathType": "Prefix", "hosts": list(ingress.hosts)}
    if ingress.annotations is not None:
        values["annotations"] = dict(ingress.annotations)
    if ingress.class_name is not None:
        values["ingressClassName"] = ingress.class_name
    if ingress.tls is not None:
        values["tls"] = {"enabled": True, "secretName": ingress.tls.secret_name or ""}
    return values
