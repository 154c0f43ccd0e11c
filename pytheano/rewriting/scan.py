"""Rewrites of the Scan op (pytheano/scan/op.py).

- scan_pushout_non_seqs (CANONICALIZE): computation of the loop body that reads only
  non-sequences (and constants) runs once, before the loop, instead of at every step.
- scan_pushout_seq_dot (CANONICALIZE; Theano's PushOutScanOutput for a dot): ``dot(x[t],
  w)`` of a sequence's row by a non-sequence becomes one product over all the steps before
  the loop, read by the step as a new sequence (the input projection of an RNN: one big
  GEMM instead of one small one per step).
- scan_save_mem (SPECIALIZE): a state or a mapped output of which only the last value is
  used (or a state not used at all) is kept in a buffer of (lag + 1) rows, filled
  circularly, instead of one per step.
- scan_remove_unused_nit_sot (CANONICALIZE): a mapped output nobody reads is not computed
  (the gradients of sequences a cost does not ask for).
- scan_remove_unused_inputs (CANONICALIZE; Theano's remove_constants_and_unused_inputs_scan
  without its constant folding): a sequence or non-sequence the step never reads is not
  passed, one passed twice is passed once.
- scan_inplace (INPLACE): the loop fills its state buffers in place instead of a copy
  (``forall_inplace,cpu,scan_fn}``, as Theano prints it; ``for{inplace{1,},...}`` when only
  some buffers are free to be written).
- scan_pushout_invariant_nit_sot (CANONICALIZE): a mapped output that is the same value at
  every step (a non-sequence, after scan_pushout_non_seqs) is that value repeated, an
  Alloc, and the loop drops it (no loop at all when nothing else is left).
- scan_pushout_dot_sum (CANONICALIZE; Theano's PushOutDot1): a state that only sums
  ``dot(seq_t, v_t)`` (a sequence or its transpose, either side), of which only the last
  value is used, becomes a mapped output ``v`` and one dot over all the steps after the loop
  (the gradient of a weight matrix in backpropagation through time). A sequence read
  backwards (a gradient's loop) is read forwards for the sum, and the loop lays the mapped
  values out last step first (``reversed_nit_sot``): both stack as views, without a copy.
- scan_merge (SPECIALIZE, a graph rewrite; Theano's scanOp_merge): scans over the same
  number of steps that do not depend on each other become one loop (``for{cpu,a&b}``);
  scans with mit_mot states (gradients) are left apart.
"""
from collections import OrderedDict

from pytheano._core.graph import Constant, graph_inputs, io_toposort, is_in_ancestors
from pytheano.graph.basic import clone_replace, equal_computations
from pytheano.graph.destroyhandler import fast_inplace_check
from pytheano.graph.rewriting import (CANONICALIZE, INPLACE, SPECIALIZE, graph_rewriter,
                                      node_rewriter, register)
from pytheano.scalar.basic import Add
from pytheano.scan.op import Scan
from pytheano.scan.utils import expand_empty, safe_new
from pytheano.tensor.basic import Alloc, NotScalarConstantError, alloc, constant, \
    get_scalar_constant_value, patternbroadcast
from pytheano.tensor.blas import Dot, dot
from pytheano.tensor.creation import AllocEmpty
from pytheano.tensor.elemwise import DimShuffle, Elemwise
from pytheano.tensor.slicing import IncSubtensor, Subtensor, get_idx_list

__all__ = ["scan_pushout_non_seqs", "scan_pushout_seq_dot", "scan_save_mem", "scan_inplace",
           "scan_pushout_invariant_nit_sot",
           "scan_remove_unused_nit_sot", "scan_remove_unused_inputs", "scan_merge",
           "scan_mergeable", "scan_pushout_dot_sum"]

SCAN_TAGS = ("fast_run", "scan")


def _rebuilt(op, inner_inputs, inner_outputs):
    return Scan(inner_inputs, inner_outputs, OrderedDict(op.info))


