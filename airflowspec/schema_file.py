"""The JSON Schema of the spec, generated from the models; schema/ holds a copy that tests keep current."""

from __future__ import annotations

import json
from typing import Any

from airflowspec.schema_examples import ENUMS, EXAMPLES
from airflowspec.spec import Spec

SCHEMA_ID = "https://airflowspec.dev/schema/airflowspec.schema.json"


def schema() -> dict[str, Any]:
    """Draft-07, which the YAML language server and check-jsonschema both read: `definitions`, not `$defs`."""
    generated = Spec.model_json_schema(by_alias=True, mode="validation", ref_template="#/definitions/{model}")
    definitions = generated.pop("$defs", {})
    for name, model in [("Spec", generated), *definitions.items()]:
        _document(name, model)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        **generated,
        "title": "airflowspec",
        "definitions": definitions,
    }


def _document(model_name: str, model: dict[str, Any]) -> None:
    """Each property: an example (its default, or one from schema_examples), an enum for closed sets,
    and the description again as markdownDescription, which VS Code's YAML extension shows."""
    for name, field in model.get("properties", {}).items():
        key = f"{model_name}.{name}"
        if "examples" not in field:
            field["examples"] = [EXAMPLES[key]] if key in EXAMPLES else [field["default"]]
        if key in ENUMS:
            field["enum"] = ENUMS[key]
        if "description" in field:
            field["markdownDescription"] = field["description"]


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
