"""schema/ is generated from the models and must not be stale; examples pass it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import ROOT, check_golden, example_specs
from ruamel.yaml import YAML

from airflowspec.schema_file import OVERLAY, schema, schema_text

SCHEMA_FILE = ROOT / "schema" / "airflowspec.schema.json"


def test_schema_file_is_current(update_golden: bool) -> None:
    check_golden(SCHEMA_FILE, schema_text(), update_golden)


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft7Validator.check_schema(schema())


@pytest.mark.parametrize("spec", example_specs(), ids=lambda p: p.parent.name)
def test_examples_pass_the_schema(spec: Path) -> None:
    document = YAML(typ="safe").load(spec.read_text(encoding="utf-8"))
    errors = [error.message for error in jsonschema.Draft7Validator(schema()).iter_errors(document)]
    assert errors == []


@pytest.mark.parametrize("spec", example_specs(), ids=lambda p: p.parent.name)
def test_examples_point_editors_at_the_schema(spec: Path) -> None:
    first_line = spec.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../../schema/airflowspec.schema.json"


def test_an_environment_s_fields_have_the_descriptions_of_the_model_s() -> None:
    definitions = schema()["definitions"]
    for name, model in definitions.items():
        if name.endswith(OVERLAY):
            whole = definitions.get(name.removesuffix(OVERLAY)) or schema()
            for key, field in model.get("properties", {}).items():
                assert field.get("description") == whole["properties"][key].get("description"), (name, key)


def test_an_environment_is_a_partial_spec_in_the_schema() -> None:
    """Every key optional, `null` removes one, a list is whole, a typo or a fixed key fails, a name is a
    DNS label other than `base`."""
    validator = jsonschema.Draft7Validator(schema())
    base = {"apiVersion": "airflowspec/v1", "name": "x", "airflow": {"version": "2.9.3"}}
    fine = [
        {"dev": None, "prod": {"targets": {"mwaa": {"workers": {"max": 5}}, "eks": None}}},
        {"prod": {"connections": {"db": {"port": 5433}}, "packages": ["pandas"], "dags": None}},
        {"prod-eu": {"volumes": {"dags": {"mountPath": "/opt/airflow/dags"}}, "variables": {"old": None}}},
    ]
    for environments in fine:
        assert [e.message for e in validator.iter_errors({**base, "environments": environments})] == []
    wrong = [
        {"prod": {"targets": {"eks": {"namespce": "x"}}}},
        {"prod": {"apiVersion": "airflowspec/v1"}},
        {"prod": {"packages": [None]}},
        {"base": {}},
        {"Prod": {}},
        {"prod": []},
    ]
    for environments in wrong:
        assert not validator.is_valid({**base, "environments": environments}), environments


def test_schema_rejects_an_unknown_key() -> None:
    document = {"apiVersion": "airflowspec/v1", "name": "x", "airflow": {"version": "2.8.4"}, "conections": {}}
    assert not jsonschema.Draft7Validator(schema()).is_valid(document)


def test_schema_file_is_json_with_a_trailing_newline() -> None:
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert json.loads(text)["title"] == "airflowspec"


def _properties() -> list[tuple[str, dict[str, Any]]]:
    """Each model's fields; not those of an environment's partial copy of a model (the same fields)."""
    document = schema()
    models = [("Spec", document), *((n, m) for n, m in document["definitions"].items() if not n.endswith(OVERLAY))]
    return [(f"{name}.{key}", field) for name, model in models for key, field in model.get("properties", {}).items()]


@pytest.mark.parametrize(("name", "field"), _properties(), ids=[name for name, _ in _properties()])
def test_every_field_has_a_description_and_an_example_that_validates(name: str, field: dict[str, Any]) -> None:
    assert field.get("description") and field.get("markdownDescription") == field["description"]
    assert field["examples"]
    validator = jsonschema.Draft7Validator({**field, "definitions": schema()["definitions"]})
    for example in field["examples"]:
        assert list(validator.iter_errors(example)) == [], (name, example)


def test_field_reference_is_current(update_golden: bool) -> None:
    from airflowspec.field_reference import field_reference

    check_golden(ROOT / "docs" / "spec.md", field_reference(), update_golden)


def test_field_reference_lists_every_field() -> None:
    text = (ROOT / "docs" / "spec.md").read_text(encoding="utf-8")
    for name, _ in _properties():
        model, field = name.split(".", 1)
        assert f"## {model}" in text and f"| `{field}` |" in text, name


def test_the_field_reference_says_what_each_target_does() -> None:
    """docs/spec.md once had an empty Executor table, said `used` for fields the community chart ignores,
    and named a variable's object type twice (issue 11, item 17)."""
    from airflowspec.field_reference import field_reference

    text = field_reference()
    executors = text.split("## Executor\n", 1)[1].split("\n## ", 1)[0]
    assert "| `KubernetesExecutor` | yes | yes | no |" in executors
    assert "| `LocalExecutor` | no | yes | no |" in executors
    rows = {line.split(" | ")[0]: line for line in text.splitlines() if line.startswith("| `")}
    assert "| not used" in rows["| `jwtSecret`"] and "| not used" in rows["| `pipInstallAtStart`"]
    assert rows["| `variables`"].count(" object ") == 1  # was "object or string or ... or object or array"
