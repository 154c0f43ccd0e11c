"""Sorting (pytheano/tensor/sort.py): SortOp / sort, ArgSortOp / argsort."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

import pytheano
import pytheano.tensor as T
from pytheano.tensor.sort import ArgSortOp, SortOp
from tests.helpers import ALL_DTYPES, check_grad, check_op, random_value, tensor_var

shapes = array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5)
dtypes = st.sampled_from(ALL_DTYPES)
kinds = st.sampled_from(["quicksort", "mergesort", "heapsort", "stable"])


@given(shapes, dtypes, kinds, st.data())
def test_sort_matches_numpy(shape, dtype, kind, data):
    axis = data.draw(st.none() | st.integers(-len(shape), len(shape) - 1))
    x = tensor_var(shape, dtype)
    value = random_value(shape, dtype)
    check_op(lambda a: T.sort(a, axis, kind), [x], [value],
             lambda a: np.sort(a, axis, kind))


@given(shapes, dtypes, st.data())
def test_argsort_matches_numpy(shape, dtype, data):
    axis = data.draw(st.none() | st.integers(-len(shape), len(shape) - 1))
    x = tensor_var(shape, dtype)
    value = random_value(shape, dtype)
    # A stable sort makes the order of ties, hence the indices, well defined.
    check_op(lambda a: T.argsort(a, axis, "stable"), [x], [value],
             lambda a: np.argsort(a, axis, "stable"))


def test_sort_methods_and_types():
    x = T.matrix()
    s = x.sort()
    assert str(s.owner.op) == "SortOp{quicksort, None}"
    assert s.type == x.type
    assert T.sort(x, None).type == T.TensorType("float64", (False,))
    assert str(T.sort(x, 0, "mergesort").owner.op) == "SortOp{mergesort, None}"
    a = x.argsort()
    assert str(a.owner.op) == "ArgSortOp{quicksort, None}"
    assert a.type == T.TensorType("int64", (False, False))
    assert T.argsort(x, None).type == T.TensorType("int64", (False,))
    assert T.argsort(T.row()).broadcastable == (True, False)
    assert SortOp("quicksort") == SortOp("quicksort") != SortOp("mergesort")
    assert hash(ArgSortOp("heapsort")) == hash(ArgSortOp("heapsort"))


def test_sort_seed_like_values():
    x = T.matrix()
    np.testing.assert_array_equal(T.sort(x).eval({x: [[3, 1], [0, 2]]}),
                                  np.array([[1.0, 3.0], [0.0, 2.0]]))


def test_sort_symbolic_axis():
    x = T.matrix()
    ax = T.iscalar()
    value = random_value((3, 4), "float64")
    check_op(lambda a, b: T.sort(a, b), [x, ax], [value, 0], lambda a, b: np.sort(a, b))
    check_op(lambda a, b: T.argsort(a, b), [x, ax], [value, -1],
             lambda a, b: np.argsort(a, b))


def test_sort_errors():
    x = T.matrix()
    with pytest.raises(ValueError, match="axis 2 is out of bounds"):
        T.sort(x, 2)
    with pytest.raises(IndexError, match="axis -3 is out of bounds"):
        T.argsort(x, -3)
    with pytest.raises(ValueError, match="sort kind must be one of"):
        T.sort(x, 0, "bubble")
    with pytest.raises(TypeError, match="axis must be an integer scalar"):
        T.sort(x, 0.5)
    with pytest.raises(ValueError, match="cannot sort a scalar"):
        T.sort(T.scalar())
    ax = T.iscalar()
    f = pytheano.function([x, ax], T.sort(x, ax))
    with pytest.raises(ValueError, match="out of bounds"):
        f(np.ones((2, 2)), 5)


def test_sort_grad():
    rng = np.random.default_rng(1)
    # Distinct values: the sort is differentiable away from ties.
    m = rng.permutation(12).reshape(3, 4) / 3.0
    check_grad(lambda a: T.sort(a), [m])
    check_grad(lambda a: T.sort(a, 0), [m])
    check_grad(lambda a: T.sort(a, None), [m])
    check_grad(lambda a: T.sort(a, -2), [rng.permutation(24).reshape(2, 3, 4) / 5.0])


def test_sort_grad_symbolic_axis():
    gradient = pytest.importorskip("pytheano.gradient")
    x = T.matrix()
    ax = T.iscalar()
    w = T.matrix()
    g = gradient.grad((T.sort(x, ax) * w).sum(), x)
    f = pytheano.function([x, ax, w], g)
    m = np.array([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])
    wv = np.arange(6.0).reshape(2, 3)
    for axis in (0, 1, -1):
        idx = np.argsort(m, axis)
        expected = np.zeros_like(m)
        np.put_along_axis(expected, idx, wv, axis)
        np.testing.assert_allclose(f(m, axis, wv), expected)


def test_argsort_grad_is_zero():
    gradient = pytest.importorskip("pytheano.gradient")
    x = T.vector()
    g = gradient.grad((T.argsort(x) * x).sum(), x)
    value = np.array([3.0, 1.0, 2.0])
    np.testing.assert_allclose(g.eval({x: value}), np.argsort(value))
