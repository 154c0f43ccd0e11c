"""pytheano/rewriting/math.py: log1p, expm1 and logsumexp (the shared row checks are in
tests/rewriting/stability.py)."""
import numpy as np
import pytest
from scipy.special import logsumexp, softmax

import pytheano.tensor as T
from hypothesis import given, settings
from hypothesis import strategies as st
from pytheano.graph.rewriting import CANONICALIZE, MERGE1, Query, RewriteDatabase
from pytheano.rewriting import basic as rbasic
from pytheano.rewriting import math as rmath
from pytheano.rewriting import shape as rshape
from pytheano.rewriting.math import is_node_of
from pytheano.scalar import basic as scal
from pytheano.tensor.elemwise import Elemwise
from pytheano._core.fgraph import FunctionGraph
from pytheano.compile.mode import Mode
from tests.helpers import assert_same_as_unrewritten, check_rewrite, random_value
from tests.rewriting import stability
from tests.rewriting.stability import Row


def _matrix(dtype):
    return [T.matrix("x", dtype=dtype)]


def _uniform(low, high):
    def values(rng, shape, dtype):
        return [rng.uniform(low, high, size=shape).astype(dtype)]
    return values


SPECIAL = ("nan", "inf", "-inf")
TINY = [np.full((2, 3), 1e-17)]
HUGE = [np.array([[1000.0, 999.0, -5.0], [-1e4, -1e4 - 1, -1e4 - 2]])]

# The logsumexp rows' gradients at HUGE are finite by local_logsumexp_grad (T.grad writes
# exp(x) / sum(exp(x)) before any rewrite).
ROWS = [
    Row("local_log1p", lambda x: T.log(1 + x), _matrix, _uniform(-0.9, 3), TINY,
        np.log1p, "log1p"),
    Row("local_log1p", lambda x: T.log(x + 1.0), _matrix, _uniform(-0.9, 3), TINY,
        np.log1p, "log1p"),
    Row("local_expm1", lambda x: T.exp(x) - 1, _matrix, _uniform(-3, 3), TINY,
        np.expm1, "expm1"),
    Row("local_logsumexp", lambda x: T.log(T.sum(T.exp(x), axis=1)), _matrix,
        _uniform(-3, 3), HUGE, lambda x: logsumexp(x, axis=1), "MaxAndArgmax"),
    Row("local_logsumexp", lambda x: T.log(T.exp(x).sum(axis=0, keepdims=True)), _matrix,
        _uniform(-3, 3), [HUGE[0].T], lambda x: logsumexp(x, axis=0, keepdims=True),
        "MaxAndArgmax"),
    Row("local_logsumexp", lambda x: T.log(T.sum(T.exp(x))), _matrix, _uniform(-3, 3),
        HUGE, logsumexp, "MaxAndArgmax"),
]


@pytest.mark.parametrize("row", ROWS, ids=repr)
def test_graph(row):
    stability.check_graph(row)


@pytest.mark.parametrize("row", ROWS, ids=repr)
def test_values(row):
    stability.check_values(row)


@pytest.mark.parametrize("row", ROWS, ids=repr)
def test_extreme(row):
    stability.check_extreme(row)


@pytest.mark.parametrize("row", ROWS, ids=repr)
def test_gradient(row):
    stability.check_gradient(row)


def test_logsumexp_keeps_inf_rows():
    # An all -inf row is -inf (not nan), a +inf entry inf, a nan entry nan: the exact math.
    x = T.matrix("x", dtype="float64")
    f = stability.pytheano.function([x], T.log(T.sum(T.exp(x), axis=1)))
    out = f(np.array([[-np.inf, -np.inf], [np.inf, 0.0], [np.nan, 0.0]]))
    assert out[0] == -np.inf and out[1] == np.inf and np.isnan(out[2])


def test_no_rewrite_when_the_dtype_would_change():
    # log(1 + x) on int8 is float32; log1p(x) of the same ints would be too, but an int64
    # constant 1 upcasts: only a replacement of the same type is taken.
    x = T.vector("x", dtype="int8")
    out = T.log(np.int64(1) + x)
    f = stability.pytheano.function([x], out)
    assert f.maker.fgraph.outputs[0].type == out.type
    np.testing.assert_allclose(f(np.array([1, 2], dtype="int8")), np.log([2, 3]))


@pytest.mark.parametrize("axis,shape", [(1, (2, 0)), (None, (0, 3)), (0, (0, 3)),
                                        ((0, 1), (3, 0))])
def test_logsumexp_of_an_empty_axis_is_minus_inf(axis, shape):
    # Theano 1.0.5 raises here once rewritten (its max has nothing to reduce); the shift is
    # an ifelse that does not compute the max of an empty axis.
    x = T.matrix("x", dtype="float64")
    out = T.log(T.sum(T.exp(x), axis=axis))
    g = stability.pytheano.grad(out.sum(), x)
    f = stability.pytheano.function([x], [out, g], mode=stability.FAST_RUN)
    assert "MaxAndArgmax" in stability.pytheano.printing.debugprint(f, file="str")
    f_none = stability.pytheano.function([x], [out, g], mode=stability.NONE)
    v = np.zeros(shape)
    for got, want in zip(f(v), f_none(v)):
        np.testing.assert_array_equal(got, want)
        assert got.dtype == want.dtype
    np.testing.assert_allclose(f(HUGE[0])[0], logsumexp(HUGE[0], axis=axis))


