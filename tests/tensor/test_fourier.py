"""The complex FFT op (pytheano/tensor/fourier.py): Fourier / fft."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.graph.grad_types import NullType
from pytheano.tensor.fourier import Fourier, fft
from tests.helpers import check_infer_shape, check_op


@pytest.mark.parametrize("n, axis", [(10, 0), (None, 1), (16, None), (None, None), (3, 1)])
def test_fourier_matches_numpy(n, axis):
    a = T.dmatrix()
    value = np.random.default_rng(0).random((3, 5))
    y = fft(a, n, axis)
    assert y.type == T.TensorType("complex128", (False, False))  # as Theano 1.0.5
    check_op(lambda v: fft(v, n, axis), [a], [value],
             lambda v: np.fft.fft(v, n, -1 if axis is None else axis))


def test_fourier_vector_float32_symbolic_axis():
    v = T.fvector()
    value = np.arange(6, dtype="float32")
    check_op(lambda t: fft(t, 16, 0), [v], [value], lambda t: np.fft.fft(t, 16, 0),
             expected_dtype="complex128")
    a, b = T.dmatrix(), T.iscalar()
    value = np.random.default_rng(1).random((12, 4))
    for n in (16, None):
        y = fft(a, n, b)
        out = pytheano.function([a, b], y)(value, 0)
        np.testing.assert_allclose(out, np.fft.fft(value, n, 0))
        check_infer_shape([y], [a, b], [value, 0])
    assert str(fft) == "Fourier" and isinstance(fft, Fourier)


def test_fourier_errors_and_grad():
    # Classes and messages from Theano 1.0.5.
    a = T.dmatrix()
    for args, msg in [((T.scalar(), None, None), "input must be an array, not a scalar"),
                      ((a, None, 2), "index of the transformed axis must be a scalar not "
                                     "smaller than 0"),
                      ((a, 0, 1), "length of the transformed axis must be a strictly positive"),
                      ((a, 2.0, 1), "length of the transformed axis must be of type integer"),
                      ((a, None, 1.0), "index of the transformed axis must be of type integer")]:
        with pytest.raises(TypeError, match="Fourier: " + msg):
            fft(*args)
    y = fft(a, None, None)
    g = y.owner.op.grad(y.owner.inputs, [y.type()])
    assert isinstance(g[0].type, NullType)
