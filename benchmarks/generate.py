"""Write a large spec: 2,000 connections, 10,000 variables, 300 packages, 100 pools and 50 volumes
(times --scale), valid for both targets; with --environments N, deployed as N environments.

    python benchmarks/generate.py --scale 1 > /tmp/large.yaml
"""

from __future__ import annotations

import argparse
import sys


def large_spec(scale: int) -> str:
    lines = [
        "apiVersion: airflowspec/v1",
        "name: large-platform",
        "airflow:",
        '  version: "2.9.2"',
        "  config:",
        "    core: {parallelism: 512, load_examples: false}",
        "dags:",
        "  path: /opt/volume-0/dags",
        "  from: {volume: volume-0}",
        "packages:",
        *(f"  - package-{index:05d}>=1.{index % 7},<2" for index in range(300 * scale)),
        "volumes:",
        *(f"  volume-{index}: {{claim: claim-{index}, mountPath: /opt/volume-{index}}}" for index in range(50 * scale)),
        "variables:",
        *(f"  variable_{index:06d}: value number {index} of the large spec" for index in range(10_000 * scale)),
        "connections:",
    ]
    for index in range(2_000 * scale):
        lines += [
            f"  connection_{index:05d}:",
            "    type: postgres",
            f"    host: db-{index}.internal",
            "    port: 5432",
            "    schema: analytics",
            "    login: etl",
            "    password: {secret: db-password}" if index % 2 else "    password: {secret: other-password}",
            "    extra: {sslmode: require, connect_timeout: 10}",
        ]
    lines += [
        "pools:",
        *(
            f"  pool_{index:04d}: {{slots: {index % 16 + 1}, description: pool {index}}}"
            for index in range(100 * scale)
        ),
        "secrets:",
        "  db-password: {kubernetes: {name: airflow-db, key: password}, env: DB_PASSWORD}",
        "  other-password: {kubernetes: {name: airflow-other, key: password}, env: OTHER_PASSWORD}",
        "targets:",
        "  eks: {chart: community}",
        "  mwaa:",
        '    sourceBucketArn: "arn:aws:s3:::large-platform"',
        '    executionRoleArn: "arn:aws:iam::123456789012:role/large-platform"',
        "    network: {subnetIds: [subnet-0a1b2c3d, subnet-4e5f6a7b], securityGroupIds: [sg-0123abcd]}",
    ]
    return "\n".join(lines) + "\n"


def with_environments(spec: str, count: int) -> str:
    """`spec` deployed `count` times: each environment renames it and changes what teams change between
    environments (a few variables, a connection's host, sizes, the namespace), the rest inherited."""
    lines = [spec.rstrip("\n"), "environments:"]
    for index in range(count):
        lines += [
            f"  env-{index:02d}:",
            f"    name: large-platform-{index:02d}",
            f"    airflow: {{config: {{core: {{parallelism: {64 * (index + 1)}}}}}}}",
            f"    variables: {{variable_000001: environment {index}, variable_000002: null}}",
            f"    connections: {{connection_00001: {{host: db-1.env-{index}.internal}}}}",
            f"    targets: {{eks: {{namespace: airflow-{index:02d}}}, mwaa: {{workers: {{max: {index + 2}}}}}}}",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--environments", type=int, default=0)
    arguments = parser.parse_args()
    spec = large_spec(arguments.scale)
    sys.stdout.write(with_environments(spec, arguments.environments) if arguments.environments else spec)


if __name__ == "__main__":
    main()
