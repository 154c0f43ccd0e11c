"""Merge and constant folding in compiled functions (pytheano/rewriting/basic.py and the
engine's merge): graphs before and after, and values, dtypes, broadcastable patterns, NaN/inf
and errors exactly as optimizer=None."""
import io
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano as theano
import pytheano.tensor as T
from pytheano._core.graph import Constant
from pytheano.compile.mode import Mode
from pytheano.graph.basic import Apply
from pytheano.graph.op import Op
from pytheano.rewriting import basic

NONE = Mode(optimizer=None)


def _graph(f):
    return theano.printing.debugprint(f, file="str")


def _ops(f):
    return sorted(str(n.op) for n in f.maker.fgraph.apply_nodes)


# These tests are about merge and folding: fusion would make one node of what they count.
NO_FUSION = theano.compile.get_mode("FAST_RUN").excluding("fusion")


def _same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype and a.shape == b.shape
    np.testing.assert_array_equal(a, b)  # NaNs at the same places count as equal


def test_merge_and_folding_graph_before_and_after():
    x = T.dvector("x")
    c = T.constant(np.arange(3.0))
    y = (x + c * 2) * (x + c * 2)
    assert _graph(theano.function([x], y, mode=NONE)).count("Elemwise{mul") == 3
    assert _graph(theano.function([x], y, mode=NO_FUSION)) == (
        "Elemwise{mul,no_inplace} [id A] ''   1\n"
        " |Elemwise{add,no_inplace} [id B] ''   0\n"
        " | |x [id C]\n"
        " | |TensorConstant{[0. 2. 4.]} [id D]\n"
        " |Elemwise{add,no_inplace} [id B] ''   0\n")


def test_fast_compile_merges_and_folds_none_does_nothing():
    x = T.dvector("x")
    y = T.exp(x) + T.exp(x) + T.constant(2.0) * 3
    assert _ops(theano.function([x], y, mode="FAST_COMPILE")) == [
        "Elemwise{add,no_inplace}", "Elemwise{add,no_inplace}", "Elemwise{exp,no_inplace}"]
    assert len(_ops(theano.function([x], y, mode=NONE))) == 6


def test_switching_merge_or_folding_off():
    x = T.dvector("x")
    y = T.exp(x) + T.exp(x) + T.constant(2.0) * 3
    mode = NO_FUSION
    no_merge = _ops(theano.function([x], y, mode=mode.excluding("merge")))
    assert no_merge.count("Elemwise{exp,no_inplace}") == 2
    no_fold = _ops(theano.function([x], y, mode=mode.excluding("constant_folding")))
    assert "Elemwise{mul,no_inplace}" in no_fold
    # Not bit for bit against numpy: the C loop's exp is glibc's vector exp (libmvec, within
    # 4 ulp), numpy's is its own or libm's, depending on the CPU (1 ulp apart on AVX2 EPYC).
    for m in (mode, mode.excluding("merge"), mode.excluding("constant_folding"), NONE):
        out = theano.function([x], y, mode=m)(np.arange(3.0))
        assert out.dtype == np.float64
        np.testing.assert_allclose(out, np.exp(np.arange(3.0)) * 2 + 6, rtol=1e-15, atol=0)


_DTYPES = ["float64", "float32", "int64", "int32", "int8", "uint8"]


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(1, 3), min_size=0, max_size=3),
       dtype=st.sampled_from(_DTYPES), cdtype=st.sampled_from(_DTYPES),
       seed=st.integers(0, 2 ** 16))
def test_values_dtypes_and_broadcasting_as_without_rewrites(shape, dtype, cdtype, seed):
    rng = np.random.default_rng(seed)
    x = T.TensorType(dtype, [False] * len(shape))("x")
    c = T.constant(rng.integers(-3, 4, size=shape).astype(cdtype))
    k = T.constant(np.asarray(rng.integers(1, 4), dtype=cdtype))
    outs = [x + c * k, (x + c * k) * (c - k), T.exp(c) + x, c.sum() + x, T.true_div(c, k) - x,
            (c * k).dimshuffle(*(["x"] + list(range(len(shape))))) + x]
    value = rng.integers(-3, 4, size=shape).astype(dtype)
    expected = theano.function([x], outs, mode=NONE)(value)
    f = theano.function([x], outs)
    for got, want in zip(f(value), expected):
        _same(got, want)
    for out, ref in zip(f.maker.fgraph.outputs, outs):
        assert out.type == ref.type  # dtype and broadcastable pattern


