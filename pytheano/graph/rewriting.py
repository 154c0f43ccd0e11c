"""The rewrite API: node rewriters, the phased and tagged database, and queries over it.

A node rewriter is a plain function, decorated with the op classes it can rewrite, that gets
``(fgraph, node)`` and returns None (no change), a list of replacements for ``node.outputs``,
or a dict ``{old variable: new variable}``. Its docstring is one line, ``before -> after``::

    @register(CANONICALIZE, "fast_run", "fast_compile")
    @node_rewriter([Elemwise])
    def local_mul_by_one(fgraph, node):
        "mul(x, 1) -> x"

The database (``rewrite_db``) keeps every registered rewriter with its phase and tags. A Mode's
optimizer is a ``Query`` (tags to include, require and exclude, as Theano's ``optdb.Query``);
``rewrite_db.query(q)`` selects the rewriters and returns a ``RewritePlan`` whose ``rewrite``
runs the phases in order, each to a fixed point.

A graph rewriter (``@graph_rewriter()``, ``fn(fgraph) -> number of changes``) sees the whole
graph and runs once per phase, before that phase's node rewriters. Merge is one
(``merge_graph``, registered here as merge1 and merge2 with tags 'fast_run', 'fast_compile',
'merge'): it is part of the engine, not a rule. The rules themselves live in
pytheano/rewriting/, one module per op module; this driver is the plain-Python one of the
skeleton, which the rewrites issue replaces by the Cython engine (pytheano/_core/rewrite.pyx)
behind the same API.
"""
import time
import warnings

import numpy as np

from pytheano._core.graph import Constant, ancestors
from pytheano.errors import InconsistencyError
from pytheano.graph.features import ReplaceValidate

__all__ = ["MERGE1", "CANONICALIZE", "STABILIZE", "SPECIALIZE", "FUSION", "BLAS", "INPLACE",
           "MERGE2", "PHASES", "NodeRewriter", "node_rewriter", "GraphRewriter",
           "graph_rewriter", "Query", "RewriteDatabase", "RewritePlan", "rewrite_db", "register",
           "merge_graph"]

# The phases, in the order they run. A rewriter's phase is also one of its tags, so
# ``mode.excluding("inplace")`` switches a whole phase off.
MERGE1 = "merge1"
CANONICALIZE = "canonicalize"
STABILIZE = "stabilize"
SPECIALIZE = "specialize"
FUSION = "fusion"
BLAS = "blas"
INPLACE = "inplace"
MERGE2 = "merge2"
PHASES = (MERGE1, CANONICALIZE, STABILIZE, SPECIALIZE, FUSION, BLAS, INPLACE, MERGE2)

# Passes over a phase before the driver gives up on reaching a fixed point.
MAX_PASSES = 100


class NodeRewriter:
    """A rewrite of single nodes: ``fn(fgraph, node)`` for nodes whose op is an instance of one
    of ``tracks`` (classes) or equal to one of them (op instances); None tracks every node."""

    def __init__(self, fn, tracks=None, name=None):
        self.fn = fn
        self.tracks = None if tracks is None else tuple(tracks)
        self.name = name or fn.__name__
        self.__doc__ = fn.__doc__

    def transform(self, fgraph, node):
        return self.fn(fgraph, node)

    def __call__(self, fgraph, node):
        return self.fn(fgraph, node)

    def __repr__(self):
        return "<NodeRewriter %s>" % self.name


def node_rewriter(tracks=None, name=None):
    """Decorator: the function becomes a NodeRewriter tracking ``tracks`` (op classes or ops)."""
    def wrap(fn):
        return NodeRewriter(fn, tracks, name)
    return wrap


class GraphRewriter:
    """A rewrite of a whole graph: ``fn(fgraph)`` returns how many changes it made. It runs
    once per phase, before that phase's node rewriters (merge is one: a single linear pass
    does what node-by-node matching would do in quadratic time)."""

    tracks = None

    def __init__(self, fn, name=None):
        self.fn = fn
        self.name = name or fn.__name__
        self.__doc__ = fn.__doc__

    def __call__(self, fgraph):
        return self.fn(fgraph)

    def __repr__(self):
        return "<GraphRewriter %s>" % self.name


