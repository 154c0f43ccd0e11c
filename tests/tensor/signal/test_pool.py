"""Tests of pytheano.tensor.signal.pool: Pool against a loop reference, out_shape, gradients
(max to the max positions, averages spread), second order, errors and Theano's strs."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano.tensor.signal import pool
from pytheano.tensor.signal.pool import (
    AveragePoolGrad, DownsampleFactorMaxGradGrad, MaxPoolGrad, Pool, pool_2d)
from tests.helpers import assert_close, check_grad, check_infer_shape


def reference_pool(x, ws, ignore_border, stride, pad, mode):
    """Theano's definition, one window at a time."""
    nd = 2
    img = x.shape[-nd:]
    padded = tuple(img[i] + 2 * pad[i] for i in range(nd))
    out = []
    for i in range(nd):
        v, w, s = padded[i], ws[i], stride[i]
        if ignore_border:
            n = max((v - w) // s + 1, 0)
        elif s >= w:
            n = (v - 1) // s + 1
        else:
            n = max(0, (v - 1 - w + s) // s) + 1
        out.append(n)
    y = np.zeros(x.shape[:-nd] + padded)
    y[..., pad[0]:pad[0] + img[0], pad[1]:pad[1] + img[1]] = x
    z = np.zeros(x.shape[:-nd] + tuple(out))
    for r in range(out[0]):
        for c in range(out[1]):
            r0, c0 = r * stride[0], c * stride[1]
            r1, c1 = min(r0 + ws[0], padded[0]), min(c0 + ws[1], padded[1])
            if mode != "average_inc_pad":
                r0, c0 = max(r0, pad[0]), max(c0, pad[1])
                r1, c1 = min(r1, pad[0] + img[0]), min(c1, pad[1] + img[1])
            win = y[..., r0:r1, c0:c1]
            if mode == "max":
                z[..., r, c] = win.max(axis=(-2, -1))
            elif mode == "sum":
                z[..., r, c] = win.sum(axis=(-2, -1))
            else:
                z[..., r, c] = win.mean(axis=(-2, -1)) if win.size else 0
    return z


def randn(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


MODES = ["max", "sum", "average_inc_pad", "average_exc_pad"]
CASES = [
    # (shape, ws, ignore_border, stride, pad)
    ((2, 3, 6, 6), (2, 2), True, None, (0, 0)),
    ((1, 2, 5, 5), (2, 2), False, None, (0, 0)),
    ((1, 1, 7, 6), (3, 2), False, (2, 1), (0, 0)),
    ((1, 1, 7, 6), (3, 3), True, (2, 2), (1, 1)),
    ((3, 5, 4), (2, 3), True, (1, 2), (1, 2)),
    ((6, 5), (2, 2), False, (3, 3), (0, 0)),
    ((1, 1, 2, 2), (3, 3), True, None, (0, 0)),
]


@pytest.mark.parametrize("shape, ws, ib, stride, pad", CASES)
@pytest.mark.parametrize("mode", MODES)
def test_pool_values_and_shapes(shape, ws, ib, stride, pad, mode):
    xv = randn(*shape)
    x = T.TensorType("float64", (False,) * len(shape))("x")
    y = pool_2d(x, ws, ignore_border=ib, stride=stride, pad=pad, mode=mode)
    got = pytheano.function([x], y)(xv)
    expected = reference_pool(xv, ws, ib, stride or ws, pad, mode)
    assert_close(got, expected)
    assert list(got.shape) == Pool.out_shape(xv.shape, ws, ib, stride, pad)
    check_infer_shape([y], [x], [xv])


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 8), st.integers(1, 8), st.integers(1, 3), st.integers(1, 3),
       st.integers(1, 3), st.integers(1, 3), st.booleans(), st.sampled_from(MODES),
       st.booleans())
def test_pool_hypothesis(h, w, wh, ww, sh, sw, ib, mode, padded):
    pad = (wh // 2, ww // 2) if padded and ib else (0, 0)
    xv = randn(2, h, w)
    x = T.tensor3()
    y = pool_2d(x, (wh, ww), ignore_border=ib, stride=(sh, sw), pad=pad, mode=mode)
    got = pytheano.function([x], y)(xv)
    assert_close(got, reference_pool(xv, (wh, ww), ib, (sh, sw), pad, mode))


@pytest.mark.parametrize("dtype", ["float32", "int8", "uint8", "int64"])
@pytest.mark.parametrize("mode", MODES)
def test_pool_keeps_the_dtype_and_propagates_nan(dtype, mode):
    xv = np.random.default_rng(1).integers(0, 9, (2, 5, 7)).astype(dtype)
    x = T.tensor3(dtype=dtype)
    for ws, ib, stride in (((2, 2), True, None), ((3, 2), False, (2, 1))):
        got = pytheano.function([x], pool_2d(x, ws, ignore_border=ib, stride=stride,
                                             mode=mode))(xv)
        expected = reference_pool(xv.astype("float64"), ws, ib, stride or ws, (0, 0), mode)
        assert got.dtype == dtype
        np.testing.assert_allclose(got, expected.astype(dtype), rtol=1e-6)
    if dtype == "float32":
        xv[0, 1, 1] = np.nan
        got = pytheano.function([x], pool_2d(x, (2, 2), ignore_border=True, mode=mode))(xv)
        assert np.isnan(got[0, 0, 0]) and not np.isnan(got[0, 1:]).any()
        assert not np.isnan(got[1]).any()


def test_strs_and_graph():
    x = T.tensor4("x")
    y = pool_2d(x, ws=(2, 2), ignore_border=True)
    assert str(y.owner.op) == "Pool{ignore_border=True, mode='max', ndim=2}"
    assert [str(i) for i in y.owner.inputs[1:]] == ["TensorConstant{(2,) of 2}"] * 2 + [
        "TensorConstant{(2,) of 0}"]
    assert all(i.type.dtype == "int64" for i in y.owner.inputs[1:])
    g = pytheano.grad(y.sum(), x)
    assert str(g.owner.op) == "MaxPoolGrad{ignore_border=True, mode='max', ndim=2}"
    g2 = pytheano.grad(pool_2d(x, (2, 2), True, mode="sum").sum(), x)
    assert str(g2.owner.op) == "AveragePoolGrad{ignore_border=True, mode='sum', ndim=2}"
    xb = T.TensorType("float64", (True, False, True, False))()
    assert pool_2d(xb, (2, 2), True).broadcastable == (True, False, False, False)
    assert pool_2d(T.imatrix(), (2, 2), True, mode="average_inc_pad").type.dtype == "int32"


def test_integer_average_truncates():
    x = T.itensor4()
    f = pytheano.function([x], pool_2d(x, (2, 2), True, mode="average_inc_pad"))
    got = f(np.arange(16, dtype="int32").reshape(1, 1, 4, 4))
    np.testing.assert_array_equal(got, [[[[2, 4], [10, 12]]]])
    assert got.dtype == np.int32


def test_warnings_and_deprecated_names():
    x = T.tensor4()
    with pytest.warns(UserWarning, match="ignore_border"):
        y = pool_2d(x, (2, 2))
    assert y.owner.op.ignore_border is False
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        y = pool_2d(x, ds=(3, 3), st=(1, 1), padding=(1, 1), ignore_border=True)
    assert len(record) == 3
    assert all("DEPRECATION" in str(r.message) and r.filename == __file__ for r in record)
    xv = randn(1, 1, 4, 4)
    assert_close(pytheano.function([x], y)(xv),
                 reference_pool(xv, (3, 3), True, (1, 1), (1, 1), "max"))
    with pytest.raises(ValueError, match="both 'ws' and 'ds'"):
        pool_2d(x, (2, 2), True, ds=(2, 2))


def test_build_errors():
    x = T.tensor4()
    with pytest.raises(NotImplementedError, match="ignore_border=True"):
        pool_2d(x, (2, 2), False, pad=(1, 1))
    with pytest.raises(NotImplementedError, match="smaller than strides"):
        pool_2d(x, (2, 2), True, pad=(2, 2))
    with pytest.raises(ValueError, match="Got foo"):
        pool_2d(x, (2, 2), True, mode="foo")
    with pytest.raises(NotImplementedError, match="dimension >= 2"):
        pool_2d(T.vector(), (2, 2), True)
    with pytest.raises(TypeError, match="must be ints"):
        pool_2d(x, (2.0, 2.0), True)
    with pytest.raises(ValueError, match="window size"):
        pool_2d(x)
    with pytest.raises(ValueError, match="2 values"):
        pool_2d(x, (2, 2, 2), True)


def test_symbolic_ws_and_run_time_errors():
    x, ws = T.tensor4(), T.lvector()
    y = pool_2d(x, ws, ignore_border=True)
    f = pytheano.function([x, ws], y)
    xv = randn(1, 2, 6, 5)
    assert_close(f(xv, [3, 2]), reference_pool(xv, (3, 2), True, (3, 2), (0, 0), "max"))
    check_infer_shape([y], [x, ws], [xv, np.array([3, 2])])
    with pytest.raises(ValueError, match="must each have 2 values"):
        f(xv, [2, 2, 2])
    with pytest.raises(ValueError, match=">= 1"):
        f(xv, [0, 2])


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("ws, ib, stride, pad", [
    ((2, 2), True, None, (0, 0)), ((3, 2), False, (2, 1), (0, 0)),
    ((3, 3), True, (2, 2), (1, 1))])
def test_pool_grad(mode, ws, ib, stride, pad):
    xv = randn(2, 1, 6, 5)

    def f(x):
        return pool_2d(x, ws, ignore_border=ib, stride=stride, pad=pad, mode=mode)

    check_grad(f, [xv])
    x = T.tensor4()
    g = pytheano.grad((f(x) ** 2).sum(), x)
    check_infer_shape([g], [x], [xv])


def test_max_grad_goes_to_every_max():
    x = T.tensor4()
    g = pytheano.grad(pool_2d(x, (2, 2), True).sum(), x)
    got = pytheano.function([x], g)(np.array([[[[1.0, 1.0], [0.0, 1.0]]]]))
    np.testing.assert_array_equal(got, [[[[1.0, 1.0], [0.0, 1.0]]]])
    # Overlapping windows add up.
    g = pytheano.grad(pool_2d(x, (2, 2), True, stride=(1, 1)).sum(), x)
    got = pytheano.function([x], g)(np.array([[[[0.0, 1.0, 0.0], [0.0, 5.0, 0.0]]]]))
    np.testing.assert_array_equal(got, [[[[0.0, 0.0, 0.0], [0.0, 2.0, 0.0]]]])


@pytest.mark.parametrize("mode", MODES)
def test_second_order(mode):
    xv = randn(1, 2, 5, 4)
    x = T.tensor4()

    def first(x):
        return pytheano.grad((pool_2d(x, (2, 2), False, stride=(1, 2), mode=mode) ** 2).sum(),
                             x)

    check_grad(first, [xv])
    gg = pytheano.grad((first(x) ** 2).sum(), x)
    assert pytheano.function([x], gg)(xv).shape == xv.shape


def test_gradgrad_op_and_r_op():
    xv, ev = randn(1, 1, 4, 4), randn(1, 1, 4, 4, seed=3)
    x, e = T.tensor4(), T.tensor4()
    y = pool_2d(x, (2, 2), True)
    r = pytheano.gradient.Rop(y, x, e)
    assert type(r.owner.op) is DownsampleFactorMaxGradGrad
    got = pytheano.function([x, e], r)(xv, ev)
    # The R-op of max pooling picks eval points at the max positions.
    win_x = xv.reshape(1, 1, 2, 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(1, 1, 2, 2, 4)
    win_e = ev.reshape(1, 1, 2, 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(1, 1, 2, 2, 4)
    expected = np.take_along_axis(win_e, win_x.argmax(-1)[..., None], -1)[..., 0]
    assert_close(got, expected)
    check_infer_shape([r], [x, e], [xv, ev])
    ra = pytheano.gradient.Rop(pool_2d(x, (2, 2), True, mode="sum"), x, e)
    assert_close(pytheano.function([x, e], ra, on_unused_input="ignore")(xv, ev),
                 reference_pool(ev, (2, 2), True, (2, 2), (0, 0), "sum"))


def test_max_pool_2d_same_size_and_ops():
    x = T.tensor4()
    xv = np.array([[[[1.0, 2.0, 5.0, 3.0], [4.0, 0.0, 1.0, 1.0]]]])
    got = pytheano.function([x], pool.max_pool_2d_same_size(x, (2, 2)))(xv)
    np.testing.assert_array_equal(got, [[[[0, 0, 5, 0], [4, 0, 0, 0]]]])
    assert AveragePoolGrad(True, mode="sum") == AveragePoolGrad(True, mode="sum")
    assert MaxPoolGrad(True) != MaxPoolGrad(False)
    with pytest.raises(ValueError):
        AveragePoolGrad(True, mode="max")


def test_pool_3d():
    x = T.tensor4()
    xv = randn(2, 4, 4, 6)
    got = pytheano.function([x], pool.pool_3d(x, (2, 2, 3), ignore_border=True))(xv)
    expected = xv.reshape(2, 2, 2, 2, 2, 2, 3).max(axis=(2, 4, 6))
    assert_close(got, expected)
