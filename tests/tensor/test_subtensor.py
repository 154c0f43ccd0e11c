"""Indexing (pytheano/tensor/subtensor.py): x[...] through Subtensor, AdvancedSubtensor1,
AdvancedSubtensor and the boolean variants; set_subtensor / inc_subtensor; take."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

import pytheano
import pytheano.tensor as T
from pytheano._core.graph import io_toposort
from pytheano.tensor.subtensor import (AdvancedBooleanIncSubtensor, AdvancedBooleanSubtensor,
                                       AdvancedIncSubtensor, AdvancedIncSubtensor1,
                                       AdvancedSubtensor1, IncSubtensor,
                                       Subtensor, get_canonical_form_slice)
from tests.helpers import (ALL_DTYPES, check_grad, check_infer_shape, check_op, randn,
                           random_value, tensor_var)

dtypes = st.sampled_from(ALL_DTYPES)


# --------------------------------------------------------------------------- seeds

def test_seed_reverse_rows():
    a = T.arange(10).reshape((5, 2))
    out = a[::-1].eval()
    np.testing.assert_array_equal(out, np.array([[8, 9], [6, 7], [4, 5], [2, 3], [0, 1]]))
    assert out.dtype == np.int64


def test_seed_set_and_inc_subtensor():
    a = T.arange(10).reshape((5, 2))
    out = T.set_subtensor(a[3:], [-1, -1]).eval()
    np.testing.assert_array_equal(out, np.array([[0, 1], [2, 3], [4, 5], [-1, -1], [-1, -1]]))
    assert out.dtype == np.int64
    out = T.set_subtensor(a[3:], [1, 1]).eval()
    np.testing.assert_array_equal(out, np.array([[0, 1], [2, 3], [4, 5], [1, 1], [1, 1]]))
    out = T.inc_subtensor(a[3:], [-1, -1]).eval()
    np.testing.assert_array_equal(out, np.array([[0, 1], [2, 3], [4, 5], [5, 6], [7, 8]]))
    out = T.inc_subtensor(a[3:], [1, 1]).eval()
    np.testing.assert_array_equal(out, np.array([[0, 1], [2, 3], [4, 5], [7, 8], [9, 10]]))
    # The original is unchanged.
    np.testing.assert_array_equal(a.eval(), np.arange(10).reshape((5, 2)))


def test_seed_reverse_then_transpose():
    out = T.arange(10).reshape((5, 2))[::-1].T.eval()
    np.testing.assert_array_equal(out, np.array([[8, 6, 4, 2, 0], [9, 7, 5, 3, 1]]))


# --------------------------------------------------------------------------- op strings

x = T.matrix("x")
v = T.lvector("v")
m = T.lmatrix("m")
i = T.lscalar("i")
s = T.iscalar("s")


# What Theano 1.0.5 prints for each expression (node output and op), and its output type.
@pytest.mark.parametrize("build, out_str, op_str, type_str", [
    (lambda: x[0], "Subtensor{int64}.0", "Subtensor{int64}", "TensorType(float64, vector)"),
    (lambda: x[1:3], "Subtensor{int64:int64:}.0", "Subtensor{int64:int64:}",
     "TensorType(float64, matrix)"),
    (lambda: x[::-1], "Subtensor{::int64}.0", "Subtensor{::int64}",
     "TensorType(float64, matrix)"),
    (lambda: x[i], "Subtensor{int64}.0", "Subtensor{int64}", "TensorType(float64, vector)"),
    (lambda: x[i:], "Subtensor{int64::}.0", "Subtensor{int64::}",
     "TensorType(float64, matrix)"),
    (lambda: x[:, 2], "Subtensor{::, int64}.0", "Subtensor{::, int64}",
     "TensorType(float64, vector)"),
    (lambda: x[1:3:2], "Subtensor{int64:int64:int64}.0", "Subtensor{int64:int64:int64}",
     "TensorType(float64, matrix)"),
    (lambda: x[s], "Subtensor{int32}.0", "Subtensor{int32}", "TensorType(float64, vector)"),
    (lambda: x[..., 1], "Subtensor{::, int64}.0", "Subtensor{::, int64}",
     "TensorType(float64, vector)"),
    (lambda: x[2:i:s], "Subtensor{int64:int64:int32}.0", "Subtensor{int64:int64:int32}",
     "TensorType(float64, matrix)"),
    (lambda: x[:-2], "Subtensor{:int64:}.0", "Subtensor{:int64:}",
     "TensorType(float64, matrix)"),
    (lambda: x[:], "Subtensor{::}.0", "Subtensor{::}", "TensorType(float64, matrix)"),
    (lambda: x[T.bscalar():T.wscalar()], "Subtensor{int8:int16:}.0", "Subtensor{int8:int16:}",
     "TensorType(float64, matrix)"),
    (lambda: x[T.constant(1)], "Subtensor{int8}.0", "Subtensor{int8}",
     "TensorType(float64, vector)"),
    (lambda: x[1, 2], "Subtensor{int64, int64}.0", "Subtensor{int64, int64}",
     "TensorType(float64, scalar)"),
    (lambda: x[:, None, 1:], "Subtensor{::, ::, int64::}.0", "Subtensor{::, ::, int64::}",
     "TensorType(float64, (False, True, False))"),
    (lambda: x[v], "AdvancedSubtensor1.0", "AdvancedSubtensor1", "TensorType(float64, matrix)"),
    (lambda: x[[1, 2]], "AdvancedSubtensor1.0", "AdvancedSubtensor1",
     "TensorType(float64, matrix)"),
    (lambda: x[T.constant([1, 2])], "AdvancedSubtensor1.0", "AdvancedSubtensor1",
     "TensorType(float64, matrix)"),
    (lambda: x[:, v], "InplaceDimShuffle{1,0}.0", "InplaceDimShuffle{1,0}",
     "TensorType(float64, matrix)"),
    (lambda: x[v, v], "AdvancedSubtensor.0", "AdvancedSubtensor", "TensorType(float64, vector)"),
    (lambda: x[v, 1:], "AdvancedSubtensor.0", "AdvancedSubtensor",
     "TensorType(float64, matrix)"),
    (lambda: x[v, None], "AdvancedSubtensor.0", "AdvancedSubtensor",
     "TensorType(float64, (False, True, False))"),
    (lambda: x[m], "Reshape{3}.0", "Reshape{3}", "TensorType(float64, 3D)"),
    (lambda: x[np.array([True, False])], "AdvancedBooleanSubtensor.0",
     "AdvancedBooleanSubtensor", "TensorType(float64, matrix)"),
    (lambda: T.row()[0:1, 0], "Subtensor{int64:int64:, int64}.0",
     "Subtensor{int64:int64:, int64}", "TensorType(float64, (True,))"),
    (lambda: T.row()[i:], "Subtensor{int64::}.0", "Subtensor{int64::}",
     "TensorType(float64, matrix)"),
    (lambda: T.inc_subtensor(x[1, 2], 3.0), "IncSubtensor{Inc;int64, int64}.0",
     "IncSubtensor{Inc;int64, int64}", "TensorType(float64, matrix)"),
    (lambda: T.set_subtensor(x[1:], T.row()), "IncSubtensor{Set;int64::}.0",
     "IncSubtensor{Set;int64::}", "TensorType(float64, matrix)"),
    (lambda: T.set_subtensor(x[v], 1.0), "AdvancedIncSubtensor1{no_inplace,set}.0",
     "AdvancedIncSubtensor1{no_inplace,set}", "TensorType(float64, matrix)"),
    (lambda: T.inc_subtensor(x[v], 1.0), "AdvancedIncSubtensor1{no_inplace,inc}.0",
     "AdvancedIncSubtensor1{no_inplace,inc}", "TensorType(float64, matrix)"),
    (lambda: T.set_subtensor(x[v, v], 1.0),
     "AdvancedIncSubtensor{inplace=False,  set_instead_of_inc=True}.0",
     "AdvancedIncSubtensor{inplace=False,  set_instead_of_inc=True}",
     "TensorType(float64, matrix)"),
])
def test_theano_strings(build, out_str, op_str, type_str):
    out = build()
    assert str(out) == out_str
    assert str(out.owner.op) == op_str
    assert str(out.type) == type_str


def test_index_inputs_as_theano_builds_them():
    out = x[0]
    assert [str(inp) for inp in out.owner.inputs] == ["x", "Constant{0}"]
    out = x[i:]
    assert [str(inp) for inp in out.owner.inputs] == ["x", "ScalarFromTensor.0"]
    out = x[v, 1:]
    assert str(out.owner.inputs[2]) == "MakeSlice.0"
    out = x[v, None]
    assert str(out.owner.inputs[2]) == "NoneConst"
    out = x[1:i:2]
    assert out.owner.op.idx_list == Subtensor(out.owner.op.idx_list).idx_list
    assert [str(inp) for inp in out.owner.inputs] == ["x", "Constant{1}", "ScalarFromTensor.0",
                                                      "Constant{2}"]


def test_ops_equal_by_pattern():
    assert x[1:3].owner.op == x[i:i].owner.op
    assert hash(x[1:3].owner.op) == hash(x[i:i].owner.op)
    assert x[1:3].owner.op != x[1:3:2].owner.op
    assert T.set_subtensor(x[1:], 1.0).owner.op != T.inc_subtensor(x[1:], 1.0).owner.op


# --------------------------------------------------------------------------- basic indexing

@st.composite
def basic_index(draw, shape):
    """A numpy basic index (ints, slices, None, Ellipsis) valid for ``shape``."""
    ndim = len(shape)
    n = draw(st.integers(0, ndim))
    ellipsis = n < ndim and draw(st.booleans())
    # With an Ellipsis, the first k entries index the leading dims, the rest the trailing.
    k = draw(st.integers(0, n)) if ellipsis else n
    dims = list(range(k)) + list(range(ndim - (n - k), ndim))
    bound = st.one_of(st.none(), st.integers(-6, 6))
    index = []
    for d in dims:
        side = shape[d]
        if side > 0 and draw(st.booleans()):
            index.append(draw(st.integers(-side, side - 1)))
        else:
            step = draw(st.sampled_from([None, 1, 2, 3, -1, -2]))
            index.append(slice(draw(bound), draw(bound), step))
    if ellipsis:
        index.insert(k, Ellipsis)
    if draw(st.booleans()):
        index.insert(draw(st.integers(0, len(index))), None)
    return tuple(index)


@st.composite
def basic_case(draw):
    shape = draw(array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4))
    return shape, draw(basic_index(shape)), draw(dtypes)


@given(basic_case())
def test_basic_indexing_constant_matches_numpy(case):
    shape, index, dtype = case
    xv = tensor_var(shape, dtype, "x")
    out = check_op(lambda a: a[index], [xv], [random_value(shape, dtype)], lambda a: a[index])
    assert out.dtype == dtype


def _symbolic_index(index):
    """``index`` with every integer (index or slice bound) replaced by an lscalar input;
    returns (symbolic index, inputs, values)."""
    inputs, values = [], []

    def sym(b):
        if isinstance(b, int):
            var = T.lscalar()
            inputs.append(var)
            values.append(b)
            return var
        return b

    out = []
    for entry in index:
        if isinstance(entry, slice):
            out.append(slice(sym(entry.start), sym(entry.stop), sym(entry.step)))
        else:
            out.append(sym(entry))
    return tuple(out), inputs, values


@given(basic_case())
def test_basic_indexing_symbolic_matches_numpy(case):
    shape, index, dtype = case
    sym_index, inputs, values = _symbolic_index(index)
    xv = tensor_var(shape, dtype, "x")
    check_op(lambda a, *rest: a[sym_index], [xv] + inputs,
             [random_value(shape, dtype)] + values, lambda a, *rest: a[index])


@pytest.mark.parametrize("index", [
    slice(None, None, -1), slice(3, None, -1), slice(None, 1, -2), slice(-1, -6, -2),
    slice(10, -10, -3), slice(-10, 10, -1), slice(2, 2, -1), slice(0, 5, -1),
])
def test_negative_steps(index):
    xv = T.vector("x")
    value = np.arange(5, dtype=pytheano.config.floatX)
    check_op(lambda a: a[index], [xv], [value], lambda a: a[index])
    sym_index, inputs, values = _symbolic_index((index,))
    check_op(lambda a, *rest: a[sym_index], [xv] + inputs, [value] + values,
             lambda a, *rest: a[index])


def test_symbolic_step_sign_known_only_at_run_time():
    xv = T.vector("x")
    st_ = T.lscalar("step")
    f = pytheano.function([xv, st_], xv[1:5:st_])
    value = np.arange(6.0)
    for step in (1, 2, -1, -3):
        np.testing.assert_array_equal(f(value, step), value[1:5:step])


def test_slicing_returns_a_view_but_function_outputs_are_safe():
    xv = T.vector("x")
    f = pytheano.function([xv], xv[1:])
    value = np.arange(4.0)
    out = f(value)
    out[0] = 100.0
    assert value[1] == 1.0


def test_newaxis_anywhere():
    # Theano 1.0 failed on x[None] for a matrix; numpy's meaning is kept here.
    xv = T.matrix("x")
    value = randn(2, 3)
    for index in [(None,), (1, None), (None, 1, None), (slice(1, None), None)]:
        out = check_op(lambda a, index=index: a[index], [xv], [value],
                       lambda a, index=index: a[index])
        assert out.shape == value[index].shape
    assert xv[None].broadcastable == (True, False, False)


def test_broadcastable_pattern_of_slices():
    r = T.row()
    assert r[0:1].broadcastable == (True, False)
    assert r[:].broadcastable == (True, False)
    assert r[0:2].broadcastable == (True, False)
    assert r[1:].broadcastable == (False, False)
    # Theano 1.0.5 does not look at the step (r[0:5:-1] is empty, and refused at run time).
    assert r[::-1].broadcastable == (True, False)
    assert r[0:5:-1].broadcastable == (True, False)


@pytest.mark.parametrize("theslice", [
    slice(None), slice(1, None), slice(None, -1), slice(-3, None, 2), slice(None, None, -1),
    slice(5, 1, -2), slice(-1, -8, -3), slice(7, 9), slice(0, 0, -1),
])
@pytest.mark.parametrize("length", [0, 1, 5])
def test_canonical_form_slice(theslice, length):
    value = np.arange(length)
    expected = value[theslice]
    # Constants fold to Python ints.
    cnf, reverse = get_canonical_form_slice(theslice, length)
    np.testing.assert_array_equal(value[cnf][::reverse], expected)
    # Symbolic length: a graph.
    n = T.lscalar("n")
    cnf, reverse = get_canonical_form_slice(theslice, n)
    parts = [p for p in (cnf.start, cnf.stop, cnf.step, reverse)]
    vals = [p if isinstance(p, int) else pytheano.function([n], p, on_unused_input="ignore")(
        length) for p in parts]
    np.testing.assert_array_equal(value[vals[0]:vals[1]:vals[2]][::int(vals[3])], expected)


# --------------------------------------------------------------------------- run-time errors

def test_out_of_bounds_index_names_the_shape():
    xv = T.matrix("x")
    iv = T.lscalar("i")
    f = pytheano.function([xv, iv], xv[iv])
    with pytest.raises(IndexError, match=r"out of bounds.*shape \(3, 4\)"):
        f(np.zeros((3, 4)), 5)
    with pytest.raises(IndexError, match=r"out of bounds.*shape \(3, 4\)"):
        f(np.zeros((3, 4)), -4)
    np.testing.assert_array_equal(f(np.eye(3, 4), -3), np.eye(3, 4)[0])
    f = pytheano.function([xv, iv], xv[:, iv])
    with pytest.raises(IndexError, match=r"axis 1 with size 4.*shape \(3, 4\)"):
        f(np.zeros((3, 4)), 9)


def test_out_of_bounds_advanced_names_the_shape():
    xv = T.matrix("x")
    vv = T.lvector("v")
    for out in (xv[vv], xv[vv, vv], T.inc_subtensor(xv[vv], 1.0),
                T.set_subtensor(xv[vv, vv], 1.0)):
        f = pytheano.function([xv, vv], out)
        with pytest.raises(IndexError, match=r"index 7 is out of bounds.*shape \(3, 4\)"):
            f(np.zeros((3, 4)), [0, 7])


def test_run_time_error_points_at_user_line():
    xv = T.vector("x")
    iv = T.lscalar("i")
    out = xv[iv]  # the failing line
    f = pytheano.function([xv, iv], out)
    with pytest.raises(IndexError) as info:
        f(np.zeros(2), 3)
    assert "the failing line" in str(info.value)


def test_update_shape_mismatch_is_a_value_error():
    xv = T.matrix("x")
    f = pytheano.function([xv], T.set_subtensor(xv[1:], T.ones((3, 4))))
    with pytest.raises(ValueError, match=r"shape \(2, 4\).*shape \(3, 4\)"):
        f(np.zeros((3, 4)))


# --------------------------------------------------------------------------- build-time errors

@pytest.mark.parametrize("build, exc, match", [
    (lambda: x[1.0], TypeError, "indices must be integers"),
    (lambda: x[T.dscalar()], TypeError, "Expected an integer"),
    (lambda: x[T.dvector()], TypeError, "index must be integers"),
    (lambda: x[np.array([1.0])], TypeError, "integers"),
    (lambda: x["a"], TypeError, "Cannot index"),
    (lambda: x[[True, False]], TypeError, "does not support Python bools"),
    (lambda: x[True], TypeError, "does not support Python bools"),
    (lambda: x[1, 2, 3], IndexError, "too many indices"),
    (lambda: x[..., ...], IndexError, "single Ellipsis"),
    (lambda: x[1.5:], TypeError, ""),
    (lambda: T.inc_subtensor(x + 1, 3.0), TypeError, "result of a subtensor"),
    (lambda: T.inc_subtensor(x, 3.0), TypeError, "result of a subtensor"),
    (lambda: T.inc_subtensor(x[1], T.matrix()), TypeError, "1-dimensional subtensor"),
    (lambda: T.inc_subtensor(T.ivector()[1:], T.dvector()), TypeError, "lose precision"),
    (lambda: T.take(x, [0], axis=2), ValueError, "axis"),
    (lambda: T.take(x, [0], mode="bad"), ValueError, "mode"),
    (lambda: T.take(x, [0.5]), TypeError, "integers"),
    (lambda: T.scalar()[0], IndexError, "too many indices"),
])
def test_bad_index_errors(build, exc, match):
    with pytest.raises(exc, match=match):
        build()


def test_set_subtensor_casts_like_numpy():
    # Theano 1.0 compat: set_subtensor assigns with numpy's cast.
    iv = T.ivector("x")
    out = T.set_subtensor(iv[[0, 1]], np.array([1.5, 2.5]))
    np.testing.assert_array_equal(out.eval({iv: np.arange(3, dtype="int32")}), [1, 2, 2])


# --------------------------------------------------------------------------- advanced indexing

@st.composite
def take_case(draw):
    shape = draw(array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    axis = draw(st.integers(0, len(shape) - 1))
    n_idx = draw(st.integers(0, 5))
    idx = [draw(st.integers(-shape[axis], shape[axis] - 1)) for _ in range(n_idx)]
    return shape, axis, idx, draw(dtypes), draw(st.sampled_from(["int8", "int32", "int64"]))


@given(take_case())
def test_vector_index_on_one_axis_matches_numpy(case):
    shape, axis, idx, dtype, idx_dtype = case
    index = (slice(None),) * axis + (np.array(idx, dtype=idx_dtype),)
    xv = tensor_var(shape, dtype, "x")
    iv = T.TensorType(idx_dtype, (False,))("i")
    out = xv[(slice(None),) * axis + (iv,)]
    assert any(isinstance(n.op, AdvancedSubtensor1) for n in io_toposort([xv, iv], [out]))
    check_op(lambda a, b: a[(slice(None),) * axis + (b,)], [xv, iv],
             [random_value(shape, dtype), np.array(idx, dtype=idx_dtype)],
             lambda a, b: a[index])


@st.composite
def advanced_case(draw):
    shape = draw(array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    index = []
    n_arrays = 0
    idx_shape = draw(st.sampled_from([(2,), (3,), (2, 2), (1,), ()]))
    for side in shape[:draw(st.integers(1, len(shape)))]:
        kind = draw(st.sampled_from(["array", "slice", "int"]))
        if kind == "array":
            index.append(np.asarray(draw(st.lists(st.integers(-side, side - 1),
                                                  min_size=int(np.prod(idx_shape)),
                                                  max_size=int(np.prod(idx_shape)))),
                                    dtype="int64").reshape(idx_shape))
            n_arrays += 1
        elif kind == "slice":
            index.append(slice(draw(st.sampled_from([None, 0, 1, -1])), None,
                               draw(st.sampled_from([None, 1, -1, 2]))))
        else:
            index.append(draw(st.integers(-side, side - 1)))
    if n_arrays == 0:
        index[0] = np.zeros(idx_shape, dtype="int64")
    if draw(st.booleans()):
        index.insert(draw(st.integers(0, len(index))), None)
    return shape, tuple(index), draw(dtypes)


@given(advanced_case())
def test_advanced_indexing_matches_numpy(case):
    shape, index, dtype = case
    arrays = [k for k, e in enumerate(index) if isinstance(e, np.ndarray)]
    idx_vars = [T.TensorType("int64", [False] * index[k].ndim)() for k in arrays]

    def build(a, *ivs):
        sym = list(index)
        for k, iv in zip(arrays, ivs):
            sym[k] = iv
        return a[tuple(sym)]

    xv = tensor_var(shape, dtype, "x")
    check_op(build, [xv] + idx_vars,
             [random_value(shape, dtype)] + [index[k] for k in arrays],
             lambda a, *ivs: a[index])
    # Constant index arrays too.
    check_op(lambda a: a[index], [xv], [random_value(shape, dtype)], lambda a: a[index])


def test_index_matrix_goes_through_take():
    xv = T.tensor3("x")
    mv = T.lmatrix("m")
    value = randn(4, 2, 3)
    idx = np.array([[0, 3], [1, 1], [2, 0]])
    check_op(lambda a, b: a[b], [xv, mv], [value, idx], lambda a, b: a[b])
    check_op(lambda a, b: a[:, :, b], [xv, mv], [value, np.array([[0, 2], [1, 1]])],
             lambda a, b: a[:, :, b])


@pytest.mark.parametrize("mask_shape, prefix", [((4,), ()), ((4, 3), ()), ((3,), (1,)),
                                                ((3,), (slice(None),))])
def test_boolean_mask(mask_shape, prefix):
    xv = T.matrix("x")
    value = randn(4, 3)
    mask = np.random.default_rng(1).integers(0, 2, size=mask_shape).astype(bool)
    index = prefix + (mask,)
    out = check_op(lambda a: a[index], [xv], [value], lambda a: a[index])
    assert out.shape == value[index].shape
    mv = T.TensorType("bool", [False] * len(mask_shape))("mask")
    check_op(lambda a, b: a[prefix + (b,)], [xv, mv], [value, mask], lambda a, b: a[index])
    assert isinstance(xv[index].owner.op, AdvancedBooleanSubtensor)


def test_boolean_mask_from_comparison():
    xv = T.vector("x")
    out = xv[xv > 0]
    value = np.array([-1.0, 2.0, -3.0, 4.0])
    np.testing.assert_array_equal(out.eval({xv: value}), [2.0, 4.0])


def test_boolean_mask_shape_mismatch():
    xv = T.vector("x")
    mv = T.bvector("m")
    f = pytheano.function([xv, mv], xv[T.gt(mv, 0)])
    with pytest.raises(IndexError, match="boolean index did not match"):
        f(np.zeros(3), np.ones(4, dtype="int8"))


def test_empty_index_list_is_int64():
    xv = T.matrix("x")
    out = xv[[]]
    assert out.owner.inputs[1].dtype == "int64"
    assert out.eval({xv: np.ones((2, 3))}).shape == (0, 3)


@pytest.mark.parametrize("axis", [None, 0, 1, -1, 2])
@pytest.mark.parametrize("mode", ["raise", "wrap", "clip"])
@pytest.mark.parametrize("idx", [[0, 2, 1, 2], [[1, 0], [2, 2]], 1])
def test_take_matches_numpy(axis, mode, idx):
    xv = T.tensor3("x")
    value = randn(3, 4, 3)
    idx = np.asarray(idx)
    if mode != "raise":
        idx = idx * 3 - 4  # out of range on purpose
    check_op(lambda a: T.take(a, idx, axis=axis, mode=mode), [xv], [value],
             lambda a: np.take(a, idx, axis=axis, mode=mode))
    check_op(lambda a: a.take(idx, axis=axis, mode=mode), [xv], [value],
             lambda a: np.take(a, idx, axis=axis, mode=mode))


# --------------------------------------------------------------------------- set / inc

def _numpy_update(a, index, y, set_instead_of_inc):
    a = a.copy()
    if set_instead_of_inc:
        a[index] = y
    else:
        np.add.at(a, index, y)
    return a


@st.composite
def update_case(draw):
    shape, index, dtype = draw(basic_case())
    # None makes x[...] index a DimShuffle of x: see test_update_of_newaxis_view.
    index = tuple(e for e in index if e is not None)
    return shape, index, dtype, draw(st.booleans()), draw(st.booleans())


@given(update_case())
def test_set_and_inc_subtensor_basic_match_numpy(case):
    shape, index, dtype, set_, drop_leading = case
    if dtype == "bool" and not set_:
        dtype = "int8"
    sub_shape = np.empty(shape)[index].shape
    y_shape = sub_shape[1:] if drop_leading and sub_shape else sub_shape
    xv = tensor_var(shape, dtype, "x")
    yv = tensor_var(y_shape, dtype, "y")
    fn = T.set_subtensor if set_ else T.inc_subtensor
    xval = random_value(shape, dtype)
    yval = random_value(y_shape, dtype, rng=np.random.default_rng(1))
    out = check_op(lambda a, b: fn(a[index], b), [xv, yv], [xval, yval],
                   lambda a, b: _numpy_update(a, index, b, set_))
    assert out.dtype == dtype
    assert isinstance(fn(xv[index], yv).owner.op, (IncSubtensor, T.DimShuffle))


@given(advanced_case(), st.booleans())
def test_set_and_inc_subtensor_advanced_match_numpy(case, set_):
    shape, index, dtype = case
    index = tuple(e for e in index if e is not None)  # see test_update_of_newaxis_view
    if dtype == "bool" and not set_:
        dtype = "int8"
    sub_shape = np.empty(shape)[index].shape
    xv = tensor_var(shape, dtype, "x")
    yv = tensor_var(sub_shape, dtype, "y")
    fn = T.set_subtensor if set_ else T.inc_subtensor
    xval = random_value(shape, dtype)
    yval = random_value(sub_shape, dtype, rng=np.random.default_rng(1))
    if set_ and any(isinstance(e, np.ndarray) for e in index):
        # Repeated indices make a set's winner unspecified: make them distinct values.
        yval = np.full(sub_shape, yval.flat[0] if yval.size else 0, dtype=dtype)
    check_op(lambda a, b: fn(a[index], b), [xv, yv], [xval, yval],
             lambda a, b: _numpy_update(a, index, b, set_))


def test_inc_subtensor_repeated_indices_accumulate():
    xv = T.vector("x")
    vv = T.lvector("v")
    out = T.inc_subtensor(xv[vv], 1.0)
    assert isinstance(out.owner.op, AdvancedIncSubtensor1)
    np.testing.assert_array_equal(out.eval({xv: np.zeros(3), vv: [0, 2, 2, 2]}), [1, 0, 3])
    mv = T.matrix("m")
    out = T.inc_subtensor(mv[vv, vv], 1.0)
    assert isinstance(out.owner.op, AdvancedIncSubtensor)
    np.testing.assert_array_equal(out.eval({mv: np.zeros((2, 2)), vv: [1, 1]}),
                                  [[0, 0], [0, 2]])


def test_update_through_dimshuffle_and_reshape():
    xv = T.matrix("x")
    value = randn(3, 4)
    idx = [3, 0]
    check_op(lambda a: T.set_subtensor(a[:, idx], 5.0), [xv], [value],
             lambda a: _numpy_update(a, (slice(None), idx), 5.0, True))
    y = randn(3, 2)
    yv = T.matrix("y")
    check_op(lambda a, b: T.inc_subtensor(a[:, idx], b), [xv, yv], [value, y],
             lambda a, b: _numpy_update(a, (slice(None), idx), b, False))
    midx = np.array([[0, 1], [2, 0]])
    check_op(lambda a: T.inc_subtensor(a[midx], 1.0), [xv], [value],
             lambda a: _numpy_update(a, (midx,), 1.0, False))


def test_update_of_newaxis_view():
    # Theano 1.0 compat: x[None, 1:] indexes the DimShuffle x[None]; updating it gives that
    # view's shape.
    xv = T.vector("x")
    value = np.arange(3.0)
    out = T.set_subtensor(xv[None, 1:], [[7.0, 8.0]])
    np.testing.assert_array_equal(out.eval({xv: value}), [[0.0, 7.0, 8.0]])
    out = T.inc_subtensor(xv[1:][None], 1.0)
    np.testing.assert_array_equal(out.eval({xv: value}), [[0.0, 2.0, 3.0]])
    with pytest.raises(TypeError, match="result of a subtensor"):
        T.set_subtensor(xv[None], 1.0)


def test_update_with_boolean_mask():
    xv = T.vector("x")
    value = np.array([-1.0, 2.0, -3.0, 4.0])
    out = T.set_subtensor(xv[xv < 0], 0.0)
    assert isinstance(out.owner.op, AdvancedBooleanIncSubtensor)
    np.testing.assert_array_equal(out.eval({xv: value}), [0.0, 2.0, 0.0, 4.0])
    out = T.inc_subtensor(xv[xv < 0], 10.0)
    np.testing.assert_array_equal(out.eval({xv: value}), [9.0, 2.0, 7.0, 4.0])


def test_update_broadcasts_y_to_the_subtensor():
    xv = T.matrix("x")
    yv = T.row("y")
    value = np.zeros((3, 2))
    out = T.inc_subtensor(xv[1:], yv).eval({xv: value, yv: np.array([[1.0, 2.0]])})
    np.testing.assert_array_equal(out, [[0, 0], [1, 2], [1, 2]])
    # A broadcastable x part with a non-broadcastable y: Rebroadcast checks y's length.
    rv = T.row("r")
    mv = T.matrix("m")
    out = T.inc_subtensor(rv[0:1], mv)
    assert out.broadcastable == (True, False)
    with pytest.raises(ValueError):
        out.eval({rv: np.zeros((1, 2)), mv: np.ones((2, 2))})


def test_original_is_unchanged_and_inplace_flag():
    xv = T.vector("x")
    value = np.arange(4.0)
    f = pytheano.function([xv], T.set_subtensor(xv[1:3], 0.0))
    np.testing.assert_array_equal(f(value), [0, 0, 0, 3])
    np.testing.assert_array_equal(value, np.arange(4.0))
    op = IncSubtensor(xv[1:3].owner.op.idx_list, inplace=True)
    assert op.destroy_map == {0: [0]}
    assert str(op) == "IncSubtensor{InplaceInc;int64:int64:}"
    assert str(AdvancedIncSubtensor1(inplace=True)) == "AdvancedIncSubtensor1{inplace,inc}"
    out = T.set_subtensor(xv[1:], 1.0, tolerate_inplace_aliasing=True)
    assert out.owner.op.destroyhandler_tolerate_aliased == [[0, 1]]


# --------------------------------------------------------------------------- infer_shape

def test_infer_shape_symbolic_slices():
    xv = T.matrix("x")
    a, b, c = T.lscalar("a"), T.lscalar("b"), T.lscalar("c")
    out = xv[a:b:c, ::c]
    value = randn(7, 5)
    for args in [(1, 6, 2), (6, 1, -2), (-1, -8, -1), (0, 7, 3), (-2, None, 1)]:
        args = tuple(0 if z is None else z for z in args)
        check_infer_shape([out], [xv, a, b, c], [value] + list(args))


def test_infer_shape_advanced_variants():
    xv = T.tensor3("x")
    vv = T.lvector("v")
    mv = T.lmatrix("m")
    bm = T.TensorType("bool", (False, False))("b")
    value = randn(3, 4, 5)
    cases = [
        (lambda: xv[vv, :, vv], [xv, vv], [value, np.array([0, 1, 2])]),
        (lambda: xv[:, vv, 1], [xv, vv], [value, np.array([0, 3])]),
        (lambda: xv[1:, vv, None], [xv, vv], [value, np.array([0, 3])]),
        (lambda: xv[mv, :, vv], [xv, mv, vv], [value, np.array([[0], [1]]), np.array([1, 4])]),
        (lambda: xv[bm], [xv, bm], [value, np.eye(3, 4, dtype=bool)]),
        (lambda: xv[1, bm[0]], [xv, bm], [value, np.eye(3, 4, dtype=bool)]),
    ]
    for build, inputs, values in cases:
        out = build()
        check_infer_shape([out], inputs, values)
        assert out.eval(dict(zip(inputs, values))).ndim == out.ndim


# --------------------------------------------------------------------------- gradients

@pytest.mark.parametrize("fun", [
    lambda a: a[1:3, ::-1],
    lambda a: a[2],
    lambda a: a[-1, 1:4:2],
    lambda a: a[None, ..., 0],
    lambda a: a[[0, 2, 2]],
    lambda a: a[:, [4, 0, 0]],
    lambda a: a[[0, 2, 2], [1, 1, 3]],
    lambda a: a[1:, [1, 1, 3]],
    lambda a: a[np.array([True, False, True, True])],
    lambda a: a[a > 0],
    lambda a: a.take([[1, 2], [0, 0]], axis=1),
])
def test_grad_of_reads(fun):
    check_grad(fun, [randn(4, 5)])


@pytest.mark.parametrize("set_", [True, False])
@pytest.mark.parametrize("index, y_shape", [
    ((slice(1, 3),), (2, 5)),
    ((slice(1, 3),), (5,)),
    ((2, 3), ()),
    ((slice(None, None, -2), 1), (2,)),
    (([0, 2, 2],), (3, 5)),
    (([0, 2, 1],), (5,)),
    (([0, 2, 1], [1, 1, 3]), (3,)),
    ((slice(1, None), [0, 4]), (3, 2)),
    ((np.array([True, False, True, False]),), (2, 5)),
])
def test_grad_of_updates(set_, index, y_shape):
    if set_ and isinstance(index[0], list) and index == ([0, 2, 2],):
        index = ([0, 2, 3],)  # a repeated index overwritten by a set has no gradient
    fn = T.set_subtensor if set_ else T.inc_subtensor
    check_grad(lambda a, b: fn(a[index], b), [randn(4, 5), randn(*y_shape) + 1.0])


def test_grad_of_integer_base():
    # The integer tensor gets no gradient; the float factor gets its usual one.
    iv = T.lvector("i")
    dv = T.dscalar("d")
    cost = (T.set_subtensor(iv[1:], 5) * dv).sum()
    gd, gi = pytheano.gradient.grad(cost, [dv, iv])
    f = pytheano.function([iv, dv], [gd, gi], on_unused_input="ignore")
    got_d, got_i = f(np.arange(3), 2.0)
    assert got_d == 10.0
    assert gi.dtype == pytheano.config.floatX
    np.testing.assert_array_equal(got_i, [0, 0, 0])


def test_index_inputs_are_disconnected():
    xv = T.vector("x")
    iv = T.lscalar("i")
    with pytest.raises(pytheano.gradient.DisconnectedInputError):
        pytheano.gradient.grad(xv[iv], iv)
    g = pytheano.gradient.grad(xv[iv] ** 2, xv)
    np.testing.assert_array_equal(g.eval({xv: np.array([1.0, 2.0, 3.0]), iv: 1}), [0, 4, 0])


def test_rop_of_subtensor():
    xv = T.vector("x")
    ev = T.vector("e")
    vv = T.lvector("v")
    value, ep = np.arange(1.0, 4.0), np.array([0.5, -1.0, 2.0])
    for out in (xv[1:], xv[vv], xv[vv, None], T.set_subtensor(xv[vv], xv[vv] * 2),
                T.inc_subtensor(xv[1:], xv[:2])):
        r = pytheano.gradient.Rop(out, xv, ev)
        got = pytheano.function([xv, ev, vv], r, on_unused_input="ignore")(value, ep, [2, 0])
        # Linear in x: the R_op at ep is the expression evaluated at ep.
        expected = pytheano.function([xv, vv], out, on_unused_input="ignore")(ep, [2, 0])
        np.testing.assert_allclose(got, expected)


def test_constant_value_through_indexing():
    """get_scalar_constant_value sees through x.shape[i] (broadcastable dim), constants and
    MakeVector, as Theano: reshape then infers a broadcastable dimension."""
    r = T.drow("r")
    x = T.dmatrix("x")
    assert T.get_scalar_constant_value(r.shape[0]) == 1
    assert T.get_scalar_constant_value(T.constant([3, 4])[1]) == 4
    assert T.get_scalar_constant_value(T.stack([T.constant(2), x.shape[0]])[0]) == 2
    with pytest.raises(T.NotScalarConstantError):
        T.get_scalar_constant_value(x.shape[0])
    assert x.reshape((r.shape[0], 3)).broadcastable == (True, False)


# --------------------------------------------------------------------------- broadcastable slices
# theano_subtensor_bcast.json: Theano 1.0.5's pattern and run-time shapes for every slice form
# (record_theano_subtensor.py) on the broadcastable dim of a row and of a col.

def test_slices_of_broadcastable_dims_match_theano():
    import json
    import os

    from tests.tensor.record_theano_subtensor import SYMBOLIC_VALUES, cases

    recorded = json.load(open(os.path.join(os.path.dirname(__file__),
                                           "theano_subtensor_bcast.json")))
    problems = []
    for case, bounds in cases():
        theano_case = recorded[case]
        syms = [T.lscalar("start"), T.lscalar("stop"), T.lscalar("step")]
        slc = slice(*[syms[i] if b == "s" else b for i, b in enumerate(bounds)])
        r, c = T.drow("r"), T.dcol("c")
        out_r, out_c = r[slc], c[:, slc]
        if [list(out_r.broadcastable), list(out_c.broadcastable)] != [theano_case["row"],
                                                                     theano_case["col"]]:
            problems.append("%s: theano %s %s, pytheano %s %s" % (
                case, theano_case["row"], theano_case["col"], out_r.broadcastable,
                out_c.broadcastable))
            continue
        used = [s for s, b in zip(syms, bounds) if b == "s"]
        f = pytheano.function([r, c] + used, [out_r, out_c], on_unused_input="ignore")
        for values, theano_run in zip(SYMBOLIC_VALUES, theano_case["runs"]):
            args = [v for v, b in zip(values, bounds) if b == "s"]
            rv, cv = np.arange(3.0).reshape(1, 3), np.arange(3.0).reshape(3, 1)
            # Theano returned an empty array under a broadcastable type (x[:1:-1]):
            # pytheano refuses it (see Subtensor.perform).
            lies = (not isinstance(theano_run, str)
                    and any(b and n != 1 for b, n in zip(theano_case["row"], theano_run[0])))
            try:
                got_r, got_c = f(rv, cv, *args)
            except ValueError:
                if not lies:
                    problems.append("%s %s: pytheano raised" % (case, values))
                continue
            if lies or [list(got_r.shape), list(got_c.shape)] != theano_run:
                problems.append("%s %s: theano %s, pytheano %s" % (
                    case, values, theano_run, [got_r.shape, got_c.shape]))
                continue
            py_slc = slice(*[values[i] if b == "s" else b for i, b in enumerate(bounds)])
            np.testing.assert_array_equal(got_r, rv[py_slc])
            np.testing.assert_array_equal(got_c, cv[:, py_slc])
    assert not problems, "\n".join(problems)


def test_negative_step_keeps_a_broadcastable_dim():
    r = T.drow("r")
    assert r[::-1].broadcastable == (True, False)
    assert r[::-1, ::-1].broadcastable == (True, False)
    assert r[2:].broadcastable == (False, False)  # length 0 at run time, as numpy
    assert pytheano.function([r], r[2:])(np.ones((1, 3))).shape == (0, 3)
    m = T.dmatrix("m")
    rv, mv = np.array([[1.0, 2.0, 3.0]]), np.arange(6.0).reshape(2, 3)
    got, n = pytheano.function([r, m], [r[::-1] + m, r[::-1].shape[0]])(rv, mv)
    np.testing.assert_array_equal(got, rv + mv)
    assert n == 1


def test_index_with_a_broadcastable_int_matrix_keeps_its_flags():
    """x[ix] and take(x, ix, axis) with ix of ndim > 1: the dims that come from ix keep its
    broadcastable flags (Theano 1.0.5 gives the same types), the values are numpy's."""
    row = T.TensorType("int64", (True, False))("row")
    col = T.TensorType("int64", (False, True))("col")
    m, v = T.dmatrix("m"), T.dvector("v")
    assert m[row].broadcastable == (True, False, False)
    assert v[row].broadcastable == (True, False)
    assert m[col].broadcastable == (False, True, False)
    assert T.take(m, row, axis=1).broadcastable == (False, True, False)
    assert T.TensorType("float64", (False, True, False))()[T.lmatrix()].broadcastable == \
        (False,) * 4
    mv = np.arange(12.0).reshape(3, 4)
    f = pytheano.function([m, row, col], [m[row], T.take(m, row, axis=1), m[col]])
    r, c = np.array([[2, 0]]), np.array([[1], [2]])
    for got, want in zip(f(mv, r, c), [mv[r], np.take(mv, r, axis=1), mv[c]]):
        np.testing.assert_array_equal(got, want)
