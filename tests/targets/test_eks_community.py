"""Compiling for the community chart: what each part of the spec becomes in values.yaml."""

from __future__ import annotations

import json
from typing import Any

import pytest
from helpers import diagnose, load_spec

from airflowspec.spec import EksTarget
from airflowspec.targets.eks.community_values import compile_values

SECRETS = """\
secrets:
  pw: {kubernetes: {name: db, key: password}}
  tok: {kubernetes: {name: api, key: token}}
"""


def _values(body: str) -> dict:
    spec = load_spec(body)
    return compile_values(spec, spec.targets.eks or EksTarget())


def test_kubernetes_executor_turns_off_workers_flower_and_redis() -> None:
    values = _values("  executor: KubernetesExecutor\npackages: [pandas]\n")
    assert values["workers"] == values["flower"] == values["redis"] == {"enabled": False}
    assert values["airflow"]["kubernetesPodTemplate"] == {"extraPipPackages": ["pandas"]}


def test_celery_with_external_redis_disables_the_embedded_one() -> None:
    values = _values(SECRETS + "targets:\n  eks:\n    redis: {host: redis.internal, password: {secret: pw}}\n")
    assert values["redis"] == {"enabled": False}
    assert values["externalRedis"] == {
        "host": "redis.internal",
        "port": 6379,
        "databaseNumber": 1,
        "passwordSecret": "db",
        "passwordSecretKey": "password",
    }


