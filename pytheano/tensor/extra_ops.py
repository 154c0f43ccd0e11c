"""numpy functions as ops: cumulative sums and products (CumOp), differences (DiffOp),
repeat (RepeatOp), nonzero (Nonzero), searchsorted, bincount, compress, squeeze."""
import numpy as np

from pytheano._core.graph import Apply
from pytheano.graph.op import Op
from pytheano.scalar import basic as scal
from pytheano.tensor.basic import NotScalarConstantError, as_tensor_variable, \
    get_scalar_constant_value
from pytheano.tensor.shape import _const_int, _normalize_axis, mul_dims, squeeze
from pytheano.tensor.type import TensorType

__all__ = ["CumOp", "cumsum", "cumprod", "DiffOp", "diff", "RepeatOp", "repeat", "Nonzero",
           "nonzero", "flatnonzero", "nonzero_values", "SearchsortedOp", "searchsorted",
           "bincount", "compress", "squeeze"]


def _gradient():
    from pytheano import gradient

    return gradient


def _math():
    from pytheano.tensor import math

    return math


# --------------------------------------------------------------------------- CumOp

class CumOp(Op):
    """Cumulative sum (``mode='add'``) or product (``'mul'``) along an axis, or over the
    flattened input when ``axis`` is None: ``CumOp{None, add}``. The output keeps the input
    dtype."""

    __props__ = ("axis", "mode")

    def __init__(self, axis=None, mode="add"):
        if mode not in ("add", "mul"):
            raise ValueError('%s: Unknown mode "%s"' % (type(self).__name__, mode))
        self.axis = None if axis is None else int(axis)
        self.mode = mode

    def __str__(self):
        return "%s{%s, %s}" % (type(self).__name__, self.axis, self.mode)

    def make_node(self, x):
        x = as_tensor_variable(x)
        if self.axis is None:
            out_type = TensorType(x.type.dtype, (False,))
        elif self.axis >= x.ndim or self.axis < -x.ndim:
            raise ValueError("axis(={0}) out of bounds".format(self.axis))
        else:
            out_type = x.type
        return Apply(self, [x], [out_type()])

    def perform(self, node, inputs, output_storage):
        x, = inputs
        fn = np.cumsum if self.mode == "add" else np.cumprod
        output_storage[0][0] = np.asarray(fn(x, axis=self.axis,
                                             dtype=node.outputs[0].type.dtype))

    def infer_shape(self, fgraph, node, input_shapes):
        if self.axis is None:
            return [(mul_dims(*input_shapes[0]),)]
        return [input_shapes[0]]

    def grad(self, inputs, output_grads):
        x, = inputs
        gi, = output_grads
        if self.axis is None:
            if self.mode == "add":
                return [cumsum(gi[::-1])[::-1].reshape(x.shape)]
            fx = cumprod(x, axis=self.axis)
            return [cumsum((fx * gi)[::-1])[::-1].reshape(x.shape) / x]
        reverse = [slice(None)] * gi.ndim
        reverse[self.axis] = slice(None, None, -1)
        reverse = tuple(reverse)
        if self.mode == "add":
            return [cumsum(gi[reverse], self.axis)[reverse]]
        fx = cumprod(x, axis=self.axis)
        return [cumsum((fx * gi)[reverse], self.axis)[reverse] / x]


def cumsum(x, axis=None):
    """The cumulative sum of ``x`` along ``axis`` (over the flattened ``x`` when None)."""
    return CumOp(axis=axis, mode="add")(x)


def cumprod(x, axis=None):
    """The cumulative product of ``x`` along ``axis`` (over the flattened ``x`` when None)."""
    return CumOp(axis=axis, mode="mul")(x)


# --------------------------------------------------------------------------- DiffOp

