"""Rules for any op: constant folding (canonicalize phase), and the rules of Alloc
(pytheano/tensor/basic.py) and Join (tensor/join.py). Merge is the engine's
(pytheano.graph.rewriting.merge_graph), as it works on the whole graph at once."""
import numpy as np

from pytheano._core.graph import Constant
from pytheano.graph.op import Op, do_constant_folding
from pytheano.graph.rewriting import (CANONICALIZE, SPECIALIZE, STABILIZE, node_rewriter,
                                      register)
from pytheano.rewriting.shape import dim_key, known_dim
from pytheano.tensor import opt as tensor_opt
from pytheano.tensor.basic import (Alloc, NotScalarConstantError, constant,
                                   get_scalar_constant_value)
from pytheano.tensor.elemwise import DimShuffle
from pytheano.tensor.join import Join

__all__ = ["constant_folding", "MAX_FOLDED_BYTES", "local_useless_alloc",
           "local_canonicalize_alloc", "local_merge_alloc", "local_join_1"]

# A folded value lives in the compiled function for its lifetime, and merge hashes its
# bytes: past this size the node stays in the graph and is computed at each call (Theano
# 1.0 folded any size).
MAX_FOLDED_BYTES = 1 << 24


def _fold(node):
    """The node's output values, computed by its perform; None where it cannot be folded
    exactly (it raises, sets a floating-point flag, or returns what the type would cast)."""
    values = [inp.data for inp in node.inputs]
    storage = [[None] for _ in node.outputs]
    params = node.op.get_params(node)
    try:
        # Under errstate(raise): a node that warns (1/0 -> inf with a RuntimeWarning) stays,
        # so the function warns when it runs, as with optimizer=None.
        with np.errstate(all="raise", under="ignore"):
            node.op.perform(node, values, storage, *(() if params is None else (params,)))
    except Exception:
        return None  # raised at run time, as optimizer=None does
    outs = []
    for out, (value,) in zip(node.outputs, storage):
        try:
            value = out.type.filter(value, strict=True)
        except Exception:
            return None
        if isinstance(value, np.ndarray):
            bcast = getattr(out.type, "broadcastable", None)
            if bcast is not None and (value.ndim != len(bcast) or any(
                    b and d != 1 for b, d in zip(bcast, value.shape))):
                return None
            if value.nbytes > MAX_FOLDED_BYTES:
                return None
            if any(isinstance(v, np.ndarray) and np.may_share_memory(value, v)
                   for v in values):
                value = value.copy()  # a view of an input constant: own it
        outs.append(value)
    return outs


# Again in STABILIZE and SPECIALIZE (as Theano 1.0): their rules build constant subgraphs
# (the sign of a gradient, a zero bias) that canonicalize is past.
@register(CANONICALIZE, "fast_run", "fast_compile")
@register(STABILIZE, "fast_run", "constant_folding", name="constant_folding_stabilize")
@register(SPECIALIZE, "fast_run", "constant_folding", name="constant_folding_specialize")
@node_rewriter(None)
def constant_folding(fgraph, node):
    "op(constant, ...) -> constant"
    # A node without inputs may read outside state at each call (Theano 1.0 folded it).
    if not node.inputs or not all(isinstance(inp, Constant) for inp in node.inputs):
        return None
    # Ops with their own thunk (lazy ones) compute through it, not perform; a destroyer
    # would overwrite the constant it reads.
    if type(node.op).make_thunk is not Op.make_thunk or getattr(node.op, "destroy_map", None):
        return None
    if not do_constant_folding(fgraph, node):
        return None
    values = _fold(node)
    if values is None:
        return None
    return [out.type.Constant(out.type, value) for out, value in zip(node.outputs, values)]


# --------------------------------------------------------------------------- Alloc

