"""Sorting: SortOp (``sort``) and ArgSortOp (``argsort``), numpy's sort and argsort along an
axis given as an input (``axis=None`` sorts the flattened tensor); TopKOp (``topk``,
``argtopk``, ``topk_and_argtopk``), the k largest (or, for a negative k, smallest) entries."""
import numpy as np

from pytheano.errors import AxisError
from pytheano._core.graph import Apply, Constant
from pytheano.graph.op import Op
from pytheano.scalar import basic as scal
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.type import TensorType
from pytheano.graph.grad_types import grad_undefined
from pytheano.tensor import math
from pytheano.tensor.creation import arange
from pytheano.tensor.subtensor import set_subtensor

__all__ = ["SortOp", "sort", "ArgSortOp", "argsort", "TopKOp", "topk", "argtopk",
           "topk_and_argtopk"]

_KINDS = ("quicksort", "mergesort", "heapsort", "stable")


def _integral_axis(axis):
    if axis != int(axis):
        raise ValueError("sort axis must be an integral value, got %s" % (axis,))
    return int(axis)


def _sort_inputs(op, input, axis):
    """The input tensor and the axis as an int scalar tensor; a constant axis out of range is
    an error now rather than at run time."""
    input = as_tensor_variable(input)
    if axis is None:
        raise TypeError("%s takes an integer axis; use sort(a, axis=None) / argsort(a, "
                        "axis=None) to sort the flattened tensor" % op)
    axis = as_tensor_variable(axis)
    # Theano 1.0 takes a float scalar axis too (T.scalar()), checked integral at run time.
    if axis.ndim != 0 or axis.dtype not in scal.integer_types + scal.float_types:
        raise TypeError("%s: axis must be an integer scalar, got %s" % (op, axis.type))
    if input.ndim == 0:
        raise ValueError("%s: cannot sort a scalar (0-d tensor)" % op)
    if isinstance(axis, Constant):
        a = _integral_axis(axis.data)
        if not -input.ndim <= a < input.ndim:
            raise AxisError(
                "%s: axis %d is out of bounds for a tensor of %d dimension(s)"
                % (op, a, input.ndim))
    return input, axis


def _check_kind(kind):
    if kind not in _KINDS:
        raise ValueError("sort kind must be one of %s, got %r" % (", ".join(_KINDS), kind))


class _SortOpBase(Op):
    """What SortOp and ArgSortOp share: numpy's sort ``kind`` and ``order``, and an output
    of the input's shape."""

    __props__ = ("kind", "order")

    def __init__(self, kind, order=None):
        _check_kind(kind)
        self.kind = kind
        self.order = order

    def __str__(self):
        return "%s{%s, %s}" % (type(self).__name__, self.kind, str(self.order))

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0]]


def _flatten_if_no_axis(a, axis):
    """``(a, axis)``, or the flattened ``a`` and axis 0 when ``axis`` is None."""
    if axis is None:
        return as_tensor_variable(a).flatten(), 0
    return a, axis


class SortOp(_SortOpBase):
    """A sorted copy of the input along an axis: ``SortOp{quicksort, None}``."""

    def make_node(self, input, axis=-1):
        input, axis = _sort_inputs(self, input, axis)
        return Apply(self, [input, axis], [input.type()])

    def perform(self, node, inputs, output_storage):
        a, axis = inputs
        output_storage[0][0] = np.sort(a, _integral_axis(axis), self.kind, self.order)

    def grad(self, inputs, output_grads):
        a, axis = inputs
        indices = self._unsort_indices(a, axis)
        inp_grad = output_grads[0][tuple(indices)]
        axis_grad = grad_undefined(
            self, 1, axis, "The gradient of sort is not defined with respect to the integer "
                           "axes itself")
        return [inp_grad, axis_grad]

    def _unsort_indices(self, a, axis):
        """Index arrays that put the sorted tensor back in ``a``'s order: the inverse
        permutation along ``axis``, and a broadcast arange along the other axes."""
        idx = argsort(a, axis, kind=self.kind, order=self.order)
        rev_idx = argsort(idx, axis, kind=self.kind, order=self.order)
        c_axis = int(axis.data) % a.ndim if isinstance(axis, Constant) else None
        indices = []
        for i in range(a.ndim):
            index_shape = [1] * a.ndim
            index_shape[i] = a.shape[i]
            expanded = arange(a.shape[i]).reshape(index_shape)
            if c_axis is not None:
                indices.append(rev_idx if i == c_axis else expanded)
            else:
                axis_data = math.switch(math.ge(axis, 0), axis, a.ndim + axis)
                indices.append(math.switch(math.eq(i, axis_data), rev_idx, expanded))
        return indices


