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
    """The keys the model at `path` accepts, by their YAML names. Where a field takes one of several
    forms (a connection or `{secret: NAME}`, a list or `{parameter: NAME}`), every form is followed."""
    annotations = _annotations_at(path)
    models = [member for annotation in annotations for member in _members(annotation) if _is_model(member)]
    models.sort(key=lambda model: model is SecretRef)  # the reference last: a field's own keys first
    keys = [field.alias or name for model in models for name, field in model.model_fields.items()]
    return list(dict.fromkeys(keys))


def accepts_secret_ref(path: SpecPath) -> bool:
    """Whether `{secret: NAME}` is one of the forms the value at `path` may take."""
    return any(SecretRef in _members(annotation) for annotation in _annotations_at(path))


def _annotations_at(path: SpecPath) -> list[Any]:
    """The annotations of the fields `path` may lead to, following every form of a union."""
    annotations: list[Any] = [Spec]
    for part in path:
        annotations = [step for a in annotations for m in _members(a) if (step := _step(m, part)) is not None]
    return annotations


def _members(annotation: Any) -> list[Any]:
    """The forms a field takes: Annotated stripped, unions flattened, None left out."""
    annotation = _strip(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [member for arg in typing.get_args(annotation) for member in _members(arg)]
    return [] if annotation is type(None) else [annotation]


def _step(annotation: Any, part: str | int) -> Any:
    if _is_model(annotation):
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


def _strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)
