"""The typed-list rewrites (Theano's ``theano.typed_list.opt``)."""
from pytheano.graph.rewriting import INPLACE, node_rewriter, register
from pytheano.typed_list.basic import Append, Extend, Insert, Remove, Reverse


@register(INPLACE, "fast_run", "inplace")
@node_rewriter([Append, Extend, Insert, Remove, Reverse])
def typed_list_inplace_opt(fgraph, node):
    "Append(x, y) -> Append{inplace}(x, y) (and Extend, Insert, Remove, Reverse)"
    if node.op.inplace:
        return None
    return [type(node.op)(inplace=True)(*node.inputs)]
