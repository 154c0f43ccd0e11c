"""pytheano: a Theano 1.0 compatible symbolic tensor compiler.

``import pytheano as theano`` then use ``theano.function``, ``theano.shared``,
``theano.grad``, ``theano.tensor`` as with Theano 1.0.
"""
__version__ = "0.1.0"

from pytheano.configparser import change_flags, config  # noqa: E402
import pytheano.configdefaults  # noqa: E402,F401  (declares the options)

from pytheano import gof, graph, scalar, tensor  # noqa: E402
from pytheano.compile import (  # noqa: E402
    FAST_COMPILE, FAST_RUN, Function, In, Mode, Out, ProfileStats, SharedVariable, function,
    shared)
from pytheano.compile.function_module import UnusedInputError  # noqa: E402
from pytheano.graph.basic import Apply, Constant, Variable  # noqa: E402
from pytheano.graph.op import Op  # noqa: E402
from pytheano.graph.type import Type  # noqa: E402


def __getattr__(name):
    # Modules that import the whole tensor layer are loaded on first use.
    import importlib

    lazy = {"printing": "pytheano.printing", "gradient": "pytheano.gradient",
            "ifelse": "pytheano.ifelse", "sandbox": "pytheano.sandbox"}
    if name in lazy:
        return importlib.import_module(lazy[name])
    if name in ("pp", "pprint", "debugprint", "pydotprint"):
        return getattr(importlib.import_module("pytheano.printing"), name)
    if name in ("grad", "Rop", "Lop", "jacobian", "hessian", "subgraph_grad",
                "consider_constant", "zero_grad", "disconnected_grad"):
        return getattr(importlib.import_module("pytheano.gradient"), name)
    if name in ("scan", "scan_module", "map", "reduce", "foldl", "foldr"):
        # An AttributeError, so hasattr(theano, "scan") stays False until it exists.
        raise AttributeError("pytheano.%s is not implemented yet: scan comes with a later "
                             "issue." % (name,))
    raise AttributeError("module 'pytheano' has no attribute %r" % (name,))


def dot(l, r):
    """Theano's ``theano.dot``: the dot product of two tensors."""
    from pytheano.tensor.blas import dot as _dot

    return _dot(l, r)


# Theano 1.0 code does `from theano import theano`.
import sys as _sys  # noqa: E402

theano = _sys.modules[__name__]
