import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano.tensor import slinalg as S
from tests.helpers import check_grad, check_infer_shape, check_op, tensor_var

sizes = st.integers(1, 5)
float_dtypes = st.sampled_from(["float32", "float64"])
FAST = settings(max_examples=10)


def spd(n, dtype, seed=0):
    rng = np.random.default_rng(seed + n)
    a = rng.standard_normal((n, n))
    return (a.dot(a.T) + n * np.eye(n)).astype(dtype)


def well_conditioned(n, dtype, seed=0):
    rng = np.random.default_rng(seed + n)
    return (rng.standard_normal((n, n)) + n * np.eye(n)).astype(dtype)


def rect(m, n, dtype, seed=0):
    return np.random.default_rng(seed + 10 * m + n).standard_normal((m, n)).astype(dtype)


def tol(dtype):
    return 1e-3 if dtype == "float32" else 1e-8


def test_strs_and_types():
    x, fx, ix = T.dmatrix("x"), T.fmatrix("fx"), T.imatrix("ix")
    assert str(S.cholesky(x)) == "Cholesky{lower=True, destructive=False, on_error='raise'}.0"
    assert S.cholesky(fx).dtype == "float32"
    assert str(S.solve(x, T.dvector())) == ("Solve{A_structure='general', lower=False, "
                                            "overwrite_A=False, overwrite_b=False}.0")
    assert repr(S.solve) == "Solve{('general', False, False, False)}"
    assert str(S.solve_lower_triangular(x, x)).startswith(
        "Solve{A_structure='lower_triangular', lower=True")
    assert S.solve(fx, T.fvector()).type == T.fvector().type
    assert S.solve(ix, T.dvector()).dtype == "float64"
    assert S.solve(ix, ix).dtype == "float64"
    assert str(S.expm(x)) == "Expm.0" and S.expm(fx).dtype == "float32"
    assert str(S.kron(x, x)) == "Reshape{2}.0"
    assert str(S.eigvalsh(x, T.NoneConst)) == "Eigvalsh{lower=True}.0"


def test_errors():
    with pytest.raises(TypeError, match="2 dimensions"):
        S.cholesky(T.dvector())
    with pytest.raises(TypeError, match="float"):
        S.cholesky(T.imatrix())
    with pytest.raises(ValueError, match="on_error"):
        S.Cholesky(on_error="ignore")
    with pytest.raises(TypeError, match="vector or a matrix"):
        S.solve(T.dmatrix(), T.dtensor3())
    with pytest.raises(TypeError, match="A must have 2"):
        S.solve(T.dvector(), T.dvector())
    with pytest.raises(ValueError, match="structure"):
        S.Solve("weird")
    with pytest.raises(TypeError, match="sum to 3"):
        S.kron(T.dvector(), T.dvector())
    with pytest.raises(TypeError, match="float"):
        S.expm(T.imatrix())
    x = T.dmatrix()
    f = pytheano.function([x], S.cholesky(x))
    with pytest.raises(scipy.linalg.LinAlgError):
        f(-np.eye(2))
    g = pytheano.function([x], S.Cholesky(on_error="nan")(x))
    assert np.isnan(g(-np.eye(2))).all()


@FAST
@given(sizes, float_dtypes, st.booleans())
def test_cholesky(n, dtype, lower):
    a = spd(n, dtype)
    x = tensor_var((n, n), dtype)
    t = tol(dtype)
    check_op(S.Cholesky(lower=lower), [x], [a],
             lambda a: scipy.linalg.cholesky(a, lower=lower), rtol=t, atol=t)


@FAST
@given(sizes, st.integers(0, 3), float_dtypes,
       st.sampled_from(["general", "lower_triangular", "upper_triangular", "symmetric"]))
def test_solve(n, k, dtype, structure):
    a = well_conditioned(n, dtype)
    if structure == "lower_triangular":
        a = np.tril(a)
    elif structure == "upper_triangular":
        a = np.triu(a)
    elif structure == "symmetric":
        a = spd(n, dtype)
    b = rect(n, k, dtype) if k else rect(1, n, dtype)[0]
    A = tensor_var((n, n), dtype)
    B = tensor_var(b.shape, dtype)
    op = S.Solve(structure, lower=structure == "lower_triangular")
    t = tol(dtype) * 10
    check_op(op, [A, B], [a, b], lambda a, b: np.linalg.solve(a, b), rtol=t, atol=t)


def test_solve_int_inputs():
    A, b = T.imatrix(), T.ivector()
    a = np.array([[2, 1], [1, 3]], dtype="int32")
    bv = np.array([1, 2], dtype="int32")
    check_op(S.solve, [A, b], [a, bv], lambda a, b: np.linalg.solve(a, b))


