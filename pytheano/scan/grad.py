"""The gradient (L_op: backpropagation through time) and R_op of a Scan, each built as
another scan with ``scan()``; installed on the op as ``Scan.build_grad`` / ``build_rop``
(op.py sits below basic.py, which these need).

Backward loop, over the steps in reverse: per recurrent state of lag L it carries a window
of L rows, the gradients that later steps sent to the L values before the current one (for
L = 1, the common case, that one gradient itself, not a window of one row: no indexing and
no padding per step); it
carries the sums of the non-sequences' gradients; per step it outputs the gradients of the
sequences. The forward values each step needs are read from the forward outputs.
"""
from collections import OrderedDict

from pytheano._core.graph import graph_inputs, io_toposort
from pytheano.configparser import change_flags, config
from pytheano.graph.basic import clone_replace
from pytheano.graph.grad_types import DisconnectedType, disconnected_type
from pytheano.graph.op import _compute_test_value as compute_test_value
from pytheano.gradient.autodiff import Rop, grad
from pytheano.scalar.basic import Second, discrete_types
from pytheano.scan.basic import scan
from pytheano.scan.op import Scan
from pytheano.tensor.basic import Alloc, NotScalarConstantError, get_scalar_constant_value, \
    patternbroadcast
from pytheano.tensor.elemwise import Elemwise
from pytheano.tensor.creation import zeros_like
from pytheano.tensor.join import concatenate
from pytheano.tensor.math import ge, minimum, switch, tensor_copy
from pytheano.tensor.shape import shape_padleft
from pytheano.tensor.slicing import IncSubtensor, get_idx_list
from pytheano.tensor.subtensor import inc_subtensor, set_subtensor

__all__ = ["scan_grad", "scan_rop"]


def _is_float(var):
    dtype = getattr(var.type, "dtype", None)
    return dtype is not None and dtype not in discrete_types


def _connected(g):
    return g is not None and not isinstance(g.type, DisconnectedType)


def _like(value, model):
    """``value`` with ``model``'s dtype and broadcast pattern."""
    if value.type.dtype != model.type.dtype:
        value = value.astype(model.type.dtype)
    if value.broadcastable != model.broadcastable:
        value = patternbroadcast(value, model.broadcastable)
    return value


class _Layout:
    """The op's inner and outer variables grouped by role, state by state."""

    def __init__(self, op, inputs, outputs):
        self.seq_inner = op.inner_seqs(op.inputs)
        self.seq_outer = op.outer_seqs(inputs)
        self.state_taps = op.tap_array
        self.state_inner, k = [], op.n_seqs
        for taps in op.tap_array:
            self.state_inner.append(op.inputs[k:k + len(taps)])
            k += len(taps)
        self.state_outs = op.outputs[:op.n_outs]
        self.state_buf = inputs[op.seqs_arg_offset:op.shared_arg_offset]
        self.state_res = outputs[:op.n_outs]
        self.nit_outs = op.inner_nitsot_outs(op.outputs)
        self.nit_res = op.outer_nitsot_outs(outputs)
        self.shared_inner = op.inner_shared(op.inputs)
        self.shared_outer = op.outer_shared(inputs)
        self.nonseq_inner = op.inner_non_seqs(op.inputs)
        self.nonseq_outer = op.outer_non_seqs(inputs)
        self.lags = [-min(taps) for taps in op.tap_array]


def _n_steps_done(op, inputs, outputs, lay):
    if not op.as_while:
        return inputs[0]
    if op.n_nit_sot:
        return lay.nit_res[0].shape[0]
    return lay.state_res[0].shape[0] - lay.lags[0]


def _zero_grad(x):
    """The gradient of an input nothing flows to: zeros (of floatX for an integer input, as
    a gradient may not be integer-valued)."""
    if not hasattr(x, "ndim"):
        return disconnected_type()
    return zeros_like(x, dtype=None if _is_float(x) else config.floatX)


def _constant(v):
    try:
        return int(get_scalar_constant_value(v))
    except (NotScalarConstantError, TypeError, ValueError):
        return None


