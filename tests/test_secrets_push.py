"""`airflowspec secrets push` for a spec that chose Secrets Manager (`secretsBackend: secretsManager`),
against a real Secrets Manager API on loopback (moto's server), read back with boto3 and with Airflow's
own SecretsManagerBackend; for a spec that chose SSM it is `ssm push`, and `ssm push` refuses a spec
that chose Secrets Manager (AS506). Ownership and failures midway: tests/security/test_secrets_push_ownership.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from helpers import SEED_SECRETS, secrets_manager_spec
from test_ssm_push import CANARIES, MWAA, SEED, _assert_no_canary, _declared, _push, _stored, aws_env, boto3, endpoint
from typer.testing import CliRunner

from airflowspec import api
from airflowspec.cli import app

__all__ = ["aws_env", "endpoint"]  # the fixtures, shared with tests/test_ssm_push.py

OURS = [{"Key": "airflowspec:environment", "Value": "data-platform"}]  # SEED's name


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    """The seed spec with `secretsBackend: secretsManager` appended (line 74), default prefixes."""
    return secrets_manager_spec(SEED, tmp_path)


def push(spec: Path, env: dict[str, str], *flags: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "airflowspec", "secrets", "push", str(spec), *flags]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def client(env: dict[str, str], region: str = "eu-central-1") -> Any:
    return boto3.client(
        "secretsmanager",
        endpoint_url=env["AWS_ENDPOINT_URL"],
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def stored(env: dict[str, str], deleted: bool = False) -> dict[str, str | None]:
    """Every secret's current text; with `deleted`, also those scheduled for deletion (as None)."""
    secrets = client(env)
    found: dict[str, str | None] = {}
    for page in secrets.get_paginator("list_secrets").paginate(IncludePlannedDeletion=True):
        for meta in page["SecretList"]:
            if meta.get("DeletedDate"):
                if deleted:
                    found[meta["Name"]] = None
                continue
            found[meta["Name"]] = secrets.get_secret_value(SecretId=meta["Name"]).get("SecretString")
    return found


def tags(env: dict[str, str], name: str) -> list[dict[str, str]]:
    return list(client(env).describe_secret(SecretId=name).get("Tags", []))


def test_push_writes_every_secret_with_its_value_and_tag(seed: Path, aws_env: dict[str, str]) -> None:
    result = push(seed, aws_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        *(f"created {name}" for name in SEED_SECRETS),
        "6 created, 0 updated, 0 unchanged, 0 deleted",
    ]
    _assert_no_canary(result.stdout, result.stderr)
    secrets = stored(aws_env)
    assert sorted(secrets) == sorted(SEED_SECRETS)
    assert json.loads(secrets["airflow/connections/warehouse"] or "")["password"] == CANARIES["WAREHOUSE_PASSWORD"]
    assert secrets["airflow/variables/slack_token"] == CANARIES["SLACK_TOKEN"]
    assert secrets["airflow/variables/retention_days"] == "30"
    assert all(tags(aws_env, name) == OURS for name in SEED_SECRETS)
    assert _stored(aws_env) == {}  # nothing in SSM


def test_a_second_push_changes_nothing(seed: Path, aws_env: dict[str, str]) -> None:
    assert push(seed, aws_env).returncode == 0
    assert push(seed, aws_env).stdout.splitlines()[-1] == "0 created, 0 updated, 6 unchanged, 0 deleted"


def test_an_update_is_a_new_version_and_keeps_the_old_one(seed: Path, aws_env: dict[str, str]) -> None:
    assert push(seed, aws_env).returncode == 0
    result = push(seed, aws_env | {"SLACK_TOKEN": "xoxb-rotated"})
    assert result.stdout.splitlines()[-2:] == [
        "updated airflow/variables/slack_token",
        "0 created, 1 updated, 5 unchanged, 0 deleted",
    ]
    assert "xoxb-rotated" not in result.stdout + result.stderr
    previous = client(aws_env).get_secret_value(SecretId="airflow/variables/slack_token", VersionStage="AWSPREVIOUS")
    assert previous["SecretString"] == CANARIES["SLACK_TOKEN"]
    assert stored(aws_env)["airflow/variables/slack_token"] == "xoxb-rotated"


