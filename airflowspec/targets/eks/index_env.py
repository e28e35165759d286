"""The spec's package indexes as pip's environment in every Airflow container (EKS).

pip reads `PIP_INDEX_URL` and `PIP_EXTRA_INDEX_URL` (URLs separated by spaces) wherever the charts run
it: the community chart's install-pip-packages init container (8.5.0 and later give it the Airflow
environment) and the official image's entrypoint (`_PIP_ADDITIONAL_REQUIREMENTS`). Each credential is
its own variable read from its Kubernetes Secret, listed before the URL that names it as `$(VARIABLE)`,
which Kubernetes expands when it starts the container; values.yaml holds the URL and the Secret's name,
never the credential.
"""

from __future__ import annotations

import dataclasses

from airflowspec.package_indexes import Index, pip_urls
from airflowspec.spec import SecretRef, Spec


@dataclasses.dataclass(frozen=True)
class PipEnvironment:
    secrets: list[tuple[str, SecretRef]]  # variable -> the secret it is read from; listed first
    urls: dict[str, str]  # PIP_INDEX_URL, PIP_EXTRA_INDEX_URL -> URLs naming those variables

    def __bool__(self) -> bool:
        return bool(self.urls)


def pip_environment(spec: Spec) -> PipEnvironment:
    """The variables that give pip the spec's indexes; none when the spec installs no packages."""
    if not spec.packages:
        return PipEnvironment([], {})
    secrets: list[tuple[str, SecretRef]] = []

    def credential(index: Index, field: str, value: str | SecretRef | None) -> str | None:
        if not isinstance(value, SecretRef):
            return value
        variable = f"{index.variable}_{field.upper()}"
        secrets.append((variable, value))
        return f"$({variable})"

    urls = pip_urls(spec, credential)
    return PipEnvironment(secrets, urls)
