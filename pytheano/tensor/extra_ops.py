"""numpy functions as ops: cumulative sums and products (CumOp), differences (DiffOp),
repeat (RepeatOp), nonzero (Nonzero), searchsorted, bincount, compress, squeeze, bartlett,
fill_diagonal(_offset), to_one_hot, Unique, ravel_multi_index and unravel_index; and names
Theano 1.0 kept in ``theano.tensor.basic``: Choose (``choose``), PermuteRowElements
(``permute_row_elements``, ``inverse_permutation``), ``power`` and ``cov``."""
import numpy as np

from pytheano._core.graph import Apply
from pytheano.graph.op import Op
from pytheano.scalar import basic as scal
from pytheano.tensor.basic import NotScalarConstantError, as_tensor_variable, \
    get_scalar_constant_value
from pytheano.tensor.shape import _const_int, _normalize_axis, mul_dims, squeeze
from pytheano.tensor.type import TensorType
from pytheano.graph.grad_types import DisconnectedType, grad_not_implemented, grad_undefined
from pytheano.tensor import subtensor
from pytheano.tensor.creation import alloc, arange, zeros, zeros_like
from pytheano.tensor.join import concatenate
from pytheano.tensor.nlinalg import diag
from pytheano.tensor.raise_op import Assert
from pytheano.tensor.shape import get_vector_length, shape_padleft
from pytheano.tensor.subtensor import set_subtensor
from pytheano.tensor import math as tmath

__all__ = ["CumOp", "cumsum", "cumprod", "DiffOp", "diff", "RepeatOp", "repeat", "Nonzero",
           "nonzero", "flatnonzero", "nonzero_values", "SearchsortedOp", "searchsorted",
           "bincount", "compress", "squeeze", "bartlett", "fill_diagonal",
           "fill_diagonal_offset", "ravel_multi_index", "unravel_index", "Choose", "choose",
           "PermuteRowElements", "permute_row_elements", "inverse_permutation", "power",
           "CpuContiguous", "cpu_contiguous",
           "cov"]
# Importable from here only (Theano's ``theano.tensor`` does not expose them): Bartlett,
# FillDiagonal, FillDiagonalOffset, to_one_hot, Unique, UnravelIndex, RavelMultiIndex.





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
            out_shape[self.axis] = tmath.maximum(length - self.n, 0)
        return [tuple(out_shape)]

    def grad(self, inputs, output_grads):
        x = inputs[0]
        if x.ndim != 1:
            raise NotImplementedError("Grad is not implemented for inputs with number of "
                                      "dimension other than 1.")
        z = output_grads[0]

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
                    DisconnectedType()()]
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
        return [grad_undefined(self, 0, inputs[0])]


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
        grads = [zeros_like(inputs[0], dtype="floatX"), zeros_like(inputs[1], dtype="floatX")]
        if len(inputs) == 3:
            grads.append(DisconnectedType()())
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
    m = tmath

    if assert_nonneg:
        x = Assert("Input to bincount has negative values!")(x, (x >= 0).all())
    # cast before adding 1: Theano's cast(x.max() + 1) wraps around for a uint8 255
    max_value = m.cast(x.max(), "int64") + 1
    if minlength is not None:
        max_value = m.maximum(max_value, minlength)
    if weights is None:
        out = zeros([max_value], dtype=x.dtype)
        return subtensor.advanced_inc_subtensor1(out, np.asarray(1, dtype=x.dtype), x)
    weights = as_tensor_variable(weights)
    out = zeros([max_value], dtype=weights.dtype)
    return subtensor.advanced_inc_subtensor1(out, weights, x)


def compress(condition, x, axis=None):
    """The slices of ``x`` along ``axis`` where ``condition`` is non-zero (numpy.compress;
    the flattened ``x`` when ``axis`` is None)."""
    indices = flatnonzero(condition)
    return as_tensor_variable(x).take(indices, axis=axis)


# --------------------------------------------------------------------------- Bartlett

