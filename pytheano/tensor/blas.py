"""Dot products: ``Dot`` (vector/matrix products, numpy's BLAS underneath), ``BatchedDot``,
and the functions built on them: ``dot`` (any ranks, tensordot semantics beyond 2-d),
``tensordot``, ``outer``, ``batched_dot``, ``batched_tensordot``.

As in Theano 1.0, products of rank > 2 are reshaped to matrix products, so every dot in a
graph is a ``Dot`` (printed ``dot``) or a ``BatchedDot`` that the BLAS rewrites can
specialise.
"""
import numpy as np

from pytheano.graph.printing import OperatorPrinter, pprint, special
from pytheano._core.graph import Apply
from pytheano.graph.op import Op
from pytheano.scalar import basic as scal
from pytheano.tensor.basic import as_tensor_variable, patternbroadcast
from pytheano.tensor.type import TensorType
from pytheano.tensor.join import concatenate
from pytheano.tensor.shape import mul_dims
from pytheano.tensor import math as tmath

__all__ = ["Dot", "dot", "tensordot", "outer", "BatchedDot", "batched_dot",
           "batched_tensordot"]




def _float_grad(x, g):
    """The gradient term for ``x``: ``g`` with x's broadcastable pattern."""
    # Theano 1.0 compat: an integer input gets the product too (gz . y, a float: a float32
    # gz and an int8 y give float32), not zeros of floatX.
    if g.broadcastable != x.broadcastable:
        # Only one side may know a dimension is 1: fix the pattern (Theano gh-1461).
        g = patternbroadcast(g, x.broadcastable)
    return g


def _sum_eval_points(op, inputs, eval_points):
    """R_op of a bilinear op: op(dx, y) + op(x, dy), skipping the missing terms."""
    if eval_points[0] is None and eval_points[1] is None:
        return [None]
    terms = []
    if eval_points[0] is not None:
        terms.append(op(eval_points[0], inputs[1]))
    if eval_points[1] is not None:
        terms.append(op(inputs[0], eval_points[1]))
    return [terms[0] + terms[1] if len(terms) == 2 else terms[0]]


class Dot(Op):
    """The product of vectors and matrices: vector.vector (a 0-d result), matrix.vector,
    vector.matrix, matrix.matrix. Use ``dot`` for other ranks."""

    __props__ = ()

    def __str__(self):
        return "dot"

    def make_node(self, *inputs):
        if len(inputs) != 2:
            raise TypeError("theano.tensor.Dot: 2 arguments required, %d given " % len(inputs))
        inputs = [as_tensor_variable(i) for i in inputs]
        for k, inp in enumerate(inputs):
            if inp.ndim not in (1, 2):
                raise TypeError("theano.tensor.Dot: input %d (0-indexed) must have ndim of 1 or "
                                "2, %d given. Consider calling theano.tensor.dot instead."
                                % (k, inp.ndim))
        bx, by = (i.type.broadcastable for i in inputs)
        bz = bx[:-1] + (by[-1:] if len(by) == 2 else ())
        dtype = scal.upcast(*[i.type.dtype for i in inputs])
        return Apply(self, inputs, [TensorType(dtype, bz)()])

    def perform(self, node, inputs, output_storage):
        x, y = inputs
        if x.shape[-1] != y.shape[0]:
            raise ValueError("Shape mismatch in dot: x has shape %s and y has shape %s, but "
                             "x.shape[%d] (%d) != y.shape[0] (%d)"
                             % (x.shape, y.shape, x.ndim - 1, x.shape[-1], y.shape[0]))
        output_storage[0][0] = np.asarray(np.dot(x, y), dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, shapes):
        xshp, yshp = shapes
        return [tuple(xshp[:-1]) + tuple(yshp[1:])]

    def grad(self, inputs, output_grads):
        x, y = inputs
        gz, = output_grads
        xdim, ydim, gdim = x.type.ndim, y.type.ndim, gz.type.ndim
        if gdim == 0:  # vector . vector
            xgrad, ygrad = gz * y, gz * x
        elif xdim == 1 and ydim == 2:
            xgrad, ygrad = dot(gz, y.T), outer(x.T, gz)
        elif xdim == 2 and ydim == 1:
            xgrad, ygrad = outer(gz, y.T), dot(x.T, gz)
        else:
            xgrad, ygrad = dot(gz, y.T), dot(x.T, gz)
        return [_float_grad(x, xgrad), _float_grad(y, ygrad)]

    def R_op(self, inputs, eval_points):
        return _sum_eval_points(self, inputs, eval_points)


_dot = Dot()


class Dot22(Dot):
    """matrix . matrix of one float dtype: Theano's BLAS op, which the BLAS rewrites make
    from Dot (the rewrites issue); here it computes what Dot does."""

    def __str__(self):
        return "Dot22"

    def make_node(self, x, y):
        x, y = as_tensor_variable(x), as_tensor_variable(y)
        if (x.ndim != 2 or y.ndim != 2 or x.dtype != y.dtype
                or x.dtype not in scal.continuous_types):
            raise TypeError("Dot22 takes two matrices of one float dtype; got %s and %s"
                            % (x.type, y.type))
        return Dot.make_node(self, x, y)


