"""Connection ids and variable keys must be ids Airflow accepts."""

from __future__ import annotations

import re
from collections.abc import Iterator

from airflowspec.diagnostics import Diagnostic, error, quote
from airflowspec.spec import Spec

# airflow.utils.helpers.KEY_REGEX and validate_key's 250-character limit (ID_LEN). Anchored with \Z, not
# Airflow's `$`, which also matches before a trailing newline: `"k\n"` is no key (nor an SSM name).
AIRFLOW_KEY = re.compile(r"[\w.-]+\Z", re.ASCII)
MAX_KEY_LENGTH = 250


def check_ids(spec: Spec) -> Iterator[Diagnostic]:
    kinds = (("connections", "connection id"), ("variables", "variable key"))
    for section, noun in kinds:
        for key in getattr(spec, section):
            problem = _key_problem(key)
            if problem:
                yield error("AS206", f"{noun} {quote(key)} {problem}", (section, key), on_key=True)


def _key_problem(key: str) -> str:
    if len(key) > MAX_KEY_LENGTH:
        return f"is longer than {MAX_KEY_LENGTH} characters"
    if not AIRFLOW_KEY.match(key):  # match() anchors at the start
        return "may hold only ASCII letters, digits, '_', '.' and '-'"
    return ""
