"""Joining and splitting tensors: Join (``concatenate``, ``stack``), Split, and MakeVector (a
vector from scalars: what ``stack`` of scalars and ``as_tensor_variable([a, b])`` build)."""
import warnings

import numpy as np

from pytheano.graph.printing import FunctionPrinter, pprint
from pytheano.errors import AxisError
from pytheano._core.graph import Apply, Variable
from pytheano._core.view_thunk import JoinThunk
from pytheano.configparser import config
from pytheano.graph.op import Op
from pytheano.scalar import basic as scal
from pytheano.tensor.basic import (NotScalarConstantError, as_tensor_variable, register_stack,
                                   get_scalar_constant_value, patternbroadcast)
from pytheano.tensor.shape import _const_int, add_dims, shape, shape_padaxis
from pytheano.tensor.type import TensorType
from pytheano.graph.grad_types import DisconnectedType, grad_undefined
from pytheano.tensor.shape import MakeVector, get_vector_length, make_vector  # noqa: F401
from pytheano.tensor.shape import _vector_entry
from pytheano.tensor import math as tmath

__all__ = ["MakeVector", "make_vector", "Join", "join", "concatenate", "stack", "stacklists",
           "Split", "split", "horizontal_stack", "vertical_stack", "roll"]





def _check_int_scalar(var, what):
    if var.type.ndim != 0 or var.type.dtype not in scal.int_types:
        raise TypeError("%s must be an integer scalar (int8..int64), got %s" % (what, var.type))


# --------------------------------------------------------------------------- Join

class Join(Op):
    """Concatenate tensors along an axis given as first input: ``join(axis, *tensors)``.

    The tensors must have the same rank, and the same shape on every other axis; the output
    has the upcast dtype of the inputs.
    """

    __props__ = ("view",)

    def __init__(self, view=-1):
        self.view = view
        if view != -1:
            # The output is input ``view`` itself when all the others are empty.
            self.view_map = {0: [1 + view]}

    def __str__(self):
        if self.view == -1:
            return type(self).__name__
        return "%s{view=%r}" % (type(self).__name__, self.view)

    def make_node(self, axis, *tensors):
        if not tensors:
            raise ValueError("Cannot join an empty list of tensors")
        tensors = [as_tensor_variable(x) for x in tensors]
        out_dtype = scal.upcast(*[x.type.dtype for x in tensors])
        if not all(x.type.ndim for x in tensors):
            raise TypeError("Join cannot handle arguments of dimension 0. For joining scalar "
                            "values, see @stack")
        ndim = tensors[0].type.ndim
        if not all(x.type.ndim == ndim for x in tensors[1:]):
            raise TypeError("Join() can only join tensors with the same number of dimensions.")
        if len(tensors) == 1:
            bcastable = list(tensors[0].type.broadcastable)
        else:
            bcastable = [False] * ndim
        if not isinstance(axis, (int, np.integer)):
            try:
                axis = int(get_scalar_constant_value(axis))
            except (NotScalarConstantError, TypeError):
                pass
        if isinstance(axis, (int, np.integer)):
            axis = int(axis)
            if axis < -ndim:
                raise IndexError("Join axis %d out of bounds [0, %d)" % (axis, ndim))
            if axis >= ndim:
                raise ValueError('Join argument "axis" is out of range (given input '
                                 'dimensions)')
            if axis < 0:
                axis += ndim
            if len(tensors) > 1:
                # A dimension broadcastable in one input must be 1 in all (their sizes agree).
                for x in tensors:
                    for d, b in enumerate(x.type.broadcastable):
                        if d != axis and b:
                            bcastable[d] = True
                bcastable[axis] = False
        axis_var = as_tensor_variable(axis)
        if axis_var.type.ndim != 0 or axis_var.type.dtype not in scal.int_types:
            raise TypeError("Axis could not be cast to an integer type", axis, axis_var.type,
                            scal.int_types)
        return Apply(self, [axis_var] + tensors, [TensorType(out_dtype, bcastable)()])

    def perform(self, node, inputs, output_storage):
        axis, tensors = int(inputs[0]), inputs[1:]
        view = self.view
        if view != -1 and all(t.shape[axis] == 0
                              for t in tensors[:view] + tensors[view + 1:]):
            output_storage[0][0] = tensors[view]
            return
        ndim = tensors[0].ndim
        if not -ndim <= axis < ndim:
            # AxisError is both the IndexError and the ValueError Theano raised here.
            raise AxisError("Join axis %d out of bounds [0, %d)" % (axis, ndim))
        output_storage[0][0] = np.concatenate(tensors, axis=axis,
                                              dtype=node.outputs[0].type.dtype,
                                              casting="unsafe")

    def c_thunk(self, node):
        """The C backend's thunk (_core/view_thunk.pyx): the tensors copied into one
        buffer, the last call's when nothing else holds it."""
        return JoinThunk, (self.view,)

    def infer_shape(self, fgraph, node, input_shapes):
        shapes = input_shapes[1:]
        n_dim = len(shapes[0])
        axis = _const_int(node.inputs[0])
        if axis is not None:
            axis %= n_dim
            return [tuple(add_dims(*[shp[d] for shp in shapes]) if d == axis else shapes[0][d]
                          for d in range(n_dim))]
        m = tmath
        axis = node.inputs[0]
        join_dim = m.switch(m.ge(axis, 0), axis, axis + n_dim)
        out = []
        for d in range(n_dim):
            total = add_dims(*[shp[d] for shp in shapes])
            out.append(m.switch(m.eq(d, join_dim), total, shapes[0][d]))
        return [tuple(out)]

    def vector_length(self, node):
        # A join of vectors (along their only axis): the lengths add up.
        try:
            return sum(get_vector_length(t) for t in node.inputs[1:])
        except ValueError:
            return None

    def grad(self, inputs, output_grads):
        """The gradient of a join is the split of the output gradient along the axis."""
        gz, = output_grads
        axis, tensors = inputs[0], inputs[1:]
        rval = [grad_undefined(self, 0, axis)]
        out_dtype = scal.upcast(*[x.type.dtype for x in tensors])
        if "float" in out_dtype or "complex" in out_dtype:
            split_gz = Split(len(tensors))(gz, axis, stack([shape(x)[axis] for x in tensors]),
                                           return_list=True)
            rval += [patternbroadcast(g, t.broadcastable) for t, g in zip(tensors, split_gz)]
        else:
            rval += [t.zeros_like(dtype=config.floatX) for t in tensors]
        return rval

    def R_op(self, inputs, eval_points):
        if None in eval_points[1:]:
            return [None]
        return self.make_node(inputs[0], *eval_points[1:]).outputs