@register(CANONICALIZE, *SCAN_TAGS)
@node_rewriter([Scan])
def scan_pushout_non_seqs(fgraph, node):
    "scan(step reads f(non_seq)) -> scan(step reads w) with w = f(non_seq) computed once"
    op = node.op
    outer_of = dict(zip(op.inner_non_seqs(op.inputs), op.outer_non_seqs(node.inputs)))
    invariant = OrderedDict()  # inner variable -> the outer variable computing it
    reads_non_seq = set()  # the invariant variables that depend on a non-sequence
    for inner_node in io_toposort(op.inputs, op.outputs):
        ins = inner_node.inputs
        if not all(i in outer_of or i in invariant or isinstance(i, Constant) for i in ins):
            continue
        if getattr(inner_node.op, "destroy_map", None):
            continue
        outer_node = inner_node.clone_with_new_inputs(
            [outer_of.get(i, invariant.get(i, i)) for i in ins])
        depends = any(i in outer_of or i in reads_non_seq for i in ins)
        for o, oo in zip(inner_node.outputs, outer_node.outputs):
            invariant[o] = oo
            if depends:
                reads_non_seq.add(o)
    if not invariant:
        return None
    # The frontier: invariant values read by a step computation or returned by the step.
    used = set(op.outputs)
    for inner_node in io_toposort(op.inputs, op.outputs):
        if inner_node.outputs[0] not in invariant:
            used.update(inner_node.inputs)
    frontier = [v for v in invariant if v in used and v in reads_non_seq]
    if not frontier:
        return None
    placeholders = [safe_new(v) for v in frontier]
    new_outputs = clone_replace(op.outputs, replace=OrderedDict(zip(frontier, placeholders)),
                                strict=False)
    new_op = _rebuilt(op, op.inputs + placeholders, new_outputs)
    new_node = new_op.make_node(*(list(node.inputs) + [invariant[v] for v in frontier]))
    for old, new in zip(node.outputs, new_node.outputs):
        new.tag.__dict__.update(old.tag.__dict__)
    return list(new_node.outputs)



def _step_dot_of_sequence(op):
    """(inner dot node, index of its sequence, side of the sequence) for the first
    ``dot(seq[t], w)`` (a vector or matrix row) or ``dot(w, seq[t])`` (a vector row) of
    the loop body with ``w`` a non-sequence or a constant matrix; else None."""
    seqs = op.inner_seqs(op.inputs)
    non_seqs = set(op.inner_non_seqs(op.inputs))
    for inner_node in io_toposort(op.inputs, op.outputs):
        if not isinstance(inner_node.op, Dot):
            continue
        for side in (0, 1):
            row, w = inner_node.inputs[side], inner_node.inputs[1 - side]
            if row not in seqs or w.ndim != 2 or \
                    not (w in non_seqs or isinstance(w, Constant)):
                continue
            if side == 0 or row.ndim == 1:
                return inner_node, seqs.index(row), side
    return None


