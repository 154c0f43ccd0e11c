"""Rewrites of the ops of pytheano/tensor/elemwise.py in CANONICALIZE: DimShuffles composed
into one, identity DimShuffles and casts to the input's own dtype removed.

Layer 6: rules only. Each keeps the type of the output it replaces, or does nothing.
"""
from pytheano.graph.rewriting import CANONICALIZE, node_rewriter, register
from pytheano.rewriting.math import same_type
from pytheano.scalar import basic as scal
from pytheano.tensor.elemwise import DimShuffle, Elemwise

__all__ = ["local_dimshuffle_dimshuffle", "local_dimshuffle_identity", "local_cast_same_dtype"]

CANON_TAGS = ("fast_run", "fast_compile")


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([DimShuffle])
def local_dimshuffle_dimshuffle(fgraph, node):
    "DimShuffle{o}(DimShuffle{i}(x)) -> DimShuffle{i[o]}(x)"
    inner = node.inputs[0].owner
    if inner is None or not isinstance(inner.op, DimShuffle):
        return None
    order = tuple("x" if k == "x" else inner.op.new_order[k] for k in node.op.new_order)
    # An axis the outer one drops is broadcastable: from an 'x', or from a broadcastable
    # input axis, which the composed order may drop too.
    op = DimShuffle(inner.op.input_broadcastable, order, inplace=node.op.inplace)
    return same_type(node, op(inner.inputs[0]))


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([DimShuffle])
def local_dimshuffle_identity(fgraph, node):
    "DimShuffle{0, 1, ..., n-1}(x) -> x"
    if tuple(node.op.new_order) != tuple(range(node.inputs[0].type.ndim)):
        return None
    return same_type(node, node.inputs[0])


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Elemwise])
def local_cast_same_dtype(fgraph, node):
    "cast(x, x.dtype) -> x"
    if not isinstance(node.op.scalar_op, scal.Cast):
        return None
    return same_type(node, node.inputs[0])
