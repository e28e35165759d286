"""`airflow:` — the Airflow release, its executor and its airflow.cfg options."""

from __future__ import annotations

import enum
from typing import Annotated, Any

from pydantic import Field, PlainValidator, StrictStr, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from airflowspec.spec.base import SpecModel


class Executor(str, enum.Enum):
    CELERY = "CeleryExecutor"
    CELERY_KUBERNETES = "CeleryKubernetesExecutor"
    KUBERNETES = "KubernetesExecutor"
    LOCAL = "LocalExecutor"
    LOCAL_KUBERNETES = "LocalKubernetesExecutor"
    SEQUENTIAL = "SequentialExecutor"


ConfigName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


def _config_value(value: Any) -> str | int | float | bool:
    if isinstance(value, (str, int, float, bool)):
        return value
    raise PydanticCustomError("config_value", "an airflow.cfg option takes a string, number or boolean")


ConfigValue = Annotated[
    str | int | float | bool,
    PlainValidator(_config_value),
    WithJsonSchema({"type": ["string", "number", "boolean"]}),
]


class Airflow(SpecModel):
    version: StrictStr = Field(
        description="Airflow release, e.g. `2.8.4`. Drives the image tag, MWAA's AirflowVersion, "
        "the constraints URL and every version check.",
        examples=["2.8.4"],
        pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$",
    )
    executor: Executor = Field(
        default=Executor.CELERY,
        description="The executor. Each target accepts a subset: the community chart takes "
        "Celery, Kubernetes and CeleryKubernetes; MWAA only Celery.",
    )
    config: dict[ConfigName, dict[ConfigName, ConfigValue]] = Field(
        default_factory=dict,
        description="airflow.cfg options: section -> option -> value, lowercase as in airflow.cfg. Each is "
        "checked against the options the Airflow release reads (AS230, with the option meant) and how Airflow "
        "parses its value (AS231). Options a target sets itself are refused for that target.",
        examples=[{"core": {"dags_are_paused_at_creation": True}}],
    )


def option_text(value: str | int | float | bool) -> str:
    """An option's value as airflow.cfg text: booleans as True/False, as Airflow writes them."""
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)
