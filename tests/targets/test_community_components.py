"""Compiling `targets.eks.components`, `auth` and routing for the community chart: the values they become."""

from __future__ import annotations

from typing import Any

from helpers import BASE, diagnose, load_spec

from airflowspec.spec import EksTarget
from airflowspec.targets.eks.community_values import compile_values

SECRETS = "secrets:\n  pw: {kubernetes: {name: admin, key: password}}\n"


def _values(eks: str, base_extra: str = "", base: str = BASE) -> dict[str, Any]:
    spec = load_spec(base_extra + SECRETS + "targets:\n  eks:\n" + eks, base)
    return compile_values(spec, spec.targets.eks or EksTarget())


def test_defaults_become_the_chart_defaults_and_labels_are_merged_per_pod() -> None:
    values = _values(
        "    components:\n"
        "      defaults: {nodeSelector: {a: b}, labels: {team: data, tier: x}, annotations: {k: v}}\n"
        "      scheduler: {labels: {tier: core}}\n"
    )
    assert values["airflow"]["defaultNodeSelector"] == {"a": "b"}
    assert values["airflow"]["podAnnotations"] == {"k": "v"}
    assert values["scheduler"]["podLabels"] == {"team": "data", "tier": "core"}
    assert values["airflow"]["sync"]["podLabels"] == values["web"]["podLabels"] == {"team": "data", "tier": "x"}
    assert values["redis"]["master"]["nodeSelector"] == values["postgresql"]["master"]["nodeSelector"]


def test_flower_gets_the_defaults_itself_on_8_5_0_unless_it_has_its_own() -> None:
    values = _values(
        '    chartVersion: "8.5.0"\n    components:\n'
        "      defaults: {nodeSelector: {a: b}, affinity: {nodeAffinity: {x: 1}}}\n"
        "      flower: {nodeSelector: {c: d}}\n"
    )
    assert values["flower"]["nodeSelector"] == {"c": "d"}
    assert values["flower"]["affinity"] == {"nodeAffinity": {"x": 1}}


def test_autoscaling_requests_for_the_sidecars_and_replicas_as_the_minimum() -> None:
    values = _values(
        "    components:\n"
        "      workers: {resources: {requests: {cpu: 1}}, autoscaling: {minReplicas: 2, maxReplicas: 5}}\n",
        "dags:\n  from: {git: {repo: 'https://example.com/dags.git'}}\n",
    )
    workers = values["workers"]
    assert workers["replicas"] == 2 and workers["autoscaling"]["maxReplicas"] == 5
    assert [m["resource"]["name"] for m in workers["autoscaling"]["metrics"]] == ["cpu"]
    assert workers["logCleanup"]["resources"] == values["dags"]["gitSync"]["resources"] == {"requests": {"cpu": "10m"}}


def test_admin_is_a_templated_user_and_no_default_user_otherwise() -> None:
    assert _values("    namespace: airflow\n")["airflow"]["users"] == []
    values = _values("    auth:\n      admin: {username: root, password: {secret: pw}, email: a$b@example.com}\n")
    assert values["airflow"]["users"] == [
        {
            "username": "root",
            "password": "${PW}",
            "role": "Admin",
            "email": "a$$b@example.com",
            "firstName": "Airflow",
            "lastName": "Admin",
        }
    ]
    assert values["airflow"]["usersTemplates"] == {"PW": {"kind": "secret", "name": "admin", "key": "password"}}


def test_ingress_paths_take_the_chart_form() -> None:
    values = _values(
        "    components:\n"
        "      webserver: {ingress: {hosts: [a.example.com], path: /}}\n"
        "      flower: {ingress: {hosts: [a.example.com], path: /flower/}}\n",
        base=BASE + "  config: {celery: {flower_url_prefix: /flower}}\n",
    )
    assert values["ingress"] == {
        "enabled": True,
        "web": {"host": "a.example.com"},
        "flower": {"host": "a.example.com", "path": "/flower"},
    }


def test_flower_ingress_alone_is_refused() -> None:
    text = (
        "apiVersion: airflowspec/v1\nname: demo\nairflow:\n  version: '2.8.4'\n"
        "targets:\n  eks:\n    components:\n      flower: {ingress: {hosts: [a.example.com]}}\n"
    )
    assert (8, 16, "AS374") in diagnose(text)
