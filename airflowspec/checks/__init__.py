"""Meaning and cross-field rules that hold whatever the target: each check yields diagnostics."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from airflowspec.checks import config, identifiers, indexes, literals, packages, references, values, versions
from airflowspec.diagnostics import Diagnostic
from airflowspec.spec import Spec

Check = Callable[[Spec], Iterable[Diagnostic]]

CHECKS: tuple[Check, ...] = (
    references.check_secrets,
    references.check_volumes,
    identifiers.check_ids,
    packages.check_packages,
    indexes.check_indexes,
    literals.check_literal_secrets,
    literals.check_nested_references,
    values.check_json_values,
    versions.check_airflow_version,
    versions.check_pools,
    versions.check_airflow_3,
    config.check_config,
)


def run_checks(spec: Spec) -> list[Diagnostic]:
    return [diagnostic for check in CHECKS for diagnostic in check(spec)]
