"""Ops the compiler inserts: the copies that protect inputs and outputs, and views."""
import copy

import numpy as np

from pytheano._core.graph import Apply
from pytheano._core.view_thunk import DeepCopyThunk, ViewOpThunk
from pytheano.graph.op import Op


class ViewOp(Op):
    """Returns its input unchanged (a view); used as a marker, e.g. by ``zero_grad``."""

    view_map = {0: [0]}
    __props__ = ()

    def make_node(self, x):
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = inputs[0]

    def infer_shape(self, fgraph, node, shapes):
        return shapes

    def grad(self, inputs, output_grads):
        return output_grads

    def R_op(self, inputs, eval_points):
        return list(eval_points)

    def c_thunk(self, node):
        """The C backend's thunk (passes the input on)."""
        return ViewOpThunk, ()


view_op = ViewOp()


class DeepCopyOp(Op):
    """A copy of its input: inserted when a function output is an input (or a view of one),
    so the caller never receives memory the function or the user may later change."""

    __props__ = ()
    # Theano 1.0 compat: profiles print the class as theano.compile.ops.DeepCopyOp.
    __module__ = "pytheano.compile.ops"

    def make_node(self, x):
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage):
        x = inputs[0]
        output_storage[0][0] = x.copy() if isinstance(x, np.ndarray) else copy.deepcopy(x)

    def infer_shape(self, fgraph, node, shapes):
        return shapes

    def grad(self, inputs, output_grads):
        return output_grads

    def c_thunk(self, node):
        """The C backend's thunk (arrays copied in C, other values through perform)."""
        return DeepCopyThunk, ()


deep_copy_op = DeepCopyOp()