class Bartlett(Op):
    """The Bartlett (triangular) window of ``M`` points, as numpy.bartlett: a float64
    vector, empty when ``M <= 0``."""

    __props__ = ()

    def make_node(self, M):
        M = as_tensor_variable(M)
        if M.ndim != 0:
            raise TypeError("%s only works on scalar input" % type(self).__name__)
        if M.dtype not in scal.integer_types:
            raise TypeError("%s only works on integer input" % type(self).__name__)
        return Apply(self, [M], [TensorType("float64", (False,))()])

    def perform(self, node, inputs, output_storage):
        M, = inputs
        output_storage[0][0] = np.asarray(np.bartlett(int(M)), dtype="float64")

    def infer_shape(self, fgraph, node, input_shapes):
        m = tmath
        M = node.inputs[0]
        return [(m.switch(m.lt(M, 0), m.cast(0, M.dtype), M),)]

    def grad(self, inputs, output_grads):
        return [grad_undefined(self, 0, inputs[0],
                                           "bartlett is not differentiable in M")]


bartlett_ = Bartlett()


def bartlett(M):
    """The Bartlett spectral window of ``M`` points (numpy.bartlett): a float64 vector that
    rises linearly from 0 to (at most) 1 and back to 0; empty when ``M <= 0``."""
    return bartlett_(M)


# --------------------------------------------------------------------------- fill_diagonal

def _fill_value(op, a, val, position="second"):
    """``val`` cast to ``a``'s dtype when that is no downcast, else Theano's TypeError."""
    val = as_tensor_variable(val)
    if val.ndim != 0:
        raise TypeError("%s: %s parameter must be a scalar" % (type(op).__name__, position))
    val = tmath.cast(val, scal.upcast(a.dtype, val.dtype))
    if val.dtype != a.dtype:
        raise TypeError("%s: type of second parameter must be the same as the first's"
                        % type(op).__name__)
    return val


class FillDiagonal(Op):
    """A copy of ``a`` (ndim >= 2) whose main diagonal ``a[i, i, ..., i]`` is set to the
    scalar ``val``. Matrices may be rectangular."""

    __props__ = ()

    def make_node(self, a, val):
        a = as_tensor_variable(a)
        if a.ndim < 2:
            raise TypeError("%s: first parameter must have at least two dimensions"
                            % type(self).__name__)
        val = _fill_value(self, a, val)
        return Apply(self, [a, val], [a.type()])

    def perform(self, node, inputs, output_storage):
        a = inputs[0].copy()
        val = inputs[1]
        if a.ndim == 2:
            # No wrapping for tall matrices (numpy's default for fill_diagonal as well).
            step = a.shape[1] + 1
            end = a.shape[1] * a.shape[1]
            a.flat[:end:step] = val
        else:
            np.fill_diagonal(a, val)
        output_storage[0][0] = a

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0]]

    def grad(self, inputs, output_grads):
        a, val = inputs
        gz, = output_grads
        if a.ndim > 2:
            raise NotImplementedError("%s: gradient is currently implemented for matrices "
                                      "only" % type(self).__name__)

        return [fill_diagonal(gz, 0), diag(gz).sum()]


fill_diagonal_ = FillDiagonal()


def fill_diagonal(a, val):
    """A copy of ``a`` (at least 2-d) with its main diagonal (``a[i, i, ..., i]``) set to the
    scalar ``val``, whose dtype must not be an upcast of ``a``'s. Rectangular matrices are
    supported; arrays with more dimensions must have all dimensions equal."""
    return fill_diagonal_(a, val)


