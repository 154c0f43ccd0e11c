"""Compiled graphs of the classic models, pytheano against Theano 1.0.5: node counts, op
kinds, rewrite time and whole compile time (issue 10's comparison table).

    python benchmarks/bench_graphs.py [--repeats N] [--no-theano]

Models: the seeds' logistic regression (cost + gradient + SGD updates), an MLP 784-500-10
train step, a 20-layer MLP train step, and a small convnet (conv2d, max pool, dense,
softmax). Each is compiled in FAST_RUN with profile=True; the rewrite time is the
profile's optimizer_time. Theano runs in a subprocess of the peer venv
(~/peers/theano/bin/python) with cxx= (no C compiler: its rewrite phase is what is compared,
not its C compilation). Times are the best of N compiles, in milliseconds.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import time

import numpy as np

THEANO_PYTHON = os.path.expanduser("~/peers/theano/bin/python")


def logreg(theano, T, rng):
    x, y = T.matrix("x"), T.vector("y")
    w = theano.shared(rng.randn(784), name="w")
    b = theano.shared(0.0, name="b")
    p_1 = 1 / (1 + T.exp(-T.dot(x, w) - b))
    xent = -y * T.log(p_1) - (1 - y) * T.log(1 - p_1)
    cost = xent.mean() + 0.01 * (w ** 2).sum()
    gw, gb = T.grad(cost, [w, b])
    return [x, y], [p_1 > 0.5, xent], [(w, w - 0.1 * gw), (b, b - 0.1 * gb)]


def mlp(theano, T, rng, sizes):
    x, y = T.matrix("x"), T.ivector("y")
    params, h = [], x
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        W = theano.shared(rng.randn(n_in, n_out) * 0.01, name="W%d" % k)
        b = theano.shared(np.zeros(n_out), name="b%d" % k)
        params += [W, b]
        z = T.dot(h, W) + b
        h = T.tanh(z) if k < len(sizes) - 2 else T.nnet.softmax(z)
    cost = -T.mean(T.log(h)[T.arange(y.shape[0]), y])
    grads = T.grad(cost, params)
    return [x, y], [cost], [(p, p - 0.1 * g) for p, g in zip(params, grads)]


def convnet(theano, T, rng):
    from_pool = __import__(T.__name__ + ".signal.pool", fromlist=["pool_2d"])
    x, y = T.tensor4("x"), T.ivector("y")
    W = theano.shared(rng.randn(8, 1, 5, 5) * 0.1, name="W")
    V = theano.shared(rng.randn(8 * 12 * 12, 10) * 0.01, name="V")
    h = T.nnet.relu(T.nnet.conv2d(x, W))
    h = from_pool.pool_2d(h, (2, 2), ignore_border=True).flatten(2)
    p = T.nnet.softmax(T.dot(h, V))
    cost = -T.mean(T.log(p)[T.arange(y.shape[0]), y])
    grads = T.grad(cost, [W, V])
    return [x, y], [cost], [(W, W - 0.1 * grads[0]), (V, V - 0.1 * grads[1])]


MODELS = {
    "logreg": logreg,
    "mlp_784_500_10": lambda th, T, rng: mlp(th, T, rng, (784, 500, 10)),
    "mlp_20_layers": lambda th, T, rng: mlp(th, T, rng, (100,) * 20 + (10,)),
    "convnet": convnet,
}


def measure(library, repeats):
    if library == "theano":
        import theano
        import theano.tensor as T
    else:
        import pytheano as theano
        import pytheano.tensor as T
    theano.config.floatX = "float64"
    out = {}
    for name, build in MODELS.items():
        best_rewrite = best_compile = float("inf")
        for _ in range(repeats):
            inputs, outputs, updates = build(theano, T, np.random.RandomState(0))
            t0 = time.perf_counter()
            f = theano.function(inputs, outputs, updates=updates, profile=True)
            best_compile = min(best_compile, time.perf_counter() - t0)
            best_rewrite = min(best_rewrite, f.profile.optimizer_time)
        kinds = collections.Counter(type(n.op).__name__ if type(n.op).__name__ != "Elemwise"
                                    else "Elemwise{%s}" % type(n.op.scalar_op).__name__
                                    for n in f.maker.fgraph.toposort())
        out[name] = {"nodes": len(f.maker.fgraph.apply_nodes), "kinds": dict(kinds),
                     "rewrite_ms": best_rewrite * 1e3, "compile_ms": best_compile * 1e3}
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-theano", action="store_true")
    parser.add_argument("--json-for", help=argparse.SUPPRESS)  # the peer's subprocess
    args = parser.parse_args()
    if args.json_for:
        print(json.dumps(measure(args.json_for, args.repeats)))
        return
    results = {"pytheano": measure("pytheano", args.repeats)}
    if not args.no_theano and os.path.exists(THEANO_PYTHON):
        env = dict(os.environ, THEANO_FLAGS="cxx=,device=cpu,compiledir=/tmp/bench_graphs_th")
        proc = subprocess.run([THEANO_PYTHON, __file__, "--json-for", "theano", "--repeats",
                               str(args.repeats)], capture_output=True, text=True, env=env)
        if proc.returncode == 0:
            results["theano"] = json.loads(proc.stdout.strip().splitlines()[-1])
        else:
            print("Theano run failed:\n" + proc.stderr[-2000:], file=sys.stderr)
    libs = list(results)
    print("| model | " + " | ".join("%s nodes | %s rewrite ms | %s compile ms" % (lib, lib, lib)
                                     for lib in libs) + " |")
    print("|---|" + "---:|" * (3 * len(libs)))
    for name in MODELS:
        row = []
        for lib in libs:
            r = results[lib][name]
            row += ["%d" % r["nodes"], "%.1f" % r["rewrite_ms"], "%.1f" % r["compile_ms"]]
        print("| %s | %s |" % (name, " | ".join(row)))
    print()
    for name in MODELS:
        print("%s op kinds:" % name)
        for lib in libs:
            kinds = results[lib][name]["kinds"]
            print("  %-9s %s" % (lib, ", ".join("%s x%d" % kv for kv in sorted(kinds.items()))))


if __name__ == "__main__":
    main()