def test_config_becomes_environment_variables() -> None:
    values = _values("  config:\n    core: {parallelism: 32, load_examples: false}\n")
    assert values["airflow"]["config"] == {"AIRFLOW__CORE__PARALLELISM": "32", "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}


def test_secret_parts_become_templates_and_literal_dollars_are_doubled() -> None:
    values = _values(
        SECRETS
        + "connections:\n  c:\n    type: http\n    host: h$x\n    password: {secret: pw}\n"
        + "    extra: {token: {secret: tok}, note: a$b, nested: {n: c$d}}\n"
        + "variables:\n  plain: p$q\n"
    )
    (conn,) = values["airflow"]["connections"]
    assert conn["host"] == "h$$x"
    assert conn["password"] == "${PW}"
    assert json.loads(conn["extra"]) == {"token": "${TOK}", "note": "a$$b", "nested": {"n": "c$$d"}}
    assert values["airflow"]["connectionsTemplates"] == {
        "PW": {"kind": "secret", "name": "db", "key": "password"},
        "TOK": {"kind": "secret", "name": "api", "key": "token"},
    }
    # no variable is templated, so the chart does not substitute: `$` stays single
    assert values["airflow"]["variables"] == [{"key": "plain", "value": "p$q"}]
    assert "variablesTemplates" not in values["airflow"]


def test_variables_are_text_and_structures_are_json() -> None:
    values = _values("variables:\n  n: 30\n  b: true\n  m: {a: [1, 2]}\n")
    assert values["airflow"]["variables"] == [
        {"key": "n", "value": "30"}, {"key": "b", "value": "true"}, {"key": "m", "value": '{"a": [1, 2]}'},
    ]  # fmt: skip


def test_dags_from_a_volume_use_its_claim_with_the_sub_path() -> None:
    values = _values(
        "dags:\n  path: /opt/efs/team/dags\n  from: {volume: efs}\n"
        "volumes:\n  efs: {claim: efs-claim, mountPath: /opt/efs, subPath: airflow, readOnly: true}\n"
    )
    assert values["dags"]["persistence"] == {
        "enabled": True, "existingClaim": "efs-claim", "subPath": "airflow/team/dags", "accessMode": "ReadOnlyMany",
    }  # fmt: skip
    assert values["airflow"]["extraVolumeMounts"] == [
        {"name": "efs", "mountPath": "/opt/efs", "subPath": "airflow", "readOnly": True}
    ]


def test_git_over_https_reads_both_keys_from_one_secret() -> None:
    values = _values(
        "secrets:\n  u: {kubernetes: {name: git, key: user}}\n  p: {kubernetes: {name: git, key: token}}\n"
        "dags:\n  from:\n    git:\n      repo: https://example.com/dags.git\n"
        "      credentials: {username: {secret: u}, password: {secret: p}}\n"
    )
    assert values["dags"]["gitSync"] == {
        "enabled": True, "repo": "https://example.com/dags.git", "branch": "main",
        "httpSecret": "git", "httpSecretUsernameKey": "user", "httpSecretPasswordKey": "token",
    }  # fmt: skip


def test_chart_8_3_0_gets_no_webserver_secret_key_value() -> None:
    values = _values(SECRETS + "targets:\n  eks:\n    chartVersion: 8.3.0\n    webserverSecretKey: {secret: tok}\n")
    assert "webserverSecretKey" not in values["airflow"]
    assert values["airflow"]["extraEnv"][0]["name"] == "AIRFLOW__WEBSERVER__SECRET_KEY"


def test_pool_description_defaults_to_its_name() -> None:
    assert _values("pools:\n  etl: {slots: 3}\n")["airflow"]["pools"] == [
        {"name": "etl", "slots": 3, "description": "etl"}
    ]


BASE = 'apiVersion: airflowspec/v1\nname: demo\nairflow:\n  version: "2.8.4"\n'


def test_https_credentials_in_two_secrets_are_refused() -> None:
    found = diagnose(
        BASE + "secrets:\n  u: {kubernetes: {name: a, key: user}}\n  p: {kubernetes: {name: b, key: token}}\n"
        "dags:\n  from:\n    git:\n      repo: https://example.com/d.git\n"
        "      credentials: {username: {secret: u}, password: {secret: p}}\n"
        "targets:\n  eks: {}\n"
    )
    assert (12, 20, "AS313") in found


def test_two_secrets_with_the_same_template_name_are_refused() -> None:
    found = diagnose(
        BASE + "secrets:\n  a-b: {kubernetes: {name: s, key: k}}\n  a_b: {kubernetes: {name: s, key: j}}\n"
        "variables:\n  x: {secret: a-b}\n  y: {secret: a_b}\ntargets:\n  eks: {}\n"
    )
    assert (7, 3, "AS309") in found


def test_a_volume_over_the_log_folder_turns_log_cleanup_off() -> None:
    values = _values("volumes:\n  shared: {claim: shared, mountPath: /opt/airflow}\n")
    assert values["scheduler"] == {"logCleanup": {"enabled": False}}
    assert values["workers"] == {"enabled": True, "logCleanup": {"enabled": False}}
    found = diagnose(BASE + "volumes:\n  shared: {claim: shared, mountPath: /opt/airflow}\ntargets:\n  eks: {}\n")
    assert (6, 38, "AS321") in found


def test_image_tags_are_checked_against_the_airflow_version() -> None:
    found = diagnose(BASE + "targets:\n  eks:\n    image: {tag: 2.9.3-python3.11}\n")
    assert (7, 18, "AS319") in found
    found = diagnose(BASE + "targets:\n  eks:\n    image: {tag: 1.10.15}\n")
    assert (7, 18, "AS318") in found


def test_a_spec_name_that_is_not_a_release_name_asks_for_one() -> None:
    found = diagnose(BASE.replace("name: demo", "name: Data_Platform") + "targets:\n  eks: {}\n")
    assert (2, 7, "AS307") in found
    assert (2, 7, "AS307") not in diagnose(
        BASE.replace("name: demo", "name: Data_Platform") + "targets:\n  eks: {releaseName: data-platform}\n"
    )


def test_a_dag_volume_at_the_dag_path_is_mounted_once_by_dags_persistence() -> None:
    values = _values(
        "dags:\n  path: /opt/efs\n  from: {volume: efs}\nvolumes:\n  efs: {claim: c, mountPath: /opt/efs}\n"
    )
    assert values["dags"]["persistence"] == {"enabled": True, "existingClaim": "c", "accessMode": "ReadWriteMany"}
    assert "extraVolumes" not in values["airflow"]


def test_leading_dots_survive_in_the_dag_sub_path() -> None:
    values = _values(
        "dags:\n  path: /mnt/efs/.dags\n  from: {volume: efs}\n"
        "volumes:\n  efs: {claim: c, mountPath: /mnt/efs, subPath: ..x}\n"
    )
    assert values["dags"]["persistence"]["subPath"] == "..x/.dags"


def test_requirement_markers_get_double_quotes_for_the_charts_echo() -> None:
    values = _values("packages:\n  - \"tzdata; python_version >= '3.8'\"\n  - pandas>=2,<3\n")
    assert values["airflow"]["extraPipPackages"] == ['tzdata; python_version >= "3.8"', "pandas>=2,<3"]


def test_airflow_before_2_2_runs_no_triggerer() -> None:
    assert "triggerer" not in _values("")
    old = load_spec("", BASE.replace("2.8.4", "2.1.4"))
    assert compile_values(old, EksTarget())["triggerer"] == {"enabled": False}


def test_volumes_may_not_take_the_charts_names_or_mount_paths() -> None:
    found = diagnose(
        BASE + "packages: [pandas]\nvolumes:\n  logs-data: {claim: c, mountPath: /data}\n"
        "  local: {claim: c, mountPath: /home/airflow/.local}\ntargets:\n  eks: {}\n"
    )
    assert (7, 3, "AS322") in found
    assert (8, 32, "AS323") in found


def test_a_secret_inside_extra_warns_about_json_breaking_values() -> None:
    found = diagnose(
        BASE + "secrets:\n  t: {kubernetes: {name: s, key: t}}\n"
        "connections:\n  c:\n    type: http\n    extra: {token: {secret: t}}\ntargets:\n  eks: {}\n"
    )
    assert (10, 20, "AS324") in found


def test_chart_owned_port_and_log_options_are_refused() -> None:
    found = diagnose(
        BASE + "  config:\n    webserver: {web_server_port: 9090}\n    logging: {base_log_folder: /x}\n"
        "targets:\n  eks: {}\n"
    )
    assert (6, 17, "AS306") in found and (7, 15, "AS306") in found


ROLE = "arn:aws:iam::123456789012:role/a"
IRSA = {"eks.amazonaws.com/role-arn": ROLE}


@pytest.mark.parametrize(
    ("account", "expected"),
    [
        ("{name: airflow-irsa}", {"create": False, "name": "airflow-irsa"}),
        (f'{{name: airflow-irsa, roleArn: "{ROLE}"}}', {"create": True, "name": "airflow-irsa", "annotations": IRSA}),
        (f'{{roleArn: "{ROLE}"}}', {"annotations": IRSA}),
    ],
)
def test_a_named_account_is_made_only_with_a_role(account: str, expected: dict[str, Any]) -> None:
    """One meaning on both charts: a name alone is an account that exists; a name and a role, an account
    the chart makes with the IRSA annotation (issue 11, item 1)."""
    spec = load_spec(f"targets:\n  eks:\n    serviceAccount: {account}\n")
    assert spec.targets.eks is not None
    assert compile_values(spec, spec.targets.eks)["serviceAccount"] == expected
