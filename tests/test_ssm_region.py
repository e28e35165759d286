"""`ssm push` picks the region as the AWS CLI does: `--region`, then AWS_REGION, then AWS_DEFAULT_REGION,
then the profile's `region` (issue 11, item 3). botocore reads all but AWS_REGION itself.

Each push runs the real CLI against moto's server, which keeps parameters per region: where they land
is read back with boto3, so each case shows the region the push really used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_ssm_push import SEED, _assert_no_canary, _push, aws_env, boto3, endpoint

__all__ = ["aws_env", "endpoint"]  # the fixtures, shared with tests/test_ssm_push.py

FLAG, ENV, DEFAULT_ENV, PROFILE = "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1"
REGIONS = [FLAG, ENV, DEFAULT_ENV, PROFILE, "us-east-1"]
SEED_PARAMETERS = {
    "/airflow/connections/warehouse",
    "/airflow/variables/environment",
    "/airflow/variables/data_bucket",
    "/airflow/variables/retention_days",
    "/airflow/variables/alert_channels",
    "/airflow/variables/slack_token",
}


@pytest.fixture
def env(aws_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """Credentials from the environment, and no region anywhere: no AWS_DEFAULT_REGION, an empty config."""
    config = tmp_path / "config"
    config.write_text("", encoding="utf-8")
    base = {key: value for key, value in aws_env.items() if key != "AWS_DEFAULT_REGION"}
    return base | {"AWS_CONFIG_FILE": str(config), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")}


def _with_profile_region(env: dict[str, str], section: str = "default") -> dict[str, str]:
    Path(env["AWS_CONFIG_FILE"]).write_text(
        f"[{section}]\nregion = {PROFILE}\naws_access_key_id = testing\naws_secret_access_key = testing\n",
        encoding="utf-8",
    )
    return env


def _landed(env: dict[str, str]) -> dict[str, set[str]]:
    """The regions that hold any parameter, with the names each holds."""
    found = {}
    for region in REGIONS:
        client: Any = boto3.client(
            "ssm",
            endpoint_url=env["AWS_ENDPOINT_URL"],
            region_name=region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        names = {
            meta["Name"]
            for page in client.get_paginator("describe_parameters").paginate()
            for meta in page["Parameters"]
        }
        if names:
            found[region] = names
    return found


def _pushed_to(env: dict[str, str], *flags: str) -> dict[str, set[str]]:
    result = _push(SEED, env, *flags)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "6 created, 0 updated, 0 unchanged, 0 deleted"
    _assert_no_canary(result.stdout, result.stderr)
    return _landed(env)


def test_the_region_flag_alone(env: dict[str, str]) -> None:
    assert _pushed_to(env, "--region", FLAG) == {FLAG: SEED_PARAMETERS}


def test_aws_region_alone(env: dict[str, str]) -> None:
    assert _pushed_to(env | {"AWS_REGION": ENV}) == {ENV: SEED_PARAMETERS}


def test_aws_default_region_alone(env: dict[str, str]) -> None:
    assert _pushed_to(env | {"AWS_DEFAULT_REGION": DEFAULT_ENV}) == {DEFAULT_ENV: SEED_PARAMETERS}


def test_the_default_profiles_region_alone(env: dict[str, str]) -> None:
    assert _pushed_to(_with_profile_region(env)) == {PROFILE: SEED_PARAMETERS}


@pytest.mark.parametrize("how", ["--profile", "AWS_PROFILE"])
def test_a_named_profiles_region_alone(env: dict[str, str], how: str) -> None:
    env = _with_profile_region(env, "profile ops")
    flags = ("--profile", "ops") if how == "--profile" else ()
    assert _pushed_to(env | ({"AWS_PROFILE": "ops"} if how == "AWS_PROFILE" else {}), *flags) == {
        PROFILE: SEED_PARAMETERS
    }


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (("flag", "AWS_REGION", "AWS_DEFAULT_REGION", "profile"), FLAG),
        (("AWS_REGION", "AWS_DEFAULT_REGION", "profile"), ENV),
        (("AWS_REGION", "profile"), ENV),
        (("AWS_DEFAULT_REGION", "profile"), DEFAULT_ENV),
        (("flag", "profile"), FLAG),
    ],
    ids=["flag-first", "AWS_REGION-next", "AWS_REGION-over-profile", "AWS_DEFAULT_REGION-next", "flag-over-profile"],
)
def test_precedence_is_the_aws_clis(env: dict[str, str], sources: tuple[str, ...], expected: str) -> None:
    if "profile" in sources:
        env = _with_profile_region(env)
    env = env | ({"AWS_REGION": ENV} if "AWS_REGION" in sources else {})
    env = env | ({"AWS_DEFAULT_REGION": DEFAULT_ENV} if "AWS_DEFAULT_REGION" in sources else {})
    flags = ("--region", FLAG) if "flag" in sources else ()
    assert _pushed_to(env, *flags) == {expected: SEED_PARAMETERS}


def test_an_empty_aws_region_counts_as_unset(env: dict[str, str]) -> None:
    assert _pushed_to(env | {"AWS_REGION": "", "AWS_DEFAULT_REGION": DEFAULT_ENV}) == {DEFAULT_ENV: SEED_PARAMETERS}


def test_no_region_anywhere_says_where_to_set_one(env: dict[str, str]) -> None:
    result = _push(SEED, env)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        f"{SEED}: error AS503 no AWS region is set (--region, AWS_REGION, AWS_DEFAULT_REGION or the profile's region)"
    )
    assert _landed(env) == {}
