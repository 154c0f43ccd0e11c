"""Compare pytheano source trees on the same machine, alternating runs so load hits both.

    git worktree add /tmp/base <commit> && (cd /tmp/base && python setup.py build_ext -i -q)
    python benchmarks/bench_revisions.py /tmp/base .          # each tree: call, compile, step

Each round runs the measurement in every tree (a fresh interpreter with that tree first on
sys.path), rounds alternate the trees, and the table shows the minimum over rounds:
- call: ``f(a, b)`` for ``f = function([x, y], x + y)`` on 0-d float64 arrays, microseconds;
- compile: building the digits-shaped logistic-regression SGD step, milliseconds;
- step: one call of that step at batch 20, microseconds.
"""
import argparse
import json
import os
import subprocess
import sys

MEASURE = r"""
import json, sys, time, timeit
import numpy as np
import pytheano as theano, pytheano.tensor as T
x, y = T.dscalars("x", "y")
f = theano.function([x, y], x + y)
a, b = np.array(1.0), np.array(2.0)
def best(fn, n, r=7):
    return min(timeit.repeat(fn, number=n, repeat=r)) / n
rng = np.random.RandomState(0)
X, Y = rng.rand(20, 64), rng.randint(0, 10, 20).astype("int32")
W = theano.shared(np.zeros((64, 10))); bb = theano.shared(np.zeros(10))
xm, yv = T.dmatrix(), T.ivector()
p = T.nnet.softmax(T.dot(xm, W) + bb)
cost = -T.mean(T.log(p)[T.arange(yv.shape[0]), yv])
gW, gb = theano.grad(cost, [W, bb])
t0 = time.perf_counter()
for _ in range(10):
    step = theano.function([xm, yv], cost, updates=[(W, W - 0.1 * gW), (bb, bb - 0.1 * gb)])
compile_s = (time.perf_counter() - t0) / 10
print(json.dumps({"call_us": best(lambda: f(a, b), 20000) * 1e6, "compile_ms": compile_s * 1e3,
                  "step_us": best(lambda: step(X, Y), 300) * 1e6, "file": theano.__file__}))
"""


def measure(tree):
    env = dict(os.environ, PYTHONPATH=os.path.abspath(tree))
    out = subprocess.run([sys.executable, "-c", MEASURE], env=env, cwd=os.path.abspath(tree),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="+", help="pytheano source trees (built in place)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    best = {tree: {} for tree in args.trees}
    for _ in range(args.rounds):
        for tree in args.trees:
            for key, value in measure(tree).items():
                if key != "file":
                    best[tree][key] = min(value, best[tree].get(key, float("inf")))
    print("%-30s %10s %12s %10s" % ("tree", "call us", "compile ms", "step us"))
    for tree, row in best.items():
        print("%-30s %10.2f %12.2f %10.1f" % (tree, row["call_us"], row["compile_ms"],
                                              row["step_us"]))


if __name__ == "__main__":
    main()
