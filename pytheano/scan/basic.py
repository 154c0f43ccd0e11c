"""``scan()``: build a Scan node from a Python function that builds one step of a loop.

fn is called once, with placeholders for the step's values (sequence taps, then prior
outputs with their taps, then non-sequences); what it returns (outputs, updates, an
``until``) is the inner graph. The outer graph around the node is Theano 1.0's: sequences
sliced to the number of steps, state buffers made by ``expand_empty``, and the initial rows
sliced off the outputs.
"""
from collections import OrderedDict

import numpy as np

from pytheano._core.graph import Constant, Variable, graph_inputs
from pytheano.configparser import config
from pytheano.graph.basic import clone_replace
from pytheano.graph.op import get_test_value
from pytheano.graph.shared import SharedVariable
from pytheano.scan.op import Scan
from pytheano.scan.utils import expand_empty, get_updates_and_outputs, isNaN_or_Inf_or_None, \
    safe_new
from pytheano.tensor.basic import NotScalarConstantError, as_tensor_variable, \
    get_scalar_constant_value, unbroadcast
from pytheano.tensor.math import minimum
from pytheano.tensor.shape import shape_padleft
from pytheano.tensor.type import TensorType
from pytheano.updates import OrderedUpdates

__all__ = ["scan"]


def _wrap_into_list(x):
    if x is None:
        return []
    if not isinstance(x, (list, tuple)):
        return [x]
    return list(x)


def _tap_name(base, k):
    if k > 0:
        return base + "[t+%d]" % k
    if k == 0:
        return base + "[t]"
    return base + "[t%d]" % k


def _is_compiled_function(fn):
    return hasattr(fn, "maker") and hasattr(fn, "input_storage")


def _normalise_sequences(seqs):
    out = []
    for seq in seqs:
        if not isinstance(seq, dict):
            out.append(OrderedDict([("input", seq), ("taps", [0])]))
        else:
            seq = OrderedDict(seq)
            seq["taps"] = [0] if seq.get("taps") is None else _wrap_into_list(seq["taps"])
            out.append(seq)
    return out


def _normalise_outputs_info(outs_info):
    out = []
    for info in outs_info:
        if info is None:
            out.append(OrderedDict())
            continue
        if isinstance(info, dict) and info.get("return_steps") is not None:
            raise ValueError("Using `return_steps` has been deprecated. Simply select the "
                             "entries you need using a subtensor. Scan will optimize memory "
                             "consumption, so do not worry about that.")
        if not isinstance(info, dict):
            out.append(OrderedDict([("initial", info), ("taps", [-1])]))
            continue
        info = OrderedDict(info)
        if info.get("initial") is None and info.get("taps") is not None:
            raise ValueError("If you are using slices of an output you need to provide a "
                             "initial state for it", info)
        if info.get("initial") is not None and info.get("taps") is None:
            info["taps"] = [-1]
        elif info.get("taps") is not None:
            taps = _wrap_into_list(info["taps"])
            if len(taps) > len(set(taps)):
                raise ValueError("All the taps must be different in  `outputs_info`", info)
            if any(t >= 0 for t in taps):
                raise ValueError("All the tap values must be smaller than 0.", info)
            info["taps"] = taps
        if info.get("initial") is None:
            info = OrderedDict()
        out.append(info)
    return out


def _copy_test_value(source, target):
    """Under config.compute_test_value, the inner placeholder ``target`` gets the test
    value of the outer ``source`` (so fn's graph computes test values too)."""
    if config.compute_test_value == "off":
        return
    try:
        target.tag.test_value = get_test_value(source)
    except (AttributeError, TypeError):
        pass


def _shared_in_graph(outputs, updates, blockers):
    """(shared variables read by the step, {shared: its new value}): the explicit updates
    fn returned, then the default updates (random streams) of the shared variables the step
    reads, followed through the graphs of those updates."""
    updates = OrderedDict(updates)
    found, seen = [], set()
    todo = list(outputs) + list(updates.values())
    while todo:
        new = [v for v in graph_inputs(todo, blockers=blockers)
               if isinstance(v, SharedVariable) and v not in seen]
        todo = []
        for v in new:
            seen.add(v)
            found.append(v)
            if v not in updates and getattr(v, "default_update", None) is not None:
                updates[v] = v.default_update
                todo.append(v.default_update)
    for v in updates:
        if v not in seen:
            seen.add(v)
            found.append(v)
    return found, updates