def test_solve_named_instances():
    a = well_conditioned(4, "float64")
    b = rect(4, 2, "float64")
    A, B = T.dmatrix(), T.dmatrix()
    for op, aa in [(S.solve_lower_triangular, np.tril(a)),
                   (S.solve_upper_triangular, np.triu(a)),
                   (S.solve_symmetric, spd(4, "float64"))]:
        got = pytheano.function([A, B], op(A, B))(aa, b)
        np.testing.assert_allclose(aa.dot(got), b, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_cholesky_grad(dtype):
    a = spd(4, dtype)
    # Symmetrize so that the finite differences stay on positive definite matrices.
    check_grad(lambda x: S.cholesky((x + x.T) / 2), [a])
    check_grad(lambda x: S.Cholesky(lower=False)((x + x.T) / 2), [a])


def test_cholesky_grad_nan_mode():
    a = spd(3, "float64")
    check_grad(lambda x: S.Cholesky(on_error="nan")((x + x.T) / 2), [a])
    x = T.dmatrix()
    g = pytheano.function([x], pytheano.grad(S.Cholesky(on_error="nan")(x).sum(), x))
    assert np.isnan(g(-np.eye(2))).all()


def test_cholesky_grad_op():
    a = spd(4, "float64")
    x = T.dmatrix()
    for lower in (True, False):
        L = S.Cholesky(lower=lower)(x)
        gz = T.dmatrix()
        dz = rect(4, 4, "float64", seed=5)
        smith = pytheano.function([x, gz], S.CholeskyGrad(lower)(x, L, gz))(a, dz)
        murray = pytheano.function([x, gz], pytheano.grad((L * gz).sum(), x))(a, dz)
        np.testing.assert_allclose(smith, murray, rtol=1e-8, atol=1e-8)
        check_infer_shape([S.CholeskyGrad(lower)(x, L, gz)], [x, gz], [a, dz])
    with pytest.raises(ValueError, match="mismatch"):
        S.CholeskyGrad(False)(x, S.cholesky(x), x)


@pytest.mark.parametrize("structure", ["general", "lower_triangular", "upper_triangular",
                                       "symmetric"])
def test_solve_grad(structure):
    a = well_conditioned(3, "float64")
    b = rect(3, 2, "float64")
    if structure == "symmetric":
        a = spd(3, "float64")
    low = structure == "lower_triangular"
    op = S.Solve(structure, lower=low)
    if structure == "lower_triangular":
        check_grad(lambda A, B: op(T.tril(A), B), [a, b])
        check_grad(lambda A, B: op(T.tril(A), B), [a, b[:, 0]])
    elif structure == "upper_triangular":
        check_grad(lambda A, B: op(T.triu(A), B), [a, b])
    elif structure == "symmetric":
        check_grad(lambda A, B: op((A + A.T) / 2, B), [a, b])
    else:
        check_grad(op, [a, b])
        check_grad(op, [a, b[:, 0]])


def test_eigvalsh():
    a = spd(4, "float64")
    b = spd(4, "float64", seed=3)
    A, B = T.dmatrix(), T.dmatrix()
    check_op(lambda a: S.eigvalsh(a, None), [A], [a], lambda a: scipy.linalg.eigvalsh(a))
    check_op(S.eigvalsh, [A, B], [a, b], lambda a, b: scipy.linalg.eigvalsh(a, b))
    check_grad(lambda a: S.eigvalsh((a + a.T) / 2, None), [a])
    check_grad(lambda a, b: S.eigvalsh((a + a.T) / 2, (b + b.T) / 2), [a, b])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_expm(dtype):
    a = (rect(3, 3, dtype) * 0.5).astype(dtype)
    A = T.matrix(dtype=dtype)
    t = tol(dtype)
    check_op(S.expm, [A], [a], scipy.linalg.expm, rtol=t, atol=t)
    check_grad(S.expm, [a])
    # Repeated eigenvalues (the identity): the gradient is still finite.
    g = pytheano.function([A], pytheano.grad(S.expm(A).sum(), A))(np.eye(3, dtype=dtype))
    np.testing.assert_allclose(g, np.e * np.ones((3, 3)), rtol=t * 10)


def test_kron():
    a, b = rect(2, 3, "float64"), rect(4, 2, "float64", seed=1)
    x, y = T.dmatrix(), T.dmatrix()
    check_op(S.kron, [x, y], [a, b], lambda a, b: np.kron(a, b))
    v = rect(1, 3, "float64")[0]
    xv = T.dvector()
    check_op(S.kron, [xv, y], [v, b],
             lambda v, b: np.outer(v, b).reshape(v.shape + b.shape).transpose(1, 0, 2).ravel())
    t3 = rect(2, 6, "float64").reshape(2, 3, 2)
    x3 = T.dtensor3()
    check_op(S.kron, [x, x3], [a, t3],
             lambda a, t: np.einsum("ij,klm->ikjlm", a, t).reshape(4, 9, 2))
    check_grad(S.kron, [a, b])
