"""EKS: Helm values for Airflow on Kubernetes.

`targets.eks.chart` picks the chart. `community` is airflow-helm/charts 8.x (`airflow-stable/airflow`):
connections, variables and pools go straight into its values, with secret parts read from
Kubernetes Secrets by the chart's sync pods; pip packages install at pod start.
"""

from __future__ import annotations

from collections.abc import Iterable

from airflowspec.diagnostics import Diagnostic
from airflowspec.render import render_template
from airflowspec.spec import EksTarget, Spec
from airflowspec.targets import Artifact
from airflowspec.targets.eks.community_rules import check_community
from airflowspec.targets.eks.community_values import compile_values


class _Eks:
    name = "eks"

    def check(self, spec: Spec) -> Iterable[Diagnostic]:
        return check_community(spec, _settings(spec))

    def compile(self, spec: Spec, source: str) -> list[Artifact]:
        eks = _settings(spec)
        text = render_template(
            "eks/values.yaml.j2",
            source=source,
            values=compile_values(spec, eks),
            release=eks.release_name or spec.name,
            namespace=eks.namespace,
            chart_version=eks.chart_version,
        )
        return [Artifact("values.yaml", text)]


def _settings(spec: Spec) -> EksTarget:
    return spec.targets.eks or EksTarget()


EKS = _Eks()
