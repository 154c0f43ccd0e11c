"""In-place safety: the DestroyHandler feature (Theano 1.0's name and API).

An op declares ``destroy_map = {output index: [input index]}`` when it overwrites an input,
``view_map`` (same shape) when an output shares an input's memory. Attached to a
FunctionGraph, the handler tracks the views (chains of view_map) and the destroyers, adds the
orderings that make every other reader of a destroyed value (or of a view of it, or of the
value a destroyed view aliases) run before the destroyer, and its ``validate`` refuses, with
InconsistencyError, a graph where that is impossible (a cycle), a value destroyed twice, a
constant or ``tag.indestructible`` value destroyed, or a protected value destroyed.

Protection: a ``Supervisor(protected)`` feature (pytheano.graph.features) holds the values
no node may destroy (the compile pipeline puts the inputs not declared mutable and the
shared variables' storage there). The handler's check reads the union of the protected sets
of the Supervisors attached to its graph, so the check is in one place.

Fast path: with no destroyer in the graph, validate is O(1) and there are no orderings; the
handler's ``orderings_version`` does not move, so the graph's toposort cache stays hot.
"""
from contextlib import contextmanager

from pytheano._core.destroy import (DestroyTracker, find_cycle, first_reached, order_nodes,
                                    update_order)
from pytheano._core.graph import Constant
from pytheano.errors import AlreadyThere, InconsistencyError
from pytheano.graph.features import protected_inputs

__all__ = ["DestroyHandler", "fast_inplace_check"]


def _pairs(mapping):
    """(output index, input index) pairs of a view_map/destroy_map."""
    return [(o, ins[0]) for o, ins in (mapping or {}).items()]


