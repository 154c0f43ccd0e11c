"""2-d convolution of signals (pytheano/tensor/signal/conv.py)."""
import numpy as np
import pytest
from scipy.signal import convolve2d

import pytheano.tensor as T
from pytheano.tensor.nnet import conv
from pytheano.tensor.signal import conv as sconv
from tests.helpers import check_grad, check_op


def _ref_signal(img, kern, mode):
    imgs = img if img.ndim == 3 else img[None]
    kerns = kern if kern.ndim == 3 else kern[None]
    out = np.array([[convolve2d(i, k, mode) for k in kerns] for i in imgs])
    if img.ndim == 2:
        out = out[0]
    elif kern.ndim == 2:
        out = out[:, 0]
    return out[0] if img.ndim == 2 and kern.ndim == 2 else out


# (input ndim, filters ndim, mode) -> (type, shape, sum, sum(out * arange)) from Theano 1.0.5.
SIGNAL_CASES = [
    (2, 2, "valid", "matrix", (4, 4), 20.25355123, 143.113311),
    (2, 2, "full", "matrix", (8, 6), 40.03888915, 951.164403),
    (3, 2, "valid", "3D", (2, 4, 4), 47.97588731, 649.210153),
    (3, 2, "full", "3D", (2, 8, 6), 85.83938264, 3503.121614),
    (2, 3, "valid", "3D", (4, 4, 4), 84.45448093, 2543.2795),
    (2, 3, "full", "3D", (4, 8, 6), 170.66228004, 15688.694858),
    (3, 3, "valid", "4D", (2, 4, 4, 4), 182.44925013, 11554.945951),
    (3, 3, "full", "4D", (2, 4, 8, 6), 373.21596561, 69910.538908),
]


def test_signal_conv2d_theano_values():
    rng = np.random.RandomState(0)
    rng.rand(2, 3, 7, 6), rng.rand(4, 3, 3, 2)  # the draws before these, in the recording
    mv, fv = rng.rand(6, 5), rng.rand(3, 2)
    values = {(2, 2): (mv, fv), (3, 2): (rng.rand(2, 6, 5), fv), (2, 3): (mv, rng.rand(4, 3, 2)),
              (3, 3): (rng.rand(2, 6, 5), rng.rand(4, 3, 2))}
    for ni, nf, mode, kind, shape, total, weighted in SIGNAL_CASES:
        a = T.TensorType("float64", (False,) * ni)()
        b = T.TensorType("float64", (False,) * nf)()
        y = sconv.conv2d(a, b, border_mode=mode)
        assert str(y.type) == "TensorType(float64, %s)" % kind
        av, bv = values[ni, nf]
        out = check_op(lambda a, b, mode=mode: sconv.conv2d(a, b, border_mode=mode), [a, b],
                       [av, bv], lambda p, q, mode=mode: _ref_signal(p, q, mode))
        assert out.shape == shape
        np.testing.assert_allclose(out.sum(), total)
        np.testing.assert_allclose((out * np.arange(out.size).reshape(shape)).sum(), weighted)


def test_signal_conv2d_shapes_subsample_grad():
    a, b = T.tensor3(), T.tensor3()
    y = sconv.conv2d(a, b, image_shape=(2, 6, 5), filter_shape=(4, 3, 2), subsample=(2, 2))
    assert str(y.type) == "TensorType(float64, 4D)"
    rng = np.random.default_rng(2)
    av, bv = rng.standard_normal((2, 6, 5)), rng.standard_normal((4, 3, 2))
    np.testing.assert_allclose(y.eval({a: av, b: bv}),
                               _ref_signal(av, bv, "valid")[:, :, ::2, ::2])
    check_grad(lambda p, q: sconv.conv2d(p, q, border_mode="full"), [av[0], bv])
    with pytest.raises(TypeError):
        sconv.conv2d(T.tensor4(), T.matrix())
    import pytheano.tensor.signal.conv as by_path  # Theano's import path

    assert by_path.conv2d is sconv.conv2d and T.nnet.conv.conv2d is conv.conv2d
