"""`secrets push` to Secrets Manager changes only what it owns and never loses a value without saying so:
the same rules as `ssm push` (tests/security/test_ssm_push_ownership.py), through the same planner.

A secret is owned when its `airflowspec:environment` tag names the spec. Another environment's secret,
or one made by hand, is never updated, re-tagged, restored or deleted unless `--adopt` says so. Failures
are injected in-process by wrapping a real client of moto's server in one that behaves as AWS documents
(no value or tag for a secret scheduled for deletion; moto allows both) and refuses chosen calls,
quoting the value sent, which must never be printed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_secrets_push import OURS, client, push, seed, stored, tags
from test_ssm_push import CANARIES, _assert_no_canary, aws_env, endpoint
from typer.testing import CliRunner, Result

from airflowspec import secrets_push
from airflowspec.cli import app

__all__ = ["aws_env", "endpoint", "seed"]  # the fixtures, shared with tests/test_ssm_push.py

botocore_exceptions = pytest.importorskip("botocore.exceptions")

ANALYTICS = [{"Key": "airflowspec:environment", "Value": "analytics"}]
ENVIRONMENT = "airflow/variables/environment"
SLACK = "airflow/variables/slack_token"
RETENTION = "airflow/variables/retention_days"
Call = Callable[[str, dict[str, Any]], bool]


def _create(env: dict[str, str], *secrets: tuple[str, str, list[dict[str, str]]]) -> None:
    """Secrets made before the push: (name, value, tags), tags [] for one made by hand."""
    for name, value, tagged in secrets:
        client(env).create_secret(Name=name, SecretString=value, Tags=tagged)


def _refused(spec: Path, line: int, name: str, owned: str) -> str:
    return (
        f"{spec}:{line}:3: error AS504 secret {name} {owned}, so push will not change it; pass --adopt to take it over"
    )


def test_another_environments_secret_or_one_made_by_hand_is_refused_and_nothing_is_written(
    seed: Path, aws_env: dict[str, str]
) -> None:
    _create(aws_env, (ENVIRONMENT, "staging", ANALYTICS), (SLACK, "by hand", []))
    for flags in [(), ("--dry-run",), ("--prune",)]:
        result = push(seed, aws_env, *flags)
        assert result.returncode == 1, result.stderr
        assert result.stdout == ""
        assert result.stderr.splitlines()[-2:] == [
            _refused(seed, 28, ENVIRONMENT, "belongs to another environment 'analytics'"),
            _refused(seed, 32, SLACK, "has no airflowspec tag (made by hand or by another tool)"),
        ]
        _assert_no_canary(result.stdout, result.stderr)
        assert "staging" not in result.stdout + result.stderr
        assert stored(aws_env, deleted=True) == {ENVIRONMENT: "staging", SLACK: "by hand"}
        assert tags(aws_env, ENVIRONMENT) == ANALYTICS
        assert tags(aws_env, SLACK) == []


def test_another_environments_secret_scheduled_for_deletion_is_not_restored(
    seed: Path, aws_env: dict[str, str]
) -> None:
    _create(aws_env, (RETENTION, "30", ANALYTICS))
    client(aws_env).delete_secret(SecretId=RETENTION)
    result = push(seed, aws_env)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == _refused(
        seed, 30, RETENTION, "belongs to another environment 'analytics' and is scheduled for deletion"
    )
    assert stored(aws_env, deleted=True) == {RETENTION: None}
    adopted = push(seed, aws_env, "--adopt")
    assert adopted.returncode == 0, adopted.stderr
    assert f"adopted {RETENTION} from another environment 'analytics'" in adopted.stdout.splitlines()
    assert stored(aws_env)[RETENTION] == "30"
    assert tags(aws_env, RETENTION) == OURS


def test_foreign_secrets_that_already_match_are_left_alone_and_never_pruned(
    seed: Path, aws_env: dict[str, str]
) -> None:
    _create(
        aws_env,
        (ENVIRONMENT, "production", ANALYTICS),
        (RETENTION, "30", []),
        ("airflow/variables/other_env", "x", ANALYTICS),
        ("airflow/variables/by_hand", "y", []),
        ("airflow/variablesX/ours_outside_the_prefix", "z", OURS),
    )
    result = push(seed, aws_env, "--prune")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"unchanged {ENVIRONMENT}" in lines
    assert lines[-1] == "4 created, 0 updated, 2 unchanged, 0 deleted"
    assert tags(aws_env, ENVIRONMENT) == ANALYTICS
    assert tags(aws_env, RETENTION) == []
    assert {
        "airflow/variables/other_env",
        "airflow/variables/by_hand",
        "airflow/variablesX/ours_outside_the_prefix",
    } <= (set(stored(aws_env)))


def test_adopt_takes_over_what_differs_and_prune_may_then_delete_it(seed: Path, aws_env: dict[str, str]) -> None:
    _create(aws_env, (ENVIRONMENT, "staging", ANALYTICS), (SLACK, "by hand", []))
    dry = push(seed, aws_env, "--adopt", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"would be adopted {ENVIRONMENT} from another environment 'analytics'" in dry.stdout.splitlines()
    assert tags(aws_env, ENVIRONMENT) == ANALYTICS
    result = push(seed, aws_env, "--adopt")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"adopted {SLACK}, which had no airflowspec tag" in lines
    assert lines[-1] == "4 created, 0 updated, 2 adopted, 0 unchanged, 0 deleted"
    _assert_no_canary(result.stdout, result.stderr)
    assert tags(aws_env, ENVIRONMENT) == OURS
    assert stored(aws_env)[SLACK] == CANARIES["SLACK_TOKEN"]
    seed.write_text(seed.read_text(encoding="utf-8").replace("  environment: production\n", ""), encoding="utf-8")
    pruned = push(seed, aws_env, "--prune")
    assert f"deleted {ENVIRONMENT}" in pruned.stdout.splitlines()


def test_prune_checks_each_listed_name_against_the_prefix(seed: Path, aws_env: dict[str, str], run: Any) -> None:
    """AWS's name filter matches names that start with it in any case; a name only alike is not pruned."""
    assert push(seed, aws_env).returncode == 0
    client(aws_env).create_secret(Name="Airflow/Variables/not_under", SecretString="keep", Tags=OURS)
    every = AwsLike(client(aws_env), list_everything=True)
    result = run(every, "--prune")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "0 created, 0 updated, 6 unchanged, 0 deleted"
    assert stored(aws_env)["Airflow/Variables/not_under"] == "keep"


