"""pytheano: a Theano 1.0 compatible symbolic tensor compiler.

``import pytheano as theano`` then use ``theano.function``, ``theano.shared``,
``theano.grad``, ``theano.tensor`` as with Theano 1.0.

This module is the top layer: it imports the layers in order (see DESIGN.md), which also
installs the hooks lower layers call upward (pytheano.hooks), and maps Theano's names.
"""
__version__ = "0.1.0"

from pytheano.configparser import change_flags, config  # noqa: E402
import pytheano.configdefaults  # noqa: E402,F401  (declares the options)

from pytheano import graph, scalar, tensor  # noqa: E402
from pytheano import gradient, ifelse  # noqa: E402
from pytheano.scan import foldl, foldr, map, reduce, scan, scan_checkpoints  # noqa: E402,F401,A004
from pytheano import rewriting  # noqa: E402,F401  (registers the rewrite rules)
from pytheano.compile import (  # noqa: E402
    FAST_COMPILE, FAST_RUN, Function, In, Mode, Out, ProfileStats, SharedVariable, function,
    shared)
from pytheano.compile.function_module import UnusedInputError  # noqa: E402
from pytheano.compile.builders import OpFromGraph  # noqa: E402
from pytheano import compat, printing, gof, scan_module  # noqa: E402,F401
from pytheano.graph.basic import Apply, Constant, Variable, clone_replace  # noqa: E402
from pytheano.graph.basic import clone_replace as clone  # noqa: E402,F401  (theano.clone)
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
from pytheano.tensor.blas import dot  # noqa: E402

# Theano 1.0 compat: theano.tensor.grad & co. are the gradient functions.
for _name in ("grad", "Rop", "Lop", "jacobian", "hessian", "consider_constant",
              "numeric_grad", "verify_grad"):
    setattr(tensor, _name, getattr(gradient, _name))


def __getattr__(name):
    if name == "sandbox":
        import importlib

        return importlib.import_module("pytheano.sandbox")
    raise AttributeError("module 'pytheano' has no attribute %r" % (name,))


# Theano 1.0 code does `from theano import theano`.
import sys as _sys  # noqa: E402

theano = _sys.modules[__name__]
