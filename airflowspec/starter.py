"""The starter specs `airflowspec init` writes."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from airflowspec.render import render_template
from airflowspec.schema_file import SCHEMA_ID


def starter_spec(target: str, path: Path) -> str:
    stem = path.name.removesuffix(".yaml").removesuffix(".yml").removesuffix(".airflowspec")
    # 40 characters: the shortest release name a chart allows (community 8.9.0).
    name = re.sub(r"[^a-z0-9-]+", "-", stem.lower())[:40].strip("-")
    if not name or name == "airflowspec" or not name[0].isalpha():
        name = "my-airflow"
    return render_template(f"init/{target}.yaml.j2", name=name, file=_shell_word(path.name), schema_url=SCHEMA_ID)


def _shell_word(file_name: str) -> str:
    """The file name as a shell word that fits in a YAML comment: quoted, control characters as `?`."""
    return shlex.quote("".join(char if char.isprintable() else "?" for char in file_name))