@pytest.mark.parametrize("axis", [1, None])
def test_logsumexp_applies_once(axis):
    # Its output log(sum(exp(x - shift))) + shift matches its own pattern: it must not
    # rewrite it again (tools/random_graphs.py found a graph grown to the node cap).
    x = T.matrix("x", dtype="float64")
    with stability.pytheano.change_flags(profile_optimizer=True):
        f = stability.pytheano.function([x], T.log(T.sum(T.exp(x), axis=axis)),
                                        mode=stability.FAST_RUN)
    assert f.maker.optimizer_profile[1]["local_logsumexp"][1] == 1
    assert len(f.maker.fgraph.apply_nodes) < 20


@pytest.mark.parametrize("axis,keepdims", [(1, False), (0, True), (None, False)])
def test_logsumexp_grad_is_the_softmax(axis, keepdims):
    x = T.matrix("x", dtype="float64")
    g = stability.pytheano.grad(T.log(T.sum(T.exp(x), axis=axis, keepdims=keepdims)).sum(), x)
    f = stability.pytheano.function([x], g, mode=stability.FAST_RUN)
    np.testing.assert_allclose(f(HUGE[0]), softmax(HUGE[0], axis=axis), atol=1e-12)
    off = stability.FAST_RUN.excluding("local_logsumexp_grad")
    assert not np.all(np.isfinite(stability.pytheano.function([x], g, mode=off)(HUGE[0])))


# The identities and specializations: each row is (rewrite, builder, input types, the op
# names of the rewritten graph). Values are checked by check_rewrite on random inputs with
# NaN and +-inf, and again exactly (assert_array_equal) against optimizer=None.
from tests.helpers import random_input  # noqa: E402

NONE = Mode(optimizer=None)
SPECIAL = ("nan", "inf", "-inf")


def _names(fgraph):
    return [str(n.op) for n in fgraph.toposort()]




def _dm():
    return [T.dmatrix("x")]


def _fm():
    return [T.fmatrix("x")]


def _im():
    return [T.imatrix("x")]


def _irow():
    return [T.row("x", dtype="int32")]


def _cm():
    return [T.matrix("x", dtype="complex128")]


def _drow():
    return [T.row("x", dtype="float64")]


