"""Values an MWAA template takes from the stack around it: a literal, `{parameter: Name}` (a
parameter of the template, given at deploy time) or `{import: ExportName}` (an output another stack
exports)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Field, StrictStr, Tag

from airflowspec.spec.base import SpecModel

#: A template parameter's logical id: letters and digits (CloudFormation), starting with a letter so
#: that the deploy command can read its value from a shell variable of the same name.
PARAMETER_NAME = r"^[A-Za-z][A-Za-z0-9]*$"
#: What CloudFormation takes as an export's name: "only alphanumeric characters, colons, or hyphens".
EXPORT_NAME = r"^[A-Za-z0-9:-]+$"


class StackParameter(SpecModel):
    """A parameter of the template, of the type the field needs; `Ref` to it."""

    parameter: Annotated[StrictStr, Field(pattern=PARAMETER_NAME, max_length=255)] = Field(
        description="Name of the template parameter (letters and digits, starting with a letter).",
        examples=["SourceBucketArn"],
    )


class StackImport(SpecModel):
    """A value another stack in the same account and Region exports; `Fn::ImportValue` of it."""

    import_: Annotated[StrictStr, Field(pattern=EXPORT_NAME)] = Field(
        alias="import",
        description="Name of the export (letters, digits, `:` and `-`).",
        examples=["network-PrivateSubnet1"],
    )


#: Either form that is not a literal.
Wiring = StackParameter | StackImport


def _wired_form(value: Any) -> str:
    if isinstance(value, dict):
        return "<import>" if "import" in value else "<parameter>"
    return "<literal>"


def _list_form(value: Any) -> str:
    return "<parameter>" if isinstance(value, dict) else "<list>"


_FORMS = Discriminator(_wired_form)
_LIST_FORMS = Discriminator(_list_form)
_PARAMETER = Annotated[StackParameter, Tag("<parameter>")]
_IMPORT = Annotated[StackImport, Tag("<import>")]

EnvironmentName = Annotated[StrictStr, Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$", min_length=1, max_length=80)]
SubnetId = Annotated[StrictStr, Field(pattern=r"^subnet-([a-f0-9]{8}|[a-f0-9]{17})$")]
SecurityGroupId = Annotated[StrictStr, Field(pattern=r"^sg-([a-f0-9]{8}|[a-f0-9]{17})$")]
VpcId = Annotated[StrictStr, Field(pattern=r"^vpc-([a-f0-9]{8}|[a-f0-9]{17})$")]

#: An ARN or key: checked by the MWAA rules when literal (AS408), by the parameter's pattern otherwise.
WiredText = Annotated[Annotated[StrictStr, Tag("<literal>")] | _PARAMETER | _IMPORT, _FORMS]
WiredName = Annotated[Annotated[EnvironmentName, Tag("<literal>")] | _PARAMETER | _IMPORT, _FORMS]
WiredSubnet = Annotated[Annotated[SubnetId, Tag("<literal>")] | _PARAMETER | _IMPORT, _FORMS]
WiredSecurityGroup = Annotated[Annotated[SecurityGroupId, Tag("<literal>")] | _PARAMETER | _IMPORT, _FORMS]
WiredVpc = Annotated[Annotated[VpcId, Tag("<literal>")] | _PARAMETER | _IMPORT, _FORMS]

#: A list whose items are each wired, or one `{parameter: Name}` of a list type for the whole list.
SubnetIds = Annotated[Annotated[tuple[WiredSubnet, ...], Tag("<list>")] | _PARAMETER, _LIST_FORMS]
SecurityGroupIds = Annotated[Annotated[tuple[WiredSecurityGroup, ...], Tag("<list>")] | _PARAMETER, _LIST_FORMS]
