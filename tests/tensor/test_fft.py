"""Real-input FFTs (pytheano/tensor/fft.py): RFFTOp / rfft, IRFFTOp / irfft."""
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

import pytheano
import pytheano.tensor as T
from pytheano.tensor import fft
from tests.helpers import check_grad, check_op, tensor_var


def _np_rfft(a, norm):
    spec = np.fft.rfftn(a, axes=tuple(range(1, a.ndim)),
                        norm="ortho" if norm == "ortho" else "backward")
    return np.stack([spec.real, spec.imag], -1).astype(a.dtype)


def _np_irfft(c, norm, n_last):
    shape = c.shape[1:-2] + (n_last,)
    out = np.fft.irfftn(c[..., 0] + 1j * c[..., 1], s=shape, axes=tuple(range(1, c.ndim - 1)),
                        norm="ortho" if norm == "ortho" else "backward")
    return (out * np.prod(shape) if norm == "no_norm" else out).astype(c.dtype)


@settings(deadline=None, max_examples=30)
@given(array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=5),
       st.sampled_from([None, "ortho", "no_norm"]), st.sampled_from(["float32", "float64"]),
       st.booleans())
def test_rfft_irfft_match_numpy(shape, norm, dtype, is_odd):
    assume(is_odd or shape[-1] > 1)  # an even inverse of one frequency has no points
    a = np.random.default_rng(0).standard_normal(shape).astype(dtype)
    x = tensor_var(shape, dtype)
    tol = dict(rtol=1e-3, atol=1e-3) if dtype == "float32" else {}
    check_op(lambda v: fft.rfft(v, norm=norm), [x], [a], lambda v: _np_rfft(v, norm), **tol)
    c = _np_rfft(a, None)
    y = tensor_var(c.shape, dtype)
    n_last = 2 * (c.shape[-2] - 1) + int(is_odd)
    check_op(lambda v: fft.irfft(v, norm=norm, is_odd=is_odd), [y], [c],
             lambda v: _np_irfft(v, norm, n_last), **tol)


def test_rfft_theano_values():
    # Shapes, types and values recorded from Theano 1.0.5.
    rng = np.random.RandomState(0)
    xv, x3v = rng.rand(3, 5), rng.rand(2, 4, 6)
    x, x3 = T.matrix("x"), T.tensor3("x3")
    for norm, total, weighted, odd_total in [(None, 8.11606443, 600.733135, 9.04296005),
                                             ("ortho", 3.62961436, 122.624138, 9.04296005),
                                             ("no_norm", 8.11606443, 600.733135, 45.21480024)]:
        r, r3 = fft.rfft(x, norm=norm), fft.rfft(x3, norm=norm)
        assert str(r.type) == "TensorType(float64, 3D)"
        a, b = pytheano.function([x, x3], [r, r3])(xv, x3v)
        assert a.shape == (3, 3, 2) and b.shape == (2, 4, 4, 2)
        np.testing.assert_allclose(a.sum(), total)
        np.testing.assert_allclose((b * np.arange(b.size).reshape(b.shape)).sum(), weighted)
        back = pytheano.function([x3], fft.irfft(r3, norm=norm))(x3v)
        assert back.shape == (2, 4, 6)
        odd = pytheano.function([x], fft.irfft(r, norm=norm, is_odd=True))(xv)
        assert odd.shape == (3, 5)
        np.testing.assert_allclose(odd.sum(), odd_total)
    assert str(fft.rfft(T.fmatrix()).type) == "TensorType(float32, 3D)"
    assert str(fft.irfft(T.ftensor3()).type) == "TensorType(float32, matrix)"
    assert str(fft.rfft_op) == "RFFTOp" and str(fft.irfft_op) == "IRFFTOp"
    w = np.arange(64).reshape(2, 4, 4, 2)
    g = pytheano.grad((fft.rfft(x3, norm="ortho") * w).sum(), x3)
    np.testing.assert_allclose(
        (pytheano.function([x3], g)(x3v) * np.arange(48).reshape(2, 4, 6)).sum(), 2199.805028)
    c = T.tensor3()
    g = pytheano.grad((fft.irfft(c) * np.arange(12).reshape(2, 6)).sum(), c)
    np.testing.assert_allclose(pytheano.function([c], g)(rng.rand(2, 4, 2)),
                               [[[2.5, 0.0], [-1.0, 1.732051], [-1.0, 0.57735], [-0.5, 0.0]],
                                [[8.5, 0.0], [-1.0, 1.732051], [-1.0, 0.57735], [-0.5, 0.0]]],
                               atol=1e-6)


@pytest.mark.parametrize("norm", [None, "ortho", "no_norm"])
def test_fft_grads(norm):
    rng = np.random.default_rng(3)
    for shape in [(2, 5), (2, 4, 6), (1, 3, 3)]:
        check_grad(lambda v: fft.rfft(v, norm=norm), [rng.standard_normal(shape)])
    for shape, odd in [((2, 4, 2), False), ((2, 3, 4, 2), True), ((1, 5, 2), True)]:
        check_grad(lambda v, odd=odd: fft.irfft(v, norm=norm, is_odd=odd),
                   [rng.standard_normal(shape)])


def test_fft_errors():
    # Classes and messages from Theano 1.0.5.
    x = T.matrix()
    with pytest.raises(ValueError, match="Invalid value 123 for norm, must be None, 'ortho'"):
        fft.rfft(x, norm=123)
    with pytest.raises(ValueError, match="Invalid value 2 for id_odd, must be True or False"):
        fft.irfft(T.tensor3(), is_odd=2)
    with pytest.raises(TypeError, match="RFFTOp: input must have dimension > 2"):
        fft.rfft(T.vector())
    with pytest.raises(TypeError, match="IRFFTOp: input must have dimension >= 3"):
        fft.irfft(x)
    with pytest.raises(TypeError, match="RFFTOp: length of the transformed axis must be of "
                                        "type integer"):
        fft.rfft_op(x, T.vector())
