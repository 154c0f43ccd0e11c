"""Reductions: collapse a tensor over some of its axes (sum, prod, max, argmax, mean, var, ...).

``CAReduce(scalar_op, axis)`` folds a commutative, associative binary scalar op over the
reduced axes (add -> Sum, mul -> Prod, maximum -> max, and_ -> All, or_ -> Any);
``CAReduceDtype`` adds Theano's output / accumulator dtype rules. ``MaxAndArgmax`` and
``Argmax`` are Theano 1.0's max ops (``T.max`` builds ``MaxAndArgmax``; the rewrites turn it
into ``CAReduce{maximum}`` when the argmax is unused). ``mean``, ``var``, ``std``, ``min``,
``argmin`` and ``ptp`` are graphs of these and of elementwise ops, built as Theano builds
them, so variable names (``'mean'``, ``'max'``, ...) and printed graphs match.

Axes are checked when the graph is built: out of range or repeated axes are a ValueError
(numpy's AxisError) naming the valid range.
"""
import builtins
from copy import copy

import numpy as np

from pytheano.graph.printing import FunctionPrinter, default_printer, pprint
from pytheano.errors import AxisError
from pytheano._core.graph import Apply, Constant, Variable
from pytheano.configparser import config
from pytheano.graph.op import Op
from pytheano.link.c.array import ArrayC
from pytheano.link.c.reduce import reduce_c
from pytheano.scalar import basic as scal
from pytheano.scalar.kernel import C_TYPES
from pytheano.tensor.basic import as_tensor_variable, constant
from pytheano.tensor.elemwise import DimShuffle, Elemwise
from pytheano.tensor.type import TensorType
from pytheano.graph.grad_types import DisconnectedType, grad_not_implemented
from pytheano.tensor.creation import arange, fill
from pytheano.tensor.math import cast, eq, invert, isclose, neg, neq, sqrt, switch, true_div
from pytheano.tensor.join import stack
from pytheano.tensor.shape import shape

__all__ = ["CAReduce", "CAReduceDtype", "Sum", "Prod", "ProdWithoutZeros", "MulWithoutZeros",
           "mul_without_zeros", "All", "Any", "MaxAndArgmax", "Argmax", "Mean",
           "sum", "prod", "max", "min", "argmax", "argmin", "max_and_argmax", "mean", "var",
           "std", "all", "any", "ptp", "makeKeepDims", "check_and_normalize_axes", "allclose",
           "smallest", "largest"]

_DISCRETE = scal.discrete_types
_CONTINUOUS = scal.continuous_types


# --------------------------------------------------------------------------- axes

def _axis_ints(axis):
    """The ``axis`` argument as None or a list of Python ints (not yet range-checked)."""
    if axis is None:
        return None
    if isinstance(axis, Variable):
        if not isinstance(axis, Constant):
            raise TypeError("Computation needs a constant axis. Got %s: reductions need their "
                            "axes when the graph is built, not a symbolic value." % (axis,))
        axis = axis.data
        if axis is None:  # Theano's NoneConst: all axes
            return None
    if isinstance(axis, np.ndarray):
        if axis.dtype.kind not in "iu":
            raise TypeError("axis must hold integers, got an array of dtype %s" % axis.dtype)
        axis = axis.tolist()
    items = axis if isinstance(axis, (list, tuple)) else [axis]
    out = []
    for a in items:
        # Theano 1.0 compat: list items may be 0-d integer arrays (and constants) too.
        if isinstance(a, Constant):
            a = a.data
        if isinstance(a, np.ndarray) and a.ndim == 0 and a.dtype.kind in "iu":
            a = a.item()
        if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer)):
            raise TypeError("Axis must be an integer, tuple, list of integers or a "
                            "TensorVariable. Got %r\nA reduction's axis must be None, an int "
                            "or a list/tuple of ints, known when the graph is built." % (axis,))
        out.append(int(a))
    return out


def _normalize_axes(x, axes):
    """``axes`` (a list of ints) checked against ``x.ndim``, made non-negative and sorted."""
    ndim = x.type.ndim
    normalized = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise AxisError(
                "Not enough dimensions on %s to reduce on axis %s: it has %d dimension(s), so "
                "valid axes are %s." % (x, a, ndim, "%d to %d" % (-ndim, ndim - 1)
                                        if ndim else "none (it is a scalar)"))
        normalized.append(a % ndim)
    if len(set(normalized)) != len(normalized):
        raise AxisError(
            "Duplicate axis in %s (normalized to %s for a %d-d tensor): give each axis once."
            % (list(axes), normalized, ndim))
    return sorted(normalized)


def check_and_normalize_axes(x, axis):
    """``axis`` (None, an int, a list/tuple of ints or a constant) as a sorted list of
    non-negative ints valid for ``x``; the empty list for None."""
    x = as_tensor_variable(x)
    axes = _axis_ints(axis)
    return [] if axes is None else _normalize_axes(x, axes)


def _reduced_axes(x, axis):
    """All axes of ``x`` for None, else the normalized list."""
    axes = _axis_ints(axis)
    return list(range(x.type.ndim)) if axes is None else _normalize_axes(x, axes)


def _kept_pattern(ndim, axes):
    """The DimShuffle pattern putting a reduced result back at rank ``ndim`` ('x' on the
    reduced axes)."""
    pattern, i = [], 0
    for d in range(ndim):
        if d in axes:
            pattern.append("x")
        else:
            pattern.append(i)
            i += 1
    return pattern