def test_nan_inf_and_signed_zero_are_kept():
    x = T.dvector("x")
    # Arrays: T.constant caches scalars by value, so constant(-0.0) is constant(0.0) (as in
    # Theano 1.0) before any rewrite runs.
    zero, negzero = T.constant(np.zeros(2)), T.constant(-np.zeros(2))
    nan = T.constant(np.array([np.nan, 1.0]))
    outs = [x / zero, x / negzero, T.log(zero) + x, nan * 2 + x, T.sqrt(T.constant(-1.0)) + x,
            x / (zero * 1), x / (negzero * 1)]
    value = np.ones(2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = theano.function([x], outs, mode=NONE)(value)
        got = theano.function([x], outs)(value)
    for g, e in zip(got, expected):
        _same(g, e)
    # 0.0 and -0.0 were not merged, as constants nor once folded
    assert got[0][0] == got[5][0] == np.inf and got[1][0] == got[6][0] == -np.inf


def test_a_node_that_fails_is_left_to_fail_when_called():
    a, b = T.constant(np.ones(3)), T.constant(np.ones(4))
    one, zero = T.constant(np.int64(1)), T.constant(np.int64(0))
    for out, error in ((a + b, ValueError), (one // zero, ZeroDivisionError)):
        f = theano.function([], out)  # compiles, as with optimizer=None
        assert len(f.maker.fgraph.apply_nodes) == 1
        with pytest.raises(error):
            f()
        with pytest.raises(error):
            theano.function([], out, mode=NONE)()


def test_profile_counts_each_rewriter():
    x = T.dvector("x")
    y = T.exp(x) + T.exp(x) + T.constant(2.0) * 3
    with theano.config.change_flags(profile_optimizer=True):
        f = theano.function([x], y, profile=True)
    f(np.ones(2))
    counts = f.maker.optimizer_profile[1]
    assert counts["merge1"][1] == 1  # exp(x)
    assert counts["constant_folding"][1] == 2  # DimShuffle{x}(2*3 folded first), then mul
    assert counts["merge2"][1] == 0
    text = io.StringIO()
    f.profile.summary(file=text)
    assert "constant_folding" in text.getvalue()


def test_a_folded_value_from_the_constant_cache_takes_no_line():
    """A small folded value is tensor.constant's shared (cached) constant: stamping the
    rewrite's source line on it would carry that line into every graph that uses the
    number later (and into the rewrite cache's keys, which then differ from run to run)."""
    x = T.dvector("x")
    f = theano.function([x], x * (T.constant(1.5) + T.constant(0.5)), mode=NO_FUSION)
    (folded,) = [i for n in f.maker.fgraph.apply_nodes for i in n.inputs
                 if isinstance(i, Constant)]
    assert folded.cached and folded.creation_site is None
    np.testing.assert_allclose(f(np.ones(2)), [2.0, 2.0])


def test_folded_and_merged_nodes_keep_the_user_line():
    x = T.dvector("x")
    folded = T.constant(np.full(2, 2.0)) * T.constant(np.full(2, 3.0))  # folding replaces it
    first, second = T.exp(x), T.exp(x)
    y = first + second + folded
    f = theano.function([x], y, mode=NO_FUSION)
    consts = [i for n in f.maker.fgraph.apply_nodes for i in n.inputs
              if isinstance(i, Constant)]
    assert [c.creation_site for c in consts] == [folded.creation_site]
    assert folded.creation_site != y.creation_site
    exps = [n for n in f.maker.fgraph.apply_nodes if "exp" in str(n.op)]
    # The merged exp is one of the two the user wrote (the first in topological order).
    assert len(exps) == 1
    assert exps[0].outputs[0].creation_site in (first.creation_site, second.creation_site)


class TheanoStyleFolding(Op):
    """An op written for Theano 1.0: ``do_constant_folding(node)``."""
    __props__ = ("fold",)

    def __init__(self, fold):
        self.fold = fold

    def make_node(self, x):
        x = T.as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = inputs[0] + 1

    def do_constant_folding(self, node):
        return self.fold


def test_theano_1_do_constant_folding_signature():
    c = T.constant(np.ones(2))
    f = theano.function([], TheanoStyleFolding(False)(c))
    assert len(f.maker.fgraph.apply_nodes) == 1
    f = theano.function([], TheanoStyleFolding(True)(c))
    assert _ops(f) == ["DeepCopyOp"]  # of the folded constant, as Theano 1.0
    _same(f(), np.full(2, 2.0))


def test_print_of_a_constant_prints_when_called(capsys):
    f = theano.function([], theano.printing.Print("c is")(T.constant(np.ones(2))) * 2)
    assert "c is" not in capsys.readouterr().out
    f()
    f()
    assert capsys.readouterr().out.count("c is") == 2


def test_large_values_are_not_folded(monkeypatch):
    monkeypatch.setattr(basic, "MAX_FOLDED_BYTES", 8 * 10)
    x = T.dvector("x")
    small, large = T.constant(np.ones(10)) * 2, T.constant(np.ones(11)) * 2
    f = theano.function([x], [x + small, x[:1] + large], mode=NO_FUSION)
    assert _ops(f).count("Elemwise{mul,no_inplace}") == 1


# --------------------------------------------------------------------------- Alloc

def _plan_with_shapes(rule):
    from pytheano.graph.rewriting import CANONICALIZE, MERGE1, Query, RewriteDatabase
    from pytheano.rewriting import shape as rshape

    db = RewriteDatabase()
    db.register(rshape.attach_shape_feature, MERGE1, "t")
    db.register(rule, CANONICALIZE, "t")
    return db.query(Query(include=("t",)))


def _has_alloc(fg):
    return any(isinstance(n.op, T.Alloc) for n in fg.apply_nodes)


ALLOC_ROWS = [
    (basic.local_useless_alloc, lambda x: T.alloc(x, x.shape[0], x.shape[1]),
     lambda fg: fg.outputs[0] is fg.inputs[0]),
    (basic.local_useless_alloc, lambda x: T.alloc(T.exp(x), x.shape[0], x.shape[1]),
     lambda fg: not _has_alloc(fg)),
    (basic.local_canonicalize_alloc, lambda x: T.alloc(x, 1, x.shape[0], x.shape[1]),
     lambda fg: not _has_alloc(fg)),
    (basic.local_canonicalize_alloc, lambda x: T.alloc(x[0], 1, 3, x.shape[1]),
     lambda fg: _has_alloc(fg) and isinstance(fg.outputs[0].owner.op, T.DimShuffle)),
    (basic.local_merge_alloc, lambda x: T.alloc(T.alloc(x[0], 4, x.shape[1]), 2, 4,
                                                x.shape[1]),
     lambda fg: sum(isinstance(n.op, T.Alloc) for n in fg.apply_nodes) == 1),
]


@pytest.mark.parametrize("row", ALLOC_ROWS, ids=lambda row: row[0].name)
def test_alloc_rule(row):
    rule, build, expected = row
    x = T.dmatrix("x")
    from tests.helpers import check_rewrite

    check_rewrite(build, _plan_with_shapes(rule), expected=expected, inputs=[x],
                  special=("nan", "inf"))


def test_alloc_to_another_shape_stays():
    # alloc(x, 3, 4) of a (2, 4) x raises: not known to be x's shape, so it stays.
    x = T.dmatrix("x")
    f = theano.function([x], T.alloc(x, 3, 4))
    assert any(isinstance(n.op, T.Alloc) for n in f.maker.fgraph.apply_nodes)
    with pytest.raises(ValueError):
        f(np.zeros((2, 4)))
    g = theano.function([x], T.alloc(T.alloc(x[0], 4, 2), 1, 3, 2))  # 4 -> 3: no merge
    with pytest.raises(ValueError):
        g(np.zeros((2, 2)))


def test_merge_alloc_through_broadcast_ones():
    # Theano's case: alloc(alloc(m, 1, y, 1, 1), x, y, z, w) is one alloc.
    x, y, z, w = (T.iscalar(n) for n in "xyzw")
    m = T.fscalar("m")
    out = T.alloc(T.alloc(m, 1, y, 1, 1), x, y, z, w)
    f = theano.function([m, x, y, z, w], out)
    assert [type(n.op) for n in f.maker.fgraph.toposort()] == [T.Alloc]
    assert f(1.5, 1, 2, 3, 4).shape == (1, 2, 3, 4)
    # A vector m cannot be broadcast from a 1 to y: that alloc raises, merged or not.
    v = T.fvector("v")
    bad = theano.function([v, x, y], T.alloc(T.alloc(v, 1, 1), x, y))
    with pytest.raises(ValueError):
        bad(np.ones(3, dtype="float32"), 2, 3)


def test_a_join_of_one_tensor_is_the_tensor():
    from pytheano.tensor.join import Join

    x = T.TensorType("float64", (True, False, True))("x")
    f = theano.function([x], Join()(0, x))
    assert not any(isinstance(n.op, Join) for n in f.maker.fgraph.apply_nodes)
    xv = np.ones((1, 4, 1))
    np.testing.assert_array_equal(f(xv), xv)
    assert f(xv) is not xv  # an output, copied
    # A symbolic axis may be out of range: the join stays and raises as without rewrites.
    k = T.iscalar("k")
    g = theano.function([x, k], Join()(k, x))
    assert any(isinstance(n.op, Join) for n in g.maker.fgraph.apply_nodes)
    with pytest.raises(IndexError):
        g(xv, 5)
    with pytest.raises(IndexError):
        theano.function([x, k], Join()(k, x), mode=NONE)(xv, 5)
