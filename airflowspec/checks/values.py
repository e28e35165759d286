"""Values stored as JSON text (structured variables, connection extras) must be JSON."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from airflowspec.diagnostics import Diagnostic, SpecPath, error
from airflowspec.spec import Spec


def check_json_values(spec: Spec) -> Iterator[Diagnostic]:
    for key, value in spec.variables.items():
        yield from _non_finite(value, ("variables", key))
    for conn_id, connection in spec.field_connections().items():
        yield from _non_finite(connection.extra, ("connections", conn_id, "extra"))


def _non_finite(value: Any, path: SpecPath) -> Iterator[Diagnostic]:
    if isinstance(value, float) and not math.isfinite(value):
        yield error("AS216", "JSON has no NaN or infinity", path, "write a finite number, or the text in quotes")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _non_finite(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _non_finite(item, (*path, index))