def _expand(y, ndim, axes):
    """``y`` (a reduction over ``axes`` of a rank-``ndim`` tensor) with the reduced axes put
    back as broadcastable dimensions."""
    y = as_tensor_variable(y)
    return DimShuffle(y.type.broadcastable, _kept_pattern(ndim, axes))(y)


def makeKeepDims(x, y, axis):
    """Put back in ``y`` (a reduction of ``x`` over ``axis``) the reduced axes, with length
    one, so that the result broadcasts against ``x``."""
    x = as_tensor_variable(x)
    return _expand(y, x.type.ndim, _reduced_axes(x, axis))


# --------------------------------------------------------------------------- CAReduce

def _ufunc_of(scalar_op):
    """The numpy ufunc whose ``reduce`` computes the scalar op's reduction (its kernel's
    ``reduce_ufunc``; a slow object-dtype ufunc of its numpy implementation for ops without
    one, e.g. integer // whose zero check numpy would skip)."""
    kernel = scalar_op.kernel
    ufunc = kernel.reduce_ufunc
    if ufunc is not None:
        return ufunc
    return np.frompyfunc(kernel.numpy, 2, 1)


class CAReduce(Op):
    """Reduce a tensor over ``axis`` (None: all axes) with a commutative, associative binary
    scalar op: ``CAReduce(scal.add, axis=[0])`` sums over the first axis.

    The output has the input's dtype and the broadcastable flags of the kept axes. A reduction
    over an empty axis starts from the op's identity (0 for add, 1 for mul); max/min of an empty
    axis have none and raise at run time.
    """

    __props__ = ("scalar_op", "axis")

    def __init__(self, scalar_op, axis=None):
        if scalar_op.nin not in (-1, 2) or scalar_op.nout != 1:
            raise NotImplementedError("CAReduce only supports binary functions with a single "
                                      "output; %s has %s inputs and %s outputs."
                                      % (scalar_op, scalar_op.nin, scalar_op.nout))
        self.scalar_op = scalar_op
        axes = _axis_ints(axis)
        if axes is not None:
            if len(set(axes)) != len(axes):
                raise AxisError("Duplicate axis in %s: give each axis once."
                                              % (axes,))
            axes = tuple(sorted(axes))
        self.axis = axes
        self.ufunc = _ufunc_of(scalar_op)

    def __getstate__(self):
        d = dict(self.__dict__)
        d.pop("ufunc", None)
        return d

    def __setstate__(self, d):
        self.__dict__.update(d)
        self.ufunc = _ufunc_of(self.scalar_op)

    def __str__(self):
        if self.axis is not None:
            return "Reduce{%s}{%s}" % (self.scalar_op, ", ".join(str(a) for a in self.axis))
        return "Reduce{%s}" % self.scalar_op

    def _output_dtype(self, input_dtype):
        return input_dtype

    def _with(self, **props):
        # Subclasses have different constructor signatures: copy and update instead.
        op = copy(self)
        op.__dict__.update(props)
        return op

    def make_node(self, input):
        input = as_tensor_variable(input)
        op = self
        if self.axis is not None:
            axes = tuple(_normalize_axes(input, self.axis))
            if axes != self.axis:
                op = self._with(axis=axes)
        kept = op._kept_axes(input.type.ndim)
        out = TensorType(op._output_dtype(input.type.dtype),
                         [input.type.broadcastable[d] for d in kept])()
        return Apply(op, [input], [out])

    def _kept_axes(self, ndim):
        if self.axis is None:
            return []
        return [d for d in range(ndim) if d not in self.axis]

    def _axes(self, ndim):
        return tuple(range(ndim)) if self.axis is None else self.axis

    def _acc(self, node):
        return getattr(self, "acc_dtype", None) or node.outputs[0].type.dtype

    def perform(self, node, inputs, output_storage):
        x, = inputs
        out_dtype = node.outputs[0].type.dtype
        axes = self._axes(x.ndim)
        if not axes:
            output_storage[0][0] = np.array(x, dtype=out_dtype, copy=True)
            return
        acc = self._acc(node)
        try:
            if self.ufunc.ntypes == 1 and self.ufunc.types == ["OO->O"]:
                # No exact ufunc: reduce Python objects with the kernel's numpy code.
                identity = getattr(self.scalar_op, "identity", None)
                extra = {} if identity is None else {"initial": identity}
                r = self.ufunc.reduce(x.astype(object), axis=axes, **extra).astype(acc)
            else:
                r = self.ufunc.reduce(x, axis=axes, dtype=acc)
        except ValueError as e:
            if x.size == 0:
                empty = [a for a in axes if x.shape[a] == 0]
                raise ValueError("Input of %s has zero-size on axis %s (shape %s): %s has no "
                                 "value for an empty reduction." % (
                                     self, empty[0], x.shape, self.scalar_op)) from e
            raise
        output_storage[0][0] = np.asarray(r, dtype=out_dtype)

    def c_code_node(self, node):
        """The node's C (link/c/reduce.py): the scalar op's C as the fold, started from the
        ufunc's identity (what perform starts from), or None: a subclass with its own
        perform, an op numpy reduces as Python objects, dtypes without C."""
        if type(self).perform is not CAReduce.perform:
            return None
        if self.ufunc.types == ["OO->O"]:
            return None
        in_dtype = node.inputs[0].type.dtype
        out_dtype = node.outputs[0].type.dtype
        acc = self._acc(node)
        if builtins.any(d not in C_TYPES for d in (in_dtype, acc, out_dtype)):
            return None
        scalar_op = self.scalar_op
        render_c = getattr(scalar_op, "render_c", None) or scalar_op.kernel.render_c
        try:
            code = render_c(["a", "v"], ["r"], [acc, acc], [acc])
        except NotImplementedError:
            return None
        if code is None or code.checks:
            return None
        identity = self.ufunc.identity
        if identity is not None:
            init = np.asarray(identity).astype(acc)
        elif scalar_op in (scal.maximum, scal.minimum):
            # No identity (an empty axis is an error): start from the dtype's far end.
            low = scalar_op == scal.maximum
            if acc in _CONTINUOUS:
                init = np.asarray(-np.inf if low else np.inf, dtype=acc)
            elif acc == "bool":
                init = np.asarray(not low)
            else:
                init = np.asarray(np.iinfo(acc).min if low else np.iinfo(acc).max, dtype=acc)
        else:
            return None
        ndim = node.inputs[0].type.ndim
        return reduce_c(ndim, self._axes(ndim), in_dtype, acc, out_dtype, C_TYPES, code.code,
                        _c_literal(init), identity is None, code.support)

    def infer_shape(self, fgraph, node, input_shapes):
        ishape, = input_shapes
        return [tuple(ishape[d] for d in self._kept_axes(node.inputs[0].type.ndim))]

    def L_op(self, inputs, outputs, output_grads):
        # Theano 1.0 only differentiates max/min through MaxAndArgmax; the rewrite that turns
        # it into Reduce{maximum} may run before a later grad, so give the same gradient here.
        if self.scalar_op not in (scal.maximum, scal.minimum):
            return Op.L_op(self, inputs, outputs, output_grads)
        x, = inputs
        out, = outputs
        gz, = output_grads
        axes = self._axes(x.type.ndim)
        return [eq(_expand(out, x.type.ndim, axes), x) * _expand(gz, x.type.ndim, axes)]


