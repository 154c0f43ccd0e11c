"""The gradient (L_op: backpropagation through time) and R_op of a Scan; installed on the op
as ``Scan.build_grad`` / ``build_rop`` (they need the autodiff, which sits above op.py).

The gradient is another Scan built in Theano 1.0's layout, so that it prints as Theano's
(``for{cpu,grad_of_scan_fn}``) and its rewrites see the same loop. Running over the forward
steps in reverse:

- each forward state (mit_mot, mit_sot, sit_sot) becomes a **mit_mot**: a buffer that starts
  as the reversed gradient of the state's outputs; step t reads its row t (the gradient of
  x[t], complete once the later steps have added theirs) and the rows t + lag of the taps,
  and adds the step's gradients of x[t - lag] into them;
- each non-sequence becomes a **sit_sot** accumulating its gradient (its last row is the
  sum over the steps);
- each sequence becomes a **nit_sot**: its gradient at every step;
- the forward inputs the step's gradient reads (sequences, the states' past values, the
  outputs themselves where the gradient reuses them, as tanh's does) are sequences of it,
  read from the forward results.
"""
from collections import OrderedDict

from pytheano._core.graph import graph_inputs, io_toposort
from pytheano.configparser import change_flags, config
from pytheano.graph.basic import clone_replace
from pytheano.graph.grad_types import DisconnectedType, NullType, disconnected_type, \
    grad_undefined
from pytheano.graph.op import _compute_test_value as compute_test_value
from pytheano.gradient.autodiff import Rop, grad
from pytheano.scalar.basic import discrete_types, upcast
from pytheano.scan.op import Scan
from pytheano.scan.utils import forced_replace, safe_new
from pytheano.tensor.basic import patternbroadcast
from pytheano.tensor.creation import zeros, zeros_like
from pytheano.tensor.join import concatenate
from pytheano.tensor.math import minimum

__all__ = ["scan_grad", "scan_rop"]

# Theano's reason, then what to do about it.
_THROUGH_SHARED = ("Depends on a shared variable (one that fn updates, such as a random "
                   "stream drawn inside the loop: the backward loop cannot see its value at "
                   "each step). Draw the random numbers before scan and pass them in "
                   "`sequences`")


def _is_float(var):
    dtype = getattr(var.type, "dtype", None)
    return dtype is not None and dtype not in discrete_types


def _disconnected(g):
    return isinstance(g.type, DisconnectedType)


def _like(value, model):
    """``value`` with ``model``'s dtype and broadcast pattern."""
    if value.type.dtype != model.type.dtype:
        value = value.astype(model.type.dtype)
    if value.broadcastable != model.broadcastable:
        value = patternbroadcast(value, model.broadcastable)
    return value


def _with_test_values(build):
    """``build`` run with test values off (its inner placeholders have none); then, under
    config.compute_test_value, the test values of the outer results it returns."""
    def wrapped(op, inputs, *rest):
        with change_flags(compute_test_value="off"):
            results = build(op, inputs, *rest)
        if config.compute_test_value != "off":
            done = [r for r in results if r is not None and hasattr(r, "owner")
                    and not isinstance(r.type, (DisconnectedType, NullType))]
            for node in io_toposort(list(inputs), done):
                if any(getattr(o.tag, "test_value", None) is None for o in node.outputs):
                    compute_test_value(node)
        return results
    wrapped.__doc__ = build.__doc__
    return wrapped


def _grad_steps(op, inputs, outs):
    """How many steps the forward loop ran (a while loop: read off an output's length),
    cut to truncate_gradient."""
    if op.n_nit_sot:
        steps = op.outer_nitsot_outs(outs)[0].shape[0]
    elif op.n_sit_sot:
        steps = op.outer_sitsot_outs(outs)[0].shape[0] - 1
    elif op.n_mit_sot:
        steps = op.outer_mitsot_outs(outs)[0].shape[0] + op.mintaps[op.n_mit_mot]
    else:
        steps = inputs[0]
    if op.truncate_gradient != -1:
        steps = minimum(steps, op.truncate_gradient)
    return steps


