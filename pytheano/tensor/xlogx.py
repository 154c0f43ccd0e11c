"""``x * log(x)`` and ``x * log(y)`` with 0 * log(0) taken as 0 (Theano's
``theano.tensor.xlogx``): two scalar ops, each mapped elementwise."""
import numpy as np

from pytheano.graph.printing import FunctionPrinter
from pytheano.scalar import basic as scal
from pytheano.scalar.kernel import Kernel
from pytheano.tensor.elemwise import Elemwise, elemwise_printer

__all__ = ["XlogX", "scalar_xlogx", "xlogx", "XlogY0", "scalar_xlogy0", "xlogy0"]


def _times_log(x, y):
    """``x * log(y)``, 0 where x == 0 (even for y == 0); numpy's warnings silenced. Computed
    in the output's float dtype (upgrade_to_float's: numpy's promotion with float32), as the
    C template does."""
    x, y = np.asarray(x), np.asarray(y)
    dtype = np.result_type(x.dtype, y.dtype, np.float32)
    x, y = x.astype(dtype, copy=False), y.astype(dtype, copy=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = x * np.log(y)
    return np.where(x == 0, out.dtype.type(0), out)


class XlogX(scal.UnaryScalarOp):
    """x * log(x), with 0 * log(0) = 0."""

    kernel = Kernel(numpy=lambda x: _times_log(x, x), float_inputs=True,
                    c="%(i0)s == 0 ? 0 : %(i0)s * log(%(i0)s)")

    def grad(self, inputs, output_grads):
        x, = inputs
        gz, = output_grads
        return [gz * (1 + scal.log(x))]


scalar_xlogx = XlogX(scal.upgrade_to_float, name="scalar_xlogx")
xlogx = Elemwise(scalar_xlogx, name="xlogx")
elemwise_printer.assign(XlogX, FunctionPrinter("xlogx"))


class XlogY0(scal.BinaryScalarOp):
    """x * log(y), with 0 * log(y) = 0 for every y (0 * log(0) included)."""

    kernel = Kernel(numpy=_times_log, float_inputs=True,
                    c="%(i0)s == 0 ? 0 : %(i0)s * log(%(i1)s)")

    def grad(self, inputs, output_grads):
        x, y = inputs
        gz, = output_grads
        return [gz * scal.log(y), gz * x / y]


scalar_xlogy0 = XlogY0(scal.upgrade_to_float, name="scalar_xlogy0")
xlogy0 = Elemwise(scalar_xlogy0, name="xlogy0")
elemwise_printer.assign(XlogY0, FunctionPrinter("xlogy0"))
