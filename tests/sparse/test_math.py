"""Sparse arithmetic, comparisons, sums and structured functions (pytheano/sparse/math.py)
against scipy.sparse / numpy."""
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
SHAPE = (3, 4)


def _grad(op, values, structured=False, **kwargs):
    S.verify_grad_sparse(op, values, structured, rng=np.random.default_rng(1), **kwargs)


def _dense(shape=SHAPE, dtype="float64"):
    return RNG.uniform(-2, 2, shape).astype(dtype)


@given(sparse_matrices(shape=SHAPE), sparse_matrices(shape=SHAPE))
def test_add_and_sub_sparse_sparse(a, b):
    out = check_sparse_op(lambda x, y: x + y, [a, b], lambda u, v: u + v)
    assert out.format == a.format
    check_sparse_op(lambda x, y: x - y, [a, b], lambda u, v: u - v)


@given(sparse_matrices(shape=SHAPE), st.sampled_from(["float32", "float64"]))
def test_add_sparse_dense_both_orders(a, dtype):
    d = _dense(dtype=dtype)
    out = check_sparse_op(lambda x, y: x + y, [a, d], lambda u, v: u.toarray() + v)
    assert isinstance(out, np.ndarray)
    check_sparse_op(lambda x, y: y + x, [a, d], lambda u, v: u.toarray() + v)
    check_sparse_op(lambda x, y: x - y, [a, d], lambda u, v: u.toarray() - v)


@given(sparse_matrices(shape=SHAPE))
def test_add_s_s_data(a):
    b = a.copy()
    b.data = b.data * 3
    out = check_sparse_op(S.add_s_s_data, [a, b], lambda u, v: u.toarray() * 4)
    assert out.nnz == a.nnz


def test_add_refuses_two_dense_operands():
    with pytest.raises(TypeError, match="at least one sparse operand"):
        S.add(T.dmatrix(), T.dmatrix())


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_add_gradients(fmt):
    a, b = random_sparse(SHAPE, fmt, seed=1), random_sparse(SHAPE, fmt, seed=2)
    _grad(S.add, [a, b])
    # The gradient of the sparse operand of sparse + dense is structured (as in Theano).
    _grad(S.add, [a, _dense()], structured=True)
    _grad(S.add_s_s_data, [a, a * 2], structured=True)


@given(sparse_matrices(shape=SHAPE), sparse_matrices(shape=SHAPE))
def test_mul_sparse_sparse(a, b):
    check_sparse_op(lambda x, y: x * y, [a, b], lambda u, v: u.multiply(v).toarray())


@given(sparse_matrices(shape=SHAPE), st.sampled_from(["float32", "float64"]))
def test_mul_sparse_dense(a, dtype):
    d = _dense(dtype=dtype)
    out = check_sparse_op(lambda x, y: x * y, [a, d], lambda u, v: u.toarray() * v)
    assert sp.issparse(out) and out.format == a.format
    check_sparse_op(lambda x, y: y * x, [a, d], lambda u, v: u.toarray() * v)
    check_sparse_op(lambda x: x * 2.5, [a], lambda u: u.toarray() * 2.5)


@given(sparse_matrices(shape=SHAPE, dtypes=("float64",)))
def test_mul_s_v_and_structured_add_s_v(a):
    v = RNG.uniform(-2, 2, SHAPE[1])
    check_sparse_op(S.mul_s_v, [a, v], lambda u, w: u.toarray() * w)
    pattern = a.toarray() != 0
    check_sparse_op(S.structured_add_s_v, [a, v], lambda u, w: u.toarray() + pattern * w)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_mul_gradients(fmt):
    a, b = random_sparse(SHAPE, fmt, seed=3), random_sparse(SHAPE, fmt, seed=4)
    # Structured gradients: each keeps its input's sparsity pattern (as in Theano).
    _grad(S.mul, [a, b], structured=True)
    _grad(S.mul, [a, _dense()], structured=True)
    v = RNG.uniform(-2, 2, SHAPE[1])
    _grad(S.mul_s_v, [a, v], structured=True)
    _grad(S.structured_add_s_v, [a, v], structured=True)


COMPARISONS = [(S.eq, np.equal), (S.neq, np.not_equal), (S.lt, np.less), (S.gt, np.greater),
               (S.le, np.less_equal), (S.ge, np.greater_equal)]


@pytest.mark.parametrize("op, ref", COMPARISONS)
@given(a=sparse_matrices(shape=SHAPE, dtypes=("float64",)))
def test_comparisons(op, ref, a):
    b = random_sparse(SHAPE, a.format, seed=5)
    b.data = np.round(b.data)
    d = np.round(_dense())
    out = check_sparse_op(op, [a, b], lambda u, v: ref(u.toarray(), v.toarray()).astype("uint8"))
    assert out.dtype == "uint8"
    check_sparse_op(op, [a, d], lambda u, v: ref(u.toarray(), v).astype("uint8"))
    check_sparse_op(lambda x, y: op(y, x), [a, d],
                    lambda u, v: ref(v, u.toarray()).astype("uint8"))


