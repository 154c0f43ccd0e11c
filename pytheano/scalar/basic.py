"""The scalar ops, by family: comparisons, bit-wise, arithmetic, casts, rounding, float
functions, complex numbers. Each op is one class: its dtype rule, its kernel (kernel.py: numpy
implementation, fast ufunc, C template) and its gradient.

This module also re-exports the scalar type and dtype rules (type.py) and the ScalarOp base
(op.py): Theano 1.0 code imports them all from ``theano.scalar.basic``.
"""
from functools import reduce

import numpy as np

from pytheano._core.graph import Apply, Constant, Variable  # noqa: F401
from pytheano.configparser import config
from pytheano.graph.printing import OperatorPrinter, pprint
from pytheano.graph.grad_types import DisconnectedType
from pytheano.graph.op import Op  # noqa: F401
from pytheano.graph.type import Type  # noqa: F401
from pytheano.scalar.kernel import (Kernel, NonzeroCheck, _float_input, as_float,  # noqa: F401
                                    compute_as_is, continuous_only, float_kernel, no_bool,
                                    not_all_discrete)
from pytheano.scalar.logic import (  # noqa: F401
    AND, EQ, GE, GT, LE, LT, NEQ, OR, XOR, BinaryBitOp, FixedLogicalComparison, InRange, Invert,
    IsInf, IsNan, LogicalComparison, Switch, UnaryBitOp, and_, eq, ge, gt, inclosedrange,
    inopenrange, invert, isinf, isnan, le, lt, neq, or_, switch, xor)
from pytheano.scalar.op import (BinaryScalarOp, ScalarOp, UnaryScalarOp,  # noqa: F401
                                _float_zeros, _is_discrete, _no_complex_grad)
from pytheano.scalar.type import (  # noqa: F401
    ComplexError, IntegerDivisionError, NumpyAutocaster, Scalar, ScalarType, _float_of,
    _scalar_types, _typed_constant, _upcast, all_types, as_scalar, autocast_float,
    autocast_float_as, autocast_int, bool_out, bool_types, complex64, complex128,
    complex_types, constant,
    continuous_types, convert, discrete_types, float16, float32, float64, float_out,
    float_out_nocomplex, float_types, get_scalar_type, int8, int16, int32, int64, int_out,
    int_out_nocomplex, int_types, integer_types, real_out, register_scalar_converter,
    same_out, same_out_float_only, same_out_min8, same_out_nobool, same_out_nocomplex,
    specific_out, transfer_type, uint8, uint16, uint32, uint64, uint_types, upcast,
    upcast_out, upcast_out_min8, upcast_out_no_complex, upcast_out_nobool, upgrade_to_float,
    upgrade_to_float64, upgrade_to_float_no_complex)

# Theano's name: the dtype names are the ScalarTypes here (``builtins.bool`` is Python's).
bool = get_scalar_type("bool")  # noqa: A001


def _multi(scalar_type):
    """Theano 1.0's plural constructors of scalar variables: ``floats('xy')`` is [x, y],
    ``floats('x')`` the variable x itself."""
    def make(names):
        if len(names) == 1:
            return scalar_type(names)
        return [scalar_type(name) for name in names]
    return make


ints = _multi(int64)
floats = _multi(float64)
complexs = _multi(complex128)
complexs64 = _multi(complex64)
complexs128 = _multi(complex128)
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


# numpy's maximum/minimum propagate NaN (the first one); C's fmax/fmin would drop it.
class Maximum(_Extremum):
    kernel = Kernel(ufunc=np.maximum, c={
        "float": "(%(i0)s >= %(i1)s || %(i0)s != %(i0)s) ? %(i0)s : %(i1)s",
        "default": "%(i0)s >= %(i1)s ? %(i0)s : %(i1)s"})


class Minimum(_Extremum):
    kernel = Kernel(ufunc=np.minimum, c={
        "float": "(%(i0)s <= %(i1)s || %(i0)s != %(i0)s) ? %(i0)s : %(i1)s",
        "default": "%(i0)s <= %(i1)s ? %(i0)s : %(i1)s"})


maximum = Maximum(upcast_out, name="maximum")
minimum = Minimum(upcast_out, name="minimum")


