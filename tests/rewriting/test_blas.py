"""pytheano/rewriting/blas.py: dot -> Dot22 / Gemv / Ger, sums of products -> Gemm / Gemv /
Ger, scalar * Dot22 -> Dot22Scalar, and the in-place versions where the DestroyHandler
allows them. Each graph is shown before and after (check_rewrite) and computes the same."""
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano.graph.rewriting import Query
from pytheano.rewriting import blas as rw
from pytheano.tensor import blas
from pytheano.tensor.blas_scipy import ScipyGer
from pytheano.tensor.creation import Alloc, AllocEmpty
from pytheano.tensor.elemwise import DimShuffle, Elemwise
from pytheano.tensor.shape import Shape_i
from tests.helpers import check_rewrite, debugprint_str

# The BLAS phase and everything before it, without the in-place phase (check_rewrite's
# graph has no DestroyHandler, so in place is tested through theano.function below).
NO_INPLACE = Query(include=("fast_run",), exclude=("inplace",))


def _printed(text):
    """A check_rewrite predicate: the rewritten graph prints as ``text`` (debugprint without
    the empty names)."""
    want = textwrap.dedent(text).strip("\n")
    def printed(fg):
        return "\n".join(line.replace(" ''", "").rstrip()
                         for line in debugprint_str(fg).splitlines())
    return lambda fg: printed(fg) == want


def _vals(*shapes, dtype="float64"):
    """Random values of these shapes (() for a scalar)."""
    rng = np.random.default_rng(sum(map(len, shapes)))
    return [np.asarray(rng.standard_normal(s), dtype=dtype) for s in shapes]


def _ops(f):
    return [node.op for node in f.maker.fgraph.toposort()]


def _same_as_unrewritten(inputs, out, values):
    plain = pytheano.function(inputs, out, mode=pytheano.Mode(optimizer=None))
    fast = pytheano.function(inputs, out, mode="FAST_RUN")
    want = plain(*[v.copy() for v in values])
    got = fast(*[v.copy() for v in values])
    for g, w in zip(got if isinstance(out, list) else [got],
                    want if isinstance(out, list) else [want]):
        assert g.dtype == w.dtype
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)
    return fast


# --------------------------------------------------------------------------- dot

def _check(out, inputs, shapes, expected=None, rewrite=NO_INPLACE, **kw):
    """check_rewrite of ``out`` on random inputs of ``shapes`` (in ``inputs``' dtypes)."""
    rng = np.random.default_rng(len(shapes))
    values = [np.asarray(3 * rng.standard_normal(shape)).astype(v.dtype)
              for v, shape in zip(inputs, shapes)]
    return check_rewrite(out, rewrite, expected=expected, inputs=inputs, values=values, **kw)


M, N, K = (3, 4), (4, 5), (3, 5)


def test_dot_of_matrices_is_dot22():
    x, y = T.dmatrices("x", "y")
    _check(T.dot(x, y), [x, y], [M, N], _printed("""
        Dot22
         |x
         |y"""))


def test_matrix_vector_dot_is_gemv_on_allocempty():
    x, v = T.dmatrix("x"), T.dvector("v")
    _check(T.dot(x, v), [x, v], [M, (4,)], _printed("""
        Gemv{no_inplace}
         |AllocEmpty{dtype='float64'}
         | |Shape_i{0}
         |   |x
         |TensorConstant{1.0}
         |x
         |v
         |TensorConstant{0.0}"""))
    _check(T.dot(v, x), [x, v], [N, (4,)], [DimShuffle, Shape_i, AllocEmpty,
                                             blas.gemv_no_inplace])


def test_vector_dot_vector_and_int_or_mixed_dots_stay():
    v, w = T.dvectors("v", "w")
    _check(T.dot(v, w), [v, w], [(3,), (3,)], [T.Dot])
    a, b = T.imatrices("a", "b")
    _check(T.dot(a, b), [a, b], [M, N], [T.Dot])
    f, d = T.fmatrix("f"), T.dmatrix("d")
    _check(T.dot(f, d), [f, d], [M, N], [T.Dot])  # the product upcasts: left as written


def _out_op(fg, depth=0):
    var = fg.outputs[0]
    for _ in range(depth):
        var = var.owner.inputs[0]
    return var.owner.op


