"""Assert (pytheano/raise_op.py)."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from helpers import check_grad, check_infer_shape
from pytheano.tensor.raise_op import Assert, assert_op


def test_assert_passes_value_and_raises_with_message():
    x = T.dvector("x")
    y = Assert("x must be positive")(x, T.all(x > 0))
    f = pytheano.function([x], y * 2)
    np.testing.assert_array_equal(f([1.0, 2.0]), [2.0, 4.0])
    with pytest.raises(AssertionError, match="x must be positive"):
        f([1.0, -2.0])
    assert str(y.owner.op) == "Assert{msg='x must be positive'}"
    assert str(assert_op) == "Assert{msg='Theano Assert failed!'}"


def test_assert_shape_grad_and_checks():
    x = T.dmatrix("x")
    y = assert_op(x, T.gt(x.shape[0], 0))
    check_infer_shape([y], [x], [np.ones((2, 3))])
    check_grad(lambda a: assert_op(a, T.constant(True)) * 3, [np.random.rand(2, 3)])
    with pytest.raises(TypeError, match="scalar"):
        assert_op(x, x > 0)


def test_bincount_assert_nonneg():
    x = T.ivector("x")
    f = pytheano.function([x], T.extra_ops.bincount(x, assert_nonneg=True))
    np.testing.assert_array_equal(f(np.array([0, 2, 2], dtype="int32")), [1, 0, 2])
    with pytest.raises(AssertionError, match="negative"):
        f(np.array([-1, 2], dtype="int32"))
