"""Gradient benchmark: time of ``grad`` on a 3-layer MLP (and on a deep elementwise chain),
and time to compile cost + gradients + SGD updates with ``function``.

    python benchmarks/bench_grad.py [--repeats N]

Runs on pytheano, then (if ~/peers/theano/bin/python exists) on Theano 1.0.5 in a
subprocess, and prints one table. Numbers are best-of-N wall times in milliseconds; the
first compile of each library is reported apart, since Theano's includes C compilation
(cached on disk for later runs).
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

THEANO_PYTHON = os.path.expanduser("~/peers/theano/bin/python")
SIZES = (784, 500, 500, 10)   # inputs, two hidden layers, outputs
CHAIN_DEPTH = 200


def build_mlp(theano, T):
    rng = np.random.RandomState(0)
    X = T.matrix("X", dtype="float64")
    Y = T.matrix("Y", dtype="float64")
    params = []
    h = X
    for i, (n_in, n_out) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        W = theano.shared(rng.randn(n_in, n_out) * 0.01, name="W%d" % i)
        b = theano.shared(np.zeros(n_out), name="b%d" % i)
        params += [W, b]
        z = T.dot(h, W) + b
        h = T.tanh(z) if i < len(SIZES) - 2 else z
    cost = T.mean(T.sqr(h - Y))
    return X, Y, params, cost


def best_of(fn, repeats):
    times = []
    result = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1000.0, result


def run_benchmarks(library, repeats):
    if library == "theano":
        import theano
        import theano.tensor as T
    else:
        import pytheano as theano
        import pytheano.tensor as T
    results = {}

    X, Y, params, cost = build_mlp(theano, T)
    results["grad: 3-layer MLP"], grads = best_of(lambda: T.grad(cost, params), repeats)

    x = T.vector("x", dtype="float64")
    y = x
    for _ in range(CHAIN_DEPTH):
        y = T.tanh(y) * 1.01
    chain_cost = T.sum(y)
    try:
        results["grad: %d-deep elementwise chain" % CHAIN_DEPTH], _ = best_of(
            lambda: T.grad(chain_cost, x), repeats)
    except RuntimeError as e:   # RecursionError: Theano recurses per node
        results["grad: %d-deep elementwise chain" % CHAIN_DEPTH] = "failed: %s" % (
            type(e).__name__,)

    updates = [(p, p - 0.1 * g) for p, g in zip(params, grads)]

    def compile_train():
        return theano.function([X, Y], cost, updates=updates)

    t0 = time.perf_counter()
    train = compile_train()
    results["compile cost+grad+updates (first)"] = (time.perf_counter() - t0) * 1000.0
    results["compile cost+grad+updates (again)"], _ = best_of(compile_train, max(1, repeats // 2))

    rng = np.random.RandomState(1)
    xv = rng.randn(64, SIZES[0])
    yv = rng.randn(64, SIZES[-1])
    train(xv, yv)
    results["one SGD step, batch 64"], _ = best_of(lambda: train(xv, yv), repeats)
    return results


def theano_results(repeats):
    if not os.path.exists(THEANO_PYTHON):
        return None, "Theano peer not found at %s" % THEANO_PYTHON
    env = dict(os.environ)
    env.setdefault("THEANO_FLAGS", "floatX=float64")
    try:
        proc = subprocess.run([THEANO_PYTHON, os.path.abspath(__file__), "--child", "theano",
                               "--repeats", str(repeats)], capture_output=True, text=True,
                              env=env, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, "Theano run failed: %s" % (e,)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line), None
    return None, "Theano run failed:\n%s" % proc.stderr[-2000:]


def fmt(v):
    if isinstance(v, (int, float)):
        return "%10.1f" % v
    return "%10s" % (v if v is not None else "-")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_benchmarks(args.child, args.repeats)))
        return

    ours = run_benchmarks("pytheano", args.repeats)
    theirs, why = theano_results(args.repeats)
    width = max(len(k) for k in ours)
    print("%-*s %10s %10s" % (width, "ms (best of %d)" % args.repeats, "pytheano",
                              "Theano"))
    for key, value in ours.items():
        other = theirs.get(key) if theirs else None
        print("%-*s %s %s" % (width, key, fmt(value), fmt(other)))
    if why:
        print("(%s)" % why)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
