"""The emitter writes YAML that YAML 1.1 and 1.2 readers read back as the same data."""

from __future__ import annotations

from typing import Any

import pytest
from ruamel.yaml import YAML

from airflowspec.emit import scalar, to_yaml

TRICKY = [
    "yes", "No", "on", "OFF", "y", "n", "true", "null", "~", "", " ", "2.8.4", "0755", "1e3", "0x1f",
    "1_000", "12:30", "2001-12-14", "-dash", "- item", "a: b", "a #b", "#c", "key:", "s3://bucket/x",
    "arn:aws:iam::123456789012:role/x", "${SECRET}", "$$x", "{a}", "[a]", "'q'", '"q"', "multi\nline",
    "tab\there", "trailing ", "ünïcödé", "line\u2028sep", "nel\x85", "*alias", "&anchor", "!tag", "%pct",
    "@at", "`tick", "|", ">", "=", "<<", ".inf", ".nan", "-.5",
]  # fmt: skip


@pytest.mark.parametrize("text", TRICKY)
def test_strings_read_back_unchanged_in_yaml_1_2(text: str) -> None:
    assert YAML(typ="safe", pure=True).load(to_yaml({"k": text})) == {"k": text}


@pytest.mark.parametrize("text", TRICKY)
def test_strings_read_back_unchanged_in_yaml_1_1(text: str) -> None:
    loader = YAML(typ="safe", pure=True)
    loader.version = (1, 1)
    assert loader.load(to_yaml({"k": text})) == {"k": text}


def test_nested_structures_round_trip() -> None:
    data: Any = {
        "a": [1, 2.5, True, None, {"b": [], "c": {}}, [["x"], {"y": "z"}]],
        "empty": {},
        "list": [],
        "deep": {"x": {"y": [{"z": 1, "w": [2]}]}},
    }
    assert YAML(typ="safe", pure=True).load(to_yaml(data)) == data


def test_lists_indent_under_their_key_like_helm_values() -> None:
    assert to_yaml({"a": [{"b": 1, "c": 2}, "d"]}) == "a:\n  - b: 1\n    c: 2\n  - d\n"


def test_plain_where_safe() -> None:
    assert scalar("CeleryExecutor") == "CeleryExecutor"
    assert scalar("/opt/efs/dags") == "/opt/efs/dags"
    assert scalar("2.8.4") == '"2.8.4"'
    assert scalar("yes") == '"yes"'
