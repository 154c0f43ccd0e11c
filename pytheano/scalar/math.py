"""Transcendental and special scalar functions: logarithms and exponentials in other bases,
trigonometric and hyperbolic functions, the error and gamma families.

Each is a ``UnaryFloatOp`` (see basic.py): a numpy or scipy function and a derivative
written with scalar ops. scipy is imported on first use: importing pytheano stays fast.
"""
import numpy as np

from pytheano.scalar.basic import (BinaryScalarOp, UnaryFloatOp, _float_zeros, _no_complex_grad,
                                   _typed_constant, discrete_types, exp, log, neg, sqr, sqrt,
                                   upcast, upgrade_to_float, upgrade_to_float64,
                                   upgrade_to_float_no_complex)
from pytheano.scalar.kernel import float_kernel
from pytheano.graph.grad_types import grad_not_implemented


def _one(x):
    """1 in x's dtype (for the constants in derivative formulas)."""
    return _typed_constant(1, x.type.dtype)


# scipy.special functions with no C99 libm equivalent.
_NO_LIBM = "no C99 libm function (scipy.special only)"


class _ScipyOp(UnaryFloatOp):
    """A function of one number from scipy.special: ``kernel = float_kernel("scipy.special.
    <name>", ...)`` (scipy is imported on first use)."""


# --------------------------------------------------------------------------- exp and log

class Exp2(UnaryFloatOp):
    kernel = float_kernel(np.exp2, "exp2(%(i0)s)")

    def derivative(self, x, gz):
        return gz * exp2(x) * log(_typed_constant(2, _float_dtype(x)))


class Expm1(UnaryFloatOp):
    """exp(x) - 1, accurate near 0."""

    kernel = float_kernel(np.expm1, "expm1(%(i0)s)")

    def derivative(self, x, gz):
        return gz * exp(x)


class Log2(UnaryFloatOp):
    kernel = float_kernel(np.log2, "log2(%(i0)s)")

    def derivative(self, x, gz):
        return gz / (x * _typed_constant(np.log(2.0), _float_dtype(x)))


class Log10(UnaryFloatOp):
    kernel = float_kernel(np.log10, "log10(%(i0)s)")

    def derivative(self, x, gz):
        return gz / (x * _typed_constant(np.log(10.0), _float_dtype(x)))


class Log1p(UnaryFloatOp):
    """log(1 + x), accurate near 0."""

    kernel = float_kernel(np.log1p, "log1p(%(i0)s)")

    def derivative(self, x, gz):
        return gz / (1 + x)


def _float_dtype(x):
    """The float dtype a float function of x computes in."""
    return upgrade_to_float(x.type)[0].dtype


# --------------------------------------------------------------------------- angles

class Deg2Rad(UnaryFloatOp):
    kernel = float_kernel(np.deg2rad, "%(i0)s * (%(t_o0)s)0.017453292519943295")

    def derivative(self, x, gz):
        return gz * _typed_constant(np.pi / 180, gz.type.dtype)


class Rad2Deg(UnaryFloatOp):
    kernel = float_kernel(np.rad2deg, "%(i0)s * (%(t_o0)s)57.29577951308232")

    def derivative(self, x, gz):
        return gz * _typed_constant(180.0 / np.pi, gz.type.dtype)


class Cos(UnaryFloatOp):
    kernel = float_kernel(np.cos, "cos(%(i0)s)")

    def derivative(self, x, gz):
        return -gz * sin(x)


class ArcCos(UnaryFloatOp):
    kernel = float_kernel(np.arccos, "acos(%(i0)s)")

    def derivative(self, x, gz):
        return -gz / sqrt(_one(x) - sqr(x))


class Sin(UnaryFloatOp):
    kernel = float_kernel(np.sin, "sin(%(i0)s)")

    def derivative(self, x, gz):
        return gz * cos(x)


class ArcSin(UnaryFloatOp):
    kernel = float_kernel(np.arcsin, "asin(%(i0)s)")

    def derivative(self, x, gz):
        return gz / sqrt(_one(x) - sqr(x))


class Tan(UnaryFloatOp):
    kernel = float_kernel(np.tan, "tan(%(i0)s)")

    def derivative(self, x, gz):
        return gz / sqr(cos(x))


