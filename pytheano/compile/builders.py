"""``theano.compile.builders.OpFromGraph``: an op whose computation is a graph of other ops.

The inner graph is compiled with ``function`` on first use; its gradient (L_op) and R_op are
themselves OpFromGraphs built from the inner graph (or from user overrides), so a gradient
of a gradient works as in Theano 1.0.5.
"""
from pytheano.compile.function import function
from pytheano.compile.pfunc import rebuild_collect_shared
from pytheano.configparser import change_flags
from pytheano.gradient import Rop, grad
from pytheano.graph.basic import Apply, Variable, clone_replace, graph_inputs, \
    io_connection_pattern
from pytheano.graph.grad_types import DisconnectedType, NullType
from pytheano.graph.op import HasInnerGraph, Op
from pytheano.graph.shared import SharedVariable
from pytheano.tensor.basic import constant

__all__ = ["OpFromGraph"]


def _filter_override(override, inp):
    """(gradient variable for the inner graph, special type placeholder or None): a
    Disconnected/Null gradient cannot be an output of an inner graph, so it is zeros there
    and the placeholder is returned to the caller instead (Theano 1.0.5's rule)."""
    if override is None:
        override = DisconnectedType()()
    if isinstance(override, Variable) and isinstance(override.type,
                                                      (DisconnectedType, NullType)):
        # A non-tensor input (a random generator) gets a scalar 0 placeholder.
        zero = inp.zeros_like() if hasattr(inp, "zeros_like") else constant(0.0)
        return zero, override.type()
    return override, None


