"""Joining and splitting (pytheano/tensor/join.py): Join, concatenate, stack, stacklists,
MakeVector, Split, horizontal/vertical_stack, roll."""
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

import pytheano
import pytheano.tensor as T
from pytheano.tensor.join import Join, MakeVector, Split
from tests.helpers import ALL_DTYPES, check_grad, check_op, random_value, tensor_var

dtypes = st.sampled_from(ALL_DTYPES)


# --------------------------------------------------------------------------- seeds

def test_seed_concatenate_and_stack():
    a = T.arange(10).reshape((5, 2))
    b = a[::-1]
    np.testing.assert_array_equal(b.eval(), np.array([[8, 9], [6, 7], [4, 5], [2, 3], [0, 1]]))
    np.testing.assert_array_equal(a.eval(), np.array([[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]))
    np.testing.assert_array_equal(
        T.concatenate([a, b]).eval(),
        np.array([[0, 1], [2, 3], [4, 5], [6, 7], [8, 9], [8, 9], [6, 7], [4, 5], [2, 3],
                  [0, 1]]))
    np.testing.assert_array_equal(
        T.concatenate([a, b], axis=1).eval(),
        np.array([[0, 1, 8, 9], [2, 3, 6, 7], [4, 5, 4, 5], [6, 7, 2, 3], [8, 9, 0, 1]]))
    out = T.stack([a, b]).eval()
    np.testing.assert_array_equal(
        out, np.array([[[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]],
                       [[8, 9], [6, 7], [4, 5], [2, 3], [0, 1]]]))
    assert out.dtype == np.int64


def test_seed_reverse_transpose_chain():
    out = T.arange(10).reshape((5, 2))[::-1].T.eval()
    np.testing.assert_array_equal(out, np.array([[8, 6, 4, 2, 0], [9, 7, 5, 3, 1]]))


# --------------------------------------------------------------------------- Join

@st.composite
def join_case(draw):
    shape = draw(array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    n = draw(st.integers(1, 3))
    shapes = []
    for _ in range(n):
        s = list(shape)
        s[axis] = draw(st.integers(0, 3))
        shapes.append(tuple(s))
    dts = [draw(dtypes) for _ in range(n)]
    return shapes, dts, axis


@given(join_case())
def test_concatenate_matches_numpy(case):
    shapes, dts, axis = case
    xs = [tensor_var(s, d) for s, d in zip(shapes, dts)]
    values = [random_value(s, d) for s, d in zip(shapes, dts)]
    check_op(lambda *a: T.concatenate(list(a), axis=axis), xs, values,
             lambda *a: np.concatenate(a, axis=axis))


@given(join_case())
def test_join_symbolic_axis(case):
    shapes, dts, axis = case
    if len(shapes) < 2:
        shapes, dts = shapes * 2, dts * 2
    xs = [tensor_var(s, d) for s, d in zip(shapes, dts)]
    ax = T.iscalar()
    values = [random_value(s, d) for s, d in zip(shapes, dts)]
    out = T.join(ax, *xs)
    assert out.broadcastable == (False,) * len(shapes[0])
    check_op(lambda a, *b: T.join(a, *b), [ax] + xs, [np.int32(axis)] + values,
             lambda a, *b: np.concatenate(b, axis=int(a)))


@given(st.lists(array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3),
                min_size=1, max_size=1), st.integers(1, 3), dtypes, st.data())
def test_stack_matches_numpy(shape_l, n, dtype, data):
    shape = shape_l[0]
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    xs = [tensor_var(shape, dtype) for _ in range(n)]
    values = [random_value(shape, dtype) for _ in range(n)]
    check_op(lambda *a: T.stack(list(a), axis=axis), xs, values,
             lambda *a: np.stack(a, axis=axis))


def test_join_types_and_str():
    x = T.matrix()
    assert str(T.join(0, x, x).owner.op) == "Join"
    assert str(Join(view=1)) == "Join{view=1}"
    assert Join() == Join() and hash(Join()) == hash(Join()) and Join() != Join(view=0)
    assert T.concatenate([x, T.imatrix()], axis=1).type == T.TensorType("float64",
                                                                      (False, False))
    assert T.concatenate([T.row(), T.row()]).type == T.TensorType("float64", (False, False))
    assert T.concatenate([T.row(), T.row()], axis=1).broadcastable == (True, False)
    assert T.concatenate([T.row(), x], axis=1).broadcastable == (True, False)
    assert T.join(T.iscalar(), x, x).broadcastable == (False, False)
    # A negative axis is normalised into the constant input.
    out = T.join(-1, x, x)
    assert int(out.owner.inputs[0].data) == 1
    assert T.join(0, x) is x
    assert T.concatenate([T.bvector(), T.fvector()]).dtype == "float32"
    assert T.concatenate([T.ivector(), T.fvector()]).dtype == "float64"


def test_join_errors():
    x, v = T.matrix(), T.vector()
    with pytest.raises(ValueError, match='"axis" is out of range'):
        T.join(2, x, x)
    with pytest.raises(IndexError, match=r"Join axis -3 out of bounds \[0, 2\)"):
        T.join(-3, x, x)
    with pytest.raises(TypeError, match="same number of dimensions"):
        T.join(0, x, v)
    with pytest.raises(TypeError, match="dimension 0"):
        T.join(0, T.scalar(), T.scalar())
    with pytest.raises(TypeError, match="either a tuple or a list"):
        T.concatenate(x, x)
    with pytest.raises(ValueError, match="empty list"):
        Join()(0)
    with pytest.raises(TypeError, match="Axis could not be cast"):
        T.join(T.dscalar(), x, x)
    f = pytheano.function([x, v], T.concatenate([x, v.dimshuffle("x", 0)]))
    with pytest.raises(ValueError, match="must match exactly"):
        f(np.ones((2, 3)), np.ones(4))


def test_join_grad():
    check_grad(lambda a, b: T.concatenate([a, b]),
                 [np.arange(6.0).reshape(2, 3), np.arange(3.0).reshape(1, 3)])
    check_grad(lambda a, b: T.concatenate([a, b], axis=1),
                 [np.arange(6.0).reshape(2, 3), np.arange(4.0).reshape(2, 2)])
    check_grad(lambda a, b: T.join(-1, a, b, a), [np.arange(3.0), np.arange(2.0) / 3])


def test_join_grad_symbolic_axis():
    gradient = pytest.importorskip("pytheano.gradient")
    a, b = T.matrices("a", "b")
    ax = T.iscalar()
    cost = (T.join(ax, a, b) ** 2).sum()
    ga, gb = gradient.grad(cost, [a, b])
    f = pytheano.function([ax, a, b], [ga, gb])
    va, vb = np.arange(6.0).reshape(2, 3), np.arange(3.0).reshape(1, 3)
    got_a, got_b = f(0, va, vb)
    np.testing.assert_allclose(got_a, 2 * va)
    np.testing.assert_allclose(got_b, 2 * vb)


def test_join_of_ints_has_float_zero_grad():
    gradient = pytest.importorskip("pytheano.gradient")
    a = T.dvector()
    i = T.ivector()
    cost = T.concatenate([T.cast(a, "int32"), i]).sum() + a.sum()
    g = gradient.grad(cost, a)
    f = pytheano.function([a, i], g)
    np.testing.assert_allclose(f(np.ones(3), np.ones(2, dtype="int32")), np.ones(3))


def test_stack_grad():
    check_grad(lambda a, b: T.stack([a, b]), [np.arange(3.0), np.arange(3.0) * 2])
    check_grad(lambda a, b: T.stack([a, b], axis=1),
                 [np.arange(6.0).reshape(2, 3), np.ones((2, 3))])


def test_join_rop():
    x, y, ex = T.vector(), T.vector(), T.vector()
    out = T.concatenate([x, y])
    r, = out.owner.op.R_op(out.owner.inputs, [None, ex, ex])
    assert str(r.owner.op) == "Join"
    assert out.owner.op.R_op(out.owner.inputs, [None, ex, None]) == [None]


# --------------------------------------------------------------------------- stack forms

def test_stack_forms():
    x, v = T.matrix(), T.vector()
    i, l_ = T.iscalar(), T.lscalar()
    assert T.stack([x, x]).type == T.TensorType("float64", (False, False, False))
    assert T.stack([v, v], axis=1).type == T.TensorType("float64", (False, False))
    assert T.stack([v, v], 1).type == T.TensorType("float64", (False, False))
    assert T.stack(tensors=[v, v], axis=1).ndim == 2
    with pytest.warns(DeprecationWarning, match="deprecated"):
        old = T.stack(v, v)
    assert old.type == T.TensorType("float64", (False, False))
    s = T.stack([i, l_])
    assert str(s.owner.op) == "MakeVector{dtype='int64'}"
    assert s.type == T.TensorType("int64", (False,))
    assert str(T.stack([1, 2]).owner.op) == "MakeVector{dtype='int8'}"
    assert str(T.stack([i, 2.5]).owner.op) == "MakeVector{dtype='float64'}"
    assert T.stack([x, x], -1).ndim == 3
    with pytest.raises(Exception, match="must have at least one parameter"):
        T.stack()
    with pytest.raises(Exception, match="tensors is empty"):
        T.stack([])


def test_stacklists():
    a, b, c, d = T.iscalars(4)
    X = T.stacklists([[a, b], [c, d]])
    assert str(X.owner.op) == "Join"
    assert X.type == T.TensorType("int32", (False, False))
    f = pytheano.function([a, b, c, d], X)
    np.testing.assert_array_equal(f(1, 2, 3, 4), np.array([[1, 2], [3, 4]], dtype="int32"))
    m = T.matrices(4)
    Y = T.stacklists([[m[0], m[1]], [m[2], m[3]]])
    ones = np.ones((4, 4))
    assert pytheano.function(m, Y)(ones, ones, ones, ones).shape == (2, 2, 4, 4)


def test_as_tensor_variable_of_list_with_variables():
    i = T.iscalar()
    v = T.as_tensor_variable([i, 3])
    assert str(v.owner.op) == "MakeVector{dtype='int32'}"
    np.testing.assert_array_equal(v.eval({i: 7}), np.array([7, 3], dtype="int32"))
    x = T.vector()
    m = T.as_tensor_variable([x, x])
    assert m.ndim == 2


# --------------------------------------------------------------------------- MakeVector

@given(st.lists(dtypes, min_size=0, max_size=4))
def test_make_vector_matches_numpy(dts):
    xs = [T.TensorType(d, ())() for d in dts]
    values = [random_value((), d) for d in dts]
    dtype = str(np.result_type(*[np.dtype(d) for d in dts])) if dts else "int64"
    out = check_op(lambda *a: MakeVector(dtype)(*a), xs, values,
                   lambda *a: np.array(a, dtype=dtype).reshape(len(a)))
    assert out.shape == (len(dts),)


def test_make_vector_errors_and_grad():
    with pytest.raises(TypeError, match="upcastable to int8"):
        MakeVector("int8")(T.lscalar())
    with pytest.raises(TypeError, match="expects scalars"):
        MakeVector("float64")(T.vector())
    assert MakeVector("int8") == MakeVector("int8") != MakeVector("int16")
    check_grad(lambda a, b: MakeVector("float64")(a, b) * [1.0, 2.0],
                 [np.array(1.5), np.array(-0.5)])


# --------------------------------------------------------------------------- Split

@given(array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4), st.data())
def test_split_matches_numpy(shape, data):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    length = shape[axis]
    cuts = sorted(data.draw(st.lists(st.integers(0, length), min_size=0, max_size=3)))
    sizes = np.diff([0] + cuts + [length]).astype("int64")
    x = tensor_var(shape, "float64")
    s = T.lvector()
    value = random_value(shape, "float64")
    out = check_op(lambda a, b: T.split(a, b, len(sizes), axis), [x, s], [value, sizes],
                   lambda a, b: _one_or_list(np.split(a, np.cumsum(b)[:-1], axis=axis)))
    assert len(out if len(sizes) > 1 else [out]) == len(sizes)