def test_dot_row_and_column_cases():
    r, c, x = T.drow("r"), T.dcol("c"), T.dmatrix("x")
    # row . matrix and matrix . column: Gemv on the vector, DimShuffled back.
    _check(T.dot(r, x), [r, x], [(1, 4), N],
           lambda fg: isinstance(_out_op(fg), DimShuffle) and
           _out_op(fg, 1) == blas.gemv_no_inplace)
    _check(T.dot(x, c), [x, c], [M, (4, 1)],
           lambda fg: _out_op(fg, 1) == blas.gemv_no_inplace)
    # column . row: an outer product, Ger on zeros.
    _check(T.dot(c, r), [c, r], [(3, 1), (1, 4)],
           lambda fg: isinstance(_out_op(fg), ScipyGer) and
           isinstance(_out_op(fg, 1), Alloc))


def test_outer_accumulated_is_ger():
    A, v, w = T.dmatrix("A"), T.dvector("v"), T.dvector("w")
    _check(A + T.outer(v, w), [A, v, w], [M, (3,), (4,)], _printed("""
        ScipyGer{non-destructive}
         |A
         |TensorConstant{1.0}
         |v
         |w"""))
    a = T.dscalar("a")
    _check(A - a * T.outer(v, w), [A, a, v, w], [M, (), (3,), (4,)],
           lambda fg: isinstance(_out_op(fg), ScipyGer) and
           fg.outputs[0].owner.inputs[0].name == "A")


# --------------------------------------------------------------------------- gemm

def test_z_plus_scaled_dot_is_gemm():
    z, x, y = T.dmatrices("z", "x", "y")
    a = T.dscalar("a")
    shapes = [K, (), M, N]
    _check(z - a * T.dot(x, y), [z, a, x, y], shapes, _printed("""
        Gemm{no_inplace}
         |z
         |Elemwise{neg,no_inplace}
         | |a
         |x
         |y
         |TensorConstant{1.0}"""))
    _check(z - T.dot(x, y), [z, a, x, y], shapes, _printed("""
        Gemm{no_inplace}
         |z
         |TensorConstant{-1.0}
         |x
         |y
         |TensorConstant{1.0}"""), )
    _check(T.dot(x, y) * a + z, [z, a, x, y], shapes, [blas.gemm_no_inplace])


def test_beta_is_folded_and_nan_of_a_zero_beta_kept():
    z, x, y = T.dmatrices("z", "x", "y")
    b = T.dscalar("b")
    shapes = [K, (), M, N]
    _check(0.9 * z + T.dot(x, y), [z, b, x, y], shapes, _printed("""
        Gemm{no_inplace}
         |z
         |TensorConstant{1.0}
         |x
         |y
         |TensorConstant{0.9}"""))
    _check(b * z + T.dot(x, y), [z, b, x, y], shapes, _printed("""
        Gemm{no_inplace}
         |z
         |TensorConstant{1.0}
         |x
         |y
         |b"""))
    # b may be 0 at run time: Gemm then computes 0 * z as written, so a NaN in z stays a
    # NaN (Theano 1.0 gives a number: its BLAS call ignores z).
    values = [np.array(0.0), np.full((2, 2), np.nan), np.ones((2, 2)), np.ones((2, 2))]
    f = _same_as_unrewritten([b, z, x, y], b * z + T.dot(x, y), values)
    assert blas.gemm_no_inplace in _ops(f)
    assert np.isnan(f(*values)).all()
    # A constant 0 scale stays on z (Gemm would not read z at all).
    _check(0.0 * z + T.dot(x, y), [z, b, x, y], shapes,
           lambda fg: isinstance(_out_op(fg), blas.Gemm) and
           fg.outputs[0].owner.inputs[0].owner is not None)


