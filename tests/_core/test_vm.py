"""The VM (pytheano/_core/vm.pyx): schedule, garbage collection of intermediates, profiling,
error hook."""
import pytest

import pytheano
from pytheano._core.vm import VM, CallableThunk, PerformThunk
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
