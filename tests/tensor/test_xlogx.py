"""x log x (pytheano/tensor/xlogx.py): XlogX / xlogx, XlogY0 / xlogy0."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

import pytheano
import pytheano.tensor as T
from pytheano.tensor.xlogx import xlogx, xlogy0
from tests.helpers import check_grad, check_op, random_value, tensor_var


def _np_xlogy0(x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 0, x * np.log(y))


@given(array_shapes(min_dims=0, max_dims=3, max_side=4),
       st.sampled_from(["float32", "float64", "int8", "int32", "uint8"]))
def test_xlogx_and_xlogy0_match_numpy(shape, dtype):
    value = random_value(shape, dtype, positive=True)
    # Zeros in x, so the special case is exercised.
    value = np.where(np.arange(value.size).reshape(shape) % 3 == 0, 0, value).astype(dtype)
    other = random_value(shape, dtype, positive=True, rng=np.random.default_rng(1))
    out_dtype = "float64" if dtype in ("float64", "int32") else "float32"
    x, y = tensor_var(shape, dtype), tensor_var(shape, dtype)
    check_op(xlogx, [x], [value], lambda a: _np_xlogy0(a.astype(out_dtype), a.astype(out_dtype)),
             expected_dtype=out_dtype)
    check_op(xlogy0, [x, y], [value, other],
             lambda a, b: _np_xlogy0(a.astype(out_dtype), b.astype(out_dtype)),
             expected_dtype=out_dtype)


def test_xlogx_theano_values():
    # Recorded from Theano 1.0.5.
    x, y = T.vector("x"), T.vector("y")
    assert str(xlogx(T.ivector()).type) == "TensorType(float64, vector)"
    assert str(xlogx(T.bvector()).type) == "TensorType(float32, vector)"
    assert str(xlogy0(T.fvector(), T.fvector()).type) == "TensorType(float32, vector)"
    assert str(xlogx(x).owner.op) == "xlogx" and str(xlogy0(x, y).owner.op) == "xlogy0"
    assert pytheano.pp(xlogx(x)) == "xlogx(x)"
    v, w = np.array([0.0, 0.5, 1.0, 2.0]), np.array([3.0, 0.0, 2.0, 0.5])
    np.testing.assert_allclose(pytheano.function([x], xlogx(x))(v),
                               [0.0, -0.34657359027997264, 0.0, 1.3862943611198906])
    np.testing.assert_allclose(pytheano.function([x, y], xlogy0(x, y))(v, w),
                               [0.0, -np.inf, 0.6931471805599453, -1.3862943611198906])
    np.testing.assert_allclose(pytheano.function([x], xlogx(x))(-v), [0.0] + [np.nan] * 3)
    np.testing.assert_allclose(pytheano.function([x], pytheano.grad(xlogx(x).sum(), x))(v),
                               [-np.inf, 0.3068528194400547, 1.0, 1.6931471805599454])
    gx, gy = pytheano.function([x, y], pytheano.grad(xlogy0(x, y).sum(), [x, y]))(v, w)
    np.testing.assert_allclose(gx, [1.09861229, -np.inf, 0.69314718, -0.69314718])
    np.testing.assert_allclose(gy, [0.0, np.inf, 0.5, 4.0])
    assert T.xlogx.xlogx is xlogx  # Theano's path: theano.tensor.xlogx.xlogx


def test_xlogx_grads():
    check_grad(xlogx, [np.array([[0.5, 1.5], [2.0, 3.0]])])
    check_grad(xlogy0, [np.array([0.5, -1.5, 2.0]), np.array([0.3, 1.0, 4.0])])
