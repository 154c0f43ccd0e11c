"""The C of Alloc against its perform: values of every dtype and rank broadcast over shapes
given by integer scalars of several dtypes (zero lengths too), non-contiguous values, and
the errors perform raises (a negative length, a value that does not broadcast)."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytheano
from pytheano._core.cthunk_array import ArrayCThunk
from pytheano.tensor.basic import alloc
from pytheano.tensor.type import TensorType
from tests.helpers import C_MODE, LAYOUTS, PY_MODE, memory_layout, outcome

pytestmark = pytest.mark.skipif(not pytheano.config.cxx, reason="no C compiler (cxx='')")

_functions = {}


def _compiled(dtype, vdim):
    if (dtype, vdim) not in _functions:
        v = TensorType(dtype, (False,) * vdim)("v")
        n = [TensorType(d, ())("n%d" % k) for k, d in enumerate(["int64", "int8", "int32"])]
        outs = [alloc(v, *n[3 - k:]) for k in range(vdim, 4)]
        f_c = pytheano.function([v] + n, outs, mode=C_MODE)
        f_py = pytheano.function([v] + n, outs, mode=PY_MODE)
        assert all(isinstance(t, ArrayCThunk) for t in f_c.vm.thunks)
        _functions[dtype, vdim] = f_c, f_py
    return _functions[dtype, vdim]


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["float64", "float32", "int64", "uint8", "bool"]), st.integers(0, 2),
       st.lists(st.integers(-1, 4), min_size=3, max_size=3), st.data())
def test_alloc_matches_perform(dtype, vdim, lengths, data):
    f_c, f_py = _compiled(dtype, vdim)
    vshape = tuple(data.draw(st.sampled_from([1, lengths[3 - vdim + e] if
                                              lengths[3 - vdim + e] >= 0 else 1, 2]))
                   for e in range(vdim))
    layout = data.draw(st.sampled_from(LAYOUTS))
    value = (np.random.default_rng(0).standard_normal(vshape) * 5).astype(dtype)
    args = [memory_layout(value, layout)] + [np.asarray(n, dtype=d) for n, d in
                                       zip(lengths, ["int64", "int8", "int32"])]
    expected, e_err = outcome(f_py, args)
    got, g_err = outcome(f_c, args)
    assert g_err == e_err
    if expected is not None:
        for g, e in zip(got, expected):
            assert g.dtype == e.dtype
            np.testing.assert_array_equal(g, e)


def test_alloc_c_runs_and_refills_a_reused_buffer():
    f_c, _ = _compiled("float64", 1)
    n = [np.asarray(2, "int64"), np.asarray(3, "int8"), np.asarray(4, "int32")]
    before = [t.c_calls for t in f_c.vm.thunks]
    first = f_c(np.arange(4.0), *n)[-1].copy()
    second = f_c(np.ones(4), *n)[-1]
    np.testing.assert_array_equal(first, np.broadcast_to(np.arange(4.0), (2, 3, 4)))
    np.testing.assert_array_equal(second, np.ones((2, 3, 4)))
    assert [t.c_calls - b for t, b in zip(f_c.vm.thunks, before)] == [2] * len(before)
