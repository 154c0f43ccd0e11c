"""Linkers (pytheano/link/linkers.py, thunks.py): the registry, the thunk chosen per node,
allow_gc, and make_all's per-node times; on toy ops."""
import numpy as np
import pytest

import pytheano
from pytheano._core.fgraph import FunctionGraph
from pytheano._core.vm import CallableThunk, PerformThunk, UfuncThunk
from pytheano.compile.mode import Mode
from pytheano.graph.op import UfuncKernel
from pytheano.errors import UnknownNameError as UnknownLinkerError
from pytheano.link.linkers import (Linker, OpWiseCLinker, PerformLinker, VMLinker,
                                   get_linker, linker_registry, register_linker)
from tests.toy_ops import Binary, exp, float64, mul


class UfuncAdd(Binary):
    """add, declaring that np.add computes it (so 'vm' may skip perform)."""

    def __init__(self):
        Binary.__init__(self, "add")

    def ufunc_kernel(self, node):
        return UfuncKernel(np.add, "float64", [(), ()])


class SelfRunning(Binary):
    """mul, running itself (Theano's make_thunk override)."""

    def __init__(self):
        Binary.__init__(self, "mul")

    def make_thunk(self, node, storage_map, compute_map, no_recycling, impl=None):
        ins = [storage_map[v] for v in node.inputs]
        out = storage_map[node.outputs[0]]

        def thunk():
            out[0] = ins[0][0] * ins[1][0]
        return thunk


ufunc_add = UfuncAdd()


def _graph():
    """out = exp(x) * (x + y), with x + y computable by a ufunc."""
    x, y = float64("x"), float64("y")
    s = ufunc_add(x, y)
    e = exp(x)
    out = SelfRunning()(e, s)
    return FunctionGraph([x, y], [out], clone=False), s, e


def _make(linker, values=(1.0, 2.0)):
    fg, s, e = _graph()
    cells = {v: [float64.filter(val)] for v, val in zip(fg.inputs, values)}
    vm, storage_map, times = linker.make_all(fg, cells)
    return fg, s, e, vm, storage_map, times


def test_registry_has_theano_names_and_nogc_variants():
    assert {"py", "vm", "cvm", "c|py", "c", "vm_nogc", "cvm_nogc", "c|py_nogc"} <= set(
        linker_registry)
    for name, linker in linker_registry.items():
        assert isinstance(linker, Linker) and linker.name == name
        assert get_linker(name) is linker
        assert (linker.allow_gc is False) == name.endswith("_nogc")
    assert isinstance(linker_registry["py"], PerformLinker)
    assert get_linker(linker_registry["vm"]) is linker_registry["vm"]
    with pytest.raises(UnknownLinkerError, match="the linkers are") as info:
        get_linker("no_such_linker")
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)


def test_register_linker_names_it_and_modes_find_it():
    linker = register_linker("toy_linker_for_test", VMLinker())
    try:
        assert linker.name == "toy_linker_for_test"
        assert Mode("toy_linker_for_test", None).linker is linker
    finally:
        del linker_registry["toy_linker_for_test"]


def test_ufunc_fast_path_only_in_vm():
    fg, s, e, vm, _, _ = _make(PerformLinker())
    kinds = {node.op.name: type(t) for node, t in zip(vm.nodes, vm.thunks)}
    assert kinds == {"add": PerformThunk, "exp": PerformThunk, "mul": CallableThunk}
    fg, s, e, vm, _, _ = _make(VMLinker())
    kinds = {node.op.name: type(t) for node, t in zip(vm.nodes, vm.thunks)}
    assert kinds == {"add": UfuncThunk, "exp": PerformThunk, "mul": CallableThunk}


@pytest.mark.parametrize("linker_cls", [PerformLinker, VMLinker])
def test_allow_gc_frees_or_keeps_intermediates(linker_cls):
    expected = np.exp(1.0) * 3.0
    fg, s, e, vm, storage_map, _ = _make(linker_cls(allow_gc=True))
    vm()
    assert np.isclose(storage_map[fg.outputs[0]][0], expected)
    assert storage_map[s][0] is None and storage_map[e][0] is None
    assert storage_map[fg.inputs[0]][0] == 1.0  # inputs are never freed
    fg, s, e, vm, storage_map, _ = _make(linker_cls(allow_gc=False))
    vm()
    assert np.isclose(storage_map[fg.outputs[0]][0], expected)
    assert storage_map[s][0] == 3.0 and np.isclose(storage_map[e][0], np.exp(1.0))


def test_make_all_times_every_node():
    fg, _, _, vm, _, times = _make(VMLinker())
    assert set(times) == set(fg.apply_nodes) == set(vm.nodes)
    assert all(isinstance(t, float) and t >= 0 for t in times.values())


def test_every_registered_linker_computes_the_same():
    x, y = float64("x"), float64("y")
    out = mul(exp(x), ufunc_add(x, y))
    for name in linker_registry:
        if linker_registry[name].requires_c:
            continue  # the toy ops have no C: test_linker_c_refuses_a_node_without_c
        f = pytheano.function([x, y], out, mode=Mode(name, None))
        assert np.isclose(f(1.0, 2.0), np.exp(1.0) * 3.0), name
        assert set(f.maker.make_thunk_times) == set(f.maker.fgraph.apply_nodes), name


def test_linker_c_refuses_a_node_without_c():
    import pytheano.tensor as T

    x = T.dvector("x")
    out = T.sort(x) * 2
    with pytest.raises(NotImplementedError) as info:
        pytheano.function([x], out, mode=Mode("c", None))
    message = str(info.value)
    assert "SortOp" in message and "cannot produce C code" in message and "cvm" in message
    # OpWiseCLinker (Theano's name) and 'cvm' run the sort's perform and the product's C.
    for linker in (OpWiseCLinker(), "cvm"):
        f = pytheano.function([x], out, mode=Mode(linker, None))
        np.testing.assert_array_equal(f([3.0, 1.0, 2.0]), [2.0, 4.0, 6.0])
    # Linker 'c' takes a graph whose every node has C, and constant-only nodes (what
    # constant folding would compute) wherever they are.
    f = pytheano.function([x], x * 2 + T.sort(T.constant([2.0, 1.0]))[0],
                          mode=Mode("c", None))
    np.testing.assert_array_equal(f([1.0, 2.0]), [3.0, 5.0])


def test_debugmode_runs_the_perform_of_a_node_without_c():
    import pytheano.tensor as T
    from pytheano.compile.debugmode import DebugMode

    x = T.dvector("x")
    f = pytheano.function([x], T.sort(x) * 2, mode=DebugMode(optimizer=None))
    np.testing.assert_array_equal(f([3.0, 1.0]), [2.0, 6.0])


def test_schedule_sets_the_order_of_the_nodes():
    import pytheano.tensor as T
    from pytheano.link.hooked import WrapLinker

    x = T.dvector("x")
    outs = [T.exp(x), T.sin(x), T.cos(x)]
    fgraph = FunctionGraph([x], outs)
    backwards = list(reversed(fgraph.toposort()))  # independent nodes: any order is valid
    seen = []
    linker = WrapLinker([VMLinker(schedule=lambda fg: list(reversed(fg.toposort())))],
                        lambda i, node, th: (seen.append(node), th()))
    f = linker.accept(fgraph).make_function()
    xv = np.array([0.5, 1.0])
    for got, want in zip(f(xv), (np.exp(xv), np.sin(xv), np.cos(xv))):
        np.testing.assert_allclose(got, want)
    assert seen == backwards
