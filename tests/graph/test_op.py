"""The Op base class: props, printing, calling, test values."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano._core.graph import Apply
from pytheano.errors import MethodNotDefined
from pytheano.errors import TestValueError as MissingTestValue
from pytheano.graph.op import Op, get_test_value


class Scale(Op):
    __props__ = ("factor", "axis")

    def __init__(self, factor, axis=None):
        self.factor = factor
        self.axis = axis

    def make_node(self, x):
        x = T.as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, out):
        out[0][0] = np.asarray(inputs[0] * self.factor, dtype=node.outputs[0].dtype)


class NoProps(Op):
    def make_node(self, x):
        return Apply(self, [x], [x.type()])


def test_props_str_eq_hash():
    assert str(Scale(2)) == "Scale{factor=2, axis=None}"
    assert Scale(2) == Scale(2) and hash(Scale(2)) == hash(Scale(2))
    assert Scale(2) != Scale(3)
    assert str(NoProps()) == "NoProps"
    assert NoProps() != NoProps()


def test_call_returns_output_with_user_trace():
    x = T.dvector("x")
    y = Scale(2)(x)
    assert y.owner.op == Scale(2)
    assert y.creation_site[0] == __file__
    assert Scale(2)(x, return_list=True)[0].owner.op == Scale(2)


def test_missing_perform_is_method_not_defined():
    x = T.dvector("x")
    y = NoProps()(x)
    f = pytheano.function([x], y)
    with pytest.raises(MethodNotDefined):
        f(np.ones(2))


def test_compute_test_value():
    x = T.dvector("x")
    x.tag.test_value = np.array([1.0, 2.0])
    pytheano.config.compute_test_value = "raise"
    y = Scale(3)(x)
    np.testing.assert_array_equal(get_test_value(y), [3.0, 6.0])
    z = T.dvector("z")
    with pytest.raises(MissingTestValue, match="test value"):
        Scale(3)(z)
    pytheano.config.compute_test_value = "warn"
    with pytest.warns(UserWarning, match="test value"):
        Scale(3)(z)
    pytheano.config.compute_test_value = "off"
    Scale(3)(z)


def test_default_grad_and_rop_say_what_is_missing():
    x = T.dvector("x")
    y = Scale(2)(x)
    with pytest.raises(MethodNotDefined):
        y.owner.op.grad([x], [y])
    with pytest.raises(NotImplementedError, match="R_op"):
        y.owner.op.R_op([x], [x])
