"""Shape ops: reading a tensor's shape (Shape, Shape_i), changing it without moving data
(Reshape, flatten, transpose and the other DimShuffle helpers) and asserting it
(SpecifyShape).

These are the ops a graph uses to talk about sizes: ``x.shape`` is ``Shape.0``, ``x.T`` is an
``InplaceDimShuffle{1,0}``, ``x.reshape((5, 2))`` is ``Reshape{2}``, as in Theano 1.0.
"""
import numbers
import operator

import numpy as np

from pytheano.errors import AxisError
from pytheano._core.graph import Apply, Constant, Variable
from pytheano._core.view_thunk import (MakeVectorThunk, ReshapeThunk, ShapeIThunk, ShapeThunk,
                                        SpecifyShapeThunk)
from pytheano.graph.op import Op
from pytheano.scalar import basic as scal
from pytheano.tensor.basic import (NotScalarConstantError, addbroadcast, as_tensor_variable,
                                   get_scalar_constant_value)
from pytheano.tensor.elemwise import DimShuffle
from pytheano.tensor.type import TensorType
from pytheano.graph.grad_types import DisconnectedType, grad_not_implemented
from pytheano.configparser import config
from pytheano.graph.printing import debugprint, pprint, process_all
from pytheano.tensor import math as tmath

__all__ = ["Shape", "Shape_i", "shape", "shape_i", "Reshape", "reshape", "flatten", "is_flat",
           "transpose", "swapaxes", "squeeze", "shape_padleft", "shape_padright",
           "shape_padaxis", "SpecifyShape", "specify_shape", "get_vector_length", "MakeVector",
           "make_vector"]



# --------------------------------------------------------------------------- shape arithmetic
# infer_shape mixes Python ints and symbolic int scalars; fold the ints so that constant
# shapes stay plain numbers and only the symbolic part builds graph.

def _is_int(d):
    return isinstance(d, (numbers.Integral, np.integer))


def _const_int(d):
    """``d`` as a Python int when it is a number or a scalar constant, else None."""
    if _is_int(d):
        return int(d)
    if isinstance(d, np.ndarray) and d.ndim == 0 and d.dtype.kind in "iu":
        return int(d)
    if isinstance(d, Constant) and getattr(d.type, "ndim", 0) == 0:
        return int(d.data)
    return None


def _fold_dims(dims, identity, fold, math_op):
    """``dims`` combined by ``fold`` (on ints) / the math op named ``math_op`` (symbolic);
    the ints are folded into one, left out when it is ``identity``."""
    known = identity
    symbolic = []
    for d in dims:
        c = _const_int(d)
        if c is None:
            symbolic.append(d)
        else:
            known = fold(known, c)
    if not symbolic:
        return known
    if known != identity:
        symbolic.append(known)
    return getattr(tmath, math_op)(*symbolic) if len(symbolic) > 1 else symbolic[0]


def mul_dims(*dims):
    """The product of shape entries (ints or symbolic int scalars)."""
    return _fold_dims(dims, 1, operator.mul, "mul")


def add_dims(*dims):
    """The sum of shape entries (ints or symbolic int scalars)."""
    return _fold_dims(dims, 0, operator.add, "add")


def _normalize_axis(axis, ndim, what="axis"):
    """A Python int axis in [0, ndim); numpy's AxisError (a ValueError and an IndexError)
    naming the valid range otherwise."""
    if not _is_int(axis):
        raise TypeError("%s must be an integer, got %r" % (what, axis))
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise AxisError(
            "%s %d is out of bounds for a tensor of %d dimension(s) (valid: %d to %d)"
            % (what, axis, ndim, -ndim, ndim - 1))
    return axis % ndim if ndim else axis


# --------------------------------------------------------------------------- MakeVector

