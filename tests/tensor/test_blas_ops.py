"""The BLAS ops of pytheano/tensor/blas.py (Gemm, Gemv, Ger, Dot22, Dot22Scalar) and their
Theano 1.0 names in blas_c.py and blas_scipy.py: values against numpy for each dtype and
memory layout, what the in-place versions overwrite (and only that), infer_shape,
gradients, and Theano's errors for bad inputs."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano.errors import InconsistencyError
from pytheano.tensor import blas, blas_c, blas_scipy
from tests.helpers import assert_close, check_grad, check_op

PY = pytheano.Mode("py", None)
BLAS_DTYPES = ("float32", "float64", "complex64", "complex128")
DTYPES = ("float16",) + BLAS_DTYPES
TOL = {"float16": 2e-2, "float32": 1e-4, "complex64": 1e-4}


def _value(rng, shape, dtype, layout="C"):
    """A random array of ``shape`` in ``layout``: C, F (Fortran order) or S (strided: every
    other row and column of a bigger array)."""
    big = tuple(2 * d for d in shape) if layout == "S" else shape
    v = rng.standard_normal(big)
    if dtype.startswith("complex"):
        v = v + 1j * rng.standard_normal(big)
    v = np.asarray(v, dtype=dtype)
    if layout == "S":
        return v[tuple(slice(None, None, 2) for _ in shape)]
    return np.asfortranarray(v) if layout == "F" else v


def _scalar(value, dtype):
    return np.asarray(value, dtype=dtype)


def _compile(inputs, out, mutable=()):
    ins = [pytheano.In(v, mutable=v in mutable) for v in inputs]
    return pytheano.function(ins, out, mode=PY, accept_inplace=True)


def _close(got, want, dtype):
    tol = TOL.get(dtype, 1e-10)
    assert_close(got, want, rtol=tol, atol=tol)


layouts = st.sampled_from("CFS")


# --------------------------------------------------------------------------- Gemm

@settings(max_examples=40, deadline=None)
@given(dtype=st.sampled_from(DTYPES), lz=layouts, lx=layouts, ly=layouts,
       transpose_x=st.booleans(), inplace=st.booleans(), alpha=st.sampled_from([1.0, -1.0, 0.5]),
       beta=st.sampled_from([0.0, 1.0, -1.0, 2.5]))
def test_gemm_matches_numpy(dtype, lz, lx, ly, transpose_x, inplace, alpha, beta):
    rng = np.random.default_rng(0)
    z, x, y = (T.matrix(dtype=dtype) for _ in range(3))
    a, b = T.scalar(dtype=dtype), T.scalar(dtype=dtype)
    op = blas.gemm_inplace if inplace else blas.gemm_no_inplace
    f = _compile([z, a, x, y, b], op(z, a, x, y, b), mutable=[z])
    zv = _value(rng, (3, 4), dtype, lz)
    xv = _value(rng, (5, 3), dtype, lx).T if transpose_x else _value(rng, (3, 5), dtype, lx)
    yv = _value(rng, (5, 4), dtype, ly)
    z0, x0, y0 = zv.copy(), xv.copy(), yv.copy()
    want = beta * z0 + alpha * np.dot(x0, y0) if beta else alpha * np.dot(x0, y0)
    got = f(zv, _scalar(alpha, dtype), xv, yv, _scalar(beta, dtype))
    assert got.dtype == dtype
    _close(got, want, dtype)
    # The in-place op overwrites z with the result; nothing else changes.
    _close(zv, want if inplace else z0, dtype)
    np.testing.assert_array_equal(xv, x0)
    np.testing.assert_array_equal(yv, y0)


def test_gemm_beta_zero_ignores_z_and_alpha_zero_keeps_nan():
    z, x, y = T.dmatrices("z", "x", "y")
    a, b = T.dscalars("a", "b")
    nan_z = np.full((2, 2), np.nan)
    ones = np.ones((2, 2))
    # A constant 0 for beta: z is not read (BLAS's rule, Theano's too): it may be garbage.
    f = _compile([z, a, x, y], blas.gemm_no_inplace(z, a, x, y, T.constant(np.float64(0))))
    np.testing.assert_array_equal(f(nan_z, 2.0, ones, ones), np.full((2, 2), 4.0))
    # A beta that is 0 at run time computes 0 * z as written: NaN stays NaN.
    g = _compile([z, a, x, y, b], blas.gemm_no_inplace(z, a, x, y, b))
    assert np.isnan(g(nan_z, 2.0, ones, ones, 0.0)).all()
    np.testing.assert_array_equal(g(ones, 2.0, ones, ones, 0.0), np.full((2, 2), 4.0))
    # alpha 0 with an inf: 0 * dot(x, y) is NaN, as the unfused expression gives.
    inf_x = np.full((2, 2), np.inf)
    assert np.isnan(g(ones, 0.0, inf_x, ones, 1.0)).all()


def test_gemm_shape_mismatch_and_empty():
    z, x, y = T.dmatrices("z", "x", "y")
    a, b = T.dscalars("a", "b")
    f = _compile([z, a, x, y, b], blas.gemm_no_inplace(z, a, x, y, b))
    with pytest.raises(ValueError, match="Incompatible shapes for gemm"):
        f(np.ones((2, 2)), 1.0, np.ones((2, 3)), np.ones((2, 2)), 1.0)
    out = f(np.ones((2, 3)), 1.0, np.ones((2, 0)), np.ones((0, 3)), 2.0)
    np.testing.assert_array_equal(out, np.full((2, 3), 2.0))


def test_gemm_infer_shape_and_grad():
    z, x, y = T.dmatrices("z", "x", "y")
    a, b = T.dscalars("a", "b")
    rng = np.random.default_rng(1)
    vals = [rng.standard_normal((3, 4)), np.asarray(0.7), rng.standard_normal((3, 5)),
            rng.standard_normal((5, 4)), np.asarray(-1.3)]
    check_op(blas.gemm_no_inplace, [z, a, x, y, b], vals,
             lambda z, a, x, y, b: b * z + a * np.dot(x, y))
    check_grad(blas.gemm_no_inplace, vals)


def test_gemm_reprs_and_errors():
    assert str(blas.gemm_inplace) == "Gemm{inplace}"
    assert str(blas.gemm_no_inplace) == "Gemm{no_inplace}"
    assert blas.gemm is blas.gemm_no_inplace
    assert blas.gemm_inplace.destroy_map == {0: [0]}
    assert not getattr(blas.gemm_no_inplace, "destroy_map", None)
    assert blas.Gemm(True) == blas.gemm_inplace and blas.Gemm(False) != blas.gemm_inplace
    z, x, y = T.dmatrices("z", "x", "y")
    a, b = T.dscalars("a", "b")
    with pytest.raises(TypeError, match="Wrong number of inputs for Gemm"):
        blas.gemm_no_inplace(z, a, x, y)
    with pytest.raises(TypeError, match=blas.Gemm.E_rank):
        blas.gemm_no_inplace(T.dvector(), a, x, y, b)
    with pytest.raises(TypeError, match=blas.Gemm.E_scalar):
        blas.gemm_no_inplace(z, x, x, y, b)
    with pytest.raises(TypeError, match=blas.Gemm.E_mixed):
        blas.gemm_no_inplace(z, T.fscalar(), x, y, b)
    with pytest.raises(TypeError, match=blas.Gemm.E_float):
        blas.gemm_no_inplace(*(T.imatrix() if i in (0, 2, 3) else T.iscalar()
                               for i in range(5)))
    # In place, z must not share memory with x or y.
    with pytest.raises(InconsistencyError, match=blas.Gemm.E_z_uniq):
        blas.gemm_inplace(z, a, z.T, y, b)
    blas.gemm_no_inplace(z, a, z.T, y, b)  # a copy is made: fine


# --------------------------------------------------------------------------- Gemv

@settings(max_examples=40, deadline=None)
@given(dtype=st.sampled_from(DTYPES), layout=layouts, inplace=st.booleans(),
       strided_x=st.booleans(), beta=st.sampled_from([0.0, 1.0, 0.5]))
def test_gemv_matches_numpy(dtype, layout, inplace, strided_x, beta):
    rng = np.random.default_rng(2)
    y, x = T.vector(dtype=dtype), T.vector(dtype=dtype)
    A, a, b = T.matrix(dtype=dtype), T.scalar(dtype=dtype), T.scalar(dtype=dtype)
    op = blas.gemv_inplace if inplace else blas.gemv_no_inplace
    f = _compile([y, a, A, x, b], op(y, a, A, x, b), mutable=[y])
    Av = _value(rng, (3, 4), dtype, layout)
    xv = _value(rng, (8,), dtype)[::2] if strided_x else _value(rng, (4,), dtype)
    yv = _value(rng, (3,), dtype)
    y0, A0, x0 = yv.copy(), Av.copy(), xv.copy()
    want = beta * y0 + 1.5 * np.dot(A0, x0)
    got = f(yv, _scalar(1.5, dtype), Av, xv, _scalar(beta, dtype))
    assert got.dtype == dtype
    _close(got, want, dtype)
    _close(yv, want if inplace else y0, dtype)
    np.testing.assert_array_equal(Av, A0)
    np.testing.assert_array_equal(xv, x0)


def test_gemv_beta_zero_ignores_y_errors_grad_shape():
    y, x = T.dvectors("y", "x")
    A = T.dmatrix("A")
    a, b = T.dscalars("a", "b")
    zero = T.constant(np.float64(0))
    out = _compile([y, a, A, x], blas.gemv_no_inplace(y, a, A, x, zero))(
        np.full(2, np.nan), 1.0, np.ones((2, 3)), np.ones(3))
    np.testing.assert_array_equal(out, [3.0, 3.0])
    f = _compile([y, a, A, x, b], blas.gemv_no_inplace(y, a, A, x, b))
    assert np.isnan(f(np.full(2, np.nan), 1.0, np.ones((2, 3)), np.ones(3), 0.0)).all()
    with pytest.raises(ValueError, match=r"Incompatible shapes for gemv \(beta \* y \+ alpha"):
        f(np.ones(2), 1.0, np.ones((2, 3)), np.ones(2), 1.0)
    assert str(blas.gemv_inplace) == "Gemv{inplace}" and blas.gemv is blas.gemv_no_inplace
    assert str(blas.gemv_no_inplace) == "Gemv{no_inplace}"
    with pytest.raises(TypeError, match="Gemv requires matching dtypes"):
        blas.gemv_no_inplace(T.fvector(), a, A, x, b)
    with pytest.raises(TypeError, match="gemv requires matrix for A"):
        blas.gemv_no_inplace(y, a, x, x, b)
    with pytest.raises(TypeError, match="gemv requires vector for x"):
        blas.gemv_no_inplace(y, a, A, A, b)
    with pytest.raises(TypeError, match="gemv requires vector for y"):
        blas.gemv_no_inplace(A, a, A, x, b)
    rng = np.random.default_rng(3)
    vals = [rng.standard_normal(3), np.asarray(0.5), rng.standard_normal((3, 2)),
            rng.standard_normal(2), np.asarray(2.0)]
    check_op(blas.gemv_no_inplace, [y, a, A, x, b], vals,
             lambda y, a, A, x, b: b * y + a * A.dot(x))
    check_grad(blas.gemv_no_inplace, vals)


# --------------------------------------------------------------------------- Ger

@settings(max_examples=30, deadline=None)
@given(dtype=st.sampled_from(BLAS_DTYPES), layout=layouts, destructive=st.booleans())
def test_ger_matches_numpy(dtype, layout, destructive):
    rng = np.random.default_rng(4)
    A, a = T.matrix(dtype=dtype), T.scalar(dtype=dtype)
    x, y = T.vector(dtype=dtype), T.vector(dtype=dtype)
    op = blas.ger_destructive if destructive else blas.ger
    f = _compile([A, a, x, y], op(A, a, x, y), mutable=[A])
    Av, xv, yv = _value(rng, (3, 4), dtype, layout), _value(rng, (3,), dtype), \
        _value(rng, (4,), dtype)
    A0 = Av.copy()
    want = A0 + 0.5 * np.outer(xv, yv)
    got = f(Av, _scalar(0.5, dtype), xv, yv)
    _close(got, want, dtype)
    _close(Av, want if destructive else A0, dtype)


def test_ger_reprs_errors_grad_shape():
    assert str(blas.ger) == "Ger{non-destructive}"
    assert str(blas.ger_destructive) == "Ger{destructive}"
    A, x, y, a = T.dmatrix("A"), T.dvector("x"), T.dvector("y"), T.dscalar("a")
    with pytest.raises(TypeError, match="ger requires matching dtypes"):
        blas.ger(A, T.fscalar(), x, y)
    with pytest.raises(TypeError, match="ger requires scalar alpha"):
        blas.ger(A, x, x, y)
    with pytest.raises(TypeError, match="ger requires matrix for A"):
        blas.ger(x, a, x, y)
    with pytest.raises(TypeError, match="only float and complex types supported"):
        blas.ger(T.imatrix(), T.iscalar(), T.ivector(), T.ivector())
    f = _compile([A, a, x, y], blas.ger(A, a, x, y))
    with pytest.raises(ValueError, match=r"Shape mismatch: A.shape\[1\] != y.shape\[0\]"):
        f(np.ones((2, 3)), 1.0, np.ones(2), np.ones(2))
    rng = np.random.default_rng(5)
    vals = [rng.standard_normal((2, 3)), np.asarray(1.5), rng.standard_normal(2),
            rng.standard_normal(3)]
    check_op(blas.ger, [A, a, x, y], vals, lambda A, a, x, y: A + a * np.outer(x, y))
    check_grad(blas.ger, vals)


# --------------------------------------------------------------------------- Dot22, Dot22Scalar

@settings(max_examples=30, deadline=None)
@given(dtype=st.sampled_from(DTYPES), lx=layouts, ly=layouts)
def test_dot22scalar_matches_numpy(dtype, lx, ly):
    rng = np.random.default_rng(6)
    x, y, a = T.matrix(dtype=dtype), T.matrix(dtype=dtype), T.scalar(dtype=dtype)
    f = _compile([x, y, a], blas._dot22scalar(x, y, a))
    xv, yv = _value(rng, (3, 5), dtype, lx), _value(rng, (5, 2), dtype, ly)
    got = f(xv, yv, _scalar(-2.0, dtype))
    assert got.dtype == dtype
    _close(got, -2.0 * np.dot(xv, yv), dtype)


def test_dot22scalar_reprs_errors_grad_shape():
    x, y, a = T.dmatrix("x"), T.dmatrix("y"), T.dscalar("a")
    z = blas._dot22scalar(x, y, a)
    assert str(z.owner.op) == "Dot22Scalar" and z.type == T.dmatrix
    assert blas._dot22scalar(T.drow(), T.dcol(), a).broadcastable == (True, True)
    with pytest.raises(TypeError, match=blas.Gemm.E_scalar):
        blas._dot22scalar(x, y, x)
    with pytest.raises(TypeError, match=blas.Gemm.E_rank):
        blas._dot22scalar(T.dvector(), y, a)
    with pytest.raises(TypeError, match="Dot22Scalar requires matching dtypes"):
        blas._dot22scalar(x, y, T.fscalar())
    with pytest.raises(TypeError, match="Dot22Scalar requires float or complex args"):
        blas._dot22scalar(T.imatrix(), T.imatrix(), T.iscalar())
    f = _compile([x, y, a], z)
    with pytest.raises(ValueError, match="Shape mismatch in Dot22Scalar"):
        f(np.ones((2, 3)), np.ones((2, 3)), 1.0)
    rng = np.random.default_rng(7)
    vals = [rng.standard_normal((2, 3)), rng.standard_normal((3, 4)), np.asarray(0.3)]
    check_op(blas._dot22scalar, [x, y, a], vals, lambda x, y, a: a * x.dot(y))
    check_grad(blas._dot22scalar, vals)


def test_dot22_grad_and_broadcastable():
    x, y = T.dmatrix("x"), T.dmatrix("y")
    rng = np.random.default_rng(8)
    check_grad(blas._dot22, [rng.standard_normal((2, 3)), rng.standard_normal((3, 2))])
    assert blas._dot22(T.drow(), y).broadcastable == (True, False)
    assert not isinstance(blas._dot22, T.Dot)  # as in Theano: its own op
    with pytest.raises(TypeError, match="dtype mismatch to Dot22"):
        blas._dot22(x, T.fmatrix())


# --------------------------------------------------------------------------- Theano's names

def test_c_and_scipy_names_are_the_same_ops():
    assert issubclass(blas_c.CGemv, blas.Gemv) and issubclass(blas_c.CGer, blas.Ger)
    assert issubclass(blas_scipy.ScipyGer, blas.Ger)
    assert str(blas_c.cgemv_inplace) == "CGemv{inplace}"
    assert str(blas_c.cgemv_no_inplace) == "CGemv{no_inplace}"
    assert str(blas_c.cger_inplace) == "CGer{destructive}"
    assert str(blas_scipy.scipy_ger_no_inplace) == "ScipyGer{non-destructive}"
    assert blas_scipy.scipy_ger_inplace.destroy_map == {0: [0]}
    assert blas_c.CGemv(True) != blas.gemv_inplace  # another class, another op
    assert blas_c.check_force_gemv_init() is False
    A, a, x, y = T.dmatrix("A"), T.dscalar("a"), T.dvector("x"), T.dvector("y")
    f = _compile([A, a, x, y], blas_scipy.scipy_ger_no_inplace(A, a, x, y))
    np.testing.assert_allclose(f(np.ones((2, 2)), 2.0, np.ones(2), np.ones(2)),
                               np.full((2, 2), 3.0))


def test_theano_import_paths():
    import pytheano.tensor.blas as tb

    for name in ("gemm_inplace", "gemm_no_inplace", "_dot22", "_dot22scalar", "Gemm",
                 "Dot22", "Dot22Scalar", "Gemv", "Ger", "gemv", "ger", "res_is_a",
                 "_as_scalar", "_is_real_matrix", "_gemm_canonicalize",
                 "_factor_canonicalized", "InconsistencyError", "local_gemm_to_gemv",
                 "local_dot22_to_dot22scalar", "local_dot_to_dot22", "gemv_inplace",
                 "gemv_no_inplace", "ger_destructive"):
        assert hasattr(tb, name), name
    assert tb.InconsistencyError is InconsistencyError
