"""What the community chart cannot do with `targets.eks.auth` and the UI's Service and Ingress.

Each mirrors the chart's templates: one host per Ingress, `ingress.enabled` switching on the UI's and
flower's Ingress together, the path checks of validate-values.tpl (rules 30-37), `usersTemplates` and
`ingressClassName` appearing in 8.4.0 and 8.6.0.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

from packaging.version import Version

from airflowspec.diagnostics import Diagnostic, SpecPath, error
from airflowspec.spec import EksTarget, Spec
from airflowspec.spec.components import WebComponent
from airflowspec.spec.routing import Ingress
from airflowspec.targets.eks.community_access import chart_path
from airflowspec.targets.eks.community_component_rules import INGRESS_API, removed_api

EKS: SpecPath = ("targets", "eks")
COMPONENTS: SpecPath = (*EKS, "components")
USERS_TEMPLATES_SINCE = "8.4.0"
INGRESS_CLASS_SINCE = "8.6.0"
#: Where each UI's path must be repeated in airflow.cfg, and how the chart compares it.
PATH_OPTIONS = {"webserver": ("webserver", "base_url"), "flower": ("celery", "flower_url_prefix")}


def check_access(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    version = eks.effective_chart_version()
    yield from _auth(eks, version)
    components = eks.components
    if components is None:
        return
    for name in ("webserver", "flower"):
        component: WebComponent | None = getattr(components, name)
        if component is not None and component.ingress is not None:
            yield from _ingress(spec, name, component.ingress, version)
    yield from _pairing(spec, eks)


def _auth(eks: EksTarget, version: str) -> Iterator[Diagnostic]:
    auth = eks.auth
    if auth is None:
        return
    if auth.admin is not None and Version(version) < Version(USERS_TEMPLATES_SINCE):
        message = (
            f"community chart {version} has no `airflow.usersTemplates` (added in {USERS_TEMPLATES_SINCE}), "
            "so the admin's password would have to be written into the values"
        )
        hint = f"set `targets.eks.chartVersion` to {USERS_TEMPLATES_SINCE} or later"
        yield error("AS372", message, (*EKS, "auth", "admin", "password"), hint, on_key=True)
    text = auth.webserver_config
    odd = next((char for char in text or "" if not char.isprintable() and char not in "\n\t"), None)
    if odd is not None:
        message = (
            f"webserver_config.py holds the unprintable character U+{ord(odd):04X}; the chart writes it into a "
            "manifest, where only line feeds and tabs keep their meaning"
        )
        yield error("AS300", message, (*EKS, "auth", "webserverConfig"), "remove it")


def _ingress(spec: Spec, name: str, ingress: Ingress, version: str) -> Iterator[Diagnostic]:
    path = (*COMPONENTS, name, "ingress")
    yield from removed_api(INGRESS_API, version, path)
    if ingress.class_name is not None and Version(version) < Version(INGRESS_CLASS_SINCE):
        message = f"community chart {version} has no `ingressClassName` (added in {INGRESS_CLASS_SINCE})"
        hint = f"set `targets.eks.chartVersion` to {INGRESS_CLASS_SINCE} or later"
        yield error("AS372", message, (*path, "className"), hint, on_key=True)
    if len(ingress.hosts) > 1:
        message = "the community chart's Ingress routes one host"
        yield error("AS370", message, (*path, "hosts", 1), "keep one host; put the others on a DNS alias of it")
    if ingress.tls is not None and not ingress.hosts:
        message = "the community chart's Ingress lists its host for TLS, and no host is given"
        yield error("AS373", message, (*path, "tls"), "add `hosts: [NAME]`", on_key=True)
    yield from _path_option(spec, name, ingress, path)


def _path_option(spec: Spec, name: str, ingress: Ingress, path: SpecPath) -> Iterator[Diagnostic]:
    wanted = chart_path(ingress.path)
    if not wanted:
        return
    section, option = PATH_OPTIONS[name]
    value = spec.airflow.config.get(section, {}).get(option)
    example = "https://HOST" + wanted if name == "webserver" else wanted
    if value is None:
        message = f"the community chart serves the {name} below {wanted} only with `[{section}] {option}` set"
        hint = f"set `airflow.config.{section}.{option}: {example}`"
        yield error("AS371", message, (*path, "path"), hint)
        return
    given = urlparse(str(value)).path if name == "webserver" else str(value)
    if given != wanted:
        message = f"`[{section}] {option}` says the path {given or '/'}, the Ingress {wanted}; the chart refuses that"
        yield error("AS371", message, (*path, "path"), f"make them agree, e.g. `{option}: {example}`")


def _pairing(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    """`ingress.enabled` makes the UI's Ingress, and flower's too whenever flower runs."""
    components = eks.components
    assert components is not None
    web, flower = components.webserver, components.flower
    web_ingress = web.ingress if web else None
    flower_ingress = flower.ingress if flower else None
    celery = spec.airflow.executor.value != "KubernetesExecutor"
    flower_runs = celery and (flower is None or flower.enabled is not False)
    if web_ingress is not None and flower_runs and flower_ingress is None:
        message = "the community chart makes an Ingress for flower, unprotected, too, with the same host and path"
        hint = "give `flower` an `ingress` with a path of its own, or `enabled: false`"
        yield error("AS374", message, (*COMPONENTS, "webserver", "ingress"), hint, on_key=True)
    if flower_ingress is not None and web_ingress is None:
        message = "the community chart makes flower's Ingress only together with the UI's"
        hint = "give `webserver` an `ingress` too"
        yield error("AS374", message, (*COMPONENTS, "flower", "ingress"), hint, on_key=True)
    if web_ingress is not None and flower_ingress is not None:
        same_host = web_ingress.hosts[:1] == flower_ingress.hosts[:1]
        if same_host and chart_path(web_ingress.path) == chart_path(flower_ingress.path):
            message = "the UI's and flower's Ingress would route the same host and path"
            yield error("AS374", message, (*COMPONENTS, "flower", "ingress", "path"), "give flower a path of its own")
