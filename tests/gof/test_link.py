"""Theano's linker modules under their gof names: gof.link, gof.vm (VM_Linker), gof.cc
(DualLinker), on a toy Type whose filter takes only the value (as Theano's tests write)."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano import gof
from pytheano.compile.mode import Mode
from pytheano.gof import cc, link, vm
from pytheano.graph.basic import Apply, Variable
from pytheano.graph.op import Op
from pytheano.graph.type import Type
from pytheano.link.linkers import CVMLinker, VMLinker


class Plain(Type):
    def filter(self, data):
        return float(data)


plain = Plain()


class Add(Op):
    __props__ = ()

    def make_node(self, a, b):
        return Apply(self, [a, b], [Variable(plain, None, None)])

    def perform(self, node, inputs, out):
        out[0][0] = inputs[0] + inputs[1]


def test_gof_link_names_and_a_user_type():
    assert gof.link.PerformLinker is gof.PerformLinker and link.Container is gof.Container
    assert link.LocalLinker is gof.LocalLinker and gof.WrapLinker is link.WrapLinker
    x, y = Variable(plain, None, None, "x"), Variable(plain, None, None, "y")
    fn, inputs, outputs = link.PerformLinker().accept(
        gof.FunctionGraph([x, y], [Add()(x, y)])).make_thunk()
    inputs[0].data, inputs[1].data = 1, 2
    fn()
    assert outputs[0].data == 3.0 and isinstance(inputs[0].data, float)


def test_vm_linker_maps_onto_the_vm_linkers():
    assert type(vm.VM_Linker(c_thunks=False)) is VMLinker
    assert type(vm.VM_Linker(c_thunks=True, allow_gc=False)) is CVMLinker
    assert vm.VM_Linker(allow_gc=False).allow_gc is False
    with pytest.raises(NotImplementedError, match="output_subset"):
        vm.VM_Linker(allow_partial_eval=True)
    a, b = T.dscalars("a", "b")
    names = []
    f = pytheano.function([a, b], a * b + a, mode=Mode(optimizer=None, linker=vm.VM_Linker(
        callback=lambda node, **kw: names.append(type(node.op).__name__))))
    assert f(2, 3) == 8 and len(names) == len(f.maker.fgraph.toposort())


def test_dual_linker_checks_perform_against_c():
    x, y = T.dvectors("x", "y")
    g = gof.FunctionGraph([x, y], [T.exp(x) * y + x])
    f = gof.DualLinker().accept(g).make_function()
    xv, yv = np.array([0.5, 1.0]), np.array([2.0, -1.0])
    np.testing.assert_allclose(f(xv, yv), np.exp(xv) * yv + xv)
    compared = []
    checker = lambda a, b: compared.append((a[0].copy(), b[0].copy()))  # noqa: E731
    gof.DualLinker(checker=checker).accept(g).make_function()(xv, yv)
    assert len(compared) == len(g.toposort())
    for a, b in compared:
        np.testing.assert_allclose(a, b)


def test_dual_linker_default_checker_raises_on_a_mismatch():
    cell = [np.array([1.0, 2.0])]
    cc._default_checker(cell, [np.array([1.0, 2.0 + 1e-12])])  # within float64 tolerance
    with pytest.raises(Exception, match="Output mismatch"):
        cc._default_checker(cell, [np.array([1.0, 2.5])])
    with pytest.raises(Exception, match="Output mismatch"):
        cc._default_checker(cell, [np.array([1.0, 2.0], dtype="float32")])
