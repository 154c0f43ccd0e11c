"""Scalar types and the scalar ops that Elemwise maps over tensors.

Each ScalarOp carries, in one class: its output-dtype rule (``output_types_preference``), its
numpy implementation (``nfunc``: a ufunc-like callable applied to whole arrays by Elemwise,
and ``impl`` for one element), its gradient, and (with the C backend) its C expression, which
the CPU loop generator and the CUDA kernel generator share.
"""
import builtins
import functools
from functools import reduce

import numpy as np

from pytheano._core.graph import Apply, Constant, Variable
from pytheano.configparser import config
from pytheano.graph.op import Op
from pytheano.graph.printing import OperatorPrinter, pprint
from pytheano.graph.type import Type
from pytheano.graph.grad_types import DisconnectedType

bool_types = ("bool",)
int_types = ("int8", "int16", "int32", "int64")
uint_types = ("uint8", "uint16", "uint32", "uint64")
float_types = ("float16", "float32", "float64")
complex_types = ("complex64", "complex128")
integer_types = int_types + uint_types
discrete_types = bool_types + integer_types
continuous_types = float_types + complex_types
all_types = discrete_types + continuous_types


def upcast(dtype, *dtypes):
    """The dtype that can hold values of all the given dtypes (numpy's promotion rules).

    Theano combined 0-d arrays to get this; numpy promotes 0-d arrays without value-based
    casting, so this is ``np.promote_types`` folded over the dtypes. With
    ``cast_policy='numpy+floatX'`` and floatX float32, float64 only comes from an explicit
    float64 input.
    """
    dts = tuple(d if type(d) is str else str(d) for d in (dtype,) + dtypes)
    return _upcast(dts, config.cast_policy == "numpy+floatX" and config.floatX == "float32")


@functools.lru_cache(maxsize=4096)
def _upcast(dts, keep_float32):
    # Graph building calls upcast for every node: the promotion of a dtype tuple is cached.
    dts = [str(np.dtype(d)) for d in dts]
    out = str(reduce(np.promote_types, dts))
    if keep_float32 and out == "float64" and "float64" not in dts:
        out = "float32"
    return out


class NumpyAutocaster:
    """Pick the smallest dtype of ``dtypes`` that holds a Python number exactly (Theano rule).

    ``autocast_float`` keeps float literals in floatX when floatX is float32: Theano's users
    rely on ``x * 0.1`` staying float32. Unlike Theano, a literal that float32 cannot hold at
    all (1e300 -> inf) stays float64 instead of silently becoming inf.
    """

    def __init__(self, dtypes):
        self.dtypes = tuple(dtypes)

    def __call__(self, x):
        if config.cast_policy == "numpy":
            return np.asarray(x)
        if config.cast_policy == "numpy+floatX" and isinstance(x, float):
            return np.asarray(x, dtype=config.floatX)
        if isinstance(x, int):
            for dtype in self.dtypes:
                info = np.iinfo(dtype)
                if info.min <= x <= info.max:
                    return np.asarray(x, dtype=dtype)
            return np.asarray(x, dtype="uint64")
        try_dtypes = self.dtypes
        if self.dtypes == float_types:
            if config.floatX in ("float32", "float16"):
                try_dtypes = (config.floatX,)
            else:
                try_dtypes = ("float32", "float64")
        x_ = None
        for dtype in try_dtypes:
            x_ = np.asarray(x, dtype=dtype)
            # Compare in float64: numpy 2 would compare the Python float at float32.
            if np.float64(x) == x_.astype("float64"):
                break
        if not np.isfinite(x_) and np.isfinite(x):
            x_ = np.asarray(x, dtype="float64")
        return x_


autocast_int = NumpyAutocaster(int_types)
autocast_float = NumpyAutocaster(float_types)


def convert(x, dtype=None):
    """A Python number or array-like as a numpy array, with Theano's autocasting of literals:
    Python ints (and bools, as in Theano) get the smallest int dtype that holds them, Python
    floats float32 when exact (floatX when floatX is float32), numpy values keep their dtype.
    """
    if dtype is not None:
        return np.asarray(x, dtype=dtype)
    if isinstance(x, int) and not isinstance(x, np.integer):
        if not -(2 ** 63) <= x < 2 ** 64:
            raise OverflowError("%d does not fit in a 64-bit integer" % x)
        return autocast_int(int(x))
    if type(x) is float:
        return autocast_float(x)
    if isinstance(x, np.ndarray):
        return x
    x_ = np.asarray(x)
    if x_.size == 0 and not hasattr(x, "dtype"):
        x_ = np.asarray(x, dtype=config.floatX)
    if x_.dtype == object:
        raise TypeError("Cannot convert %r to a tensor: it is not a number or an array of "
                        "numbers." % (x,))
    return x_


# --------------------------------------------------------------------------- the type

class ComplexError(NotImplementedError):
    """Complex numbers were given to an operation that does not support them."""


class IntegerDivisionError(Exception):
    """``x / y`` on two integers while ``config.int_division`` is 'raise'."""


class ScalarType(Type):
    """A single number of a given dtype (the element type of tensors)."""

    def __init__(self, dtype):
        if dtype == "floatX":
            dtype = config.floatX
        self.dtype = str(np.dtype(dtype)) if dtype != "bool" else "bool"
        if self.dtype not in all_types:
            raise TypeError("Unsupported dtype for ScalarType: %s" % dtype)

    def filter(self, data, strict=False, allow_downcast=None):
        py_type = self.dtype_specs()[0]
        if strict and not isinstance(data, py_type):
            raise TypeError("%s expected a %s, got %r of type %s" %
                            (self, py_type, data, type(data)))
        try:
            with np.errstate(invalid="ignore", over="ignore"):
                converted = py_type(data)
        except Exception as e:
            raise TypeError("Could not convert %s (value=%s) to %s" %
                            (type(data), data, self.dtype), e) from None
        if (allow_downcast or (allow_downcast is None and type(data) is float
                               and self.dtype == config.floatX)
                or data == converted or (data != data and converted != converted)):
            return converted
        raise TypeError("Value cannot accurately be converted to dtype (%s) and "
                        "allow_downcast is not True" % self.dtype)

    def dtype_specs(self):
        return (np.dtype(self.dtype).type,)

    def __eq__(self, other):
        return type(self) is type(other) and self.dtype == other.dtype

    def __hash__(self):
        return hash(("ScalarType", self.dtype))

    def __str__(self):
        return str(self.dtype)

    def __repr__(self):
        return "Scalar(%s)" % self.dtype

    def values_eq_approx(self, a, b, tolerance=1e-4):
        return abs(a - b) <= (abs(a) + abs(b)) * tolerance

    def upcast(self, *others):
        return upcast(*[x.dtype for x in [self] + list(others)])

    def make_variable(self, name=None):
        return ScalarVariable(self, None, None, name)

    def make_constant(self, value, name=None):
        return ScalarConstant(self, value, name=name)