def _kind(grad_expr, disconnected, shared_inner):
    """How an inner gradient maps to the outer one: 'connected', 'disconnected',
    'through_shared' (it reads a shared value the loop updates: the backward steps would
    see its first value only, so the gradient is undefined, as in Theano) or a NullType's
    reason."""
    if isinstance(grad_expr.type, NullType):
        return grad_expr.type.why_null
    if shared_inner and any(v in shared_inner for v in graph_inputs([grad_expr])):
        return "through_shared"
    return "disconnected" if disconnected else "connected"


def _state_kind(grad_exprs, disconnected, shared_inner):
    """The kind (``_kind``) of a state's gradient from its taps': undefined if one is, else
    through_shared if one is, else disconnected if all are."""
    kinds = [_kind(g, d, shared_inner) for g, d in zip(grad_exprs, disconnected)]
    for kind in kinds:
        if kind not in ("connected", "disconnected", "through_shared"):
            return kind  # a NullType's reason
    if "through_shared" in kinds:
        return "through_shared"
    return "disconnected" if all(k == "disconnected" for k in kinds) else "connected"


def _inner_or_zeros(grad_expr, model):
    """An inner output: the gradient, or zeros where it is undefined (no NullType inside)."""
    if isinstance(grad_expr.type, NullType):
        return zeros(model.shape, dtype=config.floatX)
    return grad_expr


def _outer_gradient(op, kind, value, pos, inputs):
    if kind == "connected":
        return value
    if kind == "disconnected":
        return disconnected_type()
    if kind == "through_shared":
        return grad_undefined(op, pos, inputs[pos], _THROUGH_SHARED)
    return NullType(kind)()


