"""The rewrite driver: node rules to a fixed point, merge, and the bounds on both.

pytheano.graph.rewriting holds the API that rule writers see (node_rewriter, register, the
phased database, queries); a phase of a plan comes here as a list of ``Rule`` and runs in
``run_phase``:

- dispatch by op class: a node meets only the rules tracking its op's class (or the op),
  resolved once per op type;
- passes: the first visits every node in topological order; each later one visits only the
  nodes a change touched (created, rewired, or a neighbour of one), so the work grows with the
  graph and the changes, not with graph x passes. When nothing is left to visit, a last full
  pass confirms the fixed point (a rule may read more than its neighbours);
- bounds: ``max_passes`` passes (a rule that never settles is named in a warning), and a cap
  on the nodes one pass of the rewriter over the graph (a phase, to its fixed point) may
  create: a rule that blows the graph up, as Theano's distributive rule did in its #4797, is
  stopped and named in a warning; the graph stays valid, since every replacement was
  validated;
- each replacement goes through ReplaceValidate (a refusal by a feature undoes it) and the
  nodes it creates carry the creation site (the user's source line) of what they replace;
- per-rule profile: ``profile[name] = [seconds, times applied]``.

``merge_graph`` makes identical nodes (equal op, same inputs) and equal constants one.
"""
import warnings

import numpy as np

from cpython.time cimport perf_counter

from pytheano._core.features cimport ReplaceValidate
from pytheano._core.fgraph cimport Feature, FunctionGraph
from pytheano._core.graph cimport Apply, Constant, Variable
from pytheano.errors import InconsistencyError

# Below this many nodes, the cap on created nodes is counted as if the graph had this many:
# a rule may rewrite a tiny graph into a bigger, still small one.
cdef Py_ssize_t MIN_CAP_BASE = 128


cdef class Rule:
    """A node rewriter as the driver sees it: ``fn(fgraph, node)``, a name and its tracks
    (op classes or op instances; None: every node)."""

    def __init__(self, fn, str name, tracks=None):
        self.fn = fn
        self.name = name
        self.tracks = None if tracks is None else tuple(tracks)

    def __repr__(self):
        return "<Rule %s>" % self.name


cdef class Dispatch:
    """Which rules can match an op: those tracking every node, then those tracking one of the
    op's classes (most derived first), then those tracking that very op."""

    def __init__(self, rules):
        cdef Rule rule
        everywhere = []
        self.by_class = {}
        self.by_op = {}
        self.by_type = {}
        for rule in rules:
            if rule.tracks is None:
                everywhere.append(rule)
                continue
            for key in rule.tracks:
                table = self.by_class if isinstance(key, type) else self.by_op
                (<dict>table).setdefault(key, []).append(rule)
        self.everywhere = tuple(everywhere)
        self.n_rules = len(rules)
        # Hashing an op can cost a Python call: only ops of a type some rule tracks by
        # instance are looked up by value.
        self.op_types = frozenset(type(op) for op in self.by_op)

    cdef tuple candidates(self, object op):
        cls = type(op)
        found = self.by_type.get(cls)
        if found is None:
            lst = list(self.everywhere)
            for base in cls.__mro__:
                lst.extend(self.by_class.get(base, ()))
            found = tuple(lst)
            self.by_type[cls] = found
        if cls in self.op_types:
            try:
                extra = self.by_op.get(op)
            except TypeError:  # an unhashable op
                extra = None
            if extra:
                return <tuple>found + tuple(extra)
        return <tuple>found

    def rules_for(self, op):
        """The rules a node of ``op`` meets, in the order they are tried."""
        return list(self.candidates(op))


cdef class ChangeTracker(Feature):
    """Listens to the graph during a phase: the nodes the next pass visits (created, rewired,
    or next to a change: their clients changed or their inputs' producers did) and how many
    nodes were created."""

    def __init__(self):
        Feature.__init__(self)
        self.dirty = []
        self._dirty_set = set()
        self.created = 0
        self.fgraph = None

    def on_attach(self, fgraph):
        self.fgraph = fgraph

    def on_detach(self, fgraph):
        self.fgraph = None

    cdef void mark(self, object node):
        if node is not None and type(node) is not str and node not in self._dirty_set:
            self._dirty_set.add(node)
            self.dirty.append(node)

    def on_import(self, fgraph, node, reason):
        self.created += 1
        self.mark(node)

    def on_prune(self, fgraph, node, reason):
        # The producers of what a removed node read lost a client.
        for inp in (<Apply>node).inputs:
            self.mark((<Variable>inp).owner)

    def on_change_input(self, fgraph, node, i, r, new_r, reason=None):
        self.mark(node)
        self.mark((<Variable>r).owner)
        self.mark((<Variable>new_r).owner)
        if type(node) is str:
            return
        # A rule two levels down reads through the rewired node.
        clients = self.fgraph.clients
        for out in (<Apply>node).outputs:
            for client, _ in clients.get(out, ()):
                self.mark(client)

    cdef list take_dirty(self):
        cdef list out = self.dirty
        self.dirty = []
        self._dirty_set = set()
        return out