Scalar = ScalarType  # Theano's name


class _scalar_py_operators:
    """Operators on scalar variables, so scalar gradients read like formulas (``gz * x``)."""

    ndim = 0
    __array_priority__ = 1000  # ndarray + variable builds a graph

    @property
    def dtype(self):
        return self.type.dtype

    def __abs__(self):
        return abs_(self)

    def __neg__(self):
        return neg(self)

    def __invert__(self):
        return invert(self)

    def __and__(self, other):
        return and_(self, other)

    def __or__(self, other):
        return or_(self, other)

    def __xor__(self, other):
        return xor(self, other)

    def __rand__(self, other):
        return and_(other, self)

    def __ror__(self, other):
        return or_(other, self)

    def __rxor__(self, other):
        return xor(other, self)

    def __lt__(self, other):
        return lt(self, other)

    def __le__(self, other):
        return le(self, other)

    def __gt__(self, other):
        return gt(self, other)

    def __ge__(self, other):
        return ge(self, other)

    def __add__(self, other):
        return add(self, other)

    def __sub__(self, other):
        return sub(self, other)

    def __mul__(self, other):
        return mul(self, other)

    def __truediv__(self, other):
        return div_proxy(self, other)

    def __floordiv__(self, other):
        return int_div(self, other)

    def __mod__(self, other):
        return mod_check(self, other)

    def __pow__(self, other):
        return pow(self, other)

    def __radd__(self, other):
        return add(other, self)

    def __rsub__(self, other):
        return sub(other, self)

    def __rmul__(self, other):
        return mul(other, self)

    def __rtruediv__(self, other):
        return div_proxy(other, self)

    def __rfloordiv__(self, other):
        return int_div(other, self)

    def __rmod__(self, other):
        return mod(other, self)

    def __rpow__(self, other):
        return pow(other, self)

    def zeros_like(self, dtype=None):
        # ``second`` keeps the dependency on self, so Elemwise gets the shape right.
        dtype = self.type.dtype if dtype is None else dtype
        return second(self, _typed_constant(0, dtype))

    def ones_like(self, dtype=None):
        dtype = self.type.dtype if dtype is None else dtype
        return second(self, _typed_constant(1, dtype))

    def astype(self, dtype):
        return cast(self, dtype)


class ScalarVariable(_scalar_py_operators, Variable):
    pass


class ScalarConstant(_scalar_py_operators, Constant):
    pass


ScalarType.Variable = ScalarVariable
ScalarType.Constant = ScalarConstant

_scalar_types = {}


def get_scalar_type(dtype):
    """The (cached) ScalarType of ``dtype``."""
    if dtype not in _scalar_types:
        _scalar_types[dtype] = ScalarType(dtype)
    return _scalar_types[dtype]


# The dtype names (bool, int8, ..., complex128) are the ScalarTypes here, as in Theano: inside
# this module, ``builtins.bool`` is the Python bool.
for _dt in all_types:
    globals()[_dt] = get_scalar_type(_dt)
int8, int16, int32, int64 = (get_scalar_type(d) for d in int_types)  # noqa: F811
uint8, uint16, uint32, uint64 = (get_scalar_type(d) for d in uint_types)  # noqa: F811
float16, float32, float64 = (get_scalar_type(d) for d in float_types)  # noqa: F811
complex64, complex128 = (get_scalar_type(d) for d in complex_types)  # noqa: F811


def as_scalar(x, name=None):
    """``x`` as a ScalarVariable (tensor variables of rank 0 go through ScalarFromTensor)."""
    if isinstance(x, Apply):
        if len(x.outputs) != 1:
            raise ValueError("It is ambiguous which output of a multi-output Op has to be "
                             "fetched.", x)
        x = x.outputs[0]
    if isinstance(x, Variable):
        if isinstance(x.type, ScalarType):
            return x
        if getattr(x.type, "ndim", None) == 0:
            from pytheano.tensor.basic import scalar_from_tensor

            return scalar_from_tensor(x)
        raise TypeError("Cannot convert %s to a scalar: it has %s dimensions"
                        % (x, getattr(x.type, "ndim", "?")))
    try:
        return constant(x)
    except (TypeError, ValueError):
        raise TypeError("Cannot convert %r to Scalar" % (x,), type(x)) from None


def constant(x, name=None, dtype=None):
    x = convert(x, dtype=dtype)
    if x.ndim != 0:
        raise TypeError("scalar.constant expects a single number, got shape %s" % (x.shape,))
    return ScalarConstant(get_scalar_type(str(x.dtype)), x[()], name=name)


def _typed_constant(value, dtype):
    """A ScalarConstant of exactly ``dtype`` ('floatX' allowed)."""
    dtype = config.floatX if dtype == "floatX" else dtype
    return ScalarConstant(get_scalar_type(dtype), np.asarray(value, dtype=dtype)[()])


def _float_zeros(x):
    """Zeros like ``x`` for a gradient: floatX when ``x`` is discrete (gradients are floats)."""
    if x.type.dtype in discrete_types:
        return x.zeros_like(dtype=config.floatX)
    return x.zeros_like()


# --------------------------------------------------------------------------- output rules

def upcast_out(*types):
    return (get_scalar_type(upcast(*[t.dtype for t in types])),)


def upcast_out_nobool(*types):
    out = upcast_out(*types)
    if out[0].dtype == "bool":
        raise TypeError("bool output not supported")
    return out


def upcast_out_min8(*types):
    out = upcast_out(*types)
    if out[0].dtype == "bool":
        return (int8,)
    return out


def upcast_out_no_complex(*types):
    if any(t.dtype in complex_types for t in types):
        raise TypeError("complex type are not supported")
    return upcast_out(*types)


def same_out(type):
    return (type,)


def same_out_nobool(type):
    if type.dtype == "bool":
        raise TypeError("bool input not supported")
    return (type,)


def same_out_min8(type):
    if type.dtype == "bool":
        return (int8,)
    return (type,)


def same_out_float_only(type):
    if type.dtype not in float_types:
        raise TypeError("only float type are supported")
    return (type,)


def same_out_nocomplex(type):
    if type.dtype in complex_types:
        raise TypeError("complex argument not supported")
    return (type,)


def int_out(*types):
    return (int64,)


def float_out(*types):
    return (float64,)


def int_out_nocomplex(*types):
    if any(t.dtype in complex_types for t in types):
        raise TypeError("complex argument not supported")
    return (int64,)


def float_out_nocomplex(*types):
    if any(t.dtype in complex_types for t in types):
        raise TypeError("complex argument not supported")
    return (float64,)


def bool_out(*types):
    return (get_scalar_type("bool"),)


