"""Graph structures (pytheano/_core/graph.pyx): construction, walks, cloning, printing."""
import copy
import pickle

import numpy as np
import pytest

from pytheano._core.graph import (Apply, Constant, Variable, ancestors, clone, clone_get_equiv,
                                  graph_inputs, io_toposort, is_in_ancestors, orphans_between,
                                  user_location, variables_between)
from pytheano.graph.op import Op
from pytheano.graph.type import Generic, generic


class Pair(Op):
    """Toy op: two inputs, one output, all Generic."""

    __props__ = ("tag_",)

    def __init__(self, tag_="p"):
        self.tag_ = tag_

    def make_node(self, a, b):
        return Apply(self, [a, b], [generic()])

    def perform(self, node, inputs, out):
        out[0][0] = (inputs[0], inputs[1])


class Split(Op):
    __props__ = ()
    default_output = 1

    def make_node(self, a):
        return Apply(self, [a], [generic(), generic()])


def test_variable_str_and_owner():
    x = generic("x")
    y = generic()
    z = Pair()(x, y)
    assert str(x) == "x"
    assert str(y) == "<Generic>"
    assert z.owner.op == Pair() and z.index == 0
    assert str(z) == "Pair{tag_='p'}.0"
    assert str(z.owner) == "Pair{tag_='p'}(x, <Generic>)"
    assert z.owner.inputs == [x, y]


def test_default_output_str_and_call():
    a = generic("a")
    out = Split()(a)
    assert out is out.owner.outputs[1]
    assert str(out) == "Split.out"
    assert str(out.owner.outputs[0]) == "Split.0"


def test_apply_rejects_non_variables():
    with pytest.raises(TypeError, match="Variable"):
        Apply(Pair(), [1, 2], [generic()])


def test_output_owned_by_other_apply_rejected():
    x, y = generic("x"), generic("y")
    z = Pair()(x, y)
    with pytest.raises(ValueError):
        Apply(Pair(), [x, y], [z])


def test_op_props_equality_and_hash():
    assert Pair("a") == Pair("a")
    assert hash(Pair("a")) == hash(Pair("a"))
    assert Pair("a") != Pair("b")


def test_toposort_orders_dependencies_first():
    x, y = generic("x"), generic("y")
    a = Pair()(x, y)
    b = Pair()(a, x)
    c = Pair()(b, a)
    order = io_toposort([x, y], [c])
    assert order == [a.owner, b.owner, c.owner]


def test_toposort_with_orderings():
    x, y = generic("x"), generic("y")
    a = Pair("a")(x, y)
    b = Pair("b")(x, y)
    out = Pair()(a, b)
    order = io_toposort([x, y], [out], {a.owner: [b.owner]})
    assert order.index(b.owner) < order.index(a.owner)


def test_toposort_detects_cycle_in_orderings():
    x, y = generic("x"), generic("y")
    a = Pair("a")(x, y)
    b = Pair("b")(a, y)
    with pytest.raises(ValueError):
        io_toposort([x, y], [b], {a.owner: [b.owner]})


def test_deep_graph_has_no_recursion_limit():
    x = generic("x")
    v = x
    for _ in range(5000):
        v = Pair()(v, x)
    order = io_toposort([x], [v])
    assert len(order) == 5000
    assert len(ancestors([v])) == 5001
    cin, cout = clone([x], [v])
    assert cout[0] is not v and cout[0].owner.op == v.owner.op


def test_walks():
    x, y, k = generic("x"), generic("y"), Constant(generic, 3)
    a = Pair()(x, k)
    b = Pair()(a, y)
    assert set(graph_inputs([b])) == {x, y, k}
    assert set(variables_between([x, y], [b])) >= {x, y, a, b}
    assert orphans_between([x, y], [b]) == [k] or list(orphans_between([x, y], [b])) == [k]
    assert is_in_ancestors(b.owner, a.owner)
    assert not is_in_ancestors(a.owner, b.owner)


def test_clone_get_equiv_maps_everything():
    x, y = generic("x"), generic("y")
    a = Pair()(x, y)
    equiv = clone_get_equiv([x, y], [a])
    assert equiv[x] is not x and equiv[x].name == "x"
    assert equiv[a].owner is equiv[a.owner]
    assert equiv[a].owner.inputs == [equiv[x], equiv[y]]
    keep = clone_get_equiv([x, y], [a], copy_inputs=False)
    assert keep[x] is x


def test_constant_str_and_equals():
    c = Constant(generic, 5)
    assert str(c) == "Constant{5}"
    assert c.equals(Constant(generic, 5))
    assert not c.equals(Constant(generic, 6))
    long = Constant(generic, "x" * 40)
    assert str(long) == "Constant{" + "x" * 10 + "..." + "x" * 10 + "}"


def test_tag_and_trace():
    x = generic("x")
    x.tag.test_value = 3
    assert x.tag.test_value == 3
    a = Pair()(x, x)
    assert a.creation_site[0] == __file__
    assert a.creation_site[2] == "test_tag_and_trace"
    assert user_location()[0] == __file__


def test_pickle_roundtrip():
    x, y = generic("x"), generic("y")
    a = Pair("q")(x, y)
    a2 = pickle.loads(pickle.dumps(a))
    assert a2.owner.op == Pair("q")
    assert [str(i) for i in a2.owner.inputs] == ["x", "y"]


def test_deepcopy_keeps_the_variable_owner_cycle():
    # copy.deepcopy of a graph (and of a compiled function) must keep v.owner.outputs[i] is v.
    x, y = generic("x"), generic("y")
    b = Pair("q")(Pair("r")(x, y), y)
    for copied in (copy.deepcopy(b), pickle.loads(pickle.dumps(b))):
        inner = copied.owner.inputs[0]
        assert inner.owner.outputs[0] is inner and copied.owner.outputs[0] is copied
        assert copied.owner.inputs[1] is inner.owner.inputs[1]  # y stays one variable


def test_clone_with_new_inputs_strict_converts_or_refuses():
    from tests.toy_ops import add, float32, float64

    x = float64("x")
    y = add(x, x)
    z = float32("z")
    with pytest.raises(TypeError):
        y.owner.clone_with_new_inputs([z, z], strict=True)
    node = y.owner.clone_with_new_inputs([z, z], strict=False)
    assert node.outputs[0].type.dtype == "float32"


def test_generic_type_identity():
    assert Generic() == generic
    assert isinstance(generic(), Variable)
    assert np.asarray(generic.filter([1]))[0] == 1