join_ = Join()


def join(axis, *tensors_list):
    """Concatenate the tensors along ``axis`` (an int or an int scalar variable); a single
    tensor is returned as is."""
    if len(tensors_list) == 1:
        return tensors_list[0]
    return join_(axis, *tensors_list)


def concatenate(tensor_list, axis=0):
    """``join(axis, *tensor_list)`` with numpy.concatenate's signature."""
    if not isinstance(tensor_list, (tuple, list)):
        raise TypeError("The 'tensors' argument must be either a tuple or a list, make sure "
                        "you did not forget () or [] around arguments of concatenate.",
                        tensor_list)
    return join(axis, *tensor_list)


def _is_scalar_like(t):
    if isinstance(t, (np.number, float, int, complex, np.bool_)):
        return True
    return (isinstance(t, Variable) and isinstance(t.type, TensorType)
            and t.type.ndim == 0)


@register_stack
def stack(*tensors, **kwargs):
    """Stack tensors along a new axis (default 0): ``stack([a, b], axis=0)``.

    Scalars stack into a MakeVector. The old form ``stack(a, b, c)`` still works (it warns).
    """
    if not tensors and not kwargs:
        raise Exception("theano.tensor.stack(tensors, axis) must have at least one parameter")
    if not kwargs and not isinstance(tensors[0], (list, tuple)):
        warnings.warn("stack(*tensors) interface is deprecated, use stack(tensors, axis=0) "
                      "instead.", DeprecationWarning, stacklevel=2)
        axis = 0
    elif "tensors" in kwargs:
        tensors = kwargs["tensors"]
        axis = kwargs.get("axis", 0)
    else:
        if len(tensors) == 2:
            axis = tensors[1]
        else:
            axis = kwargs.get("axis", 0)
        tensors = tensors[0]
    if len(tensors) == 0:
        raise Exception("tensors is empty. You should at least provide one tensor to "
                        "theano.tensor.stack(tensors, axis).")
    if all(_is_scalar_like(t) for t in tensors):
        tensors = [as_tensor_variable(t) for t in tensors]
        dtype = scal.upcast(*[t.dtype for t in tensors])
        return MakeVector(dtype)(*tensors)
    return join(axis, *[shape_padaxis(t, axis) for t in tensors])


def stacklists(arg):
    """Stack a nested list of tensors (or scalars) into one tensor of the same structure:
    ``stacklists([[a, b], [c, d]])`` is a 2x2 grid of a, b, c, d."""
    if isinstance(arg, (tuple, list)):
        return stack(list(map(stacklists, arg)))
    return arg


def _concatenate_matrices(name, args, axis):
    if len(args) < 2:
        raise ValueError("%s needs at least two matrices" % name)
    for arg in args:
        if as_tensor_variable(arg).type.ndim != 2:
            raise TypeError("%s only joins matrices, got %s" % (name, arg))
    return concatenate(args, axis=axis)


def horizontal_stack(*args):
    """Concatenate matrices side by side (along axis 1)."""
    return _concatenate_matrices("horizontal_stack", args, 1)