def _c_literal(value):
    """A 0-d numpy value as a C constant expression of its type."""
    dtype = value.dtype
    if dtype.kind == "f":
        v = float(value)
        if np.isinf(v):
            return "INFINITY" if v > 0 else "(-INFINITY)"
        return repr(v)
    if dtype.kind == "b":
        return "1" if value else "0"
    v = int(value)
    if dtype.kind == "i" and v == np.iinfo(dtype).min:
        return "(%s)(%dLL - 1)" % (C_TYPES[dtype.name], v + 1)
    return "(%s)%d%s" % (C_TYPES[dtype.name], v, "ULL" if dtype.kind == "u" else "LL")


# --------------------------------------------------------------------------- dtype rules

_DEFAULT_OUT = {"bool": "int64", "int8": "int64", "int16": "int64", "int32": "int64",
                "uint8": "uint64", "uint16": "uint64", "uint32": "uint64"}
_DEFAULT_ACC = dict(_DEFAULT_OUT, float16="float32", float32="float64",
                    complex64="complex128")


def _dtype_arg(dtype):
    if dtype is None:
        return None
    if dtype == "floatX":
        return config.floatX
    return "bool" if str(dtype) == "bool" else str(np.dtype(dtype))


class CAReduceDtype(CAReduce):
    """A CAReduce with an output ``dtype`` and an accumulator ``acc_dtype``.

    Defaults (Theano's rules): the output keeps the input dtype, except that bool and signed
    ints below 64 bits give int64 and small unsigned ints uint64; the accumulator is at least
    int64 / uint64 / float64 / complex128 (float16 accumulates in float32). An explicit
    ``acc_dtype`` must not lose precision (a float accumulator for integers is fine);
    ``dtype`` may downcast the result.
    """

    __props__ = ("scalar_op", "axis", "dtype", "acc_dtype")

    def __init__(self, scalar_op, axis=None, dtype=None, acc_dtype=None):
        CAReduce.__init__(self, scalar_op, axis=axis)
        self.dtype = _dtype_arg(dtype)
        self.acc_dtype = _dtype_arg(acc_dtype)

    def _output_dtype(self, idtype):
        if self.dtype is None:
            return _DEFAULT_OUT.get(idtype, idtype)
        return self.dtype

    def _acc_dtype(self, idtype):
        acc = self.acc_dtype
        if acc is None:
            return _DEFAULT_ACC.get(idtype, idtype)
        if acc in _CONTINUOUS and idtype in _DISCRETE:
            return acc
        upcasted = scal.upcast(idtype, acc)
        if acc != upcasted:
            raise TypeError(
                "Cannot build %s node with input dtype %s and acc_dtype %s, as precision would "
                "be lost. To correct this error, you can:\n"
                "  - not specify acc_dtype, or\n"
                "  - use an acc_dtype at least as precise as %s.\n"
                "  - specify \"dtype\" instead of \"acc_dtype\", so the reduction will be "
                "precise, but the result will be casted into \"dtype\" at the end.\n"
                "If you are expecting the precision loss, you can use tensor.cast(..., "
                "dtype=\"%s\"), on your input." % (self, idtype, acc, upcasted, acc))
        return acc

    def make_node(self, input):
        input = as_tensor_variable(input)
        dtype = self._output_dtype(input.type.dtype)
        acc_dtype = self._acc_dtype(input.type.dtype)
        op = self
        if dtype != self.dtype or acc_dtype != self.acc_dtype:
            op = self._with(dtype=dtype, acc_dtype=acc_dtype)
        return CAReduce.make_node(op, input)

    def _name(self):
        return "ReduceDtype{%s}" % self.scalar_op

    def __str__(self):
        axis = ""
        if self.axis is not None:
            axis = "axis=[%s], " % ", ".join(str(a) for a in self.axis)
        return "%s{%sacc_dtype=%s}" % (self._name(), axis, self.acc_dtype)