class OpFromGraph(Op, HasInnerGraph):
    """An op computing ``outputs`` from ``inputs`` (lists of variables), usable like any op:
    ``op = OpFromGraph([x, y], [x + y * 2]); z = op(a, b)``.

    inline: Theano expanded the inner graph during optimization; there is no rewrite
        database in pytheano yet, so the flag is kept (and shown) but changes nothing.
    grad_overrides: 'default' (differentiate the inner graph), a callable
        ``f(inputs, output_grads) -> [grad per input]``, a list with one entry per input
        ('default', a callable as above, or a DisconnectedType/NullType variable), or an
        OpFromGraph taking inputs + output_grads.
    lop_overrides: as grad_overrides, but callables take ``(inputs, outputs, output_grads)``
        and an OpFromGraph takes inputs + outputs + output_grads. Exclusive with
        grad_overrides.
    rop_overrides: 'default', a callable ``f(inputs, eval_points) -> [rop per output]``, a
        list with one entry per output, or an OpFromGraph taking inputs + eval_points.
    connection_pattern: the op's connection pattern, if not read from the inner graph.
    kwargs: passed to ``function`` when the inner graph is compiled (``mode=...``).
    Shared variables in the graph become implicit inputs of every node.
    """

    def __init__(self, inputs, outputs, inline=False, lop_overrides="default",
                 grad_overrides="default", rop_overrides="default", connection_pattern=None,
                 name=None, **kwargs):
        if not isinstance(outputs, list):
            raise TypeError("outputs must be list, got %s" % type(outputs))
        for i in list(inputs) + outputs:
            if not isinstance(i, Variable):
                raise TypeError("inputs and outputs must be Variable instances", i)
        if "updates" in kwargs or "givens" in kwargs:
            raise TypeError("updates and givens are not allowed here")
        if name is not None and not isinstance(name, str):
            raise TypeError("name must be None or string object")
        inputs = list(inputs)
        self.is_inline = inline
        # The inner graph sees placeholders for the shared variables, so its gradient does
        # not differentiate through their values.
        self.shared_inputs = [v for v in graph_inputs(outputs) if isinstance(v, SharedVariable)]
        shared_vars = [v.type() for v in self.shared_inputs]
        local_inputs, local_outputs, _ = rebuild_collect_shared(
            outputs, inputs=inputs + shared_vars,
            replace=dict(zip(self.shared_inputs, shared_vars)), copy_inputs_over=False,
            no_default_updates=True)
        self.local_inputs = local_inputs
        self.local_outputs = local_outputs
        self.inputs = inputs
        self.outputs = outputs
        self.kwargs = kwargs
        self.input_types = [inp.type for inp in inputs]
        self.output_types = [out.type for out in outputs]
        if lop_overrides != "default" and grad_overrides != "default":
            raise ValueError("lop_overrides and grad_overrides are mutually exclusive")
        if grad_overrides != "default":
            self._lop_override, self._lop_kind = grad_overrides, "grad"
        else:
            self._lop_override, self._lop_kind = lop_overrides, "lop"
        self._rop_override = rop_overrides
        self._lop_op = self._rop_op = None
        self._connection_pattern = connection_pattern
        self.name = name
        self.fn = None

    # Identity: each OpFromGraph is its own op (two nodes merge only if they share it).
    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)

    def __str__(self):
        name = type(self).__name__ if self.name is None else self.name
        return "%s{inline=%s}" % (name, self.is_inline)

    # ------------------------------------------------------------------ inner graph protocol

    @property
    def inner_inputs(self):
        return self.local_inputs

    @property
    def inner_outputs(self):
        return self.local_outputs

    def inner_to_outer_inputs(self, node):
        return dict(zip(self.local_inputs, node.inputs))

    # ------------------------------------------------------------------ building

    def make_node(self, *inputs):
        expected = len(self.local_inputs) - len(self.shared_inputs)
        if len(inputs) != expected:
            raise ValueError("Expected %d inputs, got %d" % (expected, len(inputs)))
        inputs = [t.filter_variable(inp) for inp, t in zip(inputs, self.input_types)]
        return Apply(self, list(inputs) + self.shared_inputs,
                     [t() for t in self.output_types])

    def perform(self, node, inputs, outputs, params=None):
        if self.fn is None:
            kwargs = dict(self.kwargs)
            kwargs.setdefault("on_unused_input", "ignore")
            self.fn = function(self.local_inputs, self.local_outputs, **kwargs)
        values = self.fn(*inputs)
        for cell, value in zip(outputs, values):
            # The inner function may reuse its output buffers between calls.
            cell[0] = value.copy() if hasattr(value, "copy") else value

    def infer_shape(self, fgraph, node, input_shapes):
        # The inner outputs' symbolic shapes, moved onto the node's inputs.
        shapes = [[o.shape[i] for i in range(o.ndim)] if hasattr(o, "ndim") else []
                  for o in self.local_outputs]
        flat = [s for shp in shapes for s in shp]
        if not flat:
            return [() for _ in shapes]
        cloned = clone_replace(flat, replace=self.inner_to_outer_inputs(node))
        out, used = [], 0
        for shp in shapes:
            out.append(tuple(cloned[used:used + len(shp)]))
            used += len(shp)
        return out

    # ------------------------------------------------------------------ gradients

    def _build_lop_op(self):
        # Test values are off while the gradient graph is built (as Theano); a context, not
        # a decorator, so importing this module reads no option.
        with change_flags(compute_test_value="off"):
            self._build_lop_op_now()

    def _build_lop_op_now(self):
        override, kind = self._lop_override, self._lop_kind
        n_in = len(self.local_inputs)
        if isinstance(override, OpFromGraph):
            n_needed = n_in + (2 if kind == "lop" else 1) * len(self.local_outputs)
            if len(override.local_inputs) != n_needed:
                raise ValueError("Gradient override needs %d inputs, got %d"
                                 % (n_needed, len(override.local_inputs)))
            self._lop_op, self._lop_special = override, [None] * n_in
            self._lop_takes_outputs = kind == "lop"
            return
        output_grads = [t() for t in self.output_types]
        args = ((self.local_inputs, self.local_outputs, output_grads) if kind == "lop"
                else (self.local_inputs, output_grads))

        def default(wrt):
            return grad(None, wrt, disconnected_inputs="ignore",
                        return_disconnected="Disconnected", null_gradients="return",
                        known_grads=dict(zip(self.local_outputs, output_grads)))

        if isinstance(override, str) and override == "default":
            overrides = default(list(self.local_inputs))
        elif isinstance(override, Variable):
            overrides = [override] * n_in
        elif isinstance(override, list):
            if len(override) != n_in:
                raise ValueError("Need to override %d gradients, got %d"
                                 % (n_in, len(override)), override)
            wrt = [i for i, o in zip(self.local_inputs, override)
                   if isinstance(o, str) and o == "default"]
            defaults = iter(default(wrt) if wrt else [])
            overrides = []
            for o in override:
                if isinstance(o, str) and o == "default":
                    overrides.append(next(defaults))
                elif isinstance(o, Variable) or o is None:
                    overrides.append(o)
                elif callable(o):
                    overrides.append(o(*args))
                else:
                    raise TypeError("Gradient override must be 'default', a callable, a "
                                    "Variable of DisconnectedType/NullType or None, got %r"
                                    % (o,))
        elif callable(override):
            overrides = override(*args)
            if not isinstance(overrides, list):
                raise TypeError('Gradient/L_op overriding function should return a list, '
                                'got "%s"' % type(overrides))
            if len(overrides) != n_in:
                raise ValueError("Gradient/L_op overriding function should return list of "
                                 "%d outputs, got %d" % (n_in, len(overrides)))
        else:
            raise TypeError("lop_overrides/grad_overrides must be 'default', a callable, a "
                            "list or an OpFromGraph, got %r" % (override,))
        filtered = [_filter_override(o, i) for o, i in zip(overrides, self.local_inputs)]
        grads = [g for g, _ in filtered]
        self._lop_special = [s for _, s in filtered]
        self._lop_op = type(self)(
            self.local_inputs + self.local_outputs + output_grads, grads,
            inline=self.is_inline,
            name=None if self.name is None else self.name + "_" + kind,
            on_unused_input="ignore")
        self._lop_takes_outputs = True

    def get_lop_op(self):
        if self._lop_op is None:
            self._build_lop_op()
        return self._lop_op

    def L_op(self, inputs, outputs, output_grads):
        lop_op = self.get_lop_op()
        pattern = self.connection_pattern(None)
        live = [not isinstance(g.type, DisconnectedType) for g in output_grads]
        # An output the cost does not depend on gets a zero gradient inside.
        output_grads = [o.zeros_like() if isinstance(g.type, DisconnectedType) else g
                        for o, g in zip(outputs, output_grads)]
        args = list(inputs) + (list(outputs) if self._lop_takes_outputs else []) \
            + list(output_grads)
        # Shared inputs are part of the inner graph; the override ops do not take them.
        args = args[:len(lop_op.local_inputs) - len(lop_op.shared_inputs)]
        rets = lop_op(*args, return_list=True)
        rets = [r if s is None else s for r, s in zip(rets, self._lop_special)]
        # An input connected only to outputs the cost does not use is disconnected, as the
        # gradient machinery reads from connection_pattern.
        return [r if any(c and a for c, a in zip(row, live)) else DisconnectedType()()
                for r, row in zip(rets, pattern)]

    def _build_rop_op(self):
        with change_flags(compute_test_value="off"):
            self._build_rop_op_now()

    def _build_rop_op_now(self):
        override = self._rop_override
        n_out = len(self.local_outputs)
        if isinstance(override, OpFromGraph):
            self._rop_op, self._rop_special = override, [None] * n_out
            return
        eval_points = [t() for t in self.input_types] + [v.type() for v in
                                                         self.local_inputs[len(self.inputs):]]

        def default(f):
            return Rop(f, list(self.local_inputs), eval_points, disconnected_outputs="ignore",
                       return_disconnected="Disconnected")

        if isinstance(override, str) and override == "default":
            rops = default(list(self.local_outputs))
        elif isinstance(override, list):
            if len(override) != n_out:
                raise ValueError("Need to override %d Rop, got %d" % (n_out, len(override)),
                                 override)
            rops = []
            for out, o in zip(self.local_outputs, override):
                if isinstance(o, str) and o == "default":
                    rops.append(default([out])[0])
                elif isinstance(o, Variable) or o is None:
                    rops.append(o)
                elif callable(o):
                    rops.append(o(self.local_inputs, eval_points))
                else:
                    raise TypeError("Rop override must be 'default', a callable or a "
                                    "Variable, got %r" % (o,))
        elif callable(override):
            rops = override(self.local_inputs, eval_points)
            if not isinstance(rops, list) or len(rops) != n_out:
                raise ValueError("Rop overriding function should return a list of %d outputs"
                                 % n_out)
        else:
            raise TypeError("rop_overrides must be 'default', a callable, a list or an "
                            "OpFromGraph, got %r" % (override,))
        filtered = [_filter_override(r, o) for r, o in zip(rops, self.local_outputs)]
        self._rop_special = [s for _, s in filtered]
        self._rop_op = type(self)(
            self.local_inputs + eval_points, [r for r, _ in filtered], inline=self.is_inline,
            name=None if self.name is None else self.name + "_rop", on_unused_input="ignore")

    def get_rop_op(self):
        if self._rop_op is None:
            self._build_rop_op()
        return self._rop_op

    def R_op(self, inputs, eval_points):
        rop_op = self.get_rop_op()
        # An input without an eval point contributes nothing.
        eval_points = [i.zeros_like() if e is None else e for i, e in zip(inputs, eval_points)]
        args = list(inputs) + list(eval_points)
        args = args[:len(rop_op.local_inputs) - len(rop_op.shared_inputs)]
        rets = rop_op(*args, return_list=True)
        return [r if s is None else s for r, s in zip(rets, self._rop_special)]

    def connection_pattern(self, node):
        if self._connection_pattern is not None:
            return self._connection_pattern
        pattern = io_connection_pattern(self.local_inputs, self.local_outputs)
        # An input whose gradient override is DisconnectedType is not connected.
        self.get_lop_op()
        for row, special in zip(pattern, self._lop_special):
            if special is not None and isinstance(special.type, DisconnectedType):
                row[:] = [False] * len(row)
        return pattern
