"""Shape ops (pytheano/tensor/shape.py): Shape, Shape_i, Reshape, flatten, transpose and the
DimShuffle helpers, SpecifyShape, get_vector_length."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

import pytheano
import pytheano.tensor as T
from pytheano.tensor.shape import Reshape, Shape, Shape_i, SpecifyShape
from tests.helpers import ALL_DTYPES, check_grad, check_op, random_value, tensor_var

shapes = array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)
dtypes = st.sampled_from(ALL_DTYPES)


# --------------------------------------------------------------------------- seeds

def test_seed_shape_of_matrix():
    a = T.matrix()
    assert str(a.shape) == "Shape.0"
    assert repr(a.shape) == "Shape.0"
    out = a.shape.eval({a: [[1, 2], [1, 3]]})
    np.testing.assert_array_equal(out, np.array([2, 2]))
    assert out.dtype == np.int64
    shape_fct = pytheano.function([a], a.shape)
    np.testing.assert_array_equal(shape_fct([[1, 2], [1, 3]]), np.array([2, 2]))


def test_seed_shape_of_symbolic_arange():
    n = T.iscalar()
    c = T.arange(n)
    out = c.shape.eval({n: 10})
    np.testing.assert_array_equal(out, np.array([10]))
    assert out.dtype == np.int64


def test_seed_reshape_arange():
    a = T.arange(10)
    b = T.reshape(a, (5, 2))
    assert str(b.owner.op) == "Reshape{2}"
    np.testing.assert_array_equal(b.eval(), np.array([[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]))
    assert b.eval().dtype == np.int64


# --------------------------------------------------------------------------- Shape / Shape_i

@given(shapes, dtypes)
def test_shape_matches_numpy(shape, dtype):
    x = tensor_var(shape, dtype)
    value = random_value(shape, dtype)
    check_op(T.shape, [x], [value], lambda v: np.asarray(v.shape, dtype="int64"))


def test_shape_type_and_str():
    x = T.tensor3()
    s = T.shape(x)
    assert s.type == T.TensorType("int64", (False,))
    assert str(s.owner.op) == "Shape"
    assert Shape() == Shape() and hash(Shape()) == hash(Shape())


@given(array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=4), dtypes, st.data())
def test_shape_i_matches_numpy(shape, dtype, data):
    i = data.draw(st.integers(0, len(shape) - 1))
    x = tensor_var(shape, dtype)
    out = check_op(lambda v: T.shape_i(v, i), [x], [random_value(shape, dtype)],
                   lambda v: np.asarray(v.shape[i], dtype="int64"))
    assert out.ndim == 0


def test_shape_i_str_type_and_errors():
    x = T.matrix()
    s = Shape_i(1)(x)
    assert str(s.owner.op) == "Shape_i{1}"
    assert s.type == T.TensorType("int64", ())
    assert Shape_i(1) == Shape_i(1) and Shape_i(0) != Shape_i(1)
    with pytest.raises(TypeError, match="too few dimensions"):
        Shape_i(2)(x)


def test_shape_i_constant_value_of_broadcastable_dim():
    r = T.row()
    assert T.get_scalar_constant_value(Shape_i(0)(r)) == 1
    with pytest.raises(T.NotScalarConstantError):
        T.get_scalar_constant_value(Shape_i(1)(r))


def test_shape_is_not_differentiable():
    x = T.matrix()
    assert Shape().connection_pattern(T.shape(x).owner) == [[False]]
    assert Shape().R_op([x], [None]) == [None]


# --------------------------------------------------------------------------- Reshape

def _factor_shapes(size):
    """Strategies of target shapes with ``size`` elements."""
    if size == 0:
        return st.sampled_from([(0,), (0, 3), (2, 0), (1, 0, 2)])
    divisors = [d for d in range(1, size + 1) if size % d == 0]
    return st.sampled_from(divisors).map(lambda d: (d, size // d)) | st.just((size,)) | \
        st.sampled_from(divisors).map(lambda d: (size // d, 1, d))


@given(shapes, dtypes, st.data())
def test_reshape_constant_shape_matches_numpy(shape, dtype, data):
    size = int(np.prod(shape))
    target = data.draw(_factor_shapes(size))
    x = tensor_var(shape, dtype)
    out = check_op(lambda v: T.reshape(v, target), [x], [random_value(shape, dtype)],
                   lambda v: v.reshape(target))
    assert out.shape == target


@given(array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4), st.data())
def test_reshape_with_minus_one(shape, data):
    size = int(np.prod(shape))
    target = list(data.draw(_factor_shapes(size)))
    target[data.draw(st.integers(0, len(target) - 1))] = -1
    x = tensor_var(shape, "float64")
    check_op(lambda v: v.reshape(target), [x], [random_value(shape, "float64")],
             lambda v: v.reshape(target))


def test_reshape_symbolic_shape_vector_needs_ndim():
    x = T.matrix()
    s = T.lvector()
    with pytest.raises(ValueError, match="ndim"):
        T.reshape(x, s)
    y = T.reshape(x, s, ndim=3)
    assert str(y.owner.op) == "Reshape{3}"
    assert y.broadcastable == (False, False, False)
    value = np.arange(12.0).reshape(3, 4)
    check_op(lambda a, b: T.reshape(a, b, ndim=3), [x, s], [value, np.array([2, -1, 3])],
             lambda a, b: a.reshape(b))


def test_reshape_symbolic_scalar_entries():
    x = T.matrix()
    i = T.iscalar()
    y = x.reshape((i, 1, 3))
    assert y.broadcastable == (False, True, False)
    assert y.owner.inputs[1].type == T.TensorType("int32", (False,))
    value = np.arange(6.0).reshape(2, 3)
    check_op(lambda a, n: a.reshape((n, 1, 3)), [x, i], [value, 2],
             lambda a, n: a.reshape((n, 1, 3)))
    check_op(lambda a, n: a.reshape((n, -1)), [x, i], [value, 3],
             lambda a, n: a.reshape((n, -1)))


def test_reshape_to_shape_of_other_variable():
    x = T.matrix()
    r = T.row()
    y = x.reshape(r.shape)
    assert str(y.owner.op) == "Reshape{2}"
    assert y.broadcastable == (True, False)
    v = T.vector()
    assert str(x.reshape(v.shape).owner.op) == "Reshape{1}"


def test_reshape_broadcastable_from_constant_ones():
    v = T.vector()
    assert v.reshape([1, 1, -1]).broadcastable == (True, True, False)
    assert T.matrix().reshape((1, -1)).type == T.TensorType("float64", (True, False))
    assert T.matrix().reshape((2, 3)).type == T.TensorType("float64", (False, False))


def test_reshape_str_eq_hash():
    assert str(Reshape(2)) == "Reshape{2}"
    assert Reshape(2) == Reshape(2) and hash(Reshape(2)) == hash(Reshape(2))
    assert Reshape(2) != Reshape(3)
    x = T.matrix()
    y = x.reshape((2, 3))
    assert str(y.owner.inputs[1]) == "TensorConstant{[2 3]}"


def test_reshape_scalar_to_ones():
    s = T.scalar()
    check_op(lambda a: a.reshape((1, 1)), [s], [np.float64(3.0)], lambda a: a.reshape((1, 1)))
    check_op(lambda a: a.reshape(()), [T.vector()], [np.array([3.0])], lambda a: a.reshape(()))


def test_reshape_incompatible_size_names_shapes():
    x = T.matrix()
    f = pytheano.function([x], x.reshape((5, 2)))
    with pytest.raises(ValueError,
                       match=r"Cannot reshape input of shape \(2, 3\) to shape \[5 2\]"):
        f(np.ones((2, 3)))


def test_reshape_build_time_errors():
    x = T.matrix()
    with pytest.raises(TypeError, match="Shape must be integers"):
        T.reshape(x, (2.0, 3))
    with pytest.raises(TypeError, match="must be a vector"):
        T.reshape(x, [[2, 3]])
    with pytest.raises(ValueError, match="at most one"):
        x.reshape((-1, -1))
    with pytest.raises(ValueError, match="length 3"):
        Reshape(2)(x, [1, 2, 3])
    with pytest.raises(ValueError, match="0 or greater"):
        Reshape(-1)


def test_reshape_view_and_rop():
    x = T.matrix()
    y = x.reshape((6,))
    assert y.owner.op.view_map == {0: [0]}
    assert y.owner.op.connection_pattern(y.owner) == [[True], [False]]
    ev = T.matrix()
    r, = y.owner.op.R_op(y.owner.inputs, [ev, None])
    assert str(r.owner.op) == "Reshape{1}"
    assert y.owner.op.R_op(y.owner.inputs, [None, None]) == [None]


def test_reshape_grad():
    check_grad(lambda a: a.reshape((3, 2)), [np.arange(6.0).reshape(2, 3)])
    check_grad(lambda a: a.reshape((-1,)), [np.arange(6.0).reshape(2, 3) / 7.0])


# --------------------------------------------------------------------------- flatten

@given(shapes, dtypes, st.data())
def test_flatten_matches_numpy(shape, dtype, data):
    ndim = data.draw(st.integers(1, max(1, len(shape))))
    x = tensor_var(shape, dtype)
    if 0 in shape[:ndim - 1]:
        # The -1 of reshape is ambiguous for an empty tensor: numpy and Theano's Reshape refuse it.
        with pytest.raises(ValueError, match="Cannot reshape"):
            pytheano.function([x], T.flatten(x, ndim))(random_value(shape, dtype))
        return

    def ref(v):
        if ndim == 1:
            return v.reshape(-1)
        return v.reshape(v.shape[:ndim - 1] + (-1,))

    out = check_op(lambda v: T.flatten(v, ndim), [x], [random_value(shape, dtype)], ref)
    assert out.ndim == ndim


def test_flatten_graph_and_types():
    x = T.matrix()
    f = x.flatten()
    assert str(f.owner.op) == "Reshape{1}"
    assert f.type == T.TensorType("float64", (False,))
    assert str(f.owner.inputs[1]) == "TensorConstant{(1,) of -1}"
    t3 = T.tensor3()
    f2 = t3.flatten(2)
    assert str(f2.owner.op) == "Reshape{2}"
    assert f2.type == T.TensorType("float64", (False, False))
    assert T.flatten(T.scalar(), 1).type == T.TensorType("float64", (True,))
    assert T.flatten(T.TensorType("float64", (False, True, True))(), 2).broadcastable == \
        (False, True)
    assert x.ravel().ndim == 1


def test_flatten_errors():
    x = T.matrix()
    with pytest.raises(ValueError, match=r"ndim 3 out of bound \[1, 3\)"):
        T.flatten(x, 3)
    with pytest.raises(ValueError, match=r"ndim 0 out of bound"):
        T.flatten(x, 0)
    with pytest.raises(ValueError, match="only specify ndim"):
        T.flatten(x, 1, outdim=1)


def test_flatten_grad():
    check_grad(lambda a: T.flatten(a), [np.arange(6.0).reshape(2, 3)])
    check_grad(lambda a: T.flatten(a, 2), [np.arange(24.0).reshape(2, 3, 4) / 10])


# --------------------------------------------------------------------------- transpose & co

@given(shapes, dtypes, st.data())
def test_transpose_matches_numpy(shape, dtype, data):
    axes = data.draw(st.none() | st.permutations(range(len(shape))))
    x = tensor_var(shape, dtype)
    check_op(lambda v: T.transpose(v, axes), [x], [random_value(shape, dtype)],
             lambda v: np.transpose(v, axes))


def test_transpose_names_and_str():
    x = T.matrix("x")
    assert x.T.name == "x.T"
    assert str(x.T) == "x.T"
    assert str(x.T.owner.op) == "InplaceDimShuffle{1,0}"
    assert T.matrix().T.name is None
    assert str(T.matrix().T) == "InplaceDimShuffle{1,0}.0"
    assert T.transpose(x, (1, 0)).name is None
    assert T.transpose(x, [1, 0]).name == "x.T"
    assert str(T.transpose(T.tensor3(), (0, 2, 1)).owner.op) == "InplaceDimShuffle{0,2,1}"
    assert str(x.transpose(-1, 0).owner.op) == "InplaceDimShuffle{1,0}"


def test_transpose_errors():
    x = T.matrix()
    with pytest.raises(ValueError, match="twice"):
        T.transpose(x, (0, 0))
    with pytest.raises(ValueError, match="out of bounds"):
        T.transpose(x, (0, 2))
    with pytest.raises(ValueError, match="do not match"):
        T.transpose(x, (0,))


def test_transpose_grad():
    check_grad(lambda a: a.T, [np.arange(6.0).reshape(2, 3)])
    check_grad(lambda a: T.transpose(a, (2, 0, 1)), [np.arange(24.0).reshape(2, 3, 4)])


@given(array_shapes(min_dims=1, max_dims=4, max_side=3), st.data())
def test_swapaxes_matches_numpy(shape, data):
    a1 = data.draw(st.integers(-len(shape), len(shape) - 1))
    a2 = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = tensor_var(shape, "float32")
    check_op(lambda v: T.swapaxes(v, a1, a2), [x], [random_value(shape, "float32")],
             lambda v: np.swapaxes(v, a1, a2))


def test_swapaxes_str_and_errors():
    t3 = T.tensor3()
    assert str(T.swapaxes(t3, 0, 2).owner.op) == "InplaceDimShuffle{2,1,0}"
    assert str(t3.swapaxes(0, 1).owner.op) == "InplaceDimShuffle{1,0,2}"
    with pytest.raises(IndexError, match="axis2 2 is out of bounds"):
        T.swapaxes(T.matrix(), 0, 2)


@given(st.lists(st.booleans(), min_size=0, max_size=4), st.data())
def test_squeeze_drops_broadcastable_dims(bcast, data):
    shape = tuple(1 if b else data.draw(st.integers(0, 3)) for b in bcast)
    x = T.TensorType("float64", bcast)()
    out = check_op(T.squeeze, [x], [random_value(shape, "float64")],
                   lambda v: v.reshape([s for s, b in zip(v.shape, bcast) if not b]))
    assert out.ndim == bcast.count(False)


def test_squeeze_str_method_and_axis():
    x = T.tensor3().dimshuffle(0, "x", 1, 2)
    assert str(T.squeeze(x).owner.op) == "InplaceDimShuffle{0,2,3}"
    assert str(T.row().squeeze().owner.op) == "InplaceDimShuffle{1}"
    assert T.squeeze(T.row()).type == T.TensorType("float64", (False,))
    # With an axis, a non-broadcastable dimension is checked to be 1 at run time.
    m = T.matrix()
    f = pytheano.function([m], T.squeeze(m, axis=0))
    np.testing.assert_array_equal(f(np.ones((1, 3))), np.ones(3))
    with pytest.raises(ValueError):
        f(np.ones((2, 3)))


@given(shapes, st.integers(0, 3))
def test_shape_pad_left_right(shape, n):
    x = tensor_var(shape, "int16")
    value = random_value(shape, "int16")
    left = check_op(lambda v: T.shape_padleft(v, n), [x], [value],
                    lambda v: v.reshape((1,) * n + v.shape))
    assert left.shape == (1,) * n + shape
    check_op(lambda v: T.shape_padright(v, n), [x], [value],
             lambda v: v.reshape(v.shape + (1,) * n))
    assert T.shape_padleft(x, n).broadcastable == (True,) * n + (False,) * len(shape)


@given(shapes, st.data())
def test_shape_padaxis(shape, data):
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    x = tensor_var(shape, "float64")
    check_op(lambda v: T.shape_padaxis(v, axis), [x], [random_value(shape, "float64")],
             lambda v: np.expand_dims(v, axis))


def test_shape_pad_strs_and_errors():
    v, x = T.vector(), T.matrix()
    assert str(T.shape_padleft(v).owner.op) == "InplaceDimShuffle{x,0}"
    assert str(T.shape_padright(v, 2).owner.op) == "InplaceDimShuffle{0,x,x}"
    assert str(T.shape_padaxis(x, 1).owner.op) == "InplaceDimShuffle{0,x,1}"
    with pytest.raises(IndexError, match=r"axis 3 is out of bounds \[-3, 3\)"):
        T.shape_padaxis(x, 3)


# --------------------------------------------------------------------------- SpecifyShape

def test_specify_shape_passes_and_checks():
    x = T.matrix()
    y = T.specify_shape(x, (2, 3))
    assert str(y.owner.op) == "SpecifyShape"
    assert y.type == x.type
    assert str(y.owner.inputs[1]) == "TensorConstant{[2 3]}"
    f = pytheano.function([x], y)
    value = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(f(value), value)
    with pytest.raises(AssertionError, match="dim 1 of input has shape 2, expected 3"):
        f(np.ones((2, 2)))


def test_specify_shape_symbolic_and_infer_shape():
    x = T.matrix()
    i, j = T.lscalar(), T.iscalar()
    y = T.specify_shape(x, [i, j])
    assert y.owner.inputs[1].type == T.TensorType("int64", (False,))
    check_op(lambda a, b, c: T.specify_shape(a, [b, c]), [x, i, j],
             [np.ones((2, 3)), 2, 3], lambda a, b, c: a)
    shp = SpecifyShape().infer_shape(None, y.owner, [(None, None), (2,)])
    assert shp[0][0] is i


def test_specify_shape_build_errors():
    x = T.matrix()
    with pytest.raises(ValueError, match="3 entries"):
        T.specify_shape(x, (1, 2, 3))
    with pytest.raises(TypeError, match="vector of integers"):
        T.specify_shape(x, (1.0, 2.0))


# --------------------------------------------------------------------------- get_vector_length

def test_get_vector_length_known_cases():
    x = T.matrix()
    i = T.iscalar()
    assert T.get_vector_length(x.shape) == 2
    assert T.get_vector_length(T.constant([1, 2, 3])) == 3
    assert T.get_vector_length(T.as_tensor_variable([1, 2])) == 2
    assert T.get_vector_length(T.stack([i, i, i])) == 3
    assert T.get_vector_length(T.TensorType("int64", (True,))()) == 1
    assert T.get_vector_length(T.join(0, T.as_tensor([1, 2]), T.as_tensor([3]))) == 3
    assert T.get_vector_length(x.shape[1:]) == 1
    assert T.get_vector_length(T.tensor4().shape[:-1]) == 3
    assert len(list(x.shape)) == 2


def test_get_vector_length_errors():
    with pytest.raises(TypeError, match="argument must be symbolic vector"):
        T.get_vector_length(T.matrix("x"))
    with pytest.raises(ValueError, match="length not known"):
        T.get_vector_length(T.lvector())


@pytest.mark.parametrize("build", [
    lambda a: a.reshape((3, 2)),
    lambda a: a.flatten(),
    lambda a: T.specify_shape(a, (2, 3)),
], ids=["reshape", "flatten", "specify_shape"])
def test_rop_of_linear_shape_ops(build):
    from pytheano import gradient

    x, ev = T.matrix(), T.matrix()
    y = build(x)
    f = pytheano.function([x, ev], gradient.Rop(y, x, ev), on_unused_input="ignore")
    evv = np.arange(6.0).reshape(2, 3) / 5
    np.testing.assert_allclose(f(np.ones((2, 3)), evv), pytheano.function([x], y)(evv))