def test_comparison_operators_of_variables():
    a, b = random_sparse(SHAPE, "csr", seed=1), random_sparse(SHAPE, "csr", seed=2)
    x, y = S.csr_matrix(), S.csr_matrix()
    f = pytheano.function([x, y], [x < y, x <= y, x > y, x >= y])
    for got, ref in zip(f(a, b), [np.less, np.less_equal, np.greater, np.greater_equal]):
        np.testing.assert_array_equal(got.toarray(), ref(a.toarray(), b.toarray()))


@given(sparse_matrices(formats=("csc", "csr"), shape=SHAPE))
def test_col_and_row_scale(a):
    cols, rows = RNG.uniform(-2, 2, SHAPE[1]), RNG.uniform(-2, 2, SHAPE[0])
    check_sparse_op(lambda x, s: S.col_scale(x, s), [a, cols], lambda u, s: u.toarray() * s)
    check_sparse_op(lambda x, s: S.row_scale(x, s), [a, rows],
                    lambda u, s: u.toarray() * s[:, None])


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_scale_gradients(fmt):
    a = random_sparse(SHAPE, fmt, seed=6)
    _grad(S.col_scale, [a, RNG.uniform(size=SHAPE[1])], structured=True)
    _grad(S.row_scale, [a, RNG.uniform(size=SHAPE[0])], structured=True)


@pytest.mark.parametrize("axis", [None, 0, 1])
@given(a=sparse_matrices())
def test_sp_sum(axis, a):
    out = check_sparse_op(lambda x: S.sp_sum(x, axis), [a],
                          lambda u: np.asarray(u.toarray().sum(axis), dtype=u.dtype))
    assert out.ndim == (0 if axis is None else 1)


@pytest.mark.parametrize("axis", [None, 0, 1])
@pytest.mark.parametrize("sparse_grad", [True, False])
def test_sp_sum_gradient(axis, sparse_grad):
    a = random_sparse(SHAPE, "csr", seed=7)
    _grad(lambda x: S.sp_sum(x, axis, sparse_grad), [a], structured=sparse_grad)


def test_sp_sum_refuses_bad_axis():
    with pytest.raises(ValueError, match="Illegal value for self.axis."):
        S.SpSum(2)


STRUCTURED = [
    (S.structured_sigmoid, lambda v: 1 / (1 + np.exp(-v))), (S.structured_exp, np.exp),
    (S.structured_log, np.log), (S.sin, np.sin), (S.tan, np.tan), (S.arcsin, np.arcsin),
    (S.arctan, np.arctan), (S.sinh, np.sinh), (S.arcsinh, np.arcsinh), (S.tanh, np.tanh),
    (S.arctanh, np.arctanh), (S.rint, np.rint), (S.sgn, np.sign), (S.ceil, np.ceil),
    (S.floor, np.floor), (S.log1p, np.log1p), (S.expm1, np.expm1), (S.deg2rad, np.deg2rad),
    (S.rad2deg, np.rad2deg), (S.trunc, np.trunc), (S.sqr, np.square), (S.sqrt, np.sqrt),
    (S.conj, np.conj)]


@pytest.mark.parametrize("op, ref", STRUCTURED, ids=[f.__qualname__ for f, _ in STRUCTURED])
@given(a=sparse_matrices(positive=True))
def test_structured_functions_apply_to_stored_values(op, ref, a):
    a = a.copy()
    a.data = a.data / 4  # in (0, 1): the domain of every function here
    out = check_sparse_op(op, [a], lambda u: _on_stored(u, ref), rtol=1e-5, atol=1e-6)
    assert out.nnz == a.nnz and out.format == a.format


def _on_stored(u, f):
    out = u.copy()
    out.data = f(out.data).astype(u.dtype)
    return out


@pytest.mark.parametrize("op, ref", [(S.structured_pow, np.power),
                                     (S.structured_minimum, np.minimum),
                                     (S.structured_maximum, np.maximum),
                                     (S.structured_add, np.add)])
def test_structured_binary_functions(op, ref):
    a = random_sparse(SHAPE, "csr", seed=8, low=0.1)
    check_sparse_op(lambda x: op(x, 2.0), [a], lambda u: _on_stored(u, lambda d: ref(d, 2.0)))


@pytest.mark.parametrize("op", [S.structured_exp, S.sin, S.sqr, S.tanh],
                         ids=lambda f: f.__qualname__)
def test_structured_function_gradients(op):
    _grad(op, [random_sparse(SHAPE, "csc", seed=9, low=0.1)], structured=True)


def test_structured_function_names():
    # Theano's names: the scalar op's (rint is renamed).
    assert S.structured_sigmoid.__name__ == "scalar_sigmoid"
    assert S.structured_exp.__name__ == "exp" and S.rint.__name__ == "rint"
    assert dense(pytheano.function([x := S.csr_matrix()], S.sqrt(x))(
        sp.csr_matrix(np.array([[4.0, 0.0]])))).tolist() == [[2.0, 0.0]]