_float_of = {"bool": "float32", "int8": "float32", "int16": "float32", "uint8": "float32",
             "uint16": "float32", "int32": "float64", "int64": "float64",
             "uint32": "float64", "uint64": "float64"}


def upgrade_to_float(*types):
    """Integer inputs map to the float that holds them (int8/16 -> float32, int32/64 ->
    float64), then upcast: the rule of exp, log, sqrt, ..."""
    return (get_scalar_type(upcast(*[_float_of.get(t.dtype, t.dtype) for t in types])),)


def upgrade_to_float64(*types):
    return (float64,)


def upgrade_to_float_no_complex(*types):
    if any(t.dtype in complex_types for t in types):
        raise TypeError("complex argument not supported")
    return upgrade_to_float(*types)


def real_out(type):
    """complex64 -> float32, complex128 -> float64, other types unchanged."""
    if type.dtype == "complex64":
        return (float32,)
    if type.dtype == "complex128":
        return (float64,)
    return (type,)


class transfer_type:
    """Output i has the type of input ``transfer[i]`` (an int), the given dtype (a str), or
    the upcast of all inputs (None). Used by inplace ops: the output is the input's memory."""

    def __init__(self, *transfer):
        if not all(isinstance(x, (int, str)) or x is None for x in transfer):
            raise TypeError("transfer_type takes input indices, dtype names or None, got %r"
                            % (transfer,))
        self.transfer = transfer

    def __call__(self, *types):
        upcast_type = upcast_out(*types)[0]
        return tuple(upcast_type if i is None else
                     get_scalar_type(i) if isinstance(i, str) else types[i]
                     for i in self.transfer)

    def __eq__(self, other):
        return type(self) is type(other) and self.transfer == other.transfer

    def __hash__(self):
        return hash((type(self), self.transfer))

    def __str__(self):
        return "transfer_type{%s}" % (self.transfer,)


class specific_out:
    """The outputs always have the given types."""

    def __init__(self, *spec):
        self.spec = spec

    def __call__(self, *types):
        return self.spec

    def __eq__(self, other):
        return type(self) is type(other) and self.spec == other.spec

    def __hash__(self):
        return hash((type(self), self.spec))


# --------------------------------------------------------------------------- ops

class ScalarOp(Op):
    """An operation on numbers. ``Elemwise(scalar_op)`` applies it over tensors.

    Subclasses set ``nin`` and ``nfunc`` (a numpy function applied to whole arrays, with
    broadcasting) or define ``impl`` (which must work on whole arrays too: Elemwise calls it
    once per node, never per element), and ``grad``/``L_op`` written with scalar ops on
    scalar variables; Elemwise lifts that scalar graph to tensors.

    Two scalar ops are equal when they have the same class and output-type rule (the name
    only prints), as in Theano.
    """

    nin = -1
    nout = 1
    nfunc = None           # a numpy ufunc over arrays, e.g. np.add (a plain Python function
                           # would bind as a method: write ``impl`` instead)
    nfunc_variadic = None  # for nin == -1: reduce-style function, e.g. np.add for add(a, b, c)
    __props__ = ("output_types_preference",)

    def __init__(self, output_types_preference=None, name=None):
        self.name = name
        if output_types_preference is not None and not callable(output_types_preference):
            raise TypeError("Expected a callable for the 'output_types_preference' argument "
                            "to %s. (got: %s)" % (type(self), output_types_preference))
        self.output_types_preference = output_types_preference

    def make_node(self, *inputs):
        if self.nin >= 0 and len(inputs) != self.nin:
            raise TypeError("Wrong number of inputs for %s.make_node (got %i(%s), expected "
                            "%i)" % (self, len(inputs), str(inputs), self.nin))
        if not inputs and self.nin == -1:
            raise TypeError("%s needs at least one input" % self)
        inputs = [as_scalar(i) for i in inputs]
        outputs = [t() for t in self.output_types([i.type for i in inputs])]
        if len(outputs) != self.nout:
            raise TypeError("Not the right number of outputs produced for %s(%s). Expected "
                            "%s, got %s." % (self, ", ".join(str(i) for i in inputs),
                                             self.nout, len(outputs)))
        return Apply(self, inputs, outputs)

    def output_types(self, types):
        """The output ScalarTypes for these input ScalarTypes (TypeError if unsupported)."""
        if not types and self.nin == -1:
            raise TypeError("%s needs at least one input" % self)
        if self.output_types_preference is None:
            raise NotImplementedError(
                "%s does not implement output_types and has no output_types_preference"
                % type(self).__name__)
        variables = self.output_types_preference(*types)
        if not isinstance(variables, (list, tuple)) or any(
                not isinstance(x, Type) for x in variables):
            raise TypeError("output_types_preference should return a list or a tuple of "
                            "types", self.output_types_preference, variables)
        if len(variables) != self.nout:
            raise TypeError("Not the right number of outputs types produced for %s(%s) by "
                            "%s. Expected %s, got %s." % (self, ", ".join(str(t) for t in types),
                                                         self.output_types_preference,
                                                         self.nout, len(variables)))
        return variables

    def impl(self, *inputs):
        """The result on numpy arrays (or numpy scalars), broadcasting like numpy."""
        if self.nfunc is None:
            raise NotImplementedError("%s has neither nfunc nor impl" % type(self).__name__)
        if self.nin == -1 and len(inputs) > 2:
            return reduce(self.nfunc, inputs)
        return self.nfunc(*inputs)

    def vm_ufunc(self, input_dtypes):
        """The numpy ufunc that computes this op exactly on arrays of ``input_dtypes`` (the
        VM then calls it directly, without ``impl``), or None."""
        ufunc = self.nfunc
        if (isinstance(ufunc, np.ufunc) and ufunc.nout == 1 and self.nout == 1
                and ufunc.nin == len(input_dtypes) and type(self).impl is ScalarOp.impl):
            return ufunc
        return None

    def perform(self, node, inputs, output_storage):
        results = self.impl(*inputs)
        if self.nout == 1:
            results = (results,)
        for cell, out, value in zip(output_storage, node.outputs, results):
            cell[0] = np.asarray(value, dtype=out.type.dtype)[()]

    def L_op(self, inputs, outputs, output_gradients):
        return self.grad(inputs, output_gradients)

    def make_new_inplace(self, output_types_preference=None, name=None):
        """This op with another output-type rule (the inplace rewrite gives transfer_type)."""
        return type(self)(output_types_preference, name)

    def __str__(self):
        if self.name:
            return self.name
        params = [p for p in self.__props__ if p not in ("output_types_preference", "name")]
        if params:
            return "%s{%s}" % (type(self).__name__,
                               ", ".join("%s=%s" % (p, getattr(self, p)) for p in params))
        return type(self).__name__

    def c_code_cache_version(self):
        return (1,)


class UnaryScalarOp(ScalarOp):
    nin = 1


