"""Assert: pass a value through, raising at run time when a condition is false.

Theano's ``theano.tensor.opt.Assert`` / ``assert_op``; used where a graph must check what only
the run-time values can tell (e.g. ``bincount(assert_nonneg=True)``).
"""
import numpy as np

from pytheano._core.graph import Apply
from pytheano.graph.op import Op
from pytheano.tensor.basic import (NotScalarConstantError, as_tensor_variable,
                                   get_scalar_constant_value)
from pytheano.graph.grad_types import DisconnectedType


class Assert(Op):
    """``Assert(msg)(x, *conditions)`` returns ``x``; raises AssertionError(msg) when a
    condition (a scalar) is false."""

    view_map = {0: [0]}
    __props__ = ("msg",)

    def __init__(self, msg="Theano Assert failed!"):
        self.msg = msg

    def __str__(self):
        return "Assert{msg='%s'}" % self.msg

    def make_node(self, value, *conds):
        value = as_tensor_variable(value)
        conds = [as_tensor_variable(c) for c in conds]
        for c in conds:
            if c.ndim != 0:
                raise TypeError("Assert: each condition must be a scalar, got %s" % (c.type,))
        return Apply(self, [value] + conds, [value.type()])

    def perform(self, node, inputs, output_storage):
        value, conds = inputs[0], inputs[1:]
        for c in conds:
            if not np.all(c):
                raise AssertionError(self.msg)
        output_storage[0][0] = value

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0]]

    def connection_pattern(self, node):
        return [[True]] + [[False] for _ in node.inputs[1:]]

    def grad(self, inputs, output_grads):
        return [output_grads[0]] + [DisconnectedType()() for _ in inputs[1:]]

    def constant_value(self, node, v, elemwise, max_recur):
        """The value's constant when every condition is a constant that holds (Theano)."""
        for c in node.inputs[1:]:
            if not get_scalar_constant_value(c, elemwise, max_recur=max_recur):
                raise NotScalarConstantError(v)
        return get_scalar_constant_value(node.inputs[0], elemwise, max_recur=max_recur)

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return [self(eval_points[0], *inputs[1:])]


assert_op = Assert()
