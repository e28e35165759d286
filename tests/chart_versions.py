"""Every EKS example and valid case, rewritten for each chart release airflowspec supports.

A variant sets `targets.eks.chartVersion` to the release and, where the release does not run the spec's
Airflow, `airflow.version` to the newest release it runs (community: the README's support table; official:
its default Airflow). Some variants are refused on purpose: REFUSED lists them with their codes, so that a
refusal nobody expected fails a test as surely as a render that `helm template` rejects.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from conftest import ROOT, example_specs
from packaging.version import Version
from ruamel.yaml import YAML

from airflowspec.data.airflow_releases import AIRFLOW_RELEASES
from airflowspec.data.chart_facts import default_airflow
from airflowspec.targets.eks import community_chart, official_chart

CASES = ROOT / "tests" / "cases"
SPECS = [
    *(spec for spec in example_specs() if "\n  eks:" in spec.read_text(encoding="utf-8")),
    *sorted((CASES / "eks-valid").glob("*.yaml")),
    *sorted((CASES / "official-valid").glob("*.yaml")),
]
RELEASES = {"community": community_chart.CHART_VERSIONS, "official": official_chart.CHART_VERSIONS}

#: (spec, first release, last release) -> the codes `validate` reports there, and why.
REFUSED: dict[tuple[str, str, str], set[str]] = {
    # secrets in connections and variables need `*Templates` (8.4.0); before 8.0.2 no `volumes` (AS341)
    ("seed", "8.0.0", "8.0.1"): {"AS310", "AS341"},
    ("seed", "8.0.2", "8.3.2"): {"AS310"},
    ("multi-environment", "8.0.0", "8.3.2"): {"AS310"},  # its base, rendered as the other examples are
    ("markers-and-unicode", "8.0.0", "8.3.2"): {"AS310"},
    ("kubernetes-executor", "8.0.0", "8.3.2"): {"AS310", "AS213"},
    # pools[].includeDeferred needs Airflow 2.7, which 8.8.0 is the first to run
    ("kubernetes-executor", "8.4.0", "8.7.1"): {"AS213"},
    # a secret database user needs `externalDatabase.userSecret` (8.6.0)
    ("git-over-https", "8.0.0", "8.5.3"): {"AS310"},
    # before 8.5.0 the chart runs pip without the Airflow environment, so no index reaches it (AS342); the
    # example's connection with a secret password needs `connectionsTemplates` (8.4.0, AS310)
    ("private-index", "8.0.0", "8.3.2"): {"AS310", "AS342"},
    ("private-index", "8.4.0", "8.4.1"): {"AS342"},
    ("index-with-a-token", "8.0.0", "8.4.1"): {"AS342"},
    # before 8.0.2 the chart breaks every pod's YAML when `volumes` are mounted
    ("chart-8-3-0", "8.0.0", "8.0.1"): {"AS341"},
    ("dag-volume-at-its-mount-path", "8.0.0", "8.0.1"): {"AS341"},
    ("dotted-sub-paths", "8.0.0", "8.0.1"): {"AS341"},
    ("logs-on-a-volume", "8.0.0", "8.0.1"): {"AS341"},
    # before 8.0.4 the worker template cannot name the DAG claim the chart makes (AS239)
    ("dag-volume-the-chart-makes", "8.0.0", "8.0.1"): {"AS341", "AS239"},
    ("dag-volume-the-chart-makes", "8.0.2", "8.0.3"): {"AS239"},
    # log cleanup came in 8.6.0 (AS383); the logs claim's subPath on the official chart in 1.19.0 (AS386)
    ("logs-remote-and-cleanup", "8.0.0", "8.5.3"): {"AS383"},
    ("logs-claim-and-groomers", "1.18.0", "1.18.0"): {"AS386"},
    # 1.18.0 has no PodDisruptionBudget for workers and triggerer, no labels for the DAG processor (AS362)
    ("production-components", "1.18.0", "1.18.0"): {"AS362"},
    # production-community: pod defaults came in 8.5.0 (AS354), policy/v1 PodDisruptionBudgets and
    # autoscaling/v2 in 8.7.0 (AS355), ingressClassName in 8.6.0 (AS372), log cleanup in 8.6.0 (AS383)
    ("production-community", "8.0.0", "8.0.1"): {"AS239", "AS310", "AS341", "AS354", "AS355", "AS372", "AS383"},
    ("production-community", "8.0.2", "8.0.3"): {"AS239", "AS310", "AS354", "AS355", "AS372", "AS383"},
    ("production-community", "8.0.4", "8.3.2"): {"AS310", "AS354", "AS355", "AS372", "AS383"},
    ("production-community", "8.4.0", "8.5.3"): {"AS354", "AS355", "AS372", "AS383"},
    ("production-community", "8.6.0", "8.6.1"): {"AS355"},
}


@dataclasses.dataclass(frozen=True)
class Variant:
    source: Path
    chart: str
    version: str

    @property
    def name(self) -> str:
        return spec_name(self.source)

    @property
    def id(self) -> str:
        return f"{self.name}@{self.chart}-{self.version}"

    def refused(self) -> set[str]:
        """The codes this variant is refused with; empty when it renders."""
        for (name, first, last), codes in REFUSED.items():
            if name == self.name and Version(first) <= Version(self.version) <= Version(last):
                return codes
        return set()

    def write(self, folder: Path) -> Path:
        """The variant as a spec file (JSON, which is YAML) in `folder`."""
        document: dict[str, Any] = YAML(typ="safe").load(self.source.read_text(encoding="utf-8"))
        document.setdefault("targets", {}).setdefault("eks", {})["chartVersion"] = self.version
        document["airflow"]["version"] = airflow_for(self.chart, self.version, str(document["airflow"]["version"]))
        path = folder / "airflowspec.yaml"
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
        return path


def spec_name(path: Path) -> str:
    return path.parent.name if path.name == "airflowspec.yaml" else path.stem


def chart_of(path: Path) -> str:
    document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return str(((document.get("targets") or {}).get("eks") or {}).get("chart", "community"))


def variants() -> list[Variant]:
    return [Variant(path, chart_of(path), version) for path in SPECS for version in RELEASES[chart_of(path)]]


def airflow_for(chart: str, version: str, airflow: str) -> str:
    """`airflow`, or the newest Airflow the release runs when it does not run that one."""
    if chart == "official":
        runs = Version(airflow) >= Version(official_chart.OLDEST_AIRFLOW[version])
        return airflow if runs else default_airflow(chart, version)
    first = community_chart.first_chart_for(airflow)
    if first is not None and Version(first) <= Version(version):
        return airflow
    minors = [minor for minor, since in community_chart.AIRFLOW_SUPPORT if Version(since) <= Version(version)]
    newest = minors[-1]
    return max((release for release in AIRFLOW_RELEASES if release.startswith(f"{newest}.")), key=Version)
