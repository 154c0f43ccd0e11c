"""Tests of pytheano.tensor.nnet.abstract_conv: conv2d against a scipy reference, shapes,
gradients (first and second order), errors, and a tiny LeNet step."""
import numpy as np
import pytest
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano.tensor.nnet import abstract_conv
from pytheano.tensor.nnet.abstract_conv import (
    AbstractConv2d, AbstractConv2d_gradInputs, AbstractConv2d_gradWeights,
    get_conv_output_shape)
from tests.helpers import assert_close, check_grad, check_infer_shape


def reference_conv2d(img, kern, border_mode="valid", subsample=(1, 1), filter_flip=True,
                     filter_dilation=(1, 1)):
    """Direct definition: pad, dilate the kernel, correlate each pair of planes, subsample."""
    kh, kw = kern.shape[2:]
    dh, dw = filter_dilation
    dil = ((kh - 1) * dh + 1, (kw - 1) * dw + 1)
    if border_mode == "valid":
        pad = ((0, 0), (0, 0))
    elif border_mode == "full":
        pad = ((dil[0] - 1,) * 2, (dil[1] - 1,) * 2)
    elif border_mode == "half":
        pad = ((dil[0] // 2,) * 2, (dil[1] // 2,) * 2)
    elif isinstance(border_mode, int):
        pad = ((border_mode,) * 2,) * 2
    else:
        pad = tuple(m if isinstance(m, tuple) else (m, m) for m in border_mode)
    img = np.pad(img, ((0, 0), (0, 0)) + pad)
    dk = np.zeros(kern.shape[:2] + dil)
    dk[:, :, ::dh, ::dw] = kern
    out = np.zeros((img.shape[0], kern.shape[0], img.shape[2] - dil[0] + 1,
                    img.shape[3] - dil[1] + 1))
    for b in range(img.shape[0]):
        for k in range(kern.shape[0]):
            for c in range(img.shape[1]):
                f = dk[k, c, ::-1, ::-1] if filter_flip else dk[k, c]
                out[b, k] += scipy.signal.correlate2d(img[b, c], f, mode="valid")
    return out[:, :, ::subsample[0], ::subsample[1]]


def randn(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


CASES = [
    # (image shape, filter shape, border_mode, subsample, filter_dilation)
    ((2, 3, 6, 5), (4, 3, 3, 2), "valid", (1, 1), (1, 1)),
    ((1, 2, 5, 5), (3, 2, 3, 3), "full", (1, 1), (1, 1)),
    ((2, 1, 6, 7), (2, 1, 3, 4), "half", (1, 1), (1, 1)),
    ((1, 2, 7, 6), (2, 2, 3, 3), 1, (2, 2), (1, 1)),
    ((1, 2, 7, 8), (2, 2, 2, 3), (2, 1), (2, 3), (1, 1)),
    ((1, 1, 8, 8), (2, 1, 3, 2), (1, (2, 0)), (1, 1), (1, 1)),
    ((2, 2, 9, 8), (3, 2, 3, 2), "valid", (1, 2), (2, 3)),
    ((1, 2, 7, 7), (2, 2, 3, 3), "half", (2, 1), (2, 2)),
    ((1, 1, 6, 6), (1, 1, 2, 2), "full", (3, 2), (2, 1)),
]


@pytest.mark.parametrize("imshp, kshp, mode, sub, dil", CASES)
@pytest.mark.parametrize("flip", [True, False])
def test_conv2d_values_and_shapes(imshp, kshp, mode, sub, dil, flip):
    img, kern = randn(*imshp), randn(*kshp, seed=1)
    x, w = T.tensor4("x"), T.tensor4("w")
    y = abstract_conv.conv2d(x, w, border_mode=mode, subsample=sub, filter_flip=flip,
                             filter_dilation=dil)
    got = pytheano.function([x, w], y)(img, kern)
    expected = reference_conv2d(img, kern, mode, sub, flip, dil)
    assert_close(got, expected)
    norm_mode = AbstractConv2d(border_mode=mode).border_mode
    assert get_conv_output_shape(imshp, kshp, norm_mode, sub, dil) == expected.shape
    check_infer_shape([y], [x, w], [img, kern])


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 2), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3),
       st.integers(1, 3), st.integers(3, 7), st.integers(3, 7),
       st.sampled_from(["valid", "full", "half", 0, 1, 2]), st.integers(1, 2),
       st.integers(1, 2), st.booleans())
