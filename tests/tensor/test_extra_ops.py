"""numpy-function ops (pytheano/tensor/extra_ops.py): CumOp, DiffOp, RepeatOp / repeat,
Nonzero, searchsorted, bincount, compress, squeeze, bartlett, fill_diagonal(_offset),
to_one_hot, Unique, (un)ravel indices."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

import pytheano
import pytheano.tensor as T
from pytheano.tensor import extra_ops
from pytheano.tensor.extra_ops import CumOp, DiffOp, Nonzero, RepeatOp
from tests.helpers import ALL_DTYPES, check_grad, check_op, random_value, randn, tensor_var

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


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "uint16", "int32", "uint32",
                                   "int64", "uint64"])
def test_bincount_every_int_dtype(dtype):
    """Counts in x's dtype (Theano's TestBinCount), also when x holds its dtype's maximum."""
    x = T.vector(dtype=dtype)
    xv = np.array([0, 1, 1, 3, np.iinfo(dtype).max if dtype.endswith("int8") else 7], dtype)
    f = pytheano.function([x], T.bincount(x))
    out = f(xv)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out, np.bincount(xv.astype("int64")))


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


# --------------------------------------------------------------------------- Bartlett

def test_bartlett_matches_numpy_and_theano():
    M = T.iscalar()
    for n in (-2, 0, 1, 5, 6):
        check_op(extra_ops.bartlett, [M], [np.int32(n)],
                 lambda m: np.bartlett(int(m)).astype("float64"))
    # Theano: print(bartlett(5).eval()) -> [0.  0.5 1.  0.5 0. ]
    assert str(extra_ops.bartlett(5).eval()) == "[0.  0.5 1.  0.5 0. ]"
    assert str(extra_ops.bartlett(M).owner.op) == "Bartlett"
    with pytest.raises(TypeError, match="Bartlett only works on integer input"):
        extra_ops.bartlett(T.dscalar())
    with pytest.raises(TypeError, match="Bartlett only works on scalar input"):
        extra_ops.bartlett(T.ivector())


# --------------------------------------------------------------------------- fill_diagonal

@given(st.integers(1, 5), st.integers(1, 5), st.sampled_from(["float32", "float64", "int32"]))
def test_fill_diagonal_matrix_no_wrap(h, w, dtype):
    a = tensor_var((h, w), dtype)
    av = random_value((h, w), dtype)

    def ref(x):
        x = x.copy()
        np.fill_diagonal(x, 5)  # numpy does not wrap by default either
        return x

    check_op(lambda x: T.fill_diagonal(x, 5), [a], [av], ref)


def test_fill_diagonal_cube_and_types():
    a = T.dtensor3()
    av = np.zeros((3, 3, 3))
    expected = av.copy()
    np.fill_diagonal(expected, 2.0)
    check_op(lambda x: T.fill_diagonal(x, 2.0), [a], [av], lambda x: expected)
    # Theano: the value is cast to a's dtype when that is no downcast; str is the class name.
    out = T.fill_diagonal(T.fmatrix(), 1.5)
    assert str(out.owner.op) == "FillDiagonal" and out.type == T.fmatrix().type
    assert out.owner.inputs[1].type.dtype == "float32"
    with pytest.raises(TypeError, match="type of second parameter must be the same"):
        T.fill_diagonal(T.fmatrix(), T.dscalar())
    with pytest.raises(TypeError, match="type of second parameter must be the same"):
        T.fill_diagonal(T.imatrix(), 1.5)
    with pytest.raises(TypeError, match="at least two dimensions"):
        T.fill_diagonal(T.vector(), 1.0)
    with pytest.raises(TypeError, match="second parameter must be a scalar"):
        T.fill_diagonal(T.matrix(), T.vector())


def test_fill_diagonal_grad():
    check_grad(lambda a, v: T.fill_diagonal(a, v), [randn(4, 3), np.array(0.7)])
    check_grad(lambda a, v: T.fill_diagonal(a, v), [randn(2, 5), np.array(-1.2)])