def _props_str(op, names):
    # Theano 1.0 compat: Prod and ProdWithoutZeros print with their props' reprs.
    return "%s{%s}" % (type(op).__name__,
                       ", ".join("%s=%r" % (n, getattr(op, n)) for n in names))


# --------------------------------------------------------------------------- Sum / Prod

class Sum(CAReduceDtype):
    """Sum over ``axis`` (None: all axes); prints as ``Sum{axis=[0], acc_dtype=float64}``."""

    __props__ = ("axis", "dtype", "acc_dtype")

    def __init__(self, axis=None, dtype=None, acc_dtype=None):
        CAReduceDtype.__init__(self, scal.add, axis=axis, dtype=dtype, acc_dtype=acc_dtype)

    def _name(self):
        return "Sum"

    def L_op(self, inputs, outputs, output_grads):
        x, = inputs
        if outputs[0].type.dtype not in _CONTINUOUS:
            return [x.zeros_like(dtype=config.floatX)]
        gz = as_tensor_variable(output_grads[0])
        axes = self._axes(x.type.ndim)
        if not axes:
            return [gz]
        # d sum / dx_i = 1: each input gets the gradient of the sum it went into.
        return [_fill(x, _expand(gz, x.type.ndim, axes))]

    def R_op(self, inputs, eval_points):
        if None in eval_points:
            return [None]
        return self(*eval_points, return_list=True)


def _fill(model, value):
    """``value`` broadcast to the shape of ``model`` (Theano's ``Elemwise{second}``)."""
    second = getattr(scal, "second", None)
    if second is not None:
        # Theano 1.0 compat: the gradient graphs print this node as Elemwise{second}.
        return Elemwise(second, name="Elemwise{second}")(model, value)
    return fill(model, value)


class Prod(CAReduceDtype):
    """Product over ``axis``. Its gradient handles zeros: with no zero in a group the
    gradient is ``prod / x``; with one zero, only the zero gets a gradient (the product of the
    others); with several zeros, all gradients are zero. ``no_zeros_in_input=True`` skips that
    bookkeeping (wrong, NaN, if a zero does occur)."""

    # Theano 1.0 compat: Theano left no_zeros_in_input out of the props (and so out of eq and
    # hash); it is kept in them here, but the op still prints with Theano's three props.
    __props__ = ("axis", "dtype", "acc_dtype", "no_zeros_in_input")

    def __init__(self, axis=None, dtype=None, acc_dtype=None, no_zeros_in_input=False):
        CAReduceDtype.__init__(self, scal.mul, axis=axis, dtype=dtype, acc_dtype=acc_dtype)
        self.no_zeros_in_input = bool(no_zeros_in_input)

    def __str__(self):
        return _props_str(self, ("axis", "dtype", "acc_dtype"))

    def L_op(self, inputs, outputs, output_grads):
        prod_in, = inputs
        gz, = output_grads
        if outputs[0].type.dtype in _DISCRETE or self.acc_dtype in _DISCRETE:
            return [prod_in.zeros_like(dtype=config.floatX)]
        gz = as_tensor_variable(gz)
        ndim = prod_in.type.ndim
        axes = self._axes(ndim)
        if not axes:
            return [gz]
        prod_out = _expand(self(prod_in), ndim, axes)
        gz = _expand(gz, ndim, axes)
        # NaN where a group has a zero; the switch below replaces those groups.
        grad_case_without_zeros = gz * prod_out / prod_in
        if self.no_zeros_in_input:
            return [grad_case_without_zeros]
        where_zeros = eq(prod_in, 0.0)
        sum_where_zeros = sum(where_zeros, axis=self.axis)
        groups_with_single_zero = _expand(eq(sum_where_zeros, 1), ndim, axes)
        where_single_zero = groups_with_single_zero * where_zeros
        # Only groups with a single zero and a non-zero incoming gradient need the product of
        # the other elements; zero the rest so the ProdWithoutZeros below is cheap.
        where_to_take = groups_with_single_zero * neq(gz, 0.0)
        prod_without_zeros = ProdWithoutZeros(axis=self.axis)(where_to_take * prod_in)
        prod_without_zeros = _expand(prod_without_zeros, ndim, axes)
        groups_without_zeros = _expand(eq(sum_where_zeros, 0), ndim, axes)
        return [switch(groups_without_zeros, grad_case_without_zeros,
                         switch(where_single_zero, prod_without_zeros, 0.0) * gz)]


def _mul_without_zeros(x, y):
    x, y = np.asarray(x), np.asarray(y)
    return np.where(x == 0, y, np.where(y == 0, x, x * y))


class MulWithoutZeros(scal.BinaryScalarOp):
    """``x * y`` where a zero operand counts as absent (0 only when both are 0): the scalar op
    of ProdWithoutZeros."""

    identity = 0.0
    commutative = True
    associative = True

    # No gradient: ProdWithoutZeros's own L_op says why.
    kernel = scal.Kernel(
        numpy=_mul_without_zeros, has_grad=False,
        c={"int": "%(i0)s == 0 ? %(i1)s : (%(i1)s == 0 ? %(i0)s : "
                  "(%(w_i0)s)%(i0)s * (%(w_i1)s)%(i1)s)",
           "default": "%(i0)s == 0 ? %(i1)s : (%(i1)s == 0 ? %(i0)s : %(i0)s * %(i1)s)"})


