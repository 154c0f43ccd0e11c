"""The Scan op: a loop whose body is a graph (the inner graph), compiled once into a function
called once per step.

Outer inputs, in Theano 1.0's order (``theano.scan_module.scan_op.Scan``)::

    n_steps, sequences, mit_mot buffers, mit_sot buffers, sit_sot buffers, shared values,
    nit_sot lengths, non-sequences

Outer outputs: mit_mot buffers, mit_sot buffers, sit_sot buffers, nit_sot buffers, final
shared values. A mit_sot/sit_sot buffer holds its initial taps then one row per step
(``scan()`` slices the initial rows off); it may be shorter than that (a rewrite that keeps
only the last steps), and is then filled circularly and put back in order at the end. A
mit_mot ("multiple input taps, multiple output taps", what a gradient scan carries) is one
buffer that step t reads at rows ``t + lag + tap`` (its ``tap_array`` entry) and writes at
rows ``t + lag + tap`` (its ``mit_mot_out_slices`` entry), lag = -min(input taps) as for the
other states (0 for a gradient's, whose taps are >= 0): the gradient of a state flows back
into the rows later steps read.

Inner inputs: one per sequence tap, one per mit_mot input tap, one per state tap, the shared
values, the non-sequences; inner outputs: one per mit_mot output tap, one per state, one per
nit_sot, the new shared values, and the stop condition last in a while loop (``until``).
"""
import time
from collections import OrderedDict

import numpy as np

from pytheano import hooks
from pytheano._core.graph import Apply, Constant, graph_inputs, io_toposort
from pytheano._core.scan_loop import run_steps
from pytheano.configparser import change_flags, config
from pytheano.errors import MissingInputError
from pytheano.graph.basic import equal_computations, io_connection_pattern
from pytheano.graph.op import HasInnerGraph, Op
from pytheano.graph.op import infer_shape as op_infer_shape
from pytheano.link.linkers import CVMLinker, OpWiseCLinker
from pytheano.scalar.basic import discrete_types
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.blas import Dot22, Dot22Scalar, Gemm
from pytheano.tensor.shape import Shape_i
from pytheano.tensor.type import TensorType

__all__ = ["Scan"]

# The keys of ``info`` that make two scans the same loop (with equal inner graphs).
_IDENTITY_KEYS = ("truncate_gradient", "profile", "n_seqs", "tap_array", "as_while",
                  "n_mit_sot", "destroy_map", "n_nit_sot", "n_shared_outs", "n_sit_sot",
                  "gpua", "n_mit_mot_outs", "n_mit_mot", "mit_mot_out_slices")


def _hashable(x):
    if isinstance(x, dict):
        return tuple((k, _hashable(v)) for k, v in x.items())
    if isinstance(x, (list, tuple)):
        return tuple(_hashable(v) for v in x)
    return x


def _err_msg1(outer, arg, inner):
    return ("When compiling the inner function of scan (the function called by scan in each "
            "of its iterations) the following error has been encountered: The initial state "
            "(outputs_info in scan nomenclature)  %s (argument number %d) has dtype %s and %d "
            "dimension(s). The corresponding variable in the inner function of scan %s "
            "however has dtype %s and %d dimension(s). This variable in the inner function "
            "of scan should have the same dtype and one fewer dimension compared to its "
            "corresponding variable in the initial state (outputs_info in scan "
            "nomenclature). For example, if the inner function of scan returns a vector of "
            "size d and scan uses the values of the previous time-step, then the initial "
            "state in scan should be a matrix of shape (1, d). The first dimension of this "
            "matrix corresponds to the number of previous time-steps that scan uses in each "
            "of its iterations. In order to solve this issue if the two variable currently "
            "have the same dimensionality, you can increase the dimensionality of the "
            "varialbe in the initial state of scan by using dimshuffle or shape_padleft. "
            % (outer, arg, outer.type.dtype, outer.type.ndim, inner, inner.type.dtype,
               inner.type.ndim))


def _err_msg2(outer, arg, out_dtype):
    return ("When compiling the inner function of scan the following error has been "
            "encountered: The initial state (`outputs_info` in scan nomenclature) of "
            "variable %s (argument number %d) has dtype %s, while the result of the inner "
            "function (`fn`) has dtype %s. This can happen if the inner function of scan "
            "results in an upcast or downcast. Cast the initial state in `outputs_info` to "
            "%s (e.g. `tensor.cast(init, '%s')`), or cast what fn returns to %s."
            % (outer, arg, outer.type.dtype, out_dtype, out_dtype, out_dtype,
               outer.type.dtype))


def _err_msg3(outer, arg, out_ndim):
    return ("When compiling the inner function of scan (the function called by scan in each "
            "of its iterations) the following error has been encountered: The initial state "
            "(`outputs_info` in scan nomenclature) of variable %s (argument number %d) has "
            "%d dimension(s), while the corresponding variable in the result of the inner "
            "function of scan (`fn`) has %d dimension(s) (it should be one less than the "
            "initial state). For example, if the inner function of scan returns a vector of "
            "size d and scan uses the values of the previous time-step, then the initial "
            "state in scan should be a matrix of shape (1, d). The first dimension of this "
            "matrix corresponds to the number of previous time-steps that scan uses in each "
            "of its iterations. In order to solve this issue if the two varialbe currently "
            "have the same dimensionality, you can increase the dimensionality of the "
            "variable in the initial state of scan by using dimshuffle or shape_padleft. "
            % (outer, arg, outer.type.ndim, out_ndim))