class ArcTan(UnaryFloatOp):
    kernel = float_kernel(np.arctan, "atan(%(i0)s)")

    def derivative(self, x, gz):
        return gz / (_one(x) + sqr(x))


class ArcTan2(BinaryScalarOp):
    """arctan2(y, x): the angle of the point (x, y)."""

    kernel = float_kernel(np.arctan2, "atan2(%(i0)s, %(i1)s)")

    def L_op(self, inputs, outputs, output_gradients):
        y, x = inputs
        gz, = output_gradients
        _no_complex_grad(self, gz)
        if outputs[0].type.dtype in discrete_types:
            return [_float_zeros(y), _float_zeros(x)]
        # The output is a float: the gradient flows even to integer inputs.
        return [gz * x / (sqr(x) + sqr(y)), gz * neg(y) / (sqr(x) + sqr(y))]


class Cosh(UnaryFloatOp):
    kernel = float_kernel(np.cosh, "cosh(%(i0)s)")

    def derivative(self, x, gz):
        return gz * sinh(x)


class ArcCosh(UnaryFloatOp):
    kernel = float_kernel(np.arccosh, "acosh(%(i0)s)")

    def derivative(self, x, gz):
        return gz / sqrt(sqr(x) - _one(x))


class Sinh(UnaryFloatOp):
    kernel = float_kernel(np.sinh, "sinh(%(i0)s)")

    def derivative(self, x, gz):
        return gz * cosh(x)


class ArcSinh(UnaryFloatOp):
    kernel = float_kernel(np.arcsinh, "asinh(%(i0)s)")

    def derivative(self, x, gz):
        return gz / sqrt(sqr(x) + _one(x))


class Tanh(UnaryFloatOp):
    kernel = float_kernel(np.tanh, "tanh(%(i0)s)")

    def derivative(self, x, gz):
        return gz * (1 - sqr(tanh(x)))


class ArcTanh(UnaryFloatOp):
    kernel = float_kernel(np.arctanh, "atanh(%(i0)s)")

    def derivative(self, x, gz):
        return gz / (_one(x) - sqr(x))


# --------------------------------------------------------------------------- special functions

def _two_over_sqrt_pi(x, gz):
    return np.asarray(2.0 / np.sqrt(np.pi), dtype=upcast(x.type.dtype, gz.type.dtype))


def _sqrt_pi_over_two(x, gz):
    return np.asarray(np.sqrt(np.pi) / 2., dtype=upcast(x.type.dtype, gz.type.dtype))


class Erf(_ScipyOp):
    kernel = float_kernel("scipy.special.erf", "erf(%(i0)s)")

    def derivative(self, x, gz):
        return gz * _two_over_sqrt_pi(x, gz) * exp(-x * x)


class Erfc(_ScipyOp):
    """1 - erf(x)."""

    kernel = float_kernel("scipy.special.erfc", "erfc(%(i0)s)")

    def derivative(self, x, gz):
        return -gz * _two_over_sqrt_pi(x, gz) * exp(-x * x)


class Erfcx(_ScipyOp):
    """exp(x**2) * erfc(x), without the overflow for large x."""

    kernel = float_kernel("scipy.special.erfcx", numpy_only=_NO_LIBM)

    def derivative(self, x, gz):
        return gz * (-_two_over_sqrt_pi(x, gz) + (2. * x) * erfcx(x))


class Erfinv(_ScipyOp):
    kernel = float_kernel("scipy.special.erfinv", numpy_only=_NO_LIBM)

    def derivative(self, x, gz):
        return gz * _sqrt_pi_over_two(x, gz) * exp(erfinv(x) ** 2)


class Erfcinv(_ScipyOp):
    kernel = float_kernel("scipy.special.erfcinv", numpy_only=_NO_LIBM)

    def derivative(self, x, gz):
        return -gz * _sqrt_pi_over_two(x, gz) * exp(erfcinv(x) ** 2)


class Gamma(_ScipyOp):
    kernel = float_kernel("scipy.special.gamma", "tgamma(%(i0)s)")

    def derivative(self, x, gz):
        return gz * gamma(x) * psi(x)