class DiffOp(Op):
    """The ``n``-th discrete difference along ``axis``, as numpy.diff:
    ``DiffOp{n=1, axis=-1}``."""

    __props__ = ("n", "axis")

    def __init__(self, n=1, axis=-1):
        self.n = int(n)
        self.axis = int(axis)
        if self.n < 0:
            raise ValueError("diff: order n must be non-negative, got %d" % self.n)
        if self.n == 0:
            self.view_map = {0: [0]}

    def make_node(self, x):
        x = as_tensor_variable(x)
        ax = _normalize_axis(self.axis, x.ndim)
        if self.n and x.type.dtype == "bool":
            raise TypeError("diff of a bool tensor is not supported (numpy refuses boolean "
                            "subtraction); cast it to an integer dtype first")
        bcast = list(x.type.broadcastable)
        if self.n:
            # Differencing a length-1 axis leaves length 0.
            bcast[ax] = False
        return Apply(self, [x], [TensorType(x.type.dtype, bcast)()])

    def perform(self, node, inputs, output_storage):
        x, = inputs
        output_storage[0][0] = np.asarray(np.diff(x, n=self.n, axis=self.axis),
                                          dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        out_shape = list(input_shapes[0])
        length = out_shape[self.axis]
        c = _const_int(length)
        if c is not None:
            out_shape[self.axis] = max(c - self.n, 0)
        else:
            out_shape[self.axis] = _math().maximum(length - self.n, 0)
        return [tuple(out_shape)]

    def grad(self, inputs, output_grads):
        x = inputs[0]
        if x.ndim != 1:
            raise NotImplementedError("Grad is not implemented for inputs with number of "
                                      "dimension other than 1.")
        z = output_grads[0]
        from pytheano.tensor.join import concatenate

        for _ in range(self.n):
            z = concatenate([[0.], z]) - concatenate([z, [0.]])
        return [z]


def diff(x, n=1, axis=-1):
    """The ``n``-th order discrete difference of ``x`` along ``axis`` (numpy.diff)."""
    return DiffOp(n=n, axis=axis)(x)


# --------------------------------------------------------------------------- RepeatOp

class RepeatOp(Op):
    """Repeat each element ``repeats`` times (a scalar, or a vector with one count per
    element) along ``axis``, or over the flattened input when None: ``RepeatOp{axis=1}``."""

    __props__ = ("axis",)

    def __init__(self, axis=None):
        self.axis = axis

    def make_node(self, x, repeats):
        x = as_tensor_variable(x)
        repeats = as_tensor_variable(repeats)
        if repeats.dtype not in scal.integer_types:
            raise TypeError("repeats.dtype must be an integer.")
        if repeats.dtype == "uint64":
            raise TypeError("dtypes ('uint64',) are not supported by numpy.repeat for the "
                            "'repeats' parameter, ", repeats.dtype)
        if repeats.ndim > 1:
            raise ValueError("The dimension of repeats should not exceed 1.")
        if self.axis is None:
            broadcastable = [False]
        else:
            _normalize_axis(self.axis, x.ndim)
            try:
                const_reps = get_scalar_constant_value(repeats)
            except NotScalarConstantError:
                const_reps = None
            if const_reps is not None and const_reps == 1:
                broadcastable = x.broadcastable
            else:
                broadcastable = list(x.broadcastable)
                broadcastable[self.axis] = False
        return Apply(self, [x, repeats], [TensorType(x.dtype, broadcastable)()])

    def perform(self, node, inputs, output_storage):
        x, repeats = inputs
        output_storage[0][0] = np.repeat(x, repeats=repeats, axis=self.axis)

    def connection_pattern(self, node):
        return [[True], [False]]

    def grad(self, inputs, output_grads):
        x, repeats = inputs
        gz, = output_grads
        if repeats.ndim == 0:
            if self.axis is None:
                axis = x.ndim
            elif self.axis >= 0:
                axis = self.axis + 1
            else:
                axis = self.axis + x.ndim + 1
            shape = [x.shape[k] for k in range(x.ndim)]
            shape.insert(axis, repeats)
            return [gz.reshape(shape, x.ndim + 1).sum(axis=axis),
                    _gradient().DisconnectedType()()]
        raise NotImplementedError("The gradient of repeat with a vector of repeats is not "
                                  "implemented")

    def infer_shape(self, fgraph, node, input_shapes):
        i0_shapes = input_shapes[0]
        repeats = node.inputs[1]
        out_shape = list(i0_shapes)
        dtype = "int64" if repeats.dtype in ("uint8", "uint16", "uint32") else None
        if self.axis is None:
            if repeats.ndim == 0:
                out_shape = [mul_dims(*(list(i0_shapes) + [repeats]))]
            else:
                out_shape = [repeats.sum(dtype=dtype)]
        elif repeats.ndim == 0:
            out_shape[self.axis] = mul_dims(out_shape[self.axis], repeats)
        else:
            out_shape[self.axis] = repeats.sum(dtype=dtype)
        return [tuple(out_shape)]


def repeat(x, repeats, axis=None):
    """Repeat the elements of ``x`` ``repeats`` times along ``axis`` (the flattened ``x``
    when None), as numpy.repeat. ``repeats`` is an int, an int scalar or an int vector."""
    x = as_tensor_variable(x)
    repeats = as_tensor_variable(repeats)
    if repeats.ndim > 1:
        raise ValueError("The dimension of repeats should not exceed 1.")
    if repeats.ndim == 1 and not repeats.broadcastable[0]:
        return RepeatOp(axis=axis)(x, repeats)
    if repeats.ndim == 1:
        repeats = repeats[0]
    if repeats.dtype not in scal.integer_types:
        raise TypeError("repeats.dtype must be an integer.")
    if x.dtype == "uint64":
        raise TypeError("theano.tensor.repeat don't support dtype uint64")
    if axis is None:
        axis = 0
        x = x.flatten()
    else:
        axis = _normalize_axis(axis, x.ndim)
    shape = [x.shape[i] for i in range(x.ndim)]
    shape_ = shape[:]
    shape_.insert(axis + 1, repeats)
    shape[axis] = shape[axis] * repeats
    dims_ = list(range(x.ndim))
    dims_.insert(axis + 1, "x")
    from pytheano.tensor.creation import alloc

    return alloc(x.dimshuffle(*dims_), *shape_).reshape(shape)


# --------------------------------------------------------------------------- Nonzero

class Nonzero(Op):
    """The indices of the non-zero elements, as an int64 matrix of shape (ndim, count):
    row i holds the indices along dimension i (numpy returns a tuple of those rows)."""

    __props__ = ()

    def make_node(self, a):
        a = as_tensor_variable(a)
        if a.ndim == 0:
            raise ValueError("Nonzero only supports non-scalar arrays.")
        return Apply(self, [a], [TensorType("int64", (False, False))()])

    def perform(self, node, inputs, output_storage):
        a, = inputs
        result = np.nonzero(a)
        output_storage[0][0] = np.asarray(result, dtype="int64").reshape(len(result), -1)

    def grad(self, inputs, output_grads):
        return [_gradient().grad_undefined(self, 0, inputs[0])]


_nonzero = Nonzero()


def nonzero(a, return_matrix=False):
    """The indices of the non-zero elements of ``a``: a tuple of int64 vectors (one per
    dimension, as numpy), or the (ndim, count) matrix when ``return_matrix``."""
    matrix_result = _nonzero(a)
    if return_matrix:
        return matrix_result
    if a.ndim > 0:
        return tuple(matrix_result[i] for i in range(a.ndim))
    return (matrix_result[0],)


def flatnonzero(a):
    """The indices of the non-zero elements of the flattened ``a``."""
    a = as_tensor_variable(a)
    if a.ndim == 0:
        raise ValueError("Nonzero only supports non-scalar arrays.")
    return nonzero(a.flatten(), return_matrix=True)[0]


def nonzero_values(a):
    """The non-zero elements of ``a``, as a vector (``a.flatten()[flatnonzero(a)]``)."""
    a = as_tensor_variable(a)
    return a.flatten()[flatnonzero(a)]


# --------------------------------------------------------------------------- searchsorted

class SearchsortedOp(Op):
    """numpy.searchsorted: where the values ``v`` would go in the sorted vector ``x``
    (int64 indices of ``v``'s shape)."""

    __props__ = ("side",)

    def __init__(self, side="left"):
        if side not in ("left", "right"):
            raise ValueError("'%s' is an invalid value for keyword 'side'" % (side,))
        self.side = side

    def make_node(self, x, v, sorter=None):
        x = as_tensor_variable(x, ndim=1)
        v = as_tensor_variable(v)
        out_type = TensorType("int64", v.type.broadcastable)
        if sorter is None:
            return Apply(self, [x, v], [out_type()])
        sorter = as_tensor_variable(sorter, ndim=1)
        if sorter.type.dtype not in scal.int_types:
            raise TypeError("sorter must be an integer vector", sorter.type)
        return Apply(self, [x, v, sorter], [out_type()])

    def perform(self, node, inputs, output_storage):
        x, v = inputs[:2]
        sorter = inputs[2] if len(inputs) == 3 else None
        output_storage[0][0] = np.asarray(np.searchsorted(x, v, side=self.side, sorter=sorter),
                                          dtype="int64")

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[1]]

    def grad(self, inputs, output_grads):
        from pytheano.tensor.creation import zeros_like

        grads = [zeros_like(inputs[0], dtype="floatX"), zeros_like(inputs[1], dtype="floatX")]
        if len(inputs) == 3:
            grads.append(_gradient().DisconnectedType()())
        return grads

    def connection_pattern(self, node):
        return [[True], [True]] + ([[False]] if len(node.inputs) == 3 else [])


