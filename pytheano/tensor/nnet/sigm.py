"""Sigmoid and softplus: scalar ops mapped elementwise (``sigmoid`` prints as ``sigmoid``),
computed in numerically stable forms, and their cheaper approximations."""
import numpy as np
from scipy.special import expit

from pytheano.scalar import basic as scal
from pytheano.graph.printing import FunctionPrinter
from pytheano.tensor.elemwise import Elemwise, elemwise_printer
from pytheano.tensor.basic import as_tensor_variable, constant
from pytheano.tensor.math import clip

__all__ = ["ScalarSigmoid", "scalar_sigmoid", "sigmoid", "sigmoid_inplace",
           "UltraFastScalarSigmoid", "ultra_fast_scalar_sigmoid", "ultra_fast_sigmoid",
           "hard_sigmoid", "ScalarSoftplus", "scalar_softplus", "softplus"]


class ScalarSigmoid(scal.UnaryFloatOp):
    """1 / (1 + exp(-x)), without overflow (scipy's expit)."""

    kernel = scal.float_kernel(expit, "(%(t_o0)s)1 / ((%(t_o0)s)1 + exp(-%(i0)s))")

    def derivative(self, x, gz):
        y = scalar_sigmoid(x)
        return gz * y * (1.0 - y)


scalar_sigmoid = ScalarSigmoid(scal.upgrade_to_float, name="scalar_sigmoid")
sigmoid = Elemwise(scalar_sigmoid, name="sigmoid")
elemwise_printer.assign(ScalarSigmoid, FunctionPrinter("sigmoid"))
sigmoid_inplace = Elemwise(ScalarSigmoid(scal.transfer_type(0)), inplace_pattern={0: 0},
                           name="sigmoid_inplace")


def _ultra_fast_sigmoid(x):
    # 0.5 * (1 + tanh(x / 2)) with a three-piece approximation of tanh.
    x = scal.as_float(x)
    u = 0.5 * np.abs(x)
    z = np.where(u < 1.7, 1.5 * u / (1 + u),
                 np.where(u < 3, 0.935409070603099 + 0.0458812946797165 * (u - 1.7),
                          0.99505475368673))
    z = np.where(x >= 0, z, -z)
    return (0.5 * (z + 1.0)).astype(x.dtype, copy=False)


_ULTRA_FAST_SIGMOID_C = """
static inline %(t_o0)s %(fn)s(%(t_o0)s x) {
    %(t_o0)s u = (%(t_o0)s)0.5 * fabs(x), z;
    if (u < (%(t_o0)s)1.7) z = (%(t_o0)s)1.5 * u / (1 + u);
    else if (u < 3)
        z = (%(t_o0)s)0.935409070603099 + (%(t_o0)s)0.0458812946797165 * (u - (%(t_o0)s)1.7);
    else z = (%(t_o0)s)0.99505475368673;
    return (%(t_o0)s)0.5 * ((x >= 0 ? z : -z) + 1);
}
"""


class UltraFastScalarSigmoid(scal.UnaryFloatOp):
    """A piecewise approximation of sigmoid, for speed, not accuracy (absolute error below
    0.03). It has no gradient (as in Theano): differentiate sigmoid instead."""

    kernel = scal.float_kernel(None, numpy=_ultra_fast_sigmoid, has_grad=False,
                               c="%(fn)s(%(i0)s)", support=_ULTRA_FAST_SIGMOID_C)


ultra_fast_scalar_sigmoid = UltraFastScalarSigmoid(scal.upgrade_to_float,
                                                   name="ultra_fast_scalar_sigmoid")
ultra_fast_sigmoid = Elemwise(ultra_fast_scalar_sigmoid, name="ultra_fast_sigmoid")
elemwise_printer.assign(UltraFastScalarSigmoid, FunctionPrinter("ultra_fast_sigmoid"))


def hard_sigmoid(x):
    """clip(0.2 * x + 0.5, 0, 1): the cheapest approximation of sigmoid."""

    x = as_tensor_variable(x)
    # Computed in the float dtype sigmoid itself would give (int8 -> float32, ...).
    out_dtype = scal.upgrade_to_float(scal.get_scalar_type(x.dtype))[0].dtype
    slope = constant(0.2, dtype=out_dtype)
    shift = constant(0.5, dtype=out_dtype)
    return clip((x * slope) + shift, 0, 1)


def _softplus(x):
    return np.logaddexp(x.dtype.type(0), x)


class ScalarSoftplus(scal.UnaryFloatOp):
    """log(1 + exp(x)), without overflow for large x or loss for very negative x."""

    # numpy's logaddexp(0, x).
    kernel = scal.float_kernel(None, numpy=_softplus,
                               c="%(i0)s > 0 ? %(i0)s + log1p(exp(-%(i0)s)) : log1p(exp(%(i0)s))")

    def derivative(self, x, gz):
        return gz * scalar_sigmoid(x)


scalar_softplus = ScalarSoftplus(scal.upgrade_to_float, name="scalar_softplus")
softplus = Elemwise(scalar_softplus, name="softplus")
elemwise_printer.assign(ScalarSoftplus, FunctionPrinter("softplus"))
