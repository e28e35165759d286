"""The MWAA target: templates cfn-lint accepts, requirements pinned by constraints, SSM parameters
that hold no secret, and a located diagnostic for every MWAA rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import example_specs
from helpers import diagnose

from airflowspec import api

MWAA_EXAMPLES = [spec for spec in example_specs() if "\n  mwaa:" in spec.read_text(encoding="utf-8")]

BASE = """\
apiVersion: airflowspec/v1
name: demo
airflow:
  version: "2.10.3"
targets:
  mwaa:
    sourceBucketArn: "arn:aws:s3:::demo-airflow"
    executionRoleArn: "arn:aws:iam::123456789012:role/demo"
    network: {subnetIds: [subnet-0a1b2c3d, subnet-4e5f6a7b], securityGroupIds: [sg-0123abcd]}
"""


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


RULES = [
    ("version-not-on-mwaa", BASE.replace("2.10.3", "2.8.4"), [(4, 12, "AS401")]),
    ("version-retired", BASE.replace("2.10.3", "2.6.3"), [(4, 12, "AS401")]),
    ("executor", BASE.replace('"2.10.3"\n', '"2.10.3"\n  executor: KubernetesExecutor\n'), [(5, 13, "AS402")]),
    ("class", BASE + "    environmentClass: mw1.huge\n", [(10, 23, "AS403")]),
    ("workers", BASE + "    workers: {min: 5, max: 2}\n", [(10, 14, "AS404")]),
    ("schedulers", BASE + "    schedulers: 6\n", [(10, 17, "AS405")]),
    (
        "micro",
        BASE + "    environmentClass: mw1.micro\n    webservers: {min: 2, max: 2}\n",
        [(11, 23, "AS405"), (11, 31, "AS405")],
    ),
    ("micro-workers", BASE + "    environmentClass: mw1.micro\n    workers: {max: 3}\n", [(11, 20, "AS405")]),
    (
        "one-subnet",
        BASE.replace("subnetIds: [subnet-0a1b2c3d, subnet-4e5f6a7b]", "subnetIds: [subnet-0a1b2c3d]"),
        [(9, 26, "AS406")],
    ),
    ("six-groups", BASE.replace("[sg-0123abcd]", "[sg-1, sg-2, sg-3, sg-4, sg-5, sg-6]"), [(9, 80, "AS407")]),
    ("bucket-arn", BASE.replace("arn:aws:s3:::demo-airflow", "arn:aws:s3:::Demo_Bucket"), [(7, 22, "AS408")]),
    ("role-arn", BASE.replace("123456789012:role/demo", "123:role/demo"), [(8, 23, "AS408")]),
    ("kms", BASE + "    kmsKey: notakey\n", [(10, 13, "AS408")]),
    ("window", BASE + "    maintenanceWindow: Sunday:03:15\n", [(10, 24, "AS408")]),
    ("path-leaves-bucket", BASE + "    dagS3Path: s3://other-bucket/dags\n", [(10, 16, "AS409")]),
    ("path-climbs", BASE + "    startupScriptS3Path: ../startup.sh\n", [(10, 26, "AS409")]),
    ("public-and-private", BASE + "    webserverAccessMode: PUBLIC_AND_PRIVATE\n", [(10, 26, "AS410")]),
    (
        "secrets-option",
        BASE.replace('"2.10.3"\n', '"2.10.3"\n  config:\n    secrets: {backend: x}\n'),
        [(6, 15, "AS411")],
    ),
    (
        "owned-option",
        BASE.replace('"2.10.3"\n', '"2.10.3"\n  config:\n    core: {executor: LocalExecutor}\n'),
        [(6, 12, "AS412")],
    ),
    (
        "forced-option",
        BASE.replace('"2.10.3"\n', '"2.10.3"\n  config:\n    core: {load_examples: false}\n'),
        [(6, 12, "AS412")],
    ),
    (
        "option-value",
        BASE.replace('"2.10.3"\n', '"2.10.3"\n  config:\n    core: {note: "naïve"}\n'),
        [(6, 18, "AS413")],
    ),
    ("volume", BASE + "volumes:\n  data: {claim: data, mountPath: /data}\n", [(11, 3, "AS414")]),
    ("pool", BASE + "pools:\n  etl: {slots: 4}\n", [(11, 3, "AS415")]),
    ("git", BASE + "dags:\n  from: {git: {repo: 'https://example.com/dags.git'}}\n", [(11, 10, "AS416")]),
    (
        "secret-without-env",
        BASE
        + "connections:\n  c: {type: http, password: {secret: s}}\nsecrets:\n  s: {kubernetes: {name: s, key: k}}\n",
        [(13, 3, "AS417")],
    ),
    ("prefix", BASE + "    ssm: {connectionsPrefix: airflow/connections}\n", [(10, 30, "AS418")]),
    ("reserved-prefix", BASE + "    ssm: {variablesPrefix: /aws/variables}\n", [(10, 28, "AS418")]),
    ("template-text", BASE + "variables:\n  greeting: 'run {{ ds }}'\n", [(11, 13, "AS419")]),
    ("too-large", BASE + "variables:\n  blob: " + "x" * 9000 + "\n", [(11, 9, "AS420")]),
    ("advanced-tier", BASE + "variables:\n  blob: " + "x" * 5000 + "\n", [(11, 9, "AS420")]),
    ("no-mwaa-block", BASE.split("targets:")[0] + "targets:\n  mwaa:\n", []),
]


@pytest.mark.parametrize(
    ("text", "expected"), [(text, expected) for _, text, expected in RULES], ids=[r[0] for r in RULES]
)
def test_each_mwaa_rule_reports_at_its_line(text: str, expected: list[tuple[int, int, str]]) -> None:
    assert [found for found in diagnose(text) if found[2].startswith("AS4")] == expected
