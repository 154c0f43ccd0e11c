"""IncSubtensor's C thunk (_core/view_thunk.pyx: IncSubtensorThunk) against its perform:
basic indices (integers, slices, negative steps), set and increment, in place and not,
every dtype (integers wrap around as numpy's), values broadcast into the region, mixed
dtypes, non-contiguous and negative strides, zero-size and 0-d arrays; a value overlapping
its region; the error cases (shape mismatch, index out of range, read-only in place) raise
perform's exception, with its message."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano import scalar as scal
from pytheano._core.view_thunk import IncSubtensorThunk
from pytheano.link.thunks import has_c_code
from pytheano.tensor.slicing import IncSubtensor
from pytheano.tensor.type import TensorType
from tests.helpers import ALL_DTYPES, C_MODE, LAYOUTS, PY_MODE, check_infer_shape, \
    memory_layout, outcome, run_c_thunk, run_perform

pytestmark = pytest.mark.skipif(not pytheano.config.cxx, reason="no C compiler (cxx='')")

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

DTYPES = ALL_DTYPES + ("uint16", "uint32", "uint64", "float16", "complex64", "complex128")


def values_of(shp, dtype, big):
    """0, 1, 2, ... in ``shp``; with ``big``, values near the dtype's top (increments then
    wrap around in integer dtypes)."""
    n = int(np.prod(shp))
    if dtype == "bool":
        return (np.arange(n) % 3 == 0).reshape(shp)
    v = np.arange(n)
    if big and np.dtype(dtype).kind in "iu":
        return (np.array(np.iinfo(dtype).max, dtype=dtype) - v.astype(dtype)).reshape(shp)
    v = v.astype(dtype) if big or np.dtype(dtype).kind != "c" else v + 1j * v
    return np.asarray(v, dtype=dtype).reshape(shp)


def error_of(f, *args):
    try:
        f(*args)
    except Exception as e:  # noqa: BLE001 -- class and message are compared
        return type(e), str(e)
    return None


def check_same(node, make_values):
    """The thunk and perform, each on fresh inputs from ``make_values()``, agree: value,
    dtype and shape, or exception class and message. Returns (thunk output, its x, thunk)
    or None."""
    p_values = make_values()
    c_values = make_values()
    expected_err = error_of(run_perform, node, p_values)
    got_err = error_of(run_c_thunk, node, c_values)
    assert got_err == expected_err
    if expected_err is not None:
        return None
    expected = run_perform(node, make_values())
    values = make_values()
    out, thunk = run_c_thunk(node, values)
    assert type(out) is np.ndarray and out.dtype == expected.dtype
    assert out.shape == expected.shape
    np.testing.assert_array_equal(out, expected)
    return out, values[0], thunk


@st.composite
def inc_cases(draw):
    ndim = draw(st.integers(0, 3))
    shp = tuple(draw(st.lists(st.integers(0, 4), min_size=ndim, max_size=ndim)))
    index = []
    for _ in range(draw(st.integers(0, ndim))):
        if draw(st.booleans()):
            index.append(draw(st.integers(-5, 5)))
        else:
            bound = st.one_of(st.none(), st.integers(-5, 5))
            index.append(slice(draw(bound), draw(bound),
                               draw(st.one_of(st.none(), st.sampled_from([-2, -1, 1, 2, 3])))))
    return shp, index


def _pattern(index):
    """(the IncSubtensor pattern of ``index``, each integer an int64 scalar input; the
    inputs' values)."""
    values = []

    def sym(v):
        if v is None:
            return None
        values.append(np.int64(v))
        return scal.int64

    pattern = [slice(sym(e.start), sym(e.stop), sym(e.step)) if isinstance(e, slice)
               else sym(e) for e in index]
    return pattern, values


def _region_shape(shp, index):
    probe = np.empty(shp)
    try:
        return probe[tuple(index)].shape
    except IndexError:
        return None


@SETTINGS
@given(inc_cases(), st.sampled_from(DTYPES), st.sampled_from(LAYOUTS),
       st.sampled_from(LAYOUTS), st.booleans(), st.booleans(), st.data())
def test_inc_subtensor_as_perform(case, dtype, x_layout, y_layout, inplace, set_, data):
    shp, index = case
    region = _region_shape(shp, index)
    if region is None:  # out of range: the thunk must still raise perform's error
        region = ()
    # The value: the region's shape, some dimensions broadcast (1), leading ones dropped;
    # now and then a shape that does not broadcast (perform's error).
    y_shape = [1 if data.draw(st.booleans()) else n for n in region]
    y_shape = y_shape[data.draw(st.integers(0, len(y_shape))):]
    if y_shape and data.draw(st.integers(0, 9)) == 0:
        y_shape[0] += 1
    if set_:
        y_dtype = data.draw(st.sampled_from([dtype, dtype, "float64", "int8", "bool"]))
    else:
        y_dtype = data.draw(st.sampled_from(
            [dtype, dtype] + [d for d in DTYPES if np.can_cast(d, dtype, "same_kind")]))
    big = data.draw(st.booleans())
    pattern, scalars = _pattern(index)
    op = IncSubtensor(pattern, inplace=inplace, set_instead_of_inc=set_)
    x = TensorType(dtype, [False] * len(shp))()
    y = TensorType(y_dtype, [False] * len(y_shape))()
    node = op.make_node(x, y, *[scal.int64() for _ in scalars])
    assert has_c_code(node)

    def make_values():
        return [memory_layout(values_of(shp, dtype, big), x_layout),
                memory_layout(values_of(tuple(y_shape), y_dtype, big), y_layout)] + scalars

    with np.errstate(all="ignore"):
        got = check_same(node, make_values)
    if got is None:
        return
    out, xa, thunk = got
    assert thunk.c_calls == 1
    if inplace:
        assert out is xa
    else:
        assert out.flags.c_contiguous and not np.shares_memory(out, xa)
        np.testing.assert_array_equal(xa, make_values()[0])  # x untouched


@SETTINGS
@given(st.sampled_from(DTYPES), st.booleans(), st.booleans(), st.sampled_from(LAYOUTS))
def test_symbolic_indices_in_a_function_as_perform(dtype, inplace, set_, layout):
    x = TensorType(dtype, (False, False))("x")
    y = TensorType(dtype, (False,))("y")
    i, j, k = T.lscalar("i"), T.lscalar("j"), T.lscalar("k")
    pattern = T.inc_subtensor(x[i::j, k], y).owner
    op = IncSubtensor(pattern.op.idx_list, inplace=inplace, set_instead_of_inc=set_)
    out = op(x, y, *pattern.inputs[2:])
    f_c = pytheano.function([x, y, i, j, k], out, mode=C_MODE, accept_inplace=True)
    f_py = pytheano.function([x, y, i, j, k], out, mode=PY_MODE, accept_inplace=True)
    assert any(type(t) is IncSubtensorThunk for t in f_c.vm.thunks)
    for args in [(0, 1, 1), (-1, -1, 0), (3, -2, -3), (1, 2, 2), (0, 1, 3), (0, 0, 0),
                 (0, 1, -4), (5, 1, 0)]:
        values = [memory_layout(values_of((3, 3), dtype, True), layout),
                  values_of((1,), dtype, True)]
        with np.errstate(all="ignore"):
            expected, e_err = outcome(f_py, [v.copy() for v in values] + list(args))
            got, g_err = outcome(f_c, [v.copy() for v in values] + list(args))
        assert g_err == e_err
        if e_err is None:
            np.testing.assert_array_equal(got, expected)


def test_errors_are_performs_with_its_message():
    x, i = T.dmatrix(), scal.int64()
    vector_node = IncSubtensor([scal.int64]).make_node(x, T.dvector(), i)
    matrix_node = IncSubtensor([scal.int64]).make_node(x, T.dmatrix(), i)
    for node, xv, yv, iv in [(vector_node, np.zeros((3, 4)), np.ones(3), 1),  # no broadcast
                             (matrix_node, np.zeros((3, 4)), np.ones((1, 4)), 1),  # rank
                             (vector_node, np.zeros((1, 4)), np.ones(4), 1),  # out of range
                             (vector_node, np.zeros((1, 4)), np.ones(4), -2)]:
        expected = error_of(run_perform, node, [xv.copy(), yv, np.int64(iv)])
        assert expected is not None
        assert error_of(run_c_thunk, node, [xv.copy(), yv, np.int64(iv)]) == expected


def test_read_only_input_in_place_is_performs_error():
    node = IncSubtensor([slice(None)], inplace=True).make_node(T.dvector(), T.dscalar())
    assert has_c_code(node)
    a = np.zeros(3)
    a.flags.writeable = False
    expected = error_of(run_perform, node, [a, np.asarray(1.0)])
    assert expected is not None and expected[0] is ValueError
    assert error_of(run_c_thunk, node, [a, np.asarray(1.0)]) == expected
    # Not in place, a read-only input is copied: fine.
    node = IncSubtensor([slice(None)]).make_node(T.dvector(), T.dscalar())
    out, _ = run_c_thunk(node, [a, np.asarray(1.0)])
    np.testing.assert_array_equal(out, [1.0, 1.0, 1.0])


@pytest.mark.parametrize("set_", [False, True])
@pytest.mark.parametrize("dtype", ["float64", "int32", "complex128"])
def test_value_overlapping_its_region_in_place(set_, dtype):
    # x[1:] op= x[:-1] and x[::-1] op= x, y a view of x: as numpy (it copies y first).
    for index, view in [([slice(1, None)], lambda a: a[:-1]),
                        ([slice(None, None, -1)], lambda a: a),
                        ([slice(None, -1)], lambda a: a[1:])]:
        pattern, scalars = _pattern(index)
        node = IncSubtensor(pattern, inplace=True, set_instead_of_inc=set_).make_node(
            TensorType(dtype, (False,))(), TensorType(dtype, (False,))(),
            *[scal.int64() for _ in scalars])
        a, b = np.arange(6).astype(dtype), np.arange(6).astype(dtype)
        expected = run_perform(node, [a, view(a)] + scalars)
        out, thunk = run_c_thunk(node, [b, view(b)] + scalars)
        assert out is b and thunk.c_calls == 1
        np.testing.assert_array_equal(out, expected)


def test_output_buffer_reused_only_when_nothing_holds_it():
    node = IncSubtensor([slice(None, scal.int64)]).make_node(T.dmatrix(), T.dvector(),
                                                             scal.int64())
    thunk_class, args = node.op.c_thunk(node)
    xs, ys, outs = [np.zeros((3, 2))], [np.ones(2)], [None]
    thunk = thunk_class(node, [xs, ys, [np.int64(2)]], [outs], node.op.perform, *args)
    thunk()
    first = outs[0]
    thunk()
    assert outs[0] is not first  # the caller still holds the first result
    np.testing.assert_array_equal(first, [[1, 1], [1, 1], [0, 0]])
    address = outs[0].ctypes.data
    first = None
    xs[0] = np.full((3, 2), 5.0)
    thunk()
    assert outs[0].ctypes.data == address  # written into the last call's array
    np.testing.assert_array_equal(outs[0], [[6, 6], [6, 6], [5, 5]])


def test_linker_c_compiles_inc_subtensor_and_infer_shape():
    x, y, i = T.dtensor3(), T.dvector(), T.lscalar()
    outs = [T.inc_subtensor(x[i, ::-1], y), T.set_subtensor(x[:, 1:, 0], 2.0),
            T.inc_subtensor(x[i:, :, -1], y[:1])]
    f = pytheano.function([x, y, i], outs, mode=C_MODE)  # linker 'c' refuses nodes w/o C
    a, b = np.arange(24.0).reshape(2, 3, 4), np.arange(4.0)
    g = pytheano.function([x, y, i], outs, mode=PY_MODE)
    for got, expected in zip(f(a, b, 1), g(a, b, 1)):
        np.testing.assert_array_equal(got, expected)
    check_infer_shape(outs, [x, y, i], [a, b, 1])


def test_in_place_in_an_optimized_function_writes_its_input_buffer():
    # The rewrites make the increment of an intermediate in place: the thunk writes into
    # the intermediate's buffer (no copy) and the result is still right.
    x, y = T.dmatrix(), T.dvector()
    out = T.inc_subtensor((x * 2)[0], y)
    f = pytheano.function([x, y], out, mode=pytheano.compile.mode.Mode(linker="cvm"))
    inc = [t for t in f.vm.thunks if type(t) is IncSubtensorThunk]
    assert len(inc) == 1 and inc[0].node.op.inplace
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(f(a, np.ones(3)), [[1, 3, 5], [6, 8, 10]])
    assert inc[0].c_calls == 1
