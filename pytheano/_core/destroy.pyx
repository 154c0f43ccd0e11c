"""The in-place bookkeeping under pytheano.graph.destroyhandler.DestroyHandler.

Its three hooks run on every edit of every graph the handler watches, so they are Cython:
they track which nodes destroy an input and which outputs view which variable, and they
mark the handler's derived state stale (bumping ``orderings_version``) only when a destroyer
is in the graph. ``validate`` answers at once when nothing is destroyed. The cycle check:
``order_nodes`` (a topological order of the graph plus the orderings, or None: a cycle) once,
then ``update_order`` keeps that order through the edits, looking only at the edges an edit
made (Pearce and Kelly's incremental topological order); ``find_cycle`` is the plain check
the tests compare them with. The rules themselves (orderings, refusals) are in Python, in the
handler.
"""
from pytheano._core.fgraph cimport Feature, FunctionGraph
from pytheano._core.graph cimport Apply, Variable


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
        self.edited = set()
        self.order = None
        self.taken = set()

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
        if self.order is not None:
            self.edited.add(node)
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
        if self.order is not None:
            p = self.order.pop(node, None)
            if p is not None:
                self.taken.discard(p)
            self.edited.discard(node)
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
        if self.order is not None and type(node) is not str:
            self.edited.add(node)  # an edge into it from new_r's owner
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


# --------------------------------------------------------------------------- the order

def order_nodes(FunctionGraph fgraph, dict ords):
    """{node: position} for a topological order of ``fgraph`` plus the orderings ``ords``
    ({node: [nodes that must run first]}), or None when they form a cycle (Kahn's
    algorithm: O(nodes + edges)). No two nodes share a position (update_order keeps it so:
    its moves rely on it)."""
    cdef dict pending = {}    # node -> edges into it not yet satisfied
    cdef dict after = _after(ords)
    cdef dict pos = {}
    cdef list ready = []
    cdef Apply node
    cdef Py_ssize_t n
    clients = fgraph.clients
    for node in fgraph.apply_nodes:
        n = 0
        for v in node.inputs:
            if (<Variable>v).owner is not None:
                n += 1
        extra = ords.get(node)
        if extra is not None:
            n += len(<list>extra)
        if n:
            pending[node] = n
        else:
            ready.append(node)
    while ready:
        node = ready.pop()
        pos[node] = <double>len(pos)
        for succ in _successors(node, clients, after):
            n = pending[succ] - 1
            if n:
                pending[succ] = n
            else:
                del pending[succ]
                ready.append(succ)
    return None if pending else pos


def update_order(FunctionGraph fgraph, dict pos, set taken, set edited, list new_ords,
                 dict readers_of, get_ords):
    """Bring ``pos`` (a topological order of the graph plus its orderings as they were at
    the last check; ``taken``: its positions) up to the graph as it is: 1 when that is
    still acyclic (``pos`` updated), 0 when it has a cycle, -1 when ``pos`` cannot be kept
    (call ``order_nodes``).

    Every edge the edits since made ends at a node of ``edited`` (imported, or an input
    changed) or is an ordering of ``new_ords`` ([(destroyed root, its destroyer, [readers])],
    those gone since left out by ``readers_of``, {root: (destroyer, {readers})}): only those
    are checked. ``get_ords()`` gives {node: [nodes that must run first]}, read only for a
    search. An imported node is placed between its inputs' and its clients' positions; an
    edge against the order (u -> v with pos[u] > pos[v]) searches forward from v and back
    from u only among the nodes positioned between them, finding u (a cycle) or the nodes
    to move (Pearce and Kelly, JEA 2006). An edge in that order needs no search."""
    cdef dict after = None
    cdef dict ords = None
    cdef list fresh = []
    cdef list edges = []
    cdef Apply node, u, v
    cdef int found
    nodes = fgraph.apply_nodes
    clients = fgraph.clients
    for node in edited:
        if node in nodes and node not in pos:
            fresh.append(node)
    if fresh and _place(fresh, pos, taken, clients) < 0:
        return -1
    for node in edited:
        if node not in nodes:
            continue
        for inp in node.inputs:
            owner = (<Variable>inp).owner
            if owner is not None:
                edges.append((owner, node))
    for root, app, readers in new_ords:
        # Those of a refused graph may be gone since: only the orderings there now count.
        entry = readers_of.get(root)
        if entry is None or (<tuple>entry)[0] is not app:
            continue
        now = (<tuple>entry)[1]
        for reader in <list>readers:
            if reader in now:
                edges.append((reader, app))
    for u, v in edges:
        pu = pos.get(u)
        pv = pos.get(v)
        if pu is None or pv is None:
            return -1
        if <double>pu < <double>pv:
            continue
        if after is None:
            ords = get_ords()
            after = _after(ords)
        found = _reorder(pos, u, v, clients, ords, after)
        if found != 1:
            return found
    return 1


