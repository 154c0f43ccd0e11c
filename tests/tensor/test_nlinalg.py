import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano.tensor import nlinalg as N
from tests.helpers import check_grad, check_infer_shape, check_op, tensor_var

sizes = st.integers(1, 5)
float_dtypes = st.sampled_from(["float32", "float64"])
FAST = settings(max_examples=10)


def well_conditioned(n, dtype, seed=0):
    rng = np.random.default_rng(seed + n)
    return (rng.standard_normal((n, n)) + n * np.eye(n)).astype(dtype)


def spd(n, dtype, seed=0):
    rng = np.random.default_rng(seed + n)
    a = rng.standard_normal((n, n))
    return (a.dot(a.T) + n * np.eye(n)).astype(dtype)


def rect(m, n, dtype, seed=0):
    return np.random.default_rng(seed + 10 * m + n).standard_normal((m, n)).astype(dtype)


def tol(dtype):
    return 1e-3 if dtype == "float32" else 1e-8


# --------------------------------------------------------------------------- strs, types

def test_strs_and_types():
    x, fx = T.dmatrix("x"), T.fmatrix("fx")
    v = T.dvector("v")
    assert str(N.matrix_inverse(x)) == "MatrixInverse.0"
    assert str(N.pinv(x)) == "MatrixPinv.0"
    assert str(N.det(x)) == "Det.0"
    assert N.det(fx).type == T.fscalar().type
    w, vv = N.eig(x)
    assert (str(w), str(vv)) == ("Eig.0", "Eig.1")
    w, vv = N.eigh(fx)
    assert str(w) == "Eigh{UPLO='L'}.0" and w.dtype == "float32" and vv.dtype == "float32"
    assert str(N.svd(x)[0]) == "SVD{full_matrices=1, compute_uv=1}.0"
    assert str(N.svd(x, 0, 0)) == "SVD{full_matrices=0, compute_uv=0}.0"
    assert str(N.qr(x)[0]) == "QRFull{mode='reduced'}.0"
    assert str(N.qr(x, "r")) == "QRIncomplete{mode='r'}.0"
    assert N.qr(fx, "raw")[1].type == T.fvector().type
    assert str(N.diag(v)) == "AllocDiag.0"
    assert str(N.diag(x)) == "ExtractDiag{offset=0, axis1=0, axis2=1, view=False}.0"
    assert str(N.tensor_diag(v)) == "AllocDiag{offset=0, axis1=0, axis2=1}.0"
    assert str(N.tensor_diag(v, 1)) == "AllocDiag{offset=1, axis1=0, axis2=1}.0"
    assert str(N.trace(x)) == "Sum{acc_dtype=float64}.0"
    assert str(N.matrix_dot(x, x, x)) == "dot.0"
    assert str(N.tensorinv(T.dtensor4())) == "TensorInv{ind=2}.0"


@pytest.mark.parametrize("build", [N.matrix_inverse, N.pinv, N.det, N.eig, N.eigh, N.svd,
                                   N.qr])
def test_wrong_ndim_and_dtype(build):
    with pytest.raises(TypeError, match="matrix"):
        build(T.dvector())
    with pytest.raises(TypeError, match="float"):
        build(T.imatrix())


def test_diag_errors():
    with pytest.raises(TypeError, match="vector or matrix"):
        N.diag(T.dtensor3())
    with pytest.raises(ValueError, match="2 or more"):
        N.ExtractDiag()(T.dvector())
    with pytest.raises(ValueError, match="1 or more"):
        N.AllocDiag()(T.dscalar())
    with pytest.raises(ValueError, match="scalar"):
        N.tensor_diag(T.dscalar())
    with pytest.raises(TypeError, match="vectors"):
        N.alloc_diag(T.dmatrix())
    with pytest.raises(ValueError, match="mode"):
        N.qr(T.dmatrix(), "bad")
    with pytest.raises(ValueError):
        N.Eigh("X")