class FillDiagonalOffset(Op):
    """A copy of the matrix ``a`` whose diagonal at ``offset`` (positive: above the main
    diagonal, negative: below) is set to the scalar ``val``; never wraps."""

    __props__ = ()

    def make_node(self, a, val, offset):
        a = as_tensor_variable(a)
        offset = as_tensor_variable(offset)
        if a.ndim != 2:
            raise TypeError("%s: first parameter must have exactly two dimensions"
                            % type(self).__name__)
        val = _fill_value(self, a, val)
        if offset.ndim != 0:
            raise TypeError("%s: third parameter must be a scalar" % type(self).__name__)
        if offset.dtype not in scal.integer_types:
            raise TypeError("%s: type of third parameter must be as integer use "
                            "theano.tensor.cast( input, 'int32/int64')" % type(self).__name__)
        return Apply(self, [a, val, offset], [a.type()])

    def perform(self, node, inputs, output_storage):
        a = inputs[0].copy()
        val, offset = inputs[1], int(inputs[2])
        height, width = a.shape
        if offset >= 0:
            start = offset
            num_of_step = min(min(width, height), width - offset)
        else:
            start = -offset * width
            num_of_step = min(min(width, height), height + offset)
        if num_of_step > 0:
            step = width + 1
            a.flat[start:start + step * num_of_step:step] = val
        output_storage[0][0] = a

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0]]

    def grad(self, inputs, output_grads):
        a, val, offset = inputs
        gz, = output_grads
        m = tmath
        height, width = gz.shape[0], gz.shape[1]
        wr_a = fill_diagonal_offset(gz, 0, offset)
        offset_abs = abs(offset)
        pos = m.ge(offset, 0)
        neg = m.lt(offset, 0)
        start = offset * pos + offset_abs * width * neg
        num_of_step = m.maximum(m.minimum(m.minimum(width, height),
                                          width * pos + height * neg - offset_abs), 0)
        step = width + 1
        end = start + step * num_of_step
        start, step, end = (m.cast(v, "int64") for v in (start, step, end))
        wr_val = gz.flatten()[start:end:step].sum()
        wr_offset = grad_undefined(
            self, 2, offset, "offset is not defined for non-integer offset so "
            "fill_diagonal_offset(a,val,offset+eps) is undefined")
        return [wr_a, wr_val, wr_offset]


fill_diagonal_offset_ = FillDiagonalOffset()


def fill_diagonal_offset(a, val, offset):
    """A copy of the matrix ``a`` with its diagonal at ``offset`` (an int scalar, positive
    above the main diagonal) set to the scalar ``val``. Tall matrices are not wrapped."""
    return fill_diagonal_offset_(a, val, offset)


# --------------------------------------------------------------------------- to_one_hot

def to_one_hot(y, nb_class, dtype=None):
    """A ``(y.shape[0], nb_class)`` matrix whose row ``i`` is the one-hot encoding of the
    int ``y[i]`` (in ``[0, nb_class)``), of ``dtype`` (floatX by default)."""

    y = as_tensor_variable(y)
    ret = zeros((y.shape[0], nb_class), dtype=dtype)
    return set_subtensor(ret[arange(y.shape[0]), y], 1)


# --------------------------------------------------------------------------- Unique

