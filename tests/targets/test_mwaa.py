"""The MWAA target: templates cfn-lint accepts, requirements pinned by constraints, SSM parameters
that hold no secret. Each MWAA rule's exact diagnostic is a case in tests/cases/invalid/mwaa-*."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import example_specs

from airflowspec import api

MWAA_EXAMPLES = [spec for spec in example_specs() if "\n  mwaa:" in spec.read_text(encoding="utf-8")]


def test_seed_and_mwaa_examples_render_for_mwaa() -> None:
    assert {spec.parent.name for spec in MWAA_EXAMPLES} >= {"seed", "mwaa"}


def _lint(template: str) -> list[str]:
    from cfnlint.api import ManualArgs, lint

    matches = lint(template, config=ManualArgs(include_checks=["I"], regions=["us-east-1", "eu-central-1"]))
    return [f"{match.rule.id} {match.message}" for match in matches]


def _template(spec: Path) -> str:
    _, artifacts = api.render(spec, "mwaa")
    return next(artifact.text for artifact in artifacts if artifact.path == "template.yaml")


@pytest.mark.parametrize("spec", MWAA_EXAMPLES, ids=lambda p: p.parent.name)
def test_cfn_lint_reports_nothing(spec: Path) -> None:
    assert _lint(_template(spec)) == []


def test_cfn_lint_would_catch_a_bad_template() -> None:
    text = _template(MWAA_EXAMPLES[0])
    text = text.replace("MaxWorkers: 12", "MaxWorkers: 0").replace("MaxWorkers: 10", "MaxWorkers: 0")
    assert "MaxWorkers: 0" in text
    assert any(finding.startswith("E3034") for finding in _lint(text))


def test_requirements_start_with_the_constraints_of_airflow_and_python() -> None:
    _, artifacts = api.render(next(s for s in MWAA_EXAMPLES if s.parent.name == "seed"), "mwaa")
    lines = next(a.text for a in artifacts if a.path == "requirements.txt").splitlines()
    assert lines[0] == (
        '--constraint "https://raw.githubusercontent.com/apache/airflow/constraints-2.9.2/constraints-3.11.txt"'
    )
    assert lines[2:] == ["pandas>=2.1,<3", "awscli"]


def test_ssm_parameters_name_each_secret_instead_of_a_value() -> None:
    _, artifacts = api.render(next(s for s in MWAA_EXAMPLES if s.parent.name == "seed"), "mwaa")
    parameters = json.loads(next(a.text for a in artifacts if a.path == "ssm-parameters.json"))["parameters"]
    warehouse = next(p for p in parameters if p["name"] == "/airflow/connections/warehouse")
    assert warehouse["type"] == "SecureString"
    assert json.loads(warehouse["value"])["password"] == "<secret:warehouse-password>"
    environment = next(p for p in parameters if p["name"] == "/airflow/variables/environment")
    assert environment == {"name": "/airflow/variables/environment", "type": "String", "value": "production"}


def test_backend_kwargs_keep_mwaas_lookup_pattern_for_aws_default() -> None:
    _, artifacts = api.render(next(s for s in MWAA_EXAMPLES if s.parent.name == "seed"), "mwaa")
    text = next(a.text for a in artifacts if a.path == "template.yaml")
    assert (
        'secrets.backend_kwargs: "{\\"connections_prefix\\": \\"/airflow/connections\\", '
        '\\"variables_prefix\\": \\"/airflow/variables\\", \\"config_prefix\\": null, '
        '\\"connections_lookup_pattern\\": \\"^(?!aws_default$).*$\\"}"'
    ) in text


@pytest.mark.parametrize(("value", "refused"), [("a\nb", True), ("a\tb", True), ("a\x85b", True), ("a\u00a0b", False)])
def test_tag_values_take_the_apis_separators_not_control_characters(value: str, refused: bool, tmp_path: Path) -> None:
    """The API's `[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*`: a space separator is fine, a line break or a tab is not."""
    spec = tmp_path / "spec.yaml"
    text = (Path(__file__).parents[2] / "examples" / "mwaa" / "airflowspec.yaml").read_text(encoding="utf-8")
    escaped = value.encode("unicode_escape").decode("ascii")
    spec.write_text(text.replace("{team: analytics,", f'{{team: "{escaped}",'), encoding="utf-8")
    codes = [(d.code, d.path) for d in api.validate(spec).diagnostics]
    assert (("AS423", ("targets", "mwaa", "tags", "team")) in codes) is refused
