"""Sorting: SortOp (``sort``) and ArgSortOp (``argsort``), numpy's sort and argsort along an
axis given as an input (``axis=None`` sorts the flattened tensor)."""
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

__all__ = ["SortOp", "sort", "ArgSortOp", "argsort"]

_KINDS = ("quicksort", "mergesort", "heapsort", "stable")



def _sort_inputs(op, input, axis):
    """The input tensor and the axis as an int scalar tensor; a constant axis out of range is
    an error now rather than at run time."""
    input = as_tensor_variable(input)
    if axis is None:
        raise TypeError("%s takes an integer axis; use sort(a, axis=None) / argsort(a, "
                        "axis=None) to sort the flattened tensor" % op)
    axis = as_tensor_variable(axis)
    if axis.ndim != 0 or axis.dtype not in scal.integer_types:
        raise TypeError("%s: axis must be an integer scalar, got %s" % (op, axis.type))
    if input.ndim == 0:
        raise ValueError("%s: cannot sort a scalar (0-d tensor)" % op)
    if isinstance(axis, Constant):
        a = int(axis.data)
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
        output_storage[0][0] = np.sort(a, int(axis), self.kind, self.order)

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
        output_storage[0][0] = np.asarray(np.argsort(a, int(axis), self.kind, self.order),
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