cdef list _subset_toposort(list nodes, set members):
    """``nodes`` (all in ``members``) ordered so that each comes after those of them it reads,
    looking only through ``members``: the cost is that of the subset, not of the graph."""
    cdef list order = []
    cdef set done = set()
    cdef list stack
    cdef Apply node
    cdef bint expanded
    for start in nodes:
        if start in done:
            continue
        stack = [(start, False)]
        while stack:
            item = stack.pop()
            node = <Apply>item[0]
            expanded = item[1]
            if expanded:
                order.append(node)
                continue
            if node in done:
                continue
            done.add(node)
            stack.append((node, True))
            for inp in node.inputs:
                owner = (<Variable>inp).owner
                if owner is not None and owner in members and owner not in done:
                    stack.append((owner, False))
    return order


cdef ReplaceValidate _replace_validate_of(FunctionGraph fgraph):
    # The ReplaceValidate feature, so that a replacement is one C call; None when another
    # object provides fgraph.replace_all_validate (the driver then calls that).
    for feature in fgraph._features:
        if isinstance(feature, ReplaceValidate):
            return <ReplaceValidate>feature
    return None


def require_replace_validate(fgraph):
    """Attach ReplaceValidate unless ``fgraph`` has it: rewrites replace through it, so that
    a replacement a feature refuses is undone."""
    if not hasattr(fgraph, "replace_all_validate"):
        fgraph.attach_feature(ReplaceValidate())


cdef void _stamp_creation_site(FunctionGraph fgraph, Variable new, object site):
    # The nodes a rewrite made carry the user's source line of what they replace (not the
    # line that called theano.function). A constant the rewrite made (a folded value) has no
    # site yet and gets it; a user's constant keeps its own, and a cached one (shared by
    # every graph: tensor.constant's small numbers) none.
    cdef list stack = [new]
    cdef set seen = set()
    cdef Variable v
    cdef set in_graph = fgraph.variables
    while stack:
        v = <Variable>stack.pop()
        if v in in_graph or v in seen:
            continue
        seen.add(v)
        if v.owner is not None:
            v.creation_site = site
            stack.extend((<Apply>v.owner).inputs)
        elif isinstance(v, Constant) and v.creation_site is None and \
                not getattr(v, "cached", False):
            v.creation_site = site


cdef bint _apply(FunctionGraph fgraph, ReplaceValidate rv, Apply node, object replacements,
                 str reason, bint verbose=False) except -1:
    """Make the replacements a rule returned; False if there are none or the graph refuses."""
    cdef list pairs
    if replacements is None or replacements is False:
        return False
    if isinstance(replacements, dict):
        pairs = [(old, new) for old, new in (<dict>replacements).items() if old is not new]
    else:
        pairs = [(old, new) for old, new in zip(node.outputs, replacements) if old is not new]
    if not pairs:
        return False
    for old, new in pairs:
        _stamp_creation_site(fgraph, <Variable?>new, (<Variable?>old).creation_site)
    try:
        if rv is not None:
            rv.replace_all_validate(fgraph, pairs, reason)
        else:
            fgraph.replace_all_validate(pairs, reason=reason)
    except InconsistencyError:
        return False
    if verbose:  # Theano's optimizer_verbose lines: reason, old, new
        for old, new in pairs:
            print(reason, old, new)
    return True


def apply_replacements(FunctionGraph fgraph, Apply node, replacements, str reason):
    """What the driver does with a rule's answer: replace through the graph (validated),
    carrying the creation sites; True if the graph changed."""
    require_replace_validate(fgraph)
    return _apply(fgraph, _replace_validate_of(fgraph), node, replacements, reason)


cdef _record(dict profile, str name, double seconds, Py_ssize_t applied):
    entry = profile.get(name)
    if entry is None:
        profile[name] = [seconds, applied]
    else:
        entry[0] += seconds
        entry[1] += applied


def record(profile, str name, double seconds, Py_ssize_t applied):
    """Add ``seconds`` and ``applied`` to ``profile[name]`` (a no-op when profile is None)."""
    if profile is not None:
        _record(profile, name, seconds, applied)


def node_cap(Py_ssize_t n_nodes, double ratio):
    """The most nodes one phase may create in a graph of ``n_nodes`` (0: no cap)."""
    if ratio <= 0:
        return 0
    return <Py_ssize_t>(ratio * max(n_nodes, MIN_CAP_BASE))


def _top(dict counts):
    return ", ".join("%s (%d)" % kv for kv in sorted(counts.items(), key=lambda kv: -kv[1])[:5])


