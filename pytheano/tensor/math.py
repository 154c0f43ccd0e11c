"""Elementwise math on tensors: ``T.add``, ``T.exp``, ``T.switch``, ``T.cast``, ...

Each function is an ``Elemwise`` of a scalar op (pytheano/scalar), named as Theano prints
it (``Elemwise{add,no_inplace}``); the dtype rules, numpy implementations and gradients
live in the scalar ops. The operators on tensor variables (tensor/var.py) call these.
"""
import numpy as np

from pytheano.scalar import basic as scal
from pytheano.scalar import math as scal_math
from pytheano.tensor.basic import (NotScalarConstantError, as_tensor_variable,
                                   get_scalar_constant_value)
from pytheano.tensor.elemwise import Elemwise

__all__ = [
    # arithmetic
    "add", "sub", "mul", "true_div", "int_div", "floor_div", "mod", "pow", "neg", "inv",
    "abs_", "sgn", "sqr", "square", "sqrt", "maximum", "minimum", "clip", "div_proxy",
    "divmod", "mod_check", "ceil_intdiv",
    # exponentials, logarithms, trigonometry
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "arcsin",
    "arccos", "arctan", "arctan2", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh",
    "deg2rad", "rad2deg",
    # special functions
    "erf", "erfc", "erfcx", "erfinv", "erfcinv", "gamma", "gammaln", "psi", "tri_gamma",
    "chi2sf", "gammainc", "gammaincc", "gammau", "gammal", "j0", "j1", "jv", "i0", "i1", "iv",
    # rounding
    "floor", "ceil", "trunc", "round", "round_half_to_even", "round_half_away_from_zero",
    "iround",
    # comparisons and logic
    "lt", "gt", "le", "ge", "eq", "neq", "isnan", "isinf", "isclose", "allclose", "switch",
    "where", "and_", "or_", "xor", "invert", "bitwise_and", "bitwise_or", "bitwise_xor",
    "bitwise_not",
    # complex numbers
    "real", "imag", "angle", "complex", "conj", "complex_from_polar",
    # types and copies
    "cast", "tensor_copy", "second",
]


def _elemwise(scalar_op, name):
    return Elemwise(scalar_op, name="Elemwise{%s,no_inplace}" % name)


# --------------------------------------------------------------------------- arithmetic

add = _elemwise(scal.add, "add")                      # add(a, *more): a + b + ...
sub = _elemwise(scal.sub, "sub")
mul = _elemwise(scal.mul, "mul")                      # mul(a, *more): a * b * ...
true_div = _elemwise(scal.true_div, "true_div")       # a / b; two ints give floatX
int_div = _elemwise(scal.int_div, "int_div")          # a // b (floor division)
floor_div = int_div
mod = _elemwise(scal.mod, "mod")                      # a % b, with the sign of b
pow = _elemwise(scal.pow, "pow")
neg = _elemwise(scal.neg, "neg")
inv = _elemwise(scal.inv, "inv")                      # 1 / a
abs_ = _elemwise(scal.abs_, "abs_")
sgn = _elemwise(scal.sgn, "sgn")
sqr = _elemwise(scal.sqr, "sqr")                      # a * a, in a's dtype
square = sqr
sqrt = _elemwise(scal.sqrt, "sqrt")
maximum = _elemwise(scal.maximum, "maximum")
minimum = _elemwise(scal.minimum, "minimum")
# clip(x, min, max); where x equals a bound the gradient goes to x.
clip = _elemwise(scal.clip, "clip")


def div_proxy(x, y):
    """``x / y`` by Theano 1.0's Python 2 rule: int_div for two integers when
    ``config.int_division`` is 'int', an error when it is 'raise', else true_div.
    (Python 3's ``/`` on variables is always true_div, as in Theano.)"""
    f = scal.int_or_true_div(as_tensor_variable(x).dtype in scal.discrete_types,
                             as_tensor_variable(y).dtype in scal.discrete_types)
    return int_div(x, y) if f is scal.int_div else true_div(x, y)


def mod_check(x, y):
    """``x % y``, refusing complex numbers with a ComplexError."""
    if (as_tensor_variable(x).dtype in scal.complex_types
            or as_tensor_variable(y).dtype in scal.complex_types):
        raise scal.Mod.complex_error
    return mod(x, y)


def divmod(x, y):
    """``(x // y, x % y)`` elementwise."""
    return floor_div(x, y), mod_check(x, y)


def ceil_intdiv(a, b):
    """``ceil(a / b)`` computed exactly in a's and b's (integer) dtype."""
    div = int_div(a, b)
    return cast(neq(a % b, 0), div.dtype) + div


# --------------------------------------------------------------------------- float functions

