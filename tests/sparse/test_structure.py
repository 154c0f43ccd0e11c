"""The structural sparse ops (pytheano/sparse/structure.py) against scipy.sparse."""
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st

import pytheano
import pytheano.sparse as S
import pytheano.tensor as T
from tests.sparse.sparse_checks import (check_sparse_op, dense, random_sparse,
                                        sparse_matrices)

RNG = np.random.default_rng(0)


def _grad(op, values, structured=False, **kwargs):
    S.verify_grad_sparse(op, values, structured, rng=np.random.default_rng(1), **kwargs)


@given(sparse_matrices())
def test_csm_properties_and_csm_round_trip(m):
    def build(x):
        data, indices, indptr, shape = S.csm_properties(x)
        return S.CSM(x.format)(data * 2, indices, indptr, shape)
    out = check_sparse_op(build, [m], lambda v: v * 2)
    assert out.nnz == m.nnz


def test_csm_properties_values():
    m = random_sparse((4, 6), "csc", seed=3)
    f = pytheano.function([x := S.csc_matrix()], S.csm_properties(x))
    data, indices, indptr, shape = f(m)
    np.testing.assert_array_equal(data, m.data)
    np.testing.assert_array_equal(indices, m.indices)
    np.testing.assert_array_equal(indptr, m.indptr)
    np.testing.assert_array_equal(shape, [4, 6])
    assert indices.dtype == indptr.dtype == shape.dtype == np.int32


def test_csm_refuses_bad_inputs():
    with pytest.raises(TypeError, match="data argument must be a vector"):
        S.CSR(T.dmatrix(), T.ivector(), T.ivector(), T.ivector())
    with pytest.raises(TypeError, match="indices must be vector of integers"):
        S.CSR(T.dvector(), T.dvector(), T.ivector(), T.ivector())
    with pytest.raises(ValueError, match="format must be one of"):
        S.CSM("coo")


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_csm_gradient(fmt):
    m = random_sparse((3, 4), fmt, density=0.6, seed=2)
    cs = S.CSR if fmt == "csr" else S.CSC

    def f(data):
        return S.dense_from_sparse(cs(data, m.indices, m.indptr, m.shape)).sum()
    pytheano.gradient.verify_grad(f, [m.data], rng=np.random.default_rng(0))


def test_csm_grad_with_unsorted_gradient_structure():
    # The gradient arrives with other (unsorted, duplicated) indices than x's structure.
    x = sp.csr_matrix(np.array([[1.0, 0, 2], [0, 3, 0]]))
    g = sp.csr_matrix((np.array([5.0, 7.0, 1.0, 2.0]), np.array([2, 0, 2, 1]),
                       np.array([0, 3, 4])), shape=(2, 3))
    op = S.CSMGrad()
    args = [x.data, x.indices, x.indptr, np.array(x.shape, "int32"), g.data, g.indices,
            g.indptr, np.array(g.shape, "int32")]
    out = pytheano.function([], op(*[T.constant(a) for a in args]))()
    np.testing.assert_array_equal(out, [7.0, 6.0, 2.0])
    np.testing.assert_array_equal(g.data, [5.0, 7.0, 1.0, 2.0])  # inputs untouched


@given(sparse_matrices())
def test_dense_from_sparse_and_back(m):
    check_sparse_op(S.dense_from_sparse, [m], lambda v: v.toarray())
    to_sparse = S.csr_from_dense if m.format == "csr" else S.csc_from_dense
    check_sparse_op(lambda d: to_sparse(d), [m.toarray()], lambda v: v)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_conversion_gradients(fmt):
    m = random_sparse((3, 4), fmt, seed=4)
    # The default (structured) gradient is the output's gradient at the stored entries only.
    _grad(S.dense_from_sparse, [m], structured=True)
    _grad(S.DenseFromSparse(structured=False), [m])
    to_sparse = S.csr_from_dense if fmt == "csr" else S.csc_from_dense
    # No zero in d: the structured gradient of the round trip is the full one.
    pytheano.gradient.verify_grad(lambda d: S.dense_from_sparse(to_sparse(d)),
                                  [RNG.uniform(1, 2, (3, 4))], rng=np.random.default_rng(0))


def test_sparse_from_dense_of_vector_and_too_many_dims():
    out = pytheano.function([v := T.dvector()], S.csr_from_dense(v))(np.array([0.0, 2.0]))
    assert out.shape == (1, 2) and out.nnz == 1
    with pytest.raises(TypeError, match="more than 2 dimensions"):
        S.csr_from_dense(T.tensor3())