def test_prune_schedules_deletion_and_a_secret_back_in_the_spec_is_restored(
    seed: Path, aws_env: dict[str, str]
) -> None:
    assert push(seed, aws_env).returncode == 0
    full = seed.read_text(encoding="utf-8")
    seed.write_text(full.replace("  retention_days: 30\n", ""), encoding="utf-8")
    assert push(seed, aws_env).stdout.splitlines()[-1] == "0 created, 0 updated, 5 unchanged, 0 deleted"
    pruned = push(seed, aws_env, "--prune")
    assert pruned.stdout.splitlines()[-2:] == [
        "deleted airflow/variables/retention_days",
        "0 created, 0 updated, 5 unchanged, 1 deleted",
    ]
    assert stored(aws_env, deleted=True)["airflow/variables/retention_days"] is None  # scheduled, restorable
    assert push(seed, aws_env, "--prune").stdout.splitlines()[-1] == "0 created, 0 updated, 5 unchanged, 0 deleted"
    seed.write_text(full.replace("retention_days: 30", "retention_days: 45"), encoding="utf-8")
    dry = push(seed, aws_env, "--dry-run")
    assert "would be restored airflow/variables/retention_days, which was scheduled for deletion" in dry.stdout
    restored = push(seed, aws_env)
    assert restored.returncode == 0, restored.stderr
    lines = restored.stdout.splitlines()
    assert "restored airflow/variables/retention_days, which was scheduled for deletion" in lines
    assert lines[-1] == "0 created, 0 updated, 1 restored, 5 unchanged, 0 deleted"
    assert stored(aws_env)["airflow/variables/retention_days"] == "45"


def test_a_missing_secret_stops_the_push_before_any_write(seed: Path, aws_env: dict[str, str]) -> None:
    env = {key: value for key, value in aws_env.items() if key != "WAREHOUSE_PASSWORD"}
    result = push(seed, env)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"{seed}:49:10: error AS501 cannot read secret 'warehouse-password': environment variable "
        "WAREHOUSE_PASSWORD is not set; set it before pushing"
    )
    assert stored(aws_env, deleted=True) == {}


def test_values_ssm_refuses_are_pushed_to_secrets_manager(seed: Path, aws_env: dict[str, str]) -> None:
    """Jinja text and a value over SSM's 8 KB: each store is held to its own limits, not the other's."""
    big = "b" * 9000
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace("variables:\n", f"variables:\n  template: '{{{{ ds }}}}'\n  big: {big}\n"), "utf-8")
    result = push(seed, aws_env)
    assert result.returncode == 0, result.stderr
    assert stored(aws_env)["airflow/variables/template"] == "{{ ds }}"
    assert stored(aws_env)["airflow/variables/big"] == big


def test_dry_run_with_credentials_compares_and_writes_nothing(seed: Path, aws_env: dict[str, str]) -> None:
    result = push(seed, aws_env, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        *(f"would be created {name}" for name in SEED_SECRETS),
        "6 would be created, 0 would be updated, 0 unchanged, 0 would be deleted",
    ]
    _assert_no_canary(result.stdout, result.stderr)
    assert stored(aws_env, deleted=True) == {}


