"""The CloudFormation resource schema of AWS::MWAA::Environment, as `build_mwaa_schema` keeps it in
mwaa_environment_schema.json (from the registry schema cfn-lint 1.58.0 bundles); read on first use."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

_FILE = Path(__file__).resolve().parent / "mwaa_environment_schema.json"


@functools.cache
def environment_schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_FILE.read_text(encoding="utf-8"))
    return data


def property_schema(name: str) -> dict[str, Any]:
    """The schema of one property, with the definitions its `$ref`s name."""
    schema = environment_schema()
    return {"definitions": schema["definitions"], **schema["properties"][name]}


def read_only_properties() -> frozenset[str]:
    """Top-level properties CloudFormation returns and a template cannot set (`Arn`, `WebserverUrl`...)."""
    pointers = environment_schema()["readOnlyProperties"]
    return frozenset(pointer.split("/")[2] for pointer in pointers if pointer.count("/") == 2)