def _is_zeros(v):
    """Whether ``v`` is built as zeros (``zeros_like``: second(x, 0), or Alloc(0, ...))."""
    owner = v.owner
    if owner is None:
        return False
    if isinstance(owner.op, Elemwise) and isinstance(owner.op.scalar_op, Second):
        return _constant(owner.inputs[1]) == 0
    if isinstance(owner.op, Alloc):
        return _constant(owner.inputs[0]) == 0
    return False


def _increment(v):
    """(zeros it increments, value, constant index) when ``v`` is inc_subtensor of zeros at
    one constant index, else None."""
    owner = v.owner
    if owner is None or not isinstance(owner.op, IncSubtensor) or \
            len(owner.op.idx_list) != 1 or not _is_zeros(owner.inputs[0]):
        return None
    (entry,) = get_idx_list(owner.inputs[:1] + owner.inputs[2:], owner.op.idx_list)
    if isinstance(entry, slice):
        if entry.stop is not None or entry.step is not None:
            return None
        entry = slice(_constant(entry.start), None, None) if entry.start is not None else \
            slice(0, None, None)
        if entry.start is None:
            return None
    else:
        entry = _constant(entry)
        if entry is None:
            return None
    return owner.inputs[0], owner.inputs[1], entry


def _last_row_gradient(g, lag):
    """``v`` when ``g``, the gradient of a state's buffer (lag initial rows, then one row
    per step), is zeros but for its last row ``v``: the gradient of ``outputs[-1]``
    (``inc_subtensor(zeros[lag:], inc_subtensor(zeros[-1], v))``, as grad builds it). The
    backward loop then starts from v instead of reading a sequence of zeros."""
    outer = _increment(g)
    if outer is None or outer[2] != slice(lag, None, None):
        return None
    inner = _increment(outer[1])
    if inner is None or inner[2] != -1 or inner[1].ndim != g.ndim - 1:
        return None
    return inner[1]


def _reuse_forward_outputs(graph, forward_outs):
    """``graph`` with each node that recomputes a forward output (the same op on the same
    inputs, e.g. the ``tanh(x)`` in tanh's gradient) replaced by that output, which the
    backward step then reads from the forward results."""
    known = {}
    for out in forward_outs:
        if out.owner is not None:
            known.setdefault((out.owner.op, tuple(out.owner.inputs), out.index), out)
    if not known or not graph:
        return graph
    replace = OrderedDict()
    for node in io_toposort(graph_inputs(graph), graph):
        for out in node.outputs:
            twin = known.get((node.op, tuple(node.inputs), out.index))
            if twin is not None and twin is not out and twin.type == out.type:
                replace[out] = twin
    return clone_replace(graph, replace=replace, strict=False) if replace else graph


def _with_test_values(build):
    """``build`` run with test values off (its inner placeholders have none); then, under
    config.compute_test_value, the test values of the outer results it returns."""
    def wrapped(op, inputs, *rest):
        with change_flags(compute_test_value="off"):
            results = build(op, inputs, *rest)
        if config.compute_test_value != "off":
            done = [r for r in results if r is not None and hasattr(r, "owner")
                    and not isinstance(r.type, DisconnectedType)]
            for node in io_toposort(list(inputs), done):
                if any(getattr(o.tag, "test_value", None) is None for o in node.outputs):
                    compute_test_value(node)
        return results
    wrapped.__doc__ = build.__doc__
    return wrapped


