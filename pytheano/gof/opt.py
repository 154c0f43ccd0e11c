"""Theano 1.0's rewrite API names (``theano.gof.opt``), mapped onto pytheano's
(pytheano.graph.rewriting): a local optimizer is a node rewriter, the global optimizers run
them to a fixed point over a graph, ``check_stack_trace`` checks that rewritten nodes still
carry the user's source line (their ``creation_site``; Theano's ``tag.trace``)."""
import inspect

from pytheano.graph.ops import DeepCopyOp
from pytheano.graph.rewriting import (CANONICALIZE, NodeRewriter, Query, RewriteDatabase,
                                      merge_graph)

__all__ = ["local_optimizer", "LocalOptimizer", "Optimizer", "MergeOptimizer",
           "TopoOptimizer", "EquilibriumOptimizer", "in2out", "out2in", "check_stack_trace",
           "LocalOptGroup"]

LocalOptimizer = NodeRewriter


def local_optimizer(tracks, inplace=False, requirements=()):
    """Theano's decorator: ``fn(node)`` (or ``fn(fgraph, node)``) becomes a node rewriter."""
    def wrap(fn):
        if len(inspect.signature(fn).parameters) == 1:
            return NodeRewriter(lambda fgraph, node: fn(node), tracks, fn.__name__)
        return NodeRewriter(fn, tracks, fn.__name__)
    return wrap


class Optimizer:
    """A graph-wide rewrite: ``optimize(fgraph)`` (Theano's ``apply``)."""

    def optimize(self, fgraph, *args, **kwargs):
        return self.apply(fgraph)

    def apply(self, fgraph):
        raise NotImplementedError()

    def __call__(self, fgraph):
        return self.optimize(fgraph)


class MergeOptimizer(Optimizer):
    """Identical nodes and equal constants become one."""

    def apply(self, fgraph):
        return merge_graph(fgraph)


class EquilibriumOptimizer(Optimizer):
    """The node rewriters applied until none applies (Theano's EquilibriumOptimizer and
    TopoOptimizer, in2out, out2in: the order of visits differs, the fixed point not)."""

    def __init__(self, *local_opts, **kwargs):
        if len(local_opts) == 1 and isinstance(local_opts[0], (list, tuple)):
            local_opts = local_opts[0]
        self.local_opts = list(local_opts)

    def apply(self, fgraph):
        db = RewriteDatabase()
        for k, rw in enumerate(self.local_opts):
            db.register(rw, CANONICALIZE, "selected", name="%s_%d" % (rw.name, k))
        db.query(Query(include=("selected",))).rewrite(fgraph)


TopoOptimizer = EquilibriumOptimizer


def in2out(*local_opts, **kwargs):
    return EquilibriumOptimizer(*local_opts)


out2in = in2out


def check_stack_trace(f_or_fgraph, ops_to_check="last", bug_print="raise"):
    """True when the outputs of the nodes ``ops_to_check`` selects ('last': the nodes
    computing the outputs, 'all', an op, an op class, a list of them, or a predicate on
    nodes) all carry a creation site (the user's source line)."""
    fgraph = getattr(getattr(f_or_fgraph, "maker", None), "fgraph", f_or_fgraph)
    nodes = fgraph.toposort()
    if ops_to_check == "last":
        chosen = [o.owner for o in fgraph.outputs if o.owner is not None]
        # the node under an output copy is the one the rewrites made
        chosen = [n.inputs[0].owner if isinstance(n.op, DeepCopyOp) and
                  n.inputs[0].owner is not None else n for n in chosen]
    elif ops_to_check == "all":
        chosen = nodes
    elif callable(ops_to_check) and not isinstance(ops_to_check, type) and \
            not hasattr(ops_to_check, "make_node"):
        chosen = [n for n in nodes if ops_to_check(n)]
    else:
        wanted = ops_to_check if isinstance(ops_to_check, (list, tuple)) else [ops_to_check]
        chosen = [n for n in nodes
                  if any(n.op == w or (isinstance(w, type) and isinstance(n.op, w))
                         for w in wanted)]
    return all(out.creation_site is not None for n in chosen for out in n.outputs)


def LocalOptGroup(*local_opts, **kwargs):
    """Theano's group of local optimizers, as one node rewriter: the first that applies."""
    if len(local_opts) == 1 and isinstance(local_opts[0], (list, tuple)):
        local_opts = local_opts[0]
    tracks = set()
    for rw in local_opts:
        if rw.tracks is None:
            tracks = None
            break
        tracks.update(rw.tracks)

    def apply_first(fgraph, node):
        for rw in local_opts:
            result = rw.transform(fgraph, node)
            if result:
                return result
        return None
    return NodeRewriter(apply_first, tracks, kwargs.get("name") or "LocalOptGroup(%s)" % (
        ",".join(rw.name for rw in local_opts)))