@given(sparse_matrices(dtypes=("float64", "float32", "int32")),
       st.sampled_from(["float32", "float64", "int64", "int8"]))
def test_cast(m, dtype):
    out = check_sparse_op(lambda x: S.cast(x, dtype), [m], lambda v: v.astype(dtype))
    assert out.dtype == dtype


def test_cast_gradient():
    # A float32 output needs a larger finite-difference step (as in Theano's test).
    _grad(lambda x: S.cast(x, "float32"), [random_sparse((3, 4), "csr", seed=1)], eps=1e-2)
    _grad(lambda x: S.cast(x, "float64"), [random_sparse((3, 4), "csc", "float32", seed=1)],
          eps=1e-2)


@given(sparse_matrices())
def test_transpose(m):
    out = check_sparse_op(lambda x: x.T, [m], lambda v: v.T)
    assert out.format == {"csr": "csc", "csc": "csr"}[m.format]


@given(sparse_matrices())
def test_neg(m):
    check_sparse_op(lambda x: -x, [m], lambda v: -v)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_transpose_and_neg_gradients(fmt):
    m = random_sparse((3, 4), fmt, seed=5)
    _grad(S.transpose, [m])
    _grad(S.neg, [m])


@given(sparse_matrices(shape=(5, 4)), st.integers(0, 4), st.integers(1, 5),
       st.integers(0, 3), st.integers(1, 4))
def test_getitem_2d(m, a, b, c, d):
    check_sparse_op(lambda x: x[a:b, c:d], [m], lambda v: v.toarray()[a:b, c:d])
    check_sparse_op(lambda x: x[a:b], [m], lambda v: v.toarray()[a:b])


def test_getitem_2d_with_symbolic_bounds_and_step():
    m = random_sparse((6, 5), "csr", seed=7)
    x, a, b = S.csr_matrix(), T.iscalar(), T.iscalar()
    out = pytheano.function([x, a, b], x[a:b:2, 1:])(m, 1, 6)
    np.testing.assert_array_equal(out.toarray(), m.toarray()[1:6:2, 1:])


def test_getitem_refuses_advanced_and_vector_indexing():
    x = S.csr_matrix()
    with pytest.raises(NotImplementedError, match="Theano has no sparse vector"):
        x[T.iscalar(), 1:2]
    with pytest.raises(ValueError, match="Advanced indexing is not implemented"):
        x[T.ivector(), 1:2]


@given(sparse_matrices(shape=(4, 5)), st.integers(0, 3), st.integers(0, 4))
def test_getitem_scalar(m, i, j):
    check_sparse_op(lambda x: x[i, j], [m], lambda v: v.toarray()[i, j])


@given(sparse_matrices(shape=(5, 3)), st.lists(st.integers(0, 4), min_size=1, max_size=6))
def test_getitem_list(m, rows):
    check_sparse_op(lambda x: x[rows], [m], lambda v: v.toarray()[rows])


def test_getitem_list_and_2lists_gradients():
    m = random_sparse((5, 3), "csr", seed=8, density=0.8)
    _grad(lambda x: S.get_item_list(x, [0, 3, 3]), [m])
    _grad(lambda x: S.get_item_2lists(x, [0, 4, 2], [1, 2, 0]), [m])


@given(sparse_matrices(shape=(5, 4)))
def test_getitem_2lists(m):
    rows, cols = [0, 4, 2, 2], [3, 1, 0, 0]
    check_sparse_op(lambda x: x[rows, cols], [m], lambda v: v.toarray()[rows, cols])


@given(sparse_matrices())
def test_remove0_and_clean(m):
    m = m.copy()
    if m.nnz:
        m.data[0] = 0  # an explicitly stored zero
    out = check_sparse_op(S.Remove0(), [m], lambda v: v)
    assert out.nnz == np.count_nonzero(m.toarray())
    check_sparse_op(S.clean, [m], lambda v: v)


def test_ensure_sorted_indices():
    m = sp.csr_matrix((np.array([1.0, 2.0, 3.0]), np.array([2, 0, 1]), np.array([0, 2, 3])),
                      shape=(2, 3))
    assert not m.has_sorted_indices
    out = check_sparse_op(S.ensure_sorted_indices, [m], lambda v: v)
    assert out.has_sorted_indices
    np.testing.assert_array_equal(out.indices, [0, 2, 1])
    assert not m.has_sorted_indices  # the input is not changed


@given(sparse_matrices(shape=(4, 4)))
def test_diag(m):
    check_sparse_op(S.diag, [m], lambda v: v.diagonal())