# --------------------------------------------------------------------------- values

@FAST
@given(sizes, float_dtypes)
def test_inverse_det_pinv(n, dtype):
    a = well_conditioned(n, dtype)
    x = tensor_var((n, n), dtype)
    t = tol(dtype)
    check_op(N.matrix_inverse, [x], [a], np.linalg.inv, rtol=t, atol=t)
    check_op(N.det, [x], [a], lambda a: np.asarray(np.linalg.det(a)), rtol=t, atol=t)
    check_op(N.pinv, [x], [a], np.linalg.pinv, rtol=t, atol=t)


@FAST
@given(sizes, sizes, float_dtypes)
def test_pinv_rect_and_svd(m, n, dtype):
    a = rect(m, n, dtype)
    x = tensor_var((m, n), dtype)
    t = tol(dtype)
    check_op(N.pinv, [x], [a], np.linalg.pinv, rtol=t, atol=t)
    s = check_op(lambda x: N.svd(x, 0, 0), [x], [a], lambda a: np.linalg.svd(a, False, False),
                 rtol=t, atol=t)
    for full in (0, 1):
        f = pytheano.function([x], N.svd(x, full))
        u, s, vt = f(a)
        assert u.dtype == s.dtype == vt.dtype == dtype
        k = min(m, n)
        np.testing.assert_allclose((u[:, :k] * s).dot(vt[:k]), a, rtol=t * 10, atol=t * 10)
        check_infer_shape(N.svd(x, full), [x], [a])


@FAST
@given(sizes, sizes, float_dtypes, st.sampled_from(["reduced", "complete", "r", "raw"]))
def test_qr(m, n, dtype, mode):
    a = rect(m, n, dtype)
    x = tensor_var((m, n), dtype)
    t = tol(dtype)
    out = N.qr(x, mode)
    got = pytheano.function([x], out)(a)
    ref = np.linalg.qr(a, mode)
    got = got if isinstance(got, list) else [got]
    ref = ref if isinstance(ref, tuple) else (ref,)
    for g, r in zip(got, ref):
        assert g.dtype == dtype
        np.testing.assert_allclose(g, r, rtol=t, atol=t)
    check_infer_shape(out if isinstance(out, list) else [out], [x], [a])


@FAST
@given(sizes, float_dtypes, st.sampled_from(["L", "U"]))
def test_eigh_eig(n, dtype, uplo):
    a = spd(n, dtype)
    x = tensor_var((n, n), dtype)
    t = tol(dtype) * 10
    w, v = pytheano.function([x], N.eigh(x, uplo))(a)
    assert w.dtype == v.dtype == dtype
    np.testing.assert_allclose(w, np.linalg.eigvalsh(a), rtol=t, atol=t)
    np.testing.assert_allclose((v * w).dot(v.T), a, rtol=t, atol=t * n)
    check_infer_shape(N.eigh(x, uplo), [x], [a])
    w, v = pytheano.function([x], N.eig(x))(a)
    assert w.dtype == v.dtype == dtype
    np.testing.assert_allclose(np.sort(w), np.linalg.eigvalsh(a), rtol=t, atol=t)
    check_infer_shape(N.eig(x), [x], [a])


def test_eig_complex_eigenvalues_raise():
    x = T.dmatrix()
    f = pytheano.function([x], N.eig(x))
    with pytest.raises(ValueError, match="complex eigenvalues"):
        f(np.array([[0., -1.], [1., 0.]]))


