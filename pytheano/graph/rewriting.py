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
runs the phases in order, each to a fixed point, in the Cython driver
(pytheano/_core/rewrite.pyx: dispatch by op class, the equilibrium loop and its bounds,
merge, the per-rule profile).

A graph rewriter (``@graph_rewriter()``, ``fn(fgraph) -> number of changes``) sees the whole
graph and runs once per phase, before that phase's node rewriters. Merge is one
(``merge_graph``, registered here as merge1 and merge2 with tags 'fast_run', 'fast_compile',
'merge'): it is part of the engine, not a rule. The rules themselves live in
pytheano/rewriting/, one module per op module.
"""
from pytheano.configparser import config
from pytheano._core.rewrite import Dispatch, Rule, merge_graph, run_plan

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
# BLAS before FUSION, as Theano (1.7 vs 49): fusing first would hide the sums Gemm reads.
PHASES = (MERGE1, CANONICALIZE, STABILIZE, SPECIALIZE, BLAS, FUSION, INPLACE, MERGE2)

# Passes over a phase before the driver gives up on reaching a fixed point (with a warning
# naming the rules still applying). The nodes one phase may create are capped too: config
# rewriting.max_new_nodes_ratio.
MAX_PASSES = 100


class NodeRewriter:
    """A rewrite of single nodes: ``fn(fgraph, node)`` for nodes whose op is an instance of one
    of ``tracks`` (classes) or equal to one of them (op instances); None tracks every node."""

    def __init__(self, fn, tracks=None, name=None):
        self.fn = fn
        self.tracks = None if tracks is None else tuple(tracks)
        self.name = name or fn.__name__
        self.__doc__ = fn.__doc__

    def transform(self, *args):
        """``transform(fgraph, node)``; Theano's ``transform(node)`` works too (the rule
        then gets fgraph=None and must not need the graph's clients)."""
        if len(args) == 1:
            return self.fn(None, args[0])
        return self.fn(*args)

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
        self._plans = {}    # query -> its plan (a plan keeps its dispatch tables); reset by
        #                     register

    def register(self, rewriter, phase, *tags, name=None):
        if phase not in PHASES:
            raise ValueError("Unknown rewrite phase %r; the phases are %s" % (phase, PHASES))
        name = name or rewriter.name
        if name in self._entries:
            raise ValueError("A rewriter named %r is already registered" % (name,))
        self._entries[name] = (rewriter, phase, frozenset(tags) | {phase})
        self._plans.clear()
        return rewriter

    def __contains__(self, name):
        return name in self._entries

    def __getitem__(self, name):
        return self._entries[name][0]

    def names(self):
        return list(self._entries)

    def query(self, query):
        """The RewritePlan of the rewriters ``query`` selects."""
        plan = self._plans.get(query)
        if plan is None:
            plan = self._plans[query] = self._make_plan(query)
        return plan

    def _make_plan(self, query):
        cutoff = len(PHASES) if query.position_cutoff is None else \
            PHASES.index(query.position_cutoff) + 1
        phases = {phase: [] for phase in PHASES[:cutoff]}
        for name, (rewriter, phase, tags) in self._entries.items():
            if phase in phases and query.selects(name, tags):
                phases[phase].append(rewriter)
        return RewritePlan([(p, rs) for p, rs in phases.items() if rs])


class RewritePlan:
    """The rewriters of a query, by phase; ``rewrite(fgraph)`` applies them."""

    def __init__(self, phases, features=()):
        self.phases = phases
        # What the plan's rules read from the graph (factories, e.g. a shape feature's class):
        # each is attached before the first phase (a feature already there declines, raising
        # AlreadyThere in its on_attach).
        self.features = list(features)
        self._compiled = None  # the phases as the driver runs them, made at the first use

    def __bool__(self):
        return bool(self.phases)

    def rewrite(self, fgraph, profile=None):
        """Apply each phase until nothing changes. ``profile``: a dict that receives, per
        rewriter name, [seconds, times applied]."""
        if self._compiled is None:
            self._compiled = [
                (phase, [rw for rw in rws if isinstance(rw, GraphRewriter)],
                 Dispatch([_rule(rw) for rw in rws if not isinstance(rw, GraphRewriter)]))
                for phase, rws in self.phases]
        for make_feature in self.features:
            fgraph.attach_feature(make_feature())
        run_plan(fgraph, self._compiled, profile, MAX_PASSES,
                 config.rewriting.max_new_nodes_ratio, config.optimizer_verbose)

    def print_profile(self, file, profile):
        """The profile ``rewrite`` filled: per rewriter, its time and how often it applied."""
        total = sum(t for t, _ in profile.values())
        print("  Rewriter profile: %.3fs in %d rewriters" % (total, len(profile)), file=file)
        print("    <time> <applied> <phase> <rewriter>", file=file)
        phase_of = {rw.name: phase for phase, rws in self.phases for rw in rws}
        for name, (t, n) in sorted(profile.items(), key=lambda kv: -kv[1][0]):
            print("    %.6fs %6d %-12s %s" % (t, n, phase_of.get(name, "?"), name),
                  file=file)


def _rule(rewriter):
    # The driver calls ``fn(fgraph, node)``: the plain function when ``transform`` is the
    # base one, else the override (Theano-style subclasses).
    if type(rewriter).transform is NodeRewriter.transform:
        return Rule(rewriter.fn, rewriter.name, rewriter.tracks)
    return Rule(rewriter.transform, rewriter.name, rewriter.tracks)


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
