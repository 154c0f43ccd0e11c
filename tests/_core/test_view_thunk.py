"""The shape and view thunks (_core/view_thunk.pyx) against their ops' perform: every dtype,
broadcast patterns, non-contiguous and negative strides, zero-size and 0-d arrays; views
alias their input (never a copy); the error cases raise perform's exception class."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano._core import view_thunk
from pytheano._core.vm import PerformThunk
from pytheano.link.linkers import OpWiseCLinker
from pytheano.link.thunks import has_c_code
from pytheano.tensor.basic import Rebroadcast, scalar_from_tensor, tensor_from_scalar
from pytheano.tensor.creation import AllocEmpty, ARange
from pytheano.tensor.elemwise import DimShuffle
from pytheano.tensor.join import Join
from pytheano.tensor.shape import Reshape, Shape_i, SpecifyShape, make_vector, shape
from pytheano.tensor.type import TensorType
from tests.helpers import (ALL_DTYPES, C_MODE, LAYOUTS, PY_MODE, memory_layout, outcome,
                           run_c_thunk, run_perform)

pytestmark = pytest.mark.skipif(not pytheano.config.cxx, reason="no C compiler (cxx='')")

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


def counting(shp, dtype):
    """0, 1, 2, ... in ``shp`` (wrapped around in small dtypes, alternating for bool)."""
    return (np.arange(int(np.prod(shp))) % 2 if dtype == "bool" else
            np.arange(int(np.prod(shp)))).astype(dtype).reshape(shp)


def same_outcome(node, values):
    """The thunk's and perform's results agree (value, dtype, shape, or exception class);
    returns (the thunk's result or None, the thunk or None)."""
    expected, e_err = outcome(lambda: run_perform(node, values), [])
    got, g_err = outcome(lambda: run_c_thunk(node, values), [])
    assert g_err == e_err
    if expected is None:
        return None, None
    out, thunk = got
    assert type(out) is type(expected)
    assert np.asarray(out).dtype == np.asarray(expected).dtype
    assert np.shape(out) == np.shape(expected)
    np.testing.assert_array_equal(out, expected)
    return out, thunk


def is_view_of(out, x):
    """``out`` aliases ``x``'s buffer (its base chain ends at x's owner)."""
    owner = x if x.base is None else x.base
    return out.base is owner or out.base is x or (out.size and np.shares_memory(out, x))


# --------------------------------------------------------------------------- DimShuffle

@st.composite
def dimshuffles(draw):
    ndim = draw(st.integers(0, 3))
    shp = draw(st.lists(st.sampled_from([0, 1, 2, 3]), min_size=ndim, max_size=ndim))
    bcast = [n == 1 and draw(st.booleans()) for n in shp]
    kept = [d for d in range(ndim) if not bcast[d] or draw(st.booleans())]
    order = list(draw(st.permutations(kept)))
    for _ in range(draw(st.integers(0, 2))):
        order.insert(draw(st.integers(0, len(order))), "x")
    return tuple(shp), bcast, order


@SETTINGS
@given(dimshuffles(), st.sampled_from(ALL_DTYPES), st.sampled_from(LAYOUTS), st.booleans())
def test_dimshuffle_is_a_view_as_perform(case, dtype, layout, inplace):
    shp, bcast, order = case
    x = TensorType(dtype, bcast)()
    node = DimShuffle(bcast, order, inplace=inplace).make_node(x)
    a = memory_layout(counting(shp, dtype), layout)
    out, thunk = same_outcome(node, [a])
    assert thunk.c_calls == 1
    assert out.flags.writeable == a.flags.writeable
    if inplace:
        assert is_view_of(out, a)
    elif out.size:
        assert not np.shares_memory(out, a)


def test_dimshuffle_of_a_longer_dropped_dimension_raises_perform_error():
    x = T.TensorType("float64", (True, False))()
    node = DimShuffle((True, False), [1]).make_node(x)
    out, _ = same_outcome(node, [np.ones((2, 3))])  # a broadcastable dimension of length 2
    assert out is None


def test_dimshuffle_of_a_read_only_input_is_read_only():
    a = np.ones((2, 3))
    a.flags.writeable = False
    node = DimShuffle((False, False), [1, "x", 0]).make_node(T.dmatrix())
    out, _ = same_outcome(node, [a])
    assert not out.flags.writeable and is_view_of(out, a)


# --------------------------------------------------------------------------- Subtensor

BOUNDS = st.one_of(st.none(), st.integers(-6, 6))


@st.composite
def subtensor_cases(draw):
    ndim = draw(st.integers(1, 3))
    shp = tuple(draw(st.lists(st.integers(0, 5), min_size=ndim, max_size=ndim)))
    index = []
    for _ in range(draw(st.integers(1, ndim))):
        if draw(st.booleans()):
            index.append(draw(st.integers(-6, 6)))
        else:
            index.append(slice(draw(BOUNDS), draw(BOUNDS),
                               draw(st.one_of(st.none(), st.sampled_from([-3, -1, 0, 1, 2])))))
    return shp, index, draw(st.booleans())


def _symbolic(index):
    """The index with each integer a symbolic int64 scalar, and the values to pass."""
    values = []

    def sym(v):
        if v is None:
            return None
        values.append(np.asarray(v, dtype="int64"))
        return T.lscalar()

    out = [slice(sym(e.start), sym(e.stop), sym(e.step)) if isinstance(e, slice) else sym(e)
           for e in index]
    return out, values


@SETTINGS
@given(subtensor_cases(), st.sampled_from(ALL_DTYPES), st.sampled_from(LAYOUTS))
def test_subtensor_is_a_view_as_perform(case, dtype, layout):
    shp, index, symbolic = case
    x = TensorType(dtype, [False] * len(shp))()
    a = memory_layout(counting(shp, dtype), layout)
    if symbolic:
        sym_index, values = _symbolic(index)
        inputs = [x] + [v for e in sym_index
                        for v in ((e.start, e.stop, e.step) if isinstance(e, slice) else (e,))
                        if v is not None]
    else:
        sym_index, values, inputs = index, [], [x]
        if any(isinstance(e, slice) and e.step == 0 for e in index):
            return  # make_node refuses a constant step of 0
    try:
        y = x[tuple(sym_index)]
    except (IndexError, ValueError):
        return  # a constant index out of range is refused when building the graph
    node = y.owner
    if symbolic:
        # The graph holds ScalarFromTensor nodes between the lscalars and the Subtensor.
        f_c = pytheano.function(inputs, y, mode=C_MODE)
        f_py = pytheano.function(inputs, y, mode=PY_MODE)
        expected, e_err = outcome(f_py, [a] + values)
        got, g_err = outcome(f_c, [a] + values)
        assert g_err == e_err
        if expected is not None:
            assert got.dtype == expected.dtype and got.shape == expected.shape
            np.testing.assert_array_equal(got, expected)
        node_values = [a] + [v[()] for v in values]  # the scalars the Subtensor reads
    else:
        node_values = [a] + [i.data for i in node.inputs[1:]]
    out, thunk = same_outcome(node, node_values)
    if out is not None:
        assert thunk.c_calls == 1 and is_view_of(out, a)


def test_subtensor_errors_are_perform_errors():
    x, i = T.dvector(), T.lscalar()
    a = np.arange(4.0)
    for expr, bad in ((x[i], 4), (x[i], -5), (x[::i], 0)):
        f_c = pytheano.function([x, i], expr, mode=C_MODE)
        f_py = pytheano.function([x, i], expr, mode=PY_MODE)
        assert outcome(f_c, [a, bad])[1] is outcome(f_py, [a, bad])[1] is not None


def test_subtensor_refuses_an_empty_broadcastable_dimension_as_perform():
    x = T.TensorType("float64", (True,))()
    node = x[:1:-1].owner
    out, _ = same_outcome(node, [np.ones(1)] + [i.data for i in node.inputs[1:]])
    assert out is None


# --------------------------------------------------------------------------- Reshape

@SETTINGS
@given(st.sampled_from([(6,), (2, 3), (3, 2), (1, 6, 1), (0, 3), ()]),
       st.sampled_from([(6,), (3, 2), (-1,), (2, -1), (-1, 3), (6, 1), (1, -1, 2), (4,),
                        (-1, -1), (0,), (0, -1), (), (-2, 3)]),
       st.sampled_from(ALL_DTYPES), st.sampled_from(LAYOUTS),
       st.sampled_from(["int64", "int32", "uint8"]))
def test_reshape_as_perform(in_shape, new_shape, dtype, layout, shape_dtype):
    a = memory_layout(counting(in_shape, dtype),
                      layout)
    if shape_dtype == "uint8" and any(s < 0 for s in new_shape):
        return
    x = TensorType(dtype, [False] * len(in_shape))()
    s = TensorType(shape_dtype, (False,))()
    node = Reshape(len(new_shape)).make_node(x, s)
    out, thunk = same_outcome(node, [a, np.asarray(new_shape, dtype=shape_dtype)])
    if out is not None:
        # A view exactly when numpy's reshape makes one.
        assert bool(out.size and np.shares_memory(out, a)) == bool(
            a.size and np.shares_memory(np.reshape(a, new_shape), a))


def test_reshape_error_is_theanos():
    x, s = T.dmatrix(), T.lvector()
    f = pytheano.function([x, s], x.reshape(s, ndim=1), mode=C_MODE)
    with pytest.raises(ValueError, match="Cannot reshape input of shape"):
        f(np.ones((2, 3)), [5])
    with pytest.raises(ValueError, match="incorrect length"):
        f(np.ones((2, 3)), [3, 2])


# --------------------------------------------------------------------------- shapes

@SETTINGS
@given(st.lists(st.integers(0, 4), max_size=4), st.sampled_from(LAYOUTS),
       st.sampled_from(ALL_DTYPES))
def test_shape_and_shape_i_as_perform(shp, layout, dtype):
    a = memory_layout(np.zeros(shp, dtype=dtype), layout)
    x = TensorType(dtype, [False] * len(shp))()
    same_outcome(shape(x).owner, [a])
    for i in range(len(shp)):
        out, thunk = same_outcome(Shape_i(i).make_node(x), [a])
        assert thunk.c_calls == 1


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_make_vector_as_perform(dtype):
    xs = [TensorType(dtype, ())() for _ in range(3)]
    values = [np.asarray(v, dtype=dtype) for v in (1, 0, 1)]
    for k in range(4):
        node = make_vector.__class__(dtype).make_node(*xs[:k])
        out, thunk = same_outcome(node, values[:k])
        assert thunk.c_calls == 1
    # Another dtype than the node's (perform casts): the thunk leaves it to perform.
    node = make_vector.__class__(dtype).make_node(*xs[:2])
    same_outcome(node, [np.asarray(1, "float64"), np.asarray(0, "float64")])


ARANGE_OUT = ["int64", "int8", "uint8", "int16", "uint16", "int32", "uint32", "uint64",
              "float32", "float64"]


@SETTINGS
@given(st.integers(-8, 8), st.integers(-8, 8), st.sampled_from([-3, -1, 0, 1, 2, 5]),
       st.sampled_from(["int64", "int8", "uint8", "int32"]), st.sampled_from(ARANGE_OUT),
       st.sampled_from([1, 124, 2 ** 24 - 6, 2 ** 53 - 6]))
def test_arange_as_perform(start, stop, step, dtype, out_dtype, scale):
    # scale: bounds near where int8 wraps (numpy's int8 arange wraps around, or refuses a
    # value out of range: perform does it) and where float32 / float64 stop being exact.
    if dtype == "uint8" and min(start, stop, step) < 0:
        return
    if scale > 1:
        dtype = "int64"
        start, stop = start + scale, stop + scale
    args = [TensorType(dtype, ())() for _ in range(3)]
    node = ARange(out_dtype).make_node(*args)
    assert has_c_code(node)
    out, thunk = same_outcome(node, [np.asarray(v, dtype=dtype) for v in (start, stop, step)])
    values = range(start, stop, step) if step else None
    if np.dtype(out_dtype).kind == "f":
        exact = 2 ** (24 if out_dtype == "float32" else 53)
        fits = values is not None and all(-exact <= v <= exact for v in values)
    else:
        info = np.iinfo(out_dtype)
        fits = values is not None and all(info.min <= v <= info.max for v in values)
    if fits:  # the C wrote them (the rest went through perform)
        assert out is not None and thunk.c_calls == 1


def test_arange_of_floats_runs_perform():
    args = [T.dscalar() for _ in range(3)]
    assert ARange("float16").c_thunk(ARange("float16").make_node(*args)) is None
    for dtype in ("int64", "float64"):
        node = ARange(dtype).make_node(*args)
        out, thunk = same_outcome(node, [np.asarray(v) for v in (0.5, 4.0, 1.5)])
        assert thunk.c_calls == 0


@st.composite
def join_cases(draw):
    ndim = draw(st.integers(1, 3))
    axis = draw(st.integers(-ndim, ndim - 1))
    shp = draw(st.lists(st.sampled_from([0, 1, 2, 3]), min_size=ndim, max_size=ndim))
    shapes = []
    for _ in range(draw(st.integers(1, 4))):
        s = list(shp)
        s[axis] = draw(st.sampled_from([0, 1, 2, 3]))
        shapes.append(tuple(s))
    if draw(st.integers(0, 5)) == 0:  # a shape that does not agree: perform's error
        k, d = draw(st.integers(0, len(shapes) - 1)), draw(st.integers(0, ndim - 1))
        shapes[k] = tuple(n + 1 if e == d else n for e, n in enumerate(shapes[k]))
    return axis, shapes, draw(st.integers(-1, len(shapes) - 1))


@SETTINGS
@given(join_cases(), st.lists(st.sampled_from(ALL_DTYPES), min_size=4, max_size=4),
       st.lists(st.sampled_from(LAYOUTS), min_size=4, max_size=4),
       st.sampled_from(["int8", "int32", "int64"]))
def test_join_as_perform(case, dtypes, layouts, axis_dtype):
    axis, shapes, view = case
    xs = [TensorType(dt, (False,) * len(shp))() for dt, shp in zip(dtypes, shapes)]
    node = Join(view).make_node(T.scalar(dtype=axis_dtype), *xs)
    assert has_c_code(node)
    values = [np.asarray(axis, dtype=axis_dtype)] + [
        memory_layout(counting(shp, dt), lay) for dt, shp, lay in zip(dtypes, shapes, layouts)]
    out, thunk = same_outcome(node, values)
    if out is not None:
        assert thunk.c_calls == 1
        others = [v for k, v in enumerate(values[1:]) if k != view]
        if view >= 0 and not any(v.shape[axis] for v in others):
            assert out is values[1 + view]
        else:
            assert out.flags.c_contiguous and not any(np.shares_memory(out, v)
                                                      for v in values[1:])


def test_join_reuses_its_buffer_and_leaves_odd_inputs_to_perform():
    x, y = T.dmatrix(), T.dmatrix()
    node = Join().make_node(T.lscalar(), x, y)
    a, b = np.ones((2, 3)), np.zeros((1, 3))
    thunk_class, args = node.op.c_thunk(node)
    cell = [None]
    thunk = thunk_class(node, [[np.asarray(0)], [a], [b]], [cell], node.op.perform, *args)
    thunk()
    first = id(cell[0])  # the cell keeps it alive: the id stays its own
    thunk()
    assert id(cell[0]) == first and thunk.c_calls == 2  # nothing else held it: reused
    np.testing.assert_array_equal(cell[0], np.concatenate([a, b]))
    kept = cell[0]
    thunk()
    assert cell[0] is not kept  # held elsewhere: a new one
    # An axis out of range: perform's error; a Python int axis is read as perform reads it.
    for values in ([np.asarray(2), a, b], [np.asarray(-3), a, b]):
        same_outcome(node, values)
    out, thunk = run_c_thunk(node, [1, a, np.ones((2, 1))])
    assert thunk.c_calls == 1 and out.shape == (2, 4)


def test_join_in_a_function_runs_no_perform():
    x, y, k = T.fmatrix(), T.fmatrix(), T.iscalar()
    outs = [T.concatenate([x, y], axis=1), T.stack([x, y]), T.roll(x, 1, axis=0),
            T.join(k, x, y)]
    f = pytheano.function([x, y, k], outs, mode=C_MODE)
    assert any(isinstance(n.op, Join) for n in f.maker.fgraph.apply_nodes)
    assert all(has_c_code(n) for n in f.maker.fgraph.apply_nodes)
    g = pytheano.function([x, y, k], outs, mode=PY_MODE)
    a = np.arange(6, dtype="float32").reshape(2, 3)
    b = -a[:, ::-1]
    for k_value in (0, 1, -1, -2):
        for got, expected in zip(f(a, b, k_value), g(a, b, k_value)):
            np.testing.assert_array_equal(got, expected)
    with pytest.raises(ValueError):
        f(a, b[:1, :2], 0)


@pytest.mark.parametrize("dtype", ["float64", "int8", "bool"])
def test_alloc_empty_shape_and_reuse(dtype):
    dims = [T.lscalar() for _ in range(2)]
    node = AllocEmpty(dtype).make_node(*dims)
    thunk_class, args = node.op.c_thunk(node)
    cell = [None]
    thunk = thunk_class(node, [[np.asarray(2)], [np.asarray(3)]], [cell], node.op.perform,
                        *args)
    thunk()
    assert cell[0].shape == (2, 3) and cell[0].dtype == dtype
    first = id(cell[0])  # the cell keeps it alive: the id stays its own
    thunk()
    assert id(cell[0]) == first  # nothing else held it: the buffer is reused
    kept = cell[0]
    thunk()
    assert cell[0] is not kept  # held elsewhere: a new one
    bad = thunk_class(node, [[np.asarray(-1)], [np.asarray(3)]], [[None]], node.op.perform,
                      *args)
    with pytest.raises(ValueError):
        bad()


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_scalar_tensor_conversions_as_perform(dtype):
    t = TensorType(dtype, ())()
    value = np.asarray(1, dtype=dtype)
    s, thunk = same_outcome(scalar_from_tensor(t).owner, [value])
    assert thunk.c_calls == 1
    back, thunk = same_outcome(tensor_from_scalar(scalar_from_tensor(t)).owner, [s])
    assert thunk.c_calls == 1
    # A Python number: perform's conversion.
    same_outcome(tensor_from_scalar(scalar_from_tensor(t)).owner, [1])


@pytest.mark.parametrize("shp", [(1, 3), (2, 3), (1, 0), (0, 1)])
def test_rebroadcast_as_perform(shp):
    x = T.dmatrix()
    node = Rebroadcast((0, True), (1, False)).make_node(x)
    a = memory_layout(np.ones(shp), "strided")
    out, thunk = same_outcome(node, [a])
    if out is not None:
        assert out is a and thunk.c_calls == 1


# --------------------------------------------------------------------------- SpecifyShape

@SETTINGS
@given(st.lists(st.integers(0, 3), max_size=3), st.sampled_from(ALL_DTYPES),
       st.sampled_from(LAYOUTS), st.sampled_from(["int8", "int32", "int64", "uint64"]),
       st.integers(-1, 2), st.integers(-1, 1))
def test_specify_shape_passes_its_input_or_raises_performs_error(shp, dtype, layout,
                                                                 shape_dtype, off_dim, delta):
    # off_dim: the dimension whose expected length is off by delta (-1: none; past the
    # rank: one entry too many).
    x = TensorType(dtype, [False] * len(shp))()
    node = SpecifyShape().make_node(x, TensorType(shape_dtype, (False,))())
    want = list(shp)
    if off_dim >= len(shp):
        want.append(1)
    elif off_dim >= 0 and shp[off_dim] + delta >= 0:
        want[off_dim] += delta
    a = memory_layout(counting(tuple(shp), dtype), layout)
    vector = np.asarray(want, dtype=shape_dtype)
    expected = outcome(lambda: run_perform(node, [a, vector]), [])
    got = outcome(lambda: run_c_thunk(node, [a, vector]), [])
    assert got[1] is expected[1]
    if expected[1] is None:
        out, thunk = got[0]
        assert out is a and thunk.c_calls == 1
    else:
        assert expected[1] is AssertionError
        with pytest.raises(AssertionError) as e_info:
            run_perform(node, [a, vector])
        with pytest.raises(AssertionError) as g_info:
            run_c_thunk(node, [a, vector])
        assert str(g_info.value) == str(e_info.value)


def test_specify_shape_under_linker_c():
    x, i = T.dmatrix(), T.lscalar()
    f = pytheano.function([x, i], T.specify_shape(x, [i, 3]) * 2, mode=C_MODE)
    assert [type(t) for t, n in zip(f.vm.thunks, f.vm.nodes)
            if isinstance(n.op, SpecifyShape)] == [view_thunk.SpecifyShapeThunk]
    np.testing.assert_array_equal(f(np.ones((2, 3)), 2), np.full((2, 3), 2.0))
    with pytest.raises(AssertionError, match="dim 0 of input has shape 2, expected 4"):
        f(np.ones((2, 3)), 4)


# --------------------------------------------------------------------------- in a function

def test_small_steps_run_no_perform_under_linker_c():
    """The digits logistic-regression step and the tutorial's: every node in C."""
    x, y = T.dmatrix(), T.lvector()
    W = pytheano.shared(np.zeros((64, 10)))
    b = pytheano.shared(np.zeros(10))
    p = T.nnet.softmax(T.dot(x, W) + b)
    cost = -T.mean(T.log(p)[T.arange(y.shape[0]), y])
    gW, gb = pytheano.grad(cost, [W, b])
    mode = pytheano.Mode(linker="c", optimizer="fast_run")
    f = pytheano.function([x, y], cost, updates=[(W, W - 0.1 * gW), (b, b - 0.1 * gb)],
                          mode=mode)
    xt, yt = T.dmatrix(), T.dvector()
    w, c = pytheano.shared(np.zeros(5)), pytheano.shared(0.0)
    p_1 = 1 / (1 + T.exp(-T.dot(xt, w) - c))
    xent = -yt * T.log(p_1) - (1 - yt) * T.log(1 - p_1)
    gw, gc = pytheano.grad(xent.mean() + 0.01 * (w ** 2).sum(), [w, c])
    g = pytheano.function([xt, yt], [p_1 > 0.5, xent],
                          updates=[(w, w - 0.1 * gw), (c, c - 0.1 * gc)], mode=mode)
    for fn in (f, g):
        assert not [n for t, n in zip(fn.vm.thunks, fn.vm.nodes)
                    if isinstance(t, PerformThunk)]
        assert all(has_c_code(n) for n in fn.vm.nodes)
    rng = np.random.default_rng(0)
    f(rng.standard_normal((20, 64)), rng.integers(0, 10, 20))
    g(rng.standard_normal((7, 5)), rng.integers(0, 2, 7).astype("float64"))
    assert any(isinstance(t, view_thunk.NumpyCThunk) and t.c_calls for t in f.vm.thunks)


def test_a_subclass_with_its_own_perform_runs_it():
    from pytheano.graph.ops import ViewOp

    class Doubled(ViewOp):
        def perform(self, node, inputs, output_storage):
            output_storage[0][0] = inputs[0] * 2

    x = T.dvector()
    mode = pytheano.Mode(linker=OpWiseCLinker(), optimizer=None)
    f = pytheano.function([x], Doubled()(x), mode=mode)
    assert isinstance(f.vm.thunks[0], PerformThunk)
    np.testing.assert_array_equal(f(np.ones(2)), [2.0, 2.0])


def test_views_in_a_function_match_perform():
    x = T.dtensor3()
    i = T.lscalar()
    outs = [x.dimshuffle(2, "x", 0, 1)[i], x[1:, ::-1].reshape((-1,)), x.T[:, i, 1],
            x.shape, x[i].flatten()]
    f_c = pytheano.function([x, i], outs, mode=C_MODE)
    f_py = pytheano.function([x, i], outs, mode=PY_MODE)
    assert not any(isinstance(t, PerformThunk) for t in f_c.vm.thunks)
    for layout in LAYOUTS:
        a = memory_layout(np.arange(24.0).reshape(2, 3, 4), layout)
        for k in (0, 1, -2, 5):
            expected, e_err = outcome(f_py, [a, k])
            got, g_err = outcome(f_c, [a, k])
            assert g_err == e_err
            if expected is not None:
                for g, e in zip(got, expected):
                    np.testing.assert_array_equal(g, e)
