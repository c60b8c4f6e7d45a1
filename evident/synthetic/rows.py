"""Model instances for ``bulk_create``, made fast.

``Model(**kwargs)`` costs tens of microseconds (field defaults, descriptors, signals); a
council is ~300,000 rows, so ``Maker`` builds instances the way ``Model.from_db`` does in
spirit: a dict of column values (attnames: ``person_id``, not ``person``) plus a fresh
``ModelState``. Fields left out get their default; a field whose default is a callable
(a UUID primary key) must be given, or every row would share one value.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.db import models
from django.db.models.base import ModelState

M = TypeVar("M", bound=models.Model)


class Maker(Generic[M]):
    def __init__(self, model: type[M]) -> None:
        self.model = model
        self.defaults: dict[str, Any] = {}
        self.required: set[str] = set()
        self.attnames: set[str] = set()
        self._checked: set[tuple[str, ...]] = set()  # keyword sets already validated
        for f in model._meta.concrete_fields:
            self.attnames.add(f.attname)
            if f.has_default() and callable(f.default):
                self.required.add(f.attname)
            else:
                self.defaults[f.attname] = f.get_default()

    def __call__(self, **values: Any) -> M:
        signature = tuple(values)
        if signature not in self._checked:
            missing = self.required.difference(values)
            if missing:
                raise ValueError(f"{self.model.__name__} needs {', '.join(sorted(missing))}")
            unknown = values.keys() - self.attnames
            if unknown:
                raise TypeError(f"{self.model.__name__} has no field {', '.join(sorted(unknown))}")
            self._checked.add(signature)
        obj = self.model.__new__(self.model)
        data = dict(self.defaults)
        data.update(values)
        data["_state"] = ModelState()
        obj.__dict__ = data
        return obj
