"""Where Airflow on MWAA reads connections and variables, and what the execution role the template
makes (`createExecutionRole`) may read there: the spec's own, nothing else.

Airflow's SSM backend (`SystemsManagerParameterStoreBackend`) reads each one with `ssm:GetParameter`
(with decryption: a SecureString under the account's `aws/ssm` key needs no grant of its own, that
key's policy lets the account use it through SSM). The role gets that one action on the spec's two
prefixes, and only when the spec has connections or variables: without them airflowspec sets no
backend, and the role reads no parameter at all.
"""

from __future__ import annotations

from typing import Any

from airflowspec.spec import MwaaTarget, Spec

_SSM_PARAMETER = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter"


def uses_ssm(spec: Spec) -> bool:
    """Whether Airflow on MWAA reads connections and variables from SSM: only the spec's own go there."""
    return bool(spec.connections or spec.variables)


def secrets_read_statements(spec: Spec, mwaa: MwaaTarget) -> list[dict[str, Any]]:
    """The IAM statements that let the made role read the spec's connections and variables where the
    secrets backend looks for them; none when it sets no backend. Both prefixes, whichever the spec
    fills: the backend looks a connection up under its prefix whether or not the spec declares it."""
    if not uses_ssm(spec):
        return []
    prefixes = (mwaa.ssm.connections_prefix, mwaa.ssm.variables_prefix)
    # A prefix is `/` and `[a-zA-Z0-9_.-]` (AS418), so it holds no `${` for Fn::Sub to read.
    resources = [{"Fn::Sub": f"{_SSM_PARAMETER}{prefix.rstrip('/')}/*"} for prefix in prefixes]
    return [{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": resources}]
