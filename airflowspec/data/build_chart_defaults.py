"""Build the tables of `airflowspec.data.chart_defaults` from the charts' own values.yaml files.

    python -m airflowspec.data.build_chart_defaults --from FOLDER

FOLDER holds `community-chart-<version>-values.yaml` and `official-chart-<version>-values.yaml` (the
values.yaml of airflow-helm/charts `airflow` and of apache-airflow/airflow at that release, as published).
A table is written for each release in FOLDER that its target renders (`CHART_VERSIONS`), and TABLES in
`chart_defaults` must list exactly those. Each file is read as `diff --against` reads a values file
(`airflowspec.loader`), so that both sides hold the same types, and written as JSON in the chart's order.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from airflowspec.data.chart_defaults import TABLES, table_name
from airflowspec.inputs import read_file
from airflowspec.loader import load_bytes
from airflowspec.targets.eks import community_chart, official_chart

_SUPPORTED = {"community": community_chart.CHART_VERSIONS, "official": official_chart.CHART_VERSIONS}
OUTPUT = Path(__file__).resolve().parent / "chart_defaults"


def tables(folder: Path) -> dict[str, str]:
    """File name -> JSON text, for each supported release whose values.yaml is in `folder`."""
    built = {}
    for chart, versions in _SUPPORTED.items():
        for version in versions:
            source = folder / f"{chart}-chart-{version}-values.yaml"
            if source.is_file():
                built[table_name(chart, version)] = table_of(source)
    return built


def table_of(source: Path) -> str:
    loaded = load_bytes(read_file(source), str(source), noun="file")
    if loaded.document is None:
        raise SystemExit(str(loaded.diagnostics[0]))
    return json.dumps(loaded.document, indent=1, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="folder", type=Path, required=True, help="folder of the charts' values.yaml")
    folder = parser.parse_args(argv).folder
    built = tables(folder)
    listed = {table_name(chart, version) for chart, versions in TABLES.items() for version in versions}
    if set(built) != listed:
        print(f"chart_defaults.TABLES lists {sorted(listed)}; {folder} gives {sorted(built)}", file=sys.stderr)
        return 1
    for name, text in built.items():
        (OUTPUT / name).write_text(text, encoding="utf-8")
        print(f"wrote {OUTPUT / name} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