class Scan(Op, HasInnerGraph):
    """``Scan(inner_inputs, inner_outputs, info)``: see the module docstring for the layout;
    ``info`` has Theano 1.0's keys (n_seqs, tap_array, n_mit_sot, n_sit_sot, n_shared_outs,
    n_nit_sot, truncate_gradient, name, mode, as_while, profile, allow_gc, ...) and
    pytheano's optional ``reversed_nit_sot``: the nit_sots (indices) whose buffer the loop
    fills last step first, returned as a reversed view (a layout only, set by
    scan_pushout_dot_sum: the values and the op's identity are those without it)."""

    # Theano 1.0 compat: profiles print the class by its Theano path
    # (theano.scan_module.scan_op.Scan), where pytheano's shim re-exports it.
    __module__ = "pytheano.scan_module.scan_op"

    # Installed by pytheano.scan.grad, which builds the gradient and R_op loops with
    # ``scan()`` (a module above this one): (op, inputs, outputs, output_grads) -> grads
    # and (op, inputs, eval_points) -> R_op values.
    build_grad = None
    build_rop = None

    def __init__(self, inputs, outputs, info, typeConstructor=None):
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        info = OrderedDict(info)
        info.setdefault("destroy_map", OrderedDict())
        info.setdefault("gpua", False)
        info.setdefault("n_mit_mot", 0)
        info.setdefault("n_mit_mot_outs", 0)
        info.setdefault("mit_mot_out_slices", [])
        info.setdefault("strict", False)
        info.setdefault("allow_gc", config.scan.allow_gc)
        if info.get("name") is None:
            info["name"] = "scan_fn"
        self.info = info
        self.__dict__.update(info)
        self.n_mit_mot_outs = sum(len(t) for t in self.mit_mot_out_slices)
        if len(self.mit_mot_out_slices) != self.n_mit_mot:
            raise ValueError("Scan: info['mit_mot_out_slices'] needs one list of output taps "
                             "per mit_mot (%d), got %d" % (self.n_mit_mot,
                                                           len(self.mit_mot_out_slices)))
        make_type = typeConstructor or (lambda broadcastable, dtype:
                                        TensorType(dtype=dtype, broadcastable=broadcastable))
        # One outer output per mit_mot (typed by its first output tap), then one per
        # buffered inner output, then the shared values.
        first_outs = [self.outputs[k] for k in self._mitmot_first_outs()]
        n_buffered = self.n_mit_mot_outs + self.n_mit_sot + self.n_sit_sot + self.n_nit_sot
        self.output_types = [make_type(broadcastable=(False,) + o.type.broadcastable,
                                       dtype=o.type.dtype) for o in
                             first_outs + self.outputs[self.n_mit_mot_outs:n_buffered]]
        self.output_types += [o.type for o in self.outputs[n_buffered:]]
        if self.as_while:
            self.output_types = self.output_types[:-1]
        self.mintaps = [min(taps) for taps in self.tap_array] + [0] * self.n_nit_sot
        self._taps = [list(taps) for taps in self.tap_array]
        self._out_taps = [list(taps) for taps in self.mit_mot_out_slices] + \
            [[0]] * (len(self.tap_array) - self.n_mit_mot)
        # Per state, the row of step 0, which its taps are relative to: a mit_sot/sit_sot's
        # number of initial rows; 0 for a gradient's mit_mot, whose taps are >= 0.
        self._lags = [-m for m in self.mintaps[:len(self.tap_array)]]
        self.seqs_arg_offset = 1 + self.n_seqs
        # Theano's counts: the states with a buffer (mit_mot first), those with taps.
        self.n_outs = self.n_mit_mot + self.n_mit_sot + self.n_sit_sot
        self.n_tap_outs = self.n_mit_mot + self.n_mit_sot
        self.shared_arg_offset = self.seqs_arg_offset + self.n_outs
        self.nit_sot_arg_offset = self.shared_arg_offset + self.n_shared_outs
        # Inner outputs before the nit_sots: one per mit_mot output tap, one per state.
        self.n_state_outs = self.n_mit_mot_outs + self.n_mit_sot + self.n_sit_sot
        for var in graph_inputs(self.outputs, self.inputs):
            if var not in self.inputs and not isinstance(var, Constant):
                raise MissingInputError("ScanOp is missing an input: %s. Pass it to scan in "
                                        "`non_sequences` (strict=True requires every shared "
                                        "variable fn uses to be listed there)." % repr(var))
        self.fn = None
        self._empty_shapes_fn = None
        self._c_order_non_seqs = ()

    def __getstate__(self):
        # The compiled inner function is rebuilt on first use after unpickling.
        state = dict(self.__dict__)
        state["fn"] = None
        state["_empty_shapes_fn"] = None
        state["_var_mappings"] = None
        return state

    # ------------------------------------------------------------------ identity, printing

    def __eq__(self, other):
        if type(self) is not type(other):
            return False
        if self is other:
            return True
        if len(self.inputs) != len(other.inputs) or len(self.outputs) != len(other.outputs):
            return False
        if any(self.info[k] != other.info[k] for k in _IDENTITY_KEYS):
            return False
        if any(a.type != b.type for a, b in zip(self.inputs, other.inputs)):
            return False
        return equal_computations(self.outputs, other.outputs, self.inputs, other.inputs)

    def __hash__(self):
        return hash((type(self), len(self.inputs), len(self.outputs),
                     tuple(_hashable(self.info[k]) for k in _IDENTITY_KEYS)))

    def __str__(self):
        device = "gpu" if self.gpua else "cpu"
        kind = "do_while" if self.as_while else "for"
        if self.destroy_map:
            if sorted(self.destroy_map) == list(range(self.n_mit_sot + self.n_sit_sot)):
                return "%sall_inplace,%s,%s}" % (kind, device, self.name)
            return "%s{inplace{%s},%s,%s}" % (
                kind, "".join("%s," % k for k in self.destroy_map), device, self.name)
        return "%s{%s,%s}" % (kind, device, self.name)

    # HasInnerGraph: printers and rewrites reach the loop body through these.
    @property
    def inner_inputs(self):
        return self.inputs

    @property
    def inner_outputs(self):
        return self.outputs

    def inner_to_outer_inputs(self, node):
        m = self.var_mappings["outer_inp_from_inner_inp"]
        return {inner: node.inputs[m[k]] for k, inner in enumerate(self.inputs)}

    def n_taps_of_outer(self, i):
        """How many inner inputs the i-th outer input (not counting n_steps and the nit_sot
        lengths) feeds: one per tap for a mit_mot or a mit_sot, else one."""
        if self.n_seqs <= i < self.n_seqs + self.n_tap_outs:
            return len(self.tap_array[i - self.n_seqs])
        return 1

    def _mitmot_first_outs(self):
        """The position of each mit_mot's first inner output."""
        firsts, k = [], 0
        for slices in self.mit_mot_out_slices:
            firsts.append(k)
            k += len(slices)
        return firsts

    @property
    def var_mappings(self):
        """Theano 1.0's mappings between outer inputs/outputs and inner inputs/outputs
        (``get_oinp_iinp_iout_oout_mappings``)."""
        if getattr(self, "_var_mappings", None) is None:
            self._var_mappings = self.get_oinp_iinp_iout_oout_mappings()
        return self._var_mappings

    def get_oinp_iinp_iout_oout_mappings(self):
        roles = [([], [], -1)]  # per outer input: (inner inputs, inner outputs, outer output)
        k = 0
        for _ in range(self.n_seqs):
            roles.append(([k], [], -1))
            k += 1
        out_k = 0
        for j, taps in enumerate(self.tap_array):
            n_out = len(self.mit_mot_out_slices[j]) if j < self.n_mit_mot else 1
            roles.append((list(range(k, k + len(taps))), list(range(out_k, out_k + n_out)), j))
            k += len(taps)
            out_k += n_out
        first_shared_out = self.n_outs + self.n_nit_sot
        for j in range(self.n_shared_outs):
            roles.append(([k], [self.n_state_outs + self.n_nit_sot + j], first_shared_out + j))
            k += 1
        for j in range(self.n_nit_sot):
            roles.append(([], [self.n_state_outs + j], self.n_outs + j))
        while k < len(self.inputs):
            roles.append(([k], [], -1))
            k += 1
        m = {name: {} for name in (
            "inner_inp_from_outer_inp", "inner_out_from_outer_inp", "outer_out_from_outer_inp",
            "outer_inp_from_inner_inp", "inner_out_from_inner_inp", "outer_out_from_inner_inp",
            "outer_inp_from_inner_out", "inner_inp_from_inner_out", "outer_out_from_inner_out",
            "outer_inp_from_outer_out", "inner_inp_from_outer_out", "inner_out_from_outer_out")}
        for oi, (iins, iouts, oout) in enumerate(roles):
            m["inner_inp_from_outer_inp"][oi] = iins
            m["inner_out_from_outer_inp"][oi] = iouts
            m["outer_out_from_outer_inp"][oi] = oout
            for ii in iins:
                m["outer_inp_from_inner_inp"][ii] = oi
                m["inner_out_from_inner_inp"][ii] = iouts
                m["outer_out_from_inner_inp"][ii] = oout
            for io in iouts:
                m["outer_inp_from_inner_out"][io] = oi
                m["inner_inp_from_inner_out"][io] = iins
                m["outer_out_from_inner_out"][io] = oout
            if oout != -1:
                m["outer_inp_from_outer_out"][oout] = oi
                m["inner_inp_from_outer_out"][oout] = iins
                m["inner_out_from_outer_out"][oout] = iouts
        return m

    # ------------------------------------------------------------------ the layout
    # Theano 1.0's accessors: slices of the inner inputs/outputs or outer inputs/outputs;
    # an outer one takes the scan's Apply node or its list of inputs/outputs, as Theano's.

    def _n_mitmot_taps(self):
        return sum(len(t) for t in self.tap_array[:self.n_mit_mot])

    def _n_mitsot_taps(self):
        return sum(len(t) for t in self.tap_array[self.n_mit_mot:self.n_tap_outs])

    def inner_seqs(self, list_inputs):
        return list_inputs[:self.n_seqs]

    def outer_seqs(self, list_inputs):
        list_inputs = _inputs_of(list_inputs)
        return list_inputs[1:1 + self.n_seqs]

    def inner_mitmot(self, list_inputs):
        return list_inputs[self.n_seqs:self.n_seqs + self._n_mitmot_taps()]

    def outer_mitmot(self, list_inputs):
        list_inputs = _inputs_of(list_inputs)
        return list_inputs[1 + self.n_seqs:1 + self.n_seqs + self.n_mit_mot]

    def inner_mitmot_outs(self, list_outputs):
        return list_outputs[:self.n_mit_mot_outs]

    def outer_mitmot_outs(self, list_outputs):
        list_outputs = _outputs_of(list_outputs)
        return list_outputs[:self.n_mit_mot]

    def mitmot_taps(self):
        return self.tap_array[:self.n_mit_mot]

    def mitmot_out_taps(self):
        return self.mit_mot_out_slices[:self.n_mit_mot]

    def inner_mitsot(self, list_inputs):
        start = self.n_seqs + self._n_mitmot_taps()
        return list_inputs[start:start + self._n_mitsot_taps()]

    def outer_mitsot(self, list_inputs):
        list_inputs = _inputs_of(list_inputs)
        start = 1 + self.n_seqs + self.n_mit_mot
        return list_inputs[start:start + self.n_mit_sot]

    def inner_mitsot_outs(self, list_outputs):
        return list_outputs[self.n_mit_mot_outs:self.n_mit_mot_outs + self.n_mit_sot]

    def outer_mitsot_outs(self, list_outputs):
        list_outputs = _outputs_of(list_outputs)
        return list_outputs[self.n_mit_mot:self.n_tap_outs]

    def mitsot_taps(self):
        return self.tap_array[self.n_mit_mot:self.n_tap_outs]

    def _n_state_taps(self):
        return self._n_mitmot_taps() + self._n_mitsot_taps() + self.n_sit_sot

    def inner_sitsot(self, list_inputs):
        start = self.n_seqs + self._n_mitmot_taps() + self._n_mitsot_taps()
        return list_inputs[start:start + self.n_sit_sot]

    def outer_sitsot(self, list_inputs):
        list_inputs = _inputs_of(list_inputs)
        start = 1 + self.n_seqs + self.n_tap_outs
        return list_inputs[start:start + self.n_sit_sot]

    def inner_sitsot_outs(self, list_outputs):
        return list_outputs[self.n_mit_mot_outs + self.n_mit_sot:self.n_state_outs]

    def outer_sitsot_outs(self, list_outputs):
        list_outputs = _outputs_of(list_outputs)
        return list_outputs[self.n_tap_outs:self.n_outs]

    def outer_nitsot(self, list_inputs):
        list_inputs = _inputs_of(list_inputs)
        start = self.nit_sot_arg_offset
        return list_inputs[start:start + self.n_nit_sot]

    def inner_nitsot_outs(self, list_outputs):
        return list_outputs[self.n_state_outs:self.n_state_outs + self.n_nit_sot]

    def outer_nitsot_outs(self, list_outputs):
        list_outputs = _outputs_of(list_outputs)
        return list_outputs[self.n_outs:self.n_outs + self.n_nit_sot]

    def inner_shared(self, list_inputs):
        start = self.n_seqs + self._n_state_taps()
        return list_inputs[start:start + self.n_shared_outs]

    def outer_shared(self, list_inputs):
        list_inputs = _inputs_of(list_inputs)
        return list_inputs[self.shared_arg_offset:self.nit_sot_arg_offset]

    def inner_shared_outs(self, list_outputs):
        start = self.n_state_outs + self.n_nit_sot
        return list_outputs[start:start + self.n_shared_outs]

    def outer_shared_outs(self, list_outputs):
        list_outputs = _outputs_of(list_outputs)
        start = self.n_outs + self.n_nit_sot
        return list_outputs[start:start + self.n_shared_outs]

    def inner_non_seqs(self, list_inputs):
        start = self.n_seqs + self._n_state_taps() + self.n_shared_outs
        return list_inputs[start:]

    def outer_non_seqs(self, list_inputs):
        list_inputs = _inputs_of(list_inputs)
        return list_inputs[self.nit_sot_arg_offset + self.n_nit_sot:]

    # ------------------------------------------------------------------ building

    def make_node(self, *inputs):
        n_inner = len(self.inputs)
        n_outer = len(inputs) - 1 - self.n_nit_sot
        expected = self.n_seqs + self._n_state_taps() + self.n_shared_outs + \
            len(self.inner_non_seqs(self.inputs))
        if n_inner != expected or n_outer != self.n_seqs + self.n_outs + \
                self.n_shared_outs + len(self.inner_non_seqs(self.inputs)):
            raise TypeError("The number of inputs given to the inner function of scan does "
                            "not match the number of inputs given to scan: expected %d, got "
                            "%d." % (1 + self.n_nit_sot + expected, len(inputs)))
        new_inputs = [as_tensor_variable(inputs[0])]
        for inner, outer in zip(self.inner_seqs(self.inputs), self.outer_seqs(inputs)):
            _check_broadcast(outer, inner)
            new_inputs.append(_format(outer, inner))
        argoffset = self.n_seqs
        inner_mitmot = self.inner_mitmot(self.inputs)
        inner_mitmot_outs = self.inner_mitmot_outs(self.outputs)
        ipos = opos = 0
        for idx, (in_taps, out_taps, outer) in enumerate(zip(
                self.mitmot_taps(), self.mitmot_out_taps(), self.outer_mitmot(inputs))):
            outer = _format(outer, inner_mitmot[ipos])
            new_inputs.append(outer)
            for inner in inner_mitmot[ipos:ipos + len(in_taps)]:
                if inner.type.dtype != outer.type.dtype or inner.ndim != outer.ndim - 1:
                    raise ValueError(_err_msg1(outer, argoffset + idx, inner))
            for inner_out in inner_mitmot_outs[opos:opos + len(out_taps)]:
                _check_state_out(outer, argoffset + idx, inner_out)
            ipos += len(in_taps)
            opos += len(out_taps)
        argoffset += self.n_mit_mot
        inner_mitsot = self.inner_mitsot(self.inputs)
        ipos = 0
        for idx, (taps, outer, inner_out) in enumerate(zip(
                self.mitsot_taps(), self.outer_mitsot(inputs),
                self.inner_mitsot_outs(self.outputs))):
            outer = _format(outer, inner_mitsot[ipos])
            new_inputs.append(outer)
            for inner in inner_mitsot[ipos:ipos + len(taps)]:
                if inner.type.dtype != outer.type.dtype or inner.ndim != outer.ndim - 1:
                    raise ValueError(_err_msg1(outer, argoffset + idx, inner))
            ipos += len(taps)
            _check_state_out(outer, argoffset + idx, inner_out)
        argoffset += self.n_mit_sot
        for idx, (inner, outer, inner_out) in enumerate(zip(
                self.inner_sitsot(self.inputs), self.outer_sitsot(inputs),
                self.inner_sitsot_outs(self.outputs))):
            outer = _format(outer, inner)
            new_inputs.append(outer)
            if inner.ndim != outer.ndim - 1:
                raise ValueError(_err_msg1(outer, argoffset + idx, inner))
            _check_state_out(outer, argoffset + idx, inner_out)
        argoffset += self.n_sit_sot
        for idx, (inner, inner_out, outer) in enumerate(zip(
                self.inner_shared(self.inputs), self.inner_shared_outs(self.outputs),
                self.outer_shared(inputs))):
            outer = _format(outer, inner)
            new_inputs.append(outer)
            if hasattr(outer, "dtype") and outer.dtype != inner_out.dtype:
                raise ValueError(_err_msg2(outer, idx + argoffset, inner_out.dtype))
            if hasattr(outer, "dtype") and outer.ndim != inner_out.ndim:
                raise ValueError(_err_msg3(outer, idx + argoffset, inner_out.ndim))
        for outer in self.outer_nitsot(inputs):
            outer = as_tensor_variable(outer)
            if outer.type.dtype not in discrete_types or outer.ndim != 0:
                raise ValueError("For output %s you need to provide a scalar int !"
                                 % (outer,))
            new_inputs.append(outer)
        for inner, outer in zip(self.inner_non_seqs(self.inputs), self.outer_non_seqs(inputs)):
            outer = _format(outer, inner)
            if inner.type != outer.type:
                raise ValueError("Argument %s given to scan node does not match its "
                                 "correspondance %s" % (outer, inner))
            new_inputs.append(outer)
        return Apply(self, new_inputs, [t() for t in self.output_types])

    # ------------------------------------------------------------------ running

    def _compile(self):
        # Test values belong to the user's graph; the inner graph is compiled without.
        with change_flags(compute_test_value="off"):
            self.fn = hooks.compile_function(
                self.inputs, self.outputs, mode=self._inner_mode(), on_unused_input="ignore",
                name=self.name, allow_input_downcast=True, profile=self._inner_profile())
        self._c_order_non_seqs = self._right_operands()

    def _right_operands(self):
        """The non-sequences (positions) the compiled step reads only as the right operand
        of matrix products. A transposed matrix there (a gradient's ``U.T``) costs BLAS a
        slower packing at every step (5% of a 32x256x256 product): perform passes it
        C-ordered, one copy per call."""
        fgraph = getattr(getattr(self.fn, "maker", None), "fgraph", None)
        first = len(self.inputs) - len(self.inner_non_seqs(self.inputs))
        if fgraph is None or len(fgraph.inputs) < len(self.inputs):
            return ()
        found = []
        for k, var in enumerate(fgraph.inputs[first:len(self.inputs)]):
            clients = fgraph.clients[var]
            if var.ndim == 2 and clients and all(
                    client != "output" and (isinstance(client.op, (Dot22, Dot22Scalar)) and
                                            i == 1 or isinstance(client.op, Gemm) and i == 3)
                    for client, i in clients):
                found.append(k)
        return tuple(found)

    def _inner_profile(self):
        """Theano's: a ScanProfileStats ("Scan Op profiling") under config.profile or
        scan(profile=True / a name); a profile object given to scan is used as it is."""
        if config.profile or (isinstance(self.profile, (str, bool, int)) and self.profile):
            return hooks.scan_profile(self.profile if isinstance(self.profile, str)
                                      else self.name)
        return self.profile or None

    def _inner_mode(self):
        """The step's mode: the user's, keeping its storage between steps unless allow_gc
        (Theano's scan.allow_gc, False by default), and with C for every elementwise node
        where the linker is 'cvm': called once per step, a small node costs numpy's call
        overhead (a microsecond) where its C costs a tenth of that."""
        mode = hooks.get_mode(self.mode).clone(link_kwargs=dict(allow_gc=self.allow_gc))
        if type(mode.linker) is CVMLinker:
            mode.linker = OpWiseCLinker(allow_gc=self.allow_gc, name=mode.linker.name)
        return mode

    def prepare_node(self, node, storage_map, compute_map, impl):
        # The inner function is compiled when the outer one is (Theano: ``op.fn`` exists
        # once the outer function is built), once per op.
        if self.fn is None:
            self._compile()

    def perform(self, node, inputs, output_storage, params=None):
        if self.fn is None:
            self._compile()
        t_call = time.perf_counter()
        n_steps = int(inputs[0])
        if n_steps < 0:
            raise IndexError("Scan was asked to run for negative number of step %d" % n_steps)
        if n_steps == 0:
            self._perform_no_step(node, inputs, output_storage)
            return
        seqs = inputs[1:self.seqs_arg_offset]
        for idx, seq in enumerate(seqs):
            if seq.shape[0] < n_steps:
                raise ValueError("Sequence is shorter then the required number of steps : "
                                 "(n_steps, seq, seq.shape):", n_steps,
                                 node.inputs[1 + idx], seq.shape)
        n_outs = self.n_outs
        # State buffers: the outer buffers (their initial rows), filled in turn; copies
        # unless the op owns them (destroy_map, set by the scan_inplace rewrite).
        buffers = [b if j in self.destroy_map else np.array(b, copy=True) for j, b in
                   enumerate(inputs[self.seqs_arg_offset:self.shared_arg_offset])]
        for j, buf in enumerate(buffers[:self.n_mit_mot]):
            needed = n_steps - self.mintaps[j] + max(self.tap_array[j] +
                                                     self.mit_mot_out_slices[j])
            if buf.shape[0] < needed:
                raise ValueError(
                    "Scan: the mit_mot buffer %s has %d rows; %d steps with taps %s (in) "
                    "and %s (out) need %d" % (node.inputs[self.seqs_arg_offset + j],
                                              buf.shape[0], n_steps, self.tap_array[j],
                                              self.mit_mot_out_slices[j], needed))
        lags = self._lags
        nit_sizes = [int(s) for s in inputs[self.nit_sot_arg_offset:
                                            self.nit_sot_arg_offset + self.n_nit_sot]]
        nit_buffers = [None] * self.n_nit_sot
        nit_dtypes = [o.dtype for o in node.outputs[n_outs:n_outs + self.n_nit_sot]]
        shared = list(inputs[self.shared_arg_offset:self.nit_sot_arg_offset])
        non_seqs = list(inputs[self.nit_sot_arg_offset + self.n_nit_sot:])
        for k in self._c_order_non_seqs:
            v = non_seqs[k]
            if n_steps > 1 and isinstance(v, np.ndarray) and not v.flags.c_contiguous:
                non_seqs[k] = np.ascontiguousarray(v)
        # Layout only: a nit_sot of n_steps rows listed there is written last step first
        # and returned as a reversed view, so that its reversal is contiguous.
        reversed_rows = self.info.get("reversed_nit_sot", ())
        nit_reversed = [j in reversed_rows and not self.as_while and nit_sizes[j] == n_steps
                        for j in range(self.n_nit_sot)]
        steps = run_steps(self.fn, n_steps, list(seqs), buffers, lags, self._taps,
                          self._out_taps, nit_buffers, nit_sizes, nit_dtypes, nit_reversed,
                          shared, non_seqs, bool(self.as_while))
        for buf in nit_buffers:
            if buf is not None and steps < buf.shape[0] and not self.as_while:
                buf[steps:] = 0  # rows no step wrote (a gradient cut by truncate_gradient)
        for j in range(n_outs):
            output_storage[j][0] = buffers[j] if j < self.n_mit_mot else \
                _in_order(buffers[j], steps + lags[j], self.as_while)
        for j in range(self.n_nit_sot):
            output_storage[n_outs + j][0] = nit_buffers[j][::-1] if nit_reversed[j] else \
                _in_order(nit_buffers[j], steps, self.as_while)
        for j in range(self.n_shared_outs):
            output_storage[n_outs + self.n_nit_sot + j][0] = shared[j]
        profile = getattr(self.fn, "profile", None)
        if profile is not None and hasattr(profile, "callcount"):
            profile.callcount += 1
            profile.nbsteps += steps
            profile.call_time += time.perf_counter() - t_call

    def _perform_no_step(self, node, inputs, output_storage):
        """Zero steps: the states keep their initial rows; a nit_sot is empty, with the
        row shape its infer_shape gives (Theano 1.0 raised NotImplementedError)."""
        if self.n_nit_sot and self._empty_shapes_fn is None:
            dummies = [v.type() for v in node.inputs]
            shapes = self.infer_shape(None, node.clone_with_new_inputs(dummies),
                                      [[d.shape[k] for k in range(d.ndim)]
                                       if getattr(d.type, "ndim", None) is not None else None
                                       for d in dummies])
            rows = [shapes[self.n_outs + j][1:] for j in range(self.n_nit_sot)]
            if any(r is None or any(d is None for d in r) for r in rows):
                raise NotImplementedError("We didn't implemented yet the case where scan do "
                                          "0 iteration")
            flat = [as_tensor_variable(d) for r in rows for d in r]
            self._empty_shapes_fn = (hooks.compile_function(
                dummies, flat, on_unused_input="ignore") if flat else None, rows)
        n_outs = self.n_outs
        for j in range(n_outs):
            buf = inputs[self.seqs_arg_offset + j]
            output_storage[j][0] = np.array(buf if j < self.n_mit_mot else
                                            buf[:-self.mintaps[j]], copy=True)
        if self.n_nit_sot:
            fn, rows = self._empty_shapes_fn
            dims = [int(d) for d in (fn(*inputs) if fn is not None else [])]
            for j, row in enumerate(rows):
                shape, dims = tuple(dims[:len(row)]), dims[len(row):]
                output_storage[n_outs + j][0] = np.empty(
                    (0,) + shape, dtype=node.outputs[n_outs + j].dtype)
        for j in range(self.n_shared_outs):
            output_storage[n_outs + self.n_nit_sot + j][0] = \
                inputs[self.shared_arg_offset + j]

    # ------------------------------------------------------------------ shapes

    def infer_shape(self, fgraph, node, input_shapes):
        # Inner input shapes in outer terms: a sequence's row, a state's row, a value.
        outer_shapes = input_shapes[1:self.shared_arg_offset] + \
            input_shapes[self.shared_arg_offset:self.nit_sot_arg_offset] + \
            input_shapes[self.nit_sot_arg_offset + self.n_nit_sot:]
        n_bufs = self.n_seqs + self.n_mit_sot + self.n_sit_sot
        inner_shapes, k = {}, 0
        for i, shp in enumerate(outer_shapes):
            row = tuple(shp[1:]) if i < n_bufs and shp is not None else shp
            for _ in range(self.n_taps_of_outer(i)):
                inner_shapes[self.inputs[k]] = row
                k += 1
        out_shapes = _propagate_shapes(self.inputs, self.outputs, inner_shapes)
        scan_outs = []
        for j in range(self.n_outs):
            scan_outs.append(tuple(input_shapes[self.seqs_arg_offset + j]))
        inner_inputs = set(self.inputs)
        for j in range(self.n_nit_sot):
            size = node.inputs[self.nit_sot_arg_offset + j]
            inner = out_shapes[self.n_state_outs + j]
            out = node.outputs[self.n_outs + j]
            if inner is None:
                inner = [None] * (out.ndim - 1)
            # An inner op's infer_shape may read its own inputs (a nested scan's n_steps,
            # computed from this step's row): such a length is in inner terms, and outside
            # the loop it would be a missing input. Those dimensions are read off the output.
            inner = [Shape_i(d + 1)(out) if dim is None or _reads_any(dim, inner_inputs)
                     else dim for d, dim in enumerate(inner)]
            scan_outs.append((size,) + tuple(inner))
        for j in range(self.n_shared_outs):
            out = node.outputs[self.n_outs + self.n_nit_sot + j]
            ndim = getattr(out.type, "ndim", None)
            scan_outs.append(None if ndim is None else
                             tuple(input_shapes[self.shared_arg_offset + j]))
        if self.as_while:
            scan_outs = [None if s is None else (Shape_i(0)(o),) + tuple(s[1:])
                         for o, s in zip(node.outputs, scan_outs)]
        return scan_outs

    def connection_pattern(self, node):
        # Which inner outputs read which inner inputs, mapped to the outer node, then closed
        # over the recurrence (a state's outputs feed its own taps at later steps).
        # n_steps, the nit_sot lengths and the shared values (random states) are not
        # differentiated: their rows, and the shared outputs' columns, stay False.
        m = self.var_mappings
        n_in, n_out = len(node.inputs), len(node.outputs)
        n_diff_out = self.n_outs + self.n_nit_sot
        not_differentiated = {0} | set(range(self.shared_arg_offset,
                                             self.nit_sot_arg_offset + self.n_nit_sot))
        inner_pattern = io_connection_pattern(self.inputs, self.outputs)
        pattern = [[False] * n_out for _ in range(n_in)]
        for i in range(n_in):
            if i in not_differentiated:
                continue
            for j in range(n_diff_out):
                pattern[i][j] = any(inner_pattern[k][o]
                                    for k in m["inner_inp_from_outer_inp"][i]
                                    for o in m["inner_out_from_outer_out"][j])
        changed = True
        while changed:
            changed = False
            for j in range(self.n_outs):  # the state j is its buffer input, read again
                state_in = self.seqs_arg_offset + j
                for o in range(n_diff_out):
                    if not pattern[state_in][o]:
                        continue
                    for i in range(n_in):
                        if pattern[i][j] and not pattern[i][o]:
                            pattern[i][o] = changed = True
        return pattern

    # ------------------------------------------------------------------ gradients

    def L_op(self, inputs, outputs, output_grads):
        # Backpropagation through time: a scan running backwards (pytheano/scan/grad.py).
        return Scan.build_grad(self, inputs, outputs, output_grads)

    def R_op(self, inputs, eval_points):
        # Forward-mode: a scan carrying the tangents beside the states (scan/grad.py).
        return Scan.build_rop(self, inputs, eval_points)