def test_conv2d_hypothesis(b, c, k, kh, kw, h, wd, mode, sub, dil, flip):
    dkh, dkw = (kh - 1) * dil + 1, (kw - 1) * dil + 1
    if mode == "valid" and (dkh > h or dkw > wd):
        return
    if isinstance(mode, int) and (dkh > h + 2 * mode or dkw > wd + 2 * mode):
        return
    img, kern = randn(b, c, h, wd), randn(k, c, kh, kw, seed=2)
    x, w = T.tensor4(), T.tensor4()
    y = abstract_conv.conv2d(x, w, border_mode=mode, subsample=(sub, 1), filter_flip=flip,
                             filter_dilation=(dil, dil))
    got = pytheano.function([x, w], y)(img, kern)
    assert_close(got, reference_conv2d(img, kern, mode, (sub, 1), flip, (dil, dil)))


def test_op_str_and_type():
    x, w = T.tensor4("x"), T.tensor4("w")
    y = abstract_conv.conv2d(x, w)
    assert str(y.owner.op) == (
        "AbstractConv2d{convdim=2, border_mode='valid', subsample=(1, 1), filter_flip=True, "
        "imshp=(None, None, None, None), kshp=(None, None, None, None), "
        "filter_dilation=(1, 1), num_groups=1, unshared=False}")
    y2 = abstract_conv.conv2d(x, w, input_shape=(2, 3, 5, 5), filter_shape=(4, 3, 3, 3),
                              border_mode=1, subsample=(2, 2), filter_flip=False)
    assert str(y2.owner.op) == (
        "AbstractConv2d{convdim=2, border_mode=(1, 1), subsample=(2, 2), filter_flip=False, "
        "imshp=(2, 3, 5, 5), kshp=(4, 3, 3, 3), filter_dilation=(1, 1), num_groups=1, "
        "unshared=False}")
    assert AbstractConv2d(border_mode=(1, (2, 3))).border_mode == (1, (2, 3))
    assert AbstractConv2d(border_mode=((2, 2), 0)).border_mode == (2, 0)
    assert AbstractConv2d(border_mode=(0, 0)).border_mode == "valid"
    gx, gw = pytheano.grad(y.sum(), [x, w])
    assert type(gx.owner.op) is AbstractConv2d_gradInputs
    assert type(gw.owner.op) is AbstractConv2d_gradWeights
    assert str(gw.owner.op).startswith("AbstractConv2d_gradWeights{convdim=2, border_mode=")
    # Output dtype is the image's, broadcastable from batch and filters (as Theano).
    assert abstract_conv.conv2d(T.ftensor4(), w).type.dtype == "float32"
    xb = T.TensorType("float64", (True, False, False, False))()
    assert abstract_conv.conv2d(xb, w).broadcastable == (True, False, False, False)


def test_import_paths():
    from pytheano.tensor.nnet import conv2d
    from pytheano.tensor.nnet.abstract_conv import conv2d as ac_conv2d

    assert pytheano.tensor.nnet.conv2d is conv2d
    x, w = T.tensor4(), T.tensor4()
    assert type(conv2d(x, w).owner.op) is AbstractConv2d
    assert type(ac_conv2d(x, w).owner.op) is AbstractConv2d
    with pytest.warns(UserWarning, match="image_shape"):
        y = conv2d(x, w, image_shape=(1, 2, 5, 5))
    assert y.owner.op.imshp == (1, 2, 5, 5)


