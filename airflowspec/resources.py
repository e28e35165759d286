"""Files that ship inside the wheel (templates, schema), found the same way from a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def data_dir(name: str) -> Path:
    """`templates` or `schema`: inside the installed package, else at the top of the checkout."""
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _CHECKOUT / name
