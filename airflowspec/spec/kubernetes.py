"""Kubernetes building blocks of `targets.eks.components`: quantities, placement, security context.

Typed as far as the Kubernetes API is stable and small (tolerations, the pod security context, requests
and limits); an `affinity` is the Kubernetes object itself, checked only at its top level, because both
charts pass it to the pod unchanged and the API server checks the rest.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, JsonValue, PlainValidator, StrictBool, StrictInt, StrictStr, WithJsonSchema, model_validator

from airflowspec.spec.base import SpecModel

#: A resource quantity as the API server parses one: `500m`, `1.5`, `2Gi`, `1e3`.
QUANTITY = r"^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$"
#: A label or annotation key: an optional DNS-subdomain prefix and a name of 63 characters at most.
DNS_PREFIX = r"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
QUALIFIED_NAME = "^" + DNS_PREFIX + r"[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$"
LABEL_VALUE = r"^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$"
#: A resource name: `cpu`, `memory`, `ephemeral-storage`, or an extended one like `nvidia.com/gpu`.
RESOURCE_NAME = QUALIFIED_NAME
DNS_SUBDOMAIN = r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$"


def _quantity(value: object) -> str | int | float:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError("must be a Kubernetes quantity such as `500m`, `2Gi` or `1`")
    if isinstance(value, str) and (len(value) > 64 or not re.fullmatch(QUANTITY, value)):
        raise ValueError(f"{value!r} is not a Kubernetes quantity (like `500m`, `1.5`, `2Gi`)")
    return value


#: A number, or a number with a unit suffix; the API server parses it.
Quantity = Annotated[
    str | int | float,
    PlainValidator(_quantity),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": QUANTITY}, {"type": "number"}]}),
]
LabelKey = Annotated[StrictStr, Field(pattern=QUALIFIED_NAME, max_length=317)]
Labels = dict[LabelKey, Annotated[StrictStr, Field(pattern=LABEL_VALUE)]]
Annotations = dict[LabelKey, StrictStr]
ResourceList = dict[Annotated[StrictStr, Field(pattern=RESOURCE_NAME)], Quantity]


class Resources(SpecModel):
    requests: ResourceList | None = Field(
        default=None, description="What the scheduler reserves, e.g. `{cpu: 500m, memory: 1Gi}`."
    )
    limits: ResourceList | None = Field(default=None, description="The most a container may use.")


class Toleration(SpecModel):
    key: Annotated[StrictStr, Field(pattern=QUALIFIED_NAME)] | None = Field(
        default=None, description="Taint key; every key when unset (with `operator: Exists`)."
    )
    operator: Literal["Exists", "Equal"] = Field(default="Equal", description="`Equal` matches `value`.")
    value: Annotated[StrictStr, Field(pattern=LABEL_VALUE)] | None = Field(default=None, description="Taint value.")
    effect: Literal["NoSchedule", "PreferNoSchedule", "NoExecute"] | None = Field(
        default=None, description="Taint effect; every effect when unset."
    )
    toleration_seconds: StrictInt | None = Field(
        default=None, description="With `NoExecute`: how long the pod stays after the taint appears."
    )

    @model_validator(mode="after")
    def _value_fits_operator(self) -> Toleration:
        if self.operator == "Exists" and self.value is not None:
            raise ValueError("`operator: Exists` takes no `value`")
        if self.key is None and self.operator != "Exists":
            raise ValueError("a toleration without `key` needs `operator: Exists`")
        return self


Affinity = dict[Literal["nodeAffinity", "podAffinity", "podAntiAffinity"], dict[str, JsonValue]]


class SeccompProfile(SpecModel):
    type: Literal["RuntimeDefault", "Localhost", "Unconfined"] = Field(
        description="Which seccomp profile.", examples=["RuntimeDefault"]
    )
    localhost_profile: StrictStr | None = Field(default=None, description="With `Localhost`: the profile's file.")


class PodSecurityContext(SpecModel):
    run_as_user: StrictInt | None = Field(default=None, ge=0, description="UID of every container's process.")
    run_as_group: StrictInt | None = Field(default=None, ge=0, description="GID of every container's process.")
    run_as_non_root: StrictBool | None = Field(default=None, description="Refuse to start a container as root.")
    fs_group: StrictInt | None = Field(default=None, ge=0, description="Group that owns mounted volumes.")
    fs_group_change_policy: Literal["OnRootMismatch", "Always"] | None = Field(
        default=None, description="When to change volume ownership to `fsGroup`."
    )
    supplemental_groups: tuple[Annotated[StrictInt, Field(ge=0)], ...] | None = Field(
        default=None, description="More groups for every container's process."
    )
    seccomp_profile: SeccompProfile | None = Field(default=None, description="The pod's seccomp profile.")


class PodDisruptionBudget(SpecModel):
    """Exactly one of `maxUnavailable` or `minAvailable`: a count or a percentage."""

    max_unavailable: StrictInt | Annotated[StrictStr, Field(pattern=r"^[0-9]{1,3}%$")] | None = Field(
        default=None, description="Most pods down at once during a voluntary disruption."
    )
    min_available: StrictInt | Annotated[StrictStr, Field(pattern=r"^[0-9]{1,3}%$")] | None = Field(
        default=None, description="Fewest pods up during a voluntary disruption."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> PodDisruptionBudget:
        if (self.max_unavailable is None) == (self.min_available is None):
            raise ValueError("give exactly one of `maxUnavailable` or `minAvailable`")
        return self


class Persistence(SpecModel):
    size: Annotated[StrictStr, Field(pattern=QUANTITY, max_length=64)] = Field(
        description="Size of the claim.", examples=["10Gi"]
    )
    storage_class: Annotated[StrictStr, Field(pattern=DNS_SUBDOMAIN, max_length=253)] | None = Field(
        default=None, description="StorageClass of the claim; the cluster's default when unset."
    )
