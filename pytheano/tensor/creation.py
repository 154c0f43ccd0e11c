"""Tensor creation: filled tensors (Alloc, ``zeros``, ``ones``, ``fill``, ``zeros_like``),
identity-like matrices (Eye, Tri), ranges (ARange, ``mgrid``, ``ogrid``) and ``tile``."""
import warnings

import numpy as np

from pytheano._core.graph import Apply, Constant, Variable
from pytheano._core.view_thunk import AllocEmptyThunk, ARangeThunk
from pytheano.configparser import config
from pytheano.graph.op import Op
from pytheano.scalar import basic as scal
from pytheano.tensor.basic import (NotScalarConstantError, as_tensor_variable, constant,
                                   get_scalar_constant_value)
from pytheano.tensor import math as tmath
from pytheano.tensor.math import second
from pytheano.tensor.basic import Alloc, alloc, alloc_validate_shape  # noqa: F401
from pytheano.tensor.type import TensorType
from pytheano.graph.grad_types import DisconnectedType, grad_undefined
from pytheano.tensor.join import join
from pytheano.tensor.raise_op import assert_op
from pytheano.tensor.shape import get_vector_length

__all__ = ["Alloc", "alloc", "AllocEmpty", "fill", "zeros", "ones", "zeros_like",
           "ones_like", "Eye", "eye", "identity_like", "Tri", "tri", "tril", "triu", "ARange",
           "arange", "mgrid", "ogrid", "tile", "Tile"]



def _resolve_dtype(dtype):
    if dtype == "floatX":
        return config.floatX
    return dtype


# --------------------------------------------------------------------------- fill / *_like

# fill(a, b): b's values broadcast to a's shape, in b's dtype. Theano's T.fill is T.second.
fill = second


def zeros_like(model, dtype=None, opt=False):
    """Zeros of ``model``'s shape, of ``model``'s dtype unless ``dtype`` is given.

    With ``opt=True`` a constant is returned when it has ``model``'s exact type.
    """
    dtype = model.type.dtype if dtype is None else _resolve_dtype(dtype)
    ret = constant(0.0, dtype=dtype)
    if opt and ret.type == model.type:
        return ret
    return fill(model, ret)


def ones_like(model, dtype=None, opt=False):
    """Ones of ``model``'s shape, of ``model``'s dtype unless ``dtype`` is given."""
    dtype = model.type.dtype if dtype is None else _resolve_dtype(dtype)
    ret = constant(1.0, dtype=dtype)
    if opt and ret.type == model.type:
        return ret
    return fill(model, ret)


