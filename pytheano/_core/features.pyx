"""The features every rewriting pipeline needs: edit history, validation, replace-or-revert.

``ReplaceValidate`` gives ``fgraph.replace_validate``/``replace_all_validate``: a rewrite makes
its replacements, every feature's ``validate`` hook is asked (the destroy handler, ...), and a
refusal reverts the edits. They sit on the rewriter's hot loop, hence Cython. The FunctionGraph
attaches none of them by itself: the compile pipeline and the rewriters attach what they use.
"""
import warnings
from functools import partial
from time import perf_counter

from pytheano._core.fgraph cimport Feature, FunctionGraph
from pytheano.errors import AlreadyThere, InconsistencyError


cdef _claim(fgraph, feature_name, names):
    # A graph holds one provider of each method: a second one declines to attach.
    for name in names:
        if hasattr(fgraph, name):
            raise AlreadyThere("%s feature is already present or in conflict with another "
                               "plugin." % feature_name)


cpdef bint validate_graph(FunctionGraph fgraph) except -1:
    """Every feature's ``validate`` hook must accept ``fgraph``; the first refusal raises."""
    t0 = perf_counter()
    fgraph.run_validators()
    profile = fgraph.profile
    if profile is not None and hasattr(profile, "validate_time"):
        profile.validate_time += perf_counter() - t0
    return True


def consistent_graph(fgraph):
    """``validate_graph`` as a bool: False when a feature refuses."""
    try:
        validate_graph(fgraph)
        return True
    except InconsistencyError:
        return False


cdef class History(Feature):
    """Records input changes; ``fgraph.revert(fgraph.checkpoint())`` undoes them."""

    def __init__(self):
        Feature.__init__(self)
        self.history = {}

    def on_attach(self, fgraph):
        _claim(fgraph, "History", ("checkpoint", "revert"))
        self.history[fgraph] = []
        fgraph.checkpoint = partial(self.checkpoint_, fgraph)
        fgraph.revert = partial(self.revert, fgraph)

    def on_detach(self, fgraph):
        del fgraph.checkpoint
        del fgraph.revert
        del self.history[fgraph]

    def on_change_input(self, fgraph, node, i, r, new_r, reason=None):
        log = self.history.get(fgraph)
        if log is not None:
            (<list>log).append((node, i, r))

    cpdef Py_ssize_t checkpoint_(self, FunctionGraph fgraph):
        return len(<list>self.history[fgraph])

    cpdef revert(self, FunctionGraph fgraph, Py_ssize_t checkpoint):
        """Undo every change made since ``checkpoint``, newest first."""
        cdef list log = self.history[fgraph]
        self.history[fgraph] = None  # the undo edits are not recorded
        try:
            while len(log) > checkpoint:
                node, i, r = log.pop()
                fgraph.change_input(node, i, r, reason="Revert")
        finally:
            self.history[fgraph] = log

    def clone(self):
        return History()


cdef class Validator(Feature):
    """Gives ``fgraph.validate()`` (every feature's ``validate`` must accept the graph; the
    first refusal raises) and ``fgraph.consistent()`` (the same, as a bool)."""

    def on_attach(self, fgraph):
        _claim(fgraph, "Validator", ("validate", "consistent"))
        fgraph.validate = partial(validate_graph, fgraph)
        fgraph.consistent = partial(consistent_graph, fgraph)

    def on_detach(self, fgraph):
        del fgraph.validate
        del fgraph.consistent

    def validate_(self, fgraph):
        return validate_graph(fgraph)

    def consistent_(self, fgraph):
        return consistent_graph(fgraph)

    def clone(self):
        return Validator()


cdef class ReplaceValidate(History):
    """``fgraph.replace_validate(r, new_r)``: replace, validate, revert on a refusal.

    It is History and Validator in one (Theano 1.0's class); ``fgraph.checkpoint``/``revert``/
    ``validate``/``consistent`` come with it.
    """

    def __init__(self):
        History.__init__(self)
        self.fail_validate = {}

    def on_attach(self, fgraph):
        _claim(fgraph, "ReplaceValidate", ("replace_validate", "replace_all_validate",
                                           "replace_all_validate_remove"))
        _claim(fgraph, "Validator", ("validate", "consistent"))
        History.on_attach(self, fgraph)
        fgraph.validate = partial(validate_graph, fgraph)
        fgraph.consistent = partial(consistent_graph, fgraph)
        fgraph.replace_validate = partial(self.replace_validate, fgraph)
        fgraph.replace_all_validate = partial(self.replace_all_validate, fgraph)
        fgraph.replace_all_validate_remove = partial(self.replace_all_validate_remove, fgraph)

    def on_detach(self, fgraph):
        History.on_detach(self, fgraph)
        for name in ("validate", "consistent", "replace_validate", "replace_all_validate",
                     "replace_all_validate_remove"):
            delattr(fgraph, name)

    def replace_validate(self, fgraph, r, new_r, reason=None):
        self.replace_all_validate(fgraph, [(r, new_r)], reason=reason)

    cpdef replace_all_validate(self, FunctionGraph fgraph, replacements, reason=None,
                               verbose=None):
        """Make every replacement, then validate; on any error undo them all and re-raise."""
        cdef Py_ssize_t chk = self.checkpoint_(fgraph)
        try:
            for r, new_r in replacements:
                fgraph.replace(r, new_r, reason=reason, verbose=verbose)
            validate_graph(fgraph)
        except Exception:
            self.revert(fgraph, chk)
            raise
        return chk

    def replace_all_validate_remove(self, fgraph, replacements, remove, reason=None,
                                    warn=True):
        """As replace_all_validate, and refuse (revert, raise) if a node of ``remove`` is
        still in the graph afterwards."""
        chk = self.replace_all_validate(fgraph, replacements, reason=reason)
        for node in remove:
            if node in fgraph.apply_nodes:
                self.revert(fgraph, chk)
                if warn:
                    warnings.warn("An optimization wanted to replace a Variable in the graph, "
                                  "but the replacement made a node it meant to remove stay "
                                  "in the graph: %s (reason: %s)" % (node, reason))
                raise ReplacementDidntRemovedError()
        return chk

    def clone(self):
        return ReplaceValidate()


class ReplacementDidntRemovedError(Exception):
    """(Theano 1.0's name) ``replace_all_validate_remove`` left a node it was to remove in the graph."""