@register(CANONICALIZE, *SCAN_TAGS)
@node_rewriter([Scan])
def scan_pushout_seq_dot(fgraph, node):
    "scan(step reads dot(x[t], w)) -> scan(step reads xw[t]), xw = dot(x, w) for all steps"
    op = node.op
    if op.as_while:  # the steps a while loop runs are not known before it runs
        return None
    found = _step_dot_of_sequence(op)
    if found is None:
        return None
    inner_node, seq_k, side = found
    n_steps = node.inputs[0]
    seq = op.outer_seqs(node.inputs)[seq_k][:n_steps]
    w = inner_node.inputs[1 - side]
    w = dict(zip(op.inner_non_seqs(op.inputs), op.outer_non_seqs(node.inputs))).get(w, w)
    if seq.ndim == 2:  # vector rows: the rows of one matrix product
        products = dot(seq, w) if side == 0 else dot(seq, w.T)
    else:  # matrix rows, stacked: one (steps * rows, k) x (k, m) product
        rows, k = seq.shape[1], seq.shape[2]
        products = dot(seq.reshape((n_steps * rows, k)), w).reshape(
            (n_steps, rows, w.shape[1]))
    step_value = inner_node.outputs[0]
    products = patternbroadcast(products, (False,) + step_value.broadcastable)
    if products.dtype != step_value.dtype:
        return None
    placeholder = safe_new(step_value)
    inner_outputs = clone_replace(op.outputs, replace=OrderedDict([(step_value, placeholder)]),
                                  strict=False)
    # The products replace the sequence when the step read it only through the dot.
    row = op.inner_seqs(op.inputs)[seq_k]
    keep = [k for k in range(op.n_seqs)
            if k != seq_k or row in graph_inputs(inner_outputs, blockers=op.inputs)]
    info = OrderedDict(op.info)
    info["n_seqs"] = len(keep) + 1
    n_seqs = op.n_seqs
    inner_inputs = [op.inputs[k] for k in keep] + [placeholder] + op.inputs[n_seqs:]
    outer_inputs = [n_steps] + [node.inputs[1 + k] for k in keep] + [products] + \
        list(node.inputs[1 + n_seqs:])
    new_node = Scan(inner_inputs, inner_outputs, info).make_node(*outer_inputs)
    for old, new in zip(node.outputs, new_node.outputs):
        new.tag.__dict__.update(old.tag.__dict__)
    return list(new_node.outputs)

def _constant_index(node):
    try:
        return node.op.get_constant_idx(node.inputs)
    except (NotScalarConstantError, TypeError, ValueError, AttributeError):
        return None


def _last_value_users(fgraph, var, skip_rows):
    """The variables ``var[skip_rows:][-1]`` or ``var[-1]`` that are all ``var`` is used
    for, or None if it has another use."""
    found = []
    for client, _ in fgraph.clients[var]:
        if client == "output" or not isinstance(client.op, Subtensor):
            return None
        idx = _constant_index(client)
        if idx is None or len(idx) != 1:
            return None
        entry = idx[0]
        if not isinstance(entry, slice) and int(entry) == -1:
            found.append(client.outputs[0])
            continue
        if not (isinstance(entry, slice) and entry.stop is None and entry.step is None
                and entry.start is not None and int(entry.start) == skip_rows):
            return None
        inner = _last_value_users(fgraph, client.outputs[0], 0)
        if inner is None:
            return None
        found.extend(inner)
    return found or None


def _initial_rows(buf, lag):
    """The first ``lag`` rows of a state buffer, without its empty tail when it was made by
    ``expand_empty``, and as an Alloc of ``lag`` rows when it is an Alloc of one value (a
    gradient's accumulator: ``zeros((steps + 1,) + W.shape)`` would be filled whole for
    its first row)."""
    owner = buf.owner
    if owner is not None and isinstance(owner.op, IncSubtensor) and \
            owner.op.set_instead_of_inc and owner.inputs[1].ndim == buf.ndim and \
            owner.inputs[0].owner is not None and \
            isinstance(owner.inputs[0].owner.op, AllocEmpty):
        return owner.inputs[1]
    if owner is not None and isinstance(owner.op, Alloc):
        value, dims = owner.inputs[0], owner.inputs[1:]
        if value.ndim < len(dims) or value.broadcastable[0]:
            rows = alloc(value, constant(lag, dtype=dims[0].dtype), *dims[1:])
            return patternbroadcast(rows, buf.broadcastable)
    return buf[:lag]


