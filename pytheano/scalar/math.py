"""Transcendental and special scalar functions: logarithms and exponentials in other bases,
trigonometric and hyperbolic functions, the error and gamma families.

Each is a ``UnaryFloatOp`` (see basic.py): a numpy or scipy function and a derivative
written with scalar ops. scipy is imported on first use: importing pytheano stays fast.
"""
import numpy as np

from pytheano.scalar.basic import (_SMALL_INTS, BinaryScalarOp, UnaryFloatOp, _float_input,
                                   _float_zeros, _no_complex_grad, _typed_constant,
                                   discrete_types, exp, log, neg, sqr, sqrt, upcast,
                                   upgrade_to_float, upgrade_to_float64,
                                   upgrade_to_float_no_complex)
from pytheano.graph.grad_types import grad_not_implemented


def _one(x):
    """1 in x's dtype (for the constants in derivative formulas)."""
    return _typed_constant(1, x.type.dtype)


class _ScipyFunction:
    """Mixin: ``scipy_fn()`` is ``scipy.special.<scipy_name>``, looked up once per class."""

    scipy_name = None
    _scipy_fn = None

    def scipy_fn(self):
        fn = type(self)._scipy_fn
        if fn is None:
            import scipy.special

            fn = type(self)._scipy_fn = getattr(scipy.special, self.scipy_name)
        return fn


class _ScipyOp(_ScipyFunction, UnaryFloatOp):
    """A UnaryFloatOp whose function is ``scipy.special.<scipy_name>``."""

    def impl(self, x):
        return self.scipy_fn()(_float_input(x))

    def vm_ufunc(self, input_dtypes):
        # numpy and scipy compute bool/int8/uint8 in float16: those go through impl.
        return None if input_dtypes[0] in _SMALL_INTS else self.scipy_fn()


# --------------------------------------------------------------------------- exp and log

class Exp2(UnaryFloatOp):
    nfunc = np.exp2

    def derivative(self, x, gz):
        return gz * exp2(x) * log(_typed_constant(2, _float_dtype(x)))


class Expm1(UnaryFloatOp):
    """exp(x) - 1, accurate near 0."""

    nfunc = np.expm1

    def derivative(self, x, gz):
        return gz * exp(x)


class Log2(UnaryFloatOp):
    nfunc = np.log2

    def derivative(self, x, gz):
        return gz / (x * _typed_constant(np.log(2.0), _float_dtype(x)))


class Log10(UnaryFloatOp):
    nfunc = np.log10

    def derivative(self, x, gz):
        return gz / (x * _typed_constant(np.log(10.0), _float_dtype(x)))


class Log1p(UnaryFloatOp):
    """log(1 + x), accurate near 0."""

    nfunc = np.log1p

    def derivative(self, x, gz):
        return gz / (1 + x)


def _float_dtype(x):
    """The float dtype a float function of x computes in."""
    return upgrade_to_float(x.type)[0].dtype


# --------------------------------------------------------------------------- angles

class Deg2Rad(UnaryFloatOp):
    nfunc = np.deg2rad

    def derivative(self, x, gz):
        return gz * _typed_constant(np.pi / 180, gz.type.dtype)


class Rad2Deg(UnaryFloatOp):
    nfunc = np.rad2deg

    def derivative(self, x, gz):
        return gz * _typed_constant(180.0 / np.pi, gz.type.dtype)


class Cos(UnaryFloatOp):
    nfunc = np.cos

    def derivative(self, x, gz):
        return -gz * sin(x)


class ArcCos(UnaryFloatOp):
    nfunc = np.arccos

    def derivative(self, x, gz):
        return -gz / sqrt(_one(x) - sqr(x))


class Sin(UnaryFloatOp):
    nfunc = np.sin

    def derivative(self, x, gz):
        return gz * cos(x)


class ArcSin(UnaryFloatOp):
    nfunc = np.arcsin

    def derivative(self, x, gz):
        return gz / sqrt(_one(x) - sqr(x))


class Tan(UnaryFloatOp):
    nfunc = np.tan

    def derivative(self, x, gz):
        return gz / sqr(cos(x))


class ArcTan(UnaryFloatOp):
    nfunc = np.arctan

    def derivative(self, x, gz):
        return gz / (_one(x) + sqr(x))


class ArcTan2(BinaryScalarOp):
    """arctan2(y, x): the angle of the point (x, y)."""

    def impl(self, y, x):
        return np.arctan2(_float_input(y), _float_input(x))

    def vm_ufunc(self, input_dtypes):
        if any(dt in _SMALL_INTS for dt in input_dtypes):
            return None
        return np.arctan2

    def L_op(self, inputs, outputs, output_gradients):
        y, x = inputs
        gz, = output_gradients
        _no_complex_grad(self, gz)
        if outputs[0].type.dtype in discrete_types:
            return [_float_zeros(y), _float_zeros(x)]
        # The output is a float: the gradient flows even to integer inputs.
        return [gz * x / (sqr(x) + sqr(y)), gz * neg(y) / (sqr(x) + sqr(y))]


class Cosh(UnaryFloatOp):
    nfunc = np.cosh

    def derivative(self, x, gz):
        return gz * sinh(x)


class ArcCosh(UnaryFloatOp):
    nfunc = np.arccosh

    def derivative(self, x, gz):
        return gz / sqrt(sqr(x) - _one(x))


class Sinh(UnaryFloatOp):
    nfunc = np.sinh

    def derivative(self, x, gz):
        return gz * cosh(x)


class ArcSinh(UnaryFloatOp):
    nfunc = np.arcsinh

    def derivative(self, x, gz):
        return gz / sqrt(sqr(x) + _one(x))