def test_dry_run_without_credentials_or_secrets_lists_and_prints_no_value(
    seed: Path, aws_env: dict[str, str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.write_text("", encoding="utf-8")
    offline = {k: v for k, v in aws_env.items() if not k.startswith("AWS_ACCESS") and not k.startswith("AWS_SECRET")}
    offline = {k: v for k, v in offline.items() if k != "SLACK_TOKEN"}
    offline |= {"AWS_CONFIG_FILE": str(empty), "AWS_SHARED_CREDENTIALS_FILE": str(empty)}
    result = push(seed, offline | {"AWS_EC2_METADATA_DISABLED": "true"}, "--dry-run")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        *(f"would be written {name}" for name in SEED_SECRETS[:-1]),
        "would be written airflow/variables/slack_token, value missing: secret 'slack-token'",
        "6 would be written, not compared with Secrets Manager; 1 with a value missing",
    ]
    assert [line for line in result.stderr.splitlines() if " AS4" not in line] == [
        f"{seed}:52:10: error AS501 cannot read secret 'slack-token': environment variable SLACK_TOKEN is not set; "
        "set it before pushing",
        f"{seed}:66:5: warning AS505 could not compare with Secrets Manager: no AWS credentials were found; each "
        "secret is listed as a push would write it",
    ]
    _assert_no_canary(result.stdout, result.stderr)
    assert "<secret:" not in result.stdout + result.stderr


READ_BACK = textwrap.dedent(
    """
    import json, sys
    from airflow.providers.amazon.aws.secrets.secrets_manager import SecretsManagerBackend
    args = json.loads(sys.argv[1])
    backend = SecretsManagerBackend(**args["kwargs"])
    out = {"connections": {}, "variables": {}, "values": {}}
    for conn_id in args["connections"]:
        c = backend.get_connection(conn_id)
        out["connections"][conn_id] = {
            "conn_type": c.conn_type, "description": c.description, "host": c.host, "port": c.port,
            "schema": c.schema, "login": c.login, "password": c.password, "extra": c.extra_dejson,
        }
        out["values"][conn_id] = backend.get_conn_value(conn_id)
    for key in args["variables"]:
        out["variables"][key] = backend.get_variable(key)
    print(json.dumps(out))
    """
)


def _read_back(spec_file: Path, env: dict[str, str], home: Path) -> dict[str, Any]:
    """What Airflow's SecretsManagerBackend reads, built from the rendered template's backend_kwargs."""
    probe = subprocess.run([sys.executable, "-c", "import airflow.providers.amazon"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("needs apache-airflow-core and apache-airflow-providers-amazon (the integration extra)")
    from ruamel.yaml import YAML

    validation, artifacts = api.render(spec_file, "mwaa")
    spec = validation.spec
    assert spec is not None
    template = YAML(typ="safe").load(next(a.text for a in artifacts if a.path == "template.yaml"))
    options = template["Resources"]["Environment"]["Properties"]["AirflowConfigurationOptions"]
    assert options["secrets.backend"] == "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend"
    kwargs = json.loads(options["secrets.backend_kwargs"]) | {
        "endpoint_url": env["AWS_ENDPOINT_URL"],
        "region_name": "eu-central-1",
    }
    args = {"kwargs": kwargs, "connections": list(spec.connections), "variables": list(spec.variables)}
    airflow_env = env | {"AIRFLOW_HOME": str(home), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    result = subprocess.run(
        [sys.executable, "-c", READ_BACK, json.dumps(args)], env=airflow_env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return dict(json.loads(result.stdout.splitlines()[-1]))


@pytest.mark.parametrize("source", [SEED, MWAA], ids=["seed", "mwaa"])
def test_airflows_secrets_manager_backend_reads_back_what_the_spec_declares(
    source: Path, aws_env: dict[str, str], tmp_path: Path
) -> None:
    spec_file = secrets_manager_spec(source, tmp_path)
    assert push(spec_file, aws_env).returncode == 0
    read = _read_back(spec_file, aws_env, tmp_path)
    spec = api.validate(spec_file).spec
    assert spec is not None
    declared = _declared(spec)
    # Airflow's SecretsManagerBackend keeps only conn_type, host, port, schema, login, password and extra of
    # a connection's JSON form (its `_standardize_secret_keys`): a description does not reach Airflow.
    for fields in declared["connections"].values():
        fields["description"] = None
    assert {key: read[key] for key in ("connections", "variables")} == declared


def test_a_connection_kept_whole_as_a_uri_reaches_airflow_as_written(aws_env: dict[str, str], tmp_path: Path) -> None:
    spec_file = secrets_manager_spec(MWAA, tmp_path)
    uri = "dbt-cloud://70403103:p%40ss%2Fw%3Ard@cloud.getdbt.com/?account_id=1"
    assert push(spec_file, aws_env | {"DBT_CLOUD_CONNECTION": uri}).returncode == 0
    read = _read_back(spec_file, aws_env | {"DBT_CLOUD_CONNECTION": uri}, tmp_path)
    assert read["values"]["dbt_cloud_default"] == uri
    assert read["connections"]["dbt_cloud_default"]["password"] == "p@ss/w:rd"
    assert read["connections"]["dbt_cloud_default"]["conn_type"] == "dbt_cloud"


# --- which command writes which store ------------------------------------------------------------


@pytest.mark.parametrize("flags", [(), ("--dry-run",)])
def test_ssm_push_refuses_a_spec_that_chose_secrets_manager(
    seed: Path, aws_env: dict[str, str], flags: tuple[str, ...]
) -> None:
    result = _push(seed, aws_env, *flags)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        f"{seed}:74:21: error AS506 the spec keeps connections and variables in Secrets Manager, where `ssm push` "
        "does not write; run `airflowspec secrets push`, which writes to the store the spec chose"
    )
    assert _stored(aws_env) == {}
    assert stored(aws_env, deleted=True) == {}


def test_secrets_push_of_an_ssm_spec_is_ssm_push(aws_env: dict[str, str]) -> None:
    result = push(SEED, aws_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "created /airflow/connections/warehouse (SecureString)"
    assert result.stdout.splitlines()[-1] == "6 created, 0 updated, 0 unchanged, 0 deleted"
    assert len(_stored(aws_env)) == 6
    assert stored(aws_env, deleted=True) == {}
    assert _push(SEED, aws_env).stdout.splitlines()[-1] == "0 created, 0 updated, 6 unchanged, 0 deleted"


def test_a_secret_lands_in_the_region_the_aws_cli_would_use(seed: Path, aws_env: dict[str, str]) -> None:
    result = push(seed, aws_env | {"AWS_REGION": "eu-west-2"}, "--region", "eu-west-1")
    assert result.returncode == 0, result.stderr
    assert client(aws_env, "eu-west-1").list_secrets()["SecretList"]
    assert not client(aws_env, "eu-west-2").list_secrets()["SecretList"]
    assert stored(aws_env, deleted=True) == {}  # nothing in AWS_DEFAULT_REGION either


def test_an_unreachable_endpoint_is_one_line_and_exit_2(seed: Path, aws_env: dict[str, str]) -> None:
    result = push(seed, aws_env | {"AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_MAX_ATTEMPTS": "1"})
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].startswith(f"{seed}: error AS503 cannot reach Secrets Manager: ")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("url", ["not a url", "http://[::1", "http://127.0.0.1:99999"])
def test_an_invalid_endpoint_url_names_the_secrets_manager_variable(
    seed: Path, aws_env: dict[str, str], url: str
) -> None:
    result = push(seed, aws_env | {"AWS_ENDPOINT_URL": url})
    assert result.returncode == 2, result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"{seed}: error AS503 the Secrets Manager endpoint URL is not valid: ")
    assert last.endswith("; check AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SECRETS_MANAGER or the profile's endpoint_url")


def test_help_says_which_store_it_writes() -> None:
    result = CliRunner().invoke(app, ["secrets", "push", "--help"], env={"COLUMNS": "100"})
    text = " ".join(result.stdout.split())
    assert "`targets.mwaa.secretsBackend` chooses: ssm (the default) writes SSM parameters" in text
    assert "--dry-run writes nothing and needs neither the secrets nor AWS credentials" in text
