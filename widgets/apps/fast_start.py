"""Keep a known-slow import off the kernel's start-up path (about 2–3 s per chapter).

Building the first plotly ``FigureWidget`` imports nbformat, which imports
jsonschema, whose format checkers import ``rfc3987_syntax``; that module
compiles a Lark grammar for IRIs *at import time* (upstream:
python-jsonschema/jsonschema#1392 and #1521). The course never validates an
IRI, yet every chapter, dashboard and test kernel paid for the grammar.

:func:`defer_rfc3987_syntax` puts a stand-in module under that name whose
``is_valid_syntax`` (and any other attribute) loads the real module on first
use and delegates to it, so behaviour is unchanged: the cost moves to the first
IRI check, which the course never makes.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

SLOW_MODULE = "rfc3987_syntax"


class _DeferredModule(types.ModuleType):
    """Stands in for a module until one of its attributes is used."""

    def __init__(self, name: str) -> None:
        super().__init__(name, f"Deferred stand-in for {name} (see widgets.apps.fast_start).")
        self.__dict__["_deferred_real"] = None

    def _deferred_load(self) -> types.ModuleType:
        real = self.__dict__["_deferred_real"]
        if real is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            real = importlib.import_module(self.__name__)
            self.__dict__["_deferred_real"] = real
        return real

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__") and attribute.endswith("__"):
            raise AttributeError(attribute)
        return getattr(self._deferred_load(), attribute)

    def is_valid_syntax(self, *args: Any, **kwargs: Any) -> Any:  # jsonschema imports this
        return self._deferred_load().is_valid_syntax(*args, **kwargs)


def defer_rfc3987_syntax() -> bool:
    """Defer ``rfc3987_syntax`` until it is used; True if a stand-in was installed.

    Does nothing when the module is already imported or not installed.
    """
    if SLOW_MODULE in sys.modules or importlib.util.find_spec(SLOW_MODULE) is None:
        return False
    stand_in = _DeferredModule(SLOW_MODULE)
    # ``from rfc3987_syntax import is_valid_syntax`` must get a plain function
    stand_in.__dict__["is_valid_syntax"] = stand_in.is_valid_syntax
    sys.modules[SLOW_MODULE] = stand_in
    return True
