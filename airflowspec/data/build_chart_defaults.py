"""Build the tables of `airflowspec.data.chart_defaults` from the charts' own values.yaml files.

    python -m airflowspec.data.build_chart_defaults --from FOLDER [FOLDER ...]

Each FOLDER holds `community-chart-<version>-values.yaml` and `official-chart-<version>-values.yaml`
(the values.yaml of airflow-helm/charts `airflow` and of apache-airflow/airflow at that release, as
published), or the chart folders tests/charts/setup_charts.py makes (`community-<version>/values.yaml`);
the first folder that has a release's file wins. A table is written for each release TABLES in
`chart_defaults` lists, and each must be found. Each file is read as `diff --against` reads a values
file (`airflowspec.loader`), so that both sides hold the same types, and written as JSON in the chart's order.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from airflowspec.data.build_chart_facts import values_file
from airflowspec.data.chart_defaults import TABLES, table_name
from airflowspec.inputs import read_file
from airflowspec.loader import load_bytes

OUTPUT = Path(__file__).resolve().parent / "chart_defaults"


def tables(folders: Sequence[Path]) -> dict[str, str]:
    """File name -> JSON text, for each release TABLES lists."""
    built = {}
    for chart, versions in TABLES.items():
        for version in versions:
            source = values_file(folders, chart, version)
            if source is None:
                raise SystemExit(f"no values.yaml of the {chart} chart {version} in {', '.join(map(str, folders))}")
            built[table_name(chart, version)] = table_of(source)
    return built


def table_of(source: Path) -> str:
    loaded = load_bytes(read_file(source), str(source), noun="file")
    if loaded.document is None:
        raise SystemExit(str(loaded.diagnostics[0]))
    return json.dumps(loaded.document, indent=1, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="folders", type=Path, nargs="+", required=True, help="folders to read")
    for name, text in tables(parser.parse_args(argv).folders).items():
        (OUTPUT / name).write_text(text, encoding="utf-8")
        print(f"wrote {OUTPUT / name} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
