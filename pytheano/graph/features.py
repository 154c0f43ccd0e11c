"""FunctionGraph features under Theano 1.0's names (``theano.gof.toolbox``).

The hot ones (Feature, History, Validator, ReplaceValidate) are Cython, in pytheano._core;
the small Python ones live here. A FunctionGraph attaches none of them by itself.
"""
from pytheano._core.features import (  # noqa: F401
    History,
    ReplaceValidate,
    ReplacementDidntRemovedError,
    Validator,
    consistent_graph,
    validate_graph,
)
from pytheano._core.fgraph import Feature
from pytheano.errors import AlreadyThere, InconsistencyError

__all__ = ["Feature", "History", "Validator", "ReplaceValidate", "ReplacementDidntRemovedError",
           "NodeFinder", "PreserveNames", "NoOutputFromInplace", "Supervisor"]


class NodeFinder(Feature):
    """``fgraph.get_nodes(op)``: the nodes of the graph that apply ``op``, kept up to date."""

    def __init__(self):
        super().__init__()
        self.fgraph = None
        self.d = {}

    def on_attach(self, fgraph):
        if self.fgraph is not None or hasattr(fgraph, "get_nodes"):
            raise AlreadyThere("NodeFinder is already present or in conflict with another "
                               "plugin.")
        self.fgraph = fgraph
        fgraph.get_nodes = self.query
        for node in fgraph.toposort():
            self.on_import(fgraph, node, "on_attach")

    def on_detach(self, fgraph):
        if self.fgraph is not fgraph:
            raise ValueError("This NodeFinder instance was not attached to the provided "
                             "fgraph.")
        self.fgraph = None
        del fgraph.get_nodes

    def on_import(self, fgraph, node, reason):
        self.d.setdefault(node.op, []).append(node)

    def on_prune(self, fgraph, node, reason):
        nodes = self.d[node.op]
        nodes.remove(node)
        if not nodes:
            del self.d[node.op]

    def query(self, op):
        return list(self.d.get(op, ()))


class PreserveNames(Feature):
    """A replacement without a name takes the name of the variable it replaces."""

    def on_change_input(self, fgraph, node, i, r, new_r, reason=None):
        if r.name is not None and new_r.name is None:
            new_r.name = r.name


class NoOutputFromInplace(Feature):
    """Refuse a graph whose chosen outputs (all by default) are computed in place."""

    def __init__(self, first_output_idx=0, last_output_idx=None):
        super().__init__()
        self.first_idx = first_output_idx
        self.last_idx = last_output_idx

    def validate(self, fgraph):
        if not hasattr(fgraph, "destroyers"):
            return True
        for out in fgraph.outputs[self.first_idx:self.last_idx]:
            node = out.owner
            if node is None:
                continue
            if out.index in (getattr(node.op, "destroy_map", None) or {}):
                raise InconsistencyError(
                    "A function graph Feature has requested that outputs of the graph not be "
                    "computed in place, but %s is computed in place by %s. Use the "
                    "non-inplace op for this output." % (out, node))
        return True

    def clone(self):
        return NoOutputFromInplace(self.first_idx, self.last_idx)


class Supervisor(Feature):
    """Declares variables that no node may destroy (``Supervisor(protected_inputs)``).

    The function inputs not declared mutable and the shared variables' storage are protected
    by the compile pipeline. The DestroyHandler reads the union of the ``protected`` sets of
    the Supervisors attached to its graph and refuses (InconsistencyError) a graph where one
    of them, or the value a destroyed view aliases, is destroyed; this feature only holds
    the set, so the check is made once, in one place, and only when there are destroyers.
    """

    def __init__(self, protected):
        super().__init__()
        self.protected = set(protected)

    def clone(self):
        return Supervisor(self.protected)


def protected_inputs(fgraph):
    """The variables that Supervisor features attached to ``fgraph`` protect."""
    out = set()
    for feature in fgraph._features:
        if isinstance(feature, Supervisor):
            out |= feature.protected
    return out