def _fill_offset_ref(a, val, offset):
    a = a.copy()
    h, w = a.shape
    for i in range(h):
        j = i + offset
        if 0 <= j < w:
            a[i, j] = val
    return a


@given(st.integers(1, 4), st.integers(1, 4), st.integers(-5, 5))
def test_fill_diagonal_offset_matches_reference(h, w, offset):
    a, off = T.dmatrix(), T.iscalar()
    av = randn(h, w)
    check_op(lambda x, o: T.fill_diagonal_offset(x, 3.0, o), [a, off], [av, np.int32(offset)],
             lambda x, o: _fill_offset_ref(x, 3.0, int(o)))


def test_fill_diagonal_offset_theano_values_grad_errors():
    x = T.matrix()
    f = pytheano.function([x], T.fill_diagonal_offset(x, 5.0, -1))
    # Theano prints this for np.zeros((4, 3)).
    assert str(f(np.zeros((4, 3)))) == ("[[0. 0. 0.]\n [5. 0. 0.]\n [0. 5. 0.]\n"
                                        " [0. 0. 5.]]")
    for offset in (-2, 0, 1, 3):
        check_grad(lambda a, v, offset=offset: T.fill_diagonal_offset(a, v, offset),
                   [randn(3, 4), np.array(0.5)])
    with pytest.raises(TypeError, match="third parameter must be as integer"):
        T.fill_diagonal_offset(T.matrix(), 1.0, 1.5)
    with pytest.raises(TypeError, match="exactly two dimensions"):
        T.fill_diagonal_offset(T.tensor3(), 1.0, 1)
    assert str(T.fill_diagonal_offset(x, 1.0, 1).owner.op) == "FillDiagonalOffset"


# --------------------------------------------------------------------------- to_one_hot

def test_to_one_hot():
    y = T.ivector()
    out = extra_ops.to_one_hot(y, 4)
    assert out.type == T.matrix().type  # floatX by default
    check_op(lambda v: extra_ops.to_one_hot(v, 4, dtype="int8"), [y],
             [np.array([1, 3, 0], dtype="int32")],
             lambda v: np.eye(4, dtype="int8")[v])
    check_op(lambda v: extra_ops.to_one_hot(v, 3), [y], [np.array([], dtype="int32")],
             lambda v: np.zeros((0, 3), dtype=pytheano.config.floatX))
    assert not hasattr(T, "to_one_hot")  # as Theano: extra_ops only


# --------------------------------------------------------------------------- Unique

@given(array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4),
       st.booleans(), st.booleans(), st.booleans())
def test_unique_matches_numpy(shape, ri, rinv, rc):
    x = tensor_var(shape, "int64")
    xv = random_value(shape, "int64", low=0, high=3)

    def ref(v):
        res = np.unique(v, return_index=ri, return_inverse=rinv, return_counts=rc)
        res = res if isinstance(res, tuple) else (res,)
        res = [np.asarray(r).reshape(-1).astype("int64") for r in res]
        return res if len(res) > 1 else res[0]

    check_op(lambda v: extra_ops.Unique(ri, rinv, rc)(v), [x], [xv], ref)


def test_unique_axis_types_and_str():
    op = extra_ops.Unique(True, True, True)
    assert str(op) == ("Unique{return_index=True, return_inverse=True, "
                       "return_counts=True, axis=None}")
    outs = op(T.vector())
    assert [str(o.type) for o in outs] == ["TensorType(float64, vector)"] + \
        ["TensorType(int64, vector)"] * 3
    assert extra_ops.Unique(axis=1)(T.row()).type == T.row().type
    x = T.dmatrix()
    xv = np.array([[1.0, 2.0, 1.0], [3.0, 2.0, 3.0]])
    check_op(lambda v: extra_ops.Unique(return_inverse=True, axis=1)(v), [x], [xv],
             lambda v: list(np.unique(v, return_inverse=True, axis=1)))
    with pytest.raises(RuntimeError, match="Unique axis `3` is outside of input ndim = 2"):
        extra_ops.Unique(axis=3)(T.matrix())
    assert not hasattr(T, "Unique")


