"""The Op base class: props, printing, calling, test values."""
import numpy as np
import pytest

import pytheano
from pytheano._core.graph import Apply
from pytheano.errors import MethodNotDefined
from pytheano.errors import TestValueError as MissingTestValue
from pytheano.graph import op as gop
from pytheano.graph.op import Op, get_test_value
from tests.toy_ops import float64


class Scale(Op):
    __props__ = ("factor", "axis")

    def __init__(self, factor, axis=None):
        self.factor = factor
        self.axis = axis

    def make_node(self, x):
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, out):
        out[0][0] = node.outputs[0].type.filter(inputs[0] * self.factor)


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
    x = float64("x")
    y = Scale(2)(x)
    assert y.owner.op == Scale(2)
    assert y.creation_site[0] == __file__
    assert Scale(2)(x, return_list=True)[0].owner.op == Scale(2)


def test_missing_perform_is_method_not_defined():
    x = float64("x")
    y = NoProps()(x)
    f = pytheano.function([x], y)
    with pytest.raises(MethodNotDefined):
        f(1.0)


def test_compute_test_value():
    x = float64("x")
    x.tag.test_value = float64.filter(1.5)
    pytheano.config.compute_test_value = "raise"
    y = Scale(3)(x)
    assert get_test_value(y) == 4.5
    z = float64("z")
    with pytest.raises(MissingTestValue, match="test value"):
        Scale(3)(z)
    pytheano.config.compute_test_value = "warn"
    with pytest.warns(UserWarning, match="test value"):
        Scale(3)(z)
    pytheano.config.compute_test_value = "off"
    Scale(3)(z)


def test_default_grad_and_rop_say_what_is_missing():
    x = float64("x")
    y = Scale(2)(x)
    with pytest.raises(MethodNotDefined):
        y.owner.op.grad([x], [y])
    with pytest.raises(NotImplementedError, match="R_op"):
        y.owner.op.R_op([x], [x])


class DoubleOp(Op):
    """Theano's TestMakeThunk.test_no_make_node: itypes/otypes and no make_node."""

    __props__ = ()
    itypes = [float64]
    otypes = [float64]

    def perform(self, node, inputs, outputs):
        outputs[0][0] = inputs[0] * 2


def test_itypes_otypes_make_the_node():
    x = float64("x")
    y = DoubleOp()(x)
    assert y.type == float64
    assert pytheano.function([x], y)(3.0) == 6.0
    with pytest.raises(ValueError, match="We expected 1 inputs but got 2"):
        DoubleOp()(x, x)
    with pytest.raises(TypeError, match="We expected inputs of types"):
        DoubleOp()(pytheano.tensor.dvector())


def test_get_debug_values_and_debug_error_message():
    """Theano's gof/test_op.py helpers for the test-value debugger."""
    x = float64("x")
    for value in ([0, 1, 2], 0, 0.5, np.zeros((2, 2))):
        np.testing.assert_array_equal(get_test_value(value), value)
    old = pytheano.config.compute_test_value
    try:
        pytheano.config.compute_test_value = "off"
        assert gop.get_debug_values(x) == []
        pytheano.config.compute_test_value = "ignore"
        assert gop.get_debug_values(x) == []  # x has no test value: the loop does not run
        x.tag.test_value = 2.0
        assert gop.get_debug_values(x) == [2.0]
        assert gop.get_debug_values(x, np.zeros(3))[0][1].shape == (3,)
        for mode in ("ignore", "raise"):
            pytheano.config.compute_test_value = mode
            with pytest.raises(ValueError, match="msg"):
                gop.debug_error_message("msg")
        pytheano.config.compute_test_value = "raise"
        with pytest.raises(MissingTestValue, match="Argument 0\\('y'\\) has no test value"):
            gop.get_debug_values(float64("y"))
        with pytest.raises(AttributeError):  # Theano's class for it
            gop.get_debug_values(float64("y"))
        pytheano.config.compute_test_value = "warn"
        with pytest.warns(UserWarning, match="msg"):
            gop.debug_error_message("msg")
    finally:
        pytheano.config.compute_test_value = old


def test_c_code_is_not_defined_by_default():
    x = float64("x")
    with pytest.raises(MethodNotDefined):
        DoubleOp()(x).owner.op.c_code(None, "o", ["x"], "z", {"fail": ""})
