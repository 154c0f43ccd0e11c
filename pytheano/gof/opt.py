"""Theano 1.0's rewrite API names (``theano.gof.opt``), mapped onto pytheano's
(pytheano.graph.rewriting): a local optimizer is a node rewriter, the global optimizers run
them to a fixed point over a graph, ``check_stack_trace`` checks that rewritten nodes still
carry the user's source line (their ``creation_site``; Theano's ``tag.trace``)."""
import inspect
import logging
import warnings
from collections import deque

from pytheano._core.fgraph import FunctionGraph
from pytheano._core.graph import Constant, Variable, graph_inputs, io_toposort
from pytheano.configparser import config
from pytheano.errors import InconsistencyError
from pytheano._core.rewrite import apply_replacements, require_replace_validate
from pytheano.graph.features import Feature
from pytheano.graph.ops import DeepCopyOp
from pytheano.graph.rewriting import (CANONICALIZE, NodeRewriter, Query, RewriteDatabase,
                                      merge_graph)

__all__ = ["local_optimizer", "LocalOptimizer", "Optimizer", "MergeOptimizer",
           "TopoOptimizer", "EquilibriumOptimizer", "OpKeyOptimizer", "in2out", "out2in",
           "check_stack_trace", "PatternSub", "OpSub", "OpRemove", "pre_constant_merge",
           "pre_greedy_local_optimizer", "LocalOptGroup", "NavigatorOptimizer"]

_logger = logging.getLogger("pytheano.gof.opt")

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
    """The node rewriters applied until none applies. ``max_use_ratio``: as in Theano, the
    whole rewrite stops once a rewriter applied more than ratio x (the graph's node count)
    times (a warning, or an error with config.on_opt_error='raise')."""

    def __init__(self, *local_opts, max_use_ratio=None, **kwargs):
        if len(local_opts) == 1 and isinstance(local_opts[0], (list, tuple)):
            local_opts = local_opts[0]
        self.local_opts = list(local_opts)
        self.max_use_ratio = max_use_ratio

    def apply(self, fgraph):
        rewriters = self.local_opts
        if self.max_use_ratio is not None:
            budget = _UseBudget(self.max_use_ratio * len(fgraph.apply_nodes))
            rewriters = [budget.wrap(rw) for rw in rewriters]
        db = RewriteDatabase()
        for k, rw in enumerate(rewriters):
            db.register(rw, CANONICALIZE, "selected", name="%s_%d" % (rw.name, k))
        db.query(Query(include=("selected",))).rewrite(fgraph)


class _UseBudget:
    """Counts the applications of each rewriter; once one exceeds ``max_use``, every
    rewriter declines (Theano's max_use_ratio abort)."""

    def __init__(self, max_use):
        self.max_use = max_use
        self.counts = {}
        self.exhausted = False

    def wrap(self, rw):
        def counted(fgraph, node):
            if self.exhausted:
                return None
            out = rw.transform(fgraph, node)
            if out:
                self.counts[rw.name] = n = self.counts.get(rw.name, 0) + 1
                if n > self.max_use:
                    self.exhausted = True
                    msg = ("EquilibriumOptimizer max'ed out by '%s': set "
                           "config.optdb.max_use_ratio (or max_use_ratio) higher" % rw.name)
                    if config.on_opt_error == "raise":
                        raise AssertionError(msg)
                    if config.on_opt_error != "ignore":
                        warnings.warn(msg, stacklevel=2)
            return out
        return NodeRewriter(counted, rw.tracks, rw.name)


class _QueueUpdater(Feature):
    """Keeps a NavigatorOptimizer's node queue in step with the graph: new nodes join it
    (unless ignore_newtrees), pruned ones leave it."""

    def __init__(self, queue, current, track_new):
        Feature.__init__(self)
        self.queue = queue
        self.current = current
        self.track_new = track_new

    def on_import(self, fgraph, node, reason):
        if self.track_new and node is not self.current[0]:
            self.queue.append(node)

    def on_prune(self, fgraph, node, reason):
        if node is not self.current[0]:
            try:
                self.queue.remove(node)
            except ValueError:
                pass


class NavigatorOptimizer(Optimizer):
    """Theano's base of the sweeping optimizers, with its failure callbacks
    ``failure_callback(exc, optimizer, pairs, local_opt, node)``, called when the graph
    refuses a replacement (an InconsistencyError)."""

    @staticmethod
    def warn(exc, nav, repl_pairs, local_opt, node):
        if config.on_opt_error == "raise":
            raise exc
        if config.on_opt_error != "ignore":
            _logger.error("Optimization failure due to: %s, node: %s (%s)",
                          local_opt, node, exc)

    @staticmethod
    def warn_inplace(exc, nav, repl_pairs, local_opt, node):
        if not isinstance(exc, InconsistencyError):
            NavigatorOptimizer.warn(exc, nav, repl_pairs, local_opt, node)

    @staticmethod
    def warn_ignore(exc, nav, repl_pairs, local_opt, node):
        pass


