"""`airflowspec import`."""

from __future__ import annotations

import dataclasses
import datetime
import json
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from airflowspec import api
from airflowspec.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    FormatOption,
    OutputFormat,
    app,
    say,
    write_new_file,
)
from airflowspec.diagnostics import Diagnostic
from airflowspec.printable import printable_lines


@app.command("import")
def import_(
    sources: Annotated[
        list[Path],
        typer.Argument(
            metavar="SOURCE",
            help="What is deployed: community or official chart values (also `helm get values`), an MWAA "
            "CloudFormation template or `aws mwaa get-environment` JSON, its requirements.txt and startup.sh, "
            "and its connections and variables (`aws ssm get-parameters-by-path --recursive "
            "--with-decryption` or `aws secretsmanager batch-get-secret-value` JSON, a rendered "
            "ssm-parameters.json or secretsmanager-secrets.json, `airflow connections export` or "
            "`airflow variables export` files).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="SPEC", help="The spec file to write; standard output when omitted."),
    ] = None,
    name: Annotated[str | None, typer.Option(metavar="NAME", help="The spec's name; default: the sources'.")] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="KIND",
            help="Read every SOURCE as this kind instead of recognising it: community-values, official-values, "
            "mwaa-template, mwaa-environment, requirements, startup-script, store-rendered, store-live, "
            "connections-export, variables-export.",
            show_default=False,
        ),
    ] = None,
    chart_version: Annotated[
        str | None,
        typer.Option(
            metavar="VERSION",
            help="The chart release the values are for (airflowspec's own rendered values say it); default: "
            "the newest airflowspec supports.",
            show_default=False,
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Write a spec from what is already deployed, and report what it could not carry.

    Several sources make one environment. A secret's value is never written: each becomes a `secrets:`
    entry with an `env` source to provide, listed in the report. Exits 0 when everything was carried,
    1 when the report lists something that was not (or the spec does not validate), 2 when a source
    cannot be read.
    """
    from airflowspec.diff.live import ReadProblem
    from airflowspec.importing import spec_text
    from airflowspec.importing.sources import KINDS, import_sources, read_sources

    if kind is not None and kind not in KINDS:
        say(f"airflowspec import: --from takes one of {', '.join(KINDS)}, not {kind}", err=True)
        raise typer.Exit(EXIT_USAGE)
    try:
        imported = import_sources(read_sources(sources, kind), chart_version)
    except ReadProblem as problem:
        say(str(problem.diagnostic), err=True)
        raise typer.Exit(EXIT_USAGE) from None
    text = spec_text(imported, name, datetime.date.today().isoformat())
    spec_name = output.name if output is not None else "airflowspec.yaml"
    diagnostics = _validated(text, spec_name)
    if output is not None and not write_new_file(output, text):
        raise typer.Exit(EXIT_USAGE)
    if output_format is OutputFormat.json:
        report = {
            "spec": str(output) if output is not None else text,
            "notes": [note.as_json() for note in imported.notes],
            "diagnostics": [str(d) for d in diagnostics],
        }
        sys.stdout.write(printable_lines(json.dumps(report, indent=2, ensure_ascii=False)) + "\n")
    else:
        if output is None:
            sys.stdout.write(text)
        for note in imported.notes:
            say(f"{note.source}: {note.kind}: {note.path}: {note.message}", err=True)
        for diagnostic in diagnostics:
            say(str(diagnostic), err=True)
    errors = any(d.severity.value == "error" for d in diagnostics)
    raise typer.Exit(EXIT_OK if imported.complete and not errors else EXIT_INVALID)


def _validated(text: str, name: str) -> list[Diagnostic]:
    """The diagnostics of the written spec, placed in a file of `name` (as it will be called)."""
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / "airflowspec.yaml"
        spec.write_text(text, encoding="utf-8")
        result = api.validate(spec)
    return [dataclasses.replace(d, file=name) for d in result.diagnostics]
