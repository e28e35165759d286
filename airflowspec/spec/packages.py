"""Where pip finds `packages`: a package index instead of PyPI, and more beside it."""

from __future__ import annotations

from pydantic import Field, StrictStr

from airflowspec.spec.base import SecretRef, SpecModel, StrOrSecret


class PackageIndex(SpecModel):
    """A Python package index (PEP 503 simple API). Its credentials only ever come from a secret: on EKS
    a Kubernetes Secret read into pip's environment, on MWAA a value the startup script reads at start."""

    url: StrictStr = Field(
        max_length=2048,
        description="The index's simple API URL: https, with no user name, password, query or fragment. "
        "A CodeArtifact URL (`https://DOMAIN-OWNER.d.codeartifact.REGION.amazonaws.com/pypi/REPO/simple/`) "
        "needs no credentials on MWAA: its startup script gets a token with the execution role at start.",
        examples=["https://acme-111122223333.d.codeartifact.eu-west-1.amazonaws.com/pypi/internal/simple/"],
    )
    username: StrOrSecret | None = Field(
        default=None,
        description="User name for the index; `aws` for CodeArtifact when unset.",
        examples=["deploy"],
    )
    password: SecretRef | None = Field(
        default=None,
        description="Password or token, as it goes into the URL (percent-encoded), from a secret. "
        "For CodeArtifact on EKS, a Kubernetes Secret you refresh (a token lasts 12 hours at most); on MWAA "
        "unused, as is `username`: the startup script fetches a token with the execution role.",
        examples=[{"secret": "pypi-token"}],
    )