class BinaryScalarOp(ScalarOp):
    # Subclasses may set ``identity`` (the neutral element of an associative op),
    # ``commutative`` and ``associative``; the rewrites read them.
    nin = 2


def _is_discrete(x):
    return x.dtype.kind in "biu"


_SMALL_INTS = frozenset(("bool", "int8", "uint8"))


def _float_input(x):
    """``x`` ready for a float ufunc: numpy computes bool/int8/uint8 in float16, but the
    output type (upgrade_to_float) is float32."""
    x = np.asarray(x)
    if x.dtype.char in "?bB":
        return x.astype(np.float32)
    return x


def _no_complex_grad(op, *variables):
    if any(v.type.dtype in complex_types for v in variables):
        raise NotImplementedError("The gradient of %s is not implemented for complex inputs."
                                  % op)


# --------------------------------------------------------------------------- comparisons

class LogicalComparison(BinaryScalarOp):
    """A comparison of two numbers: a bool; its gradient is zero."""

    identity = False
    commutative = False
    associative = False

    def output_types(self, types):
        return (get_scalar_type("bool"),)

    def L_op(self, inputs, outputs, output_gradients):
        x, y = inputs
        return [x.zeros_like().astype(config.floatX), y.zeros_like().astype(config.floatX)]


class FixedLogicalComparison(UnaryScalarOp):
    """A test of one number (isnan, isinf): a bool; its gradient is zero."""

    def output_types(self, types):
        return (get_scalar_type("bool"),)

    def L_op(self, inputs, outputs, output_gradients):
        x, = inputs
        return [x.zeros_like().astype(config.floatX)]


class LT(LogicalComparison):
    nfunc = np.less


class GT(LogicalComparison):
    nfunc = np.greater


class LE(LogicalComparison):
    nfunc = np.less_equal


class GE(LogicalComparison):
    nfunc = np.greater_equal


class EQ(LogicalComparison):
    commutative = True
    nfunc = np.equal


class NEQ(LogicalComparison):
    commutative = True
    nfunc = np.not_equal


class IsNan(FixedLogicalComparison):
    nfunc = np.isnan


class IsInf(FixedLogicalComparison):
    nfunc = np.isinf


class InRange(LogicalComparison):
    """low < x < hi (or <= at a closed end)."""

    nin = 3
    __props__ = ("openlow", "openhi")

    def __init__(self, openlow, openhi):
        super().__init__()
        self.openlow = builtins.bool(openlow)
        self.openhi = builtins.bool(openhi)

    def make_new_inplace(self, output_types_preference=None, name=None):
        return type(self)(self.openlow, self.openhi)

    def impl(self, x, low, hi):
        above = np.greater(x, low) if self.openlow else np.greater_equal(x, low)
        below = np.less(x, hi) if self.openhi else np.less_equal(x, hi)
        return np.logical_and(above, below)

    def L_op(self, inputs, outputs, output_gradients):
        _no_complex_grad(self, *inputs)
        return [_float_zeros(v) for v in inputs]


lt = LT()
gt = GT()
le = LE()
ge = GE()
eq = EQ()
neq = NEQ()
isnan = IsNan()
isinf = IsInf()
inopenrange = InRange(True, True)
inclosedrange = InRange(False, False)


class Switch(ScalarOp):
    """switch(cond, ift, iff): ift where cond is nonzero, else iff."""

    nin = 3

    def output_types(self, types):
        cond_t, ift_t, iff_t = types
        return upcast_out(ift_t, iff_t)

    def impl(self, cond, ift, iff):
        return np.where(cond, ift, iff)

    def L_op(self, inputs, outputs, output_gradients):
        cond, ift, iff = inputs
        gz, = output_gradients
        if outputs[0].type.dtype in discrete_types:
            first_part = _float_zeros(ift)
            second_part = _float_zeros(iff)
        else:
            first_part = switch(cond, gz, 0.)
            second_part = switch(cond, 0., gz)
        # The condition changes which value is taken, not the value: a zero gradient.
        return (cond.zeros_like().astype(config.floatX), first_part, second_part)


switch = Switch()


# --------------------------------------------------------------------------- bit-wise

class UnaryBitOp(UnaryScalarOp):
    def output_types(self, types):
        for t in types:
            if t.dtype not in discrete_types:
                raise TypeError("input to a BitOp must have type (u)int8, (u)int16, (u)int32 "
                                "or (u)int64 or bool not %s" % t)
        return upcast_out(*types)

    def grad(self, inputs, output_gradients):
        return [inputs[0].zeros_like().astype(config.floatX)]


class BinaryBitOp(BinaryScalarOp):
    def output_types(self, types):
        t0, t1 = types
        if t0.dtype == "bool" and t1.dtype == "bool":
            return (get_scalar_type("bool"),)
        for t in types:
            if t.dtype not in integer_types:
                raise TypeError("input to a BitOp must have type (u)int8, (u)int16, (u)int32 "
                                "or (u)int64 or be all bools not %s" % t)
        return upcast_out(*types)

    def grad(self, inputs, output_gradients):
        a, b = inputs
        return [a.zeros_like().astype(config.floatX), b.zeros_like().astype(config.floatX)]


class OR(BinaryBitOp):
    identity = 0
    commutative = True
    associative = True
    nfunc = np.bitwise_or


class XOR(BinaryBitOp):
    identity = 0
    commutative = True
    associative = True
    nfunc = np.bitwise_xor


class AND(BinaryBitOp):
    identity = -1
    commutative = True
    associative = True
    nfunc = np.bitwise_and


class Invert(UnaryBitOp):
    """Bit-wise not; logical not on bools."""

    nfunc = np.invert


or_ = OR()
xor = XOR()
and_ = AND()
invert = Invert()


# --------------------------------------------------------------------------- arithmetic

class _Extremum(BinaryScalarOp):
    """maximum and minimum: the gradient goes to the input that was picked (to x on a tie)."""

    commutative = True
    associative = True

    def L_op(self, inputs, outputs, output_gradients):
        x, y = inputs
        gz, = output_gradients
        if gz.type.dtype in complex_types:
            raise NotImplementedError("The gradient of %s is not defined for complex numbers."
                                      % type(self).__name__.lower())
        if outputs[0].type.dtype in discrete_types:
            return [x.zeros_like().astype(config.floatX), y.zeros_like().astype(config.floatX)]
        e = eq(outputs[0], x)
        return (e * gz, (_typed_constant(1, gz.type.dtype) - e) * gz)


class Maximum(_Extremum):
    nfunc = np.maximum


class Minimum(_Extremum):
    nfunc = np.minimum


maximum = Maximum(upcast_out, name="maximum")
minimum = Minimum(upcast_out, name="minimum")


