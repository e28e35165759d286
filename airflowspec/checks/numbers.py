"""Numbers that would not arrive as written. YAML reads `zip: 01234` as 1234 and `v: 1.10` as 1.1; where
a spec value becomes text (an Airflow variable, an airflow.cfg option) or JSON (a variable's data, a
connection's `extra`), that number is what Airflow gets. Each such number is a warning that shows the
quoted form, which keeps the text as written."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from airflowspec.diagnostics import Diagnostic, SpecPath, warning
from airflowspec.document import Position, YamlMap
from airflowspec.sourcemap import position_of
from airflowspec.spec import Spec


def check_written_numbers(spec: Spec, document: YamlMap, numbers: Mapping[Position, str]) -> Iterator[Diagnostic]:
    """`numbers`: the loader's record of numbers written otherwise than they read back."""
    if not numbers:
        return
    for path, value in _values_that_become_text(spec):
        written = numbers.get(position_of(document, path))
        if written is not None:
            yield warning(
                "AS222",
                f"`{written}` is read as the number {value!r}, which Airflow gets instead",
                path,
                f'quote it to keep it as written: "{written}"',
            )


def _values_that_become_text(spec: Spec) -> Iterator[tuple[SpecPath, Any]]:
    for key, value in spec.variables.items():
        yield from _numbers(value, ("variables", key))
    for section, options in spec.airflow.config.items():
        for option, value in options.items():
            yield from _numbers(value, ("airflow", "config", section, option))
    for conn_id, connection in spec.field_connections().items():
        yield from _numbers(connection.extra or {}, ("connections", conn_id, "extra"))


def _numbers(value: Any, path: SpecPath) -> Iterator[tuple[SpecPath, Any]]:
    if type(value) in (int, float) and math.isfinite(value):  # NaN and infinity are AS216's
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _numbers(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _numbers(item, (*path, index))
