"""`targets.eks.auth` and the UI's Service and Ingress on the community chart.

The admin user is one entry of `airflow.users` whose password is the placeholder `${NAME}`: the chart's
users-sync pod reads the Kubernetes Secret named in `airflow.usersTemplates` and substitutes it, so the
password never enters the values. The sync is the chart's default long-running Deployment
(`usersUpdate: true`): a new password in the Secret reaches Airflow within a minute, and a password
changed in the UI is set back to the Secret's. Without `admin`, `airflow.users` is empty: the chart's
`admin`/`admin` user is never created.

`webserverConfig` is written as `web.webserverConfig.stringOverride`, which the chart stores in a Secret
as it is (no `tpl`). The chart makes one Ingress per UI (`ingress.web`, `ingress.flower`) with one host
each, switched on together by `ingress.enabled`; a path below `/` needs Airflow's base URL (flower's
URL prefix) to say the same path, which the rules check.
"""

from __future__ import annotations

from typing import Any

from airflowspec.spec import EksTarget, Spec
from airflowspec.spec.eks import AdminUser
from airflowspec.spec.routing import Ingress, Service
from airflowspec.targets.eks import community_chart as chart
from airflowspec.targets.eks.community_objects import secret_key_ref

Values = dict[str, Any]


def compile_access(spec: Spec, eks: EksTarget) -> Values:
    values: Values = {}
    auth = eks.auth
    if auth is not None and auth.admin is not None:
        values["airflow"] = _admin(spec, auth.admin)
    if auth is not None and auth.webserver_config is not None:
        values["web"] = {"webserverConfig": {"stringOverride": auth.webserver_config}}
    components = eks.components
    ingress: Values = {}
    for name, key in (("webserver", "web"), ("flower", "flower")):
        component = getattr(components, name) if components else None
        if component is None:
            continue
        if component.service is not None:
            values.setdefault(key, {})["service"] = _service(component.service)
        if component.ingress is not None:
            ingress[key] = _ingress(component.ingress)
    if ingress:
        values["ingress"] = {"enabled": True, **ingress}
    return values


def chart_path(path: str) -> str:
    """The chart's form of an Ingress path: `""` for the root, never a trailing `/` (it refuses one)."""
    return path.rstrip("/")


def _admin(spec: Spec, admin: AdminUser) -> Values:
    name = chart.template_name(admin.password.secret)
    user = {
        "username": admin.username,
        "password": f"${{{name}}}",
        "role": "Admin",
        # The sync pod substitutes `${...}` in these too: a literal `$` is doubled to stay itself.
        "email": _literal(admin.email),
        "firstName": _literal(admin.first_name),
        "lastName": _literal(admin.last_name),
    }
    template = {"kind": "secret", **secret_key_ref(spec, admin.password)}
    return {"users": [user], "usersTemplates": {name: template}}


def _literal(text: str) -> str:
    return text.replace("$", "$$")


def _service(service: Service) -> Values:
    values: Values = {}
    if service.type is not None:
        values["type"] = service.type
    if service.annotations:
        values["annotations"] = dict(service.annotations)
    if service.load_balancer_source_ranges:
        values["loadBalancerSourceRanges"] = list(service.load_balancer_source_ranges)
    return values


def _ingress(ingress: Ingress) -> Values:
    values: Values = {}
    if ingress.annotations:
        values["annotations"] = dict(ingress.annotations)
    if ingress.hosts:
        values["host"] = ingress.hosts[0]  # the rules refuse a second one
    if chart_path(ingress.path):
        values["path"] = chart_path(ingress.path)
    if ingress.class_name is not None:
        values["ingressClassName"] = ingress.class_name
    if ingress.tls is not None:
        values["tls"] = {"enabled": True}
        if ingress.tls.secret_name:
            values["tls"]["secretName"] = ingress.tls.secret_name
    return values