# --- failures midway -----------------------------------------------------------------------------


class AwsLike:
    """A real client of moto's server that, as AWS documents, refuses a value or a tag for a secret
    scheduled for deletion (InvalidRequestException), and refuses each call that `fail` picks, quoting
    the value sent (which must never be printed). `list_everything`: ListSecrets ignores its filter."""

    def __init__(self, real: Any, fail: Call = lambda method, kwargs: False, list_everything: bool = False) -> None:
        self.real, self.fail, self.meta = real, fail, real.meta
        self.list_everything = list_everything

    def __getattr__(self, method: str) -> Any:
        operation = self.real.meta.method_to_api_mapping.get(method, method)

        def call(*args: Any, **kwargs: Any) -> Any:
            if method in ("put_secret_value", "tag_resource") and self._deleted(kwargs["SecretId"]):
                raise _refusal("InvalidRequestException", operation, kwargs)
            if self.fail(method, kwargs):
                raise _refusal("AccessDeniedException", operation, kwargs)
            return getattr(self.real, method)(*args, **kwargs)

        return call

    def get_paginator(self, name: str) -> Any:
        paginator = self.real.get_paginator(name)
        if not self.list_everything:
            return paginator

        class Everything:
            def paginate(self, **kwargs: Any) -> Any:
                return paginator.paginate()

        return Everything()

    def _deleted(self, name: str) -> bool:
        return self.real.describe_secret(SecretId=name).get("DeletedDate") is not None


def _refusal(code: str, operation: str, kwargs: dict[str, Any]) -> Exception:
    message = f"refused {kwargs.get('SecretString', '')}"
    return botocore_exceptions.ClientError({"Error": {"Code": code, "Message": message}}, operation)  # type: ignore[no-any-return]