class MakeVector(Op):
    """A vector from scalars (0-d tensors) of one dtype: ``MakeVector{dtype='int64'}``.

    Inputs of a smaller dtype are cast up to ``dtype``; one that would lose precision is a
    TypeError. It takes no inputs too (an empty vector).
    """

    __props__ = ("dtype",)

    def __init__(self, dtype="int64"):
        self.dtype = dtype

    def make_node(self, *inputs):
        inputs = [as_tensor_variable(i) for i in inputs]
        for i in inputs:
            if i.ndim != 0:
                raise TypeError("MakeVector expects scalars (0-d tensors), got %s" % (i.type,))
        if any(i.dtype != self.dtype for i in inputs):
            dtype = scal.upcast(self.dtype, *[i.dtype for i in inputs])
            if dtype != self.dtype:
                raise TypeError("MakeVector.make_node expected inputs upcastable to %s. got %s"
                                % (self.dtype, str([i.dtype for i in inputs])))
            cast = tmath.cast
            inputs = [i if i.dtype == self.dtype else cast(i, self.dtype) for i in inputs]
        return Apply(self, inputs, [TensorType(self.dtype, (False,))()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = np.asarray(inputs, dtype=node.outputs[0].type.dtype).reshape(
            len(inputs))

    def infer_shape(self, fgraph, node, input_shapes):
        return [(len(input_shapes),)]

    def vector_length(self, node):
        return len(node.inputs)

    def grad(self, inputs, output_grads):
        if self.dtype in scal.discrete_types:
            return [i.zeros_like(dtype=config.floatX) for i in inputs]
        return [output_grads[0][i] for i in range(len(inputs))]

    def R_op(self, inputs, eval_points):
        if None in eval_points:
            return [None]
        return self.make_node(*eval_points).outputs

    def c_thunk(self, node):
        """The C backend's thunk: the inputs copied into the previous call's vector."""
        return MakeVectorThunk, ()


make_vector = MakeVector()


# --------------------------------------------------------------------------- Shape

class Shape(Op):
    """The shape of a tensor, as an int64 vector (``x.shape``; prints as ``Shape.0``)."""

    __props__ = ()

    def make_node(self, x):
        if not isinstance(x, Variable):
            x = as_tensor_variable(x)
        return Apply(self, [x], [TensorType("int64", (False,))()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = np.asarray(inputs[0].shape, dtype="int64")

    def infer_shape(self, fgraph, node, input_shapes):
        return [(len(input_shapes[0]),)]

    def vector_length(self, node):
        return node.inputs[0].type.ndim

    def connection_pattern(self, node):
        return [[False]]

    def grad(self, inputs, output_grads):
        return [DisconnectedType()()]

    def R_op(self, inputs, eval_points):
        return [None]

    def c_thunk(self, node):
        """The C backend's thunk: the shape written into the previous call's vector."""
        return ShapeThunk, ()


_shape = Shape()


def shape(x):
    """The symbolic shape of ``x``: an int64 vector of length ``x.ndim``."""
    return _shape(x)


# --------------------------------------------------------------------------- Shape_i

class Shape_i(Op):
    """The length of dimension ``i`` of a tensor, as an int64 scalar (``Shape_i{0}``)."""

    __props__ = ("i",)

    def __init__(self, i):
        if isinstance(i, np.ndarray):
            if i.dtype.kind not in "iu":
                raise TypeError("Shape_i index must be an integer, got %r" % (i,))
        if i != int(i):
            raise TypeError("Shape_i index must be an integer, got %r" % (i,))
        self.i = int(i)

    def __str__(self):
        return "%s{%i}" % (type(self).__name__, self.i)

    def make_node(self, x):
        if not isinstance(x, Variable) or not hasattr(x.type, "ndim"):
            raise TypeError("x must be Variable whose type has an ndim attribute", x)
        if x.type.ndim <= self.i:
            raise TypeError("x has too few dimensions for Shape_i", (x, self.i))
        return Apply(self, [x], [TensorType("int64", ())()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = np.asarray(inputs[0].shape[self.i], dtype="int64")

    def infer_shape(self, fgraph, node, input_shapes):
        return [()]

    def connection_pattern(self, node):
        return [[False]]

    def grad(self, inputs, output_grads):
        return [grad_not_implemented(
            op=self, x_pos=0, x=inputs[0],
            comment="No gradient for the shape of a matrix is implemented.")]

    def constant_value(self, node, v, elemwise, max_recur):
        """A broadcastable dimension has length 1; a constant's shape is known."""
        x = node.inputs[0]
        if isinstance(x, Constant):
            return np.asarray(np.shape(x.data)[self.i])
        if x.type.broadcastable[self.i]:
            return np.asarray(1)
        raise NotScalarConstantError(v)

    def c_thunk(self, node):
        """The C backend's thunk: the length written into the previous call's 0-d array."""
        return ShapeIThunk, (self.i,)


_shape_i_ops = {}


def shape_i_op(i):
    """The (cached) ``Shape_i(i)`` op."""
    if i not in _shape_i_ops:
        _shape_i_ops[i] = Shape_i(i)
    return _shape_i_ops[i]


def shape_i(var, i, fgraph=None):
    """The length of dimension ``i`` of ``var``: from ``fgraph``'s shape feature when it has
    one (so rewrites reuse the inferred shape), else a ``Shape_i{i}`` node."""
    if fgraph is None:
        fgraph = getattr(var, "fgraph", None)
    shape_feature = getattr(fgraph, "shape_feature", None) if fgraph is not None else None
    if shape_feature is not None and var in shape_feature.shape_of:
        return shape_feature.shape_of[var][i]
    return shape_i_op(i)(var)


# --------------------------------------------------------------------------- vector length

def get_vector_length(v):
    """The length of the symbolic vector ``v`` when it is known at graph-build time.

    Known for constants, broadcastable vectors, ``x.shape``, slices of ``x.shape`` with
    constant bounds, ``stack`` of scalars (MakeVector) and joins of such vectors. TypeError if
    ``v`` is not a vector; ValueError if its length is not known.
    """
    v = as_tensor_variable(v)
    if v.ndim != 1:
        raise TypeError("argument must be symbolic vector, got '%s'" % v)
    if v.type.broadcastable[0]:
        return 1
    if isinstance(v, Constant):
        return len(v.data)
    owner = v.owner
    if owner is not None:
        if isinstance(owner.op, (DimShuffle, SpecifyShape)) and owner.inputs[0].ndim == 1:
            return get_vector_length(owner.inputs[0])
        # Ops that know their vector output's length say so (MakeVector, Shape, Join,
        # Subtensor of a shape); None: not known.
        vector_length = getattr(owner.op, "vector_length", None)
        length = vector_length(owner) if vector_length is not None else None
        if length is not None:
            return length
    try:
        msg = debugprint(v, file="str")
    except Exception:  # printing is optional here: the name is enough to locate v
        msg = str(v)
    raise ValueError("length not known: %s" % msg)


# --------------------------------------------------------------------------- Reshape

class Reshape(Op):
    """Reshape ``x`` to the shape held by an integer vector of known length ``ndim``
    (``Reshape{2}``). One entry may be -1: it is inferred from the number of elements.

    The output is a view of the input when numpy can make one.
    """

    view_map = {0: [0]}
    __props__ = ("ndim",)

    def __init__(self, ndim, name=None):
        self.ndim = int(ndim)
        if ndim < 0:
            raise ValueError("The output dimensions after reshape must be 0 or greater")
        if name is not None:
            raise ValueError("name attribute for Reshape has been deprecated")

    def __str__(self):
        return "%s{%s}" % (type(self).__name__, self.ndim)

    def make_node(self, x, shp):
        x = as_tensor_variable(x)
        shp_orig = shp
        shp = as_tensor_variable(shp, ndim=1)
        if not (shp.dtype in scal.integer_types
                or (isinstance(shp, Constant) and shp.data.size == 0)):
            raise TypeError("Shape must be integers", shp, shp.dtype)
        if shp.ndim != 1:
            raise TypeError("Reshape expects the new shape as a vector, got %s" % (shp.type,))
        if isinstance(shp, Constant):
            if len(shp.data) != self.ndim:
                raise ValueError("Reshape{%d} got a shape of length %d: %s"
                                 % (self.ndim, len(shp.data), shp.data))
            if np.sum(shp.data == -1) > 1:
                raise ValueError("shape argument to Reshape can have at most one entry equal "
                                 "to -1; got %s" % (shp.data,))
            bcast = [bool(s == 1) for s in shp.data]
        else:
            bcast = [_entry_is_one(shp_orig, shp, i) for i in range(self.ndim)]
        return Apply(self, [x, shp], [TensorType(x.type.dtype, bcast)()])

    def perform(self, node, inputs, output_storage):
        x, shp = inputs
        if len(shp) != self.ndim:
            raise ValueError("shape argument to Reshape.perform has incorrect length %i, "
                             "should be %i" % (len(shp), self.ndim), shp)
        shp = tuple(int(s) for s in shp)
        try:
            output_storage[0][0] = np.reshape(x, shp)
        except ValueError:
            # Theano 1.0 compat: Theano's words (the shape printed as an array), then ours.
            raise ValueError("Cannot reshape input of shape %s to shape %s: the input has %d "
                             "elements, the shape asks for %s."
                             % (x.shape, np.asarray(shp), x.size,
                                int(np.prod(shp)) if all(s >= 0 for s in shp)
                                else "another number")) from None

    def connection_pattern(self, node):
        return [[True], [False]]

    def infer_shape(self, fgraph, node, input_shapes):
        # A scalar has one element: every new dimension has length 1.
        if len(input_shapes[0]) == 0:
            return [(1,) * self.ndim]
        requ = node.inputs[1]
        input_size = mul_dims(*input_shapes[0])
        if isinstance(requ, Constant):
            requ = [int(e) for e in requ.data]
            requ_part = [e for e in requ if e != -1]
            crit = len(requ) - len(requ_part)
            if crit == 1 and requ_part:
                requ_size = mul_dims(*requ_part)
                # A 0 and a -1 together leave the size undetermined; avoid dividing by 0.
                missing = _floor_div(input_size, 1 if requ_size == 0 else requ_size)
                requ = [missing if e == -1 else e for e in requ]
            elif crit == 1:
                requ = [input_size]
            elif crit > 1:
                raise ValueError("shape argument to Reshape.perform must have at most one "
                                 "entry equal to -1")
            return [tuple(requ)]
        m = tmath
        requ = [_vector_entry(node.inputs[1], i) for i in range(self.ndim)]
        if not self.ndim:
            return [()]
        # Entries are positive except one possible -1: minus their product is the product of
        # the known entries when a -1 is present.
        requ_size = m.neg(mul_dims(*requ))
        rest_size = _floor_div(input_size, m.maximum(requ_size, 1))
        return [tuple(m.switch(m.eq(r, -1), rest_size, r) for r in requ)]

    def grad(self, inputs, output_grads):
        x, shp = inputs
        g_out, = output_grads
        return [reshape(g_out, shape(x), ndim=x.ndim), DisconnectedType()()]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return self(eval_points[0], *inputs[1:], return_list=True)

    def c_thunk(self, node):
        """The C backend's thunk: numpy's reshape from C (a view when it can be one)."""
        return ReshapeThunk, (self.ndim,)


def _floor_div(a, b):
    ca, cb = _const_int(a), _const_int(b)
    if ca is not None and cb is not None:
        return ca // cb
    return tmath.int_div(a, b)


def _vector_entry(vec, i):
    """Entry ``i`` of a symbolic int vector, without building a Subtensor when the vector is
    a MakeVector or a constant."""
    if isinstance(vec, Constant):
        return int(vec.data[i])
    if vec.owner is not None and isinstance(vec.owner.op, MakeVector):
        return vec.owner.inputs[i]
    return vec[i]


def _entry_is_one(shp_orig, shp, i):
    """Whether entry ``i`` of the requested shape is known to be the constant 1 (then the
    output dimension is broadcastable, as in Theano)."""
    if isinstance(shp_orig, (list, tuple)):
        entry = shp_orig[i]
    elif isinstance(shp_orig, Variable) and shp_orig.ndim == 0:
        entry = shp_orig
    elif shp.owner is not None and isinstance(shp.owner.op, MakeVector):
        entry = shp.owner.inputs[i]
    elif shp.owner is not None and isinstance(shp.owner.op, Shape):
        return bool(shp.owner.inputs[0].type.broadcastable[i])
    else:
        return False
    try:
        return bool(get_scalar_constant_value(as_tensor_variable(entry)) == 1)
    except (NotScalarConstantError, TypeError):
        return False


def reshape(x, newshape, ndim=None):
    """``x`` with the shape ``newshape`` (a tuple of ints / int scalars, or an int vector).

    ``ndim`` is needed only when the length of a symbolic ``newshape`` is not known.
    """
    if ndim is None:
        newshape = as_tensor_variable(newshape)
        if newshape.ndim != 1:
            raise TypeError("New shape in reshape must be a vector or a list/tuple of scalar. "
                            "Got %s after conversion to a vector." % newshape)
        try:
            ndim = get_vector_length(newshape)
        except ValueError:
            raise ValueError(
                "The length of the provided shape (%s) cannot be automatically determined, so "
                "Theano is not able to know what the number of dimensions of the reshaped "
                "variable will be. You can provide the 'ndim' keyword argument to 'reshape' "
                "to avoid this problem." % newshape) from None
    return Reshape(ndim)(x, newshape)


def _flatten_ndim(ndim, outdim):
    """flatten's ndim from its ndim / deprecated outdim arguments (1 when neither)."""
    if outdim is None and ndim is None:
        return 1
    if outdim is not None and ndim is not None:
        raise ValueError("You should only specify ndim")
    if outdim is not None:
        import warnings

        warnings.warn("flatten outdim parameter is deprecated, use ndim instead.",
                      stacklevel=3)
        return outdim
    return ndim


def is_flat(var, ndim=None, outdim=None):
    """Whether ``var`` has ``ndim`` dimensions (1 by default), as ``flatten(x, ndim)`` gives."""
    return var.ndim == _flatten_ndim(ndim, outdim)


def flatten(x, ndim=None, outdim=None):
    """``x`` reshaped to ``ndim`` dimensions, keeping the first ``ndim - 1`` and merging the
    rest into the last one (``Reshape{ndim}``)."""
    ndim = _flatten_ndim(ndim, outdim)
    x = as_tensor_variable(x)
    # Any tensor flattens to a vector, even a scalar; else 1 <= ndim <= x.ndim.
    if ndim < 1 or (ndim > 1 and ndim > x.ndim):
        raise ValueError("ndim %s out of bound [1, %d)" % (ndim, x.ndim + 1))
    dims = (tuple(x.shape[:ndim - 1]) if ndim > 1 else ()) + (-1,)
    x_reshaped = reshape(x, dims)
    broadcastable = tuple(x.broadcastable[:ndim - 1]) + (all(x.broadcastable[ndim - 1:]),)
    return addbroadcast(x_reshaped, *[i for i in range(ndim) if broadcastable[i]])


# --------------------------------------------------------------------------- DimShuffle helpers

def transpose(x, axes=None):
    """``x`` with its dimensions reordered (reversed by default), as numpy.transpose.

    ``x.T`` of a variable named 'x' is named 'x.T', as in Theano.
    """
    x = as_tensor_variable(x)
    reverse = list(range(x.ndim - 1, -1, -1))
    if axes is None:
        axes = reverse
    if isinstance(axes, (list, tuple)) and all(_is_int(a) for a in axes):
        normalized = []
        for k, a in enumerate(axes):
            try:
                normalized.append(_normalize_axis(a, x.ndim))
            except AxisError as e:
                # Theano 1.0 compat: the words of the DimShuffle Theano built.
                raise AxisError("new_order[%d] is %d, but the input only has %d "
                                              "axes.\n%s" % (k, a, x.ndim, e)) from None
        if len(normalized) != x.ndim:
            raise ValueError("transpose: axes %s do not match a tensor of %d dimensions"
                             % (list(axes), x.ndim))
        if isinstance(axes, list):
            axes = normalized
        else:
            axes = tuple(normalized)
    ret = DimShuffle(x.broadcastable, list(axes))(x)
    # Theano 1.0 compat: only the default (or an explicit list) reversal gets the name.
    if x.name and axes == reverse:
        ret.name = x.name + ".T"
    return ret


def swapaxes(y, axis1, axis2):
    """``y`` with dimensions ``axis1`` and ``axis2`` exchanged."""
    y = as_tensor_variable(y)
    ndim = y.ndim
    a1 = _normalize_axis(axis1, ndim, "axis1")
    a2 = _normalize_axis(axis2, ndim, "axis2")
    li = list(range(ndim))
    li[a1], li[a2] = li[a2], li[a1]
    return y.dimshuffle(li)


def squeeze(x, axis=None):
    """``x`` without its broadcastable dimensions (a view).

    With ``axis``, only those dimensions are dropped; a non-broadcastable one is first marked
    broadcastable, so it must have length 1 at run time.
    """
    x = as_tensor_variable(x)
    if axis is None:
        drop = [i for i in range(x.ndim) if x.broadcastable[i]]
    else:
        axes = axis if isinstance(axis, (list, tuple)) else [axis]
        drop = sorted({_normalize_axis(a, x.ndim) for a in axes})
        x = addbroadcast(x, *[a for a in drop if not x.broadcastable[a]])
    return x.dimshuffle([i for i in range(x.ndim) if i not in drop])


def shape_padleft(t, n_ones=1):
    """``t`` with ``n_ones`` broadcastable dimensions added on the left."""
    _t = as_tensor_variable(t)
    pattern = ["x"] * n_ones + list(range(_t.type.ndim))
    return DimShuffle(_t.broadcastable, pattern)(_t)


def shape_padright(t, n_ones=1):
    """``t`` with ``n_ones`` broadcastable dimensions added on the right."""
    _t = as_tensor_variable(t)
    pattern = list(range(_t.type.ndim)) + ["x"] * n_ones
    return DimShuffle(_t.broadcastable, pattern)(_t)


def shape_padaxis(t, axis):
    """``t`` with a broadcastable dimension inserted at position ``axis`` (negative counts
    from the end of the result, as numpy.expand_dims)."""
    _t = as_tensor_variable(t)
    ndim = _t.ndim + 1
    if not -ndim <= axis < ndim:
        raise IndexError("axis {0} is out of bounds [-{1}, {1})".format(axis, ndim))
    if axis < 0:
        axis += ndim
    pattern = list(range(_t.type.ndim))
    pattern.insert(axis, "x")
    return DimShuffle(_t.broadcastable, pattern)(_t)


# --------------------------------------------------------------------------- SpecifyShape

class SpecifyShape(Op):
    """Asserts at run time that the input has the given shape, and passes it through (a view).
    Shape inference then uses the given shape."""

    view_map = {0: [0]}
    __props__ = ()

    def make_node(self, x, shape):
        if not isinstance(x, Variable):
            x = as_tensor_variable(x)
        shape = as_tensor_variable(shape)
        if shape.ndim != 1 or shape.dtype not in scal.integer_types:
            raise TypeError("specify_shape expects the shape as a vector of integers, got %s"
                            % (shape.type,))
        if isinstance(shape, Constant) and shape.data.size != x.ndim:
            raise ValueError("specify_shape: the shape %s has %d entries, but the input has "
                             "%d dimensions" % (shape.data, shape.data.size, x.ndim))
        try:
            length = get_vector_length(shape)
        except ValueError:
            length = None
        if length is not None and length != x.ndim:
            raise ValueError("specify_shape: the shape has %d entries, but the input has %d "
                             "dimensions" % (length, x.ndim))
        return Apply(self, [x, shape], [x.type()])

    def perform(self, node, inputs, output_storage):
        x, shape = inputs
        if x.ndim != shape.size:
            raise AssertionError("SpecifyShape: vector of shape has %d elements, but the "
                                 "input has %d dimensions." % (shape.size, x.ndim))
        for d, (got, want) in enumerate(zip(x.shape, shape)):
            if got != want:
                raise AssertionError("SpecifyShape: dim %d of input has shape %d, expected %d."
                                     % (d, got, want))
        output_storage[0][0] = x

    def c_thunk(self, node):
        """The C backend's thunk: the shape checked in C, the input passed through."""
        return SpecifyShapeThunk, ()

    def infer_shape(self, fgraph, node, input_shapes):
        xshape, _ = input_shapes
        new_shape = []
        for dim in range(node.inputs[0].ndim):
            entry = _vector_entry(node.inputs[1], dim)
            try:
                entry = int(get_scalar_constant_value(entry))
            except NotScalarConstantError:
                pass
            new_shape.append(entry)
        return [tuple(new_shape)]

    def connection_pattern(self, node):
        return [[True], [False]]

    def grad(self, inputs, output_grads):
        return [output_grads[0], DisconnectedType()()]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return self.make_node(eval_points[0], *inputs[1:]).outputs


specify_shape = SpecifyShape()


class MakeVectorPrinter:
    """``[a, b]`` for a vector made from scalars."""

    def process(self, r, pstate):
        if r.owner is None:
            raise TypeError("Can only print make_vector.")
        # Theano 1.0 compat: each element is printed with a fresh printer state.
        return "[%s]" % ", ".join(process_all(r.owner.inputs, pstate, 1000, fresh=True))


pprint.assign(MakeVector, MakeVectorPrinter())


pprint.assign(MakeVector, MakeVectorPrinter())
