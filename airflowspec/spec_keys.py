"""The keys the spec's models accept at a path, by their YAML names: for "did you mean" and for keys
written at the wrong depth."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

from airflowspec.diagnostics import SpecPath
from airflowspec.spec import Spec
from airflowspec.spec.base import SecretRef


def allowed_keys(path: SpecPath) -> list[str]:
    """The keys the model at `path` accepts, by their YAML names."""
    annotation = _annotation_at(path)
    if annotation is None:
        return []
    models = [model for model in _alternatives(annotation) if _is_model(model)] or [_unwrap(annotation)]
    keys = [field.alias or name for model in models if _is_model(model) for name, field in model.model_fields.items()]
    return list(dict.fromkeys(keys))


def accepts_secret_ref(path: SpecPath) -> bool:
    """Whether `{secret: NAME}` is one of the forms the value at `path` may take."""
    return SecretRef in _alternatives(_annotation_at(path))


def _annotation_at(path: SpecPath) -> Any:
    annotation: Any = Spec
    for part in path:
        models = [model for model in _alternatives(annotation) if _is_model(model)]
        # In a union of models (a volume's forms), the member that has the key leads on.
        annotation = next((_step(m, part) for m in models if _step(m, part) is not None), None) or _step(
            _unwrap(annotation), part
        )
        if annotation is None:
            return None
    return annotation


def _alternatives(annotation: Any) -> list[Any]:
    """The members of a union of models (a connection or `{secret: NAME}`), the reference last."""
    annotation = _strip(annotation)
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return []
    members = [_strip(member) for member in typing.get_args(annotation)]
    return sorted(members, key=lambda member: member is SecretRef)


def _step(annotation: Any, part: str | int) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            if (field.alias or name) == part:
                return field.annotation
        return None
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is dict:
        return args[1]
    if origin in (list, tuple):
        return args[0]
    return None


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated, Optional and our secret-or-value unions down to the model or container."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            structured = [
                m for m in members if typing.get_origin(_strip(m)) in (dict, list, tuple) or _is_model(_strip(m))
            ]
            annotation = structured[-1] if structured else members[0]
        else:
            return annotation


def _strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)