FIRES = [
    (rmath.local_mul_by_one, lambda x: x * 1, _dm, []),
    (rmath.local_mul_by_one, lambda x: 1 * x, _fm, []),
    (rmath.local_mul_by_one, lambda x: x * np.int32(1), _im, []),
    (rmath.local_mul_by_one, lambda x: T.mul(x, 1, x), _dm, ["Elemwise{mul,no_inplace}"]),
    (rmath.local_add_zero, lambda x: x + np.float64(-0.0), _dm, []),
    (rmath.local_add_zero, lambda x: T.add(x, 0, x), _im, ["Elemwise{add,no_inplace}"]),
    (rmath.local_add_zero, lambda x: 0 + x, _im, []),
    (rmath.local_sub_zero, lambda x: x - 0, _fm, []),
    (rmath.local_div_by_one, lambda x: x / 1, _dm, []),
    (rmath.local_div_by_one, lambda x: x // 1, _im, []),
    (rmath.local_neg_neg, lambda x: T.neg(T.neg(x)), _im, []),
    (rmath.local_neg_neg, lambda x: T.neg(T.neg(x)), _dm, []),
    (rmath.local_pow_one, lambda x: x ** 1, _dm, []),
    (rmath.local_pow_one, lambda x: x ** 1, _im, []),
    (rmath.local_pow_two, lambda x: x ** 2, _im, ["Elemwise{sqr,no_inplace}"]),
    (rmath.local_div_to_mul, lambda x: x / 4, _dm, ["Elemwise{mul,no_inplace}"]),
    (rmath.local_div_to_mul, lambda x: x / np.float32(0.125), _fm, ["Elemwise{mul,no_inplace}"]),
    (rmath.local_div_to_mul, lambda x: x / -2.0, _drow, ["Elemwise{mul,no_inplace}"]),
    (rmath.local_neg_div_neg, lambda x: -((-x) / 3.0), _dm,
     ["InplaceDimShuffle{x,x}", "Elemwise{true_div,no_inplace}"]),
    (rmath.local_neg_div_neg, lambda x: -((-x) / x), _fm, ["Elemwise{true_div,no_inplace}"]),
]

# The rule must not fire: the replacement would change the dtype, the broadcastable pattern
# (the shape), or the rounding.
SKIPS = [
    (rmath.local_mul_by_one, lambda x: x * 1.0, _im),            # int * 1.0 is a float
    (rmath.local_mul_by_one, lambda x: x * np.ones((2, 1)), _drow),  # (1, n) * (2, 1)
    (rmath.local_add_zero, lambda x: x + T.zeros((3, 1), dtype="int32"), _irow),  # bigger
    (rmath.local_add_zero, lambda x: x + np.zeros((2, 1)), _drow),  # (1, n) + (2, 1)
    (rmath.local_add_zero, lambda x: x + np.float64(0), _fm),    # upcast to float64
    (rmath.local_add_zero, lambda x: x + 0, _dm),                # -0.0 + 0 is +0.0
    (rmath.local_sub_zero, lambda x: x - np.float64(-0.0), _dm),  # x - (-0.0) is x + 0
    (rmath.local_div_by_one, lambda x: x / 1, _im),              # int / 1 is a float
    (rmath.local_div_by_one, lambda x: x // 1, _dm),             # floor(x)
    (rmath.local_mul_by_one, lambda x: x * 1, _cm),              # inf * 0 in the product
    (rmath.local_pow_one, lambda x: x ** 1, _cm),
    (rmath.local_pow_one, lambda x: x ** 1.0, _im),              # int ** 1.0 is a float
    (rmath.local_pow_two, lambda x: x ** 2, _dm),                # C pow(x, 2) != x * x
    (rmath.local_div_to_mul, lambda x: x / 3, _dm),              # 1 / 3 is not exact
    (rmath.local_div_to_mul, lambda x: x / 10.0, _fm),
    (rmath.local_div_to_mul, lambda x: x / 4, _im),              # int / 4: int input
    (rmath.local_div_to_mul, lambda x: x / 0.0, _dm),
    (rmath.local_neg_div_neg, lambda x: -((-x) / 3), _im),     # int8 -(-128) wraps
]


def _id(row):
    return row[0].name


@pytest.mark.parametrize("row", FIRES, ids=_id)
def test_identity_fires(row):
    rewrite, build, make_inputs, names = row
    inputs = make_inputs()
    check_rewrite(build, rewrite, expected=lambda fg: _names(fg) == names, inputs=inputs,
                  special=SPECIAL)
    assert_same_as_unrewritten(inputs, build(*inputs))


@pytest.mark.parametrize("row", SKIPS, ids=_id)
def test_identity_skips(row):
    rewrite, build, make_inputs = row
    inputs = make_inputs()
    out = build(*inputs)
    before = _names(stability.pytheano.function(inputs, out, mode=NONE).maker.fgraph)
    check_rewrite(build, rewrite, expected=lambda fg: _names(fg) == before, inputs=inputs,
                  special=SPECIAL)
    assert_same_as_unrewritten(inputs, out)


@pytest.mark.parametrize("build", [lambda x: x + 0, lambda x: x + np.float64(-0.0),
                                   lambda x: x - 0, lambda x: x - np.float64(-0.0)])
def test_signed_zeros_are_kept(build):
    x = T.dvector("x")
    value = np.array([-0.0, 0.0, 1.0])
    want = stability.pytheano.function([x], build(x), mode=NONE)(value)
    got = stability.pytheano.function([x], build(x), mode="FAST_RUN")(value)
    np.testing.assert_array_equal(np.signbit(got), np.signbit(want))


def test_switching_a_rule_off_changes_nothing_but_the_graph():
    x = T.dmatrix("x")
    out = (T.neg(-x) * 1 - 0) / 4
    # Without fusion, which would make one node of either graph.
    on = stability.pytheano.function([x], out, mode=stability.FAST_RUN.excluding("fusion"))
    off = stability.pytheano.function([x], out, mode=stability.FAST_RUN.excluding(
        "fusion", "local_neg_neg", "local_mul_by_one", "local_sub_zero", "local_div_to_mul"))
    value = random_input(x.type, np.random.default_rng(3), SPECIAL)
    np.testing.assert_array_equal(on(value), off(value))
    assert len(on.maker.fgraph.apply_nodes) < len(off.maker.fgraph.apply_nodes)


def test_grad_of_square_is_smaller_under_fast_run():
    # T.grad(x ** 2) writes 2 * x ** (2 - 1) * fill(...): x ** 1 -> x and the folded
    # constants leave fewer nodes (Theano 1.0.5 reaches a single node, with its fill and
    # mul canonicalizer, which this rewrite set leaves out).
    x = T.dvector("x")
    g = stability.pytheano.grad((x ** 2).sum(), x)
    plain = stability.pytheano.function([x], g, mode=NONE)
    fast = stability.pytheano.function([x], g, mode="FAST_RUN")
    assert len(fast.maker.fgraph.apply_nodes) < len(plain.maker.fgraph.apply_nodes)
    value = np.array([1.5, -2.0, np.nan, np.inf])
    np.testing.assert_array_equal(fast(value), plain(value))


# --------------------------------------------------------------------------- canonical forms

def _alone_with_shapes(*rules):
    """A plan running ``rules`` (in canonicalize) on a graph with a ShapeFeature."""
    db = RewriteDatabase()
    db.register(rshape.attach_shape_feature, MERGE1, "t")
    for rule in rules:
        db.register(rule, CANONICALIZE, "t")
    return db.query(Query(include=("t",)))


def _debugprint(f):
    return stability.pytheano.printing.debugprint(f, file="str")


def test_grad_of_x_squared_is_one_node_as_theano_prints_it():
    # Theano's tutorial (gradients): pp(f.maker.fgraph.outputs[0]) is '(TensorConstant{2.0} * x)'.
    x = T.dscalar("x")
    f = stability.pytheano.function([x], T.grad(x ** 2, x))
    assert _debugprint(f) == ("Elemwise{mul,no_inplace} [id A] ''   0\n"
                              " |TensorConstant{2.0} [id B]\n"
                              " |x [id C]\n")
    assert stability.pytheano.printing.pp(f.maker.fgraph.outputs[0]) == \
        "(TensorConstant{2.0} * x)"
    assert f(4.0) == 8.0


# (built graph, the debugprint of FAST_RUN's compiled graph): what Theano 1.0.5 prints.
THEANO_GRAPHS = [
    (lambda x, y: T.grad((x ** 2).sum(), x),
     "Elemwise{mul,no_inplace} [id A] ''   0\n |TensorConstant{(1, 1) of 2.0} [id B]\n"
     " |x [id C]\n"),
    (lambda x, y: x * 2 * 3,
     "Elemwise{mul,no_inplace} [id A] ''   0\n |TensorConstant{(1, 1) of 6.0} [id B]\n"
     " |x [id C]\n"),
    (lambda x, y: (x * 2) * (y * 3),
     "Elemwise{mul,no_inplace} [id A] ''   0\n |TensorConstant{(1, 1) of 6.0} [id B]\n"
     " |x [id C]\n |y [id D]\n"),
    (lambda x, y: x + 1 + y + 2,
     "Elemwise{add,no_inplace} [id A] ''   0\n |TensorConstant{(1, 1) of 3.0} [id B]\n"
     " |x [id C]\n |y [id D]\n"),
    (lambda x, y: T.grad(T.exp(x).sum(), x), "Elemwise{exp,no_inplace} [id A] ''   0\n"
     " |x [id B]\n"),
    (lambda x, y: x * y * x,
     "Elemwise{mul,no_inplace} [id A] ''   0\n |x [id B]\n |y [id C]\n |x [id B]\n"),
]


@pytest.mark.parametrize("k", range(len(THEANO_GRAPHS)))
def test_compiled_graph_is_theanos(k):
    build, text = THEANO_GRAPHS[k]
    x, y = T.dmatrix("x"), T.dmatrix("y")
    out = build(x, y)
    f = stability.pytheano.function([x, y], out, on_unused_input="ignore")
    # The exp node is the only one whose printed name comes from fusion/inplace's choice.
    assert _debugprint(f).replace("Elemwise{exp}", "Elemwise{exp,no_inplace}") == text
    rng = np.random.default_rng(k)
    values = [rng.normal(size=(3, 4)), rng.normal(size=(3, 4))]
    want = stability.pytheano.function([x, y], out, mode=Mode(optimizer=None),
                                       on_unused_input="ignore")(*values)
    np.testing.assert_allclose(f(*values), want, rtol=1e-15)


CANON_ROWS = [
    (rmath.local_mul_canonizer, lambda x, y: x * 2 * 3, [Elemwise]),
    (rmath.local_mul_canonizer, lambda x, y: (x * y) * (x * 0.5), [Elemwise]),
    (rmath.local_mul_canonizer, lambda x, y: x * 1 * y, [Elemwise]),
    (rmath.local_add_canonizer, lambda x, y: (x + 2) + (y + 3), [Elemwise]),
    (rmath.local_add_canonizer, lambda x, y: 1 + x, [Elemwise]),
]


def _flat_mul_or_add(fg):
    node, = fg.apply_nodes
    return all(i.owner is None for i in node.inputs)


@pytest.mark.parametrize("row", CANON_ROWS, ids=lambda row: row[0].name)
@given(dtype=st.sampled_from(["float64", "float32", "int8", "int64", "uint8"]),
       bcast=st.sampled_from([(False, False), (True, False), (False, True)]))
@settings(max_examples=12, deadline=None)
def test_canonizer_flattens_and_folds(row, dtype, bcast):
    rule, build, _ = row
    x = T.tensor(dtype, (False, False), name="x")
    y = T.tensor(dtype, bcast, name="y")
    out = build(x, y)
    if out.type.dtype != dtype:
        return  # an upcasting constant: that chain is not flattened (next test)
    rng = np.random.default_rng(0)
    values = [random_value((3, 4), dtype, rng),
              random_value(tuple(1 if b else n for b, n in zip(bcast, (3, 4))), dtype, rng)]
    check_rewrite(out, rule, expected=_flat_mul_or_add, inputs=[x, y], values=values,
                  rtol=1e-6 if dtype == "float32" else None)


def test_canonizer_keeps_a_narrow_inner_product():
    # int8 * int8 wraps; flattening it into the float64 product would not.
    x, y = T.bvector("x"), T.bvector("y")
    z = T.dvector("z")
    out = (x * y) * z
    fg = check_rewrite(out, rmath.local_mul_canonizer, inputs=[x, y, z],
                       values=[np.array([100, -100], dtype="int8"),
                               np.array([100, 3], dtype="int8"), np.array([1.0, 2.0])])
    assert len(fg.apply_nodes) == 2


def test_canonizer_keeps_a_float_plus_zero():
    # x + 0.0 turns -0.0 into +0.0: the folded 0 stays.
    x = T.dvector("x")
    f = stability.pytheano.function([x], (x + 1.0) + (-1.0))
    out = f(np.array([-0.0, 2.0]))
    np.testing.assert_array_equal(out, np.array([0.0, 2.0]))
    assert not np.signbit(out[0])


FILL_ROWS = [
    # T.grad's fill(x ** 2, ones) * 2 * x: the fill sinks out and vanishes.
    (lambda x: T.second(x ** 2, T.constant(np.ones((1, 1)))) * 2 * x, [Elemwise]),
    (lambda x: T.second(x, 2.0) * T.exp(x), [Elemwise, Elemwise]),
]


@pytest.mark.parametrize("k", range(len(FILL_ROWS)))
def test_fill_sinks_and_vanishes(k):
    build, expected = FILL_ROWS[k]
    x = T.dmatrix("x")
    plan = _alone_with_shapes(rmath.local_fill_sink, rmath.local_useless_fill,
                              rbasic.constant_folding)
    check_rewrite(build, plan, expected=lambda fg: not any(
        is_node_of(n, scal.Second) for n in fg.apply_nodes), inputs=[x], special=SPECIAL)


def test_fill_stays_where_shapes_are_not_known_equal():
    # fill(x, y) raises for x (2, 3) and y (3, 3): without a proof the fill stays.
    x, y = T.dmatrix("x"), T.dmatrix("y")
    out = T.second(x, y) * 2
    plan = _alone_with_shapes(rmath.local_fill_sink, rmath.local_useless_fill)
    check_rewrite(out, plan, expected=lambda fg: any(is_node_of(n, scal.Second)
                                                     for n in fg.apply_nodes), inputs=[x, y],
                  values=[np.ones((2, 3)), np.ones((2, 3))])
    f = stability.pytheano.function([x, y], out)
    with pytest.raises(ValueError):
        f(np.zeros((2, 3)), np.zeros((3, 3)))


def test_useless_fill_of_scalars():
    x, y = T.dscalar("x"), T.dscalar("y")
    check_rewrite(T.second(x, y), rmath.local_useless_fill,
                  expected=lambda fg: fg.outputs[0] is fg.inputs[1], inputs=[x, y])


# --------------------------------------------------------------------------- specialize

SPECIALIZE_ROWS = [
    (rmath.local_mul_specialize, lambda x: -1 * x, "neg"),
    (rmath.local_mul_specialize, lambda x: x * T.constant(-1.0), "neg"),
    (rmath.local_mul_specialize, lambda x: T.mul(x, 1, T.exp(x)), "mul"),
    (rmath.local_add_specialize, lambda x: T.add(x, np.int64(0)), None),
    (rmath.local_sum_prod_mul_by_scalar, lambda x: (x * 3.0).sum(axis=0), "mul"),
    (rmath.local_sum_prod_mul_by_scalar, lambda x: (-x).sum(), "neg"),
    (rmath.local_useless_elemwise, lambda x: T.mul(x), None),
]


def _top_is(name):
    def check(fg):
        out = fg.outputs[0]
        if name is None:
            return out is fg.inputs[0]
        return out.owner is not None and isinstance(out.owner.op, Elemwise) and \
            out.owner.op.scalar_op.name == name
    return check


@pytest.mark.parametrize("row", SPECIALIZE_ROWS, ids=lambda row: row[0].name)
@given(dtype=st.sampled_from(["float64", "float32", "int16"]), n=st.integers(0, 3))
@settings(max_examples=8, deadline=None)
def test_specialize_rule(row, dtype, n):
    rule, build, top = row
    x = T.tensor(dtype, (False, False), name="x")
    out = build(x)
    float_only = rule is rmath.local_sum_prod_mul_by_scalar
    if float_only and dtype not in ("float32", "float64"):
        check_rewrite(out, rule, expected=lambda fg: fg.outputs[0].owner is not None and
                      isinstance(fg.outputs[0].owner.op, T.Sum) or True, inputs=[x],
                      values=[random_value((n, 2), dtype, np.random.default_rng(n))])
        return
    if rule is rmath.local_add_specialize and dtype != "int16":
        top = "add"  # a float x + 0 turns -0.0 into +0.0: it stays
    check_rewrite(out, rule, expected=_top_is(top) if out.type.dtype == dtype else None,
                  inputs=[x], values=[random_value((n, 2), dtype, np.random.default_rng(n))],
                  rtol=1e-5 if dtype == "float32" else 1e-12)


def test_mul_specialize_keeps_unsigned_minus_one():
    # -1 * uint8 is int16: neg(uint8) would wrap in uint8, so the product stays.
    x = T.vector("x", dtype="uint8")
    check_rewrite(-1 * x, rmath.local_mul_specialize, expected=_top_is("mul"), inputs=[x])


def test_sum_of_a_multiple_of_an_empty_vector_is_zero():
    x = T.dvector("x")
    f = stability.pytheano.function([x], (x * 5.0).sum())
    assert f(np.zeros(0)) == 0.0


def test_greedy_distributor_is_opt_in():
    a, x, b = T.dvector("a"), T.dvector("x"), T.dvector("b")
    out = (a / x + b) * x
    check_rewrite(out, rmath.local_greedy_distributor, expected=_top_is("add"),
                  inputs=[a, x, b], values=[np.array([1.0, 2.0]), np.array([3.0, -0.5]),
                                            np.array([0.25, 4.0])])
    f = stability.pytheano.function([a, x, b], out)
    # Without the opt-in, x = 0 still gives nan (a / 0 * 0), as optimizer=None.
    assert np.isnan(f(np.ones(1), np.zeros(1), np.ones(1)))[0]


def test_mul_canonizer_object_runs_as_theanos():
    x, y = T.dmatrix("x"), T.dmatrix("y")
    fg = FunctionGraph([x, y], [(x * 2) * (y * 3)])
    rmath.mul_canonizer.optimize(fg)
    node, = fg.apply_nodes
    assert node.inputs[0].data.reshape(()) == 6.0


def test_theano_names():
    from pytheano.tensor import opt

    assert opt.local_add_specialize is rmath.local_add_specialize
    assert opt.ShapeFeature is rshape.ShapeFeature
    assert opt.local_useless_alloc is rbasic.local_useless_alloc


def test_fill_to_alloc_reads_only_the_shape():
    m, x = T.dmatrix("m"), T.dvector("x")
    out = T.second(T.exp(m), x)
    plan = _alone_with_shapes(rmath.local_fill_to_alloc, rshape.local_track_shape_i)
    check_rewrite(out, plan, expected=lambda fg: not any(
        is_node_of(n, scal.Exp) for n in fg.apply_nodes), inputs=[m, x],
        values=[np.ones((2, 3)), np.arange(3.0)])
    f = stability.pytheano.function([m, x], out)
    with pytest.raises(ValueError):
        f(np.ones((2, 1)), np.arange(3.0))


@pytest.mark.parametrize("build", [lambda s, v: T.sum(s), lambda s, v: T.Sum(axis=())(v),
                                   lambda s, v: T.prod(s)])
def test_useless_reduce(build):
    s, v = T.dscalar("s"), T.dvector("v")
    out = build(s, v)
    inputs = [s] if out.type.ndim == 0 else [v]
    check_rewrite(out, rmath.local_cut_useless_reduce,
                  expected=lambda fg: fg.outputs[0] is fg.inputs[0], inputs=inputs,
                  special=SPECIAL)


def test_reduce_to_another_dtype_stays():
    b = T.bscalar("b")
    check_rewrite(T.sum(b), rmath.local_cut_useless_reduce, expected=lambda fg: len(
        fg.apply_nodes) == 1, inputs=[b])


# --------------------------------------------------------------------------- differential

_BUILDERS = [
    lambda a, b: a * b, lambda a, b: a + b, lambda a, b: (a * 2) * (b * 3),
    lambda a, b: (a + 1) + (b + 2), lambda a, b: T.second(a, b) * a,
    lambda a, b: -1 * a + b, lambda a, b: (a * b).sum(axis=0) * 2.0,
    lambda a, b: T.grad(((a * b) ** 2).sum(), a) if a.dtype.startswith("float") else a * b,
    lambda a, b: (-(a + b)).sum(), lambda a, b: T.mul(a, 1, b, 1),
    lambda a, b: T.cast(T.alloc(a, *a.shape) + b, a.dtype),
]


@given(k=st.integers(0, len(_BUILDERS) - 1), j=st.integers(0, len(_BUILDERS) - 1),
       dtype=st.sampled_from(["float64", "float32", "int8", "int64", "uint8"]),
       bcast=st.sampled_from([(False, False), (True, False), (False, True), (True, True)]),
       rows=st.integers(0, 3))
@settings(max_examples=40, deadline=None)
def test_rewritten_chains_compute_what_the_graph_says(k, j, dtype, bcast, rows):
    a = T.tensor(dtype, (False, False), name="a")
    b = T.tensor(dtype, bcast, name="b")
    out = _BUILDERS[j](_BUILDERS[k](a, b), b)
    rng = np.random.default_rng(k * 100 + j)
    shape = (rows, 3)
    values = [random_value(shape, dtype, rng),
              random_value(tuple(1 if f else n for f, n in zip(bcast, shape)), dtype, rng)]
    if dtype.startswith("float"):
        values[0].reshape(-1)[:1] = np.nan
    plain = stability.pytheano.function([a, b], out, mode=Mode(optimizer=None),
                                        on_unused_input="ignore")
    fast = stability.pytheano.function([a, b], out, mode="FAST_RUN", on_unused_input="ignore")
    fast_out = fast.maker.fgraph.outputs[0]
    assert fast_out.type == out.type, (fast_out.type, out.type)
    with np.errstate(all="ignore"):
        want = plain(*values)
        got = fast(*values)
    assert np.asarray(got).dtype == np.asarray(want).dtype
    assert np.shape(got) == np.shape(want)
    tol = 1e-4 if dtype == "float32" else 1e-10
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


def test_mul_specialize_of_bool_stays_a_product():
    b = T.vector("b", dtype="bool")
    check_rewrite(-1 * b, rmath.local_mul_specialize, expected=_top_is("mul"), inputs=[b])


# --------------------------------------------------------------------------- division

def _xy(dtype="float64"):
    return [T.matrix("x", dtype=dtype), T.matrix("y", dtype=dtype)]


# (builder, inputs, the op names after local_div_cancel alone). Powers of two, so the
# FAST_RUN values are the unrewritten ones bit for bit (checked too); 3.0 only to tolerance.
DIV_FIRES = [
    (lambda x, y: (x * 2.0) / (y * 2.0), _xy, ["Elemwise{true_div,no_inplace}"]),
    (lambda x, y: (0.5 * x * y) / 0.5, _xy, ["Elemwise{mul,no_inplace}"]),
    (lambda x, y: (x * 0.25) / (0.25 * y * x), _xy,
     ["Elemwise{mul,no_inplace}", "Elemwise{true_div,no_inplace}"]),
    (lambda x, y: (x * np.float32(2)) / (y * np.float32(2)), lambda: _xy("float32"),
     ["Elemwise{true_div,no_inplace}"]),
]

# Not in fast_run: the cancelled factor may be 0, inf or nan, an integer product may wrap.
DIV_SKIPS = [
    (lambda x, y: x / x + y, _xy),
    (lambda x, y: (x * y) / y, _xy),
    (lambda x, y: (x * 0.0) / (y * 0.0), _xy),
    (lambda x, y: (x * np.inf) / (y * np.inf), _xy),
    (lambda x, y: (x * 2) / (y * 2), lambda: _xy("int32")),
    (lambda x, y: (x * 2.0) / (y * 4.0), _xy),
]


def _xy_values(inputs, seed=0):
    """Values of one shape for the inputs, with nan, +-inf and zeros among them."""
    rng = np.random.default_rng(seed)
    values = []
    for v in inputs:
        a = (rng.standard_normal((4, 3)) * 10).astype(v.type.dtype)
        if v.type.dtype.startswith("float"):
            a.flat[rng.choice(a.size, 4, replace=False)] = [np.nan, np.inf, -np.inf, 0.0]
        values.append(a)
    return values


def _same_bits(inputs, out, values):
    want = stability.pytheano.function(inputs, out, mode=NONE)(*values)
    got = stability.pytheano.function(inputs, out, mode=stability.FAST_RUN)(*values)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("k", range(len(DIV_FIRES)))
def test_div_cancel_fires(k):
    build, make_inputs, names = DIV_FIRES[k]
    inputs = make_inputs()
    values = _xy_values(inputs)
    check_rewrite(build, rmath.local_div_cancel, inputs=inputs, values=values,
                  expected=lambda fg: _names(fg) == names)
    _same_bits(inputs, build(*inputs), values)


def test_div_cancel_rounds_to_the_exact_quotient():
    # (x * 3) / 3 rounds (or overflows) where x does not: the rewrite gives x, the exact value.
    x, y = _xy()
    check_rewrite(lambda x, y: (x * y * 3.0) / 3.0, rmath.local_div_cancel, inputs=[x, y],
                  values=_xy_values([x, y]),
                  expected=lambda fg: _names(fg) == ["Elemwise{mul,no_inplace}"])
    f = stability.pytheano.function([x, y], (x * 3.0) / (y * 3.0), mode=stability.FAST_RUN)
    big = np.full((1, 1), 1e308)
    np.testing.assert_array_equal(f(big, big), [[1.0]])


@pytest.mark.parametrize("k", range(len(DIV_SKIPS)))
def test_div_cancel_skips(k):
    build, make_inputs = DIV_SKIPS[k]
    inputs = make_inputs()
    before = _names(stability.pytheano.function(inputs, build(*inputs), mode=NONE).maker.fgraph)
    values = _xy_values(inputs)
    check_rewrite(build, rmath.local_div_cancel, inputs=inputs, values=values,
                  expected=lambda fg: _names(fg) == before)
    _same_bits(inputs, build(*inputs), values)


UNSAFE = stability.FAST_RUN.including("div_cancel_unsafe")


def test_x_over_x_keeps_nan_unless_the_unsafe_cancel_is_asked_for():
    x = T.dvector("x")
    v = np.array([0.0, np.inf, np.nan, 2.0])
    fast = stability.pytheano.function([x], x / x, mode=stability.FAST_RUN)
    np.testing.assert_array_equal(fast(v), [np.nan, np.nan, np.nan, 1.0])
    np.testing.assert_array_equal(fast(v), stability.pytheano.function([x], x / x,
                                                                       mode=NONE)(v))
    unsafe = stability.pytheano.function([x], x / x, mode=UNSAFE)
    np.testing.assert_array_equal(unsafe(v), [1.0, 1.0, 1.0, 1.0])  # Theano 1.0's answer
    assert "true_div" not in _debugprint(unsafe).lower()


@pytest.mark.parametrize("build,fills", [
    (lambda x, y: (x * y) / y, 1),
    (lambda x, y: (x * y) / (y * x), 2),
    (lambda x, y: (x * y) / (y * 2.0), 1),
])
def test_div_cancel_unsafe_on_nonzero_finite_values(build, fills):
    # The struck factors stay as fills (their shape), nothing else of them.
    x, y = _xy()
    rng = np.random.default_rng(0)
    values = [rng.uniform(0.5, 2.0, (2, 3)), rng.uniform(-2.0, -0.5, (2, 3))]
    check_rewrite(build, rmath.local_div_cancel_unsafe, inputs=[x, y], values=values,
                  expected=lambda fg: "Elemwise{mul,no_inplace}" not in _names(fg) and
                  _names(fg).count("Elemwise{second,no_inplace}") == fills)


def test_div_cancel_unsafe_keeps_shape_errors():
    x, y = T.dvector("x"), T.dvector("y")
    out = (x * y) / y
    for mode in (NONE, UNSAFE):
        f = stability.pytheano.function([x, y], out, mode=mode)
        for other in (np.ones(2), np.ones(1)):  # neither dimension is broadcastable
            with pytest.raises(ValueError):
                f(np.ones(3), other)
    f = stability.pytheano.function([x, y], out, mode=UNSAFE)
    np.testing.assert_array_equal(f(np.full(3, 2.0), np.full(3, 5.0)), np.full(3, 2.0))


# --------------------------------------------------------------------------- shapes as numbers

def test_maximum_of_a_shape_and_zero_is_the_shape():
    x = T.dmatrix("x")
    for build in (lambda x: T.maximum(x.shape[0], 0), lambda x: T.maximum(-3, x.shape[1])):
        check_rewrite(build, rmath.local_useless_maximum_of_shape, inputs=[x],
                      values=[np.zeros((2, 3))], expected=lambda fg: "maximum" not in
                      " ".join(_names(fg)))
    # Not for a number that may be negative.
    check_rewrite(lambda x: T.maximum(x.shape[0] - 5, 0), rmath.local_useless_maximum_of_shape,
                  inputs=[x], values=[np.zeros((2, 3))],
                  expected=lambda fg: "Elemwise{maximum,no_inplace}" in _names(fg))


def test_switch_with_equal_branches_is_the_branch():
    c, x = T.dscalar("c"), T.dmatrix("x")
    check_rewrite(lambda c, x: T.switch(c, x, x), rmath.local_useless_switch_same_branches,
                  inputs=[c, x], special=SPECIAL, expected=lambda fg: _names(fg) == [])
    # A condition with a shape of its own may raise a shape error: kept.
    m = T.dmatrix("m")
    check_rewrite(lambda m, x: T.switch(m, x, x), rmath.local_useless_switch_same_branches,
                  inputs=[m, x], values=[np.ones((2, 3)), np.ones((2, 3))],
                  expected=lambda fg: _names(fg) == ["Elemwise{switch,no_inplace}"])


def test_arange_length_compiles_to_the_shape():
    # T.arange(y.shape[0]) indexing: its length is max(n, 0), broadcast with y's: n.
    x, y = T.dmatrix("x"), T.ivector("y")
    picked = x[T.arange(y.shape[0]), y]
    f = stability.pytheano.function([x, y], picked.shape[0], mode=stability.FAST_RUN)
    text = _debugprint(f)
    assert "maximum" not in text and "Switch" not in text, text
    assert f(np.zeros((3, 2)), np.array([0, 1, 1], "int32")) == 3


# local_mul_neg: signs move out of products (-a * -b -> a * b once neg(neg(x)) cancels).
# Exact: a product's sign is the xor of its operands' and its magnitude does not depend on
# them, so values do not change bit for bit, signed zeros, inf and nan included.

def _mul_neg_values(dtypes, seed=0):
    # One shape for all; integers over their whole range (-128 * -1 wraps in int8), floats
    # with nan, inf, -inf and both zeros.
    rng = np.random.default_rng(seed)
    values = []
    for dtype in dtypes:
        if np.dtype(dtype).kind in "iu":
            info = np.iinfo(dtype)
            v = rng.integers(info.min, info.max, size=(4, 5), endpoint=True).astype(dtype)
            v.flat[:3] = [info.min, info.max, 0]
        else:
            v = random_value((4, 5), dtype, rng)
            v.flat[:5] = [np.nan, np.inf, -np.inf, 0.0, -0.0]
        values.append(v)
    return values


def _same_bits_as_unrewritten(inputs, out, values):
    import pytheano

    want = pytheano.function(inputs, out, mode=pytheano.Mode(optimizer=None))(*values)
    f = pytheano.function(inputs, out, mode="FAST_RUN")
    got = f(*values)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    keep = ~np.isnan(want)
    assert got[keep].tobytes() == want[keep].tobytes()  # -0.0 included
    return f


@pytest.mark.parametrize("dtype", ["float64", "float32", "int8", "int64", "uint8"])
def test_mul_neg_moves_the_sign_out(dtype):
    a, b = T.matrix("a", dtype=dtype), T.matrix("b", dtype=dtype)
    values = _mul_neg_values([dtype, dtype])
    for build in (lambda a, b: (-a) * b, lambda a, b: b * (-a)):
        check_rewrite(build, rmath.local_mul_neg, inputs=[a, b], values=values,
                      expected=lambda fg: _names(fg) == ["Elemwise{mul,no_inplace}",
                                                         "Elemwise{neg,no_inplace}"])
    # Both signs cancel in canonicalize: one product, no neg left.
    fg = check_rewrite(lambda a, b: T.mul(-a, b, -b),
                       Query(include=("fast_run",), position_cutoff=CANONICALIZE),
                       inputs=[a, b], values=values)
    assert not any(is_node_of(n, scal.Neg) for n in fg.apply_nodes)
    # (One product: the mul canonizer regroups nested ones, and a fused C loop may contract
    # a * b + c into one fma, roundings of their own, with or without this rule.)
    f = _same_bits_as_unrewritten([a, b], T.mul(-a, b, -b), values)
    assert "neg" not in str([n.op for n in f.maker.fgraph.apply_nodes])
    f = _same_bits_as_unrewritten([a, b], (-a) * (-b), values)
    assert "neg" not in str([n.op for n in f.maker.fgraph.apply_nodes])


@pytest.mark.parametrize("types", [("uint8", "int16"), ("int8", "float64"),
                                   ("complex128", "complex128"), ("float32", "float64")])
def test_mul_neg_skips_an_upcast_or_complex_operand(types):
    # -uint8 wraps before the product upcasts it (-(1) is 255, not -1); complex parts are
    # sums, whose signed zeros the move could change.
    a, b = T.matrix("a", dtype=types[0]), T.matrix("b", dtype=types[1])
    values = _mul_neg_values(types)
    fg = check_rewrite(lambda a, b: (-a) * b, rmath.local_mul_neg, inputs=[a, b],
                       values=values)
    assert _names(fg) == ["Elemwise{neg,no_inplace}", "Elemwise{mul,no_inplace}"]
    _same_bits_as_unrewritten([a, b], (-a) * b, values)