class Tanh(UnaryFloatOp):
    nfunc = np.tanh

    def derivative(self, x, gz):
        return gz * (1 - sqr(tanh(x)))


class ArcTanh(UnaryFloatOp):
    nfunc = np.arctanh

    def derivative(self, x, gz):
        return gz / (_one(x) - sqr(x))


# --------------------------------------------------------------------------- special functions

def _two_over_sqrt_pi(x, gz):
    return np.asarray(2.0 / np.sqrt(np.pi), dtype=upcast(x.type.dtype, gz.type.dtype))


def _sqrt_pi_over_two(x, gz):
    return np.asarray(np.sqrt(np.pi) / 2., dtype=upcast(x.type.dtype, gz.type.dtype))


class Erf(_ScipyOp):
    scipy_name = "erf"

    def derivative(self, x, gz):
        return gz * _two_over_sqrt_pi(x, gz) * exp(-x * x)


class Erfc(_ScipyOp):
    """1 - erf(x)."""

    scipy_name = "erfc"

    def derivative(self, x, gz):
        return -gz * _two_over_sqrt_pi(x, gz) * exp(-x * x)


class Erfcx(_ScipyOp):
    """exp(x**2) * erfc(x), without the overflow for large x."""

    scipy_name = "erfcx"

    def derivative(self, x, gz):
        return gz * (-_two_over_sqrt_pi(x, gz) + (2. * x) * erfcx(x))


class Erfinv(_ScipyOp):
    scipy_name = "erfinv"

    def derivative(self, x, gz):
        return gz * _sqrt_pi_over_two(x, gz) * exp(erfinv(x) ** 2)


class Erfcinv(_ScipyOp):
    scipy_name = "erfcinv"

    def derivative(self, x, gz):
        return -gz * _sqrt_pi_over_two(x, gz) * exp(erfcinv(x) ** 2)


class Gamma(_ScipyOp):
    scipy_name = "gamma"

    def derivative(self, x, gz):
        return gz * gamma(x) * psi(x)


class GammaLn(_ScipyOp):
    """log |gamma(x)|."""

    scipy_name = "gammaln"

    def derivative(self, x, gz):
        return gz * psi(x)


class Psi(_ScipyOp):
    """The digamma function, d/dx log gamma(x)."""

    scipy_name = "psi"

    def derivative(self, x, gz):
        return gz * tri_gamma(x)


class _ScipyBinaryOp(_ScipyFunction, BinaryScalarOp):
    """A function of two numbers from scipy.special (the gradient, where Theano had one, is
    written by the subclass)."""

    def impl(self, a, b):
        return self.scipy_fn()(_float_input(a), _float_input(b))

    def vm_ufunc(self, input_dtypes):
        if any(dt in _SMALL_INTS for dt in input_dtypes):
            return None
        return self.scipy_fn()


class Chi2SF(BinaryScalarOp):
    """chi2sf(x, k): the chi-squared survival function, 1 - cdf (a p-value)."""

    def impl(self, x, k):
        import scipy.stats

        return scipy.stats.chi2.sf(_float_input(x), _float_input(k))


class GammaInc(_ScipyBinaryOp):
    """gammainc(k, x): the regularized lower incomplete gamma function P(k, x)."""

    scipy_name = "gammainc"


class GammaIncC(_ScipyBinaryOp):
    """gammaincc(k, x): the regularized upper incomplete gamma function Q(k, x)."""

    scipy_name = "gammaincc"


class GammaU(BinaryScalarOp):
    """gammau(k, x): the upper incomplete gamma function, Q(k, x) gamma(k)."""

    def impl(self, k, x):
        import scipy.special

        k, x = _float_input(k), _float_input(x)
        return scipy.special.gammaincc(k, x) * scipy.special.gamma(k)


class GammaL(BinaryScalarOp):
    """gammal(k, x): the lower incomplete gamma function, P(k, x) gamma(k)."""

    def impl(self, k, x):
        import scipy.special

        k, x = _float_input(k), _float_input(x)
        return scipy.special.gammainc(k, x) * scipy.special.gamma(k)


class Jv(_ScipyBinaryOp):
    """jv(v, x): the Bessel function of the first kind of real order v."""

    scipy_name = "jv"

    def grad(self, inputs, output_gradients):
        v, x = inputs
        gz, = output_gradients
        return [grad_not_implemented(self, 0, v), gz * (jv(v - 1, x) - jv(v + 1, x)) / 2.]


class Iv(_ScipyBinaryOp):
    """iv(v, x): the modified Bessel function of the first kind of real order v."""

    scipy_name = "iv"

    def grad(self, inputs, output_gradients):
        v, x = inputs
        gz, = output_gradients
        return [grad_not_implemented(self, 0, v), gz * (iv(v - 1, x) + iv(v + 1, x)) / 2.]


class J0(_ScipyOp):
    scipy_name = "j0"

    def derivative(self, x, gz):
        return gz * -1 * j1(x)


class J1(_ScipyOp):
    scipy_name = "j1"

    def derivative(self, x, gz):
        return gz * (j0(x) - jv(2, x)) / 2.


class I0(_ScipyOp):
    scipy_name = "i0"

    def derivative(self, x, gz):
        return gz * i1(x)


class I1(_ScipyOp):
    scipy_name = "i1"

    def derivative(self, x, gz):
        return gz * (i0(x) + iv(2, x)) / 2.


class TriGamma(UnaryFloatOp):
    """The second derivative of log gamma (its gradient is not implemented, as in Theano)."""

    def impl(self, x):
        import scipy.special

        return scipy.special.polygamma(1, _float_input(x))

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