def graph_rewriter(name=None):
    """Decorator: the function ``fn(fgraph) -> number of changes`` becomes a GraphRewriter."""
    def wrap(fn):
        return GraphRewriter(fn, name)
    return wrap


class Query:
    """Which rewriters a mode runs: those with a tag (or name) in ``include``, every tag of
    ``require``, and no tag (nor name) in ``exclude``; ``position_cutoff`` stops after that
    phase (Theano's ``optimizer='stabilize'``)."""

    def __init__(self, include=(), require=(), exclude=(), position_cutoff=None):
        self.include = tuple(include)
        self.require = tuple(require)
        self.exclude = tuple(exclude)
        self.position_cutoff = position_cutoff

    def including(self, *tags):
        return Query(self.include + tuple(t for t in tags if t not in self.include),
                     self.require, tuple(t for t in self.exclude if t not in tags),
                     self.position_cutoff)

    def excluding(self, *tags):
        return Query(tuple(t for t in self.include if t not in tags), self.require,
                     self.exclude + tuple(t for t in tags if t not in self.exclude),
                     self.position_cutoff)

    def requiring(self, *tags):
        return Query(self.include, self.require + tuple(t for t in tags
                                                        if t not in self.require),
                     self.exclude, self.position_cutoff)

    def selects(self, name, tags):
        keys = set(tags) | {name}
        return (bool(keys.intersection(self.include)) and set(self.require) <= keys
                and not keys.intersection(self.exclude))

    def __eq__(self, other):
        return (type(self) is type(other) and self.include == other.include
                and self.require == other.require and self.exclude == other.exclude
                and self.position_cutoff == other.position_cutoff)

    def __hash__(self):
        return hash((self.include, self.require, self.exclude, self.position_cutoff))

    def __str__(self):
        # Theano 1.0 compat: a Query prints as Theano's does (str(mode) shows it).
        def oset(items):
            return "OrderedSet(%s)" % (list(items),) if items else "OrderedSet()"
        cutoff = "inf" if self.position_cutoff is None else self.position_cutoff
        return ("Query{inc=%s,ex=%s,require=%s,subquery={},position_cutoff=%s,extra_opts=[]}"
                % (oset(self.include), oset(self.exclude), oset(self.require), cutoff))

    __repr__ = __str__


class RewriteDatabase:
    """Every registered rewriter, with its phase and tags."""

    def __init__(self):
        self._entries = {}  # name -> (rewriter, phase, tags)

    def register(self, rewriter, phase, *tags, name=None):
        if phase not in PHASES:
            raise ValueError("Unknown rewrite phase %r; the phases are %s" % (phase, PHASES))
        name = name or rewriter.name
        if name in self._entries:
            raise ValueError("A rewriter named %r is already registered" % (name,))
        self._entries[name] = (rewriter, phase, frozenset(tags) | {phase})
        return rewriter

    def __contains__(self, name):
        return name in self._entries

    def __getitem__(self, name):
        return self._entries[name][0]

    def names(self):
        return list(self._entries)

    def query(self, query):
        """The RewritePlan of the rewriters ``query`` selects."""
        cutoff = len(PHASES) if query.position_cutoff is None else \
            PHASES.index(query.position_cutoff) + 1
        phases = {phase: [] for phase in PHASES[:cutoff]}
        for name, (rewriter, phase, tags) in self._entries.items():
            if phase in phases and query.selects(name, tags):
                phases[phase].append(rewriter)
        return RewritePlan([(p, rs) for p, rs in phases.items() if rs])


