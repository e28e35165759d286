"""`ssm push` changes only what it owns and never loses a value without saying so (issue 10, defect 8),
and an invalid endpoint URL is one line, not a traceback (defect 17).

A parameter is owned when its `airflowspec:environment` tag names the spec. Another environment's
parameter, or one made by hand, is never updated, re-tagged, re-typed or deleted unless `--adopt` says
so. When AWS fails midway, the report names what was written, what was not, and what was deleted; a
re-run converges. Failures are injected in-process by wrapping a real client of moto's server in one
that behaves as AWS documents (no type change in place) and refuses chosen calls.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_ssm_push import CANARIES, SEED, _assert_no_canary, _client, _push, _stored, aws_env, endpoint
from typer.testing import CliRunner, Result

from airflowspec import secrets_push
from airflowspec.cli import app

__all__ = ["aws_env", "endpoint"]  # the fixtures, shared with tests/test_ssm_push.py

botocore_exceptions = pytest.importorskip("botocore.exceptions")

OURS = [{"Key": "airflowspec:environment", "Value": "data-platform"}]  # SEED's name
ANALYTICS = [{"Key": "airflowspec:environment", "Value": "analytics"}]
OLD_VALUE = "old-value-canary-3333"
ENVIRONMENT = "/airflow/variables/environment"
SLACK = "/airflow/variables/slack_token"
Call = Callable[[str, dict[str, Any]], bool]


def _tags(env: dict[str, str], name: str) -> list[dict[str, str]]:
    return list(_client(env).list_tags_for_resource(ResourceType="Parameter", ResourceId=name)["TagList"])


def _smaller(tmp_path: Path, line: str) -> Path:
    spec = tmp_path / "airflowspec.yaml"
    spec.write_text(SEED.read_text().replace(line, ""), encoding="utf-8")
    return spec


# --- ownership -----------------------------------------------------------------------------------


def test_another_environments_parameter_is_refused_and_nothing_is_written(aws_env: dict[str, str]) -> None:
    client = _client(aws_env)
    client.put_parameter(Name=ENVIRONMENT, Value="staging", Type="String", Tags=ANALYTICS)
    client.put_parameter(Name=SLACK, Value="plain", Type="String")  # by hand; the spec makes it SecureString
    for flags in [(), ("--dry-run",), ("--prune",)]:
        result = _push(SEED, aws_env, *flags)
        assert result.returncode == 1, result.stderr
        assert result.stdout == ""
        assert result.stderr.splitlines()[-2:] == [
            f"{SEED}:28:3: error AS504 SSM parameter {ENVIRONMENT} belongs to another environment 'analytics', "
            "so push will not change it; pass --adopt to take it over",
            f"{SEED}:32:3: error AS504 SSM parameter {SLACK} has no airflowspec tag (made by hand or by another "
            "tool), so push will not change it; pass --adopt to take it over",
        ]
        _assert_no_canary(result.stdout, result.stderr)
        assert _stored(aws_env) == {ENVIRONMENT: ("String", "staging"), SLACK: ("String", "plain")}
        assert _tags(aws_env, ENVIRONMENT) == ANALYTICS
        assert _tags(aws_env, SLACK) == []


def test_an_owner_tag_with_terminal_controls_is_shown_escaped(aws_env: dict[str, str]) -> None:
    hostile = [{"Key": "airflowspec:environment", "Value": "x\x1b]0;owned\x07\nerror: forged"}]
    _client(aws_env).put_parameter(Name=ENVIRONMENT, Value="staging", Type="String", Tags=hostile)
    for flags in [(), ("--adopt", "--dry-run")]:
        result = _push(SEED, aws_env, *flags)
        assert "\x1b" not in result.stdout + result.stderr
        assert "\x07" not in result.stdout + result.stderr
        assert not any(line.startswith("error: forged") for line in (result.stdout + result.stderr).splitlines())
    assert _stored(aws_env) == {ENVIRONMENT: ("String", "staging")}


def test_foreign_parameters_that_already_match_are_left_alone_and_never_pruned(
    aws_env: dict[str, str], tmp_path: Path
) -> None:
    client = _client(aws_env)
    client.put_parameter(Name=ENVIRONMENT, Value="production", Type="String", Tags=ANALYTICS)
    client.put_parameter(Name="/airflow/variables/retention_days", Value="30", Type="String")
    client.put_parameter(Name=SLACK, Value="other", Type="SecureString", Tags=ANALYTICS)
    refused = _push(SEED, aws_env)
    assert refused.returncode == 1
    assert [line.split(" error ")[1][:5] for line in refused.stderr.splitlines() if " error " in line] == ["AS504"]
    client.put_parameter(Name=SLACK, Value=CANARIES["SLACK_TOKEN"], Type="SecureString", Overwrite=True)
    result = _push(SEED, aws_env)
    assert result.returncode == 0, result.stderr
    assert f"unchanged {ENVIRONMENT} (String)" in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1] == "3 created, 0 updated, 3 unchanged, 0 deleted"
    assert _tags(aws_env, ENVIRONMENT) == ANALYTICS
    assert _tags(aws_env, "/airflow/variables/retention_days") == []
    pruned = _push(_smaller(tmp_path, "  environment: production\n"), aws_env, "--prune")
    assert pruned.returncode == 0, pruned.stderr
    assert not any(line.startswith("deleted") for line in pruned.stdout.splitlines())
    assert ENVIRONMENT in _stored(aws_env)


def test_adopt_takes_over_what_differs_and_prune_may_then_delete_it(aws_env: dict[str, str], tmp_path: Path) -> None:
    client = _client(aws_env)
    client.put_parameter(Name=ENVIRONMENT, Value="staging", Type="String", Tags=ANALYTICS)
    client.put_parameter(Name=SLACK, Value="plain", Type="String")
    dry = _push(SEED, aws_env, "--adopt", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"would be adopted {ENVIRONMENT} (String) from another environment 'analytics'" in dry.stdout.splitlines()
    assert _tags(aws_env, ENVIRONMENT) == ANALYTICS
    result = _push(SEED, aws_env, "--adopt")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"adopted {ENVIRONMENT} (String) from another environment 'analytics'" in lines
    assert f"adopted {SLACK} (String -> SecureString), which had no airflowspec tag" in lines
    assert lines[-1] == "4 created, 0 updated, 2 adopted, 0 unchanged, 0 deleted"
    _assert_no_canary(result.stdout, result.stderr)
    assert _tags(aws_env, ENVIRONMENT) == OURS
    assert _stored(aws_env)[SLACK] == ("SecureString", CANARIES["SLACK_TOKEN"])
    pruned = _push(_smaller(tmp_path, "  environment: production\n"), aws_env, "--prune")
    assert f"deleted {ENVIRONMENT}" in pruned.stdout.splitlines()


# --- failures midway -----------------------------------------------------------------------------


class AwsLike:
    """A real client of moto's server that, as AWS documents, refuses to change a type in place
    (HierarchyTypeMismatchException), and refuses each call that `fail` picks, quoting the value sent
    (which must never be printed)."""

    def __init__(self, real: Any, fail: Call = lambda method, kwargs: False) -> None:
        self.real, self.fail, self.meta = real, fail, real.meta
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, method: str) -> Any:
        operation = self.real.meta.method_to_api_mapping.get(method, method)

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((method, kwargs))
            if method == "put_parameter" and kwargs.get("Overwrite") and self._changes_type(kwargs):
                raise _refusal("HierarchyTypeMismatchException", operation, kwargs)
            if self.fail(method, kwargs):
                raise _refusal("AccessDeniedException", operation, kwargs)
            return getattr(self.real, method)(*args, **kwargs)

        return call

    def _changes_type(self, kwargs: dict[str, Any]) -> bool:
        found = self.real.get_parameters(Names=[kwargs["Name"]])["Parameters"]
        return bool(found) and found[0]["Type"] != kwargs["Type"]


def _refusal(code: str, operation: str, kwargs: dict[str, Any]) -> Exception:
    message = f"refused {kwargs.get('Value', '')}"
    return botocore_exceptions.ClientError({"Error": {"Code": code, "Message": message}}, operation)  # type: ignore[no-any-return]


@pytest.fixture
def run(aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    def invoke(client: Any, *args: str, spec: Path = SEED) -> Result:
        monkeypatch.setattr(secrets_push, "ssm_client", lambda session: client)
        return CliRunner().invoke(app, ["ssm", "push", str(spec), *args], env=CANARIES)

    return invoke


def test_a_failure_midway_says_what_was_written_and_what_was_not(
    aws_env: dict[str, str], run: Callable[..., Result]
) -> None:
    puts = []

    def third_put(method: str, kwargs: dict[str, Any]) -> bool:
        puts.extend([kwargs["Name"]] if method == "put_parameter" else [])
        return len(puts) == 3

    result = run(AwsLike(_client(aws_env), third_put))
    assert result.exit_code == 2, result.output
    assert result.stdout.splitlines() == [
        "created /airflow/connections/warehouse (SecureString)",
        f"created {ENVIRONMENT} (String)",
        "not written /airflow/variables/data_bucket (String)",
        "not written /airflow/variables/retention_days (String)",
        "not written /airflow/variables/alert_channels (String)",
        f"not written {SLACK} (SecureString)",
        "2 created, 0 updated, 0 unchanged, 0 deleted; stopped: 4 not written",
    ]
    assert result.stderr.splitlines()[-1] == (
        f"{SEED}: error AS503 SSM refused PutParameter: AccessDeniedException; the push stopped midway, "
        "as listed above; a re-run finishes it"
    )
    _assert_no_canary(result.stdout, result.stderr)
    rerun = run(AwsLike(_client(aws_env)))
    assert rerun.exit_code == 0, rerun.output
    assert rerun.stdout.splitlines()[-1] == "4 created, 0 updated, 2 unchanged, 0 deleted"


def _old_slack(env: dict[str, str]) -> None:
    _client(env).put_parameter(Name=SLACK, Value=OLD_VALUE, Type="String", Tags=OURS)


def _new_slack_put(method: str, kwargs: dict[str, Any]) -> bool:
    return method == "put_parameter" and kwargs["Name"] == SLACK and kwargs["Type"] == "SecureString"


def test_a_type_change_that_fails_after_the_delete_puts_the_old_value_back(
    aws_env: dict[str, str], run: Callable[..., Result]
) -> None:
    _old_slack(aws_env)
    client = AwsLike(_client(aws_env), _new_slack_put)
    result = run(client)
    assert result.exit_code == 2, result.output
    assert result.stdout.splitlines()[-2:] == [
        f"not written {SLACK} (String -> SecureString): deleted to change its type, then put back with its old value",
        "5 created, 0 updated, 0 unchanged, 0 deleted; stopped: 1 not written",
    ]
    assert [method for method, kwargs in client.calls if SLACK in (kwargs.get("Name"), kwargs.get("ResourceId"))] == [
        "list_tags_for_resource",
        "put_parameter",  # in place: refused as AWS does
        "delete_parameter",
        "put_parameter",  # as SecureString: refused
        "put_parameter",  # the old value back
    ]
    _assert_no_canary(result.stdout, result.stderr)
    assert OLD_VALUE not in result.stdout + result.stderr
    assert _stored(aws_env)[SLACK] == ("String", OLD_VALUE)
    assert _tags(aws_env, SLACK) == OURS
    rerun = run(AwsLike(_client(aws_env)))
    assert rerun.exit_code == 0, rerun.output
    assert f"updated {SLACK} (String -> SecureString)" in rerun.stdout.splitlines()
    assert _stored(aws_env)[SLACK] == ("SecureString", CANARIES["SLACK_TOKEN"])


def test_a_value_lost_in_a_type_change_is_reported_and_a_rerun_creates_it(
    aws_env: dict[str, str], run: Callable[..., Result]
) -> None:
    _old_slack(aws_env)

    def every_new_put(method: str, kwargs: dict[str, Any]) -> bool:
        return method == "put_parameter" and kwargs["Name"] == SLACK and not kwargs.get("Overwrite")

    result = run(AwsLike(_client(aws_env), every_new_put))
    assert result.exit_code == 2, result.output
    assert result.stdout.splitlines()[-2:] == [
        f"deleted {SLACK} (String), not created again as SecureString: its value is gone; a re-run creates it",
        "5 created, 0 updated, 0 unchanged, 0 deleted; stopped: 0 not written, 1 value lost",
    ]
    assert "error AS503 SSM refused PutParameter: AccessDeniedException" in result.stderr
    assert OLD_VALUE not in result.stdout + result.stderr
    assert SLACK not in _stored(aws_env)
    rerun = run(AwsLike(_client(aws_env)))
    assert f"created {SLACK} (SecureString)" in rerun.stdout.splitlines()
    assert _stored(aws_env)[SLACK] == ("SecureString", CANARIES["SLACK_TOKEN"])


def test_an_adoption_that_fails_after_tagging_converges_without_adopt(
    aws_env: dict[str, str], run: Callable[..., Result]
) -> None:
    _client(aws_env).put_parameter(Name=ENVIRONMENT, Value="staging", Type="String", Tags=ANALYTICS)

    def overwrite(method: str, kwargs: dict[str, Any]) -> bool:
        return method == "put_parameter" and kwargs["Name"] == ENVIRONMENT

    result = run(AwsLike(_client(aws_env), overwrite), "--adopt")
    assert result.exit_code == 2, result.output
    assert (
        f"not written {ENVIRONMENT} (String), but now tagged for this environment: a re-run updates it"
        in result.stdout.splitlines()
    )
    assert _tags(aws_env, ENVIRONMENT) == OURS
    rerun = run(AwsLike(_client(aws_env)))
    assert rerun.exit_code == 0, rerun.output
    assert f"updated {ENVIRONMENT} (String)" in rerun.stdout.splitlines()
    assert _stored(aws_env)[ENVIRONMENT] == ("String", "production")


def test_a_prune_that_fails_says_what_was_not_deleted(
    aws_env: dict[str, str], run: Callable[..., Result], tmp_path: Path
) -> None:
    assert run(AwsLike(_client(aws_env))).exit_code == 0
    smaller = _smaller(tmp_path, "  environment: production\n  data_bucket: s3://data-platform-lake\n")
    result = run(AwsLike(_client(aws_env), lambda method, kwargs: method.startswith("delete")), "--prune", spec=smaller)
    assert result.exit_code == 2, result.output
    assert result.stdout.splitlines()[-3:] == [
        "not deleted /airflow/variables/data_bucket",
        f"not deleted {ENVIRONMENT}",
        "0 created, 0 updated, 4 unchanged, 0 deleted; stopped: 0 not written, 2 not deleted",
    ]
    rerun = run(AwsLike(_client(aws_env)), "--prune", spec=smaller)
    assert rerun.stdout.splitlines()[-1] == "0 created, 0 updated, 4 unchanged, 2 deleted"


def test_a_bug_midway_still_prints_the_report(aws_env: dict[str, str], run: Callable[..., Result]) -> None:
    def boom(method: str, kwargs: dict[str, Any]) -> bool:
        if method == "put_parameter" and kwargs["Name"] == ENVIRONMENT:
            raise RuntimeError("a bug")
        return False

    result = run(AwsLike(_client(aws_env), boom))
    assert isinstance(result.exception, RuntimeError)
    assert f"not written {ENVIRONMENT} (String)" in result.stdout.splitlines()


# --- the endpoint ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["not a url", "http://[::1", "http://127.0.0.1:99999", "http://localhost:port"])
def test_an_invalid_endpoint_url_is_one_line_and_exit_2(url: str, aws_env: dict[str, str]) -> None:
    result = _push(SEED, aws_env | {"AWS_ENDPOINT_URL": url})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"{SEED}: error AS503 the SSM endpoint URL is not valid: ")
    assert last.endswith("; check AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SSM or the profile's endpoint_url")
