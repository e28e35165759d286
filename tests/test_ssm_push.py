"""`airflowspec ssm push` against a real SSM API on loopback (moto's server), read back with boto3 and,
where apache-airflow-core and the Amazon provider are installed, with Airflow's own SSM backend."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES

from airflowspec import api
from airflowspec.spec import SecretRef, Spec

moto_server = pytest.importorskip("moto.server", reason="needs moto[server] (the test extra)")
boto3 = pytest.importorskip("boto3", reason="needs boto3 (the aws extra)")

SEED = EXAMPLES / "seed" / "airflowspec.yaml"
MWAA = EXAMPLES / "mwaa" / "airflowspec.yaml"
# Values with every character that a URI form would have to escape, and JSON would have to quote.
CANARIES = {
    "WAREHOUSE_PASSWORD": 'p@ss/w:rd%2F?#&"quoted" \\ end',
    "SLACK_TOKEN": "xoxb-canary-1111",
    "SNOWFLAKE_PASSWORD": "sn0w@flake/:%",
    "SLACK_API_TOKEN": "xoxb-canary-2222",
    "SLACK_WEBHOOK_TOKEN": "T000/B000/canary",
    "REPORTING_USER": "report@er",
    "REPORTING_PASSWORD": 'r3p:rt/%40","host":"evil.example\nline two $(id) ${HOME}',
    "DBT_CLOUD_CONNECTION": json.dumps(
        {"conn_type": "dbt_cloud", "login": "70403103", "password": 'dbt"cloud\\token\n', "extra": {"a": [1]}}
    ),
}


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws_env(endpoint: str) -> dict[str, str]:
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")).close()
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    return env | {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-central-1",
        **CANARIES,
    }


def _push(spec: Path, env: dict[str, str], *flags: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "airflowspec", "ssm", "push", str(spec), *flags]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def _stored(env: dict[str, str]) -> dict[str, tuple[str, str]]:
    client = _client(env)
    found = {}
    for page in client.get_paginator("describe_parameters").paginate():
        for meta in page["Parameters"]:
            value = client.get_parameter(Name=meta["Name"], WithDecryption=True)["Parameter"]["Value"]
            found[meta["Name"]] = (meta["Type"], value)
    return found


def _assert_no_canary(*texts: str) -> None:
    for text in texts:
        for value in CANARIES.values():
            assert value not in text


def test_push_writes_every_parameter_with_its_secrets(aws_env: dict[str, str]) -> None:
    result = _push(SEED, aws_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "created /airflow/connections/warehouse (SecureString)",
        "created /airflow/variables/environment (String)",
        "created /airflow/variables/data_bucket (String)",
        "created /airflow/variables/retention_days (String)",
        "created /airflow/variables/alert_channels (String)",
        "created /airflow/variables/slack_token (SecureString)",
        "6 created, 0 updated, 0 unchanged, 0 deleted",
    ]
    _assert_no_canary(result.stdout, result.stderr)
    stored = _stored(aws_env)
    assert json.loads(stored["/airflow/connections/warehouse"][1])["password"] == CANARIES["WAREHOUSE_PASSWORD"]
    assert stored["/airflow/variables/slack_token"] == ("SecureString", CANARIES["SLACK_TOKEN"])
    assert stored["/airflow/variables/retention_days"] == ("String", "30")


def test_a_second_push_changes_nothing(aws_env: dict[str, str]) -> None:
    assert _push(SEED, aws_env).returncode == 0
    result = _push(SEED, aws_env)
    assert result.stdout.splitlines()[-1] == "0 created, 0 updated, 6 unchanged, 0 deleted"


def test_a_changed_secret_updates_only_its_parameter(aws_env: dict[str, str]) -> None:
    assert _push(SEED, aws_env).returncode == 0
    result = _push(SEED, aws_env | {"SLACK_TOKEN": "xoxb-rotated"})
    assert "updated /airflow/variables/slack_token (SecureString)" in result.stdout
    assert result.stdout.splitlines()[-1] == "0 created, 1 updated, 5 unchanged, 0 deleted"
    assert "xoxb-rotated" not in result.stdout + result.stderr


def test_prune_deletes_what_the_spec_no_longer_has(aws_env: dict[str, str], tmp_path: Path) -> None:
    assert _push(SEED, aws_env).returncode == 0
    smaller = tmp_path / "airflowspec.yaml"
    smaller.write_text(SEED.read_text().replace("  retention_days: 30\n", ""), encoding="utf-8")
    assert "/airflow/variables/retention_days" in _stored(aws_env)
    kept = _push(smaller, aws_env)
    assert kept.stdout.splitlines()[-1] == "0 created, 0 updated, 5 unchanged, 0 deleted"
    pruned = _push(smaller, aws_env, "--prune")
    assert "deleted /airflow/variables/retention_days" in pruned.stdout.splitlines()
    assert "/airflow/variables/retention_days" not in _stored(aws_env)


def test_dry_run_writes_nothing(aws_env: dict[str, str]) -> None:
    result = _push(SEED, aws_env, "--dry-run")
    assert result.returncode == 0
    assert "would be created" in result.stdout
    assert _stored(aws_env) == {}


def test_a_missing_secret_stops_the_push_before_any_write(aws_env: dict[str, str]) -> None:
    env = {key: value for key, value in aws_env.items() if key != "WAREHOUSE_PASSWORD"}
    result = _push(SEED, env)
    assert result.returncode == 1
    assert (
        f"{SEED}:49:10: error AS501 cannot read secret 'warehouse-password': environment variable "
        "WAREHOUSE_PASSWORD is not set; set it before pushing"
    ) in result.stderr.splitlines()
    assert _stored(aws_env) == {}


def test_an_unreachable_endpoint_is_one_line_and_exit_2(aws_env: dict[str, str]) -> None:
    result = _push(SEED, aws_env | {"AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_MAX_ATTEMPTS": "1"})
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].startswith(f"{SEED}: error AS503 cannot reach SSM: ")
    assert "Traceback" not in result.stderr


READ_BACK = textwrap.dedent(
    """
    import json, sys
    from airflow.providers.amazon.aws.secrets.systems_manager import SystemsManagerParameterStoreBackend
    args = json.loads(sys.argv[1])
    backend = SystemsManagerParameterStoreBackend(**args["kwargs"])
    out = {"connections": {}, "variables": {}}
    for conn_id in args["connections"]:
        c = backend.get_connection(conn_id)
        out["connections"][conn_id] = {
            "conn_type": c.conn_type, "description": c.description, "host": c.host, "port": c.port,
            "schema": c.schema, "login": c.login, "password": c.password, "extra": c.extra_dejson,
        }
    for key in args["variables"]:
        out["variables"][key] = backend.get_variable(key)
    print(json.dumps(out))
    """
)


@pytest.mark.parametrize("spec_file", [SEED, MWAA], ids=["seed", "mwaa"])
def test_airflows_ssm_backend_reads_back_what_the_spec_declares(
    spec_file: Path, aws_env: dict[str, str], tmp_path: Path
) -> None:
    probe = subprocess.run([sys.executable, "-c", "import airflow.providers.amazon"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("needs apache-airflow-core and apache-airflow-providers-amazon (the integration extra)")
    assert _push(spec_file, aws_env).returncode == 0
    spec = api.validate(spec_file).spec
    assert spec is not None and spec.targets.mwaa is not None
    args = {
        "kwargs": {
            "connections_prefix": spec.targets.mwaa.ssm.connections_prefix,
            "variables_prefix": spec.targets.mwaa.ssm.variables_prefix,
            "endpoint_url": aws_env["AWS_ENDPOINT_URL"],
            "region_name": "eu-central-1",
        },
        "connections": list(spec.connections),
        "variables": list(spec.variables),
    }
    env = aws_env | {"AIRFLOW_HOME": str(tmp_path), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    result = subprocess.run(
        [sys.executable, "-c", READ_BACK, json.dumps(args)], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    read = json.loads(result.stdout.splitlines()[-1])
    assert read == _declared(spec)


def _declared(spec: Spec) -> dict[str, Any]:
    secrets = {name: CANARIES[secret.env] for name, secret in spec.secrets.items() if secret.env in CANARIES}

    def value(item: Any) -> Any:
        if isinstance(item, SecretRef):
            return secrets[item.secret]
        if isinstance(item, dict):
            return {key: value(inner) for key, inner in item.items()}
        return item

    connections = {
        conn_id: {
            "conn_type": conn.type,
            "description": conn.description,
            "host": value(conn.host),
            "port": conn.port,
            "schema": value(conn.schema_),
            "login": value(conn.login),
            "password": value(conn.password),
            "extra": value(conn.extra) or {},
        }
        for conn_id, conn in spec.field_connections().items()
    }
    for conn_id, ref in spec.secret_connections().items():  # Airflow's JSON form, as the secret holds it
        held = json.loads(secrets[ref.secret])
        fields = ("conn_type", "description", "host", "port", "schema", "login", "password")
        connections[conn_id] = {field: held.get(field) for field in fields} | {"extra": held.get("extra", {})}
    variables = {
        key: item
        if isinstance(item, str)
        else secrets[item.secret]
        if isinstance(item, SecretRef)
        else json.dumps(item, separators=(",", ":"))
        for key, item in spec.variables.items()
    }
    return {"connections": connections, "variables": variables}


@pytest.mark.parametrize("target", ["eks", "mwaa"])
def test_rendering_never_reads_a_secrets_value(target: str, aws_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "airflowspec", "render", str(SEED), "--target", target, "-o", str(out)]
    result = subprocess.run(command, env=aws_env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    _assert_no_canary(result.stdout, result.stderr, *(path.read_text() for path in out.iterdir()))


def _client(env: dict[str, str]) -> Any:
    return boto3.client(
        "ssm",
        endpoint_url=env["AWS_ENDPOINT_URL"],
        region_name="eu-central-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def test_prune_leaves_parameters_it_did_not_write(aws_env: dict[str, str]) -> None:
    client = _client(aws_env)
    client.put_parameter(Name="/airflow/variables/made_by_hand", Value="keep", Type="String")
    tag = [{"Key": "airflowspec:environment", "Value": "other-environment"}]
    client.put_parameter(Name="/airflow/connections/other_env", Value="{}", Type="String", Tags=tag)
    result = _push(SEED, aws_env, "--prune")
    assert result.returncode == 0, result.stderr
    assert not any(line.startswith("deleted") for line in result.stdout.splitlines())
    assert {"/airflow/variables/made_by_hand", "/airflow/connections/other_env"} <= set(_stored(aws_env))


def test_a_type_change_rewrites_the_parameter(aws_env: dict[str, str]) -> None:
    tag = [{"Key": "airflowspec:environment", "Value": "data-platform"}]  # this environment's (the seed's name)
    _client(aws_env).put_parameter(Name="/airflow/variables/slack_token", Value="plain", Type="String", Tags=tag)
    result = _push(SEED, aws_env)
    assert "updated /airflow/variables/slack_token (String -> SecureString)" in result.stdout.splitlines()
    assert _stored(aws_env)["/airflow/variables/slack_token"] == ("SecureString", CANARIES["SLACK_TOKEN"])


def test_an_empty_secret_counts_as_missing(aws_env: dict[str, str]) -> None:
    result = _push(SEED, aws_env | {"SLACK_TOKEN": ""})
    assert result.returncode == 1
    assert "environment variable SLACK_TOKEN is empty" in result.stderr
    assert _stored(aws_env) == {}


@pytest.mark.parametrize("value", ["not a connection", '{"host": "db"}', '["conn_type"]', "{" * 5000, "x:/y"])
def test_a_connection_kept_in_a_secret_must_be_one_airflow_reads(aws_env: dict[str, str], value: str) -> None:
    result = _push(MWAA, aws_env | {"DBT_CLOUD_CONNECTION": value})
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"{MWAA}:58:22: error AS502 secret 'dbt-cloud-connection' holds connection 'dbt_cloud_default', but its "
        "value is neither Airflow's JSON form (an object with `conn_type`) nor a connection URI; write it as "
        '{"conn_type": "postgres", "host": ..., "password": ...} or postgres://user:pass@host'
    )
    assert value not in result.stdout + result.stderr
    assert _stored(aws_env) == {}


PRIVATE_INDEX = EXAMPLES / "private-index" / "airflowspec.yaml"
#: An `aws` for startup.sh: `ssm get-parameter` answered from the store (moto's), as the CLI prints it.
_AWS_CLI = """\
#!{python}
import sys, boto3
words = sys.argv[1:]
if words[:2] != ["ssm", "get-parameter"] or "--with-decryption" not in words:
    sys.exit("unexpected: " + " ".join(words))