def _wrapping(op_c):
    """Integer ``a op b`` that wraps around like numpy: computed in the unsigned type
    C_WRAP_TYPES names (signed overflow is undefined in C, and uint16 * uint16 promotes to
    int, where it may overflow)."""
    return "(%(w_i0)s)%(i0)s " + op_c + " (%(w_i1)s)%(i1)s"


def _variadic(ufunc):
    def apply(*inputs):
        if len(inputs) == 1:
            return np.array(inputs[0])
        return reduce(ufunc, _common_dtype(inputs))
    return apply


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
    kernel = Kernel(numpy=_variadic(np.add), ufunc=np.add, c={
        "bool": "%(i0)s | %(i1)s", "int": _wrapping("+"), "float": "%(i0)s + %(i1)s"})

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
    kernel = Kernel(numpy=_variadic(np.multiply), ufunc=np.multiply, c={
        "bool": "%(i0)s & %(i1)s", "int": _wrapping("*"), "float": "%(i0)s * %(i1)s"})

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
    kernel = Kernel(ufunc=np.subtract, c={"int": _wrapping("-"), "float": "%(i0)s - %(i1)s"})

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

    # Two integers divide in float64, as numpy does, then round once to floatX.
    kernel = Kernel(ufunc=np.true_divide, c={"float": "%(i0)s / %(i1)s"}, c_compute=(
        lambda ins, outs: ["float64" if all(d in discrete_types for d in ins) else outs[0]]
        * len(ins)))

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


def _floored_division(ufunc, zero_message, bool_result):
    """The numpy side of // and %: an integer zero divisor raises (numpy would warn and give
    0); two bools (y then all True) give ``bool_result(x)``."""
    def apply(x, y):
        x, y = np.asarray(x), np.asarray(y)
        if _is_discrete(x) and _is_discrete(y):
            if np.any(y == 0):
                raise ZeroDivisionError(zero_message)
            if x.dtype == bool_ and y.dtype == bool_:
                return bool_result(x)
        return ufunc(x, y)
    return apply


class _FlooredDivision(BinaryScalarOp):
    """// and %: no complex numbers. Integers need the zero check: no fast ufunc for them, and
    no numpy reduction (it would skip the check); their C yields 0 for a zero divisor and
    declares the check the loop must do. Subclasses set ``complex_error``."""

    def output_types(self, types):
        if any(t.dtype in complex_types for t in types):
            raise self.complex_error
        return super().output_types(types)