cdef int _place(list fresh, dict pos, set taken, clients) except -2:
    # The imported nodes in an order of their own edges, then each between its inputs'
    # owners and its clients, at a position no other node has: an edge to or from a node
    # placed so is in order.
    cdef set todo = set(fresh)
    cdef list order = []
    cdef list stack
    cdef Apply node
    for start in fresh:
        if start not in todo:
            continue
        stack = [(start, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
                continue
            if node not in todo:
                continue
            todo.discard(node)
            stack.append((node, True))
            for inp in node.inputs:
                owner = (<Variable>inp).owner
                if owner is not None and owner in todo:
                    stack.append((owner, False))
    cdef double lo, hi, p
    cdef bint has_lo, has_hi
    for node in order:
        has_lo = has_hi = False
        lo = hi = 0.0
        for inp in node.inputs:
            owner = (<Variable>inp).owner
            if owner is not None:
                q = pos.get(owner)
                if q is None:
                    return -1
                if not has_lo or <double>q > lo:
                    lo, has_lo = q, True
        for o in node.outputs:
            for client, _ in clients[o]:
                if type(client) is not str:
                    q = pos.get(client)
                    if q is not None and (not has_hi or <double>q < hi):
                        hi, has_hi = q, True
        if has_lo and has_hi:
            if not lo < hi:
                return -1  # its clients come before its inputs: no room
            p = _free(taken, lo + (hi - lo) * 0.5, hi)
        elif has_lo:
            p = _free(taken, lo + 1.0, lo)
        elif has_hi:
            p = _free(taken, hi - 1.0, hi)
        else:
            p = _free(taken, 0.5, 1.0)
        if (has_lo and not p > lo) or (has_hi and not p < hi) or p in taken:
            return -1  # no more precision between them
        pos[node] = p
        taken.add(p)
    return 0


cdef double _free(set taken, double p, double toward):
    # p, or the first free position halfway nearer ``toward`` (a bounded number of tries).
    cdef int tries = 0
    while p in taken and tries < 64:
        p = p + (toward - p) * 0.5
        tries += 1
    return p


cdef int _reorder(dict pos, Apply u, Apply v, clients, dict ords, dict after) except -2:
    # The edge u -> v against the order: the nodes reachable from v and those reaching u,
    # among the positions from v's to u's, or u found from v (a cycle). The first group
    # then takes the highest of their positions, each group keeping its own order.
    cdef double ub = pos[u], lb = pos[v]
    cdef set forward = {v}
    cdef set backward = {u}
    cdef list stack = [v]
    cdef list found_f = [v]
    cdef list found_b = [u]
    cdef Apply node
    cdef double p
    while stack:
        node = stack.pop()
        for succ in _successors(node, clients, after):
            if succ is u:
                return 0
            if succ in forward:
                continue
            q = pos.get(succ)
            if q is None:
                return -1
            p = q
            if lb <= p < ub:
                forward.add(succ)
                found_f.append(succ)
                stack.append(succ)
    stack = [u]
    while stack:
        node = stack.pop()
        for pred in _predecessors(node, ords):
            if pred in backward:
                continue
            if pred in forward:
                return 0  # v reaches it and it reaches u
            q = pos.get(pred)
            if q is None:
                return -1
            p = q
            if lb < p <= ub:
                backward.add(pred)
                found_b.append(pred)
                stack.append(pred)
    found_b.sort(key=pos.__getitem__)
    found_f.sort(key=pos.__getitem__)
    slots = sorted([pos[n] for n in found_b] + [pos[n] for n in found_f])
    cdef Py_ssize_t k
    for k in range(1, len(slots)):
        if slots[k] == slots[k - 1]:
            return -1  # two nodes share a position: the order is rebuilt
    k = 0
    for node in found_b:
        pos[node] = slots[k]
        k += 1
    for node in found_f:
        pos[node] = slots[k]
        k += 1
    return 1


cdef dict _after(dict ords):
    # reader -> the nodes that must run after it
    cdef dict after = {}
    for app, readers in ords.items():
        for reader in <list>readers:
            after.setdefault(reader, []).append(app)
    return after


cdef list _predecessors(Apply node, dict ords):
    cdef list out = []
    for inp in node.inputs:
        owner = (<Variable>inp).owner
        if owner is not None:
            out.append(owner)
    extra = ords.get(node)
    if extra is not None:
        out.extend(<list>extra)
    return out


def first_reached(FunctionGraph fgraph, Apply start, list targets):
    """The first of ``targets`` computed from ``start``'s outputs (graph edges only), or
    None."""
    cdef set left = set(targets)
    cdef set below = set()
    cdef list todo = list(start.outputs)
    clients = fgraph.clients
    left.discard(start)
    while todo and left:
        v = todo.pop()
        for client, _ in clients.get(v, ()):
            if type(client) is not str and client not in below:
                below.add(client)
                left.discard(client)
                todo.extend((<Apply>client).outputs)
    for target in targets:
        if target in below:
            return target
    return None
