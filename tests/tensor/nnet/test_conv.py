"""The old conv2d interface (pytheano/tensor/nnet/conv.py)."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal import convolve2d

import pytheano
import pytheano.tensor as T
from pytheano.tensor.nnet import conv
from tests.helpers import check_grad, check_op

pytestmark = pytest.mark.filterwarnings("ignore:theano.tensor.nnet.conv.conv2d is deprecated")


def _ref4d(img, kern, mode, subsample):
    out = np.array([[sum(convolve2d(img[b, c], kern[k, c], mode) for c in range(img.shape[1]))
                     for k in range(kern.shape[0])] for b in range(img.shape[0])])
    return out[:, :, ::subsample[0], ::subsample[1]].astype(img.dtype)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 2), st.integers(1, 3), st.integers(1, 3), st.integers(3, 6),
       st.integers(3, 6), st.integers(1, 3), st.integers(1, 3),
       st.sampled_from(["valid", "full"]), st.integers(1, 2), st.integers(1, 3),
       st.sampled_from(["float32", "float64"]))
def test_conv2d_matches_scipy(b, c, k, h, w, kh, kw, mode, sx, sy, dtype):
    rng = np.random.default_rng(0)
    img = rng.standard_normal((b, c, h, w)).astype(dtype)
    kern = rng.standard_normal((k, c, kh, kw)).astype(dtype)
    x, f = T.tensor4(dtype=dtype), T.tensor4(dtype=dtype)
    check_op(lambda x, f: conv.conv2d(x, f, border_mode=mode, subsample=(sx, sy)), [x, f],
             [img, kern], lambda a, b: _ref4d(a, b, mode, (sx, sy)))
    check_op(lambda x, f: conv.conv2d(x, f, image_shape=(b, c, h, w),
                                      filter_shape=(k, c, kh, kw), border_mode=mode),
             [x, f], [img, kern], lambda a, b: _ref4d(a, b, mode, (1, 1)))


def test_conv2d_theano_values():
    # Shapes, types and values recorded from Theano 1.0.5 (ConvOp).
    rng = np.random.RandomState(0)
    xv, wv = rng.rand(2, 3, 7, 6), rng.rand(4, 3, 3, 2)
    x, w = T.tensor4("x"), T.tensor4("w")
    for mode, ss, shape, total, weighted in [
            ("valid", (1, 1), (2, 4, 5, 5), 895.53207989, 85364.285748),
            ("full", (1, 1), (2, 4, 9, 7), 1473.57249979, 352466.932965),
            ("valid", (2, 3), (2, 4, 3, 2), 202.89050676, 4568.857797),
            ("full", (3, 2), (2, 4, 3, 4), 252.27274213, 11644.427601)]:
        y = conv.conv2d(x, w, border_mode=mode, subsample=ss)
        assert y.type == T.TensorType("float64", (False,) * 4)
        out = pytheano.function([x, w], y)(xv, wv)
        assert out.shape == shape
        np.testing.assert_allclose(out.sum(), total)
        np.testing.assert_allclose((out * np.arange(out.size).reshape(shape)).sum(), weighted)
    assert conv.conv2d(T.ftensor4(), T.ftensor4()).type == T.TensorType("float32", (False,) * 4)
    row = T.TensorType("float64", (True, False, False, False))()
    assert conv.conv2d(row, w).broadcastable == (True, False, False, False)
    g = pytheano.grad((conv.conv2d(x, w, border_mode="full") ** 2).sum(), [x, w])
    np.testing.assert_allclose([v.sum() for v in pytheano.function([x, w], g)(xv, wv)],
                               [21929.559632, 21365.951211])


def test_conv2d_grad():
    rng = np.random.default_rng(1)
    img, kern = rng.standard_normal((2, 2, 5, 4)), rng.standard_normal((3, 2, 2, 3))
    for mode in ("valid", "full"):
        check_grad(lambda a, b, mode=mode: conv.conv2d(a, b, border_mode=mode), [img, kern])
    # Theano 1.0.5 needs every shape for a strided gradient; here it works without them.
    check_grad(lambda a, b: conv.conv2d(a, b, border_mode="full", subsample=(2, 1)),
               [img, kern])


def test_conv2d_warns_and_errors():
    x, w = T.tensor4(), T.tensor4()
    with pytest.warns(UserWarning, match="theano.tensor.nnet.conv.conv2d is deprecated"):
        conv.conv2d(x, w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # Classes and messages as Theano 1.0.5.
        with pytest.raises(NotImplementedError, match="Mode half not implemented"):
            conv.conv2d(x, w, border_mode="half")
        with pytest.raises(TypeError, match="ConvOp .make_node. requires input be a 4D"):
            conv.conv2d(T.matrix(), w)
        with pytest.raises(NotImplementedError, match="The image and the kernel must have "
                                                      "the same type"):
            conv.conv2d(T.ftensor4(), w)
        with pytest.raises(AssertionError):
            conv.conv2d(x, w, image_shape=(2, 3, 7, 6), filter_shape=(4, 2, 3, 2))
        f = pytheano.function([x, w], conv.conv2d(x, w, image_shape=(2, 3, 7, 6)))
        with pytest.raises(ValueError):
            f(np.ones((1, 3, 7, 6)), np.ones((4, 3, 3, 2)))
        with pytest.raises(T.basic.NotScalarConstantError,
                           match="The convolution need that the shape information are "
                                 "constant values"):
            conv.conv2d(x, w, image_shape=(T.iscalar(), 3, 7, 6))


def test_convop():
    x, w = T.tensor4(), T.tensor4()
    y = conv.conv2d(x, w, image_shape=(2, 3, 7, 6), filter_shape=(4, 3, 3, 2), subsample=(2, 1),
                    border_mode="full", unroll_batch=2, unroll_kern=4)
    assert isinstance(y.owner.op, conv.ConvOp)
    # Theano 1.0.5's str, less the C tuning fields.
    assert str(y.owner.op) == ("ConvOp{('imshp', (3, 7, 6)),('kshp', (3, 2)),('nkern', 4),"
                               "('bsize', 2),('dx', 2),('dy', 1),('out_mode', 'full')}")
    assert str(conv.conv2d(x, w).owner.op).startswith("ConvOp{('imshp', (None, None, None))")
    op = conv.ConvOp(imshp=(7, 6), kshp=(3, 2), output_mode="full")
    rng = np.random.default_rng(5)
    img, kern = rng.standard_normal((2, 1, 7, 6)), rng.standard_normal((3, 1, 3, 2))
    check_op(op, [x, w], [img, kern], lambda a, b: _ref4d(a, b, "full", (1, 1)))
    with pytest.warns(UserWarning, match="getOutputShape"):
        assert conv.ConvOp.getOutputShape((7, 6), (3, 2), (2, 1), "full") == (5, 7)
    assert conv.ConvOp(dx=2) == conv.ConvOp(dx=2) != conv.ConvOp(dx=1)
    check_grad(lambda a, b: op(a, b), [img, kern])
