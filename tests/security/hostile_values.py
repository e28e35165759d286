"""Strings built to make a backtracking regex take quadratic (or worse) time, and a spec that holds them
wherever a spec string goes: long runs of scheme characters, `a://` repeated, `x://` then colons,
`scheme://user:` then no `@`, placeholder openings, underscores, CloudFormation dynamic references."""

from __future__ import annotations

import json

MEGABYTE = 1_000_000


def _run(unit: str, size: int, head: str = "") -> str:
    return head + (unit * (size // len(unit) + 1))[: size - len(head)]


def hostile_values(size: int = MEGABYTE) -> dict[str, str]:
    """Name -> a string of `size` characters."""
    return {
        "scheme_run": _run("a", size),
        "scheme_digits": _run("a1", size),
        "scheme_signs": _run("a+.-", size),
        "many_schemes": _run("a://", size),
        "colons": _run(":", size, "x://"),
        "no_at": _run("c", size, "a://b:"),
        "user_colons": _run("x:", size, "a://"),
        "placeholders": _run("<secret:", size),
        "dollar_braces": _run("${", size),
        "underscores": _run("_", size),
        "words": _run("a_", size),
        "resolve": _run("{{resolve:", size),
        "spaces": _run("a ", size),
    }


def hostile_spec(target: str, size: int = MEGABYTE) -> str:
    """A spec for `target` ("eks" or "mwaa") with each hostile value as a variable, a config value, a
    connection extra value and key; the connection's host and login hold two of them."""
    values = hostile_values(size)
    lines = ["apiVersion: airflowspec/v1", "name: demo", "airflow:", '  version: "2.9.2"', "  config:", "    core:"]
    lines += [f"      {name}: {json.dumps(value)}" for name, value in values.items()]
    lines += ["variables:", *(f"  {name}: {json.dumps(value)}" for name, value in values.items())]
    lines += ["connections:", "  c:", "    type: http"]
    lines += [f"    host: {json.dumps(values['no_at'])}", f"    login: {json.dumps(values['many_schemes'])}"]
    lines += ["    extra:", *(f"      {name}: {json.dumps(value)}" for name, value in values.items())]
    lines += [f"      ? {json.dumps(values['underscores'])}", "      : x"]  # a key over 1024 characters is explicit
    lines += ["targets:"]
    if target == "eks":
        lines += ['  eks: {chart: community, chartVersion: "8.9.0"}']
    else:
        lines += [
            "  mwaa:",
            '    sourceBucketArn: "arn:aws:s3:::demo-airflow"',
            '    executionRoleArn: "arn:aws:iam::123456789012:role/demo"',
            "    network: {subnetIds: [subnet-0a1b2c3d, subnet-4e5f6a7b], securityGroupIds: [sg-0123abcd]}",
            f"    tags: {{team: {json.dumps(values['no_at'])}}}",
        ]
    return "\n".join(lines) + "\n"