def _one_or_list(arrays):
    # An op with one output returns a variable, not a list (Theano's __call__ rule).
    return arrays if len(arrays) > 1 else arrays[0]


def test_split_str_errors_grad():
    x = T.matrix()
    outs = T.split(x, [1, 2], 2, 0)
    assert str(outs[0].owner.op) == "Split{2}"
    assert [o.type for o in outs] == [x.type, x.type]
    f = pytheano.function([x], outs)
    with pytest.raises(ValueError, match="sum to 3, expected 4"):
        f(np.ones((4, 2)))
    with pytest.raises(TypeError, match="splits must have type"):
        Split(2)(x, 0, [1.0, 2.0])
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        Split(2)(x, 2, [1, 2])
    ax = T.iscalar()
    sym = Split(2)(x, ax, [1, 2])
    check_op(lambda a, b: Split(2)(a, b, [1, 2]), [x, ax], [np.ones((3, 3)), 1],
             lambda a, b: np.split(a, [1], axis=1))
    assert len(sym) == 2
    check_grad(lambda a: T.split(a, [1, 2], 2, 1)[1], [np.arange(6.0).reshape(2, 3)])


# --------------------------------------------------------------------------- stacks & roll

def test_horizontal_vertical_stack():
    a, b = T.matrices(2)
    va, vb = np.ones((2, 3)), np.zeros((2, 1))
    np.testing.assert_array_equal(T.horizontal_stack(a, b).eval({a: va, b: vb}),
                                  np.hstack([va, vb]))
    np.testing.assert_array_equal(T.vertical_stack(a, b).eval({a: va.T, b: vb.T}),
                                  np.vstack([va.T, vb.T]))
    with pytest.raises(TypeError, match="only joins matrices"):
        T.horizontal_stack(a, T.vector())


