"""`packages:` are PEP 508 requirements, each named once, and never Airflow itself."""

from __future__ import annotations

from collections.abc import Iterator

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from airflowspec.diagnostics import Diagnostic, error, quote
from airflowspec.spec import Spec

AIRFLOW_ITSELF = frozenset({"apache-airflow", "apache-airflow-core"})


def check_packages(spec: Spec) -> Iterator[Diagnostic]:
    first_index: dict[str, int] = {}
    for index, text in enumerate(spec.packages):
        path = ("packages", index)
        try:
            requirement = Requirement(text)
        except InvalidRequirement as exc:
            yield error(
                "AS207",
                f"{quote(text)} is not a valid requirement: {str(exc).splitlines()[0]}",
                path,
                "write it as PEP 508, e.g. `pandas>=2.1,<3`",
            )
            continue
        name = canonicalize_name(requirement.name)
        if name in AIRFLOW_ITSELF:
            yield error("AS208", f"{quote(text)} would change Airflow itself", path, "set `airflow.version` instead")
        elif name in first_index:
            yield error(
                "AS209",
                f"package '{name}' is listed twice (first as {quote(spec.packages[first_index[name]])})",
                path,
                "keep one requirement per package",
            )
        else:
            first_index[name] = index
