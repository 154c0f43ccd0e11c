"""``jacobian`` and ``hessian``: a scan over the entries of a vector whose step is the gradient
of one entry, as Theano 1.0 builds them."""
import numpy as np

from pytheano._core.graph import Constant, Variable, io_toposort
from pytheano.configparser import config
from pytheano.graph.op import infer_shape as op_infer_shape
from pytheano.scalar.basic import float_types
from pytheano.gradient.autodiff import _dtype, format_as, grad
from pytheano.tensor.basic import (NotScalarConstantError, get_scalar_constant_value, lscalar)
from pytheano.scan.basic import scan
from pytheano.tensor.creation import arange, zeros
from pytheano.tensor.join import stack
from pytheano.tensor.shape import get_vector_length

__all__ = ["jacobian", "hessian"]


def _static_length(v):
    """The length of the vector ``v`` if it is known when the graph is built, else None.

    Known means: a broadcastable dimension, ``get_vector_length`` knows it, or the ops'
    ``infer_shape`` rules reduce it to a constant (e.g. ``x ** 2`` for a constant ``x``).
    Shared variables do not count: their value may change size.
    """
    if v.type.broadcastable[0]:
        return 1
    try:
        return int(get_vector_length(v))
    except Exception:
        pass
    shape = _static_shape(v)
    if shape is None or shape[0] is None:
        return None
    return shape[0]


def _static_shape(v):
    """The shape of ``v`` as a tuple of (int or None: unknown), by the ops' infer_shape
    applied from the graph's roots (unknown dimensions travel as symbolic placeholders)."""

    symbolic = {}

    def root_shape(r):
        ndim = getattr(r.type, "ndim", None)
        if ndim is None:
            return None
        if isinstance(r, Constant) and isinstance(r.data, np.ndarray):
            return tuple(int(d) for d in r.data.shape)
        return tuple(1 if b else lscalar() for b in r.type.broadcastable)

    def value_of(d):
        if isinstance(d, (int, np.integer)):
            return int(d)
        try:
            return int(get_scalar_constant_value(d))
        except (NotScalarConstantError, TypeError, ValueError, NotImplementedError):
            return None

    for node in io_toposort([], [v]):
        in_shapes = []
        for inp in node.inputs:
            if inp not in symbolic:
                symbolic[inp] = root_shape(inp)
            in_shapes.append(symbolic[inp])
        out_shapes = None
        infer = getattr(node.op, "infer_shape", None)
        if infer is not None and all(s is not None or getattr(i.type, "ndim", None) is None
                                     for s, i in zip(in_shapes, node.inputs)):
            try:
                out_shapes = op_infer_shape(None, node, in_shapes)
            except Exception:
                out_shapes = None
        for k, out in enumerate(node.outputs):
            ndim = getattr(out.type, "ndim", None)
            if ndim is None:
                symbolic[out] = None
            elif out_shapes is not None and out_shapes[k] is not None \
                    and len(out_shapes[k]) == ndim:
                symbolic[out] = tuple(out_shapes[k])
            else:
                symbolic[out] = tuple(1 if b else lscalar() for b in out.type.broadcastable)
    shape = symbolic[v] if v in symbolic else root_shape(v)
    return None if shape is None else tuple(value_of(d) for d in shape)


def _rows_to_matrix(rows, like):
    if rows:
        return stack(rows)

    return zeros([0] + [like.shape[i] for i in range(like.ndim)],
                 dtype=_dtype(like) if _dtype(like) in float_types else config.floatX)


def _scan_rows(expression, wrt, consider_constant, disconnected_inputs):
    """Per wrt, the Jacobian of the vector ``expression``: a scan over its indices whose step
    is the gradient of one entry (Theano 1.0's graph)."""

    def inner_function(*args):
        idx, expr = args[0], args[1]
        return [grad(expr[idx], inp, consider_constant=consider_constant,
                     disconnected_inputs=disconnected_inputs) for inp in args[2:]]

    jacobs, updates = scan(inner_function, sequences=arange(expression.shape[0]),
                           non_sequences=[expression] + list(wrt), return_list=True)
    if updates:
        raise AssertionError("Scan has returned a list of updates. This should not happen! "
                             "Report this to theano-users (also include the script that "
                             "generated the error)")
    return jacobs


def jacobian(expression, wrt, consider_constant=None, disconnected_inputs="raise"):
    """The Jacobian of the vector ``expression`` with respect to ``wrt`` (a variable or a
    list / tuple of them): ``J[i, ...] = d expression[i] / d wrt[...]``.

    The rows are a scan over the entries of ``expression``, as in Theano; a scalar
    expression gives ``grad``.
    """
    if not isinstance(expression, Variable):
        raise AssertionError("tensor.jacobian expects a Variable as `expression`")
    if expression.ndim >= 2:
        raise AssertionError("tensor.jacobian expects a 1 dimensional variable as "
                             "`expression`. If not use flatten to make it a vector")
    using_list = isinstance(wrt, list)
    using_tuple = isinstance(wrt, tuple)
    wrt = list(wrt) if isinstance(wrt, (list, tuple)) else [wrt]

    if expression.ndim == 0:
        return format_as(using_list, using_tuple,
                         grad(expression, wrt, consider_constant=consider_constant,
                              disconnected_inputs=disconnected_inputs))
    if _static_length(expression) == 0:
        # A scan cannot run zero steps (Theano 1.0 raises then): the empty Jacobian.
        return format_as(using_list, using_tuple, [_rows_to_matrix([], w) for w in wrt])
    return format_as(using_list, using_tuple,
                     _scan_rows(expression, wrt, consider_constant, disconnected_inputs))


def hessian(cost, wrt, consider_constant=None, disconnected_inputs="raise"):
    """The Hessian of the scalar ``cost`` with respect to the vector ``wrt`` (or each of a
    list / tuple of vectors): the Jacobian of ``grad(cost, wrt)``."""
    if not isinstance(cost, Variable):
        raise AssertionError("tensor.hessian expects a Variable as `cost`")
    if cost.ndim != 0:
        raise AssertionError("tensor.hessian expects a 0 dimensional variable as `cost`")
    using_list = isinstance(wrt, list)
    using_tuple = isinstance(wrt, tuple)
    wrt = list(wrt) if isinstance(wrt, (list, tuple)) else [wrt]

    hessians = []
    for inp in wrt:
        if not isinstance(inp, Variable):
            raise AssertionError("tensor.hessian expects a (list of) Variable as `wrt`")
        if inp.ndim != 1:
            raise AssertionError("tensor.hessian expects a (list of) 1 dimensional variable "
                                 "as `wrt`")
        expr = grad(cost, inp, consider_constant=consider_constant,
                    disconnected_inputs=disconnected_inputs)
        # The gradient may not depend on inp even if the cost does: not an error.
        hess, updates = scan(lambda i, y, x: grad(y[i], x, consider_constant=consider_constant,
                                                  disconnected_inputs="ignore"),
                             sequences=arange(expr.shape[0]), non_sequences=[expr, inp])
        if updates:
            raise AssertionError("Scan has returned a list of updates. This should not "
                                 "happen! Report this to theano-users (also include the "
                                 "script that generated the error)")
        hessians.append(hess)
    return format_as(using_list, using_tuple, hessians)