@register(SPECIALIZE, *SCAN_TAGS, "scan_save_mem")
@node_rewriter([Scan])
def scan_save_mem(fgraph, node):
    "scan(...)[lag:][-1] with a buffer of n + lag rows -> the same with lag + 1 rows"
    op = node.op
    if op.as_while:
        return None
    inputs = list(node.inputs)
    targets = []  # (output index, users of its last value)
    # A mit_mot's rows are read ahead of the step that writes them: it keeps its buffer.
    for j in range(op.n_mit_mot, op.n_outs):
        lag = -op.mintaps[j]
        buf = inputs[op.seqs_arg_offset + j]
        if getattr(node.outputs[j].tag, "scan_last_value_only", False):
            continue
        # A state nobody reads outside the loop (the gradient of an initial state not asked
        # for) needs no more rows than its taps either.
        users = _last_value_users(fgraph, node.outputs[j], lag) \
            if fgraph.clients[node.outputs[j]] else []
        if users is None:
            continue
        rows = _initial_rows(buf, lag)
        inputs[op.seqs_arg_offset + j] = expand_empty(rows, 1) if rows is not buf else \
            buf[:lag + 1]
        targets.append((j, users))
    for j in range(op.n_nit_sot):
        out_idx = op.n_outs + j
        users = _last_value_users(fgraph, node.outputs[out_idx], 0)
        size = inputs[op.nit_sot_arg_offset + j]
        if users is None or (isinstance(size, Constant) and int(size.data) == 1):
            continue
        inputs[op.nit_sot_arg_offset + j] = constant(1, dtype=size.dtype)
        targets.append((out_idx, users))
    if not targets:
        return None
    new_node = op.make_node(*inputs)
    replacements = OrderedDict()
    for j, users in targets:
        new_node.outputs[j].tag.scan_last_value_only = True
        last = new_node.outputs[j][-1]
        for user in users:
            replacements[user] = last
    for k, (old, new) in enumerate(zip(node.outputs, new_node.outputs)):
        if k not in dict(targets):
            replacements[old] = new
    return replacements



@register(INPLACE, "fast_run", "inplace", "scan")
@node_rewriter([Scan])
def scan_inplace(fgraph, node):
    "for{cpu,f}(..., state buffers) -> forall_inplace,cpu,f}: steps write into the buffers"
    op = node.op
    if op.destroy_map or not op.n_outs or not hasattr(fgraph, "destroyers"):
        return None
    buffers = node.inputs[op.seqs_arg_offset:op.shared_arg_offset]
    # Each buffer that nothing else reads (a constant, a graph input, a value read by
    # another input of this node or another node are copied as before) is written in place.
    free = set(fast_inplace_check(fgraph, buffers))
    owned = [j for j, b in enumerate(buffers)
             if b in free and buffers.count(b) == 1 and len(fgraph.clients[b]) == 1]
    if not owned:
        return None
    info = OrderedDict(op.info)
    info["destroy_map"] = OrderedDict((j, [op.seqs_arg_offset + j]) for j in owned)
    new_op = Scan(op.inputs, op.outputs, info)
    return list(new_op.make_node(*node.inputs).outputs)


@register(CANONICALIZE, *SCAN_TAGS)
@node_rewriter([Scan])
def scan_pushout_invariant_nit_sot(fgraph, node):
    "scan(step returns w, the same at each step)[k] -> alloc(w, n_steps, *w.shape)"
    # Theano's PushOutNonSeqScan does this for an output it pushed out whole; here it comes
    # after scan_pushout_non_seqs, which leaves such an output a non-sequence of the loop.
    op = node.op
    if op.as_while or fgraph is None:
        return None
    outer_of = dict(zip(op.inner_non_seqs(op.inputs), op.outer_non_seqs(node.inputs)))
    replacements = OrderedDict()
    for j, inner in enumerate(op.inner_nitsot_outs(op.outputs)):
        out = node.outputs[op.n_outs + j]
        size = op.outer_nitsot(node.inputs)[j]
        # A buffer of another length (a truncated gradient's) keeps its rows of zeros.
        if not fgraph.clients[out] or not equal_computations([size], [node.inputs[0]]):
            continue
        value = inner if isinstance(inner, Constant) else outer_of.get(inner)
        if value is None or value.type.dtype != out.type.dtype:
            continue
        rows = alloc(value, size, *[value.shape[i] for i in range(value.ndim)])
        replacements[out] = patternbroadcast(rows, out.broadcastable)
    return replacements or None


