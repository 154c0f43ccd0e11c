"""Theano 1.0's ``theano.gof.sched``: schedules of a graph's nodes ordered by comparison
functions, for code that chooses its own node order (e.g. to overlap transfers).

A comparison ``cmp(a, b)`` is negative when a should run before b. ``posort`` honours the
comparisons in priority order as far as they do not contradict an earlier one (a partial
order), then lists the nodes topologically.
"""
from pytheano._core.graph import io_toposort
from pytheano.graph.utils import key_to_cmp  # noqa: F401  (Theano's gof.sched name)

__all__ = ["make_dependence_cmp", "reverse_dict", "posort", "sort_apply_nodes",
           "sort_schedule_fn", "key_to_cmp"]


def make_dependence_cmp():
    """``cmp(a, b)``: 1 when node a depends on node b, -1 when b depends on a, else 0."""
    memo = {}

    def depends(a, b):
        key = (a, b)
        if key not in memo:
            memo[key] = any(i.owner is not None and (i.owner is b or depends(i.owner, b))
                            for i in a.inputs)
        return memo[key]

    def dependence(a, b):
        if depends(a, b):
            return 1
        if depends(b, a):
            return -1
        return 0

    return dependence


def reverse_dict(d):
    """``{a: (b, c)}`` -> ``{b: (a,), c: (a,)}``."""
    out = {}
    for key, values in d.items():
        for v in values:
            out[v] = out.get(v, ()) + (key,)
    return out


def _toposort(edges):
    """The keys and values of ``edges`` ({a: things that come after a}) in an order where
    nothing comes before what precedes it (Kahn's algorithm); ValueError on a cycle."""
    incoming = {k: set(v) for k, v in reverse_dict(edges).items()}
    ready = [v for v in edges if v not in incoming]
    order = []
    while ready:
        n = ready.pop()
        order.append(n)
        for m in edges.get(n, ()):
            incoming[m].discard(n)
            if not incoming[m]:
                del incoming[m]
                ready.append(m)
    if incoming:
        raise ValueError("Input has cycles")
    return order


def posort(items, *cmps):
    """``items`` ordered by the comparisons, the first ones first: a later comparison only
    orders pairs that the earlier ones left unordered (and never makes a cycle)."""
    before = {a: set() for a in items}
    after = {a: set() for a in items}

    def link(a, b):  # a comes before b, and so does everything before a
        after[a].add(b)
        after[a].update(after[b])
        for c in before[a]:
            after[c].update(after[a])
        before[b].add(a)
        before[b].update(before[a])
        for c in after[b]:
            before[c].update(before[b])

    for cmp in cmps:
        for a in items:
            for b in items:
                if cmp(a, b) < 0 and b not in before[a] and b not in after[a]:
                    link(a, b)
    return _toposort(after)


def sort_apply_nodes(inputs, outputs, cmps):
    """The nodes between ``inputs`` and ``outputs`` ordered by ``cmps`` alone (pass
    ``make_dependence_cmp()`` first for a valid schedule, as sort_schedule_fn does)."""
    return posort(io_toposort(inputs, outputs), *cmps)


def sort_schedule_fn(*cmps):
    """A scheduler ``schedule(fgraph) -> nodes``: the data dependencies first, then
    ``cmps``."""
    def schedule(fgraph):
        return sort_apply_nodes(fgraph.inputs, fgraph.outputs, (make_dependence_cmp(),) + cmps)
    return schedule

