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
    """Secrets of connections and variables become `*Templates` entries named by chart.template_name."""
    return check_secret_sources(
        spec, object_secrets(spec), lambda name: f"the template ${{{chart.template_name(name)}}}"
    )


def check_chart_keys(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    for path, _ref in secret_references(spec):
        key = _TEMPLATES_BY_SECTION.get(str(path[0]))
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