@pytest.mark.parametrize("mode, sub, dil, flip", [
    ("valid", (1, 1), (1, 1), True), ("full", (2, 1), (1, 1), False),
    ("half", (1, 2), (2, 1), True), ((1, 2), (2, 2), (1, 1), True),
])
def test_conv2d_grad(mode, sub, dil, flip):
    img, kern = randn(2, 2, 6, 5), randn(3, 2, 2, 3, seed=3)

    def f(x, w):
        return abstract_conv.conv2d(x, w, border_mode=mode, subsample=sub, filter_flip=flip,
                                    filter_dilation=dil)

    check_grad(f, [img, kern])


def test_grad_ops_infer_shape_and_second_order():
    img, kern = randn(2, 2, 7, 6), randn(3, 2, 3, 2, seed=4)
    x, w = T.tensor4("x"), T.tensor4("w")
    y = abstract_conv.conv2d(x, w, border_mode="half", subsample=(2, 1))
    gx, gw = pytheano.grad((y ** 2).sum(), [x, w])
    check_infer_shape([gx, gw], [x, w], [img, kern])
    # Second derivatives go through the gradient ops' own grads.
    hx = pytheano.grad((gx ** 2).sum() + (gw ** 2).sum(), [x, w])
    vals = pytheano.function([x, w], hx)(img, kern)
    assert [v.shape for v in vals] == [img.shape, kern.shape]

    def grad_of_sq(x, w):
        return pytheano.grad((abstract_conv.conv2d(x, w, subsample=(1, 2)) ** 2).sum(), w)

    check_grad(grad_of_sq, [randn(1, 2, 5, 6), randn(2, 2, 2, 3, seed=5)])

    def grad_wrt_input(x, w):
        return pytheano.grad((abstract_conv.conv2d(x, w, border_mode=1) ** 2).sum(), x)

    check_grad(grad_wrt_input, [randn(1, 1, 4, 5), randn(2, 1, 3, 2, seed=6)])


def test_r_op():
    img, kern = randn(1, 2, 5, 5), randn(2, 2, 3, 3, seed=7)
    ex, ew = randn(1, 2, 5, 5, seed=8), randn(2, 2, 3, 3, seed=9)
    x, w, vx, vw = T.tensor4(), T.tensor4(), T.tensor4(), T.tensor4()
    y = abstract_conv.conv2d(x, w, border_mode="full")
    r = pytheano.gradient.Rop(y, [x, w], [vx, vw])
    got = pytheano.function([x, w, vx, vw], r)(img, kern, ex, ew)
    expected = reference_conv2d(ex, kern, "full") + reference_conv2d(img, ew, "full")
    assert_close(got, expected)


def test_num_groups():
    img, kern = randn(2, 4, 5, 5), randn(6, 2, 3, 3, seed=10)
    x, w = T.tensor4(), T.tensor4()
    y = abstract_conv.conv2d(x, w, num_groups=2)
    got = pytheano.function([x, w], y)(img, kern)
    expected = np.concatenate([reference_conv2d(img[:, :2], kern[:3]),
                               reference_conv2d(img[:, 2:], kern[3:])], axis=1)
    assert_close(got, expected)
    check_grad(lambda x, w: abstract_conv.conv2d(x, w, num_groups=2, border_mode=1),
               [randn(1, 4, 4, 4), randn(4, 2, 2, 2, seed=11)])


def test_float32():
    img = randn(1, 2, 5, 5).astype("float32")
    kern = randn(2, 2, 3, 3, seed=12).astype("float32")
    x, w = T.ftensor4(), T.ftensor4()
    y = abstract_conv.conv2d(x, w, border_mode="half")
    got = pytheano.function([x, w], y)(img, kern)
    assert got.dtype == np.float32
    assert_close(got, reference_conv2d(img, kern, "half"))
    gw = pytheano.function([x, w], pytheano.grad(y.sum(), w))(img, kern)
    assert gw.dtype == np.float32


