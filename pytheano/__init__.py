"""pytheano: a Theano 1.0 compatible symbolic tensor compiler.

``import pytheano as theano`` then use ``theano.function``, ``theano.shared``,
``theano.grad``, ``theano.tensor`` as with Theano 1.0.

This module is the top layer: it imports the layers in order (see DESIGN.md), which also
installs the hooks lower layers call upward (pytheano.hooks), and maps Theano's names.
"""
__version__ = "0.1.0"

import sys as _sys

from pytheano.configparser import change_flags, config  # noqa: E402
import pytheano.configdefaults  # noqa: E402,F401  (declares the options)

from pytheano import graph, scalar, tensor  # noqa: E402
from pytheano import gradient, ifelse  # noqa: E402
from pytheano.scan import foldl, foldr, map, reduce, scan, scan_checkpoints  # noqa: E402,F401,A004
from pytheano import rewriting  # noqa: E402,F401  (registers the rewrite rules)
from pytheano import sparse  # noqa: E402,F401  (theano.sparse)
from pytheano.sparse.structure import sparse_grad  # noqa: E402,F401  (theano.sparse_grad)
from pytheano import typed_list  # noqa: E402,F401  (theano.typed_list)
from pytheano.compile import (  # noqa: E402
    FAST_COMPILE, FAST_RUN, Function, In, Mode, Out, ProfileStats, SharedVariable, function,
    shared)
from pytheano.compile.function_module import UnusedInputError  # noqa: E402
from pytheano.compile.builders import OpFromGraph  # noqa: E402
from pytheano.misc.pkl_utils import function_dump  # noqa: E402,F401
from pytheano import compat, printing, gof, scan_module  # noqa: E402,F401
from pytheano.graph.basic import Apply, Constant, Variable, clone_replace  # noqa: E402
from pytheano.scan.utils import clone  # noqa: E402,F401  (theano.clone: scan_utils.clone)
from pytheano.graph.op import Op  # noqa: E402
from pytheano.graph.type import Generic, Type  # noqa: E402
from pytheano.graph.fg import FunctionGraph  # noqa: E402
from pytheano.gof import (  # noqa: E402,F401  (Theano 1.0's top-level gof names)
    CLinker, Container, Linker, LocalLinker, OpWiseCLinker, PerformLinker)
from pytheano.errors import InconsistencyError  # noqa: E402,F401
from pytheano.graph.type import generic  # noqa: E402,F401
from pytheano.misc.safe_asarray import _asarray  # noqa: E402
from pytheano import updates  # noqa: E402,F401
from pytheano.gradient import (  # noqa: E402
    Lop, Rop, consider_constant, disconnected_grad, grad, hessian, jacobian, subgraph_grad,
    zero_grad)
from pytheano.printing import debugprint, pp, pprint, pydotprint  # noqa: E402


def dot(l, r):
    """Theano's ``theano.dot``, for dense and sparse operands: ``l.__dot__(r)``, else
    ``r.__rdot__(l)`` (a sparse variable defines both), else ``tensor.dot``. When both
    fail, the first error is raised (Theano wrapped both in a NotImplementedError)."""
    first = None
    for owner, method, other in ((l, "__dot__", r), (r, "__rdot__", l)):
        fn = getattr(owner, method, None)
        if fn is None:
            continue
        try:
            return fn(other)
        except Exception as e:  # the other operand may know how (sparse . dense)
            first = first or e
    if first is not None:
        raise first
    return tensor.dot(l, r)



# Theano 1.0 compat: theano.tensor.grad & co. are the gradient functions.
for _name in ("grad", "Rop", "Lop", "jacobian", "hessian", "consider_constant",
              "numeric_grad", "verify_grad"):
    setattr(tensor, _name, getattr(gradient, _name))

# Theano 1.0's theano.tensor has no __all__, so `from theano.tensor import *` also gave the
# modules it imported (theano, np, compile, ...): Theano code and tests rely on that.
import builtins as _builtins  # noqa: E402
import logging as _logging  # noqa: E402
import numbers as _numbers  # noqa: E402
import warnings as _warnings  # noqa: E402

import numpy as _np  # noqa: E402
from pytheano import compile as _compile  # noqa: E402

for _name, _module in (("theano", _sys.modules[__name__]), ("np", _np), ("compile", _compile),
                       ("gof", gof), ("printing", printing), ("builtins", _builtins),
                       ("logging", _logging), ("numbers", _numbers), ("sys", _sys),
                       ("warnings", _warnings)):
    if not hasattr(tensor, _name):
        setattr(tensor, _name, _module)
gof.opt.theano = _sys.modules[__name__]  # Theano's gof/tests/test_opt.py imports it from there
# Theano 1.0 compat: raw_random had no __all__, so `from theano.tensor.raw_random import *`
# handed out the name `theano` (tensor/tests/test_raw_random.py relies on it)
tensor.raw_random.theano = _sys.modules[__name__]
tensor.raw_random.__all__.append("theano")
tensor.opt.in2out, tensor.opt.out2in = gof.opt.in2out, gof.opt.out2in  # Theano's paths too


def __getattr__(name):
    if name == "sandbox":
        import importlib

        return importlib.import_module("pytheano.sandbox")
    raise AttributeError("module 'pytheano' has no attribute %r" % (name,))


# Theano 1.0 code does `from theano import theano`.
theano = _sys.modules[__name__]