class TopoOptimizer(NavigatorOptimizer):
    """One rewriter applied once to each node in topological order ('in_to_out', or
    'out_to_in'), and to the nodes its replacements create unless ``ignore_newtrees``
    (Theano's TopoOptimizer: one sweep, not a fixed point)."""

    def __init__(self, local_opt, order="in_to_out", ignore_newtrees=False,
                 failure_callback=None):
        if order not in ("in_to_out", "out_to_in"):
            raise ValueError("order must be 'in_to_out' or 'out_to_in', got %r" % (order,))
        self.local_opt = local_opt
        self.order = order
        self.ignore_newtrees = ignore_newtrees
        self.failure_callback = failure_callback

    def _initial_nodes(self, fgraph):
        return io_toposort(fgraph.inputs, fgraph.outputs)

    def apply(self, fgraph):
        require_replace_validate(fgraph)
        queue = deque(self._initial_nodes(fgraph))
        current = [None]
        updater = _QueueUpdater(queue, current, not self.ignore_newtrees)
        fgraph.attach_feature(updater)
        changed = 0
        try:
            while queue:
                node = queue.pop() if self.order == "out_to_in" else queue.popleft()
                if node not in fgraph.apply_nodes:
                    continue
                current[0] = node
                changed += _process_node(fgraph, node, self.local_opt, self)
        finally:
            fgraph.remove_feature(updater)
        return changed


class OpKeyOptimizer(TopoOptimizer):
    """TopoOptimizer over the nodes whose op is the rewriter's ``op_key()`` only."""

    def __init__(self, local_opt, ignore_newtrees=False, failure_callback=None):
        if not hasattr(local_opt, "op_key"):
            raise TypeError("OpKeyOptimizer needs a rewriter with an op_key() (PatternSub, "
                            "OpSub, OpRemove), got %r" % (local_opt,))
        TopoOptimizer.__init__(self, local_opt, "out_to_in", ignore_newtrees, failure_callback)

    def _initial_nodes(self, fgraph):
        key = self.local_opt.op_key()
        return [n for n in io_toposort(fgraph.inputs, fgraph.outputs) if n.op == key]


def _process_node(fgraph, node, local_opt, nav=None):
    """Apply ``local_opt`` to ``node`` through the engine's replacement (validated,
    creation sites copied); 1 when it changed the graph. A replacement the graph refuses
    goes to ``nav.failure_callback`` when there is one."""
    replacements = local_opt.transform(fgraph, node)
    if replacements is None or replacements is False:
        return 0
    if not isinstance(replacements, (list, tuple, dict)):
        raise TypeError("Optimizer %s gave wrong type of replacement. Expected list or "
                        "tuple. Got %s" % (local_opt, replacements))
    if not isinstance(replacements, dict) and len(replacements) != len(node.outputs):
        raise ValueError("Optimizer %s gave wrong number of replacements" % (local_opt,))
    if apply_replacements(fgraph, node, replacements, str(local_opt)):
        return 1
    callback = getattr(nav, "failure_callback", None)
    pairs = list(replacements.items()) if isinstance(replacements, dict) else \
        list(zip(node.outputs, replacements))
    if callback is not None and any(old is not new for old, new in pairs):
        callback(InconsistencyError("the graph refused replacing %s" % (node,)), nav, pairs,
                 local_opt, node)
    return 0


# Theano's in2out/out2in are TopoOptimizer sweeps over a group of rewriters; run to a fixed
# point they give the same graph, in any order of visits.
in2out = out2in = EquilibriumOptimizer


class OpSub(NodeRewriter):
    """Replaces ``op1(*inputs)`` by ``op2(*inputs)``."""

    def __init__(self, op1, op2, transfer_tags=True):
        NodeRewriter.__init__(self, self._sub, [op1], "OpSub(%s, %s)" % (op1, op2))
        self.op1, self.op2 = op1, op2

    def op_key(self):
        return self.op1

    def _sub(self, fgraph, node):
        if node.op != self.op1:
            return None
        return self.op2.make_node(*node.inputs).outputs

    def __str__(self):
        return "%s -> %s" % (self.op1, self.op2)


class OpRemove(NodeRewriter):
    """Removes ``op``: its single output becomes its single input."""

    def __init__(self, op):
        NodeRewriter.__init__(self, self._remove, [op], "OpRemove(%s)" % (op,))
        self.op = op

    def op_key(self):
        return self.op

    def _remove(self, fgraph, node):
        if node.op != self.op:
            return None
        return node.inputs

    def __str__(self):
        return "%s(x) -> x" % (self.op,)


