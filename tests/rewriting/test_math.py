"""pytheano/rewriting/math.py: log1p, expm1 and logsumexp (the shared row checks are in
tests/rewriting/stability.py)."""
import numpy as np
import pytest
from scipy.special import logsumexp, softmax

import pytheano.tensor as T
from tests.rewriting import stability
from tests.rewriting.stability import Row


def _matrix(dtype):
    return [T.matrix("x", dtype=dtype)]


def _uniform(low, high):
    def values(rng, shape, dtype):
        return [rng.uniform(low, high, size=shape).astype(dtype)]
    return values


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


@pytest.mark.xfail(strict=True, raises=ValueError,
                   reason="logsumexp's max raises on an empty axis (as Theano 1.0.5's does)")
def test_logsumexp_of_an_empty_axis_is_minus_inf():
    x = T.matrix("x", dtype="float64")
    f = stability.pytheano.function([x], T.log(T.sum(T.exp(x), axis=1)))
    np.testing.assert_array_equal(f(np.zeros((2, 0))), [-np.inf, -np.inf])


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
from pytheano.compile.mode import Mode  # noqa: E402
from pytheano.rewriting import math as rmath  # noqa: E402
from tests.helpers import assert_same_as_unrewritten, check_rewrite, random_input  # noqa: E402

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
