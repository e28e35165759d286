"""The official chart: values that pass the chart's own values.schema.json, and one line to switch charts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT, example_specs
from helpers import diagnose
from ruamel.yaml import YAML

from airflowspec import api
from airflowspec.targets.eks import official_chart
from airflowspec.targets.eks.official_schema import schema_messages, schema_problems

DATA = next(
    (path for path in (ROOT.parent / "shared" / "reference" / "data", ROOT.parents[1] / "shared" / "reference" / "data")
    if path.is_dir()),
    ROOT.parent / "shared" / "reference" / "data",
)  # fmt: skip
OFFICIAL = [
    *(spec for spec in example_specs() if "chart: official" in spec.read_text(encoding="utf-8")),
    *sorted((ROOT / "tests" / "cases" / "official-valid").glob("*.yaml")),
]


def _merge(base: Any, override: Any) -> Any:
    """Helm's coalescing of a values file over the chart's defaults: maps merge, the rest replaces."""
    if isinstance(base, dict) and isinstance(override, dict):
        return {**base, **{key: _merge(base.get(key), value) for key, value in override.items()}}
    return override


@pytest.mark.parametrize("spec", OFFICIAL, ids=lambda p: p.parent.name if p.name == "airflowspec.yaml" else p.stem)
def test_values_pass_the_charts_schema(spec: Path) -> None:
    """Against the schema of the spec's release as airflowspec holds it (all releases: tests/test_helm_versions.py)."""
    validation, artifacts = api.render(spec, "eks")
    assert validation.spec is not None and validation.spec.targets.eks is not None
    values = YAML(typ="safe").load(artifacts[0].text)
    assert schema_problems(validation.spec.targets.eks.effective_chart_version(), values) == []


@pytest.mark.skipif(not DATA.is_dir(), reason=f"no reference data at {DATA}")
@pytest.mark.parametrize("version", official_chart.CHART_VERSIONS)
def test_the_schema_check_is_the_charts_own(version: str) -> None:
    """The schema check finds what the chart's files, read straight from the reference data, find."""
    import jsonschema

    schema = json.loads((DATA / f"official-chart-{version}-values.schema.json").read_text(encoding="utf-8"))
    defaults = YAML(typ="safe").load((DATA / f"official-chart-{version}-values.yaml").read_text(encoding="utf-8"))
    wrong = {"executor": "celery", "scheduler": {"replicas": "two", "foo": 1}, "workers": {"celery": {"bar": 1}}}
    expected = sorted(
        (tuple(error.absolute_path), error.message)
        for error in jsonschema.Draft7Validator(schema).iter_errors(_merge(defaults, wrong))
    )
    assert schema_messages(version, wrong) == expected
    assert len(expected) >= 3


def test_switching_the_seed_to_the_official_chart_names_what_it_cannot_do() -> None:
    text = (EXAMPLES / "seed" / "airflowspec.yaml").read_text(encoding="utf-8")
    switched = text.replace("chart: community", "chart: official").replace('chartVersion: "8.9.0"', "")
    assert [entry for entry in diagnose(switched) if entry[2].startswith("AS3")] == [
        (11, 12, "AS331"),  # Airflow 2.9.2 is older than the chart runs
        (22, 1, "AS336"),  # no pip packages
        (41, 15, "AS324"),  # the password is pasted into the connection's JSON
        (44, 3, "AS337"),  # no pools
        (45, 3, "AS337"),
        (58, 3, "AS316"),  # embedded PostgreSQL
    ]


def test_airflow_3_on_the_community_chart_points_at_the_official_one() -> None:
    text = (EXAMPLES / "official-airflow3" / "airflowspec.yaml").read_text(encoding="utf-8")
    found = diagnose(text.replace("chart: official", "chart: community").replace('chartVersion: "1.21.0"', ""))
    assert {code for _, _, code in found if code.startswith("AS3")} == {"AS302", "AS325", "AS326", "AS351"}