class GammaLn(_ScipyOp):
    """log |gamma(x)|."""

    # scipy gives -inf at -inf, C99's lgamma +inf.
    kernel = float_kernel("scipy.special.gammaln",
                          "(isinf(%(i0)s) && %(i0)s < 0) ? %(i0)s : lgamma(%(i0)s)")

    def derivative(self, x, gz):
        return gz * psi(x)


class Psi(_ScipyOp):
    """The digamma function, d/dx log gamma(x)."""

    kernel = float_kernel("scipy.special.psi", numpy_only=_NO_LIBM)

    def derivative(self, x, gz):
        return gz * tri_gamma(x)


class _ScipyBinaryOp(BinaryScalarOp):
    """A function of two numbers from scipy.special (the gradient, where Theano had one, is
    written by the subclass)."""


def _chi2sf(x, k):
    import scipy.stats

    return scipy.stats.chi2.sf(x, k)


def _gammau(k, x):
    import scipy.special

    return scipy.special.gammaincc(k, x) * scipy.special.gamma(k)


def _gammal(k, x):
    import scipy.special

    return scipy.special.gammainc(k, x) * scipy.special.gamma(k)


def _tri_gamma(x):
    import scipy.special

    return scipy.special.polygamma(1, x)


class Chi2SF(BinaryScalarOp):
    """chi2sf(x, k): the chi-squared survival function, 1 - cdf (a p-value)."""

    kernel = float_kernel(None, numpy=_chi2sf, has_grad=False,
                          numpy_only="no C99 libm function (scipy.stats.chi2.sf)")


class GammaInc(_ScipyBinaryOp):
    """gammainc(k, x): the regularized lower incomplete gamma function P(k, x)."""

    kernel = float_kernel("scipy.special.gammainc", numpy_only=_NO_LIBM, has_grad=False)


class GammaIncC(_ScipyBinaryOp):
    """gammaincc(k, x): the regularized upper incomplete gamma function Q(k, x)."""

    kernel = float_kernel("scipy.special.gammaincc", numpy_only=_NO_LIBM, has_grad=False)


class GammaU(BinaryScalarOp):
    """gammau(k, x): the upper incomplete gamma function, Q(k, x) gamma(k)."""

    kernel = float_kernel(None, numpy=_gammau, numpy_only=_NO_LIBM, has_grad=False)


class GammaL(BinaryScalarOp):
    """gammal(k, x): the lower incomplete gamma function, P(k, x) gamma(k)."""

    kernel = float_kernel(None, numpy=_gammal, numpy_only=_NO_LIBM, has_grad=False)


class Jv(_ScipyBinaryOp):
    """jv(v, x): the Bessel function of the first kind of real order v."""

    kernel = float_kernel("scipy.special.jv", numpy_only=_NO_LIBM)

    def grad(self, inputs, output_gradients):
        v, x = inputs
        gz, = output_gradients
        return [grad_not_implemented(self, 0, v), gz * (jv(v - 1, x) - jv(v + 1, x)) / 2.]


class Iv(_ScipyBinaryOp):
    """iv(v, x): the modified Bessel function of the first kind of real order v."""

    kernel = float_kernel("scipy.special.iv", numpy_only=_NO_LIBM)

    def grad(self, inputs, output_gradients):
        v, x = inputs
        gz, = output_gradients
        return [grad_not_implemented(self, 0, v), gz * (iv(v - 1, x) + iv(v + 1, x)) / 2.]


class J0(_ScipyOp):
    kernel = float_kernel("scipy.special.j0", numpy_only=_NO_LIBM)

    def derivative(self, x, gz):
        return gz * -1 * j1(x)


class J1(_ScipyOp):
    kernel = float_kernel("scipy.special.j1", numpy_only=_NO_LIBM)

    def derivative(self, x, gz):
        return gz * (j0(x) - jv(2, x)) / 2.


class I0(_ScipyOp):
    kernel = float_kernel("scipy.special.i0", numpy_only=_NO_LIBM)

    def derivative(self, x, gz):
        return gz * i1(x)


class I1(_ScipyOp):
    kernel = float_kernel("scipy.special.i1", numpy_only=_NO_LIBM)

    def derivative(self, x, gz):
        return gz * (i0(x) + iv(2, x)) / 2.


