"""Ops written for Theano 1.0 (``theano.Op``, ``gof.Op``, ``infer_shape(node, shapes)``)."""
import numpy as np
import pytest

import pytheano as theano
import pytheano.tensor as T
from helpers import check_infer_shape
from pytheano import gof
from pytheano.graph.op import infer_shape


class DoubleOp(theano.Op):
    """The 'Creating a new Op' example of Theano's documentation, unchanged."""

    __props__ = ()

    def make_node(self, x):
        x = theano.tensor.as_tensor_variable(x)
        return theano.Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage):
        x = inputs[0]
        z = output_storage[0]
        z[0] = x * 2

    def infer_shape(self, node, i0_shapes):
        return i0_shapes

    def grad(self, inputs, output_grads):
        return [output_grads[0] * 2]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return eval_points
        return self.grad(inputs, eval_points)


class AXPBOp(gof.Op):
    __props__ = ("a", "b")

    def __init__(self, a, b):
        self.a = a
        self.b = b
        super().__init__()

    def make_node(self, x):
        x = theano.tensor.as_tensor_variable(x)
        return theano.Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = self.a * inputs[0] + self.b

    def infer_shape(self, node, i0_shapes):
        return i0_shapes

    def grad(self, inputs, output_grads):
        return [self.a * output_grads[0]]


def test_theano_documentation_op():
    x = T.matrix()
    f = theano.function([x], DoubleOp()(x))
    inp = np.random.rand(5, 4)
    np.testing.assert_allclose(f(inp), inp * 2)
    check_infer_shape([DoubleOp()(x)], [x], [inp])
    theano.gradient.verify_grad(DoubleOp(), [np.random.rand(5, 7, 2)],
                                rng=np.random.RandomState(1))
    r = theano.gradient.Rop(DoubleOp()(x).sum(axis=1), x, T.ones_like(x))
    np.testing.assert_allclose(theano.function([x], r)(inp), np.full(5, 8.0))


def test_gof_op_with_props():
    op = AXPBOp(4, 5)
    assert str(op) == "AXPBOp{a=4, b=5}" and op == AXPBOp(4, 5) and op != AXPBOp(4, 6)
    x = T.dmatrix()
    np.testing.assert_array_equal(theano.function([x], op(x))(np.ones((1, 2))), [[9.0, 9.0]])


def test_infer_shape_dispatches_on_signature():
    x = T.dmatrix("x")
    node = DoubleOp()(x).owner
    assert infer_shape(None, node, [(2, 3)]) == [(2, 3)]
    node = T.exp(x).owner  # pytheano signature: (fgraph, node, shapes)
    assert infer_shape(None, node, [(2, 3)]) == [(2, 3)]


def test_gof_module_paths():
    import importlib

    assert gof.Apply is theano.Apply and gof.Variable is theano.Variable
    assert importlib.import_module("pytheano.gof.graph").io_toposort is gof.io_toposort
    from pytheano.gof.fg import FunctionGraph

    assert FunctionGraph is gof.FunctionGraph
    with pytest.raises(gof.MethodNotDefined):
        gof.Op().make_node()


def test_theano_gof_paths_for_op_utils_and_cached_constant_error():
    from pytheano.gof import CachedConstantError, op
    assert op.utils.MethodNotDefined is theano.errors.MethodNotDefined
    assert issubclass(CachedConstantError, Exception)
