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


# --------------------------------------------------------------------------- laziness

class _Counting(pytheano.graph.op.Op):
    """Identity that counts its runs, and raises when told to (a branch that must not run)."""

    __props__ = ("tag", "fail")

    def __init__(self, tag, fail=False):
        self.tag = tag
        self.fail = fail
        self.runs = 0

    def make_node(self, x):
        x = T.as_tensor_variable(x)
        return pytheano.graph.basic.Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage):
        type(self).calls.append(self.tag)
        if self.fail:
            raise RuntimeError("the %s branch ran" % self.tag)
        output_storage[0][0] = inputs[0].copy()


@pytest.fixture
def calls():
    _Counting.calls = []
    return _Counting.calls


LINKERS = ["py", "vm", "cvm", "c|py", "vm_nogc", "cvm_nogc", "c|py_nogc"]


@pytest.mark.parametrize("linker", LINKERS)
def test_branch_not_taken_never_runs(linker, calls):
    c = T.iscalar("c")
    x = T.dvector("x")
    then = _Counting("then", fail=False)(x * 2)
    other = _Counting("else", fail=True)(x * 3)
    f = pytheano.function([c, x], ifelse(c, then, other),
                          mode=pytheano.Mode(linker=linker, optimizer=None))
    np.testing.assert_array_equal(f(1, [1.0, 2.0]), [2.0, 4.0])
    assert calls == ["then"]
    # The other way round the then-branch does not run and the else one raises.
    with pytest.raises(RuntimeError, match="the else branch ran"):
        f(0, [1.0, 2.0])
    assert calls == ["then", "else"]


def test_linker_c_refuses_ifelse_which_has_no_c():
    c = T.iscalar("c")
    x = T.dvector("x")
    with pytest.raises(NotImplementedError, match=r"if\{\}.*cannot produce C code"):
        pytheano.function([c, x], ifelse(c, x * 2, x * 3),
                          mode=pytheano.Mode(linker="c", optimizer=None))


@pytest.mark.parametrize("linker", ["py", "cvm"])
def test_condition_first_then_one_branch(linker, calls):
    a, b = T.dscalars("a", "b")
    cond = _Counting("cond")(T.lt(a, b))
    out = ifelse(cond, _Counting("t")(a), _Counting("f")(b))
    f = pytheano.function([a, b], out, mode=pytheano.Mode(linker=linker, optimizer=None))
    assert f(1.0, 2.0) == 1.0
    assert calls == ["cond", "t"]
    assert f(3.0, 2.0) == 2.0
    assert calls == ["cond", "t", "cond", "f"]


def test_switch_stays_eager(calls):
    a, b = T.dscalars("a", "b")
    out = T.switch(T.lt(a, b), _Counting("t")(a), _Counting("f")(b))
    f = pytheano.function([a, b], out, mode=pytheano.Mode(optimizer=None))
    assert f(1.0, 2.0) == 1.0
    assert sorted(calls) == ["f", "t"]


def test_shared_value_of_both_branches_and_gc(calls):
    # A value read by both branches and by the output is computed once and kept.
    c = T.iscalar("c")
    x = T.dvector("x")
    common = _Counting("common")(x + 1)
    out = ifelse(c, common * 2, common * 3) + common
    for linker in ("cvm", "cvm_nogc"):
        del calls[:]
        f = pytheano.function([c, x], out, mode=pytheano.Mode(linker=linker, optimizer=None))
        np.testing.assert_array_equal(f(1, [0.0, 1.0]), [3.0, 6.0])
        np.testing.assert_array_equal(f(0, [0.0, 1.0]), [4.0, 8.0])
        assert calls == ["common", "common"]


def test_nested_ifelse_and_updates(calls):
    c1, c2 = T.iscalars("c1", "c2")
    x = T.dscalar("x")
    inner = ifelse(c2, _Counting("a")(x), _Counting("b")(x * 2))
    out = ifelse(c1, inner, _Counting("c")(x * 3))
    s = pytheano.shared(np.float64(0.0))
    f = pytheano.function([c1, c2, x], out, updates=[(s, s + out)])
    assert f(1, 0, 1.0) == 2.0 and calls == ["b"]
    assert f(0, 1, 1.0) == 3.0 and calls == ["b", "c"]
    assert s.get_value() == 5.0


def test_tutorial_ifelse_is_faster_than_switch():
    # Theano's tutorial: ifelse computes only the branch taken, switch both. Here the
    # branches are big; the ifelse function does half the work (counted, not timed).
    a, b = T.scalars("a", "b")
    x, y = T.matrices("x", "y")
    z_switch = T.switch(T.lt(a, b), T.mean(x), T.mean(y))
    z_lazy = ifelse(T.lt(a, b), T.mean(x), T.mean(y))
    mode = pytheano.Mode(linker="vm", optimizer=None)
    f_switch = pytheano.function([a, b, x, y], z_switch, mode=mode, profile=True)
    f_lazy = pytheano.function([a, b, x, y], z_lazy, mode=mode, profile=True)
    val1, val2 = np.float32(0.0), np.float32(1.0)
    big1 = np.ones((100, 100), dtype=pytheano.config.floatX)
    big2 = np.ones((100, 100), dtype=pytheano.config.floatX) * 2
    for _ in range(5):
        assert f_switch(val1, val2, big1, big2) == 1.0
        assert f_lazy(val1, val2, big1, big2) == 1.0

    def mean_runs(fn):
        # the nodes that read a big matrix (the means, each made of several nodes)
        counts = fn.profile.apply_callcount
        return sum(n for node, n in counts.items()
                   if any(getattr(i, "name", None) == "y" for i in node.inputs))

    assert mean_runs(f_switch) >= 5  # sum(y) and y.shape, every call
    assert mean_runs(f_lazy) == 0
