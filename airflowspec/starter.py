"""The starter specs `airflowspec init` writes."""

from __future__ import annotations

import re
from pathlib import Path

from airflowspec.diagnostics import shell_word
from airflowspec.render import render_template
from airflowspec.schema_file import SCHEMA_ID


def starter_spec(target: str, path: Path) -> str:
    stem = path.name.removesuffix(".yaml").removesuffix(".yml").removesuffix(".airflowspec")
    # 40 characters: the shortest release name a chart allows (community 8.9.0).
    name = re.sub(r"[^a-z0-9-]+", "-", stem.lower())[:40].strip("-")
    if not name or name == "airflowspec" or not name[0].isalpha():
        name = "my-airflow"
    return render_template(f"init/{target}.yaml.j2", name=name, file=shell_word(path.name), schema_url=SCHEMA_ID)
