"""`diff` masks secret values, not their neighbours (issue 11, item 11): a connection's host inside the
official chart's `AIRFLOW_CONN_*` JSON shows, its password does not; the names of Kubernetes Secrets and of
their keys are references, not secrets; true and false are no secret. Live values keep every guarantee."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import EXAMPLES
from ruamel.yaml import YAML
from typer.testing import CliRunner

from airflowspec import api
from airflowspec.cli import app
from airflowspec.emit import to_yaml

OFFICIAL = EXAMPLES / "official-airflow3" / "airflowspec.yaml"
SEED = EXAMPLES / "seed" / "airflowspec.yaml"
FORMATS = ("text", "json", "github")
RESTARTS = "      restarts the scheduler, API server or webserver, DAG processor, triggerer and worker pods"


def _diff(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["diff", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout


def _edited(spec: Path, tmp_path: Path, name: str, *edits: tuple[str, str]) -> str:
    text = spec.read_text(encoding="utf-8")
    for before, after in edits:
        assert before in text, before
        text = text.replace(before, after)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _connection(host: str, password: str) -> tuple[str, str]:
    return ("    type: aws\n", f"    type: aws\n    host: {host}\n    login: etl\n    password: {password}\n")


def test_a_host_in_an_official_connection_shows_and_its_password_does_not(tmp_path: Path) -> None:
    old = _edited(OFFICIAL, tmp_path, "old.yaml", _connection("s3.eu-west-1.amazonaws.com", "canary-old"))
    new = _edited(OFFICIAL, tmp_path, "new.yaml", _connection("s3.eu-central-1.amazonaws.com", "canary-new"))
    for output in FORMATS:
        code, out = _diff(old, new, "-t", "eks", "--format", output)
        assert code == 1 and "canary" not in out, out
    assert _diff(old, new, "-t", "eks")[1].splitlines() == [
        "values.yaml",
        '  ~ env[name=AIRFLOW_CONN_S3_LAKE].value.host: "s3.eu-west-1.amazonaws.com"'
        ' -> "s3.eu-central-1.amazonaws.com"',
        RESTARTS,
        "  ~ env[name=AIRFLOW_CONN_S3_LAKE].value.password: (sensitive value changed)",
        RESTARTS,
        "0 to add, 2 to change, 0 to remove",
    ]


def test_names_of_secrets_and_of_their_keys_show(tmp_path: Path) -> None:
    edits = (
        ("{name: analytics-warehouse, key: api-key}", "{name: analytics-warehouse, key: apikey}"),
        ("{name: analytics-core, key: jwt-secret}", "{name: analytics-core, key: jwt}"),
    )
    new = _edited(OFFICIAL, tmp_path, "new.yaml", *edits)
    assert _diff(str(OFFICIAL), new, "-t", "eks")[1].splitlines() == [
        "values.yaml",
        '  ~ scheduler.env[name=AIRFLOW__API_AUTH__JWT_SECRET].valueFrom.secretKeyRef.key: "jwt-secret" -> "jwt"',
        RESTARTS,
        '  ~ apiServer.env[name=AIRFLOW__API_AUTH__JWT_SECRET].valueFrom.secretKeyRef.key: "jwt-secret" -> "jwt"',
        RESTARTS,
        '  ~ secret[envName=AIRFLOW_VAR_WAREHOUSE_API_KEY].secretKey: "api-key" -> "apikey"',
        RESTARTS,
        "0 to add, 3 to change, 0 to remove",
    ]
    new = _edited(SEED, tmp_path, "seed.yaml", ("{name: airflow-warehouse, key: password}", "{name: wh, key: pw}"))
    lines = _diff(str(SEED), new, "-t", "eks")[1].splitlines()
    assert '  ~ airflow.connectionsTemplates.WAREHOUSE_PASSWORD.name: "airflow-warehouse" -> "wh"' in lines
    assert '  ~ airflow.connectionsTemplates.WAREHOUSE_PASSWORD.key: "password" -> "pw"' in lines


def test_an_added_env_var_from_a_secret_shows_its_reference(tmp_path: Path) -> None:
    edits = (
        ("pools:\n", "  vault: {secret: vault-connection}\npools:\n"),
        ("secrets:\n", "secrets:\n  vault-connection:\n    kubernetes: {name: airflow-vault, key: uri}\n"),
    )
    new = _edited(SEED, tmp_path, "new.yaml", *edits)
    added = '{"name": "AIRFLOW_CONN_VAULT", "valueFrom": {"secretKeyRef": {"name": "airflow-vault", "key": "uri"}}}'
    expected = f"  + airflow.extraEnv[name=AIRFLOW_CONN_VAULT]: {added}"
    assert expected in _diff(str(SEED), new, "-t", "eks")[1].splitlines()


LIVE_ENV = [
    {"name": "AIRFLOW_VAR_ENVIRONMENT", "value": "production"},
    {"name": "AIRFLOW_VAR_REPORT_RECIPIENTS", "value": '["data-team@example.com", "finance@example.com"]'},
    {
        "name": "AIRFLOW_CONN_S3_LAKE",
        "value": json.dumps(
            {"conn_type": "aws", "host": "old.example.com", "password": "canary-1", "extra": {"token": "canary-2"}}
        ),
    },
    {"name": "AIRFLOW_CONN_URI", "value": "postgres://etl:canary-3@db.internal:5432/x"},
    {"name": "AIRFLOW_CONN_QUERY", "value": "http://api.internal?token=canary-4"},
    {"name": "SNOWFLAKE_PASSWORD", "value": "canary-5"},
    {"name": "SNOWFLAKE_PASSWORD_2", "valueFrom": "canary-6"},
]


def test_live_values_show_hosts_and_references_never_secrets(tmp_path: Path) -> None:
    _, artifacts = api.render(OFFICIAL, "eks")
    values = YAML(typ="safe").load(artifacts[0].text)
    values["env"] = LIVE_ENV
    values["secret"][0]["secretKey"] = "old-key"
    values["enableBuiltInSecretEnvVars"]["AIRFLOW__CORE__FERNET_KEY"] = True
    live = tmp_path / "values.yaml"
    live.write_text(to_yaml(values), encoding="utf-8")
    for output in FORMATS:
        for show in ([], ["--show-secrets"]):
            code, out = _diff(str(OFFICIAL), "--against", str(live), "-t", "eks", "--format", output, *show)
            assert code == 1 and "canary" not in out, out
    lines = _diff(str(OFFICIAL), "--against", str(live), "-t", "eks")[1].splitlines()
    assert [line for line in lines if not line.startswith("      ")] == [
        "values.yaml",
        "  ~ enableBuiltInSecretEnvVars.AIRFLOW__CORE__FERNET_KEY: true -> false",
        '  - env[name=AIRFLOW_CONN_S3_LAKE].value.host: "old.example.com"',
        "  - env[name=AIRFLOW_CONN_S3_LAKE].value.password: (sensitive value)",
        "  - env[name=AIRFLOW_CONN_S3_LAKE].value.extra.token: (sensitive value)",
        '  + env[name=AIRFLOW_CONN_S3_LAKE].value.extra.region_name: "eu-west-1"',
        "  - env[name=AIRFLOW_CONN_URI]: (sensitive value)",
        '  - env[name=AIRFLOW_CONN_QUERY]: {"name": "AIRFLOW_CONN_QUERY", "value": "(sensitive value)"}',
        '  - env[name=SNOWFLAKE_PASSWORD]: {"name": "SNOWFLAKE_PASSWORD", "value": "(sensitive value)"}',
        '  - env[name=SNOWFLAKE_PASSWORD_2]: {"name": "SNOWFLAKE_PASSWORD_2", "valueFrom": "(sensitive value)"}',
        '  ~ secret[envName=AIRFLOW_VAR_WAREHOUSE_API_KEY].secretKey: "old-key" -> "api-key"',
        "1 to add, 2 to change, 7 to remove",
    ]