# --------------------------------------------------------------------------- (un)ravel

@given(array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
       st.sampled_from(["C", "F"]), st.integers(0, 10))
def test_unravel_ravel_roundtrip_matches_numpy(dims, order, n):
    size = int(np.prod(dims))
    idx = np.random.default_rng(n).integers(0, size, size=n).astype("int64")
    i = T.lvector()
    check_op(lambda v: list(T.unravel_index(v, dims, order=order)), [i], [idx],
             lambda v: [np.asarray(r, dtype="int64") for r in np.unravel_index(v, dims,
                                                                                order=order)])
    coords = np.unravel_index(idx, dims, order=order)
    cvars = [T.lvector() for _ in dims]
    check_op(lambda *c: T.ravel_multi_index(list(c), dims, order=order), cvars, list(coords),
             lambda *c: np.ravel_multi_index(c, dims, order=order).astype("int64"))


def test_ravel_unravel_str_and_errors():
    i = T.lvector()
    out = T.ravel_multi_index((i, i), (3, 4), mode="clip")
    assert str(out.owner.op) == "RavelMultiIndex{mode='clip', order='C'}"
    np.testing.assert_array_equal(pytheano.function([i], out)([1, 7]), [5, 11])
    res = T.unravel_index(i, (3, 4))
    assert len(res) == 2 and str(res[0].owner.op) == "UnravelIndex{ndim=2, order='C'}"
    assert len(T.unravel_index(i, (5,))) == 1
    with pytest.raises(ValueError, match="'ndim' keyword"):
        T.unravel_index(i, T.lvector())
    assert len(T.unravel_index(i, T.lvector(), ndim=3)) == 3
    with pytest.raises(TypeError, match="'float64' object cannot be interpreted as an index"):
        T.unravel_index(T.dvector(), (3, 4))
    with pytest.raises(TypeError, match="multi_index must be a tuple or a list."):
        T.ravel_multi_index(i, (3, 4))
    with pytest.raises(ValueError, match="ndim must be an integer greater than 0"):
        extra_ops.UnravelIndex(0)


# --- Theano 1.0's tensor.basic names: choose, permute_row_elements, power, cov -------------

MV = np.array([[1.0, 2, 4, 7], [0.5, -1, 3, 2], [2, 2, 1, 0]])


@given(array_shapes(min_dims=1, max_dims=3, max_side=4), st.integers(1, 4),
       st.sampled_from(["raise", "wrap", "clip"]), st.sampled_from(["int64", "uint8", "int8"]))
def test_choose_matches_numpy(shape, n, mode, dtype):
    rng = np.random.default_rng(0)
    high = n if mode == "raise" else n + 3
    lo = 0 if mode == "raise" or dtype == "uint8" else -2
    a = rng.integers(lo, high, size=shape).astype(dtype)
    choices = rng.standard_normal((n,) + shape)
    check_op(lambda x, c: T.choose(x, c, mode=mode), [tensor_var(shape, dtype),
                                                       tensor_var((n,) + shape, "float64")],
             [a, choices], lambda x, c: np.choose(x, c, mode=mode))


@given(st.lists(array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3), min_size=1,
                max_size=3), st.sampled_from(["raise", "wrap", "clip"]))
def test_choose_list_of_choices_broadcasts_like_numpy(shapes, mode):
    """A list of choices of different shapes (Theano's test_numpy_compare_tuple): each is
    an input of its own and numpy broadcasts them with ``a``, shape inference included."""
    shape = np.broadcast_shapes(*shapes)
    rng = np.random.default_rng(0)
    a_val = rng.integers(0, len(shapes), size=shape).astype("int32")
    vals = [rng.standard_normal(s).astype("float32") for s in shapes]
    a = T.TensorType("int32", (False,) * len(shape))("a")
    cs = [T.TensorType("float32", (False,) * len(s))() for s in shapes]
    out = T.choose(a, tuple(cs), mode=mode)
    assert str(out.owner.op) == "Choose{mode=%r}" % mode and out.dtype == "float32"
    f = pytheano.function([a] + cs, [out, out.shape])
    got, got_shape = f(a_val, *vals)
    np.testing.assert_array_equal(got, np.choose(a_val, vals, mode=mode))
    assert tuple(got_shape) == got.shape


