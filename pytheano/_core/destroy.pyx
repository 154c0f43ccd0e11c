"""The in-place bookkeeping under pytheano.graph.destroyhandler.DestroyHandler.

Its three hooks run on every edit of every graph the handler watches, so they are Cython:
they track which nodes destroy an input and which outputs view which variable, and they
mark the handler's derived state stale (bumping ``orderings_version``) only when a destroyer
is in the graph. ``validate`` answers at once when nothing is destroyed; ``find_cycle`` is
the handler's cycle check. The rules themselves (orderings, refusals) are in Python, in the
handler.
"""
from pytheano._core.fgraph cimport Feature, FunctionGraph
from pytheano._core.graph cimport Apply


cdef class DestroyTracker(Feature):
    """Views and destroyers of one FunctionGraph, kept up to date by its events."""

    def __init__(self):
        Feature.__init__(self)
        self.orderings_version = 0
        # {node: None}: a set kept in import order, so that the handler's checks (and which
        # refusal it reports first) are reproducible without sorting.
        self.destroyers = {}
        self.view_i = {}
        self.view_o = {}
        self._state = None
        self.touched = set()
        self.fresh = set()
        self.gone = set()

    cdef _changed(self):
        # Readers of a destroyed value may have changed: the handler recomputes lazily.
        self.orderings_version += 1
        self._state = None

    def on_import(self, fgraph, node, reason):
        op = node.op
        if getattr(op, "destroy_map", None):
            self.destroyers[node] = None
            self.fresh.add(node)
        vmap = getattr(op, "view_map", None)
        if vmap:
            for o, ins in vmap.items():
                out = node.outputs[o]
                inp = node.inputs[ins[0]]
                self.view_i[out] = inp
                views = self.view_o.get(inp)
                if views is None:
                    self.view_o[inp] = views = set()
                (<set>views).add(out)
        if self.destroyers:
            self.touched.update(node.inputs)  # a new reader (or view) of each input
            self._changed()

    def on_prune(self, fgraph, node, reason):
        cdef bint was_destroyer = False
        if self.destroyers and node in self.destroyers:
            del self.destroyers[node]
            self.gone.add(node)
            was_destroyer = True
        vmap = getattr(node.op, "view_map", None)
        if vmap:
            for o in vmap:
                out = node.outputs[o]
                inp = self.view_i.pop(out)
                views = <set>self.view_o[inp]
                views.discard(out)
                if not views:
                    del self.view_o[inp]
        if self.destroyers or was_destroyer:
            self.touched.update(node.inputs)
            self._changed()

    def on_change_input(self, fgraph, node, i, r, new_r, reason=None):
        vmap = None if type(node) is str else getattr(node.op, "view_map", None)
        if vmap:
            for o, ins in vmap.items():
                if ins[0] != i:
                    continue
                out = node.outputs[o]
                self.view_i[out] = new_r
                views = <set>self.view_o[r]
                views.discard(out)
                if not views:
                    del self.view_o[r]
                new_views = self.view_o.get(new_r)
                if new_views is None:
                    self.view_o[new_r] = new_views = set()
                (<set>new_views).add(out)
        if self.destroyers:
            self.touched.add(r)
            self.touched.add(new_r)
            self._changed()

    def changed(self):
        """Mark the derived state stale (for a subclass that resets the tracked maps)."""
        self._changed()

    def validate(self, fgraph):
        # O(1) when nothing is destroyed; otherwise the handler's rules decide.
        if not self.destroyers:
            return True
        return self.validate_destroyers(fgraph)

    def validate_destroyers(self, fgraph):
        return True


def find_cycle(FunctionGraph fgraph, dict ords):
    """A node on a cycle of ``fgraph`` plus the orderings ``ords`` ({node: [nodes that must
    run first]}), or None when there is none.

    The graph itself is acyclic, so a cycle goes through an ordering edge (reader -> node)
    and lies among the nodes downstream of an ordered node: a depth-first search from the
    ordered nodes visits only those, far fewer than the whole graph when the in-place nodes
    sit near the outputs.
    """
    cdef dict after = {}      # reader -> the nodes that must run after it
    cdef dict state = {}      # node -> 1 while on the search path, 2 once finished
    cdef list nodes, succs, pos
    cdef list cur
    cdef Py_ssize_t k, top
    clients = fgraph.clients
    for app, readers in ords.items():
        for reader in readers:
            after.setdefault(reader, []).append(app)
    for start in ords:
        if start in state:
            continue
        state[start] = 1
        nodes, succs, pos = [start], [_successors(<Apply>start, clients, after)], [0]
        while nodes:
            top = len(nodes) - 1  # no negative indices: the core builds with wraparound off
            cur = <list>succs[top]
            k = pos[top]
            if k == len(cur):
                state[nodes.pop()] = 2
                succs.pop()
                pos.pop()
                continue
            pos[top] = k + 1
            nxt = cur[k]
            st = state.get(nxt)
            if st is None:
                state[nxt] = 1
                nodes.append(nxt)
                succs.append(_successors(<Apply>nxt, clients, after))
                pos.append(0)
            elif st == 1:
                return nxt
    return None


cdef list _successors(Apply node, clients, dict after):
    cdef list out = []
    for o in node.outputs:
        for client, _ in clients[o]:
            if type(client) is not str:
                out.append(client)
    extra = after.get(node)
    if extra is not None:
        out.extend(<list>extra)
    return out