class RewritePlan:
    """The rewriters of a query, by phase; ``rewrite(fgraph)`` applies them."""

    def __init__(self, phases):
        self.phases = phases

    def __bool__(self):
        return bool(self.phases)

    def rewrite(self, fgraph, profile=None):
        """Apply each phase until nothing changes. ``profile``: a dict that receives, per
        rewriter name, [seconds, times applied]."""
        require_replace_validate(fgraph)
        for _, rewriters in self.phases:
            graph_rws = [rw for rw in rewriters if isinstance(rw, GraphRewriter)]
            node_rws = [rw for rw in rewriters if not isinstance(rw, GraphRewriter)]
            for rw in graph_rws:
                t0 = time.perf_counter()
                applied = rw(fgraph)
                _record(profile, rw.name, t0, applied)
            if node_rws:
                _run_phase(fgraph, node_rws, profile)

    def print_profile(self, file, profile):
        """The profile ``rewrite`` filled: per rewriter, its time and how often it applied."""
        total = sum(t for t, _ in profile.values())
        print("  Rewriter profile: %.3fs in %d rewriters" % (total, len(profile)), file=file)
        print("    <time> <applied> <phase> <rewriter>", file=file)
        phase_of = {rw.name: phase for phase, rws in self.phases for rw in rws}
        for name, (t, n) in sorted(profile.items(), key=lambda kv: -kv[1][0]):
            print("    %.6fs %6d %-12s %s" % (t, n, phase_of.get(name, "?"), name),
                  file=file)


def _dispatch_table(rewriters):
    """{op class or op: [rewriters]} and the rewriters that track every node."""
    by_key, everywhere = {}, []
    for rw in rewriters:
        if rw.tracks is None:
            everywhere.append(rw)
        else:
            for key in rw.tracks:
                by_key.setdefault(key, []).append(rw)
    return by_key, everywhere


def _candidates(by_key, everywhere, op):
    # A node meets only the rules tracking its op (or one of its classes).
    found = list(everywhere)
    for cls in type(op).__mro__:
        found.extend(by_key.get(cls, ()))
    try:
        found.extend(by_key.get(op, ()))
    except TypeError:  # an unhashable op
        pass
    return found


def require_replace_validate(fgraph):
    """Attach ReplaceValidate unless ``fgraph`` has it: rewrites replace through it, so that
    a replacement a feature refuses is undone."""
    if not hasattr(fgraph, "replace_all_validate"):
        fgraph.attach_feature(ReplaceValidate())


def _record(profile, name, t0, applied):
    """Add the time since ``t0`` and the ``applied`` count to ``profile[name]``."""
    if profile is not None:
        entry = profile.setdefault(name, [0.0, 0])
        entry[0] += time.perf_counter() - t0
        entry[1] += applied


def _run_phase(fgraph, rewriters, profile):
    by_key, everywhere = _dispatch_table(rewriters)
    for _ in range(MAX_PASSES):
        changed = False
        for node in fgraph.toposort():
            if node not in fgraph.apply_nodes:
                continue  # removed by an earlier replacement of this pass
            for rw in _candidates(by_key, everywhere, node.op):
                t0 = time.perf_counter()
                replacements = rw.transform(fgraph, node)
                applied = _apply(fgraph, node, replacements, rw)
                _record(profile, rw.name, t0, applied)
                if applied:
                    changed = True
                    break
        if not changed:
            return
    warnings.warn("Rewriting did not reach a fixed point after %d passes (rewriters: %s)"
                  % (MAX_PASSES, ", ".join(rw.name for rw in rewriters)), stacklevel=3)


def _apply(fgraph, node, replacements, rewriter):
    if replacements is None or replacements is False:
        return False
    if isinstance(replacements, dict):
        pairs = list(replacements.items())
    else:
        pairs = list(zip(node.outputs, replacements))
    pairs = [(old, new) for old, new in pairs if old is not new]
    if not pairs:
        return False
    for old, new in pairs:
        # The nodes a rewrite made carry the user's source line of what they replace (not
        # the line that called theano.function).
        for v in ancestors([new], blockers=fgraph.variables):
            if v not in fgraph.variables and (v.owner is not None or _is_fresh_constant(v)):
                v.creation_site = old.creation_site
    try:
        fgraph.replace_all_validate(pairs, reason=rewriter.name)
    except InconsistencyError:
        return False
    return True


