"""`diff --against` Helm values compares what the chart installs (issue 11, item 10): a live value equal to
the chart's default for the spec's chart and version is no change, a value the spec leaves to the chart is
no change, and a value the spec no longer sets changes to the chart's default."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES
from helm_support import CHARTS, helm_template, requires_helm
from ruamel.yaml import YAML
from typer.testing import CliRunner

from airflowspec import api
from airflowspec.cli import app
from airflowspec.data.build_chart_defaults import table_of
from airflowspec.data.chart_defaults import TABLES, chart_defaults, table_name
from airflowspec.diff.chart_values import installed
from airflowspec.emit import to_yaml

SEED = EXAMPLES / "seed" / "airflowspec.yaml"
OFFICIAL = EXAMPLES / "official-airflow3" / "airflowspec.yaml"

#: What real values files repeat from the community chart 8.9.0's values.yaml, and one real difference.
COMMUNITY_LIVE = """\
airflow:
  image: {pullPolicy: IfNotPresent, uid: 50000, gid: 0}
  usersUpdate: true
  connectionsUpdate: true
  variablesUpdate: true
  poolsUpdate: true
  dbMigrations: {enabled: true}
  sync: {resources: {}}
scheduler:
  replicas: 1
  resources: {}
  logCleanup: {enabled: true, retentionMinutes: 21600}
  livenessProbe: {enabled: true, initialDelaySeconds: 10, periodSeconds: 30, timeoutSeconds: 60, failureThreshold: 5}
web:
  replicas: 1
  service: {type: ClusterIP, externalPort: 8080}
workers:
  replicas: 3
  logCleanup: {enabled: true, retentionMinutes: 21600}
triggerer: {enabled: true, replicas: 1, capacity: 1000}
redis:
  password: airflow
  master: {persistence: {enabled: false}}
postgresql: {enabled: true, postgresqlDatabase: airflow, postgresqlUsername: postgres, postgresqlPassword: airflow}
pgbouncer: {enabled: true}
ingress: {enabled: false}
logs: {path: /opt/airflow/logs, persistence: {enabled: false}}
extraManifests: []
"""
#: The same for the official chart 1.21.0.
OFFICIAL_LIVE = """\
defaultAirflowRepository: apache/airflow
uid: 50000
gid: 0
images: {airflow: {pullPolicy: IfNotPresent}}
scheduler: {replicas: 1, logGroomerSidecar: {enabled: true, retentionDays: 15}}
apiServer: {replicas: 1}
workers: {replicas: 2, persistence: {enabled: true, size: 100Gi}}
triggerer: {enabled: true, replicas: 1}
dagProcessor: {replicas: 1}
redis: {enabled: true}
statsd: {enabled: true}
pgbouncer: {enabled: false}
config: {core: {load_examples: "False"}, celery: {worker_concurrency: 16}}
migrateDatabaseJob: {enabled: true, useHelmHooks: true}
cleanup: {enabled: false}
"""


def _merged(values: Any, extra: Any) -> Any:
    if isinstance(values, dict) and isinstance(extra, dict):
        return {**values, **{key: _merged(values.get(key), value) for key, value in extra.items()}}
    return extra


def _live(spec: Path, extra: str, tmp_path: Path, title: str = "") -> Path:
    """`helm get values` of a release installed from the spec's render with `extra` on top."""
    _, artifacts = api.render(spec, "eks")
    values = _merged(YAML(typ="safe").load(artifacts[0].text), YAML(typ="safe").load(extra) or {})
    path = tmp_path / "helm-values.yaml"
    path.write_text(title + to_yaml(values), encoding="utf-8")
    return path


