"""Sorting (pytheano/tensor/sort.py): SortOp / sort, ArgSortOp / argsort."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

import pytheano
import pytheano.tensor as T
from pytheano.tensor.sort import ArgSortOp, SortOp, TopKOp
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
    with pytest.raises(ValueError, match="sort axis must be an integral value"):
        T.sort(x, 0.5)
    with pytest.raises(TypeError, match="axis must be an integer scalar"):
        T.sort(x, T.dvector())
    # Theano 1.0 takes a float scalar axis (Test_sort.test2), integral at run time.
    fax = T.dscalar()
    g = pytheano.function([x, fax], [T.sort(x, fax), T.argsort(x, fax)])
    m = np.array([[3.0, 1.0], [0.0, 2.0]], dtype=x.dtype)
    np.testing.assert_array_equal(g(m, 1.0)[0], np.sort(m, 1))
    np.testing.assert_array_equal(g(m, 0.0)[1], np.argsort(m, 0))
    with pytest.raises(ValueError, match="integral"):
        g(m, 0.5)
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


# --- TopKOp: topk / argtopk / topk_and_argtopk ---------------------------------------------

def _unique(shape, dtype, seed=0):
    """Distinct values (so the k largest are one set and the gradient is defined)."""
    n = int(np.prod(shape))
    perm = np.random.default_rng(seed).permutation(n)
    if np.dtype(dtype).kind in "iu":
        perm = perm % np.iinfo(dtype).max
    return (perm - (n // 2 if np.dtype(dtype).kind == "i" else 0)).astype(dtype).reshape(shape)


def _goal_indices(value, k, axis):
    """numpy's top-k indices along axis, sorted by position: the reference set."""
    order = np.argsort(value, axis, kind="stable")
    n = value.shape[axis]
    take = np.arange(n - k, n) if k > 0 else np.arange(-k)
    return np.sort(np.take(order, take, axis), axis)


@given(array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6),
       st.sampled_from(["float64", "float32", "int32", "int8", "uint8"]),
       st.sampled_from(["int64", "int32", "uint16"]), st.data())
def test_topk_and_argtopk_match_numpy(shape, dtype, idx_dtype, data):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    n = shape[axis]
    k = data.draw(st.integers(-n, n).filter(lambda k: k != 0))
    value = _unique(shape, dtype)
    x = tensor_var(shape, dtype)
    yv, yi = T.topk_and_argtopk(x, k, axis=axis, sorted=False, idx_dtype=idx_dtype)
    assert yv.type == x.type and yi.type == T.TensorType(idx_dtype, x.broadcastable)
    got_v, got_i = pytheano.function([x], [yv, yi])(value)
    assert got_v.dtype == dtype and got_i.dtype == idx_dtype
    goal = _goal_indices(value, k, axis)
    np.testing.assert_array_equal(np.sort(got_i, axis), goal)
    np.testing.assert_array_equal(np.sort(got_v, axis),
                                  np.sort(np.take_along_axis(value, goal, axis), axis))
    # The values are the entries the indices point at.
    np.testing.assert_array_equal(got_v, np.take_along_axis(value, got_i.astype(int), axis))
    from tests.helpers import check_infer_shape
    check_infer_shape([yv, yi], [x], [value])
    only_i = pytheano.function([x], T.argtopk(x, k, axis=axis, sorted=False,
                                                idx_dtype=idx_dtype))(value)
    np.testing.assert_array_equal(np.sort(only_i, axis), goal)
    only_v = pytheano.function([x], T.topk(x, k, axis=axis, sorted=False))(value)
    np.testing.assert_array_equal(np.sort(only_v, axis), np.sort(got_v, axis))


