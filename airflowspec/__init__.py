"""airflowspec: one typed spec file for an Apache Airflow environment, rendered for EKS or MWAA."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
