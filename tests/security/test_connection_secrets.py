"""A secret's value never changes what a connection means: no chart pastes it into JSON or URL text.

End to end where the charts are available: the real `helm template`, the kubelet's env expansion (or
the community chart's own template substitution), and the connection read back with Airflow's own
`Connection` class (the integration extra), for passwords from a hostile alphabet. The forms that
cannot be made safe on a chart are refused with located errors, checked in CI.
"""

from __future__ import annotations

import json
import string
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES
from helm_support import airflow_containers, helm_template, kubernetes_env, requires_helm, sync_wrappers

from airflowspec import api
from airflowspec.targets.eks import community_chart as chart

connection_module = pytest.importorskip("airflow.models.connection", reason="needs the integration extra (Airflow)")
Connection = connection_module.Connection

HOSTILE = [
    'pa"ss\\word',
    'x","host":"evil.example',
    "$(HOME) ${HOME} $$ $",
    "line one\nline two\n",
    '}{"extra": {"a": 1}}',
    "' OR '1'='1",
    "%2F@:/?#&=+ spaced",
    "\u2028\u202e\\u0000",
]

COMMUNITY = """\
apiVersion: airflowspec/v1
name: hostile
airflow: {version: "2.9.3", executor: CeleryExecutor}
connections:
  by_field:
    type: postgres
    host: {secret: host}
    login: {secret: login}
    password: {secret: password}
    port: 5432
    extra: {sslmode: require}
  whole: {secret: whole}
secrets:
  host: {kubernetes: {name: db, key: host}}
  login: {kubernetes: {name: db, key: login}}
  password: {kubernetes: {name: db, key: password}}
  whole: {kubernetes: {name: db, key: connection}}
targets:
  eks: {chart: community}
"""
OFFICIAL = """\
apiVersion: airflowspec/v1
name: hostile
airflow: {version: "3.1.8", executor: CeleryExecutor}
connections:
  literal: {type: http, host: "https://api.example.com/$(HOME)", extra: {note: '","host":"x'}}
  whole: {secret: whole}
secrets:
  whole: {kubernetes: {name: db, key: connection}}
targets:
  eks: {chart: official}
"""


def _render(tmp_path: Path, text: str) -> tuple[Any, str]:
    spec_file = tmp_path / "airflowspec.yaml"
    spec_file.write_text(text, encoding="utf-8")
    validation, artifacts = api.render(spec_file, "eks")
    assert validation.spec is not None and artifacts, validation.diagnostics
    return validation.spec, artifacts[0].text


def _airflow_json(password: str) -> str:
    """A Secret value as a user writes it: Airflow's JSON form, made by a JSON encoder."""
    return json.dumps({"conn_type": "postgres", "host": "db.internal", "login": "etl", "password": password})


def _assert_read_back(conn: Any, password: str, host: str = "db.internal") -> None:
    assert (conn.password, conn.host, conn.login) == (password, host, "etl")


@requires_helm
@pytest.mark.parametrize("password", HOSTILE)
def test_community_chart_secrets_arrive_as_written(password: str, tmp_path: Path) -> None:
    _, values = _render(tmp_path, COMMUNITY)
    manifests = helm_template(values, "community-8.9.0", "hostile", tmp_path)
    secrets = {"host": "db.internal", "login": "etl", "password": password, "whole": _airflow_json(password)}
    # the sync pod: each field through the chart's string_substitution (string.Template.safe_substitute)
    templates = {chart.template_name(name): value for name, value in secrets.items()}
    fields = sync_wrappers(manifests, "CONNECTION")["by_field"]
    substituted = {
        key: string.Template(value).safe_substitute(templates) if isinstance(value, str) else value
        for key, value in fields.items()
    }
    _assert_read_back(Connection(**substituted), password)
    assert Connection(**substituted).extra_dejson == {"sslmode": "require"}
    # the connection kept whole: AIRFLOW_CONN_WHOLE in every Airflow container, as the kubelet fills it
    by_key = {("db", "connection"): secrets["whole"]}
    for container in airflow_containers(manifests, "apache/airflow"):
        env = kubernetes_env(container, by_key)
        _assert_read_back(Connection.from_json(env["AIRFLOW_CONN_WHOLE"], conn_id="whole"), password)


@requires_helm
@pytest.mark.parametrize("password", HOSTILE)
def test_official_chart_secrets_arrive_as_written(password: str, tmp_path: Path) -> None:
    _, values = _render(tmp_path, OFFICIAL)
    manifests = helm_template(values, "official-1.21.0", "hostile", tmp_path)
    containers = airflow_containers(manifests, "apache/airflow")
    assert containers
    for container in containers:
        env = kubernetes_env(container, {("db", "connection"): _airflow_json(password)})
        _assert_read_back(Connection.from_json(env["AIRFLOW_CONN_WHOLE"], conn_id="whole"), password)
        literal = Connection.from_json(env["AIRFLOW_CONN_LITERAL"], conn_id="literal")
        assert (literal.host, literal.extra_dejson) == ("https://api.example.com/$(HOME)", {"note": '","host":"x'})


def _validate(tmp_path: Path, text: str) -> list[str]:
    spec_file = tmp_path / "spec.yaml"
    spec_file.write_text(textwrap.dedent(text), encoding="utf-8")
    found = api.validate(spec_file).diagnostics
    return [str(d).removeprefix(f"{tmp_path}/") for d in found if d.code == "AS324"]


def test_secrets_a_chart_would_paste_into_json_are_refused(tmp_path: Path) -> None:
    seed = (EXAMPLES / "seed" / "airflowspec.yaml").read_text(encoding="utf-8")
    extra = seed.replace("extra: {sslmode: require}", "extra: {sslmode: require, token: {secret: slack-token}}")
    assert _validate(tmp_path, extra) == [
        "spec.yaml:42:38: error AS324 the chart would paste secret 'slack-token' into the JSON text of `extra` "
        "unescaped: its value could change the connection; keep the whole connection in one secret, "
        "`warehouse: {secret: NAME}`, its value Airflow's JSON form of the connection"
    ]
    official = seed.replace("chart: community", "chart: official").replace('chartVersion: "8.9.0"', "")
    assert _validate(tmp_path, official) == [
        "spec.yaml:41:15: error AS324 the chart would paste secret 'warehouse-password' into the JSON of "
        "AIRFLOW_CONN_WAREHOUSE unescaped: its value could change the connection; keep the whole connection in "
        "one secret, `warehouse: {secret: NAME}`, its value Airflow's JSON form of the connection"
    ]


def test_a_nul_in_a_literal_field_forges_no_secret(tmp_path: Path) -> None:
    """The official chart once marked secret parts with NUL-delimited names, so a literal `\0pw\0` beside
    a secret part pulled that secret into an unmasked field. Secret parts are refused now, and literal
    NULs arrive as written."""
    forged = OFFICIAL.replace(
        "literal: {type: http,", 'literal: {type: http, login: "\\0whole\\0", password: {secret: whole},'
    )
    assert [line.split(" error ")[1][:5] for line in _validate(tmp_path, forged)] == ["AS324"]
    text = OFFICIAL.replace("literal: {type: http,", 'literal: {type: http, description: "note \\0whole\\0 end",')
    _, values = _render(tmp_path, text)
    assert "$(AIRFLOWSPEC" not in values
    from ruamel.yaml import YAML

    env = {item["name"]: item["value"] for item in YAML(typ="safe").load(values)["env"]}
    assert json.loads(env["AIRFLOW_CONN_LITERAL"])["description"] == "note \0whole\0 end"