def test_diag_refuses_non_square():
    f = pytheano.function([x := S.csr_matrix()], S.diag(x))
    with pytest.raises(ValueError, match="Diag only apply on square matrix"):
        f(random_sparse((2, 3)))


@given(st.integers(1, 5))
def test_square_diagonal(n):
    v = RNG.uniform(-1, 1, n)
    out = check_sparse_op(S.square_diagonal, [v], np.diag)
    assert out.format == "csc"


def test_diag_gradients():
    _grad(S.diag, [random_sparse((3, 3), "csc", density=1.0, seed=9)])
    pytheano.gradient.verify_grad(lambda v: S.dense_from_sparse(S.square_diagonal(v)),
                                  [RNG.uniform(size=3)], rng=np.random.default_rng(0))


@given(st.lists(sparse_matrices(shape=(3, 2)), min_size=1, max_size=3),
       st.sampled_from([None, "csr", "csc"]))
def test_hstack_vstack(blocks, fmt):
    out = check_sparse_op(lambda *xs: S.hstack(xs, format=fmt), blocks,
                          lambda *vs: sp.hstack(vs).toarray(), check_dtype=True)
    assert out.format == (fmt or "csc")
    check_sparse_op(lambda *xs: S.vstack(xs, format=fmt), blocks,
                    lambda *vs: sp.vstack(vs).toarray())


def test_stack_gradients():
    a, b = random_sparse((3, 2), "csr", seed=1), random_sparse((3, 4), "csc", seed=2)
    _grad(lambda x, y: S.hstack([x, y], format="csr"), [a, b])
    _grad(lambda x, y: S.vstack([x, y.T]), [a, random_sparse((2, 2), "csc", seed=3)])
    with pytest.raises(ValueError, match="dtype must be specified"):
        S.HStack("csr")


def test_construct_sparse_from_list():
    x, values, ilist = T.dmatrix(), T.dmatrix(), T.lvector()
    out = S.construct_sparse_from_list(x, values, ilist)
    vals = RNG.uniform(size=(2, 3))
    got = pytheano.function([x, values, ilist], out)(np.zeros((4, 3)), vals, [3, 0])
    want = np.zeros((4, 3))
    want[[3, 0]] = vals
    np.testing.assert_array_equal(dense(got), want)
    with pytest.raises(TypeError, match="index must be integers"):
        S.construct_sparse_from_list(x, values, T.dvector())


def test_sparse_grad_of_rows():
    # theano.sparse_grad(m[v]): the gradient with respect to m is a csc matrix
    # (ConstructSparseFromList, reached from tensor/ through hooks.sparse_rows_grad) with
    # the same values as the dense one; repeated rows add up. Without it, the dense op.
    m, v = T.dmatrix("m"), T.ivector("v")
    dense_g = pytheano.grad((m[v] * 3).sum(), m)
    assert isinstance(dense_g.owner.op, T.AdvancedIncSubtensor1)
    for sub in (pytheano.sparse_grad(m[v]), T.AdvancedSubtensor1(sparse_grad=True)(m, v)):
        g = pytheano.grad((sub * 3).sum(), m)
        assert isinstance(g.owner.op, S.ConstructSparseFromList)
        assert g.type == S.csc_dmatrix
        f = pytheano.function([m, v], [g, dense_g])
        for rows in ([0, 2, 2], [], [1, 3, 0, 3]):
            got, want = f(RNG.uniform(size=(4, 3)), np.array(rows, dtype="int32"))
            assert sp.isspmatrix_csc(got) and got.shape == (4, 3)
            np.testing.assert_array_equal(got.toarray(), want)


def test_sparse_grad_verify_grad():
    rows = pytheano.shared(RNG.integers(0, 5, 10))
    _grad(lambda m: pytheano.sparse_grad(m[rows]) ** 2, [RNG.uniform(size=(5, 4))])


@pytest.mark.parametrize("ndim", [1, 3])
def test_sparse_grad_needs_a_matrix(ndim):
    t = T.TensorType("float64", (False,) * ndim)()
    sub = pytheano.sparse_grad(t[T.ivector()])
    with pytest.raises(TypeError, match="AdvancedSubtensor1: you can't take the sparse grad "
                       "from a tensor with ndim != 2. ndim is %d" % ndim):
        pytheano.grad(sub.sum(), t)


def test_sparse_grad_refuses_other_ops():
    with pytest.raises(AssertionError, match="sparse_grad: expected the result of x.int vector."):
        pytheano.sparse_grad(T.dmatrix()[0])