@FAST
@given(st.integers(1, 5), st.integers(1, 5), st.integers(-3, 3), float_dtypes)
def test_extract_alloc_diag(m, n, k, dtype):
    a = rect(m, n, dtype)
    x = tensor_var((m, n), dtype)
    check_op(lambda x: N.tensor_diag(x, k), [x], [a], lambda a: np.diag(a, k).copy())
    check_op(lambda x: N.diagonal(x, k, 1, 0), [x], [a], lambda a: np.diagonal(a, k, 1, 0))
    v = a[0]
    xv = tensor_var((n,), dtype)
    check_op(lambda x: N.tensor_diag(x, k), [xv], [v], lambda v: np.diag(v, k))
    check_op(N.diag, [xv], [v], np.diag)
    check_op(N.diag, [x], [a], np.diag)
    check_op(N.trace, [tensor_var((m, n), dtype)], [a], lambda a: np.asarray(np.trace(a)),
             check_dtype=False)


def test_diag_3d():
    a = np.arange(24.).reshape(2, 3, 4)
    x = T.dtensor3()
    check_op(lambda x: N.diagonal(x, 1, 0, 2), [x], [a], lambda a: np.diagonal(a, 1, 0, 2))
    check_op(lambda x: N.diagonal(x, -1, 2, 1), [x], [a], lambda a: np.diagonal(a, -1, 2, 1))
    # AllocDiag is the inverse of ExtractDiag on the same axes.
    d = np.arange(6.).reshape(2, 3)
    m = T.dmatrix()
    for off, a1, a2 in [(0, 0, 1), (1, 0, 2), (-1, 2, 1), (2, 1, 0)]:
        out = pytheano.function([m], N.AllocDiag(off, a1, a2)(m))(d)
        np.testing.assert_array_equal(np.diagonal(out, off, a1, a2), d)
        assert np.count_nonzero(out) == np.count_nonzero(d)
        check_infer_shape([N.AllocDiag(off, a1, a2)(m)], [m], [d])


def test_matrix_dot_power_norm():
    a = well_conditioned(3, "float64")
    x = T.dmatrix()
    check_op(lambda x: N.matrix_dot(x, x.T, x), [x], [a], lambda a: a.dot(a.T).dot(a))
    for p in (0, 1, 3, -2):
        check_op(lambda x, p=p: N.matrix_power(x, p), [x], [a],
                 lambda a, p=p: np.linalg.matrix_power(a, p), rtol=1e-8, atol=1e-8)
    with pytest.raises(TypeError):
        N.matrix_power(T.dvector(), 2)
    for o in (None, "fro", 1, -1):
        check_op(lambda x, o=o: N.norm(x, o), [x], [a],
                 lambda a, o=o: np.asarray(np.linalg.norm(a, o)))
    check_op(lambda x: N.norm(x, "inf"), [x], [a],
             lambda a: np.asarray(np.linalg.norm(a, np.inf)))
    v = a[0]
    xv = T.dvector()
    for o in (None, 1, 3):
        check_op(lambda x, o=o: N.norm(x, o), [xv], [v],
                 lambda v, o=o: np.asarray(np.linalg.norm(v, o)))
    check_op(lambda x: N.norm(x, "-inf"), [xv], [v],
             lambda v: np.asarray(np.linalg.norm(v, -np.inf)))
    with pytest.raises(ValueError):
        N.norm(x, 2)
    with pytest.raises(NotImplementedError):
        N.norm(T.dtensor3(), None)


def test_tensorinv_tensorsolve():
    rng = np.random.default_rng(3)
    a4 = (np.eye(24) + 0.1 * rng.standard_normal((24, 24))).reshape(4, 6, 8, 3)
    x4 = T.dtensor4()
    check_op(lambda x: N.tensorinv(x, 2), [x4], [a4], lambda a: np.linalg.tensorinv(a, 2),
             rtol=1e-8, atol=1e-8)
    b = rng.standard_normal((4, 6))
    bm = T.dmatrix()
    check_op(N.tensorsolve, [x4, bm], [a4, b], np.linalg.tensorsolve, rtol=1e-8, atol=1e-8)
    check_op(lambda a, b: N.tensorsolve(a, b, (1,)), [T.dtensor4(), T.dmatrix()],
             [np.transpose(a4, (0, 2, 1, 3)).copy().reshape(4, 8, 6, 3), b],
             lambda a, b: np.linalg.tensorsolve(a, b, (1,)), rtol=1e-8, atol=1e-8)
    with pytest.raises(ValueError):
        N.tensorsolve(T.dvector(), T.dmatrix())


