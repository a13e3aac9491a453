"""Content areas: one module each (quality model, curriculum, methods, ...).

Every module in this package is imported by `load_all`, so that its checks,
pages and macros register themselves.
"""
from __future__ import annotations

import importlib
import pkgutil


def load_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
