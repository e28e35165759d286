"""`airflowspec schema`."""

from __future__ import annotations

import sys

from airflowspec.cli.common import app


@app.command()
def schema() -> None:
    """Print the spec's JSON Schema (the same file as schema/airflowspec.schema.json)."""
    from airflowspec.schema_file import schema_text

    sys.stdout.write(schema_text())