mul_without_zeros = MulWithoutZeros(scal.upcast_out, name="mul_without_zeros")


class ProdWithoutZeros(CAReduceDtype):
    """The product of the non-zero elements over ``axis`` (0 if all are zero); used by the
    gradient of Prod."""

    __props__ = ("axis", "dtype", "acc_dtype")

    def __init__(self, axis=None, dtype=None, acc_dtype=None):
        CAReduceDtype.__init__(self, mul_without_zeros, axis=axis, dtype=dtype,
                               acc_dtype=acc_dtype)

    def __str__(self):
        return _props_str(self, ("axis", "dtype", "acc_dtype"))

    def perform(self, node, inputs, output_storage):
        x, = inputs
        out_dtype = node.outputs[0].type.dtype
        axes = self._axes(x.ndim)
        acc = self._acc(node)
        nonzero = x != 0
        p = np.multiply.reduce(np.where(nonzero, x, 1), axis=axes, dtype=acc)
        r = np.where(np.logical_or.reduce(nonzero, axis=axes), p, 0)
        output_storage[0][0] = np.asarray(r, dtype=out_dtype)

    def L_op(self, inputs, outputs, output_grads):
        return [grad_not_implemented(
            self, 0, inputs[0],
            "2nd derivatives of `product(a)` is not currently supported. If `a` is "
            "guaranteed to contain no zeros, use `product(a, no_zeros_in_input=True)`.")]


# --------------------------------------------------------------------------- All / Any

class _BoolReduce(CAReduce):
    # All and Any: non-bool inputs are compared with 0 first; the output is bool.
    __props__ = ("axis",)

    def _output_dtype(self, idtype):
        return "bool"

    def __str__(self):
        name = type(self).__name__
        if self.axis is None:
            return name
        return "%s{%s}" % (name, ", ".join(str(a) for a in self.axis))

    def make_node(self, input):
        input = as_tensor_variable(input)
        if input.type.dtype != "bool":
            input = neq(input, 0)
        return CAReduce.make_node(self, input)

    def L_op(self, inputs, outputs, output_grads):
        return [inputs[0].zeros_like(dtype=config.floatX)]


class All(_BoolReduce):
    """True where all the elements over ``axis`` are non-zero; prints as ``All{0}``."""

    def __init__(self, axis=None):
        CAReduce.__init__(self, scal.and_, axis)


class Any(_BoolReduce):
    """True where any element over ``axis`` is non-zero; prints as ``Any{0}``."""

    def __init__(self, axis=None):
        CAReduce.__init__(self, scal.or_, axis)


# --------------------------------------------------------------------------- Mean op

class Mean(CAReduce):
    """The float64 mean over one axis or all (``mean(x, op=True)``); it has no gradient:
    ``mean`` builds a differentiable graph by default."""

    __props__ = ("axis",)

    def __init__(self, axis=None):
        CAReduce.__init__(self, scal.add, axis)
        if self.axis is not None and len(self.axis) != 1:
            raise ValueError("The Mean op reduces over one axis or all of them, got axis=%s; "
                             "use tensor.mean(..., op=False) for several axes." % (axis,))

    def __str__(self):
        if self.axis is not None:
            return "Mean{%s}" % ", ".join(str(a) for a in self.axis)
        return "Mean"

    def _output_dtype(self, idtype):
        return "float64"

    def perform(self, node, inputs, output_storage):
        x, = inputs
        axis = None if self.axis is None else self.axis[0]
        output_storage[0][0] = np.asarray(np.mean(x, dtype="float64", axis=axis))


# --------------------------------------------------------------------------- max / argmax

def _argmax_over(x, axes):
    """The argmax of ``x`` over ``axes``, counting the reduced axes' elements in C order."""
    keep = [d for d in range(x.ndim) if d not in axes]
    t = np.transpose(x, keep + list(axes))
    kept_shape = t.shape[:len(keep)]
    flat = t.reshape(kept_shape + (int(np.prod(t.shape[len(keep):], dtype="int64")),))
    if flat.shape[-1] == 0:
        raise ValueError("attempt to get argmax of an empty sequence: axes %s of an input of "
                         "shape %s have length 0." % (list(axes), x.shape))
    return np.asarray(np.argmax(flat, axis=-1), dtype="int64")