def test_build_time_errors():
    x, w = T.tensor4(), T.tensor4()
    with pytest.raises(TypeError, match="4D tensor"):
        abstract_conv.conv2d(T.matrix(), w)
    with pytest.raises(TypeError, match="4D tensor"):
        abstract_conv.conv2d(x, T.tensor3())
    with pytest.raises(ValueError, match="invalid border_mode foo"):
        abstract_conv.conv2d(x, w, border_mode="foo")
    with pytest.raises(ValueError, match="non-negative"):
        abstract_conv.conv2d(x, w, border_mode=-1)
    with pytest.raises(ValueError, match="subsample"):
        abstract_conv.conv2d(x, w, subsample=(1,))
    with pytest.raises(ValueError, match="channels"):
        abstract_conv.conv2d(x, w, input_shape=(2, 3, 5, 5), filter_shape=(4, 2, 3, 3))
    with pytest.raises(ValueError, match="invalid shape"):
        abstract_conv.conv2d(x, w, input_shape=(2, 3, 2, 2), filter_shape=(4, 3, 3, 3))
    with pytest.raises(NotImplementedError, match="unshared"):
        abstract_conv.conv2d(x, w, unshared=True)


def test_run_time_errors():
    x, w = T.tensor4(), T.tensor4()
    f = pytheano.function([x, w], abstract_conv.conv2d(x, w))
    with pytest.raises(ValueError, match="channels"):
        f(np.zeros((1, 2, 3, 3)), np.zeros((1, 3, 2, 2)))
    with pytest.raises(ValueError, match="invalid shape"):
        f(np.zeros((1, 2, 3, 3)), np.zeros((1, 2, 4, 4)))
    g = pytheano.function([x, w], abstract_conv.conv2d(x, w, input_shape=(1, 2, 5, 5)))
    with pytest.raises(ValueError, match="does not match the given imshp"):
        g(np.zeros((1, 2, 4, 4)), np.zeros((1, 2, 2, 2)))
    gi = AbstractConv2d_gradInputs()(w, x, np.array([3, 3]))
    with pytest.raises(ValueError, match="invalid input_shape for gradInputs"):
        pytheano.function([w, x], gi)(np.zeros((2, 1, 2, 2)), np.zeros((1, 2, 5, 5)))


def test_lenet_step():
    """conv -> relu -> max pool -> conv -> pool -> dense -> softmax, one SGD step."""
    from pytheano.tensor.nnet import conv2d
    from pytheano.tensor.signal.pool import pool_2d

    rng = np.random.default_rng(0)
    w1 = pytheano.shared(rng.standard_normal((4, 1, 3, 3)) * 0.3, name="w1")
    w2 = pytheano.shared(rng.standard_normal((6, 4, 3, 3)) * 0.3, name="w2")
    wd = pytheano.shared(rng.standard_normal((6 * 1 * 1, 3)) * 0.3, name="wd")
    x, t = T.tensor4("x"), T.ivector("t")
    h = T.nnet.relu(conv2d(x, w1, filter_shape=(4, 1, 3, 3)))
    h = pool_2d(h, (2, 2), ignore_border=True)
    h = T.nnet.relu(conv2d(h, w2, border_mode="half"))
    h = pool_2d(h, (2, 2), ignore_border=True, mode="average_exc_pad")
    p = T.nnet.softmax(T.dot(h.flatten(2), wd))
    cost = T.nnet.categorical_crossentropy(p, t).mean()
    params = [w1, w2, wd]
    updates = [(v, v - 0.1 * g) for v, g in zip(params, pytheano.grad(cost, params))]
    train = pytheano.function([x, t], cost, updates=updates)
    xv, tv = rng.standard_normal((5, 1, 6, 6)), np.array([0, 1, 2, 0, 1], dtype="int32")
    costs = [float(train(xv, tv)) for _ in range(5)]
    assert np.all(np.isfinite(costs)) and costs[-1] < costs[0]


