"""EKS: Helm values for Airflow on Kubernetes.

`targets.eks.chart` picks the chart. `community` is airflow-helm/charts 8.x (`airflow-stable/airflow`,
Airflow 2 up to 2.9): connections, variables and pools go straight into its values, with secret parts
read from Kubernetes Secrets by the chart's sync pods; pip packages install at pod start.
`official` is apache-airflow/airflow 1.18 to 1.21 (Airflow 3; Airflow 2 from 2.11, or from 2.0 up to
chart 1.19.0, the last release before the chart dropped older Airflow): connections and variables reach
every Airflow container as AIRFLOW_CONN_* / AIRFLOW_VAR_* environment variables, their secret parts
by reference to Kubernetes Secrets; it has no pools and no pip packages.
On either chart, `targets.eks.values` is merged over the rendered values last (values_rules).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from airflowspec.diagnostics import Diagnostic
from airflowspec.emit import comment_text
from airflowspec.render import render_template
from airflowspec.spec import EksTarget, Spec
from airflowspec.targets import Artifact
from airflowspec.targets.eks import community_rules, community_values, official_rules, official_values


class _Chart(NamedTuple):
    check: Callable[[Spec, EksTarget], Iterable[Diagnostic]]
    compile_values: Callable[[Spec, EksTarget], dict[str, Any]]
    reference: str  # as `helm install` names it


_CHARTS = {
    "community": _Chart(community_rules.check_community, community_values.compile_values, "airflow-stable/airflow"),
    "official": _Chart(official_rules.check_official, official_values.compile_values, "apache-airflow/airflow"),
}


class _Eks:
    name = "eks"
    files: tuple[str, ...] = ("values.yaml",)
    optional: tuple[str, ...] = ()

    def check(self, spec: Spec) -> Iterable[Diagnostic]:
        eks = _settings(spec)
        return _CHARTS[eks.chart].check(spec, eks)

    def compile(self, spec: Spec, source: str) -> list[Artifact]:
        eks = _settings(spec)
        chart = _CHARTS[eks.chart]
        text = render_template(
            "eks/values.yaml.j2",
            source=comment_text(source),
            values=_with_values(chart.compile_values(spec, eks), eks),
            chart=eks.chart,
            chart_reference=chart.reference,
            release=eks.release_name or spec.name,
            namespace=eks.namespace,
            chart_version=eks.effective_chart_version(),
        )
        return [Artifact("values.yaml", text)]


def _with_values(rendered: dict[str, Any], eks: EksTarget) -> dict[str, Any]:
    if not eks.values:
        return rendered
    from airflowspec.targets.eks.values_rules import merge_values

    return merge_values(rendered, eks.values)


def _settings(spec: Spec) -> EksTarget:
    return spec.targets.eks or EksTarget()


EKS = _Eks()