def _inputs_of(node_or_list):
    return node_or_list.inputs if isinstance(node_or_list, Apply) else node_or_list


def _outputs_of(node_or_list):
    return node_or_list.outputs if isinstance(node_or_list, Apply) else node_or_list


def _check_broadcast(v1, v2):
    """The outer value and its inner counterpart must agree on broadcastable dimensions."""
    if not hasattr(v1, "broadcastable") and not hasattr(v2, "broadcastable"):
        return
    msg = ("The broadcast pattern of the output of scan (%s) is inconsistent with the one "
           "provided in `output_info` (%s). The output on axis %d is `%r`, but it is `%r` on "
           "axis %d in `output_info`. This can happen if one of the dimension is fixed to 1 "
           "in the input, while it is still variable in the output, or vice-verca. You have "
           "to make them consistent, e.g. using theano.tensor."
           "{patternbroadcast,unbroadcast,addbroadcast}.")
    size = min(len(v1.broadcastable), len(v2.broadcastable))
    for n, (b1, b2) in enumerate(zip(v1.broadcastable[-size:], v2.broadcastable[-size:])):
        if b1 != b2:
            a1 = n + size - len(v1.broadcastable) + 1
            a2 = n + size - len(v2.broadcastable) + 1
            raise TypeError(msg % (v1.type, v2.type, a1, b1, b2, a2))