def test_topk_theano_values_and_types():
    # Values, types and str recorded from Theano 1.0.5.
    x = T.matrix("x")
    v = np.array([[3.0, 1, 2, 5], [0, 7, 4, 6]])
    yv, yi = T.topk_and_argtopk(x, 2, sorted=False)
    assert str(yv.owner.op) == "TopKOp{axis=-1, sorted=False}"
    assert yi.type == T.TensorType("int64", (False, False))
    fv, fi = pytheano.function([x], [yv, yi])(v)
    np.testing.assert_array_equal(np.sort(fv, 1), [[3.0, 5.0], [6.0, 7.0]])
    np.testing.assert_array_equal(np.sort(fi, 1), [[0, 3], [1, 3]])
    # k == -n: the whole axis, indices in order.
    fv, fi = pytheano.function([x], list(T.topk_and_argtopk(x, -3, axis=0, sorted=False)))(
        v[:, :3].T)
    np.testing.assert_array_equal(fv, v[:, :3].T)
    np.testing.assert_array_equal(fi, [[0, 0], [1, 1], [2, 2]])
    fv, fi = pytheano.function([x], list(T.topk_and_argtopk(x, 3, axis=None, sorted=False)))(v)
    np.testing.assert_array_equal(np.sort(fi), [3, 5, 7])
    assert T.topk(T.row(), 1, axis=0, sorted=False).broadcastable == (True, False)
    assert T.argtopk(T.ivector(), 2, sorted=False, idx_dtype="uint8").type == \
        T.TensorType("uint8", (False,))
    # topk and argtopk build one-output nodes (Theano's local_useless_topk result).
    assert len(T.topk(x, 2, sorted=False).owner.outputs) == 1
    assert len(T.argtopk(x, 2, sorted=False).owner.outputs) == 1
    assert TopKOp(sorted=False) == TopKOp(sorted=False) != TopKOp(axis=0, sorted=False)
    assert hash(TopKOp(sorted=False)) == hash(TopKOp(sorted=False))


def test_topk_symbolic_k():
    x, k = T.vector(), T.iscalar()
    f = pytheano.function([x, k], T.topk(x, k, sorted=False))
    v = _unique((7,), "float64")
    for kv in (1, 3, -2, 7, -7):
        check_op(lambda a, b: T.sort(T.topk(a, b, sorted=False)), [x, k], [v, kv],
                 lambda a, b: np.sort(a)[-b:] if b > 0 else np.sort(a)[:-b])
        assert len(f(v, kv)) == abs(kv)


def test_topk_errors():
    # Exception classes and messages from Theano 1.0.5.
    x = T.matrix()
    with pytest.raises(NotImplementedError, match="The sorted parameter is not yet"):
        T.topk(x, 2)
    with pytest.raises(TypeError, match='"axis" parameter must be integer'):
        TopKOp(axis=1.0, sorted=False)
    with pytest.raises(TypeError, match='"idx_dtype" parameter must be an integer dtype'):
        TopKOp(sorted=False, idx_dtype="float32")
    with pytest.raises(ValueError, match="Neither return_values nor return_indices"):
        TopKOp(sorted=False, return_values=False, return_indices=False)
    with pytest.raises(IndexError, match=r'"axis" parameter out of range, expected integer '
                                         r'within \[-2, 1\]'):
        T.topk(x, 2, axis=2, sorted=False)
    with pytest.raises(ValueError, match="Cannot take scalar as input"):
        T.topk(T.scalar(), 1, sorted=False)
    with pytest.raises(ValueError, match="is expected to be 0d tensor"):
        T.topk(x, T.lvector(), sorted=False)
    k = T.iscalar()
    f = pytheano.function([x, k], T.topk(x, k, sorted=False))
    with pytest.raises(ValueError, match="topk: kth cannot be zero"):
        f(np.ones((2, 3)), 0)
    with pytest.raises(ValueError, match="topk: kth cannot be larger than the size of "
                                         "specified axis 1"):
        f(np.ones((2, 3)), 4)
    with pytest.raises(ValueError):
        f(np.ones((2, 3)), -4)


@pytest.mark.parametrize("shape", [(7,), (4, 5), (2, 3, 4)])
@pytest.mark.parametrize("k_", ["1", "-1", "(1+n)//2", "n-1", "-n", "1-n"])
def test_topk_grad(shape, k_):
    value = _unique(shape, "float64") / 3.0
    for axis in range(-len(shape), len(shape)):
        k = eval(k_, {"n": shape[axis]})
        if k == 0:
            continue
        check_grad(lambda a, k=k, axis=axis: T.topk(a, k, axis=axis, sorted=False), [value])
        check_grad(lambda a, k=k, axis=axis:
                   T.topk_and_argtopk(a, k, axis=axis, sorted=False)[0], [value])


def test_topk_grad_values():
    # The gradient of sum(topk) is 1 where an entry is among the k largest (Theano 1.0.5).
    x = T.matrix()
    g = pytheano.grad(T.topk(x, 2, sorted=False).sum(), x)
    v = np.array([[3.0, 1, 2, 5], [0, 7, 4, 6]])
    np.testing.assert_array_equal(pytheano.function([x], g)(v),
                                  [[1.0, 0, 0, 1], [0, 1, 0, 1]])