def _is_fresh_constant(v):
    # A constant a rewrite made (a folded value) has no site yet; a user's constant keeps its.
    return isinstance(v, Constant) and v.creation_site is None


# ---------------------------------------------------------------------------- merge

def _constant_key(c):
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


def _mergeable(op):
    # Two destroyers of one input must stay two (each needs its own buffer); two identical
    # views are one view. Ops that are not hashable cannot be matched by props.
    if getattr(op, "destroy_map", None):
        return False
    try:
        hash(op)
    except TypeError:
        return False
    return True


def merge_graph(fgraph):
    """Make identical nodes (equal op, same inputs) and equal constants one, in one pass in
    topological order; returns the number of variables replaced."""
    require_replace_validate(fgraph)
    canon = {}      # variable -> the variable it is merged into
    constants = {}  # constant key -> the first such constant
    seen = {}       # (op, input ids) -> the first such node
    pairs_by_node = []
    keyed = set()   # constants already looked up (a key can cost a copy of the data)
    for node in fgraph.toposort():
        for inp in node.inputs:
            if isinstance(inp, Constant) and inp not in keyed:
                keyed.add(inp)
                first = constants.setdefault(_constant_key(inp), inp)
                if first is not inp:
                    canon[inp] = first
        if not _mergeable(node.op):
            continue
        key = (node.op, tuple(id(canon.get(i, i)) for i in node.inputs))
        first = seen.setdefault(key, node)
        if first is not node and len(first.outputs) == len(node.outputs) and all(
                a.type == b.type for a, b in zip(first.outputs, node.outputs)):
            pairs = list(zip(node.outputs, first.outputs))
            canon.update(pairs)
            pairs_by_node.append(pairs)
    for out in fgraph.outputs:  # a constant that is only an output
        if isinstance(out, Constant) and out not in keyed:
            keyed.add(out)
            first = constants.setdefault(_constant_key(out), out)
            if first is not out:
                canon[out] = first
                pairs_by_node.append([(out, first)])
    const_pairs = [(c, first) for c, first in canon.items() if isinstance(c, Constant)
                   and c.owner is None]
    node_pairs = [p for pairs in pairs_by_node for p in pairs if not isinstance(p[0], Constant)]
    all_pairs = const_pairs + node_pairs
    if not all_pairs:
        return 0
    # One validation for the whole pass; if the graph refuses it (a destroyer would read a
    # merged view), retry node by node and keep what validates.
    try:
        fgraph.replace_all_validate(all_pairs, reason="merge")
        return len(all_pairs)
    except InconsistencyError:
        pass
    done = 0
    for pairs in [[p] for p in const_pairs] + [ps for ps in pairs_by_node
                                               if not isinstance(ps[0][0], Constant)]:
        pairs = [(o, n) for o, n in pairs if o in fgraph.variables and n in fgraph.variables]
        if not pairs:
            continue
        try:
            fgraph.replace_all_validate(pairs, reason="merge")
            done += len(pairs)
        except InconsistencyError:
            pass
    return done


rewrite_db = RewriteDatabase()


def register(phase, *tags, name=None):
    """Decorator: register a NodeRewriter or GraphRewriter in ``phase`` of the database with
    ``tags``."""
    def wrap(rewriter):
        return rewrite_db.register(rewriter, phase, *tags, name=name)
    return wrap


# Merge runs first (so later rules see one node where the user wrote two) and last (rules
# and inplace rewrites leave duplicates behind).
rewrite_db.register(GraphRewriter(merge_graph, "merge1"), MERGE1, "fast_run", "fast_compile",
                    "merge")
rewrite_db.register(GraphRewriter(merge_graph, "merge2"), MERGE2, "fast_run", "fast_compile",
                    "merge")
