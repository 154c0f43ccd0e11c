"""The logical scalar ops: comparisons (a bool result), switch, and the bit-wise ops. Their
gradients are zero (switch passes the chosen value's). basic.py re-exports them.
"""
import builtins

import numpy as np

from pytheano.configparser import config
from pytheano.scalar.kernel import Kernel, compute_as_is, compute_common
from pytheano.scalar.op import (BinaryScalarOp, ScalarOp, UnaryScalarOp, _float_zeros,
                                _no_complex_grad)
from pytheano.scalar.type import discrete_types, get_scalar_type, integer_types, upcast_out


# --------------------------------------------------------------------------- comparisons

def _mixed_sign_compare(op_c, neg_left, neg_right):
    """C for ``a op b`` when one of a, b is signed and the other uint64: numpy compares them
    exactly, C would convert the signed one to unsigned. ``neg_left``/``neg_right``: the
    result when the signed operand (on that side) is negative."""
    def template(in_dtypes, out_dtypes):
        a, b = in_dtypes
        ua, ub = a.startswith("uint"), b.startswith("uint")
        if "uint64" not in (a, b) or ua == ub or "float" in a + b or "bool" in (a, b):
            return "%(i0)s " + op_c + " %(i1)s"
        if not ua:  # a signed, b uint64
            return ("(%%(i0)s < 0 ? %d : (uint64_t)%%(i0)s %s %%(i1)s)" % (neg_left, op_c))
        return "(%%(i1)s < 0 ? %d : %%(i0)s %s (uint64_t)%%(i1)s)" % (neg_right, op_c)
    return template


def _compare_kernel(ufunc, op_c, neg_left, neg_right):
    # Compared in numpy's common dtype of the inputs (NaN compares false, != true, as C).
    return Kernel(ufunc=ufunc, c=_mixed_sign_compare(op_c, neg_left, neg_right),
                  c_compute=_compare_compute)


def _compare_compute(in_dtypes, out_dtypes):
    a, b = in_dtypes
    # int64 with uint64 has no common integer dtype: numpy compares them exactly, see above.
    if "uint64" in (a, b) and a.startswith("int") != b.startswith("int"):
        return list(in_dtypes)
    return compute_common(in_dtypes, out_dtypes)


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
    kernel = _compare_kernel(np.less, "<", 1, 0)


class GT(LogicalComparison):
    kernel = _compare_kernel(np.greater, ">", 0, 1)


class LE(LogicalComparison):
    kernel = _compare_kernel(np.less_equal, "<=", 1, 0)


class GE(LogicalComparison):
    kernel = _compare_kernel(np.greater_equal, ">=", 0, 1)


class EQ(LogicalComparison):
    commutative = True
    kernel = _compare_kernel(np.equal, "==", 0, 0)


class NEQ(LogicalComparison):
    commutative = True
    kernel = _compare_kernel(np.not_equal, "!=", 1, 1)


class IsNan(FixedLogicalComparison):
    kernel = Kernel(ufunc=np.isnan, c={"float": "isnan(%(i0)s)", "discrete": "0"},
                    c_compute=compute_as_is)


class IsInf(FixedLogicalComparison):
    kernel = Kernel(ufunc=np.isinf, c={"float": "isinf(%(i0)s)", "discrete": "0"},
                    c_compute=compute_as_is)


def _in_range_kernel(openlow, openhi):
    low, high = (np.greater if openlow else np.greater_equal), (np.less if openhi else
                                                                np.less_equal)

    def in_range(x, lo, hi):
        return np.logical_and(low(x, lo), high(x, hi))

    return Kernel(numpy=in_range, c_compute=compute_common, name="InRange",
                  c="(%%(i0)s %s %%(i1)s) && (%%(i0)s %s %%(i2)s)"
                    % (">" if openlow else ">=", "<" if openhi else "<="))


_in_range_kernels = {(lo, hi): _in_range_kernel(lo, hi) for lo in (False, True)
                     for hi in (False, True)}


class InRange(LogicalComparison):
    """low < x < hi (or <= at a closed end)."""

    nin = 3
    __props__ = ("openlow", "openhi")

    def __init__(self, openlow, openhi):
        super().__init__()
        self.openlow = builtins.bool(openlow)
        self.openhi = builtins.bool(openhi)

    @property
    def kernel(self):
        return _in_range_kernels[(self.openlow, self.openhi)]

    def make_new_inplace(self, output_types_preference=None, name=None):
        return type(self)(self.openlow, self.openhi)

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

    # A NaN condition is true (nonzero), in numpy and in C.
    kernel = Kernel(numpy=np.where, c="(%(i0)s != 0) ? %(i1)s : %(i2)s",
                    c_compute=lambda ins, outs: [ins[0], outs[0], outs[0]])

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
    kernel = Kernel(ufunc=np.bitwise_or, c={"discrete": "%(i0)s | %(i1)s"})


class XOR(BinaryBitOp):
    identity = 0
    commutative = True
    associative = True
    kernel = Kernel(ufunc=np.bitwise_xor, c={"discrete": "%(i0)s ^ %(i1)s"})


class AND(BinaryBitOp):
    identity = -1
    commutative = True
    associative = True
    kernel = Kernel(ufunc=np.bitwise_and, c={"discrete": "%(i0)s & %(i1)s"})


class Invert(UnaryBitOp):
    """Bit-wise not; logical not on bools."""

    kernel = Kernel(ufunc=np.invert, c={"bool": "!%(i0)s", "int": "~%(i0)s"})


or_ = OR()
xor = XOR()
and_ = AND()
invert = Invert()