def scan_grad(op, inputs, outs, dC_douts):
    node = outs[0].owner
    pattern = op.connection_pattern(node)
    var_map = op.var_mappings
    grad_steps = _grad_steps(op, inputs, outs)
    n_steps = outs[0].shape[0] if op.as_while else None
    inner_in, inner_out = op.inputs, op.outputs
    n_seqs = op.n_seqs
    shared_inner = set(op.inner_shared(inner_in))

    diff_inputs = (op.inner_seqs(inner_in) + op.inner_mitmot(inner_in) +
                   op.inner_mitsot(inner_in) + op.inner_sitsot(inner_in) +
                   op.inner_non_seqs(inner_in))
    diff_outputs = (op.inner_mitmot_outs(inner_out) + op.inner_mitsot_outs(inner_out) +
                    op.inner_sitsot_outs(inner_out) + op.inner_nitsot_outs(inner_out))
    nit_start = op.n_state_outs
    states_inner = op.inner_mitmot(inner_in) + op.inner_mitsot(inner_in) + \
        op.inner_sitsot(inner_in)

    # Placeholders: the gradient of each inner output at this step (dC_dXts, the seeds of
    # the step's gradient: known_grads) and, for the mit_sot/sit_sot/nit_sot outputs, the
    # output's forward value (Xts).
    dC_dXts, Xts, known_grads = [], [], OrderedDict()
    for idx, Xt in enumerate(diff_outputs):
        if idx >= op.n_mit_mot_outs:
            Xts.append(safe_new(Xt))
        if idx < nit_start:
            reads = set(graph_inputs([Xt]))
            state_grads = [dC_douts[var_map["outer_out_from_inner_inp"][n_seqs + pos]]
                           for pos, inp in enumerate(states_inner) if inp in reads]
            dtypes = [g.dtype for g in state_grads if not _disconnected(g)]
            dC_dXt = safe_new(Xt, dtype=upcast(*dtypes) if dtypes else config.floatX)
        else:
            g = dC_douts[op.n_outs + idx - nit_start]
            if _disconnected(g):
                continue
            dC_dXt = safe_new(g[0])
        dC_dXts.append(dC_dXt)
        known_grads[Xt] = known_grads[Xt] + dC_dXt if Xt in known_grads else dC_dXt

    dC_dinps_t = _step_gradients(op, known_grads, diff_inputs, pattern, node)
    disconnected = [g is None for g in dC_dinps_t]
    for dx, g in enumerate(dC_dinps_t):
        if g is None:
            dC_dinps_t[dx] = zeros_like(diff_inputs[dx])
        else:
            for Xt, placeholder in zip(diff_outputs[op.n_mit_mot_outs:], Xts):
                g = forced_replace(g, Xt, placeholder)
            dC_dinps_t[dx] = g

    # dC_dXtm1s: what later steps sent back to each input (a state's tap: the rows of its
    # mit_mot; a non-sequence: its accumulator), added to this step's gradient.
    n_state_taps = sum(len(t) for t in op.tap_array)
    dC_dXtm1s = []
    for pos, g in enumerate(dC_dinps_t[n_seqs:]):
        outs_of_inp = var_map["inner_out_from_inner_inp"][n_seqs + pos]
        if pos < n_state_taps and outs_of_inp:
            model = dC_dXts[outs_of_inp[0]]
            dC_dXtm1s.append(safe_new(model))
            if hasattr(g, "dtype") and g.dtype != model.dtype:
                dC_dinps_t[n_seqs + pos] = g.astype(model.dtype)
        else:
            dC_dXtm1s.append(safe_new(g))
    for dx, carried in enumerate(dC_dXtm1s):
        total = dC_dinps_t[n_seqs + dx]
        if isinstance(total.type, NullType):
            continue
        dC_dinps_t[n_seqs + dx] = carried if isinstance(carried.type, NullType) else \
            total + carried

    # The backward loop's sequences, each reversed and cut to grad_steps.
    def reversed_steps(x):
        return x[n_steps - 1::-1] if op.as_while else x[::-1]

    outer_seqs = [reversed_steps(x) for x in op.outer_seqs(inputs)]
    for idx in range(op.n_tap_outs):
        taps = op.tap_array[idx]
        mintap = min(taps)
        outmaxtap = max(op.mit_mot_out_slices[idx]) if idx < op.n_mit_mot else 0
        for tap in taps:
            stop = -(outmaxtap - tap) if outmaxtap != tap else None
            outer_seqs.append(outs[idx][tap - mintap:stop][::-1])
    outer_seqs += [x[:-1][::-1] for x in op.outer_sitsot_outs(outs)]
    outer_seqs += [reversed_steps(g) for g in op.outer_nitsot_outs(dC_douts)
                   if not _disconnected(g)]
    outer_seqs += [x[::-1][:min(taps)] for taps, x in
                   zip(op.mitsot_taps(), op.outer_mitsot_outs(outs))]
    outer_seqs += [x[::-1][:-1] for x in op.outer_sitsot_outs(outs)]
    outer_seqs += [x[::-1] for x in op.outer_nitsot_outs(outs)]
    outer_seqs = [s[:grad_steps] for s in outer_seqs]
    inner_seqs = (op.inner_seqs(inner_in) + op.inner_mitmot(inner_in) +
                  op.inner_mitsot(inner_in) + op.inner_sitsot(inner_in) +
                  op.inner_nitsot_outs(dC_dXts) + Xts)

    # Each forward state becomes a mit_mot (module docstring).
    outer_mitmot, inner_mitmot, inner_out_mitmot = [], [], []
    mitmot_in_taps, mitmot_out_taps, kinds = [], [], []
    out_pos, ins_pos = 0, n_seqs
    for idx in range(op.n_mit_mot):
        g = dC_douts[idx]
        outer_mitmot.append(zeros_like(outs[idx]) if _disconnected(g) else g[::-1])
        in_taps, out_taps = [], []
        for out_tap in op.mit_mot_out_slices[idx]:
            inner_mitmot.append(dC_dXts[out_pos])
            in_taps.append(-out_tap)
            out_pos += 1
        first = ins_pos
        for tap in op.tap_array[idx]:
            carried = dC_dXtm1s[ins_pos - n_seqs]
            total = dC_dinps_t[ins_pos]
            if -tap in in_taps and not isinstance(total.type, NullType):
                # That row already has an inner input (an output tap's gradient): the
                # gradient flowing in reads it, not a second placeholder.
                shared_row = inner_mitmot[len(inner_mitmot) - len(in_taps) +
                                          in_taps.index(-tap)]
                total = clone_replace(total, replace=[(carried, shared_row)], strict=False)
            elif -tap not in in_taps:
                inner_mitmot.append(carried)
                in_taps.append(-tap)
            inner_out_mitmot.append(_inner_or_zeros(total, diff_inputs[ins_pos]))
            out_taps.append(-tap)
            ins_pos += 1
        mitmot_in_taps.append(in_taps)
        mitmot_out_taps.append(out_taps)
        kinds.append(_state_kind(dC_dinps_t[first:ins_pos], disconnected[first:ins_pos],
                                 shared_inner))
    for idx in range(op.n_mit_mot, op.n_tap_outs):
        g = dC_douts[idx]
        outer_mitmot.append(zeros_like(outs[idx]) if _disconnected(g) else g[::-1])
        inner_mitmot.append(dC_dXts[out_pos])
        out_pos += 1
        first = ins_pos
        for _ in op.tap_array[idx]:
            inner_mitmot.append(dC_dXtm1s[ins_pos - n_seqs])
            inner_out_mitmot.append(_inner_or_zeros(dC_dinps_t[ins_pos], diff_inputs[ins_pos]))
            ins_pos += 1
        mitmot_in_taps.append([0] + [-tap for tap in op.tap_array[idx]])
        mitmot_out_taps.append([-tap for tap in op.tap_array[idx]])
        kinds.append(_state_kind(dC_dinps_t[first:ins_pos], disconnected[first:ins_pos],
                                 shared_inner))
    for idx in range(op.n_tap_outs, op.n_outs):
        g = dC_douts[idx]
        total = dC_dinps_t[ins_pos]
        if not _disconnected(g):
            outer_mitmot.append(g[::-1])
        else:
            outer_mitmot.append(zeros(outs[idx].shape, dtype=config.floatX if isinstance(
                total.type, NullType) else total.dtype))
        inner_out_mitmot.append(_inner_or_zeros(total, diff_inputs[ins_pos]))
        kinds.append(_kind(total, disconnected[ins_pos], shared_inner))
        inner_mitmot += [dC_dXts[out_pos], dC_dXtm1s[ins_pos - n_seqs]]
        mitmot_in_taps.append([0, 1])
        mitmot_out_taps.append([1])
        out_pos += 1
        ins_pos += 1

    # Non-sequences: sit_sot accumulators; sequences: nit_sots.
    inner_out_sitsot = [_inner_or_zeros(g, diff_inputs[ins_pos + p])
                        for p, g in enumerate(dC_dinps_t[ins_pos:])]
    kinds += [_kind(g, disconnected[ins_pos + p], shared_inner)
              for p, g in enumerate(dC_dinps_t[ins_pos:])]
    inner_out_nitsot = [_inner_or_zeros(g, diff_inputs[p])
                        for p, g in enumerate(dC_dinps_t[:n_seqs])]
    kinds += [_kind(g, disconnected[p], shared_inner)
              for p, g in enumerate(dC_dinps_t[:n_seqs])]
    inner_sitsot = dC_dXtm1s[ins_pos - n_seqs:]
    outer_sitsot = []
    for p, carried in enumerate(inner_sitsot):
        x = op.outer_non_seqs(inputs)[p]
        null = isinstance(carried.type, NullType)
        outer_sitsot.append(zeros([grad_steps + 1] + [x.shape[i] for i in range(x.ndim)],
                                  dtype=config.floatX if null else carried.dtype))
        if null:
            inner_sitsot[p] = zeros(diff_inputs[ins_pos + p].shape, dtype=config.floatX)

    n_sitsot = len(outer_sitsot)
    info = OrderedDict()
    info["n_seqs"] = len(outer_seqs)
    info["n_mit_sot"] = 0
    info["tap_array"] = mitmot_in_taps + [[-1] for _ in range(n_sitsot)]
    info["gpua"] = False
    info["n_mit_mot"] = len(outer_mitmot)
    info["n_mit_mot_outs"] = sum(len(t) for t in mitmot_out_taps)
    info["mit_mot_out_slices"] = mitmot_out_taps
    info["truncate_gradient"] = op.truncate_gradient
    info["n_sit_sot"] = n_sitsot
    info["n_shared_outs"] = 0
    info["n_nit_sot"] = n_seqs
    info["as_while"] = False
    info["profile"] = op.profile
    info["destroy_map"] = OrderedDict()
    info["name"] = "grad_of_" + op.name if op.name else None
    info["mode"] = op.mode
    info["allow_gc"] = op.allow_gc
    outer_inputs = ([grad_steps] + outer_seqs + outer_mitmot + outer_sitsot +
                    [n_steps if op.as_while else inputs[0]] * n_seqs +
                    op.outer_shared(inputs) + op.outer_non_seqs(inputs))
    inner_inputs = (inner_seqs + inner_mitmot + inner_sitsot + op.inner_shared(inner_in) +
                    op.inner_non_seqs(inner_in))
    back = Scan(inner_inputs, inner_out_mitmot + inner_out_sitsot + inner_out_nitsot, info)
    results = back(*outer_inputs, return_list=True)

    # The outer gradients, in the order of the forward node's inputs.
    def padded(x, length):
        # A while loop's gradient, back in time order, padded to the sequence's length.
        shape = (inputs[0] - length,) + tuple(x.shape[i] for i in range(1, x.ndim))
        return concatenate([x[::-1], zeros(shape, dtype=x.dtype)], axis=0)

    gradients = [disconnected_type()]
    first_nit = op.n_outs + n_sitsot
    for p, (x, kind) in enumerate(zip(results[first_nit:first_nit + n_seqs],
                                      kinds[first_nit:first_nit + n_seqs])):
        x = padded(x, n_steps) if op.as_while else x[::-1]
        gradients.append(_outer_gradient(op, kind, x, p + 1, inputs))
    for p, (x, kind) in enumerate(zip(results[:op.n_outs], kinds[:op.n_outs])):
        x = padded(x, grad_steps) if op.as_while else x[::-1]
        gradients.append(_outer_gradient(op, kind, x, p + 1 + n_seqs, inputs))
    # The shared values (a random stream's state) and the nit_sot lengths are not
    # differentiated: connection_pattern leaves their rows False.
    gradients += [disconnected_type() for _ in range(op.n_shared_outs + op.n_nit_sot)]
    for x, kind in zip(results[op.n_outs:op.n_outs + n_sitsot],
                       kinds[op.n_outs:op.n_outs + n_sitsot]):
        pos = len(gradients)
        gradients.append(_outer_gradient(op, kind, x[-1], pos, inputs))
    # Inputs that no output with a gradient depends on get none (the loop computed zeros).
    for idx, row in enumerate(pattern):
        if not any(c and not _disconnected(g) for g, c in zip(dC_douts, row)):
            gradients[idx] = disconnected_type()
    return gradients