def scan(fn, sequences=None, outputs_info=None, non_sequences=None, n_steps=None,
         truncate_gradient=-1, go_backwards=False, mode=None, name=None, profile=False,
         allow_gc=None, strict=False, return_list=False):
    """Loop ``fn`` over ``sequences``: ``(outputs, updates)`` as ``theano.scan``.

    fn(sequence taps..., prior output taps..., non_sequences...) returns the step's outputs,
    optionally with a dict of shared-variable updates and, last, an ``until(condition)``.
    sequences: variables (or dicts with 'input' and 'taps') iterated over their first axis.
    outputs_info: per output, its initial state (a variable, a dict with 'initial' and
        'taps', or None for an output that is not fed back).
    non_sequences: values passed unchanged to every step.
    n_steps: the number of steps (default: the length of the shortest sequence).
    truncate_gradient: backpropagate through this many steps only (-1: all of them).
    go_backwards: iterate over the sequences from their end.
    Returns one variable (or a list, or None) and an OrderedUpdates of the shared variables
    the loop updates, to pass to ``function(..., updates=updates)``.
    """
    if _is_compiled_function(fn):
        raise TypeError(
            "Bad input argument to theano function: scan's `fn` is a compiled function. "
            "Expected an array-like object, but found a Variable: fn must be a Python "
            "function that builds the symbolic graph of one step (it is called once, with "
            "symbolic variables), not a compiled theano.function.")
    seqs = _normalise_sequences(_wrap_into_list(sequences))
    outs_info = _normalise_outputs_info(_wrap_into_list(outputs_info))
    non_seqs = [x if isinstance(x, Variable) else as_tensor_variable(x)
                for x in _wrap_into_list(non_sequences)]

    n_fixed_steps = None
    if isinstance(n_steps, (float, int, np.integer)):
        n_fixed_steps = int(n_steps)
    elif isinstance(n_steps, Variable):
        try:
            n_fixed_steps = int(get_scalar_constant_value(n_steps))
        except (NotScalarConstantError, TypeError, ValueError):
            n_fixed_steps = None
    if hasattr(n_steps, "dtype") and str(n_steps.dtype) not in ("int8", "int16", "int32",
                                                                "int64", "uint8", "uint16",
                                                                "uint32", "uint64"):
        raise ValueError(" n_steps must be an int. dtype provided is %s" % n_steps.dtype)

    # Sequences: one outer slice and one inner placeholder per tap.
    scan_seqs, inner_seqs, inner_slices = [], [], []
    for seq in seqs:
        taps = seq["taps"]
        maxtap_proxy, mintap_proxy = max(max(taps), 0), min(min(taps), 0)
        seq_var = as_tensor_variable(seq["input"])
        seq_name = getattr(seq["input"], "name", None)
        for k in taps:
            actual_slice = seq_var[k - mintap_proxy]
            nw_slice = actual_slice.type()
            _copy_test_value(actual_slice, nw_slice)
            if seq_name is not None:
                nw_slice.name = _tap_name(seq_name, k)
            start = k - mintap_proxy
            nw_name = None
            if k == maxtap_proxy:
                nw_seq = seq_var[start:]
                if seq_name is not None:
                    nw_name = seq_name + "[%d:]" % start
            else:
                end = -(maxtap_proxy - k)
                nw_seq = seq_var[start:end]
                if seq_name is not None:
                    nw_name = seq_name + "[%d:%d]" % (start, end)
            if go_backwards:
                nw_seq = nw_seq[::-1]
            if nw_name is not None:
                nw_seq.name = nw_name
            scan_seqs.append(nw_seq)
            inner_seqs.append(nw_slice)
            inner_slices.append(actual_slice)

    lengths = [s.shape[0] for s in scan_seqs]
    if not isNaN_or_Inf_or_None(n_steps):
        lengths.append(as_tensor_variable(n_steps))
    if not lengths:
        raise ValueError("No information about the number of steps provided. Either provide "
                         "a value for n_steps argument of scan or provide an input sequence")
    if isNaN_or_Inf_or_None(n_steps):
        actual_n_steps = lengths[0]
        for other in lengths[1:]:
            actual_n_steps = minimum(actual_n_steps, other)
    else:
        actual_n_steps = as_tensor_variable(n_steps)
    scan_seqs = [s[:actual_n_steps] for s in scan_seqs]

    # Outputs fed back: a sit_sot (tap -1 only) or a mit_sot (several taps).
    mit_sot_scan_inputs, mit_sot_inner_inputs, mit_sot_inner_slices = [], [], []
    mit_sot_tap_array, mit_sot_right_order = [], []
    sit_sot_scan_inputs, sit_sot_inner_inputs, sit_sot_inner_slices = [], [], []
    sit_sot_right_order = []
    for i, init_out in enumerate(outs_info):
        taps = init_out.get("taps")
        if taps == [-1]:
            actual_arg = init_out["initial"]
            if not isinstance(actual_arg, Variable):
                actual_arg = as_tensor_variable(actual_arg)
            arg = safe_new(actual_arg)
            if isinstance(arg, Constant):
                arg = arg.type()
            _copy_test_value(actual_arg, arg)
            if getattr(init_out["initial"], "name", None) is not None:
                arg.name = init_out["initial"].name + "[t-1]"
            sit_sot_scan_inputs.append(expand_empty(
                unbroadcast(shape_padleft(actual_arg), 0), actual_n_steps))
            sit_sot_inner_slices.append(actual_arg)
            sit_sot_inner_inputs.append(arg)
            sit_sot_right_order.append(i)
        elif taps:
            initial = as_tensor_variable(init_out["initial"])
            mintap = abs(min(taps))
            mit_sot_tap_array.append(taps)
            mit_sot_scan_inputs.append(expand_empty(initial[:mintap], actual_n_steps))
            mit_sot_right_order.append(i)
            init_name = getattr(init_out["initial"], "name", None)
            for k in taps:
                actual_nw_slice = initial[k + mintap]
                nw_slice = actual_nw_slice.type()
                _copy_test_value(actual_nw_slice, nw_slice)
                if init_name is not None:
                    nw_slice.name = _tap_name(init_name, k)
                mit_sot_inner_inputs.append(nw_slice)
                mit_sot_inner_slices.append(actual_nw_slice)

    # fn's arguments: sequences, then the outputs' taps in the order of outputs_info, then
    # the non-sequences.
    n_elems = max([0] + [p + 1 for p in mit_sot_right_order + sit_sot_right_order])
    ordered = [[] for _ in range(n_elems)]
    single_step = n_fixed_steps in (1, -1)
    offset = 0
    for idx, pos in enumerate(mit_sot_right_order):
        n_in = len(mit_sot_tap_array[idx])
        source = mit_sot_inner_slices if single_step else mit_sot_inner_inputs
        ordered[pos] = source[offset:offset + n_in]
        offset += n_in
    for idx, pos in enumerate(sit_sot_right_order):
        source = sit_sot_inner_slices if single_step else sit_sot_inner_inputs
        ordered[pos] = [source[idx]]
    ordered_args = [a for group in ordered for a in group]
    args = (inner_slices if single_step else inner_seqs) + ordered_args + non_seqs

    raw = fn(*args)
    condition, outputs, updates = get_updates_and_outputs(raw)
    as_while = condition is not None

    if single_step:
        # Theano 1.0 compat: one step is no loop; the outputs get a leading axis of 1.
        outputs = [unbroadcast(shape_padleft(o), 0) if isinstance(o.type, TensorType) else o
                   for o in outputs]
        if return_list is not True and len(outputs) == 1:
            outputs = outputs[0]
        return outputs, updates

    outputs = [o if isinstance(o, Variable) else as_tensor_variable(o) for o in outputs]
    if condition is not None:
        outputs.append(condition)

    # Values the step reads that are not arguments of fn become non-sequences.
    fake_nonseqs = [x.type() for x in non_seqs]
    fake_outputs = clone_replace(outputs, replace=OrderedDict(zip(non_seqs, fake_nonseqs))) \
        if outputs else []
    arg_set = set(args) | set(fake_nonseqs)
    extra_inputs = [x for x in graph_inputs(fake_outputs)
                    if isinstance(x, Variable) and not isinstance(x, (SharedVariable, Constant))
                    and x not in arg_set]
    non_seqs = non_seqs + extra_inputs

    n_outs_given = len(outputs) - (1 if as_while else 0)
    if not (n_outs_given == len(outs_info) or outs_info == []):
        raise ValueError("Please provide None as outputs_info for any output that does not "
                         "feed back into scan (i.e. it behaves like a map) ")
    if outs_info == []:
        outs_info = [OrderedDict() for _ in range(n_outs_given)]

    mit_sot_inner_outputs = [outputs[i] for i, o in enumerate(outs_info)
                             if "taps" in o and o["taps"] != [-1]]
    sit_sot_inner_outputs = [outputs[i] for i, o in enumerate(outs_info)
                             if "taps" in o and o["taps"] == [-1]]

    # Shared variables: updated ones become states (tensors) or shared outputs (random
    # generators); read-only ones become non-sequences (unless strict).
    givens = OrderedDict()
    # fn's arguments cut the graph: what computes a non-sequence stays outside the loop.
    shared_vars, all_updates = _shared_in_graph(outputs, updates, blockers=args)
    shared_scan_inputs, shared_inner_inputs, shared_inner_outputs = [], [], []
    sit_sot_shared = []
    for var in shared_vars:
        if var not in all_updates:
            continue
        new_var = safe_new(var)
        if getattr(var, "name", None) is not None:
            new_var.name = var.name + "_copy"
        if isinstance(new_var.type, TensorType):
            sit_sot_inner_inputs.append(new_var)
            sit_sot_scan_inputs.append(expand_empty(unbroadcast(shape_padleft(var), 0),
                                                    actual_n_steps))
            sit_sot_inner_outputs.append(as_tensor_variable(all_updates[var]))
            sit_sot_right_order.append(-1 - len(sit_sot_shared))
            sit_sot_shared.append(var)
        else:
            shared_inner_inputs.append(new_var)
            shared_scan_inputs.append(var)
            shared_inner_outputs.append(all_updates[var])
        givens[var] = new_var
    n_sit_sot = len(sit_sot_inner_inputs)

    nit_sot_inner_outputs, nit_sot_right_order = [], []
    for i, o in enumerate(outs_info):
        if "taps" not in o:
            nit_sot_inner_outputs.append(outputs[i])
            nit_sot_right_order.append(i)
    n_nit_sot = len(nit_sot_inner_outputs)

    other_scan_args = [a for a in non_seqs if not isinstance(a, (SharedVariable, Constant))]
    other_inner_args = [safe_new(a, "_copy") for a in other_scan_args]
    givens.update(zip(other_scan_args, other_inner_args))
    listed = set(_wrap_into_list(non_sequences))
    other_shared_scan_args = [v for v in shared_vars if v not in all_updates
                              and (not strict or v in listed)]
    other_shared_inner_args = [safe_new(v, "_copy") for v in other_shared_scan_args]
    givens.update(zip(other_shared_scan_args, other_shared_inner_args))

    inner_inputs = (inner_seqs + mit_sot_inner_inputs + sit_sot_inner_inputs
                    + shared_inner_inputs + other_shared_inner_args + other_inner_args)
    inner_outs = (mit_sot_inner_outputs + sit_sot_inner_outputs + nit_sot_inner_outputs
                  + shared_inner_outputs)
    if condition is not None:
        inner_outs.append(condition)
    new_outs = clone_replace(inner_outs, replace=givens, strict=False) if inner_outs else []

    info = OrderedDict()
    info["tap_array"] = mit_sot_tap_array + [[-1] for _ in range(n_sit_sot)]
    info["n_seqs"] = len(inner_seqs)
    info["n_mit_mot"] = 0
    info["n_mit_mot_outs"] = 0
    info["mit_mot_out_slices"] = []
    info["n_mit_sot"] = len(mit_sot_tap_array)
    info["n_sit_sot"] = n_sit_sot
    info["n_shared_outs"] = len(shared_inner_inputs)
    info["n_nit_sot"] = n_nit_sot
    info["truncate_gradient"] = truncate_gradient
    info["name"] = name
    info["mode"] = mode
    info["destroy_map"] = OrderedDict()
    info["gpua"] = False
    info["as_while"] = as_while
    info["profile"] = profile
    info["allow_gc"] = config.scan.allow_gc if allow_gc is None else allow_gc
    info["strict"] = strict
    local_op = Scan(inner_inputs, new_outs, info)

    scan_inputs = [actual_n_steps] + scan_seqs + mit_sot_scan_inputs + sit_sot_scan_inputs \
        + shared_scan_inputs + [actual_n_steps] * n_nit_sot + other_shared_scan_args \
        + other_scan_args
    converted = []
    for arg in scan_inputs:
        try:
            arg = as_tensor_variable(arg)
        except TypeError:
            pass
        converted.append(arg)
    scan_outs = local_op(*converted, return_list=True)

    update_map = OrderedUpdates()
    n_mit_sot = len(mit_sot_tap_array)
    mit_sot_outs = [out[abs(min(taps)):] for out, taps
                    in zip(scan_outs[:n_mit_sot], mit_sot_tap_array)]
    sit_sot_outs = [out[1:] for out in scan_outs[n_mit_sot:n_mit_sot + n_sit_sot]]
    offset = n_mit_sot + n_sit_sot
    nit_sot_outs = list(scan_outs[offset:offset + n_nit_sot])
    offset += n_nit_sot
    for var, rule in zip(shared_scan_inputs, scan_outs[offset:]):
        update_map[var] = rule
    right_order = mit_sot_right_order + sit_sot_right_order + nit_sot_right_order
    ordered_outs = [None] * len(right_order)
    for out, pos in zip(mit_sot_outs + sit_sot_outs + nit_sot_outs, right_order):
        if pos >= 0:
            ordered_outs[pos] = out
        else:
            update_map[sit_sot_shared[abs(pos) - 1]] = out[-1]
    ordered_outs = [o for o in ordered_outs if o is not None]
    if return_list is not True and len(ordered_outs) == 1:
        return ordered_outs[0], update_map
    if not ordered_outs:
        return None, update_map
    return ordered_outs, update_map
