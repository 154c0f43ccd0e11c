"""Tests of pytheano/tensor/elemwise.py: Elemwise (broadcasting rules, output types, the
run-time shape check and its error, infer_shape, printing, the numpy-ufunc fast path) and
DimShuffle (its rules, printing, perform, infer_shape, gradient). Strings checked on Theano
1.0.5."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano.gradient import verify_grad
from pytheano.scalar import basic as scal
from pytheano.tensor.elemwise import DimShuffle, Elemwise
from tests.helpers import check_infer_shape, check_op

# --------------------------------------------------------------------------- Elemwise


def test_output_type_and_padding():
    x, r, v = T.dmatrix("x"), T.frow("r"), T.ivector("v")
    out = x + r
    assert out.type == T.TensorType("float64", (False, False))
    assert out.owner.inputs == [x, r]
    out = r * v
    assert out.type == T.TensorType("float64", (True, False))
    # The vector is left-padded with a broadcastable dimension.
    padded = out.owner.inputs[1]
    assert str(padded.owner.op) == "InplaceDimShuffle{x,0}"
    assert padded.broadcastable == (True, False)
    s = T.dscalar() + T.bscalar()
    assert s.type == T.TensorType("float64", ())


def test_elemwise_str_and_inplace_pattern():
    assert str(Elemwise(scal.add, name="Elemwise{add,no_inplace}")) == \
        "Elemwise{add,no_inplace}"
    inplace = Elemwise(scal.add.make_new_inplace(scal.transfer_type(0)), {0: 0})
    assert str(inplace) == "Elemwise{Add}[(0, 0)]"
    assert inplace.destroy_map == {0: [0]}
    assert Elemwise(scal.add) == T.add
    assert hash(Elemwise(scal.add)) == hash(T.add)
    assert Elemwise(scal.add) != inplace
    assert inplace(T.bvector(), T.dvector()).dtype == "int8"   # transfer_type(0)
    with pytest.raises(TypeError, match="inplace"):
        # add's float64 result cannot be written into the int32 input
        Elemwise(scal.add, {0: 0})(T.ivector(), T.dvector())


def test_mismatch_error_names_the_node_and_the_line():
    x, y = T.dvector("x"), T.dvector("y")
    z = x + y
    f = pytheano.function([x, y], z)
    with pytest.raises(ValueError) as info:
        f(np.ones(2), np.ones(3))
    msg = str(info.value)
    assert "Input dimension mis-match. (input[0].shape[0] = 2, input[1].shape[0] = 3)" in msg
    assert "Apply node that caused the error: Elemwise{add,no_inplace}(x, y)" in msg
    assert "test_elemwise.py" in msg and "z = x + y" in msg


def test_size_one_is_not_broadcast_unless_the_type_says_so():
    # Theano's rule: a non-broadcastable dimension of length 1 does not broadcast.
    x, y, r = T.dmatrix("x"), T.dmatrix("y"), T.drow("r")
    f = pytheano.function([x, y], x * y)
    with pytest.raises(ValueError, match="Input dimension mis-match"):
        f(np.ones((2, 3)), np.ones((1, 3)))
    g = pytheano.function([x, r], x * r)
    np.testing.assert_array_equal(g(np.ones((2, 3)), np.full((1, 3), 2.)), np.full((2, 3), 2.))


@st.composite
def _patterns(draw):
    ndim = draw(st.integers(1, 3))
    shape = draw(st.lists(st.integers(1, 4), min_size=ndim, max_size=ndim))
    bx = draw(st.lists(st.booleans(), min_size=ndim, max_size=ndim))
    by = draw(st.lists(st.booleans(), min_size=ndim, max_size=ndim))
    return shape, bx, by


@settings(max_examples=15)
@given(_patterns(), st.sampled_from([T.add, T.mul, T.maximum, T.sub, T.true_div]))
def test_broadcasting_against_numpy(pattern, fn):
    shape, bx, by = pattern
    x = T.TensorType("float64", bx)("x")
    y = T.TensorType("float32", by)("y")
    rng = np.random.default_rng(0)
    xv = rng.uniform(0.5, 2, [1 if b else s for b, s in zip(bx, shape)])
    yv = rng.uniform(0.5, 2, [1 if b else s for b, s in zip(by, shape)]).astype("float32")
    ref = {T.add: np.add, T.mul: np.multiply, T.maximum: np.maximum, T.sub: np.subtract,
           T.true_div: np.true_divide}[fn]
    out = check_op(fn, [x, y], [xv, yv], ref)
    assert out.shape == np.broadcast(xv, yv).shape
    assert fn(x, y).broadcastable == tuple(a and b for a, b in zip(bx, by))


def test_infer_shape():
    x, r, c = T.dmatrix("x"), T.drow("r"), T.dcol("c")
    check_infer_shape([x + r, r + c, T.exp(c), T.switch(c, r, x)], [x, r, c],
                      [np.ones((3, 4)), np.ones((1, 4)), np.ones((3, 1))])
    node = (r + c).owner
    shapes = node.op.infer_shape(None, node, [(1, 4), (3, 1)])
    assert shapes == [(3, 4)]


def test_ufunc_fast_path_and_perform_agree():
    # Int8 exp runs through perform (numpy would use float16), float64 exp through the ufunc.
    b, d = T.bvector("b"), T.dvector("d")
    f = pytheano.function([b, d], [T.exp(b), T.exp(d), b + b, T.switch(b, d, 0.)])
    bv, dv = np.array([1, 3], "int8"), np.array([1., 3.])
    eb, ed, s, sw = f(bv, dv)
    assert eb.dtype == np.float32 and ed.dtype == np.float64 and s.dtype == np.int8
    np.testing.assert_allclose(eb, np.exp([1., 3.]), rtol=1e-6)
    np.testing.assert_allclose(ed, np.exp(dv))
    np.testing.assert_array_equal(sw, dv)


def test_make_vm_thunk_uses_the_declared_ufunc():
    x = T.dvector()
    assert T.exp(x).owner.op.scalar_op.kernel.fast_ufunc(("float64",)) is np.exp
    assert T.exp(x).owner.op.scalar_op.kernel.fast_ufunc(("int8",)) is None


def test_elemwise_grad_graph_is_printable_and_compilable():
    x, y = T.dmatrix("x"), T.drow("y")
    g = pytheano.grad((x * y + T.exp(x) / y).sum(), y)
    assert g.broadcastable == (True, False)
    text = pytheano.printing.debugprint(g, file="str")
    assert "Sum" in text and "Elemwise{mul}" in text
    f = pytheano.function([x, y], g)
    xv, yv = np.ones((2, 3)), np.full((1, 3), 2.)
    np.testing.assert_allclose(f(xv, yv), (xv - np.exp(xv) / yv ** 2).sum(0, keepdims=True))


def test_connection_pattern_comes_from_the_scalar_op():
    x, y = T.dvector(), T.dvector()
    assert (x + y).owner.op.connection_pattern((x + y).owner) == [[True], [True]]
    assert T.second(x, y).owner.op.connection_pattern(T.second(x, y).owner) == \
        [[False], [True]]


# --------------------------------------------------------------------------- DimShuffle

def test_dimshuffle_str():
    x = T.dmatrix("x")
    assert str(x.dimshuffle("x", 0, 1).owner.op) == "InplaceDimShuffle{x,0,1}"
    assert str(x.dimshuffle(1, 0)) == "InplaceDimShuffle{1,0}.0"
    assert str(T.dvector().dimshuffle("x", 0).owner.op) == "InplaceDimShuffle{x,0}"
    assert str(DimShuffle((False, False), (1, 0), inplace=False)) == "DimShuffle{1,0}"
    assert x.dimshuffle(1, 0).owner.op.view_map == {0: [0]}


def test_dimshuffle_rules():
    x, r = T.dmatrix("x"), T.drow("r")
    with pytest.raises(ValueError, match="You cannot drop a non-broadcastable dimension"):
        x.dimshuffle(0)
    with pytest.raises(ValueError, match="may not appear twice"):
        x.dimshuffle(0, 0)
    with pytest.raises(ValueError, match="new_order\\[1\\] is 2, but the input only has 2"):
        x.dimshuffle(0, 2)
    with pytest.raises(TypeError, match="DimShuffle indices must be python ints"):
        x.dimshuffle("a", 0, 1)
    with pytest.raises(TypeError, match="broadcastable pattern of the input is incorrect"):
        DimShuffle((True, False), (1,))(x)
    with pytest.raises(TypeError, match="number of dimensions of the input is incorrect"):
        DimShuffle((False,), (0,))(x)
    # A broadcastable dimension can be dropped.
    assert r.dimshuffle(1).type == T.TensorType("float64", (False,))
    assert x.dimshuffle(1, "x", 0).broadcastable == (False, True, False)


@pytest.mark.parametrize("pattern,bcast,shape", [
    ((1, 0), (False, False), (2, 3)),
    (("x", 0, 1), (False, False), (2, 3)),
    ((0, "x", 1, "x"), (False, False), (2, 3)),
    ((1,), (True, False), (1, 3)),
    (("x",), (True,), (1,)),
    ((), (True, True), (1, 1)),
    ((2, 0, 1), (False, False, False), (2, 3, 4)),
])
def test_dimshuffle_perform_and_infer_shape(pattern, bcast, shape):
    x = T.TensorType("float64", bcast)("x")
    value = np.arange(np.prod(shape), dtype="float64").reshape(shape)
    perm = [p for p in pattern if p != "x"]
    dropped = [d for d in range(len(shape)) if d not in perm]

    def reference(a):
        a = np.transpose(a, perm + dropped).reshape([a.shape[p] for p in perm])
        for i, p in enumerate(pattern):
            if p == "x":
                a = np.expand_dims(a, i)
        return a

    check_op(lambda a: a.dimshuffle(*pattern), [x], [value], reference)


def test_dimshuffle_not_inplace_copies():
    x = T.dmatrix("x")
    f = pytheano.function([x], DimShuffle((False, False), (1, 0), inplace=False)(x))
    v = np.ones((2, 3))
    assert not np.shares_memory(f(v), v)


def test_dimshuffle_grad():
    rng = np.random.default_rng(0)
    verify_grad(lambda a: a.dimshuffle(1, "x", 0), [rng.normal(size=(2, 3))], rng=rng)
    verify_grad(lambda a: a.dimshuffle(1), [rng.normal(size=(1, 3))], rng=rng)
    r = T.drow("r")
    g = pytheano.grad(r.dimshuffle(1).sum(), r)
    assert g.broadcastable == (True, False)
    # Theano's graph: the gradient shuffles an Elemwise{identity} of gz (it prints), which
    # compiling removes
    x = T.dvector("x")
    g = pytheano.grad((x.dimshuffle("x", 0) * 2).sum(), x)
    assert isinstance(g.owner.op, DimShuffle)
    assert g.owner.inputs[0].owner.op == Elemwise(scal.identity)
    f = pytheano.function([x], g)
    assert not any(n.op == Elemwise(scal.identity) for n in f.maker.fgraph.toposort())
    np.testing.assert_allclose(f(np.ones(3)), [2.0, 2.0, 2.0])


def test_dimshuffle_constant_value():
    c = T.constant(3.0).dimshuffle("x", "x")
    assert T.get_scalar_constant_value(c) == 3.0
