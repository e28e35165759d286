"""Community-chart rules for secrets: where EKS reads them, and how the chart passes them on."""

from __future__ import annotations

from collections.abc import Iterator

from airflowspec.diagnostics import Diagnostic, SpecPath, error
from airflowspec.spec import EksTarget, Spec
from airflowspec.spec.walk import object_secrets, secret_references
from airflowspec.targets.eks import community_chart as chart
from airflowspec.targets.eks.chart_rules import check_pasted_secrets, check_secret_sources

EKS: SpecPath = ("targets", "eks")
_TEMPLATES_BY_SECTION = {"connections": "airflow.connectionsTemplates", "variables": "airflow.variablesTemplates"}


def check_sources(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    """Secret parts of connections and variables become `*Templates` entries named by chart.template_name
    (a connection kept whole in a secret is an env var read from its Secret, not a template)."""
    templated = [name for name, path in object_secrets(spec).items() if not _whole_connection(path)]
    return check_secret_sources(spec, templated, lambda name: f"the template ${{{chart.template_name(name)}}}")


def check_chart_keys(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    for path, _ref in secret_references(spec):
        key = None if _whole_connection(path) else _TEMPLATES_BY_SECTION.get(str(path[0]))
        if path[:4] == (*EKS, "database", "user"):
            key = "externalDatabase.userSecret"
        if key and not chart.has_key(eks.effective_chart_version(), key):
            yield error(
                "AS310",
                f"chart {eks.effective_chart_version()} has no `{key}` (added in {chart.KEY_ADDED_IN[key]}), "
                "so this secret cannot be passed",
                path,
                f"use chartVersion {chart.DEFAULT_CHART_VERSION}",
            )


def check_extra_secrets(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    """The sync script substitutes templates into `extra`'s JSON text (other fields are not JSON)."""
    return check_pasted_secrets(spec, extra_only=True)


def check_connection_variables(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    """A connection kept whole in a secret is AIRFLOW_CONN_<ID>, which Airflow reads before its database:
    it would answer for every connection whose id differs from it only in case."""
    by_name = {f"AIRFLOW_CONN_{conn_id.upper()}": conn_id for conn_id in spec.secret_connections()}
    for conn_id in spec.connections:
        other = by_name.get(f"AIRFLOW_CONN_{conn_id.upper()}")
        if other is not None and other != conn_id:
            message = f"'{other}' and '{conn_id}' both become the environment variable AIRFLOW_CONN_{conn_id.upper()}"
            yield error("AS328", message, ("connections", conn_id), "ids must differ in more than case", on_key=True)


def _whole_connection(path: SpecPath) -> bool:
    """`connections.<id>` itself is the reference: the connection is kept whole in a secret."""
    return len(path) == 2 and path[0] == "connections"