def _known_dims(fgraph, x, dims):
    """Whether ``x`` is known to have length ``dims[d]`` along each of its trailing
    dimensions that is not broadcastable (then alloc(x, *dims) only copies x)."""
    offset = len(dims) - x.type.ndim
    return all(bcast or known_dim(fgraph, x, d, dims[offset + d])
               for d, bcast in enumerate(x.type.broadcastable))


def _same_int(a, b):
    try:
        return a is not None and int(get_scalar_constant_value(a)) == \
            int(get_scalar_constant_value(b))
    except (NotScalarConstantError, TypeError):
        return False


@register(CANONICALIZE, "fast_run", "fast_compile")
@register(SPECIALIZE, "fast_run", name="local_useless_alloc_specialize")
@node_rewriter([Alloc])
def local_useless_alloc(fgraph, node):
    "alloc(x, *x.shape) -> x  (x of the output's type, its shape known to be the one asked)"
    x, dims = node.inputs[0], node.inputs[1:]
    if x.type != node.outputs[0].type or not _known_dims(fgraph, x, dims):
        return None
    return [x]


@register(CANONICALIZE, "fast_run")
@node_rewriter([Alloc])
def local_canonicalize_alloc(fgraph, node):
    "alloc(x, 1, 1, m, n) -> DimShuffle{x,x,0,1}(alloc(x, m, n))"
    x, dims = node.inputs[0], list(node.inputs[1:])
    if any(client != "output" and isinstance(client.op, Alloc)
           for client, _ in fgraph.clients.get(node.outputs[0], ())):
        return None  # local_merge_alloc's to take first
    ones = 0
    while ones < len(dims) - x.type.ndim and _same_int(dims[ones], constant(1)):
        ones += 1
    if not ones:
        return None
    rest = dims[ones:]
    inner = Alloc()(x, *rest) if rest else x
    if rest and x.type == inner.type and _known_dims(fgraph, x, rest):
        inner = x
    order = ["x"] * ones + list(range(len(rest)))
    out = DimShuffle(inner.type.broadcastable, order)(inner)
    return [out] if out.type == node.outputs[0].type else None


@register(CANONICALIZE, "fast_run")
@node_rewriter([Alloc])
def local_merge_alloc(fgraph, node):
    "alloc(alloc(m, 1, y, 1), x, y, z) -> alloc(m, x, y, z)"
    inner = node.inputs[0].owner
    if inner is None or not isinstance(inner.op, Alloc):
        return None
    m, inner_dims = inner.inputs[0], inner.inputs[1:]
    dims = node.inputs[1:]
    offset = len(dims) - len(inner_dims)
    lead = len(inner_dims) - m.type.ndim  # the inner dims m has none of
    # Each inner length must be the outer one (else the outer alloc raises), or a constant
    # 1 the outer alloc broadcasts, where m has no dimension of its own.
    for d, want in enumerate(inner_dims):
        outer = dims[offset + d]
        if want is outer or dim_key(want) == dim_key(outer) or (
                d < lead and dim_key(want) == ("int", 1)):
            continue
        return None
    out = Alloc()(m, *dims)
    return [out] if out.type == node.outputs[0].type else None


# --------------------------------------------------------------------------- Join

@register(CANONICALIZE, "fast_run", "fast_compile")
@node_rewriter([Join])
def local_join_1(fgraph, node):
    "join(axis, x) -> x  (a constant axis: make_node checked it; a symbolic one may raise)"
    if len(node.inputs) != 2 or not isinstance(node.inputs[0], Constant):
        return None
    x = node.inputs[1]
    return [x] if x.type == node.outputs[0].type else None


# Theano 1.0 compat: the rules' names under theano.tensor.opt.
tensor_opt.constant_folding = constant_folding
tensor_opt.local_useless_alloc = local_useless_alloc
tensor_opt.local_canonicalize_alloc = local_canonicalize_alloc
tensor_opt.local_merge_alloc = local_merge_alloc
tensor_opt.local_join_1 = local_join_1