def _diff(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["diff", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("spec", "extra", "shown"),
    [
        (
            SEED,
            COMMUNITY_LIVE,
            ["  ~ workers.replicas: 3 -> 1", "      restarts the scheduler, webserver, worker and triggerer pods"],
        ),
        (
            OFFICIAL,
            OFFICIAL_LIVE,
            [
                "  ~ workers.replicas: 2 -> 1",
                "      restarts the scheduler, API server or webserver, DAG processor, triggerer and worker pods",
            ],
        ),
    ],
    ids=["community", "official"],
)
def test_live_values_that_repeat_chart_defaults_show_only_the_real_difference(
    spec: Path, extra: str, shown: list[str], tmp_path: Path
) -> None:
    live = _live(spec, extra, tmp_path, "USER-SUPPLIED VALUES:\n")
    code, out, _ = _diff(str(spec), "--against", str(live), "-t", "eks")
    assert (code, out.splitlines()) == (1, ["values.yaml", *shown, "0 to add, 1 to change, 0 to remove"])


def test_what_the_spec_leaves_to_the_chart_is_no_change(tmp_path: Path) -> None:
    """The render sets `workers.enabled: true` and `flower.enabled: true`, the chart's defaults; a release
    installed without them runs the same."""
    live = _live(SEED, "", tmp_path)
    values = YAML(typ="safe").load(live.read_text(encoding="utf-8"))
    del values["workers"], values["flower"]
    live.write_text(to_yaml(values), encoding="utf-8")
    assert _diff(str(SEED), "--against", str(live), "-t", "eks")[:2] == (0, "0 to add, 0 to change, 0 to remove\n")


def test_a_rendered_folder_is_compared_as_installed_too(tmp_path: Path) -> None:
    out = tmp_path / "rendered"
    assert CliRunner().invoke(app, ["render", str(SEED), "-t", "eks", "-o", str(out)]).exit_code == 0
    values = out / "values.yaml"
    values.write_text(values.read_text(encoding="utf-8") + "pgbouncer:\n  enabled: true\n", encoding="utf-8")
    assert _diff(str(SEED), "--against", str(out), "-t", "eks")[:2] == (0, "0 to add, 0 to change, 0 to remove\n")


LEGACY = """\
apiVersion: airflowspec/v1
name: legacy
airflow: {version: "2.1.4", executor: CeleryExecutor}
targets: {eks: {chart: community, chartVersion: "VERSION"}}
"""


def test_a_release_between_two_tables_has_the_defaults_they_agree_on(tmp_path: Path) -> None:
    """8.4.0 lies between the tables of 8.3.0 and 8.5.0: `scheduler.replicas` is 1 in both, the image's
    group went from 50000 to 0, so it has no default that airflowspec knows."""
    spec = tmp_path / "airflowspec.yaml"
    spec.write_text(LEGACY.replace("VERSION", "8.4.0"), encoding="utf-8")
    extra = "scheduler: {replicas: 1}\nairflow: {image: {gid: 0}}\n"
    code, out, err = _diff(str(spec), "--against", str(_live(spec, extra, tmp_path)), "-t", "eks")
    assert (code, out.splitlines()[:2]) == (1, ["values.yaml", "  - airflow.image.gid: 0"])
    assert out.splitlines()[-1] == "0 to add, 0 to change, 1 to remove"
    assert "AS605" not in err


def test_a_release_older_than_every_table_compares_values_as_given_and_says_so(tmp_path: Path) -> None:
    spec = tmp_path / "airflowspec.yaml"
    spec.write_text(LEGACY.replace("VERSION", "8.1.0"), encoding="utf-8")
    live = _live(spec, "scheduler: {replicas: 1}\n", tmp_path)
    code, out, err = _diff(str(spec), "--against", str(live), "-t", "eks")
    assert (code, out.splitlines()[1]) == (1, '  - scheduler: {"replicas": 1}')
    assert [line for line in err.splitlines() if "AS605" in line] == [
        f"{live}: warning AS605 airflowspec holds no defaults of the community chart 8.1.0; a value equal to the "
        "chart's default shows as a change"
    ]


def test_installed_values_follow_helm() -> None:
    defaults = {"a": {"b": 1, "c": [1, 2], "d": None}, "e": "x", "f": {"g": 1}}
    assert installed({"a": {"c": [3]}, "e": None, "f": [], "h": {"i": None}}, defaults) == {
        "a": {"c": [3], "b": 1},
        "f": [],
        "h": {},
    }


def test_tables_are_known_releases_and_brackets_are_reasoned() -> None:
    assert chart_defaults("community", "8.9.0") is chart_defaults("community", "8.9.0")  # read once
    assert chart_defaults("community", "8.1.0") is None
    assert chart_defaults("official", "1.17.0") is None
    assert chart_defaults("official", "1.20.0") is not None
    between = chart_defaults("community", "8.4.0")
    assert between is not None
    assert between["scheduler"]["replicas"] == 1
    assert "gid" not in between["airflow"]["image"]


TABLE_FILES = [(chart, version) for chart, versions in TABLES.items() for version in versions]


@requires_helm
@pytest.mark.parametrize(("chart", "version"), TABLE_FILES, ids=[f"{c}-{v}" for c, v in TABLE_FILES])
def test_each_table_is_the_charts_values_yaml(chart: str, version: str) -> None:
    source = CHARTS / f"{chart}-{version}" / "values.yaml"
    if not source.is_file():
        pytest.skip(f"no {chart}-{version} under {CHARTS}")
    committed = (
        Path(__file__).resolve().parents[1] / "airflowspec" / "data" / "chart_defaults" / table_name(chart, version)
    )
    assert table_of(source) == committed.read_text(encoding="utf-8")


def _manifests(values: str, chart: str, tmp_path: Path) -> dict[tuple[str, str], Any]:
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in helm_template(values, chart, "rel", tmp_path)}


@requires_helm
@pytest.mark.parametrize(
    ("spec", "extra", "chart"),
    [(SEED, COMMUNITY_LIVE, "community-8.9.0"), (OFFICIAL, OFFICIAL_LIVE, "official-1.21.0")],
    ids=["community", "official"],
)
def test_the_repeated_defaults_install_nothing_else(spec: Path, extra: str, chart: str, tmp_path: Path) -> None:
    """What `helm template` makes of the live values, the real difference put back, is what it makes of the
    render: the defaults they repeat change nothing (manifests that differ between two runs of the same
    values, the official chart's generated passwords, left out)."""
    _, artifacts = api.render(spec, "eks")
    rendered = artifacts[0].text
    values = YAML(typ="safe").load(_live(spec, extra, tmp_path).read_text(encoding="utf-8"))
    values["workers"]["replicas"] = 1
    first, again = _manifests(rendered, chart, tmp_path), _manifests(rendered, chart, tmp_path)
    live = _manifests(to_yaml(values), chart, tmp_path)
    assert sorted(live) == sorted(first)
    stable = [name for name in first if first[name] == again[name]]
    assert len(stable) >= len(first) - 2
    assert [name for name in stable if json.dumps(live[name]) != json.dumps(first[name])] == []