name = words[words.index("--name") + 1]
print(boto3.client("ssm").get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"])
"""


def test_an_index_password_is_pushed_encrypted_and_read_by_startup_sh(aws_env: dict[str, str], tmp_path: Path) -> None:
    canary = "nexus-canary-Pw9"
    env = aws_env | {"NEXUS_PASSWORD": canary}
    result = _push(PRIVATE_INDEX, env)
    assert result.returncode == 0, result.stderr
    assert "created /airflowspec/orders/package-index/nexus-password (SecureString)" in result.stdout.splitlines()
    assert canary not in result.stdout + result.stderr
    assert _stored(env)["/airflowspec/orders/package-index/nexus-password"] == ("SecureString", canary)
    _, artifacts = api.render(PRIVATE_INDEX, "mwaa")
    script = tmp_path / "startup.sh"
    script.write_text(next(a.text for a in artifacts if a.path == "startup.sh"), encoding="utf-8")
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    (bin_folder / "aws").write_text(_AWS_CLI.format(python=sys.executable), encoding="utf-8")
    (bin_folder / "aws").chmod(0o755)
    probe = f'source {script} 2>/dev/null; printf "%s" "$PIP_INDEX_URL"'
    run_env = env | {"PATH": f"{bin_folder}:{env['PATH']}"}
    sourced = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, env=run_env, check=False)
    assert sourced.stdout == f"https://airflow-deploy:{canary}@nexus.acme.example/repository/pypi-proxy/simple/"


def test_prune_deletes_an_index_credential_the_spec_no_longer_has(aws_env: dict[str, str], tmp_path: Path) -> None:
    env = aws_env | {"NEXUS_PASSWORD": "nexus-canary-Pw9"}
    assert _push(PRIVATE_INDEX, env).returncode == 0
    without = tmp_path / "airflowspec.yaml"
    text = PRIVATE_INDEX.read_text(encoding="utf-8")
    without.write_text(text.replace("  password: {secret: nexus-password}\n", ""), encoding="utf-8")
    result = _push(without, env, "--prune")
    assert result.returncode == 0, result.stderr
    assert "deleted /airflowspec/orders/package-index/nexus-password" in result.stdout.splitlines()
    assert "/airflowspec/orders/package-index/nexus-password" not in _stored(env)


def test_an_index_credential_a_url_cannot_carry_is_refused_unquoted(aws_env: dict[str, str]) -> None:
    value = "pa/ss@word-canary"  # `/` and `@` would cut the URL: pip would print the pieces
    result = _push(PRIVATE_INDEX, aws_env | {"NEXUS_PASSWORD": value})
    assert result.returncode == 1
    assert (
        f"{PRIVATE_INDEX}:23:13: error AS507 secret 'nexus-password' holds a character a URL cannot carry as "
        "written; percent-encode it as it goes into a URL (`/` as %2F, `@` as %40, `:` as %3A)"
    ) in result.stdout + result.stderr
    assert value not in result.stdout + result.stderr
    assert _stored(aws_env) == {}