def test_conv2d_transpose_and_grad_wrt():
    from pytheano.tensor.nnet import abstract_conv as A

    rng = np.random.RandomState(0)
    x, w, img = T.tensor4("x"), T.tensor4("w"), T.tensor4("img")
    xv, wv = rng.rand(2, 4, 3, 3), rng.rand(4, 3, 2, 2)
    h, ww = T.iscalar(), T.iscalar()
    y = T.nnet.conv2d_transpose(x, w, (None, None, h, ww))
    assert str(y.type) == "TensorType(float64, 4D)"
    out = pytheano.function([x, w, h, ww], y)(xv, wv, 4, 4)
    # Theano 1.0.5's values.
    assert out.shape == (2, 3, 4, 4)
    np.testing.assert_allclose(out.sum(), 210.42900542)
    np.testing.assert_allclose((out * np.arange(out.size).reshape(out.shape)).sum(), 9327.823579)
    # It is the gradient of conv2d with respect to its input, for every border mode.
    for mode, dil, shape in [("valid", (2, 2), (6, 6)), ("half", (1, 1), (2, 2)),
                             ("full", (2, 1), (4, 2))]:
        y = T.nnet.conv2d_transpose(x, w, (2, 3) + shape, border_mode=mode,
                                    input_dilation=dil)
        ref = pytheano.grad((T.nnet.conv2d(img, w, border_mode=mode, subsample=dil)
                             * x).sum(), img)
        got = pytheano.function([x, w], y)(xv, wv)
        imgv = np.zeros((2, 3) + shape)
        np.testing.assert_allclose(got, pytheano.function([x, w, img], ref)(xv, wv, imgv))
    gw = A.conv2d_grad_wrt_weights(img, x, (4, 3, 2, 2))
    ref = pytheano.grad((T.nnet.conv2d(img, w) * x).sum(), w)
    imgv = rng.rand(2, 3, 4, 4)
    np.testing.assert_allclose(pytheano.function([img, x], gw)(imgv, xv),
                               pytheano.function([img, x, w], ref)(imgv, xv, wv))
    assert str(A.conv2d_grad_wrt_inputs(x, w, (2, 3, 4, 4)).type) == "TensorType(float64, 4D)"


def test_nnet_names():
    # Names Theano 1.0's theano.tensor.nnet exports from its submodules.
    from pytheano.tensor.nnet import abstract_conv, bn

    assert T.nnet.abstract_conv2d is abstract_conv.conv2d
    assert T.nnet.conv2d_grad_wrt_inputs is abstract_conv.conv2d_grad_wrt_inputs
    assert T.nnet.batch_normalization is bn.batch_normalization