def _step_gradients(op, known_grads, diff_inputs, pattern, node):
    """The gradient of one step: each differentiable inner input's, seeded with the
    placeholders of its outputs' gradients (None where none flows)."""
    for g in known_grads.values():
        if str(g.dtype) in discrete_types:
            raise TypeError("Gradients may never be integers but g_y has type " +
                            str(g.type))
    var_map = op.var_mappings
    out_idx = [var_map["outer_out_from_inner_out"][op.outputs.index(y)] for y in known_grads]
    connected = {i for i in range(len(node.inputs)) if any(pattern[i][o] for o in out_idx)}
    diff = set(diff_inputs)
    wrt = [x for x in graph_inputs(list(known_grads)) if x in diff and
           var_map["outer_inp_from_inner_inp"][op.inputs.index(x)] in connected]
    # Each seed on a copy of its output: when an output is computed from another (an
    # LSTM's h_t from c_t) and both have a gradient, the other's reaches it as well.
    seeds = OrderedDict((y.copy(), g) for y, g in known_grads.items())
    grads = grad(None, wrt, known_grads=seeds, consider_constant=wrt,
                 disconnected_inputs="ignore", return_disconnected="None",
                 null_gradients="return") if seeds and wrt else []
    found = dict(zip(wrt, grads))
    return [found.get(x) for x in diff_inputs]


