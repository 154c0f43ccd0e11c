"""Graph structures and walks. The classes live in the Cython core; this module is their home
for imports (``from pytheano.graph.basic import Variable, Apply``) and adds the pure-Python
helpers that are not on a hot path."""
from pytheano._core.graph import (  # noqa: F401
    Apply,
    Constant,
    Node,
    Scratchpad,
    Variable,
    ancestors,
    as_string,
    clone,
    clone_get_equiv,
    graph_inputs,
    io_toposort,
    is_in_ancestors,
    op_as_string,
    orphans_between,
    user_location,
    variables_between,
)

# Theano 1.0 name.
inputs = graph_inputs


def clone_replace(output, replace=None, strict=True, share_inputs=True):
    """A copy of the graph computing ``output`` (a variable or a list), with each key of
    ``replace`` ({variable: replacement}) standing for its value (``theano.clone``).

    share_inputs: the copy reads the same graph inputs (else they are cloned too). strict:
    a replacement must have its variable's type (else nodes are rebuilt for the new types).
    """
    items = list(replace.items()) if isinstance(replace, dict) else list(replace or [])
    outputs = list(output) if isinstance(output, (list, tuple)) else [output]
    memo = {}
    for old, new in items:
        if strict and new.type != old.type:
            new = old.type.filter_variable(new)
        memo[old] = new
    leaves = graph_inputs(outputs, blockers=[old for old, _ in items])
    equiv = clone_get_equiv(leaves, outputs, copy_inputs=not share_inputs,
                            copy_orphans=not share_inputs, memo=memo)
    cloned = [equiv[o] for o in outputs]
    return cloned if isinstance(output, (list, tuple)) else cloned[0]


def applys_between(ins, outs):
    """The Apply nodes on some path from ``ins`` to ``outs``."""
    ins = set(ins)
    return [v.owner for v in variables_between(ins, outs)
            if v.owner is not None and v not in ins]


def general_toposort(outputs, deps):
    """Order the nodes reachable from ``outputs`` through ``deps(node)`` so deps come first."""
    order, done, stack = [], set(), [(o, False) for o in reversed(list(outputs))]
    while stack:
        node, expanded = stack.pop()
        if node in done:
            continue
        if expanded:
            done.add(node)
            order.append(node)
            continue
        stack.append((node, True))
        for d in reversed(list(deps(node) or ())):
            if d not in done:
                stack.append((d, False))
    return order


def equal_computations(xs, ys, in_xs=None, in_ys=None):
    """True when ``xs`` and ``ys`` compute the same thing (same ops on matching inputs)."""
    in_xs = list(in_xs or [])
    in_ys = list(in_ys or [])
    if len(xs) != len(ys) or len(in_xs) != len(in_ys):
        return False
    matched = dict(zip(in_xs, in_ys))

    def same(x, y):
        if x in matched:
            return matched[x] is y
        if x.owner is None or y.owner is None:
            if x.owner is not None or y.owner is not None:
                return False
            if isinstance(x, Constant) and isinstance(y, Constant):
                ok = x.equals(y)
            else:
                ok = x is y
            if ok:
                matched[x] = y
            return ok
        if x.type != y.type or x.index != y.index:
            return False
        nx, ny = x.owner, y.owner
        if nx.op != ny.op or len(nx.inputs) != len(ny.inputs):
            return False
        if not all(same(a, b) for a, b in zip(nx.inputs, ny.inputs)):
            return False
        matched[x] = y
        return True

    return all(same(x, y) for x, y in zip(xs, ys))


def is_same_graph(var1, var2, givens=None, debug=False):
    """True iff ``var1`` and ``var2`` perform the same computation: the same graph, so
    ``x * (y * z)`` and ``(x * y) * z`` differ; equal constants match.

    givens: {variable: replacement} (or pairs) substituted in both graphs first:
    ``is_same_graph(x + 1, y + 1, givens={x: y})`` is True.
    ``debug`` is accepted for Theano 1.0's signature and ignored (one implementation here).
    """
    pairs = list(givens.items()) if isinstance(givens, dict) else list(givens or ())
    # Theano 1.0 compat: the substitutions apply one after the other (as fgraph.replace does),
    # so {x: y, y: z} turns x into z.
    for old, new in pairs:
        var1, var2 = (clone_replace(v, replace={old: new}, strict=False) for v in (var1, var2))
    return equal_computations([var1], [var2])


def io_connection_pattern(inputs, outputs):
    """[[input i reaches output j]] through each op's own connection_pattern (an op
    without one connects all its inputs to all its outputs): a shape, a nested scan's
    n_steps, do not connect (Theano's ``gof.graph.io_connection_pattern``)."""
    index = {id(v): {i} for i, v in enumerate(inputs)}
    reached = {}

    def of(v):
        return index.get(id(v)) or reached.get(id(v)) or set()

    for node in io_toposort(inputs, outputs):
        cp = getattr(node.op, "connection_pattern", None)
        cp = cp(node) if cp is not None else None
        for j, out in enumerate(node.outputs):
            acc = set()
            for k, inp in enumerate(node.inputs):
                if cp is None or cp[k][j]:
                    acc |= of(inp)
            reached[id(out)] = acc
    return [[i in of(out) for out in outputs] for i in range(len(inputs))]