def scan_grad(op, inputs, outputs, output_grads):
    lay = _Layout(op, inputs, outputs)
    n = _n_steps_done(op, inputs, outputs, lay)
    m = n if op.truncate_gradient == -1 else minimum(n, op.truncate_gradient)
    n_outs = op.n_outs
    state_grads = output_grads[:n_outs]
    nit_grads = op.outer_nitsot_outs(output_grads)

    # The step's vector-Jacobian product, on the forward inner graph, seeded by
    # placeholders for the gradients of its outputs.
    f_states = [j for j in range(n_outs) if _is_float(lay.state_outs[j])]
    f_nits = [i for i in range(op.n_nit_sot)
              if _is_float(lay.nit_outs[i]) and _connected(nit_grads[i])]
    g_state = {j: lay.state_outs[j].type() for j in f_states}
    g_nit = {i: lay.nit_outs[i].type() for i in f_nits}
    # Each seed goes on a copy of its output that nothing else reads: a known gradient is
    # the whole gradient of its variable, so a seed on an output that another output is
    # computed from (an LSTM's cell c_t under h_t = o * tanh(c_t)) would drop what flows
    # back from the other; on copies every path adds up, as do several seeds on one output.
    seeds = [(lay.state_outs[j], g_state[j]) for j in f_states] + \
        [(lay.nit_outs[i], g_nit[i]) for i in f_nits]
    known = OrderedDict((tensor_copy(out), g) for out, g in seeds)
    f_seqs = [k for k, v in enumerate(lay.seq_inner) if _is_float(v)]
    f_nonseqs = [k for k, v in enumerate(lay.nonseq_inner) if _is_float(v)]
    wrt = [lay.seq_inner[k] for k in f_seqs]
    for j in f_states:
        wrt.extend(lay.state_inner[j])
    wrt += [lay.nonseq_inner[k] for k in f_nonseqs]
    vjp = grad(None, wrt, known_grads=known, disconnected_inputs="ignore",
               return_disconnected="zero") if known and wrt else [w.zeros_like() for w in wrt]
    vjp = [_like(g, w) for g, w in zip(vjp, wrt)]
    vjp = _reuse_forward_outputs(vjp, lay.state_outs + lay.nit_outs)

    # A sit_sot state whose cost reads only its last value starts the backward loop's
    # carry from that gradient (no sequence of zeros added at every step).
    seeds = {}
    for j in f_states:
        if lay.lags[j] == 1 and _connected(state_grads[j]):
            last = _last_row_gradient(state_grads[j], 1)
            if last is not None:
                seeds[j] = _like(last, lay.state_outs[j])
    # The backward loop's sequences (all of length n, read from the last step back).
    sequences, seq_roles = [], []
    for j in f_states:
        if _connected(state_grads[j]) and j not in seeds:
            sequences.append(state_grads[j][lay.lags[j]:lay.lags[j] + n])
            seq_roles.append(("g_state", j))
    for i in f_nits:
        sequences.append(nit_grads[i][:n])
        seq_roles.append(("g_nit", i))
    for k, outer in enumerate(lay.seq_outer):
        sequences.append(outer[:n])
        seq_roles.append(("seq", k))
    for j, taps in enumerate(lay.state_taps):
        buf, lag = lay.state_res[j], lay.lags[j]
        for t_idx, tap in enumerate(taps):
            sequences.append(buf[lag + tap:lag + tap + n])
            seq_roles.append(("state", (j, t_idx)))
    # The forward outputs, so the backward step reads them instead of recomputing them.
    inner_inputs = set(op.inputs)
    for j, out in enumerate(lay.state_outs):
        if out.owner is not None and out not in inner_inputs:
            lag = lay.lags[j]
            sequences.append(lay.state_res[j][lag:lag + n])
            seq_roles.append(("out", out))
    for i, out in enumerate(lay.nit_outs):
        if out.owner is not None and out not in inner_inputs:
            sequences.append(lay.nit_res[i][:n])
            seq_roles.append(("out", out))
    windows_init = [seeds[j] if j in seeds else
                    zeros_like(lay.state_res[j][0] if lay.lags[j] == 1 else
                               lay.state_res[j][:lay.lags[j]]) for j in f_states]
    acc_init = [zeros_like(lay.nonseq_outer[k]) for k in f_nonseqs]
    non_sequences = list(lay.nonseq_outer) + list(lay.shared_outer)
    n_seq, n_win, n_acc = len(sequences), len(windows_init), len(acc_init)

    def step(*args):
        seq_args = args[:n_seq]
        windows = args[n_seq:n_seq + n_win]
        accs = args[n_seq + n_win:n_seq + n_win + n_acc]
        nonseq_args = args[n_seq + n_win + n_acc:]
        replace = OrderedDict()
        g_state_t = {}
        for (role, key), value in zip(seq_roles, seq_args):
            if role == "g_state":
                g_state_t[key] = value
            elif role == "g_nit":
                replace[g_nit[key]] = value
            elif role == "seq":
                replace[lay.seq_inner[key]] = value
            elif role == "out":
                replace[key] = value
            else:
                j, t_idx = key
                replace[lay.state_inner[j][t_idx]] = value
        for w, j in zip(windows, f_states):
            latest = w if lay.lags[j] == 1 else w[0]
            total = latest + g_state_t[j] if j in g_state_t else latest
            replace[g_state[j]] = _like(total, lay.state_outs[j])
        n_nonseq = len(lay.nonseq_inner)
        for inner, value in zip(lay.nonseq_inner, nonseq_args[:n_nonseq]):
            replace[inner] = value
        for inner, value in zip(lay.shared_inner, nonseq_args[n_nonseq:]):
            replace[inner] = value
        grads = clone_replace(vjp, replace=replace, strict=False) if vjp else []
        pos = 0
        seq_g = grads[pos:pos + len(f_seqs)]
        pos += len(f_seqs)
        new_windows = []
        for w, j in zip(windows, f_states):
            taps = lay.state_taps[j]
            contrib = grads[pos:pos + len(taps)]
            pos += len(taps)
            if lay.lags[j] == 1:
                new_windows.append(contrib[0])
                continue
            shifted = concatenate([w[1:], zeros_like(w[:1])])
            for tap, c in zip(taps, contrib):
                shifted = inc_subtensor(shifted[-tap - 1], c)
            new_windows.append(shifted)
        new_accs = [a + g for a, g in zip(accs, grads[pos:pos + len(f_nonseqs)])]
        return new_windows + new_accs + list(seq_g)

    outputs_info = windows_init + acc_init + [None] * len(f_seqs)
    if outputs_info:
        results, _ = scan(step, sequences=sequences, outputs_info=outputs_info,
                          non_sequences=non_sequences, n_steps=m, go_backwards=True,
                          mode=op.mode, name="grad_of_" + op.name, return_list=True)
    else:
        # Nothing is differentiable (every state, sequence and non-sequence is an integer):
        # no backward loop, every gradient below is zero.
        results = []
    windows_res = results[:n_win]
    acc_res = results[n_win:n_win + n_acc]
    seq_res = results[n_win + n_acc:]

    grads = [disconnected_type()]
    # Sequences: the reversed per-step gradients, back in time order, in the last m steps.
    seq_grad_of = dict(zip(f_seqs, seq_res))
    for k, outer in enumerate(lay.seq_outer):
        if k in seq_grad_of:
            g = seq_grad_of[k][::-1]
            grads.append(set_subtensor(zeros_like(outer)[n - m:n], g))
        else:
            grads.append(_zero_grad(outer))
    # States: the initial rows of a buffer receive the final window (reversed: the window
    # starts with the latest value) when the loop went back to the first step.
    window_of = dict(zip(f_states, windows_res))
    for j, buf in enumerate(lay.state_buf):
        if j not in window_of:
            grads.append(_zero_grad(buf))
            continue
        lag = lay.lags[j]
        init = shape_padleft(window_of[j][-1]) if lag == 1 else window_of[j][-1][::-1]
        if op.truncate_gradient != -1:
            init = switch(ge(m, n), init, zeros_like(init))
        if _connected(state_grads[j]) and j not in seeds:
            init = init + state_grads[j][:lag]
        grads.append(set_subtensor(zeros_like(buf)[:lag], init.astype(buf.dtype)))
    grads += [disconnected_type() for _ in lay.shared_outer]
    grads += [disconnected_type() for _ in range(op.n_nit_sot)]
    acc_of = dict(zip(f_nonseqs, acc_res))
    for k, outer in enumerate(lay.nonseq_outer):
        if k in acc_of:
            grads.append(_like(acc_of[k][-1], outer))
        else:
            grads.append(_zero_grad(outer))
    # Inputs no output depends on get no gradient.
    pattern = op.connection_pattern(outputs[0].owner)
    used = [k for k, g in enumerate(output_grads) if _connected(g)]
    return [g if any(row[k] for k in used) else disconnected_type()
            for g, row in zip(grads, pattern)]


