"""The starter specs `airflowspec init` writes."""

from __future__ import annotations

import re
from pathlib import Path

from airflowspec.diagnostics import shell_word
from airflowspec.render import render_template
from airflowspec.rendered_folders import rendered_folder

#: What the starter's `$schema` line names: a file beside the spec, which `airflowspec schema` writes.
#: The YAML language server resolves a relative path from the spec's folder; no server is involved.
SCHEMA_FILE = "airflowspec.schema.json"


def starter_spec(target: str, path: Path, environments: bool = False) -> str:
    """The starter for `target`, named after the file; `environments`: with dev and prod."""
    stem = path.name.removesuffix(".yaml").removesuffix(".yml").removesuffix(".airflowspec")
    # 40 characters: the shortest release name a chart allows (community 8.9.0).
    name = re.sub(r"[^a-z0-9-]+", "-", stem.lower())[:40].strip("-")
    if not name or name == "airflowspec" or not name[0].isalpha():
        name = "my-airflow"
    rendered = "/".join(rendered_folder(Path(path.name), target).below)
    return render_template(
        f"init/{target}.yaml.j2",
        name=name,
        file=shell_word(path.name),
        rendered=shell_word(rendered),
        schema_file=SCHEMA_FILE,
        target=target,
        environments=environments,
    )
