"""SparseType, SparseVariable/SparseConstant, conversions, shared sparse variables."""
import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given

import pytheano
import pytheano.sparse as S
import pytheano.tensor as T
from pytheano.sparse.utils import hash_from_sparse
from tests.sparse.sparse_checks import random_sparse, sparse_matrices


def test_sparse_type_identity_and_str():
    t = S.SparseType("csr", "float64")
    assert t == S.SparseType("csr", np.float64) and hash(t) == hash(S.csr_dmatrix)
    assert t != S.SparseType("csc", "float64") and t != S.SparseType("csr", "float32")
    assert str(t) == repr(t) == "Sparse[float64, csr]"
    assert pickle.loads(pickle.dumps(t)) == t
    with pytest.raises(NotImplementedError, match='unsupported dtype "float16"'):
        S.SparseType("csr", "float16")
    with pytest.raises(NotImplementedError, match='unsupported format "coo"'):
        S.SparseType("coo", "float64")


@given(sparse_matrices())
def test_filter(m):
    t = S.SparseType(m.format, m.dtype)
    assert t.filter(m) is m
    other = "csc" if m.format == "csr" else "csr"
    converted = S.SparseType(other, m.dtype).filter(m)  # the format is converted
    assert converted.format == other and (converted != m).nnz == 0
    with pytest.raises(NotImplementedError, match="Expected int8 dtype"):
        S.SparseType(m.format, "int8").filter(m)
    with pytest.raises(TypeError, match="is not sparse, or not the right dtype"):
        S.SparseType(m.format, "int8").filter(m, strict=True)
    assert t.is_valid_value(m) and not t.is_valid_value(m.toarray())
    assert t.values_eq(m, m.copy()) and t.values_eq_approx(m, m + 1e-9 * (m != 0))


def test_may_share_memory():
    a = random_sparse((3, 4), "csr", seed=1)
    b = a.copy()
    assert S.SparseType.may_share_memory(a, a)
    assert not S.SparseType.may_share_memory(a, b)
    assert S.SparseType.may_share_memory(a, a.data)
    assert not S.SparseType.may_share_memory(a, np.zeros(3))


def test_constructors_and_variable_str():
    x = S.csr_matrix("x")
    assert x.type == S.SparseType("csr", pytheano.config.floatX) and x.name == "x"
    assert str(x) == repr(x) == "SparseVariable{csr,%s}" % pytheano.config.floatX
    assert S.csc_matrix(dtype="float32").type == S.csc_fmatrix
    assert isinstance(S.matrix("csc"), S.SparseVariable)
    assert x.ndim == 2 and x.format == "csr" and x.dtype == pytheano.config.floatX


def test_as_sparse_variable_and_constants():
    m = random_sparse((3, 4), "csc", seed=2)
    c = S.as_sparse_variable(m)
    assert isinstance(c, S.SparseConstant)
    assert str(c) == "SparseConstant{csc,float64,shape=(3, 4),nnz=%d}" % m.nnz
    assert c.data is not m and (c.data != m).nnz == 0
    with pytest.raises(TypeError, match="Variable type field must be a SparseType"):
        S.as_sparse_variable(T.dmatrix())
    with pytest.raises(TypeError, match="Cannot convert"):
        S.as_sparse_variable(np.zeros((2, 2)))
    assert S.as_sparse_or_tensor_variable(np.zeros((2, 2))).type == T.dmatrix
    # Equal constants are merged into one.
    x = T.dmatrix()
    f = pytheano.function([x], [S.add(S.as_sparse_variable(m), x),
                                S.add(S.as_sparse_variable(m.copy()), x)])
    assert len([n for n in f.maker.fgraph.toposort() if isinstance(n.op, S.AddSD)]) == 1


def test_variable_methods():
    m = random_sparse((3, 4), "csr", seed=3)
    x = S.csr_matrix()
    f = pytheano.function([x], [x.shape, x.size, x.toarray(), x.astype("float32"),
                                x.zeros_like(), S.sp_ones_like(x), x.T])
    shape, size, arr, cast, zeros, ones, t = f(m)
    assert tuple(shape) == (3, 4) and size == m.nnz
    np.testing.assert_array_equal(arr, m.toarray())
    assert cast.dtype == "float32" and zeros.nnz == 0 and zeros.shape == (3, 4)
    np.testing.assert_array_equal(ones.toarray(), (m.toarray() != 0).astype(float))
    assert t.format == "csc" and t.shape == (4, 3)


def test_shared_sparse_variable():
    m = random_sparse((3, 4), "csc", seed=4)
    s = S.shared(m, name="s")
    assert isinstance(s, S.sharedvar.SparseTensorSharedVariable)
    assert s.type == S.SparseType("csc", "float64") and s.format == "csc"
    assert s.get_value() is not m and (s.get_value() != m).nnz == 0
    assert S.shared(m, borrow=True).get_value(borrow=True) is m
    generic = pytheano.shared(m)
    assert isinstance(generic, S.sharedvar.SparseTensorSharedVariable)
    f = pytheano.function([], S.dense_from_sparse(s * 2), updates=[(s, s * 3)])
    np.testing.assert_allclose(f(), m.toarray() * 2)
    np.testing.assert_allclose(s.get_value().toarray(), m.toarray() * 3)
    with pytest.raises(TypeError, match="Expected a sparse matrix"):
        S.sharedvar.sparse_constructor(np.zeros((2, 2)))


def test_hash_from_sparse():
    hashes = set()
    for fmt in ("csr", "csc"):
        for data in [[[1]], [[2]], np.zeros((1, 5)), np.zeros((1, 6)),
                     np.zeros((5, 5), "uint32"), np.zeros((5, 5), "int32"),
                     np.arange(25).reshape(5, 5), np.arange(25).reshape(5, 5).T]:
            hashes.add(hash_from_sparse(getattr(sp, fmt + "_matrix")(data)))
    assert len(hashes) == 16
    m = random_sparse((5, 5), "csr", seed=5)
    assert hash_from_sparse(m[1:]) == hash_from_sparse(m[1:].copy())


def test_verify_grad_sparse_finds_a_wrong_gradient():
    class BadNeg(S.Neg):
        def grad(self, inputs, gout):
            return [gout[0]]  # the sign is wrong

    m = random_sparse((3, 4), "csr", seed=6, density=1.0)
    with pytest.raises(S.verify_grad_sparse.E_grad):
        S.verify_grad_sparse(BadNeg(), [m], rng=np.random.default_rng(0))
    S.verify_grad_sparse(S.neg, [m], rng=np.random.default_rng(0))
