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
runs the phases in order, each to a fixed point. The rules themselves live in
pytheano/rewriting/, one module per op module; this driver is the plain-Python one of the
skeleton, which the rewrites issue replaces by the Cython engine (pytheano/_core/rewrite.pyx)
behind the same API.
"""
import time
import warnings

from pytheano._core.graph import ancestors
from pytheano.errors import InconsistencyError
from pytheano.graph.features import ReplaceValidate

__all__ = ["MERGE1", "CANONICALIZE", "STABILIZE", "SPECIALIZE", "FUSION", "BLAS", "INPLACE",
           "MERGE2", "PHASES", "NodeRewriter", "node_rewriter", "Query", "RewriteDatabase",
           "RewritePlan", "rewrite_db", "register"]

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
        for _, rewriters in self.phases:
            _run_phase(fgraph, rewriters, profile)


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


def _run_phase(fgraph, rewriters, profile):
    by_key, everywhere = _dispatch_table(rewriters)
    if not hasattr(fgraph, "replace_all_validate"):
        fgraph.attach_feature(ReplaceValidate())
    for _ in range(MAX_PASSES):
        changed = False
        for node in fgraph.toposort():
            if node not in fgraph.apply_nodes:
                continue  # removed by an earlier replacement of this pass
            for rw in _candidates(by_key, everywhere, node.op):
                t0 = time.perf_counter()
                replacements = rw.transform(fgraph, node)
                applied = _apply(fgraph, node, replacements, rw)
                if profile is not None:
                    entry = profile.setdefault(rw.name, [0.0, 0])
                    entry[0] += time.perf_counter() - t0
                    entry[1] += applied
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
            if v not in fgraph.variables and v.owner is not None:
                v.creation_site = old.creation_site
    try:
        fgraph.replace_all_validate(pairs, reason=rewriter.name)
    except InconsistencyError:
        return False
    return True


rewrite_db = RewriteDatabase()


def register(phase, *tags, name=None):
    """Decorator: register a NodeRewriter in ``phase`` of the database with ``tags``."""
    def wrap(rewriter):
        return rewrite_db.register(rewriter, phase, *tags, name=name)
    return wrap