def searchsorted(x, v, side="left", sorter=None):
    """The indices where the values ``v`` would be inserted into the sorted vector ``x`` to
    keep it sorted (numpy.searchsorted)."""
    return SearchsortedOp(side=side)(x, v, sorter)


# --------------------------------------------------------------------------- built on others

def bincount(x, weights=None, minlength=None, assert_nonneg=False):
    """The number of occurrences of each value in the non-negative int vector ``x``
    (weighted by ``weights`` when given), with at least ``minlength`` bins."""
    x = as_tensor_variable(x)
    if x.ndim != 1:
        raise TypeError("Inputs must be of dimension 1.")
    if x.dtype not in scal.integer_types:
        raise TypeError("bincount expects integers, got %s" % (x.type,))
    m = _math()
    from pytheano.tensor import subtensor
    from pytheano.tensor.creation import zeros

    if assert_nonneg:
        from pytheano.raise_op import Assert

        x = Assert("Input to bincount has negative values!")(x, (x >= 0).all())
    max_value = m.cast(x.max() + 1, "int64")
    if minlength is not None:
        max_value = m.maximum(max_value, minlength)
    if weights is None:
        out = zeros([max_value], dtype=x.dtype)
        return subtensor.advanced_inc_subtensor1(out, 1, x)
    weights = as_tensor_variable(weights)
    out = zeros([max_value], dtype=weights.dtype)
    return subtensor.advanced_inc_subtensor1(out, weights, x)


def compress(condition, x, axis=None):
    """The slices of ``x`` along ``axis`` where ``condition`` is non-zero (numpy.compress;
    the flattened ``x`` when ``axis`` is None)."""
    indices = flatnonzero(condition)
    return as_tensor_variable(x).take(indices, axis=axis)