class Unique(Op):
    """numpy.unique: the sorted unique elements (of the flattened input, or the unique
    slices along ``axis``), then the int64 vectors asked for: indices of first occurrences
    (``return_index``), the inverse mapping (``return_inverse``), the counts
    (``return_counts``)."""

    __props__ = ("return_index", "return_inverse", "return_counts", "axis")

    def __init__(self, return_index=False, return_inverse=False, return_counts=False,
                 axis=None):
        self.return_index = return_index
        self.return_inverse = return_inverse
        self.return_counts = return_counts
        self.axis = axis

    def _axis(self, ndim):
        axis = self.axis
        if axis < 0:
            axis += ndim
        if axis < 0 or axis >= ndim:
            raise RuntimeError("Unique axis `{}` is outside of input ndim = {}."
                               .format(self.axis, ndim))
        return axis

    def make_node(self, x):
        x = as_tensor_variable(x)
        if self.axis is None:
            bcast = [False]
        else:
            axis = self._axis(x.ndim)
            bcast = [b and d != axis for d, b in enumerate(x.broadcastable)]
        outputs = [TensorType(x.dtype, bcast)()]
        n_int = sum(bool(f) for f in (self.return_index, self.return_inverse,
                                      self.return_counts))
        outputs += [TensorType("int64", (False,))() for _ in range(n_int)]
        return Apply(self, [x], outputs)

    def perform(self, node, inputs, output_storage):
        x, = inputs
        kwargs = dict(return_index=bool(self.return_index),
                      return_inverse=bool(self.return_inverse),
                      return_counts=bool(self.return_counts))
        if self.axis is not None:
            kwargs["axis"] = self.axis
        outs = np.unique(x, **kwargs)
        if len(node.outputs) == 1:
            outs = (outs,)
        for storage, out, var in zip(output_storage, outs, node.outputs):
            # numpy >= 2 shapes the inverse like the input; Theano's is a vector.
            storage[0] = np.asarray(out, dtype=var.type.dtype).reshape(
                (-1,) if var.ndim == 1 else np.shape(out))

    def infer_shape(self, fgraph, node, input_shapes):
        shapes = [None] * len(node.outputs)
        if self.axis is not None:
            axis = self._axis(len(input_shapes[0]))
            shapes[0] = tuple(s if d != axis else None
                              for d, s in enumerate(input_shapes[0]))
            if None in shapes[0]:
                shapes[0] = None
        if self.return_inverse:
            if self.axis is None:
                shape = (mul_dims(*input_shapes[0]),)
            else:
                shape = (input_shapes[0][self._axis(len(input_shapes[0]))],)
            shapes[2 if self.return_index else 1] = shape
        return shapes

    def grad(self, inputs, output_grads):
        return [grad_not_implemented(self, 0, inputs[0])]


# --------------------------------------------------------------------------- (un)ravel

def _check_index_dtype(v):
    if v.dtype not in scal.int_types:
        raise TypeError("'%s' object cannot be interpreted as an index" % str(v.dtype))


class UnravelIndex(Op):
    """numpy.unravel_index: ``ndim`` int64 outputs, the coordinates of the flat
    ``indices`` in an array of shape ``dims``: ``UnravelIndex{ndim=2, order='C'}``."""

    __props__ = ("ndim", "order")

    def __init__(self, ndim, order="C"):
        if order not in ("C", "F"):
            raise ValueError("order must be 'C' or 'F', got %r" % (order,))
        if not isinstance(ndim, (int, np.integer)) or isinstance(ndim, bool) or ndim < 1:
            raise ValueError("ndim must be an integer greater than 0")
        self.ndim = int(ndim)
        self.order = order

    def make_node(self, indices, dims):
        indices = as_tensor_variable(indices)
        dims = as_tensor_variable(dims)
        _check_index_dtype(indices)
        _check_index_dtype(dims)
        if dims.ndim != 1:
            raise TypeError("dims must be a 1D array")
        return Apply(self, [indices, dims],
                     [TensorType("int64", (False,) * indices.ndim)()
                      for _ in range(self.ndim)])

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0]] * len(node.outputs)

    def perform(self, node, inputs, output_storage):
        indices, dims = inputs
        if len(dims) != self.ndim:
            raise ValueError("UnravelIndex{ndim=%d}: dims has %d elements, expected %d"
                             % (self.ndim, len(dims), self.ndim))
        res = np.unravel_index(indices, tuple(int(d) for d in dims), order=self.order)
        for storage, r in zip(output_storage, res):
            storage[0] = np.array(r, dtype="int64")

    def grad(self, inputs, output_grads):
        return [grad_undefined(self, i, inp) for i, inp in enumerate(inputs)]