def _common_dtype(inputs):
    """The inputs in their common dtype, so a + b + c never overflows in a smaller type
    than the output's (100 + 100 + 0.5 in int8, int8, float32 is 200.5)."""
    if len(inputs) <= 2:
        return inputs
    dtype = np.result_type(*inputs)
    return [np.asarray(x, dtype=dtype) for x in inputs]


class Add(ScalarOp):
    """a + b + ...: any number of inputs; logical or on bools."""

    identity = 0
    commutative = True
    associative = True
    nin = -1
    nfunc = np.add

    def impl(self, *inputs):
        if len(inputs) == 1:
            return np.array(inputs[0])
        return reduce(np.add, _common_dtype(inputs))

    def vm_ufunc(self, input_dtypes):
        return np.add if len(input_dtypes) == 2 else None

    def L_op(self, inputs, outputs, output_gradients):
        gz, = output_gradients
        if gz.type.dtype in complex_types:
            raise NotImplementedError("The gradient of add is not implemented for complex "
                                      "numbers.")
        if outputs[0].type.dtype in discrete_types:
            return [i.zeros_like().astype(config.floatX) for i in inputs]
        return [gz for _ in inputs]


class Mul(ScalarOp):
    """a * b * ...: any number of inputs; logical and on bools."""

    identity = 1
    commutative = True
    associative = True
    nin = -1
    nfunc = np.multiply

    def impl(self, *inputs):
        if len(inputs) == 1:
            return np.array(inputs[0])
        return reduce(np.multiply, _common_dtype(inputs))

    def vm_ufunc(self, input_dtypes):
        return np.multiply if len(input_dtypes) == 2 else None

    def grad(self, inputs, output_gradients):
        gz, = output_gradients
        out_type = self.output_types([i.type for i in inputs])[0]
        if out_type.dtype in complex_types and gz.type.dtype not in complex_types:
            raise TypeError("Mul with output_type %s expected gz type to be complex, got gz "
                            "with type %s." % (out_type, gz.type))
        if out_type.dtype in discrete_types:
            return [i.zeros_like().astype(config.floatX) for i in inputs]
        rval = []
        for k, inp in enumerate(inputs):
            others = list(inputs[:k]) + list(inputs[k + 1:])
            if gz.type.dtype in complex_types:
                # (xr + i xi)(yr + i yi): the gradient of each part is the conjugate product.
                other = mul(*others) if others else _typed_constant(1, gz.type.dtype)
                yr, yi = real(other), imag(other)
                if inp.type.dtype in complex_types:
                    rval.append(complex(yr * real(gz) + yi * imag(gz),
                                        yr * imag(gz) - yi * real(gz)))
                else:
                    rval.append(yr * real(gz) + yi * imag(gz))
            else:
                rval.append(mul(gz, *others))
        return rval


class Sub(BinaryScalarOp):
    nfunc = np.subtract

    def L_op(self, inputs, outputs, output_gradients):
        x, y = inputs
        gz, = output_gradients
        if gz.type.dtype in complex_types:
            raise NotImplementedError("The gradient of sub is not implemented for complex "
                                      "numbers.")
        if outputs[0].type.dtype in discrete_types:
            return [x.zeros_like().astype(config.floatX), y.zeros_like().astype(config.floatX)]
        return gz, -gz


def int_or_true_div(x_discrete, y_discrete):
    """'int_div' or 'true_div': the division ``x / y`` means for these kinds of operands
    (``config.int_division`` decides for two integers)."""
    if x_discrete and y_discrete:
        if config.int_division == "raise":
            raise IntegerDivisionError(
                "With `config.int_division` set to 'raise', dividing two integer types with "
                "'/' is forbidden to avoid confusion between integer and floating point "
                "divisions. Please use // for integer division, or if you want a float result "
                "either cast one of the arguments to a float or directly call "
                "`x.__truediv__(y)`.")
        if config.int_division == "int":
            import warnings

            warnings.warn("Division of two integer types with x / y is deprecated, please use "
                          "x // y for an integer division.", DeprecationWarning, stacklevel=4)
            return int_div
        if config.int_division == "floatX":
            return true_div
        raise NotImplementedError(config.int_division)
    return true_div


def div_proxy(x, y):
    """``x / y`` on scalars: true_div, or int_div for two integers (config.int_division)."""
    f = int_or_true_div(as_scalar(x).type.dtype in discrete_types,
                        as_scalar(y).type.dtype in discrete_types)
    return f(x, y)


class TrueDiv(BinaryScalarOp):
    """x / y as floats: two integers give floatX."""

    nfunc = np.true_divide

    def output_types(self, types):
        if all(t.dtype in discrete_types for t in types):
            return (get_scalar_type(config.floatX),)
        return super().output_types(types)

    def grad(self, inputs, output_gradients):
        x, y = inputs
        gz, = output_gradients
        if x.type.dtype in complex_types or y.type.dtype in complex_types:
            raise NotImplementedError("The gradient of true_div is not implemented for "
                                      "complex numbers.")
        # Integer division is locally flat: a zero gradient (not a disconnected one).
        if all(a.type.dtype in discrete_types for a in (x, y)):
            return [x.zeros_like(dtype=config.floatX), y.zeros_like(dtype=config.floatX)]
        return gz / y, -(gz * x) / (y * y)


bool_ = np.dtype("bool")


class _FlooredDivision(BinaryScalarOp):
    """// and %: no complex numbers, and an integer zero divisor raises (numpy would warn
    and give 0). Subclasses set ``complex_error``, ``zero_message``, ``ufunc`` and
    ``bool_result`` (the answer for two bools, where y is all True).

    ``ufunc`` is not ``nfunc``: CAReduce would then reduce with numpy, skipping the check."""

    def output_types(self, types):
        if any(t.dtype in complex_types for t in types):
            raise self.complex_error
        return super().output_types(types)

    def impl(self, x, y):
        x, y = np.asarray(x), np.asarray(y)
        if _is_discrete(x) and _is_discrete(y):
            if np.any(y == 0):
                raise ZeroDivisionError(self.zero_message)
            if x.dtype == bool_ and y.dtype == bool_:
                return self.bool_result(x)
        return self.ufunc(x, y)

    def vm_ufunc(self, input_dtypes):
        # Integers need the zero check of impl.
        if all(dt in discrete_types for dt in input_dtypes):
            return None
        return self.ufunc


class IntDiv(_FlooredDivision):
    """x // y: floor division (Python's sign rule), on integers and floats."""

    complex_error = ComplexError("Theano does not support integer division (//) on complex "
                                 "numbers, since numpy deprecated it.")
    zero_message = "integer division by zero"
    ufunc = np.floor_divide

    @staticmethod
    def bool_result(x):
        return x

    def grad(self, inputs, output_gradients):
        return [inp.zeros_like(dtype=config.floatX) for inp in inputs]


