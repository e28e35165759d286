"""`airflowspec.data.chart_facts`: what each chart release has, generated from the charts' own files.

The generated files are checked against their sources wherever the sources are: the reference data
(`../shared/reference/data`, some releases) and the chart folders of AIRFLOWSPEC_CHARTS (every release,
rebuilt byte for byte). The facts are also checked against what the charts' changelogs say.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest
from conftest import EXAMPLES, ROOT
from helm_support import CHARTS

from airflowspec.data import build_chart_facts as build
from airflowspec.data.chart_facts import (
    FOLDER,
    chart_has,
    chart_versions,
    default_airflow,
    facts_name,
    key_kind,
    schema_name,
    values_schema,
    versions_with,
)
from airflowspec.data.chart_facts import _tree as tree_of
from airflowspec.targets.eks import community_chart

REFERENCE = next(
    (path for path in (ROOT.parent / "shared" / "reference" / "data", ROOT.parents[1] / "shared" / "reference" / "data")
    if path.is_dir()),
    ROOT.parent / "shared" / "reference" / "data",
)  # fmt: skip
ALL_CHARTS = [f"{chart}-{version}" for chart, versions in build.SUPPORTED.items() for version in versions]
REFERENCE_RELEASES = [
    (chart, version)
    for chart, versions in build.SUPPORTED.items()
    for version in versions
    if (REFERENCE / f"{chart}-chart-{version}-values.yaml").is_file()
]


@pytest.mark.skipif(not REFERENCE_RELEASES, reason=f"no reference data at {REFERENCE}")
@pytest.mark.parametrize(("chart", "version"), REFERENCE_RELEASES, ids=[f"{c}-{v}" for c, v in REFERENCE_RELEASES])
def test_each_release_in_the_reference_data_is_as_generated(chart: str, version: str) -> None:
    source = REFERENCE / f"{chart}-chart-{version}-values.yaml"
    expected = build.key_tree(source, build.SUBCHARTS[chart])
    if chart == "official":
        schema = (REFERENCE / f"official-chart-{version}-values.schema.json").read_bytes()
        expected |= build.schema_tree(json.loads(schema))
        assert gzip.decompress((FOLDER / schema_name(version)).read_bytes()) == schema
    assert tree_of(chart, version) == expected
    assert default_airflow(chart, version) == build.default_airflow_of(chart, source)


@pytest.mark.skipif(
    not all((CHARTS / name / "values.yaml").is_file() for name in ALL_CHARTS),
    reason="set AIRFLOWSPEC_CHARTS to a folder with every chart release (tests/charts/setup_charts.py)",
)
def test_regenerating_from_the_charts_gives_the_same_bytes() -> None:
    for name, data in build.build([CHARTS]).items():
        assert data == (FOLDER / name).read_bytes(), (
            f"{name} is stale: run python -m airflowspec.data.build_chart_facts"
        )


def test_the_package_holds_every_file_and_no_other() -> None:
    expected = {facts_name("community"), facts_name("official")} | {
        schema_name(version) for version in build.SUPPORTED["official"]
    }
    assert {path.name for path in FOLDER.iterdir() if path.suffix != ".py" and path.is_file()} == expected
    for chart, versions in build.SUPPORTED.items():
        assert chart_versions(chart) == versions


@pytest.mark.parametrize("name", ALL_CHARTS)
def test_subcharts_are_the_dependencies_of_each_release(name: str) -> None:
    if not (CHARTS / name).is_dir():
        pytest.skip(f"no {name} under {CHARTS}")
    sys.path.insert(0, str(ROOT / "tests" / "charts"))
    from setup_charts import dependencies

    assert tuple(sorted(dep for dep, _ in dependencies(CHARTS / name))) == build.SUBCHARTS[name.split("-")[0]]


def test_what_the_official_releases_have() -> None:
    """RELEASE_NOTES.rst: 1.19.0 moved the default user to `createUserJob.defaultUser`, started
    `workers.celery` and added PodDisruptionBudgets for workers, the triggerer and the DAG processor."""
    assert chart_has("official", "1.18.0", "webserver.defaultUser.enabled")
    assert not chart_has("official", "1.18.0", "createUserJob.defaultUser")
    assert versions_with("official", "createUserJob.defaultUser") == ("1.19.0", "1.20.0", "1.21.0")
    assert versions_with("official", "workers.celery") == ("1.19.0", "1.20.0", "1.21.0")
    for component in ("workers", "triggerer", "dagProcessor"):
        assert versions_with("official", f"{component}.podDisruptionBudget")[0] == "1.19.0"
    assert chart_has("official", "1.18.0", "scheduler.podDisruptionBudget.enabled")
    assert versions_with("official", "workers.celery.serviceAccount") == ("1.21.0",)  # 1.21.0's deprecations
    assert key_kind("official", "1.21.0", "dags.gitSync.knownHosts") == "value"  # in the schema, not values.yaml
    assert [default_airflow("official", v) for v in chart_versions("official")] == ["3.0.2", "3.1.7", "3.1.8", "3.2.0"]


def test_what_the_community_releases_have() -> None:
    """CHANGELOG.md of airflow-helm/charts (reference: community-chart.md §1 and §6)."""
    first = {
        "airflow.webserverSecretKey": "8.5.0",
        "pgbouncer.enabled": "8.5.0",
        "airflow.defaultNodeSelector": "8.5.0",
        "triggerer.enabled": "8.6.0",
        "airflow.clusterDomain": "8.6.0",
        "airflow.protectedPipPackages": "8.6.1",
        "dags.gitSync.submodules": "8.7.0",
        "workers.livenessProbe": "8.8.0",
        "airflow.defaultTopologySpreadConstraints": "8.9.0",
        "rbac.secrets": "8.9.0",
    }
    assert {key: versions_with("community", key)[0] for key in first} == first
    assert not chart_has("community", "8.9.0", "helmWait")  # 8.3.0 only, among the releases in §6
    assert chart_has("community", "8.3.0", "helmWait")
    assert key_kind("community", "8.9.0", "airflow.config") == "free"
    assert (
        key_kind("community", "8.9.0", "airflow.defaultSecurityContext") == "free"
    )  # {fsGroup: 0}, a Kubernetes object
    assert key_kind("community", "8.9.0", "postgresql") == "subchart"
    assert chart_has("community", "8.9.0", "postgresql.enabled")
    assert [default_airflow("community", v) for v in ("8.5.2", "8.6.1", "8.7.1", "8.8.0", "8.9.0")] == [
        "2.1.2",
        "2.2.5",
        "2.5.3",
        "2.6.3",
        "2.8.4",
    ]


def test_the_community_compilers_table_agrees_with_the_facts() -> None:
    for key, added in community_chart.KEY_ADDED_IN.items():
        having = versions_with("community", key)
        assert having[0] == added, key
        assert having == chart_versions("community")[chart_versions("community").index(added) :], key


def test_the_official_schema_is_the_published_one() -> None:
    schema = values_schema("1.21.0")
    assert schema["$schema"].startswith("http://json-schema.org/draft-07")
    assert "executor" in schema["properties"]


def test_validating_the_seed_reads_no_chart_facts() -> None:
    """Cold `validate` stays fast: the facts, the checks of `targets.eks.values` and jsonschema load only
    for a spec that needs them."""
    lazy = ["airflowspec.data.chart_facts", "airflowspec.targets.eks.values_rules", "jsonschema"]
    code = (
        "import sys; from pathlib import Path; from airflowspec import api; "
        f"assert api.validate(Path({str(EXAMPLES / 'seed' / 'airflowspec.yaml')!r})).ok; "
        f"print([name for name in {lazy!r} if name in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"
