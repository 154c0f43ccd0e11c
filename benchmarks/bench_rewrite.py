"""Rewrite time against graph size: does it grow about linearly?

    python benchmarks/bench_rewrite.py                       # pytheano, 10^2 .. 10^5 nodes
    python benchmarks/bench_rewrite.py --theano-python ~/peers/theano/bin/python

    python benchmarks/bench_rewrite.py --trees /tmp/base . --kinds logreg,mlp   # before/after

Graphs (each built by the same code under pytheano and under Theano 1.0.5):
- ``logreg``: bench_revisions.py's softmax-regression SGD step (cost, grad, updates);
- ``mlp L``: an L-layer MLP train step (sigmoid(dot(h, W) + b) per layer, mean cost, the
  gradient and SGD updates of every W and b) on small matrices; L sets the size;
- ``resnet B``: B residual blocks h = h + relu(dot(h, W) + b) and the train step (the shape
  of Theano #4494, a 38-layer residual network that took 40 minutes to compile);
- ``distributive D``: a product of D sums (a1 + b1) * ... * (aD + bD), the shape Theano's
  distributive rule blew up in #4797 (pytheano has no such default rule; the toy rule and its
  cap are in tests/rewriting/test_bounds.py).

Each row: the nodes before rewriting (optimizer=None), after (FAST_RUN), the rewrite phase's
time (``f.maker.optimizer_time``; Theano: ``profile.optimizer_time``), whole compile time, and
microseconds of rewriting per node. The rewrite phase is timed twice: wall clock as each
library reports it, and CPU time (``time.process_time`` around the top-level rewriter call),
which other jobs on a busy machine disturb much less; the per-node column uses the CPU time.
Times are the minimum over ``--repeat`` compiles (one for the larger graphs);
``--excluding inplace`` measures FAST_RUN without a phase (tags as Mode.excluding takes).
Theano runs in a subprocess with ``cxx=`` (no C compiler: rewriting is what is measured)
and is skipped past ``--theano-max-nodes``.
"""
import argparse
import json
import os
import subprocess
import sys

MEASURE = r"""
import json, sys, time
import numpy as np
lib, kind, size, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
excluded = [t for t in sys.argv[5].split(",") if t]
if lib == "theano":
    import theano
    import theano.tensor as T
else:
    import pytheano as theano
    import pytheano.tensor as T
sys.setrecursionlimit(100000)
rng = np.random.RandomState(0)

# The rewrite phase's CPU time (process_time: robust to other jobs on a busy machine), taken
# around the top-level rewriter call of each library.
cpu = [0.0]
def timed(call):
    depth = [0]
    def wrapper(*args, **kwargs):
        depth[0] += 1
        t0 = time.process_time()
        try:
            return call(*args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                cpu[0] += time.process_time() - t0
    return wrapper
if lib == "theano":
    theano.gof.opt.Optimizer.__call__ = timed(theano.gof.opt.Optimizer.__call__)
else:
    import pytheano.graph.rewriting as rewriting
    rewriting.RewritePlan.rewrite = timed(rewriting.RewritePlan.rewrite)

def build():
    if kind == "logreg":  # bench_revisions.py's step: softmax regression, cost, grad, SGD
        W = theano.shared(np.zeros((64, 10))); bb = theano.shared(np.zeros(10))
        xm, yv = T.dmatrix(), T.ivector()
        p = T.nnet.softmax(T.dot(xm, W) + bb)
        cost = -T.mean(T.log(p)[T.arange(yv.shape[0]), yv])
        gW, gb = theano.grad(cost, [W, bb])
        return [xm, yv], [cost], [(W, W - 0.1 * gW), (bb, bb - 0.1 * gb)]
    if kind == "distributive":
        xs = [T.dscalar("a%d" % i) for i in range(size)]
        ys = [T.dscalar("b%d" % i) for i in range(size)]
        out = xs[0] + ys[0]
        for a, b in zip(xs[1:], ys[1:]):
            out = out * (a + b)
        return xs + ys, [out], []
    x = T.dmatrix("x")
    h, params = x, []
    for i in range(size):
        W = theano.shared(rng.randn(8, 8) * 0.1, name="W%d" % i)
        b = theano.shared(np.zeros(8), name="b%d" % i)
        params += [W, b]
        if kind == "mlp":
            h = T.nnet.sigmoid(T.dot(h, W) + b)
        else:
            h = h + T.maximum(T.dot(h, W) + b, 0)
    cost = T.mean(h ** 2)
    grads = theano.grad(cost, params)
    return [x], [cost], [(p, p - 0.01 * g) for p, g in zip(params, grads)]

def nodes(f):
    return len(f.maker.fgraph.apply_nodes)

ins, outs, ups = build()
plain = theano.function(ins, outs, updates=ups, mode=theano.Mode(optimizer=None))
best_rw = best_all = best_cpu = float("inf")
for _ in range(repeat):
    cpu[0] = 0.0
    t0 = time.perf_counter()
    mode = theano.compile.mode.get_mode("FAST_RUN").excluding(*excluded)
    if lib == "theano":
        f = theano.function(ins, outs, updates=ups, profile=True, mode=mode)
        rw = f.profile.optimizer_time
    else:
        f = theano.function(ins, outs, updates=ups, mode=mode)
        rw = f.maker.optimizer_time
    best_all = min(best_all, time.perf_counter() - t0)
    best_rw = min(best_rw, rw)
    best_cpu = min(best_cpu, cpu[0])
print(json.dumps({"before": nodes(plain), "after": nodes(f), "rewrite_s": best_rw,
                  "rewrite_cpu_s": best_cpu, "compile_s": best_all}))
"""

