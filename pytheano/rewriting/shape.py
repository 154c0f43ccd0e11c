"""Rewrites of the shape ops (pytheano/tensor/shape.py, with Rebroadcast and the basic
Subtensor, which only change how an input is viewed) in CANONICALIZE: the ones that change
nothing are removed.

Layer 6: rules only. Each keeps the type of the output it replaces, or does nothing: a view
whose type differs (a Rebroadcast that sets a flag, a slice that may shrink) checks or
changes something at run time and stays.
"""
from pytheano.graph.rewriting import CANONICALIZE, node_rewriter, register
from pytheano.rewriting.math import same_type
from pytheano.tensor.basic import Rebroadcast
from pytheano.tensor.shape import MakeVector, Reshape, Shape, Shape_i
from pytheano.tensor.slicing import Subtensor

__all__ = ["local_reshape_own_shape", "local_useless_rebroadcast", "local_full_subtensor"]

CANON_TAGS = ("fast_run", "fast_compile")


def _is_dim_of(entry, x, i):
    """Whether the scalar ``entry`` is ``x.shape[i]``: Shape_i{i}(x) or Shape(x)[i]."""
    owner = entry.owner
    if owner is None:
        return False
    if isinstance(owner.op, Shape_i):
        return owner.op.i == i and owner.inputs[0] is x
    if isinstance(owner.op, Subtensor) and owner.inputs[0].owner is not None and \
            isinstance(owner.inputs[0].owner.op, Shape) and owner.inputs[0].owner.inputs[0] is x:
        try:
            idx = owner.op.get_constant_idx(owner.inputs)
        except Exception:  # a non-constant index
            return False
        return len(idx) == 1 and not isinstance(idx[0], slice) and int(idx[0]) == i
    return False


def _is_shape_of(shp, x):
    """Whether the vector ``shp`` is ``x.shape``: Shape(x), or [x.shape[0], ...]."""
    node = shp.owner
    if node is None:
        return False
    if isinstance(node.op, Shape):
        return node.inputs[0] is x
    if isinstance(node.op, MakeVector) and len(node.inputs) == x.type.ndim:
        return all(_is_dim_of(entry, x, i) for i, entry in enumerate(node.inputs))
    return False


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Reshape])
def local_reshape_own_shape(fgraph, node):
    "reshape(x, x.shape) -> x"
    x, shp = node.inputs[:2]
    if node.op.ndim != x.type.ndim or not _is_shape_of(shp, x):
        return None
    return same_type(node, x)


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Rebroadcast])
def local_useless_rebroadcast(fgraph, node):
    "Rebroadcast{flags x already has}(x) -> x"
    return same_type(node, node.inputs[0])


def _is_full(entry):
    return isinstance(entry, slice) and entry.start is None and entry.stop is None and \
        (entry.step is None or (not hasattr(entry.step, "type") and entry.step == 1))


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Subtensor])
def local_full_subtensor(fgraph, node):
    "x[:, ::1] -> x"
    try:
        idx = node.op.get_constant_idx(node.inputs, allow_partial=True)
    except Exception:  # an index that is not constant: not the full slice
        return None
    if not all(_is_full(entry) for entry in idx):
        return None
    return same_type(node, node.inputs[0])
