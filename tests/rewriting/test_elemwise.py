"""pytheano/rewriting/elemwise.py: DimShuffles composed and removed, casts to the same dtype
removed; Elemwise trees fused into Elemwise(Composite) as Theano 1.0.5 fuses them; Elemwise
nodes in place where the DestroyHandler allows; graphs before and after, values exactly as
optimizer=None (random graphs)."""
import random

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

import pytheano
import pytheano.tensor as T
from pytheano._core.fgraph import FunctionGraph
from pytheano.compile.mode import Mode
from pytheano.graph.rewriting import Query
from pytheano.rewriting import elemwise as relem
from pytheano.scalar.composite import Composite
from pytheano.tensor.elemwise import DimShuffle, Elemwise
from tests.helpers import (assert_same_as_unrewritten, check_rewrite, random_value)

NONE = Mode(optimizer=None)
# numpy's perform for every node, for the bit-for-bit comparisons (the C backend's libm may
# differ from numpy by an ulp).
PY_NONE = Mode(linker="py", optimizer=None)
SPECIAL = ("nan", "inf", "-inf")


def _names(fgraph):
    return [str(n.op) for n in fgraph.toposort()]




FIRES = [
    (relem.local_dimshuffle_dimshuffle, lambda x: x.T.T, [DimShuffle]),
    (relem.local_dimshuffle_dimshuffle, lambda x: x.dimshuffle(1, "x", 0).dimshuffle(2, 1, 0),
     [DimShuffle]),
    (relem.local_dimshuffle_identity, lambda x: x.dimshuffle(0, 1), []),
    (relem.local_cast_same_dtype, lambda x: Elemwise(pytheano.scalar.basic.Cast(
        pytheano.scalar.basic.float64))(x), []),
]


@pytest.mark.parametrize("row", FIRES, ids=lambda row: row[0].name)
def test_rule_fires(row):
    rewrite, build, expected = row
    x = T.dmatrix("x")
    fg = check_rewrite(build, rewrite, expected=expected, inputs=[x], special=SPECIAL)
    assert_same_as_unrewritten([x], build(x))
    if expected:
        # The two DimShuffles of x.T.T compose to the identity, which the next rule removes.
        assert fg.toposort()[0].inputs[0].name == "x"


def test_dimshuffles_compose_then_vanish_under_fast_run():
    x = T.dmatrix("x")
    f = pytheano.function([x], x.T.T.dimshuffle("x", 0, 1).dimshuffle(1, 2), mode="FAST_RUN")
    assert _names(f.maker.fgraph) == ["DeepCopyOp"]


def test_dropping_a_broadcastable_axis_is_kept():
    # row.dimshuffle('x', 0, 1).dimshuffle(2, 0) is DimShuffle{1, 0}: the composed order
    # drops the row's broadcastable axis 0 and reuses it as the 'x' in front; type (n, 1).
    x = T.row("x", dtype="float64")
    build = lambda x: x.dimshuffle("x", 0, 1).dimshuffle(2, 0)  # noqa: E731
    check_rewrite(build, relem.local_dimshuffle_dimshuffle, expected=[DimShuffle],
                  inputs=[x], special=SPECIAL)
    assert_same_as_unrewritten([x], build(x))


@pytest.mark.parametrize("build", [lambda x: x.dimshuffle(1, 0), lambda x: x.dimshuffle(0, "x", 1)])
def test_no_identity_no_removal(build):
    x = T.dmatrix("x")
    check_rewrite(build, relem.local_dimshuffle_identity, expected=[DimShuffle], inputs=[x])


def test_a_cast_that_changes_the_dtype_stays():
    x = T.dmatrix("x")
    check_rewrite(lambda x: T.cast(x, "float32"), relem.local_cast_same_dtype,
                  expected=lambda fg: _names(fg) == ["Elemwise{Cast{float32}}"], inputs=[x],
                  special=SPECIAL)


# --------------------------------------------------------------------------- fusion

FUSION_ONLY = Query(include=("fusion",))
REWRITES_WITHOUT_ALGEBRA = Query(include=("fusion", "inplace", "merge"))
PY_FUSED = Mode(linker="py", optimizer=REWRITES_WITHOUT_ALGEBRA)


def _values(vars_, shape=(3, 4), seed=0, dtype=None):
    rng = np.random.default_rng(seed)
    out = []
    for v in vars_:
        shp = tuple(1 if b else n for b, n in zip(v.type.broadcastable, shape[-v.ndim:]))
        out.append(np.asarray(random_value(shp, dtype or v.type.dtype, rng)))
    return out


