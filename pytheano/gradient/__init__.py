"""Symbolic differentiation, under Theano's path ``theano.gradient``: ``grad`` (reverse
mode), ``Rop`` (forward mode), ``Lop``, ``jacobian``, ``hessian``, the gradient-shaping ops
(``zero_grad``, ``disconnected_grad``, ``grad_clip``, ``grad_scale``) and the
finite-difference checker ``verify_grad``.

It sits between graph building and compilation: it reads a graph of Variables and Apply
nodes and returns new Variables (built from each op's ``L_op``/``R_op``) that
``pytheano.function`` compiles like any other graph. Ops return the placeholder types
(``DisconnectedType``, ``NullType``) from pytheano.graph.grad_types.
"""
from pytheano.gradient import autodiff as _grad_module
from pytheano.gradient.check import GradientError, numeric_grad, verify_grad
from pytheano.gradient.autodiff import (DisconnectedInputError, Lop, NullTypeGradError, Rop,
                                    format_as, grad, subgraph_grad)
from pytheano.gradient.matrices import hessian, jacobian
from pytheano.gradient.ops import (ConsiderConstant, DisconnectedGrad, GradClip, GradScale,
                                   UndefinedGrad, ZeroGrad, consider_constant,
                                   disconnected_grad, grad_clip, grad_scale, undefined_grad,
                                   zero_grad)
from pytheano.graph.grad_types import (DisconnectedType, NullType, disconnected_type,
                                       grad_not_implemented, grad_undefined, null_type)

__all__ = [
    "grad", "Rop", "Lop", "jacobian", "hessian", "subgraph_grad", "verify_grad",
    "numeric_grad", "GradientError", "DisconnectedInputError", "NullTypeGradError",
    "DisconnectedType", "disconnected_type", "NullType", "null_type", "grad_undefined",
    "grad_not_implemented", "consider_constant", "zero_grad", "disconnected_grad",
    "undefined_grad", "grad_clip", "grad_scale", "ConsiderConstant", "ZeroGrad",
    "DisconnectedGrad", "UndefinedGrad", "GradClip", "GradScale", "format_as",
]


def __getattr__(name):
    # Seconds spent in grad() since import, read by the profiler (Theano's theano.gradient
    # .grad_time); it lives in the module that counts it.
    if name == "grad_time":
        return _grad_module.grad_time
    raise AttributeError("module 'pytheano.gradient' has no attribute %r" % (name,))