_dot22 = Dot22()


def dot(a, b):
    """The dot product of ``a`` and ``b`` (numpy's ``dot``).

    A scalar operand gives the elementwise product; vectors and matrices use the ``Dot`` op;
    higher ranks sum over the last axis of ``a`` and the second-to-last of ``b``
    (``tensordot(a, b, [[a.ndim - 1], [max(0, b.ndim - 2)]])``).
    """
    a, b = as_tensor_variable(a), as_tensor_variable(b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.ndim > 2 or b.ndim > 2:
        return tensordot(a, b, [[a.ndim - 1], [max(0, b.ndim - 2)]])
    return _dot(a, b)


def _axes_list(axes):
    if isinstance(axes, (int, np.integer)):
        return [int(axes)]
    return [int(a) for a in axes]


def _tensordot_as_dot(a, b, axes, dot, batched):
    """tensordot (or batched_tensordot) of ``a`` and ``b``, reduced to one ``dot`` of
    matrices or vectors: the summed axes are moved last in ``a`` and first in ``b``, both
    are reshaped to 2-d (3-d with a batch axis), and the product is reshaped back."""
    a, b = as_tensor_variable(a), as_tensor_variable(b)
    if not np.isscalar(axes) and len(axes) != 2:
        raise ValueError("Axes should be an integer or a list/tuple of len 2 (%s was provided)"
                         % str(axes))
    if not np.isscalar(axes):
        axes = [_axes_list(ax) for ax in axes]
        if len(axes[0]) != len(axes[1]):
            raise ValueError("Axes elements must have the same length.")
        for i, (name, operand) in enumerate((("a", a), ("b", b))):
            if len(axes[i]) > operand.ndim:
                raise ValueError("axes[%i] should be array_like with length less than the "
                                 "dimensions of %s (%s.ndim=%i, len(axes[0])=%i)."
                                 % (i, name, name, operand.ndim, len(axes[i])))
            if axes[i] and max(axes[i]) >= operand.ndim:
                raise ValueError("axes[%i] contains dimensions greater than or equal to %s.ndim "
                                 "(%s.ndim=%i, max(axes[0])=%i)."
                                 % (i, name, name, operand.ndim, max(axes[i])))
            if batched and 0 in axes[i]:
                raise ValueError("axes to sum over must not contain the batch axis "
                                 "(axes[%i]=%s)" % (i, axes[i]))
        axes = [[ax % operand.ndim for ax in axs] for axs, operand in zip(axes, (a, b))]
        batch_axes = [0] if batched else []
        other_axes = [[x for x in range(operand.ndim)
                       if x not in axes[i] and x not in batch_axes]
                      for i, operand in enumerate((a, b))]
        a = a.dimshuffle(batch_axes + other_axes[0] + axes[0])
        b = b.dimshuffle(batch_axes + axes[1] + other_axes[1])
        axes = len(axes[0])

    axes = int(axes)
    for name, operand in (("a", a), ("b", b)):
        if axes > operand.ndim:
            raise ValueError("axes can not be larger than the dimension of %s (%s.ndim=%i, "
                             "axes=%i)" % (name, name, operand.ndim, axes))
        if batched and axes == operand.ndim:
            raise ValueError("axes to sum over must not include the batch axis of %s "
                             "(%s.ndim=%i, axes=%i)" % (name, name, operand.ndim, axes))

    nb = 1 if batched else 0
    a_out = slice(0, a.ndim - axes)
    b_out = slice(nb + axes, b.ndim)
    outbcast = a.broadcastable[a_out] + b.broadcastable[b_out]
    outshape = concatenate([a.shape[a_out], b.shape[b_out]])

    a_shape = [mul_dims(*[a.shape[i] for i in range(nb, a.ndim - axes)]),
               mul_dims(*[a.shape[a.ndim - axes + i] for i in range(axes)])]
    b_shape = [mul_dims(*[b.shape[nb + i] for i in range(axes)]),
               mul_dims(*[b.shape[i] for i in range(nb + axes, b.ndim)])]
    if batched:
        a_shape.insert(0, a.shape[0])
        b_shape.insert(0, b.shape[0])
    out = dot(a.reshape(a_shape), b.reshape(b_shape))
    out = out.reshape(outshape, len(outbcast))
    # The reshapes lose what was known to be broadcastable: restore it.
    return patternbroadcast(out, outbcast)


def tensordot(a, b, axes=2):
    """numpy's ``tensordot``: the sum of products over ``axes``.

    axes: an int n (the last n axes of ``a`` with the first n of ``b``) or a pair of axis
    lists (``[[1, 2], [3, 2]]`` sums a's axes 1, 2 against b's axes 3, 2). The result has
    a's remaining axes, then b's.
    """
    return _tensordot_as_dot(a, b, axes, dot=dot, batched=False)


def outer(x, y):
    """The outer product of two vectors (other ranks are flattened first)."""
    x, y = as_tensor_variable(x), as_tensor_variable(y)
    if x.ndim != 1:
        x = x.flatten()
    if y.ndim != 1:
        y = y.flatten()
    return dot(x.dimshuffle(0, "x"), y.dimshuffle("x", 0))


class BatchedDot(Op):
    """``batched_dot(a, b)[i] = dot(a[i], b[i])`` for inputs of rank 2 or 3."""

    __props__ = ()

    def make_node(self, *inputs):
        if len(inputs) != 2:
            raise TypeError("theano.tensor.blas.BatchedDot: 2 arguments required, %d given "
                            % len(inputs))
        inputs = [as_tensor_variable(i) for i in inputs]
        for k, inp in enumerate(inputs):
            if inp.ndim not in (2, 3):
                raise TypeError("theano.tensor.blas.BatchedDot: input %d (0-indexed) must have "
                                "ndim of 2 or 3, %d given. Consider calling "
                                "theano.tensor.batched_dot instead." % (k, inp.ndim))
        dtype = scal.upcast(*[i.type.dtype for i in inputs])
        cast = tmath.cast
        inputs = [i if i.dtype == dtype else cast(i, dtype) for i in inputs]
        x, y = inputs
        bcast = ((x.type.broadcastable[0] or y.type.broadcastable[0],)
                 + x.type.broadcastable[1:-1] + y.type.broadcastable[2:])
        return Apply(self, inputs, [TensorType(dtype, bcast)()])

    def perform(self, node, inputs, output_storage):
        x, y = inputs
        if x.shape[0] != y.shape[0]:
            raise ValueError("Shape mismatch in batched_dot: batch sizes unequal. x.shape is "
                             "%s, y.shape is %s." % (x.shape, y.shape))
        if x.shape[-1] != y.shape[1]:
            raise ValueError("Shape mismatch in batched_dot: summation axis sizes unequal. "
                             "x.shape is %s, y.shape is %s." % (x.shape, y.shape))
        # matmul over the batch: vectors become 1-row / 1-column matrices and back.
        z = np.matmul(x[:, None, :] if x.ndim == 2 else x, y[:, :, None] if y.ndim == 2 else y)
        if y.ndim == 2:
            z = z[..., 0]
        if x.ndim == 2:
            z = z[:, 0]
        output_storage[0][0] = np.asarray(z, dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, shapes):
        xshp, yshp = shapes
        return [tuple(xshp[:-1]) + tuple(yshp[2:])]

    def grad(self, inputs, output_grads):
        x, y = inputs
        gz, = output_grads
        xdim, ydim, gdim = x.type.ndim, y.type.ndim, gz.type.ndim
        if gdim == 1:  # both rank 2
            xgrad = gz.dimshuffle(0, "x") * y
            ygrad = gz.dimshuffle(0, "x") * x
        elif xdim == 2 and ydim == 3:
            xgrad = batched_dot(gz, y.dimshuffle(0, 2, 1))
            ygrad = x.dimshuffle(0, 1, "x") * gz.dimshuffle(0, "x", 1)
        elif xdim == 3 and ydim == 2:
            xgrad = gz.dimshuffle(0, 1, "x") * y.dimshuffle(0, "x", 1)
            ygrad = batched_dot(x.dimshuffle(0, 2, 1), gz)
        else:
            xgrad = batched_dot(gz, y.dimshuffle(0, 2, 1))
            ygrad = batched_dot(x.dimshuffle(0, 2, 1), gz)
        return [_float_grad(x, xgrad), _float_grad(y, ygrad)]

    def R_op(self, inputs, eval_points):
        return _sum_eval_points(self, inputs, eval_points)


_batched_dot = BatchedDot()


def batched_dot(a, b):
    """``batched_dot(a, b)[i] = dot(a[i], b[i])`` along the first (batch) axis.

    A vector operand gives a batched elementwise product; ranks 2 and 3 use ``BatchedDot``;
    higher ranks go through ``batched_tensordot``.
    """
    a, b = as_tensor_variable(a), as_tensor_variable(b)
    if a.ndim == 0:
        raise TypeError("a must have at least one (batch) axis")
    if b.ndim == 0:
        raise TypeError("b must have at least one (batch) axis")
    if a.ndim == 1:
        return a.dimshuffle(*([0] + ["x"] * (b.ndim - 1))) * b
    if b.ndim == 1:
        return a * b.dimshuffle(*([0] + ["x"] * (a.ndim - 1)))
    if a.ndim > 3 or b.ndim > 3:
        return batched_tensordot(a, b, [[a.ndim - 1], [max(1, b.ndim - 2)]])
    return _batched_dot(a, b)


def batched_tensordot(x, y, axes=2):
    """tensordot of ``x[i]`` and ``y[i]`` for each i along the first (batch) axis.

    axes: an int n (the last n axes of x with y's axes 1..n) or a pair of axis lists, as in
    ``tensordot`` but never including the batch axis 0.
    """
    return _tensordot_as_dot(x, y, axes, dot=batched_dot, batched=True)


pprint.assign(Dot, OperatorPrinter(special["middle_dot"], -1, "left"))
