"""Sigmoid family (pytheano/tensor/nnet/sigm.py): sigmoid, ultra_fast_sigmoid, hard_sigmoid,
softplus."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

import pytheano
import pytheano.tensor as T
from pytheano.tensor.nnet import (hard_sigmoid, scalar_sigmoid, sigmoid, softplus,
                                  ultra_fast_sigmoid)
from pytheano.tensor.nnet.sigm import ScalarSigmoid, ScalarSoftplus
from tests.helpers import ALL_DTYPES, check_grad, check_op, random_value, tensor_var

shapes = array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)
dtypes = st.sampled_from(ALL_DTYPES)


def _float_dtype(dtype):
    return {"bool": "float32", "int8": "float32", "uint8": "float32", "int16": "float32",
            "int32": "float64", "int64": "float64"}.get(dtype, dtype)


def _np_sigmoid(x):
    x = x.astype("float64")
    return 1.0 / (1.0 + np.exp(-x))


def test_import_paths_as_in_theano():
    from pytheano.tensor.nnet import sigmoid as s1
    from pytheano.tensor.nnet.sigm import sigmoid as s2

    assert s1 is s2 is T.nnet.sigmoid
    assert isinstance(scalar_sigmoid, ScalarSigmoid)


@pytest.mark.parametrize("fn, name", [(sigmoid, "sigmoid"), (softplus, "softplus"),
                                      (ultra_fast_sigmoid, "ultra_fast_sigmoid")])
def test_strings(fn, name):
    x = T.matrix("x")
    assert str(fn(x)) == name + ".0"
    assert str(fn(x).owner.op) == name
    assert str(fn.scalar_op) == "scalar_" + name if name != "ultra_fast_sigmoid" else \
        str(fn.scalar_op) == "ultra_fast_scalar_sigmoid"


@given(shapes, dtypes)
def test_sigmoid_matches_numpy(shape, dtype):
    xv = tensor_var(shape, dtype, "x")
    out_dtype = _float_dtype(dtype)
    check_op(sigmoid, [xv], [random_value(shape, dtype, low=-20, high=20)],
             lambda a: _np_sigmoid(a).astype(out_dtype))


@given(shapes, dtypes)
def test_softplus_matches_numpy(shape, dtype):
    xv = tensor_var(shape, dtype, "x")
    out_dtype = _float_dtype(dtype)
    check_op(softplus, [xv], [random_value(shape, dtype, low=-20, high=20)],
             lambda a: np.log1p(np.exp(a.astype("float64"))).astype(out_dtype))


def test_sigmoid_and_softplus_are_stable():
    xv = T.dvector("x")
    big = np.array([-1000.0, -745.0, -40.0, 0.0, 40.0, 800.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s, sp = pytheano.function([xv], [sigmoid(xv), softplus(xv)])(big)
    np.testing.assert_allclose(s, [0.0, 0.0, 4.248354255291589e-18, 0.5, 1.0, 1.0],
                               rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(sp, [0.0, 0.0, 4.248354255291589e-18, np.log(2), 40.0, 800.0],
                               rtol=1e-12, atol=1e-300)
    fv = T.fvector("f")
    s = pytheano.function([fv], sigmoid(fv))(np.array([-200, 200], dtype="float32"))
    assert s.dtype == np.float32
    np.testing.assert_array_equal(s, [0.0, 1.0])


def test_ultra_fast_and_hard_sigmoid_approximate():
    xv = T.dvector("x")
    values = np.linspace(-8, 8, 101)
    ufs, hs = pytheano.function([xv], [ultra_fast_sigmoid(xv), hard_sigmoid(xv)])(values)
    # Theano's approximation: within 0.03 of sigmoid.
    np.testing.assert_allclose(ufs, _np_sigmoid(values), atol=0.03)
    np.testing.assert_allclose(hs, np.clip(0.2 * values + 0.5, 0, 1))
    # Theano's values at a few points.
    np.testing.assert_allclose(
        pytheano.function([xv], ultra_fast_sigmoid(xv))(np.array([-40., -2, -0.5, 0, 2])),
        [0.00247262, 0.125, 0.35, 0.5, 0.875], atol=1e-8)


@pytest.mark.parametrize("dtype, out", [("int8", "float32"), ("float32", "float32"),
                                        ("int64", "float64"), ("float64", "float64")])
def test_output_dtypes(dtype, out):
    xv = T.TensorType(dtype, (False,))()
    for fn in (sigmoid, softplus, ultra_fast_sigmoid, hard_sigmoid):
        assert fn(xv).dtype == out


def test_sigmoid_of_python_number():
    out = sigmoid(3)
    assert out.dtype == "float32"
    np.testing.assert_allclose(out.eval(), 0.95257413, rtol=1e-6)


@pytest.mark.parametrize("fn", [sigmoid, softplus])
def test_grad(fn):
    check_grad(fn, [np.random.default_rng(0).uniform(-5, 5, size=(3, 4))])
    check_grad(fn, [np.array([-30.0, 30.0, 0.0])])


def test_scalar_ops_grad_and_perform():
    from pytheano import scalar

    x = scalar.float64()
    for op in (ScalarSigmoid(scalar.upgrade_to_float), ScalarSoftplus(scalar.upgrade_to_float)):
        out = op(x)
        f = pytheano.function([x], out)
        assert np.isfinite(f(1000.0)) and np.isfinite(f(-1000.0))
    xv = T.dscalar("x")
    g = pytheano.gradient.grad(sigmoid(xv), xv)
    np.testing.assert_allclose(g.eval({xv: 0.0}), 0.25)


# ---------------------------------------------------------------------- rewrite helpers

from pytheano.graph.basic import is_same_graph  # noqa: E402
from pytheano.tensor.nnet.sigm import (  # noqa: E402
    compute_mul, is_1pexp, is_exp, is_neg, parse_mul_tree, partition_num_or_denom,
    perform_sigm_times_exp, simplify_mul)


def test_parse_and_compute_mul_trees():
    x, y, z = T.vectors("x", "y", "z")
    assert parse_mul_tree(x * y) == [False, [[False, x], [False, y]]]
    assert parse_mul_tree(-(x * y)) == [True, [[False, x], [False, y]]]
    assert parse_mul_tree(-x * y) == [False, [[True, x], [False, y]]]
    assert parse_mul_tree(-x) == [True, x]
    assert parse_mul_tree(x) == [False, x]
    tree = (x * y) * -z
    assert parse_mul_tree(tree) == [False, [[False, [[False, x], [False, y]]], [True, z]]]
    assert parse_mul_tree(compute_mul(parse_mul_tree(tree))) == parse_mul_tree(tree)
    assert is_same_graph(compute_mul(parse_mul_tree(tree)), tree)
    with pytest.raises(AssertionError, match="simplify_mul"):
        compute_mul([False, [[False, x], [True, None]]])


def test_is_neg_is_exp_and_partition():
    x, y = T.vectors("x", "y")
    assert is_neg(-x) is x and is_neg(x) is None and is_neg(x * y) is None
    assert is_neg(-1 * x) is x and is_neg(x * -1.0) is x
    rest = is_neg(T.mul(x, -1, y))
    assert is_same_graph(rest, x * y)
    assert is_exp(T.exp(x)) == (False, x) and is_exp(-T.exp(x)) == (True, x)
    assert is_exp(x) is None
    matched, rest, negated = partition_num_or_denom(T.mul(T.exp(x), y, -T.exp(y)), is_exp)
    assert matched == [x, y] and rest == [y] and negated


def test_simplify_mul():
    x, y = T.vectors("x", "y")
    assert simplify_mul([False, [[True, None], [False, x]]]) == [True, x]
    assert simplify_mul([True, [[True, None], [False, None]]]) == [False, None]
    assert simplify_mul([False, [[False, x], [True, y], [True, None]]]) == \
        [True, [[False, x], [True, y]]]
    assert simplify_mul([False, x]) == [False, x]


def test_is_1pexp():
    x = T.vector("x")
    with pytheano.config.change_flags(**{"warn.identify_1pexp_bug": False}):
        assert is_1pexp(1 + T.exp(x), False) == (False, x)
        assert is_1pexp(T.exp(x) + 1, False) == (False, x)
        negated, arg = is_1pexp(1 + T.exp(-x), False)
        assert not negated and is_same_graph(arg, -x)
        for not_1pexp in (1 - T.exp(x), 2 + T.exp(x), T.exp(x) - 1, -1 + T.exp(x),
                          1 + 2 * T.exp(x), x + T.exp(x)):
            assert is_1pexp(not_1pexp, False) is None
    with pytheano.config.change_flags(**{"warn.identify_1pexp_bug": True}):
        with pytest.warns(UserWarning, match="identify_1pexp_bug"):
            is_1pexp(2 + T.exp(x), False)


def _after_sigm_times_exp(expr):
    tree = parse_mul_tree(expr)
    perform_sigm_times_exp(tree)
    return compute_mul(simplify_mul(tree))


@pytest.mark.parametrize("case", range(4))
def test_perform_sigm_times_exp(case):
    x, y, z, t = T.vectors("x", "y", "z", "t")
    exp = T.exp
    before, after = [
        (sigmoid(x) * exp(-x), sigmoid(-x)),
        (-x * sigmoid(x) * (y * (-1 * z) * exp(-x)), -x * sigmoid(-x) * (y * (-1 * z))),
        (-sigmoid(-x) * (exp(y) * (-exp(-z) * 3 * -exp(x))
                         * (y * 2 * (-sigmoid(-y) * (z + t) * exp(z)) * sigmoid(z)))
         * -sigmoid(x),
         sigmoid(x) * (-sigmoid(y) * (-sigmoid(-z) * 3) * (y * 2 * ((z + t) * exp(z))))
         * (-sigmoid(x))),
        (exp(-x) * -exp(-x) * (-sigmoid(x) * -sigmoid(x)), -sigmoid(-x) * sigmoid(-x)),
    ][case]
    got = _after_sigm_times_exp(before)
    assert is_same_graph(got, compute_mul(simplify_mul(parse_mul_tree(after))))
    # the rewritten product computes the same values
    vals = [np.linspace(-2, 2, 5) + k for k in range(4)]
    f = pytheano.function([x, y, z, t], [got, before], on_unused_input="ignore")
    a, b = f(*vals)
    np.testing.assert_allclose(a, b, rtol=1e-10)


def test_perform_sigm_times_exp_reports_no_change():
    x, y = T.vectors("x", "y")
    expr = sigmoid(x) * T.exp(y)
    tree = parse_mul_tree(expr)
    assert perform_sigm_times_exp(tree) is False
    assert tree == parse_mul_tree(expr)
