"""FunctionGraph hot paths on a 10k-node chain: import, replace, replace+validate, toposort.

Run: python benchmarks/bench_fgraph.py [n]. Toy ops over Generic, so it measures the graph
engine, not tensor ops. "dh" rows attach a DestroyHandler (no destroyers in the graph).
"""
import sys
import time

from pytheano.graph.basic import Apply
from pytheano.graph.fg import FunctionGraph
from pytheano.graph.op import Op
from pytheano.graph.type import generic

try:
    from pytheano.graph.features import ReplaceValidate
except ImportError:  # pragma: no cover
    ReplaceValidate = None
try:
    from pytheano.graph.destroyhandler import DestroyHandler
except ImportError:
    DestroyHandler = None


class Step(Op):
    __props__ = ("k",)

    def __init__(self, k):
        self.k = k

    def make_node(self, x):
        return Apply(self, [x], [generic()])


def chain(n):
    x = generic("x")
    v = x
    for _ in range(n):
        v = Step(0)(v)
    return x, v


def best(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(n=10000):
    rows = []

    def build():
        x, out = chain(n)
        return FunctionGraph([x], [out], clone=False)

    def t_import():
        x, out = chain(n)
        t0 = time.perf_counter()
        FunctionGraph([x], [out], clone=False)
        return time.perf_counter() - t0

    rows.append(("import %d nodes" % n, min(t_import() for _ in range(5))))

    def replace_loop(validate, dh):
        fg = build()
        if ReplaceValidate is not None and not hasattr(fg, "replace_validate"):
            fg.attach_feature(ReplaceValidate())
        if dh and DestroyHandler is not None:
            fg.attach_feature(DestroyHandler())
        nodes = fg.toposort()
        # Replace every node's output by a fresh node reading the (already replaced) input:
        # a second chain, built before the clock starts so only the graph edits are timed.
        new, prev = [], fg.inputs[0]
        for _ in nodes:
            prev = Step(1)(prev)
            new.append(prev)
        t0 = time.perf_counter()
        if validate:
            for node, v in zip(nodes, new):
                fg.replace_validate(node.outputs[0], v)
        else:
            for node, v in zip(nodes, new):
                fg.replace(node.outputs[0], v)
        return time.perf_counter() - t0

    rows.append(("replace x%d" % n, min(replace_loop(False, False) for _ in range(5))))
    rows.append(("replace_validate x%d" % n, min(replace_loop(True, False) for _ in range(5))))
    if DestroyHandler is not None:
        rows.append(("replace_validate x%d, dh" % n,
                     min(replace_loop(True, True) for _ in range(5))))

    def topo(dh):
        fg = build()
        if dh and DestroyHandler is not None:
            fg.attach_feature(DestroyHandler())
        fg.toposort()
        return best(lambda: [fg.toposort() for _ in range(10)]) / 10

    class OldOrderings:  # a Theano 1.0 style feature: orderings, no orderings_version
        def orderings(self, fgraph):
            return {}

    def topo_old():
        fg = build()
        fg.attach_feature(OldOrderings())
        fg.toposort()
        return best(lambda: [fg.toposort() for _ in range(10)]) / 10

    rows.append(("toposort (after first)", topo(False)))
    rows.append(("toposort, unversioned orderings", topo_old()))
    if DestroyHandler is not None:
        rows.append(("toposort (after first), dh", topo(True)))

    def edit_then_topo():
        fg = build()
        nodes = fg.toposort()
        new, prev = [], fg.inputs[0]
        for _ in nodes[:100]:
            prev = Step(1)(prev)
            new.append(prev)
        t0 = time.perf_counter()
        for node, v in zip(nodes, new):
            fg.replace(node.outputs[0], v)
            fg.toposort()
        return (time.perf_counter() - t0) / 100

    rows.append(("replace + toposort, per edit", edit_then_topo()))
    for name, t in rows:
        print("%-32s %10.3f ms" % (name, t * 1e3))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