SIZES = {"logreg": [1], "mlp": [4, 45, 450, 4500], "resnet": [38, 380],
         "distributive": [16, 64]}


HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def measure(python, lib, kind, size, repeat, timeout, tree=HERE, excluding=""):
    env = dict(os.environ)
    if lib == "theano":
        env["THEANO_FLAGS"] = "cxx=,device=cpu,compiledir=/tmp/th_bench_rewrite"
    else:
        env["PYTHONPATH"] = os.path.abspath(tree)
    try:
        out = subprocess.run([python, "-c", MEASURE, lib, kind, str(size), str(repeat),
                              excluding],
                             env=env, capture_output=True, text=True, timeout=timeout,
                             cwd=os.path.abspath(tree) if lib != "theano" else None)
    except subprocess.TimeoutExpired:
        return {"error": "over %d s" % timeout}
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1][:60]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--theano-python", help="Theano 1.0.5's interpreter (optional)")
    parser.add_argument("--theano-max-nodes", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--timeout", type=int, default=900)
    parser.add_argument("--kinds", default="logreg,mlp,resnet,distributive")
    parser.add_argument("--sizes", help="comma-separated sizes (default: each kind's)")
    parser.add_argument("--excluding", default="",
                        help="comma-separated tags FAST_RUN leaves out (e.g. inplace)")
    parser.add_argument("--trees", nargs="*", default=[HERE],
                        help="pytheano source trees to compare (built in place)")
    args = parser.parse_args()
    libs = [(tree if len(args.trees) > 1 else "pytheano", sys.executable, tree)
            for tree in args.trees]
    if args.theano_python:
        libs.append(("theano", args.theano_python, None))
    print("| graph | library | nodes before | nodes after | rewrite ms | rewrite CPU ms "
          "| compile ms | rewrite CPU us/node |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for kind in args.kinds.split(","):
        sizes = [int(n) for n in args.sizes.split(",")] if args.sizes else SIZES[kind]
        for size in sizes:
            before = None
            for lib, python, tree in libs:
                if tree is None and before is not None and before > args.theano_max_nodes:
                    print("| %s %d | %s | %d | - | skipped | - | - | - |"
                          % (kind, size, lib, before))
                    continue
                repeat = args.repeat if size < 400 else 1
                row = measure(python, "theano" if tree is None else "pytheano", kind, size,
                              repeat, args.timeout, tree or HERE, args.excluding)
                if "error" in row:
                    print("| %s %d | %s | - | - | %s | - | - | - |"
                          % (kind, size, lib, row["error"]))
                    continue
                before = row["before"]
                print("| %s %d | %s | %d | %d | %.1f | %.1f | %.1f | %.1f |" % (
                    kind, size, lib, row["before"], row["after"], row["rewrite_s"] * 1e3,
                    row["rewrite_cpu_s"] * 1e3, row["compile_s"] * 1e3,
                    row["rewrite_cpu_s"] * 1e6 / row["before"]), flush=True)


if __name__ == "__main__":
    main()