def sort(a, axis=-1, kind="quicksort", order=None):
    """A sorted copy of ``a`` along ``axis`` (the flattened ``a`` when ``axis`` is None)."""
    a, axis = _flatten_if_no_axis(a, axis)
    return SortOp(kind, order)(a, axis)


class ArgSortOp(_SortOpBase):
    """The int64 indices that sort the input along an axis: ``ArgSortOp{quicksort, None}``."""

    def make_node(self, input, axis=-1):
        input, axis = _sort_inputs(self, input, axis)
        return Apply(self, [input, axis],
                     [TensorType("int64", input.type.broadcastable)()])

    def perform(self, node, inputs, output_storage):
        a, axis = inputs
        output_storage[0][0] = np.asarray(np.argsort(a, _integral_axis(axis), self.kind,
                                                     self.order),
                                          dtype=node.outputs[0].type.dtype)

    def grad(self, inputs, output_grads):
        inp, axis = inputs
        axis_grad = grad_undefined(
            self, 1, axis, "argsort is not defined for non-integer axes so "
                           "argsort(x, axis+eps) is undefined")
        return [inp.zeros_like(), axis_grad]


def argsort(a, axis=-1, kind="quicksort", order=None):
    """The indices that sort ``a`` along ``axis`` (of the flattened ``a`` when None)."""
    a, axis = _flatten_if_no_axis(a, axis)
    return ArgSortOp(kind, order)(a, axis)


_INTEGER_DTYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


def _along(axis, ndim, index):
    """An index tuple that takes ``index`` (an array of the result's shape) along ``axis`` and
    every position along the other axes."""
    shape = index.shape
    return tuple(index if i == axis else
                 np.arange(shape[i]).reshape((shape[i],) + (1,) * (ndim - i - 1))
                 for i in range(ndim))


def _topk_indices(x, k, axis):
    """The indices along ``axis`` of the ``k`` largest entries (the ``-k`` smallest for a
    negative ``k``), in no particular order."""
    n = x.shape[axis]
    if k == 0:
        raise ValueError("topk: kth cannot be zero")
    if k > n:
        raise ValueError("topk: kth cannot be larger than the size of specified axis %d"
                         % axis)
    if abs(k) == 1:
        pick = np.argmax if k > 0 else np.argmin
        return np.expand_dims(pick(x, axis=axis), axis)
    if abs(k) == n:
        shape = [1] * x.ndim
        shape[axis] = n
        return np.broadcast_to(np.arange(n).reshape(shape), x.shape)
    # np.argpartition puts the entry of rank -k in place, larger ones after it.
    part = np.argpartition(x, -k, axis=axis)
    window = [slice(None)] * x.ndim
    window[axis] = slice(-k, None) if k > 0 else slice(-k)
    return part[tuple(window)]