class DestroyHandler(DestroyTracker):
    """Tracks views and destroyed values; orders readers before destroyers; refuses unsafe
    graphs. Gives ``fgraph.destroyers(r)``, ``fgraph.destroy_handler`` and
    ``fgraph.has_destroyers(variables)``."""

    def __init__(self, do_imports_on_attach=True, algo=None):
        # The tracked maps (destroyers, view_i, view_o) and the event hooks are in
        # DestroyTracker (Cython); _state caches (orderings, droot, impact, root_destroyer).
        super().__init__()
        # Theano 1.0 compat: do_imports_on_attach and algo are accepted and unused.
        self.fgraph = None
        self._validated = -1     # orderings_version of the last accepted validate
        self._readers = None     # {destroyed root: (destroyer, readers)}; None: not indexed
        self._roots_of = {}      # {destroyer: the roots it destroys}
        self._protected = None   # the protected set the index was checked against
        # The orderings recomputed since the last cycle check ([(destroyer, readers)]), for
        # update_order; those of a refused graph stay until a check accepts one.
        self._new_ords = []
        self._explain = True     # False within trial(): a refusal's message is not read

    # ------------------------------------------------------------------ attach

    def on_attach(self, fgraph):
        if self.fgraph is fgraph:
            raise AlreadyThere("DestroyHandler feature is already present")
        if self.fgraph is not None:
            raise Exception("A DestroyHandler instance can only serve one FunctionGraph.")
        for attr in ("destroyers", "destroy_handler"):
            if hasattr(fgraph, attr):
                raise AlreadyThere("DestroyHandler feature is already present or in conflict "
                                   "with another plugin.")
        self.fgraph = fgraph
        fgraph.destroyers = self.destroyers_of
        fgraph.destroy_handler = self
        fgraph.has_destroyers = self.has_destroyers
        for node in fgraph.toposort():
            self.on_import(fgraph, node, "on_attach")

    def on_detach(self, fgraph):
        if fgraph is not self.fgraph:
            raise Exception("detaching wrong fgraph", fgraph)
        del fgraph.destroyers
        del fgraph.destroy_handler
        del fgraph.has_destroyers
        self.fgraph = None
        self.destroyers = {}
        self.view_i = {}
        self.view_o = {}
        self._readers = None
        self.order = None
        self.taken = set()
        self.edited = set()
        self._new_ords = []
        self.changed()

    def clone(self):
        return DestroyHandler()

    # ------------------------------------------------------------------ events

    # ------------------------------------------------------------------ queries

    def getroot(self, r):
        """The variable whose memory ``r`` shares, following views up."""
        while r in self.view_i:
            r = self.view_i[r]
        return r

    def views_of(self, root):
        """``root`` and every variable that views it, directly or through other views."""
        out, todo = [], [root]
        while todo:
            v = todo.pop()
            out.append(v)
            todo.extend(self.view_o.get(v, ()))
        return out

    def destroyers_of(self, r):
        """The nodes that destroy ``r``'s memory (``fgraph.destroyers(r)``)."""
        if not self.destroyers:
            return []
        root = self.getroot(r)
        if self._readers is not None:
            # The index, brought up to date (cheap: only what was edited): in-place rewrites
            # ask this of every candidate input.
            try:
                self._compute()
            except InconsistencyError:
                pass  # mid-edit, an unsafe graph: read the destroyers themselves
            else:
                entry = self._readers.get(root)
                return [entry[0]] if entry is not None else []
        return [app for app in self.destroyers
                if any(self.getroot(app.inputs[i]) is root
                       for _, i in _pairs(app.op.destroy_map))]

    def has_destroyers(self, protected_list):
        """True when a node destroys one of ``protected_list`` (or what it views)."""
        if not self.destroyers:
            return False
        return any(self.destroyers_of(r) for r in protected_list)

    def refresh_droot_impact(self):
        """Theano 1.0's (droot, impact, root_destroyer): each variable sharing a destroyed
        root -> the root; each destroyed root -> its views; each destroyed root -> destroyer."""
        state = self._compute_full(protected_inputs(self.fgraph))
        return state[1], state[2], state[3]

    # ------------------------------------------------------------------ the rules

    def _compute(self):
        """The state: ({destroyer: [readers that must run first]}, droot, impact,
        root_destroyer), or InconsistencyError. After the first computation only the
        destroyed roots that an edit touched are checked again (the in-place rewrites
        validate once per candidate: a full pass each time made that phase quadratic); a
        refusal is always explained by the full pass, so its message does not depend on
        what was edited."""
        if self._state is not None:
            return self._state
        protected = protected_inputs(self.fgraph)
        if self._readers is None or protected != self._protected:
            return self._compute_full(protected)
        try:
            self._check_touched(protected)
        except _Refused:
            # The full pass explains it; the index and the order stay as they were (what was
            # edited stays recorded): the refused edit is reverted next, and checking that
            # needs no full pass.
            kept = (self._readers, self._roots_of, self._protected, self.touched, self.fresh,
                    self.gone, self.order)
            try:
                self._compute_full(protected)
            finally:
                (self._readers, self._roots_of, self._protected, self.touched, self.fresh,
                 self.gone, self.order) = kept
                self._state = None
            raise AssertionError("DestroyHandler: the incremental check refused a graph "
                                 "that the full check accepts") from None  # a bug
        self._state = (None, None, None, None)  # the orderings: built when read (_ords)
        return self._state

    def _ords(self):
        """{destroyer: [readers that must run first]}, from the index (O(destroyed roots):
        built only when read, the in-place rewrites' checks do not need it)."""
        state = self._compute()
        if state[0] is None:
            ords = {}
            for app, readers in self._readers.values():
                if readers:
                    ords.setdefault(app, []).extend(readers)
            self._state = state = (ords,) + state[1:]
        return state[0]

    def _compute_full(self, protected):
        fgraph = self.fgraph
        clients = fgraph.clients
        self._readers = None  # until this pass succeeds
        self.touched, self.fresh, self.gone = set(), set(), set()
        self.order = None  # every ordering may be new: the cycle check starts over
        ords, droot, impact, root_destroyer, readers_of = {}, {}, {}, {}, {}
        # Import order (destroyers is an ordered set) keeps the error messages reproducible.
        for app in self.destroyers:
            tolerate = set(getattr(app.op, "destroyhandler_tolerate_same", ()))
            for _, i in _pairs(app.op.destroy_map):
                var = app.inputs[i]
                root = self.getroot(var)
                what = _what(var, root)
                other = root_destroyer.get(root)
                if other is not None:
                    raise InconsistencyError(
                        "Multiple destroyers of %s: %s and %s both overwrite it in place. "
                        "At most one node may destroy a value; use the non-inplace version "
                        "of one of them." % (what, other, app))
                if isinstance(root, Constant) or getattr(root.tag, "indestructible", False):
                    raise InconsistencyError(
                        "Attempting to destroy indestructible variables: %s destroys %s. "
                        "Use the non-inplace version of the op." % (app, what))
                if root in protected:
                    raise InconsistencyError(
                        "Trying to destroy a protected Variable: %s would overwrite %s, which "
                        "is an input the function does not own (not declared mutable) or a "
                        "shared variable's storage. Use the non-inplace version of the op, or "
                        "declare the input mutable (In(x, mutable=True))." % (app, what))
                root_destroyer[root] = app
                views = self.views_of(root)
                impact[root] = set(views) - {root}
                readers = readers_of[root] = set()
                for v in views:
                    droot[v] = root
                    for client, j in clients.get(v, ()):
                        if client == "output":
                            raise InconsistencyError(
                                "%s destroys %s, but %s is an output of the graph, read after "
                                "it is overwritten. Use the non-inplace version of the op, or "
                                "return a copy." % (app, what, v))
                        if client is app:
                            if j != i and (i, j) not in tolerate and (j, i) not in tolerate:
                                raise InconsistencyError(
                                    "%s destroys its input %d (%s) and also reads it as input "
                                    "%d. Use the non-inplace version of the op." %
                                    (app, i, what, j))
                            continue
                        readers.add(client)
                ords.setdefault(app, set()).update(readers)
        # The index the next computations start from: each destroyed root's destroyer and
        # readers; each destroyer's roots.
        self._readers = {root: (root_destroyer[root], readers_of[root]) for root in readers_of}
        self._roots_of = {}
        for root, app in root_destroyer.items():
            self._roots_of.setdefault(app, []).append(root)
        self._protected = protected
        self._state = ({app: list(rs) for app, rs in ords.items() if rs}, droot, impact,
                       root_destroyer)
        return self._state

    def _check_touched(self, protected):
        """Re-check the roots whose destroyers, views or readers an edit may have changed
        (the touched variables' roots, the roots of destroyers imported or pruned);
        _Refused where the full pass must explain a refusal, with the index unchanged."""
        clients = self.fgraph.clients
        readers_by_root, roots_of = self._readers, self._roots_of
        dirty = {self.getroot(v) for v in self.touched}
        moved = set(self.fresh) | set(self.gone)
        for root in dirty:
            entry = readers_by_root.get(root)
            if entry is not None:
                moved.add(entry[0])
        claimed = {}  # root -> the destroyer that now destroys it
        new_roots = {}
        for app in moved:
            dirty.update(roots_of.get(app, ()))
            if app not in self.destroyers:
                continue
            roots = []
            for _, i in _pairs(app.op.destroy_map):
                root = self.getroot(app.inputs[i])
                if root in claimed or (root in readers_by_root
                                       and readers_by_root[root][0] not in moved):
                    raise _Refused()  # destroyed twice
                claimed[root] = (app, i)
                roots.append(root)
            new_roots[app] = roots
            dirty.update(roots)
        entries = {}
        for root in dirty:
            if root not in claimed:
                continue
            app, i = claimed[root]
            if (isinstance(root, Constant) or getattr(root.tag, "indestructible", False)
                    or root in protected):
                raise _Refused()
            tolerate = getattr(app.op, "destroyhandler_tolerate_same", ())
            readers = set()
            for v in self.views_of(root):
                for client, j in clients.get(v, ()):
                    if client == "output":
                        raise _Refused()
                    if client is app:
                        if j != i and (i, j) not in tolerate and (j, i) not in tolerate:
                            raise _Refused()
                        continue
                    readers.add(client)
            entries[root] = (app, readers)
        # Accepted: the index takes the new entries (the dirty roots last, in that order).
        for app in moved:
            roots_of.pop(app, None)
        roots_of.update(new_roots)
        for root in dirty:
            readers_by_root.pop(root, None)
        for root, (app, readers) in entries.items():
            readers_by_root[root] = (app, readers)
            if readers:
                self._new_ords.append((root, app, list(readers)))
        self.touched, self.fresh, self.gone = set(), set(), set()

    def orderings(self, fgraph):
        """{destroyer: [nodes that read the destroyed value and must run first]}."""
        if not self.destroyers:
            return {}
        return self._ords()

    def validate_destroyers(self, fgraph):
        """Refuse (InconsistencyError) an unsafe graph. ``validate`` (DestroyTracker) calls it
        only when the graph has destroyers: with none, validate is O(1)."""
        if self._validated == self.orderings_version:
            return True
        self._compute()  # refuses what the rules refuse
        if not self._acyclic(fgraph):
            raise InconsistencyError(self._explain_cycle(self._ords()) if self._explain else
                                     "The orderings that in-place nodes need form a cycle.")
        self._validated = self.orderings_version
        return True

    @contextmanager
    def trial(self):
        """Within it, a refusal for a cycle is not explained (finding which reader needs the
        in-place result is a search of its own): for rewrites that try a replacement and
        read only whether it is accepted."""
        self._explain = False
        try:
            yield self
        finally:
            self._explain = True

    def _acyclic(self, fgraph):
        """Whether the graph plus the orderings has no cycle. The order kept from the last
        check is updated with the edges made since (update_order, which looks only at
        those). Without one, the order of the graph's own edges (acyclic) is the start and
        every ordering is an edge made since. The edges of a refused graph are read again at
        the next check (the caller reverts it, which edits the same nodes)."""
        if self.order is not None:
            found = update_order(fgraph, self.order, self.taken, self.edited,
                                 self._new_ords, self._readers, self._ords)
            if found >= 0:
                if found:
                    self.edited, self._new_ords = set(), []
                return bool(found)
        self.order = order_nodes(fgraph, {})
        self.taken = set(self.order.values())
        self.edited = set()
        self._new_ords = [(root, app, list(readers))
                          for root, (app, readers) in self._readers.items() if readers]
        found = update_order(fgraph, self.order, self.taken, self.edited, self._new_ords,
                             self._readers, self._ords)
        if found == 1:
            self._new_ords = []
        elif found < 0:  # cannot happen from a fresh order; the plain check then
            self.order, self._new_ords = None, []
            return find_cycle(fgraph, self._ords()) is None
        return bool(found)

    def _explain_cycle(self, ords):
        # Only on refusal: find a reader that needs the destroyer's own result.
        for app, readers in ords.items():
            reader = first_reached(self.fgraph, app, readers)
            if reader is not None:
                    i = _pairs(app.op.destroy_map)[0][1]
                    var = app.inputs[i]
                    read = [v for v in reader.inputs if self.getroot(v) is self.getroot(var)]
                    return ("%s destroys (overwrites in place) %s, but %s also reads %s and "
                            "cannot run before it: it needs a value computed from the in-place "
                            "result. Use the non-inplace version of the op, or make the "
                            "reader use the in-place node's output."
                            % (app, _what(var, self.getroot(var)), reader,
                               _what(read[0], self.getroot(var)) if read else "it"))
        return ("The orderings that in-place nodes need form a cycle (between %s). Use the "
                "non-inplace version of one of them." % ", ".join(str(a) for a in ords))

    # ------------------------------------------------------------------ checks

    def _rebuild_state(self):
        """(destroyers, view_i, view_o) recomputed from the graph: a check for tests."""
        destroyers, view_i, view_o = {}, {}, {}
        for node in self.fgraph.apply_nodes:
            if getattr(node.op, "destroy_map", None):
                destroyers[node] = None
            for o, i in _pairs(getattr(node.op, "view_map", None)):
                view_i[node.outputs[o]] = node.inputs[i]
                view_o.setdefault(node.inputs[i], set()).add(node.outputs[o])
        return destroyers, view_i, view_o


class _Refused(Exception):
    """The incremental check found a problem; the full pass explains it."""


def _what(var, root):
    if var is root:
        return str(var)
    return "%s (a view of %s)" % (var, root)


def fast_inplace_check(fgraph, inputs):
    """The ``inputs`` that an in-place rewrite may destroy: not graph inputs, not constants,
    not already destroyed (Theano 1.0's helper)."""
    protected = protected_inputs(fgraph)
    return [i for i in inputs
            if not isinstance(i, Constant) and not fgraph.destroyers(i)
            and i not in protected and i not in fgraph.inputs]
