"""Import hook used inside every suite child process (Python 3.7 and 3.11 alike).

Theano's test helpers (``theano.*.tests.*``: unittest_tools, test_basic's makeTester, ...) are
always served from the copied Theano test tree, so both runs use the same helpers.  In the
pytheano run every other ``theano.X`` is the module ``pytheano.X`` itself (one object under two
names), so ``import theano.tensor as T`` or ``from theano.tensor.nnet import conv2d`` reach
pytheano.  Where pytheano lacks ``pytheano.X`` the import fails with Python's own
``No module named 'theano.X'``, which the report categorises.
"""
from __future__ import absolute_import, division, print_function

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys


def is_test_module(name):
    """True for ``theano.tests`` and every ``theano.<pkg>.tests[.<mod>]``."""
    parts = name.split(".")
    return parts[0] == "theano" and "tests" in parts[1:]


def alias_target(name, alias):
    """``theano.tensor.nnet`` -> ``pytheano.tensor.nnet`` (alias 'pytheano')."""
    return alias + name[len("theano"):]


class _AliasLoader(importlib.abc.Loader):
    """Hands back an already imported module under a second name."""

    def __init__(self, module):
        self.module = module
        self.own_spec = module.__spec__

    def create_module(self, spec):
        return self.module

    def exec_module(self, module):
        # The import system stamped the alias spec on the shared object; keep the module's own.
        module.__spec__ = self.own_spec


class TheanoFinder(importlib.abc.MetaPathFinder):
    """Meta-path finder for the ``theano`` namespace.

    tests_root: directory holding the copied ``theano/<pkg>/tests`` trees.
    alias: package that stands in for theano's library code ('pytheano'), or None to leave
    library imports to the installed Theano.
    """

    def __init__(self, tests_root, alias=None):
        self.tests_root = tests_root
        self.alias = alias

    def find_spec(self, name, path=None, target=None):
        if name != "theano" and not name.startswith("theano."):
            return None
        if is_test_module(name):
            return self._copied_spec(name)
        if not self.alias:
            return None
        target_name = alias_target(name, self.alias)
        try:
            module = importlib.import_module(target_name)
        except ModuleNotFoundError as exc:
            if exc.name and (target_name + ".").startswith(exc.name + "."):
                return None  # the stand-in lacks this module: report 'No module named theano.X'
            raise
        return importlib.machinery.ModuleSpec(name, _AliasLoader(module),
                                              is_package=hasattr(module, "__path__"))

    def _copied_spec(self, name):
        base = os.path.join(self.tests_root, *name.split("."))
        if os.path.isdir(base):
            init = os.path.join(base, "__init__.py")
            if not os.path.exists(init):
                return None
            return importlib.util.spec_from_file_location(
                name, init, submodule_search_locations=[base])
        if os.path.isfile(base + ".py"):
            return importlib.util.spec_from_file_location(name, base + ".py")
        return None


def install(tests_root, alias=None):
    """Put a TheanoFinder first on sys.meta_path (once) and return it."""
    for finder in sys.meta_path:
        if isinstance(finder, TheanoFinder):
            return finder
    finder = TheanoFinder(tests_root, alias)
    sys.meta_path.insert(0, finder)
    return finder