class TriGamma(UnaryFloatOp):
    """The second derivative of log gamma (its gradient is not implemented, as in Theano)."""

    kernel = float_kernel(None, numpy=_tri_gamma, numpy_only=_NO_LIBM, has_grad=False)

    def derivative(self, x, gz):
        raise NotImplementedError("The gradient of tri_gamma is not implemented.")


exp2 = Exp2(upgrade_to_float, name="exp2")
expm1 = Expm1(upgrade_to_float, name="expm1")
log2 = Log2(upgrade_to_float, name="log2")
log10 = Log10(upgrade_to_float, name="log10")
log1p = Log1p(upgrade_to_float, name="log1p")
deg2rad = Deg2Rad(upgrade_to_float, name="deg2rad")
rad2deg = Rad2Deg(upgrade_to_float, name="rad2deg")
cos = Cos(upgrade_to_float, name="cos")
arccos = ArcCos(upgrade_to_float, name="arccos")
sin = Sin(upgrade_to_float, name="sin")
arcsin = ArcSin(upgrade_to_float, name="arcsin")
tan = Tan(upgrade_to_float, name="tan")
arctan = ArcTan(upgrade_to_float, name="arctan")
arctan2 = ArcTan2(upgrade_to_float, name="arctan2")
cosh = Cosh(upgrade_to_float, name="cosh")
arccosh = ArcCosh(upgrade_to_float, name="arccosh")
sinh = Sinh(upgrade_to_float, name="sinh")
arcsinh = ArcSinh(upgrade_to_float, name="arcsinh")
tanh = Tanh(upgrade_to_float, name="tanh")
arctanh = ArcTanh(upgrade_to_float, name="arctanh")
erf = Erf(upgrade_to_float, name="erf")
erfc = Erfc(upgrade_to_float_no_complex, name="erfc")
erfcx = Erfcx(upgrade_to_float_no_complex, name="erfcx")
erfinv = Erfinv(upgrade_to_float_no_complex, name="erfinv")
erfcinv = Erfcinv(upgrade_to_float_no_complex, name="erfcinv")
gamma = Gamma(upgrade_to_float, name="gamma")
gammaln = GammaLn(upgrade_to_float, name="gammaln")
psi = Psi(upgrade_to_float, name="psi")
tri_gamma = TriGamma(upgrade_to_float, name="tri_gamma")
chi2sf = Chi2SF(upgrade_to_float64, name="chi2sf")
gammainc = GammaInc(upgrade_to_float, name="gammainc")
gammaincc = GammaIncC(upgrade_to_float, name="gammaincc")
gammau = GammaU(upgrade_to_float, name="gammau")
gammal = GammaL(upgrade_to_float, name="gammal")
jv = Jv(upgrade_to_float, name="jv")
iv = Iv(upgrade_to_float, name="iv")
j0 = J0(upgrade_to_float, name="j0")
j1 = J1(upgrade_to_float, name="j1")
i0 = I0(upgrade_to_float, name="i0")
i1 = I1(upgrade_to_float, name="i1")

__all__ = ["exp2", "expm1", "log2", "log10", "log1p", "deg2rad", "rad2deg", "cos", "arccos",
           "sin", "arcsin", "tan", "arctan", "arctan2", "cosh", "arccosh", "sinh", "arcsinh",
           "tanh", "arctanh", "erf", "erfc", "erfcx", "erfinv", "erfcinv", "gamma", "gammaln",
           "psi", "tri_gamma", "chi2sf", "gammainc", "gammaincc", "gammau", "gammal", "jv",
           "iv", "j0", "j1", "i0", "i1", "Exp2", "Expm1", "Log2", "Log10", "Log1p", "Deg2Rad",
           "Rad2Deg",
           "Cos", "ArcCos", "Sin", "ArcSin", "Tan", "ArcTan", "ArcTan2", "Cosh", "ArcCosh",
           "Sinh", "ArcSinh", "Tanh", "ArcTanh", "Erf", "Erfc", "Erfcx", "Erfinv", "Erfcinv",
           "Gamma", "GammaLn", "Psi", "TriGamma", "Chi2SF", "GammaInc", "GammaIncC",
           "GammaU", "GammaL", "Jv", "Iv", "J0", "J1", "I0", "I1"]