def test_choose_theano_values():
    # Types, str and values recorded from Theano 1.0.5.
    a, ch = T.lvector("a"), T.matrix("ch")
    c = T.choose(a, ch)
    assert str(c.type) == "TensorType(float64, vector)"
    assert str(c.owner.op) == "Choose{mode='raise'}"
    f = pytheano.function([a, ch], c)
    np.testing.assert_array_equal(f(np.array([0, 2, 1]), np.arange(9.0).reshape(3, 3)), [0, 7, 5])
    wrap = pytheano.function([a, ch], T.choose(a, ch, mode="wrap"))
    np.testing.assert_array_equal(wrap(np.array([0, 5, 1]), np.arange(9.0).reshape(3, 3)),
                                  [0, 7, 5])
    clip = pytheano.function([a, ch], T.choose(a, ch, mode="clip"))
    np.testing.assert_array_equal(clip(np.array([0, 5, -1]), np.arange(9.0).reshape(3, 3)),
                                  [0, 7, 2])
    assert str(T.choose(T.lmatrix(), ch).type) == "TensorType(float64, matrix)"
    assert str(T.choose(T.lscalar(), ch).type) == "TensorType(float64, vector)"
    assert str(T.choose(T.TensorType("int64", (True, False))(), ch).type) == \
        "TensorType(float64, row)"
    v1, v2 = T.vector(), T.vector()
    listed = T.choose(a, [v1, v2])
    assert str(listed.type) == "TensorType(float64, vector)"
    np.testing.assert_array_equal(
        pytheano.function([a, v1, v2], listed)(np.array([0, 1, 1]), np.array([1.0, 2, 3]),
                                                np.array([4.0, 5, 6])), [1, 5, 6])
    with pytest.raises(TypeError, match=r"choose first argument must have an \[u\]int\* "
                                        "dtype. Got float64."):
        T.choose(T.vector(), ch)
    with pytest.raises(ValueError, match="invalid entry in choice array"):
        f(np.array([0, 5, 1]), np.arange(9.0).reshape(3, 3))
    assert T.basic.choose is T.choose  # Theano's path


