"""IfElse: a conditional on a scalar that picks one of two lists of values.

Unlike ``switch`` (elementwise, both sides computed), ``ifelse`` takes a scalar condition and
is meant to be evaluated lazily: only the branch taken needs computing. The op's inputs are
``[condition] + then_values + else_values``, the condition first so that a lazy VM can
evaluate it alone and then request only one branch. ``perform`` (the eager path) receives
every input and returns the chosen branch.
"""
import numpy as np

from pytheano._core.graph import Apply, Variable
from pytheano.graph.op import Op
from pytheano.graph.grad_types import DisconnectedType, disconnected_type
from pytheano.configparser import config
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.creation import zeros_like
from pytheano.tensor.math import cast
from pytheano.tensor.type import TensorType

__all__ = ["IfElse", "ifelse"]


class IfElse(Op):
    """Returns inputs ``1 .. n_outs`` (then branch) if input 0 (a scalar) is non-zero, else
    inputs ``n_outs + 1 .. 2 * n_outs`` (else branch). Each then/else pair has one type.

    ``as_view``: outputs are views of the chosen inputs instead of copies (set by rewrites).
    """

    __props__ = ("as_view", "gpu", "n_outs")

    def __init__(self, n_outs, as_view=False, gpu=False, name=None):
        self.n_outs = int(n_outs)
        self.as_view = bool(as_view)
        self.gpu = bool(gpu)
        # The name only labels the op when printed; it is not part of its identity.
        self.name = name
        if self.as_view:
            self.view_map = {i: [i + 1] for i in range(self.n_outs)}

    def __str__(self):
        args = []
        if self.name is not None:
            args.append(self.name)
        if self.as_view:
            args.append("inplace")
        if self.gpu:
            args.append("gpu")
        return "if{%s}" % ",".join(args)

    def make_node(self, c, *args):
        if len(args) != 2 * self.n_outs:
            raise TypeError("Wrong number of arguments to make_node: expected %d, got %d"
                            % (2 * self.n_outs, len(args)))

        c = as_tensor_variable(c)
        if c.ndim > 0:
            raise TypeError("Condition given to the op has to be a scalar with 0 standing for "
                            "False, anything else for True (got %s)" % (c.type,))
        args = [a._as_TensorVariable() if hasattr(a, "_as_TensorVariable")
                else a if isinstance(a, Variable) else as_tensor_variable(a) for a in args]
        ts, fs = args[:self.n_outs], args[self.n_outs:]
        for t, f in zip(ts, fs):
            if t.type != f.type:
                raise TypeError("IfElse requires same types for true and false return values: "
                                "%s has type %s and %s has type %s" % (t, t.type, f, f.type))
        return Apply(self, [c] + list(args), [t.type() for t in ts])

    def make_thunk(self, node, storage_map, compute_map, no_recycling, impl=None):
        """A lazy thunk: it asks for the condition first, then for the branch the condition
        selects, and copies (or views) that branch into the outputs."""
        input_cells = [storage_map[v] for v in node.inputs]
        input_computed = [compute_map[v] for v in node.inputs]
        output_cells = [storage_map[v] for v in node.outputs]
        output_computed = [compute_map[v] for v in node.outputs]

        def thunk():
            if not input_computed[0][0]:
                return [0]
            chosen = self.branch_inputs(input_cells[0][0])
            missing = [k for k in chosen if not input_computed[k][0]]
            if missing:
                return missing
            for cell, k in zip(output_cells, chosen):
                cell[0] = self._output_value(input_cells[k][0])
            for computed in output_computed:
                computed[0] = True
            return []

        thunk.inputs, thunk.outputs, thunk.lazy = input_cells, output_cells, True
        return thunk

    def perform(self, node, inputs, output_storage):
        # The eager path (every input computed), e.g. for compute_test_value.
        chosen = self.branch_inputs(inputs[0])
        for cell, k in zip(output_storage, chosen):
            cell[0] = self._output_value(inputs[k])

    def branch_inputs(self, condition):
        """Indices (into the node's inputs) of the branch selected by ``condition``'s value:
        what a lazy thunk computes after the condition."""
        start = 1 if condition != 0 else 1 + self.n_outs
        return range(start, start + self.n_outs)

    def _output_value(self, value):
        if self.as_view:
            return value
        if isinstance(value, np.ndarray):
            return value.copy()
        import copy

        return copy.deepcopy(value)

    def infer_shape(self, fgraph, node, input_shapes):
        # Each output's shape is the chosen branch's shape: an IfElse over the shape entries.
        ts_shapes = input_shapes[1:][:self.n_outs]
        fs_shapes = input_shapes[1:][self.n_outs:]
        if any(not isinstance(s, (list, tuple)) for s in ts_shapes + fs_shapes):
            return [None] * self.n_outs
        new_ts = [d for s in ts_shapes for d in s]
        new_fs = [d for s in fs_shapes for d in s]
        if new_ts:
            pairs = [(as_tensor_variable(t), as_tensor_variable(f))
                     for t, f in zip(new_ts, new_fs)]
            # Shape entries may mix int64 variables and Python ints (int8 constants).

            pairs = [(t if t.dtype == "int64" else cast(t, "int64"),
                      f if f.dtype == "int64" else cast(f, "int64")) for t, f in pairs]
            name = "shape" if self.name is None else "shape_" + self.name
            new_outs = IfElse(len(pairs), name=name)(
                node.inputs[0], *([t for t, _ in pairs] + [f for _, f in pairs]),
                return_list=True)
        else:
            new_outs = []
        out_shapes = []
        for out in node.outputs:
            out_shapes.append(tuple(new_outs[:out.ndim]))
            new_outs = new_outs[out.ndim:]
        return out_shapes

    def connection_pattern(self, node):
        # The condition picks which values come out, so it is connected (its gradient is
        # zero: a small change of the condition never changes the branch).
        return [[True] * self.n_outs] + [
            [i == k for k in range(self.n_outs)] for i in list(range(self.n_outs)) * 2]

    def grad(self, inputs, output_grads):

        condition = inputs[0]
        ts = inputs[1:][:self.n_outs]
        fs = inputs[1:][self.n_outs:]
        # The gradient of output k flows to then[k] if the condition holds, else to else[k]:
        # two IfElse of (gradient, zeros), over the outputs that reach the cost.
        connected = [k for k, g in enumerate(output_grads)
                     if not isinstance(g.type, DisconnectedType)]
        grads = [output_grads[k] for k in connected]
        # Gradients may have another dtype than the inputs; the zeros take the gradient's.
        zeros_t = [zeros_like(ts[k], dtype=g.dtype) for k, g in zip(connected, grads)]
        zeros_f = [zeros_like(fs[k], dtype=g.dtype) for k, g in zip(connected, grads)]
        name_t = None if self.name is None else self.name + "_grad_t"
        name_f = None if self.name is None else self.name + "_grad_f"
        n = len(connected)
        grads_t = IfElse(n, as_view=self.as_view, gpu=self.gpu, name=name_t)(
            condition, *(grads + zeros_t), return_list=True) if n else []
        grads_f = IfElse(n, as_view=self.as_view, gpu=self.gpu, name=name_f)(
            condition, *(zeros_f + grads), return_list=True) if n else []
        g_ts = [disconnected_type() for _ in ts]
        g_fs = [disconnected_type() for _ in fs]
        for k, gt, gf in zip(connected, grads_t, grads_f):
            g_ts[k], g_fs[k] = gt, gf
        # The condition is connected (it picks the values) but a small change of it never
        # changes the branch: a zero gradient.
        condition_grad = zeros_like(condition, dtype=config.floatX)
        return [condition_grad] + g_ts + g_fs

    def R_op(self, inputs, eval_points):
        return self(inputs[0], *eval_points[1:], return_list=True)


