"""`targets.mwaa.secretsBackend`: the template points Airflow at the store the spec chose, with names
Airflow's own backend classes build; the rendered files list each store's entries (the one not chosen
empty); the IAM statement for reading them passes cfn-lint. Each refusal's exact diagnostic is a case in
tests/cases/invalid/mwaa-secrets-*."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES
from helpers import SEED_SECRETS, secrets_manager_spec
from ruamel.yaml import YAML

from airflowspec import api
from airflowspec.targets.mwaa.secret_stores import chosen_store, read_statement

SEED = EXAMPLES / "seed" / "airflowspec.yaml"
MWAA = EXAMPLES / "mwaa" / "airflowspec.yaml"
BACKEND = "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend"


def _files(spec: Path) -> dict[str, str]:
    validation, artifacts = api.render(spec, "mwaa")
    assert validation.ok, [str(d) for d in validation.diagnostics]
    return {artifact.path: artifact.text for artifact in artifacts}


def _options(files: dict[str, str]) -> dict[str, str]:
    template = YAML(typ="safe").load(files["template.yaml"])
    return dict(template["Resources"]["Environment"]["Properties"]["AirflowConfigurationOptions"])


def test_the_template_points_airflow_at_secrets_manager_with_the_spec_prefixes(tmp_path: Path) -> None:
    options = _options(_files(secrets_manager_spec(MWAA, tmp_path)))
    assert options["secrets.backend"] == BACKEND
    assert json.loads(options["secrets.backend_kwargs"]) == {
        "connections_prefix": "analytics-prod/connections",
        "variables_prefix": "analytics-prod/variables",
        "config_prefix": None,
        "connections_lookup_pattern": "^(?!aws_default$).*$",
    }


def test_the_default_prefixes_are_the_backends_own(tmp_path: Path) -> None:
    options = _options(_files(secrets_manager_spec(SEED, tmp_path)))
    kwargs = json.loads(options["secrets.backend_kwargs"])
    assert (kwargs["connections_prefix"], kwargs["variables_prefix"]) == ("airflow/connections", "airflow/variables")


def test_without_connections_or_variables_no_backend_is_set(tmp_path: Path) -> None:
    spec = secrets_manager_spec(SEED, tmp_path)
    text = spec.read_text(encoding="utf-8")
    start, end = text.index("variables:\n"), text.index("pools:\n")
    spec.write_text(text[:start] + text[end:], encoding="utf-8")
    assert not [key for key in _options(_files(spec)) if key.startswith("secrets.")]


def test_the_chosen_stores_file_lists_the_entries_and_the_other_is_empty(tmp_path: Path) -> None:
    files = _files(secrets_manager_spec(SEED, tmp_path))
    chosen, other = json.loads(files["secretsmanager-secrets.json"]), json.loads(files["ssm-parameters.json"])
    assert [entry["name"] for entry in chosen["entries"]] == SEED_SECRETS
    assert all(set(entry) == {"name", "value"} for entry in chosen["entries"])  # no type: every secret is encrypted
    assert chosen["entries"][-1]["value"] == "<secret:slack-token>"
    assert json.loads(chosen["entries"][0]["value"])["password"] == "<secret:warehouse-password>"
    assert other["parameters"] == []
    assert other["generatedBy"].endswith(
        "None here: the spec keeps connections and variables in Secrets Manager (secretsmanager-secrets.json)."
    )


def test_an_ssm_spec_renders_its_parameters_as_before_and_an_empty_secrets_manager_file() -> None:
    files = _files(SEED)
    assert json.loads(files["secretsmanager-secrets.json"])["entries"] == []
    assert len(json.loads(files["ssm-parameters.json"])["parameters"]) == 6


NAMES = textwrap.dedent(
    """
    import json, sys
    from airflow.providers.amazon.aws.secrets.secrets_manager import SecretsManagerBackend
    args = json.loads(sys.argv[1])
    backend = SecretsManagerBackend(**json.loads(args["kwargs"]))
    print(json.dumps(
        [backend.build_path(backend.connections_prefix, key, backend.sep) for key in args["connections"]]
        + [backend.build_path(backend.variables_prefix, key, backend.sep) for key in args["variables"]]
    ))
    """
)


@pytest.mark.parametrize(
    "prefixes",
    [("airflow/connections", "airflow/variables"), ("/team/conn/", "team/var//"), ("a+b=c.d@e-f_g/c", "v")],
)
def test_the_rendered_names_are_those_airflows_backend_looks_up(tmp_path: Path, prefixes: tuple[str, str]) -> None:
    probe = subprocess.run([sys.executable, "-c", "import airflow.providers.amazon"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("needs apache-airflow-core and apache-airflow-providers-amazon (the integration extra)")
    block = f"    secretsManager: {{connectionsPrefix: '{prefixes[0]}', variablesPrefix: '{prefixes[1]}'}}\n"
    spec = secrets_manager_spec(SEED, tmp_path, block)
    files = _files(spec)
    validated = api.validate(spec).spec
    assert validated is not None
    args = {
        "kwargs": _options(files)["secrets.backend_kwargs"],
        "connections": list(validated.connections),
        "variables": list(validated.variables),
    }
    env = {"AIRFLOW_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", NAMES, json.dumps(args)], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    rendered = [entry["name"] for entry in json.loads(files["secretsmanager-secrets.json"])["entries"]]
    assert json.loads(result.stdout.splitlines()[-1]) == rendered


def _lint(template: dict[str, Any]) -> list[str]:
    from cfnlint.api import ManualArgs, lint

    matches = lint(json.dumps(template), config=ManualArgs(include_checks=["I"], regions=["us-east-1"]))
    return [f"{match.rule.id} {match.message}" for match in matches]


def test_the_secrets_manager_template_passes_cfn_lint(tmp_path: Path) -> None:
    text = _files(secrets_manager_spec(MWAA, tmp_path))["template.yaml"]
    assert _lint(YAML(typ="safe").load(text)) == []


@pytest.mark.parametrize("source", [SEED, MWAA], ids=["seed", "mwaa"])
@pytest.mark.parametrize("backend", ["ssm", "secretsManager"])
def test_the_read_statement_is_a_valid_policy_on_the_spec_prefixes(tmp_path: Path, source: Path, backend: str) -> None:
    spec = secrets_manager_spec(source, tmp_path) if backend == "secretsManager" else source
    validated = api.validate(spec).spec
    assert validated is not None and validated.targets.mwaa is not None
    store = chosen_store(validated.targets.mwaa)
    statement = read_statement(store)
    role = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": ["airflow.amazonaws.com", "airflow-env.amazonaws.com"]},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "Policies": [
                {"PolicyName": "secrets", "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]}}
            ],
        },
    }
    assert _lint({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Role": role}}) == []
    service, kind = ("ssm", "parameter") if backend == "ssm" else ("secretsmanager", "secret:")
    expected = [
        f"arn:${{AWS::Partition}}:{service}:${{AWS::Region}}:${{AWS::AccountId}}:{kind}{prefix.rstrip('/')}/*"
        for prefix in store.prefixes
    ]
    assert [arn["Fn::Sub"] for arn in statement["Resource"]] == expected
    assert statement["Action"] == (["ssm:GetParameter"] if backend == "ssm" else ["secretsmanager:GetSecretValue"])