def scan_rop(op, inputs, eval_points):
    """Forward mode: the same loop carrying, beside each input and state, its tangent (the
    inner graph's R_op); every group of inputs and outputs doubles (Theano's layout: the
    values, then their tangents), shared values excepted."""
    inner_in, inner_out = op.inputs, op.outputs
    shared_inner = set(op.inner_shared(inner_in))
    tangent_of = OrderedDict((v, safe_new(v, "_evalpoint")) for v in inner_in
                             if v not in shared_inner)
    outs = inner_out[:op.n_state_outs + op.n_nit_sot]
    wrt = [v for v in tangent_of if _is_float(v)]
    jvp = Rop(outs, wrt, [tangent_of[v] for v in wrt]) if wrt else \
        [zeros_like(o) for o in outs]
    jvp = [_like(j, o) for j, o in zip(jvp, outs)]

    def doubled(inner_values, outer_values, outer_evals):
        tangents = [zeros_like(x) if ev is None else ev
                    for x, ev in zip(outer_values, outer_evals)]
        return (list(inner_values) + [tangent_of[v] for v in inner_values],
                list(outer_values) + tangents)

    groups = [(op.inner_seqs, op.outer_seqs), (op.inner_mitmot, op.outer_mitmot),
              (op.inner_mitsot, op.outer_mitsot), (op.inner_sitsot, op.outer_sitsot)]
    new_inner, new_outer = [], [inputs[0]]
    for inner_of, outer_of in groups:
        ins, outer = doubled(inner_of(inner_in), outer_of(inputs), outer_of(eval_points))
        new_inner += ins
        new_outer += outer
    new_inner += op.inner_shared(inner_in)
    new_outer += op.outer_shared(inputs) + op.outer_nitsot(inputs) * 2
    ins, outer = doubled(op.inner_non_seqs(inner_in), op.outer_non_seqs(inputs),
                         op.outer_non_seqs(eval_points))
    new_inner += ins
    new_outer += outer

    bounds = [0, op.n_mit_mot_outs, op.n_mit_mot_outs + op.n_mit_sot, op.n_state_outs,
              op.n_state_outs + op.n_nit_sot]
    new_outs = []
    for b, e in zip(bounds, bounds[1:]):
        new_outs += inner_out[b:e] + jvp[b:e]
    new_outs += op.inner_shared_outs(inner_out)
    if op.as_while:
        new_outs.append(inner_out[-1])
    info = OrderedDict(op.info)
    for key in ("n_seqs", "n_mit_mot", "n_mit_sot", "n_sit_sot", "n_nit_sot"):
        info[key] = 2 * op.info[key]
    info["n_mit_mot_outs"] = 2 * op.n_mit_mot_outs
    info["mit_mot_out_slices"] = list(op.mit_mot_out_slices) * 2
    info["tap_array"] = (op.mitmot_taps() * 2 + op.mitsot_taps() * 2 +
                         op.tap_array[op.n_tap_outs:] * 2)
    info["name"] = "rop_of_" + op.name if op.name else None
    info["destroy_map"] = OrderedDict()
    info.pop("reversed_nit_sot", None)
    results = Scan(new_inner, new_outs, info)(*new_outer, return_list=True)
    rops, k = [], 0
    for n in (op.n_mit_mot, op.n_mit_sot, op.n_sit_sot, op.n_nit_sot):
        rops += results[k + n:k + 2 * n]
        k += 2 * n
    return rops + [None] * op.n_shared_outs


Scan.build_grad = staticmethod(_with_test_values(scan_grad))
Scan.build_rop = staticmethod(_with_test_values(scan_rop))