def test_transposed_products_and_the_whole_sum_at_once():
    z, x, y = T.dmatrices("z", "x", "y")
    a, b = T.dscalars("a", "b")
    # (b * z.T + a * b * dot(x, y).T): Gemm on z.T with dot(y.T, x.T).
    fg = _check(b * z.T + a * b * T.dot(x, y).T, [z, a, b, x, y], [K, (), (), M, N])
    assert [n.op for n in fg.toposort() if isinstance(n.op, (blas.Gemm, blas.Dot22))] == [
        blas.gemm_no_inplace]
    # A scale of the whole sum: one Gemm with the scale folded, no product left.
    fg = _check(0.01 * (T.dot(x, y) - 0.0001 * z), [z, x, y], [K, M, N])
    ops = [n.op for n in fg.toposort()]
    assert ops == [blas.gemm_no_inplace], ops
    # The same product twice: one Gemm with the scales added.
    fg = _check(z + T.dot(x, y) + a * T.dot(x, y), [z, a, x, y], [K, (), M, N])
    assert [op for op in (n.op for n in fg.toposort()) if isinstance(op, (blas.Gemm,
                                                                          blas.Dot22))] == [
        blas.gemm_no_inplace]


def test_nested_sums_and_several_products():
    z, x, y, u, w = T.dmatrices("z", "x", "y", "u", "w")
    a = T.dscalar("a")
    out = (z + a * T.dot(x, y)) - 2.0 * T.dot(u, w)
    fg = _check(out, [z, a, x, y, u, w], [K, (), M, N, (3, 2), (2, 5)])
    ops = [n.op for n in fg.toposort()]
    assert ops.count(blas.gemm_no_inplace) == 2, ops
    assert not any(isinstance(op, (Elemwise, T.Dot, blas.Dot22)) for op in ops), ops


def test_a_dot_read_twice_is_not_folded():
    z, x, y = T.dmatrices("z", "x", "y")
    d = T.dot(x, y)
    fg = _check([z + d, d * 2.0], [z, x, y], [K, M, N])
    assert not any(isinstance(n.op, blas.Gemm) for n in fg.toposort())


def test_upcasting_scale_is_not_folded():
    # Theano's test_upcasting_scalar_nogemm: a float64 scale of a float32 product.
    v, w, t = T.fmatrices("v", "w", "t")
    alpha = T.dscalar("a")
    fg = _check(T.dot(w, v) * alpha + t, [v, w, t, alpha], [N, M, K, ()], rtol=1e-5,
                atol=1e-5)
    assert fg.outputs[0].dtype == "float64"
    assert not any(isinstance(n.op, (blas.Gemm, blas.Dot22Scalar)) for n in fg.toposort())


def test_float32_gemm_and_dtype_kept():
    z, x, y = T.fmatrices("z", "x", "y")
    a = T.fscalar("a")
    _check(z + a * T.dot(x, y), [z, a, x, y], [K, (), M, N], [blas.gemm_no_inplace],
           rtol=1e-5, atol=1e-5)
    # A float64 scale of the float32 sum: the sum itself is still one Gemm.
    d = T.dscalar("d")
    fg = _check(d * (z + a * T.dot(x, y)), [z, a, x, y, d], [K, (), M, N, ()], rtol=1e-5,
                atol=1e-5)
    assert blas.gemm_no_inplace in [n.op for n in fg.toposort()]


def test_vector_accumulation_is_gemv():
    x, v, a = T.dmatrix("x"), T.dvector("v"), T.dscalar("a")
    _check(v + a * T.dot(x, v), [x, v, a], [(4, 4), (4,), ()], _printed("""
        Gemv{no_inplace}
         |v
         |a
         |x
         |v
         |TensorConstant{1.0}"""))


def test_scaled_dot22_is_dot22scalar():
    x, y, B = T.dmatrices("x", "y", "B")
    a = T.dscalar("a")
    _check(a * T.dot(x, y), [x, y, a], [M, N, ()], _printed("""
        Dot22Scalar
         |x
         |y
         |a"""))
    _check(T.dot(x, y) * a * B, [x, y, a, B], [M, N, (), K],
           lambda fg: any(isinstance(n.op, blas.Dot22Scalar) for n in fg.toposort()))
    # Nested products (as written, before any mul flattening): the scales come out of
    # them, their constants folded into one.
    c = T.dmatrix("c")
    _check(0.1 * c * 0.2 * T.dot(x, y), [x, y, c], [M, N, K], _printed("""
        Elemwise{mul,no_inplace}
         |Dot22Scalar
         | |x
         | |y
         | |TensorConstant{0.020000000000000004}
         |c"""))
    # An integer scale is cast (exactly) to the product's dtype.
    i = T.iscalar("i")
    _check(i * T.dot(x, y), [x, y, i], [M, N, ()],
           lambda fg: isinstance(_out_op(fg), blas.Dot22Scalar))


