"""`ssm push --dry-run` says what a push would do without the secrets' values or AWS credentials
(issue 11, item 20): it lists every parameter (a missing secret's named, never a value), reads SSM
only when there are credentials and a region, and says in one warning (AS505) why it did not. A
missing secret is still an AS501 error (exit 1): the push would stop on it. A real push is unchanged:
every secret and credentials before any write.

The real CLI runs in a subprocess against moto's server on loopback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_ssm_push import CANARIES, MWAA, SEED, _assert_no_canary, _client, _push, _stored, aws_env, endpoint
from typer.testing import CliRunner

from airflowspec.cli import app

__all__ = ["aws_env", "endpoint"]  # the fixtures, shared with tests/test_ssm_push.py

OURS = [{"Key": "airflowspec:environment", "Value": "data-platform"}]  # SEED's name
WAREHOUSE = "/airflow/connections/warehouse"
SLACK = "/airflow/variables/slack_token"
UNREAD = [
    f"{SEED}:49:10: error AS501 cannot read secret 'warehouse-password': environment variable WAREHOUSE_PASSWORD "
    "is not set; set it before pushing",
    f"{SEED}:52:10: error AS501 cannot read secret 'slack-token': environment variable SLACK_TOKEN is not set; "
    "set it before pushing",
]
LISTED = [
    f"would be written {WAREHOUSE} (SecureString), value missing: secret 'warehouse-password'",
    "would be written /airflow/variables/environment (String)",
    "would be written /airflow/variables/data_bucket (String)",
    "would be written /airflow/variables/retention_days (String)",
    "would be written /airflow/variables/alert_channels (String)",
    f"would be written {SLACK} (SecureString), value missing: secret 'slack-token'",
]
NO_CREDENTIALS = (
    f"{SEED}:66:5: warning AS505 could not compare with SSM: no AWS credentials were found; each parameter is listed "
    "as a push would write it"
)


def _without(env: dict[str, str], *names: str) -> dict[str, str]:
    return {key: value for key, value in env.items() if key not in names}


@pytest.fixture
def offline(aws_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """No AWS credentials anywhere botocore looks (no keys, empty files, no instance metadata), and
    none of the secrets; the region and moto's endpoint stay, so a request would reach moto."""
    config, credentials = tmp_path / "config", tmp_path / "credentials"
    config.write_text("", encoding="utf-8")
    credentials.write_text("", encoding="utf-8")
    env = _without(aws_env, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", *CANARIES)
    return env | {
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def _stderr_diagnostics(stderr: str) -> list[str]:
    """stderr without the spec's own validation warnings (AS4xx), which every MWAA command prints."""
    return [line for line in stderr.splitlines() if " AS4" not in line]


def test_without_secrets_or_credentials_it_lists_what_would_be_written(offline: dict[str, str]) -> None:
    result = _push(SEED, offline, "--dry-run")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [*LISTED, "6 would be written, not compared with SSM; 2 with a value missing"]
    assert _stderr_diagnostics(result.stderr) == [*UNREAD, NO_CREDENTIALS]


def test_without_credentials_but_with_every_secret_it_lists_and_exits_0(
    offline: dict[str, str], aws_env: dict[str, str]
) -> None:
    result = _push(SEED, offline | CANARIES, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        *(line.split(", value missing")[0] for line in LISTED),
        "6 would be written, not compared with SSM",
    ]
    assert _stderr_diagnostics(result.stderr) == [NO_CREDENTIALS]
    _assert_no_canary(result.stdout, result.stderr)
    assert _stored(aws_env) == {}


def test_a_missing_secret_names_it_and_prints_no_other_value(offline: dict[str, str]) -> None:
    present = {key: value for key, value in CANARIES.items() if key != "SLACK_TOKEN"}
    result = _push(SEED, offline | present, "--dry-run")
    assert result.returncode == 1
    assert result.stdout.splitlines()[-2:] == [
        LISTED[-1],
        "6 would be written, not compared with SSM; 1 with a value missing",
    ]
    assert _stderr_diagnostics(result.stderr) == [UNREAD[1], NO_CREDENTIALS]
    _assert_no_canary(result.stdout, result.stderr)
    assert "<secret:" not in result.stdout + result.stderr  # the placeholder is no value either


def test_prune_without_credentials_says_deletions_are_not_listed(offline: dict[str, str]) -> None:
    result = _push(SEED, offline | CANARIES, "--dry-run", "--prune")
    assert result.returncode == 0, result.stderr
    assert _stderr_diagnostics(result.stderr) == [f"{NO_CREDENTIALS}, and none that --prune would delete"]


def test_with_credentials_but_no_region_it_lists_and_says_so(aws_env: dict[str, str], offline: dict[str, str]) -> None:
    env = _without(offline, "AWS_DEFAULT_REGION") | {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "x"}
    result = _push(SEED, env | CANARIES, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert _stderr_diagnostics(result.stderr) == [
        f"{SEED}:66:5: warning AS505 could not compare with SSM: no AWS region is set (--region, AWS_REGION, "
        "AWS_DEFAULT_REGION or the profile's region); each parameter is listed as a push would write it"
    ]
    assert result.stdout.splitlines()[-1] == "6 would be written, not compared with SSM"


def test_with_credentials_it_compares_even_when_secrets_are_missing(aws_env: dict[str, str]) -> None:
    client = _client(aws_env)
    client.put_parameter(Name="/airflow/variables/environment", Value="production", Type="String", Tags=OURS)
    client.put_parameter(Name=SLACK, Value="old", Type="SecureString", Tags=OURS)
    result = _push(SEED, _without(aws_env, "WAREHOUSE_PASSWORD", "SLACK_TOKEN"), "--dry-run")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"would be created {WAREHOUSE} (SecureString), value missing: secret 'warehouse-password'",
        "unchanged /airflow/variables/environment (String)",
        "would be created /airflow/variables/data_bucket (String)",
        "would be created /airflow/variables/retention_days (String)",
        "would be created /airflow/variables/alert_channels (String)",
        f"would be written {SLACK} (SecureString), value missing: secret 'slack-token'",
        "4 would be created, 0 would be updated, 1 unchanged, 0 would be deleted, 1 would be written (not compared); "
        "2 with a value missing",
    ]
    assert _stderr_diagnostics(result.stderr) == UNREAD
    _assert_no_canary(result.stdout, result.stderr)
    assert "old" not in result.stdout
    assert _stored(aws_env) == {
        "/airflow/variables/environment": ("String", "production"),
        SLACK: ("SecureString", "old"),
    }


def test_a_missing_value_whose_type_changes_is_compared_by_type(aws_env: dict[str, str]) -> None:
    _client(aws_env).put_parameter(Name=SLACK, Value="old", Type="String", Tags=OURS)
    result = _push(SEED, _without(aws_env, "SLACK_TOKEN"), "--dry-run")
    assert result.returncode == 1
    assert f"would be updated {SLACK} (String -> SecureString), value missing: secret 'slack-token'" in (
        result.stdout.splitlines()
    )


def test_another_owners_parameter_is_still_refused_with_the_missing_secrets(aws_env: dict[str, str]) -> None:
    other = [{"Key": "airflowspec:environment", "Value": "analytics"}]
    _client(aws_env).put_parameter(Name=SLACK, Value="old", Type="String", Tags=other)
    result = _push(SEED, _without(aws_env, "WAREHOUSE_PASSWORD", "SLACK_TOKEN"), "--dry-run")
    assert result.returncode == 1
    assert result.stdout == ""
    assert _stderr_diagnostics(result.stderr) == [
        f"{SEED}:32:3: error AS504 SSM parameter {SLACK} belongs to another environment 'analytics', so push "
        "will not change it; pass --adopt to take it over",
        *UNREAD,
    ]


def test_with_credentials_and_secrets_a_dry_run_compares_as_before(aws_env: dict[str, str]) -> None:
    result = _push(SEED, aws_env, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "6 would be created, 0 would be updated, 0 unchanged, 0 would be deleted"
    assert _stderr_diagnostics(result.stderr) == []


def test_a_secret_connection_that_is_not_set_is_listed_not_refused(offline: dict[str, str]) -> None:
    result = _push(MWAA, offline, "--dry-run")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert (
        "would be written /analytics-prod/connections/dbt_cloud_default (SecureString), value missing: "
        "secret 'dbt-cloud-connection'"
    ) in lines
    assert (
        "would be written /analytics-prod/connections/reporting_db (SecureString), value missing: "
        "secrets 'reporting-user', 'reporting-password'"
    ) in lines
    assert lines[-1] == "9 would be written, not compared with SSM; 5 with a value missing"
    assert " AS502 " not in result.stderr


def test_a_profile_that_does_not_exist_is_an_error_not_a_listing(offline: dict[str, str]) -> None:
    result = _push(SEED, offline | CANARIES, "--dry-run", "--profile", "nowhere")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        f"{SEED}: error AS503 no AWS credentials: The config profile (nowhere) could not be found"
    )


# --- a real push is unchanged --------------------------------------------------------------------


def test_a_real_push_without_secrets_still_stops_before_any_write(aws_env: dict[str, str]) -> None:
    result = _push(SEED, _without(aws_env, "WAREHOUSE_PASSWORD", "SLACK_TOKEN"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert _stderr_diagnostics(result.stderr) == UNREAD
    assert _stored(aws_env) == {}


def test_a_real_push_without_credentials_is_an_error(offline: dict[str, str], aws_env: dict[str, str]) -> None:
    result = _push(SEED, offline | CANARIES)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == f"{SEED}: error AS503 no AWS credentials: Unable to locate credentials"
    assert _stored(aws_env) == {}


def test_help_says_what_a_dry_run_needs_and_where_the_region_comes_from() -> None:
    result = CliRunner().invoke(app, ["ssm", "push", "--help"], env={"COLUMNS": "100"})
    text = " ".join(result.stdout.split())
    assert "--dry-run writes nothing and needs neither the secrets nor AWS credentials" in text
    assert "the region is --region, else AWS_REGION, else AWS_DEFAULT_REGION, else the profile's" in text
    assert "AWS region; when omitted AWS_REGION, then AWS_DEFAULT_REGION, then the profile's region." in text


def test_the_could_not_compare_warning_can_be_left_out(tmp_path: Path) -> None:
    """AS505 is a warning like any: --ignore, --quiet and the spec's acknowledge leave it out."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")} | {
        "AWS_EC2_METADATA_DISABLED": "true", "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
        "AWS_CONFIG_FILE": str(tmp_path / "none"), "WAREHOUSE_PASSWORD": "pw", "SLACK_TOKEN": "tok",
    }  # fmt: skip
    acknowledged = tmp_path / "airflowspec.yaml"
    acknowledged.write_text(SEED.read_text(encoding="utf-8") + "acknowledge: [AS505]\n", encoding="utf-8")
    for spec, flags in ((SEED, ["--ignore", "AS505"]), (SEED, ["-q"]), (acknowledged, [])):
        command = [sys.executable, "-m", "airflowspec", "ssm", "push", str(spec), "--dry-run", *flags]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        assert "AS505" not in result.stderr