def run_plan(FunctionGraph fgraph, list phases, profile=None, Py_ssize_t max_passes=100,
             double max_new_ratio=0.0, bint verbose=False):
    """Run ``phases``, a list of ``(name, graph rewriters, Dispatch of node rules)``, in order:
    each phase's graph rewriters once (``fn(fgraph) -> changes``, with a ``name``), then its
    node rules to a fixed point. ``profile``: a dict that receives, per rule name,
    [seconds, times applied]. ``max_new_ratio``: the cap on nodes one phase may create, as a
    multiple of the graph's size when the phase starts (0: none). ``verbose``: print each
    replacement made (config.optimizer_verbose). Returns how many node replacements were
    made."""
    cdef ChangeTracker tracker = ChangeTracker()
    cdef Py_ssize_t total = 0
    cdef double t0
    require_replace_validate(fgraph)
    # One tracker for the whole plan: attaching a feature invalidates the cached toposort.
    fgraph.attach_feature(tracker)
    try:
        for phase, graph_rewriters, dispatch in phases:
            for rw in graph_rewriters:
                t0 = perf_counter()
                applied = rw(fgraph)
                if profile is not None:
                    _record(profile, rw.name, perf_counter() - t0, applied or 0)
            if (<Dispatch?>dispatch).n_rules:
                total += _run_phase(fgraph, tracker, dispatch, profile, max_passes,
                                    max_new_ratio, phase, verbose)
    finally:
        fgraph.remove_feature(tracker)
    return total


def run_phase(FunctionGraph fgraph, rules, profile=None, Py_ssize_t max_passes=100,
              double max_new_ratio=0.0, str phase="?"):
    """Apply ``rules`` (a list of Rule) to ``fgraph`` until none applies (one phase of
    ``run_plan``); returns how many replacements were made."""
    return run_plan(fgraph, [(phase, (), Dispatch(rules))], profile, max_passes,
                    max_new_ratio)


cdef Py_ssize_t _run_phase(FunctionGraph fgraph, ChangeTracker tracker, Dispatch dispatch,
                           dict profile, Py_ssize_t max_passes, double max_new_ratio,
                           str phase, bint verbose) except -1:
    cdef ReplaceValidate rv = _replace_validate_of(fgraph)
    cdef Rule rule
    cdef Apply node
    cdef list order, dirty
    cdef set in_graph, members
    cdef bint changed, full, applied, profiling = profile is not None
    cdef Py_ssize_t pass_no, total = 0, before
    cdef Py_ssize_t cap = node_cap(len(fgraph.apply_nodes), max_new_ratio)
    cdef double t0 = 0.0
    cdef dict applied_in_pass = {}, created_by
    order = fgraph.toposort()
    full = True
    tracker.take_dirty()
    tracker.created = 0
    created_by = {}
    for pass_no in range(max_passes):
        applied_in_pass = {}
        changed = False
        in_graph = fgraph.apply_nodes
        for node in order:
            if node not in in_graph:
                continue  # removed by an earlier replacement of this pass
            for rule in dispatch.candidates(node.op):
                before = tracker.created
                if profiling:
                    t0 = perf_counter()
                applied = _apply(fgraph, rv, node, rule.fn(fgraph, node), rule.name, verbose)
                if profiling:
                    _record(profile, rule.name, perf_counter() - t0, applied)
                if tracker.created != before:
                    created_by[rule.name] = (created_by.get(rule.name, 0)
                                             + tracker.created - before)
                if applied:
                    total += 1
                    changed = True
                    applied_in_pass[rule.name] = applied_in_pass.get(rule.name, 0) + 1
                    break
            if cap and tracker.created > cap:
                warnings.warn(
                    "Rewriting stopped in phase %s: it created %d nodes, more than the "
                    "cap of %d (config rewriting.max_new_nodes_ratio=%g times the graph's "
                    "size); the rules that created the most nodes: %s. The graph is valid but "
                    "may be less rewritten." % (phase, tracker.created, cap, max_new_ratio,
                                                _top(created_by)), stacklevel=2)
                return total
        dirty = tracker.take_dirty()
        if changed:
            # Next: only what the changes touched, in topological order.
            members = {n for n in dirty if n in in_graph}
            order = _subset_toposort([n for n in dirty if n in members], members)
            full = False
            if order:
                continue
        elif full:
            return total  # a full pass changed nothing: the fixed point
        order = fgraph.toposort()  # nothing left to look at: confirm with a full pass
        full = True
    warnings.warn("Rewriting did not reach a fixed point after %d passes in phase %s; the "
                  "rules still applying in the last pass: %s"
                  % (max_passes, phase, _top(applied_in_pass)), stacklevel=2)
    return total


# ---------------------------------------------------------------------------- merge

