"""Building blocks shared by every part of the spec: the model base and the secret reference."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    JsonValue,
    StrictStr,
    Tag,
    WithJsonSchema,
)
from pydantic.alias_generators import to_camel

#: Loc parts pydantic adds for the branches of our tagged unions; they are not spec keys.
UNION_TAGS = frozenset(
    {
        "<connection>",
        "<literal>",
        "<secret-ref>",
        "<value>",
        "<off>",
        "<settings>",
        "<claim>",
        "<volume>",
        "<create>",
        "<secret-volume>",
        "<config-map>",
        "<import>",
        "<list>",
        "<parameter>",
    }
)

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
DNS_LABEL = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"


class SpecModel(BaseModel):
    """Every spec object: unknown keys are errors, values are frozen, YAML keys are camelCase."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        alias_generator=to_camel,
        populate_by_name=True,
        # Build validators on first use, once, from the root `Spec`: not one per model at import, which
        # cold `validate` would pay for every model again.
        defer_build=True,
    )


class SecretRef(SpecModel):
    """A reference to a secret declared under `secrets:`; the spec never holds a secret's value."""

    secret: Annotated[StrictStr, Field(pattern=NAME_PATTERN)] = Field(
        description="Name of an entry under `secrets:`.", examples=["warehouse-password"]
    )


def _literal_or_secret(value: Any) -> str | None:
    if value is None:
        return None
    return "<secret-ref>" if isinstance(value, dict) else "<literal>"


def _value_or_secret(value: Any) -> str | None:
    if value is None:
        return None
    return "<secret-ref>" if isinstance(value, dict) and "secret" in value else "<value>"


_SECRET_REF_SCHEMA = {
    "type": "object",
    "properties": {"secret": {"type": "string", "pattern": NAME_PATTERN}},
    "required": ["secret"],
    "additionalProperties": False,
    "description": "A reference to a secret declared under `secrets:`.",
}


def off_or_settings(value: Any) -> str:
    """The discriminator of `Annotated[Model, Tag("<settings>")] | Annotated[Literal[False], Tag("<off>")]`:
    a thing's settings or `false` to turn it off, with one error for either, not one per branch."""
    return "<off>" if isinstance(value, bool) else "<settings>"


#: A string field that may instead come from a secret: `password: {secret: warehouse-password}`.
StrOrSecret = Annotated[
    Annotated[StrictStr, Tag("<literal>")] | Annotated[SecretRef, Tag("<secret-ref>")],
    Discriminator(_literal_or_secret, custom_error_type="value_missing", custom_error_message="needs a value"),
]

#: Any YAML value (stored as JSON text where a platform needs text), or a secret reference.
ValueOrSecret = Annotated[
    Annotated[SecretRef, Tag("<secret-ref>")] | Annotated[JsonValue, Tag("<value>")],
    Discriminator(_value_or_secret, custom_error_type="value_missing", custom_error_message="needs a value"),
    WithJsonSchema(
        {
            "anyOf": [
                _SECRET_REF_SCHEMA,
                {"type": ["string", "number", "boolean", "object", "array"]},
            ]
        }
    ),
]