def test_gemm_on_row_or_column_is_gemv_and_outer_gemm_is_ger():
    z, r, x = T.drow("z"), T.drow("r"), T.dmatrix("x")
    a, b = T.dscalars("a", "b")
    _check(blas.gemm_no_inplace(z, a, r, x, b), [z, a, r, x, b],
           [(1, 5), (), (1, 4), N, ()],
           lambda fg: isinstance(_out_op(fg), DimShuffle) and
           _out_op(fg, 1) == blas.gemv_no_inplace, rewrite=rw.local_gemm_to_gemv)
    A, c = T.dmatrix("A"), T.dcol("c")
    one = T.constant(np.asarray(1.0))
    _check(blas.gemm_no_inplace(A, a, c, r, one), [A, a, c, r], [M, (), (3, 1), (1, 4)],
           lambda fg: _out_op(fg) == blas.ger, rewrite=rw.local_gemm_to_ger)


# --------------------------------------------------------------------------- in place

def test_gemm_in_place_only_where_allowed():
    x, y = T.dmatrices("x", "y")
    W = pytheano.shared(np.ones((3, 4)), name="W")
    lr = np.float64(0.1)
    step = W - lr * T.dot(x, y)
    # The update replaces W after the call: the Gemm may overwrite it.
    f = pytheano.function([x, y], [], updates=[(W, step)])
    # One node: the new W is already in W's storage, no copy (as in Theano).
    assert _ops(f) == [blas.gemm_inplace]
    xv, yv = np.ones((3, 2)), np.ones((2, 4))
    f(xv, yv)
    np.testing.assert_allclose(W.get_value(), np.full((3, 4), 0.8))
    # Without the update, W's storage is protected.
    g = pytheano.function([x, y], step)
    assert blas.gemm_no_inplace in _ops(g) and blas.gemm_inplace not in _ops(g)
    np.testing.assert_allclose(g(xv, yv), np.full((3, 4), 0.6))
    np.testing.assert_allclose(W.get_value(), np.full((3, 4), 0.8))
    # A user's input: in place only when declared mutable.
    z = T.dmatrix("z")
    h = pytheano.function([z, x, y], z + T.dot(x, y))
    assert blas.gemm_no_inplace in _ops(h)
    zv = np.zeros((3, 4))
    h(zv, xv, yv)
    np.testing.assert_array_equal(zv, 0.0)
    m = pytheano.function([pytheano.In(z, mutable=True), x, y], z + T.dot(x, y))
    assert blas.gemm_inplace in _ops(m)
    np.testing.assert_allclose(m(zv, xv, yv), np.full((3, 4), 2.0))


def test_gemv_in_place_on_its_own_buffer():
    x = T.dmatrix("x")
    v, w = T.dvectors("v", "w")
    f = pytheano.function([x, v, w], [T.dot(x, v), T.dot(x, w)])
    gemvs = [op for op in _ops(f) if isinstance(op, blas.Gemv)]
    assert gemvs == [blas.gemv_inplace, blas.gemv_inplace]
    xv, vv, wv = np.arange(6.0).reshape(2, 3), np.ones(3), np.arange(3.0)
    a, b = f(xv, vv, wv)
    np.testing.assert_allclose(a, xv.dot(vv))
    np.testing.assert_allclose(b, xv.dot(wv))


def test_ger_destructive_on_the_zeros_it_made():
    v, w = T.dvectors("v", "w")
    f = pytheano.function([v, w], T.outer(v, w))
    assert any(isinstance(op, ScipyGer) and op.destructive for op in _ops(f))
    np.testing.assert_allclose(f(np.arange(2.0), np.arange(3.0)),
                               np.outer(np.arange(2.0), np.arange(3.0)))
    A = T.dmatrix("A")
    g = pytheano.function([A, v, w], A + T.outer(v, w))
    assert [op for op in _ops(g) if isinstance(op, blas.Ger)] == [ScipyGer(False)]


# --------------------------------------------------------------------------- whole models