def test_separable_conv2d():
    from scipy.signal import convolve2d

    rng = np.random.RandomState(0)
    x, d, p = T.tensor4(), T.tensor4(), T.tensor4()
    xv, dv, pv = rng.rand(2, 3, 6, 5), rng.rand(6, 1, 3, 2), rng.rand(4, 6, 1, 1)
    # Depthwise: filters 2c and 2c + 1 convolve channel c; then a 1x1 mix of the 6 maps.
    mid = np.array([[convolve2d(xv[b, k // 2], dv[k, 0], "valid") for k in range(6)]
                    for b in range(2)])
    want = np.einsum("bkhw,ok->bohw", mid, pv[:, :, 0, 0])
    for kw in [{}, dict(input_shape=(2, 3, 6, 5), depthwise_filter_shape=(6, 1, 3, 2),
                        pointwise_filter_shape=(4, 6, 1, 1))]:
        y = T.nnet.separable_conv2d(x, d, p, 3, **kw)
        assert str(y.type) == "TensorType(float64, 4D)"
        np.testing.assert_allclose(pytheano.function([x, d, p], y)(xv, dv, pv), want)
    check_grad(lambda a, b, c: T.nnet.separable_conv2d(a, b, c, 3, border_mode="half",
                                                       subsample=(2, 1)), [xv, dv, pv])


# ---------------------------------------------------------------------- 3-D, shape helpers,
# bilinear upsampling and causal convolution (values recorded from Theano 1.0.5)

import json  # noqa: E402
import pathlib  # noqa: E402

from pytheano.tensor.nnet.abstract_conv import (  # noqa: E402
    AbstractConv3d, assert_conv_shape, assert_shape, bilinear_kernel_1D, bilinear_kernel_2D,
    bilinear_upsampling, causal_conv1d, check_conv_gradinputs_shape, conv3d,
    conv3d_grad_wrt_inputs, conv3d_grad_wrt_weights, get_conv_gradinputs_shape,
    get_conv_gradweights_shape, separable_conv3d)
from tests.tensor.nnet.test_corr import reference_corr  # noqa: E402

THEANO = json.loads((pathlib.Path(__file__).parent / "theano_conv_outputs.json").read_text())


def _flip3(k):
    return k[:, :, ::-1, ::-1, ::-1]


@pytest.mark.parametrize("mode,sub,dil,groups", [("valid", (1, 1, 1), (1, 1, 1), 1),
                                                 ("half", (2, 1, 1), (1, 1, 2), 1),
                                                 ((1, (0, 2), 1), (1, 2, 1), (1, 1, 1), 2)])
def test_conv3d_is_the_flipped_correlation(mode, sub, dil, groups):
    x, w = T.tensor5("x"), T.tensor5("w")
    xv, wv = randn(2, 4, 5, 6, 4), randn(3 * groups, 4 // groups, 2, 3, 2, seed=1)
    out = conv3d(x, w, border_mode=mode, subsample=sub, filter_dilation=dil,
                 num_groups=groups)
    assert isinstance(out.owner.op, AbstractConv3d)
    got = pytheano.function([x, w], out)(xv, wv)
    pads = mode if isinstance(mode, str) else tuple(mode)
    assert_close(got, reference_corr(xv, _flip3(wv), pads, sub, dil, groups))
    check_infer_shape([out], [x, w], [xv, wv])
    check_grad(lambda a, b: conv3d(a, b, border_mode=mode, subsample=sub, filter_dilation=dil,
                                   num_groups=groups), [xv, wv])


def test_conv3d_gradient_functions_and_separable():
    x, w, top = T.tensor5("x"), T.tensor5("w"), T.tensor5("top")
    xv, wv = randn(1, 2, 4, 5, 4), randn(3, 2, 2, 2, 3, seed=1)
    topv = randn(1, 3, 3, 4, 2, seed=2)
    gx = conv3d_grad_wrt_inputs(top, w, (1, 2, 4, 5, 4))
    gw = conv3d_grad_wrt_weights(x, top, (3, 2, 2, 2, 3))
    vx, vw = pytheano.function([x, w, top], [gx, gw])(xv, wv, topv)
    forward = np.sum(reference_corr(xv, _flip3(wv)) * topv)
    assert_close(np.sum(vx * xv), forward)
    assert_close(np.sum(vw * wv), forward)
    dw, pw = T.tensor5("dw"), T.tensor5("pw")
    dwv, pwv = randn(2, 1, 2, 2, 2, seed=3), randn(3, 2, 1, 1, 1, seed=4)
    sep = pytheano.function([x, dw, pw], separable_conv3d(x, dw, pw, 2))(xv, dwv, pwv)
    depth = reference_corr(xv, _flip3(dwv), num_groups=2)
    assert_close(sep, reference_corr(depth, pwv))


def test_shape_helpers_invert_the_output_shape():
    for i, k, b, d in [(7, 3, "valid", 1), (9, 2, "full", 2), (8, 3, "half", 1),
                       (10, 3, (0, 2), 3), (6, 1, 2, 1)]:
        image, kernel = (2, 6, i, i + 1), (5, 6, k, k)
        out = get_conv_output_shape(image, kernel, b, (1, 1), (d, d))
        assert get_conv_gradinputs_shape(kernel, out, b, (1, 1), (d, d)) == image
        assert get_conv_gradinputs_shape(kernel, out, b, (2, 1), (d, d))[2] is None
        wshape = get_conv_gradweights_shape(image, out, b, (1, 1), (d, d))
        assert wshape == ((5, 6, None, None) if b == "half" else kernel)
        assert check_conv_gradinputs_shape(image, kernel, out, b, (1, 1), (d, d))
        assert check_conv_gradinputs_shape(image, kernel, (None, None, out[2], None), b,
                                           (1, 1), (d, d))
        assert not check_conv_gradinputs_shape(image, kernel, out[:2] + (out[2] + 1, out[3]),
                                               b, (1, 1), (d, d))
    assert get_conv_gradweights_shape((2, 6, 5, 5), (2, 4, 3, 3), "valid", (1, 1),
                                      num_groups=2) == (4, 3, 3, 3)


def test_assert_conv_shape_and_assert_shape():
    dims = T.iscalars("a", "b", "c", "d")
    f = pytheano.function(list(dims), list(assert_conv_shape(dims)))
    assert f(1, 2, 3, 4) == [1, 2, 3, 4] and f(0, 0, 1, 1) == [0, 0, 1, 1]
    for bad in ((3, 3, 3, 0), (3, -1, 3, 3)):
        with pytest.raises(AssertionError):
            f(*bad)
    with pytest.raises(ValueError, match="invalid shape"):
        assert_conv_shape((1, 1, 0, 2))
    x = T.tensor4()
    assert assert_shape(x, (None, 5, 7, None)) is x  # the check is off by default
    with pytheano.config.change_flags(**{"conv.assert_shape": True}):
        g = pytheano.function([x], assert_shape(x, (None, 5, 7, None)))
        g(np.zeros((3, 5, 7, 11)))
        with pytest.raises(AssertionError):
            g(np.zeros((3, 5, 8, 11)))
        w = T.tensor4()
        conv = pytheano.function([x, w], abstract_conv.conv2d(x, w, (3, 5, 7, 11)))
        with pytest.raises(AssertionError):
            conv(np.zeros((3, 5, 9, 11)), np.zeros((7, 5, 3, 3)))


def test_bilinear_and_causal_match_theano():
    assert_close(bilinear_kernel_1D(3).eval(), [1 / 3, 2 / 3, 1, 2 / 3, 1 / 3])
    assert_close(bilinear_kernel_2D((2, 3), normalize=False).eval(),
                 np.outer([1, 2, 1], [1, 2, 3, 2, 1]))
    x = T.tensor4()
    xv = np.arange(24.0).reshape(2, 1, 3, 4) ** 1.5
    for key, out in [("bilinear_up2_1d", bilinear_upsampling(x, ratio=2)),
                     ("bilinear_up3_2d", bilinear_upsampling(x, 3, use_1D_kernel=False)),
                     ("bilinear_frac_3_2_5_3", bilinear_upsampling(
                         x, frac_ratio=((3, 2), (5, 3)), use_1D_kernel=False))]:
        assert_close(pytheano.function([x], out)(xv), THEANO[key])
    s, f = T.tensor3(), T.tensor3()
    got = pytheano.function([s, f], causal_conv1d(s, f, (4, 3, 3), filter_dilation=2))(
        np.array(THEANO["causal_input"]), np.array(THEANO["causal_filters"]))
    assert_close(got, THEANO["causal_conv1d"])
    with pytest.raises(ValueError, match="can't use ratio and frac_ratio together"):
        bilinear_upsampling(x, ratio=2, frac_ratio=(3, 2))