class IntDiv(_FlooredDivision):
    """x // y: floor division (Python's sign rule), on integers and floats."""

    complex_error = ComplexError("Theano does not support integer division (//) on complex "
                                 "numbers, since numpy deprecated it.")
    kernel = Kernel(
        numpy=_floored_division(np.floor_divide, "integer division by zero", lambda x: x),
        ufunc=np.floor_divide, ufunc_for=not_all_discrete, reduce_ufunc=None,
        checks=[NonzeroCheck(1, "integer division by zero")],
        c={"bool": "%(i1)s ? %(i0)s : 0", "unsigned": "%(i1)s == 0 ? 0 : %(i0)s / %(i1)s",
           "default": "%(fn)s(%(i0)s, %(i1)s)"},
        support="""
static inline %(t_o0)s %(fn)s(%(t_o0)s a, %(t_o0)s b) {
#if %(is_float)s
    /* numpy's npy_divmod: the floor of the exact quotient, with its signed zeros */
    %(t_o0)s mod, div, floordiv;
    if (b == 0) return a / b;
    mod = fmod(a, b);
    div = (a - mod) / b;
    if (mod != 0 && ((b < 0) != (mod < 0))) div -= 1;
    if (div == 0) return copysign(0, a / b);
    floordiv = floor(div);
    return div - floordiv > 0.5 ? floordiv + 1 : floordiv;
#else
    /* b == 0: 0 (the loop raises first); b == -1: -a wrapped (C traps on MIN / -1) */
    %(t_o0)s q;
    if (b == 0) return 0;
    if (b == -1) return (%(t_o0)s)((%(w_i0)s)0 - (%(w_i0)s)a);
    q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
#endif
}
""")

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
    kernel = Kernel(
        numpy=_floored_division(np.remainder, "integer modulo by zero", np.zeros_like),
        ufunc=np.remainder, ufunc_for=not_all_discrete, reduce_ufunc=None,
        checks=[NonzeroCheck(1, "integer modulo by zero")],
        c={"bool": "0", "unsigned": "%(i1)s == 0 ? 0 : %(i0)s % %(i1)s",
           "default": "%(fn)s(%(i0)s, %(i1)s)"},
        support="""
static inline %(t_o0)s %(fn)s(%(t_o0)s a, %(t_o0)s b) {
#if %(is_float)s
    /* numpy's npy_divmod: the sign of b */
    %(t_o0)s mod = fmod(a, b);
    if (b == 0) return mod;
    if (mod == 0) return copysign(0, b);
    return ((b < 0) != (mod < 0)) ? mod + b : mod;
#else
    /* b == 0: 0 (the loop raises first); b == -1: 0 (C traps on MIN % -1) */
    %(t_o0)s r;
    if (b == 0 || b == -1) return 0;
    r = a % b;
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
#endif
}
""")

    def L_op(self, inputs, outputs, output_gradients):
        x, y = inputs
        gz, = output_gradients
        if outputs[0].type.dtype in discrete_types:
            return [x.zeros_like(dtype=config.floatX), y.zeros_like(dtype=config.floatX)]
        return [gz, -(x // y) * gz]


def _integer_pow(x, y):
    x, y = np.asarray(x), np.asarray(y)
    if _is_discrete(x) and _is_discrete(y):
        if x.dtype == bool_ and y.dtype == bool_:
            x = x.astype(np.int8)
        if y.dtype.kind == "i":
            negative = y < 0
            if negative.any():
                # Theano 1.0 compat: truncated float powers (numpy raises); 0 ** -n is the
                # platform's int of inf (the C gives 0).
                r = np.power(x, np.where(negative, 0, y))
                with np.errstate(all="ignore"):
                    t = np.trunc(np.power(x.astype(np.float64), y.astype(np.float64)))
                    t = t.astype(r.dtype)
                # (-1) ** y by parity: float64 loses it past 2 ** 53.
                t = np.where(x == -1, np.where(y % 2 == 0, 1, -1).astype(r.dtype), t)
                return np.where(negative, t, r)
    return np.power(x, y)


def _pow_c(in_dtypes, out_dtypes):
    if out_dtypes[0] in integer_types:
        return "%(fn)s(%(i0)s, %(i1)s)"
    if all(d in discrete_types for d in in_dtypes):  # uint64 ** int8 is a float64
        return "%(i1)s < 0 ? trunc(pow(%(i0)s, %(i1)s)) : pow(%(i0)s, %(i1)s)"
    return "pow(%(i0)s, %(i1)s)"


class Pow(BinaryScalarOp):
    """x ** y. Integers to negative powers truncate toward zero (2 ** -1 == 0), as Theano's
    C code does, where numpy would raise."""

    kernel = Kernel(
        numpy=_integer_pow, ufunc=np.power, ufunc_for=not_all_discrete,
        c=_pow_c,
        support="""
static inline %(t_o0)s %(fn)s(%(t_o0)s a, %(t_o0)s b) {
    /* Theano 1.0 compat: a negative exponent truncates toward zero; 0 ** -n gives 0 */
    %(w_i0)s r = 1, x = (%(w_i0)s)a;
    if (b < 0) return a == 1 ? 1 : (a == -1 ? ((b & 1) ? -1 : 1) : 0);
    while (b) {
        if (b & 1) r *= x;
        x *= x;
        b >>= 1;
    }
    return (%(t_o0)s)r;
}
""")

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
    kernel = Kernel(
        numpy=lambda x, mn, mx: np.where(np.less(x, mn), mn, np.where(np.greater(x, mx), mx, x)),
        c="%(i0)s < %(i1)s ? %(i1)s : (%(i0)s > %(i2)s ? %(i2)s : %(i0)s)")

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


def _second(x, y):
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


class Second(BinaryScalarOp):
    """second(a, b): b, broadcast to the shape of a (``T.fill``). a's values are unused."""

    kernel = Kernel(numpy=_second, c="%(i1)s")

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

    kernel = Kernel(numpy=np.array, c="%(i0)s")

    def grad(self, inputs, output_gradients):
        x, = inputs
        gz, = output_gradients
        if x.type.dtype in continuous_types:
            return (gz,)
        return (x.zeros_like(dtype=config.floatX),)


identity = Identity(same_out, name="identity")


def _cast_kernel(dtype):
    """numpy's astype; in C a conversion, where a float that the integer dtype cannot hold
    (NaN, inf, out of range: undefined behaviour in C) gives 0. numpy gives the platform's
    value there (INT_MIN on x86)."""
    def astype(x):
        with np.errstate(invalid="ignore", over="ignore"):
            return np.asarray(x).astype(dtype)

    c = {"default": "%(i0)s"}
    if dtype == "bool":
        c = {"default": "%(i0)s != 0"}
    elif dtype in integer_types:
        info = np.iinfo(dtype)
        low = ">= %r" % float(info.min) if info.min else "> -1.0"
        c["float"] = "(%%(i0)s %s && %%(i0)s < %r) ? %%(i0)s : 0" % (low, float(info.max) + 1)
    return Kernel(numpy=astype, c=c, c_compute=compute_as_is, name="Cast_" + dtype)


_cast_kernels = {dtype: _cast_kernel(dtype) for dtype in all_types}


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

    @property
    def kernel(self):
        return _cast_kernels[self.o_type.dtype]

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

    # abs of the smallest int is itself (wraps around), in numpy and in the C.
    kernel = Kernel(ufunc=np.abs, c={
        "signed": "%(i0)s < 0 ? (%(w_i0)s)0 - (%(w_i0)s)%(i0)s : (%(w_i0)s)%(i0)s",
        "discrete": "%(i0)s", "float": "fabs(%(i0)s)"})

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

    kernel = Kernel(ufunc=np.sign, c={
        "signed": "(%(i0)s > 0) - (%(i0)s < 0)", "unsigned": "%(i0)s > 0",
        "float": "%(i0)s != %(i0)s ? %(i0)s : (%(i0)s > 0) - (%(i0)s < 0)"})

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
    # Exact on integers too (numpy gives int8 -> float16, which holds every int8).
    kernel = Kernel(ufunc=np.ceil, c="ceil(%(i0)s)")


class Floor(_ZeroGradUnaryOp):
    kernel = Kernel(ufunc=np.floor, c="floor(%(i0)s)")


class Trunc(_ZeroGradUnaryOp):
    """Rounding toward zero."""

    kernel = Kernel(ufunc=np.trunc, c="trunc(%(i0)s)")

    def grad(self, inputs, output_gradients):
        x, = inputs
        return [x.zeros_like().astype(config.floatX)]


class RoundHalfToEven(_ZeroGradUnaryOp):
    """Rounding to the nearest integer, ties to even (numpy.round)."""

    # rint rounds in the current rounding mode: to nearest, ties to even, unless changed.
    kernel = Kernel(ufunc=np.rint, c="rint(%(i0)s)")


def _round_half_away_from_zero(x):
    x = np.asarray(x)
    # floor(|x|) and the fraction are exact in x's dtype; x + 0.5 would not be.
    mag = np.abs(x)
    whole = np.floor(mag)
    whole = whole + (mag - whole >= 0.5)
    return np.copysign(whole, x).astype(x.dtype)


# Theano 1.0's name for the numpy reference of round_half_away_from_zero (its tests use it).
round_half_away_from_zero_vec = _round_half_away_from_zero


class RoundHalfAwayFromZero(_ZeroGradUnaryOp):
    """Rounding to the nearest integer, ties away from zero (C's round)."""

    kernel = Kernel(numpy=_round_half_away_from_zero, c="round(%(i0)s)")


class Neg(UnaryScalarOp):
    kernel = Kernel(ufunc=np.negative, c={"int": "(%(w_i0)s)0 - (%(w_i0)s)%(i0)s",
                                          "float": "-%(i0)s"})

    def L_op(self, inputs, outputs, output_gradients):
        x, = inputs
        gz, = output_gradients
        if outputs[0].type.dtype in discrete_types:
            return [_float_zeros(x)]
        return (-gz,)


class Inv(UnaryScalarOp):
    """1 / x (the reciprocal)."""

    kernel = Kernel(numpy=lambda x: np.true_divide(1, _float_input(x)), ufunc=np.reciprocal,
                    ufunc_for=continuous_only, c="(%(t_o0)s)1 / %(i0)s")

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

    Subclasses set ``kernel = float_kernel(ufunc, c_template)`` and write
    ``derivative(x, gz)``, the gradient for a real x.
    """

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
    kernel = float_kernel(np.exp, "exp(%(i0)s)")

    def derivative(self, x, gz):
        return gz * exp(x)


class Log(UnaryFloatOp):
    """The natural logarithm."""

    kernel = float_kernel(np.log, "log(%(i0)s)")

    def derivative(self, x, gz):
        return gz / x


class Sqrt(UnaryFloatOp):
    kernel = float_kernel(np.sqrt, "sqrt(%(i0)s)")

    def derivative(self, x, gz):
        return (gz * 0.5) / sqrt(x)


class Sqr(UnaryScalarOp):
    """x * x, in x's dtype."""

    kernel = Kernel(numpy=lambda x: np.multiply(x, x), ufunc=np.square, ufunc_for=no_bool,
                    c={"bool": "%(i0)s", "int": _wrapping("*").replace("i1", "i0"),
                       "float": "%(i0)s * %(i0)s"})

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

_COMPLEX = "complex numbers (no complex type common to C99 and CUDA)"

def _real(x):
    return np.array(np.real(x))


class Real(UnaryScalarOp):
    """The real part."""

    kernel = Kernel(numpy=_real, numpy_only=_COMPLEX)

    def grad(self, inputs, output_gradients):
        x, = inputs
        gz, = output_gradients
        if x.type.dtype in complex_types:
            return [complex(gz, 0)]
        if x.type.dtype in float_types:
            return [gz]
        return [x.zeros_like(dtype=config.floatX)]


def _imag(x):
    return np.array(np.imag(x))


class Imag(UnaryScalarOp):
    """The imaginary part (0 for real numbers)."""

    kernel = Kernel(numpy=_imag, numpy_only=_COMPLEX)

    def grad(self, inputs, output_gradients):
        x, = inputs
        gz, = output_gradients
        if x.type.dtype in complex_types:
            return [complex(0, gz)]
        # A real x has no imaginary part to vary: a zero gradient.
        return [_float_zeros(x)]


def _angle(x):
    x = np.asarray(x)
    if x.dtype.kind != "c":
        x = x.astype(np.float64)  # the output is float64; numpy may use float16
    return np.angle(x)


class Angle(UnaryScalarOp):
    """The argument of a complex number (0 or pi for reals)."""

    kernel = Kernel(numpy=_angle, numpy_only=_COMPLEX)

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


def _complex(x, y):
    return _make_complex(np.asarray(x), np.asarray(y))


class Complex(BinaryScalarOp):
    """complex(re, im) from two real numbers."""

    kernel = Kernel(numpy=_complex, numpy_only=_COMPLEX)

    def grad(self, inputs, output_gradients):
        x, y = inputs
        gz, = output_gradients
        return [cast(real(gz), x.type.dtype) if x.type.dtype in float_types else _float_zeros(x),
                cast(imag(gz), y.type.dtype) if y.type.dtype in float_types else _float_zeros(y)]


def _conj(x):
    x = np.asarray(x)
    if x.dtype == bool_:
        x = x.astype(np.int8)
    return np.conj(x)


class Conj(UnaryScalarOp):
    """The complex conjugate (x itself for reals)."""

    kernel = Kernel(numpy=_conj, numpy_only=_COMPLEX)

    def grad(self, inputs, output_gradients):
        x, = inputs
        gz, = output_gradients
        if x.type.dtype in discrete_types:
            return [x.zeros_like(dtype=config.floatX)]
        # For a complex x the gradient (d/dre + i d/dim of a real cost) is conjugated too.
        return [conj(gz) if x.type.dtype in complex_types else gz]


def _complex_from_polar(r, theta):
    r, theta = _float_input(r), _float_input(theta)
    if np.any(r < 0):
        raise ValueError("polar radius must be non-negative", r)
    return _make_complex(r * np.cos(theta), r * np.sin(theta))


class ComplexFromPolar(BinaryScalarOp):
    """r * exp(i theta)."""

    kernel = Kernel(numpy=_complex_from_polar, numpy_only=_COMPLEX)

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
