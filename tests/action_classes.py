"""The action classes the action server registers: every concrete Action in `actions/`."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import List, Type

from rasa_sdk import Action

import actions


def concrete_actions() -> List[Type[Action]]:
    """Like `rasa run actions`: import the package, then take every non-abstract subclass
    (the shared bases in actions/base.py are abstract, and the server skips them too)."""
    for module in pkgutil.walk_packages(actions.__path__, "actions."):
        importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return sorted({cls for cls in subclasses(Action)
                   if cls.__module__.startswith("actions.") and not inspect.isabstract(cls)},
                  key=lambda cls: cls.__name__)