class PatternSub(NodeRewriter):
    """Theano's pattern rewriter: ``in_pattern`` -> ``out_pattern``.

    A pattern is a string (a variable, bound on first use; the same string must match the
    same variable), a tuple ``(op, *sub_patterns)``, a constant (equal constants match), or
    ``{'pattern': p, 'constraint': fn, 'allow_multiple_clients': bool}``. Only the matched
    root may have several clients unless ``allow_multiple_clients``."""

    def __init__(self, in_pattern, out_pattern, allow_multiple_clients=False,
                 skip_identities_fn=None, name=None, pdb=False, tracks=(), get_nodes=None):
        root = in_pattern["pattern"] if isinstance(in_pattern, dict) else in_pattern
        if not isinstance(root, (list, tuple)):
            raise TypeError("The in_pattern of a PatternSub must be (op, ...) or a dict with "
                            "such a 'pattern', got %r" % (in_pattern,))
        self.op = root[0]
        self.in_pattern = in_pattern
        self.out_pattern = out_pattern
        self.allow_multiple_clients = allow_multiple_clients
        NodeRewriter.__init__(self, self._sub, [self.op],
                              name or "PatternSub(%s -> %s)" % (in_pattern, out_pattern))

    def op_key(self):
        return self.op

    def _sub(self, fgraph, node):
        if node.op != self.op or len(node.outputs) != 1:
            return None
        bindings = self._match(fgraph, self.in_pattern, node.outputs[0], {}, True)
        if bindings is None:
            return None
        out = self._build(self.out_pattern, bindings)
        if not isinstance(out, Variable) or out.type != node.outputs[0].type:
            return None
        return [out]

    def _match(self, fgraph, pattern, expr, bindings, multiple_clients):
        if isinstance(pattern, dict):
            if "pattern" not in pattern:
                raise KeyError("Malformed pattern: %s (expected key 'pattern')" % (pattern,))
            if not pattern.get("constraint", lambda e: True)(expr):
                return None
            return self._match(fgraph, pattern["pattern"], expr, bindings,
                               pattern.get("allow_multiple_clients", multiple_clients))
        if isinstance(pattern, (list, tuple)):
            node = expr.owner
            if node is None or node.op != pattern[0] or len(pattern) - 1 != len(node.inputs):
                return None
            if not multiple_clients and len(fgraph.clients[expr]) > 1:
                return None
            for sub, inp in zip(pattern[1:], node.inputs):
                bindings = self._match(fgraph, sub, inp, bindings, self.allow_multiple_clients)
                if bindings is None:
                    return None
            return bindings
        if isinstance(pattern, str):
            bound = bindings.get(pattern)
            if bound is not None and bound is not expr:
                return None
            return dict(bindings, **{pattern: expr})
        if isinstance(pattern, Constant):
            return bindings if isinstance(expr, Constant) and pattern.equals(expr) else None
        if isinstance(pattern, (int, float)) and isinstance(expr, Constant):
            data = getattr(expr, "data", None)
            try:
                return bindings if bool((data == pattern).all()
                                        if hasattr(data, "all") else data == pattern) else None
            except (TypeError, ValueError):
                return None
        return None

    def _build(self, pattern, bindings):
        if isinstance(pattern, (list, tuple)):
            return pattern[0](*[self._build(p, bindings) for p in pattern[1:]])
        if isinstance(pattern, str):
            return bindings[pattern]
        if isinstance(pattern, (int, float)):
            return pattern
        return pattern.clone()

    def __str__(self):
        return self.name


def pre_constant_merge(variables):
    """Merge the equal constants of ``variables``' graph before any FunctionGraph exists
    (Theano: the graph is shared, so each constant is replaced in its clients' inputs)."""
    variables = variables if isinstance(variables, (list, tuple)) else [variables]
    seen = {}
    for node in io_toposort([], [v for v in variables if isinstance(v, Variable)]):
        for i, inp in enumerate(node.inputs):
            if isinstance(inp, Constant):
                try:
                    key = (inp.type, inp.signature())
                    hash(key)
                except TypeError:
                    continue
                node.inputs[i] = seen.setdefault(key, inp)
    return variables


def pre_greedy_local_optimizer(list_optimizations, out):
    """``out`` after applying the node rewriters greedily, inputs first, to its graph
    outside any FunctionGraph (Theano: e.g. constant folding of a graph being built)."""
    if not isinstance(out, Variable) or out.owner is None:
        return out
    inputs = [v for v in graph_inputs([out]) if not isinstance(v, Constant)]
    fgraph = FunctionGraph(inputs, [out], clone=False)
    require_replace_validate(fgraph)
    for node in io_toposort(fgraph.inputs, fgraph.outputs):
        if node not in fgraph.apply_nodes:
            continue
        for rw in list_optimizations:
            if _process_node(fgraph, node, rw):
                break
    return fgraph.outputs[0]


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