exp = _elemwise(scal.exp, "exp")
exp2 = _elemwise(scal_math.exp2, "exp2")
expm1 = _elemwise(scal_math.expm1, "expm1")
log = _elemwise(scal.log, "log")
log2 = _elemwise(scal_math.log2, "log2")
log10 = _elemwise(scal_math.log10, "log10")
log1p = _elemwise(scal_math.log1p, "log1p")
sin = _elemwise(scal_math.sin, "sin")
cos = _elemwise(scal_math.cos, "cos")
tan = _elemwise(scal_math.tan, "tan")
arcsin = _elemwise(scal_math.arcsin, "arcsin")
arccos = _elemwise(scal_math.arccos, "arccos")
arctan = _elemwise(scal_math.arctan, "arctan")
arctan2 = _elemwise(scal_math.arctan2, "arctan2")     # arctan2(y, x)
sinh = _elemwise(scal_math.sinh, "sinh")
cosh = _elemwise(scal_math.cosh, "cosh")
tanh = _elemwise(scal_math.tanh, "tanh")
arcsinh = _elemwise(scal_math.arcsinh, "arcsinh")
arccosh = _elemwise(scal_math.arccosh, "arccosh")
arctanh = _elemwise(scal_math.arctanh, "arctanh")
deg2rad = _elemwise(scal_math.deg2rad, "deg2rad")
rad2deg = _elemwise(scal_math.rad2deg, "rad2deg")
erf = _elemwise(scal_math.erf, "erf")
erfc = _elemwise(scal_math.erfc, "erfc")
erfcx = _elemwise(scal_math.erfcx, "erfcx")
erfinv = _elemwise(scal_math.erfinv, "erfinv")
erfcinv = _elemwise(scal_math.erfcinv, "erfcinv")
gamma = _elemwise(scal_math.gamma, "gamma")
gammaln = _elemwise(scal_math.gammaln, "gammaln")
psi = _elemwise(scal_math.psi, "psi")
tri_gamma = _elemwise(scal_math.tri_gamma, "tri_gamma")
chi2sf = _elemwise(scal_math.chi2sf, "chi2sf")          # chi2sf(x, k)
gammainc = _elemwise(scal_math.gammainc, "gammainc")    # gammainc(k, x), regularized
gammaincc = _elemwise(scal_math.gammaincc, "gammaincc")
gammau = _elemwise(scal_math.gammau, "gammau")
gammal = _elemwise(scal_math.gammal, "gammal")
j0 = _elemwise(scal_math.j0, "j0")
j1 = _elemwise(scal_math.j1, "j1")
jv = _elemwise(scal_math.jv, "jv")                      # jv(v, x)
i0 = _elemwise(scal_math.i0, "i0")
i1 = _elemwise(scal_math.i1, "i1")
iv = _elemwise(scal_math.iv, "iv")                      # iv(v, x)


# --------------------------------------------------------------------------- rounding

floor = _elemwise(scal.floor, "floor")
ceil = _elemwise(scal.ceil, "ceil")
trunc = _elemwise(scal.trunc, "trunc")
round_half_to_even = _elemwise(scal.round_half_to_even, "round_half_to_even")
round_half_away_from_zero = _elemwise(scal.round_half_away_from_zero,
                                      "round_half_away_from_zero")

_ROUND_MODES = {"half_to_even": round_half_to_even,
                "half_away_from_zero": round_half_away_from_zero}


def round(a, mode=None):
    """Round to the nearest integer, ``mode`` 'half_to_even' (the default, as numpy and
    Theano 1.0) or 'half_away_from_zero' (C's round)."""
    if mode is None:
        mode = "half_to_even"
    if mode not in _ROUND_MODES:
        raise ValueError("round mode %s is not implemented. Use 'half_to_even' or "
                         "'half_away_from_zero'." % (mode,))
    return _ROUND_MODES[mode](a)


def iround(a, mode=None):
    """``round(a, mode)`` as int64."""
    return cast(round(a, mode), "int64")


# --------------------------------------------------------------------------- comparisons, logic

lt = _elemwise(scal.lt, "lt")
gt = _elemwise(scal.gt, "gt")
le = _elemwise(scal.le, "le")
ge = _elemwise(scal.ge, "ge")
eq = _elemwise(scal.eq, "eq")
neq = _elemwise(scal.neq, "neq")
switch = _elemwise(scal.switch, "switch")             # switch(cond, ift, iff)
where = switch
and_ = _elemwise(scal.and_, "and_")                   # bit-wise; logical on bools
or_ = _elemwise(scal.or_, "or_")
xor = _elemwise(scal.xor, "xor")
invert = _elemwise(scal.invert, "invert")
bitwise_and = and_
bitwise_or = or_
bitwise_xor = xor
bitwise_not = invert