def unravel_index(indices, dims, order="C", ndim=None):
    """The coordinates (a tuple of int64 arrays shaped like ``indices``) of the flat
    ``indices`` in an array of shape ``dims`` (numpy.unravel_index). ``ndim`` (the length of
    ``dims``) is needed when it cannot be read from ``dims``."""
    if ndim is None:
        try:
            ndim = get_vector_length(dims)
        except ValueError:
            raise ValueError(
                "The length of the provided dimension list (%s) cannot be automatically "
                "determined, so Theano is not able to know what the number of dimensions of "
                "the unraveled index will be. You can provide the 'ndim' keyword argument to "
                "'unravel_index' to avoid this problem." % str(dims)) from None
    res = UnravelIndex(ndim=ndim, order=order)(indices, dims)
    return (res,) if ndim == 1 else tuple(res)


class RavelMultiIndex(Op):
    """numpy.ravel_multi_index: the int64 flat indices of the coordinate arrays (all
    inputs but the last) in an array of shape ``dims`` (the last input):
    ``RavelMultiIndex{mode='raise', order='C'}``."""

    __props__ = ("mode", "order")

    def __init__(self, mode="raise", order="C"):
        if mode not in ("raise", "wrap", "clip"):
            raise ValueError("mode must be 'raise', 'wrap' or 'clip', got %r" % (mode,))
        if order not in ("C", "F"):
            raise ValueError("order must be 'C' or 'F', got %r" % (order,))
        self.mode = mode
        self.order = order

    def make_node(self, *inputs):
        if len(inputs) < 2:
            raise TypeError("RavelMultiIndex needs at least one index array and dims")
        multi_index = [as_tensor_variable(i) for i in inputs[:-1]]
        dims = as_tensor_variable(inputs[-1])
        for i in multi_index:
            _check_index_dtype(i)
        _check_index_dtype(dims)
        if dims.ndim != 1:
            raise TypeError("dims must be a 1D array")
        return Apply(self, multi_index + [dims],
                     [TensorType("int64", (False,) * multi_index[0].ndim)()])

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0]]

    def perform(self, node, inputs, output_storage):
        multi_index, dims = inputs[:-1], inputs[-1]
        res = np.ravel_multi_index(tuple(multi_index), tuple(int(d) for d in dims),
                                   mode=self.mode, order=self.order)
        output_storage[0][0] = np.asarray(res, dtype="int64")

    def grad(self, inputs, output_grads):
        return [grad_undefined(self, i, inp) for i, inp in enumerate(inputs)]


def ravel_multi_index(multi_index, dims, mode="raise", order="C"):
    """The flat indices (int64) of the coordinate arrays ``multi_index`` (a tuple or list,
    one array per dimension) in an array of shape ``dims`` (numpy.ravel_multi_index);
    ``mode`` ('raise', 'wrap', 'clip') handles out-of-bounds indices."""
    if not isinstance(multi_index, (tuple, list)):
        raise TypeError("multi_index must be a tuple or a list.")
    return RavelMultiIndex(mode=mode, order=order)(*(tuple(multi_index) + (dims,)))