@register(CANONICALIZE, *SCAN_TAGS)
@node_rewriter([Scan])
def scan_remove_unused_nit_sot(fgraph, node):
    "scan(..., mapped output nobody reads) -> scan without it (e.g. an unused gradient)"
    op = node.op
    first, first_inner = op.n_outs, op.n_state_outs
    unused = [j for j in range(op.n_nit_sot) if not fgraph.clients[node.outputs[first + j]]]
    if not unused or len(unused) == op.n_nit_sot and not op.n_outs and not op.n_shared_outs:
        return None
    keep = [j for j in range(op.n_nit_sot) if j not in unused]
    inner_outputs = op.outputs[:first_inner] + [op.outputs[first_inner + j] for j in keep] + \
        op.outputs[first_inner + op.n_nit_sot:]
    info = OrderedDict(op.info)
    info["n_nit_sot"] = len(keep)
    if "reversed_nit_sot" in info:
        info["reversed_nit_sot"] = tuple(keep.index(j) for j in info["reversed_nit_sot"]
                                         if j in keep)
    new_op = Scan(op.inputs, inner_outputs, info)
    sizes = op.outer_nitsot(node.inputs)
    inputs = list(node.inputs[:op.nit_sot_arg_offset]) + [sizes[j] for j in keep] + \
        list(op.outer_non_seqs(node.inputs))
    new_outputs = new_op.make_node(*inputs).outputs
    old_kept = list(node.outputs[:first]) + [node.outputs[first + j] for j in keep] + \
        list(node.outputs[first + op.n_nit_sot:])
    return OrderedDict(zip(old_kept, new_outputs))


@register(CANONICALIZE, *SCAN_TAGS)
@node_rewriter([Scan])
def scan_remove_unused_inputs(fgraph, node):
    "scan(seqs, non_seqs the step never reads or reads twice) -> scan without them"
    # Theano's remove_constants_and_unused_inputs_scan, less its folding of constants.
    op = node.op
    read = set(graph_inputs(op.outputs))
    replace = OrderedDict()

    def kept(inner, outer):
        pairs = []  # (inner input, outer input) kept
        for i, o in zip(inner, outer):
            if i not in read:
                continue
            twin = next((k for k, p in pairs if p is o and k.type == i.type), None)
            if twin is not None:
                replace[i] = twin
            else:
                pairs.append((i, o))
        return pairs

    seqs = kept(op.inner_seqs(op.inputs), op.outer_seqs(node))
    non_seqs = kept(op.inner_non_seqs(op.inputs), op.outer_non_seqs(node))
    if len(seqs) == op.n_seqs and len(non_seqs) == len(op.outer_non_seqs(node)):
        return None
    inner_outputs = clone_replace(op.outputs, replace=replace, strict=False) if replace \
        else op.outputs
    first_non_seq = len(op.inputs) - len(op.inner_non_seqs(op.inputs))
    inner_inputs = [i for i, _ in seqs] + op.inputs[op.n_seqs:first_non_seq] + \
        [i for i, _ in non_seqs]
    outer_inputs = [node.inputs[0]] + [o for _, o in seqs] + \
        list(node.inputs[op.seqs_arg_offset:op.nit_sot_arg_offset + op.n_nit_sot]) + \
        [o for _, o in non_seqs]
    info = OrderedDict(op.info)
    info["n_seqs"] = len(seqs)
    new_node = Scan(inner_inputs, inner_outputs, info).make_node(*outer_inputs)
    for old, new in zip(node.outputs, new_node.outputs):
        new.tag.__dict__.update(old.tag.__dict__)
    return list(new_node.outputs)


def _n_steps(node):
    try:
        return int(get_scalar_constant_value(node.inputs[0]))
    except NotScalarConstantError:
        return node.inputs[0]