def _format(var, as_var):
    """``var`` cast to ``as_var``'s dtype and type (one more leading dimension allowed)."""
    if not hasattr(var, "dtype"):
        return var
    rval = var
    if rval.type.dtype != as_var.type.dtype:
        rval = rval.astype(as_var.type.dtype)
    if rval.ndim == as_var.ndim:
        return as_var.type.filter_variable(rval)
    tmp = as_var.type.clone(broadcastable=(tuple(var.broadcastable[:1])
                                           + tuple(as_var.broadcastable)))
    return tmp.filter_variable(rval)


def _check_state_out(outer, arg, inner_out):
    if inner_out.type.dtype != outer.type.dtype:
        raise ValueError(_err_msg2(outer, arg, inner_out.type.dtype))
    if inner_out.ndim != outer.ndim - 1:
        raise ValueError(_err_msg3(outer, arg, inner_out.ndim))


def _in_order(buf, filled, truncate):
    """A circular buffer after ``filled`` writes, in chronological order (and cut to what
    was filled when a while loop stopped early)."""
    size = buf.shape[0]
    if filled > size:
        start = filled % size
        if start:
            buf = np.concatenate([buf[start:], buf[:start]])
        return buf
    if truncate and filled < size:
        return buf[:filled]
    return buf


def _reads_any(dim, variables):
    """Whether the length expression ``dim`` is computed from any of ``variables``."""
    if not hasattr(dim, "owner"):
        return False  # a Python int
    return any(v in variables for v in graph_inputs([dim]))


def _propagate_shapes(inputs, outputs, input_shapes):
    """Symbolic shapes of ``outputs`` from those of ``inputs`` by the ops' infer_shape
    (None where an op cannot say)."""
    shapes = dict(input_shapes)
    for node in io_toposort(inputs, outputs):
        in_shapes = []
        for inp in node.inputs:
            if inp not in shapes:
                shapes[inp] = (tuple(inp.data.shape) if isinstance(inp, Constant)
                               and isinstance(getattr(inp, "data", None), np.ndarray)
                               else None)
            in_shapes.append(shapes[inp])
        result = None
        if hasattr(node.op, "infer_shape") and all(
                s is not None or getattr(i.type, "ndim", None) is None
                for s, i in zip(in_shapes, node.inputs)):
            try:
                result = op_infer_shape(None, node, in_shapes)
            except Exception:  # an op that needs the fgraph or cannot tell
                result = None
        for k, out in enumerate(node.outputs):
            shapes[out] = None if result is None else result[k]
    return [shapes.get(o) for o in outputs]
