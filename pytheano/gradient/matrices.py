"""``jacobian`` and ``hessian``: rows of gradients, built when the graph is made for vectors
whose length is known then, and otherwise one JacobianRows node that maps the compiled row
graph over the run-time length (scan's job once scan lands)."""
import numpy as np

from pytheano import hooks
from pytheano._core.graph import Apply, Constant, Variable, graph_inputs, io_toposort
from pytheano.configparser import config
from pytheano.graph.op import infer_shape as op_infer_shape
from pytheano.scalar.basic import float_types
from pytheano.graph.basic import clone_replace
from pytheano.graph.grad_types import grad_not_implemented
from pytheano.graph.op import Op
from pytheano.gradient.autodiff import _dtype, format_as, grad
from pytheano.tensor.basic import (NotScalarConstantError, as_tensor_variable,
                                   get_scalar_constant_value, lscalar)
from pytheano.tensor.creation import zeros
from pytheano.tensor.join import stack
from pytheano.tensor.shape import get_vector_length
from pytheano.tensor.type import TensorType

__all__ = ["jacobian", "hessian", "JacobianRows"]


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


class JacobianRows(Op):
    """``out[i] = row(i)`` for ``i`` in ``range(n)``: the rows of a Jacobian whose length is
    only known at run time.

    Theano builds these rows with scan; this is the one case of scan that jacobian and
    hessian need (a map over an index, no recurrence), until scan itself lands. The row graph
    is compiled once, on first use, into an inner function of the index and of the row's free
    variables, which are this node's inputs: ``(n, row_shape, *free)``.
    """

    def __init__(self, index, free, row):
        self.index = index
        self.free = list(free)
        self.row = row
        self._fn = None

    def __str__(self):
        return "JacobianRows"

    def make_node(self, n, row_shape, *outer_free):

        n = as_tensor_variable(n)
        row_shape = as_tensor_variable(row_shape)
        out = TensorType(self.row.type.dtype, (False,) + self.row.type.broadcastable)()
        return Apply(self, [n, row_shape] + list(outer_free), [out])

    def perform(self, node, inputs, output_storage):
        if self._fn is None:
            self._fn = hooks.compile_function([self.index] + self.free, self.row,
                                              on_unused_input="ignore", name="JacobianRows")
        n, row_shape, values = int(inputs[0]), tuple(inputs[1]), inputs[2:]
        out = np.empty((n,) + row_shape, dtype=node.outputs[0].type.dtype)
        for i in range(n):
            out[i] = self._fn(i, *values)
        output_storage[0][0] = out

    def infer_shape(self, fgraph, node, shapes):
        n, row_shape = node.inputs[0], node.inputs[1]
        return [(n,) + tuple(row_shape[k] for k in range(self.row.type.ndim))]

    def grad(self, inputs, output_grads):
        return [grad_not_implemented(self, k, x, "Differentiating a run-time-length "
                                     "Jacobian needs scan (a later issue).")
                for k, x in enumerate(inputs)]


def _runtime_rows(expression, wrt, consider_constant, disconnected_inputs):
    """Per wrt, the Jacobian of the vector ``expression`` as one JacobianRows node."""

    index = lscalar("i")
    rows = grad(expression[index], wrt, consider_constant=consider_constant,
                disconnected_inputs=disconnected_inputs)
    jacobs = []
    for row, w in zip(rows, wrt):
        free = [v for v in graph_inputs([row]) if v is not index and not isinstance(v, Constant)]
        inner_free = [v.type() for v in free]
        # The inner graph reads placeholders, so shared variables (and givens) are fed from
        # the outer node's inputs.
        inner_row = clone_replace(row, replace=dict(zip(free, inner_free)))
        op = JacobianRows(index, inner_free, inner_row)
        jacobs.append(op(expression.shape[0], w.shape, *free))
    return jacobs


def jacobian(expression, wrt, consider_constant=None, disconnected_inputs="raise"):
    """The Jacobian of the vector ``expression`` with respect to ``wrt`` (a variable or a
    list / tuple of them): ``J[i, ...] = d expression[i] / d wrt[...]``.

    Theano builds the rows with scan. pytheano builds them one by one when the length of
    ``expression`` is known when the graph is built, and otherwise as one JacobianRows node
    that maps the row graph over the run-time length. A scalar expression gives ``grad``.
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
    n = _static_length(expression)
    if n is None:
        return format_as(using_list, using_tuple,
                         _runtime_rows(expression, wrt, consider_constant, disconnected_inputs))
    rows = [grad(expression[i], wrt, consider_constant=consider_constant,
                 disconnected_inputs=disconnected_inputs) for i in range(n)]
    jacobs = [_rows_to_matrix([r[k] for r in rows], w) for k, w in enumerate(wrt)]
    return format_as(using_list, using_tuple, jacobs)


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
        n = _static_length(inp)
        if n is None:
            n = _static_length(expr)
        if n is None:
            # The gradient may not depend on inp even if the cost does: not an error.
            hessians.append(_runtime_rows(expr, [inp], consider_constant, "ignore")[0])
            continue
        # The gradient may not depend on inp even if the cost does: not an error.
        rows = [grad(expr[i], inp, consider_constant=consider_constant,
                     disconnected_inputs="ignore") for i in range(n)]
        hessians.append(_rows_to_matrix(rows, inp))
    return format_as(using_list, using_tuple, hessians)