def scan_mergeable(node, group):
    """Theano's rule: the same number of steps, truncate_gradient and mode, no while loop
    (Theano also merged while loops with equal conditions; pytheano does not), and no
    dependency either way on a node of the group."""
    rep = group[0]
    if node.op.as_while or rep.op.as_while or node.op.destroy_map or \
            node.op.n_mit_mot or rep.op.n_mit_mot or \
            node.op.truncate_gradient != rep.op.truncate_gradient or \
            node.op.mode != rep.op.mode:
        return False
    a, b = _n_steps(node), _n_steps(rep)
    if isinstance(a, int) or isinstance(b, int):
        if a != b:
            return False
    elif not equal_computations([a], [b]):
        return False
    return not any(is_in_ancestors(node, other) or is_in_ancestors(other, node)
                   for other in group)


# The roles of a scan's inputs and outputs, in the order of its layout.
_INNER_IN = ("inner_seqs", "inner_mitsot", "inner_sitsot", "inner_shared", "inner_non_seqs")
_INNER_OUT = ("inner_mitsot_outs", "inner_sitsot_outs", "inner_nitsot_outs",
              "inner_shared_outs")
_OUTER_IN = ("outer_seqs", "outer_mitsot", "outer_sitsot", "outer_shared", "outer_nitsot",
             "outer_non_seqs")
_OUTER_OUT = ("outer_mitsot_outs", "outer_sitsot_outs", "outer_nitsot_outs",
              "outer_shared_outs")


def _merged(nodes):
    """One Scan node doing the steps of every node of ``nodes``, and its outputs in the
    order of the nodes' outputs."""
    ops = [n.op for n in nodes]
    # Each node's inner graph is cloned apart (two ops may share inner variables).
    graphs = []
    for op in ops:
        fresh = [v if isinstance(v, Constant) else safe_new(v) for v in op.inputs]
        graphs.append((fresh, clone_replace(op.outputs, replace=OrderedDict(
            zip(op.inputs, fresh)), strict=False)))
    inner_in, inner_out, outer_in, outer_out = [], [], [nodes[0].inputs[0]], []
    for role in _INNER_IN:
        for op, (ins, _) in zip(ops, graphs):
            inner_in += getattr(op, role)(ins)
    for role in _INNER_OUT:
        for op, (_, outs) in zip(ops, graphs):
            inner_out += getattr(op, role)(outs)
    for role in _OUTER_IN:
        for node in nodes:
            outer_in += getattr(node.op, role)(node.inputs)
    for role in _OUTER_OUT:
        for node in nodes:
            outer_out += getattr(node.op, role)(node.outputs)
    info = OrderedDict(ops[0].info)
    for key in ("n_seqs", "n_mit_sot", "n_sit_sot", "n_shared_outs", "n_nit_sot"):
        info[key] = sum(op.info[key] for op in ops)
    info["tap_array"] = [t for op in ops for t in op.mitsot_taps()] + \
        [t for op in ops for t in op.tap_array[op.n_mit_sot:]]
    info["name"] = "&".join(op.name for op in ops)
    info["destroy_map"] = OrderedDict()
    reversed_rows, first = [], 0  # the nit_sots are in the order of the ops
    for op in ops:
        reversed_rows += [first + j for j in op.info.get("reversed_nit_sot", ())]
        first += op.n_nit_sot
    info.pop("reversed_nit_sot", None)
    if reversed_rows:
        info["reversed_nit_sot"] = tuple(reversed_rows)
    return inner_in, inner_out, outer_in, outer_out, info


@register(SPECIALIZE, *SCAN_TAGS, name="scan_merge")
@graph_rewriter("scan_merge")
def scan_merge(fgraph):
    "scan_a(n, ...), scan_b(n, ...) (independent) -> scan_{a&b}(n, ...)"
    scans = [n for n in fgraph.toposort() if isinstance(n.op, Scan)]
    groups = []
    for node in scans:
        for group in groups:
            if scan_mergeable(node, group):
                group.append(node)
                break
        else:
            groups.append([node])
    changes = 0
    for group in groups:
        if len(group) < 2:
            continue
        inner_in, inner_out, outer_in, outer_out, info = _merged(group)
        new_node = Scan(inner_in, inner_out, info).make_node(*outer_in)
        fgraph.replace_all(list(zip(outer_out, new_node.outputs)), reason="scan_merge")
        changes += 1
    return changes


