"""schema/ is generated from the models and must not be stale; examples pass it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT, check_golden, example_specs
from ruamel.yaml import YAML

from airflowspec.schema_file import schema, schema_text

SCHEMA_FILE = ROOT / "schema" / "airflowspec.schema.json"


def test_schema_file_is_current(update_golden: bool) -> None:
    check_golden(SCHEMA_FILE, schema_text(), update_golden)


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())


@pytest.mark.parametrize("spec", example_specs(), ids=lambda p: p.parent.name)
def test_examples_pass_the_schema(spec: Path) -> None:
    document = YAML(typ="safe").load(spec.read_text(encoding="utf-8"))
    errors = [error.message for error in jsonschema.Draft202012Validator(schema()).iter_errors(document)]
    assert errors == []


@pytest.mark.parametrize("spec", example_specs(), ids=lambda p: p.parent.name)
def test_examples_point_editors_at_the_schema(spec: Path) -> None:
    first_line = spec.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../../schema/airflowspec.schema.json"


def test_schema_rejects_an_unknown_key() -> None:
    document = {"apiVersion": "airflowspec/v1", "name": "x", "airflow": {"version": "2.8.4"}, "conections": {}}
    assert not jsonschema.Draft202012Validator(schema()).is_valid(document)


def test_schema_file_is_json_with_a_trailing_newline() -> None:
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert json.loads(text)["title"] == "airflowspec"
