"""Build specs from small YAML snippets for unit tests."""

from __future__ import annotations

from pathlib import Path

from airflowspec.checks import run_checks
from airflowspec.checks.numbers import check_written_numbers
from airflowspec.diagnostics import Diagnostic
from airflowspec.loader import load_bytes
from airflowspec.schema_errors import parse_spec
from airflowspec.sourcemap import locate
from airflowspec.spec import Spec

BASE = """\
apiVersion: airflowspec/v1
name: demo
airflow:
  version: "2.8.4"
"""


def load_spec(body: str = "", base: str = BASE) -> Spec:
    loaded = load_bytes((base + body).encode(), "spec.yaml")
    assert loaded.document is not None, loaded.diagnostics
    spec, problems = parse_spec(loaded.document, loaded.numbers)
    assert spec is not None, problems
    return spec


def diagnose(text: str) -> list[tuple[int, int, str]]:
    """(line, col, code) of every diagnostic for a whole spec text, with the rules of the targets it declares."""
    from airflowspec.api import declared_targets
    from airflowspec.targets import TARGETS

    loaded = load_bytes(text.encode(), "spec.yaml")
    if loaded.document is None:
        return [(d.line, d.col, d.code) for d in loaded.diagnostics]
    spec, problems = parse_spec(loaded.document, loaded.numbers)
    if spec is not None:
        problems += run_checks(spec)
        problems += check_written_numbers(spec, loaded.document, loaded.numbers)
        for name in declared_targets(spec):
            problems += TARGETS[name].check(spec)
    located: list[Diagnostic] = locate(problems, loaded.document, "spec.yaml")
    return sorted((d.line, d.col, d.code) for d in located)


def secrets_manager_spec(source: Path, folder: Path, block: str = "") -> Path:
    """`source` with its connections and variables in Secrets Manager: the MWAA example's SSM prefixes
    become Secrets Manager's (no leading `/`), the seed takes the defaults (or `block`)."""
    text = source.read_text(encoding="utf-8")
    if "\n    ssm:\n" in text:
        text = text.replace("\n    ssm:\n", "\n    secretsManager:\n").replace(
            ": /analytics-prod/", ": analytics-prod/"
        )
    spec = folder / "airflowspec.yaml"
    spec.write_text(text + "    secretsBackend: secretsManager\n" + block, encoding="utf-8")
    return spec


#: The seed's connections and variables as Secrets Manager names, with the default prefixes.
SEED_SECRETS = [
    "airflow/connections/warehouse",
    "airflow/variables/environment",
    "airflow/variables/data_bucket",
    "airflow/variables/retention_days",
    "airflow/variables/alert_channels",
    "airflow/variables/slack_token",
]


def without_notices(stderr: str) -> str:
    """Standard error less `airflowspec: notice:` lines (the constraints check skipped for want of a
    cache, which tests/test_constraints.py covers); what is left is what a test asserts."""
    return "".join(line for line in stderr.splitlines(keepends=True) if not line.startswith("airflowspec: notice:"))