def _seq_operand(var, seqs):
    """(index of the inner sequence, transposed) when ``var`` is a matrix sequence's row or
    its transpose, else None."""
    if var in seqs:
        return seqs.index(var), False
    owner = var.owner
    if owner is not None and isinstance(owner.op, DimShuffle) and \
            tuple(owner.op.new_order) == (1, 0) and owner.inputs[0] in seqs:
        return seqs.index(owner.inputs[0]), True
    return None


def _dot_sum(op, state_in, state_out):
    """(side of the sequence, its index, transposed, the other operand) when ``state_out``
    is ``state_in + dot(a, b)`` with one of a, b a sequence's row (or its transpose), the
    other not reading the state, and the state read nowhere else; else None."""
    add = state_out.owner
    if add is None or not isinstance(add.op, Elemwise) or \
            not isinstance(add.op.scalar_op, Add) or len(add.inputs) != 2 or \
            state_in not in add.inputs:
        return None
    term = add.inputs[1] if add.inputs[0] is state_in else add.inputs[0]
    if term is state_in or term.owner is None or not isinstance(term.owner.op, Dot) or \
            any(v.ndim != 2 for v in term.owner.inputs) or term.type != state_in.type:
        return None
    for node in io_toposort(op.inputs, op.outputs):
        if node is not add and state_in in node.inputs:
            return None
    if state_in in op.outputs:
        return None
    seqs = op.inner_seqs(op.inputs)
    for side in (0, 1):
        found = _seq_operand(term.owner.inputs[side], seqs)
        other = term.owner.inputs[1 - side]
        if found is not None and state_in not in graph_inputs([other]):
            return (side,) + found + (other,)
    return None


def _as_matrix_product(left, left_t, right, right_t, n, k, m, p):
    """sum_t L_t R_t, with L_t = left[t] (``left[t].T`` when left_t) of shape (m, k) and R_t =
    right[t] (or its transpose) of shape (k, p), as one dot. A transposed sequence stacks
    its rows (a view of a contiguous tensor) and the product reads it transposed, a BLAS
    flag: no transposing copy. The sizes are given from the sequence and the initial value:
    the shapes of a scan's output would make the later phases infer and fuse its inner
    graph's shapes (seconds of compile), and -1 fails on empty matrices."""
    lhs = left.reshape((n * k, m)).T if left_t else left.dimshuffle(1, 0, 2).reshape((m, n * k))
    rhs = right.dimshuffle(0, 2, 1).reshape((n * k, p)) if right_t else \
        right.reshape((n * k, p))
    return dot(lhs, rhs)


def _constant_int(var):
    if var is None:
        return None
    try:
        return int(get_scalar_constant_value(var))
    except NotScalarConstantError:
        return None


def _unreversed(seq):
    """``a`` when ``seq`` is ``a[::-1]`` cut by prefix slices (``[:s]``), else None: the
    sequences of a gradient's loop, read backwards."""
    var = seq
    while var.owner is not None and isinstance(var.owner.op, Subtensor) and \
            len(var.owner.op.idx_list) == 1 and isinstance(var.owner.op.idx_list[0], slice):
        entry = get_idx_list(var.owner.inputs, var.owner.op.idx_list)[0]
        start, step = _constant_int(entry.start), _constant_int(entry.step)
        if entry.start is None and entry.stop is None and step == -1:
            return var.owner.inputs[0]
        if not (entry.start is None or start == 0) or not (entry.step is None or step == 1):
            return None
        var = var.owner.inputs[0]
    return None