_isnan = _elemwise(scal.isnan, "isnan")
_isinf = _elemwise(scal.isinf, "isinf")


def _all_false_like(a):
    # An integer is never nan nor inf: a constant False of a's shape, no isnan to run.
    from pytheano.tensor.creation import alloc

    # A broadcastable dimension has length 1: say so, so the result stays broadcastable.
    return alloc(np.asarray(False, dtype="bool"),
                 *[1 if a.broadcastable[i] else a.shape[i] for i in range(a.ndim)])


def _float_test(op, a):
    """``op(a)`` for isnan / isinf; all False for integers."""
    a = as_tensor_variable(a)
    if a.dtype in scal.discrete_types:
        return _all_false_like(a)
    return op(a)


def isnan(a):
    """True where ``a`` is nan."""
    return _float_test(_isnan, a)


def isinf(a):
    """True where ``a`` is +inf or -inf."""
    return _float_test(_isinf, a)


def isclose(a, b, rtol=1.e-5, atol=1.e-8, equal_nan=False):
    """numpy.isclose: ``abs(a - b) <= atol + rtol * abs(b)`` elementwise (bool); infinities
    are close when equal, nans only with ``equal_nan``."""
    a, b = as_tensor_variable(a), as_tensor_variable(b)
    close_prelim = le(abs_(a - b), atol + rtol * abs_(b))
    a_nan, b_nan = isnan(a), isnan(b)
    a_inf, b_inf = isinf(a), isinf(b)
    nans_or_infs = bitwise_or(bitwise_or(a_nan, b_nan), bitwise_or(a_inf, b_inf))
    close = bitwise_and(close_prelim, bitwise_not(nans_or_infs))
    # Infinities of the same sign are close.
    inf_eq = bitwise_and(bitwise_and(a_inf, b_inf), eq(a_inf * sgn(a), b_inf * sgn(b)))
    close_with_infs = bitwise_or(close, inf_eq)
    if equal_nan:
        return bitwise_or(close_with_infs, bitwise_and(a_nan, b_nan))
    return close_with_infs


def allclose(a, b, rtol=1.e-5, atol=1.e-8, equal_nan=False):
    """numpy.allclose: whether ``isclose`` holds everywhere (a bool scalar)."""
    from pytheano.tensor.reduction import all as all_

    return all_(isclose(a, b, rtol, atol, equal_nan))


# --------------------------------------------------------------------------- complex numbers

real = _elemwise(scal.real, "real")
imag = _elemwise(scal.imag, "imag")
angle = _elemwise(scal.angle, "angle")
complex = _elemwise(scal.complex, "complex")           # complex(real, imag)
conj = _elemwise(scal.conj, "conj")
complex_from_polar = _elemwise(scal.complex_from_polar, "complex_from_polar")


# --------------------------------------------------------------------------- types, copies

# second(a, b): b broadcast to a's shape (T.fill).
second = _elemwise(scal.second, "second")
tensor_copy = Elemwise(scal.identity, name="Elemwise{identity}")

_casts = {dtype: Elemwise(op, name="Elemwise{%s}" % op)
          for dtype, op in scal._cast_mapping.items()}


def cast(x, dtype):
    """``x`` as a tensor of ``dtype`` ('floatX' allowed); ``x`` itself when it already
    has that dtype. Complex to real is refused: say real(), imag(), angle() or abs_()."""
    return scal._cast_with(x, dtype, as_tensor_variable, _casts)


# --------------------------------------------------------------------------- constant folding

# Elemwise ops whose value get_scalar_constant_value computes from constant inputs.
_FOLDABLE = (scal.Cast, scal.Switch, scal.NEQ, scal.EQ, scal.LT, scal.GT, scal.LE, scal.GE,
             scal.Sub, scal.Add, scal.Mod, scal.Mul, scal.IntDiv, scal.TrueDiv, scal.Minimum,
             scal.Maximum)


def elemwise_constant_value(node, v, elemwise=True, max_recur=10):
    """The constant value of ``v``, an output of the Elemwise ``node``, for
    get_scalar_constant_value: ``second(a, c)`` is c; arithmetic, comparisons and casts of
    constants are computed (when ``elemwise``)."""
    scalar_op = node.op.scalar_op
    if isinstance(scalar_op, scal.Second):
        return get_scalar_constant_value(node.inputs[1], elemwise, max_recur=max_recur)
    if elemwise and isinstance(scalar_op, _FOLDABLE):
        values = [np.asarray(get_scalar_constant_value(i, elemwise, max_recur=max_recur))
                  for i in node.inputs]
        with np.errstate(all="ignore"):
            return np.asarray(scalar_op.kernel.numpy(*values), dtype=v.type.dtype)
    raise NotScalarConstantError(v)