class AllocEmpty(Op):
    """An uninitialised tensor of the given shape and dtype (its values are garbage; used by
    ops that overwrite all of it, e.g. scan's output buffers)."""

    __props__ = ("dtype",)

    def __init__(self, dtype):
        if not isinstance(dtype, str):
            raise TypeError("AllocEmpty dtype must be a string, got %r" % (dtype,))
        self.dtype = _resolve_dtype(dtype.lower())

    def make_node(self, *shape):
        shape, bcast = alloc_validate_shape(shape)
        output = TensorType(self.dtype, bcast)()
        output.tag.values_eq_approx = _values_eq_approx_always_true
        output.tag.nan_guard_mode_check = False
        return Apply(self, shape, [output])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = np.empty(tuple(int(i) for i in inputs), dtype=self.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        return [tuple(node.inputs)]

    def connection_pattern(self, node):
        return [[False] for _ in node.inputs]

    def do_constant_folding(self, fgraph, node):
        return False

    def R_op(self, inputs, eval_points):
        return [zeros(inputs, self.dtype)]

    def c_thunk(self, node):
        """The C backend's thunk: the previous call's buffer when its shape is right."""
        return AllocEmptyThunk, ()


def _values_eq_approx_always_true(a, b):
    return True


def zeros(shape, dtype=None):
    """A tensor of zeros of ``shape`` (ints, int scalars, or an int vector like
    ``x.shape``), of dtype floatX unless given."""
    if not isinstance(shape, (list, tuple, Variable)):
        shape = [shape]
    dtype = config.floatX if dtype is None else _resolve_dtype(dtype)
    return alloc(np.array(0, dtype=dtype), *shape)


def ones(shape, dtype=None):
    """A tensor of ones of ``shape``, of dtype floatX unless given."""
    if not isinstance(shape, (list, tuple, Variable)):
        shape = [shape]
    dtype = config.floatX if dtype is None else _resolve_dtype(dtype)
    return alloc(np.array(1, dtype=dtype), *shape)


# --------------------------------------------------------------------------- Eye / Tri

def _int_scalars(op, names, values):
    out = []
    for name, v in zip(names, values):
        v = as_tensor_variable(v)
        if v.ndim != 0 or v.type.dtype not in scal.integer_types:
            raise TypeError("%s: %s must be an integer scalar, got %s" % (op, name, v.type))
        out.append(v)
    return out


class _DiagonalMatrixOp(Op):
    """Eye and Tri: an (n, m) matrix of ``dtype`` from three int scalars n, m, k (a
    diagonal), computed by ``numpy_fn(n, m, k, dtype=...)``. Subclasses set ``numpy_fn``
    and ``arg_names`` (for the error messages)."""

    __props__ = ("dtype",)

    def __init__(self, dtype=None):
        self.dtype = config.floatX if dtype is None else _resolve_dtype(dtype)

    def make_node(self, n, m, k):
        n, m, k = _int_scalars(self.numpy_fn.__name__, self.arg_names, (n, m, k))
        return Apply(self, [n, m, k], [TensorType(self.dtype, (False, False))()])

    def perform(self, node, inputs, output_storage):
        # m may be None (Theano lets None through a function input): numpy's square default.
        n, m, k = (None if i is None else int(i) for i in inputs)
        output_storage[0][0] = self.numpy_fn(n, m, k, dtype=self.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        return [(node.inputs[0], node.inputs[1])]

    def grad(self, inputs, output_grads):
        return [grad_undefined(self, i, inputs[i]) for i in range(3)]


class Eye(_DiagonalMatrixOp):
    """An (n, m) matrix with ones on diagonal k: ``eye(n, m, k, dtype)``."""

    numpy_fn = staticmethod(np.eye)
    arg_names = ("n", "m", "k")


def eye(n, m=None, k=0, dtype=None):
    """An (n, m) matrix (m defaults to n) with ones on diagonal ``k`` (0: the main one,
    positive: above) and zeros elsewhere; dtype floatX unless given."""
    if m is None:
        m = n
    return Eye(dtype)(n, m, k)


def identity_like(x):
    """The identity-like matrix of ``x``'s shape and dtype."""
    return eye(x.shape[0], x.shape[1], k=0, dtype=x.dtype)


class Tri(_DiagonalMatrixOp):
    """An (N, M) matrix with ones at and below diagonal k: ``tri(N, M, k, dtype)``."""

    numpy_fn = staticmethod(np.tri)
    arg_names = ("N", "M", "k")


def tri(N, M=None, k=0, dtype=None):
    """An array with ones at and below diagonal ``k`` and zeros elsewhere."""
    if M is None:
        M = N
    return Tri(dtype)(N, M, k)


def tril(m, k=0):
    """``m`` with the elements above diagonal ``k`` zeroed."""
    return m * tri(m.shape[0], m.shape[1], k=k, dtype=m.dtype)


def triu(m, k=0):
    """``m`` with the elements below diagonal ``k`` zeroed."""
    return m * (1 - tri(m.shape[0], m.shape[1], k=k - 1, dtype=m.dtype))


# --------------------------------------------------------------------------- ARange

class ARange(Op):
    """Evenly spaced values in [start, stop) by step, as numpy.arange:
    ``ARange{dtype='int64'}``."""

    __props__ = ("dtype",)

    def __init__(self, dtype):
        self.dtype = _resolve_dtype(dtype)

    def make_node(self, start, stop, step):
        start, stop, step = (as_tensor_variable(v) for v in (start, stop, step))
        for name, v in (("start", start), ("stop", stop), ("step", step)):
            if v.ndim != 0:
                raise TypeError("arange: %s must be a scalar, got %s" % (name, v.type))
        if isinstance(step, Constant) and step.data == 0:
            raise ValueError("arange: step must not be zero")
        return Apply(self, [start, stop, step], [TensorType(self.dtype, (False,))()])

    def perform(self, node, inputs, output_storage):
        start, stop, step = (i.item() for i in inputs)
        if step == 0:
            raise ValueError("arange: step must not be zero")
        output_storage[0][0] = np.arange(start, stop, step, dtype=self.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        start, stop, step = node.inputs
        consts = []
        for v in (start, stop, step):
            try:
                consts.append(get_scalar_constant_value(v))
            except NotScalarConstantError:
                consts.append(None)
        c_start, c_stop, c_step = consts
        if None not in consts and c_step != 0:
            return [(_arange_length(c_start.item(), c_stop.item(), c_step.item()),)]
        m = tmath

        def upcast(var):
            # To int64 for the arithmetic, unless that loses information (uint64).
            if (var.dtype in scal.integer_types
                    and scal.upcast(var.dtype, "int64") == "int64"):
                return m.cast(var, "int64")
            return var

        if c_step is not None and c_step == 1:
            if c_start is not None and c_start == 0:
                return [(m.maximum(m.cast(stop, "int64"), 0),)]
            return [(m.maximum(m.cast(upcast(stop) - upcast(start), "int64"), 0),)]
        return [(m.maximum(m.cast(m.ceil(m.cast(upcast(stop) - upcast(start), "float64")
                                         / step), "int64"), 0),)]

    def connection_pattern(self, node):
        return [[True], [False], [True]]

    def L_op(self, inputs, outputs, output_grads):
        start, stop, step = inputs
        gz, = output_grads
        # stop only changes the length, not the values: disconnected.
        if self.dtype in scal.discrete_types:
            return [start.zeros_like(dtype=config.floatX), DisconnectedType()(),
                    step.zeros_like(dtype=config.floatX)]
        num_steps_taken = outputs[0].shape[0]
        return [gz.sum(), DisconnectedType()(),
                (gz * arange(num_steps_taken, dtype=self.dtype)).sum()]

    def R_op(self, inputs, eval_points):
        return [None]

    def c_thunk(self, node):
        """The C backend's thunk (integer and float outputs; it leaves float bounds and
        values the dtype does not hold exactly to perform)."""
        fits = np.dtype(self.dtype).kind in "iu" or self.dtype in ("float32", "float64")
        return (ARangeThunk, ()) if fits else None


def _arange_length(start, stop, step):
    """len(numpy.arange(start, stop, step)), without building the range."""
    if all(isinstance(v, int) for v in (start, stop, step)):
        return max(-((start - stop) // step), 0)
    return max(int(np.ceil((stop - start) / step)), 0)


_arange = {}


def arange(start, stop=None, step=1, dtype=None):
    """Evenly spaced values in [start, stop), as numpy.arange (``arange(n)`` is 0..n-1).

    Without ``dtype``: integer arguments give int64 (uint64 for unsigned), floats the upcast
    of the arguments (Theano's rule: ``arange(2.5)`` is float32).
    """
    if stop is None:
        start, stop = 0, start
    start, stop, step = (as_tensor_variable(v) for v in (start, stop, step))
    if dtype is None:
        dtype = scal.upcast(start.type.dtype, stop.type.dtype, step.type.dtype)
        # Not the smallest dtype: a range of int8 overflows far too easily.
        if dtype in scal.int_types:
            dtype = "int64"
        if dtype in scal.uint_types:
            dtype = "uint64"
        if config.cast_policy in ("numpy", "numpy+floatX"):
            numpy_dtype = str(np.arange(start=np.array(0, dtype=start.dtype),
                                        stop=np.array(1, dtype=stop.dtype),
                                        step=np.array(1, dtype=step.dtype)).dtype)
            if numpy_dtype != dtype:
                if (config.cast_policy == "numpy+floatX" and config.floatX == "float32"
                        and numpy_dtype == "float64"
                        and all(s.dtype != "float64" for s in (start, stop, step))):
                    dtype = "float32"
                else:
                    dtype = numpy_dtype
    dtype = _resolve_dtype(dtype)
    if dtype not in _arange:
        _arange[dtype] = ARange(dtype)
    return _arange[dtype](start, stop, step)


def _slice_bounds(sl):
    """(start, stop, step) of a grid slice; its bounds may be symbolic (no truth test)."""
    return (0 if sl.start is None else sl.start, sl.stop, 1 if sl.step is None else sl.step)


class _nd_grid:
    """``mgrid[0:5, 0:3]`` (dense) and ``ogrid[0:5, 0:3]`` (open) mesh grids, as numpy's: a
    list of one tensor per slice."""

    def __init__(self, sparse=False):
        self.sparse = sparse

    def __getitem__(self, key):
        if isinstance(key, slice):
            # numpy's mgrid[0:5] is the 1-d range itself.
            return arange(*_slice_bounds(key))
        ndim = len(key)
        for sl in key:
            if not isinstance(sl, slice):
                raise TypeError("mgrid/ogrid take slices (start:stop:step), got %r" % (sl,))
            if isinstance(sl.step, complex):
                raise NotImplementedError("Not implemented for slices whose step is complex")
        ranges = [arange(*_slice_bounds(sl)) for sl in key]
        shapes = [tuple([1] * j + [r.shape[0]] + [1] * (ndim - 1 - j))
                  for j, r in enumerate(ranges)]
        ranges = [r.reshape(shp) for r, shp in zip(ranges, shapes)]
        if self.sparse:
            return ranges
        grids = []
        ones = [ones_like(r) for r in ranges]
        for i in range(ndim):
            grid = 1
            for j in range(ndim):
                grid = grid * (ranges[j] if j == i else ones[j])
            grids.append(grid)
        return grids


mgrid = _nd_grid()
ogrid = _nd_grid(sparse=True)


# --------------------------------------------------------------------------- tile

class Tile(Op):
    """Theano 1.0's deprecated op behind tile: ``x`` tiled ``reps`` times (one entry per
    dimension), to ``ndim`` dimensions. Use ``tile()``, which builds the graph from Alloc and
    Reshape and has a gradient."""

    __props__ = ("ndim",)

    def __init__(self, ndim):
        self.ndim = ndim

    def __str__(self):
        return "Tile{ndim=%d}" % self.ndim

    def make_node(self, x, reps):
        warnings.warn("Tile op is deprecated, use tile function instead.", stacklevel=3)
        x, reps = as_tensor_variable(x), as_tensor_variable(reps)
        return Apply(self, [x, reps], [TensorType(x.type.dtype, (False,) * self.ndim)()])

    def perform(self, node, inputs, output_storage):
        x, reps = inputs
        res = np.tile(x, reps)
        if res.ndim != self.ndim:
            raise ValueError("Tile.perform produced incorrect number of dimensions")
        # numpy returns a view for all-one reps: the op is not declared a view.
        output_storage[0][0] = res.copy() if np.may_share_memory(res, x) else res

    def infer_shape(self, fgraph, node, shapes):
        reps = node.inputs[1]
        return [tuple(shapes[0][i] * reps[i] for i in range(self.ndim))]


def tile(x, reps, ndim=None):
    """``x`` repeated ``reps`` times along each axis, as numpy.tile.

    ``reps`` is an int, an int scalar, a list of those, or an int vector of known length;
    ``ndim`` (at least ``x.ndim`` and ``len(reps)``) is the output rank.
    """
    x = as_tensor_variable(x)
    if ndim is not None and ndim < x.ndim:
        raise ValueError("ndim should be equal or larger than x.ndim")
    if not isinstance(reps, (list, tuple)):
        reps_t = as_tensor_variable(reps)
        if reps_t.dtype not in scal.discrete_types:
            raise ValueError("elements of reps must be integer dtype")
        if reps_t.ndim == 0:
            reps = [reps]
        elif reps_t.ndim == 1:
            try:
                n = get_vector_length(reps_t)
            except ValueError:
                n = None
            if n is None:
                if ndim is None:
                    raise ValueError("if reps is tensor.vector, you should specify the ndim "
                                     "(the length of %s is not known at graph-build time)"
                                     % (reps_t,)) from None
                # reps padded on the left with 1s up to ndim (Theano's rule), checked at run
                # time not to be longer than ndim; padding before indexing works for every
                # length, where Theano's switch(i < offset, 1, reps[i - offset]) reads out of
                # bounds when reps is shorter than ndim - 1
                offset = assert_op(ndim - reps_t.shape[0], tmath.ge(ndim - reps_t.shape[0], 0))
                padded = join(0, alloc(np.asarray(1, reps_t.dtype), offset), reps_t)
                reps = [padded[i] for i in range(ndim)]
            else:
                if ndim is not None and n > ndim:
                    raise ValueError("len(reps) should be equal or less than ndim")
                reps = [reps_t[i] for i in range(n)]
        else:
            raise ValueError("the dimension of reps should not exceed 1")
    else:
        if ndim is not None and len(reps) > ndim:
            raise ValueError("len(reps) should be equal or less than ndim")
        for r in reps:
            ok = isinstance(r, (int, np.integer)) or (
                hasattr(r, "type") and getattr(r.type, "ndim", None) == 0
                and r.type.dtype in scal.discrete_types)
            if not ok:
                raise ValueError("elements of reps must be scalars of integer dtype")
    reps = list(reps)
    if ndim is None:
        ndim = max(len(reps), x.ndim)
    if len(reps) < ndim:
        reps = [1] * (ndim - len(reps)) + reps
    shape = [1] * (ndim - x.ndim) + [x.shape[i] for i in range(x.ndim)]
    y = alloc(x, *(reps + shape))
    shuffle_ind = np.arange(ndim * 2).reshape(2, ndim).transpose().flatten()
    y = y.dimshuffle(*[int(i) for i in shuffle_ind])
    return y.reshape([sh * reps[i] for i, sh in enumerate(shape)])


