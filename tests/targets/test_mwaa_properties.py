"""`targets.mwaa.properties`: checked against CloudFormation's schema of AWS::MWAA::Environment as
airflowspec keeps it, refused where the spec owns the property, merged last where it may go.

With the schema airflowspec holds today every settable property is one the spec sets (the tests say
so, and fail when a rebuilt schema adds one, for a decision); the acceptance and the shape checks are
shown on a schema that has one more, as a newer one would."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES
from ruamel.yaml import YAML

from airflowspec import api
from airflowspec.data import build_mwaa_schema, mwaa_schema
from airflowspec.emit import to_yaml
from airflowspec.targets.mwaa import properties

EVERYTHING = EXAMPLES / "mwaa" / "airflowspec.yaml"  # sets every optional part of the environment


def _document() -> Any:
    document = YAML(typ="safe", pure=True).load(EVERYTHING.read_text(encoding="utf-8"))
    document["targets"]["mwaa"] |= {"requirementsS3ObjectVersion": "r1", "startupScriptS3ObjectVersion": "s1"}
    return document


def _render(document: Any, folder: Path) -> tuple[api.Validation, Any]:
    spec = folder / "spec.yaml"
    spec.write_text(to_yaml(document), encoding="utf-8")
    validation, artifacts = api.render(spec, "mwaa")
    template = next((a.text for a in artifacts if a.path == "template.yaml"), None)
    return validation, YAML(typ="safe", pure=True).load(template) if template else None


def _found(validation: api.Validation) -> list[tuple[str, tuple[Any, ...], str]]:
    return [(d.code, d.path, d.message) for d in validation.diagnostics]


# The properties the spec owns, and what is left.


def test_every_property_the_template_writes_is_owned_by_a_spec_field(tmp_path: Path) -> None:
    validation, template = _render(_document(), tmp_path)
    assert validation.ok
    assert set(template["Resources"]["Environment"]["Properties"]) == set(properties.OWNED)


def test_every_property_of_the_schema_is_owned_or_read_only() -> None:
    """Nothing is left to `properties` today: a rebuilt schema with a new property fails here, so that
    someone decides whether the spec should own it."""
    schema = mwaa_schema.environment_schema()
    assert set(schema["properties"]) == set(properties.OWNED) | mwaa_schema.read_only_properties()
    assert mwaa_schema.read_only_properties() == {
        "Arn",
        "CeleryExecutorQueue",
        "DatabaseVpcEndpointService",
        "WebserverUrl",
        "WebserverVpcEndpointService",
    }


@pytest.mark.parametrize("name", sorted(properties.OWNED))
def test_a_property_the_spec_sets_is_refused_with_the_field_that_sets_it(name: str, tmp_path: Path) -> None:
    document = _document()
    document["targets"]["mwaa"]["properties"] = {name: "x"}
    validation, template = _render(document, tmp_path)
    assert template is None
    path = ("targets", "mwaa", "properties", name)
    assert ("AS451", path, f"the spec sets {name} itself, from {properties.OWNED[name]}") in _found(validation)


@pytest.mark.parametrize("name", sorted(mwaa_schema.read_only_properties()))
def test_a_read_only_property_is_refused(name: str, tmp_path: Path) -> None:
    document = _document()
    document["targets"]["mwaa"]["properties"] = {name: "x"}
    validation, _ = _render(document, tmp_path)
    assert [code for code, _, _ in _found(validation)] == ["AS452"]


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("EnviromentClass", "did you mean `EnvironmentClass`? The spec sets it, from `targets.mwaa.environmentClass`"),
        (
            "IdentityCenterConfiguration",
            "did you mean `NetworkConfiguration`? The spec sets it, from `targets.mwaa.network`",
        ),
        ("Tagz", "did you mean `Tags`? The spec sets it, from `targets.mwaa.tags`"),
        ("Concurrency", "see CloudFormation's reference of the resource for the properties it has"),
    ],
)
def test_a_property_the_schema_lacks_is_refused_with_the_nearest(name: str, hint: str, tmp_path: Path) -> None:
    """The API has IdentityCenterConfiguration; CloudFormation does not (cfn-lint: E3002)."""
    document = _document()
    document["targets"]["mwaa"]["properties"] = {name: {"x": 1}}
    validation, _ = _render(document, tmp_path)
    (diagnostic,) = validation.diagnostics
    assert (diagnostic.code, diagnostic.hint, diagnostic.on_key) == ("AS450", hint, True)


# On a schema with one more property, as a newer one would have.

NEWER = copy.deepcopy(mwaa_schema.environment_schema())
NEWER["properties"]["Teams"] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "Names": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
        "Mode": {"enum": ["ONE", "MANY"]},
        "Bucket": {"$ref": "#/definitions/S3BucketArn"},
    },
}


@pytest.fixture
def newer_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mwaa_schema, "environment_schema", lambda: NEWER)


TEAMS = {"Names": ["analytics", "ml"], "Mode": "MANY", "Bucket": "arn:aws:s3:::teams"}


@pytest.mark.usefixtures("newer_schema")
def test_a_property_the_spec_does_not_set_is_merged_into_the_environment_last(tmp_path: Path) -> None:
    document = _document()
    document["targets"]["mwaa"]["properties"] = {"Teams": TEAMS}
    validation, template = _render(document, tmp_path)
    assert validation.ok, _found(validation)
    written = template["Resources"]["Environment"]["Properties"]
    assert list(written)[-1] == "Teams" and written["Teams"] == TEAMS


@pytest.mark.usefixtures("newer_schema")
@pytest.mark.parametrize(
    ("teams", "expected"),
    [
        ({"Names": "analytics"}, [("AS453", ("Names",), "must be a list, not a string", True)]),
        ({"Names": ["a", 2]}, [("AS453", ("Names", 1), "must be a string, not a number", False)]),
        ({"Mode": "ALL"}, [("AS453", ("Mode",), "must be one of: ONE, MANY", True)]),
        (
            {"Names": ["a", "b", "c", "d"]},
            [("AS453", ("Names",), "does not fit CloudFormation's schema: ['a', 'b', 'c', 'd'] is too long", True)],
        ),
        ({"Bucket": "s3://teams"}, [("AS453", ("Bucket",), None, True)]),
        ({"Mods": "ONE"}, [("AS450", ("Mods",), "AWS::MWAA::Environment has no 'Mods' in `properties.Teams`", True)]),
        ({"Names": [{"secret": "team-names"}]}, [("AS454", ("Names", 0), None, False)]),
    ],
    ids=["type", "item-type", "enum", "too-many", "pattern", "unknown-key", "secret"],
)
def test_a_value_of_the_wrong_shape_is_refused_where_it_is_written(
    teams: dict[str, Any], expected: list[tuple[str, tuple[Any, ...], str | None, bool]], tmp_path: Path
) -> None:
    document = _document()
    document["targets"]["mwaa"]["properties"] = {"Teams": teams}
    validation, template = _render(document, tmp_path)
    assert template is None
    found = [
        (d.code, d.path[4:], d.message.split("` ", 1)[-1] if d.code == "AS453" else d.message, d.on_key)
        for d in validation.diagnostics
    ]
    assert [(code, path, on_key) for code, path, _, on_key in found] == [(c, p, k) for c, p, _, k in expected]
    for (_, _, message, _), (_, _, wanted, _) in zip(found, expected, strict=True):
        assert wanted is None or message == wanted


@pytest.mark.usefixtures("newer_schema")
def test_the_nearest_key_is_offered_inside_a_property(tmp_path: Path) -> None:
    document = _document()
    document["targets"]["mwaa"]["properties"] = {"Teams": {"Mods": "ONE"}}
    validation, _ = _render(document, tmp_path)
    assert [d.hint for d in validation.diagnostics] == ["did you mean `Mode`?"]


@pytest.mark.usefixtures("newer_schema")
@pytest.mark.parametrize(
    ("teams", "code"),
    [({"Names": ["{{resolve:ssm:/teams}}"]}, "AS425"), ({"Names": {"Ref": "AWS::NoValue"}}, "AS424")],
)
def test_no_property_becomes_a_function_or_a_dynamic_reference(teams: Any, code: str, tmp_path: Path) -> None:
    document = _document()
    document["targets"]["mwaa"]["properties"] = {"Teams": teams}
    validation, template = _render(document, tmp_path)
    assert template is None and code in [d.code for d in validation.diagnostics]


# The committed schema is the build script's rendering of CloudFormation's.


def test_the_build_keeps_the_properties_and_drops_the_prose(tmp_path: Path) -> None:
    source = tmp_path / "schema.json"
    source.write_text(
        json.dumps(
            {
                "typeName": "AWS::MWAA::Environment",
                "description": "prose",
                "handlers": {"create": {}},
                "properties": {"Name": {"$ref": "#/definitions/Name", "description": "prose"}},
                "definitions": {"Name": {"type": "string", "description": "prose"}},
                "readOnlyProperties": ["/properties/Arn"],
            }
        ),
        encoding="utf-8",
    )
    assert json.loads(build_mwaa_schema.build(source)) == {
        "typeName": "AWS::MWAA::Environment",
        "properties": {"Name": {"$ref": "#/definitions/Name"}},
        "definitions": {"Name": {"type": "string"}},
        "readOnlyProperties": ["/properties/Arn"],
    }


@pytest.mark.skipif(not os.environ.get("AIRFLOWSPEC_MWAA_SCHEMA"), reason="AIRFLOWSPEC_MWAA_SCHEMA names no file")
def test_a_rebuild_gives_the_committed_schema() -> None:
    """`AIRFLOWSPEC_MWAA_SCHEMA=aws-mwaa-environment.schema.json pytest tests/targets/test_mwaa_properties.py`"""
    rebuilt = build_mwaa_schema.build(Path(os.environ["AIRFLOWSPEC_MWAA_SCHEMA"]))
    assert rebuilt == build_mwaa_schema.OUTPUT.read_text(encoding="utf-8")
