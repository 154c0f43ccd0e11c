"""Compiled graphs of the classic models, pytheano against Theano 1.0.5: node counts, op
kinds, rewrite time and whole compile time (issue 10's comparison table).

    python benchmarks/bench_graphs.py [--repeats N] [--no-theano] [--steps] [--models a,b]

Models: the seeds' logistic regression (cost + gradient + SGD updates), an MLP 784-500-10
train step, a 20-layer MLP train step, and a small convnet (conv2d, max pool, dense,
softmax). Each is compiled in FAST_RUN with profile=True; the rewrite time is the
profile's optimizer_time. Theano runs in a subprocess of the peer venv
(~/peers/theano/bin/python) with cxx= (no C compiler: its rewrite phase is what is compared,
not its C compilation). Times are the best of N compiles, in milliseconds. ``--steps``
also times one training step of each (a minibatch of BATCH random rows, best of N timed
loops of STEPS steps from the initial weights), compiled with optimizer=None and with
FAST_RUN: what the rewrites buy at run time.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import time

# One BLAS thread (unless set): on a busy 2-core machine idle OpenBLAS threads spinning made
# a small dot 100x slower (bench_call_overhead.py does the same). Set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

# The pytheano of the tree this script is in (not an installed one found first on the path).
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

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

# One minibatch for each model's step (--steps): BATCH rows of random data, STEPS steps a
# timed loop.
BATCH = 64
STEPS = 10


def step_inputs(name, rng):
    labels = rng.randint(0, 10, size=BATCH).astype("int32")
    if name == "logreg":
        return [rng.randn(BATCH, 784), (rng.rand(BATCH) > 0.5).astype("float64")]
    if name == "mlp_784_500_10":
        return [rng.randn(BATCH, 784), labels]
    if name == "mlp_20_layers":
        return [rng.randn(BATCH, 100), labels]
    return [rng.randn(BATCH, 1, 28, 28), labels]


def step_time(f, name, updates, repeats):
    """The best of ``repeats`` timed loops of STEPS steps, in microseconds per step. The
    weights are reset before each loop: trained on for thousands of steps of random data,
    they saturate the units, and denormal numbers then set the pace, not the graph."""
    args = step_inputs(name, np.random.RandomState(1))
    initial = [(p, p.get_value()) for p, _ in updates]

    def reset():
        for p, value in initial:
            p.set_value(value.copy())
    f(*args)  # warm: caches, first-call allocations
    best = float("inf")
    for _ in range(repeats):
        reset()
        t0 = time.perf_counter()
        for _ in range(STEPS):
            f(*args)
        best = min(best, (time.perf_counter() - t0) / STEPS)
    reset()
    return best * 1e6


def measure(library, repeats, steps=False):
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
        if steps:
            out[name]["step_us"] = step_time(f, name, updates, repeats)
            inputs, outputs, updates = build(theano, T, np.random.RandomState(0))
            plain = theano.function(inputs, outputs, updates=updates,
                                    mode=theano.Mode(optimizer=None))
            out[name]["step_none_us"] = step_time(plain, name, updates, repeats)
            out[name]["nodes_none"] = len(plain.maker.fgraph.apply_nodes)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-theano", action="store_true")
    parser.add_argument("--steps", action="store_true",
                        help="also time one step of each model (optimizer=None and FAST_RUN)")
    parser.add_argument("--models", help="comma-separated subset of " + ",".join(MODELS))
    parser.add_argument("--json-for", help=argparse.SUPPRESS)  # the peer's subprocess
    args = parser.parse_args()
    if args.models:
        for name in set(MODELS) - set(args.models.split(",")):
            del MODELS[name]
    if args.json_for:
        print(json.dumps(measure(args.json_for, args.repeats, args.steps)))
        return
    results = {"pytheano": measure("pytheano", args.repeats, args.steps)}
    if not args.no_theano and os.path.exists(THEANO_PYTHON):
        env = dict(os.environ, THEANO_FLAGS="cxx=,device=cpu,compiledir=/tmp/bench_graphs_th")
        extra = (["--steps"] if args.steps else []) + (
            ["--models", args.models] if args.models else [])
        proc = subprocess.run([THEANO_PYTHON, __file__, "--json-for", "theano", "--repeats",
                               str(args.repeats)] + extra, capture_output=True, text=True,
                              env=env)
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
    if args.steps:
        print()
        print("| model | " + " | ".join("%s nodes None / FAST_RUN | %s step us None | %s step "
                                         "us FAST_RUN" % (lib, lib, lib) for lib in libs) + " |")
        print("|---|" + "---:|" * (3 * len(libs)))
        for name in MODELS:
            row = []
            for lib in libs:
                r = results[lib][name]
                row += ["%d / %d" % (r["nodes_none"], r["nodes"]), "%.0f" % r["step_none_us"],
                        "%.0f" % r["step_us"]]
            print("| %s | %s |" % (name, " | ".join(row)))
    print()
    for name in MODELS:
        print("%s op kinds:" % name)
        for lib in libs:
            kinds = results[lib][name]["kinds"]
            print("  %-9s %s" % (lib, ", ".join("%s x%d" % kv for kv in sorted(kinds.items()))))


if __name__ == "__main__":
    main()
