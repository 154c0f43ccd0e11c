"""``theano.sandbox.linalg`` (pytheano/sandbox/linalg): the old import path of the linear
algebra ops and ``spectral_radius_bound`` (values and errors as Theano 1.0.5's)."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.sandbox import linalg
from pytheano.sandbox.linalg import ops
from pytheano.tensor import nlinalg, slinalg


def test_names_are_the_tensor_ops():
    for name in ("matrix_inverse", "diag", "extract_diag", "alloc_diag", "det", "eig", "eigh",
                 "trace"):
        assert getattr(linalg, name) is getattr(nlinalg, name)
    for name in ("cholesky", "solve", "eigvalsh"):
        assert getattr(linalg, name) is getattr(slinalg, name)
    assert ops.Solve is slinalg.Solve and ops.Cholesky is slinalg.Cholesky
    assert ops.imported_scipy


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_spectral_radius_bound(dtype):
    x = T.matrix("x", dtype=dtype)
    f = pytheano.function([x], linalg.spectral_radius_bound(x, 5))
    m = np.cov(np.random.default_rng(2).random((3, 4))).astype(dtype)
    got = f(m)
    assert got.dtype == dtype
    want = np.trace(np.linalg.matrix_power(m.astype("float64"), 32)) ** (2.0 ** -5)
    np.testing.assert_allclose(got, want, rtol=1e-5 if dtype == "float32" else 1e-12)
    # an upper bound on the eigenvalues
    assert np.linalg.eigvalsh(m).max() <= got * (1 + 1e-6)


def test_spectral_radius_bound_errors():
    with pytest.raises(TypeError, match="requires a matrix argument"):
        linalg.spectral_radius_bound(T.vector(), 5)
    with pytest.raises(TypeError, match="requires an integer exponent"):
        linalg.spectral_radius_bound(T.matrix(), 5.0)
    with pytest.raises(ValueError, match="requires a strictly positive exponent"):
        linalg.spectral_radius_bound(T.matrix(), -5)