def mod_check(x, y):
    """``x % y`` on scalars: mod, refusing complex numbers."""
    if (as_scalar(x).type.dtype in complex_types
            or as_scalar(y).type.dtype in complex_types):
        raise Mod.complex_error
    return mod(x, y)


class Mod(_FlooredDivision):
    """x % y with the sign of y (Python's rule)."""

    complex_error = ComplexError("Theano does not support the mod operator (%) on complex "
                                 "numbers, since numpy deprecated it.")
    zero_message = "integer modulo by zero"
    ufunc = np.remainder
    bool_result = staticmethod(np.zeros_like)

    def L_op(self, inputs, outputs, output_gradients):
        x, y = inputs
        gz, = output_gradients
        if outputs[0].type.dtype in discrete_types:
            return [x.zeros_like(dtype=config.floatX), y.zeros_like(dtype=config.floatX)]
        return [gz, -(x // y) * gz]


class Pow(BinaryScalarOp):
    """x ** y. Integers to negative powers truncate toward zero (2 ** -1 == 0), as Theano's
    C code does, where numpy would raise."""

    def impl(self, x, y):
        x, y = np.asarray(x), np.asarray(y)
        if _is_discrete(x) and _is_discrete(y):
            if x.dtype == bool_ and y.dtype == bool_:
                x = x.astype(np.int8)
            if y.dtype.kind == "i" and np.any(y < 0):
                with np.errstate(all="ignore"):
                    return np.trunc(np.power(x.astype(np.float64), y.astype(np.float64)))
        return np.power(x, y)

    def vm_ufunc(self, input_dtypes):
        if all(dt in discrete_types for dt in input_dtypes):
            return None
        return np.power

    def L_op(self, inputs, outputs, output_gradients):
        x, y = inputs
        gz, = output_gradients
        if gz.type.dtype in complex_types:
            raise NotImplementedError("The gradient of pow is not implemented for complex "
                                      "numbers.")
        if outputs[0].type.dtype in discrete_types:
            return [x.zeros_like().astype(config.floatX), y.zeros_like().astype(config.floatX)]
        first_part = gz * y * x ** (y - 1)
        # d(x**y)/dy = log(x) x**y, taken as 0 at x == 0 (the limit from the right).
        second_part = switch(eq(x, 0), 0, gz * log(x) * x ** y)
        return (first_part, second_part)


class Clip(ScalarOp):
    """clip(x, min, max): min where x < min, max where x > max, else x (so min wins over a
    smaller max, unlike numpy.clip)."""

    nin = 3

    def impl(self, x, mn, mx):
        return np.where(np.less(x, mn), mn, np.where(np.greater(x, mx), mx, x))

    def L_op(self, inputs, outputs, output_gradients):
        x, mn, mx = inputs
        gz, = output_gradients
        if gz.type.dtype in complex_types:
            raise NotImplementedError("The gradient of clip is not defined for complex "
                                      "numbers.")
        if outputs[0].type.dtype in discrete_types:
            return [v.zeros_like().astype(config.floatX) for v in inputs]
        # At the bounds the gradient goes to x.
        gx = ((x >= mn) & (x <= mx)) * gz
        gmn = (x < mn) * gz
        gmx = (x > mx) * gz
        return [gx, gmn, gmx]


add = Add(upcast_out, name="add")
mul = Mul(upcast_out, name="mul")
sub = Sub(upcast_out_nobool, name="sub")
true_div = TrueDiv(upcast_out, name="true_div")
int_div = IntDiv(upcast_out, name="int_div")
floor_div = int_div
mod = Mod(upcast_out, name="mod")
pow = Pow(upcast_out_min8, name="pow")
# No complex: there is no order on complex numbers to clip by.
clip = Clip(upcast_out_no_complex, name="clip")


class Second(BinaryScalarOp):
    """second(a, b): b, broadcast to the shape of a (``T.fill``). a's values are unused."""

    def impl(self, x, y):
        xs, ys = np.shape(x), np.shape(y)
        if len(xs) == len(ys):
            # Elemwise gives both the same rank: the common case, 20x faster than
            # np.broadcast_shapes + np.broadcast_to (fill nodes are in every gradient).
            shape = tuple([b if a == 1 else a for a, b in zip(xs, ys)])
        else:
            shape = np.broadcast_shapes(xs, ys)
        y = np.asarray(y)
        out = np.empty(shape, dtype=y.dtype)
        out[...] = y
        return out

    def connection_pattern(self, node):
        # a only gives the shape: its values never reach the output.
        return [[False], [True]]

    def grad(self, inputs, output_gradients):
        x, y = inputs
        gz, = output_gradients
        if y.type.dtype in continuous_types:
            return DisconnectedType()(), gz
        # A discrete y is taken as rounded: a zero gradient, not an undefined one.
        return DisconnectedType()(), y.zeros_like()


second = Second(transfer_type(1), name="second")


class Identity(UnaryScalarOp):
    """The input, copied (``T.tensor_copy``)."""

    def impl(self, x):
        return np.array(x)

    def grad(self, inputs, output_gradients):
        x, = inputs
        gz, = output_gradients
        if x.type.dtype in continuous_types:
            return (gz,)
        return (x.zeros_like(dtype=config.floatX),)


identity = Identity(same_out, name="identity")


class Cast(UnaryScalarOp):
    """Conversion to ``o_type`` (numpy's astype). Prints as ``Cast{int32}``."""

    __props__ = ("o_type",)

    def __init__(self, o_type, name=None):
        if not isinstance(o_type, ScalarType):
            raise TypeError("Cast expects a ScalarType, got %r" % (o_type,))
        super().__init__(specific_out(o_type), name=name)
        self.o_type = o_type

    def __str__(self):
        return "%s{%s}" % (type(self).__name__, self.o_type.dtype)

    def make_new_inplace(self, output_types_preference=None, name=None):
        # The inplace rewrite only pairs an input and output of the same dtype: keep o_type.
        return type(self)(self.o_type, name)

    def clone_float32(self):
        if self.o_type == float16:
            return convert_to_float32
        return self

    def impl(self, x):
        with np.errstate(invalid="ignore", over="ignore"):
            return np.asarray(x).astype(self.o_type.dtype)

    def grad(self, inputs, output_gradients):
        x, = inputs
        gz, = output_gradients
        if self.o_type.dtype in continuous_types:
            return [gz]
        return [x.zeros_like().astype(config.floatX)]


convert_to_bool = Cast(get_scalar_type("bool"), name="convert_to_bool")
convert_to_int8 = Cast(int8, name="convert_to_int8")
convert_to_int16 = Cast(int16, name="convert_to_int16")
convert_to_int32 = Cast(int32, name="convert_to_int32")
convert_to_int64 = Cast(int64, name="convert_to_int64")
convert_to_uint8 = Cast(uint8, name="convert_to_uint8")
convert_to_uint16 = Cast(uint16, name="convert_to_uint16")
convert_to_uint32 = Cast(uint32, name="convert_to_uint32")
convert_to_uint64 = Cast(uint64, name="convert_to_uint64")
convert_to_float16 = Cast(float16, name="convert_to_float16")
convert_to_float32 = Cast(float32, name="convert_to_float32")
convert_to_float64 = Cast(float64, name="convert_to_float64")
convert_to_complex64 = Cast(complex64, name="convert_to_complex64")
convert_to_complex128 = Cast(complex128, name="convert_to_complex128")

_cast_mapping = {op.o_type.dtype: op for op in (
    convert_to_bool, convert_to_int8, convert_to_int16, convert_to_int32, convert_to_int64,
    convert_to_uint8, convert_to_uint16, convert_to_uint32, convert_to_uint64,
    convert_to_float16, convert_to_float32, convert_to_float64, convert_to_complex64,
    convert_to_complex128)}


class UnknownDtypeError(TypeError, KeyError):
    """An unknown dtype name. A KeyError too, as Theano raised."""

    __str__ = BaseException.__str__


def normalize_dtype(dtype):
    """``dtype`` (a name, 'floatX', a numpy type or dtype) as one of the dtype names that
    scalars and tensors support; UnknownDtypeError otherwise."""
    if isinstance(dtype, str):
        if dtype == "floatX":
            return config.floatX
        if dtype in _cast_mapping:
            return dtype
    try:
        name = str(np.dtype(dtype))
    except (TypeError, ValueError):
        name = None
    if name not in _cast_mapping:
        raise UnknownDtypeError("Unknown dtype %r: expected one of %s, or 'floatX'."
                                % (dtype, ", ".join(all_types)))
    return name


def _cast_with(x, dtype, as_variable, casts):
    """``as_variable(x)`` cast to ``dtype`` by ``casts[dtype]`` (itself when it already has
    that dtype); complex to real is refused. Scalar and tensor ``cast`` share it."""
    if dtype is None:
        # Theano 1.0 compat: KeyError(None) (numpy would read None as float64).
        raise UnknownDtypeError("Unknown dtype None: cast needs a dtype, e.g. 'floatX'.")
    dtype = normalize_dtype(dtype)
    x = as_variable(x)
    if x.type.dtype == dtype:
        return x
    if x.type.dtype.startswith("complex") and not dtype.startswith("complex"):
        raise TypeError("Casting from complex to real is ambiguous: consider real(), imag(), "
                        "angle() or abs()")
    return casts[dtype](x)


def cast(x, dtype):
    """``x`` as a scalar of ``dtype`` (``x`` itself when it already has that dtype)."""
    return _cast_with(x, dtype, as_scalar, _cast_mapping)


class Abs(UnaryScalarOp):
    """|x|; the modulus of a complex number is real."""

    nfunc = np.abs

    def output_types(self, types):
        t, = types
        if t.dtype in complex_types:
            return real_out(t)
        return super().output_types(types)

    def L_op(self, inputs, outputs, output_gradients):
        x, = inputs
        gz, = output_gradients
        if outputs[0].type.dtype in discrete_types:
            return [_float_zeros(x)]
        if x.type.dtype in float_types:
            return (gz * sgn(x),)
        return (gz * x / abs_(x),)  # works for complex and real


class Sgn(UnaryScalarOp):
    """The sign: -1, 0 or 1 (nan for nan)."""

    nfunc = np.sign

    def grad(self, inputs, output_gradients):
        x, = inputs
        rval = x.zeros_like()
        if rval.type.dtype in discrete_types:
            rval = rval.astype(config.floatX)
        return [rval]


def _sgn_out(type):
    if type.dtype == "bool":
        raise TypeError(type)
    return same_out_nocomplex(type)


class _ZeroGradUnaryOp(UnaryScalarOp):
    """A piecewise-constant function (floor, ceil, rounding): zero gradient."""

    def grad(self, inputs, output_gradients):
        x, = inputs
        rval = x.zeros_like()
        if rval.type.dtype in discrete_types:
            rval = rval.astype(config.floatX)
        return [rval]


class Ceil(_ZeroGradUnaryOp):
    nfunc = np.ceil  # exact on integers too (the output type is a float)


class Floor(_ZeroGradUnaryOp):
    nfunc = np.floor


class Trunc(_ZeroGradUnaryOp):
    """Rounding toward zero."""

    nfunc = np.trunc

    def grad(self, inputs, output_gradients):
        x, = inputs
        return [x.zeros_like().astype(config.floatX)]


class RoundHalfToEven(_ZeroGradUnaryOp):
    """Rounding to the nearest integer, ties to even (numpy.round)."""

    nfunc = np.rint


class RoundHalfAwayFromZero(_ZeroGradUnaryOp):
    """Rounding to the nearest integer, ties away from zero (C's round)."""

    def impl(self, x):
        x = np.asarray(x)
        # floor(|x|) and the fraction are exact in x's dtype; x + 0.5 would not be.
        mag = np.abs(x)
        whole = np.floor(mag)
        whole = whole + (mag - whole >= 0.5)
        return np.copysign(whole, x).astype(x.dtype)


class Neg(UnaryScalarOp):
    nfunc = np.negative

    def L_op(self, inputs, outputs, output_gradients):
        x, = inputs
        gz, = output_gradients
        if outputs[0].type.dtype in discrete_types:
            return [_float_zeros(x)]
        return (-gz,)


class Inv(UnaryScalarOp):
    """1 / x (the reciprocal)."""

    def impl(self, x):
        return np.true_divide(1, _float_input(x))

    def vm_ufunc(self, input_dtypes):
        return np.reciprocal if input_dtypes[0] in continuous_types else None

    def L_op(self, inputs, outputs, output_gradients):
        x, = inputs
        gz, = output_gradients
        _no_complex_grad(self, x)
        if outputs[0].type.dtype in discrete_types:
            return [_float_zeros(x)]
        return (-gz / (x * x),)


abs_ = Abs(same_out)
sgn = Sgn(_sgn_out, name="sgn")
ceil = Ceil(upgrade_to_float_no_complex, name="ceil")
floor = Floor(upgrade_to_float_no_complex, name="floor")
trunc = Trunc(upgrade_to_float_no_complex, name="trunc")
round_half_to_even = RoundHalfToEven(same_out_float_only)
round_half_away_from_zero = RoundHalfAwayFromZero(same_out_float_only)
neg = Neg(same_out_nobool, name="neg")
inv = Inv(upgrade_to_float, name="inv")


# --------------------------------------------------------------------------- float functions

class UnaryFloatOp(UnaryScalarOp):
    """A differentiable function of one number computed in floats (exp, log, sin, ...).

    Subclasses set ``nfunc`` and write ``derivative(x, gz)``, the gradient for a real x.
    """

    def impl(self, x):
        return self.nfunc(_float_input(x))

    def vm_ufunc(self, input_dtypes):
        # numpy computes bool/int8/uint8 in float16: those go through impl.
        if input_dtypes[0] in _SMALL_INTS or not isinstance(self.nfunc, np.ufunc):
            return None
        return self.nfunc

    def L_op(self, inputs, outputs, output_gradients):
        x, = inputs
        gz, = output_gradients
        _no_complex_grad(self, x, gz)
        if outputs[0].type.dtype in discrete_types:
            return [_float_zeros(x)]
        return (self.derivative(x, gz),)

    def derivative(self, x, gz):
        raise NotImplementedError("%s has no derivative" % type(self).__name__)


class Exp(UnaryFloatOp):
    nfunc = np.exp

    def derivative(self, x, gz):
        return gz * exp(x)


class Log(UnaryFloatOp):
    """The natural logarithm."""

    nfunc = np.log

    def derivative(self, x, gz):
        return gz / x


class Sqrt(UnaryFloatOp):
    nfunc = np.sqrt

    def derivative(self, x, gz):
        return (gz * 0.5) / sqrt(x)


class Sqr(UnaryScalarOp):
    """x * x, in x's dtype."""

    def impl(self, x):
        return np.multiply(x, x)

    def vm_ufunc(self, input_dtypes):
        return np.square if input_dtypes[0] != "bool" else None

    def L_op(self, inputs, outputs, output_gradients):
        x, = inputs
        gz, = output_gradients
        _no_complex_grad(self, gz)
        if outputs[0].type.dtype in discrete_types:
            return [_float_zeros(x)]
        return (gz * x * 2,)


exp = Exp(upgrade_to_float, name="exp")
log = Log(upgrade_to_float, name="log")
sqrt = Sqrt(upgrade_to_float, name="sqrt")
sqr = Sqr(same_out, name="sqr")


# --------------------------------------------------------------------------- complex numbers

class Real(UnaryScalarOp):
    """The real part."""

    def impl(self, x):
        return np.array(np.real(x))

    def grad(self, inputs, output_gradients):
        x, = inputs
        gz, = output_gradients
        if x.type.dtype in complex_types:
            return [complex(gz, 0)]
        if x.type.dtype in float_types:
            return [gz]
        return [x.zeros_like(dtype=config.floatX)]


class Imag(UnaryScalarOp):
    """The imaginary part (0 for real numbers)."""

    def impl(self, x):
        return np.array(np.imag(x))

    def grad(self, inputs, output_gradients):
        x, = inputs
        gz, = output_gradients
        if x.type.dtype in complex_types:
            return [complex(0, gz)]
        # A real x has no imaginary part to vary: a zero gradient.
        return [_float_zeros(x)]


class Angle(UnaryScalarOp):
    """The argument of a complex number (0 or pi for reals)."""

    def impl(self, x):
        x = np.asarray(x)
        if x.dtype.kind != "c":
            x = x.astype(np.float64)  # the output is float64; numpy may use float16
        return np.angle(x)

    def grad(self, inputs, output_gradients):
        c, = inputs
        gtheta, = output_gradients
        if c.type.dtype in complex_types:
            x, y = real(c), imag(c)
            r = abs_(c)
            gr = -gtheta * y / (r ** 2 * sqrt(1 - (y / r) ** 2))
            return [cast(complex(gr * x / r, gr * y / r), c.type.dtype)]
        if c.type.dtype in float_types:
            return [cast(second(c, 0), c.type.dtype)]
        return [c.zeros_like(dtype=config.floatX)]


def _complex_out(x, y):
    if x.dtype in complex_types:
        raise TypeError(x)
    if y.dtype in complex_types:
        raise TypeError(y)
    if upcast(x.dtype, y.dtype) in ("float64", "int64", "uint64", "int32", "uint32"):
        return (complex128,)
    return (complex64,)


def _make_complex(re, im):
    re, im = np.broadcast_arrays(re, im)
    dtype = _complex_out(get_scalar_type(str(re.dtype)), get_scalar_type(str(im.dtype)))[0]
    out = np.empty(re.shape, dtype=dtype.dtype)
    out.real = re
    out.imag = im
    return out


class Complex(BinaryScalarOp):
    """complex(re, im) from two real numbers."""

    def impl(self, x, y):
        return _make_complex(np.asarray(x), np.asarray(y))

    def grad(self, inputs, output_gradients):
        x, y = inputs
        gz, = output_gradients
        return [cast(real(gz), x.type.dtype) if x.type.dtype in float_types else _float_zeros(x),
                cast(imag(gz), y.type.dtype) if y.type.dtype in float_types else _float_zeros(y)]


class Conj(UnaryScalarOp):
    """The complex conjugate (x itself for reals)."""

    def impl(self, x):
        x = np.asarray(x)
        if x.dtype == bool_:
            x = x.astype(np.int8)
        return np.conj(x)

    def grad(self, inputs, output_gradients):
        x, = inputs
        gz, = output_gradients
        if x.type.dtype in discrete_types:
            return [x.zeros_like(dtype=config.floatX)]
        # For a complex x the gradient (d/dre + i d/dim of a real cost) is conjugated too.
        return [conj(gz) if x.type.dtype in complex_types else gz]


class ComplexFromPolar(BinaryScalarOp):
    """r * exp(i theta)."""

    def impl(self, r, theta):
        r, theta = _float_input(r), _float_input(theta)
        if np.any(r < 0):
            raise ValueError("polar radius must be non-negative", r)
        return _make_complex(r * np.cos(theta), r * np.sin(theta))

    def grad(self, inputs, output_gradients):
        r, theta = inputs
        gz, = output_gradients
        return [gz * complex_from_polar(1, theta), gz * complex_from_polar(r, -theta)]


real = Real(real_out, name="real")
imag = Imag(real_out, name="imag")
angle = Angle(specific_out(float64), name="angle")
complex = Complex(_complex_out, name="complex")
conj = Conj(same_out_min8, name="conj")
complex_from_polar = ComplexFromPolar(_complex_out, name="complex_from_polar")


# pp of scalar graphs: the arithmetic ops print as operators (mod too, unlike on tensors).
for _op_class, _printer in ((Add, OperatorPrinter("+", -2, "either")),
                            (Mul, OperatorPrinter("*", -1, "either")),
                            (Sub, OperatorPrinter("-", -2, "left")),
                            (Neg, OperatorPrinter("-", 0, "either")),
                            (TrueDiv, OperatorPrinter("/", -1, "left")),
                            (IntDiv, OperatorPrinter("//", -1, "left")),
                            (Pow, OperatorPrinter("**", 1, "right")),
                            (Mod, OperatorPrinter("%", -1, "left"))):
    pprint.assign(_op_class, _printer)
