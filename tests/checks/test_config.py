"""`airflow.config` is checked against the options the spec's Airflow release reads (AS230) and how it parses
their values (AS231); rules that say more about an option (AS218/AS219, AS306, AS411/AS412) come first."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import BASE, diagnose

from airflowspec.api import validate

MWAA = """\
targets:
  mwaa:
    sourceBucketArn: "arn:aws:s3:::demo-airflow"
    executionRoleArn: "arn:aws:iam::123456789012:role/demo"
    network: {subnetIds: [subnet-0a1b2c3d, subnet-4e5f6a7b], securityGroupIds: [sg-0123abcd]}
"""


def _lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str, config: str, rest: str = "") -> list[str]:
    """What validate prints for a spec whose `airflow.config` is `config` (YAML under `config:`)."""
    head = f'apiVersion: airflowspec/v1\nname: demo\nairflow:\n  version: "{version}"\n  config:\n'
    indented = "".join(f"    {line}\n" for line in config.splitlines())
    (tmp_path / "spec.yaml").write_text(head + indented + rest, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return [str(diagnostic) for diagnostic in validate(Path("spec.yaml")).diagnostics]


def test_the_issues_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = "core: {load_exampels: true, load_examples: nope, parallelism: many}"
    assert _lines(tmp_path, monkeypatch, "2.9.3", config) == [
        "spec.yaml:6:12: warning AS230 Airflow 2.9 reads no option core.load_exampels, so it has no effect; "
        "did you mean `core.load_examples`?",
        "spec.yaml:6:48: error AS231 Airflow 2.9 parses core.load_examples as a boolean, not 'nope'; "
        "write `true` or `false`",
        "spec.yaml:6:67: error AS231 Airflow 2.9 parses core.parallelism as an integer, not 'many'; "
        "write a whole number",
    ]


def test_an_option_in_the_wrong_section_names_the_right_one_for_the_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = "logging: {delete_worker_pods: false}"
    expected = (
        "spec.yaml:6:15: warning AS230 Airflow {minor} reads no option logging.delete_worker_pods, so it has no "
        "effect; did you mean `{section}.delete_worker_pods`?"
    )
    assert _lines(tmp_path, monkeypatch, "2.9.3", config) == [
        expected.format(minor="2.9", section="kubernetes_executor")
    ]
    # Airflow 2.4 ran the Kubernetes executor itself, from [kubernetes]
    assert _lines(tmp_path, monkeypatch, "2.4.3", config) == [expected.format(minor="2.4", section="kubernetes")]


def test_an_unknown_section_warns_once_at_its_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = "web_server:\n  web_server_port: 8080\n  workers: 4"
    assert _lines(tmp_path, monkeypatch, "2.10.5", config) == [
        "spec.yaml:6:5: warning AS230 Airflow 2.10 reads no section [web_server], so its options have no effect; "
        "did you mean `webserver`?"
    ]


def test_values_parse_as_airflow_parses_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = (
        'core: {load_examples: "False", dags_are_paused_at_creation: 1, parallelism: " 32 "}\n'
        'scheduler: {job_heartbeat_sec: 5.5, catchup_by_default: "t # comment"}\n'
        "webserver: {expose_config: non-sensitive-only}"  # read as text as well as a boolean: not checked
    )
    assert _lines(tmp_path, monkeypatch, "2.9.3", good) == []
    bad = "core: {parallelism: true, dagbag_import_timeout: 30s}"
    assert _lines(tmp_path, monkeypatch, "2.9.3", bad) == [
        "spec.yaml:6:25: error AS231 Airflow 2.9 parses core.parallelism as an integer, not 'True'; "
        "write a whole number",
        "spec.yaml:6:54: error AS231 Airflow 2.9 parses core.dagbag_import_timeout as a number, not '30s'; "
        "write a number such as `1.5`",
    ]


def test_provider_options_and_open_sections_are_known(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = (
        "celery: {worker_concurrency: 16, worker_enable_remote_control: false}\n"
        "kubernetes_executor: {delete_worker_pods: false, namespace: airflow}\n"
        "aws: {cloudwatch_task_handler_json_serializer: a.json_serialize, s3_task_handler_acl_policy: x}\n"
        "fab: {auth_rate_limited: true}\n"
        "celery_broker_transport_options: {visibility_timeout: 21600, region: eu-west-1}\n"
        "sentry: {sentry_on: true, traces_sample_rate: 0.2}"
    )
    assert _lines(tmp_path, monkeypatch, "3.1.8", config) == []


def test_secret_forms_of_sensitive_options_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = (
        "database: {sql_alchemy_conn_cmd: cat /secrets/db, sql_alchemy_conn_secret: db}\ncore: {dags_folder_cmd: pwd}"
    )
    assert _lines(tmp_path, monkeypatch, "2.9.3", config) == [
        "spec.yaml:7:12: warning AS230 Airflow 2.9 reads no option core.dags_folder_cmd, so it has no effect; "
        "Airflow reads a `_cmd` form of sensitive options only; set `core.dags_folder` itself"
    ]


def test_moved_and_removed_airflow_3_options_are_reported_by_their_own_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = "webserver: {web_server_port: 8080, x_frame_enabled: maybe}\ncore: {sql_alchemy_conn_cmd: cat /db}"
    assert _lines(tmp_path, monkeypatch, "3.1.8", config) == [
        "spec.yaml:6:17: warning AS218 Airflow 3 reads webserver.web_server_port as api.port; write `api.port`",
        "spec.yaml:6:40: warning AS219 Airflow 3 no longer reads webserver.x_frame_enabled; remove it",
        "spec.yaml:7:12: warning AS230 Airflow 3.1 reads no option core.sql_alchemy_conn_cmd, so it has no effect; "
        "did you mean `database.sql_alchemy_conn_cmd`?",
    ]


def test_options_a_target_sets_itself_are_reported_by_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mwaa = _lines(tmp_path, monkeypatch, "2.10.3", "core: {load_examples: nope}\nmetrics: {statsd_hots: x}", MWAA)
    assert mwaa == [
        "spec.yaml:6:12: error AS412 MWAA sets core.load_examples itself and ignores this value; remove it",
        "spec.yaml:7:15: error AS412 MWAA sets metrics.statsd_hots itself and ignores this value; remove it",
    ]
    eks = 'targets:\n  eks: {chart: community, chartVersion: "8.9.0"}\n'
    community = _lines(tmp_path, monkeypatch, "2.9.3", "webserver: {web_server_port: http}", eks)
    assert [line for line in community if "AS306" in line or "AS23" in line] == [
        "spec.yaml:6:17: error AS306 the chart sets webserver.web_server_port itself; "
        "the chart's Service and probes use 8080"
    ]


def test_a_release_outside_the_table_is_not_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _lines(tmp_path, monkeypatch, "1.10.15", "core: {load_exampels: x}") == [
        "spec.yaml:4:12: error AS212 Airflow 1.10.15 is end of life and not supported; upgrade to Airflow 2 or 3"
    ]


def test_values_airflow_accepts_are_no_type_error() -> None:
    """Since 3.2 getint takes a whole-number float; gettimedelta reads an empty value as none."""
    for version, code in (("3.2.1", []), ("3.1.8", ["AS231"])):
        found = diagnose(
            f'apiVersion: airflowspec/v1\nname: d\nairflow:\n  version: "{version}"\n'
            "  config:\n    core: {parallelism: 32.0}\n"
        )
        assert [c for _, _, c in found] == code
    found = diagnose(BASE + "  config:\n    core: {default_task_execution_timeout: ''}\n")
    assert found == []