@pytest.fixture
def run(seed: Path, aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    def invoke(wrapped: Any, *args: str) -> Result:
        monkeypatch.setattr(secrets_push, "secrets_manager_client", lambda session: wrapped)
        return CliRunner().invoke(app, ["secrets", "push", str(seed), *args], env=CANARIES)

    return invoke


def test_a_failure_midway_says_what_was_written_and_what_was_not(
    aws_env: dict[str, str], run: Callable[..., Result]
) -> None:
    creates: list[str] = []

    def third_create(method: str, kwargs: dict[str, Any]) -> bool:
        creates.extend([kwargs["Name"]] if method == "create_secret" else [])
        return len(creates) == 3

    result = run(AwsLike(client(aws_env), third_create))
    assert result.exit_code == 2, result.output
    assert result.stdout.splitlines() == [
        "created airflow/connections/warehouse",
        f"created {ENVIRONMENT}",
        "not written airflow/variables/data_bucket",
        f"not written {RETENTION}",
        "not written airflow/variables/alert_channels",
        f"not written {SLACK}",
        "2 created, 0 updated, 0 unchanged, 0 deleted; stopped: 4 not written",
    ]
    assert result.stderr.splitlines()[-1].endswith(
        "error AS503 Secrets Manager refused CreateSecret: AccessDeniedException; the push stopped midway, "
        "as listed above; a re-run finishes it"
    )
    _assert_no_canary(result.stdout, result.stderr)
    rerun = run(AwsLike(client(aws_env)))
    assert rerun.exit_code == 0, rerun.output
    assert rerun.stdout.splitlines()[-1] == "4 created, 0 updated, 2 unchanged, 0 deleted"


def test_a_restore_whose_write_fails_says_the_old_value_is_back(
    seed: Path, aws_env: dict[str, str], run: Callable[..., Result]
) -> None:
    client(aws_env).create_secret(Name=RETENTION, SecretString="old-value-canary-4444", Tags=OURS)
    client(aws_env).delete_secret(SecretId=RETENTION)

    def put_retention(method: str, kwargs: dict[str, Any]) -> bool:
        return method == "put_secret_value" and kwargs["SecretId"] == RETENTION

    result = run(AwsLike(client(aws_env), put_retention))
    assert result.exit_code == 2, result.output
    assert (
        f"not written {RETENTION}: restored from its scheduled deletion with its old value, which Airflow reads "
        "until a re-run writes it"
    ) in result.stdout.splitlines()
    assert "old-value-canary-4444" not in result.stdout + result.stderr
    assert stored(aws_env)[RETENTION] == "old-value-canary-4444"
    rerun = run(AwsLike(client(aws_env)))
    assert rerun.exit_code == 0, rerun.output
    assert f"updated {RETENTION}" in rerun.stdout.splitlines()
    assert stored(aws_env)[RETENTION] == "30"


def test_an_adoption_that_fails_after_tagging_converges_without_adopt(
    aws_env: dict[str, str], run: Callable[..., Result]
) -> None:
    client(aws_env).create_secret(Name=ENVIRONMENT, SecretString="staging", Tags=ANALYTICS)

    def put_environment(method: str, kwargs: dict[str, Any]) -> bool:
        return method == "put_secret_value" and kwargs["SecretId"] == ENVIRONMENT

    result = run(AwsLike(client(aws_env), put_environment), "--adopt")
    assert result.exit_code == 2, result.output
    assert (
        f"not written {ENVIRONMENT}, but now tagged for this environment: a re-run updates it"
        in result.stdout.splitlines()
    )
    assert tags(aws_env, ENVIRONMENT) == OURS
    rerun = run(AwsLike(client(aws_env)))
    assert rerun.exit_code == 0, rerun.output
    assert f"updated {ENVIRONMENT}" in rerun.stdout.splitlines()
    assert stored(aws_env)[ENVIRONMENT] == "production"


def test_a_prune_that_fails_says_what_was_not_deleted(
    seed: Path, aws_env: dict[str, str], run: Callable[..., Result]
) -> None:
    assert run(AwsLike(client(aws_env))).exit_code == 0
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace("  environment: production\n  data_bucket: s3://data-platform-lake\n", ""), "utf-8")
    result = run(AwsLike(client(aws_env), lambda method, kwargs: method == "delete_secret"), "--prune")
    assert result.exit_code == 2, result.output
    assert result.stdout.splitlines()[-3:] == [
        "not deleted airflow/variables/data_bucket",
        f"not deleted {ENVIRONMENT}",
        "0 created, 0 updated, 4 unchanged, 0 deleted; stopped: 0 not written, 2 not deleted",
    ]
    rerun = run(AwsLike(client(aws_env)), "--prune")
    assert rerun.stdout.splitlines()[-1] == "0 created, 0 updated, 4 unchanged, 2 deleted"


def test_an_owner_tag_with_terminal_controls_is_shown_escaped(seed: Path, aws_env: dict[str, str]) -> None:
    hostile = [{"Key": "airflowspec:environment", "Value": "x\x1b]0;owned\x07\nerror: forged"}]
    client(aws_env).create_secret(Name=ENVIRONMENT, SecretString="staging", Tags=hostile)
    for flags in [(), ("--adopt", "--dry-run")]:
        result = push(seed, aws_env, *flags)
        assert "\x1b" not in result.stdout + result.stderr
        assert "\x07" not in result.stdout + result.stderr
        assert not any(line.startswith("error: forged") for line in (result.stdout + result.stderr).splitlines())
    assert stored(aws_env) == {ENVIRONMENT: "staging"}