def vertical_stack(*args):
    """Concatenate matrices one above the other (along axis 0)."""
    return _concatenate_matrices("vertical_stack", args, 0)


def roll(x, shift, axis=None):
    """``x`` shifted by ``shift`` places along ``axis`` (flattened when None), as numpy.roll."""
    x = as_tensor_variable(x)
    if axis is None:
        if x.ndim > 1:
            y = x.flatten()
            return roll(y, shift, axis=0).reshape(x.shape)
        axis = 0
    if axis < 0:
        axis += x.ndim
    shift = tmath.mod(shift, x.shape[axis])
    allslice = slice(None)
    front = [allslice] * axis + [slice(-shift, None)] + [allslice] * (x.ndim - axis - 1)
    end = [allslice] * axis + [slice(0, -shift)] + [allslice] * (x.ndim - axis - 1)
    return join(axis, x[tuple(front)], x[tuple(end)])


# --------------------------------------------------------------------------- Split

class Split(Op):
    """Partition a tensor along an axis into ``len_splits`` pieces of given sizes:
    ``split(x, splits_size, n_splits, axis)``."""

    __props__ = ("len_splits",)

    def __init__(self, len_splits):
        self.len_splits = int(len_splits)

    def __str__(self):
        return "%s{%s}" % (type(self).__name__, self.len_splits)

    def make_node(self, x, axis, splits):
        x = as_tensor_variable(x)
        axis = as_tensor_variable(axis)
        splits = as_tensor_variable(splits)
        if splits.type.ndim != 1 or splits.type.dtype not in scal.int_types:
            raise TypeError("splits must have type tensor.lvector", splits.type)
        if axis.type.ndim != 0 or axis.type.dtype not in scal.int_types:
            raise TypeError("axis must have type lscalar", axis.type)
        c_axis = _const_int(axis)
        if c_axis is not None and not -x.ndim <= c_axis < x.ndim:
            raise ValueError("Split axis %d is out of range for a tensor of %d dimensions"
                             % (c_axis, x.ndim))
        return Apply(self, [x, axis, splits], [x.type() for _ in range(self.len_splits)])

    def perform(self, node, inputs, output_storage):
        x, axis, splits = inputs
        axis = int(axis)
        if not -x.ndim <= axis < x.ndim:
            raise ValueError("Split.perform() with axis=(%s) is invalid for x.shape==(%s)"
                             % (axis, x.shape))
        if len(splits) != self.len_splits:
            raise ValueError("In Split.perform(), len(splits) != len_splits.",
                             (len(splits), self.len_splits))
        if np.sum(splits) != x.shape[axis]:
            raise ValueError("The splits sum to %s, expected %s" % (np.sum(splits),
                                                                     x.shape[axis]))
        if any(nb < 0 for nb in splits):
            raise ValueError("Split: you tried to make an ndarray with a negative number of "
                             "elements.")
        key = [slice(None)] * x.ndim
        lower = 0
        for i in range(self.len_splits):
            upper = lower + int(splits[i])
            key[axis] = slice(lower, upper)
            output_storage[i][0] = x[tuple(key)].copy()
            lower = upper

    def infer_shape(self, fgraph, node, input_shapes):
        shp_x = input_shapes[0]
        axis, splits = node.inputs[1], node.inputs[2]
        c_axis = _const_int(axis)
        out = []
        for i in range(self.len_splits):
            size = _vector_entry(splits, i)
            if c_axis is not None:
                ax = c_axis % len(shp_x)
                out.append(tuple(size if d == ax else s for d, s in enumerate(shp_x)))
            else:
                m = tmath
                ax = m.switch(m.ge(axis, 0), axis, axis + len(shp_x))
                out.append(tuple(m.switch(m.eq(d, ax), size, s) for d, s in enumerate(shp_x)))
        return out

    def grad(self, inputs, output_grads):
        """Join the gradients along the axis that was used to split x."""
        x, axis, n = inputs
        outputs = self(*inputs, return_list=True)
        if all(isinstance(g.type, DisconnectedType) for g in output_grads):
            return [DisconnectedType()(), grad_undefined(self, 1, axis),
                    grad_undefined(self, 2, n)]
        new_g = [o.zeros_like() if isinstance(g.type, DisconnectedType) else g
                 for o, g in zip(outputs, output_grads)]
        return [join(axis, *new_g), grad_undefined(self, 1, axis),
                grad_undefined(self, 2, n)]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None] * self.len_splits
        return self.make_node(eval_points[0], *inputs[1:]).outputs


def split(x, splits_size, n_splits, axis=0):
    """Split ``x`` along ``axis`` into ``n_splits`` pieces of sizes ``splits_size``."""
    return Split(n_splits)(x, axis, splits_size)


pprint.assign(Join, FunctionPrinter("join"))
