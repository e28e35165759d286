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


# YAML caps an implicit key at 1024 characters as written (quotes and escapes included): libyaml, go-yaml
# (Helm) and ruamel refuse one more. Longer keys are written explicitly (`? key` / `: value`).
LONG_KEYS = ["k" * 1025, "k" * 5000, "é" * 1100, "\x01é" * 300, "yes " * 300, "a: b #" * 200]
SHAPES: list[Any] = [1, None, "text", "multi\nline\n", [], {}, [1, {"x": 2}], {"x": [1, "y"]}]


@pytest.mark.parametrize("shape", SHAPES, ids=repr)
@pytest.mark.parametrize("key", LONG_KEYS, ids=lambda key: f"{key[:6]!r}x{len(key)}")
@pytest.mark.parametrize("version", [(1, 1), (1, 2)])
def test_a_key_of_any_length_reads_back(key: str, shape: Any, version: tuple[int, int]) -> None:
    data = {"top": {key: shape, "after": 1}, "items": [{key: shape, "z": 2}, {"z": 3, key: shape}]}
    loader = YAML(typ="safe", pure=True)
    loader.version = version
    assert loader.load(to_yaml(data)) == data


def test_keys_up_to_the_limit_are_written_as_before() -> None:
    assert to_yaml({"a" * 1024: 1}) == "a" * 1024 + ": 1\n"
    assert to_yaml({"x": {"é" * 1022: [1]}}) == "x:\n  " + '"' + "é" * 1022 + '"' + ":\n    - 1\n"


def test_a_longer_key_is_written_explicitly() -> None:
    assert to_yaml({"a" * 1025: 1}) == "? " + "a" * 1025 + "\n: 1\n"
    assert to_yaml([{"a" * 1025: {"b": 1}}]) == "- ? " + "a" * 1025 + "\n  :\n    b: 1\n"