def test_mlp_training_step_compiles_to_gemm_and_gemv():
    rng = np.random.default_rng(0)
    x, t = T.dmatrix("x"), T.ivector("t")
    W1 = pytheano.shared(rng.standard_normal((6, 5)) * 0.1, name="W1")
    b1 = pytheano.shared(np.zeros(5), name="b1")
    W2 = pytheano.shared(rng.standard_normal((5, 3)) * 0.1, name="W2")
    b2 = pytheano.shared(np.zeros(3), name="b2")
    h = T.tanh(T.dot(x, W1) + b1)
    p = T.nnet.softmax(T.dot(h, W2) + b2)
    cost = T.nnet.categorical_crossentropy(p, t).mean()
    params = [W1, b1, W2, b2]
    grads = T.grad(cost, params)
    updates = [(q, q - 0.1 * g) for q, g in zip(params, grads)]
    xv, tv = rng.standard_normal((4, 6)), np.asarray([0, 1, 2, 1], dtype="int32")
    start = [q.get_value() for q in params]

    def run(mode):
        for q, s in zip(params, start):
            q.set_value(s.copy())
        f = pytheano.function([x, t], cost, updates=updates, mode=mode)
        costs = [f(xv, tv) for _ in range(3)]
        return f, costs, [q.get_value() for q in params]

    fast, fast_costs, fast_params = run("FAST_RUN")
    _, plain_costs, plain_params = run(pytheano.Mode(optimizer=None))
    np.testing.assert_allclose(fast_costs, plain_costs, rtol=1e-10)
    for a, b in zip(fast_params, plain_params):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    ops = _ops(fast)
    assert not any(type(op) is T.Dot for op in ops), ops
    # The weight updates W - lr * dot(a, g) are Gemm in place on the weights.
    assert ops.count(blas.gemm_inplace) == 2, ops


def test_shape_error_after_the_rewrite_names_the_users_line():
    z, x, y = T.dmatrices("z", "x", "y")
    out = z + T.dot(x, y)  # the line the error must name
    f = pytheano.function([z, x, y], out)
    assert blas.gemm_no_inplace in _ops(f)
    with pytest.raises(ValueError, match="Incompatible shapes for gemm") as err:
        f(np.ones((2, 2)), np.ones((2, 3)), np.ones((3, 4)))
    assert "out = z + T.dot(x, y)  # the line the error must name" in str(err.value)
    v = T.dvector("v")
    prod = T.dot(x, v)  # a Gemv once rewritten
    g = pytheano.function([x, v], prod)
    with pytest.raises(ValueError, match="Incompatible shapes for gemv") as err:
        g(np.ones((2, 3)), np.ones(2))
    assert "prod = T.dot(x, v)  # a Gemv once rewritten" in str(err.value)


def test_theano_canonical_form_helpers():
    X, Y, Z = T.matrix("X"), T.matrix("Y"), T.matrix("Z")
    a, b, c = T.scalar("a"), T.scalar("b"), T.scalar("c")
    assert blas._gemm_canonicalize(X + Y + Z, 1.0, [], 0) == [(1.0, X), (1.0, Y), (1.0, Z)]
    can = blas._gemm_canonicalize(a * X + Y - b * Z * c, 1.0, [], 0)
    assert can[0] == (a, X) and can[1] == (1.0, Y)
    assert blas._factor_canonicalized([(1.0, X), (1.0, X)]) == [(2.0, X)]
    assert blas._as_scalar(T.constant(np.ones(5))) is None
    assert blas._as_scalar(a.dimshuffle("x", "x")) is a
    assert blas._is_real_matrix(X.T) and not blas._is_real_matrix(T.dvector().dimshuffle("x", 0))
    assert blas.res_is_a(T.sqrt(a), T.sqrt) and not blas.res_is_a(a, T.sqrt)


# --------------------------------------------------------------------------- differential