def test_permute_row_elements_theano_values():
    # Types, str and values recorded from Theano 1.0.5.
    x, y, p, pm = T.matrix("x"), T.vector("y"), T.lvector("p"), T.lmatrix("pm")
    xv = np.arange(12.0).reshape(3, 4)
    perm = np.array([2, 0, 3, 1])
    out = T.permute_row_elements(x, p)
    assert str(out.type) == "TensorType(float64, matrix)"
    assert str(out.owner.op) == "PermuteRowElements"
    assert str(T.permute_row_elements(y, pm).type) == "TensorType(float64, matrix)"
    np.testing.assert_array_equal(pytheano.function([x, p], out)(xv, perm),
                                  [[2, 0, 3, 1], [6, 4, 7, 5], [10, 8, 11, 9]])
    inv = pytheano.function([x, p], T.permute_row_elements(x, p, inverse=True))
    np.testing.assert_array_equal(inv(xv, perm), [[1, 3, 0, 2], [5, 7, 4, 6], [9, 11, 8, 10]])
    rows = np.array([[2, 0, 3, 1], [0, 1, 2, 3], [3, 2, 1, 0]])
    np.testing.assert_array_equal(
        pytheano.function([x, pm], T.permute_row_elements(x, pm))(xv, rows),
        [[2, 0, 3, 1], [4, 5, 6, 7], [11, 10, 9, 8]])
    yv, ym = np.array([5.0, 6, 7]), np.array([[2, 0, 1], [1, 2, 0]])
    np.testing.assert_array_equal(
        pytheano.function([y, pm], T.permute_row_elements(y, pm))(yv, ym), [[7, 5, 6], [6, 7, 5]])
    ip = T.inverse_permutation(pm)
    assert str(ip.type) == "TensorType(int64, matrix)"
    np.testing.assert_array_equal(ip.eval({pm: np.array([[2, 0, 3, 1], [3, 2, 1, 0]])}),
                                  [[1, 3, 0, 2], [3, 2, 1, 0]])
    w = np.arange(12.0).reshape(3, 4)
    g = pytheano.grad((T.permute_row_elements(x, p) * w).sum(), x)
    np.testing.assert_array_equal(pytheano.function([x, p], g)(xv, perm),
                                  [[1, 3, 0, 2], [5, 7, 4, 6], [9, 11, 8, 10]])
    g = pytheano.grad((T.permute_row_elements(y, pm) * np.arange(6.0).reshape(2, 3)).sum(), y)
    np.testing.assert_array_equal(pytheano.function([y, pm], g)(yv, ym), [6, 5, 4])
    f = pytheano.function([x, pm], T.permute_row_elements(x, pm))
    with pytest.raises(ValueError, match="Dimension mismatch: 3, 2"):
        f(xv, rows[:2])
    with pytest.raises(TypeError):
        T.permute_row_elements(x, y)


def test_permute_row_elements_grads_and_shapes():
    rng = np.random.default_rng(4)
    xv = rng.standard_normal((3, 5))
    perms = np.array([rng.permutation(5) for _ in range(3)])
    for inverse in (False, True):
        check_grad(lambda a, inverse=inverse: T.permute_row_elements(a, perms, inverse), [xv])
        check_grad(lambda a, inverse=inverse: T.permute_row_elements(a, perms, inverse),
                   [xv[0]])
    x, pm = T.matrix(), T.lmatrix()
    check_op(lambda a, b: T.permute_row_elements(a, b), [x, pm], [xv, perms],
             lambda a, b: np.take_along_axis(a, b, -1))
    check_op(lambda a, b: T.permute_row_elements(a, b, inverse=True), [x, pm], [xv, perms],
             lambda a, b: np.take_along_axis(a, np.argsort(b, -1), -1))


def test_power_and_cov_theano_values():
    # Types and values recorded from Theano 1.0.5.
    x, y = T.matrix("x"), T.vector("y")
    assert str(T.power(x, 2).type) == "TensorType(float64, matrix)"
    assert str(T.power(T.ivector(), 2).type) == "TensorType(int32, vector)"
    assert str(T.power(T.ivector(), 0.5).type) == "TensorType(float64, vector)"
    assert str(T.power(x, y).owner.op) == "Elemwise{pow,no_inplace}"
    check_op(T.power, [x, y], [MV, np.array([1.0, 2, 0.5, 3])], np.power)
    m = T.matrix("m")
    assert str(T.cov(m).type) == "TensorType(float64, matrix)"
    for kw, want in [({}, np.cov(MV)), ({"rowvar": False}, np.cov(MV, rowvar=False)),
                     ({"bias": True}, np.cov(MV, bias=True)), ({"ddof": 2}, np.cov(MV, ddof=2)),
                     ({"y": MV[:2] * 2}, np.cov(MV, MV[:2] * 2))]:
        np.testing.assert_allclose(pytheano.function([m], T.cov(m, **kw))(MV), want)
    np.testing.assert_allclose(pytheano.function([m], T.cov(m))(MV)[0],
                               [7.0, 2.91666667, -2.5], rtol=1e-8)
    np.testing.assert_allclose(pytheano.function([m], T.cov(m))(MV[:1]), [[7.0]])
    check_grad(lambda a: T.cov(a), [MV])
    with pytest.raises(NotImplementedError, match="fweights are not implemented"):
        T.cov(m, fweights=[1, 2])
    assert T.basic.cov is T.cov and T.basic.power is T.power