class Choose(Op):
    """numpy.choose: ``choices[a[i...]][i...]``, ``a`` an integer tensor and ``choices`` a
    tensor whose first axis lists the choices, or a list of tensors (``listed``: one input
    each, so they may differ in shape, as Theano's typed list allows), broadcast together;
    mode 'raise', 'wrap' or 'clip' for indices out of range."""

    __props__ = ("mode", "listed")

    def __init__(self, mode, listed=False):
        if mode not in ("raise", "wrap", "clip"):
            raise ValueError("choose mode must be 'raise', 'wrap' or 'clip', got %r" % mode)
        self.mode = mode
        self.listed = bool(listed)

    def __str__(self):
        return "Choose{mode=%r}" % (self.mode,)

    def make_node(self, a, choices):
        a = as_tensor_variable(a)
        if a.dtype not in scal.discrete_types:
            raise TypeError("choose first argument must have an [u]int* dtype. Got %s."
                            % a.dtype)
        if self.listed:
            choices = [as_tensor_variable(c) for c in choices]
            if not choices:
                raise ValueError("choose: choices must not be empty")
            out_ndim = max([a.ndim] + [c.ndim for c in choices])
            a = shape_padleft(a, out_ndim - a.ndim)
            choices = [shape_padleft(c, out_ndim - c.ndim) for c in choices]
            bcast = tuple(all(v.broadcastable[d] for v in [a] + choices)
                          for d in range(out_ndim))
            dtype = scal.upcast(*[c.dtype for c in choices])
            return Apply(self, [a] + choices, [TensorType(dtype, bcast)()])
        if isinstance(choices, (tuple, list)):
            return Choose(self.mode, listed=True).make_node(a, choices)
        choice = as_tensor_variable(choices)
        out_ndim = max(a.ndim, choice.ndim - 1)
        a = shape_padleft(a, out_ndim - a.ndim)
        if choice.ndim - 1 != out_ndim:
            pad = out_ndim - (choice.ndim - 1)
            choice = choice.dimshuffle(0, *(("x",) * pad + tuple(range(1, choice.ndim))))
        bcast = tuple(b1 and b2 for b1, b2 in zip(a.broadcastable, choice.broadcastable[1:]))
        return Apply(self, [a, choice], [TensorType(choice.dtype, bcast)()])

    def perform(self, node, inputs, output_storage):
        a, choice = inputs[0], (list(inputs[1:]) if self.listed else inputs[1])
        output_storage[0][0] = np.asarray(np.choose(a, choice, mode=self.mode),
                                          dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        if self.listed:
            # numpy's broadcasting of a and every choice: sizes are 1 or the common size
            out = []
            for dims in zip(*input_shapes):
                size = dims[0]
                for d in dims[1:]:
                    size = tmath.maximum(size, d)
                out.append(size)
            return [tuple(out)]
        # a's shape, except where a is broadcastable (Theano's rule).
        return [tuple(sc if b else sa for sa, sc, b in
                      zip(input_shapes[0], input_shapes[1][1:], node.inputs[0].broadcastable))]


def choose(a, choices, out=None, mode="raise"):
    """numpy.choose(a, choices, mode=mode): for each position, the entry of the choice that
    ``a`` names there (``out`` must be None: ops do not write into arrays)."""
    if out is not None:
        raise ValueError("choose does not support out; use the returned variable")
    return Choose(mode, listed=isinstance(choices, (tuple, list)))(a, choices)


class PermuteRowElements(Op):
    """Each row (last axis) of x permuted by the matching row of the integer tensor y
    (``x[..., y]`` row-wise), x and y broadcast along the leading axes; with ``inverse``,
    the inverse permutation."""

    __props__ = ()

    def make_node(self, x, y, inverse):
        x = as_tensor_variable(x)
        y = as_tensor_variable(y)
        # (Theano tests a symbolic inverse for truth, so it is always 1 there: its
        # gradient of an inverse permutation is wrong; a symbolic inverse works here.)
        inverse = as_tensor_variable(int(inverse) if isinstance(inverse, (bool, int))
                                     else inverse)
        if y.type.dtype not in scal.integer_types:
            raise TypeError("permute_row_elements: the permutations must be integers, got %s"
                            % y.type)
        if inverse.type.ndim != 0 or inverse.type.dtype not in scal.discrete_types:
            raise TypeError("permute_row_elements: inverse must be an integer scalar, got %s"
                            % inverse.type)
        if x.ndim > y.ndim:
            y = shape_padleft(y, x.ndim - y.ndim)
        elif x.ndim < y.ndim:
            x = shape_padleft(x, y.ndim - x.ndim)
        bcast = tuple(xb and yb for xb, yb in zip(x.broadcastable, y.broadcastable))
        return Apply(self, [x, y, inverse], [TensorType(x.dtype, bcast)()])

    def perform(self, node, inputs, output_storage):
        x, y, inverse = inputs
        shape = []
        x_b, y_b = node.inputs[0].broadcastable, node.inputs[1].broadcastable
        for d, (xs, ys) in enumerate(zip(x.shape, y.shape)):
            # Theano 1.0 compat: a leading axis broadcasts only where its type says so.
            if xs == ys or (d == x.ndim - 1 and 1 in (xs, ys)):
                shape.append(max(xs, ys))
            elif ys == 1 and y_b[d]:
                shape.append(xs)
            elif xs == 1 and x_b[d]:
                shape.append(ys)
            else:
                raise ValueError("Dimension mismatch: %s, %s" % (xs, ys))
        xb = np.broadcast_to(x, shape[:-1] + [x.shape[-1]])
        yb = np.broadcast_to(y, shape[:-1] + [y.shape[-1]])
        if inverse:
            out = np.empty(shape, dtype=x.dtype)
            np.put_along_axis(out, yb, xb, axis=-1)
        else:
            out = np.take_along_axis(xb, yb, axis=-1)
        output_storage[0][0] = np.ascontiguousarray(out)

    def infer_shape(self, fgraph, node, input_shapes):
        return [tuple(tmath.maximum(sx, sy) for sx, sy in zip(*input_shapes[:2]))]

    def grad(self, inputs, output_grads):
        x, y, inverse = inputs
        gz, = output_grads
        # The gradient is the opposite permutation, summed over where x was broadcast.
        gx = permute_row_elements(gz, y, tmath.eq(inverse, 0))
        summed = [d for d in range(gz.ndim) if x.broadcastable[d] and not gz.broadcastable[d]]
        if summed:
            gx = gx.sum(axis=summed, keepdims=True)
        gx = gx.reshape(x.shape, ndim=x.ndim) if gx.broadcastable != x.broadcastable else gx
        if x.dtype in scal.discrete_types:
            gx = x.zeros_like()
        return [gx, grad_undefined(self, 1, y), grad_undefined(self, 2, inverse)]


_permute_row_elements = PermuteRowElements()


def permute_row_elements(x, y, inverse=0):
    """Each row of ``x`` permuted by the matching row of ``y`` (a single permutation ``y``
    serves every row; a vector ``x`` gives one row per permutation); ``inverse`` undoes the
    permutations instead."""
    return _permute_row_elements(x, y, inverse)


def inverse_permutation(perm):
    """The inverse of each permutation (row) of the integer tensor ``perm``."""
    perm = as_tensor_variable(perm)
    return permute_row_elements(arange(perm.shape[-1], dtype=perm.dtype), perm, inverse=True)


def power(x, y):
    """``x ** y`` elementwise."""
    return as_tensor_variable(x) ** y


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None):
    """The covariance matrix of the variables in the rows of the matrix ``m`` (the columns
    when not ``rowvar``), with the variables of ``y`` appended; normalised by N - 1 (N if
    ``bias``; N - ``ddof`` if given), as numpy.cov."""
    if fweights is not None:
        raise NotImplementedError("fweights are not implemented")
    if aweights is not None:
        raise NotImplementedError("aweights are not implemented")
    m = as_tensor_variable(m)
    # Theano 1.0 compat: numpy keeps a one-row m as is when not rowvar; Theano's test of
    # that is symbolic and always true, so m is always transposed.
    if not rowvar:
        m = m.T
    if y is not None:
        y = as_tensor_variable(y)
        if not rowvar:
            y = y.T
        m = concatenate((m, y), axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    fact = m.shape[1] - ddof
    m = m - m.mean(axis=1, keepdims=True)
    c = m.dot(m.T)
    c = c * (as_tensor_variable(1) / fact)
    return c.squeeze()


class CpuContiguous(Op):
    """The input as a C-contiguous array: itself when it already is, else a copy."""

    __props__ = ()
    view_map = {0: [0]}

    def make_node(self, x):
        x = as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage):
        x, = inputs
        output_storage[0][0] = x if x.flags["C_CONTIGUOUS"] else np.ascontiguousarray(x)

    def infer_shape(self, fgraph, node, shapes):
        return shapes

    def grad(self, inputs, output_grads):
        return [as_tensor_variable(output_grads[0])]


cpu_contiguous = CpuContiguous()
