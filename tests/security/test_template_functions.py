"""No spec string becomes a CloudFormation function or a dynamic reference in template.yaml
(issue 10, defect 13).

What CloudFormation reads as a function or a dynamic reference is taken from cfn-lint (its
FUNCTIONS_ALL and its dynamic-reference patterns), not from our own list. cfn-lint itself accepts
`Tags: {Ref: AWS::NoValue}` and a `{{resolve:...}}` in a configuration option without a word, so the
refusal must be ours: AS424 and AS425, located at the key or value that carries it.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from cfnlint import helpers
from cfnlint.api import ManualArgs, lint
from cfnlint.decode import decode_str
from conftest import EXAMPLES
from ruamel.yaml import YAML

from airflowspec import api
from airflowspec.emit import to_yaml

MWAA_EXAMPLE = EXAMPLES / "mwaa" / "airflowspec.yaml"
FUNCTION_KEYS = sorted(name.replace("[a-zA-Z0-9]+", "Tags") for name in helpers.FUNCTIONS_ALL)
DYNAMIC_REFERENCES = [
    "{{resolve:ssm:/prod/db-password}}",
    "{{resolve:ssm:/prod/db-password:3}}",
    "{{resolve:ssm-secure:/prod/db-password:1}}",
    "{{resolve:secretsmanager:prod/db:SecretString:password}}",
    "x {{resolve:secretsmanager:arn:aws:secretsmanager:eu-central-1:123456789012:secret:db}} y",
    "{{ resolve:ssm:/prod/db-password }}",
]


def _document() -> Any:
    document = YAML(typ="safe", pure=True).load(MWAA_EXAMPLE.read_text(encoding="utf-8"))
    mwaa = document["targets"]["mwaa"]
    mwaa |= {"requirementsS3ObjectVersion": "r1", "startupScriptS3ObjectVersion": "s1"}
    return document


def _render(document: Any, folder: Path) -> tuple[api.Validation, str | None]:
    spec = folder / "spec.yaml"
    spec.write_text(to_yaml(document), encoding="utf-8")
    validation, artifacts = api.render(spec, "mwaa")
    return validation, next((a.text for a in artifacts if a.path == "template.yaml"), None)


def _codes(validation: api.Validation) -> list[tuple[str, tuple[Any, ...]]]:
    return [(d.code, d.path) for d in validation.diagnostics]


def test_the_corpus_is_what_cfn_lint_calls_a_dynamic_reference() -> None:
    for text in DYNAMIC_REFERENCES:
        assert helpers.REGEX_DYN_REF.match(text) or helpers.REGEX_DYN_REF_SPACES.search(text), text


@pytest.mark.parametrize("key", FUNCTION_KEYS)
def test_a_function_name_as_a_tag_key_is_refused(key: str, tmp_path: Path) -> None:
    document = _document()
    document["targets"]["mwaa"]["tags"] = {key: "AWS::NoValue"}
    validation, template = _render(document, tmp_path)
    assert template is None
    assert ("AS424", ("targets", "mwaa", "tags", key)) in _codes(validation)


@pytest.mark.parametrize("reference", DYNAMIC_REFERENCES)
@pytest.mark.parametrize(
    "path",
    [
        ("airflow", "config", "core", "default_timezone"),
        ("airflow", "config", "celery", "worker_autoscale"),
        ("targets", "mwaa", "tags", "team"),
        ("targets", "mwaa", "dagS3Path"),
        ("targets", "mwaa", "pluginsS3ObjectVersion"),
        ("targets", "mwaa", "requirementsS3ObjectVersion"),
    ],
)
def test_a_dynamic_reference_is_refused_where_it_would_reach_the_template(
    path: tuple[str, ...], reference: str, tmp_path: Path
) -> None:
    document = _document()
    _set(document, path, reference)
    validation, template = _render(document, tmp_path)
    assert template is None
    assert ("AS425", path) in _codes(validation)


def _set(document: Any, path: tuple[Any, ...], value: Any) -> None:
    node = document
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], bool]]:
    """(path, whether the leaf is a mapping key) of every string and key in the document."""
    found: list[tuple[tuple[Any, ...], bool]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            found.append(((*path, key), True))
            found += _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _leaves(value, (*path, index))
    elif isinstance(node, str):
        found.append((path, False))
    return found


def _replace(document: Any, path: tuple[Any, ...], is_key: bool, text: str) -> tuple[Any, tuple[Any, ...]]:
    """A copy with the string at `path` replaced by `text`, or extended by it when `text` starts with `+`."""
    changed = copy.deepcopy(document)
    parent = changed
    for part in path[:-1]:
        parent = parent[part]
    old = path[-1] if is_key else parent[path[-1]]
    new = old + text[1:] if text.startswith("+") else text
    if is_key:
        parent[new] = parent.pop(path[-1])
        return changed, (*path[:-1], new)
    parent[path[-1]] = new
    return changed, path


def _wired_document() -> Any:
    """The example taking every value it may from the stack, with the role and group the template makes."""
    document = _document()
    mwaa = document["targets"]["mwaa"]
    del mwaa["executionRoleArn"]
    mwaa |= {
        "name": {"parameter": "EnvName"},
        "sourceBucketArn": {"import": "shared-Bucket"},
        "createExecutionRole": True,
        "kmsKey": {"parameter": "KeyArn"},
        "network": {
            "subnetIds": [{"parameter": "Subnet1"}, {"import": "network-Subnet2"}],
            "securityGroupIds": {"parameter": "Groups"},
            "createSecurityGroup": {"vpcId": {"import": "network:Vpc"}},
        },
    }
    return document


def test_the_wired_example_renders_with_airflowspecs_own_functions_only(tmp_path: Path) -> None:
    validation, template = _render(_wired_document(), tmp_path)
    assert validation.ok and template is not None, [str(d) for d in validation.diagnostics]
    assert "Fn::ImportValue" in template and "ExecutionRole" in template
    _assert_plain_data(template)


LEAVES = _leaves(_document())
WIRED_LEAVES = [leaf for leaf in _leaves(_wired_document()) if leaf[0][:2] == ("targets", "mwaa")]


@pytest.mark.parametrize(
    ("wired", "path", "is_key"),
    [(False, *leaf) for leaf in LEAVES] + [(True, *leaf) for leaf in WIRED_LEAVES],
    ids=lambda value: str(value),
)
def test_every_spec_string_that_reaches_the_template_is_checked(
    wired: bool, path: tuple[Any, ...], is_key: bool, tmp_path: Path
) -> None:
    """A marker in place of the string shows whether it reaches template.yaml; if it does, a dynamic
    reference there is refused at that very place (AS425, or the schema's own error where the field has a
    pattern). Either way, no template ever holds one. Also for the values the stack gives."""
    document = _wired_document() if wired else _document()
    reaches = False
    for marker in ("zqmarker", "+zqmarker"):  # a field with a pattern may take the marker only at its end
        _, template = _render(_replace(document, path, is_key, marker)[0], tmp_path)
        reaches = reaches or (template is not None and "zqmarker" in template)
    for reference in ("{{resolve:ssm:/prod/db-password}}", "+{{resolve:ssm:/prod/db-password}}"):
        hostile, hostile_path = _replace(document, path, is_key, reference)
        validation, template = _render(hostile, tmp_path)
        if reaches and validation.spec is None:  # the schema refused it, there
            assert any(where[: len(hostile_path)] == hostile_path for _, where in _codes(validation))
        elif reaches:
            assert ("AS425", hostile_path) in _codes(validation)
        if template is not None:
            _assert_plain_data(template)


def _assert_plain_data(template: str) -> None:
    """Through cfn-lint's eyes: no dynamic reference in any string, and no function but airflowspec's
    own: `Ref` to a parameter of the template, `Fn::GetAtt` of one of its resources, `Fn::ImportValue`
    of an export name, `Fn::Sub` of pseudo parameters, parameters and its own variables, and the `,`
    that joins and splits security groups."""
    decoded, matches = decode_str(template)
    assert not matches and decoded is not None
    for node in _nodes(decoded):
        if isinstance(node, str):
            assert not helpers.REGEX_DYN_REF.match(node) and not helpers.REGEX_DYN_REF_SPACES.search(node), node
        elif isinstance(node, dict) and len(node) == 1:
            ((key, value),) = node.items()
            if key in helpers.FUNCTIONS_ALL or key.startswith("Fn::"):
                assert _airflowspecs_own(key, value, decoded), node


def _airflowspecs_own(function: str, argument: Any, template: Any) -> bool:
    parameters, resources = template.get("Parameters", {}), template["Resources"]
    if function == "Ref":
        return argument in parameters
    if function == "Fn::GetAtt":
        return argument[0] in resources
    if function == "Fn::ImportValue":
        return isinstance(argument, str) and re.fullmatch(r"[A-Za-z0-9:-]+", argument) is not None
    if function in ("Fn::Join", "Fn::Split"):
        return argument[0] == ","
    if function == "Fn::Sub":
        text, variables = (argument, {}) if isinstance(argument, str) else argument
        names = set(re.findall(r"\$\{([^}]*)\}", text))
        return all(name.startswith("AWS::") or name in variables or name in parameters for name in names)
    return False


def _nodes(node: Any) -> list[Any]:
    found = [node]
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    if isinstance(node, dict):
        found += list(node.keys())
    for child in children:
        found += _nodes(child)
    return found


@pytest.mark.parametrize(
    "tags",
    [
        {"Ref": "AWS::NoValue"},
        {"Fn::If": "x"},
        {"Fn::Sub": "x", "team": "analytics"},
        {"Reference": "near miss", "Fn": "near miss", "ref": "near miss"},  # renders: must be plain data
    ],
    ids=str,
)
def test_cfn_lint_sees_only_plain_tags(tags: dict[str, str], tmp_path: Path) -> None:
    document = _document()
    document["targets"]["mwaa"]["tags"] = tags
    document["airflow"]["config"]["webserver"]["instance_name"] = "{resolve:ssm:x} {{ not a reference }}"
    validation, template = _render(document, tmp_path)
    if template is None:
        assert any(code == "AS424" for code, _ in _codes(validation))
        return
    _assert_plain_data(template)
    assert decode_str(template)[0]["Resources"]["Environment"]["Properties"]["Tags"] == tags
    findings = lint(template, config=ManualArgs(include_checks=["I"], regions=["eu-central-1"]))
    assert [f"{match.rule.id} {match.message}" for match in findings] == []