def _composites(fgraph):
    return [n for n in fgraph.toposort() if isinstance(n.op, Elemwise)
            and isinstance(n.op.scalar_op, Composite)]


def test_the_issues_expression_becomes_one_node():
    x, y = T.dmatrix("x"), T.dmatrix("y")
    build = lambda x, y: T.exp(-x) * T.sin(y) + x * y / (1 + x * x)  # noqa: E731
    fg = check_rewrite(build, FUSION_ONLY, inputs=[x, y], values=_values([x, y]),
                       expected=[DimShuffle, Elemwise])  # the constant 1, made a matrix
    op = fg.toposort()[1].op
    assert str(op) == ("Elemwise{Composite{((exp((-i0)) * sin(i1)) + ((i0 * i1) / "
                       "(i2 + (i0 * i0))))}}")
    assert [str(i) for i in fg.toposort()[1].inputs[:2]] == ["x", "y"]


def test_the_books_expression_prints_as_the_seed():
    x, y = T.dmatrix("x"), T.dmatrix("y")
    f = pytheano.function([x, y], (x + y) * x)
    assert pytheano.printing.debugprint(f, file="str") == (
        "Elemwise{Composite{((i0 + i1) * i0)}} [id A] ''   0\n"
        " |x [id B]\n"
        " |y [id C]\n")


# (build, inputs, the scalar ops of Theano 1.0.5's fused graph on the peer)
FUSED = [
    (lambda a, b: T.exp(a + b), "mm", ["Composite{exp((i0 + i1))}"]),
    (lambda a, b: T.exp(a) + T.exp(b) * a, "mm", ["Composite{(exp(i0) + (exp(i1) * i0))}"]),
    # A value that is also an output is computed once and not fused into its reader.
    (lambda a, b: (lambda e: [e, e * 2])(T.exp(a + b)), "mm",
     ["Composite{exp((i0 + i1))}", "mul"]),
    (lambda a, v: T.tanh(a) + v, "mv", ["Composite{(tanh(i0) + i1)}"]),
    # Broadcasting inside: the row is read as it is.
    (lambda a, v: T.tanh(a + v) * 2, "mv", ["Composite{(tanh((i0 + i1)) * i2)}"]),
    # A value three nodes read: fused once they are one node (it is computed once in it).
    (lambda a, b: (lambda m: T.exp(m) + T.log(m) * T.cos(m))(a * b), "mm",
     ["Composite{(exp((i0 * i1)) + (log((i0 * i1)) * cos((i0 * i1))))}"]),
    # ... but not while another node reads it.
    (lambda a, b: (lambda m: [T.exp(m) + T.log(m), T.cos(m)])(a * b), "mm",
     ["mul", "cos", "Composite{(exp(i0) + log(i0))}"]),
    # The same value read twice by one node is fused once.
    (lambda a, b: (a + b) * (a + b), "mm", ["Composite{((i0 + i1) * (i0 + i1))}"]),
]


def _inputs(kinds):
    return [T.dmatrix("a") if k == "m" else T.dvector("v") if k == "v" else T.dmatrix("b")
            for k in kinds.replace("mm", "mb")]


@pytest.mark.parametrize("build,kinds,expected", FUSED, ids=[r[2][-1] for r in FUSED])
def test_fused_as_theano(build, kinds, expected):
    inputs = _inputs(kinds)
    fg = check_rewrite(build, FUSION_ONLY, inputs=inputs, values=_values(inputs))
    names = [str(n.op.scalar_op) for n in fg.toposort() if isinstance(n.op, Elemwise)]
    assert sorted(n.replace("Elemwise{", "") for n in names) == sorted(expected)


def _rows(*names):
    return [T.drow(n) for n in names]


