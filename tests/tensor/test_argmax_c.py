"""The C of MaxAndArgmax and Argmax (reduction._argmax_c) against their perform: every dtype
with C, any set of axes (none, one, several, all), ties (the first wins), NaN and infinities
(numpy's: the first NaN wins), non-contiguous and negative strides, zero-size and 0-d
inputs; an empty reduced axis raises perform's error, with its message."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano._core.cthunk_array import ArrayCThunk
from pytheano.link.thunks import has_c_code
from pytheano.tensor.reduction import Argmax, MaxAndArgmax
from pytheano.tensor.type import TensorType
from tests.helpers import ALL_DTYPES, C_MODE, LAYOUTS, PY_MODE, check_infer_shape, \
    memory_layout

pytestmark = pytest.mark.skipif(not pytheano.config.cxx, reason="no C compiler (cxx='')")

SETTINGS = settings(max_examples=120, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

DTYPES = ALL_DTYPES + ("uint16", "uint32", "uint64")

_functions = {}


def functions(dtype, ndim, axes):
    """(the C function, the perform function) of [max, argmax, argmax alone] over axes."""
    key = (dtype, ndim, tuple(axes))
    if key not in _functions:
        x = TensorType(dtype, (False,) * ndim)("x")
        outs = MaxAndArgmax(axes)(x) + [Argmax(axes)(x)]
        f_c = pytheano.function([x], outs, mode=C_MODE)
        assert all(type(t) is ArrayCThunk for t in f_c.vm.thunks)
        _functions[key] = (f_c, pytheano.function([x], outs, mode=PY_MODE))
    return _functions[key]


def error_of(f, *args):
    try:
        return f(*args), None
    except Exception as e:  # noqa: BLE001 -- class and message are compared
        return None, (type(e), str(e))


@st.composite
def cases(draw):
    ndim = draw(st.integers(0, 3))
    shp = tuple(draw(st.lists(st.integers(0, 4), min_size=ndim, max_size=ndim)))
    axes = sorted(draw(st.sets(st.integers(0, ndim - 1), max_size=ndim))) if ndim else []
    return shp, axes


@SETTINGS
@given(cases(), st.sampled_from(DTYPES), st.sampled_from(LAYOUTS), st.data())
def test_max_and_argmax_as_perform(case, dtype, layout, data):
    shp, axes = case
    n = int(np.prod(shp))
    # Few distinct values: ties everywhere.
    raw = np.asarray(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)))
    if dtype == "bool":
        values = raw % 2 == 1
    elif np.dtype(dtype).kind == "f":
        special = np.array([np.nan, np.inf, -np.inf, -0.0])
        values = np.where(raw == 3, special[np.asarray(
            data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=int)],
            raw).astype(dtype)
    elif np.dtype(dtype).kind == "u":
        values = (np.array(np.iinfo(dtype).max, dtype=dtype) - raw.astype(dtype))
    else:
        values = (raw - 2).astype(dtype) * np.iinfo(dtype).max // 2
    a = memory_layout(np.asarray(values, dtype=dtype).reshape(shp), layout)
    f_c, f_py = functions(dtype, len(shp), axes)
    expected, e_err = error_of(f_py, a)
    got, g_err = error_of(f_c, a)
    assert g_err == e_err
    if e_err is not None:
        return
    for g, e in zip(got, expected):
        assert g.dtype == e.dtype and g.shape == e.shape
        np.testing.assert_array_equal(g, e)


@pytest.mark.parametrize("dtype", ["float64", "int32"])
def test_an_empty_reduced_axis_raises_performs_error(dtype):
    for axes in [(0,), (1,), (0, 1)]:
        f_c, f_py = functions(dtype, 2, axes)
        a = np.zeros((0, 3), dtype=dtype) if 0 in axes else np.zeros((3, 0), dtype=dtype)
        expected = error_of(f_py, a)[1]
        assert expected is not None and expected[0] is ValueError
        assert error_of(f_c, a)[1] == expected
    # A kept axis of length 0 is fine: empty outputs.
    f_c, f_py = functions(dtype, 2, (1,))
    got = f_c(np.zeros((0, 3), dtype=dtype))
    assert [g.shape for g in got] == [(0,)] * 3


def test_nan_positions_as_numpy():
    f_c, _ = functions("float32", 2, (1,))
    a = np.array([[1, np.nan, 3, np.nan], [np.nan, 5, 6, 7], [1, 2, 3, np.inf],
                  [-np.inf, -np.inf, -np.inf, -np.inf]], dtype="float32")
    mx, am, am2 = f_c(a)
    np.testing.assert_array_equal(mx, np.max(a, axis=1))
    np.testing.assert_array_equal(am, np.argmax(a, axis=1))
    np.testing.assert_array_equal(am2, am)


def test_dtypes_without_c_run_perform():
    for dtype in ["float16", "complex128"]:
        x = TensorType(dtype, (False,))()
        assert not has_c_code(MaxAndArgmax((0,))(x)[0].owner)
        assert not has_c_code(Argmax((0,))(x).owner)


def test_t_max_argmax_in_a_default_function_run_c_and_infer_shape():
    x = T.dtensor3()
    outs = [T.max(x, axis=[0, 2]), T.argmax(x, axis=1), T.max_and_argmax(x)[1]]
    f = pytheano.function([x], outs)
    a = np.random.default_rng(0).standard_normal((3, 4, 5))
    got = f(a)
    np.testing.assert_array_equal(got[0], a.max(axis=(0, 2)))
    np.testing.assert_array_equal(got[1], a.argmax(axis=1))
    assert got[2] == a.argmax()
    check_infer_shape([MaxAndArgmax((0, 2))(x)[1], Argmax((1,))(x)], [x], [a])
