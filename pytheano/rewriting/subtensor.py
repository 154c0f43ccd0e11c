"""Rewrites of the ops of pytheano/tensor/slicing.py and subtensor.py: the in-place
versions of set_subtensor / inc_subtensor (INPLACE phase), where the DestroyHandler allows
them (never on an input not declared mutable; the engine undoes a replacement it refuses).

Layer 6: rules only. Theano's names, set on theano.tensor.opt at the end.
"""
from pytheano.graph.rewriting import CANONICALIZE, INPLACE, node_rewriter, register
from pytheano.tensor import opt as tensor_opt
from pytheano.tensor.elemwise import Elemwise
from pytheano.tensor.slicing import IncSubtensor, Subtensor
from pytheano.tensor.subtensor import AdvancedIncSubtensor1

__all__ = ["local_inplace_setsubtensor", "local_inplace_incsubtensor1", "local_subtensor_lift"]

INPLACE_TAGS = ("fast_run", "inplace")


@register(INPLACE, *INPLACE_TAGS)
@node_rewriter([IncSubtensor])
def local_inplace_setsubtensor(fgraph, node):
    "IncSubtensor{Set;...}(x, y) -> IncSubtensor{InplaceSet;...}(x, y) where x may be overwritten"
    op = node.op
    if type(op) is not IncSubtensor or op.inplace or not hasattr(fgraph, "destroy_handler"):
        return None
    new_op = IncSubtensor(op.idx_list, inplace=True, set_instead_of_inc=op.set_instead_of_inc,
                          destroyhandler_tolerate_aliased=op.destroyhandler_tolerate_aliased)
    return [new_op(*node.inputs)]


@register(INPLACE, *INPLACE_TAGS)
@node_rewriter([AdvancedIncSubtensor1])
def local_inplace_incsubtensor1(fgraph, node):
    "AdvancedIncSubtensor1{no_inplace}(x, y, i) -> AdvancedIncSubtensor1{inplace}(x, y, i)"
    if type(node.op) is not AdvancedIncSubtensor1 or node.op.inplace or \
            not hasattr(fgraph, "destroy_handler"):
        return None
    return [node.op.clone_inplace()(*node.inputs)]


@register(CANONICALIZE, "fast_run")
@node_rewriter([Subtensor])
def local_subtensor_lift(fgraph, node):
    "unary(x)[idx] -> unary(x[idx])  (unary(x) read by this node only)"
    # T.mean casts the whole shape vector and reads one entry: cast that entry only (the
    # shape rules then see a MakeVector's entry). Elementwise, so no value or error changes.
    u = node.inputs[0]
    inner = u.owner
    if inner is None or not isinstance(inner.op, Elemwise) or len(inner.inputs) != 1 or \
            len(inner.outputs) != 1 or inner.inputs[0].type.ndim != u.type.ndim or \
            fgraph is None or len(fgraph.clients.get(u, ())) != 1:
        return None
    out = inner.op(node.op(inner.inputs[0], *node.inputs[1:]))
    return [out] if out.type == node.outputs[0].type else None


# Theano 1.0 import paths: theano.tensor.opt held these rewrites.
for _name in __all__:
    setattr(tensor_opt, _name, globals()[_name])
