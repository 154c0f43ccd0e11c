"""WrapLinker and CallbackLinker (pytheano/link/hooked.py): the wrapper sees every node with
each linker's thunk, the linkers' storages are separate, and both work under a Mode."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano._core.fgraph import FunctionGraph
from pytheano._core.graph import Constant
from pytheano.compile.mode import Mode
from pytheano.ifelse import ifelse
from pytheano.link.hooked import CallbackLinker, WrapLinker, WrapLinkerMany
from pytheano.link.linkers import PerformLinker, VMLinker


def _graph():
    x, y = T.dvectors("x", "y")
    out = T.exp(x * y) + x
    return x, y, out


def test_wrapper_sees_each_node_with_every_linkers_thunk():
    x, y, out = _graph()
    fgraph = FunctionGraph([x, y], [out])
    seen = []

    def wrapper(i, node, first, second):
        seen.append((i, node))
        first()
        second()
        assert first.output_cells is not second.output_cells  # separate storage
        for a, b in zip(first.output_cells, second.output_cells):
            np.testing.assert_array_equal(a[0], b[0])

    linker = WrapLinker([PerformLinker(allow_gc=False), VMLinker(allow_gc=False)], wrapper)
    f = linker.accept(fgraph).make_function()
    xv, yv = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    np.testing.assert_allclose(f(xv, yv), np.exp(xv * yv) + xv)
    assert [i for i, _ in seen] == list(range(len(fgraph.toposort())))
    assert [n for _, n in seen] == fgraph.toposort()


def test_wrapper_that_skips_a_thunk_leaves_the_output_empty():
    x, y, out = _graph()
    linker = WrapLinker([PerformLinker(allow_gc=False)], lambda i, node, th: None)
    fn, inputs, outputs = linker.accept(FunctionGraph([x, y], [out])).make_thunk()
    inputs[0].data, inputs[1].data = np.ones(2), np.ones(2)
    fn()
    assert outputs[0].data is None


def test_each_linker_reads_its_own_copy_of_the_inputs():
    x = T.dvector("x")
    second = []

    def wrapper(i, node, a, b):
        a()
        k = [v.owner is None and not isinstance(v, Constant) for v in node.inputs].index(True)
        a.input_cells[k][0][0] = 99.0  # what an in-place node of the first linker would do
        b()
        second.append(b.output_cells[0][0].copy())

    f = pytheano.function([x], x * 2, mode=Mode(
        linker=WrapLinker([PerformLinker(), PerformLinker()], wrapper)))
    np.testing.assert_array_equal(f(np.array([1.0, 2.0])), [2.0, 4.0])
    np.testing.assert_array_equal(second[0], [2.0, 4.0])


def test_under_a_mode_and_with_many_wrappers():
    x, y, out = _graph()
    calls = []
    linker = WrapLinkerMany([VMLinker()], [lambda i, node, th: calls.append(i),
                                           lambda i, node, th: th()])
    f = pytheano.function([x, y], out, mode=Mode(linker=linker))
    xv = np.array([1.0, 3.0])
    np.testing.assert_allclose(f(xv, xv), np.exp(xv * xv) + xv)
    n = len(f.maker.fgraph.toposort())
    f(xv, xv)
    assert calls == list(range(n)) * 2


def test_lazy_nodes_are_refused_clearly():
    a, b = T.dscalars("a", "b")
    with pytest.raises(NotImplementedError, match="WrapLinker cannot wrap the lazy node"):
        pytheano.function([a, b], ifelse(a, b * 2, b * 3),
                          mode=Mode(linker=WrapLinker([VMLinker()], lambda i, n, t: t())))


def test_callback_linker():
    a, b, c = T.dscalars("a", "b", "c")
    counts, inputs = {}, []

    def callback(node, thunk, storage_map, compute_map):
        counts[type(node.op).__name__] = counts.get(type(node.op).__name__, 0) + 1
        assert all(compute_map[v][0] for v in node.outputs)
        assert storage_map[node.outputs[0]][0] is not None

    f = pytheano.function([a, b, c], (a + b) * c, mode=Mode(
        optimizer=None, linker=CallbackLinker(callback, lambda v, val: inputs.append(val),
                                              c_thunks=False)))
    assert f(1, 2, 3) == 9
    n = len(f.maker.fgraph.toposort())
    assert sum(counts.values()) == n and sorted(inputs) == [1, 2, 3]
    f(1, 2, 3)
    assert sum(counts.values()) == 2 * n and len(inputs) == 6