@given(array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4), st.integers(-5, 5),
       st.data())
def test_roll_matches_numpy(shape, shift, data):
    axis = data.draw(st.none() | st.integers(0, len(shape) - 1))
    x = tensor_var(shape, "int32")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_op(lambda a: T.roll(a, shift, axis), [x], [random_value(shape, "int32")],
                 lambda a: np.roll(a, shift, axis))


@pytest.mark.parametrize("build", [
    lambda a: T.concatenate([a, a * 2], axis=1),
    lambda a: T.stack([a, a]),
    lambda a: T.split(a, [1, 1], 2, 0)[1],
], ids=["concatenate", "stack", "split"])
def test_rop_of_join_split(build):
    gradient = pytest.importorskip("pytheano.gradient")
    x, ev = T.matrix(), T.matrix()
    y = build(x)
    f = pytheano.function([x, ev], gradient.Rop(y, x, ev), on_unused_input="ignore")
    evv = np.arange(6.0).reshape(2, 3) / 5
    np.testing.assert_allclose(f(np.ones((2, 3)), evv), pytheano.function([x], y)(evv))


def test_join_runtime_axis_error():
    x, ax = T.matrix(), T.iscalar()
    f = pytheano.function([x, ax], T.join(ax, x, x))
    with pytest.raises(IndexError, match=r"Join axis 3 out of bounds \[0, 2\)"):
        f(np.ones((2, 2)), 3)
    with pytest.raises(ValueError, match="out of bounds"):
        f(np.ones((2, 2)), -3)
