"""numpy-function ops (pytheano/tensor/extra_ops.py): CumOp, DiffOp, RepeatOp / repeat,
Nonzero, searchsorted, bincount, compress, squeeze."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

import pytheano
import pytheano.tensor as T
from pytheano.tensor import extra_ops
from pytheano.tensor.extra_ops import CumOp, DiffOp, Nonzero, RepeatOp
from tests.helpers import ALL_DTYPES, check_grad, check_op, random_value, tensor_var

shapes = array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4)
dtypes = st.sampled_from(ALL_DTYPES)


# --------------------------------------------------------------------------- CumOp

@given(shapes, dtypes, st.sampled_from(["add", "mul"]), st.data())
def test_cumop_matches_numpy(shape, dtype, mode, data):
    axis = data.draw(st.none() | st.integers(-len(shape), len(shape) - 1))
    x = tensor_var(shape, dtype)
    value = random_value(shape, dtype, low=-2, high=2)
    build = T.cumsum if mode == "add" else T.cumprod
    fn = np.cumsum if mode == "add" else np.cumprod
    # The output keeps the input dtype (Theano's rule; numpy would widen small ints).
    check_op(lambda a: build(a, axis), [x], [value], lambda a: fn(a, axis=axis, dtype=dtype))


def test_cumop_str_types_and_methods():
    x = T.matrix()
    assert str(T.cumsum(x).owner.op) == "CumOp{None, add}"
    assert T.cumsum(x).type == T.TensorType("float64", (False,))
    assert str(T.cumsum(x, 0).owner.op) == "CumOp{0, add}"
    assert str(x.cumprod(-1).owner.op) == "CumOp{-1, mul}"
    assert T.cumsum(x, 0).type == x.type
    assert T.cumsum(T.bmatrix(), 1).type == T.TensorType("int8", (False, False))
    assert str(x.cumsum(1).owner.op) == "CumOp{1, add}"
    assert CumOp(0, "add") == CumOp(0, "add") != CumOp(0, "mul")
    with pytest.raises(ValueError, match=r"axis\(=2\) out of bounds"):
        T.cumsum(x, 2)
    with pytest.raises(ValueError, match='Unknown mode "div"'):
        CumOp(0, "div")


def test_cumop_grads():
    m = np.arange(1.0, 7.0).reshape(2, 3) / 3
    check_grad(lambda a: T.cumsum(a), [m])
    check_grad(lambda a: T.cumsum(a, 0), [m])
    check_grad(lambda a: T.cumsum(a, -1), [m])
    check_grad(lambda a: T.cumprod(a), [m])
    check_grad(lambda a: T.cumprod(a, 1), [m])


# --------------------------------------------------------------------------- DiffOp

@given(shapes, dtypes, st.integers(0, 3), st.data())
def test_diff_matches_numpy(shape, dtype, n, data):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = tensor_var(shape, dtype)
    value = random_value(shape, dtype)
    if dtype == "bool" and n:
        with pytest.raises(TypeError, match="bool tensor is not supported"):
            extra_ops.diff(x, n, axis)
        return
    check_op(lambda a: extra_ops.diff(a, n, axis), [x], [value],
             lambda a: np.diff(a, n=n, axis=axis).astype(dtype))


def test_diff_str_and_errors():
    x = T.matrix()
    assert str(extra_ops.diff(x).owner.op) == "DiffOp{n=1, axis=-1}"
    assert str(extra_ops.diff(x, 2, 0).owner.op) == "DiffOp{n=2, axis=0}"
    assert extra_ops.diff(T.row(), 1, 0).broadcastable == (False, False)
    assert DiffOp(1, 0) == DiffOp(1, 0)
    with pytest.raises(ValueError, match="out of bounds"):
        extra_ops.diff(x, 1, 2)


def test_diff_grad():
    check_grad(lambda a: extra_ops.diff(a), [np.array([1.0, 4.0, 2.0, 8.0])])
    check_grad(lambda a: extra_ops.diff(a, n=2), [np.array([1.0, 4.0, 2.0, 8.0, 3.0])])


# --------------------------------------------------------------------------- repeat

@given(shapes, dtypes, st.integers(0, 3), st.data())
def test_repeat_scalar_matches_numpy(shape, dtype, reps, data):
    axis = data.draw(st.none() | st.integers(-len(shape), len(shape) - 1))
    x = tensor_var(shape, dtype)
    r = T.iscalar()
    value = random_value(shape, dtype)
    check_op(lambda a: extra_ops.repeat(a, reps, axis), [x], [value],
             lambda a: np.repeat(a, reps, axis))
    check_op(lambda a, b: T.repeat(a, b, axis), [x, r], [value, reps],
             lambda a, b: np.repeat(a, b, axis))


@given(array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4), st.data())
def test_repeat_vector_matches_numpy(shape, data):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    reps = np.asarray(data.draw(st.lists(st.integers(0, 3), min_size=shape[axis],
                                         max_size=shape[axis])), dtype="int32")
    x = tensor_var(shape, "float64")
    r = T.ivector()
    check_op(lambda a, b: T.repeat(a, b, axis), [x, r], [random_value(shape, "float64"), reps],
             lambda a, b: np.repeat(a, b, axis))


def test_repeat_graph_and_errors():
    x = T.matrix()
    assert str(T.repeat(x, 2, 0).owner.op) == "Reshape{2}"
    assert str(T.repeat(x, 2).owner.op) == "Reshape{1}"
    op_out = T.repeat(x, T.ivector(), 1)
    assert str(op_out.owner.op) == "RepeatOp{axis=1}"
    assert op_out.type == x.type
    assert RepeatOp(1)(T.row(), 1).broadcastable == (True, False)
    assert RepeatOp(0)(T.row(), 2).broadcastable == (False, False)
    with pytest.raises(TypeError, match="repeats.dtype must be an integer"):
        RepeatOp(0)(x, T.vector())
    with pytest.raises(ValueError, match="should not exceed 1"):
        T.repeat(x, T.imatrix())
    with pytest.raises(ValueError, match="out of bounds"):
        T.repeat(x, 2, 2)


def test_repeat_grad():
    m = np.arange(6.0).reshape(2, 3)
    check_grad(lambda a: T.repeat(a, 2, 0), [m])
    check_grad(lambda a: T.repeat(a, 3), [m])
    check_grad(lambda a: RepeatOp(1)(a, 2), [m])
    check_grad(lambda a: RepeatOp(None)(a, 2), [m])


# --------------------------------------------------------------------------- nonzero

@given(shapes, dtypes)
def test_nonzero_matches_numpy(shape, dtype):
    x = tensor_var(shape, dtype)
    value = random_value(shape, dtype, low=-1, high=1)
    check_op(lambda a: T.nonzero(a, return_matrix=True), [x], [value],
             lambda a: np.array(np.nonzero(a), dtype="int64").reshape(a.ndim, -1))
    check_op(lambda a: list(T.nonzero(a)), [x], [value],
             lambda a: [i.astype("int64") for i in np.nonzero(a)])
    check_op(T.flatnonzero, [x], [value], lambda a: np.flatnonzero(a).astype("int64"))
    check_op(T.nonzero_values, [x], [value], lambda a: a[np.nonzero(a)])


def test_nonzero_types_and_errors():
    x = T.matrix()
    m = T.nonzero(x, True)
    assert str(m.owner.op) == "Nonzero"
    assert m.type == T.TensorType("int64", (False, False))
    rows = x.nonzero()
    assert isinstance(rows, tuple) and len(rows) == 2
    assert rows[0].type == T.TensorType("int64", (False,))
    assert Nonzero() == Nonzero()
    with pytest.raises(ValueError, match="non-scalar"):
        T.nonzero(T.scalar())
    with pytest.raises(ValueError, match="non-scalar"):
        T.flatnonzero(T.scalar())


# --------------------------------------------------------------------------- others

@given(st.lists(st.integers(-5, 5), min_size=0, max_size=6),
       array_shapes(min_dims=0, max_dims=2, max_side=3), st.sampled_from(["left", "right"]))
def test_searchsorted_matches_numpy(values, vshape, side):
    x = T.lvector()
    v = tensor_var(vshape, "int64")
    sorted_x = np.sort(np.asarray(values, dtype="int64"))
    vv = random_value(vshape, "int64", low=-6, high=6)
    check_op(lambda a, b: extra_ops.searchsorted(a, b, side), [x, v], [sorted_x, vv],
             lambda a, b: np.asarray(np.searchsorted(a, b, side), dtype="int64"))
    with pytest.raises(ValueError, match="invalid value for keyword 'side'"):
        extra_ops.searchsorted(x, v, "middle")


def test_searchsorted_with_sorter():
    x, v, s = T.dvector(), T.dvector(), T.lvector()
    xv = np.array([3.0, 1.0, 2.0])
    check_op(lambda a, b, c: extra_ops.searchsorted(a, b, sorter=c), [x, v, s],
             [xv, np.array([0.5, 2.5]), np.argsort(xv)],
             lambda a, b, c: np.searchsorted(a, b, sorter=c).astype("int64"))


@given(st.lists(st.integers(0, 6), min_size=1, max_size=8), st.none() | st.integers(0, 10))
def test_bincount_matches_numpy(values, minlength):
    x = T.ivector()
    xv = np.asarray(values, dtype="int32")
    check_op(lambda a: T.bincount(a, minlength=minlength), [x], [xv],
             lambda a: np.bincount(a, minlength=minlength or 0).astype("int32"))
    w = T.dvector()
    check_op(lambda a, b: T.bincount(a, b), [x, w], [xv, np.linspace(0, 1, len(values))],
             lambda a, b: np.bincount(a, b))


def test_bincount_errors():
    with pytest.raises(TypeError, match="dimension 1"):
        T.bincount(T.imatrix())


def test_compress_matches_numpy():
    c, x = T.bvector(), T.matrix()
    xv = np.arange(12.0).reshape(3, 4)
    check_op(lambda a, b: extra_ops.compress(a, b, axis=0), [c, x],
             [np.array([1, 0, 1], dtype="int8"), xv],
             lambda a, b: np.compress(a, b, axis=0))
    check_op(lambda a, b: extra_ops.compress(a, b, axis=1), [c, x],
             [np.array([0, 1, 1, 0], dtype="int8"), xv],
             lambda a, b: np.compress(a, b, axis=1))


def test_squeeze_is_exported_here_too():
    assert extra_ops.squeeze is T.squeeze
    out = extra_ops.squeeze(T.row())
    assert out.ndim == 1
    np.testing.assert_array_equal(pytheano.function([], T.squeeze(T.constant([[1, 2]])))(),
                                  np.array([1, 2], dtype="int8"))
