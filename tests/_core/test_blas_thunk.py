"""BlasThunk (pytheano/_core/blas_thunk.pyx): the BLAS ops run by scipy's BLAS routines give
what their perform gives, over dtypes, operand layouts, in place, and beta = 0."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano._core.blas_thunk import BlasThunk
from pytheano.compile.debugmode import BadThunkOutput, DebugMode
from pytheano.compile.mode import Mode
from pytheano.link.c.module import c_backend_available
from pytheano.tensor import blas

needs_c = pytest.mark.skipif(not c_backend_available(), reason="no C compiler")

MATRIX_LAYOUTS = ("C", "F", "padded", "padded_F", "strided", "reversed_rows", "reversed_cols")
VECTOR_LAYOUTS = ("contiguous", "strided", "reversed", "reversed_strided")
# The layouts BLAS reads as they are (the others are copied first).
BLAS_MATRIX_LAYOUTS = ("C", "F", "padded", "padded_F")


def matrix(rng, shape, dtype, layout):
    m, n = shape
    if layout == "C":
        return rng.standard_normal((m, n)).astype(dtype)
    if layout == "F":
        return np.asfortranarray(rng.standard_normal((m, n)).astype(dtype))
    if layout == "padded":  # C order, leading dimension n + 3
        return rng.standard_normal((m, n + 3)).astype(dtype)[:, :n]
    if layout == "padded_F":
        return np.asfortranarray(rng.standard_normal((m + 2, n)).astype(dtype))[:m]
    if layout == "strided":
        return rng.standard_normal((2 * m, 3 * n)).astype(dtype)[::2, ::3]
    if layout == "reversed_rows":
        return rng.standard_normal((m, n)).astype(dtype)[::-1]
    return rng.standard_normal((m, n)).astype(dtype)[:, ::-1]


def vector(rng, n, dtype, layout):
    if layout == "contiguous":
        return rng.standard_normal(n).astype(dtype)
    if layout == "strided":
        return rng.standard_normal(2 * n).astype(dtype)[::2]
    if layout == "reversed":
        return rng.standard_normal(n).astype(dtype)[::-1]
    return rng.standard_normal(3 * n).astype(dtype)[::-3]


def scalar(value, dtype):
    return np.asarray(value, dtype=dtype)


def run_both(op, node_inputs, make):
    """(thunk's output, perform's output, the thunk) for ``op`` applied to ``make()``: each
    gets its own values (same layouts, same numbers: in-place ops overwrite input 0)."""
    node = op.make_node(*node_inputs)
    routine, ignores = op.c_blas_call(node)
    c_values = make()
    in_cells = [[v] for v in c_values]
    out_cells = [[None]]
    destroys = bool(getattr(op, "destroy_map", None))
    thunk = BlasThunk(node, in_cells, out_cells, routine, node.outputs[0].dtype, destroys,
                      ignores, op.perform)
    thunk()
    py_cells = [[None]]
    op.perform(node, make(), py_cells)
    if destroys:
        assert np.shares_memory(out_cells[0][0], c_values[0])
    return out_cells[0][0], py_cells[0][0], thunk


def assert_close(c, py, dtype):
    assert c.dtype == py.dtype and c.shape == py.shape
    rtol = 1e-4 if dtype == "float32" else 1e-11
    np.testing.assert_allclose(c, py, rtol=rtol, atol=rtol)


def sym(value):
    return T.TensorType(value.dtype, (False,) * value.ndim)()


dtypes = st.sampled_from(["float32", "float64"])
dims = st.integers(1, 5)


def maker(seed, build):
    """A ``make`` for run_both: ``build(rng)`` from a fresh generator of ``seed``."""
    return lambda: build(np.random.default_rng(seed))


@given(dtypes, dims, dims, dims, st.sampled_from(MATRIX_LAYOUTS),
       st.sampled_from(MATRIX_LAYOUTS), st.sampled_from(MATRIX_LAYOUTS), st.booleans(),
       st.integers(0, 2**16))
def test_gemm_matches_perform(dtype, m, n, k, lz, lx, ly, inplace, seed):
    make = maker(seed, lambda rng: [matrix(rng, (m, n), dtype, lz), scalar(0.7, dtype),
                                    matrix(rng, (m, k), dtype, lx),
                                    matrix(rng, (k, n), dtype, ly), scalar(-1.3, dtype)])
    op = blas.gemm_inplace if inplace else blas.gemm_no_inplace
    c, py, thunk = run_both(op, [sym(v) for v in make()], make)
    assert_close(c, py, dtype)
    if not inplace or lz in BLAS_MATRIX_LAYOUTS:
        assert thunk.blas_calls == 1


@pytest.mark.parametrize("inplace", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gemm_constant_beta_zero_ignores_nan_accumulator(dtype, inplace):
    make = maker(0, lambda rng: [np.full((3, 4), np.nan, dtype), scalar(2.0, dtype),
                                 matrix(rng, (3, 2), dtype, "C"),
                                 matrix(rng, (2, 4), dtype, "F"), scalar(0, dtype)])
    values = make()
    inputs = [sym(v) for v in values[:4]] + [T.constant(np.asarray(0, dtype))]
    op = blas.gemm_inplace if inplace else blas.gemm_no_inplace
    c, py, thunk = run_both(op, inputs, make)
    assert thunk.blas_calls == 1
    np.testing.assert_allclose(c, 2.0 * values[2].astype("float64") @ values[3], rtol=1e-5)
    assert_close(c, py, dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("a, b", [(1.0, 0.0), (0.0, 1.0)])
def test_gemm_run_time_zero_coefficients_keep_numpy_nans(dtype, a, b):
    # A beta that is 0 only at run time multiplies z as written (0 * nan = nan); a zero
    # alpha keeps 0 * inf: both go through perform, whose numpy does that.
    def build(rng):
        x = matrix(rng, (2, 3), dtype, "C")
        x[0, 0] = np.inf
        return [np.full((2, 2), np.nan, dtype), scalar(a, dtype), x,
                matrix(rng, (3, 2), dtype, "C"), scalar(b, dtype)]

    make = maker(1, build)
    c, py, thunk = run_both(blas.gemm_no_inplace, [sym(v) for v in make()], make)
    assert thunk.blas_calls == 0
    np.testing.assert_array_equal(c, py)
    assert np.isnan(c).any()


@pytest.mark.parametrize("shape", [(0, 3, 2), (2, 0, 3), (2, 3, 0)])
def test_gemm_dot22_zero_size(shape):
    m, n, k = shape
    make = maker(2, lambda rng: [rng.standard_normal((m, n)), scalar(1.5, "float64"),
                                 rng.standard_normal((m, k)), rng.standard_normal((k, n)),
                                 scalar(0.5, "float64")])
    c, py, _ = run_both(blas.gemm_no_inplace, [sym(v) for v in make()], make)
    assert_close(c, py, "float64")

    def make22():
        return make()[2:4]

    c, py, _ = run_both(blas._dot22, [sym(v) for v in make22()], make22)
    assert_close(c, py, "float64")


def test_shape_mismatch_raises_the_ops_error():
    make = maker(3, lambda rng: [rng.standard_normal((2, 2)), scalar(1, "float64"),
                                 rng.standard_normal((2, 3)), rng.standard_normal((4, 2)),
                                 scalar(1, "float64")])
    with pytest.raises(ValueError, match="Incompatible shapes for gemm"):
        run_both(blas.gemm_no_inplace, [sym(v) for v in make()], make)

    def make22():
        return make()[2:4]

    with pytest.raises(ValueError, match="Shape mismatch in dot"):
        run_both(blas._dot22, [sym(v) for v in make22()], make22)


@given(dtypes, dims, dims, dims, st.sampled_from(MATRIX_LAYOUTS),
       st.sampled_from(MATRIX_LAYOUTS), st.integers(0, 2**16))
def test_dot22_and_dot22scalar_match_perform(dtype, m, n, k, lx, ly, seed):
    make = maker(seed, lambda rng: [matrix(rng, (m, k), dtype, lx),
                                    matrix(rng, (k, n), dtype, ly), scalar(-0.25, dtype)])

    def make22():
        return make()[:2]

    c, py, thunk = run_both(blas._dot22, [sym(v) for v in make22()], make22)
    assert_close(c, py, dtype)
    assert c.flags.c_contiguous and thunk.blas_calls == 1
    c, py, thunk = run_both(blas._dot22scalar, [sym(v) for v in make()], make)
    assert_close(c, py, dtype)
    assert thunk.blas_calls == 1


@given(dtypes, dims, dims, st.sampled_from(MATRIX_LAYOUTS), st.sampled_from(VECTOR_LAYOUTS),
       st.sampled_from(VECTOR_LAYOUTS), st.booleans(), st.sampled_from([0.0, 0.5]),
       st.integers(0, 2**16))
def test_gemv_matches_perform(dtype, m, n, la, lx, ly, inplace, beta, seed):
    def build(rng):
        A, x, y = matrix(rng, (m, n), dtype, la), vector(rng, n, dtype, lx), \
            vector(rng, m, dtype, ly)
        if beta == 0:
            y[...] = np.nan  # a constant 0 beta never reads y
        return [y, scalar(1.5, dtype), A, x, scalar(beta, dtype)]

    make = maker(seed, build)
    inputs = [sym(v) for v in make()[:4]] + [T.constant(np.asarray(beta, dtype))]
    op = blas.gemv_inplace if inplace else blas.gemv_no_inplace
    c, py, thunk = run_both(op, inputs, make)
    assert_close(c, py, dtype)
    assert thunk.blas_calls == 1
    assert not np.isnan(c).any()


@given(dtypes, dims, dims, st.sampled_from(MATRIX_LAYOUTS), st.sampled_from(VECTOR_LAYOUTS),
       st.sampled_from(VECTOR_LAYOUTS), st.booleans(), st.integers(0, 2**16))
def test_ger_matches_perform(dtype, m, n, la, lx, ly, destructive, seed):
    make = maker(seed, lambda rng: [matrix(rng, (m, n), dtype, la), scalar(0.3, dtype),
                                    vector(rng, m, dtype, lx), vector(rng, n, dtype, ly)])
    op = blas.ger_destructive if destructive else blas.ger
    c, py, thunk = run_both(op, [sym(v) for v in make()], make)
    assert_close(c, py, dtype)
    if not destructive or la in BLAS_MATRIX_LAYOUTS:
        assert thunk.blas_calls == 1


def test_broadcast_vector_is_copied():
    # A zero stride is no BLAS increment: the vector is copied first.
    make = maker(4, lambda rng: [rng.standard_normal((3, 4)), scalar(1.0, "float64"),
                                 np.broadcast_to(np.float64(2.0), (3,)),
                                 np.broadcast_to(np.float64(-1.0), (4,))])
    c, py, thunk = run_both(blas.ger, [sym(v) for v in make()], make)
    assert_close(c, py, "float64")
    assert thunk.blas_calls == 1 and thunk.operand_copies == 2


@pytest.mark.parametrize("lx", MATRIX_LAYOUTS)
@pytest.mark.parametrize("ly", MATRIX_LAYOUTS)
def test_only_the_layouts_blas_cannot_read_are_copied(lx, ly):
    make = maker(7, lambda rng: [matrix(rng, (3, 4), "float32", lx),
                                 matrix(rng, (4, 5), "float32", ly)])
    c, py, thunk = run_both(blas._dot22, [sym(v) for v in make()], make)
    assert_close(c, py, "float32")
    assert thunk.blas_calls == 1
    assert thunk.operand_copies == (lx not in BLAS_MATRIX_LAYOUTS) + \
        (ly not in BLAS_MATRIX_LAYOUTS)


def test_complex_and_float16_stay_in_perform():
    for dtype in ("complex128", "float16"):
        x, y = T.matrix(dtype=dtype), T.matrix(dtype=dtype)
        node = blas._dot22.make_node(x, y)
        assert blas._dot22.c_blas_call(node) is None


def test_unknown_routine_is_refused():
    x = T.matrix()
    node = blas._dot22.make_node(x, x)
    with pytest.raises(ValueError, match="unknown routine"):
        BlasThunk(node, [[None], [None]], [[None]], "trsm", "float64", False, False, None)


@needs_c
def test_compiled_function_runs_blas_thunks_and_reuses_its_output():
    x, w = T.matrix("x"), T.matrix("w")
    f = pytheano.function([x, w], T.dot(x, w).sum(), mode=Mode(linker="cvm"))
    thunks = [t for t in f.fn.thunks if isinstance(t, BlasThunk)]
    assert len(thunks) == 1
    rng = np.random.default_rng(5)
    X, W = rng.standard_normal((6, 4)), rng.standard_normal((4, 3))
    for _ in range(3):
        np.testing.assert_allclose(f(X, W), (X @ W).sum())
    assert thunks[0].blas_calls == 3
    # The 'py' linker keeps perform.
    g = pytheano.function([x, w], T.dot(x, w).sum(), mode=Mode(linker="py"))
    assert not any(isinstance(t, BlasThunk) for t in g.fn.thunks)


@needs_c
def test_debugmode_checks_blas_thunks_against_perform(monkeypatch):
    x, w, b = T.matrix("x"), T.matrix("w"), T.vector("b")
    h = T.tanh(T.dot(x, w) + b)
    cost = (h ** 2).sum()
    f = pytheano.function([x, w, b], [cost, T.grad(cost, w)], mode=DebugMode())
    ref = pytheano.function([x, w, b], [cost, T.grad(cost, w)], mode=Mode(linker="py"))
    rng = np.random.default_rng(6)
    X, W, B = rng.standard_normal((5, 4)), rng.standard_normal((4, 4)), \
        rng.standard_normal(4)
    for got, want in zip(f(X, W, B), ref(X, W, B)):
        np.testing.assert_allclose(got, want, rtol=1e-10)
    # DebugMode compares the BLAS thunk with perform: a perform that disagrees is caught.
    perform = blas.Dot22.perform

    def wrong(self, node, inputs, output_storage):
        perform(self, node, inputs, output_storage)
        output_storage[0][0] = output_storage[0][0] + 1

    monkeypatch.setattr(blas.Dot22, "perform", wrong)
    with pytest.raises(BadThunkOutput):
        f(X, W, B)


def _mlp_step(dtype, sizes, batch, seed=0):
    """(inputs, cost, updates, values, params) of an SGD step of a tanh MLP."""
    rng = np.random.default_rng(seed)
    x, t = T.matrix("x", dtype=dtype), T.ivector("t")
    h, params = x, []
    for k, (n_a, n_b) in enumerate(zip(sizes[:-1], sizes[1:])):
        W = pytheano.shared((rng.standard_normal((n_a, n_b)) * 0.3).astype(dtype), "W%d" % k)
        b = pytheano.shared((rng.standard_normal(n_b) * 0.1).astype(dtype), "b%d" % k)
        z = T.dot(h, W) + b
        h = T.tanh(z) if k < len(sizes) - 2 else T.nnet.softmax(z)
        params += [W, b]
    cost = T.nnet.categorical_crossentropy(h, t).mean()
    lr = np.asarray(0.1, dtype=dtype)
    updates = [(q, q - lr * g) for q, g in zip(params, T.grad(cost, params))]
    values = [rng.standard_normal((batch, sizes[0])).astype(dtype),
              rng.integers(0, sizes[-1], batch).astype("int32")]
    return [x, t], cost, updates, values, params


@needs_c
def test_float32_mlp_step_runs_blas_in_place_without_copies_or_upcasts():
    # The goal design of the MLP step (benchmarks/bench_blas.py): every product a BLAS call
    # on its operands as they are, the weight updates Gemm into the weights' own memory,
    # float32 throughout; and the same training as without rewrites.
    sizes, steps = (12, 16, 16, 3), 3
    inputs, cost, updates, values, params = _mlp_step("float32", sizes, 8)
    start = [q.get_value() for q in params]
    f = pytheano.function(inputs, cost, updates=updates, mode=Mode(linker="cvm"))
    fast = [f(*values) for _ in range(steps)]
    fast_params = [q.get_value() for q in params]
    for q, s in zip(params, start):
        q.set_value(s)
    g = pytheano.function(inputs, cost, updates=updates, mode=Mode(optimizer=None))
    plain = [g(*values) for _ in range(steps)]
    np.testing.assert_allclose(fast, plain, rtol=1e-5)
    for a, b in zip(fast_params, [q.get_value() for q in params]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)

    thunks = [t for t in f.fn.thunks if isinstance(t, BlasThunk)]
    layers = len(sizes) - 1
    assert len(thunks) == 3 * layers - 1  # forward, update, and backward but for the input
    assert all(t.blas_calls == steps and t.operand_copies == 0 for t in thunks)
    gemms = [t.node.op for t in thunks if isinstance(t.node.op, blas.Gemm)]
    assert gemms == [blas.gemm_inplace] * layers
    fgraph_vars = {v for n in f.maker.fgraph.toposort() for v in n.inputs + n.outputs}
    assert {v.type.dtype for v in fgraph_vars if v.type.dtype.startswith("float")} == \
        {"float32"}
    # Those Gemm overwrote the weights in place: the containers hold the same buffers.
    weights = [q.get_value(borrow=True) for q in params[::2]]
    f(*values)
    assert all(q.get_value(borrow=True) is w for q, w in zip(params[::2], weights))


def test_products_call_the_newer_of_numpys_and_scipys_openblas():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from pytheano._core import blas_thunk

    versions = {}
    for info in threadpoolctl.threadpool_info():
        for package in ("numpy", "scipy"):
            if info.get("internal_api") == "openblas" and \
                    "%s.libs" % package in info.get("filepath", ""):
                versions[package] = info.get("version")
    if len(versions) < 2:
        assert blas_thunk.GEMM_BLAS == "scipy's BLAS"
        return

    def key(version):
        return tuple(int(p) for p in version.split("."))

    if key(versions["numpy"]) > key(versions["scipy"]):
        assert blas_thunk.GEMM_BLAS == "numpy's OpenBLAS " + versions["numpy"]
    else:
        assert blas_thunk.GEMM_BLAS == "scipy's BLAS"
