"""Rules for any op: constant folding (canonicalize phase). Merge is the engine's
(pytheano.graph.rewriting.merge_graph), as it works on the whole graph at once."""
import numpy as np

from pytheano._core.graph import Constant
from pytheano.graph.op import Op, do_constant_folding
from pytheano.graph.rewriting import CANONICALIZE, node_rewriter, register

__all__ = ["constant_folding", "MAX_FOLDED_BYTES"]

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


@register(CANONICALIZE, "fast_run", "fast_compile")
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