def _argmax_c(ndim, axes, dtype, with_max):
    """The ArrayC of the argmax (and, ``with_max``, the max) of a rank-``ndim`` input over
    ``axes`` (sorted): per output position, the reduced elements in C order, the first
    largest kept (numpy's argmax; a NaN is larger than anything and the first one wins, so
    the max is NaN as numpy's). An empty reduced axis returns 1: perform raises."""
    t = C_TYPES[dtype]
    kept = [d for d in range(ndim) if d not in axes]
    outs = (["mx"] if with_max else []) + ["am"]
    lines = []
    if axes:
        lines.append("  if (%s) return 1;" % " || ".join("x_n%d == 0" % d for d in axes))
    indent = "  "
    xoff, ooff, moff = "0", "0", "0"
    for j, d in enumerate(kept):
        lines.append("%sfor (int64_t k%d = 0; k%d < x_n%d; k%d++) {" % (indent, d, d, d, d))
        indent += "  "
        lines.append("%sconst int64_t xo%d = %s + k%d * x_s%d, oo%d = %s + k%d * am_s%d;"
                     % (indent, d, xoff, d, d, d, ooff, d, j))
        if with_max:
            lines.append("%sconst int64_t mo%d = %s + k%d * mx_s%d;" % (indent, d, moff, d, j))
            moff = "mo%d" % d
        xoff, ooff = "xo%d" % d, "oo%d" % d
    floating = dtype in _CONTINUOUS
    lines.append("%sconst %s *const xp = x + %s;" % (indent, t, xoff))
    lines.append("%s%s best = xp[0]; int64_t bi = 0, flat = 0;" % (indent, t))
    if floating:
        # A NaN first element is the answer; v <= best is false for a larger v or a NaN.
        lines.append("%sif (best != best) goto found;" % indent)
    inner = indent
    roff = "0"
    for d in axes:
        lines.append("%sfor (int64_t r%d = 0; r%d < x_n%d; r%d++) {" % (inner, d, d, d, d))
        inner += "  "
        lines.append("%sconst int64_t ro%d = %s + r%d * x_s%d;" % (inner, d, roff, d, d))
        roff = "ro%d" % d
    lines.append("%sconst %s v = xp[%s];" % (inner, t, roff))
    if floating:
        lines.append("%sif (!(v <= best)) { best = v; bi = flat; if (v != v) goto found; }"
                     % inner)
    else:
        lines.append("%sif (v > best) { best = v; bi = flat; }" % inner)
    lines.append("%sflat++;" % inner)
    for _ in axes:
        inner = inner[:-2]
        lines.append("%s}" % inner)
    if floating:
        lines.append("%sfound:" % indent)
    if with_max:
        lines.append("%smx[%s] = best;" % (indent, moff))
    lines.append("%sam[%s] = bi;" % (indent, ooff))
    for _ in kept:
        indent = indent[:-2]
        lines.append("%s}" % indent)
    lines.append("  return 0;")
    shape = [(0, d) for d in kept]
    return ArrayC("\n".join(lines) + "\n", ["x"] + outs, [t] + [t] * with_max + ["int64_t"],
                  [dtype], [dtype] * with_max + ["int64"], [ndim] + [len(kept)] * len(outs),
                  [shape] * len(outs))


class _ArgmaxOpBase(Op):
    """MaxAndArgmax and Argmax: a reduction over ``axis``, a tuple of axes (negative ones
    made positive when the node is made)."""

    nin = 1
    __props__ = ("axis",)

    def __init__(self, axis):
        self.axis = tuple(int(a) for a in axis)

    def _node_op(self, x):
        """The op for input ``x`` (with its axes normalized) and the kept broadcastable."""
        axes = _normalize_axes(x, self.axis)
        op = self if tuple(axes) == self.axis else type(self)(axes)
        return op, [b for d, b in enumerate(x.type.broadcastable) if d not in axes]

    def _kept_shape(self, node, ishape):
        return tuple(ishape[d] for d in range(node.inputs[0].type.ndim) if d not in self.axis)

    def _c_code(self, node, with_max):
        dtype = node.inputs[0].type.dtype
        if dtype not in C_TYPES:
            return None
        return _argmax_c(node.inputs[0].type.ndim, sorted(self.axis), dtype, with_max)


class MaxAndArgmax(_ArgmaxOpBase):
    """The maximum over ``axis`` (a tuple of axes) and where it is, as an int64 index into
    the reduced axes flattened in C order. Outputs are named ``max`` and ``argmax``."""

    nout = 2

    def make_node(self, x):
        x = as_tensor_variable(x)
        op, bcast = self._node_op(x)
        return Apply(op, [x], [TensorType(x.type.dtype, bcast)("max"),
                               TensorType("int64", bcast)("argmax")])

    def perform(self, node, inputs, output_storage):
        x, = inputs
        axes = self.axis
        if x.size == 0 and builtins.any(x.shape[a] == 0 for a in axes):
            raise ValueError("Input of %s has zero-size on the reduced axes %s (shape %s): the "
                             "max of an empty array is undefined." % (self, list(axes), x.shape))
        output_storage[0][0] = np.asarray(np.max(x, axis=axes),
                                          dtype=node.outputs[0].type.dtype)
        output_storage[1][0] = _argmax_over(x, axes)

    def c_code_node(self, node):
        """The node's C (_argmax_c), or None: a dtype without C (float16, complex)."""
        return self._c_code(node, True)

    def infer_shape(self, fgraph, node, input_shapes):
        shp = self._kept_shape(node, input_shapes[0])
        return [shp, shp]

    def L_op(self, inputs, outputs, output_grads):
        # The max is not differentiable where several elements tie; as Theano, every maximal
        # element gets the full incoming gradient.
        x, = inputs
        g_max, g_argmax = output_grads
        max_disconnected = isinstance(g_max.type, DisconnectedType)
        if max_disconnected and isinstance(g_argmax.type, DisconnectedType):
            return [DisconnectedType()()]
        if max_disconnected:
            return [x.zeros_like()]
        ndim = x.type.ndim
        xmax = max(x, list(self.axis))
        return [eq(_expand(xmax, ndim, self.axis), x) * _expand(g_max, ndim, self.axis)]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None, None]
        x, = inputs
        ev = as_tensor_variable(eval_points[0])
        axes = list(self.axis)
        if not axes:
            return [ev, None]
        # The variation of the max is the variation at the argmax: a one-hot mask of the
        # argmax position (flat index over the reduced axes, C order) picks it.
        ndim = x.type.ndim
        flat = None
        for a in axes:
            pattern = ["x"] * ndim
            pattern[a] = 0
            idx = arange(x.shape[a]).dimshuffle(pattern)
            flat = idx if flat is None else flat * x.shape[a] + idx
        argmax_ = self(x)[1]
        mask = eq(flat, _expand(argmax_, ndim, axes))
        return [sum(switch(mask, ev, 0), axis=axes, dtype=ev.type.dtype), None]


