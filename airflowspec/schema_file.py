"""The JSON Schema of the spec, generated from the models; schema/ holds a copy that tests keep current."""

from __future__ import annotations

import json
from typing import Any

from airflowspec.spec import Spec

SCHEMA_ID = "https://airflowspec.dev/schema/airflowspec.schema.json"


def schema() -> dict[str, Any]:
    generated = Spec.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **generated,
        "title": "airflowspec",
    }


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