def scan_rop(op, inputs, eval_points):
    """Forward mode: a scan carrying each state's tangent beside it."""
    lay = _Layout(op, inputs, [None] * (op.n_outs + op.n_nit_sot + op.n_shared_outs))
    n = inputs[0]
    ev_seq = eval_points[1:op.seqs_arg_offset]
    ev_buf = eval_points[op.seqs_arg_offset:op.shared_arg_offset]
    ev_nonseq = op.outer_non_seqs(eval_points)

    def ev_or_zeros(ev, outer):
        return zeros_like(outer) if ev is None else ev

    sequences = [s[:n] for s in lay.seq_outer] + \
        [ev_or_zeros(e, s)[:n] for e, s in zip(ev_seq, lay.seq_outer)]
    outputs_info = []
    for buf, lag, taps in zip(lay.state_buf, lay.lags, lay.state_taps):
        outputs_info.append({"initial": buf[:lag] if taps != [-1] else buf[0], "taps": taps})
    for e, buf, lag, taps in zip(ev_buf, lay.state_buf, lay.lags, lay.state_taps):
        tangent = ev_or_zeros(e, buf)
        outputs_info.append({"initial": tangent[:lag] if taps != [-1] else tangent[0],
                             "taps": taps})
    outputs_info += [None] * (2 * op.n_nit_sot)
    non_sequences = list(lay.nonseq_outer) + \
        [ev_or_zeros(e, q) for e, q in zip(ev_nonseq, lay.nonseq_outer)] + \
        list(lay.shared_outer)
    n_seq, n_states = len(lay.seq_outer), op.n_outs
    tangents_inner = [v.type() for v in op.inputs]
    outs = lay.state_outs + lay.nit_outs
    wrt = [v for v in op.inputs if _is_float(v) and v not in lay.shared_inner]
    evs = [tangents_inner[op.inputs.index(v)] for v in wrt]
    jvp = Rop(outs, wrt, evs) if wrt else [o.zeros_like() for o in outs]
    jvp = [_like(j, o) for j, o in zip(jvp, outs)]

    def step(*args):
        seq_vals = args[:n_seq]
        seq_tans = args[n_seq:2 * n_seq]
        rest = args[2 * n_seq:]
        n_state_in = sum(len(t) for t in lay.state_taps)
        state_vals, state_tans = rest[:n_state_in], rest[n_state_in:2 * n_state_in]
        rest = rest[2 * n_state_in:]
        n_q = len(lay.nonseq_outer)
        q_vals, q_tans, s_vals = rest[:n_q], rest[n_q:2 * n_q], rest[2 * n_q:]
        replace = OrderedDict()
        state_inner = [v for group in lay.state_inner for v in group]
        for inner_list, vals, tans in ((lay.seq_inner, seq_vals, seq_tans),
                                       (state_inner, state_vals, state_tans),
                                       (lay.nonseq_inner, q_vals, q_tans)):
            for inner, val, tan in zip(inner_list, vals, tans):
                replace[inner] = val
                replace[tangents_inner[op.inputs.index(inner)]] = tan
        for inner, val in zip(lay.shared_inner, s_vals):
            replace[inner] = val
        new = clone_replace(outs + jvp, replace=replace, strict=False)
        values, tans = new[:len(outs)], new[len(outs):]
        return values[:n_states] + tans[:n_states] + values[n_states:] + tans[n_states:]

    results, _ = scan(step, sequences=sequences, outputs_info=outputs_info,
                      non_sequences=non_sequences, n_steps=n, mode=op.mode,
                      name="rop_of_" + op.name, return_list=True)
    rops = []
    for j in range(n_states):
        tangent = results[n_states + j]
        # The full buffer: scan() sliced the initial rows off; the node's output has them.
        rops.append(tangent.owner.inputs[0])
    n_nit = op.n_nit_sot
    rops += results[2 * n_states + n_nit:2 * n_states + 2 * n_nit]
    rops += [None] * op.n_shared_outs
    return rops


Scan.build_grad = staticmethod(_with_test_values(scan_grad))
Scan.build_rop = staticmethod(_with_test_values(scan_rop))