class Argmax(_ArgmaxOpBase):
    """The argmax over ``axis`` (a tuple of axes), without the max: what the rewrites leave
    of a MaxAndArgmax whose max is unused. Prints as ``Argmax{axis=(0,)}``."""

    nout = 1

    def make_node(self, x):
        x = as_tensor_variable(x)
        op, bcast = self._node_op(x)
        return Apply(op, [x], [TensorType("int64", bcast)("argmax")])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = _argmax_over(inputs[0], self.axis)

    def c_code_node(self, node):
        """The node's C (_argmax_c), or None: a dtype without C (float16, complex)."""
        return self._c_code(node, False)

    def infer_shape(self, fgraph, node, input_shapes):
        return [self._kept_shape(node, input_shapes[0])]

    def L_op(self, inputs, outputs, output_grads):
        # An index does not vary with the values: Theano 1.0 returns zeros.
        return [inputs[0].zeros_like()]

    def R_op(self, inputs, eval_points):
        return [None]


# --------------------------------------------------------------------------- functions

def _reduce(x, axis, keepdims, op_class, **params):
    """``op_class(axis, **params)`` applied to ``x``; with ``keepdims`` the reduced axes
    stay, with length one."""
    x = as_tensor_variable(x)
    out = op_class(axis, **params)(x)
    if keepdims:
        out = makeKeepDims(x, out, axis)
    return out


def sum(input, axis=None, dtype=None, keepdims=False, acc_dtype=None):
    """The sum of ``input`` over ``axis`` (None: all axes; an int; a list of ints).

    ``dtype`` is the output dtype (default: the input's, with small ints widened to int64 /
    uint64); ``acc_dtype`` the accumulator's (default: at least int64 / float64). With
    ``keepdims`` the reduced axes stay, with length one.
    """
    return _reduce(input, axis, keepdims, Sum, dtype=dtype, acc_dtype=acc_dtype)


def prod(input, axis=None, dtype=None, keepdims=False, acc_dtype=None,
         no_zeros_in_input=False):
    """The product of ``input`` over ``axis``; dtype rules as ``sum``. Pass
    ``no_zeros_in_input=True`` for a cheaper gradient when the input never holds a zero."""
    return _reduce(input, axis, keepdims, Prod, dtype=dtype, acc_dtype=acc_dtype,
                   no_zeros_in_input=no_zeros_in_input)


def max_and_argmax(a, axis=None, keepdims=False):
    """``[max, argmax]`` of ``a`` over ``axis`` (None: all axes, argmax into the flattened
    tensor)."""
    a = as_tensor_variable(a)
    # Theano 1.0 compat: an empty axis list means all axes here (not for sum).
    axes = check_and_normalize_axes(a, axis) or list(range(a.type.ndim))
    out, argout = MaxAndArgmax(axes)(a)
    if keepdims:
        out = _expand(out, a.type.ndim, axes)
        argout = _expand(argout, a.type.ndim, axes)
    return [out, argout]


def max(x, axis=None, keepdims=False):
    """The maximum of ``x`` over ``axis`` (named ``max``); raises at run time on an empty
    reduced axis, as numpy."""
    return max_and_argmax(x, axis, keepdims=keepdims)[0]


def argmax(x, axis=None, keepdims=False):
    """The int64 index of the maximum over ``axis`` (named ``argmax``); with several axes, an
    index into those axes flattened in C order."""
    try:
        return max_and_argmax(x, axis, keepdims=keepdims)[1]
    except AxisError as e:
        # Theano 1.0 compat: argmax's own words first.
        raise AxisError(
            "Computation needs a valid axis number for %d-D tensor. Got %s\n%s"
            % (as_tensor_variable(x).type.ndim, axis, e)) from None


def _order_reversal(x, what):
    """A map of ``x``'s values that reverses their order exactly, as ``(f, f_inverse)``."""
    dtype = x.type.dtype
    if dtype.startswith("float"):
        return neg, neg
    if dtype in scal.int_types:
        # Theano 1.0 used -x, which overflows on the smallest int (-(-128) is -128 in int8)
        # and gave a wrong min; ~x = -x - 1 reverses the order with no overflow.
        return invert, invert
    if dtype in scal.uint_types:
        top = np.array(np.iinfo(dtype).max, dtype=dtype)
        return (lambda v: top - v), (lambda v: top - v)
    if dtype == "bool":
        return invert, invert
    raise NotImplementedError("%s of a %s tensor is not supported (complex numbers have no "
                              "order)." % (what, dtype))


def min(x, axis=None, keepdims=False):
    """The minimum of ``x`` over ``axis`` (built as ``-max(-x)``, as in Theano)."""
    x = as_tensor_variable(x)
    f, f_inv = _order_reversal(x, "min")
    return f_inv(max(f(x), axis=axis, keepdims=keepdims))


