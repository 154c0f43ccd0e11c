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


def best(fn, repeat=3):
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

    rows.append(("import %d nodes" % n, min(t_import() for _ in range(3))))

    def replace_loop(validate, dh):
        fg = build()
        if ReplaceValidate is not None and not hasattr(fg, "replace_validate"):
            fg.attach_feature(ReplaceValidate())
        if dh and DestroyHandler is not None:
            fg.attach_feature(DestroyHandler())
        nodes = fg.toposort()
        t0 = time.perf_counter()
        # Replace every node's output by a fresh node reading the same input.
        for node in nodes:
            new = Step(1)(node.inputs[0])
            if validate:
                fg.replace_validate(node.outputs[0], new)
            else:
                fg.replace(node.outputs[0], new)
        return time.perf_counter() - t0

    rows.append(("replace x%d" % n, min(replace_loop(False, False) for _ in range(3))))
    rows.append(("replace_validate x%d" % n, min(replace_loop(True, False) for _ in range(3))))
    if DestroyHandler is not None:
        rows.append(("replace_validate x%d, dh" % n,
                     min(replace_loop(True, True) for _ in range(3))))

    def topo(dh):
        fg = build()
        if dh and DestroyHandler is not None:
            fg.attach_feature(DestroyHandler())
        fg.toposort()
        return best(lambda: [fg.toposort() for _ in range(10)]) / 10

    rows.append(("toposort (after first)", topo(False)))
    if DestroyHandler is not None:
        rows.append(("toposort (after first), dh", topo(True)))

    def edit_then_topo():
        fg = build()
        nodes = fg.toposort()
        t0 = time.perf_counter()
        for node in nodes[:100]:
            fg.replace(node.outputs[0], Step(1)(node.inputs[0]))
            fg.toposort()
        return (time.perf_counter() - t0) / 100

    rows.append(("replace + toposort, per edit", edit_then_topo()))
    for name, t in rows:
        print("%-32s %10.3f ms" % (name, t * 1e3))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
