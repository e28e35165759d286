"""Connections and variables as SSM parameters, in the form Airflow's SSM secrets backend reads, and
what SSM would refuse in one. How entries are built is `secret_stores`' (shared with Secrets Manager).
"""

from __future__ import annotations

from collections.abc import Iterator

from airflowspec.airflow_forms import Reveal
from airflowspec.data import mwaa as facts
from airflowspec.diagnostics import Diagnostic, error, warning
from airflowspec.spec import MwaaTarget, Spec
from airflowspec.targets.mwaa.secret_stores import Parameter, placeholder, ssm_store, store_entries

_ARN_PREFIX_LENGTH = len("arn:aws:ssm:ap-southeast-2:123456789012:parameter")  # the longest commercial region
_SSM_MAX_NAME = 1011

__all__ = ["Parameter", "parameter_problems", "placeholder", "ssm_parameters"]


def ssm_parameters(spec: Spec, mwaa: MwaaTarget, reveal: Reveal = placeholder) -> list[Parameter]:
    return store_entries(spec, ssm_store(mwaa), reveal)


def parameter_problems(parameter: Parameter) -> Iterator[Diagnostic]:
    """What SSM would refuse in a parameter (a warning where it only needs the Advanced tier)."""
    size = len(parameter.value.encode("utf-8"))
    name, source = parameter.name, parameter.source
    if not parameter.value:
        yield error("AS422", f"SSM cannot store an empty value, which {name} has", source, "give it a value")
    if "{{" in parameter.value and "}}" in parameter.value:
        yield error(
            "AS419",
            f"SSM refuses values with `{{{{ }}}}`, which {name} has",
            source,
            "move the template text into the DAG",
        )
    if size > facts.SSM_ADVANCED_VALUE_BYTES:
        yield error("AS420", f"{name} is {size} bytes; SSM takes at most {facts.SSM_ADVANCED_VALUE_BYTES}", source)
    elif size > facts.SSM_STANDARD_VALUE_BYTES:
        message = f"{name} is {size} bytes: it needs the Advanced tier (over {facts.SSM_STANDARD_VALUE_BYTES})"
        yield warning("AS420", message, source)
    if name.count("/") > facts.SSM_MAX_LEVELS or len(name) + _ARN_PREFIX_LENGTH > _SSM_MAX_NAME:
        yield error("AS421", f"SSM cannot name {name}: too deep or too long", source, on_key=True)