NOT_FUSED = [
    # The add is a row, the mul a matrix: a fused node would compute the add per element of
    # the matrix.
    (lambda r, s, m: (r + s) * m, lambda: _rows("r", "s") + [T.dmatrix("m")], 2),
    # Integer division needs a check of its divisor in the loop: no C for a fused one.
    (lambda i, j, k: (i // j) + k, lambda: [T.lvector("i"), T.lvector("j"), T.lvector("k")], 2),
    # Complex numbers have no C template: numpy computes them, unfused.
    (lambda a, b, c: (a + b) * c, lambda: [T.zvector("a"), T.zvector("b"), T.zvector("c")], 2),
]


@pytest.mark.parametrize("build,make,n_nodes", NOT_FUSED, ids=["bcast", "intdiv", "complex"])
def test_not_fused(build, make, n_nodes):
    inputs = make()
    values = _values(inputs, shape=(3, 4))
    if inputs[0].dtype == "int64":
        values[1] = np.where(values[1] == 0, 1, values[1])
    fg = check_rewrite(build, FUSION_ONLY, inputs=inputs, values=values)
    assert len(fg.apply_nodes) == n_nodes and not _composites(fg)


def test_multi_output_nodes_are_not_fused():
    x, y = T.dvector("x"), T.dvector("y")
    two = Elemwise(Composite(*(lambda a, b: ([a, b], [a + b, a * b]))(*pytheano.scalar.floats(
        "ab"))))
    build = lambda x, y: T.exp(two(x, y)[0]) + two(x, y)[1]  # noqa: E731
    fg = check_rewrite(build, FUSION_ONLY, inputs=[x, y], values=_values([x, y]))
    assert any(len(n.outputs) == 2 for n in fg.toposort())


def test_the_input_limit(monkeypatch):
    xs = [T.dvector("x%d" % k) for k in range(6)]
    build = lambda *xs: T.exp(xs[0] + xs[1]) * T.exp(xs[2] + xs[3]) * T.exp(  # noqa: E731
        xs[4] + xs[5])
    assert len(_composites(check_rewrite(build, FUSION_ONLY, inputs=xs,
                                         values=_values(xs)))) == 1
    monkeypatch.setattr(relem, "max_fused_inputs", lambda: 3)
    fg = check_rewrite(build, FUSION_ONLY, inputs=xs, values=_values(xs))
    assert all(len(n.inputs) <= 3 for n in fg.toposort())
    assert len(fg.apply_nodes) > 1


def test_flag_and_excluding_turn_it_off():
    x, y = T.dmatrix("x"), T.dmatrix("y")
    out = T.exp(x) * y + 1
    assert len(pytheano.function([x, y], out).maker.fgraph.apply_nodes) == 1
    with pytheano.change_flags(**{"tensor.local_elemwise_fusion": False}):
        assert len(pytheano.function([x, y], out).maker.fgraph.apply_nodes) == 3
    f = pytheano.function([x, y], out, mode=pytheano.compile.get_mode("FAST_RUN").excluding(
        "fusion"))
    assert len(f.maker.fgraph.apply_nodes) == 3
    with pytheano.change_flags(optimizer_excluding="fusion"):
        assert len(pytheano.function([x, y], out).maker.fgraph.apply_nodes) == 3


def test_theano_names():
    from pytheano.tensor import opt
    assert opt.local_elemwise_fusion is relem.local_elemwise_fusion
    assert isinstance(opt.elemwise_fusion, opt.FusionOptimizer)
    assert opt.inplace_elemwise_optimizer is opt.insert_inplace_optimizer
    x, y = T.dvector("x"), T.dvector("y")
    fg = FunctionGraph([x, y], [T.exp(x) * y], clone=True)
    assert opt.FusionOptimizer(opt.local_elemwise_fusion).optimize(fg) == 1
    assert len(fg.apply_nodes) == 1


def test_fused_node_keeps_the_users_line():
    x, y = T.dvector("x"), T.dvector("y")
    out = T.exp(x) * y
    f = pytheano.function([x, y], out)
    assert f.maker.fgraph.outputs[0].owner.inputs[0].creation_site == out.creation_site or \
        f.maker.fgraph.toposort()[0].outputs[0].creation_site == out.creation_site


def test_logistic_regression_step_is_fused_and_in_place():
    rng = np.random.default_rng(0)
    x, y = T.dmatrix("x"), T.dvector("y")
    w = pytheano.shared(rng.standard_normal(5), name="w")
    b = pytheano.shared(0.0, name="b")
    p_1 = 1 / (1 + T.exp(-T.dot(x, w) - b))
    xent = -y * T.log(p_1) - (1 - y) * T.log(1 - p_1)
    cost = xent.mean() + 0.01 * (w ** 2).sum()
    gw, gb = T.grad(cost, [w, b])
    outs = [p_1 > 0.5, xent]
    updates = [(w, w - 0.1 * gw), (b, b - 0.1 * gb)]
    xv, yv = rng.standard_normal((20, 5)), (rng.random(20) > 0.5).astype("float64")
    w0 = w.get_value()
    f_none = pytheano.function([x, y], outs, updates=updates, mode=NONE)
    want = f_none(xv, yv)
    w_none = w.get_value()
    w.set_value(w0)
    b.set_value(0.0)
    f = pytheano.function([x, y], outs, updates=updates)
    text = pytheano.printing.debugprint(f, file="str")
    # As in Theano 1.0.5's graph of this step (its first nodes are these two), and the
    # updates computed in w's and b's own storage: no copy of them.
    assert "Elemwise{Composite{((-i0) - i1)}}[(0, 0)]" in text
    # (Theano keeps sigmoid(-z) a node of its own; with the gradient's sigmoid products
    # simplified, only p_1 > 0.5 reads it here, and it fuses into that node.)
    assert "Elemwise{Composite{GT(scalar_sigmoid((-i0)), i1)}}" in text
    assert len(_composites(f.maker.fgraph)) >= 5
    assert "DeepCopyOp" not in text, text
    got = f(xv, yv)
    for g, w_ in zip(got, want):
        np.testing.assert_allclose(g, w_, rtol=1e-12)
    np.testing.assert_allclose(w.get_value(), w_none, rtol=1e-12)
    # Fewer nodes than without fusion.
    n_fused = len(f.maker.fgraph.apply_nodes)
    n_plain = len(pytheano.function([x, y], outs, updates=updates, mode=pytheano.compile.get_mode(
        "FAST_RUN").excluding("fusion")).maker.fgraph.apply_nodes)
    assert n_fused < n_plain


# --------------------------------------------------------------------------- in place

def _destroyers(f):
    return [n for n in f.maker.fgraph.toposort() if getattr(n.op, "destroy_map", None)]


def test_in_place_on_an_intermediate_as_theano_prints_it():
    a, b = T.dmatrix("a"), T.dmatrix("b")
    f = pytheano.function([a, b], T.exp(T.dot(a, b)))
    assert [str(n.op) for n in _destroyers(f)] == ["Elemwise{Exp}[(0, 0)]"]
    f = pytheano.function([a, b], T.dot(a, b) * 2 + T.exp(T.dot(a, b)))
    # Canonical order: the constant first, as Theano prints it.
    assert [str(n.op) for n in _destroyers(f)] == [
        "Elemwise{Composite{((i0 * i1) + exp(i1))}}[(0, 1)]"]
    av, bv = _values([a, b], shape=(3, 3))
    a0, b0 = av.copy(), bv.copy()
    np.testing.assert_allclose(f(av, bv), (a0 @ b0) * 2 + np.exp(a0 @ b0))
    np.testing.assert_array_equal(av, a0)
    np.testing.assert_array_equal(bv, b0)


def test_never_into_a_protected_input_but_into_a_mutable_one():
    a = T.dmatrix("a")
    f = pytheano.function([a], T.exp(a) * 2)
    assert not _destroyers(f)
    value = np.ones((2, 2))
    f(value)
    np.testing.assert_array_equal(value, np.ones((2, 2)))
    f = pytheano.function([pytheano.In(a, mutable=True)], T.exp(a) * 2)
    assert [str(n.op) for n in _destroyers(f)] == ["Elemwise{Composite{(i0 * exp(i1))}}[(0, 1)]"]
    value = np.ones((2, 2))
    out = f(value)
    np.testing.assert_allclose(out, np.exp(1) * 2)


def test_never_into_a_value_read_later_or_returned():
    a, b = T.dmatrix("a"), T.dmatrix("b")
    d = T.dot(a, b)
    f = pytheano.function([a, b], [d, T.exp(d)])         # d is returned: not overwritten
    assert not _destroyers(f)
    av, bv = _values([a, b], shape=(3, 3))
    got_d, got_e = f(av, bv)
    np.testing.assert_allclose(got_d, av @ bv)
    np.testing.assert_allclose(got_e, np.exp(av @ bv))
    # Two readers: one may overwrite d once the other has read it.
    f = pytheano.function([a, b], T.exp(d).sum() + T.tanh(d).sum(axis=0))
    np.testing.assert_allclose(f(av, bv), np.exp(av @ bv).sum() + np.tanh(av @ bv).sum(0))
    assert len(_destroyers(f)) <= 2


def test_shared_variable_updated_in_place_unless_not_updated():
    w = pytheano.shared(np.ones(4), name="w")
    v = pytheano.shared(np.ones(4), name="v")
    x = T.dvector("x")
    f = pytheano.function([x], (v * x).sum(), updates=[(w, w - 0.5 * T.exp(x))])
    assert [str(n.op) for n in _destroyers(f)] == ["Elemwise{Composite{(i0 - (i1 * exp(i2)))}}"
                                                   "[(0, 0)]"]
    f(np.zeros(4))
    np.testing.assert_allclose(w.get_value(), 0.5)
    np.testing.assert_array_equal(v.get_value(), 1.0)  # read, never written


def test_excluding_inplace_turns_it_off():
    a, b = T.dmatrix("a"), T.dmatrix("b")
    mode = pytheano.compile.get_mode("FAST_RUN")
    assert _destroyers(pytheano.function([a, b], T.exp(T.dot(a, b)), mode=mode))
    assert not _destroyers(pytheano.function([a, b], T.exp(T.dot(a, b)),
                                             mode=mode.excluding("inplace")))
    assert not _destroyers(pytheano.function(
        [a, b], T.exp(T.dot(a, b)), mode=mode.excluding("inplace_elemwise_optimizer")))


# --------------------------------------------------------------------------- random graphs

_UNARY = [T.exp, T.neg, T.tanh, T.sqr, T.abs_, lambda v: T.cast(v, "float32"),
          lambda v: T.cast(v, "int16"), T.sin, lambda v: v * 2, lambda v: 1 - v]
_BINARY = [T.add, T.sub, T.mul, T.maximum, T.minimum, lambda u, v: T.switch(u > v, u, v),
           lambda u, v: u / (abs(v) + 1)]
_DTYPES = ["float64", "float32", "int64", "int32", "int8", "uint8", "bool"]


_PATTERNS = [(True, False), (False, True), (False, False), ()]


def _random_graph(rnd, dtypes=_DTYPES, patterns=_PATTERNS):
    """A random elementwise graph (``rnd``: a random.Random): inputs of random dtypes and
    broadcast patterns (rows, columns, matrices, 0-d), nodes reading earlier values (values
    read twice, long chains), one to three outputs (an output may be read by later nodes
    too); and a shape and a seed for the values."""
    n_in = rnd.randint(1, 4)
    inputs = [T.TensorType(rnd.choice(dtypes), rnd.choice(patterns))("in%d" % k)
              for k in range(n_in)]
    values = list(inputs)
    for _ in range(rnd.randint(1, 12)):
        if rnd.random() < 0.5:
            op, args = rnd.choice(_UNARY), [rnd.choice(values)]
        else:
            op, args = rnd.choice(_BINARY), [rnd.choice(values), rnd.choice(values)]
        try:
            values.append(op(*args))
        except TypeError:
            continue  # a dtype the op refuses
    made = values[n_in:] or [T.exp(inputs[0])]
    outputs = [made[-1]] + [rnd.choice(made) for _ in range(rnd.randint(0, 2))]
    shape = (rnd.choice([0, 1, 3]), rnd.choice([1, 2, 4]))
    return inputs, outputs, shape, rnd.randint(0, 1000)


_graphs = st.builds(_random_graph, st.randoms(use_true_random=False))


def _input_values(inputs, shape, seed):
    rng = np.random.default_rng(seed)
    out = []
    for v in inputs:
        shp = tuple(1 if b else n for b, n in zip(v.type.broadcastable, shape))
        out.append(np.asarray(random_value(shp, v.type.dtype, rng)))
    return out


def _run(inputs, outputs, values, mode):
    f = pytheano.function(inputs, outputs, mode=mode, on_unused_input="ignore")
    copies = [v.copy() for v in values]
    with np.errstate(all="ignore"):
        got = f(*values)
    for v, c in zip(values, copies):
        np.testing.assert_array_equal(v, c)  # no input overwritten
    return f, got


@settings(max_examples=60, deadline=None)
@given(_graphs)
def test_random_graphs_fused_and_in_place_give_exactly_the_unrewritten_values(graph):
    # Fusion and in-place run the same numpy calls as the unrewritten graph, in the same
    # dtypes: the values agree bit for bit.
    inputs, outputs, shape, seed = graph
    values = _input_values(inputs, shape, seed)
    _, want = _run(inputs, outputs, values, PY_NONE)
    f, got = _run(inputs, outputs, values, PY_FUSED)
    for g, w, o in zip(got, want, outputs):
        assert g.dtype == w.dtype == o.dtype and g.shape == w.shape
        np.testing.assert_array_equal(g, w)


@settings(max_examples=40, deadline=None)
@given(_graphs)
def test_random_graphs_under_fast_run_agree_with_optimizer_none(graph):
    # FAST_RUN also rewrites the algebra (x * 2 -> x + x, 1 - x ... and the stable forms):
    # other numpy calls, so values agree within rounding; dtypes, shapes and NaN positions
    # exactly.
    inputs, outputs, shape, seed = graph
    values = _input_values(inputs, shape, seed)
    _, want = _run(inputs, outputs, values, NONE)
    _, got = _run(inputs, outputs, values, "FAST_RUN")
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape
        if g.dtype.kind == "f":
            np.testing.assert_allclose(g, w, rtol=1e-5 if g.dtype == np.float32 else 1e-12,
                                       equal_nan=True)
        else:
            np.testing.assert_array_equal(g, w)


def test_random_float_graphs_use_in_place_and_stay_exact():
    # One dtype and pattern: values read by several nodes can be overwritten by the last
    # reader; the fixed seeds make sure in-place nodes do run, and exactly.
    used = 0
    for seed in range(30):
        inputs, outputs, shape, vseed = _random_graph(random.Random(seed), ["float64"],
                                                      [(False, False)])
        values = _input_values(inputs, shape, vseed)
        _, want = _run(inputs, outputs, values, PY_NONE)
        f, got = _run(inputs, outputs, values, PY_FUSED)
        used += bool(_destroyers(f))
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g, w)
    assert used >= 3


def test_fusion_and_in_place_together():
    a, b = T.dmatrix("a"), T.dmatrix("b")
    d = T.dot(a, b)
    f = pytheano.function([a, b], [T.tanh(d) * 2 + d, T.exp(a) - b])
    assert len(_composites(f.maker.fgraph)) == 2 and len(_destroyers(f)) == 1


def test_bool_sum_fused_in_its_own_dtype():
    # Theano 1.0.5 computed the fused z + z + d in the output dtype: 2.5 for z = True.
    z, d = T.vector("z", dtype="bool"), T.dvector("d")
    f = pytheano.function([z, d], z + z + d)
    assert len(_composites(f.maker.fgraph)) == 1
    np.testing.assert_array_equal(f([True, False], [0.5, 0.5]), [1.5, 0.5])


_FUSABLE = [
    lambda a, b, c: T.exp(-a) * T.sin(b) + a * b / (1 + a * a) - c,
    lambda a, b, c: T.maximum(a, b) * c + T.sqr(a - c),
    lambda a, b, c: T.switch(a > b, T.tanh(a), c * 2) + 1,
]


@settings(max_examples=40, deadline=None)
@given(dtypes=st.lists(st.sampled_from(_DTYPES), min_size=3, max_size=3),
       patterns=st.lists(st.sampled_from([(False, False), (True, False), (False, True),
                                          (True, True)]), min_size=3, max_size=3),
       which=st.integers(0, len(_FUSABLE) - 1),
       shape=st.tuples(st.sampled_from([0, 1, 3]), st.sampled_from([1, 2, 5])),
       seed=st.integers(0, 99))
def test_fusion_keeps_values_over_dtypes_and_broadcast_patterns(dtypes, patterns, which,
                                                                shape, seed):
    inputs = [T.TensorType(d, p)("abc"[k]) for k, (d, p) in enumerate(zip(dtypes, patterns))]
    try:
        _FUSABLE[which](*inputs)
    except TypeError:
        assume(False)  # a dtype the expression refuses
    values = _input_values(inputs, shape, seed)
    with np.errstate(all="ignore"):
        fg = check_rewrite(_FUSABLE[which], FUSION_ONLY, inputs=inputs, values=values,
                           expected=lambda fg: len(_composites(fg)) >= 1)
    # Whatever is left unfused is there for a reason: another pattern, or no C.
    for node in fg.toposort():
        if isinstance(node.op, Elemwise) and not isinstance(node.op.scalar_op, Composite):
            readers = [c for c, _ in fg.clients[node.outputs[0]]]
            assert not relem._renders_c(node) or any(
                c == "output" or c.outputs[0].type.broadcastable
                != node.outputs[0].type.broadcastable or not relem._renders_c(c)
                for c in readers), node
