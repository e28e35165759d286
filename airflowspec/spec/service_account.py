"""Kubernetes service accounts: the one every pod runs as, and a component's own (IRSA roles per pod)."""

from __future__ import annotations

from pydantic import Field, StrictBool, StrictStr, model_validator

from airflowspec.spec.base import DNS_LABEL, SpecModel

ROLE_ARN = r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9_+=,.@/-]+$"


class ServiceAccount(SpecModel):
    role_arn: StrictStr | None = Field(
        default=None,
        description="IAM role for IRSA, set as the `eks.amazonaws.com/role-arn` annotation.",
        pattern=ROLE_ARN,
        examples=["arn:aws:iam::123456789012:role/airflow"],
    )
    name: StrictStr | None = Field(
        default=None,
        description="The account every Airflow pod runs as: made by the chart with the IRSA annotation when "
        "`roleArn` is given, otherwise one that exists already; the chart's own accounts when unset.",
        pattern=DNS_LABEL,
    )


class ComponentServiceAccount(SpecModel):
    name: StrictStr | None = Field(
        default=None,
        description="The account's name; the chart's name for the component when unset.",
        pattern=DNS_LABEL,
    )
    create: StrictBool = Field(
        default=True, description="Have the chart make the account; false to use one that exists (`name` needed)."
    )
    role_arn: StrictStr | None = Field(
        default=None,
        description="IAM role for IRSA on the account the chart makes (`eks.amazonaws.com/role-arn`).",
        pattern=ROLE_ARN,
    )

    @model_validator(mode="after")
    def _existing_needs_name(self) -> ComponentServiceAccount:
        if not self.create and self.name is None:
            raise ValueError("an account that exists already (`create: false`) needs its `name`")
        if not self.create and self.role_arn is not None:
            raise ValueError("`roleArn` annotates an account the chart makes; with `create: false` set it on yours")
        return self
