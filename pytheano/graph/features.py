"""FunctionGraph features: listeners that record, validate and revert graph edits.

``ReplaceValidate`` is attached to every FunctionGraph; it gives ``fgraph.replace_validate``
and ``fgraph.replace_all_validate``, which undo a replacement when a validator refuses it.
"""
from functools import partial

from pytheano.errors import AlreadyThere, InconsistencyError


class Feature:
    """Base of FunctionGraph listeners. Every hook is optional.

    Hooks: on_attach(fgraph), on_detach(fgraph), on_import(fgraph, node, reason),
    on_prune(fgraph, node, reason), on_change_input(fgraph, node, i, r, new_r, reason),
    orderings(fgraph) -> {node: [nodes that must run before it]}, validate(fgraph).
    """


class History(Feature):
    """Records input changes so that ``fgraph.revert(checkpoint)`` can undo them."""

    def __init__(self):
        self.history = {}

    def on_attach(self, fgraph):
        if hasattr(fgraph, "checkpoint") or hasattr(fgraph, "revert"):
            raise AlreadyThere("History feature is already present or in conflict with "
                               "another plugin.")
        self.history[fgraph] = []
        fgraph.checkpoint = lambda: len(self.history[fgraph])
        fgraph.revert = partial(self.revert, fgraph)

    def on_detach(self, fgraph):
        del fgraph.checkpoint
        del fgraph.revert
        del self.history[fgraph]

    def on_change_input(self, fgraph, node, i, r, new_r, reason=None):
        log = self.history.get(fgraph)
        if log is not None:
            log.append((node, i, r))

    def revert(self, fgraph, checkpoint):
        """Undo every change made since ``checkpoint``, newest first."""
        log = self.history[fgraph]
        self.history[fgraph] = None  # the undo edits must not be recorded
        try:
            while len(log) > checkpoint:
                node, i, r = log.pop()
                fgraph.change_input(node, i, r, reason="Revert")
        finally:
            self.history[fgraph] = log


class Validator(Feature):
    """Gives ``fgraph.validate()``: every feature's ``validate`` hook must accept the graph."""

    def on_attach(self, fgraph):
        if hasattr(fgraph, "validate") or hasattr(fgraph, "consistent"):
            raise AlreadyThere("Validator feature is already present or in conflict with "
                               "another plugin.")
        fgraph.validate = partial(self.validate_, fgraph)
        fgraph.consistent = partial(self.consistent_, fgraph)

    def on_detach(self, fgraph):
        del fgraph.validate
        del fgraph.consistent

    def validate_(self, fgraph):
        fgraph.execute_callbacks("validate", ())
        return True

    def consistent_(self, fgraph):
        try:
            fgraph.validate()
            return True
        except InconsistencyError:
            return False


class ReplaceValidate(History, Validator):
    """``fgraph.replace_validate(r, new_r)``: replace, then validate, reverting on failure."""

    def on_attach(self, fgraph):
        for attr in ("replace_validate", "replace_all_validate"):
            if hasattr(fgraph, attr):
                raise AlreadyThere("ReplaceValidate feature is already present or in conflict "
                                   "with another plugin.")
        History.on_attach(self, fgraph)
        Validator.on_attach(self, fgraph)
        fgraph.replace_validate = partial(self.replace_validate, fgraph)
        fgraph.replace_all_validate = partial(self.replace_all_validate, fgraph)

    def on_detach(self, fgraph):
        History.on_detach(self, fgraph)
        Validator.on_detach(self, fgraph)
        del fgraph.replace_validate
        del fgraph.replace_all_validate

    def replace_validate(self, fgraph, r, new_r, reason=None):
        self.replace_all_validate(fgraph, [(r, new_r)], reason=reason)

    def replace_all_validate(self, fgraph, replacements, reason=None, verbose=None):
        checkpoint = fgraph.checkpoint()
        try:
            for r, new_r in replacements:
                fgraph.replace(r, new_r, reason=reason, verbose=verbose)
            fgraph.validate()
        except Exception:
            fgraph.revert(checkpoint)
            raise
        return checkpoint
