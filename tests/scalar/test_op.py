"""Tests of pytheano/scalar/op.py: the ScalarOp base, its kernel accessor, and Theano 1.0
user code that subclasses ScalarOp with a per-element ``impl``."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.scalar import basic as S
from pytheano.tensor import reduction
from pytheano.tensor.elemwise import Elemwise


class Twice(S.UnaryScalarOp):
    """Theano 1.0 style: impl sees one element."""

    calls = []

    def impl(self, x):
        Twice.calls.append(x)
        assert np.ndim(x) == 0
        return 2 * x

    def grad(self, inputs, output_gradients):
        return [output_gradients[0] * 2]


class Larger(S.BinaryScalarOp):
    commutative = True
    associative = True

    def impl(self, x, y):
        return x if x > y else y


def test_user_impl_is_a_numpy_only_kernel_applied_per_element():
    op = Twice(S.same_out)
    assert op.kernel.numpy_only == "user-defined impl" and op.kernel.c is None
    assert op.kernel.has_grad and not Larger(S.upcast_out).kernel.has_grad
    assert op.kernel.fast_ufunc(("float64",)) is None
    x = T.dvector()
    f = pytheano.function([x], Elemwise(op)(x))
    Twice.calls.clear()
    out = f(np.array([1.0, 2.5, -3.0]))
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [2.0, 5.0, -6.0])
    assert len(Twice.calls) == 3
    assert op.impl(1.5) == 3.0  # Theano code calls impl directly too
    g = pytheano.grad(Elemwise(op)(x).sum(), x)
    np.testing.assert_array_equal(pytheano.function([x], g)(np.ones(2)), [2.0, 2.0])


def test_user_impl_reduces_through_careduce():
    m = T.imatrix()
    r = reduction.CAReduce(Larger(S.upcast_out), axis=[1])(m)
    out = pytheano.function([m], r)(np.array([[1, 5, 2], [-4, -9, -1]], dtype="int32"))
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [5, -1])


def test_an_op_without_kernel_or_impl_says_so():
    class Nothing(S.UnaryScalarOp):
        pass

    with pytest.raises(NotImplementedError, match="Nothing declares no kernel"):
        Nothing(S.same_out).kernel.numpy()


def test_kernel_names_come_from_the_declaring_class():
    assert S.exp.kernel.name == "Exp" and S.int_div.kernel.name == "IntDiv"
    assert S.convert_to_int8.kernel.name == "Cast_int8"
    assert not hasattr(S.ScalarOp, "c_code_cache_version")


class ScaledBy(S.ScalarOp):
    """Theano's test_not_implemented_elemwise_grad: __init__ does not call ScalarOp's."""

    def __init__(self):
        self.output_types_preference = S.upgrade_to_float

    def impl(self, n, x):
        return x * n

    def grad(self, inputs, gout):
        n, x = inputs
        return [pytheano.gradient.grad_not_implemented(self, 0, n), gout[0] * n]


def test_op_whose_init_skips_ours_prints_and_differentiates():
    op = ScaledBy()
    assert str(op) == "ScaledBy"
    x = T.dscalar("x")
    g = pytheano.grad(Elemwise(op)(2, x), x)
    assert pytheano.function([x], g)(3.0) == 2
    with pytest.raises(pytheano.gradient.NullTypeGradError, match="ScaledBy op is not impl"):
        pytheano.grad(Elemwise(op)(x, 2), x)
