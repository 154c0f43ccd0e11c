"""The VM (pytheano/_core/vm.pyx): schedule, garbage collection of intermediates, profiling,
error hook."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano
from pytheano._core.vm import VM, CallableThunk, PerformThunk, UfuncThunk
from pytheano.configparser import change_flags
from tests.toy_ops import add, const, exp, float64, mul


def _chain():
    x = float64("x")
    a = exp(x)
    b = mul(a, const(2))
    c = add(b, x)
    return x, c


def test_runs_thunks_in_order_over_cells():
    calls = []
    cells = [[1], [None], [None]]

    def make(i, src, dst):
        def fn():
            calls.append(i)
            cells[dst][0] = cells[src][0] + 1
        return CallableThunk(None, [cells[src]], [cells[dst]], fn)

    vm = VM([make(0, 0, 1), make(1, 1, 2)], [None, None], [[], []], False)
    vm()
    assert calls == [0, 1] and cells[2][0] == 3


def test_allow_gc_frees_intermediates():
    x, c = _chain()
    with change_flags(allow_gc=True):
        f = pytheano.function([x], c)
    f(1.0)
    intermediates = [cell for v, cell in f.fn.storage_map.items()
                     if v.owner is not None and v not in f.maker.fgraph.outputs]
    assert intermediates and all(cell[0] is None for cell in intermediates)


def test_no_gc_keeps_intermediates():
    x, c = _chain()
    with change_flags(allow_gc=False):
        f = pytheano.function([x], c)
    f(1.0)
    kept = [cell[0] for v, cell in f.fn.storage_map.items()
            if v.owner is not None and v not in f.maker.fgraph.outputs]
    assert kept and all(k is not None for k in kept)
    f.free()
    assert all(cell[0] is None for v, cell in f.fn.storage_map.items()
               if v.owner is not None and v not in f.maker.fgraph.outputs)


def test_profiling_records_per_thunk_time_and_calls():
    x, c = _chain()
    f = pytheano.function([x], c, profile=True)
    for _ in range(3):
        f(1.0)
    assert f.fn.thunk_calls == [3] * len(f.fn.thunks)
    assert all(t >= 0 for t in f.fn.thunk_times)
    assert f.profile.fct_callcount == 3
    assert sum(f.fn.thunk_times) <= f.profile.fct_call_time


def test_error_hook_receives_failing_index():
    seen = []

    def boom():
        raise RuntimeError("boom")

    def ok():
        pass

    cell = [None]
    vm = VM([CallableThunk(None, [], [cell], ok), CallableThunk(None, [], [cell], boom)],
            ["n0", "n1"], [[], []], False, on_error=lambda vm, i: seen.append(i))
    with pytest.raises(RuntimeError, match="boom"):
        vm()
    assert seen == [1]


def test_perform_thunk_passes_params():
    class WithParams:
        def perform(self, node, inputs, out, params):
            out[0][0] = inputs[0] * params

    op = WithParams()
    src, dst = [3], [None]
    PerformThunk(None, [src], [dst], op.perform, 5, True)()
    assert dst[0] == 15


def test_vm_rejects_inconsistent_lengths():
    with pytest.raises(ValueError):
        VM([], [None], [], False)


# UfuncThunk's 0-d path: two 0-d float operands are computed without numpy's ufunc call,
# and must give numpy's value, dtype, type (a 0-d ndarray) and floating-point errors.
_OPS = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide}


def _binary_0d_function(dtype, name):
    import pytheano.tensor as T
    x, y = T.scalar(dtype=dtype), T.scalar(dtype=dtype)
    out = {"add": x + y, "sub": x - y, "mul": x * y, "div": x / y}[name]
    f = pytheano.function([x, y], out)
    (thunk,) = f.fn.thunks
    assert isinstance(thunk, UfuncThunk)
    return f


_SPECIAL = [0.0, -0.0, 1.0, -2.5, np.inf, -np.inf, np.nan, 1e-310, 5e-324, 1e308, -1e308,
            1e-30, 3.4e38, 1e-45, 1.1754944e-38]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", sorted(_OPS))
@settings(max_examples=60, deadline=None)
@given(a=st.one_of(st.floats(), st.sampled_from(_SPECIAL)),
       b=st.one_of(st.floats(), st.sampled_from(_SPECIAL)))
def test_ufunc_thunk_0d_floats_give_numpys_result(dtype, name, a, b):
    f = _binary_0d_function(dtype, name)
    with np.errstate(all="ignore"):
        x, y = np.asarray(a, dtype=dtype), np.asarray(b, dtype=dtype)
        want = np.asarray(_OPS[name](x, y))
        got = f(x, y)
    assert type(got) is np.ndarray and got.shape == () and got.dtype == want.dtype
    assert got.tobytes() == want.tobytes() or (np.isnan(got) and np.isnan(want))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_ufunc_thunk_0d_floats_keep_numpys_floating_point_errors(dtype):
    cases = [("div", 1.0, 0.0), ("mul", 1e30, 1e30 if dtype == "float32" else 1e300),
             ("sub", np.inf, np.inf), ("mul", 1e-30, 1e-30 if dtype == "float32" else 1e-300)]
    for name, a, b in cases:
        f = _binary_0d_function(dtype, name)
        x, y = np.asarray(a, dtype=dtype), np.asarray(b, dtype=dtype)
        with np.errstate(all="raise"):
            with pytest.raises(FloatingPointError):
                _OPS[name](x, y)
            with pytest.raises(FloatingPointError):
                f(x, y)
        with np.errstate(all="raise"):  # a normal result raises nothing
            assert float(f(np.asarray(3.0, dtype=dtype), np.asarray(2.0, dtype=dtype))) \
                == float(_OPS[name](np.asarray(3.0, dtype=dtype), np.asarray(2.0, dtype=dtype)))