class TopKOp(Op):
    """The k largest entries along ``axis`` and/or their indices; a negative k gives the -k
    smallest. Prints as ``TopKOp{axis=-1, sorted=False}``.

    The order of the entries within the result is not specified (numpy's partition order),
    as in Theano 1.0, which does not implement ``sorted=True``.
    """

    __props__ = ("axis", "sorted", "return_values", "return_indices", "idx_dtype")

    def __init__(self, axis=-1, sorted=True, idx_dtype="int64", return_values=True,
                 return_indices=True):
        if not isinstance(axis, int):
            raise TypeError('"axis" parameter must be integer, got "%s"' % type(axis))
        if sorted:
            # Theano 1.0 compat: sorted=True is refused, so code written for Theano passes
            # sorted=False and never relies on an order.
            raise NotImplementedError("The sorted parameter is not yet implemented. Use "
                                      "sorted=False for now.")
        if idx_dtype not in _INTEGER_DTYPES:
            raise TypeError('"idx_dtype" parameter must be an integer dtype, got "%s"'
                            % idx_dtype)
        if not (return_indices or return_values):
            raise ValueError("Neither return_values nor return_indices is True, this isn't "
                             "allowed")
        self.axis = axis
        self.sorted = sorted
        self.return_values = return_values
        self.return_indices = return_indices
        self.idx_dtype = idx_dtype

    def __str__(self):
        return "%s{axis=%d, sorted=%s}" % (type(self).__name__, self.axis, self.sorted)

    def make_node(self, inp, kth):
        inp = as_tensor_variable(inp)
        ndim = inp.ndim
        if ndim == 0:
            raise ValueError("Cannot take scalar as input")
        if not -ndim <= self.axis < ndim:
            raise IndexError('"axis" parameter out of range, expected integer within [%d, %d]'
                             % (-ndim, ndim - 1))
        kth = as_tensor_variable(kth)
        if kth.ndim != 0:
            raise ValueError("%s is expected to be 0d tensor, got %d" % (kth, kth.ndim))
        outs = []
        if self.return_values:
            outs.append(inp.type())
        if self.return_indices:
            outs.append(TensorType(self.idx_dtype, inp.type.broadcastable)())
        return Apply(self, [inp, kth], outs)

    def perform(self, node, inputs, output_storage):
        x, k = inputs
        axis = self.axis % x.ndim
        idx = _topk_indices(x, int(k), axis)
        out = 0
        if self.return_values:
            output_storage[0][0] = x[_along(axis, x.ndim, idx)]
            out = 1
        if self.return_indices:
            output_storage[out][0] = idx.astype(self.idx_dtype)  # a copy: idx may be a view

    def infer_shape(self, fgraph, node, input_shapes):
        shp = list(input_shapes[0])
        shp[self.axis] = math.cast(math.abs_(node.inputs[1]), "int64")
        return [tuple(shp)] * len(node.outputs)

    def L_op(self, inputs, outputs, output_grads):
        x, k = inputs
        k_grad = grad_undefined(self, 1, k, "topk: k is not differentiable")
        if self.return_indices:
            indices = outputs[-1]
        else:
            # A values-only node (what topk() builds) finds the indices again.
            indices = TopKOp(self.axis, self.sorted, self.idx_dtype, False, True)(x, k)
        z_grad = output_grads[0]
        if not self.return_values:
            return [x.zeros_like(), k_grad]
        ndim = x.ndim
        axis = self.axis % ndim
        where = [indices if i == axis else
                 arange(x.shape[i]).dimshuffle([0] + ["x"] * (ndim - i - 1))
                 for i in range(ndim)]
        x_grad = set_subtensor(x.zeros_like(dtype=z_grad.dtype)[tuple(where)], z_grad)
        return [x_grad, k_grad]


def _topk_node(x, kth, axis, sorted, idx_dtype, values, indices):
    if axis is None:
        x, axis = as_tensor_variable(x).flatten(), 0
    return TopKOp(axis=axis, sorted=sorted, idx_dtype=idx_dtype, return_values=values,
                  return_indices=indices)(x, kth)


def topk(x, kth, axis=-1, sorted=True, idx_dtype="int64"):
    """The ``kth`` largest entries of ``x`` along ``axis`` (the ``-kth`` smallest when
    ``kth`` is negative; the flattened ``x`` when ``axis`` is None), in no set order."""
    # One output: what Theano's local_useless_topk makes of the two-output node.
    return _topk_node(x, kth, axis, sorted, idx_dtype, True, False)


def argtopk(x, kth, axis=-1, sorted=True, idx_dtype="int64"):
    """The indices along ``axis`` of what ``topk(x, kth, axis)`` returns, as ``idx_dtype``."""
    return _topk_node(x, kth, axis, sorted, idx_dtype, False, True)


def topk_and_argtopk(x, kth, axis=-1, sorted=True, idx_dtype="int64"):
    """``(topk(...), argtopk(...))`` computed by one node."""
    return _topk_node(x, kth, axis, sorted, idx_dtype, True, True)