def test_permute_row_elements_matches_theano():
    # Values recorded from Theano 1.0.5's theano.tensor.permute_row_elements.
    import pytheano
    from pytheano.tensor.extra_ops import permute_row_elements

    x, y, Y, v = T.dmatrix("x"), T.lvector("y"), T.lmatrix("Y"), T.dvector("v")
    xv, yv = np.arange(6.0).reshape(2, 3), np.array([2, 0, 1])
    Yv = np.array([[1, 2, 0], [2, 1, 0]])
    f = pytheano.function([x, y], [permute_row_elements(x, y),
                                   permute_row_elements(x, y, inverse=True)])
    a, b = f(xv, yv)
    assert a.tolist() == [[2.0, 0.0, 1.0], [5.0, 3.0, 4.0]]
    assert b.tolist() == [[1.0, 2.0, 0.0], [4.0, 5.0, 3.0]]
    assert pytheano.function([x, Y], permute_row_elements(x, Y))(xv, Yv).tolist() == [
        [1.0, 2.0, 0.0], [5.0, 4.0, 3.0]]
    vY = permute_row_elements(v, Y)
    assert pytheano.function([v, Y], vY)(np.array([10.0, 20.0, 30.0]), Yv).tolist() == [
        [20.0, 30.0, 10.0], [30.0, 20.0, 10.0]]
    w = pytheano.shared(np.arange(6.0).reshape(2, 3))
    gx = T.grad(T.sum(permute_row_elements(x, y) * w), x)
    assert pytheano.function([x, y], gx)(xv, yv).tolist() == [[1.0, 2.0, 0.0], [4.0, 5.0, 3.0]]
    gv = T.grad(T.sum(vY * w), v)
    assert pytheano.function([v, Y], gv)(np.array([10.0, 20.0, 30.0]), Yv).tolist() == [
        7.0, 4.0, 4.0]
    assert pytheano.function([x, Y], permute_row_elements(x, Y).shape)(xv, Yv).tolist() == [2, 3]


def test_cpu_contiguous_and_default():
    x = T.dmatrix("x")
    f = pytheano.function([x], T.extra_ops.cpu_contiguous(x))
    a = np.arange(12.0).reshape(3, 4)
    out = f(a[:, ::2])
    assert out.flags["C_CONTIGUOUS"] and out.tolist() == a[:, ::2].tolist()
    assert str(T.extra_ops.CpuContiguous()(x).owner.op) == "CpuContiguous"
    check_grad(T.extra_ops.cpu_contiguous, [a])
    d = T.basic.default(x, T.dmatrix("d"))
    assert d.type == x.type
    with pytest.raises(TypeError, match="same type"):
        T.basic.default(x, T.fmatrix())


def test_variable_methods_match_numpy():
    # Theano 1.0's TensorVariable methods: repeat, searchsorted, compress, choose, ptp,
    # nonzero_values, get_scalar_constant_value.
    x, v = T.dvectors("x", "v")
    i = T.lvector("i")
    xv = np.array([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(x.repeat(2).eval({x: xv}), xv.repeat(2))
    np.testing.assert_array_equal(x.searchsorted(v).eval({x: xv, v: [2.5, 0.0]}),
                                  xv.searchsorted([2.5, 0.0]))
    np.testing.assert_array_equal(x.compress([1, 0, 1]).eval({x: xv}), xv.compress([1, 0, 1]))
    np.testing.assert_array_equal(i.choose([x, x * 2]).eval({i: [0, 1, 0], x: xv}),
                                  np.array([0, 1, 0]).choose([xv, xv * 2]))
    assert x.ptp().eval({x: xv}) == np.ptp(xv)
    np.testing.assert_array_equal(x.nonzero_values().eval({x: [0.0, 2.0]}), [2.0])
    assert T.constant(3).get_scalar_constant_value() == 3
    assert issubclass(T.EmptyConstantError, T.NotScalarConstantError)
