"""``theano.scan_module.scan_utils``: until, scan's helpers and ``map_variables``."""
from pytheano._core.graph import Constant, graph_inputs, io_toposort
from pytheano.compile.builders import OpFromGraph
from pytheano.graph.basic import equal_computations  # noqa: F401
from pytheano.scan.op import Scan
from pytheano.scan.utils import (clone, expand_empty, forced_replace,  # noqa: F401
                                 get_updates_and_outputs, isNaN_or_Inf_or_None, safe_new,
                                 until)


def map_variables(replacer, graphs, additional_inputs=None):
    """New graphs: ``graphs`` with each variable ``v`` for which ``replacer(v)`` returns
    another variable replaced by it, inside the inner graphs of scan and OpFromGraph too
    (Theano 1.0's ``map_variables``). ``additional_inputs`` is accepted for Theano's
    signature: the graph inputs a replacement brings are found from it.

    A replacement inside an inner graph may use outer variables: each becomes a new
    non-sequence of the scan (a new input of the OpFromGraph). A shared variable with a
    update brought into an inner graph raises NotImplementedError, as in Theano:
    its updates would have to change.
    """
    seen = set()

    def wrapped(var):
        # What a replacement put there is not replaced again.
        if var in seen:
            return var
        new = replacer(var)
        seen.add(new)
        return new

    return _map(wrapped, list(graphs))


def _map(replacer, graphs):
    memo = {}
    for leaf in graph_inputs(graphs):
        memo[leaf] = replacer(leaf)
    for node in io_toposort(graph_inputs(graphs), graphs):
        inputs = [memo.get(v, v) for v in node.inputs]
        if isinstance(node.op, (Scan, OpFromGraph)):
            new_outputs = _map_inner(replacer, node, inputs)
        elif any(a is not b for a, b in zip(inputs, node.inputs)):
            new_outputs = node.clone_with_new_inputs(inputs).outputs
        else:
            new_outputs = node.outputs
        for old, new in zip(node.outputs, new_outputs):
            replaced = replacer(old)
            memo[old] = new if replaced is old else replaced
    return [memo.get(g, g) for g in graphs]


def _map_inner(replacer, node, outer_inputs):
    """The outputs of ``node`` (a scan or an OpFromGraph) rebuilt on ``outer_inputs``, with
    ``replacer`` applied inside its inner graph."""
    op = node.op
    if isinstance(op, Scan):
        # Only a non-sequence is the same value inside as outside.
        outer_to_inner = dict(zip(op.outer_non_seqs(node.inputs), op.inner_non_seqs(op.inputs)))
    else:
        outer_to_inner = dict(zip(node.inputs, op.inputs))
    inner_set = set(op.inputs)
    extra_inner, extra_outer = [], []

    def inner_replacer(var):
        new = replacer(var)
        if new is var:
            return var
        foreign = [v for v in graph_inputs([new]) if not isinstance(v, Constant)
                   and v not in inner_set and v not in extra_inner]
        if isinstance(op, OpFromGraph):
            # OpFromGraph takes the shared variables of its graph as implicit inputs.
            foreign = [v for v in foreign if not hasattr(v, "get_value") or _has_update(v)]
        for outer in foreign:
            if _has_update(outer):
                raise NotImplementedError(
                    "Replacement introduces shared variable %s which has an update "
                    "associated with it into the inner graph of %s. This is not currently "
                    "supported." % (outer, op))
            if outer not in outer_to_inner:
                inner = safe_new(outer, tag="_copy")
                outer_to_inner[outer] = inner
                extra_inner.append(inner)
                extra_outer.append(outer)
        replace = {o: i for o, i in outer_to_inner.items() if o in set(graph_inputs([new]))}
        return clone(new, replace=replace) if replace else new

    inner_outputs = _map(inner_replacer, list(op.outputs))
    if not extra_inner and all(a is b for a, b in zip(inner_outputs, op.outputs)):
        if all(a is b for a, b in zip(outer_inputs, node.inputs)):
            return node.outputs
        return node.clone_with_new_inputs(outer_inputs).outputs
    if isinstance(op, Scan):
        new_op = Scan(list(op.inputs) + extra_inner, inner_outputs, op.info)
        return new_op.make_node(*(list(outer_inputs) + extra_outer)).outputs
    new_op = type(op)(list(op.inputs) + extra_inner, inner_outputs, inline=op.is_inline,
                      **op.kwargs)
    explicit = list(outer_inputs[:len(op.inputs)])
    return new_op(*(explicit + extra_outer), return_list=True)


def _has_update(var):
    # Theano's map_variables reads ``var.update``; pytheano's shared variables carry
    # ``default_update``.
    return hasattr(var, "get_value") and (getattr(var, "update", None) is not None or
                                          getattr(var, "default_update", None) is not None)
