"""Sparse products (pytheano/sparse/dot.py) against scipy.sparse / numpy."""
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st

import pytheano
import pytheano.sparse as S
import pytheano.tensor as T
from tests.sparse.sparse_checks import (check_sparse_op, random_sparse, sparse_matrices,
                                        sparse_var)

RNG = np.random.default_rng(0)


def _grad(op, values, structured=False, **kwargs):
    S.verify_grad_sparse(op, values, structured, rng=np.random.default_rng(1), **kwargs)


@given(sparse_matrices(shape=(3, 4)), st.integers(1, 4), st.sampled_from(["float32", "float64"]))
def test_structured_dot_sparse_dense(a, n, dtype):
    b = RNG.uniform(-1, 1, (4, n)).astype(dtype)
    out = check_sparse_op(S.structured_dot, [a, b], lambda u, v: u @ v, rtol=1e-4, atol=1e-5)
    assert isinstance(out, np.ndarray)
    check_sparse_op(lambda u, v: S.structured_dot(v.T, u.T), [a, b], lambda u, v: (u @ v).T,
                    rtol=1e-4, atol=1e-5)


@given(sparse_matrices(shape=(3, 4)), sparse_matrices(shape=(4, 2)))
def test_structured_dot_sparse_sparse(a, b):
    out = check_sparse_op(S.structured_dot, [a, b], lambda u, v: (u @ v).toarray(),
                          rtol=1e-4, atol=1e-5)
    assert sp.issparse(out) and out.format == a.format


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_structured_dot_gradient(fmt):
    a = random_sparse((3, 4), fmt, seed=1)
    _grad(S.structured_dot, [a, RNG.uniform(size=(4, 2))], structured=True)


@pytest.mark.parametrize("op", [S.sdg_csc, S.sdg_csr])
def test_structured_dot_grad_ops(op):
    fmt = "csc" if op is S.sdg_csc else "csr"
    a, b, g = random_sparse((3, 4), fmt, seed=2), RNG.uniform(size=(4, 2)), RNG.uniform(size=(3, 2))
    got = pytheano.function([], op(a.indices, a.indptr, b, g))()
    full = g @ b.T  # the dense gradient; the structured one is it at a's entries
    coo = a.tocoo()
    want = sp.coo_matrix((full[coo.row, coo.col], (coo.row, coo.col)), shape=a.shape)
    np.testing.assert_allclose(sp.csr_matrix((got, a.indices, a.indptr), a.shape).toarray()
                               if fmt == "csr" else
                               sp.csc_matrix((got, a.indices, a.indptr), a.shape).toarray(),
                               want.toarray())


@given(sparse_matrices(shape=(3, 4)))
def test_dot_with_matrices_and_vectors(a):
    m, v, w = RNG.uniform(size=(4, 2)), RNG.uniform(size=4), RNG.uniform(size=3)
    check_sparse_op(S.dot, [a, m], lambda u, x: u @ x)
    check_sparse_op(S.dot, [a, v], lambda u, x: u @ x)
    check_sparse_op(lambda u, x: S.dot(x, u), [a, w], lambda u, x: x @ u)
    check_sparse_op(lambda u, x: S.dot(x, u), [a, RNG.uniform(size=(2, 3))],
                    lambda u, x: x @ u)
    check_sparse_op(lambda u: S.dot(u, u.T), [a], lambda u: (u @ u.T).toarray())


def test_dot_type_and_errors():
    x = S.csr_matrix()
    out = S.dot(x, T.dmatrix())
    assert out.type == T.dmatrix and str(out.owner.op) == "SparseDot"
    assert S.dot(T.TensorType("float64", (True, False))(), S.csc_matrix()).broadcastable \
        == (True, False)
    with pytest.raises(TypeError, match="at least one sparse"):
        S.dot(T.dmatrix(), T.dmatrix())
    with pytest.raises(TypeError, match="must have ndim of 1 or 2"):
        S.Dot()(x, T.tensor3())


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_dot_gradient(fmt):
    a = random_sparse((3, 4), fmt, seed=3)
    _grad(S.dot, [a, RNG.uniform(size=(4, 2))])
    _grad(lambda x, y: S.dot(y, x), [a, RNG.uniform(size=(2, 3))])


@given(sparse_matrices(shape=(3, 4), dtypes=("float64",)))
def test_true_dot(a):
    b = random_sparse((4, 2), "csr", seed=4)
    out = check_sparse_op(S.true_dot, [a, b], lambda u, v: (u @ v).toarray())
    assert sp.issparse(out) and out.format == a.format
    m = RNG.uniform(size=(4, 2))
    out = check_sparse_op(S.true_dot, [a, m], lambda u, v: u @ v)
    assert sp.issparse(out)


def test_true_dot_gradient():
    a = random_sparse((3, 4), "csr", seed=5)
    _grad(S.true_dot, [a, random_sparse((4, 2), "csr", seed=6)])


@given(sparse_matrices(shape=(3, 5)))
def test_sampling_dot(p):
    x, y = RNG.uniform(size=(3, 2)), RNG.uniform(size=(5, 2))
    out = check_sparse_op(S.sampling_dot, [x, y, p], lambda u, v, w: w.multiply(u @ v.T))
    assert out.format == p.format and out.nnz <= p.nnz


def test_sampling_dot_gradient():
    p = random_sparse((3, 5), "csr", seed=7)
    S.verify_grad_sparse(lambda x, y: S.sampling_dot(x, y, p),
                         [RNG.uniform(size=(3, 2)), RNG.uniform(size=(5, 2))],
                         rng=np.random.default_rng(1))


@given(sparse_matrices(shape=(3, 4)), st.booleans())
def test_usmm(a, sparse_second):
    z, alpha = RNG.uniform(size=(3, 2)), np.asarray(1.5)
    b = random_sparse((4, 2), "csc", seed=8) if sparse_second else RNG.uniform(size=(4, 2))
    values = [alpha, a, b, z]
    inputs = [T.dscalar()] + [sparse_var(v) for v in values[1:]]
    f = pytheano.function(inputs, S.usmm(*inputs))
    want = z + 1.5 * np.asarray((a @ b).toarray() if sp.issparse(a @ b) else a @ b)
    np.testing.assert_allclose(f(*values), want)
    assert str(S.usmm) == "Usmm{no_inplace}"