def ifelse(condition, then_branch, else_branch, name=None):
    """``then_branch`` if the scalar ``condition`` is non-zero, else ``else_branch``.

    Each branch is one variable or a list/tuple of them (the same number on both sides, of
    pairwise identical types); the result has the same form as ``then_branch``. Python
    values are converted to constants: ``ifelse(1, 5, 4).eval()`` is ``array(5, dtype=int8)``.
    """

    rval_type = None
    if type(then_branch) is list:
        rval_type = list
    elif type(then_branch) is tuple:
        rval_type = tuple
    if type(then_branch) not in (list, tuple):
        then_branch = [then_branch]
    if type(else_branch) not in (list, tuple):
        else_branch = [else_branch]
    if len(then_branch) != len(else_branch):
        raise ValueError("The number of values on the `then` branch should have the same number "
                         "of variables as the `else` branch : (variables on `then` %d, "
                         "variables on `else` %d)" % (len(then_branch), len(else_branch)))

    new_then, new_else = [], []
    for t, f in zip(then_branch, else_branch):
        if not isinstance(t, Variable):
            t = as_tensor_variable(t)
        if not isinstance(f, Variable):
            f = as_tensor_variable(f)
        if t.type != f.type:
            # A tensor paired with another kind of variable (e.g. one moved to the GPU):
            # convert the other to the tensor's type if that is possible.
            if isinstance(t.type, TensorType) and not isinstance(f.type, TensorType):
                f = t.type.filter_variable(f)
            elif isinstance(f.type, TensorType) and not isinstance(t.type, TensorType):
                t = f.type.filter_variable(t)
            if t.type != f.type:
                raise TypeError("The two branches should have identical types, but they are %s "
                                "and %s respectively. This error could be raised if for "
                                "example you provided a one element list on the `then` branch "
                                "but a tensor on the `else` branch." % (t.type, f.type))
        new_then.append(t)
        new_else.append(f)

    op = IfElse(n_outs=len(new_then), as_view=False, gpu=False, name=name)
    rval = op(condition, *(new_then + new_else), return_list=True)
    if rval_type is None:
        return rval[0]
    return rval_type(rval)
