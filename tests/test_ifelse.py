"""IfElse (pytheano/ifelse.py): the scalar-condition conditional."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

import pytheano
import pytheano.tensor as T
from pytheano.ifelse import IfElse, ifelse
from tests.helpers import (ALL_DTYPES, check_grad, check_infer_shape, check_op, random_value,
                           tensor_var)


def test_seed_constant_branches():
    from pytheano.ifelse import ifelse as imported  # `from theano.ifelse import ifelse`

    z = imported(1, 5, 4)
    out = z.eval()
    assert repr(out) == "array(5, dtype=int8)"
    assert repr(ifelse(0, 5, 4).eval()) == "array(4, dtype=int8)"


def test_strings():
    x = T.dscalar("x")
    z = ifelse(1, 5, 4)
    assert str(z) == "if{}.0"
    assert str(z.owner.op) == "if{}"
    outs = ifelse(T.lt(x, 0), [x, x * 2], [x * 3, x * 4], name="foo")
    assert [str(o) for o in outs] == ["if{foo}.0", "if{foo}.1"]
    assert str(IfElse(1, as_view=True)) == "if{inplace}"
    assert IfElse(2, name="a") == IfElse(2, name="b")
    assert IfElse(2) != IfElse(3)


def test_condition_is_the_first_input():
    x, y, c = T.vector("x"), T.vector("y"), T.lscalar("c")
    z = ifelse(c, x, y)
    assert z.owner.inputs == [c, x, y]
    assert list(z.owner.op.branch_inputs(1)) == [1]
    assert list(z.owner.op.branch_inputs(0)) == [2]


@given(array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3),
       st.sampled_from(ALL_DTYPES), st.sampled_from([0, 1, -2, 7]))
def test_picks_the_branch(shape, dtype, cond):
    tv, fv = tensor_var(shape, dtype, "t"), tensor_var(shape, dtype, "f")
    cv = T.iscalar("c")
    a, b = random_value(shape, dtype), random_value(shape, dtype, rng=np.random.default_rng(1))
    check_op(lambda c, t, f: ifelse(c, t, f), [cv, tv, fv], [cond, a, b],
             lambda c, t, f: t if c != 0 else f)


def test_lists_and_tuples_of_outputs():
    x, y = T.vector("x"), T.matrix("y")
    c = T.bscalar("c")
    outs = ifelse(c, [x, y], [x * 2, y * 3])
    assert isinstance(outs, list) and len(outs) == 2
    outs_t = ifelse(c, (x, y), (x * 2, y * 3))
    assert isinstance(outs_t, tuple)
    f = pytheano.function([c, x, y], outs)
    xv, yv = np.arange(3.0), np.ones((2, 2))
    got = f(1, xv, yv)
    np.testing.assert_array_equal(got[0], xv)
    np.testing.assert_array_equal(got[1], yv)
    got = f(0, xv, yv)
    np.testing.assert_array_equal(got[0], xv * 2)
    np.testing.assert_array_equal(got[1], yv * 3)


def test_output_is_a_copy():
    x = T.vector("x")
    f = pytheano.function([x], ifelse(T.constant(1), x, x * 2))
    value = np.arange(3.0)
    out = f(value)
    out[0] = 10.0
    assert value[0] == 0.0


def test_type_mismatch_names_both_types():
    x = T.dscalar("x")
    with pytest.raises(TypeError, match=r"TensorType\(int8, scalar\) and "
                                        r"TensorType\(float32, scalar\)"):
        ifelse(x, 5, 4.5)
    with pytest.raises(TypeError, match="identical types"):
        ifelse(x, T.dvector(), x)
    with pytest.raises(ValueError, match="variables on `then` 2, variables on `else` 1"):
        ifelse(x, [x, x], [x])
    with pytest.raises(TypeError, match="Condition given to the op has to be a scalar"):
        ifelse(T.dvector(), x, x)
    with pytest.raises(TypeError, match="same types"):
        IfElse(1)(x, x, T.fscalar())
    with pytest.raises(TypeError, match="Wrong number of arguments"):
        IfElse(2)(x, x, x)


def test_infer_shape():
    x, y = T.matrix("x"), T.matrix("y")
    c = T.iscalar("c")
    out = ifelse(c, x, y)
    for cond in (0, 1):
        check_infer_shape([out], [c, x, y], [cond, np.zeros((2, 3)), np.zeros((4, 5))])


@pytest.mark.parametrize("cond", [0, 1])
def test_grad_goes_to_the_taken_branch(cond):
    c = T.constant(cond, dtype="int8")
    x = np.random.default_rng(0).standard_normal((2, 3))
    y = np.random.default_rng(1).standard_normal((2, 3))
    check_grad(lambda a, b: ifelse(c, a * 2, b ** 2), [x, y])
    xv, yv = T.matrix("x"), T.matrix("y")
    gx, gy = pytheano.gradient.grad(ifelse(c, xv, yv).sum(), [xv, yv])
    f = pytheano.function([xv, yv], [gx, gy])
    got_x, got_y = f(x, y)
    np.testing.assert_array_equal(got_x, np.full((2, 3), float(cond)))
    np.testing.assert_array_equal(got_y, np.full((2, 3), float(1 - cond)))


def test_grad_of_scalar_branches():
    x = T.dscalar("x")
    g = pytheano.gradient.grad(ifelse(x > 0, x ** 2, x ** 3), x)
    assert g.eval({x: 2.0}) == 4.0
    assert g.eval({x: -2.0}) == 12.0


def test_grad_with_one_output_unused():
    x, y = T.dscalar("x"), T.dscalar("y")
    c = T.iscalar("c")
    a, b = ifelse(c, [x * 2, y * 3], [x * 5, y * 7])
    g = pytheano.gradient.grad(a, x)
    assert g.owner is not None
    f = pytheano.function([c, x, y], g)
    assert f(1, 1.0, 1.0) == 2.0
    assert f(0, 1.0, 1.0) == 5.0


def test_rop():
    x, e = T.vector("x"), T.vector("e")
    c = T.iscalar("c")
    r = pytheano.gradient.Rop(ifelse(c, x * 2, x * 3), x, e)
    f = pytheano.function([c, x, e], r)
    np.testing.assert_array_equal(f(1, np.ones(2), np.array([1.0, 2.0])), [2.0, 4.0])
    np.testing.assert_array_equal(f(0, np.ones(2), np.array([1.0, 2.0])), [3.0, 6.0])