FORMS = {
    "b*z + a*dot": lambda z, x, y, v, a, b: b * z + a * T.dot(x, y),
    "z - a*dot": lambda z, x, y, v, a, b: z - a * T.dot(x, y),
    "a*(dot - b*z)": lambda z, x, y, v, a, b: a * (T.dot(x, y) - b * z),
    "a*dot": lambda z, x, y, v, a, b: a * T.dot(x, y),
    "b*v + a*dot(x, v)": lambda z, x, y, v, a, b: b * v + a * T.dot(x, v),
    "z + outer": lambda z, x, y, v, a, b: z + a * T.outer(x[:, 0], y[0]),
    "dot.T + z.T": lambda z, x, y, v, a, b: T.dot(x, y).T * b + z.T,
}


@settings(max_examples=60, deadline=None)
@given(form=st.sampled_from(sorted(FORMS)), dtype=st.sampled_from(["float32", "float64"]),
       a=st.sampled_from([0.0, 1.0, -2.5, np.nan]), b=st.sampled_from([0.0, 1.0, 0.5]),
       special=st.sampled_from([None, np.nan, np.inf, -np.inf]))
def test_rewritten_blas_graphs_compute_what_optimizer_none_does(form, dtype, a, b, special):
    z, x, y = (T.matrix(n, dtype=dtype) for n in "zxy")
    v = T.vector("v", dtype=dtype)
    sa, sb = T.scalar("a", dtype=dtype), T.scalar("b", dtype=dtype)
    out = FORMS[form](z, x, y, v, sa, sb)
    rng = np.random.default_rng(0)
    values = [rng.standard_normal(s).astype(dtype) for s in ((3, 4), (3, 3), (3, 4), (3,))]
    if special is not None:
        for arr in values:
            arr.reshape(-1)[0] = special
    values += [np.asarray(a, dtype), np.asarray(b, dtype)]
    inputs = [z, x, y, v, sa, sb]
    plain = pytheano.function(inputs, out, mode=pytheano.Mode(optimizer=None),
                              on_unused_input="ignore")
    fast = pytheano.function(inputs, out, mode="FAST_RUN", on_unused_input="ignore")
    want = plain(*[w.copy() for w in values])
    got = fast(*[w.copy() for w in values])
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    tol = 1e-4 if dtype == "float32" else 1e-10
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


def test_a_deep_shared_sum_is_not_walked_once_per_path():
    # s_{k+1} = s_k + s_k: 2**40 paths to the dot at the bottom. Each inner sum read twice
    # is one term, so the canonical form (and the look before it) stays linear.
    z, x, y = T.dmatrices("z", "x", "y")
    s = z + T.dot(x, y)
    for _ in range(40):
        s = s + s
    fg = _check(s, [z, x, y], [K, M, N], rtol=1e-9)
    assert [n.op for n in fg.toposort()].count(blas.gemm_no_inplace) == 1


def test_tutorial_logistic_regression_uses_gemv_in_place():
    # Theano's tutorial model: dot(x, w) and the gradient dot(x.T, g) are both Gemv{inplace}
    # (on AllocEmpty buffers), as in Theano's printed graph of it.
    rng = np.random.default_rng(3)
    x, y = T.dmatrix("x"), T.dvector("y")
    start = rng.standard_normal(7)
    w = pytheano.shared(start.copy(), name="w")
    b = pytheano.shared(0.0, name="b")
    p_1 = 1 / (1 + T.exp(-T.dot(x, w) - b))
    xent = -y * T.log(p_1) - (1 - y) * T.log(1 - p_1)
    cost = xent.mean() + 0.01 * (w ** 2).sum()
    gw, gb = T.grad(cost, [w, b])
    updates = [(w, w - 0.1 * gw), (b, b - 0.1 * gb)]
    xv, yv = rng.standard_normal((20, 7)), rng.integers(0, 2, 20).astype("float64")

    def run(mode):
        w.set_value(start.copy())
        b.set_value(0.0)
        f = pytheano.function([x, y], cost, updates=updates, mode=mode)
        return f, [f(xv, yv) for _ in range(3)], w.get_value()

    fast, fast_costs, fast_w = run("FAST_RUN")
    _, plain_costs, plain_w = run(pytheano.Mode(optimizer=None))
    assert [op for op in _ops(fast) if isinstance(op, blas.Gemv)] == [blas.gemv_inplace] * 2
    np.testing.assert_allclose(fast_costs, plain_costs, rtol=1e-12)
    np.testing.assert_allclose(fast_w, plain_w, rtol=1e-12)