@register(CANONICALIZE, *SCAN_TAGS)
@node_rewriter([Scan])
def scan_pushout_dot_sum(fgraph, node):
    "scan(acc + dot(seq[t].T, v_t))[-1] -> acc0 + dot(seq.reshape.T, v.reshape), v mapped"
    op = node.op
    if op.as_while or op.destroy_map or fgraph is None:
        return None
    for jj, (state_in, state_out) in enumerate(zip(op.inner_sitsot(op.inputs),
                                                   op.inner_sitsot_outs(op.outputs))):
        j = op.n_tap_outs + jj  # its outer output, buffer and tap_array entry
        j_inner = op.n_state_outs - op.n_sit_sot + jj
        match = _dot_sum(op, state_in, state_out)
        if match is None:
            continue
        users = _last_value_users(fgraph, node.outputs[j], 1)
        if users is None:
            continue
        side, seq_k, transposed, value = match
        n_steps = node.inputs[0]
        info = OrderedDict(op.info)
        info["tap_array"] = op.tap_array[:j] + op.tap_array[j + 1:]
        info["n_sit_sot"] -= 1
        n_outs, n_state_outs = op.n_outs, op.n_state_outs
        # A value already mapped over the same steps (the delta of an RNN's gradient, summed
        # into both W's and U's) is read from that output, not copied into a second one.
        nit_outs = op.inner_nitsot_outs(op.outputs)
        sizes = op.outer_nitsot(node.inputs)
        reuse = [i for i, (o, size) in enumerate(zip(nit_outs, sizes))
                 if size is n_steps and (o is value or equal_computations(
                     [o], [value], op.inputs, op.inputs))]
        new_nit = [] if reuse else [value]
        new_sizes = [] if reuse else [n_steps]
        info["n_nit_sot"] += len(new_nit)
        # A sequence read backwards (a gradient's loop): the sum is the same over the steps
        # in either order, and in the forward one the sequence is ``a[len(a) - n_steps:]``
        # (scan checks it has n_steps rows), a view; the values' buffer is then laid out
        # backwards by the loop (``reversed_nit_sot``), so that both stack without a copy.
        forward = _unreversed(op.outer_seqs(node.inputs)[seq_k])
        value_nit = reuse[0] if reuse else op.n_nit_sot
        if forward is not None:
            info["reversed_nit_sot"] = tuple(sorted(
                set(op.info.get("reversed_nit_sot", ())) | {value_nit}))
        inner_in = [v for v in op.inputs if v is not state_in]
        inner_out = op.outputs[:j_inner] + \
            op.outputs[j_inner + 1:n_state_outs + op.n_nit_sot] + new_nit + \
            op.outputs[n_state_outs + op.n_nit_sot:]
        outer_in = list(node.inputs[:op.seqs_arg_offset + j]) + \
            list(node.inputs[op.seqs_arg_offset + j + 1:op.nit_sot_arg_offset + op.n_nit_sot]) + \
            new_sizes + list(op.outer_non_seqs(node.inputs))
        new_node = Scan(inner_in, inner_out, info).make_node(*outer_in)
        new_outs = list(new_node.outputs)
        if reuse:
            values = new_outs[n_outs - 1 + reuse[0]]
        else:
            values = new_outs.pop(n_outs - 1 + op.n_nit_sot)
        if forward is not None:
            seq = forward[forward.shape[0] - n_steps:]
            values = values[::-1]
        else:
            seq = op.outer_seqs(node.inputs)[seq_k][:n_steps]
        initial = _initial_rows(node.inputs[op.seqs_arg_offset + j], 1)[0]
        rows, cols = initial.shape[0], initial.shape[1]
        if side == 0:
            k = seq.shape[1] if transposed else seq.shape[2]
            total = initial + _as_matrix_product(seq, transposed, values, False, n_steps, k,
                                                 rows, cols)
        else:
            k = seq.shape[2] if transposed else seq.shape[1]
            total = initial + _as_matrix_product(values, False, seq, transposed, n_steps, k,
                                                 rows, cols)
        replacements = OrderedDict((user, total) for user in users)
        for old, new in zip(node.outputs[:j] + node.outputs[j + 1:], new_outs):
            replacements[old] = new
        return replacements
    return None