# --------------------------------------------------------------------------- gradients

@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_grads(dtype):
    a = well_conditioned(3, dtype)
    check_grad(N.matrix_inverse, [a])
    check_grad(N.det, [a])
    check_grad(N.trace, [a])
    check_grad(lambda x: N.diag(x), [rect(3, 4, dtype)])
    check_grad(lambda x: N.diagonal(x, 1, 1, 0), [rect(3, 4, dtype)])
    check_grad(lambda v: N.diag(v), [rect(1, 4, dtype)[0]])
    check_grad(lambda v: N.tensor_diag(v, -2), [rect(1, 4, dtype)[0]])
    check_grad(lambda m: N.AllocDiag(1, 2, 0)(m), [rect(2, 3, dtype)])
    check_grad(N.pinv, [rect(3, 2, "float64")])


def test_eigh_grad():
    a = spd(4, "float64")
    for uplo in ("L", "U"):
        check_grad(lambda x, uplo=uplo: N.eigh(x, uplo)[0], [a])
        check_grad(lambda x, uplo=uplo: N.eigh(x, uplo)[1], [a])
        # Symmetrized input: the gradient through both triangles.
        check_grad(lambda x, uplo=uplo: N.eigh(x + x.T, uplo)[1], [a])


def test_inverse_rop():
    a = well_conditioned(3, "float64")
    ev = rect(3, 3, "float64", seed=7)
    x, v = T.dmatrix(), T.dmatrix()
    from pytheano.gradient import Rop

    r = pytheano.function([x, v], Rop(N.matrix_inverse(x), x, v))(a, ev)
    ai = np.linalg.inv(a)
    np.testing.assert_allclose(r, -ai.dot(ev).dot(ai), rtol=1e-10, atol=1e-10)


def test_extract_diag_grad_3d_not_implemented():
    from pytheano.gradient import NullTypeGradError

    x = T.dtensor3()
    with pytest.raises(NullTypeGradError):
        pytheano.grad(N.diagonal(x).sum(), x)


def test_lstsq_theano_values():
    # Types and values recorded from Theano 1.0.5 (whose solution for a vector b is a
    # vector though it declares a matrix; here the type says vector).
    x, b, bm = T.matrix(), T.vector(), T.matrix()
    outs = N.lstsq()(x, b, -1)
    assert [str(o.type) for o in outs] == ["TensorType(float64, vector)",
                                           "TensorType(float64, vector)",
                                           "TensorType(int64, scalar)",
                                           "TensorType(float64, vector)"]
    assert str(outs[0].owner.op) == "lstsq"
    a = np.array([[1.0, 0], [1, 1], [1, 2]])
    sol, res, rank, sv = pytheano.function([x, b], outs)(a, np.array([1.0, 2, 2.9]))
    np.testing.assert_allclose(sol, [1.01666667, 0.95], rtol=1e-7)
    np.testing.assert_allclose(res, [0.00166667], rtol=1e-5)
    assert rank == 2 and rank.dtype == "int64"
    np.testing.assert_allclose(sv, [2.6762432, 0.91527173], rtol=1e-7)
    sol = pytheano.function([x, bm], N.lstsq()(x, bm, -1)[0])(
        a, np.array([[1.0, 0], [2, 1], [2.9, 2]]))
    np.testing.assert_allclose(sol, [[1.01666667, 0.0], [0.95, 1.0]], rtol=1e-7, atol=1e-12)
    ref = np.linalg.lstsq(a, np.array([1.0, 2, 2.9]), rcond=None)
    got = pytheano.function([x, b], N.lstsq()(x, b, 1e-15))(
        a, np.array([1.0, 2, 2.9]))
    np.testing.assert_allclose(got[0], ref[0])
