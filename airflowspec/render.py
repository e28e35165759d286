"""The one jinja2 environment for text artifacts. Data goes through `to_yaml`/`to_json`, never
hand-indented YAML in a template."""

from __future__ import annotations

import functools
from typing import Any

from airflowspec.emit import to_json, to_yaml
from airflowspec.resources import data_dir


@functools.cache
def _environment() -> Any:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    environment.filters["to_yaml"] = to_yaml
    environment.filters["to_json"] = to_json
    return environment


def render_template(template: str, /, **context: Any) -> str:
    text: str = _environment().get_template(template).render(**context)
    return text.rstrip("\n") + "\n"