def argmin(x, axis=None, keepdims=False):
    """The int64 index of the minimum over ``axis`` (``argmax(-x)``, named ``argmax`` as in
    Theano)."""
    x = as_tensor_variable(x)
    f, _ = _order_reversal(x, "argmin")
    return argmax(f(x), axis=axis, keepdims=keepdims)


def mean(input, axis=None, dtype=None, op=False, keepdims=False, acc_dtype=None):
    """The mean of ``input`` over ``axis``, named ``mean``: ``sum / n``, in float32 for
    float32/float16 sums and float64 otherwise (so the mean of an int tensor is float64).

    ``dtype`` is the dtype of the inner sum (and so of the result); ``acc_dtype`` its
    accumulator. ``op=True`` uses the float64 ``Mean`` op instead (no gradient).
    """
    input = as_tensor_variable(input)
    if op:
        if dtype not in (None, "float64") or acc_dtype not in (None, "float64"):
            raise NotImplementedError(
                "The Mean op does not support the dtype / acc_dtype arguments, and will always "
                "use float64. If you want to specify them, call tensor.mean(..., op=False).")
        return _reduce(input, axis, keepdims, Mean)

    axes = _reduced_axes(input, axis)
    sum_dtype = dtype
    if dtype is None and input.type.dtype == "float16":
        sum_dtype = "float32"  # float16 sums overflow too easily
    s = sum(input, axis=axis, dtype=sum_dtype, keepdims=keepdims, acc_dtype=acc_dtype)
    shp = shape(input)
    shp = cast(shp, "float32" if s.type.dtype in ("float16", "float32", "complex64")
                 else "float64")
    for i in axes:
        s = true_div(s, shp[i])
    if s.type.dtype != shp.type.dtype and s.type.dtype in _DISCRETE:
        s = cast(s, shp.type.dtype)  # no axis to divide by: still a float result
    if dtype == "float16" or (dtype is None and input.type.dtype == "float16"):
        s = cast(s, "float16")
    s.name = "mean"
    return s


def _check_ddof(ddof):
    if isinstance(ddof, (bool, np.bool_)):
        raise ValueError("Parameter keepdims is now at index 3: (input, axis=None, ddof=0, "
                         "keepdims=False, corrected=False); ddof must be a number, got %r."
                         % (ddof,))


def var(input, axis=None, ddof=0, keepdims=False, corrected=False):
    """The variance of ``input`` over ``axis``, named ``var``: two-pass, ``sum((x -
    mean)**2) / (n - ddof)``; ``corrected=True`` subtracts the rounding error term
    (the corrected two-pass algorithm)."""
    _check_ddof(ddof)
    input = as_tensor_variable(input)
    axes = _reduced_axes(input, axis)
    centered = input - mean(input, axes, keepdims=True)
    two = constant(2, dtype=centered.type.dtype)
    if ddof == 0:
        v = mean(centered ** two, axes, keepdims=keepdims)
    else:
        shp = shape(input) - ddof
        v = sum(centered ** two, axis=axes, keepdims=keepdims)
        for i in axes:
            v = true_div(v, shp[i])
    if corrected:
        if ddof == 0:
            error = mean(centered, axes, keepdims=keepdims) ** 2
        else:
            shp = shape(input) - ddof
            shp_inp = shape(input)
            error = sum(centered, axis=axes, keepdims=keepdims) ** 2
            for i in axes:
                error = true_div(error, shp[i] * shp_inp[i])
        v = v - error
    v.name = "var"
    return v


def std(input, axis=None, ddof=0, keepdims=False, corrected=False):
    """The standard deviation, ``sqrt(var(...))``, named ``std``."""
    _check_ddof(ddof)
    out = sqrt(var(input, axis=axis, ddof=ddof, keepdims=keepdims, corrected=corrected))
    out.name = "std"
    return out


def all(x, axis=None, keepdims=False):
    """True where every element over ``axis`` is non-zero (bool)."""
    return _reduce(x, axis, keepdims, All)


def any(x, axis=None, keepdims=False):
    """True where some element over ``axis`` is non-zero (bool)."""
    return _reduce(x, axis, keepdims, Any)


def ptp(a, axis=None, keepdims=False):
    """Peak to peak: ``max(a, axis) - min(a, axis)``."""
    a = as_tensor_variable(a)
    return max(a, axis, keepdims=keepdims) - min(a, axis, keepdims=keepdims)




def smallest(*args):
    """The elementwise smallest of the arguments (Python's min over tensors)."""
    if len(args) == 2:
        a, b = args
        return switch(a < b, a, b)
    return min(stack(args), axis=0)


def largest(*args):
    """The elementwise largest of the arguments (Python's max over tensors)."""
    if len(args) == 2:
        a, b = args
        return switch(a > b, a, b)
    return max(stack(args), axis=0)

def allclose(a, b, rtol=1.e-5, atol=1.e-8, equal_nan=False):
    """numpy.allclose: whether ``isclose`` holds everywhere (a bool scalar)."""
    return all(isclose(a, b, rtol, atol, equal_nan))

class _SumPrinter:
    """``sum(x)`` for a full sum with default dtypes, as Theano prints it; ``Sum{...}(x)``
    otherwise."""

    def process(self, output, pstate):
        op = output.owner.op
        if builtins.all(getattr(op, p, 0) is None for p in ("axis", "dtype", "acc_dtype")):
            return FunctionPrinter("sum").process(output, pstate)
        return default_printer.process(output, pstate)


pprint.assign(Sum, _SumPrinter())