def constant_key(Constant c):
    """What makes two constants one: type and exact data. Bytes, not ``==``, for arrays and
    numpy scalars, so 0.0 and -0.0 stay two (1/x tells them apart) and NaNs with the same
    bits are one."""
    data = c.data
    if isinstance(data, (np.ndarray, np.generic)):
        return (type(c), c.type, data.dtype.str, data.shape, np.ascontiguousarray(data).tobytes())
    try:
        sig = c.signature()
        hash(sig)
    except TypeError:
        return ("unhashable", id(c))
    return (type(c), sig)


cdef bint _hashable(object op):
    try:
        hash(op)
    except TypeError:
        return False
    return True


cdef bint _mergeable(object op):
    # Two destroyers of one input must stay two (each needs its own buffer); two identical
    # views are one view. Ops that are not hashable cannot be matched by props.
    return not getattr(op, "destroy_map", None) and _hashable(op)


cdef bint _same_types(list a, list b):
    cdef Py_ssize_t k
    if len(a) != len(b):
        return False
    for k in range(len(a)):
        if not (<Variable>a[k]).type == (<Variable>b[k]).type:
            return False
    return True


cpdef Py_ssize_t merge_graph(FunctionGraph fgraph) except -1:
    """Make identical nodes (equal op, same inputs) and equal constants one, in one pass in
    topological order; returns the number of variables replaced."""
    cdef dict canon = {}      # variable -> the variable it is merged into
    cdef dict constants = {}  # constant key -> the first such constant
    cdef dict seen = {}       # (op, input ids) -> the first such node
    cdef dict op_numbers = {} # id(op) -> the number of its class of equal ops (-1: unmergeable)
    cdef dict op_classes = {} # op -> that number
    cdef list pairs_by_node = []
    cdef set keyed = set()    # constants already looked up (a key can cost a copy of the data)
    cdef Apply node, first_node
    cdef Py_ssize_t done, k, n_in
    cdef list const_pairs, node_pairs, all_pairs, pairs
    cdef ReplaceValidate rv
    require_replace_validate(fgraph)
    rv = _replace_validate_of(fgraph)
    for node in fgraph.toposort():
        n_in = len(node.inputs)
        for k in range(n_in):
            inp = node.inputs[k]
            if isinstance(inp, Constant) and inp not in keyed:
                keyed.add(inp)
                first = constants.setdefault(constant_key(inp), inp)
                if first is not inp:
                    canon[inp] = first
        # Each op instance is hashed once (a props hash is a Python call): nodes are keyed
        # by the number of their op's class of equal ops.
        op = node.op
        op_number = op_numbers.get(id(op))
        if op_number is None:
            op_number = op_classes.setdefault(op, len(op_classes)) if _mergeable(op) else -1
            op_numbers[id(op)] = op_number
        if op_number < 0:
            continue
        key = (op_number, tuple([id(canon.get(i, i)) for i in node.inputs]))
        first_node = <Apply>seen.setdefault(key, node)
        if first_node is not node and _same_types(first_node.outputs, node.outputs):
            pairs = list(zip(node.outputs, first_node.outputs))
            canon.update(pairs)
            pairs_by_node.append(pairs)
    for out in fgraph.outputs:  # a constant that is only an output
        if isinstance(out, Constant) and out not in keyed:
            keyed.add(out)
            first = constants.setdefault(constant_key(out), out)
            if first is not out:
                canon[out] = first
                pairs_by_node.append([(out, first)])
    const_pairs = [(c, first) for c, first in canon.items() if isinstance(c, Constant)
                   and (<Variable>c).owner is None]
    node_pairs = []
    for pairs in pairs_by_node:
        if not isinstance(pairs[0][0], Constant):
            node_pairs.extend(pairs)
    all_pairs = const_pairs + node_pairs
    if not all_pairs:
        return 0
    # One validation for the whole pass; if the graph refuses it (a destroyer would read a
    # merged view), retry node by node and keep what validates.
    try:
        _replace_all(fgraph, rv, all_pairs)
        return len(all_pairs)
    except InconsistencyError:
        pass
    done = 0
    groups = [[p] for p in const_pairs]
    groups += [ps for ps in pairs_by_node if not isinstance(ps[0][0], Constant)]
    for pairs in groups:
        pairs = [(o, n) for o, n in pairs if o in fgraph.variables and n in fgraph.variables]
        if not pairs:
            continue
        try:
            _replace_all(fgraph, rv, pairs)
            done += len(pairs)
        except InconsistencyError:
            pass
    return done


cdef _replace_all(FunctionGraph fgraph, ReplaceValidate rv, list pairs):
    if rv is not None:
        rv.replace_all_validate(fgraph, pairs, "merge")
    else:
        fgraph.replace_all_validate(pairs, reason="merge")
